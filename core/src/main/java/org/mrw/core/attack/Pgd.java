package org.mrw.core.attack;

import java.util.SplittableRandom;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;

/**
 * Projected Gradient Descent (Madry et al. 2018) in L∞ or L2: {@code steps} steps of size
 * {@code stepRatio·ε} along the loss gradient's sign (L∞) or unit direction (L2), each followed by
 * projection onto the ε-ball and [0,1]; optionally from a uniformly random start inside the ball.
 * Without random start in L∞ this is BIM (Kurakin et al. 2017), registered as {@code bim}.
 *
 * <p>All budgets of a sweep run as one stacked batch (n·|ε| images per pass), so a sweep costs one
 * forward/backward per step on a larger batch rather than |ε| separate runs.
 */
public final class Pgd implements Attack {

    private final String name;
    private final Norm norm;
    private final int steps;
    private final double stepRatio;
    private final boolean randomStart;

    /**
     * @param steps       iterations, {@code >= 1}
     * @param stepRatio   step size as a fraction of ε (the reference protocol uses 1/4)
     * @param randomStart start from a uniform point in the ε-ball instead of the clean image
     */
    public Pgd(String name, Norm norm, int steps, double stepRatio, boolean randomStart) {
        if (steps < 1 || steps > 100_000) {
            throw new AttackException(name + ": steps must be in 1..100000, got " + steps);
        }
        if (!(stepRatio > 0) || stepRatio > 10) {
            throw new AttackException(name + ": step size must be a fraction of ε in (0, 10], got " + stepRatio);
        }
        this.name = name;
        this.norm = norm;
        this.steps = steps;
        this.stepRatio = stepRatio;
        this.randomStart = randomStart;
    }

    @Override
    public AttackTraits traits() {
        return AttackTraits.fixedBudget(name, norm, Access.GRADIENTS);
    }

    public int steps() {
        return steps;
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        GradientClassifier g = WhiteBox.gradients(this, model);
        WhiteBox.checkEpsilons(epsilons);
        int n = clean.size();
        int size = clean.imageSize();
        int sweeps = epsilons.length;
        float[] origin = Perturbations.repeat(clean.pixels(), sweeps);
        int[] labels = Perturbations.repeat(WhiteBox.lossLabels(goal), sweeps);
        float[] x = origin.clone();
        if (randomStart) {
            randomStart(x, origin, n, size, epsilons, context.random());
        }
        ImageBatch stacked = new ImageBatch(x, Perturbations.repeat(clean.labels(), sweeps),
                clean.channels(), clean.height(), clean.width());
        int direction = WhiteBox.direction(goal);
        for (int s = 0; s < steps; s++) {
            context.checkCancelled();
            float[] gradient = g.lossGradient(stacked.withPixels(x), labels).gradient();
            for (int e = 0; e < sweeps; e++) {
                int from = e * n * size;
                int to = from + n * size;
                float[] xe = java.util.Arrays.copyOfRange(x, from, to);
                float[] ge = java.util.Arrays.copyOfRange(gradient, from, to);
                Perturbations.step(xe, ge, n, size, norm, stepRatio * epsilons[e], direction);
                Perturbations.project(xe, clean.pixels(), n, size, norm, epsilons[e]);
                System.arraycopy(xe, 0, x, from, n * size);
            }
            context.progress().update(s + 1, steps, name + " step " + (s + 1) + "/" + steps);
        }
        float[][] out = new float[sweeps][];
        for (int e = 0; e < sweeps; e++) {
            out[e] = java.util.Arrays.copyOfRange(x, e * n * size, (e + 1) * n * size);
        }
        return Adversarials.fixed(epsilons, out, steps);
    }

    /** Uniform in the L∞ cube; for L2 a uniform direction with radius ε·u^(1/d) (uniform in the ball). */
    private void randomStart(float[] x, float[] origin, int n, int size, double[] epsilons, SplittableRandom rng) {
        for (int e = 0; e < epsilons.length; e++) {
            double eps = epsilons[e];
            for (int i = 0; i < n; i++) {
                int base = (e * n + i) * size;
                if (norm == Norm.LINF) {
                    for (int j = 0; j < size; j++) {
                        x[base + j] = (float) (origin[base + j] + eps * (2 * rng.nextDouble() - 1));
                    }
                } else {
                    double[] d = new double[size];
                    double length = 0;
                    for (int j = 0; j < size; j++) {
                        d[j] = gaussian(rng);
                        length += d[j] * d[j];
                    }
                    double radius = eps * Math.pow(rng.nextDouble(), 1.0 / size) / Math.sqrt(length);
                    for (int j = 0; j < size; j++) {
                        x[base + j] = (float) (origin[base + j] + radius * d[j]);
                    }
                }
            }
        }
        float[] cleanRepeated = origin;
        for (int e = 0; e < epsilons.length; e++) {
            int from = e * n * size;
            float[] xe = java.util.Arrays.copyOfRange(x, from, from + n * size);
            float[] ce = java.util.Arrays.copyOfRange(cleanRepeated, from, from + n * size);
            Perturbations.project(xe, ce, n, size, norm, epsilons[e]);
            System.arraycopy(xe, 0, x, from, n * size);
        }
    }

    /** A standard normal draw (Box–Muller), from the seeded generator only. */
    static double gaussian(SplittableRandom rng) {
        double u = 1.0 - rng.nextDouble();
        double v = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    @Override
    public String describe() {
        return String.format(java.util.Locale.ROOT, "%s %s, %d steps of %.3g·ε%s", name.toUpperCase(java.util.Locale.ROOT),
                norm.id(), steps, stepRatio, randomStart ? ", random start" : "");
    }
}
