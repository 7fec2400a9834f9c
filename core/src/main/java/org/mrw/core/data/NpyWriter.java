package org.mrw.core.data;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.mrw.core.data.NpzArrays.FloatArray;

/**
 * Writes float arrays as NumPy {@code .npy} files exactly as {@code numpy.save} does for float32: format
 * 1.0, little-endian {@code '<f4'}, C order, header padded so the data starts on a 64-byte boundary.
 */
public final class NpyWriter {

    private static final int CHUNK_VALUES = 1 << 14;

    private NpyWriter() {
    }

    /** The complete {@code .npy} bytes of {@code array}. */
    public static byte[] bytes(FloatArray array) {
        byte[] header = header(array.shape());
        float[] values = array.values();
        ByteBuffer b = ByteBuffer.allocate(header.length + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header);
        b.asFloatBuffer().put(values);
        return b.array();
    }

    /** Writes {@code array} to {@code out} (header, then values in chunks: large tensors are not copied whole). */
    public static void write(OutputStream out, FloatArray array) throws IOException {
        out.write(header(array.shape()));
        float[] values = array.values();
        ByteBuffer chunk = ByteBuffer.allocate(4 * Math.min(CHUNK_VALUES, Math.max(1, values.length))).order(ByteOrder.LITTLE_ENDIAN);
        for (int from = 0; from < values.length; from += CHUNK_VALUES) {
            int n = Math.min(CHUNK_VALUES, values.length - from);
            chunk.clear();
            chunk.asFloatBuffer().put(values, from, n);
            out.write(chunk.array(), 0, 4 * n);
        }
    }

    /** Writes {@code array} to {@code file}, replacing it. */
    public static void write(Path file, FloatArray array) throws IOException {
        try (OutputStream out = new java.io.BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            write(out, array);
        }
    }

    private static byte[] header(int[] shape) {
        String dims = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
        StringBuilder dict = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }");
        // numpy pads the dict with spaces so the data starts on a 64-byte boundary, ending in a newline.
        while ((10 + dict.length() + 1) % 64 != 0) {
            dict.append(' ');
        }
        dict.append('\n');
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + text.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) text.length).put(text);
        return b.array();
    }
}
