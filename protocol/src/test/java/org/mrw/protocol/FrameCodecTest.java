package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class FrameCodecTest {

    private final FrameCodec codec = new FrameCodec();

    static byte[] bytes(Frame f) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameCodec().write(out, f);
        return out.toByteArray();
    }

    /** A prefix with chosen fields, for frames the writer would never produce. */
    static byte[] prefix(int magicBigEndian, int version, int type, int id, long headerLength, long payloadLength) {
        ByteBuffer b = ByteBuffer.allocate(FrameCodec.PREFIX_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.order(ByteOrder.BIG_ENDIAN).putInt(magicBigEndian).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) version).putShort((short) type).putInt(id).putInt((int) headerLength).putInt((int) payloadLength);
        return b.array();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(FrameType.class)
    void everyFrameTypeRoundTrips(FrameType type) throws IOException {
        Header h = Header.builder().put("model", 3).put("shape", new int[] {2, 28, 28, 1}).put("name", "ä \"q\" \n")
                .put("nested", Map.of("ok", true)).put("nothing", null).put("x", 0.25).build();
        byte[] payload = Tensors.toBytes(new float[] {1f, -2.5f, Float.MIN_VALUE});
        Frame f = new Frame(type, 0xfffffffe, h, payload);
        Frame back = codec.read(new ByteArrayInputStream(bytes(f)));
        assertThat(back.type()).isEqualTo(type);
        assertThat(back.requestId()).isEqualTo(0xfffffffe);
        assertThat(back.header()).isEqualTo(h);
        assertThat(back.payload()).isEqualTo(payload);
    }

    @Test
    void theWireLayoutIsTheDocumentedOne() throws IOException {
        byte[] b = bytes(new Frame(FrameType.PING, 0x01020304, Header.builder().put("a", 1).build(), new byte[] {9, 8}));
        assertThat(new String(b, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MRW1");
        assertThat(Arrays.copyOfRange(b, 4, 20)).containsExactly(1, 0, 9, 0, 4, 3, 2, 1, 7, 0, 0, 0, 2, 0, 0, 0);
        assertThat(new String(b, 20, 7, StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(Arrays.copyOfRange(b, 27, 29)).containsExactly(9, 8);
        assertThat(b).hasSize(29);
    }

    @Test
    void anEmptyHeaderIsWrittenAsZeroBytesAndReadAsAnEmptyObject() throws IOException {
        byte[] b = bytes(new Frame(FrameType.SHUTDOWN, 1, Header.EMPTY));
        assertThat(b).hasSize(FrameCodec.PREFIX_BYTES);
        assertThat(codec.read(new ByteArrayInputStream(b)).header().fields()).isEmpty();
    }

    @Test
    void aCleanEndOfStreamIsNull() throws IOException {
        assertThat(codec.read(new ByteArrayInputStream(new byte[0]))).isNull();
    }

    @Test
    void aStreamThatIsNotAnAgentIsNamed() {
        byte[] http = "GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(http))).isInstanceOf(ProtocolException.class)
                .hasMessage("bad magic 0x47455420 (\"GET \"): this stream is not an mrw agent (wrong port?)");
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(0x12345678, 1, 1, 1, 0, 0))))
                .hasMessageStartingWith("bad magic 0x12345678");
    }

    @Test
    void anotherVersionIsRefusedWithBothNumbers() {
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 2, 1, 1, 0, 0))))
                .isInstanceOf(ProtocolException.class)
                .hasMessage("peer speaks protocol 2, this side 1: redeploy the agent from this workbench");
    }

    @Test
    void unknownTypeCodesAreRefused() {
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 1, 77, 1, 0, 0))))
                .isInstanceOf(ProtocolException.class).hasMessageStartingWith("unknown frame type 77");
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 1, 0, 1, 0, 0))))
                .hasMessageStartingWith("unknown frame type 0");
    }

    @Test
    void lengthsOverTheLimitsAreRefusedBeforeReadingOn() {
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 1, 1, 1, 9_999_999, 0))))
                .isInstanceOf(ProtocolException.class).hasMessage("header of 9999999 bytes exceeds the 65536-byte limit");
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 1, 1, 1, 0, 0xffffffffL))))
                .hasMessage("payload of 4294967295 bytes exceeds the 268435456-byte limit");
        FrameCodec tight = new FrameCodec(100, 1000);
        assertThatThrownBy(() -> tight.read(new ByteArrayInputStream(prefix(Protocol.MAGIC, 1, 1, 1, 0, 1001))))
                .hasMessage("payload of 1001 bytes exceeds the 1000-byte limit");
        assertThatThrownBy(() -> tight.write(new ByteArrayOutputStream(), new Frame(FrameType.INFER, 1, Header.EMPTY, new byte[1001])))
                .hasMessage("payload of 1001 bytes exceeds the 1000-byte limit");
        assertThatThrownBy(() -> new FrameCodec(Protocol.MAX_HEADER_BYTES + 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void truncatedFramesSayHowFarTheyGot() throws IOException {
        byte[] full = bytes(new Frame(FrameType.INFER, 5, Header.EMPTY, new byte[784]));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(Arrays.copyOf(full, FrameCodec.PREFIX_BYTES + 10))))
                .isInstanceOf(ProtocolException.class).hasMessage("stream ended after 10 of 784 payload bytes of a INFER frame");
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(Arrays.copyOf(full, 7))))
                .hasMessage("stream ended after 7 of 20 frame prefix bytes");
        byte[] withHeader = bytes(new Frame(FrameType.HELLO, 5, Header.builder().put("token", "abc").build()));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(Arrays.copyOf(withHeader, 25))))
                .hasMessage("stream ended after 5 of 15 header bytes of a HELLO frame");
    }

    @Test
    void headersMustBeUtf8JsonObjects() {
        byte[] notUtf8 = concat(prefix(Protocol.MAGIC, 1, 1, 1, 2, 0), new byte[] {(byte) 0xc3, (byte) 0x28});
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(notUtf8))).hasMessageStartingWith("frame header is not valid UTF-8");
        byte[] array = concat(prefix(Protocol.MAGIC, 1, 1, 1, 2, 0), "[]".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(array))).hasMessage("a frame header must be a JSON object, not an array");
        byte[] broken = concat(prefix(Protocol.MAGIC, 1, 1, 1, 5, 0), "{\"a\":".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> codec.read(new ByteArrayInputStream(broken)))
                .hasMessage("malformed JSON header at offset 5: JSON text ended where a value was expected");
    }

    /** Counts what the codec pulls from the stream. */
    static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }

    @Test
    void aPeerThatAnnouncesMoreThanItSendsCostsOnlyWhatItSent() throws IOException {
        int claimed = 200_000_000;
        byte[] liar = concat(prefix(Protocol.MAGIC, 1, FrameType.INFER.code(), 1, 0, claimed), new byte[10]);
        CountingStream in = new CountingStream(new ByteArrayInputStream(liar));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        codecWarmUp();
        long before = threads.getThreadAllocatedBytes(tid);
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(ProtocolException.class)
                .hasMessage("stream ended after 10 of 200000000 payload bytes of a INFER frame");
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertThat(in.count).isEqualTo(FrameCodec.PREFIX_BYTES + 10);
        assertThat(allocated).as("bytes allocated while reading a lying frame").isLessThan(256 * 1024);
    }

    /** Loads the classes and message formatting once, so the measurement sees only the read itself. */
    private void codecWarmUp() throws IOException {
        byte[] small = concat(prefix(Protocol.MAGIC, 1, FrameType.INFER.code(), 1, 0, 100_000), new byte[10]);
        try {
            codec.read(new ByteArrayInputStream(small));
        } catch (ProtocolException expected) {
            // warm-up only
        }
    }

    @Test
    void largePayloadsArriveWhole() throws IOException {
        byte[] payload = new byte[3 * 1024 * 1024 + 17];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 31);
        }
        Frame back = codec.read(new ByteArrayInputStream(bytes(new Frame(FrameType.LOAD_MODEL, 2, Header.EMPTY, payload))));
        assertThat(back.payload()).isEqualTo(payload);
    }

    @Test
    void tensorsAreFloat32LittleEndian() throws ProtocolException {
        byte[] b = Tensors.toBytes(new float[] {1f});
        assertThat(b).containsExactly(0, 0, (byte) 0x80, 0x3f);
        assertThat(Tensors.fromBytes(b, 1, "x")).containsExactly(1f);
        assertThatThrownBy(() -> Tensors.fromBytes(b, 2, "INFER")).hasMessage("INFER: payload of 4 bytes, expected 2 float32 values (8 bytes)");
        assertThat(Tensors.elements(new int[] {2, 28, 28, 1})).isEqualTo(1568);
        assertThat(Tensors.elements(new int[] {65536, 65536})).isEqualTo(-1);
        assertThat(Tensors.elements(new int[] {0, 3})).isEqualTo(-1);
    }

    @Test
    void headerGettersNameTheFieldThatIsWrong() throws ProtocolException {
        Header h = Header.builder().put("model", "seven").put("shape", List.of(1, 2.5)).build();
        assertThatThrownBy(() -> h.intValue("model")).hasMessage("header field 'model' is \"seven\", expected an integer");
        assertThatThrownBy(() -> h.intValue("batch")).hasMessage("header field 'batch' is missing (fields present: [model, shape])");
        assertThatThrownBy(() -> h.intArray("shape")).hasMessage("header field 'shape' element 1 is 2.5, not a 32-bit integer");
        assertThat(h.intValue("batch", 4)).isEqualTo(4);
    }
}
