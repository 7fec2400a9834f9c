package org.mrw.agent.host;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;

/**
 * Switches the host agent's libtorch to the QNNPACK quantized engine, as core's
 * {@code org.mrw.core.engine.QuantizedEngine} does for the workbench's own process (its comment has the
 * why: the zoo's int8 TorchScript files were calibrated for QNNPACK, which PyTorch Mobile runs on phones,
 * while desktop libtorch defaults to FBGEMM, whose AVX2 kernels saturate). Java 8 and no logging, like the
 * rest of the agent; the agent cannot use core's class because a phone's agent has no core.
 */
final class QuantizedEngine {

    private static final String[] NAMES = {"none", "fbgemm", "qnnpack", "onednn", "x86"};
    private static final byte QNNPACK = 2;
    private static final long MAX_ENGINES = 16;

    private QuantizedEngine() {
    }

    /** Sets QNNPACK after DJL's PyTorch engine started; returns the engine in force, or why it is not QNNPACK. */
    static String useQnnpack() {
        try {
            File lib = new File(ai.djl.pytorch.jni.LibUtils.getLibtorchPath(), "libtorch_cpu.so");
            NativeLibrary torch = NativeLibrary.getInstance(lib.getPath());
            Pointer context = torch.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            // const std::vector<c10::QEngine>&: {begin, end, capacity}, one byte per engine
            Pointer vector = torch.getFunction("_ZN2at7Context17supportedQEnginesEv").invokePointer(new Object[] {context});
            Pointer begin = vector.getPointer(0);
            long count = Pointer.nativeValue(vector.getPointer(Native.POINTER_SIZE)) - Pointer.nativeValue(begin);
            if (begin == null || count < 0 || count > MAX_ENGINES) {
                return "default (unexpected supportedQEngines vector)";
            }
            boolean hasQnnpack = false;
            for (byte b : begin.getByteArray(0, (int) count)) {
                hasQnnpack |= b == QNNPACK;
            }
            if (!hasQnnpack) {
                return "default (this libtorch has no QNNPACK)"; // setQEngine would throw a C++ exception
            }
            torch.getFunction("_ZN2at7Context10setQEngineEN3c107QEngineE").invoke(Void.class, new Object[] {context, QNNPACK});
            int now = torch.getFunction("_ZNK2at7Context7qEngineEv").invokeInt(new Object[] {context}) & 0xff;
            return now < NAMES.length ? NAMES[now] : "engine " + now;
        } catch (RuntimeException | LinkageError e) {
            return "default (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }
}
