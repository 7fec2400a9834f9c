package org.mrw.core.task;

/** Receives progress of long work; called on the working thread, so implementations must be quick. */
@FunctionalInterface
public interface Progress {

    /** Progress that goes nowhere. */
    Progress NONE = (done, total, message) -> { };

    /**
     * @param done    units finished (images, batches, steps)
     * @param total   units in all, {@code >= done}
     * @param message what is being done, for a status line
     */
    void update(long done, long total, String message);
}
