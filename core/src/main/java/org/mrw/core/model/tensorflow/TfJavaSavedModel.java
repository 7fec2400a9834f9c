package org.mrw.core.model.tensorflow;

import java.nio.file.Path;
import java.util.ArrayList;
import org.mrw.core.model.ModelLoadException;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel loaded with TF Java, its graph extended by a loss and an input gradient. DJL's
 * TensorFlow engine has no autograd, so the gradient comes from {@code Graph.addGradients}
 * (TensorFlow's C++ gradient registry) on the loaded graph: one session run yields the logits, the
 * per-image softmax cross-entropy and d(sum of losses)/d(input). Summing makes each image's gradient
 * that of its own loss, whatever else is in the batch.
 */
final class TfJavaSavedModel implements SavedModelRunner {

    /** Prefix of everything this class adds to the loaded graph, chosen not to clash with exported names. */
    private static final String SCOPE = "mrw_loss";
    /** Prefix of the inlined copy of a graph that calls functions. */
    private static final String INLINED = "mrw_inlined";

    private static boolean identityNGradient;

    private final SavedModelBundle bundle;
    private final Session session;
    private final Output<TFloat32> input;
    private final Output<TFloat32> logits;
    private final Placeholder<TFloat32> targets;
    private final Operand<TFloat32> loss;
    private final Output<?> inputGradient;
    private final Placeholder<TFloat32> logitWeights;
    private final Output<?> weightedGradient;

    private TfJavaSavedModel(SavedModelBundle bundle, Output<TFloat32> input, Output<TFloat32> logits,
                             Placeholder<TFloat32> targets, Operand<TFloat32> loss, Output<?> inputGradient,
                             Placeholder<TFloat32> logitWeights, Output<?> weightedGradient) {
        this.bundle = bundle;
        this.session = bundle.session();
        this.input = input;
        this.logits = logits;
        this.targets = targets;
        this.loss = loss;
        this.inputGradient = inputGradient;
        this.logitWeights = logitWeights;
        this.weightedGradient = weightedGradient;
    }

    /**
     * Loads the folder and adds the loss and gradient. Fails with a {@link ModelLoadException} when
     * TensorFlow cannot load it or knows no gradient for one of its operations.
     */
    static TfJavaSavedModel open(ServingSignature signature) {
        Path dir = signature.dir();
        SavedModelBundle bundle;
        try {
            bundle = SavedModelBundle.loader(dir.toString()).withTags(signature.tags().toArray(String[]::new))
                    .withConfigProto(CpuSessionConfig.get()).load();
        } catch (TensorFlowException e) {
            throw new ModelLoadException(dir, ServingSignature.FORMAT,
                    "TensorFlow could not load it: " + Messages.firstLine(e) + ServingSignature.LOAD_HINT, e);
        }
        boolean opened = false;
        try {
            Graph graph = bundle.graph();
            String prefix = signature.functionCalls() ? importInlined(bundle, signature) : "";
            Output<TFloat32> input = tensor(graph, signature, prefix + signature.inputTensor());
            Output<TFloat32> logits = tensor(graph, signature, prefix + signature.outputTensor());
            Ops tf = Ops.create(graph).withSubScope(SCOPE);
            // Dense one-hot targets: SparseSoftmaxCrossEntropyWithLogits has no C++ gradient (FINDINGS.md).
            Placeholder<TFloat32> targets = tf.withName("targets").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1)));
            Operand<TFloat32> loss = tf.withName("per_image").nn.softmaxCrossEntropyWithLogits(logits, targets).loss();
            Operand<TFloat32> total = tf.withName("total").sum(loss, tf.constant(0));
            Output<?>[] gradient = differentiate(graph, signature, SCOPE + "_gradient", total, input);
            // A second target, Σ w·logits, for vector–Jacobian products (DeepFool, C&W).
            Placeholder<TFloat32> weights = tf.withName("logit_weights").placeholder(TFloat32.class,
                    Placeholder.shape(Shape.of(-1, -1)));
            Operand<TFloat32> weighted = tf.withName("weighted").sum(tf.math.mul(logits, weights),
                    tf.constant(new int[] {0, 1}));
            Output<?>[] weightedGradient = differentiate(graph, signature, SCOPE + "_vjp", weighted, input);
            opened = true;
            return new TfJavaSavedModel(bundle, input, logits, targets, loss, gradient[0], weights, weightedGradient[0]);
        } finally {
            if (!opened) {
                bundle.close();
            }
        }
    }

    /**
     * Adds a copy of the serving path with its function calls inlined (see {@link FunctionInliner}) to
     * the loaded graph, sharing the restored variables, and returns the prefix of its names.
     */
    private static String importInlined(SavedModelBundle bundle, ServingSignature signature) {
        String output = signature.outputTensor();
        int colon = output.lastIndexOf(':');
        try {
            GraphDef inlined = FunctionInliner.inlineFor(bundle.metaGraphDef().getGraphDef(),
                    colon < 0 ? output : output.substring(0, colon));
            registerIdentityNGradient();
            bundle.graph().importGraphDef(inlined, INLINED);
            return INLINED + "/";
        } catch (IllegalArgumentException | TensorFlowException e) {
            throw new ModelLoadException(signature.dir(), ServingSignature.FORMAT, "its graph calls functions (a Keras "
                    + "export?) and inlining them for gradients failed: " + Messages.firstLine(e), e);
        }
    }

    /**
     * Inlined calls end in {@code IdentityN}, which has no C++ gradient; it passes each gradient
     * through unchanged. Registered once per process, and never twice (TensorFlow keeps the first).
     */
    private static synchronized void registerIdentityNGradient() {
        if (!identityNGradient) {
            TensorFlow.registerCustomGradient("IdentityN", (tf, op, gradients) -> new ArrayList<Operand<?>>(gradients));
            identityNGradient = true;
        }
    }

    private static Output<?>[] differentiate(Graph graph, ServingSignature signature, String prefix,
                                             Operand<TFloat32> total, Output<TFloat32> input) {
        try {
            Output<?>[] gradient = graph.addGradients(prefix, new Output<?>[] {total.asOutput()},
                    new Output<?>[] {input}, null);
            if (gradient.length != 1 || gradient[0] == null) {
                throw ServingSignature.fail(signature.dir(), "the logits do not depend on the input '"
                        + signature.inputKey() + "'");
            }
            return gradient;
        } catch (TensorFlowException | IllegalArgumentException | UnsupportedOperationException e) {
            throw cannotDifferentiate(signature, e);
        }
    }

    /**
     * Runs one forward and backward pass on black images, so that a model TensorFlow cannot
     * differentiate fails here, at load time, rather than mid-attack: some gradient errors (e.g. of
     * control flow, or of a function call left un-inlined) only appear when the gradient first runs.
     */
    void checkDifferentiable(ServingSignature signature, long[] shape, int classes) {
        int n = Math.toIntExact(shape[0]);
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            oneHot[i * classes] = 1f;
        }
        long values = 1;
        for (long d : shape) {
            values *= d;
        }
        try {
            pass(new float[Math.toIntExact(values)], shape, oneHot, classes);
        } catch (TensorFlowException e) {
            throw cannotDifferentiate(signature, e);
        }
    }

    private static ModelLoadException cannotDifferentiate(ServingSignature signature, RuntimeException e) {
        return new ModelLoadException(signature.dir(), ServingSignature.FORMAT, "TensorFlow cannot differentiate it ("
                + Messages.firstLine(e) + "); attack a differentiable twin and transfer, or use a black-box attack", e);
    }

    /** The graph tensor named {@code op:index} in the signature, checked to be float. */
    private static Output<TFloat32> tensor(Graph graph, ServingSignature signature, String name) {
        int colon = name.lastIndexOf(':');
        String opName = colon < 0 ? name : name.substring(0, colon);
        String indexText = colon < 0 ? "0" : name.substring(colon + 1);
        GraphOperation op = graph.operation(opName);
        int index = indexText.matches("\\d{1,9}") ? Integer.parseInt(indexText) : -1;
        if (op == null || index < 0 || index >= op.numOutputs()) {
            throw ServingSignature.fail(signature.dir(), "the signature names tensor '" + name
                    + "', which is not in the graph");
        }
        return op.output(index).expect(TFloat32.class);
    }

    @Override
    public float[] logits(float[] values, long[] shape) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
             Result result = session.runner().feed(input, x).fetch(logits).run()) {
            return copy((TFloat32) result.get(0));
        }
    }

    /**
     * One forward and backward pass.
     *
     * @param values  model-input values, row-major in {@code shape}
     * @param shape   the input tensor's shape
     * @param oneHot  {@code shape[0] * classes} targets; an all-zero row gives that image zero loss and gradient
     * @param classes number of logits per image
     */
    Pass pass(float[] values, long[] shape, float[] oneHot, int classes) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
             TFloat32 y = TFloat32.tensorOf(Shape.of(shape[0], classes), DataBuffers.of(oneHot, true, false));
             Result result = session.runner().feed(input, x).feed(targets, y)
                     .fetch(logits).fetch(loss).fetch(inputGradient).run()) {
            return new Pass(copy((TFloat32) result.get(0)), copy((TFloat32) result.get(1)), copy((TFloat32) result.get(2)));
        }
    }

    /**
     * Logits and d(Σ w·logits)/d(input), laid out like the input tensor.
     *
     * @param weights {@code shape[0] * classes} values
     */
    Pass weightedPass(float[] values, long[] shape, float[] weights, int classes) {
        try (TFloat32 x = TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(values, true, false));
             TFloat32 w = TFloat32.tensorOf(Shape.of(shape[0], classes), DataBuffers.of(weights, true, false));
             Result result = session.runner().feed(input, x).feed(logitWeights, w)
                     .fetch(logits).fetch(weightedGradient).run()) {
            return new Pass(copy((TFloat32) result.get(0)), null, copy((TFloat32) result.get(1)));
        }
    }

    private static float[] copy(TFloat32 tensor) {
        float[] out = new float[Math.toIntExact(tensor.shape().size())];
        tensor.copyTo(DataBuffers.of(out, false, false));
        return out;
    }

    @Override
    public void close() {
        bundle.close();
    }

    /**
     * Result of {@link #pass} in model-input coordinates.
     *
     * @param logits   {@code n * classes} scores
     * @param loss     per-image cross-entropy
     * @param gradient d(loss_i)/d(input_i), laid out like the input tensor
     */
    record Pass(float[] logits, float[] loss, float[] gradient) {
    }
}
