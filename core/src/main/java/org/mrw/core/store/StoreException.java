package org.mrw.core.store;

/**
 * The results store cannot be read or written (read-only folder, full disk, a file that is not a
 * workspace); the message names the file and what to do. Rows committed before the failure are kept.
 */
public final class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
