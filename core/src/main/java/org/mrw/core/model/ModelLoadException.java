package org.mrw.core.model;

import java.nio.file.Path;

/**
 * A model file could not be opened: the message names the file, the format that was tried and what
 * was wrong, so a user can fix the file or say which format it is.
 */
public class ModelLoadException extends RuntimeException {

    private final Path file;

    public ModelLoadException(Path file, String formatTried, String problem, Throwable cause) {
        super("Cannot load model " + file + " as " + formatTried + ": " + problem, cause);
        this.file = file;
    }

    public ModelLoadException(Path file, String formatTried, String problem) {
        this(file, formatTried, problem, null);
    }

    public Path file() {
        return file;
    }
}
