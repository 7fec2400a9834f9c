package org.mrw.core.testing;

import java.util.Random;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.Logits;

/**
 * Compares a classifier's analytic input gradient with central finite differences of its own loss,
 * along random directions: the directional derivatives {@code g·d} and {@code (L(x+hd)-L(x-hd))/2h}
 * of all images and directions form two vectors, whose cosine and norm ratio are reported.
 */
public final class GradientCheck {

    /** Cosine of the two vectors and ‖analytic‖/‖numeric‖. */
    public record Result(double cosine, double normRatio) {
    }

    private GradientCheck() {
    }

    public static Result run(GradientClassifier model, ImageBatch batch, int directions, double step, long seed) {
        int[] labels = batch.labels();
        LossGradient lg = model.lossGradient(batch, labels);
        Random rng = new Random(seed);
        int n = batch.size();
        int per = batch.imageSize();
        double[] analytic = new double[n * directions];
        double[] numeric = new double[n * directions];
        for (int k = 0; k < directions; k++) {
            float[] d = new float[batch.pixels().length];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) rng.nextGaussian();
            }
            float[] plus = batch.pixels().clone();
            float[] minus = batch.pixels().clone();
            for (int i = 0; i < d.length; i++) {
                plus[i] += (float) step * d[i];
                minus[i] -= (float) step * d[i];
            }
            float[] lossPlus = Logits.crossEntropy(model.logits(batch.withPixels(plus)), labels, model.numClasses());
            float[] lossMinus = Logits.crossEntropy(model.logits(batch.withPixels(minus)), labels, model.numClasses());
            for (int s = 0; s < n; s++) {
                double dot = 0;
                for (int i = 0; i < per; i++) {
                    dot += (double) lg.gradient()[s * per + i] * d[s * per + i];
                }
                analytic[s * directions + k] = dot;
                numeric[s * directions + k] = (lossPlus[s] - lossMinus[s]) / (2 * step);
            }
        }
        double dot = 0;
        double na = 0;
        double nn = 0;
        for (int i = 0; i < analytic.length; i++) {
            dot += analytic[i] * numeric[i];
            na += analytic[i] * analytic[i];
            nn += numeric[i] * numeric[i];
        }
        return new Result(dot / Math.sqrt(na * nn), Math.sqrt(na / nn));
    }
}
