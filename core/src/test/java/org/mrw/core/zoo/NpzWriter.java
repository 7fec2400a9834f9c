package org.mrw.core.zoo;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.mrw.core.data.NpyWriter;
import org.mrw.core.data.NpzArrays.FloatArray;

/** Writes float32 arrays as {@code numpy.savez} does (stored {@link NpyWriter} entries), for test fixtures. */
final class NpzWriter {

    private NpzWriter() {
    }

    static void write(Path file, Map<String, FloatArray> arrays) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, FloatArray> e : arrays.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                NpyWriter.write(zip, e.getValue());
                zip.closeEntry();
            }
        }
    }
}
