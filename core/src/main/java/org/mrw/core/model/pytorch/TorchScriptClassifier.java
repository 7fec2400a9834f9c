package org.mrw.core.model.pytorch;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.LogitGradient;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.ModelFiles;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelInfo;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Preprocessor;
import org.mrw.core.model.Variant;

/**
 * A TorchScript model ({@code .pt}, or a lite-interpreter {@code .ptl}) run by libtorch through DJL.
 *
 * <p>Loaded for gradients, it follows the three rules FINDINGS.md records: load with
 * {@code trainParam=true} and freeze the parameters (else "Inference tensors cannot be saved for
 * backward"); always call {@code forward(..., true)} (DJL toggles {@code module.train()} only when the
 * flag changes, so a false-then-true sequence would put BatchNorm in training mode); one
 * {@link GradientCollector} per JVM at a time. Every batch runs in its own NDManager, closed before
 * returning, so native memory does not grow with the number of batches.
 *
 * <p>Images enter the model in channels-last memory (NHWC strides, the same NCHW shape). libtorch's
 * oneDNN then runs its NHWC kernels instead of the channel-blocked ones, which with AVX2 went wrong for
 * channel counts that are not a multiple of the 8-channel block (the zoo's Inception: wrong clean
 * accuracy, NaN gradients); in channels-last, AVX2 matches SSE4.1, finite differences and Python's
 * PyTorch on every zoo model and runs PGD about twice as fast. AVX-512 stays wrong in both layouts, hence
 * the cap ({@link Engines#ONEDNN_ISA}). A model that cannot take channels-last activations (a
 * {@code view} of a feature map) runs contiguous, which is only safe under the SSE4.1 cap.
 */
public final class TorchScriptClassifier implements GradientClassifier {

    /** DJL allows one gradient collector per JVM at a time. */
    private static final Object GRADIENT_LOCK = new Object();

    private final Model model;
    private final Block block;
    private final ParameterStore parameters;
    private final boolean gradients;
    private final ModelInfo info;
    private final InputSpec spec;
    private final Preprocessor preprocessor;
    private final int numClasses;
    /** Whether images go in with channels-last strides (see the class comment). */
    private boolean channelsLast;
    private boolean closed;

    private TorchScriptClassifier(Model model, boolean gradients, ModelInfo info, InputSpec spec) {
        this.model = model;
        this.block = model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.gradients = gradients;
        this.info = info;
        this.spec = spec;
        this.preprocessor = new Preprocessor(spec);
        this.channelsLast = spec.tensorShape(1).length == 4;
        this.numClasses = probeClasses();
    }

    /**
     * Loads a TorchScript file. TorchScript does not record its input shape, so {@code spec} is
     * required (from a descriptor, or the caller's fallback from the dataset).
     *
     * @param gradients load for input gradients (white-box attacks); fails for int8 models
     */
    public static TorchScriptClassifier load(Path file, ModelFormat format, InputSpec spec, boolean gradients) {
        String formatName = format.displayName();
        if (spec == null) {
            throw new ModelLoadException(file, formatName, "TorchScript files do not record their input shape; "
                    + "write a descriptor beside it (" + InputSpec.besideModel(file).getFileName() + ") or pass --descriptor");
        }
        Variant variant = spec.variant() != null ? spec.variant() : detectVariant(file, formatName);
        if (gradients && variant == Variant.INT8) {
            throw new ModelLoadException(file, formatName, "int8 models have no input gradients; attack the float "
                    + "model and evaluate the adversarials on this one (transfer), or use a black-box attack");
        }
        Engines.pytorch();
        Model model = Model.newInstance(ModelFiles.baseName(file), Device.cpu(), "PyTorch");
        try {
            model.load(file.toAbsolutePath().getParent(), file.getFileName().toString(),
                    Map.of("trainParam", String.valueOf(gradients)));
            if (gradients) {
                model.getBlock().freezeParameters(true);
            }
            ModelInfo info = new ModelInfo(ModelFiles.baseName(file), file, format, format.runtime(), variant);
            return new TorchScriptClassifier(model, gradients, info, spec);
        } catch (IOException | MalformedModelException | EngineException | IllegalStateException e) {
            model.close();
            throw new ModelLoadException(file, formatName, ModelFiles.rootMessage(e), e);
        } catch (ModelLoadException e) {
            model.close();
            throw e;
        }
    }

    private static Variant detectVariant(Path file, String formatName) {
        try {
            // Quantized TorchScript calls quantized:: ops (bytecode) or ops.quantized.* (code).
            return ModelFiles.containsAscii(file, "quantized") ? Variant.INT8 : Variant.FLOAT;
        } catch (IOException e) {
            throw new ModelLoadException(file, formatName, "cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * One forward pass on a blank image: checks the input shape fits, counts the classes, and falls back
     * to contiguous input for a model whose layers cannot take channels-last activations.
     */
    private int probeClasses() {
        try {
            return probeForward();
        } catch (EngineException e) {
            if (channelsLast && ChannelsLast.refused(e)) {
                if (!Engines.anyLayoutSafe()) {
                    throw new ModelLoadException(info.file(), info.format().displayName(), "this model reshapes feature maps "
                            + "with view(), which channels-last memory cannot serve, and under the oneDNN cap "
                            + Engines.oneDnnCap() + " libtorch's other kernels can give wrong results; start the workbench with "
                            + Engines.ONEDNN_ISA_VARIABLE + "=" + Engines.SAFE_ISA + " (slower, right for every model), or use "
                            + "reshape()/flatten() in the model", e);
                }
                channelsLast = false;
                return probeClasses(); // contiguous now: any further failure is reported as below
            }
            throw new ModelLoadException(info.file(), info.format().displayName(), "a " + spec
                    + " input does not fit this model (" + ModelFiles.rootMessage(e) + "); check the descriptor", e);
        }
    }

    private int probeForward() {
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.zeros(new Shape(spec.tensorShape(1)));
            NDArray out = block.forward(parameters, new NDList(layout(x)), gradients).singletonOrThrow();
            if (out.getShape().dimension() != 2 || out.getShape().get(0) != 1) {
                throw new ModelLoadException(info.file(), info.format().displayName(),
                        "expected one row of class scores per image, got output shape " + out.getShape());
            }
            return (int) out.getShape().get(1);
        }
    }

    private NDArray layout(NDArray x) {
        return channelsLast ? ChannelsLast.of(x) : x;
    }

    /** Whether this model takes its images in channels-last memory (false: contiguous NCHW). */
    public boolean channelsLast() {
        return channelsLast;
    }

    @Override
    public boolean differentiable() {
        return gradients;
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
        Engines.pytorchThreadSetup();
        try (NDManager sub = model.getNDManager().newSubManager()) {
            NDArray x = sub.create(input, new Shape(spec.tensorShape(batch.size())));
            // Same flag as the gradient path on a gradient model: see the class comment.
            return block.forward(parameters, new NDList(layout(x)), gradients).singletonOrThrow().toFloatArray();
        }
    }

    @Override
    public LossGradient lossGradient(ImageBatch batch, int[] labels) {
        if (!gradients) {
            throw new IllegalStateException(info.id() + " was loaded for inference only; load it with Models.loadDifferentiable");
        }
        if (labels.length != batch.size()) {
            throw new IllegalArgumentException(labels.length + " labels for " + batch.size() + " images");
        }
        checkLabels(labels);
        float[] input = preprocessor.toModelInput(batch);
        Engines.pytorchThreadSetup();
        synchronized (GRADIENT_LOCK) {
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = sub.create(input, new Shape(spec.tensorShape(batch.size())));
                x.setRequiresGradient(true);
                NDArray targets = sub.create(labels).oneHot(numClasses);
                float[] logits;
                float[] loss;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = block.forward(parameters, new NDList(layout(x)), true).singletonOrThrow();
                    NDArray perSample = out.logSoftmax(1).mul(targets).sum(new int[] {1}).neg();
                    // Sum, not mean: each image's gradient is that of its own loss, whatever the batch size.
                    collector.backward(perSample.sum());
                    logits = out.toFloatArray();
                    loss = perSample.toFloatArray();
                }
                float[] modelGradient = x.getGradient().toFloatArray();
                return new LossGradient(logits, loss, preprocessor.toCanonicalGradient(modelGradient, batch.size()));
            }
        }
    }

    @Override
    public LogitGradient logitGradient(ImageBatch batch, float[] weights) {
        if (!gradients) {
            throw new IllegalStateException(info.id() + " was loaded for inference only; load it with Models.loadDifferentiable");
        }
        if (weights.length != (long) batch.size() * numClasses) {
            throw new IllegalArgumentException(weights.length + " weights for " + batch.size() + " images of "
                    + numClasses + " classes");
        }
        float[] input = preprocessor.toModelInput(batch);
        Engines.pytorchThreadSetup();
        synchronized (GRADIENT_LOCK) {
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = sub.create(input, new Shape(spec.tensorShape(batch.size())));
                x.setRequiresGradient(true);
                NDArray w = sub.create(weights, new Shape(batch.size(), numClasses));
                float[] logits;
                try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
                    NDArray out = block.forward(parameters, new NDList(layout(x)), true).singletonOrThrow();
                    collector.backward(out.mul(w).sum());
                    logits = out.toFloatArray();
                }
                float[] modelGradient = x.getGradient().toFloatArray();
                return new LogitGradient(logits, preprocessor.toCanonicalGradient(modelGradient, batch.size()));
            }
        }
    }

    private void checkLabels(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.." + (numClasses - 1));
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
