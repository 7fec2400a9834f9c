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
}
