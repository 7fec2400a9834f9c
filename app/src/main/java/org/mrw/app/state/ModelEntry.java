package org.mrw.app.state;

import java.nio.file.Path;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;

/**
 * A model in the workbench's library: a file, its format and input descriptor, and where it came from.
 *
 * @param id           zoo id ("resnet_int8_tflite") or the file name for opened files
 * @param reference    what a spec names it by: "zoo:ID" or the file's path
 * @param framework    display name of the framework family (TensorFlow, PyTorch, ONNX)
 * @param runtime      the runtime that executes it (e.g. "PyTorch", "TFLite", "PyTorch Lite", "ONNX Runtime")
 * @param int8         quantized
 * @param zooAccuracy  the zoo manifest's accuracy on the test split, NaN for opened files
 */
public record ModelEntry(String id, String reference, Path file, ModelFormat format, String framework, String runtime,
                         boolean int8, InputSpec descriptor, long bytes, double zooAccuracy) {

    /** "float" or "int8". */
    public String variantName() {
        return int8 ? "int8" : "float";
    }

    /** "1×28×28" style input shape (channels × height × width). */
    public String inputShape() {
        return descriptor == null ? "?" : descriptor.channels() + "×" + descriptor.height() + "×" + descriptor.width();
    }

    /** Whether it comes from the bundled zoo. */
    public boolean fromZoo() {
        return reference.startsWith("zoo:");
    }
}
