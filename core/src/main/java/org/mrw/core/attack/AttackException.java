package org.mrw.core.attack;

/** An attack cannot run as asked (wrong model kind, unsupported goal, bad settings); the message says what to do. */
public final class AttackException extends IllegalArgumentException {

    public AttackException(String message) {
        super(message);
    }
}
