package org.mrw.core.model.tensorflow;

import ai.djl.engine.EngineException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.Engines;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.LogitGradient;
import org.mrw.core.model.LossGradient;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.ModelInfo;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Preprocessor;
import org.mrw.core.model.Variant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tensorflow.exceptions.TensorFlowException;

/**
 * A TensorFlow SavedModel folder as a classifier.
 *
 * <p>Loaded for inference, it runs the serving signature in DJL's TensorFlow engine. Loaded for
 * gradients, it runs the same signature through TF Java with a cross-entropy loss and an input
 * gradient added to the graph (DJL's TensorFlow engine has no autograd); that one loaded copy then
 * serves both {@link #logits} and {@link #lossGradient}. Both use the same TensorFlow natives. Graphs
 * that call functions (Keras exports) are differentiated on a copy with the calls inlined
 * ({@link FunctionInliner}); a model TensorFlow cannot differentiate fails at load, not mid-attack.
 *
 * <p>The input spec comes from the descriptor, else from the signature's input shape
 * ({@code [-1,H,W,C]} or {@code [-1,C,H,W]}, pixels in [0,1]). The logits are the signature output
 * named {@code logits} (or the only output). Signatures with a fixed batch size are fed in chunks of
 * that size.
 */
public final class SavedModelClassifier implements GradientClassifier {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelClassifier.class);

    private final ModelInfo info;
    private final InputSpec spec;
    private final Preprocessor preprocessor;
    private final int numClasses;
    private final int fixedBatch;
    private final SavedModelRunner runner;
    /** The same object as {@link #runner} when loaded for gradients, else null. */
    private final TfJavaSavedModel differentiable;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SavedModelClassifier(ModelInfo info, InputSpec spec, int numClasses, int fixedBatch, SavedModelRunner runner) {
        this.info = info;
        this.spec = spec;
        this.preprocessor = new Preprocessor(spec);
        this.numClasses = numClasses;
        this.fixedBatch = fixedBatch;
        this.runner = runner;
        this.differentiable = runner instanceof TfJavaSavedModel tfJava ? tfJava : null;
    }

    /**
     * Opens a SavedModel folder.
     *
     * @param dir        the folder holding {@code saved_model.pb} and {@code variables/} (or that
     *                   {@code saved_model.pb} itself)
     * @param specOrNull the descriptor, or null to infer the input from the serving signature
     * @param gradients  true to make {@link #lossGradient} available (loads through TF Java)
     * @throws ModelLoadException naming the folder and the problem when it cannot be used
     */
    public static SavedModelClassifier load(Path dir, InputSpec specOrNull, boolean gradients) {
        Path folder = folderOf(dir);
        ServingSignature signature = ServingSignature.read(folder);
        InputSpec spec = specOrNull == null ? signature.inferSpec() : signature.check(specOrNull);
        spec = spec.withVariant(spec.variant() != null ? spec.variant() : Variant.FLOAT);
        String id = folder.getFileName().toString();

        Engines.tensorflow();
        SavedModelRunner runner = gradients ? TfJavaSavedModel.open(signature) : DjlSavedModel.open(signature, id);
        boolean opened = false;
        try {
            int classes = signature.classes() > 0 ? signature.classes() : countClasses(signature, spec, runner);
            if (!spec.classNames().isEmpty() && spec.classNames().size() != classes) {
                throw ServingSignature.fail(folder, "the descriptor names " + spec.classNames().size()
                        + " classes but the model has " + classes + " outputs");
            }
            if (runner instanceof TfJavaSavedModel tfJava) {
                int n = Math.max(1, signature.fixedBatch());
                tfJava.checkDifferentiable(signature, spec.tensorShape(n), classes);
            }
            ModelInfo info = new ModelInfo(id, folder, ModelFormat.SAVED_MODEL, ModelFormat.SAVED_MODEL.runtime(),
                    spec.variant());
            LOG.debug("{}: signature {} input {} {} -> output {} ({} classes), {}", id, signature.key(),
                    signature.inputKey(), signature.shapeText(), signature.outputKey(), classes,
                    gradients ? "TF Java with gradients" : "DJL");
            opened = true;
            return new SavedModelClassifier(info, spec, classes, signature.fixedBatch(), runner);
        } finally {
            if (!opened) {
                runner.close();
            }
        }
    }

    /** A {@code saved_model.pb} path stands for its folder (that is how {@code Models.detect} sees a .pb). */
    private static Path folderOf(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        if (!Files.exists(absolute)) {
            throw new ModelLoadException(path, ServingSignature.FORMAT, "no such folder");
        }
        if (Files.isDirectory(absolute)) {
            return absolute;
        }
        if (absolute.getFileName().toString().equals("saved_model.pb") && absolute.getParent() != null) {
            return absolute.getParent();
        }
        throw new ModelLoadException(path, ServingSignature.FORMAT, "a SavedModel is a folder holding saved_model.pb and "
                + "variables/; a lone .pb file (e.g. a frozen graph) is not supported, pass the SavedModel folder");
    }

    /** Signatures that leave the class count open: run one black image and count the logits. */
    private static int countClasses(ServingSignature signature, InputSpec spec, SavedModelRunner runner) {
        int n = Math.max(1, signature.fixedBatch());
        int values;
        try {
            values = runner.logits(new float[n * spec.imageSize()], spec.tensorShape(n)).length;
        } catch (TensorFlowException | EngineException e) {
            throw new ModelLoadException(signature.dir(), ServingSignature.FORMAT, "TensorFlow failed on a black "
                    + spec.channels() + "x" + spec.height() + "x" + spec.width() + " image: " + Messages.firstLine(e), e);
        }
        if (values == 0 || values % n != 0) {
            throw ServingSignature.fail(signature.dir(), "the output '" + signature.outputKey() + "' gives " + values
                    + " values for " + n + " images; expected one row of logits per image");
        }
        return values / n;
    }

    @Override
    public boolean differentiable() {
        return differentiable != null;
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
        checkOpen();
        float[] input = preprocessor.toModelInput(batch);
        int n = batch.size();
        if (n == 0) {
            return new float[0];
        }
        if (fixedBatch == 0 || fixedBatch == n) {
            return runner.logits(input, spec.tensorShape(n));
        }
        float[] out = new float[n * numClasses];
        for (int from = 0; from < n; from += fixedBatch) {
            float[] chunk = runner.logits(chunk(input, from, spec.imageSize()), spec.tensorShape(fixedBatch));
            System.arraycopy(chunk, 0, out, from * numClasses, Math.min(fixedBatch, n - from) * numClasses);
        }
        return out;
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalStateException when loaded for inference only ({@code gradients == false})
     */
    @Override
    public LossGradient lossGradient(ImageBatch batch, int[] labels) {
        checkOpen();
        if (differentiable == null) {
            throw new IllegalStateException(info.id() + " was loaded for inference only; load it with "
                    + "Models.loadDifferentiable for gradients");
        }
        int n = batch.size();
        if (labels.length != n) {
            throw new IllegalArgumentException(n + " images but " + labels.length + " labels");
        }
        float[] oneHot = new float[n * numClasses];
        for (int i = 0; i < n; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is outside 0.."
                        + (numClasses - 1));
            }
            oneHot[i * numClasses + labels[i]] = 1f;
        }
        float[] input = preprocessor.toModelInput(batch);
        if (n == 0) {
            return new LossGradient(new float[0], new float[0], new float[0]);
        }
        TfJavaSavedModel.Pass pass = fixedBatch == 0 || fixedBatch == n
                ? differentiable.pass(input, spec.tensorShape(n), oneHot, numClasses)
                : chunkedPass(input, oneHot, n);
        return new LossGradient(pass.logits(), pass.loss(), preprocessor.toCanonicalGradient(pass.gradient(), n));
    }

    @Override
    public LogitGradient logitGradient(ImageBatch batch, float[] weights) {
        checkOpen();
        if (differentiable == null) {
            throw new IllegalStateException(info.id() + " was loaded for inference only; load it with "
                    + "Models.loadDifferentiable for gradients");
        }
        int n = batch.size();
        if (weights.length != (long) n * numClasses) {
            throw new IllegalArgumentException(weights.length + " weights for " + n + " images of " + numClasses + " classes");
        }
        if (n == 0) {
            return new LogitGradient(new float[0], new float[0]);
        }
        float[] input = preprocessor.toModelInput(batch);
        if (fixedBatch == 0 || fixedBatch == n) {
            TfJavaSavedModel.Pass pass = differentiable.weightedPass(input, spec.tensorShape(n), weights, numClasses);
            return new LogitGradient(pass.logits(), preprocessor.toCanonicalGradient(pass.gradient(), n));
        }
        int per = spec.imageSize();
        float[] logits = new float[n * numClasses];
        float[] gradient = new float[n * per];
        for (int from = 0; from < n; from += fixedBatch) {
            int count = Math.min(fixedBatch, n - from);
            TfJavaSavedModel.Pass pass = differentiable.weightedPass(chunk(input, from, per), spec.tensorShape(fixedBatch),
                    chunk(weights, from, numClasses), numClasses);
            System.arraycopy(pass.logits(), 0, logits, from * numClasses, count * numClasses);
            System.arraycopy(pass.gradient(), 0, gradient, from * per, count * per);
        }
        return new LogitGradient(logits, preprocessor.toCanonicalGradient(gradient, n));
    }

    /** Runs a fixed-batch model chunk by chunk; the last chunk is padded with zero images and zero targets. */
    private TfJavaSavedModel.Pass chunkedPass(float[] input, float[] oneHot, int n) {
        int per = spec.imageSize();
        float[] logits = new float[n * numClasses];
        float[] loss = new float[n];
        float[] gradient = new float[n * per];
        for (int from = 0; from < n; from += fixedBatch) {
            int count = Math.min(fixedBatch, n - from);
            TfJavaSavedModel.Pass pass = differentiable.pass(chunk(input, from, per), spec.tensorShape(fixedBatch),
                    chunk(oneHot, from, numClasses), numClasses);
            System.arraycopy(pass.logits(), 0, logits, from * numClasses, count * numClasses);
            System.arraycopy(pass.loss(), 0, loss, from, count);
            System.arraycopy(pass.gradient(), 0, gradient, from * per, count * per);
        }
        return new TfJavaSavedModel.Pass(logits, loss, gradient);
    }

    /** Rows {@code [from, from + fixedBatch)} of {@code width} values; rows past the end are zeros. */
    private float[] chunk(float[] rows, int from, int width) {
        return Arrays.copyOfRange(rows, from * width, (from + fixedBatch) * width);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(info.id() + " is closed");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            runner.close();
        }
    }

    @Override
    public String toString() {
        String backend = differentiable != null ? "TF Java" : "DJL";
        return info.id() + " (" + info.format().displayName() + ", " + backend + ", " + spec + ")";
    }
}
