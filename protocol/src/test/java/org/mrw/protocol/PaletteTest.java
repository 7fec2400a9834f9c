package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * The palette encoding is lossless to the bit, picks the narrowest index, declines when it would not
 * save bytes, and its decoder turns every malformed payload into a ProtocolException.
 */
class PaletteTest {

    /** {@code n} values drawn from {@code distinct} random floats (some negative zeros among them). */
    private static float[] tensor(int n, int distinct, long seed) {
        Random r = new Random(seed);
        float[] pool = new float[distinct];
        for (int i = 0; i < distinct; i++) {
            pool[i] = i == 1 ? -0.0f : i == 0 ? 0.0f : (float) r.nextGaussian();
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = pool[r.nextInt(distinct)];
        }
        return out;
    }

    private static void assertBitIdentical(float[] back, float[] values) {
        assertThat(back).hasSameSizeAs(values);
        for (int i = 0; i < values.length; i++) {
            assertThat(Float.floatToRawIntBits(back[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(values[i]));
        }
    }

    @Test
    void anEightBitImageBatchGoesAsPalette8AtAQuarterOfTheBytes() throws ProtocolException {
        float[] batch = new float[100 * 784];
        Random r = new Random(1);
        for (int i = 0; i < batch.length; i++) {
            batch[i] = r.nextInt(3) == 0 ? 0f : r.nextInt(256) / 255f; // background runs and 8-bit pixels
        }
        Palette.Encoded e = new Palette(Palette.MAX16).encode(batch);
        assertThat(e.encoding).isEqualTo(Palette.PALETTE8);
        assertThat(e.payload.length).isEqualTo(4 * e.paletteSize + batch.length).isLessThanOrEqualTo(1024 + 78_400);
        assertBitIdentical(Palette.decode(e.encoding, e.paletteSize, e.payload, batch.length, "t"), batch);
    }

    @Test
    void moreThan256ValuesTakeSixteenBitIndicesAndTooManyTakeFloat32() throws ProtocolException {
        float[] normalizedRgb = tensor(150_000, 768, 2); // three channels, each with its own 256 values
        Palette.Encoded e = new Palette(Palette.MAX16).encode(normalizedRgb);
        assertThat(e.encoding).isEqualTo(Palette.PALETTE16);
        assertThat(e.paletteSize).isEqualTo(768);
        assertBitIdentical(Palette.decode(e.encoding, e.paletteSize, e.payload, normalizedRgb.length, "t"), normalizedRgb);
        assertThat(new Palette(256).encode(normalizedRgb)).as("over the encoder's limit").isNull();
        float[] noise = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = r.nextFloat();
        }
        assertThat(new Palette(Palette.MAX16).encode(noise)).as("no saving over float32").isNull();
    }

    @Test
    void anEncoderIsReusableAcrossTensorsOfOtherSizes() throws ProtocolException {
        Palette p = new Palette(Palette.MAX16);
        for (int round = 0; round < 4; round++) {
            float[] v = tensor(5000 + 3000 * round, round % 2 == 0 ? 1000 : 40, round);
            Palette.Encoded e = p.encode(v);
            assertBitIdentical(Palette.decode(e.encoding, e.paletteSize, e.payload, v.length, "t"), v);
        }
    }

    @Property(tries = 200)
    void everyEncodingDecodesToTheSameBits(@ForAll @IntRange(min = 1, max = 3000) int n,
            @ForAll @IntRange(min = 1, max = 1200) int distinct, @ForAll long seed) throws ProtocolException {
        float[] v = tensor(n, distinct, seed);
        Palette.Encoded e = new Palette(Palette.MAX16).encode(v);
        if (e == null) {
            return; // declined: float32 goes instead
        }
        assertThat(e.payload.length).isLessThan(4 * n);
        assertThat(e.encoding).isEqualTo(e.paletteSize <= 256 ? Palette.PALETTE8 : Palette.PALETTE16);
        assertBitIdentical(Palette.decode(e.encoding, e.paletteSize, e.payload, n, "t"), v);
    }

    @Test
    void malformedPayloadsAreNamed() {
        byte[] twoEntriesThreeIndices = ByteBuffer.allocate(11).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(2f)
                .put((byte) 0).put((byte) 1).put((byte) 2).array();
        assertThatThrownBy(() -> Palette.decode(Palette.PALETTE8, 2, twoEntriesThreeIndices, 3, "INFER"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("INFER: element 2 has palette index 2, the palette has 2 entries");
        assertThatThrownBy(() -> Palette.decode(Palette.PALETTE8, 2, twoEntriesThreeIndices, 4, "INFER"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("INFER: palette8 payload of 11 bytes, expected 12 (2 float32 entries and 4 indices of 1 byte)");
        assertThatThrownBy(() -> Palette.decode(Palette.PALETTE8, 257, new byte[2000], 900, "INFER"))
                .isInstanceOf(ProtocolException.class).hasMessage("INFER: palette of 257 entries, palette8 allows 1..256");
        assertThatThrownBy(() -> Palette.decode(Palette.PALETTE16, 0, new byte[8], 4, "INFER"))
                .isInstanceOf(ProtocolException.class).hasMessage("INFER: palette of 0 entries, palette16 allows 1..65536");
        assertThatThrownBy(() -> Palette.decode("zstd", 1, new byte[8], 4, "INFER"))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("INFER: unknown encoding \"zstd\" (known: float32, palette8, palette16)");
    }

    @Provide
    Arbitrary<String> encodings() {
        return Arbitraries.of(Palette.PALETTE8, Palette.PALETTE16);
    }

    @Property(tries = 500)
    void randomPayloadsDecodeOrFailCleanly(@ForAll("encodings") String encoding, @ForAll @IntRange(min = -2, max = 70_000) int size,
            @ForAll @Size(max = 600) byte[] payload, @ForAll @IntRange(min = 0, max = 600) int count) {
        try {
            float[] v = Palette.decode(encoding, size, payload, count, "t");
            assertThat(v).hasSize(count);
        } catch (ProtocolException expected) {
            assertThat(expected.getMessage()).startsWith("t: ");
        }
    }
}
