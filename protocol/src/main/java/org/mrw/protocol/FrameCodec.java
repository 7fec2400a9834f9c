package org.mrw.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes frames on a byte stream.
 *
 * <pre>
 * offset size  field            (integers little-endian)
 *  0      4    magic            the ASCII bytes "MRW1" ({@link Protocol#MAGIC} read big-endian)
 *  4      2    version          u16, {@link Protocol#VERSION}; any other value is refused
 *  6      2    type             u16, {@link FrameType#code()}; unknown codes are refused
 *  8      4    request id       u32, pairs a reply with its request
 * 12      4    header length    u32, bytes of UTF-8 JSON that follow (0 = {})
 * 16      4    payload length   u32, raw bytes after the header
 * 20      H    header           a UTF-8 JSON object
 * 20+H    P    payload          raw bytes; tensors are float32 little-endian, row-major
 * </pre>
 *
 * <p>Every length is checked against this codec's limits (at most {@link Protocol#MAX_HEADER_BYTES}
 * and {@link Protocol#MAX_PAYLOAD_BYTES}) before anything is allocated, and a payload is read in
 * chunks that start at 64 KiB and grow to at most 1 MiB, assembled only when all its bytes have
 * arrived: a peer that announces more than it sends costs at most about twice what it sent, plus 64 KiB.
 * Any violation is a {@link ProtocolException} whose message says what was wrong.
 *
 * <p>Not thread-safe: one reader and one writer per stream at a time (the caller synchronises).
 */
public final class FrameCodec {

    /** Bytes before the header: magic, version, type, request id, header and payload lengths. */
    public static final int PREFIX_BYTES = 20;

    private static final int FIRST_CHUNK = 64 * 1024;
    private static final int MAX_CHUNK = 1024 * 1024;

    private final int maxHeaderBytes;
    private final int maxPayloadBytes;

    /** A codec at the protocol's maxima. */
    public FrameCodec() {
        this(Protocol.MAX_HEADER_BYTES, Protocol.MAX_PAYLOAD_BYTES);
    }

    /**
     * A codec with tighter per-connection limits.
     *
     * @throws IllegalArgumentException when a limit is negative or above the protocol's maximum
     */
    public FrameCodec(int maxHeaderBytes, int maxPayloadBytes) {
        Protocol.checkLength("header limit", maxHeaderBytes, Protocol.MAX_HEADER_BYTES);
        Protocol.checkLength("payload limit", maxPayloadBytes, Protocol.MAX_PAYLOAD_BYTES);
        this.maxHeaderBytes = maxHeaderBytes;
        this.maxPayloadBytes = maxPayloadBytes;
    }

    public int maxHeaderBytes() {
        return maxHeaderBytes;
    }

    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * Reads one frame.
     *
     * @return the frame, or null when the stream ended cleanly before its first byte
     * @throws ProtocolException when the bytes break the protocol or the stream ends inside a frame
     * @throws IOException       when the stream itself fails
     */
    public Frame read(InputStream in) throws IOException {
        byte[] prefix = new byte[PREFIX_BYTES];
        int got = readUpTo(in, prefix, 0, PREFIX_BYTES);
        if (got == 0) {
            return null;
        }
        if (got >= 4) {
            checkMagic(prefix);
        }
        if (got < PREFIX_BYTES) {
            throw new ProtocolException("stream ended after " + got + " of " + PREFIX_BYTES + " frame prefix bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(prefix).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int version = b.getShort(4) & 0xffff;
        if (version != Protocol.VERSION) {
            throw new ProtocolException("peer speaks protocol " + version + ", this side " + Protocol.VERSION
                    + ": redeploy the agent from this workbench");
        }
        FrameType type = FrameType.ofCode(b.getShort(6) & 0xffff);
        int requestId = b.getInt(8);
        long headerLength = b.getInt(12) & 0xffffffffL;
        long payloadLength = b.getInt(16) & 0xffffffffL;
        if (headerLength > maxHeaderBytes) {
            throw new ProtocolException("header of " + headerLength + " bytes exceeds the " + maxHeaderBytes + "-byte limit");
        }
        if (payloadLength > maxPayloadBytes) {
            throw new ProtocolException("payload of " + payloadLength + " bytes exceeds the " + maxPayloadBytes + "-byte limit");
        }
        Header header = Header.EMPTY;
        if (headerLength > 0) {
            byte[] h = new byte[(int) headerLength];
            int n = readUpTo(in, h, 0, h.length);
            if (n < h.length) {
                throw new ProtocolException("stream ended after " + n + " of " + headerLength + " header bytes of a " + type + " frame");
            }
            header = Header.of(Json.parse(decodeUtf8(h), maxHeaderBytes));
        }
        byte[] payload = readPayload(in, (int) payloadLength, type);
        return new Frame(type, requestId, header, payload);
    }

    private static void checkMagic(byte[] prefix) throws ProtocolException {
        int magic = ((prefix[0] & 0xff) << 24) | ((prefix[1] & 0xff) << 16) | ((prefix[2] & 0xff) << 8) | (prefix[3] & 0xff);
        if (magic != Protocol.MAGIC) {
            StringBuilder ascii = new StringBuilder();
            for (int i = 0; i < 4; i++) {
                int c = prefix[i] & 0xff;
                ascii.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            throw new ProtocolException(String.format("bad magic 0x%08x (\"%s\"): this stream is not an mrw agent (wrong port?)",
                    magic, ascii));
        }
    }

    private static byte[] readPayload(InputStream in, int length, FrameType type) throws IOException {
        if (length == 0) {
            return new byte[0];
        }
        if (length <= FIRST_CHUNK) {
            byte[] p = new byte[length];
            int n = readUpTo(in, p, 0, length);
            if (n < length) {
                throw truncated(n, length, type);
            }
            return p;
        }
        // Chunks sized by what has arrived: a length the peer does not honour costs little.
        List<byte[]> chunks = new ArrayList<byte[]>();
        int received = 0;
        int chunkSize = FIRST_CHUNK;
        while (received < length) {
            byte[] chunk = new byte[Math.min(chunkSize, length - received)];
            int n = readUpTo(in, chunk, 0, chunk.length);
            received += n;
            if (n < chunk.length) {
                throw truncated(received, length, type);
            }
            chunks.add(chunk);
            chunkSize = Math.min(MAX_CHUNK, chunkSize * 2);
        }
        byte[] p = new byte[length];
        int at = 0;
        for (byte[] chunk : chunks) {
            System.arraycopy(chunk, 0, p, at, chunk.length);
            at += chunk.length;
        }
        return p;
    }

    private static ProtocolException truncated(int got, int length, FrameType type) {
        return new ProtocolException("stream ended after " + got + " of " + length + " payload bytes of a " + type + " frame");
    }

    /** Reads until {@code len} bytes or the end of the stream; returns how many arrived. */
    private static int readUpTo(InputStream in, byte[] buf, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int n = in.read(buf, off + total, len - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    private static String decodeUtf8(byte[] bytes) throws ProtocolException {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ProtocolException("frame header is not valid UTF-8: " + e.getMessage(), e);
        }
    }

    /**
     * Writes one frame and flushes.
     *
     * @throws ProtocolException when the header or payload is over this codec's limits (nothing is written then)
     */
    public void write(OutputStream out, Frame frame) throws IOException {
        write(out, frame, Protocol.VERSION);
    }

    /**
     * Writes one frame with the given version number in its prefix. Only tests need another version
     * than {@link Protocol#VERSION}: to check that peers refuse it.
     */
    public void write(OutputStream out, Frame frame, int version) throws IOException {
        byte[] header = frame.header().fields().isEmpty() ? new byte[0] : frame.header().toJson().getBytes(StandardCharsets.UTF_8);
        byte[] payload = frame.payload();
        if (header.length > maxHeaderBytes) {
            throw new ProtocolException("header of " + header.length + " bytes exceeds the " + maxHeaderBytes + "-byte limit");
        }
        if (payload.length > maxPayloadBytes) {
            throw new ProtocolException("payload of " + payload.length + " bytes exceeds the " + maxPayloadBytes + "-byte limit");
        }
        ByteBuffer b = ByteBuffer.allocate(PREFIX_BYTES).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put((byte) (Protocol.MAGIC >>> 24)).put((byte) (Protocol.MAGIC >>> 16)).put((byte) (Protocol.MAGIC >>> 8)).put((byte) Protocol.MAGIC);
        b.putShort((short) version);
        b.putShort((short) frame.type().code());
        b.putInt(frame.requestId());
        b.putInt(header.length);
        b.putInt(payload.length);
        out.write(b.array());
        out.write(header);
        out.write(payload);
        out.flush();
    }
}
