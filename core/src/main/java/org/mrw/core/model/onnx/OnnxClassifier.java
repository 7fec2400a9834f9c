package org.mrw.core.model.onnx;

import java.nio.file.Path;
import org.mrw.core.model.InputSpec;

/** PLACEHOLDER: replaced by the real implementation before this lands. */
public abstract class OnnxClassifier implements org.mrw.core.model.Classifier {
    public static OnnxClassifier load(Path file, InputSpec spec) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
