package org.mrw.agent.pack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks what {@code mvn package} built for phones: the module jar (agent + protocol .class files and
 * classes.dex) and target/agent-dist (agent.jar, lib/ABI/*.so, manifest.json). Runs in failsafe's
 * integration-test phase, after packaging; the paths come from agent/pom.xml.
 */
class AgentPackagingIT {

    static final List<String> ABIS = List.of("arm64-v8a", "armeabi-v7a", "x86", "x86_64");
    static final List<String> LIBRARIES = List.of("libc++_shared.so", "libfbjni.so", "libpytorch_jni_lite.so", "libtensorflowlite_jni.so");
    static final Pattern FILE_LINE = Pattern.compile(
            "\\{\"path\": \"([^\"]+)\", \"abi\": (null|\"[^\"]+\"), \"runtime\": (null|\"[^\"]+\"), \"size\": (\\d+), \"sha256\": \"([0-9a-f]{64})\"}");

    static Path jar;
    static Path dist;
    static Set<String> dexClasses;
    static String manifest;

    record ManifestFile(String path, String abi, long size, String sha256) {
    }

    @BeforeAll
    static void readBuild() throws IOException {
        jar = Path.of(System.getProperty("mrw.agent.jar"));
        dist = Path.of(System.getProperty("mrw.agent.dist"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry entry = zip.getEntry("classes.dex");
            assertThat(entry).as("classes.dex in " + jar).isNotNull();
            try (InputStream in = zip.getInputStream(entry)) {
                dexClasses = DexFile.definedClasses(in.readAllBytes());
            }
        }
        manifest = Files.readString(dist.resolve("manifest.json"), StandardCharsets.UTF_8);
    }

    @Test
    void dexDefinesTheAgentTheProtocolAndBothMobileRuntimeApis() {
        assertThat(dexClasses).contains(
                "Lorg/mrw/agent/AgentMain;",
                "Lorg/mrw/agent/runtime/InferenceRuntime;",
                "Lorg/mrw/agent/android/PytorchLiteRuntime;",
                "Lorg/mrw/agent/android/PhoneNativeLibraries;",
                "Lorg/mrw/protocol/Protocol;",
                "Lorg/tensorflow/lite/Interpreter;",
                "Lorg/tensorflow/lite/Interpreter$Options;",
                "Lorg/tensorflow/lite/Tensor;",
                "Lorg/tensorflow/lite/DataType;",
                "Lorg/pytorch/LiteModuleLoader;",
                "Lorg/pytorch/PyTorchAndroid;",
                "Lcom/facebook/jni/HybridData;",
                "Lcom/facebook/soloader/nativeloader/NativeLoader;");
    }

    @Test
    void dexLeavesOutTheDesktopOnlyHostPackage() {
        assertThat(dexClasses).noneMatch(name -> name.startsWith("Lorg/mrw/agent/host/"));
        assertThat(dexClasses).noneMatch(name -> name.startsWith("Lai/djl/"));
    }

    @Test
    void jarHoldsAgentAndProtocolClassFilesButNoMobileRuntimeClassFiles() throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            zip.stream().map(ZipEntry::getName).forEach(names::add);
        }
        assertThat(names).contains("org/mrw/agent/AgentMain.class", "org/mrw/protocol/Protocol.class",
                "org/mrw/agent/android/PytorchLiteRuntime.class", "classes.dex");
        assertThat(names).noneMatch(name -> name.startsWith("org/pytorch/") || name.startsWith("com/facebook/"));
        assertThat(names).noneMatch(name -> name.endsWith(".so"));
    }

    @Test
    void distAgentJarIsTheModuleJar() throws IOException {
        assertThat(Files.readAllBytes(dist.resolve("agent.jar"))).isEqualTo(Files.readAllBytes(jar));
    }

    @Test
    void manifestListsTheAgentJarAndEveryLibraryOfEveryAbiWithItsSizeAndSha256() throws IOException {
        List<ManifestFile> files = manifestFiles();
        assertThat(files).extracting(ManifestFile::path).containsOnlyOnce("agent.jar");
        for (ManifestFile file : files) {
            Path onDisk = dist.resolve(file.path());
            assertThat(onDisk).as(file.path()).isRegularFile();
            assertThat(Files.size(onDisk)).as("size of " + file.path()).isEqualTo(file.size());
            assertThat(sha256(onDisk)).as("sha256 of " + file.path()).isEqualTo(file.sha256());
        }
        assertThat(files).hasSize(1 + ABIS.size() * LIBRARIES.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"arm64-v8a", "armeabi-v7a", "x86", "x86_64"})
    void eachAbiFolderHoldsExactlyTheExpectedLibrariesListedForThatAbi(String abi) throws IOException {
        try (var listing = Files.list(dist.resolve("lib").resolve(abi))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(LIBRARIES);
        }
        assertThat(manifestFiles()).filteredOn(f -> abi.equals(f.abi())).extracting(ManifestFile::path)
                .containsExactlyInAnyOrderElementsOf(LIBRARIES.stream().map(l -> "lib/" + abi + "/" + l).toList());
    }

    /** The recorded order must load every shipped DT_NEEDED dependency before the library needing it. */
    @ParameterizedTest
    @ValueSource(strings = {"arm64-v8a", "armeabi-v7a", "x86", "x86_64"})
    void loadOrderPutsEveryShippedDependencyFirst(String abi) throws IOException {
        List<String> order = loadOrder();
        assertThat(order).containsExactlyInAnyOrderElementsOf(LIBRARIES);
        for (String library : order) {
            for (String needed : ElfNeeded.of(dist.resolve("lib").resolve(abi).resolve(library))) {
                if (LIBRARIES.contains(needed)) {
                    assertThat(order.indexOf(needed)).as(library + " needs " + needed).isLessThan(order.indexOf(library));
                }
            }
        }
        assertThat(ElfNeeded.of(dist.resolve("lib").resolve(abi).resolve("libpytorch_jni_lite.so"))).contains("libfbjni.so", "libc++_shared.so");
    }

    @Test
    void jarRunsOnTheDesktopAndRefusesAnotherProtocolVersion() throws Exception {
        Process agent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", dist.resolve("agent.jar").toString(), "org.mrw.agent.AgentMain", "99")
                .redirectErrorStream(true).start();
        String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(agent.exitValue()).as(output).isEqualTo(3);
        assertThat(output).contains("protocol version 99 requested");
    }

    static List<ManifestFile> manifestFiles() {
        List<ManifestFile> files = new ArrayList<>();
        Matcher m = FILE_LINE.matcher(manifest);
        while (m.find()) {
            String abi = m.group(2).equals("null") ? null : m.group(2).replace("\"", "");
            files.add(new ManifestFile(m.group(1), abi, Long.parseLong(m.group(4)), m.group(5)));
        }
        return files;
    }

    static List<String> loadOrder() {
        Matcher m = Pattern.compile("\"loadOrder\": \\[([^]]*)]").matcher(manifest);
        assertThat(m.find()).as("loadOrder in manifest.json").isTrue();
        return Arrays.stream(m.group(1).split(",")).map(s -> s.trim().replace("\"", "")).toList();
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return org.mrw.protocol.Sha256.hex(in);
        }
    }
}
