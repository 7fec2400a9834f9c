package org.mrw.core.model.onnx;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFiles;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelInfo;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Preprocessor;
import org.mrw.core.model.Variant;

/**
 * An ONNX model run by ONNX Runtime through DJL. Float and int8 (QDQ) graphs run alike; the input
 * shape comes from the graph when it records one. Arg-max is taken in Java ({@code Logits}), since
 * ONNX Runtime's NDArray argMax recurses until the stack overflows (FINDINGS.md).
 */
public final class OnnxClassifier implements Classifier {

    private static final String FORMAT = ModelFormat.ONNX.displayName();

    private final Model model;
    private final Block block;
    private final ParameterStore parameters;
    private final ModelInfo info;
    private final InputSpec spec;
    private final Preprocessor preprocessor;
    private final int numClasses;
    private boolean closed;

    private OnnxClassifier(Model model, ModelInfo info, InputSpec spec) {
        this.model = model;
        this.block = model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.info = info;
        this.spec = spec;
        this.preprocessor = new Preprocessor(spec);
        this.numClasses = probeClasses();
    }

    /**
     * Loads an ONNX file. The spec is {@code spec} if given, else inferred from the graph's input
     * ([N,C,H,W] or [N,H,W,C] with C in 1..4), else {@code fallback}.
     */
    public static OnnxClassifier load(Path file, InputSpec spec, InputSpec fallback) {
        Engines.onnxRuntime();
        Model model = Model.newInstance(ModelFiles.baseName(file), Device.cpu(), "OnnxRuntime");
        try {
            model.load(file.toAbsolutePath().getParent(), file.getFileName().toString());
            InputSpec resolved = spec != null ? spec : inferSpec(file, fallback);
            Variant variant = resolved.variant() != null ? resolved.variant()
                    : ModelFiles.containsAscii(file, "QuantizeLinear") ? Variant.INT8 : Variant.FLOAT;
            ModelInfo info = new ModelInfo(ModelFiles.baseName(file), file, ModelFormat.ONNX, ModelFormat.ONNX.runtime(), variant);
            return new OnnxClassifier(model, info, resolved);
        } catch (IOException | MalformedModelException | EngineException | IllegalStateException e) {
            model.close();
            throw new ModelLoadException(file, FORMAT, ModelFiles.rootMessage(e), e);
        } catch (ModelLoadException e) {
            model.close();
            throw e;
        }
    }

    private static InputSpec inferSpec(Path file, InputSpec fallback) {
        Shape shape = graphInputShape(file);
        InputSpec inferred = fromShape(shape, fallback == null ? List.of() : fallback.classNames());
        if (inferred != null) {
            return inferred;
        }
        if (fallback != null) {
            return fallback;
        }
        throw new ModelLoadException(file, FORMAT, "the graph does not record a usable image input shape; write a "
                + "descriptor beside it (" + InputSpec.besideModel(file).getFileName() + ") or pass --descriptor");
    }

    /**
     * The graph's single input shape as ONNX Runtime reads it (-1 for dynamic axes), or null. DJL does not
     * report ONNX input shapes, so this opens a short-lived metadata session of its own.
     */
    private static Shape graphInputShape(Path file) {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
             OrtSession session = OrtEnvironment.getEnvironment().createSession(file.toString(), options)) {
            Map<String, NodeInfo> inputs = session.getInputInfo();
            if (inputs.size() == 1 && inputs.values().iterator().next().getInfo() instanceof TensorInfo tensor) {
                return new Shape(tensor.getShape());
            }
            return null;
        } catch (OrtException e) {
            throw new ModelLoadException(file, FORMAT, ModelFiles.rootMessage(e), e);
        }
    }

    /** [N,C,H,W] or [N,H,W,C] with a fixed small channel axis; null when the shape does not tell. */
    static InputSpec fromShape(Shape shape, List<String> classNames) {
        if (shape == null || shape.dimension() != 4) {
            return null;
        }
        long a = shape.get(1);
        long b = shape.get(2);
        long c = shape.get(3);
        if (a >= 1 && a <= 4 && b > 4 && c > 4) {
            return InputSpec.plain(InputSpec.Layout.NCHW, (int) a, (int) b, (int) c, classNames);
        }
        if (c >= 1 && c <= 4 && a > 4 && b > 4) {
            return InputSpec.plain(InputSpec.Layout.NHWC, (int) c, (int) a, (int) b, classNames);
        }
        return null;
    }

    private int probeClasses() {
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.zeros(new Shape(spec.tensorShape(1)));
            Shape out = block.forward(parameters, new NDList(x), false).get(0).getShape();
            if (out.dimension() != 2 || out.get(0) != 1) {
                throw new ModelLoadException(info.file(), FORMAT, "expected one row of class scores per image, got output shape " + out);
            }
            return (int) out.get(1);
        } catch (EngineException e) {
            throw new ModelLoadException(info.file(), FORMAT, "a " + spec + " input does not fit this model ("
                    + ModelFiles.rootMessage(e) + "); check the descriptor", e);
        }
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public InputSpec input() {
        return spec;
    }

    @Override
    public int numClasses() {
        return numClasses;
    }

    @Override
    public float[] logits(ImageBatch batch) {
        float[] input = preprocessor.toModelInput(batch);
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.create(input, new Shape(spec.tensorShape(batch.size())));
            NDList out = block.forward(parameters, new NDList(x), false);
            try {
                return out.get(0).toFloatArray();
            } finally {
                out.close(); // ORT outputs belong to the model's manager, not the per-batch one
            }
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            model.close();
        }
    }
}
