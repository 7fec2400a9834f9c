package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mrw.core.model.Classifier;

/**
 * A sweep's summary over all attacked images, plus per-image predictions (small: no pixels).
 *
 * <p>Definitions: {@code accuracy} is the fraction of all images whose adversarial is classified
 * correctly; {@code successRate} is the fraction of the clean-correct images whose adversarial reaches
 * the goal (images the model already gets wrong are not counted as successes); {@code medianL2} is the
 * median L2 length of those successful perturbations (NaN when there are none).
 *
 * @param attack         the attack's description
 * @param attackName     its short id
 * @param model          the attacked model's id
 * @param dataset        the dataset's name
 * @param samples        images attacked (fewer than asked when cancelled)
 * @param cleanAccuracy  accuracy on the clean images
 * @param results        one summary per ε, sweep order
 * @param labels         true label per image
 * @param cleanPredictions clean prediction per image
 * @param predictions    per ε, the adversarial prediction per image
 * @param minimal        minimisation attacks: per-image minimal perturbation, else null
 * @param queries        model queries per image
 * @param seconds        wall time
 * @param cancelled      whether the run stopped early
 */
public record AttackReport(String attack, String attackName, String model, String dataset, int samples, double cleanAccuracy,
                           List<Summary> results, int[] labels, int[] cleanPredictions, int[][] predictions,
                           double[] minimal, double queries, double seconds, boolean cancelled) {

    /**
     * One budget.
     *
     * @param effectiveEpsilon  with 8-bit rounding: the largest perturbation after rounding (attack's norm), else NaN
     * @param roundedAccuracy   with 8-bit rounding: accuracy on the rounded adversarials, else NaN
     * @param roundedSuccessRate with 8-bit rounding: success rate after rounding, else NaN
     */
    public record Summary(double epsilon, double accuracy, double successRate, double medianL2,
                          double effectiveEpsilon, double roundedAccuracy, double roundedSuccessRate) {
    }

    /** Accumulates batch outcomes in order. */
    static final class Builder {
        private final Attack attack;
        private final String model;
        private final String dataset;
        private final AttackRunner.Options options;
        private final int sweeps;
        private final List<int[]> labels = new ArrayList<>();
        private final List<int[]> clean = new ArrayList<>();
        private final List<int[][]> adversarial = new ArrayList<>();
        private final List<double[]> minimal = new ArrayList<>();
        private final List<List<Double>> successL2;
        private final int[] correct;
        private final int[] successes;
        private final int[] roundedCorrect;
        private final int[] roundedSuccesses;
        private final double[] effective;
        private int samples;
        private int cleanCorrect;
        private double queryTotal;
        private boolean cancelled;

        Builder(Attack attack, Classifier model, String dataset, AttackRunner.Options options) {
            this.attack = attack;
            this.model = model.info().id();
            this.dataset = dataset;
            this.options = options;
            this.sweeps = options.epsilons().length;
            this.correct = new int[sweeps];
            this.successes = new int[sweeps];
            this.roundedCorrect = new int[sweeps];
            this.roundedSuccesses = new int[sweeps];
            this.effective = new double[sweeps];
            this.successL2 = new ArrayList<>();
            for (int e = 0; e < sweeps; e++) {
                successL2.add(new ArrayList<>());
            }
        }

        void add(BatchOutcome b) {
            int n = b.clean().size();
            int[] y = b.clean().labels();
            labels.add(y);
            clean.add(b.cleanPredictions());
            int[][] preds = new int[sweeps][];
            for (int e = 0; e < sweeps; e++) {
                EpsilonOutcome o = b.epsilons().get(e);
                preds[e] = o.predictions();
                for (int i = 0; i < n; i++) {
                    boolean cleanOk = b.cleanPredictions()[i] == y[i];
                    if (o.predictions()[i] == y[i]) {
                        correct[e]++;
                    }
                    if (cleanOk && o.success()[i]) {
                        successes[e]++;
                        successL2.get(e).add(o.l2()[i]);
                    }
                    if (o.rounded() != null) {
                        if (o.rounded().predictions()[i] == y[i]) {
                            roundedCorrect[e]++;
                        }
                        if (cleanOk && o.rounded().success()[i]) {
                            roundedSuccesses[e]++;
                        }
                        effective[e] = Math.max(effective[e], o.rounded().distance()[i]);
                    }
                }
            }
            adversarial.add(preds);
            if (b.minimal() != null) {
                minimal.add(b.minimal());
            }
            for (int i = 0; i < n; i++) {
                if (b.cleanPredictions()[i] == y[i]) {
                    cleanCorrect++;
                }
            }
            queryTotal += b.queries() * n;
            samples += n;
        }

        void cancelled() {
            cancelled = true;
        }

        AttackReport build(double seconds) {
            List<Summary> results = new ArrayList<>();
            for (int e = 0; e < sweeps; e++) {
                double acc = samples == 0 ? Double.NaN : (double) correct[e] / samples;
                double rate = cleanCorrect == 0 ? Double.NaN : (double) successes[e] / cleanCorrect;
                boolean r = options.round8();
                results.add(new Summary(options.epsilons()[e], acc, rate, median(successL2.get(e)),
                        r ? effective[e] : Double.NaN,
                        r && samples > 0 ? (double) roundedCorrect[e] / samples : Double.NaN,
                        r && cleanCorrect > 0 ? (double) roundedSuccesses[e] / cleanCorrect : Double.NaN));
            }
            int[][] perEpsilon = new int[sweeps][];
            for (int e = 0; e < sweeps; e++) {
                int k = e;
                perEpsilon[e] = concat(adversarial.stream().map(p -> p[k]).toList());
            }
            return new AttackReport(attack.describe(), attack.name(), model, dataset, samples,
                    samples == 0 ? Double.NaN : (double) cleanCorrect / samples, List.copyOf(results), concat(labels),
                    concat(clean), perEpsilon, minimal.isEmpty() ? null : concatDoubles(minimal),
                    samples == 0 ? 0 : queryTotal / samples, seconds, cancelled);
        }

        private static int[] concat(List<int[]> parts) {
            return parts.stream().flatMapToInt(Arrays::stream).toArray();
        }

        private static double[] concatDoubles(List<double[]> parts) {
            return parts.stream().flatMapToDouble(Arrays::stream).toArray();
        }
    }

    /** Median of the values, NaN for none. */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }
}
