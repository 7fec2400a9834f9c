package org.mrw.core.device.testbed;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.mrw.core.device.AdbServer;
import org.mrw.core.device.AdbUnavailableException;
import org.mrw.core.device.DeviceException;

/** Helpers shared by the device tests: adb on a free port, agent bundles, free ports. */
public final class PhoneTestBed {

    private PhoneTestBed() {
    }

    /**
     * The adb binary, or the test stops: skipped on a developer machine without adb, failed under
     * {@code CI=true}, where adb is part of the contract.
     */
    public static Path requireAdb() {
        try {
            return AdbServer.findAdb(System.getenv());
        } catch (AdbUnavailableException e) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires adb: " + e.getMessage());
            }
            Assumptions.abort("skipped, adb is missing: " + e.getMessage());
            throw new IllegalStateException("unreachable");
        }
    }

    /** Starts an adb server on a free port with HOME in {@code home}, so its key and state stay there. */
    public static AdbServer startServer(Path home) throws DeviceException, IOException {
        Path adb = requireAdb();
        Files.createDirectories(home);
        return AdbServer.start(adb, freePort(), Map.of("HOME", home.toString()));
    }

    /** A port nothing listens on right now (never adb's default 5037). */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket()) {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                if (s.getLocalPort() != 5037) {
                    return s.getLocalPort();
                }
            }
        }
    }

    /**
     * Writes an agent bundle into {@code dir}: an agent.jar holding {@link EchoAgent}, one fake native
     * library per ABI (plus {@code extraNatives} names for the first ABI) and the manifest.
     */
    public static Path writeBundle(Path dir, List<String> abis, String... extraNatives) throws IOException {
        Files.createDirectories(dir);
        Path jar = dir.resolve("agent.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                InputStream cls = EchoAgent.class.getResourceAsStream("EchoAgent.class")) {
            out.putNextEntry(new JarEntry(EchoAgent.class.getName().replace('.', '/') + ".class"));
            cls.transferTo(out);
            out.closeEntry();
        }
        List<Map<String, Object>> files = new ArrayList<>();
        files.add(entry(dir, "agent.jar", null));
        Map<String, List<String>> loadOrder = new LinkedHashMap<>();
        for (int i = 0; i < abis.size(); i++) {
            String abi = abis.get(i);
            List<String> names = new ArrayList<>(List.of("libmrw_" + abi.replace('-', '_') + ".so"));
            if (i == 0) {
                names.addAll(List.of(extraNatives));
            }
            for (String name : names) {
                Path so = dir.resolve("lib").resolve(abi).resolve(name);
                Files.createDirectories(so.getParent());
                Files.writeString(so, "\u007fELF fake " + abi + " " + name);
                files.add(entry(dir, "lib/" + abi + "/" + name, abi));
            }
            loadOrder.put(abi, names);
        }
        StringBuilder json = new StringBuilder("{\"files\":[");
        for (int i = 0; i < files.size(); i++) {
            Map<String, Object> f = files.get(i);
            json.append(i == 0 ? "" : ",").append("{\"path\":").append(jsonString((String) f.get("path")))
                    .append(",\"sha256\":\"").append(f.get("sha256")).append("\",\"size\":").append(f.get("size"))
                    .append(",\"abi\":").append(f.get("abi") == null ? "null" : jsonString((String) f.get("abi"))).append('}');
        }
        json.append("],\"loadOrder\":{");
        int k = 0;
        for (Map.Entry<String, List<String>> e : loadOrder.entrySet()) {
            json.append(k++ == 0 ? "" : ",").append(jsonString(e.getKey())).append(":[");
            json.append(String.join(",", e.getValue().stream().map(PhoneTestBed::jsonString).toList())).append(']');
        }
        json.append("}}");
        Files.writeString(dir.resolve("manifest.json"), json);
        return dir;
    }

    private static Map<String, Object> entry(Path dir, String path, String abi) throws IOException {
        byte[] bytes = Files.readAllBytes(dir.resolve(path));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("sha256", sha256(bytes));
        m.put("size", bytes.length);
        m.put("abi", abi);
        return m;
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static String sha256(byte[] bytes) {
        return org.mrw.protocol.Sha256.hex(bytes);
    }

    /** Sends {@code data} on one thread while reading the echo on this one (an echo needs both at once). */
    public static byte[] echo(InputStream in, OutputStream out, byte[] data) throws Exception {
        Thread writer = new Thread(() -> {
            try {
                for (int off = 0; off < data.length; off += 100_000) {
                    out.write(data, off, Math.min(100_000, data.length - off));
                }
                out.flush();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "echo-writer");
        writer.start();
        byte[] back = in.readNBytes(data.length);
        writer.join(10_000);
        return back;
    }

    public static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
