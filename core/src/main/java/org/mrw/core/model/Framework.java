package org.mrw.core.model;

/** The framework family a model belongs to; it picks the colour in every chart. */
public enum Framework {
    TENSORFLOW("TensorFlow"),
    PYTORCH("PyTorch"),
    ONNX("ONNX");

    private final String displayName;

    Framework(String displayName) {
        this.displayName = displayName;
    }

    public String displayName() {
        return displayName;
    }
}
