package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.testing.TestModels;

/** {@code mrw run}, {@code mrw merge} and {@code mrw report} end to end on the tiny models. */
class RunReportCommandTest {

    @Test
    void runShardsMergeAndReportWithExports(@TempDir Path dir) throws Exception {
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, """
                name: tiny-cli
                seed: 3
                dataset: {count: 30, selection: random}
                batchSize: 15
                round8: true
                groups:
                  - {name: tiny, sources: [%1$s/tiny_cnn.pt], targets: [%1$s/tiny_cnn.pt, %1$s/tiny_cnn_int8.pt]}
                attacks:
                  - {name: fgsm, eps: [0.02, 0.1]}
                """.formatted(models));
        for (int i = 0; i < 2; i++) {
            MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", dir.resolve("s" + i).toString(),
                    "--shard", i + "/2", "--json");
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.json().get("status").asText()).isEqualTo("finished");
        }
        // every unit's float adversarials are kept as NPY in the shard that made them (2 ε × 2 batches)
        long npy;
        try (var files = Files.walk(dir.resolve("s0").resolve("adversarials"))) {
            npy = files.filter(p -> p.toString().endsWith(".npy")).count();
        }
        try (var files = Files.walk(dir.resolve("s1").resolve("adversarials"))) {
            npy += files.filter(p -> p.toString().endsWith(".npy")).count();
        }
        assertThat(npy).isEqualTo(2 * 2);
        MrwCommandLineTest.Run merged = MrwCommandLineTest.mrw("merge", "--into", dir.resolve("all").toString(),
                dir.resolve("s0").toString(), dir.resolve("s1").toString(), "--json");
        assertThat(merged.exit()).as(merged.err()).isZero();

        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("report", "--workspace", dir.resolve("all").toString(), "--json",
                "--csv", dir.resolve("m.csv").toString(), "--latex", dir.resolve("m.tex").toString(),
                "--figure", dir.resolve("curves.svg").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode doc = r.json();
        // clean 2 targets × 30 + 2 ε × 2 roundings × 2 targets × 30
        assertThat(doc.get("rows").asInt()).isEqualTo(60 + 240);
        // the merged shards report exactly what one unsharded run of the spec reports
        MrwCommandLineTest.Run whole = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", dir.resolve("whole").toString(), "--json");
        assertThat(whole.exit()).as(whole.err()).isZero();
        // progress on stderr: no ETA before anything is measured, none left at the end
        assertThat(whole.err()).contains(", ETA ?] selecting samples").containsPattern("\\[(\\d+)/\\1, ETA 0 s\\] done");
        MrwCommandLineTest.Run wholeReport = MrwCommandLineTest.mrw("report", "--workspace", dir.resolve("whole").toString(), "--json");
        assertThat(wholeReport.exit()).as(wholeReport.err()).isZero();
        for (String field : new String[] {"run", "status", "rows", "metrics", "comparisons"}) {
            assertThat(doc.get(field)).as(field).isNotNull().isEqualTo(wholeReport.json().get(field));
        }
        assertThat(doc.get("metrics")).hasSize(2 * 2 * 2);
        JsonNode first = doc.get("metrics").get(0);
        assertThat(first.get("accuracy").get("low").asDouble()).isLessThanOrEqualTo(first.get("accuracy").get("estimate").asDouble());
        assertThat(first.get("method").asText()).contains("bootstrap");
        JsonNode comparison = doc.get("comparisons").get(0);
        assertThat(comparison.get("mcnemar").get("method").asText()).contains("McNemar");
        assertThat(comparison.get("wilcoxon").get("method").asText()).contains("Wilcoxon");
        assertThat(Files.readString(dir.resolve("m.tex"))).contains("\\toprule").contains("tiny\\_cnn");
        var csvLines = Files.readString(dir.resolve("m.csv")).lines().toList();
        assertThat(csvLines).hasSize(1 + 8);
        // the table carries the effective ε and the flips of the JSON's metrics, row for row
        var header = java.util.Arrays.asList(csvLines.get(0).split(","));
        var firstRow = csvLines.get(1).split(",");
        assertThat(Integer.parseInt(firstRow[header.indexOf("flips to wrong")])).isEqualTo(first.get("flipsToWrong").asInt());
        assertThat(Integer.parseInt(firstRow[header.indexOf("flips to right")])).isEqualTo(first.get("flipsToCorrect").asInt());
        assertThat(Double.parseDouble(firstRow[header.indexOf("effective ε")]))
                .isCloseTo(first.get("meanLinf").get("estimate").asDouble(), org.assertj.core.api.Assertions.within(1e-4));
        assertThat(Files.readString(dir.resolve("curves.svg"))).contains("<svg").contains("ε");
        // grouped panels, success rate of the 8-bit adversarials, as PDF and PNG; a filter that matches nothing is refused
        MrwCommandLineTest.Run grouped = MrwCommandLineTest.mrw("report", "--workspace", dir.resolve("all").toString(), "--json",
                "--figure", dir.resolve("grouped.pdf").toString(), "--group-by", "framework", "--value", "success", "--rounded",
                "--uncertainty", "ERROR_BARS", "--size", "single");
        assertThat(grouped.exit()).as(grouped.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("grouped.pdf"))).startsWith("%PDF".getBytes(StandardCharsets.US_ASCII));
        MrwCommandLineTest.Run png = MrwCommandLineTest.mrw("report", "--workspace", dir.resolve("all").toString(), "--json",
                "--figure", dir.resolve("deployment.png").toString(), "--group-by", "deployment", "--dpi", "150");
        assertThat(png.exit()).as(png.err()).isZero();
        assertThat(javax.imageio.ImageIO.read(dir.resolve("deployment.png").toFile()).getWidth()).isEqualTo(7 * 150);
        MrwCommandLineTest.Run none = MrwCommandLineTest.mrw("report", "--workspace", dir.resolve("all").toString(), "--json",
                "--figure", dir.resolve("none.svg").toString(), "--attack", "cw");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.json().get("error").asText()).contains("nothing to draw").contains("--attack cw");
        try (var files = Files.walk(dir.resolve("all").resolve("adversarials"))) {
            var npyFile = files.filter(p -> p.toString().endsWith(".npy")).findFirst().orElseThrow();
            var array = org.mrw.core.data.NpzArrays.readNpy(npyFile);
            assertThat(array.shape()).containsExactly(15, 1, 28, 28);
        }

        MrwCommandLineTest.Run again = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", dir.resolve("s0").toString(), "--json");
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.json().get("error").asText()).contains("--resume");
    }

    @Test
    void figuresInOnePassIncludingBudgetCurvesOfAnUnboundedAttack(@TempDir Path dir) throws Exception {
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        Path spec = dir.resolve("tiny.yaml");
        Files.writeString(spec, """
                name: tiny-figures
                seed: 5
                dataset: {count: 20, selection: first}
                batchSize: 20
                round8: true
                groups:
                  - {name: tiny, sources: [%1$s/tiny_cnn.pt], targets: [%1$s/tiny_cnn.pt, %1$s/tiny_cnn_int8.pt]}
                attacks:
                  - {name: fgsm, eps: [0.05]}
                  - {name: boundary, eps: [.inf], steps: 30, directions: 1}
                """.formatted(models));
        Path ws = dir.resolve("ws");
        MrwCommandLineTest.Run run = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", ws.toString(), "--json");
        assertThat(run.exit()).as(run.err()).isZero();

        Path figs = dir.resolve("figs");
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json",
                "--figures", figs.toString(), "--formats", "svg,png", "--group-by", "framework", "--dpi", "72");
        assertThat(r.exit()).as(r.err()).isZero();
        try (var files = Files.list(figs)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList()).containsExactly(
                    "fig-boundary--tiny_cnn.pt--8bit.png", "fig-boundary--tiny_cnn.pt--8bit.svg", "fig-boundary--tiny_cnn.pt.png",
                    "fig-boundary--tiny_cnn.pt.svg", "fig-fgsm--tiny_cnn.pt--8bit.png", "fig-fgsm--tiny_cnn.pt--8bit.svg",
                    "fig-fgsm--tiny_cnn.pt.png", "fig-fgsm--tiny_cnn.pt.svg");
        }
        assertThat(Files.readString(figs.resolve("fig-boundary--tiny_cnn.pt.svg"))).contains("L2 budget");
        assertThat(Files.readString(figs.resolve("fig-fgsm--tiny_cnn.pt.svg"))).doesNotContain("L2 budget").contains("ε")
                .doesNotContain("effective ε");
        // 8-bit rounded adversarials are drawn at their effective ε
        assertThat(Files.readString(figs.resolve("fig-fgsm--tiny_cnn.pt--8bit.svg"))).contains("effective ε (8-bit)");
        // one figure of the unbounded attack, as --figure draws it; an unknown format is refused before drawing
        MrwCommandLineTest.Run one = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json",
                "--figure", dir.resolve("b.svg").toString(), "--attack", "boundary");
        assertThat(one.exit()).as(one.err()).isZero();
        assertThat(Files.readString(dir.resolve("b.svg"))).contains("L2 budget").contains("tiny_cnn_int8");
        MrwCommandLineTest.Run fit = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json",
                "--figure", dir.resolve("fit.svg").toString(), "--attack", "fgsm", "--y-range", "fit");
        assertThat(fit.exit()).as(fit.err()).isZero();
        assertThat(Files.readString(dir.resolve("fit.svg"))).isNotEqualTo(Files.readString(figs.resolve("fig-fgsm--tiny_cnn.pt.svg")));
        MrwCommandLineTest.Run badRange = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json",
                "--figure", dir.resolve("x.svg").toString(), "--y-range", "log");
        assertThat(badRange.exit()).isEqualTo(2);
        assertThat(badRange.json().get("error").asText()).contains("--y-range must be unit or fit, got log");
        MrwCommandLineTest.Run bad = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json",
                "--figures", figs.toString(), "--formats", "gif");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.json().get("error").asText()).contains("--formats takes svg, pdf and png, got gif");
    }

    @Test
    void aRunWithoutAttacksReportsEveryTargetsCleanAccuracyAndComparesThem(@TempDir Path dir) throws Exception {
        Path models = TestModels.path("tiny_cnn.pt").getParent();
        Path spec = dir.resolve("clean.yaml");
        Files.writeString(spec, """
                name: tiny-clean
                dataset: {count: 40, selection: first}
                groups:
                  - {name: tiny, sources: [%1$s/tiny_cnn.pt], targets: [%1$s/tiny_cnn.pt, %1$s/tiny_cnn_int8.pt]}
                attacks: []
                """.formatted(models));
        Path ws = dir.resolve("ws");
        MrwCommandLineTest.Run run = MrwCommandLineTest.mrw("run", spec.toString(), "--workspace", ws.toString(), "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("report", "--workspace", ws.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode clean = r.json().get("clean");
        assertThat(clean).hasSize(2);
        assertThat(clean.get(0).get("target").asText()).isEqualTo("tiny_cnn.pt");
        assertThat(clean.get(0).get("n").asInt()).isEqualTo(40);
        assertThat(clean.get(0).get("accuracy").get("estimate").asDouble()).isBetween(0.5, 1.0);
        assertThat(r.json().get("metrics")).isEmpty();
        JsonNode comparison = r.json().get("comparisons").get(0);
        assertThat(comparison.get("attack").asText()).isEqualTo("clean");
        assertThat(comparison.get("n").asInt()).isEqualTo(40);
        assertThat(comparison.get("accuracyA").asDouble()).isEqualTo(clean.get(0).get("accuracy").get("estimate").asDouble());
        MrwCommandLineTest.Run text = MrwCommandLineTest.mrw("report", "--workspace", ws.toString());
        assertThat(text.out()).contains("clean tiny_cnn_int8.pt");
    }
}
