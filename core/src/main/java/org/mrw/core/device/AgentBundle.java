package org.mrw.core.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.mrw.protocol.Sha256;

/**
 * The files that make up the agent on a device, read from a folder with a {@code manifest.json}
 * (written by the agent build to {@code agent/target/agent-dist/}):
 * <pre>{"files":[{"path":"agent.jar","sha256":"..","size":N,"abi":null},
 *           {"path":"lib/arm64-v8a/libx.so","sha256":"..","size":N,"abi":"arm64-v8a"}],
 *  "loadOrder":{"arm64-v8a":["libx.so"]}}</pre>
 * Loading checks every listed file's size and SHA-256, so a stale or half-copied bundle is never pushed.
 */
public final class AgentBundle {

    public static final String MANIFEST = "manifest.json";
    public static final String AGENT_JAR = "agent.jar";

    /** One file of the bundle: its relative path, SHA-256 (lower-case hex), size and ABI (null for agent.jar). */
    public record BundleFile(String path, String sha256, long size, String abi) {
    }

    private final Path root;
    private final List<BundleFile> files;
    private final Map<String, List<String>> loadOrder;
    private final String manifestSha256;

    private AgentBundle(Path root, List<BundleFile> files, Map<String, List<String>> loadOrder, String manifestSha256) {
        this.root = root;
        this.files = List.copyOf(files);
        this.loadOrder = Map.copyOf(loadOrder);
        this.manifestSha256 = manifestSha256;
    }

    /** Environment variable naming the agent bundle folder (agent.jar, lib/ABI/*.so, manifest.json). */
    public static final String BUNDLE_ENV = "MRW_AGENT_DIST";

    /**
     * Finds the agent bundle: {@code -Dmrw.agent.dist}, {@code $MRW_AGENT_DIST}, then
     * {@code agent/target/agent-dist} under {@code -Dmrw.home} or {@code $MRW_HOME} (set by {@code ./mrw}), the working
     * folder or its parent (a module folder during tests).
     */
    public static AgentBundle locate() throws IOException {
        List<Path> candidates = new ArrayList<>();
        String property = System.getProperty("mrw.agent.dist");
        String env = System.getenv(BUNDLE_ENV);
        if (property != null && !property.isBlank()) {
            candidates.add(Path.of(property));
        } else if (env != null && !env.isBlank()) {
            candidates.add(Path.of(env));
        } else {
            String home = System.getProperty("mrw.home", System.getenv("MRW_HOME"));
            if (home != null && !home.isBlank()) {
                candidates.add(Path.of(home, "agent", "target", "agent-dist"));
            }
            candidates.add(Path.of("agent", "target", "agent-dist"));
            candidates.add(Path.of("..", "agent", "target", "agent-dist"));
        }
        for (Path c : candidates) {
            if (Files.isRegularFile(c.resolve(MANIFEST))) {
                return load(c);
            }
        }
        throw new IOException("no agent bundle (manifest.json) in " + candidates + "; build it with "
                + "'mvn -pl protocol,agent -am package', or point " + BUNDLE_ENV + " at one");
    }

    /** Reads and verifies the bundle in {@code folder}. */
    public static AgentBundle load(Path folder) throws IOException {
        Path root = folder.toAbsolutePath().normalize();
        Path manifest = root.resolve(MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IOException("no " + MANIFEST + " in " + root + " (build the agent first: mvn -pl agent package)");
        }
        JsonNode json = new ObjectMapper().readTree(manifest.toFile());
        List<BundleFile> files = new ArrayList<>();
        for (JsonNode f : json.path("files")) {
            String path = checkRelative(f.path("path").asText(""));
            String abi = f.hasNonNull("abi") ? f.get("abi").asText() : null;
            if (abi != null && !abi.matches("[A-Za-z0-9_\\-]{1,32}")) {
                throw new IOException("bad ABI name in " + MANIFEST + ": " + abi);
            }
            BundleFile file = new BundleFile(path, f.path("sha256").asText("").toLowerCase(java.util.Locale.ROOT),
                    f.path("size").asLong(-1), abi);
            Path local = root.resolve(path);
            if (!Files.isRegularFile(local)) {
                throw new IOException("bundle file missing: " + local);
            }
            if (Files.size(local) != file.size()) {
                throw new IOException("bundle file " + path + " has " + Files.size(local) + " bytes, manifest says " + file.size());
            }
            String actual = sha256(local);
            if (!actual.equals(file.sha256())) {
                throw new IOException("bundle file " + path + " has SHA-256 " + actual + ", manifest says " + file.sha256());
            }
            files.add(file);
        }
        if (files.stream().noneMatch(f -> f.path().equals(AGENT_JAR))) {
            throw new IOException(MANIFEST + " in " + root + " lists no " + AGENT_JAR);
        }
        // loadOrder: one list for every ABI (what the agent build writes), or a list per ABI
        Map<String, List<String>> order = new LinkedHashMap<>();
        JsonNode loadOrder = json.path("loadOrder");
        if (loadOrder.isArray()) {
            List<String> names = new ArrayList<>();
            loadOrder.forEach(n -> names.add(n.asText()));
            files.stream().map(BundleFile::abi).filter(java.util.Objects::nonNull).distinct()
                    .forEach(abi -> order.put(abi, List.copyOf(names)));
        } else {
            loadOrder.fields().forEachRemaining(e -> {
                List<String> names = new ArrayList<>();
                e.getValue().forEach(n -> names.add(n.asText()));
                order.put(e.getKey(), List.copyOf(names));
            });
        }
        return new AgentBundle(root, files, order, sha256(manifest));
    }

    private static String checkRelative(String path) throws IOException {
        try {
            ShellQuoting.devicePath("/" + path);
        } catch (IllegalArgumentException e) {
            throw new IOException("bad path in " + MANIFEST + ": " + e.getMessage(), e);
        }
        return path;
    }

    public Path root() {
        return root;
    }

    public List<BundleFile> files() {
        return files;
    }

    /** The host file for a bundle path. */
    public Path local(BundleFile file) {
        return root.resolve(file.path());
    }

    public String manifestSha256() {
        return manifestSha256;
    }

    /** ABIs the bundle has natives for, in manifest order. */
    public Set<String> abis() {
        Set<String> abis = new LinkedHashSet<>();
        files.stream().filter(f -> f.abi() != null).forEach(f -> abis.add(f.abi()));
        return abis;
    }

    /** The files to push to a device of {@code abi} (null: agent.jar only). */
    public List<BundleFile> filesFor(String abi) {
        return files.stream().filter(f -> f.abi() == null || f.abi().equals(abi)).toList();
    }

    /** Native library names of one ABI in the order they must be loaded. */
    public List<String> loadOrder(String abi) {
        return loadOrder.getOrDefault(abi, List.of());
    }

    /**
     * The first of the device's ABIs (in its preference order) that the bundle has natives for; empty when
     * the bundle has no natives at all. Fails when it has natives, but none the device can run.
     */
    public Optional<String> bestAbi(List<String> deviceAbis) throws DeviceException {
        Set<String> available = abis();
        if (available.isEmpty()) {
            return Optional.empty();
        }
        for (String abi : deviceAbis) {
            if (available.contains(abi)) {
                return Optional.of(abi);
            }
        }
        throw new DeviceException("the agent bundle has natives for " + available + " but the device runs " + deviceAbis);
    }

    /** SHA-256 of a file as lower-case hex. */
    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return Sha256.hex(in);
        }
    }

    @Override
    public String toString() {
        return "AgentBundle[" + root + ", " + files.size() + " files, ABIs " + abis() + "]";
    }
}
