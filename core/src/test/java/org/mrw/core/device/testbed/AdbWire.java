package org.mrw.core.device.testbed;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Messages of the adb transport protocol (system/core/adb/protocol.txt): a 24-byte little-endian
 * header {@code command, arg0, arg1, data_length, data_check, magic} followed by the payload.
 */
final class AdbWire {

    static final int CNXN = 0x4e584e43;
    static final int AUTH = 0x48545541;
    static final int OPEN = 0x4e45504f;
    static final int OKAY = 0x59414b4f;
    static final int CLSE = 0x45534c43;
    static final int WRTE = 0x45545257;

    /** From this version on both peers skip payload checksums (adb's A_VERSION_SKIP_CHECKSUM). */
    static final int VERSION_SKIP_CHECKSUM = 0x01000001;
    /** The largest payload this double accepts or offers (adbd's MAX_PAYLOAD). */
    static final int MAX_PAYLOAD = 1024 * 1024;

    private AdbWire() {
    }

    /** One transport message; {@code payload} is never null. */
    record Message(int command, int arg0, int arg1, byte[] payload) {

        String payloadText() {
            int end = payload.length;
            while (end > 0 && payload[end - 1] == 0) {
                end--;
            }
            return new String(payload, 0, end, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return name(command) + "(" + arg0 + ", " + arg1 + ", " + payload.length + " bytes)";
        }
    }

    static String name(int command) {
        byte[] b = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(command).array();
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * Reads one message, checking the magic and the length (against {@code maxPayload}) before allocating.
     * Checksums are verified only when {@code checkSums} (peers older than {@link #VERSION_SKIP_CHECKSUM}).
     */
    static Message read(DataInputStream in, int maxPayload, boolean checkSums) throws IOException {
        byte[] header = new byte[24];
        in.readFully(header);
        ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        int command = h.getInt();
        int arg0 = h.getInt();
        int arg1 = h.getInt();
        int length = h.getInt();
        int check = h.getInt();
        int magic = h.getInt();
        if (magic != ~command) {
            throw new IOException("bad adb message magic for " + name(command));
        }
        if (length < 0 || length > maxPayload) {
            throw new IOException("adb payload of " + Integer.toUnsignedString(length) + " bytes exceeds " + maxPayload);
        }
        byte[] payload = new byte[length];
        in.readFully(payload);
        if (checkSums && length > 0 && checksum(payload, 0, length) != check) {
            throw new IOException("bad adb payload checksum for " + name(command));
        }
        return new Message(command, arg0, arg1, payload);
    }

    /** Writes one message (with its checksum, which newer peers ignore and older ones need). */
    static void write(OutputStream out, int command, int arg0, int arg1, byte[] data, int off, int len) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(24 + len).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(command).putInt(arg0).putInt(arg1).putInt(len).putInt(checksum(data, off, len)).putInt(~command);
        if (len > 0) {
            h.put(data, off, len);
        }
        out.write(h.array());
        out.flush();
    }

    private static int checksum(byte[] data, int off, int len) {
        int sum = 0;
        for (int i = off; i < off + len; i++) {
            sum += data[i] & 0xff;
        }
        return sum;
    }

    /** Reads exactly {@code n} bytes or fails with EOF. */
    static byte[] readExactly(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) {
            throw new EOFException("stream ended after " + b.length + " of " + n + " bytes");
        }
        return b;
    }
}
