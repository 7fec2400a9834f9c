package org.mrw.core.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a NumPy {@code .npz} archive of named float arrays, e.g. the weights {@code numpy.savez} writes
 * for the model zoo, or one float array from a {@code .npy} file ({@link NpyWriter} writes them). Parsing is {@link NpzReader}'s and {@link NpyReader}'s; format errors are
 * {@link DatasetFormatException}s naming the archive entry.
 */
public final class NpzArrays {

    /**
     * One float array, row-major (C order).
     *
     * @param shape  dimensions (empty for a scalar)
     * @param values {@code product(shape)} values
     */
    public record FloatArray(int[] shape, float[] values) {

        public FloatArray {
            Objects.requireNonNull(shape, "shape");
            Objects.requireNonNull(values, "values");
            long n = 1;
            for (int d : shape) {
                n *= d;
            }
            if (n != values.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n + " values, got "
                        + values.length);
            }
            shape = shape.clone();
        }

        /** A copy of the shape. */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** The values themselves (not copied: arrays of weights can be large). */
        @Override
        public float[] values() {
            return values;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof FloatArray a && Arrays.equals(shape, a.shape) && Arrays.equals(values, a.values);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
        }

        @Override
        public String toString() {
            return "FloatArray" + Arrays.toString(shape);
        }
    }

    private NpzArrays() {
    }

    /**
     * Every array of {@code file} by key (the entry name without {@code .npy}), in archive order.
     *
     * @throws DatasetFormatException when the file is no NPZ archive or an entry is not a float array
     * @throws UncheckedIOException   when the file cannot be read
     */
    public static Map<String, FloatArray> readFloats(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, FloatArray> arrays = new LinkedHashMap<>();
            for (Map.Entry<String, ZipEntry> e : NpzReader.arrays(zip).entrySet()) {
                arrays.put(e.getKey(), NpzReader.read(zip, e.getValue(), file, NpyReader::readFloatArray));
            }
            return Collections.unmodifiableMap(arrays);
        } catch (ZipException e) {
            throw new DatasetFormatException(file, "an NPZ archive (a zip of .npy files, as numpy.savez writes)",
                    "an unreadable zip (" + e.getMessage() + ")", "Save the arrays again with numpy.savez.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The float32/float64 array of a {@code .npy} file (gzip-compressed files are read too).
     *
     * @throws DatasetFormatException when the file is no NPY array of floats
     * @throws UncheckedIOException   when the file cannot be read
     */
    public static FloatArray readNpy(Path file) {
        ByteSource source = ByteSource.of(file);
        return source.read(NpyReader.FORMAT, o -> NpyReader.readFloatArray(
                new NpyReader.Stream(o.in(), source.path(), o.gzip() ? -1 : source.size(), o.gzip() ? source.size() : -1)));
    }
}
