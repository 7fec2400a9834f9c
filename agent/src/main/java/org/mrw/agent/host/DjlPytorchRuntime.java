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
 * closed afterwards. Results are only right with {@code DNNL_MAX_CPU_ISA=SSE41} in the environment
 * (FINDINGS.md); the launcher sets it. libtorch's intra-op thread count is per process: the last
 * LOAD_MODEL's {@code threads} wins.
 */
public final class DjlPytorchRuntime implements InferenceRuntime {

    private final Engine engine;

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
        if (!"SSE41".equalsIgnoreCase(System.getenv("DNNL_MAX_CPU_ISA"))) {
            System.err.println("mrw-agent: DNNL_MAX_CPU_ISA is not SSE41: PyTorch results can be wrong on this machine");
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
        return engine.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
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

        TorchModel(Model model, int[] shape) {
            this.model = model;
            this.block = model.getBlock();
            this.parameters = new ParameterStore(model.getNDManager(), false);
            this.shape = shape;
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
            try (NDManager sub = model.getNDManager().newSubManager()) {
                NDArray x = sub.create(input, new Shape(dims));
                NDArray out = block.forward(parameters, new NDList(x), false).singletonOrThrow();
                if (out.getShape().dimension() != 2 || out.getShape().get(0) != batch) {
                    throw new RuntimeFailure("expected one row of class scores per sample, got output shape " + out.getShape());
                }
                return out.toFloatArray();
            } catch (EngineException | IllegalArgumentException | IllegalStateException e) {
                throw new RuntimeFailure("libtorch failed on a batch of " + batch + ": " + rootMessage(e), e);
            }
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
