package org.mrw.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.mrw.core.bench.AttackBenchmark;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.zoo.ZooManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrw bench attacks}: FGSM and PGD-10 throughput on every float PyTorch model of the zoo (or the
 * given models), the cost of a 10-ε FGSM sweep relative to one ε, and with {@code --python} the same
 * PGD-10 in Python with PyTorch on the same file, images, batch size and threads.
 */
@Command(name = "attacks", description = "Images per second for FGSM and PGD-10 on the zoo's float PyTorch models.")
final class BenchAttacksCommand implements Callable<Integer> {

    @Option(names = "--models", paramLabel = "DIR", description = "Zoo folder with zoo.json (default: the checkout's models/).")
    Path models;

    @Option(names = "--model", paramLabel = "FILE", description = "Benchmark this differentiable model instead of the zoo; repeatable.")
    List<Path> files = new ArrayList<>();

    @Option(names = "--images", paramLabel = "N", defaultValue = "500", description = "Test images per run (default ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "5", description = "Timed runs per case; the median is reported (default ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--python", description = "Also time PGD-10 in Python with PyTorch (/usr/bin/python3, bench/pgd_python.py) and report the ratio.")
    boolean python;

    @Option(names = "--python-isa", paramLabel = "ISA", description = "Cap oneDNN in the Python baseline at this ISA "
            + "(DNNL_MAX_CPU_ISA, e.g. AVX2, the workbench's own cap) instead of running it uncapped as Python users do; implies --python.")
    String pythonIsa;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (images < 1 || images > 10_000 || batchSize < 1 || batchSize > 10_000 || repeats < 1 || repeats > 1000) {
            throw new IllegalArgumentException("--images and --batch-size must be in 1..10000 and --repeats in 1..1000");
        }
        python |= pythonIsa != null;
        List<Path> targets = files.isEmpty() ? zooFloatTorchScript() : files;
        Dataset data = Datasets.fashionMnistTest();
        List<ImageBatch> batches = new ArrayList<>();
        for (int from = 0; from < images; from += batchSize) {
            batches.add(data.batch(from, Math.min(batchSize, images - from)));
        }
        PrintWriter err = spec.commandLine().getErr();
        List<Map<String, Object>> rows = new ArrayList<>();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%d images, batch %d, median of %d runs, %d cores%n%-14s %10s %12s %10s %10s %8s%s%n", images, batchSize, repeats,
                java.lang.Runtime.getRuntime().availableProcessors(), "model", "FGSM im/s", "FGSMx10 im/s", "sweep/1", "PGD10 im/s",
                "judged", python ? "  Python PGD10 im/s  ratio" : ""));
        for (Path file : targets) {
            AttackBenchmark.Result r;
            try (GradientClassifier model = Models.loadDifferentiable(file, null, null)) {
                r = AttackBenchmark.run(model, batches.toArray(ImageBatch[]::new), repeats, s -> {
                    if (!output.json) {
                        err.println(s);
                        err.flush();
                    }
                });
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("model", r.model());
            row.put("file", file.toString());
            row.put("fgsm", r.fgsm());
            row.put("fgsmSweep10", r.fgsmSweep10());
            row.put("fgsmSweepRatio", r.sweepRatio());
            row.put("fgsmJudged", r.fgsmJudged());
            row.put("fgsmSweep10Judged", r.fgsmSweep10Judged());
            row.put("fgsmJudgedSweepRatio", r.judgedSweepRatio());
            row.put("pgd10", r.pgd10());
            text.append(String.format(Locale.ROOT, "%-14s %10.0f %12.0f %10.2f %10.0f %8.2f", r.model(), r.fgsm().imagesPerSecond(),
                    r.fgsmSweep10().imagesPerSecond(), r.sweepRatio(), r.pgd10().imagesPerSecond(), r.judgedSweepRatio()));
            if (python) {
                JsonNode py = pythonPgd(file, err);
                double pyRate = py.get("imagesPerSecond").asDouble();
                row.put("pythonPgd10", py);
                row.put("pythonOneDnnIsa", pythonIsa == null ? "uncapped" : pythonIsa.toUpperCase(Locale.ROOT));
                row.put("pgd10RatioToPython", r.pgd10().imagesPerSecond() / pyRate);
                text.append(String.format(Locale.ROOT, " %19.0f %6.2f", pyRate, r.pgd10().imagesPerSecond() / pyRate));
            }
            text.append('\n');
            rows.add(row);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("images", images);
        doc.put("batchSize", batchSize);
        doc.put("repeats", repeats);
        doc.put("cores", java.lang.Runtime.getRuntime().availableProcessors());
        doc.put("sweepEpsilons", 10);
        doc.put("models", rows);
        output.print(spec.commandLine().getOut(), doc, text.toString().stripTrailing());
        return 0;
    }

    private List<Path> zooFloatTorchScript() {
        Path dir = models != null ? models : ZooCommand.defaultModelsDir();
        Path manifest = dir.resolve("zoo.json");
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("no zoo manifest at " + manifest.toAbsolutePath()
                    + "; pass --models DIR or --model FILE (build the zoo with models/build)");
        }
        return ZooManifest.read(manifest).entries().stream()
                .filter(e -> e.variant().equals("float") && e.path().endsWith(".pt"))
                .map(e -> dir.resolve(e.path())).toList();
    }

    private JsonNode pythonPgd(Path model, PrintWriter err) throws IOException, InterruptedException {
        Path script = ZooCommand.defaultModelsDir().resolveSibling("bench").resolve("pgd_python.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalArgumentException("--python needs " + script.toAbsolutePath() + " (run from the checkout via ./mrw)");
        }
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", script.toString(), "--model", model.toAbsolutePath().toString(),
                "--images", String.valueOf(images), "--batch-size", String.valueOf(batchSize), "--repeats", String.valueOf(repeats),
                "--threads", String.valueOf(java.lang.Runtime.getRuntime().availableProcessors()))
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        // By default the baseline runs as Python users run it: without the workbench's oneDNN cap (see
        // README); --python-isa gives it the same cap, to compare the two at equal kernels.
        pb.environment().remove("DNNL_MAX_CPU_ISA");
        if (pythonIsa != null) {
            if (!pythonIsa.matches("[A-Za-z0-9_]{1,32}")) {
                throw new IllegalArgumentException("--python-isa " + pythonIsa + " is not an ISA name such as AVX2 or SSE41");
            }
            pb.environment().put("DNNL_MAX_CPU_ISA", pythonIsa.toUpperCase(Locale.ROOT));
        }
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the Python baseline failed (needs Debian's python3-torch); exit " + p.exitValue());
        }
        return JsonOutput.MAPPER.readTree(new String(out, StandardCharsets.UTF_8));
    }
}
