package org.mrw.core.engine;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libtorch's quantized engine, which runs every int8 TorchScript model of the process. The zoo's int8
 * {@code .pt}/{@code .ptl} files were calibrated for QNNPACK, the engine PyTorch Mobile uses on phones; but
 * desktop libtorch picks "x86" (FBGEMM), whose AVX2 kernels saturate 16-bit sums of products that QNNPACK
 * does not. On an AVX2-only CPU the int8 MobileNetV2 then scores 0.8953 instead of 0.9027 (Python's
 * PyTorch with QNNPACK; measured here on an AMD EPYC): a platform artefact, not the model. So the workbench
 * switches the engine to QNNPACK when libtorch starts.
 *
 * <p>DJL exposes no call for it (Python's {@code torch.backends.quantized.engine = "qnnpack"}), so this
 * class calls libtorch's C++ {@code at::globalContext().setQEngine(QNNPACK)} through JNA (on the classpath
 * with DJL): on x86-64 a member function is a C function taking {@code this} first. The engine must be set
 * before an int8 model is loaded, because loading packs its weights for the current engine. The host
 * device's agent (a child JVM with this class path) calls {@link #useQnnpack()} too.
 */
public final class QuantizedEngine {

    private static final Logger LOG = LoggerFactory.getLogger(QuantizedEngine.class);

    /** c10::QEngine's values, in its order (c10/core/QEngine.h). */
    private static final List<String> NAMES = List.of("none", "fbgemm", "qnnpack", "onednn", "x86");
    private static final byte QNNPACK = 2;
    /** More entries than c10::QEngine has values means the vector was misread: never read beyond it. */
    private static final long MAX_ENGINES = 16;

    private static volatile String current = "not started";

    private QuantizedEngine() {
    }

    /** The engine int8 TorchScript models run on in this process ("qnnpack"), or why it could not be set. */
    public static String current() {
        return current;
    }

    /**
     * Switches libtorch's quantized engine to QNNPACK; call after DJL's PyTorch engine has started.
     *
     * @return the engine in force afterwards, as {@link #current()}
     */
    public static synchronized String useQnnpack() {
        if (current.equals("qnnpack")) {
            return current;
        }
        try {
            Path lib = Path.of(ai.djl.pytorch.jni.LibUtils.getLibtorchPath(), "libtorch_cpu.so");
            if (!Files.isRegularFile(lib)) {
                return fail("libtorch_cpu.so not found beside DJL's libtorch (" + lib.getParent() + ")");
            }
            NativeLibrary torch = NativeLibrary.getInstance(lib.toString());
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            List<String> supported = supported(torch, context);
            if (!supported.contains("qnnpack")) {
                // setQEngine would throw a C++ exception, which must never cross into the JVM
                return fail("this libtorch has no QNNPACK (engines: " + supported + ")");
            }
            torch.getFunction("_ZN2at7Context10setQEngineEN3c107QEngineE").invoke(Void.class, new Object[] {context, QNNPACK});
            String now = engine(torch, context);
            if (!now.equals("qnnpack")) {
                return fail("libtorch kept the quantized engine " + now);
            }
            current = now;
            LOG.debug("libtorch quantized engine: qnnpack (supported: {})", supported);
            return current;
        } catch (RuntimeException | LinkageError e) {
            return fail(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    private static String engine(NativeLibrary torch, Pointer context) {
        int value = torch.getFunction("_ZNK2at7Context7qEngineEv").invokeInt(new Object[] {context}) & 0xff;
        return name(value);
    }

    /** {@code const std::vector<c10::QEngine>&}: a pointer to {begin, end, capacity}, one byte per engine. */
    private static List<String> supported(NativeLibrary torch, Pointer context) {
        Pointer vector = torch.getFunction("_ZN2at7Context17supportedQEnginesEv").invokePointer(new Object[] {context});
        long begin = Pointer.nativeValue(vector.getPointer(0));
        long end = Pointer.nativeValue(vector.getPointer(Native.POINTER_SIZE));
        long count = end - begin;
        if (begin == 0 || count < 0 || count > MAX_ENGINES) {
            throw new IllegalStateException("unexpected supportedQEngines() vector (" + count + " entries)");
        }
        List<String> names = new ArrayList<>();
        byte[] values = vector.getPointer(0).getByteArray(0, (int) count);
        for (byte v : values) {
            names.add(name(v & 0xff));
        }
        return names;
    }

    private static String name(int value) {
        return value < NAMES.size() ? NAMES.get(value) : "engine " + value;
    }

    private static String fail(String why) {
        current = "libtorch's default (QNNPACK not set: " + why + ")";
        LOG.warn("int8 PyTorch models run on libtorch's default quantized engine, not QNNPACK: {}; their results can "
                + "differ from PyTorch Mobile's and between CPUs", why);
        return current;
    }

}
