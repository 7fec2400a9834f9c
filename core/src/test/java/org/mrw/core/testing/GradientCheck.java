package org.mrw.core.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Logits;

/**
 * Input gradients against central finite differences of the per-image loss computed from
 * {@code logits}, in canonical coordinates. Probes per image: random unit directions, the steepest
 * pixels and random pixels; the analytic and numeric directional derivatives of all probes form two
 * vectors whose cosine and norm ratio are reported (cosine ignores scale, and a lost factor such as
 * the range or std would be a uniform scale, so both are needed).
 */
public final class GradientCheck {

    /** Step in canonical pixel units: large enough for float32 losses, small against ReLU kinks. */
    private static final float STEP = 1e-2f;
    private static final int DIRECTIONS = 4;
    private static final int PIXELS = 8;

    /** Cosine of the two vectors, ‖analytic‖/‖numeric‖, and how many probes made them. */
    public record Result(double cosine, double normRatio, int probes) {
    }

    private GradientCheck() {
    }

    /** Runs the check on {@code batch} with its own labels (choose labels that give a non-tiny loss). */
    public static Result run(GradientClassifier classifier, ImageBatch batch, long seed) {
        float[] gradient = classifier.lossGradient(batch, batch.labels()).gradient();
        int per = batch.imageSize();
        Random random = new Random(seed);
        List<float[]> directions = new ArrayList<>();
        List<Integer> owners = new ArrayList<>();
        for (int i = 0; i < batch.size(); i++) {
            int image = i;
            for (int k = 0; k < DIRECTIONS; k++) {
                directions.add(unitGaussian(per, random));
                owners.add(i);
            }
            IntStream.range(0, per).boxed()
                    .sorted(Comparator.comparingDouble(p -> -Math.abs(gradient[image * per + p])))
                    .limit(PIXELS).forEach(p -> {
                        directions.add(basis(per, p));
                        owners.add(image);
                    });
            for (int k = 0; k < PIXELS; k++) {
                directions.add(basis(per, random.nextInt(per)));
                owners.add(i);
            }
        }
        // All perturbed images in one batch: image 2j is x+h*d_j, image 2j+1 is x-h*d_j.
        int probes = directions.size();
        float[] pixels = new float[2 * probes * per];
        int[] labels = new int[2 * probes];
        for (int j = 0; j < probes; j++) {
            int owner = owners.get(j);
            for (int p = 0; p < per; p++) {
                float x = batch.pixels()[owner * per + p];
                pixels[(2 * j) * per + p] = x + STEP * directions.get(j)[p];
                pixels[(2 * j + 1) * per + p] = x - STEP * directions.get(j)[p];
            }
            labels[2 * j] = batch.labels()[owner];
            labels[2 * j + 1] = batch.labels()[owner];
        }
        ImageBatch perturbed = new ImageBatch(pixels, labels, batch.channels(), batch.height(), batch.width());
        float[] loss = Logits.crossEntropy(classifier.logits(perturbed), labels, classifier.numClasses());
        double[] numeric = new double[probes];
        double[] analytic = new double[probes];
        for (int j = 0; j < probes; j++) {
            numeric[j] = ((double) loss[2 * j] - loss[2 * j + 1]) / (2.0 * STEP);
            for (int p = 0; p < per; p++) {
                analytic[j] += (double) gradient[owners.get(j) * per + p] * directions.get(j)[p];
            }
        }
        return new Result(dot(numeric, analytic) / Math.sqrt(dot(numeric, numeric) * dot(analytic, analytic)),
                Math.sqrt(dot(analytic, analytic) / dot(numeric, numeric)), probes);
    }

    private static float[] unitGaussian(int size, Random random) {
        float[] d = new float[size];
        double norm = 0;
        for (int p = 0; p < size; p++) {
            d[p] = (float) random.nextGaussian();
            norm += d[p] * d[p];
        }
        for (int p = 0; p < size; p++) {
            d[p] /= (float) Math.sqrt(norm);
        }
        return d;
    }

    private static float[] basis(int size, int index) {
        float[] d = new float[size];
        d[index] = 1f;
        return d;
    }

    private static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }
}
