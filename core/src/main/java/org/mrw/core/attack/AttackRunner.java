package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * Runs an attack's sweep over a dataset, batch by batch: generate, optionally round to 8 bits, and judge
 * every adversarial by evaluating it on the attacked model. Results of finished batches survive a
 * cancel: the report then covers the images done so far and says it was cancelled.
 */
public final class AttackRunner {

    /** Largest accepted batch: bounds the stacked sweep buffers (batch × |ε| × image). */
    public static final int MAX_BATCH = 10_000;
    /** Largest accepted sweep. */
    public static final int MAX_EPSILONS = 1_000;

    private AttackRunner() {
    }

    /**
     * Settings of a run.
     *
     * @param epsilons    the budgets, in the attack's norm
     * @param seed        seeds every batch (batch seeds are derived from it and the batch's position)
     * @param round8      also judge the adversarials rounded to 8-bit levels
     * @param batchSize   images per batch
     * @param targetShift 0 for untargeted; else each image's target is {@code (label + shift) mod classes}
     */
    public record Options(double[] epsilons, long seed, boolean round8, int batchSize, int targetShift) {

        public Options {
            WhiteBox.checkEpsilons(epsilons, true); // each attack checks its own rule
            if (epsilons.length > MAX_EPSILONS) {
                throw new AttackException("at most " + MAX_EPSILONS + " budgets per sweep, got " + epsilons.length);
            }
            if (batchSize < 1 || batchSize > MAX_BATCH) {
                throw new AttackException("batch size must be in 1.." + MAX_BATCH + ", got " + batchSize);
            }
        }

        public static Options of(double... epsilons) {
            return new Options(epsilons, 0, false, 100, 0);
        }

        public Options withSeed(long s) {
            return new Options(epsilons, s, round8, batchSize, targetShift);
        }

        public Options withRound8(boolean r) {
            return new Options(epsilons, seed, r, batchSize, targetShift);
        }

        public Options withBatchSize(int b) {
            return new Options(epsilons, seed, round8, b, targetShift);
        }

        public Options withTargetShift(int t) {
            return new Options(epsilons, seed, round8, batchSize, t);
        }
    }

    /**
     * Attacks images {@code [0, n)} of {@code data}.
     *
     * @param sink receives every batch's full outcome (adversarial pixels included) as soon as it is
     *             done, e.g. to store it; the report itself keeps per-image scalars only
     */
    public static AttackReport run(Attack attack, Classifier model, Dataset data, int n, Options options,
                                   Progress progress, Cancellation cancellation, Consumer<BatchOutcome> sink) {
        if (n < 1 || n > data.size()) {
            throw new AttackException("the number of images must be in 1.." + data.size() + ", got " + n);
        }
        if (options.targetShift() != 0 && !attack.supportsTargeted()) {
            throw new AttackException(attack.name() + " is untargeted only; drop the target option");
        }
        AttackReport.Builder report = new AttackReport.Builder(attack, model, data.name(), options);
        long start = System.nanoTime();
        try {
            for (int from = 0; from < n; from += options.batchSize()) {
                cancellation.check();
                ImageBatch clean = data.batch(from, Math.min(options.batchSize(), n - from));
                Goal goal = options.targetShift() == 0 ? Goal.untargeted(clean.labels())
                        : Goal.shifted(clean.labels(), options.targetShift(), model.numClasses());
                int done = from;
                Progress inner = (d, t, message) -> progress.update(done, n, message);
                AttackContext context = new AttackContext(batchSeed(options.seed(), from), cancellation, inner);
                BatchOutcome outcome = attackBatch(attack, model, clean, goal, options.epsilons(), context,
                        options.round8(), from);
                report.add(outcome);
                sink.accept(outcome);
                progress.update(from + clean.size(), n, attack.name() + ": " + (from + clean.size()) + "/" + n + " images");
            }
        } catch (CancellationException e) {
            report.cancelled();
        }
        return report.build((System.nanoTime() - start) / 1e9);
    }

    /** Derives a batch's seed from the run's seed and the batch's first image (SplitMix64 finaliser). */
    static long batchSeed(long seed, int from) {
        long z = seed + 0x9E3779B97F4A7C15L * (from + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Generates and judges one batch's sweep. */
    public static BatchOutcome attackBatch(Attack attack, Classifier model, ImageBatch clean, Goal goal, double[] epsilons,
                                           AttackContext context, boolean round8, int from) {
        if (goal.isTargeted() && !attack.supportsTargeted()) {
            throw new AttackException(attack.name() + " is untargeted only");
        }
        int[] cleanPredictions = model.predict(clean);
        Adversarials adv = attack.generate(model, clean, goal, epsilons, context);
        int n = clean.size();
        int size = clean.imageSize();
        List<EpsilonOutcome> outcomes = new ArrayList<>(epsilons.length);
        for (int e = 0; e < epsilons.length; e++) {
            context.checkCancelled();
            float[] pixels = adv.pixels()[e];
            checkBudget(attack, pixels, clean.pixels(), n, size, epsilons[e]);
            int[] predictions = model.predict(clean.withPixels(pixels));
            EpsilonOutcome.Rounded rounded = null;
            if (round8) {
                float[] r = Perturbations.round8(pixels);
                int[] rp = model.predict(clean.withPixels(r));
                rounded = new EpsilonOutcome.Rounded(r, rp, goal.reached(rp), attack.norm().distances(r, clean.pixels(), n, size),
                        Norm.L2.distances(r, clean.pixels(), n, size));
            }
            outcomes.add(new EpsilonOutcome(epsilons[e], pixels, predictions, goal.reached(predictions),
                    attack.norm().distances(pixels, clean.pixels(), n, size), Norm.L2.distances(pixels, clean.pixels(), n, size),
                    rounded));
        }
        return new BatchOutcome(from, clean, goal, cleanPredictions, outcomes, adv.minimal(), adv.queries());
    }

    /** An attack that leaves [0,1] or its budget is a bug; fail loudly rather than report a wrong curve. */
    private static void checkBudget(Attack attack, float[] pixels, float[] clean, int n, int size, double eps) {
        if (pixels.length != clean.length) {
            throw new IllegalStateException(attack.name() + " returned " + pixels.length + " values for " + clean.length);
        }
        for (float v : pixels) {
            if (!(v >= 0f && v <= 1f)) {
                throw new IllegalStateException(attack.name() + " returned a pixel outside [0,1]: " + v);
            }
        }
        double tolerance = 1e-5 + eps * 1e-5;
        for (int i = 0; i < n; i++) {
            double d = attack.norm().distance(pixels, clean, i, size);
            if (d > eps + tolerance) {
                throw new IllegalStateException(attack.name() + " exceeded its budget on image " + i + ": "
                        + attack.norm().id() + " " + d + " > ε " + eps);
            }
        }
    }
}
