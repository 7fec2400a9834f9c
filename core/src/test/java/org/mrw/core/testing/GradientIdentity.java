package org.mrw.core.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.LogitGradient;
import org.mrw.core.model.LossGradient;

/**
 * An exact identity between a classifier's two gradient entry points: the cross-entropy gradient is
 * the vector–Jacobian product with weights softmax(z) − onehot(y). It checks
 * {@link GradientClassifier#logitGradient} wherever {@code lossGradient} is already checked by finite differences.
 */
public final class GradientIdentity {

    private GradientIdentity() {
    }

    public static void assertLossGradientIsAVectorJacobianProduct(GradientClassifier model, ImageBatch batch) {
        int k = model.numClasses();
        LossGradient loss = model.lossGradient(batch, batch.labels());
        float[] weights = new float[batch.size() * k];
        for (int i = 0; i < batch.size(); i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, loss.logits()[i * k + c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(loss.logits()[i * k + c] - max);
            }
            for (int c = 0; c < k; c++) {
                weights[i * k + c] = (float) (Math.exp(loss.logits()[i * k + c] - max) / sum) - (c == batch.labels()[i] ? 1f : 0f);
            }
        }
        LogitGradient vjp = model.logitGradient(batch, weights);
        assertThat(vjp.logits()).containsExactly(loss.logits(), within(1e-4f));
        double scale = 0;
        for (float g : loss.gradient()) {
            scale = Math.max(scale, Math.abs(g));
        }
        assertThat(scale).as("loss gradient magnitude").isGreaterThan(0);
        assertThat(vjp.gradient()).containsExactly(loss.gradient(), within((float) (scale * 1e-3)));
    }
}
