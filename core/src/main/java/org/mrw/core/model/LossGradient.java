package org.mrw.core.model;

/**
 * Result of one forward/backward pass.
 *
 * @param logits   {@code n * classes} scores of the forward pass
 * @param loss     per-image cross-entropy
 * @param gradient d(loss_i)/d(pixels_i) in canonical NCHW [0,1] coordinates, same length as the pixels
 */
public record LossGradient(float[] logits, float[] loss, float[] gradient) {
}
