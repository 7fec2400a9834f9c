package org.mrw.core.model.tflite;

import java.nio.file.Path;
import org.mrw.core.model.InputSpec;

/** PLACEHOLDER: replaced by the real implementation before this lands. */
public abstract class TfliteClassifier implements org.mrw.core.model.Classifier {
    public static TfliteClassifier load(Path file, InputSpec spec) {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
