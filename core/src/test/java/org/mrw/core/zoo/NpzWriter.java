package org.mrw.core.zoo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mrw.core.data.NpzArrays.FloatArray;

/** Writes float32 arrays as {@code numpy.savez} does (NPY 1.0 entries, stored), for test fixtures. */
final class NpzWriter {

    private NpzWriter() {
    }

    static void write(Path file, Map<String, FloatArray> arrays) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, FloatArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(npy(e.getValue()));
                zip.closeEntry();
            }
        }
    }

    static byte[] npy(FloatArray a) {
        int[] shape = a.shape();
        String dims = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(String::valueOf).collect(Collectors.joining(", ", "(", ")"));
        StringBuilder header = new StringBuilder("{'descr': '<f4', 'fortran_order': False, 'shape': " + dims + ", }");
        // numpy pads the header with spaces so the data starts on a 64-byte boundary, ending in a newline.
        while ((10 + header.length() + 1) % 64 != 0) {
            header.append(' ');
        }
        header.append('\n');
        byte[] h = header.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(10 + h.length + 4 * a.values().length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) h.length).put(h);
        for (float v : a.values()) {
            b.putFloat(v);
        }
        return b.array();
    }
}
