package org.mrw.core.attack;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Logits;

/**
 * The Carlini–Wagner L2 attack (Carlini and Wagner, "Towards Evaluating the Robustness of Neural
 * Networks", IEEE S&amp;P 2017), untargeted or targeted. Each image is written as
 * {@code x = (tanh(w) + 1) / 2}, so every iterate lies in [0,1] without clipping, and Adam minimises
 * {@code ||x - x0||² + c·max(m, -κ)} over {@code w}, where the margin {@code m} comes from the logits:
 * {@code z_y - max_{i≠y} z_i} untargeted, {@code max_{i≠t} z_i - z_t} targeted. A binary search per image
 * over {@code c} (×10 until an adversarial is found, then bisection) trades distance against success;
 * the smallest-L2 adversarial seen at any iteration is the image's minimal adversarial.
 *
 * <p>Defaults ({@link Attacks}): {@value #DEFAULT_SEARCH_STEPS} binary-search steps of
 * {@value #DEFAULT_ITERATIONS} Adam iterations (AttackSettings.steps overrides the iterations), initial
 * c {@value #DEFAULT_INITIAL_CONST}, κ {@value #DEFAULT_CONFIDENCE}, learning rate
 * {@value #DEFAULT_LEARNING_RATE}. No early abort: every image runs every iteration. The margin
 * gradient is one {@link GradientClassifier#logitGradient} call with weights {@code c·∂hinge/∂z}, after a
 * forward pass that picks the runner-up class; the chain rule through tanh is done here.
 */
public final class CarliniWagner implements Attack {

    private static final AttackTraits TRAITS = AttackTraits.minimising("cw", Norm.L2, Access.GRADIENTS, true);

    public static final int DEFAULT_SEARCH_STEPS = 5;
    public static final int DEFAULT_ITERATIONS = 100;
    public static final double DEFAULT_INITIAL_CONST = 10.0;
    public static final double DEFAULT_CONFIDENCE = 0.0;
    // 0.01 (the paper's) barely moves pixels at 0 under tanh within 100 steps: only 14/20 targeted found on Fashion-MNIST
    public static final double DEFAULT_LEARNING_RATE = 0.05;

    /** Keeps atanh finite on pixels at exactly 0 or 1 (as the reference implementation does). */
    private static final double TANH_SHRINK = 1 - 1e-6;
    private static final double BETA1 = 0.9;
    private static final double BETA2 = 0.999;
    private static final double ADAM_EPSILON = 1e-8;
    /** Where the exponential search for c stops growing. */
    private static final double MAX_CONST = 1e10;

    private final int searchSteps;
    private final int iterations;
    private final double initialConst;
    private final double confidence;
    private final double learningRate;

    /**
     * @param searchSteps  binary-search steps over c, {@code >= 1}
     * @param iterations   Adam iterations per search step, {@code >= 1}
     * @param initialConst first c of every image, {@code > 0}
     * @param confidence   κ, how far past the boundary the hinge keeps pushing, {@code >= 0}
     * @param learningRate Adam step size in tanh space, {@code > 0}
     */
    public CarliniWagner(int searchSteps, int iterations, double initialConst, double confidence, double learningRate) {
        if (searchSteps < 1 || searchSteps > 1_000) {
            throw new AttackException("cw: binary-search steps must be in 1..1000, got " + searchSteps);
        }
        if (iterations < 1 || iterations > 100_000) {
            throw new AttackException("cw: iterations must be in 1..100000, got " + iterations);
        }
        if (!(initialConst > 0) || initialConst > MAX_CONST) {
            throw new AttackException("cw: the initial constant must be in (0, 1e10], got " + initialConst);
        }
        if (!(confidence >= 0) || Double.isInfinite(confidence)) {
            throw new AttackException("cw: confidence κ must be a finite number >= 0, got " + confidence);
        }
        if (!(learningRate > 0) || learningRate > 10) {
            throw new AttackException("cw: learning rate must be in (0, 10], got " + learningRate);
        }
        this.searchSteps = searchSteps;
        this.iterations = iterations;
        this.initialConst = initialConst;
        this.confidence = confidence;
        this.learningRate = learningRate;
    }

    @Override
    public AttackTraits traits() {
        return TRAITS;
    }

    public int iterations() {
        return iterations;
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        GradientClassifier g = WhiteBox.gradients(this, model);
        WhiteBox.checkEpsilons(epsilons, true);
        int n = clean.size();
        int size = clean.imageSize();
        int classes = g.numClasses();
        WhiteBox.checkLabels(goal.labels(), classes);
        if (goal.isTargeted()) {
            WhiteBox.checkLabels(goal.targets(), classes);
        }
        float[] x0 = clean.pixels();
        float[] best = x0.clone();
        double[] bestNorm = new double[n];
        Arrays.fill(bestNorm, Double.POSITIVE_INFINITY);
        context.checkCancelled();
        int[] cleanPredicted = g.predict(clean);
        long passes = n;
        // Images already at the goal keep their clean image (distance 0) and are not optimised.
        int[] open = IntStream.range(0, n).filter(i -> !goal.reached(i, cleanPredicted[i])).toArray();
        for (int i = 0; i < n; i++) {
            if (goal.reached(i, cleanPredicted[i])) {
                bestNorm[i] = 0;
            }
        }
        int m = open.length;
        float[] origin = Perturbations.gather(x0, open, size);
        double[] w0 = new double[m * size];
        for (int j = 0; j < w0.length; j++) {
            w0[j] = atanh((2.0 * origin[j] - 1) * TANH_SHRINK);
        }
        double[] c = new double[m];
        double[] lower = new double[m];
        double[] upper = new double[m];
        Arrays.fill(c, initialConst);
        Arrays.fill(upper, Double.POSITIVE_INFINITY);
        ImageBatch openBatch = WhiteBox.subset(clean, x0, open);
        long total = (long) searchSteps * iterations;
        for (int b = 0; b < searchSteps && m > 0; b++) {
            double[] w = w0.clone();
            double[] adamM = new double[w.length];
            double[] adamV = new double[w.length];
            boolean[] foundThisSearch = new boolean[m];
            for (int t = 0; t < iterations; t++) {
                context.checkCancelled();
                float[] x = new float[w.length];
                double[] tanh = new double[w.length];
                for (int j = 0; j < w.length; j++) {
                    tanh[j] = Math.tanh(w[j]);
                    x[j] = (float) Math.min(1.0, Math.max(0.0, (tanh[j] + 1) / 2));
                }
                ImageBatch current = openBatch.withPixels(x);
                float[] logits = g.logits(current);
                passes += m;
                int[] predicted = Logits.argMax(logits, m, classes);
                float[] weights = new float[m * classes];
                boolean anyHinge = false;
                for (int a = 0; a < m; a++) {
                    int i = open[a];
                    if (goal.reached(i, predicted[a])) {
                        foundThisSearch[a] = true;
                        double l2 = Norm.L2.distance(x, origin, a, size);
                        if (l2 < bestNorm[i]) {
                            bestNorm[i] = l2;
                            System.arraycopy(x, a * size, best, i * size, size);
                        }
                    }
                    anyHinge |= hingeWeights(logits, goal, i, a, classes, c[a], weights);
                }
                // dL/dx = 2(x - x0) + c·∂hinge/∂z · ∂z/∂x; the second term only where the hinge is active.
                float[] hingeGradient = anyHinge ? g.logitGradient(current, weights).gradient() : new float[w.length];
                if (anyHinge) {
                    passes += m;
                }
                int step = t + 1;
                double correction1 = 1 - Math.pow(BETA1, step);
                double correction2 = 1 - Math.pow(BETA2, step);
                for (int j = 0; j < w.length; j++) {
                    double dx = 2.0 * (x[j] - origin[j]) + hingeGradient[j];
                    // x = (tanh w + 1)/2, so dx/dw = (1 - tanh² w)/2.
                    double dw = dx * (1 - tanh[j] * tanh[j]) / 2;
                    adamM[j] = BETA1 * adamM[j] + (1 - BETA1) * dw;
                    adamV[j] = BETA2 * adamV[j] + (1 - BETA2) * dw * dw;
                    w[j] -= learningRate * (adamM[j] / correction1) / (Math.sqrt(adamV[j] / correction2) + ADAM_EPSILON);
                }
                long done = (long) b * iterations + step;
                context.progress().update(done, total, "cw search " + (b + 1) + "/" + searchSteps + ", iteration "
                        + step + "/" + iterations);
            }
            updateConstants(c, lower, upper, foundThisSearch);
        }
        boolean[] claimed = new boolean[n];
        for (int i = 0; i < n; i++) {
            claimed[i] = bestNorm[i] < Double.POSITIVE_INFINITY;
        }
        boolean[] found = WhiteBox.confirmed(g, clean, best, claimed, goal);
        return Adversarials.fromMinimal(x0, best, found, size, Norm.L2, epsilons, (double) (passes + n) / n);
    }

    /**
     * Writes {@code c·∂max(m + κ, 0)/∂z} for open image {@code a} (dataset image {@code i}) into its weight
     * row and says whether the hinge is active (else the row stays zero).
     */
    private boolean hingeWeights(float[] logits, Goal goal, int i, int a, int classes, double c, float[] weights) {
        int base = a * classes;
        int keep = goal.isTargeted() ? goal.targets()[i] : goal.labels()[i];
        int rival = -1;
        for (int k = 0; k < classes; k++) {
            if (k != keep && (rival < 0 || logits[base + k] > logits[base + rival])) {
                rival = k;
            }
        }
        // Untargeted m = z_y - z_rival; targeted m = z_rival - z_t: the sign of each term flips.
        double margin = goal.isTargeted() ? logits[base + rival] - logits[base + keep] : logits[base + keep] - logits[base + rival];
        if (margin + confidence <= 0) {
            return false;
        }
        float sign = goal.isTargeted() ? -1f : 1f;
        weights[base + keep] = (float) (sign * c);
        weights[base + rival] = (float) (-sign * c);
        return true;
    }

    /** Binary search on c: shrink towards the largest failure where this search succeeded, else grow ×10. */
    private static void updateConstants(double[] c, double[] lower, double[] upper, boolean[] found) {
        for (int a = 0; a < c.length; a++) {
            if (found[a]) {
                upper[a] = Math.min(upper[a], c[a]);
            } else {
                lower[a] = Math.max(lower[a], c[a]);
            }
            c[a] = Double.isInfinite(upper[a]) ? Math.min(c[a] * 10, MAX_CONST) : (lower[a] + upper[a]) / 2;
        }
    }

    private static double atanh(double v) {
        return 0.5 * Math.log((1 + v) / (1 - v));
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "C&W l2, %d binary-search steps × %d Adam iterations (lr %.3g), c0 %.3g, κ %.3g",
                searchSteps, iterations, learningRate, initialConst, confidence);
    }
}
