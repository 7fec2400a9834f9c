package org.mrw.core.bench;

import java.util.function.Consumer;
import org.mrw.core.attack.Attack;
import org.mrw.core.attack.AttackContext;
import org.mrw.core.attack.AttackRunner;
import org.mrw.core.attack.AttackSettings;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.Goal;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;

/**
 * Attack throughput on one differentiable model: FGSM with one ε, FGSM with a 10-ε sweep (generation
 * alone, and generation plus judging every adversarial), and PGD-10 with one ε. Each figure is the
 * median of several timed runs over the same images, after a warm-up run.
 */
public final class AttackBenchmark {

    /** The sweep a 10-ε FGSM run uses. */
    static final double[] SWEEP = {0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1, 0.15};
    static final double SINGLE = 0.05;

    /**
     * One measured case.
     *
     * @param medianSeconds   median wall time to attack every image once
     * @param imagesPerSecond images / median seconds
     */
    public record Case(String name, double medianSeconds, double imagesPerSecond) {
    }

    /**
     * A model's figures; ratios are sweep time over single-ε time.
     */
    public record Result(String model, Case fgsm, Case fgsmSweep10, Case fgsmSweep10Judged, Case fgsmJudged, Case pgd10,
                         double sweepRatio, double judgedSweepRatio) {
    }

    private AttackBenchmark() {
    }

    /**
     * Measures {@code model} on {@code batches} (each attacked once per timed run).
     *
     * @param status receives a line before each case (progress for the terminal)
     */
    public static Result run(GradientClassifier model, ImageBatch[] batches, int repeats, Consumer<String> status) {
        int images = 0;
        for (ImageBatch b : batches) {
            images += b.size();
        }
        Attack fgsm = Attacks.create("fgsm", AttackSettings.DEFAULTS);
        Attack pgd = Attacks.create("pgd", new AttackSettings(null, 10, 0.25, false));
        String id = model.info().id();
        // One ε and the sweep alternate round by round: their ratio is the figure, and drift between
        // two blocks of runs moved it by more than the sweep's own cost.
        status.accept(id + ": FGSM, one ε and a 10-ε sweep, interleaved");
        double[] generation = Timing.interleavedMedianSeconds(1, repeats,
                () -> generate(fgsm, model, batches, new double[] {SINGLE}), () -> generate(fgsm, model, batches, SWEEP));
        Case single = new Case("fgsm", generation[0], images / generation[0]);
        Case sweep = new Case("fgsm-sweep10", generation[1], images / generation[1]);
        status.accept(id + ": FGSM judged, one ε and a 10-ε sweep, interleaved");
        double[] judging = Timing.interleavedMedianSeconds(1, repeats,
                () -> judge(fgsm, model, batches, new double[] {SINGLE}), () -> judge(fgsm, model, batches, SWEEP));
        Case judged = new Case("fgsm-judged", judging[0], images / judging[0]);
        Case sweepJudged = new Case("fgsm-sweep10-judged", judging[1], images / judging[1]);
        status.accept(id + ": PGD-10, one ε");
        Case pgd10 = measure("pgd10", images, repeats, () -> generate(pgd, model, batches, new double[] {SINGLE}));
        return new Result(id, single, sweep, sweepJudged, judged, pgd10, sweep.medianSeconds() / single.medianSeconds(),
                sweepJudged.medianSeconds() / judged.medianSeconds());
    }

    private static Case measure(String name, int images, int repeats, Runnable task) {
        double seconds = Timing.medianSeconds(1, repeats, task);
        return new Case(name, seconds, images / seconds);
    }

    private static void generate(Attack attack, GradientClassifier model, ImageBatch[] batches, double[] eps) {
        for (ImageBatch b : batches) {
            attack.generate(model, b, Goal.untargeted(b.labels()), eps, AttackContext.seeded(0));
        }
    }

    private static void judge(Attack attack, GradientClassifier model, ImageBatch[] batches, double[] eps) {
        for (ImageBatch b : batches) {
            AttackRunner.attackBatch(attack, model, b, Goal.untargeted(b.labels()), eps, AttackContext.seeded(0), false, 0);
        }
    }
}
