package org.mrw.core.model.eval;

/**
 * Clean accuracy of one model on one dataset.
 *
 * @param samples         images evaluated
 * @param correct         images classified as labelled
 * @param seconds         wall time of the forward passes
 * @param predictions     predicted class of every image, in dataset order
 */
public record Evaluation(int samples, int correct, double seconds, int[] predictions) {

    public double accuracy() {
        return samples == 0 ? 0 : correct / (double) samples;
    }

    public double imagesPerSecond() {
        return seconds <= 0 ? 0 : samples / seconds;
    }
}
