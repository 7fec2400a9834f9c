package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.testing.SlurmCluster;

/**
 * {@code mrw slurm} against a real single-node SLURM cluster on 127.0.0.1: a 4-task array, a task that
 * fails for real, its resubmission, and the merge that equals the unsharded run. The command runs as
 * its own process, as a user starts it, with SLURM_CONF pointing at the test cluster.
 */
class SlurmCommandTest {

    private static final Path ZOO = Path.of(System.getProperty("mrw.zoo", "../models")).toAbsolutePath().normalize();

    private static final String SPEC = """
            name: slurm-small
            seed: 11
            dataset: {count: 20, selection: random}
            batchSize: 10
            groups:
              - {name: resnet, sources: [zoo:resnet_float_pt], targets: [zoo:resnet_float_pt, zoo:resnet_int8_pt]}
            attacks:
              - {name: fgsm, eps: [0.02, 0.05]}
            """;
    /** clean: 2 targets × 20; FGSM: 2 ε × 2 targets × 20 (6 units: 2 shards get 2, two get 1). */
    private static final int ROWS = 2 * 20 + 2 * 2 * 20;

    record Proc(int exit, String out, String err) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(out);
        }
    }

    /** {@code mrw ARGS} in a new JVM on this test's classpath, with extra environment variables. */
    static Proc mrwProcess(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true", "-cp", System.getProperty("java.class.path"),
                Mrw.class.getName()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "mrw", ".out");
        Path err = Files.createTempFile(dir, "mrw", ".err");
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().putAll(env);
        Process p = pb.start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("mrw " + String.join(" ", args) + " did not end: " + Files.readString(err));
        }
        return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Set<String> rows(Path workspace) {
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            assertThat(store.runs()).hasSize(1);
            Set<String> out = new HashSet<>();
            for (ResultRow r : store.rows(store.runs().get(0).id())) {
                assertThat(out.add(r.toString())).as("duplicate row " + r).isTrue();
            }
            return out;
        }
    }

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES)
    void aFourTaskArrayMergesIntoTheUnshardedRunAndAFailedTaskIsReportedAndResubmittedAlone(@TempDir Path dir) throws Exception {
        try (SlurmCluster cluster = SlurmCluster.start()) {
            Path spec = dir.resolve("small.yaml");
            Files.writeString(spec, SPEC);
            MrwCommandLineTest.Run whole = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", dir.resolve("whole").toString(),
                    "--zoo", ZOO.toString(), "--json");
            assertThat(whole.exit()).as(whole.err()).isZero();
            Set<String> reference = rows(dir.resolve("whole"));
            assertThat(reference).hasSize(ROWS);

            // Task 2 fails for real: a file stands where its shard's workspace folder must go.
            Path ws = dir.resolve("ws");
            Files.createDirectories(ws.resolve("shards"));
            Files.writeString(ws.resolve("shards").resolve("2"), "in the way");
            Proc array = mrwProcess(dir, cluster.environment(), "slurm", spec.toString(), "--shards", "4", "--workspace", ws.toString(),
                    "--zoo", ZOO.toString(), "--wait", "--poll", "0.5", "--json");
            assertThat(array.exit()).as(array.err() + cluster.logs()).isEqualTo(SlurmCommand.TASK_FAILED);
            JsonNode doc = array.json();
            String job = doc.get("job").asText();
            assertThat(doc.get("array").asText()).isEqualTo("0-3");
            assertThat(doc.get("tasks")).hasSize(4);
            assertThat(doc.get("failed")).hasSize(1);
            JsonNode failed = doc.get("failed").get(0);
            assertThat(failed.get("task").asInt()).isEqualTo(2);
            assertThat(failed.get("state").asText()).isEqualTo("FAILED");
            assertThat(failed.get("exitCode").asInt()).isEqualTo(ErrorReporter.BAD_INPUT);
            assertThat(failed.get("message").asText()).contains("shards/2").contains("file of that name");
            assertThat(failed.get("log").asText()).endsWith(job + "_2.log");
            assertThat(failed.get("resubmit").asText()).contains("--resubmit 2");
            assertThat(doc.get("merged")).extracting(JsonNode::asInt).containsExactly(0, 1, 3);
            Set<String> partial = rows(ws);
            assertThat(reference).containsAll(partial);
            assertThat(partial).hasSizeBetween(1, ROWS - 1);
            // every task ran the shard of its own index, out of the same script
            for (int i : new int[] {0, 1, 3}) {
                assertThat(Files.readString(ws.resolve("slurm/logs/" + job + "_" + i + ".log"))).contains("shard " + i + "/4");
            }

            // Resubmitted alone without waiting; then --job waits for that job and merges its shard.
            Files.delete(ws.resolve("shards").resolve("2"));
            Proc resubmitted = mrwProcess(dir, cluster.environment(), "slurm", spec.toString(), "--shards", "4", "--workspace",
                    ws.toString(), "--zoo", ZOO.toString(), "--resubmit", "2", "--no-wait", "--json");
            assertThat(resubmitted.exit()).as(resubmitted.err()).isZero();
            assertThat(resubmitted.json().get("status").asText()).isEqualTo("submitted");
            String retry = resubmitted.json().get("job").asText();
            assertThat(retry).isNotEqualTo(job);
            Proc again = mrwProcess(dir, cluster.environment(), "slurm", spec.toString(), "--shards", "4", "--workspace", ws.toString(),
                    "--zoo", ZOO.toString(), "--job", retry, "--poll", "0.5", "--json");
            assertThat(again.exit()).as(again.err() + cluster.logs()).isZero();
            JsonNode second = again.json();
            assertThat(second.get("job").asText()).isEqualTo(retry);
            assertThat(second.get("array").asText()).isEqualTo("2");
            assertThat(second.get("tasks")).hasSize(1);
            assertThat(second.get("tasks").get(0).get("state").asText()).isEqualTo("COMPLETED");
            assertThat(second.get("merged")).extracting(JsonNode::asInt).containsExactly(2);
            assertThat(second.get("runs").get(0).get("rows").asInt()).isEqualTo(ROWS);
            assertThat(rows(ws)).isEqualTo(reference);
        }
    }

    @Test
    void withoutSbatchTheErrorSaysWhatToInstall(@TempDir Path dir) throws Exception {
        Path spec = dir.resolve("small.yaml");
        Files.writeString(spec, SPEC);
        Proc r = mrwProcess(dir, Map.of("PATH", dir.resolve("no-bin").toString()), "slurm", spec.toString(), "--shards", "2",
                "--workspace", dir.resolve("ws").toString(), "--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(ErrorReporter.BAD_INPUT);
        assertThat(r.json().get("error").asText()).contains("sbatch").contains("slurm-client").contains("login node");
        assertThat(dir.resolve("ws")).doesNotExist();
    }
}
