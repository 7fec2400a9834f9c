package org.mrw.agent.host;

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
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.io.File;
import java.io.IOException;
import java.util.Arrays;
import java.util.Collections;
import org.mrw.agent.runtime.InferenceRuntime;

/**
 * The host device's "pytorch-lite" runtime: TorchScript ({@code .ptl} lite-interpreter files and
 * {@code .pt}) run by desktop libtorch through DJL, inference only. Present only when the agent is
 * started with {@code java} next to DJL's jars; on a phone the class fails to load and the agent
 * reports it unavailable.
 *
 * <p>Settings as in core's Engines and TorchScriptClassifier: offline mode and tracking opt-out
 * before the engine starts (else DJL tries downloads and queries the cloud metadata address), the
 * graph optimizer off on every calling thread (a libtorch thread-local), one NDManager per batch
 * closed afterwards, images in channels-last memory. Results are only right with oneDNN capped at AVX2
 * ({@code DNNL_MAX_CPU_ISA=AVX2}, with channels-last input) or SSE41 (any layout) on this project's
 * machines; the launcher sets the cap. libtorch's intra-op thread count is per process: the last
 * LOAD_MODEL's {@code threads} wins.
 */
public final class DjlPytorchRuntime implements InferenceRuntime {

    private final Engine engine;
    /** libtorch's quantized engine for int8 models: QNNPACK, as on a phone ({@link QuantizedEngine}). */
    private final String quantizedEngine;

    /** Starts DJL's PyTorch engine offline; fails when its classes or natives are missing. */
    public DjlPytorchRuntime() throws RuntimeFailure {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("OPT_OUT_TRACKING", "true");
        setIfAbsent("ai.djl.pytorch.graph_optimizer", "false");
        try {
            this.engine = Engine.getEngine("PyTorch");
        } catch (EngineException | IllegalArgumentException e) {
            throw new RuntimeFailure("DJL's PyTorch engine did not start: " + e.getMessage(), e);
        }
        this.quantizedEngine = QuantizedEngine.useQnnpack();
        if (!"qnnpack".equals(quantizedEngine)) {
            System.err.println("mrw-agent: int8 TorchScript models run on libtorch's " + quantizedEngine
                    + " quantized engine, not QNNPACK as on a phone: their results can differ from a phone's");
        }
        String isa = System.getenv("DNNL_MAX_CPU_ISA");
        if (!"SSE41".equalsIgnoreCase(isa) && !"AVX2".equalsIgnoreCase(isa)) {
            System.err.println("mrw-agent: DNNL_MAX_CPU_ISA is " + (isa == null ? "unset" : isa)
                    + ", not AVX2 or SSE41: PyTorch results can be wrong (oneDNN's AVX-512 kernels were, on this project's machines)");
        }
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    @Override
    public String name() {
        return "pytorch-lite";
    }

    @Override
    public String version() {
        return engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ", int8 engine " + quantizedEngine + ")";
    }

    @Override
    public LoadedModel load(File file, int threads) throws RuntimeFailure {
        throw new RuntimeFailure(file.getName() + ": TorchScript files do not record their input shape; "
                + "send inputShape (e.g. [1,1,28,28]) with LOAD_MODEL");
    }

    @Override
    public LoadedModel load(File file, int threads, int[] inputShape) throws RuntimeFailure {
        if (inputShape == null) {
            return load(file, threads);
        }
        if (inputShape.length < 2 || inputShape[0] != 1) {
            throw new RuntimeFailure(file.getName() + ": input shape " + Arrays.toString(inputShape) + " must start with a batch of 1");
        }
        JniUtils.setNumThreads(threads);
        threadSetup();
        Model model = Model.newInstance(file.getName(), Device.cpu(), "PyTorch");
        try {
            model.load(file.getAbsoluteFile().getParentFile().toPath(), file.getName(),
                    Collections.singletonMap("trainParam", "false"));
            return new TorchModel(model, inputShape.clone());
        } catch (IOException | MalformedModelException | EngineException | IllegalStateException | IllegalArgumentException e) {
            model.close();
            throw new RuntimeFailure(file.getName() + ": libtorch refused the model: " + rootMessage(e), e);
        }
    }

    /** libtorch's graph-optimizer switch is thread-local; DJL sets it only on the thread that starts the engine. */
    private static void threadSetup() {
        JniUtils.setGraphExecutorOptimize(Boolean.getBoolean("ai.djl.pytorch.graph_optimizer"));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int newline = m.indexOf('\n');
        return newline > 0 ? m.substring(0, newline) : m;
    }

    private static final class TorchModel implements LoadedModel {
        private final Model model;
        private final Block block;
        private final ParameterStore parameters;
        private final int[] shape;
        /** Images in channels-last memory (NCHW inputs), until the model refuses it. */
        private boolean channelsLast;

        TorchModel(Model model, int[] shape) {
            this.model = model;
            this.block = model.getBlock();
            this.parameters = new ParameterStore(model.getNDManager(), false);
            this.shape = shape;
            this.channelsLast = shape.length == 4;
        }

        @Override
        public int[] inputShape() {
            return shape.clone();
        }

        @Override
        public boolean quantizedInput() {
            return false; // int8 TorchScript quantises inside the graph (QuantStub): it takes floats
        }

        @Override
        public float[] run(float[] input, int batch) throws RuntimeFailure {
            long[] dims = new long[shape.length];
            long sample = 1;
            dims[0] = batch;
            for (int i = 1; i < shape.length; i++) {
                dims[i] = shape[i];
                sample *= shape[i];
            }
            if (batch < 1 || input.length != batch * sample) {
                throw new RuntimeFailure(input.length + " floats are not " + batch + " samples of " + sample);
            }
            threadSetup();
            try {
                return forward(input, dims);
            } catch (EngineException e) {
                if (!channelsLast || !refusedChannelsLast(e)) {
                    throw new RuntimeFailure("libtorch failed on a batch of " + batch + ": " + rootMessage(e), e);
                }
                if (!"SSE41".equalsIgnoreCase(System.getenv("DNNL_MAX_CPU_ISA"))) {
                    throw new RuntimeFailure("this model reshapes feature maps with view(), which channels-last memory "
                            + "cannot serve, and above DNNL_MAX_CPU_ISA=SSE41 libtorch's other kernels can be wrong: "
                            + "start the workbench with DNNL_MAX_CPU_ISA=SSE41, or use reshape()/flatten() in the model", e);
                }
                channelsLast = false;
                return run(input, batch);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new RuntimeFailure("libtorch failed on a batch of " + batch + ": " + rootMessage(e), e);
            }
        }

        private float[] forward(float[] input, long[] dims) throws RuntimeFailure {
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = sub.create(input, new Shape(dims));
                if (channelsLast) {
                    // NCHW shape, NHWC strides: oneDNN's NHWC kernels, right at AVX2 (core's ChannelsLast says why)
                    x = x.transpose(0, 2, 3, 1).reshape(dims[0], dims[1] * dims[2] * dims[3])
                            .reshape(dims[0], dims[2], dims[3], dims[1]).transpose(0, 3, 1, 2);
                }
                NDArray out = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                if (out.getShape().dimension() != 2 || out.getShape().get(0) != dims[0]) {
                    throw new RuntimeFailure("expected one row of class scores per sample, got output shape " + out.getShape());
                }
                return out.toFloatArray();
            }
        }

        private static boolean refusedChannelsLast(Throwable e) {
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                String m = t.getMessage();
                if (m != null && (m.contains("view size is not compatible") || m.contains("Use .reshape(...) instead"))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
