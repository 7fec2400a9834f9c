package org.mrw.core.model.tflite;

/**
 * TFLite's affine quantization of one tensor: a real value {@code r} is stored as the integer
 * {@code q = clamp(round(r / scale) + zeroPoint, min, max)} and read back as {@code (q - zeroPoint) * scale}.
 * The division is in float and rounding half away from zero, as in TFLite's kernels
 * ({@code TfLiteRound(value / scale)}).
 *
 * @param scale     real value of one integer step; positive and finite
 * @param zeroPoint the integer that stands for real 0; within {@code [min, max]}
 * @param min       smallest storable integer (-128 for int8, 0 for uint8)
 * @param max       largest storable integer (127 for int8, 255 for uint8)
 */
public record AffineQuantization(float scale, int zeroPoint, int min, int max) {

    public AffineQuantization {
        if (!(scale > 0f) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("quantization scale must be positive and finite, got " + scale);
        }
        if (min >= max || zeroPoint < min || zeroPoint > max) {
            throw new IllegalArgumentException("zero point " + zeroPoint + " must lie in [" + min + ", " + max + "]");
        }
    }

    /** Signed 8-bit: integers -128..127. */
    public static AffineQuantization int8(float scale, int zeroPoint) {
        return new AffineQuantization(scale, zeroPoint, -128, 127);
    }

    /** Unsigned 8-bit: integers 0..255. */
    public static AffineQuantization uint8(float scale, int zeroPoint) {
        return new AffineQuantization(scale, zeroPoint, 0, 255);
    }

    /**
     * The int8 quantization that covers {@code [lo, hi]} with 256 steps. The range is first widened
     * to contain 0, because TFLite needs real 0 (zero padding, ReLU) to be exactly representable; the
     * zero point is then rounded, which shifts the covered range by less than half a step.
     */
    public static AffineQuantization int8ForRange(float lo, float hi) {
        if (!Float.isFinite(lo) || !Float.isFinite(hi) || lo > hi) {
            throw new IllegalArgumentException("invalid range [" + lo + ", " + hi + "]");
        }
        float min = Math.min(lo, 0f);
        float max = Math.max(hi, 0f);
        // A tensor that is always 0 (a dead channel group) still needs a positive scale; any will do.
        float scale = max > min ? (max - min) / 255f : 1f / 255f;
        long zp = Math.round(-128.0 - min / (double) scale);
        return int8(scale, (int) Math.max(-128, Math.min(127, zp)));
    }

    /** The stored integer for real value {@code r}, saturated to {@code [min, max]}; NaN maps to the zero point. */
    public int quantize(float r) {
        // Divided in float, as TFLite's quantize kernels do, so values on a rounding boundary agree.
        float scaled = r / scale;
        double q = roundHalfAwayFromZero(scaled) + zeroPoint;
        if (Double.isNaN(q)) {
            return zeroPoint;
        }
        return (int) Math.max(min, Math.min(max, q));
    }

    /** The real value integer {@code q} stands for. */
    public float dequantize(int q) {
        return (q - zeroPoint) * scale;
    }

    /** Smallest real value that survives quantization unclipped. */
    public float realMin() {
        return dequantize(min);
    }

    /** Largest real value that survives quantization unclipped. */
    public float realMax() {
        return dequantize(max);
    }

    private static double roundHalfAwayFromZero(double v) {
        return Math.signum(v) * Math.floor(Math.abs(v) + 0.5);
    }
}
