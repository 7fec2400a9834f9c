package org.mrw.core.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.mrw.core.engine.Engines;

/**
 * Agent bundles for tests: the real agent.jar the build produced, with natives this machine can load.
 * A phone double is an x86_64 Linux whose agent runs the desktop runtimes, so its "x86_64" natives are
 * the desktop TFLite JNI library (the Android .so files cannot load here).
 */
final class AgentBundles {

    private AgentBundles() {
    }

    /** The build's agent.jar. */
    static Path agentJar() throws IOException {
        return AgentBundle.locate().local(AgentBundle.locate().files().stream()
                .filter(f -> f.path().equals(AgentBundle.AGENT_JAR)).findFirst().orElseThrow());
    }

    /** A bundle in {@code dir}: the real agent.jar plus lib/x86_64/libtensorflowlite_jni.so from the desktop build. */
    static AgentBundle desktopX86(Path dir) throws IOException {
        Path lib = dir.resolve("lib/x86_64");
        Files.createDirectories(lib);
        Files.copy(agentJar(), dir.resolve(AgentBundle.AGENT_JAR), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Path so = lib.resolve("libtensorflowlite_jni.so");
        Files.copy(Engines.tfliteLibraryFolder().resolve("libtensorflowlite_jni.so"), so,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        String manifest = "{\"files\":[" + entry(dir, AgentBundle.AGENT_JAR, null) + ","
                + entry(dir, "lib/x86_64/libtensorflowlite_jni.so", "x86_64") + "],"
                + "\"loadOrder\":[\"libtensorflowlite_jni.so\"]}";
        Files.writeString(dir.resolve(AgentBundle.MANIFEST), manifest);
        return AgentBundle.load(dir);
    }

    private static String entry(Path dir, String path, String abi) throws IOException {
        Path f = dir.resolve(path);
        return "{\"path\":\"" + path + "\",\"abi\":" + (abi == null ? "null" : "\"" + abi + "\"") + ",\"size\":" + Files.size(f)
                + ",\"sha256\":\"" + AgentBundle.sha256(f) + "\"}";
    }
}
