package org.mrw.core.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Writes small dataset files in every accepted format, byte by byte, for the reader tests. */
final class DataFiles {

    private DataFiles() {
    }

    /** Bytes {@code 0, 1, 2, ...} wrapping at 256: every value appears, so v -> v/255 is checked everywhere. */
    static byte[] ramp(int count) {
        byte[] b = new byte[count];
        for (int i = 0; i < count; i++) {
            b[i] = (byte) (i * 7 + 3);
        }
        return b;
    }

    /** An IDX file: magic {@code 00 00 type dims}, big-endian dimensions, data. */
    static byte[] idx(int type, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    static byte[] idxImages(int n, int h, int w, byte[] pixels) {
        return idx(0x08, new int[] {n, h, w}, pixels);
    }

    static byte[] idxLabels(byte[] labels) {
        return idx(0x08, new int[] {labels.length}, labels);
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] data) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            return Files.write(file, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path writeText(Path file, String text) {
        return write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A CIFAR-10 batch: per record one label byte and 3072 pixel bytes. */
    static byte[] cifar(byte[] labels, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(labels.length * 3073);
        for (int i = 0; i < labels.length; i++) {
            b.put(labels[i]).put(pixels, i * 3072, 3072);
        }
        return b.array();
    }

    /** An NPY file of format {@code version} (1, 2 or 3) with the header numpy would write. */
    static byte[] npy(int version, String descr, boolean fortran, long[] shape, byte[] data) {
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : Arrays.stream(shape).mapToObj(Long::toString).collect(Collectors.joining(", ", "(", ")"));
        return npyWithHeader(version, "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shapeText + ", }", data);
    }

    static byte[] npy(String descr, long[] shape, byte[] data) {
        return npy(1, descr, false, shape, data);
    }

    /** An NPY file with any header text, padded with spaces and a newline to a multiple of 64 bytes. */
    static byte[] npyWithHeader(int version, String dict, byte[] data) {
        int prefix = version == 1 ? 10 : 12;
        byte[] text = dict.getBytes(version == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int total = prefix + text.length + 1;
        int padded = (total + 63) / 64 * 64;
        ByteBuffer b = ByteBuffer.allocate(padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) version).put((byte) 0);
        int headerLength = padded - prefix;
        if (version == 1) {
            b.putShort((short) headerLength);
        } else {
            b.putInt(headerLength);
        }
        b.put(text);
        for (int i = prefix + text.length; i < padded - 1; i++) {
            b.put((byte) ' ');
        }
        b.put((byte) '\n');
        return b.put(data).array();
    }

    static byte[] floats(float[] values, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(order);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] doubles(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putDouble(v);
        }
        return b.array();
    }

    /** Integers as {@code size}-byte values in {@code order}. */
    static byte[] ints(long[] values, int size, ByteOrder order) {
        ByteBuffer b = ByteBuffer.allocate(size * values.length).order(order);
        for (long v : values) {
            switch (size) {
                case 1 -> b.put((byte) v);
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    static byte[] int64(long... values) {
        return ints(values, 8, ByteOrder.LITTLE_ENDIAN);
    }

    /** A zip of entries, each STORED or DEFLATED, as numpy.savez / savez_compressed write. */
    static byte[] zip(Map<String, byte[]> entries, boolean deflate) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(e.getValue());
                    entry.setMethod(ZipEntry.STORED);
                    entry.setSize(e.getValue().length);
                    entry.setCompressedSize(e.getValue().length);
                    entry.setCrc(crc.getValue());
                } else {
                    entry.setMethod(ZipEntry.DEFLATED);
                }
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A grey image with the given 8-bit values, row by row. */
    static BufferedImage grey(int w, int h, byte[] values) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setDataElements(0, 0, w, h, values);
        return image;
    }

    /** An RGB image whose pixel (x, y) has the 8-bit values r, g, b from {@code rgb}. */
    static BufferedImage rgb(int w, int h, int[][] rgb) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int[] p = rgb[y * w + x];
                image.setRGB(x, y, (p[0] << 16) | (p[1] << 8) | p[2]);
            }
        }
        return image;
    }

    static Path image(Path file, BufferedImage image, String format) {
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                if (!ImageIO.write(image, format, out)) {
                    throw new IllegalStateException("no ImageIO writer for " + format);
                }
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
