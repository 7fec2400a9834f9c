package org.mrw.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** float32 arrays to and from the little-endian bytes of a tensor payload. */
public final class Tensors {

    private Tensors() {
    }

    /** The float32 little-endian bytes of {@code values}. */
    public static byte[] toBytes(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /**
     * Reads float32 little-endian values.
     *
     * @throws ProtocolException when the byte count is not {@code 4 × expectedCount}
     */
    public static float[] fromBytes(byte[] bytes, long expectedCount, String what) throws ProtocolException {
        if (bytes.length != expectedCount * 4) {
            throw new ProtocolException(what + ": payload of " + bytes.length + " bytes, expected " + expectedCount
                    + " float32 values (" + expectedCount * 4 + " bytes)");
        }
        float[] values = new float[(int) expectedCount];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    /** The number of elements of a shape, or -1 when a dimension is below 1 or the product overflows an int. */
    public static long elements(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 1) {
                return -1;
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                return -1;
            }
        }
        return n;
    }
}
