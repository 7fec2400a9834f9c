package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties of the codec and the JSON reader: valid frames survive a round trip; any other bytes
 * are a clean ProtocolException (or, by chance, a valid frame), never another exception, never a
 * hang (the streams end) and never a read beyond the stream.
 */
class FrameCodecPropertyTest {

    private final FrameCodec codec = new FrameCodec();

    @Provide
    Arbitrary<Object> jsonValues() {
        Arbitrary<Object> leaves = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> (Object) s),
                Arbitraries.longs().map(l -> (Object) l),
                Arbitraries.doubles().filter(d -> !Double.isNaN(d) && !Double.isInfinite(d)).map(d -> (Object) d),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just(null));
        return Arbitraries.recursive(() -> leaves, inner -> Arbitraries.oneOf(
                inner.list().ofMaxSize(4).map(l -> (Object) l),
                Arbitraries.maps(Arbitraries.strings().ofMaxLength(8), inner).ofMaxSize(4).map(m -> (Object) m)), 0, 4);
    }

    @Provide
    Arbitrary<Frame> frames() {
        Arbitrary<Header> headers = Arbitraries.maps(Arbitraries.strings().ofMaxLength(10), jsonValues()).ofMaxSize(5)
                .map(m -> {
                    Header.Builder b = Header.builder();
                    m.forEach(b::put);
                    return b.build();
                });
        return Combinators.combine(Arbitraries.of(FrameType.class), Arbitraries.integers(), headers,
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300)).as(Frame::new);
    }

    @Property(tries = 300)
    void framesRoundTrip(@ForAll("frames") Frame f) throws IOException {
        Frame back = codec.read(new ByteArrayInputStream(FrameCodecTest.bytes(f)));
        assertThat(back.type()).isEqualTo(f.type());
        assertThat(back.requestId()).isEqualTo(f.requestId());
        assertThat(back.header()).isEqualTo(f.header());
        assertThat(back.payload()).isEqualTo(f.payload());
    }

    @Property(tries = 300)
    void truncatedFramesAreProtocolErrors(@ForAll("frames") Frame f, @ForAll @IntRange(min = 1, max = 10_000) int cut)
            throws IOException {
        byte[] full = FrameCodecTest.bytes(f);
        int length = Math.max(1, full.length - cut);
        if (length >= full.length) {
            return;
        }
        assertThat(outcome(Arrays.copyOf(full, length))).startsWith("ProtocolException");
    }

    @Property(tries = 1000)
    void randomBytesAreAProtocolErrorOrAFrame(@ForAll @Size(max = 200) byte[] noise) {
        assertThat(outcome(noise)).matches("ProtocolException.*|frame|end");
    }

    @Property(tries = 1000)
    void randomBytesAfterAValidMagicAndVersionAreAProtocolErrorOrAFrame(@ForAll @Size(max = 120) byte[] noise,
            @ForAll @IntRange(min = 1, max = 10) int type) {
        byte[] start = FrameCodecTest.prefix(Protocol.MAGIC, Protocol.VERSION, type, 1, 0, 0);
        byte[] bytes = FrameCodecTest.concat(Arrays.copyOf(start, 8), noise);
        assertThat(outcome(bytes)).matches("ProtocolException.*|frame");
    }

    @Property(tries = 500)
    void mutatedFramesAreAProtocolErrorOrAFrame(@ForAll("frames") Frame f, @ForAll @IntRange(min = 0, max = 400) int at,
            @ForAll byte value) throws IOException {
        byte[] bytes = FrameCodecTest.bytes(f);
        bytes[at % bytes.length] = value;
        assertThat(outcome(bytes)).matches("ProtocolException.*|frame");
    }

    /** Reads one frame; names the outcome and checks the codec never read past the end. */
    private String outcome(byte[] bytes) {
        FrameCodecTest.CountingStream in = new FrameCodecTest.CountingStream(new ByteArrayInputStream(bytes));
        try {
            Frame f = codec.read(in);
            assertThat(in.count).isLessThanOrEqualTo(bytes.length);
            return f == null ? "end" : "frame";
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).isNotBlank();
            return "ProtocolException: " + e.getMessage();
        } catch (IOException e) {
            return "other " + e;
        }
    }

    @Property(tries = 500)
    void jsonRoundTrips(@ForAll("jsonValues") Object value) throws ProtocolException {
        assertThat(Json.parse(Json.write(value), Integer.MAX_VALUE)).isEqualTo(normalise(value));
    }

    /** What a value reads back as: doubles that are whole numbers below 1e15 are written as integers. */
    private static Object normalise(Object v) {
        if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            return d.longValue() == 0 && 1 / d < 0 ? 0L : d.longValue();
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(normalise(x)));
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, normalise(x)));
            return out;
        }
        return v;
    }

    @Property(tries = 2000)
    void jsonFuzzIsAValueOrAProtocolError(@ForAll("jsonish") String text) {
        try {
            Json.parse(text, 10_000);
        } catch (ProtocolException e) {
            assertThat(e.getMessage()).startsWith("malformed JSON header at offset ");
        }
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> valid = jsonValues().map(Json::write);
        Arbitrary<String> mutated = Combinators.combine(valid, Arbitraries.integers().between(0, 50),
                Arbitraries.of('{', '}', '[', ']', '"', '\\', ',', ':', '-', 'e', '.', '0', 'u', 'n', ' ', '\u0001'))
                .as((s, i, c) -> s.isEmpty() ? String.valueOf(c) : s.substring(0, i % s.length()) + c + s.substring(i % s.length()));
        Arbitrary<String> soup = Arbitraries.strings().withChars("{}[]\",:-+.eE0123456789tfrulnasx\\ \n").ofMaxLength(40);
        return Arbitraries.oneOf(valid, mutated, soup, Arbitraries.strings().ofMaxLength(40));
    }
}
