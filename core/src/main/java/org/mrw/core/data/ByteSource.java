package org.mrw.core.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Where a reader's bytes come from: a file, or a classpath resource (the bundled Fashion-MNIST), with
 * its size when known so declared sizes can be checked before allocating.
 *
 * @param path   the file, or for a resource inside a jar its resource name, used in messages
 * @param size   bytes as stored (compressed, for gzip), or -1 when unknown
 * @param opener opens a fresh stream
 */
record ByteSource(Path path, long size, Opener opener) {

    /** Opens the bytes; may throw {@link IOException}. */
    @FunctionalInterface
    interface Opener {
        InputStream open() throws IOException;
    }

    /** A stream over the (decompressed) bytes and whether they were gzip-compressed. */
    record Opened(InputStream in, boolean gzip) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Work on an open source; may throw {@link IOException}. */
    @FunctionalInterface
    interface Reading<T> {
        T read(Opened opened) throws IOException;
    }

    private static final int BUFFER = 1 << 16;

    static ByteSource of(Path file) {
        try {
            return new ByteSource(file, Files.size(file), () -> Files.newInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dataset " + file + ": " + e.getMessage(), e);
        }
    }

    /** A classpath resource, or {@code null} when it is not on the classpath. */
    static ByteSource resource(String name) {
        URL url = ByteSource.class.getClassLoader().getResource(name);
        if (url == null) {
            return null;
        }
        Path path = Path.of(name);
        if ("file".equals(url.getProtocol())) {
            try {
                path = Path.of(url.toURI());
            } catch (URISyntaxException e) {
                // Keep the resource name: it only appears in messages.
                path = Path.of(name);
            }
        }
        long size;
        try {
            URLConnection connection = url.openConnection();
            size = connection.getContentLengthLong();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read bundled resource " + name + ": " + e.getMessage(), e);
        }
        return new ByteSource(path, size, url::openStream);
    }

    String fileName() {
        Path name = path.getFileName();
        return name == null ? path.toString() : name.toString();
    }

    /**
     * Runs {@code reading} on the source's bytes, un-gzipping them when they start with the gzip magic
     * {@code 1f 8b}, and turns low-level I/O failures into messages that name the file.
     */
    <T> T read(String format, Reading<T> reading) {
        try (InputStream raw = new BufferedInputStream(opener.open(), BUFFER)) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            boolean gzip = b0 == 0x1f && b1 == 0x8b;
            InputStream in = gzip ? new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER) : raw;
            try (Opened opened = new Opened(in, gzip)) {
                return reading.read(opened);
            }
        } catch (EOFException e) {
            throw new DatasetFormatException(path, "a complete " + format + " file", "it cut short (" + e.getMessage() + ")",
                    "The file is truncated; download or export it again.", e);
        } catch (ZipException e) {
            throw new DatasetFormatException(path, "a valid gzip stream", "corrupt compressed data (" + e.getMessage() + ")",
                    "The file is damaged; download it again.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dataset " + path + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks that {@code declared} bytes (as a header claims, decompressed) can come from this source:
     * exactly the file size when raw; no more than deflate's maximum expansion when gzip.
     */
    void checkDeclaredSize(boolean gzip, long declared, String what) {
        checkDeclaredSize(path, size, gzip, declared, what);
    }

    /**
     * Checks {@code declared} bytes against {@code size} stored bytes: equal when stored raw, within
     * deflate's maximum expansion when {@code compressed}; nothing to check when {@code size < 0}.
     */
    static void checkDeclaredSize(Path file, long size, boolean compressed, long declared, String what) {
        if (size < 0) {
            return;
        }
        if (compressed) {
            long most = size * Limits.MAX_DEFLATE_RATIO + 1024;
            if (declared > most) {
                throw new DatasetFormatException(file, "at most " + most + " bytes from " + size + " compressed bytes",
                        "a header declaring " + declared + " bytes for " + what,
                        "The header is corrupt or the file is truncated; download or export it again.");
            }
        } else if (size < declared) {
            throw new DatasetFormatException(file, declared + " bytes for " + what, size + " bytes",
                    "The file is truncated; download or export it again.");
        } else if (size > declared) {
            throw new DatasetFormatException(file, declared + " bytes for " + what,
                    size + " bytes (" + (size - declared) + " more than the header declares)",
                    "The header does not match the data: the file is corrupt or in another format.");
        }
    }

    /** Reads exactly {@code len} bytes or fails naming how many were missing. */
    void readFully(InputStream in, byte[] buffer, int offset, int len, String what) throws IOException {
        readFully(path, in, buffer, offset, len, what);
    }

    /** Reads exactly {@code len} bytes of {@code file} or fails naming how many were missing. */
    static void readFully(Path file, InputStream in, byte[] buffer, int offset, int len, String what) throws IOException {
        int n = in.readNBytes(buffer, offset, len);
        if (n < len) {
            throw truncated(file, len, n, what);
        }
    }

    /** The error for a stream that ended after {@code found} of {@code expected} bytes. */
    static DatasetFormatException truncated(Path file, long expected, long found, String what) {
        return new DatasetFormatException(file, expected + " bytes of " + what, "only " + found + " bytes",
                "The file is truncated; download or export it again.");
    }

    /** Fails when a compressed stream holds more than the header declared (raw sizes are checked up front). */
    void checkEnd(Opened opened, long declared, String what) throws IOException {
        if (opened.gzip() && opened.in().read() != -1) {
            throw new DatasetFormatException(path, declared + " bytes (decompressed) for " + what,
                    "more data after them", "The header does not match the data: the file is corrupt or in another format.");
        }
    }
}
