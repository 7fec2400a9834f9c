package org.mrw.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.mrw.core.model.onnx.OnnxClassifier;
import org.mrw.core.model.pytorch.TorchScriptClassifier;
import org.mrw.core.model.tensorflow.SavedModelClassifier;
import org.mrw.core.model.tflite.TfliteClassifier;

/**
 * Opens any supported model file with the runtime for its format. The format comes from the file
 * itself (folder with {@code saved_model.pb}, zip, {@code TFL3} flatbuffer, ONNX protobuf) and the
 * extension; the descriptor from the argument, else the JSON beside the model, else the file.
 */
public final class Models {

    private Models() {
    }

    /** Loads for inference. {@code descriptor} may be null. */
    public static Classifier load(Path file, InputSpec descriptor) {
        return load(file, descriptor, null);
    }

    /**
     * Loads for inference. The input spec is, in order: {@code descriptor}, the JSON beside the model,
     * what the file itself records, and last {@code fallback} (typically plain [0,1] input shaped like
     * the dataset) for formats that record no input shape, such as TorchScript.
     */
    public static Classifier load(Path file, InputSpec descriptor, InputSpec fallback) {
        ModelFormat format = detect(file);
        InputSpec spec = descriptor != null ? descriptor : besideOrNull(file);
        return switch (format) {
            case TORCHSCRIPT, TORCHSCRIPT_LITE -> TorchScriptClassifier.load(file, format, spec != null ? spec : fallback, false);
            case SAVED_MODEL -> SavedModelClassifier.load(file, spec, false);
            case TFLITE -> TfliteClassifier.load(file, spec);
            case ONNX -> OnnxClassifier.load(file, spec, fallback);
        };
    }

    /** Loads for white-box attacks; {@code descriptor} may be null. */
    public static GradientClassifier loadDifferentiable(Path file, InputSpec descriptor) {
        return loadDifferentiable(file, descriptor, null);
    }

    /**
     * Loads for white-box attacks. Only PyTorch TorchScript and TensorFlow SavedModels can be
     * differentiated; for other formats the message says to attack the float source and transfer.
     * The spec is resolved as in {@link #load(Path, InputSpec, InputSpec)}.
     */
    public static GradientClassifier loadDifferentiable(Path file, InputSpec descriptor, InputSpec fallback) {
        ModelFormat format = detect(file);
        InputSpec spec = descriptor != null ? descriptor : besideOrNull(file);
        return switch (format) {
            case TORCHSCRIPT, TORCHSCRIPT_LITE -> TorchScriptClassifier.load(file, format, spec != null ? spec : fallback, true);
            case SAVED_MODEL -> SavedModelClassifier.load(file, spec, true);
            case TFLITE, ONNX -> throw new ModelLoadException(file, format.displayName(),
                    "this runtime has no input gradients; attack its float PyTorch or TensorFlow twin and evaluate the "
                            + "adversarials here (transfer), or use a black-box attack");
        };
    }

    private static InputSpec besideOrNull(Path file) {
        Path beside = InputSpec.besideModel(file);
        return Files.isRegularFile(beside) ? InputSpec.read(beside) : null;
    }

    /** The format of {@code file}, from its content first and its name second. */
    public static ModelFormat detect(Path file) {
        if (!Files.exists(file)) {
            throw new ModelLoadException(file, "a model", "no such file or folder");
        }
        if (Files.isDirectory(file)) {
            if (Files.isRegularFile(file.resolve("saved_model.pb"))) {
                return ModelFormat.SAVED_MODEL;
            }
            throw new ModelLoadException(file, ModelFormat.SAVED_MODEL.displayName(),
                    "the folder holds no saved_model.pb (a SavedModel folder needs saved_model.pb and variables/)");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        byte[] head = head(file);
        boolean zip = head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4;
        boolean tfl3 = head.length >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3';
        if (name.endsWith(".ptl")) {
            return ModelFormat.TORCHSCRIPT_LITE;
        }
        if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
            return ModelFormat.TORCHSCRIPT;
        }
        if (name.endsWith(".tflite") || tfl3) {
            return ModelFormat.TFLITE;
        }
        if (name.endsWith(".onnx")) {
            return ModelFormat.ONNX;
        }
        if (name.endsWith(".pb")) {
            return ModelFormat.SAVED_MODEL;
        }
        if (zip) {
            return ModelFormat.TORCHSCRIPT;
        }
        throw new ModelLoadException(file, "any known format",
                "unrecognised file; expected .pt/.ptl (TorchScript), .tflite, .onnx or a SavedModel folder");
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw new ModelLoadException(file, "a model", "cannot read: " + e.getMessage(), e);
        }
    }
}
