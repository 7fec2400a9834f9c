package org.mrw.core.experiment;

/** An experiment spec is invalid or refers to something missing; the message says where and what to do. */
public final class SpecException extends IllegalArgumentException {

    public SpecException(String message) {
        super(message);
    }
}
