package org.mrw.core.data;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A dataset file or folder could not be read. The message always names the file, what the reader
 * expected, what it found and what the user can do about it, e.g.
 * {@code Cannot read dataset /d/x-images-idx3-ubyte: expected 7840016 bytes (IDX header + 10000 images of
 * 28x28), found 4096 bytes. The file is truncated; download or export it again.}
 *
 * <p>It extends {@link IllegalArgumentException} because the cause is always the input, not the
 * program: the CLI reports it as a user error (exit code 2) without a stack trace.
 */
public class DatasetFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String expected;
    private final String found;
    private final String hint;

    /**
     * @param file     the file or folder at fault; for an entry inside an archive, the archive path
     *                 resolved with the entry name (e.g. {@code data.npz/x.npy})
     * @param expected what the reader needed, e.g. {@code "IDX images (magic 0x00000803)"}
     * @param found    what it found instead, e.g. {@code "magic 0x89504e47"}
     * @param hint     what the user can do, as a sentence; empty when there is nothing useful to say
     */
    public DatasetFormatException(Path file, String expected, String found, String hint) {
        this(file, expected, found, hint, null);
    }

    /** As {@link #DatasetFormatException(Path, String, String, String)}, keeping the low-level cause. */
    public DatasetFormatException(Path file, String expected, String found, String hint, Throwable cause) {
        super(message(file, expected, found, hint), cause);
        this.file = file;
        this.expected = expected;
        this.found = found;
        this.hint = hint == null ? "" : hint;
    }

    private static String message(Path file, String expected, String found, String hint) {
        Objects.requireNonNull(file, "file");
        String text = "Cannot read dataset " + file + ": expected " + expected + ", found " + found + ".";
        return hint == null || hint.isBlank() ? text : text + " " + hint;
    }

    /** The file or folder at fault. */
    public Path file() {
        return file;
    }

    /** What the reader expected. */
    public String expected() {
        return expected;
    }

    /** What the reader found instead. */
    public String found() {
        return found;
    }

    /** What the user can do; may be empty. */
    public String hint() {
        return hint;
    }
}
