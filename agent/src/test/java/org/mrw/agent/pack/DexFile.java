package org.mrw.agent.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the class names a {@code classes.dex} defines: header, string_ids, type_ids, class_defs
 * (https://source.android.com/docs/core/runtime/dex-format). Every count and offset is checked
 * against the file's length before it is followed.
 */
final class DexFile {

    private static final int HEADER_SIZE = 0x70;
    private static final int ENDIAN_CONSTANT = 0x12345678;

    private final ByteBuffer dex;

    private DexFile(byte[] bytes) {
        this.dex = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Descriptors ({@code Lorg/mrw/agent/AgentMain;}) of every class the dex defines. */
    static Set<String> definedClasses(byte[] bytes) throws IOException {
        return new DexFile(bytes).classDescriptors();
    }

    private Set<String> classDescriptors() throws IOException {
        if (dex.capacity() < HEADER_SIZE) {
            throw new IOException("shorter than a dex header: " + dex.capacity() + " bytes");
        }
        String magic = new String(bytes(0, 8), StandardCharsets.ISO_8859_1);
        if (!magic.matches("dex\n0[0-9]{2}\0")) {
            throw new IOException("not a dex file (magic " + magic.replace("\n", "\\n").replace("\0", "\\0") + ")");
        }
        if (dex.getInt(0x28) != ENDIAN_CONSTANT) {
            throw new IOException("unsupported endianness tag " + Integer.toHexString(dex.getInt(0x28)));
        }
        if (dex.getInt(0x20) != dex.capacity()) {
            throw new IOException("header file_size " + dex.getInt(0x20) + " differs from the file's " + dex.capacity());
        }
        int[] stringIds = section(0x38, 4);
        int[] typeIds = section(0x40, 4);
        int[] classDefs = section(0x60, 32);

        Set<String> names = new LinkedHashSet<>();
        for (int i = 0; i < classDefs[0]; i++) {
            int typeIndex = dex.getInt(classDefs[1] + 32 * i);
            if (typeIndex < 0 || typeIndex >= typeIds[0]) {
                throw new IOException("class_def " + i + " names type " + typeIndex + " of " + typeIds[0]);
            }
            int stringIndex = dex.getInt(typeIds[1] + 4 * typeIndex);
            if (stringIndex < 0 || stringIndex >= stringIds[0]) {
                throw new IOException("type " + typeIndex + " names string " + stringIndex + " of " + stringIds[0]);
            }
            names.add(string(dex.getInt(stringIds[1] + 4 * stringIndex)));
        }
        return names;
    }

    /** {count, offset} of a section whose header fields sit at {@code at}; checked to lie inside the file. */
    private int[] section(int at, int entrySize) throws IOException {
        long count = Integer.toUnsignedLong(dex.getInt(at));
        long offset = Integer.toUnsignedLong(dex.getInt(at + 4));
        if (count > 0 && (offset < HEADER_SIZE || offset + count * entrySize > dex.capacity())) {
            throw new IOException("section at header offset 0x" + Integer.toHexString(at) + " (" + count + " entries at " + offset + ") runs past the file");
        }
        return new int[] {(int) count, (int) offset};
    }

    /** A string_data_item: uleb128 UTF-16 length, then MUTF-8 bytes up to a 0 byte. */
    private String string(int offset) throws IOException {
        if (offset < HEADER_SIZE || offset >= dex.capacity()) {
            throw new IOException("string data offset " + offset + " outside the file");
        }
        int position = offset;
        long utf16Length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 28 || position >= dex.capacity()) {
                throw new IOException("bad uleb128 at " + offset);
            }
            int b = dex.get(position++) & 0xff;
            utf16Length |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (utf16Length > dex.capacity()) {
            throw new IOException("string length " + utf16Length + " larger than the file");
        }
        StringBuilder text = new StringBuilder((int) utf16Length);
        while (true) {
            if (position >= dex.capacity()) {
                throw new IOException("unterminated string at " + offset);
            }
            int a = dex.get(position++) & 0xff;
            if (a == 0) {
                break;
            }
            if (a < 0x80) {
                text.append((char) a);
            } else if ((a & 0xe0) == 0xc0) {
                text.append((char) (((a & 0x1f) << 6) | (next(position++) & 0x3f)));
            } else if ((a & 0xf0) == 0xe0) {
                int b = next(position++);
                int c = next(position++);
                text.append((char) (((a & 0x0f) << 12) | ((b & 0x3f) << 6) | (c & 0x3f)));
            } else {
                throw new IOException("bad MUTF-8 byte 0x" + Integer.toHexString(a) + " in string at " + offset);
            }
        }
        if (text.length() != utf16Length) {
            throw new IOException("string at " + offset + " has " + text.length() + " UTF-16 units, header says " + utf16Length);
        }
        return text.toString();
    }

    private int next(int position) throws IOException {
        if (position >= dex.capacity()) {
            throw new IOException("string runs past the file");
        }
        return dex.get(position) & 0xff;
    }

    private byte[] bytes(int offset, int length) {
        byte[] out = new byte[length];
        dex.get(offset, out);
        return out;
    }
}
