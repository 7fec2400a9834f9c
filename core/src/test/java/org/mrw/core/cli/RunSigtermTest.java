package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.testing.TestModels;

/**
 * {@code mrw run} stopped with SIGTERM in the middle of a Boundary attack (libtorch busy with one model call
 * after another) stops between two calls, closes its store as "cancelled", prints its closing document and
 * exits like a terminated process; it does not crash. Before the shutdown hook waited for the run, the JVM
 * unloaded libtorch under a running forward pass (SIGSEGV and an hs_err file) and the run stayed "running".
 */
class RunSigtermTest {

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTerminatedRunStopsBetweenModelCallsAndRecordsItself(@TempDir Path dir) throws Exception {
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        Path spec = dir.resolve("long.yaml");
        Files.writeString(spec, """
                name: long-boundary
                seed: 5
                dataset: {count: 8}
                batchSize: 8
                groups:
                  - {name: tiny, sources: [%1$s/tiny_cnn.pt], targets: [%1$s/tiny_cnn.pt]}
                attacks:
                  - {name: boundary, eps: [.inf], steps: 1000000, directions: 1}
                """.formatted(models));
        Path err = dir.resolve("stderr.txt");
        Path out = dir.resolve("stdout.json");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m",
                "-cp", System.getProperty("java.class.path"), Mrw.class.getName(),
                "run", spec.toString(), "--workspace", dir.resolve("ws").toString(), "--json")
                .directory(dir.toFile()).redirectError(err.toFile()).redirectOutput(out.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(err) && Files.readString(err).contains("boundary step"))) {
            assertThat(child.isAlive()).as("the run ended before its Boundary attack: %s", Files.readString(err)).isTrue();
            assertThat(System.nanoTime()).as("no Boundary progress within 120 s: %s", Files.readString(err)).isLessThan(deadline);
            Thread.sleep(100);
        }
        child.destroy(); // SIGTERM
        assertThat(child.waitFor(90, TimeUnit.SECONDS)).as("the run stopped").isTrue();

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).as("no JVM crash report").noneMatch(n -> n.startsWith("hs_err"));
        }
        assertThat(child.exitValue()).as(Files.readString(err)).isEqualTo(128 + 15);
        JsonNode doc = new ObjectMapper().readTree(out.toFile());
        assertThat(doc.get("status").asText()).isEqualTo("cancelled");
        try (SqliteResultsStore store = SqliteResultsStore.open(dir.resolve("ws"))) {
            RunInfo run = store.runs().get(0);
            assertThat(run.status()).isEqualTo("cancelled");
        }
    }
}
