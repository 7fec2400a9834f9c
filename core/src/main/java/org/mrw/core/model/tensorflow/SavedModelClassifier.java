package org.mrw.core.model.tensorflow;

import java.nio.file.Path;
import org.mrw.core.model.InputSpec;

/** PLACEHOLDER: replaced by the real implementation before this lands. */
public abstract class SavedModelClassifier implements org.mrw.core.model.GradientClassifier {
    public static SavedModelClassifier load(Path file, InputSpec spec, boolean gradients) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
