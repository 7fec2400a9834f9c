package org.mrw.core.model.tensorflow;

/** Turns native TensorFlow errors into one readable line for a {@code ModelLoadException}. */
final class Messages {

    /** TensorFlow messages can carry whole stack traces and graph dumps; a user needs the first line. */
    private static final int MAX_LENGTH = 300;

    private Messages() {
    }

    /** First line of the message (or the exception's type), cut to a readable length. */
    static String firstLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            return e.getClass().getSimpleName();
        }
        String line = message.strip().lines().findFirst().orElse(message).strip();
        return line.length() <= MAX_LENGTH ? line : line.substring(0, MAX_LENGTH) + "…";
    }
}
