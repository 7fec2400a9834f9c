package org.mrw.agent;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** The first n Fashion-MNIST test images (IDX, gzipped) as [0,1] floats, one 28×28 grey image each, and labels. */
record FashionMnist(float[] images, int[] labels, int n) {

    static final int PIXELS = 28 * 28;

    static FashionMnist firstTest(Path repoRoot, int n) throws IOException {
        Path dir = repoRoot.resolve("datasets/fashion-mnist");
        float[] images = new float[n * PIXELS];
        int[] labels = new int[n];
        try (DataInputStream in = open(dir.resolve("t10k-images-idx3-ubyte.gz"), 0x803)) {
            int count = in.readInt();
            int rows = in.readInt();
            int cols = in.readInt();
            if (count < n || rows * cols != PIXELS) {
                throw new IOException("unexpected image file: " + count + " images of " + rows + "x" + cols);
            }
            byte[] pixels = new byte[n * PIXELS];
            in.readFully(pixels);
            for (int i = 0; i < pixels.length; i++) {
                images[i] = (pixels[i] & 0xff) / 255f;
            }
        }
        try (DataInputStream in = open(dir.resolve("t10k-labels-idx1-ubyte.gz"), 0x801)) {
            in.readInt();
            for (int i = 0; i < n; i++) {
                labels[i] = in.readUnsignedByte();
            }
        }
        return new FashionMnist(images, labels, n);
    }

    private static DataInputStream open(Path file, int magic) throws IOException {
        InputStream raw = new GZIPInputStream(Files.newInputStream(file));
        DataInputStream in = new DataInputStream(raw);
        int m = in.readInt();
        if (m != magic) {
            in.close();
            throw new IOException(file + ": IDX magic " + Integer.toHexString(m) + ", expected " + Integer.toHexString(magic));
        }
        return in;
    }

    /**
     * Images [from, from+count) in a model's layout. The canonical order here is NCHW with C = 1;
     * NHWC puts channels last, which for one channel is the same order, but the copy goes through the
     * general transposition so a descriptor's layout is honoured as written.
     */
    float[] batch(int from, int count, String layout, int channels) {
        int hw = PIXELS;
        float[] out = new float[count * channels * hw];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                for (int p = 0; p < hw; p++) {
                    float v = images[(from + i) * PIXELS + p]; // grey image replicated over channels
                    int at = "NHWC".equals(layout) ? (i * hw + p) * channels + c : (i * channels + c) * hw + p;
                    out[at] = v;
                }
            }
        }
        return out;
    }
}
