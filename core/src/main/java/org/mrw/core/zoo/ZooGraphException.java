package org.mrw.core.zoo;

import java.nio.file.Path;

/**
 * A zoo graph or its weights are not usable. The message names the file and, where there is one, the
 * node at fault. It is an {@link IllegalArgumentException} because the cause is the input: the CLI
 * reports it as a user error without a stack trace.
 */
public class ZooGraphException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** A problem with the file as a whole. */
    public ZooGraphException(Path file, String problem) {
        super("Invalid zoo graph " + file + ": " + problem);
    }

    /** A problem with the file as a whole, keeping the low-level cause. */
    public ZooGraphException(Path file, String problem, Throwable cause) {
        super("Invalid zoo graph " + file + ": " + problem, cause);
    }

    /** A problem with one node. */
    public ZooGraphException(Path file, String node, String problem) {
        super("Invalid zoo graph " + file + ": node '" + node + "': " + problem);
    }
}
