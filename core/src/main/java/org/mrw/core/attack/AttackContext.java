package org.mrw.core.attack;

import java.util.SplittableRandom;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * What an attack gets besides the model and the images.
 *
 * @param seed         seeds every random choice of this batch: the same seed gives identical adversarials
 * @param cancellation checked at every step; an attack stops within one step of a cancel
 * @param progress     steps done of steps planned, within this batch
 */
public record AttackContext(long seed, Cancellation cancellation, Progress progress) {

    public static AttackContext seeded(long seed) {
        return new AttackContext(seed, Cancellation.NONE, Progress.NONE);
    }

    /** A fresh generator from the seed (each call starts the same sequence). */
    public SplittableRandom random() {
        return new SplittableRandom(seed);
    }

    /** Throws {@code CancellationException} when cancelled. */
    public void checkCancelled() {
        cancellation.check();
    }
}
