package org.mrw.agent.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.tensorflow.lite.DataType;
import org.tensorflow.lite.Tensor;

/**
 * The {@link Tensor} calls the TFLite runtime makes, through reflection. Why: {@code Tensor} is a final
 * class in the desktop TFLite 2.6.2 this agent compiles against and an interface in Android's 2.16.1,
 * so a direct call compiles to {@code invokevirtual}, which fails on a phone with
 * IncompatibleClassChangeError (TfliteApiCompatibilityIT pins the difference). Methods looked up on
 * {@code Tensor.class} work on both. A handful of calls per batch cost nothing next to inference.
 */
final class TensorCalls {

    private static final Method SHAPE = method("shape");
    private static final Method DATA_TYPE = method("dataType");
    private static final Method NUM_BYTES = method("numBytes");
    private static final Method QUANTIZATION = method("quantizationParams");

    private TensorCalls() {
    }

    private static Method method(String name) {
        try {
            return Tensor.class.getMethod(name);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("this TensorFlow Lite has no Tensor." + name + "()", e);
        }
    }

    static int[] shape(Tensor t) {
        return (int[]) call(SHAPE, t);
    }

    static DataType dataType(Tensor t) {
        return (DataType) call(DATA_TYPE, t);
    }

    static int numBytes(Tensor t) {
        return (Integer) call(NUM_BYTES, t);
    }

    static Tensor.QuantizationParams quantizationParams(Tensor t) {
        return (Tensor.QuantizationParams) call(QUANTIZATION, t);
    }

    private static Object call(Method m, Tensor t) {
        try {
            return m.invoke(t);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            throw new IllegalStateException("Tensor." + m.getName() + "() failed: " + cause, cause);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Tensor." + m.getName() + "() is not accessible: " + e, e);
        }
    }
}
