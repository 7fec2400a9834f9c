package org.mrw.core.model;

/** On-disk model formats the workbench reads. */
public enum ModelFormat {
    /** TorchScript archive saved by {@code torch.jit.save} ({@code .pt}). */
    TORCHSCRIPT("TorchScript", Runtime.PYTORCH),
    /** Lite-interpreter TorchScript for PyTorch Mobile ({@code .ptl}). */
    TORCHSCRIPT_LITE("TorchScript Lite", Runtime.PYTORCH_MOBILE),
    /** TensorFlow SavedModel folder (holds {@code saved_model.pb}). */
    SAVED_MODEL("TensorFlow SavedModel", Runtime.TENSORFLOW),
    /** TensorFlow Lite flatbuffer ({@code .tflite}). */
    TFLITE("TensorFlow Lite", Runtime.TFLITE),
    /** ONNX protobuf ({@code .onnx}). */
    ONNX("ONNX", Runtime.ONNX_RUNTIME);

    private final String displayName;
    private final Runtime runtime;

    ModelFormat(String displayName, Runtime runtime) {
        this.displayName = displayName;
        this.runtime = runtime;
    }

    public String displayName() {
        return displayName;
    }

    /** The runtime that natively runs this format (a {@code .ptl} also loads in desktop PyTorch). */
    public Runtime runtime() {
        return runtime;
    }
}
