package org.mrw.core.attack;

/** Pixel-space arithmetic shared by the attacks; arrays are NCHW batches of {@code size}-value images. */
public final class Perturbations {

    private Perturbations() {
    }

    /** Clamps every value into [0,1] in place. */
    public static void clip01(float[] x) {
        for (int j = 0; j < x.length; j++) {
            x[j] = Math.min(1f, Math.max(0f, x[j]));
        }
    }

    /**
     * Projects {@code x} in place onto the ε-ball around {@code clean} in {@code norm}, intersected with
     * [0,1]. For L2 the change is first scaled back to length ε, then clipped (clipping only shortens it).
     */
    public static void project(float[] x, float[] clean, int n, int size, Norm norm, double eps) {
        if (norm == Norm.LINF) {
            for (int j = 0; j < x.length; j++) {
                float lo = (float) Math.max(0.0, clean[j] - eps);
                float hi = (float) Math.min(1.0, clean[j] + eps);
                x[j] = Math.min(hi, Math.max(lo, x[j]));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int base = i * size;
            double length = Norm.L2.distance(x, clean, i, size);
            double scale = length > eps ? eps / length : 1.0;
            for (int j = base; j < base + size; j++) {
                float v = (float) (clean[j] + (x[j] - clean[j]) * scale);
                x[j] = Math.min(1f, Math.max(0f, v));
            }
        }
        // float rounding can leave a scaled change a hair over ε: shrink once more where it does
        for (int i = 0; i < n; i++) {
            double length = Norm.L2.distance(x, clean, i, size);
            if (length > eps) {
                int base = i * size;
                double scale = eps / length * (1 - 1e-6);
                for (int j = base; j < base + size; j++) {
                    x[j] = (float) (clean[j] + (x[j] - clean[j]) * scale);
                }
            }
        }
    }

    /**
     * Adds {@code alpha} times the steepest-ascent direction of {@code gradient} in {@code norm}:
     * its sign for L∞, the gradient scaled to unit length per image for L2 (a zero gradient moves nothing).
     * {@code sign} is +1 to ascend (untargeted loss), -1 to descend (targeted loss).
     */
    public static void step(float[] x, float[] gradient, int n, int size, Norm norm, double alpha, int sign) {
        if (norm == Norm.LINF) {
            for (int j = 0; j < x.length; j++) {
                x[j] += (float) (sign * alpha * Math.signum(gradient[j]));
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int base = i * size;
            double length = 0;
            for (int j = base; j < base + size; j++) {
                length += (double) gradient[j] * gradient[j];
            }
            length = Math.sqrt(length);
            if (length == 0) {
                continue;
            }
            double scale = sign * alpha / length;
            for (int j = base; j < base + size; j++) {
                x[j] += (float) (scale * gradient[j]);
            }
        }
    }

    /** Rounds every value to the nearest of the 256 levels k/255 (what saving as an 8-bit PNG does). */
    public static float[] round8(float[] x) {
        float[] out = new float[x.length];
        for (int j = 0; j < x.length; j++) {
            out[j] = Math.round(Math.min(1f, Math.max(0f, x[j])) * 255f) / 255f;
        }
        return out;
    }

    /** {@code times} copies of {@code x} one after another (stacks a sweep into one batch). */
    public static float[] repeat(float[] x, int times) {
        float[] out = new float[x.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(x, 0, out, t * x.length, x.length);
        }
        return out;
    }

    /** {@code times} copies of {@code labels} one after another. */
    public static int[] repeat(int[] labels, int times) {
        int[] out = new int[labels.length * times];
        for (int t = 0; t < times; t++) {
            System.arraycopy(labels, 0, out, t * labels.length, labels.length);
        }
        return out;
    }

    /** Images {@code images} of {@code x}, in that order, one after another. */
    public static float[] gather(float[] x, int[] images, int size) {
        float[] out = new float[images.length * size];
        for (int a = 0; a < images.length; a++) {
            System.arraycopy(x, images[a] * size, out, a * size, size);
        }
        return out;
    }
}
