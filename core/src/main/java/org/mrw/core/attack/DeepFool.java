package org.mrw.core.attack;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.LogitGradient;
import org.mrw.core.model.Logits;

/**
 * DeepFool (Moosavi-Dezfooli, Fawzi and Frossard, "DeepFool: a simple and accurate method to fool deep
 * neural networks", CVPR 2016), untargeted, in L2 or L∞. Each iteration linearises the model around the
 * current image, finds the nearest linearised decision boundary between the true class and a candidate
 * class ({@code |z_k - z_y| / ||∇(z_k - z_y)||_*}, with the dual norm: L2 for L2, L1 for L∞) and steps
 * onto it; the summed steps, scaled by {@code 1 + overshoot}, are added to the clean image and clipped to
 * [0,1]. An image stops as soon as it is misclassified; its final image is its minimal adversarial.
 *
 * <p>Defaults ({@link Attacks}): {@value #DEFAULT_STEPS} iterations, overshoot {@value #DEFAULT_OVERSHOOT},
 * every class a candidate. The class-difference gradients of all still-correct images and candidates are
 * vector–Jacobian products with weight rows {@code e_k - e_y}, stacked into as few
 * {@link GradientClassifier#logitGradient} calls as the memory bound allows.
 */
public final class DeepFool implements Attack {

    public static final int DEFAULT_STEPS = 50;
    public static final double DEFAULT_OVERSHOOT = 0.02;
    /** Candidates meaning "every class". */
    public static final int ALL_CLASSES = 0;

    /** Bounds one stacked gradient call (image × candidate rows) to 2^24 pixel values, 64 MB of floats. */
    private static final long MAX_STACKED_VALUES = 1L << 24;
    /** Added to each step's distance, as in the reference code, so the step lands just past the boundary. */
    private static final double STEP_MARGIN = 1e-4;
    /** Guards the division by a zero gradient (a flat region gives a huge, then clipped, step). */
    private static final double TINY = 1e-8;

    private final Norm norm;
    private final int steps;
    private final double overshoot;
    private final int candidates;

    /**
     * @param steps      iterations at most, {@code >= 1}
     * @param overshoot  the summed steps are scaled by {@code 1 + overshoot}, in [0, 10]
     * @param candidates classes with the highest clean logits (besides the true class) to consider, or
     *                   {@link #ALL_CLASSES}; fewer candidates make each iteration cheaper on many-class models
     */
    public DeepFool(Norm norm, int steps, double overshoot, int candidates) {
        if (steps < 1 || steps > 100_000) {
            throw new AttackException("deepfool: steps must be in 1..100000, got " + steps);
        }
        if (!(overshoot >= 0) || overshoot > 10) {
            throw new AttackException("deepfool: overshoot must be in [0, 10], got " + overshoot);
        }
        if (candidates != ALL_CLASSES && candidates < 2) {
            throw new AttackException("deepfool: candidates must be at least 2 (the true class and one other), got " + candidates);
        }
        this.norm = norm;
        this.steps = steps;
        this.overshoot = overshoot;
        this.candidates = candidates;
    }

    @Override
    public AttackTraits traits() {
        return AttackTraits.minimising("deepfool", norm, Access.GRADIENTS, false);
    }

    public int steps() {
        return steps;
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        GradientClassifier g = WhiteBox.gradients(this, model);
        WhiteBox.checkEpsilons(epsilons, true);
        if (goal.isTargeted()) {
            throw new AttackException("deepfool is untargeted only");
        }
        int n = clean.size();
        int size = clean.imageSize();
        int classes = g.numClasses();
        WhiteBox.checkLabels(goal.labels(), classes);
        float[] x0 = clean.pixels();
        float[] x = x0.clone();
        double[] total = new double[x.length];
        context.checkCancelled();
        float[] cleanLogits = g.logits(clean);
        long passes = n;
        int[][] others = otherClasses(cleanLogits, goal.labels(), n, classes);
        // Images the model already gets wrong keep their clean image: their minimal perturbation is 0.
        int[] active = stillCorrect(Logits.argMax(cleanLogits, n, classes), goal, allImages(n));
        for (int s = 0; s < steps && active.length > 0; s++) {
            context.checkCancelled();
            if (s > 0) {
                ImageBatch current = WhiteBox.subset(clean, x, active);
                int[] predicted = g.predict(current);
                passes += active.length;
                active = stillCorrect(predicted, goal, active);
                if (active.length == 0) {
                    break;
                }
            }
            Boundary nearest = nearestBoundary(g, clean, x, active, others, goal.labels());
            passes += nearest.rows;
            for (int a = 0; a < active.length; a++) {
                int base = active[a] * size;
                double distance = nearest.distance[a] + STEP_MARGIN;
                double scale = norm == Norm.L2 ? distance / (nearest.dualNorm[a] + TINY) : distance;
                for (int j = 0; j < size; j++) {
                    double w = nearest.gradient[a * size + j];
                    total[base + j] += norm == Norm.L2 ? scale * w : scale * Math.signum(w);
                    x[base + j] = (float) (x0[base + j] + (1 + overshoot) * total[base + j]);
                }
            }
            Perturbations.clip01(x);
            context.progress().update(s + 1, steps, "deepfool step " + (s + 1) + "/" + steps + ", "
                    + active.length + " images left");
        }
        boolean[] claimed = new boolean[n];
        Arrays.fill(claimed, true);
        boolean[] found = WhiteBox.confirmed(g, clean, x, claimed, goal);
        return Adversarials.fromMinimal(x0, x, found, size, norm, epsilons, (double) (passes + n) / n);
    }

    /**
     * Per active image, the nearest linearised boundary over its candidates: distance, dual norm of the
     * class-difference gradient, and that gradient ({@code active.length * size}).
     */
    private record Boundary(double[] distance, double[] dualNorm, float[] gradient, long rows) {
    }

    private Boundary nearestBoundary(GradientClassifier g, ImageBatch clean, float[] x, int[] active, int[][] others,
                                     int[] labels) {
        int size = clean.imageSize();
        int classes = g.numClasses();
        int perImage = others[0].length;
        int rows = active.length * perImage;
        int rowsPerCall = (int) Math.max(1, Math.min(rows, MAX_STACKED_VALUES / size));
        double[] distance = new double[active.length];
        Arrays.fill(distance, Double.POSITIVE_INFINITY);
        double[] dualNorm = new double[active.length];
        float[] gradient = new float[active.length * size];
        // Rows are image-major (image a, candidate r) so a call covers whole runs of one image's candidates.
        for (int from = 0; from < rows; from += rowsPerCall) {
            int count = Math.min(rowsPerCall, rows - from);
            float[] pixels = new float[count * size];
            int[] rowLabels = new int[count];
            float[] weights = new float[count * classes];
            for (int q = 0; q < count; q++) {
                int a = (from + q) / perImage;
                int image = active[a];
                int k = others[image][(from + q) % perImage];
                System.arraycopy(x, image * size, pixels, q * size, size);
                rowLabels[q] = labels[image];
                // d(z_k - z_y)/dx as one vector–Jacobian product.
                weights[q * classes + k] = 1;
                weights[q * classes + labels[image]] = -1;
            }
            LogitGradient lg = g.logitGradient(new ImageBatch(pixels, rowLabels, clean.channels(), clean.height(),
                    clean.width()), weights);
            for (int q = 0; q < count; q++) {
                int a = (from + q) / perImage;
                int image = active[a];
                int k = others[image][(from + q) % perImage];
                double difference = (double) lg.logits()[q * classes + k] - lg.logits()[q * classes + labels[image]];
                double dual = dualNorm(lg.gradient(), q * size, size);
                double d = Math.abs(difference) / (dual + TINY);
                if (d < distance[a]) {
                    distance[a] = d;
                    dualNorm[a] = dual;
                    System.arraycopy(lg.gradient(), q * size, gradient, a * size, size);
                }
            }
        }
        return new Boundary(distance, dualNorm, gradient, rows);
    }

    /** L2 norm of a gradient for the L2 attack, L1 for L∞ (the dual norm measures distance to a hyperplane). */
    private double dualNorm(float[] gradient, int from, int size) {
        double out = 0;
        for (int j = from; j < from + size; j++) {
            out += norm == Norm.L2 ? (double) gradient[j] * gradient[j] : Math.abs(gradient[j]);
        }
        return norm == Norm.L2 ? Math.sqrt(out) : out;
    }

    /** Each image's candidate classes: all but its label, or the {@code candidates - 1} with highest clean logits. */
    private int[][] otherClasses(float[] logits, int[] labels, int n, int classes) {
        int keep = candidates == ALL_CLASSES ? classes - 1 : Math.min(candidates, classes) - 1;
        int[][] out = new int[n][];
        for (int i = 0; i < n; i++) {
            int row = i;
            int label = labels[i];
            out[i] = IntStream.range(0, classes).filter(c -> c != label).boxed()
                    .sorted((p, q) -> Float.compare(logits[row * classes + q], logits[row * classes + p]))
                    .limit(keep).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    private static int[] allImages(int n) {
        return IntStream.range(0, n).toArray();
    }

    /** The images of {@code active} whose prediction (one per active image) still reaches no goal. */
    private static int[] stillCorrect(int[] predicted, Goal goal, int[] active) {
        return IntStream.range(0, active.length).filter(a -> !goal.reached(active[a], predicted[a]))
                .map(a -> active[a]).toArray();
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "DeepFool %s, %d steps, overshoot %.3g, %s", norm.id(), steps, overshoot,
                candidates == ALL_CLASSES ? "all classes" : candidates + " candidate classes");
    }
}
