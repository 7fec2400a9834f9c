package org.mrw.app.state;

import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/** Long work for a background thread: reports progress, checks cancellation, returns a result. */
@FunctionalInterface
public interface Job<T> {
    T run(Progress progress, Cancellation cancellation) throws Exception;
}
