package org.mrw.core.device.testbed;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The {@code sync:} service (adb's file_sync_service): requests are a 4-byte id, a little-endian
 * 32-bit length and that many bytes. Serves STAT, STA2/LST2 ({@code stat_v2}), LIST, SEND (push, with
 * parents created as the {@code fixed_push_mkdir} feature promises), RECV (pull) and QUIT. Every length
 * is checked before anything is allocated; paths go through {@link PhoneFiles}.
 */
final class FakeSync {

    /** adb's SYNC_DATA_MAX: the largest DATA chunk either side may send. */
    static final int MAX_DATA = 64 * 1024;
    /** The longest request path accepted (adb limits paths to 1024 bytes). */
    static final int MAX_PATH = 1024;

    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int ENOENT = 2;

    private final PhoneFiles files;
    private final Consumer<String> onPushed;

    FakeSync(PhoneFiles files, Consumer<String> onPushed) {
        this.files = files;
        this.onPushed = onPushed;
    }

    void serve(InputStream rawIn, OutputStream out) throws IOException {
        DataInputStream in = new DataInputStream(rawIn);
        while (true) {
            byte[] header = in.readNBytes(8);
            if (header.length < 8) {
                return;
            }
            String id = new String(header, 0, 4, StandardCharsets.US_ASCII);
            int length = ByteBuffer.wrap(header, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (id.equals("QUIT")) {
                return;
            }
            if (length < 0 || length > MAX_PATH) {
                fail(out, "path too long: " + Integer.toUnsignedString(length) + " bytes");
                return;
            }
            String path = new String(AdbWire.readExactly(in, length), StandardCharsets.UTF_8);
            switch (id) {
                case "STAT" -> stat(out, path);
                case "STA2", "LST2" -> stat2(out, id, path);
                case "LIST" -> list(out, path);
                case "SEND" -> send(in, out, path);
                case "RECV" -> recv(out, path);
                default -> {
                    fail(out, "unknown sync request " + id);
                    return;
                }
            }
            out.flush();
        }
    }

    private void stat(OutputStream out, String path) throws IOException {
        BasicFileAttributes a = attributes(path);
        ByteBuffer b = le(16).put(ascii("STAT"));
        if (a == null) {
            b.putInt(0).putInt(0).putInt(0);
        } else {
            b.putInt(mode(a)).putInt((int) a.size()).putInt(seconds(a));
        }
        out.write(b.array());
    }

    private void stat2(OutputStream out, String id, String path) throws IOException {
        BasicFileAttributes a = attributes(path);
        ByteBuffer b = le(72).put(ascii(id));
        if (a == null) {
            b.putInt(ENOENT);
        } else {
            long t = seconds(a);
            b.putInt(0).putLong(0).putLong(0).putInt(mode(a)).putInt(1).putInt(2000).putInt(2000)
                    .putLong(a.size()).putLong(t).putLong(t).putLong(t);
        }
        out.write(b.array());
    }

    private void list(OutputStream out, String path) throws IOException {
        Path dir = mapOrNull(path);
        if (dir != null && Files.isDirectory(dir)) {
            try (Stream<Path> entries = Files.list(dir)) {
                for (Path p : entries.sorted().toList()) {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    byte[] name = p.getFileName().toString().getBytes(StandardCharsets.UTF_8);
                    out.write(le(20 + name.length).put(ascii("DENT")).putInt(mode(a)).putInt((int) a.size())
                            .putInt(seconds(a)).putInt(name.length).put(name).array());
                }
            }
        }
        out.write(le(20).put(ascii("DONE")).putInt(0).putInt(0).putInt(0).putInt(0).array());
    }

    /** SEND "path,mode", then DATA chunks and DONE(mtime); answers OKAY or FAIL after DONE, as adbd does. */
    private void send(DataInputStream in, OutputStream out, String spec) throws IOException {
        int comma = spec.lastIndexOf(',');
        String path = comma < 0 ? spec : spec.substring(0, comma);
        int mode = 0644;
        String problem = null;
        try {
            mode = comma < 0 ? 0644 : Integer.parseInt(spec.substring(comma + 1)) & 0777;
        } catch (NumberFormatException e) {
            problem = "bad mode in " + spec;
        }
        Path target = null;
        try {
            target = files.map(path);
        } catch (PhoneFiles.Refused e) {
            problem = e.getMessage();
        }
        Path temp = null;
        OutputStream file = null;
        if (problem == null) {
            try {
                Files.createDirectories(target.getParent());
                temp = Files.createTempFile(target.getParent(), ".push-", ".tmp");
                file = Files.newOutputStream(temp);
            } catch (IOException e) {
                problem = path + ": " + e.getMessage();
            }
        }
        try {
            while (true) {
                byte[] h = AdbWire.readExactly(in, 8);
                String id = new String(h, 0, 4, StandardCharsets.US_ASCII);
                int arg = ByteBuffer.wrap(h, 4, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
                if (id.equals("DONE")) {
                    if (file != null) {
                        file.close();
                        file = null;
                        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                        temp = null;
                        Files.setLastModifiedTime(target, FileTime.fromMillis(Integer.toUnsignedLong(arg) * 1000));
                        Files.setPosixFilePermissions(target, FakeShell.permissions(mode));
                        onPushed.accept(path);
                    }
                    break;
                }
                if (!id.equals("DATA") || arg < 0 || arg > MAX_DATA) {
                    fail(out, "bad sync DATA packet " + id + " of " + Integer.toUnsignedString(arg) + " bytes");
                    throw new IOException("sync protocol error");
                }
                byte[] chunk = AdbWire.readExactly(in, arg);
                if (file != null) {
                    file.write(chunk);
                }
            }
        } finally {
            if (file != null) {
                file.close();
            }
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
        if (problem != null) {
            fail(out, problem);
        } else {
            out.write(le(8).put(ascii("OKAY")).putInt(0).array());
        }
    }

    private void recv(OutputStream out, String path) throws IOException {
        Path p = mapOrNull(path);
        if (p == null || !Files.isRegularFile(p)) {
            fail(out, path + ": No such file or directory");
            return;
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buffer = new byte[MAX_DATA];
            int n;
            while ((n = in.readNBytes(buffer, 0, MAX_DATA)) > 0) {
                out.write(le(8).put(ascii("DATA")).putInt(n).array());
                out.write(buffer, 0, n);
            }
        }
        out.write(le(8).put(ascii("DONE")).putInt(0).array());
    }

    private static void fail(OutputStream out, String message) throws IOException {
        byte[] m = message.getBytes(StandardCharsets.UTF_8);
        out.write(le(8 + m.length).put(ascii("FAIL")).putInt(m.length).put(m).array());
        out.flush();
    }

    private BasicFileAttributes attributes(String path) throws IOException {
        Path p = mapOrNull(path);
        return p == null || !Files.exists(p) ? null : Files.readAttributes(p, BasicFileAttributes.class);
    }

    private Path mapOrNull(String path) {
        try {
            return files.map(path);
        } catch (PhoneFiles.Refused e) {
            return null;
        }
    }

    private static int mode(BasicFileAttributes a) {
        return a.isDirectory() ? S_IFDIR | 0755 : S_IFREG | 0644;
    }

    private static int seconds(BasicFileAttributes a) {
        return (int) (a.lastModifiedTime().toMillis() / 1000);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static byte[] ascii(String id) {
        return id.getBytes(StandardCharsets.US_ASCII);
    }
}
