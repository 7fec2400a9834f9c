package org.mrw.core.task;

import java.util.concurrent.CancellationException;

/**
 * A cancel flag shared between whoever started long work (a CLI run, a workbench button) and the work
 * itself, which calls {@link #check()} between steps so that it stops within one batch.
 */
public final class Cancellation {

    /** A token that is never cancelled, for callers that cannot cancel. */
    public static final Cancellation NONE = new Cancellation();

    private volatile boolean cancelled;

    /** Asks the work to stop at its next check. Idempotent; cannot be undone. */
    public void cancel() {
        if (this != NONE) {
            cancelled = true;
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** @throws CancellationException when cancelled */
    public void check() {
        if (cancelled) {
            throw new CancellationException("cancelled");
        }
    }
}
