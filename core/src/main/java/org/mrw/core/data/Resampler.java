package org.mrw.core.data;

/**
 * Resizes and crops planar images the way torchvision's {@code Resize(s)} + {@code CenterCrop(c)} do on
 * PIL images, so image-folder inputs match the paper's preprocessing: PIL's separable, antialiased
 * bicubic filter ({@code a = -0.5}, support widened by the scale when shrinking), horizontal pass first,
 * values clipped to [0,1] after each pass as PIL clips to 0..255.
 */
final class Resampler {

    private static final double A = -0.5;
    private static final double SUPPORT = 2.0;

    /** For each output pixel, the first input pixel and the normalised weights of those that follow. */
    private record Kernel(int[] first, double[][] weights) {
    }

    private Resampler() {
    }

    /**
     * {@code {height, width}} after resizing the shorter side to {@code shorter}, the longer side
     * truncated as torchvision computes it ({@code int(shorter * long / short)}).
     */
    static int[] resizedSize(int height, int width, int shorter) {
        if (height <= width) {
            return new int[] {shorter, (int) ((long) shorter * width / height)};
        }
        return new int[] {(int) ((long) shorter * height / width), shorter};
    }

    /** {@code channels} planes of {@code height x width} resized to {@code outHeight x outWidth}. */
    static float[] resize(float[] planes, int channels, int height, int width, int outHeight, int outWidth) {
        float[] out = planes;
        int w = width;
        if (outWidth != width) {
            Kernel k = kernel(width, outWidth);
            float[] next = new float[channels * height * outWidth];
            for (int row = 0; row < channels * height; row++) {
                for (int x = 0; x < outWidth; x++) {
                    double sum = 0;
                    double[] weights = k.weights()[x];
                    int base = row * w + k.first()[x];
                    for (int i = 0; i < weights.length; i++) {
                        sum += weights[i] * out[base + i];
                    }
                    next[row * outWidth + x] = clip(sum);
                }
            }
            out = next;
            w = outWidth;
        }
        if (outHeight != height) {
            Kernel k = kernel(height, outHeight);
            float[] next = new float[channels * outHeight * w];
            for (int ch = 0; ch < channels; ch++) {
                int inPlane = ch * height * w;
                int outPlane = ch * outHeight * w;
                for (int y = 0; y < outHeight; y++) {
                    double[] weights = k.weights()[y];
                    int firstRow = k.first()[y];
                    for (int x = 0; x < w; x++) {
                        double sum = 0;
                        for (int i = 0; i < weights.length; i++) {
                            sum += weights[i] * out[inPlane + (firstRow + i) * w + x];
                        }
                        next[outPlane + y * w + x] = clip(sum);
                    }
                }
            }
            out = next;
        }
        return out == planes ? planes.clone() : out;
    }

    /**
     * The centre {@code size x size} of each plane; the offsets round half to even as Python's
     * {@code round} does in torchvision's {@code center_crop}.
     */
    static float[] centreCrop(float[] planes, int channels, int height, int width, int size) {
        if (size > height || size > width) {
            throw new IllegalArgumentException("crop " + size + " is larger than the image " + width + "x" + height);
        }
        int top = (int) Math.rint((height - size) / 2.0);
        int left = (int) Math.rint((width - size) / 2.0);
        float[] out = new float[channels * size * size];
        for (int ch = 0; ch < channels; ch++) {
            for (int y = 0; y < size; y++) {
                System.arraycopy(planes, ch * height * width + (top + y) * width + left, out, (ch * size + y) * size, size);
            }
        }
        return out;
    }

    /** PIL's {@code precompute_coeffs} for the bicubic filter. */
    private static Kernel kernel(int in, int out) {
        double scale = (double) in / out;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] first = new int[out];
        double[][] weights = new double[out][];
        for (int x = 0; x < out; x++) {
            double centre = (x + 0.5) * scale;
            int min = Math.max((int) (centre - support + 0.5), 0);
            int max = Math.min((int) (centre + support + 0.5), in);
            double[] w = new double[Math.max(max - min, 0)];
            double total = 0;
            for (int i = 0; i < w.length; i++) {
                w[i] = bicubic((i + min - centre + 0.5) / filterScale);
                total += w[i];
            }
            if (total != 0) {
                for (int i = 0; i < w.length; i++) {
                    w[i] /= total;
                }
            }
            first[x] = min;
            weights[x] = w;
        }
        return new Kernel(first, weights);
    }

    private static double bicubic(double x) {
        double t = Math.abs(x);
        if (t < 1) {
            return ((A + 2) * t - (A + 3)) * t * t + 1;
        }
        if (t < 2) {
            return (((t - 5) * t + 8) * t - 4) * A;
        }
        return 0;
    }

    private static float clip(double v) {
        return (float) Math.min(1.0, Math.max(0.0, v));
    }
}
