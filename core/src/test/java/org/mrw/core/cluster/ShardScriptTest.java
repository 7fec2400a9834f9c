package org.mrw.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sbatch script run by bash as SLURM would run it, with echo in place of java. */
class ShardScriptTest {

    private record Ran(int exit, String out) {
    }

    private static Ran runAsTask(ShardScript script, String taskId, String taskCount) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.write().toString()).redirectErrorStream(true);
        pb.environment().put("SLURM_ARRAY_TASK_ID", taskId);
        pb.environment().put("SLURM_ARRAY_TASK_COUNT", taskCount);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    private static ShardScript script(Path ws) {
        return new ShardScript("mrw-a b", 4, List.of("echo", "java with 'quotes' and $HOME"), List.of("/specs/my sweep.yaml",
                "--zoo", "/zoo"), ws, Map.of("DNNL_MAX_CPU_ISA", "SSE41"), "gpu", "1:00:00", List.of("--mem=2G"));
    }

    @Test
    void eachTaskRunsTheShardOfItsIndexIntoItsOwnFolderWithArgumentsIntact(@TempDir Path dir) throws Exception {
        Path ws = dir.resolve("w s");
        Ran r = runAsTask(script(ws), "2", "4");
        assertThat(r.exit()).as(r.out()).isZero();
        assertThat(r.out()).contains("mrw: shard 2/4").contains("java with 'quotes' and $HOME run /specs/my sweep.yaml --zoo /zoo --workspace "
                + ws.resolve("shards") + "/2 --shard 2/4 --resume");
        String text = Files.readString(script(ws).file());
        assertThat(text).contains("#SBATCH --partition=gpu", "#SBATCH --time=1:00:00", "#SBATCH --mem=2G", "#SBATCH --job-name=mrw-a_b",
                "#SBATCH --output=" + ws.resolve("slurm/logs/%A_%a.log"), "export DNNL_MAX_CPU_ISA=SSE41");
        assertThat(Files.isDirectory(ws.resolve("slurm/logs"))).isTrue();
    }

    @Test
    void aTaskResubmittedAloneKeepsTheShardCountButAnArrayOfAnotherSizeIsRefused(@TempDir Path dir) throws Exception {
        Ran alone = runAsTask(script(dir), "3", "1");
        assertThat(alone.exit()).as(alone.out()).isZero();
        assertThat(alone.out()).contains("--shard 3/4");
        Ran wrong = runAsTask(script(dir), "1", "3");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.out()).contains("makes 4 shards but the array has 3 tasks").doesNotContain("--resume");
    }

    @Test
    void arrayIndicesOfSqueueAndSacctFieldsExpand() {
        assertThat(Slurm.indices("3")).containsExactly(3);
        assertThat(Slurm.indices("0-3")).containsExactly(0, 1, 2, 3);
        assertThat(Slurm.indices("1,4-6%2")).containsExactly(1, 4, 5, 6);
        assertThat(Slurm.indices("N/A")).isEmpty();
    }
}
