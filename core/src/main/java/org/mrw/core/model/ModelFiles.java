package org.mrw.core.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Locale;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** Cheap, bounded looks inside model files, for facts the runtimes do not report (e.g. "is it int8?"). */
public final class ModelFiles {

    /** Never scan more than this many bytes of one file or archive entry. */
    private static final int MAX_SCAN_BYTES = 64 << 20;

    private ModelFiles() {
    }

    /** File name without its extension: the default model id. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    /**
     * True when the file (or, for a zip archive, any entry that is not tensor storage) contains
     * {@code marker} as ASCII. Reads at most {@link #MAX_SCAN_BYTES} per file or entry.
     */
    public static boolean containsAscii(Path file, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.US_ASCII);
        if (isZip(file)) {
            try (ZipFile zip = new ZipFile(file.toFile())) {
                Enumeration<? extends ZipEntry> entries = zip.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    // TorchScript keeps weights under <archive>/data/; code, bytecode and constants elsewhere.
                    if (e.isDirectory() || e.getName().toLowerCase(Locale.ROOT).contains("/data/")) {
                        continue;
                    }
                    try (InputStream in = zip.getInputStream(e)) {
                        if (indexOf(in.readNBytes(MAX_SCAN_BYTES), needle) >= 0) {
                            return true;
                        }
                    }
                }
                return false;
            }
        }
        try (InputStream in = Files.newInputStream(file)) {
            return indexOf(in.readNBytes(MAX_SCAN_BYTES), needle) >= 0;
        }
    }

    /** True when the file starts with a zip local-file header. */
    public static boolean isZip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] h = in.readNBytes(4);
            return h.length == 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4;
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** First line of the deepest cause's message: native engines wrap a C++ trace around one useful line. */
    public static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            m = e.getMessage() == null ? t.getClass().getSimpleName() : e.getMessage();
        }
        return m.lines().map(String::strip).filter(l -> !l.isEmpty()).findFirst().orElse(m);
    }
}
