package org.mrw.protocol;

import java.util.Arrays;

/** A model loaded in the agent, as MODEL_INFO described it. */
public final class ModelHandle {

    private final int id;
    private final String runtime;
    private final String name;
    private final String sha256;
    private final int[] inputShape;
    private final boolean quantizedInput;
    private final int classes;
    private final long loadMillis;

    public ModelHandle(int id, String runtime, String name, String sha256, int[] inputShape, boolean quantizedInput,
            int classes, long loadMillis) {
        this.id = id;
        this.runtime = runtime;
        this.name = name;
        this.sha256 = sha256;
        this.inputShape = inputShape.clone();
        this.quantizedInput = quantizedInput;
        this.classes = classes;
        this.loadMillis = loadMillis;
    }

    /** The agent's id for this model, unique per agent process. */
    public int id() {
        return id;
    }

    public String runtime() {
        return runtime;
    }

    /** The file name the workbench gave. */
    public String name() {
        return name;
    }

    /** SHA-256 of the model file, lower-case hex. */
    public String sha256() {
        return sha256;
    }

    /** Input shape for a batch of one, in the model's own layout (e.g. [1,28,28,1]). */
    public int[] inputShape() {
        return inputShape.clone();
    }

    /** Floats per sample: the product of the input shape without its batch dimension. */
    public int sampleSize() {
        int n = 1;
        for (int i = 1; i < inputShape.length; i++) {
            n *= inputShape[i];
        }
        return n;
    }

    /** Whether the model takes int8/uint8 input (the agent quantises the floats it is sent). */
    public boolean quantizedInput() {
        return quantizedInput;
    }

    public int classes() {
        return classes;
    }

    /** How long the runtime took to load the model (and run one probe batch), in milliseconds. */
    public long loadMillis() {
        return loadMillis;
    }

    @Override
    public String toString() {
        return "model " + id + " " + name + " (" + runtime + ", input " + Arrays.toString(inputShape)
                + (quantizedInput ? " int8" : " float") + ", " + classes + " classes)";
    }
}
