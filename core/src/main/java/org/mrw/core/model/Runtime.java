package org.mrw.core.model;

/** The runtime that executes a model: a desktop engine or a mobile interpreter. */
public enum Runtime {
    PYTORCH("PyTorch", Framework.PYTORCH, false),
    PYTORCH_MOBILE("PyTorch Mobile", Framework.PYTORCH, true),
    TENSORFLOW("TensorFlow", Framework.TENSORFLOW, false),
    TFLITE("TensorFlow Lite", Framework.TENSORFLOW, true),
    ONNX_RUNTIME("ONNX Runtime", Framework.ONNX, false);

    private final String displayName;
    private final Framework framework;
    private final boolean mobile;

    Runtime(String displayName, Framework framework, boolean mobile) {
        this.displayName = displayName;
        this.framework = framework;
        this.mobile = mobile;
    }

    public String displayName() {
        return displayName;
    }

    public Framework framework() {
        return framework;
    }

    /** True for the on-device runtimes the study compares (TFLite, PyTorch Mobile). */
    public boolean mobile() {
        return mobile;
    }
}
