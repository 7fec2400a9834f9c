package org.mrw.core.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mrw.core.model.Classifier;

/**
 * Evaluates adversarials made on one model (the source) on another (the target), batch by batch as
 * the source's sweep produces them: the transfer setting, e.g. float PyTorch adversarials judged by
 * the int8 or TFLite twin. Pass it as {@link AttackRunner#run}'s sink; the source is recorded.
 */
public final class Transfer implements Consumer<BatchOutcome> {

    /**
     * One target's result.
     *
     * @param source        the model the adversarials were generated on
     * @param target        the model that judged them
     * @param samples       images judged
     * @param cleanAccuracy the target's accuracy on the clean images
     * @param results       per ε: the target's accuracy on the adversarials, and the success rate among
     *                      images the target classified correctly when clean
     */
    public record Report(String source, String target, int samples, double cleanAccuracy, List<Result> results) {
    }

    /** One budget on the target; {@code roundedAccuracy} is NaN without 8-bit rounding. */
    public record Result(double epsilon, double accuracy, double successRate, double roundedAccuracy) {
    }

    private final Classifier target;
    private final String source;
    private int samples;
    private int cleanCorrect;
    private double[] epsilons;
    private int[] correct;
    private int[] successes;
    private int[] roundedCorrect;
    private boolean rounded;

    public Transfer(Classifier source, Classifier target) {
        this.source = source.info().id();
        this.target = target;
    }

    @Override
    public void accept(BatchOutcome b) {
        int n = b.clean().size();
        int[] y = b.clean().labels();
        if (epsilons == null) {
            epsilons = b.epsilons().stream().mapToDouble(EpsilonOutcome::epsilon).toArray();
            correct = new int[epsilons.length];
            successes = new int[epsilons.length];
            roundedCorrect = new int[epsilons.length];
        }
        int[] clean = target.predict(b.clean());
        for (int e = 0; e < epsilons.length; e++) {
            EpsilonOutcome o = b.epsilons().get(e);
            int[] p = target.predict(b.clean().withPixels(o.pixels()));
            int[] r = null;
            if (o.rounded() != null) {
                rounded = true;
                r = target.predict(b.clean().withPixels(o.rounded().pixels()));
            }
            for (int i = 0; i < n; i++) {
                if (p[i] == y[i]) {
                    correct[e]++;
                }
                if (clean[i] == y[i] && b.goal().reached(i, p[i])) {
                    successes[e]++;
                }
                if (r != null && r[i] == y[i]) {
                    roundedCorrect[e]++;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (clean[i] == y[i]) {
                cleanCorrect++;
            }
        }
        samples += n;
    }

    /** The model judging the adversarials. */
    public Classifier target() {
        return target;
    }

    public Report report() {
        List<Result> results = new ArrayList<>();
        for (int e = 0; epsilons != null && e < epsilons.length; e++) {
            results.add(new Result(epsilons[e], (double) correct[e] / samples,
                    cleanCorrect == 0 ? Double.NaN : (double) successes[e] / cleanCorrect,
                    rounded ? (double) roundedCorrect[e] / samples : Double.NaN));
        }
        return new Report(source, target.info().id(), samples, samples == 0 ? Double.NaN : (double) cleanCorrect / samples,
                List.copyOf(results));
    }
}
