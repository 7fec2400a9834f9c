package org.mrw.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The lossless palette encoding of an INFER tensor: the tensor's distinct float32 values once, then
 * one u8 (at most 256 values) or u16 (at most 65,536) index per element.
 *
 * <p>Why: test images are 8-bit pictures, so a preprocessed batch holds at most 256 distinct values
 * per channel (Fashion-MNIST's {@code k/255}: one palette of ≤ 256), and the agent rebuilds the very
 * same floats by lookup — no arithmetic, so no rounding difference between the two sides. A batch
 * of 100 Fashion-MNIST images shrinks from 313,600 bytes to 79,424; over a phone's USB link, where
 * transfer competes with inference, that is most of the wire time. Tensors with more distinct values
 * (float adversarials, for instance) go as plain float32.
 *
 * <p>Payload: {@code P} float32 little-endian palette entries, then {@code n} indices (u8, or u16
 * little-endian), every index below {@code P}. The header names the encoding and {@code P}.
 */
public final class Palette {

    /** Wire names of the INFER payload encodings (header field {@code encoding}). */
    public static final String FLOAT32 = "float32";
    public static final String PALETTE8 = "palette8";
    public static final String PALETTE16 = "palette16";

    /** Largest palette of each index width. */
    public static final int MAX8 = 256;
    public static final int MAX16 = 65536;

    private static final int EMPTY = 0; // slot marker: table entries hold index + 1

    /** Bits of {@code k / 255f}: 8-bit pixels scaled to [0, 1], the common case, found without hashing. */
    private static final int[] GRID = new int[256];

    static {
        for (int k = 0; k < 256; k++) {
            GRID[k] = Float.floatToRawIntBits(k / 255f);
        }
    }

    private final int limit;
    private int[] keys = new int[1024];
    private int[] slots = new int[1024];
    private float[] entries = new float[MAX8];
    private char[] indices = new char[0];
    private final int[] gridIndex = new int[256];

    /** An encoder that gives up above {@code limit} distinct values (at most {@link #MAX16}). */
    public Palette(int limit) {
        if (limit < 1 || limit > MAX16) {
            throw new IllegalArgumentException("palette limit " + limit + " is outside 1.." + MAX16);
        }
        this.limit = limit;
    }

    /** One encoded tensor: its encoding's wire name, palette size and payload. */
    public static final class Encoded {
        public final String encoding;
        public final int paletteSize;
        public final byte[] payload;

        Encoded(String encoding, int paletteSize, byte[] payload) {
            this.encoding = encoding;
            this.paletteSize = paletteSize;
            this.payload = payload;
        }
    }

    /**
     * The palette encoding of {@code values}, or null when it has more distinct values (bit patterns)
     * than this encoder's limit or the palette would not make the payload smaller than float32.
     * Not thread-safe: an encoder reuses its tables between calls.
     */
    public Encoded encode(float[] values) {
        int n = values.length;
        if (indices.length < n) {
            indices = new char[n];
        }
        Arrays.fill(slots, EMPTY);
        Arrays.fill(gridIndex, -1);
        int size = 0;
        int lastBits = 0;
        int lastIndex = -1;
        for (int i = 0; i < n; i++) {
            float v = values[i];
            int bits = Float.floatToRawIntBits(v);
            if (bits != lastBits || lastIndex < 0) { // runs of one value (a background) cost one compare
                int k = (int) (v * 255f + 0.5f);
                boolean onGrid = k >= 0 && k < 256 && GRID[k] == bits;
                if (onGrid && gridIndex[k] >= 0) {
                    lastIndex = gridIndex[k]; // a k/255 value seen before: no hashing
                } else {
                    lastIndex = indexOf(bits, size);
                    if (lastIndex == size) {
                        if (size == limit) {
                            return null;
                        }
                        if (size == entries.length) {
                            entries = Arrays.copyOf(entries, Math.min(MAX16, size * 2));
                        }
                        entries[size++] = v;
                        if (size * 2 > keys.length) {
                            rehash(size);
                        }
                    }
                    if (onGrid) {
                        gridIndex[k] = lastIndex;
                    }
                }
                lastBits = bits;
            }
            indices[i] = (char) lastIndex;
        }
        int width = size <= MAX8 ? 1 : 2;
        long bytes = 4L * size + (long) width * n;
        if (bytes >= 4L * n) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int p = 0; p < size; p++) {
            out.putFloat(entries[p]);
        }
        byte[] array = out.array();
        int at = 4 * size;
        if (width == 1) {
            for (int i = 0; i < n; i++) {
                array[at + i] = (byte) indices[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                array[at + 2 * i] = (byte) indices[i];
                array[at + 2 * i + 1] = (byte) (indices[i] >>> 8);
            }
        }
        return new Encoded(width == 1 ? PALETTE8 : PALETTE16, size, array);
    }

    /** The palette index of {@code bits}, or {@code size} after claiming a slot for a new value. */
    private int indexOf(int bits, int size) {
        int mask = slots.length - 1;
        int h = mix(bits) & mask;
        while (true) {
            int s = slots[h];
            if (s == EMPTY) {
                keys[h] = bits;
                slots[h] = size + 1;
                return size;
            }
            if (keys[h] == bits) {
                return s - 1;
            }
            h = (h + 1) & mask;
        }
    }

    private void rehash(int size) {
        int capacity = keys.length * 2;
        keys = new int[capacity];
        slots = new int[capacity];
        int mask = capacity - 1;
        for (int p = 0; p < size; p++) {
            int bits = Float.floatToRawIntBits(entries[p]);
            int h = mix(bits) & mask;
            while (slots[h] != EMPTY) {
                h = (h + 1) & mask;
            }
            keys[h] = bits;
            slots[h] = p + 1;
        }
    }

    private static int mix(int bits) {
        int h = bits * 0x9E3779B9;
        return h ^ (h >>> 16);
    }

    /**
     * Decodes a palette payload of {@code expectedCount} elements.
     *
     * @throws ProtocolException for an unknown encoding, a palette size outside 1..256 (u8) or
     *         1..65,536 (u16), a payload of another length, or an index at or above the palette size
     */
    public static float[] decode(String encoding, int paletteSize, byte[] payload, long expectedCount, String what)
            throws ProtocolException {
        int width;
        if (PALETTE8.equals(encoding)) {
            width = 1;
        } else if (PALETTE16.equals(encoding)) {
            width = 2;
        } else {
            throw new ProtocolException(what + ": unknown encoding \"" + encoding + "\" (known: " + FLOAT32 + ", " + PALETTE8
                    + ", " + PALETTE16 + ")");
        }
        int max = width == 1 ? MAX8 : MAX16;
        if (paletteSize < 1 || paletteSize > max) {
            throw new ProtocolException(what + ": palette of " + paletteSize + " entries, " + encoding + " allows 1.." + max);
        }
        long expectedBytes = 4L * paletteSize + width * expectedCount;
        if (expectedCount < 1 || expectedCount > Integer.MAX_VALUE || payload.length != expectedBytes) {
            throw new ProtocolException(what + ": " + encoding + " payload of " + payload.length + " bytes, expected "
                    + expectedBytes + " (" + paletteSize + " float32 entries and " + expectedCount + " indices of " + width
                    + " byte" + (width == 1 ? "" : "s") + ")");
        }
        ByteBuffer in = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
        float[] palette = new float[paletteSize];
        in.asFloatBuffer().get(palette);
        int n = (int) expectedCount;
        float[] values = new float[n];
        int at = 4 * paletteSize;
        for (int i = 0; i < n; i++) {
            int index = width == 1 ? payload[at + i] & 0xff : (payload[at + 2 * i] & 0xff) | (payload[at + 2 * i + 1] & 0xff) << 8;
            if (index >= paletteSize) {
                throw new ProtocolException(what + ": element " + i + " has palette index " + index + ", the palette has "
                        + paletteSize + " entries");
            }
            values[i] = palette[index];
        }
        return values;
    }
}
