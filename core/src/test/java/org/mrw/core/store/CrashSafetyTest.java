package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process killed with SIGKILL at a random moment loses no acknowledged unit and leaves no
 * partial one; the next process resumes by skipping the finished units.
 */
class CrashSafetyTest {

    private static final int ROWS = 500;
    private static final int ROUNDS = 4;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aKilledWriterLeavesOnlyWholeUnitsAndResumesWithoutDuplicates() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String run;
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            run = store.createRun("crash", "", Map.of(), seed).id();
        }
        Set<Integer> acknowledged = new TreeSet<>();
        for (int round = 0; round < ROUNDS; round++) {
            int killAfter = 1 + random.nextInt(15);
            int delayMillis = random.nextInt(40);
            String context = "seed " + seed + ", round " + round + ", kill after " + killAfter + " commits + " + delayMillis + " ms";
            Path stderr = dir.resolve("child-" + round + ".err");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    CrashingWriter.class.getName(), dir.toString(), run, String.valueOf(ROWS))
                    .redirectError(stderr.toFile()).start();
            int fresh = 0;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                while (fresh < killAfter) {
                    String line = out.readLine();
                    assertThat(line).as("child output (%s); stderr: %s", context, Files.exists(stderr) ? Files.readString(stderr) : "")
                            .isNotNull();
                    if (line.startsWith("committed ")) {
                        acknowledged.add(Integer.parseInt(line.substring("committed ".length())));
                        fresh++;
                    }
                }
                // Land the kill at a random point of a later commit, often mid-transaction.
                Thread.sleep(delayMillis);
                child.destroyForcibly();
                assertThat(child.waitFor(30, TimeUnit.SECONDS)).as(context).isTrue();
            }
            assertThat(child.exitValue()).as("killed by SIGKILL (%s)", context).isEqualTo(137);
            checkWholeUnits(run, acknowledged, context);
        }
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            Set<BatchKey> done = store.doneBatches(run);
            long rows = store.rowCount(run);
            for (BatchKey key : done) {
                assertThat(store.commitBatch(run, key, Rows.of(key, ROWS))).as("re-committing %s", key).isFalse();
            }
            assertThat(store.rowCount(run)).isEqualTo(rows);
        }
    }

    private void checkWholeUnits(String run, Set<Integer> acknowledged, String context) {
        try (SqliteResultsStore store = SqliteResultsStore.open(dir)) {
            Set<Integer> done = new TreeSet<>();
            for (BatchKey key : store.doneBatches(run)) {
                done.add(key.batchStart() / ROWS);
            }
            assertThat(done).as("every acknowledged unit is durable (%s)", context).containsAll(acknowledged);
            Map<Integer, Integer> rowsPerUnit = new TreeMap<>();
            for (ResultRow row : store.rows(run)) {
                rowsPerUnit.merge(row.sample() / ROWS, 1, Integer::sum);
            }
            assertThat(rowsPerUnit.keySet()).as("rows only of finished units (%s)", context).isEqualTo(done);
            assertThat(rowsPerUnit.values()).as("no partial unit (%s)", context).allMatch(n -> n == ROWS);
            assertThat(store.rowCount(run)).as(context).isEqualTo((long) done.size() * ROWS);
        }
    }
}
