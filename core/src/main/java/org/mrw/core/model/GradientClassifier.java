package org.mrw.core.model;

import org.mrw.core.data.ImageBatch;

/** A classifier that can also differentiate its loss with respect to its input (white-box attacks). */
public interface GradientClassifier extends Classifier {

    /**
     * Cross-entropy of every image against {@code labels}, and its gradient with respect to the
     * canonical input pixels ([0,1], NCHW): preprocessing is differentiated through, so the gradient
     * can be applied to the images the dataset handed out. Each image's gradient is that of its own
     * loss (sum reduction), independent of the batch it came in.
     */
    LossGradient lossGradient(ImageBatch batch, int[] labels);

    /**
     * Whether this instance was loaded for gradients ({@code Models.loadDifferentiable}); a float
     * model loaded for inference only implements this interface but answers false.
     */
    default boolean differentiable() {
        return true;
    }

    /**
     * The gradient of a weighted sum of logits, {@code Σ_k weights[i*classes+k]·z_ik}, with respect to
     * each image's canonical pixels (a vector–Jacobian product): DeepFool's class-difference gradients
     * and C&amp;W's margin gradient are such sums. Images do not interact, as in {@link #lossGradient}.
     *
     * @param weights {@code batch.size() * numClasses()} values, row-major
     */
    LogitGradient logitGradient(ImageBatch batch, float[] weights);
}
