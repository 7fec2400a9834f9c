package org.mrw.agent.pack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/** Reads an ELF shared library's DT_NEEDED entries (what {@code readelf -d} lists as NEEDED), 32 or 64 bit, little endian. */
final class ElfNeeded {

    private static final int PT_LOAD = 1;
    private static final int PT_DYNAMIC = 2;
    private static final long DT_NULL = 0;
    private static final long DT_NEEDED = 1;
    private static final long DT_STRTAB = 5;

    private ElfNeeded() {
    }

    static List<String> of(Path library) throws IOException {
        try (FileChannel channel = FileChannel.open(library, StandardOpenOption.READ)) {
            ByteBuffer elf = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size()).order(ByteOrder.LITTLE_ENDIAN);
            return of(elf, library.toString());
        }
    }

    private static List<String> of(ByteBuffer elf, String name) throws IOException {
        if (elf.capacity() < 0x40 || elf.getInt(0) != 0x464c457f) {
            throw new IOException(name + " is not an ELF file");
        }
        boolean is64 = elf.get(4) == 2;
        if (elf.get(5) != 1) {
            throw new IOException(name + " is not little endian");
        }
        long phoff = is64 ? elf.getLong(0x20) : Integer.toUnsignedLong(elf.getInt(0x1c));
        int phentsize = Short.toUnsignedInt(elf.getShort(is64 ? 0x36 : 0x2a));
        int phnum = Short.toUnsignedInt(elf.getShort(is64 ? 0x38 : 0x2c));
        if (phoff + (long) phentsize * phnum > elf.capacity()) {
            throw new IOException(name + ": program headers run past the file");
        }
        List<long[]> loads = new ArrayList<>(); // {vaddr, offset, filesz}
        long dynamicOffset = -1;
        long dynamicSize = 0;
        for (int i = 0; i < phnum; i++) {
            int at = (int) (phoff + (long) i * phentsize);
            int type = elf.getInt(at);
            long offset = is64 ? elf.getLong(at + 8) : Integer.toUnsignedLong(elf.getInt(at + 4));
            long vaddr = is64 ? elf.getLong(at + 16) : Integer.toUnsignedLong(elf.getInt(at + 8));
            long filesz = is64 ? elf.getLong(at + 32) : Integer.toUnsignedLong(elf.getInt(at + 16));
            if (type == PT_LOAD) {
                loads.add(new long[] {vaddr, offset, filesz});
            } else if (type == PT_DYNAMIC) {
                dynamicOffset = offset;
                dynamicSize = filesz;
            }
        }
        if (dynamicOffset < 0 || dynamicOffset + dynamicSize > elf.capacity()) {
            throw new IOException(name + " has no readable dynamic section");
        }
        int entrySize = is64 ? 16 : 8;
        List<Long> needed = new ArrayList<>();
        long strtab = -1;
        for (long at = dynamicOffset; at + entrySize <= dynamicOffset + dynamicSize; at += entrySize) {
            long tag = is64 ? elf.getLong((int) at) : elf.getInt((int) at);
            long value = is64 ? elf.getLong((int) at + 8) : Integer.toUnsignedLong(elf.getInt((int) at + 4));
            if (tag == DT_NULL) {
                break;
            } else if (tag == DT_NEEDED) {
                needed.add(value);
            } else if (tag == DT_STRTAB) {
                strtab = fileOffset(loads, value, name);
            }
        }
        if (strtab < 0) {
            throw new IOException(name + " has no DT_STRTAB");
        }
        List<String> names = new ArrayList<>();
        for (long index : needed) {
            int start = (int) (strtab + index);
            int end = start;
            while (end < elf.capacity() && elf.get(end) != 0 && end - start < 256) {
                end++;
            }
            byte[] text = new byte[end - start];
            elf.get(start, text);
            names.add(new String(text, StandardCharsets.US_ASCII));
        }
        return names;
    }

    private static long fileOffset(List<long[]> loads, long vaddr, String name) throws IOException {
        for (long[] load : loads) {
            if (vaddr >= load[0] && vaddr < load[0] + load[2]) {
                return vaddr - load[0] + load[1];
            }
        }
        throw new IOException(name + ": address 0x" + Long.toHexString(vaddr) + " is in no loaded segment");
    }
}
