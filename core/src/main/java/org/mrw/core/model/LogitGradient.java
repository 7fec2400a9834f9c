package org.mrw.core.model;

/**
 * Result of a vector–Jacobian product through the model (see {@link GradientClassifier#logitGradient}).
 *
 * @param logits   {@code n * classes} scores of the forward pass
 * @param gradient d(Σ_k w_ik·z_ik)/d(pixels_i) in canonical NCHW [0,1] coordinates
 */
public record LogitGradient(float[] logits, float[] gradient) {
}
