package org.mrw.core.model.pytorch;

import java.nio.file.Path;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;

/** PLACEHOLDER. */
public abstract class TorchScriptClassifier implements org.mrw.core.model.GradientClassifier {
    public static TorchScriptClassifier load(Path file, ModelFormat format, InputSpec spec, boolean gradients) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
