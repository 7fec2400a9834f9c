package org.mrw.core.engine;

import ai.djl.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the four inference engines lazily and offline. Nothing loads until a model of that kind is
 * used; every start first forces DJL's offline mode and tracking opt-out, because without them DJL
 * tries to download natives and queries the cloud metadata address (FINDINGS.md).
 */
public final class Engines {

    private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

    /** Version of the TFLite desktop JNI library shipped in {@code tflite-native-cpu}. */
    private static final String TFLITE_NATIVE_VERSION = "2.6.2";
    private static final long MAX_NATIVE_LIBRARY_BYTES = 64L << 20;

    /** oneDNN reads this once, when libtorch starts; only the launcher's environment can set it. */
    public static final String ONEDNN_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    /**
     * The default oneDNN cap ({@code ./mrw}, the installed launchers, the tests). libtorch 2.7.1's AVX-512
     * kernels gave wrong input gradients on this project's machines in every memory layout; at AVX2 its
     * NHWC kernels, which TorchScript models get through channels-last input, matched SSE4.1, finite
     * differences and Python's PyTorch on every zoo model, about twice as fast ({@link OneDnnCheck}
     * checks a CPU).
     */
    public static final String ONEDNN_ISA = "AVX2";

    /**
     * The cap under which every oneDNN kernel, blocked layouts included, was right: what a model that
     * cannot run channels-last needs (its contiguous activations take the blocked kernels).
     */
    public static final String SAFE_ISA = "SSE41";

    private static EngineInfo pytorch;
    private static EngineInfo tensorflow;
    private static EngineInfo onnxRuntime;
    private static EngineInfo tflite;

    private Engines() {
    }

    /** Forces offline mode and tracking opt-out unless the user explicitly set them. */
    public static void enforceOffline() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** True when neither downloads nor DJL's call-home can happen in this JVM. */
    public static boolean offline() {
        boolean djlOffline = Boolean.parseBoolean(System.getProperty("ai.djl.offline", System.getenv("DJL_OFFLINE")));
        String optOut = System.getProperty("OPT_OUT_TRACKING", System.getenv("OPT_OUT_TRACKING"));
        return djlOffline && Boolean.parseBoolean(optOut);
    }

    /** The instruction-set cap libtorch's oneDNN runs with in this JVM ({@code DNNL_MAX_CPU_ISA}, or "unset"). */
    public static String oneDnnCap() {
        String isa = System.getenv(ONEDNN_ISA_VARIABLE);
        return isa == null || isa.isBlank() ? "unset" : isa;
    }

    /** Whether this JVM's cap makes every oneDNN layout safe, so a model may run with contiguous activations. */
    public static boolean anyLayoutSafe() {
        return SAFE_ISA.equalsIgnoreCase(oneDnnCap());
    }

    /** PyTorch (libtorch) through DJL. */
    public static synchronized EngineInfo pytorch() {
        if (pytorch == null) {
            // DJL's advice: without the graph optimizer, TorchScript runs the same plan from the first
            // call on, instead of slow profiling runs followed by a re-optimised graph.
            if (System.getProperty("ai.djl.pytorch.graph_optimizer") == null) {
                System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
            }
            if (System.getenv(ONEDNN_ISA_VARIABLE) == null) {
                LOG.warn("{} is not set: PyTorch results can be wrong (oneDNN's AVX-512 kernels gave input gradients "
                        + "that varied between calls, with NaNs, on this project's machines, in every memory layout); "
                        + "start through ./mrw, or export {}={}",
                        ONEDNN_ISA_VARIABLE, ONEDNN_ISA_VARIABLE, ONEDNN_ISA);
            }
            pytorch = djl("PyTorch", "PyTorch");
            QuantizedEngine.useQnnpack(); // before any int8 model loads: loading packs weights for the engine
        }
        return pytorch;
    }

    /**
     * Per-thread libtorch settings, for every thread that runs a TorchScript model: the graph
     * optimizer switch is thread-local in libtorch, and DJL sets it only on the thread that starts the engine.
     */
    public static void pytorchThreadSetup() {
        ai.djl.pytorch.jni.JniUtils.setGraphExecutorOptimize(Boolean.getBoolean("ai.djl.pytorch.graph_optimizer"));
    }

    /** TensorFlow through DJL, on the natives of {@code tensorflow-core-native}. */
    public static synchronized EngineInfo tensorflow() {
        if (tensorflow == null) {
            enforceOffline();
            if (System.getProperty("TENSORFLOW_LIBRARY_PATH") == null && System.getenv("TENSORFLOW_LIBRARY_PATH") == null) {
                // DJL would download its own TF natives; point it at the ones JavaCPP extracts from our jar.
                String lib = org.bytedeco.javacpp.Loader.load(org.tensorflow.internal.c_api.global.tensorflow.class);
                System.setProperty("TENSORFLOW_LIBRARY_PATH", Path.of(lib).getParent().toString());
            }
            tensorflow = djl("TensorFlow", "TensorFlow");
        }
        return tensorflow;
    }

    /** ONNX Runtime through DJL (natives inside its jar). */
    public static synchronized EngineInfo onnxRuntime() {
        if (onnxRuntime == null) {
            onnxRuntime = djl("OnnxRuntime", "ONNX Runtime");
        }
        return onnxRuntime;
    }

    /** The TensorFlow Lite desktop interpreter: its JNI library is extracted once and loaded. */
    public static synchronized EngineInfo tflite() {
        if (tflite == null) {
            enforceOffline();
            Path lib = extractTfliteLibrary();
            System.load(lib.toString());
            tflite = new EngineInfo("TensorFlow Lite", org.tensorflow.lite.TensorFlowLite.runtimeVersion());
            LOG.debug("TFLite {} loaded from {}", tflite.version(), lib);
        }
        return tflite;
    }

    /** Starts all four (what {@code mrw info} reports). */
    public static List<EngineInfo> all() {
        return List.of(pytorch(), tensorflow(), tflite(), onnxRuntime());
    }

    private static EngineInfo djl(String djlName, String displayName) {
        enforceOffline();
        long start = System.nanoTime();
        Engine engine = Engine.getEngine(djlName);
        LOG.debug("{} {} started in {} ms", displayName, engine.getVersion(), (System.nanoTime() - start) / 1_000_000);
        return new EngineInfo(displayName, engine.getVersion());
    }

    /**
     * The folder holding the desktop TFLite JNI library (extracted if needed): the host device's agent
     * loads it from there ({@code libs=}), as a phone's agent loads its pushed libraries.
     */
    public static Path tfliteLibraryFolder() {
        return extractTfliteLibrary().getParent();
    }

    /** Copies libtensorflowlite_jni.so from the classpath to a per-version cache folder. */
    private static Path extractTfliteLibrary() {
        Path dir = cacheDir().resolve("tflite-" + TFLITE_NATIVE_VERSION);
        Path target = dir.resolve("libtensorflowlite_jni.so");
        try (InputStream in = Engines.class.getResourceAsStream("/native/lib/libtensorflowlite_jni.so")) {
            if (in == null) {
                throw new IllegalStateException("libtensorflowlite_jni.so is not on the classpath: "
                        + "ai.djl.tflite:tflite-native-cpu:" + TFLITE_NATIVE_VERSION + ":linux-x86_64 is missing; rebuild with mvn package");
            }
            byte[] bytes = in.readNBytes((int) MAX_NATIVE_LIBRARY_BYTES);
            if (Files.isRegularFile(target) && Files.size(target) == bytes.length) {
                return target;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "libtensorflowlite_jni", ".tmp");
            Files.write(tmp, bytes);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the TFLite native library to " + dir, e);
        }
    }

    /** Where extracted natives live: {@code $MRW_CACHE_DIR}, else {@code ~/.cache/mrw}. */
    public static Path cacheDir() {
        String env = System.getenv("MRW_CACHE_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".cache", "mrw");
    }
}
