package org.mrw.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.experiment.SpecException;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Durations;
import org.mrw.core.task.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mrw run SPEC}: runs an experiment into a workspace. Ctrl-C (or kill) stops between units; every
 * committed unit is kept and {@code --resume} finishes the run.
 */
@Command(name = "run", description = "Run an experiment spec (YAML, or a preset: paper, example) into a workspace.")
final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SPEC", description = "Spec file, or a preset name: paper, example.")
    String specArg;

    @Option(names = "--workspace", paramLabel = "DIR", defaultValue = "workspace",
            description = "Workspace folder (results.db, adversarials); default ./${DEFAULT-VALUE}.")
    Path workspace;

    /** How long a SIGTERM waits for the run to stop: a Boundary step or a batch's judging takes well under this. */
    private static final int STOP_SECONDS = 60;

    @Option(names = "--resume", description = "Finish the unfinished run of this spec in the workspace.")
    boolean resume;

    @Option(names = "--shard", paramLabel = "i/n", description = "Run only shard i of n (0-based); merge the workspaces with mrw merge.")
    String shard;

    @Option(names = "--zoo", paramLabel = "DIR", description = "Zoo folder for zoo:<id> models (default: the checkout's models/).")
    Path zoo;

    @Option(names = "--count", paramLabel = "N", description = "Override dataset.count (e.g. a quick trial of a preset).")
    Integer count;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    DeviceArgs deviceArgs;

    @Option(names = "--device-threads", paramLabel = "N", defaultValue = "2",
            description = "Inference threads of device targets (device:SERIAL/MODEL) (default ${DEFAULT-VALUE}).")
    int deviceThreads;

    @Override
    public Integer call() throws IOException {
        String text = readSpec(specArg);
        ExperimentSpec experiment = ExperimentSpec.parse(text, specArg);
        if (count != null) {
            ExperimentSpec.DataSpec d = experiment.dataset();
            experiment = new ExperimentSpec(experiment.name(), experiment.seed(), new ExperimentSpec.DataSpec(
                    d == null ? null : d.path(), count, d == null ? null : d.selection(), d == null ? null : d.correctOnSources()),
                    experiment.groups(), experiment.attacks(), experiment.round8(), experiment.repetitions(), experiment.batchSize());
            text = experiment.toYaml();
        }
        ExperimentRunner.Options options = options();
        Path specDir = isPreset() ? Path.of("") : Path.of(specArg).toAbsolutePath().getParent();
        ModelResolver resolver = new ModelResolver(specDir, zoo != null ? zoo : ZooCommand.defaultModelsDir());
        Dataset data = experiment.dataset() == null || experiment.dataset().path() == null ? Datasets.fashionMnistTest()
                : Datasets.open(specDir.resolve(experiment.dataset().path()), org.mrw.core.data.DatasetOptions.defaults());
        Cancellation cancellation = new Cancellation();
        // SIGTERM/Ctrl+C: cancel, then hold the JVM's exit until the run has stopped between two model calls
        // and closed the store. Returning at once let the JVM unload libtorch under a running forward pass
        // (SIGSEGV, seen on a TERM mid-Boundary) and lose the "cancelled" status and the closing document.
        java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
        Thread hook = new Thread(() -> {
            cancellation.cancel();
            try {
                if (!stopped.await(STOP_SECONDS, java.util.concurrent.TimeUnit.SECONDS)) {
                    System.err.println("mrw run: the run did not stop within " + STOP_SECONDS + " s; exiting anyway "
                            + "(committed units are kept; --resume redoes the rest)");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "mrw-run-cancel");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean onDevices = experiment.groups().stream().flatMap(g -> g.targets().stream())
                .anyMatch(t -> t.startsWith(ModelResolver.DEVICE));
        List<AutoCloseable> opened = new java.util.ArrayList<>();
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            org.mrw.core.experiment.DeviceTargets devices = null;
            if (onDevices) {
                devices = new org.mrw.core.experiment.DeviceTargets(serial -> {
                    DeviceArgs.Selected selected = deviceArgs.open(serial);
                    opened.add(selected);
                    return selected.device();
                }, org.mrw.core.device.AgentBundle.locate(), deviceThreads, progress(java.util.OptionalDouble::empty));
                opened.add(devices);
            }
            ExperimentRunner runner = new ExperimentRunner(experiment, text, resolver, data, devices);
            ExperimentRunner.Summary s = runner.run(store, new org.mrw.core.store.AdversarialFiles(workspace), options,
                    progress(runner::secondsLeft), cancellation);
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("run", s.runId());
            doc.put("workspace", workspace.toAbsolutePath().toString());
            doc.put("samples", s.samples());
            doc.put("unitsDone", s.unitsDone());
            doc.put("unitsSkipped", s.unitsSkipped());
            doc.put("rows", s.rows());
            doc.put("status", s.cancelled() ? "cancelled" : "finished");
            doc.put("seconds", s.seconds());
            if (devices != null) {
                Map<String, Object> rates = new LinkedHashMap<>();
                devices.throughput().forEach((serial, t) -> {
                    Map<String, Object> rate = new LinkedHashMap<>(); // a stable key order, unlike Map.of
                    rate.put("imagesPerSecond", Math.round(t[0] * 10) / 10.0);
                    rate.put("images", (long) t[1]);
                    rates.put(serial, rate);
                });
                doc.put("devices", rates);
            }
            output.print(spec.commandLine().getOut(), doc, String.format(Locale.ROOT,
                    "run %s: %d samples, %d units done, %d skipped, %d rows in %s, %s in %.1f s", s.runId(), s.samples(),
                    s.unitsDone(), s.unitsSkipped(), s.rows(), workspace.resolve("results.db"),
                    s.cancelled() ? "cancelled (finish with --resume)" : "finished", s.seconds()));
            return s.cancelled() ? 130 : 0;
        } finally {
            for (int i = opened.size() - 1; i >= 0; i--) {
                try {
                    opened.get(i).close();
                } catch (Exception ignored) {
                    // devices and adb servers are closed best effort at the end of a run
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook ran: cancelled
            }
            stopped.countDown();
        }
    }

    private boolean isPreset() {
        return isPreset(specArg);
    }

    /** A preset name (paper, example) rather than a spec file. */
    static boolean isPreset(String specArg) {
        return !specArg.contains("/") && !specArg.endsWith(".yaml") && !specArg.endsWith(".yml");
    }

    /** The text of a spec file or preset ({@code mrw slurm} checks it before queueing any task). */
    static String readSpec(String specArg) throws IOException {
        if (isPreset(specArg)) {
            return org.mrw.core.experiment.Presets.text(specArg).orElseThrow(() -> new SpecException("no preset '" + specArg
                    + "' (presets: " + String.join(", ", org.mrw.core.experiment.Presets.NAMES) + ") and no spec file of that name; spec files end in .yaml"));
        }
        Path file = Path.of(specArg);
        if (!Files.isRegularFile(file)) {
            throw new SpecException(file + ": no such spec file");
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private ExperimentRunner.Options options() {
        if (shard == null) {
            return new ExperimentRunner.Options(resume, 0, 1);
        }
        String[] parts = shard.split("/");
        if (parts.length != 2 || !parts[0].matches("\\d{1,6}") || !parts[1].matches("\\d{1,6}")) {
            throw new SpecException("--shard must look like i/n (e.g. 0/4), got " + shard);
        }
        return new ExperimentRunner.Options(resume, Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }

    /**
     * Progress with an ETA on stderr (also with --json, whose document is on stdout), at most once a second.
     * The ETA is the runner's: units weighed by their work at this process's pace ("?" until measured).
     */
    private Progress progress(java.util.function.Supplier<java.util.OptionalDouble> secondsLeft) {
        PrintWriter err = spec.commandLine().getErr();
        long[] last = {0};
        return (done, total, message) -> {
            long now = System.nanoTime();
            if (now - last[0] < 1_000_000_000L && done < total) {
                return;
            }
            last[0] = now;
            java.util.OptionalDouble left = secondsLeft.get();
            String eta = done >= total ? "0 s" : left.isPresent() ? Durations.rough(left.getAsDouble()) : "?";
            err.printf(Locale.ROOT, "[%d/%d, ETA %s] %s%n", done, total, eta, message);
            err.flush();
        };
    }
}
