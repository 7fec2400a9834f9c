import com.android.tools.r8.D8;
import com.android.tools.r8.D8Command;
import com.android.tools.r8.origin.Origin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Build step of the agent module, run by exec-maven-plugin as a single-file Java program
 * ({@code java -cp r8.jar PackAgent.java MODE key=value...}); see agent/pom.xml.
 *
 * <ul>
 *   <li>{@code prepare}: puts the PyTorch lite AAR's Java API (nested classes.jar) and nativeloader
 *       into target/classes so the android package compiles; the jar plugin excludes them again.</li>
 *   <li>{@code pack}: dexes the agent (without the desktop-only host package), the protocol and the
 *       mobile runtimes' Java classes into classes.dex; rewrites the module jar to hold the agent's and
 *       protocol's .class files plus classes.dex; lays out target/agent-dist (agent.jar, lib/ABI/*.so,
 *       manifest.json with sizes, sha256 and the native load order).</li>
 * </ul>
 */
public final class PackAgent {

    static final String[] ABIS = {"arm64-v8a", "armeabi-v7a", "x86", "x86_64"};

    /**
     * System.load() order, dependencies first. Found with {@code readelf -d} on every .so of
     * pytorch_android_lite 1.12.2 and tensorflow-lite 2.16.1 (same for all four ABIs):
     * libc++_shared needs only libc/libdl; libfbjni needs libc++_shared; libpytorch_jni_lite needs
     * libfbjni and libc++_shared; libtensorflowlite_jni needs only Android system libraries
     * (libm, libdl, liblog, libc). AgentPackagingIT re-reads DT_NEEDED and checks this order.
     */
    static final List<String> LOAD_ORDER = List.of("libc++_shared.so", "libfbjni.so", "libpytorch_jni_lite.so", "libtensorflowlite_jni.so");

    /** AARs whose jni/ABI/*.so files ship, and which of them give which libraries. */
    static final Map<String, String> NATIVE_AARS = Map.of(
            "pytorch_android_lite.aar", "pytorch-lite",
            "tensorflow-lite.aar", "tflite");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("classpath")) {
                options.put("classpath", args[++i]); // exec-maven-plugin's <classpath/> is a separate argument
                continue;
            }
            int eq = args[i].indexOf('=');
            options.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        long start = System.nanoTime();
        switch (args[0]) {
            case "prepare" -> prepare(Path.of(options.get("mobile")), Path.of(options.get("classes")));
            case "pack" -> pack(options);
            default -> throw new IllegalArgumentException("mode: prepare or pack, got " + args[0]);
        }
        System.out.printf("PackAgent %s done in %d ms%n", args[0], (System.nanoTime() - start) / 1_000_000);
    }

    static void prepare(Path mobile, Path classes) throws IOException {
        Path pytorchClasses = extractClassesJar(mobile.resolve("pytorch_android_lite.aar"), mobile.resolve("pytorch_android_lite-classes.jar"));
        for (Path jar : List.of(pytorchClasses, mobile.resolve("nativeloader.jar"))) {
            unzipClasses(jar, classes);
        }
    }

    static void pack(Map<String, String> o) throws Exception {
        Path classes = Path.of(o.get("classes"));
        Path mainJar = Path.of(o.get("jar"));
        Path mobile = Path.of(o.get("mobile"));
        Path work = Path.of(o.get("work"));
        Path dist = Path.of(o.get("dist"));
        Files.createDirectories(work);

        List<Path> protocol = new ArrayList<>();
        for (String entry : o.get("classpath").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (p.getFileName().toString().startsWith("mrw-protocol") || p.endsWith(Path.of("protocol", "target", "classes"))) {
                protocol.add(p);
            }
        }
        if (protocol.size() != 1) {
            throw new IllegalStateException("expected the protocol module once on the classpath, found " + protocol + " in " + o.get("classpath"));
        }

        // 1. The agent's and protocol's own classes, without the desktop-only host package (DJL).
        Map<String, byte[]> phoneClasses = new TreeMap<>();
        readClasses(classes, phoneClasses);
        phoneClasses.keySet().removeIf(name -> !name.startsWith("org/mrw/") || name.startsWith("org/mrw/agent/host/"));
        Map<String, byte[]> protocolClasses = new TreeMap<>();
        readClasses(protocol.get(0), protocolClasses);
        phoneClasses.putAll(protocolClasses);
        Path agentClassesJar = work.resolve("phone-classes.jar");
        writeJar(agentClassesJar, phoneClasses);

        // 2. classes.dex: ours plus the mobile runtimes' Java APIs (nothing on a phone provides them).
        Path dexDir = work.resolve("dex");
        Files.createDirectories(dexDir);
        Files.deleteIfExists(dexDir.resolve("classes.dex"));
        List<String> d8 = new ArrayList<>(List.of("--release", "--min-api", "26",
                "--lib", o.get("android-jar"), "--lib", System.getProperty("java.home"),
                "--output", dexDir.toString(), agentClassesJar.toString(),
                extractClassesJar(mobile.resolve("tensorflow-lite.aar"), mobile.resolve("tensorflow-lite-classes.jar")).toString(),
                extractClassesJar(mobile.resolve("tensorflow-lite-api.aar"), mobile.resolve("tensorflow-lite-api-classes.jar")).toString(),
                extractClassesJar(mobile.resolve("pytorch_android_lite.aar"), mobile.resolve("pytorch_android_lite-classes.jar")).toString(),
                mobile.resolve("fbjni-java-only.jar").toString(),
                mobile.resolve("nativeloader.jar").toString()));
        D8.run(D8Command.parse(d8.toArray(String[]::new), Origin.root()).build());
        byte[] dex = Files.readAllBytes(dexDir.resolve("classes.dex"));

        // 3. The module jar: as the jar plugin wrote it, plus protocol classes and classes.dex.
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(mainJar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (!e.isDirectory() && !e.getName().equals("classes.dex")) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        }
        protocolClasses.forEach(entries::putIfAbsent);
        entries.put("classes.dex", dex);
        Path rewritten = work.resolve("agent.jar.tmp");
        writeJar(rewritten, entries);
        Files.move(rewritten, mainJar, StandardCopyOption.REPLACE_EXISTING);

        // 4. What the workbench pushes: agent.jar, lib/ABI/*.so, manifest.json.
        Files.createDirectories(dist);
        Files.copy(mainJar, dist.resolve("agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> runtimeOfLibrary = new HashMap<>();
        for (Map.Entry<String, String> aar : NATIVE_AARS.entrySet()) {
            extractNatives(mobile.resolve(aar.getKey()), dist.resolve("lib"), aar.getValue(), runtimeOfLibrary);
        }
        writeManifest(dist, o, runtimeOfLibrary);
        System.out.printf("PackAgent: %s (%d bytes, classes.dex %d bytes), %s%n", mainJar, Files.size(mainJar), dex.length, dist);
    }

    static void writeManifest(Path dist, Map<String, String> o, Map<String, String> runtimeOfLibrary) throws IOException {
        Set<String> shipped = new HashSet<>(runtimeOfLibrary.keySet());
        if (!shipped.equals(new HashSet<>(LOAD_ORDER))) {
            throw new IllegalStateException("the AARs ship " + shipped + " but LOAD_ORDER names " + LOAD_ORDER + ": re-check DT_NEEDED with readelf -d");
        }
        StringBuilder json = new StringBuilder();
        json.append("{\n");
        json.append("  \"agentVersion\": \"").append(o.get("version")).append("\",\n");
        json.append("  \"mainClass\": \"org.mrw.agent.AgentMain\",\n");
        json.append("  \"runtimes\": {\"tflite\": \"").append(o.get("tflite-version")).append("\", \"pytorch-lite\": \"")
                .append(o.get("pytorch-version")).append("\"},\n");
        json.append("  \"abis\": [");
        for (int i = 0; i < ABIS.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(ABIS[i]).append('"');
        }
        json.append("],\n");
        json.append("  \"loadOrderSource\": \"DT_NEEDED entries read with readelf -d: libfbjni needs libc++_shared; libpytorch_jni_lite needs libfbjni and libc++_shared; libtensorflowlite_jni needs only system libraries\",\n");
        json.append("  \"loadOrder\": [");
        for (int i = 0; i < LOAD_ORDER.size(); i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(LOAD_ORDER.get(i)).append('"');
        }
        json.append("],\n");
        json.append("  \"files\": [\n");
        List<String> lines = new ArrayList<>();
        lines.add(fileLine(dist, "agent.jar", null, null));
        for (String abi : ABIS) {
            for (String library : LOAD_ORDER) {
                lines.add(fileLine(dist, "lib/" + abi + "/" + library, abi, runtimeOfLibrary.get(library)));
            }
        }
        json.append(String.join(",\n", lines)).append("\n  ]\n}\n");
        Files.writeString(dist.resolve("manifest.json"), json.toString(), StandardCharsets.UTF_8);
    }

    static String fileLine(Path dist, String relative, String abi, String runtime) throws IOException {
        Path file = dist.resolve(relative);
        return "    {\"path\": \"" + relative + "\", \"abi\": " + (abi == null ? "null" : "\"" + abi + "\"")
                + ", \"runtime\": " + (runtime == null ? "null" : "\"" + runtime + "\"")
                + ", \"size\": " + Files.size(file) + ", \"sha256\": \"" + sha256(file) + "\"}";
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies jni/ABI/*.so out of an AAR; a file already there with the entry's size and time is kept (saves ~2 s). */
    static void extractNatives(Path aar, Path lib, String runtime, Map<String, String> runtimeOfLibrary) throws IOException {
        try (ZipFile zip = new ZipFile(aar.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                String[] parts = e.getName().split("/");
                if (parts.length != 3 || !parts[0].equals("jni") || !parts[2].endsWith(".so") || !List.of(ABIS).contains(parts[1])) {
                    continue;
                }
                runtimeOfLibrary.put(parts[2], runtime);
                Path target = lib.resolve(parts[1]).resolve(parts[2]);
                FileTime time = FileTime.fromMillis(e.getTime());
                if (Files.isRegularFile(target) && Files.size(target) == e.getSize() && Files.getLastModifiedTime(target).equals(time)) {
                    continue;
                }
                Files.createDirectories(target.getParent());
                try (InputStream in = zip.getInputStream(e)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.setLastModifiedTime(target, time);
            }
        }
    }

    /** Writes an AAR's nested classes.jar to {@code target} (when missing or older than the AAR). */
    static Path extractClassesJar(Path aar, Path target) throws IOException {
        if (Files.isRegularFile(target) && Files.getLastModifiedTime(target).compareTo(Files.getLastModifiedTime(aar)) >= 0) {
            return target;
        }
        try (ZipFile zip = new ZipFile(aar.toFile())) {
            ZipEntry entry = zip.getEntry("classes.jar");
            if (entry == null) {
                throw new IOException(aar + " has no classes.jar");
            }
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return target;
    }

    static void unzipClasses(Path jar, Path out) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                if (e.isDirectory() || !e.getName().endsWith(".class")) {
                    continue;
                }
                Path target = out.resolve(e.getName()).normalize();
                if (!target.startsWith(out)) {
                    throw new IOException("entry outside the output folder: " + e.getName());
                }
                Files.createDirectories(target.getParent());
                Files.write(target, in.readAllBytes());
            }
        }
    }

    /** Reads the .class files of a folder or jar, keyed by their path inside it. */
    static void readClasses(Path source, Map<String, byte[]> into) throws IOException {
        if (Files.isDirectory(source)) {
            try (Stream<Path> files = Files.walk(source)) {
                files.filter(p -> p.toString().endsWith(".class")).forEach(p -> {
                    try {
                        into.put(source.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } else {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source))) {
                for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                    if (!e.isDirectory() && e.getName().endsWith(".class")) {
                        into.put(e.getName(), in.readAllBytes());
                    }
                }
            }
        }
    }

    static void writeJar(Path jar, Map<String, byte[]> entries) throws IOException {
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        byte[] manifest = entries.get("META-INF/MANIFEST.MF");
        if (manifest != null) {
            ordered.put("META-INF/MANIFEST.MF", manifest); // JarInputStream expects the manifest first
        }
        entries.forEach(ordered::putIfAbsent);
        try (OutputStream file = Files.newOutputStream(jar); ZipOutputStream out = new ZipOutputStream(file)) {
            for (Map.Entry<String, byte[]> e : ordered.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setTime(315532800000L); // fixed 1980-01-01 times: the same inputs give the same jar
                out.putNextEntry(entry);
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }
}
