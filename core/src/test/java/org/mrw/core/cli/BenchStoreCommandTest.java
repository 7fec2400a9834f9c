package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchStoreCommandTest {

    @TempDir
    Path dir;

    @Test
    void benchStorePrintsRowsPerSecondAndCleansUp() throws Exception {
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("bench", "store", "--rows", "3000", "--batch-size", "250", "--repeats", "1",
                "--dir", dir.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("rows").asInt()).isEqualTo(3000);
        assertThat(doc.get("batchSize").asInt()).isEqualTo(250);
        assertThat(doc.get("rowsPerSecond").asDouble()).isPositive();
        assertThat(doc.get("batchesPerSecond").asDouble() * 250).isCloseTo(doc.get("rowsPerSecond").asDouble(),
                org.assertj.core.data.Percentage.withPercentage(0.01));
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left).as("scratch workspaces deleted").isEmpty();
        }
    }

    @Test
    void badSizesExitTwo() {
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("bench", "store", "--rows", "0", "--json");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).contains("--rows");
    }
}
