package org.mrw.core.model;

import org.mrw.core.data.ImageBatch;

/**
 * Converts canonical batches (NCHW, [0,1]) to a model's input tensor, and model-input gradients back
 * to canonical coordinates. One implementation for every runtime, so a PyTorch and a TFLite model with
 * the same descriptor see exactly the same numbers.
 */
public final class Preprocessor {

    private final InputSpec spec;

    public Preprocessor(InputSpec spec) {
        this.spec = spec;
    }

    public InputSpec spec() {
        return spec;
    }

    /** Fails with a message naming both shapes when a batch does not fit the model. */
    public void checkShape(ImageBatch batch) {
        if (batch.channels() != spec.channels() || batch.height() != spec.height() || batch.width() != spec.width()) {
            throw new IllegalArgumentException("model expects " + spec.channels() + "x" + spec.height() + "x" + spec.width()
                    + " images but the batch holds " + batch.channels() + "x" + batch.height() + "x" + batch.width()
                    + "; choose a matching dataset or resize it (image folders take --resize and --crop, any dataset --channels)");
        }
    }

    /** Model input values for the batch, in the model's layout and channel order. */
    public float[] toModelInput(ImageBatch batch) {
        checkShape(batch);
        float[] in = batch.pixels();
        float[] out = new float[in.length];
        int c = spec.channels();
        int hw = spec.height() * spec.width();
        float scale = spec.rangeMax() - spec.rangeMin();
        boolean nhwc = spec.layout() == InputSpec.Layout.NHWC;
        for (int n = 0; n < batch.size(); n++) {
            int base = n * c * hw;
            for (int ch = 0; ch < c; ch++) {
                int src = sourceChannel(ch);
                float mean = spec.meanOf(ch);
                float std = spec.stdOf(ch);
                for (int p = 0; p < hw; p++) {
                    float v = (spec.rangeMin() + in[base + src * hw + p] * scale - mean) / std;
                    out[nhwc ? base + p * c + ch : base + ch * hw + p] = v;
                }
            }
        }
        return out;
    }

    /** Chain rule back through {@link #toModelInput}: d/d(canonical) from d/d(model input). */
    public float[] toCanonicalGradient(float[] modelGradient, int n) {
        int c = spec.channels();
        int hw = spec.height() * spec.width();
        if (modelGradient.length != (long) n * c * hw) {
            throw new IllegalArgumentException("gradient has " + modelGradient.length + " values, expected " + (long) n * c * hw);
        }
        float[] out = new float[modelGradient.length];
        float scale = spec.rangeMax() - spec.rangeMin();
        boolean nhwc = spec.layout() == InputSpec.Layout.NHWC;
        for (int i = 0; i < n; i++) {
            int base = i * c * hw;
            for (int ch = 0; ch < c; ch++) {
                int src = sourceChannel(ch);
                float factor = scale / spec.stdOf(ch);
                for (int p = 0; p < hw; p++) {
                    out[base + src * hw + p] = modelGradient[nhwc ? base + p * c + ch : base + ch * hw + p] * factor;
                }
            }
        }
        return out;
    }

    /** Which canonical (RGB) channel feeds model channel {@code ch}. */
    private int sourceChannel(int ch) {
        return spec.channels() == 3 && spec.channelOrder() == InputSpec.ChannelOrder.BGR ? 2 - ch : ch;
    }
}
