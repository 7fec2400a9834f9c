package org.mrw.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/** A run's bundle holds that run only, and a failed write neither leaves a partial zip nor destroys an earlier one. */
class RunBundleTest {

    private static final double EPS = 8 / 255.0;
    private static final int[] INDICES = {3, 5, 7, 9};
    private static final String SPEC = "name: bundled\nseed: 1\n";

    @TempDir
    Path dir;
    private Path workspace;
    private String runA;
    private Dataset data;
    private final Map<Integer, float[]> adversarials = new HashMap<>();

    @BeforeEach
    void makeWorkspace() {
        workspace = dir.resolve("ws");
        data = Datasets.fashionMnistTest();
        ImageBatch clean = data.batch(INDICES);
        int size = clean.imageSize();
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            runA = store.createRun("a", SPEC, Map.of("djl", "0.36.0"), 1).id();
            store.saveSamples(runA, INDICES, clean.labels());
            AdversarialFiles files = new AdversarialFiles(workspace);
            for (int start = 0; start < INDICES.length; start += 2) {
                List<ResultRow> rows = new ArrayList<>();
                float[] adv = new float[2 * size];
                for (int i = 0; i < 2; i++) {
                    int p = start + i;
                    int label = clean.labels()[p];
                    rows.add(new ResultRow(INDICES[p], label, "", ResultRow.CLEAN, 0, false, "t1", 0, label, 0.9f, 2f, 0, 0));
                    rows.add(new ResultRow(INDICES[p], label, "src", "fgsm", EPS, false, "t1", 0, p % 2 == 0 ? label : (label + 1) % 10,
                            0.6f, p % 2 == 0 ? 1f : -1f, (float) EPS, 1f));
                    for (int j = 0; j < size; j++) {
                        adv[i * size + j] = Math.min(1f, clean.pixels()[p * size + j] + (float) EPS);
                    }
                    adversarials.put(INDICES[p], java.util.Arrays.copyOfRange(adv, i * size, (i + 1) * size));
                }
                store.commitBatch(runA, new BatchKey("src", "fgsm", "t1", 0, start), rows);
                files.write(runA, new BatchKey("src", "fgsm", "", 0, start), EPS, new NpzArrays.FloatArray(new int[] {2, 1, 28, 28}, adv));
            }
            store.finishRun(runA, "finished");
            String runB = store.createRun("b", "name: b\n", Map.of(), 2).id();
            store.commitBatch(runB, new BatchKey("src", "fgsm", "t2", 0, 0),
                    List.of(new ResultRow(1, 2, "src", "fgsm", EPS, false, "t2", 0, 2, 0.5f, 1f, 0.03f, 1f)));
        }
    }

    @Test
    void bundleHoldsSpecRowsReportAdversarialsAndADatabaseOfThisRunOnly() throws IOException {
        Path zip = dir.resolve("out").resolve("a.zip");
        List<String> names = RunBundle.write(workspace, runA, zip, RunBundle.Contents.all(), Progress.NONE, Cancellation.NONE);

        Map<String, byte[]> entries = unzip(zip);
        assertThat(entries.keySet()).containsAll(names).contains("spec.yaml", "run.json", "samples.csv", "rows.csv", "rows.json",
                "results.db", "report/metrics.csv", "report/metrics.tex", "report/accuracy-curves.svg", "report/accuracy-curves.pdf");
        assertThat(entries.keySet().stream().filter(n -> n.startsWith("adversarials/") && n.endsWith(".npy"))).hasSize(2);
        assertThat(new String(entries.get("spec.yaml"), StandardCharsets.UTF_8)).isEqualTo(SPEC);
        assertThat(new String(entries.get("run.json"), StandardCharsets.UTF_8)).contains("\"djl\" : \"0.36.0\"").contains(runA);
        assertThat(new String(entries.get("rows.csv"), StandardCharsets.UTF_8).split("\r\n")).hasSize(1 + 8);
        assertThat(new String(entries.get("report/metrics.tex"), StandardCharsets.UTF_8)).contains("\\toprule").contains("fgsm");
        assertThat(new String(entries.get("report/accuracy-curves.pdf"), 0, 4, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF");

        Path copy = dir.resolve("copy");
        Files.createDirectories(copy);
        Files.write(copy.resolve("results.db"), entries.get("results.db"));
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(copy)) {
            assertThat(store.runs()).extracting(RunInfo::id).containsExactly(runA);
            assertThat(store.rows(runA)).hasSize(8);
            assertThat(store.samples(runA)).containsExactly(INDICES);
        }
        try (Stream<Path> left = Files.list(zip.getParent())) {
            assertThat(left).as("no temporary files left").containsExactly(zip);
        }
    }

    @Test
    void anUnwritableFolderIsNamedAndACancelledWriteKeepsTheEarlierBundle() throws IOException {
        Path notAFolder = dir.resolve("file.txt");
        Files.writeString(notAFolder, "x");
        Path bad = notAFolder.resolve("a.zip");
        assertThatThrownBy(() -> RunBundle.write(workspace, runA, bad, RunBundle.Contents.all(), Progress.NONE, Cancellation.NONE))
                .isInstanceOf(StoreException.class).hasMessageContaining(notAFolder.toString());

        Path zip = dir.resolve("keep.zip");
        RunBundle.write(workspace, runA, zip, new RunBundle.Contents(false, true, false, false), Progress.NONE, Cancellation.NONE);
        byte[] before = Files.readAllBytes(zip);
        Cancellation cancel = new Cancellation();
        cancel.cancel();
        assertThatThrownBy(() -> RunBundle.write(workspace, runA, zip, RunBundle.Contents.all(), Progress.NONE, cancel))
                .isInstanceOf(CancellationException.class);
        assertThat(Files.readAllBytes(zip)).isEqualTo(before);
        try (Stream<Path> left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("partial") || n.contains("snapshot"));
        }
    }

    @Test
    void storedAdversarialsComeBackWithTheirCleanImagesAndJudgements() {
        List<ResultRow> rows;
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(workspace)) {
            rows = store.rows(runA);
        }
        List<RunAdversarials.Unit> units = RunAdversarials.units(workspace, runA, rows);
        assertThat(units).containsExactly(new RunAdversarials.Unit("src", "fgsm", EPS, 0));

        RunAdversarials.Samples s = RunAdversarials.load(workspace, runA, INDICES, units.get(0), false, data, 3);
        assertThat(s.samples()).extracting(RunAdversarials.Sample::datasetIndex).containsExactly(3, 5, 7);
        ImageBatch clean = data.batch(new int[] {5});
        assertThat(s.samples().get(1).original()).containsExactly(clean.pixels());
        assertThat(s.samples().get(1).adversarial()).containsExactly(adversarials.get(5));
        assertThat(s.className(clean.labels()[0])).isEqualTo(data.classNames().get(clean.labels()[0]));

        RunAdversarials.Samples rounded = RunAdversarials.load(workspace, runA, INDICES, units.get(0), true, data, 0);
        assertThat(rounded.samples()).hasSize(4);
        for (float v : rounded.samples().get(0).adversarial()) {
            assertThat(Math.abs(v * 255 - Math.round(v * 255))).isLessThan(1e-3f);
        }
        Map<Integer, ResultRow> judged = RunAdversarials.judgements(rows, units.get(0), false, "t1");
        assertThat(judged).containsOnlyKeys(3, 5, 7, 9);
        assertThat(judged.get(5).correct()).isFalse();
    }

    private static Map<String, byte[]> unzip(Path zip) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                out.put(e.getName(), in.readAllBytes());
            }
        }
        return out;
    }
}
