package org.mrw.core.attack;

import java.util.Locale;
import java.util.SplittableRandom;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;

/**
 * Boundary Attack (Brendel, Rauber and Bethge, "Decision-Based Adversarial Attacks", ICLR 2018): a
 * decision-based L2 minimisation. It starts from an adversarial image and walks along the decision
 * boundary towards the clean image, needing nothing but predicted labels.
 *
 * <ul>
 *   <li>Start ({@link DecisionStart}): up to {@value #START_DRAWS} uniform-noise draws per image until one
 *       reaches the goal (with {@code DATA}, then the nearest other batch image that does), then a
 *       binary search (to 1/1000 of the line) along the line to the clean image. A targeted goal needs
 *       noise the model puts in the target class; images for which none of the draws does are reported
 *       as not found (minimal +∞), never as a made-up success.</li>
 *   <li>Each step draws {@code directions} (default {@value #DEFAULT_DIRECTIONS}) proposals per image: an
 *       orthogonal step on the sphere around the clean image of relative size {@code spherical}, then a
 *       step of relative size {@code source} towards it. Both the spherical point and the full proposal
 *       are queried, for every image in one model call ({@code 2·directions·n} images), so a step costs
 *       {@code 2·directions} queries per image. The closest adversarial proposal replaces the current point.</li>
 *   <li>Step sizes start at 0.01 and adapt by ×/÷1.5 every {@value #ADAPT_SAMPLES} proposals per image
 *       (as in Foolbox): a spherical success rate above 50% grows both steps, below 20% shrinks them;
 *       the full proposals' rate does the same to the source step alone. An image stops when its source
 *       step falls below 1e-7 (converged).</li>
 *   <li>Default {@value #DEFAULT_STEPS} steps ({@code --steps}), i.e. at most 10 000 queries per image plus
 *       the start.</li>
 * </ul>
 *
 * <p>Every found point is re-queried at the end; only confirmed ones count (see {@link Adversarials#fromMinimal}).
 */
public final class BoundaryAttack implements Attack {

    private static final AttackTraits TRAITS = AttackTraits.minimising("boundary", Norm.L2, Access.DECISIONS, true);

    public static final int DEFAULT_STEPS = 1000;
    public static final int DEFAULT_DIRECTIONS = 5;
    static final int START_DRAWS = 100;
    static final int ADAPT_SAMPLES = 50;
    private static final double INITIAL_STEP = 0.01;
    private static final double ADAPTATION = 1.5;
    private static final double CONVERGED = 1e-7;
    static final double START_TOLERANCE = 1e-3;

    private final int steps;
    private final int directions;
    private final DecisionStart start;

    public BoundaryAttack() {
        this(DEFAULT_STEPS, DEFAULT_DIRECTIONS);
    }

    public BoundaryAttack(int steps, int directions) {
        this(steps, directions, DecisionStart.NOISE);
    }

    /**
     * @param steps      iterations, {@code >= 1}
     * @param directions proposals per image per step, {@code >= 1}
     * @param start      how the first adversarial point is found
     */
    public BoundaryAttack(int steps, int directions, DecisionStart start) {
        if (steps < 1 || steps > 1_000_000) {
            throw new AttackException("boundary: steps must be in 1..1000000, got " + steps);
        }
        if (directions < 1 || directions > 1000) {
            throw new AttackException("boundary: directions must be in 1..1000, got " + directions);
        }
        this.steps = steps;
        this.directions = directions;
        this.start = java.util.Objects.requireNonNull(start, "start");
    }

    @Override
    public AttackTraits traits() {
        return TRAITS;
    }

    public int steps() {
        return steps;
    }

    @Override
    public Adversarials generate(Classifier model, ImageBatch clean, Goal goal, double[] epsilons, AttackContext context) {
        WhiteBox.checkEpsilons(epsilons, true);
        int n = clean.size();
        int size = clean.imageSize();
        float[] original = clean.pixels();
        Oracle oracle = new Oracle(model, clean, goal);
        SplittableRandom rng = context.random();

        DecisionSearch.Start start = DecisionSearch.start(this.start, oracle, original, n, size, START_DRAWS, rng, context);
        float[] best = start.points();
        boolean[] walking = new boolean[n];
        for (int i = 0; i < n; i++) {
            walking[i] = start.found()[i] && !start.cleanAlready()[i];
        }
        DecisionSearch.towardsClean(oracle, original, best, DecisionSearch.indicesOf(walking), size, START_TOLERANCE, context);
        context.progress().update(0, steps, startMessage(start, n, goal));

        double[] spherical = new double[n];
        double[] source = new double[n];
        java.util.Arrays.fill(spherical, INITIAL_STEP);
        java.util.Arrays.fill(source, INITIAL_STEP);
        int[] sphericalHits = new int[n];
        int[] fullHits = new int[n];
        int[] tried = new int[n];
        double[] distance = new double[n];
        for (int i = 0; i < n; i++) {
            distance[i] = DecisionSearch.distance(best, original, i, size);
        }
        for (int s = 0; s < steps; s++) {
            context.checkCancelled();
            int[] active = DecisionSearch.indicesOf(walking);
            if (active.length == 0) {
                break;
            }
            int per = 2 * directions;
            float[] proposals = new float[active.length * per * size];
            int[] owners = new int[active.length * per];
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                for (int d = 0; d < directions; d++) {
                    int slot = k * per + 2 * d;
                    propose(original, best, i, size, spherical[i], source[i], rng, proposals, slot);
                    owners[slot] = i;
                    owners[slot + 1] = i;
                }
            }
            boolean[] adversarial = oracle.reached(proposals, owners);
            for (int k = 0; k < active.length; k++) {
                int i = active[k];
                int chosen = -1;
                double chosenDistance = distance[i];
                for (int d = 0; d < directions; d++) {
                    int slot = k * per + 2 * d;
                    sphericalHits[i] += adversarial[slot] ? 1 : 0;
                    if (adversarial[slot + 1]) {
                        fullHits[i]++;
                        double dist = l2(proposals, slot + 1, original, i, size);
                        // the full proposals differ in length only through clipping; keep the closest
                        if (dist < chosenDistance) {
                            chosen = slot + 1;
                            chosenDistance = dist;
                        }
                    }
                }
                if (chosen >= 0) {
                    System.arraycopy(proposals, chosen * size, best, i * size, size);
                    distance[i] = chosenDistance;
                }
                tried[i] += directions;
                if (tried[i] >= ADAPT_SAMPLES) {
                    adapt(i, spherical, source, sphericalHits[i] / (double) tried[i], fullHits[i] / (double) tried[i]);
                    sphericalHits[i] = 0;
                    fullHits[i] = 0;
                    tried[i] = 0;
                    walking[i] = source[i] >= CONVERGED;
                }
            }
            context.progress().update(s + 1, steps, String.format(Locale.ROOT, "boundary step %d/%d, median L2 %.4g",
                    s + 1, steps, median(distance, start.found())));
        }
        boolean[] confirmed = DecisionSearch.confirm(oracle, best, start.found(), size);
        return Adversarials.fromMinimal(original, best, confirmed, size, Norm.L2, epsilons, oracle.queries() / (double) n);
    }

    /**
     * Writes the spherical point and the full proposal for image {@code i} into slots {@code slot} and
     * {@code slot+1} of {@code out} (Brendel et al. 2018, Sec. 3.2, as in Foolbox's implementation).
     */
    private static void propose(float[] original, float[] current, int i, int size, double spherical, double source,
                                SplittableRandom rng, float[] out, int slot) {
        int base = i * size;
        double[] towards = new double[size];
        double sourceNorm = 0;
        for (int j = 0; j < size; j++) {
            towards[j] = original[base + j] - current[base + j];
            sourceNorm += towards[j] * towards[j];
        }
        sourceNorm = Math.sqrt(sourceNorm);
        double[] noise = new double[size];
        double dot = 0;
        for (int j = 0; j < size; j++) {
            noise[j] = Pgd.gaussian(rng);
            dot += noise[j] * towards[j];
        }
        // orthogonal to the line to the clean image, of length spherical·‖x−x0‖
        double dotScale = sourceNorm > 0 ? dot / (sourceNorm * sourceNorm) : 0;
        double noiseNorm = 0;
        for (int j = 0; j < size; j++) {
            noise[j] -= dotScale * towards[j];
            noiseNorm += noise[j] * noise[j];
        }
        noiseNorm = Math.sqrt(noiseNorm);
        double scale = noiseNorm > 0 ? spherical * sourceNorm / noiseNorm : 0;
        // rescaling by 1/√(1+s²) puts the point back on the sphere of radius ‖x−x0‖
        double back = 1 / Math.sqrt(spherical * spherical + 1);
        int sph = slot * size;
        double newNorm = 0;
        for (int j = 0; j < size; j++) {
            double v = original[base + j] + back * (noise[j] * scale - towards[j]);
            float f = (float) Math.min(1.0, Math.max(0.0, v));
            out[sph + j] = f;
            double d = original[base + j] - f;
            newNorm += d * d;
        }
        newNorm = Math.sqrt(newNorm);
        // step towards the clean image by source·‖x−x0‖, measured from the (clipped) spherical point
        double length = newNorm > 0 ? Math.max(0, source * sourceNorm + newNorm - sourceNorm) / newNorm : 0;
        int full = (slot + 1) * size;
        for (int j = 0; j < size; j++) {
            float f = out[sph + j];
            double v = f + length * (original[base + j] - f);
            out[full + j] = (float) Math.min(1.0, Math.max(0.0, v));
        }
    }

    /** L2 distance between image {@code a} of {@code x} and image {@code b} of {@code y}. */
    private static double l2(float[] x, int a, float[] y, int b, int size) {
        double sum = 0;
        for (int j = 0; j < size; j++) {
            double d = (double) x[a * size + j] - y[b * size + j];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    private static void adapt(int i, double[] spherical, double[] source, double sphericalRate, double fullRate) {
        if (sphericalRate > 0.5) {
            spherical[i] *= ADAPTATION;
            source[i] *= ADAPTATION;
        } else if (sphericalRate < 0.2) {
            spherical[i] /= ADAPTATION;
            source[i] /= ADAPTATION;
        }
        if (fullRate > 0.5) {
            source[i] *= ADAPTATION;
        } else if (fullRate < 0.2) {
            source[i] /= ADAPTATION;
        }
    }

    static String startMessage(DecisionSearch.Start start, int n, Goal goal) {
        int missing = n - start.count();
        return missing == 0 ? "start found for all " + n + " images"
                : "no " + (goal.isTargeted() ? "start in the target class" : "adversarial start") + " for " + missing
                + " of " + n + " images after " + START_DRAWS + " noise draws";
    }

    static double median(double[] values, boolean[] include) {
        double[] kept = new double[values.length];
        int c = 0;
        for (int i = 0; i < values.length; i++) {
            if (include[i]) {
                kept[c++] = values[i];
            }
        }
        if (c == 0) {
            return Double.NaN;
        }
        kept = java.util.Arrays.copyOf(kept, c);
        java.util.Arrays.sort(kept);
        return c % 2 == 1 ? kept[c / 2] : (kept[c / 2 - 1] + kept[c / 2]) / 2;
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "Boundary l2, %d steps, %d directions per step%s", steps, directions,
                start == DecisionStart.NOISE ? "" : ", " + start.id() + " start");
    }
}
