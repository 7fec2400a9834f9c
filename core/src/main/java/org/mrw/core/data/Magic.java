package org.mrw.core.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Recognises files by their first bytes, to pick a reader and to say in messages what a file really is. */
final class Magic {

    private Magic() {
    }

    /** Up to {@code count} first bytes of {@code file}. */
    static byte[] head(Path file, int count) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(count);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dataset " + file + ": " + e.getMessage(), e);
        }
    }

    static boolean isGzip(byte[] h) {
        return h.length >= 2 && (h[0] & 0xFF) == 0x1f && (h[1] & 0xFF) == 0x8b;
    }

    static boolean isNpy(byte[] h) {
        return h.length >= 6 && (h[0] & 0xFF) == 0x93 && h[1] == 'N' && h[2] == 'U' && h[3] == 'M' && h[4] == 'P' && h[5] == 'Y';
    }

    static boolean isZip(byte[] h) {
        return h.length >= 4 && h[0] == 'P' && h[1] == 'K' && (h[2] == 3 || h[2] == 5) && (h[3] == 4 || h[3] == 6);
    }

    static boolean isPng(byte[] h) {
        return h.length >= 4 && (h[0] & 0xFF) == 0x89 && h[1] == 'P' && h[2] == 'N' && h[3] == 'G';
    }

    static boolean isJpeg(byte[] h) {
        return h.length >= 3 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xFF) == 0xD8 && (h[2] & 0xFF) == 0xFF;
    }

    /** {@code " (a PNG image)"} and the like, or an empty string when the bytes say nothing known. */
    static String describe(byte[] h) {
        if (isGzip(h)) {
            return " (a gzip file)";
        }
        if (isNpy(h)) {
            return " (a NumPy .npy file)";
        }
        if (isZip(h)) {
            return " (a zip/.npz file)";
        }
        if (isPng(h)) {
            return " (a PNG image)";
        }
        if (isJpeg(h)) {
            return " (a JPEG image)";
        }
        return "";
    }
}
