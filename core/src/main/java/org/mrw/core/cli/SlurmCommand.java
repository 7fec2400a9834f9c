package org.mrw.core.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.mrw.core.cluster.ArrayTask;
import org.mrw.core.cluster.JvmCommand;
import org.mrw.core.cluster.ShardScript;
import org.mrw.core.cluster.Slurm;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.SpecException;
import org.mrw.core.store.ResultsStore;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mrw slurm SPEC --shards N}: the shards of a run as one SLURM job array. Each task runs
 * {@code mrw run SPEC --shard i/N} into {@code WORKSPACE/shards/i} on this JVM's classpath; with
 * {@code --wait} the finished shards are merged into the workspace and failed tasks are named with
 * their exit codes, ready for {@code --resubmit i}.
 */
@Command(name = "slurm", description = {"Run a spec's shards as a SLURM job array (sbatch), optionally wait and merge them.",
        "Exit 0 when submitted or every task succeeded, 3 when a task failed (resubmit it with --resubmit i)."})
final class SlurmCommand implements Callable<Integer> {

    static final int TASK_FAILED = 3;

    @Parameters(index = "0", paramLabel = "SPEC", description = "Spec file, or a preset name: paper, example.")
    String specArg;

    @Option(names = "--shards", required = true, paramLabel = "N", description = "Number of shards, one array task each.")
    int shards;

    @Option(names = "--workspace", paramLabel = "DIR", defaultValue = "workspace",
            description = "Workspace on a filesystem the compute nodes share; shards go to DIR/shards/i,"
                    + " the script and logs to DIR/slurm (default ./${DEFAULT-VALUE}).")
    Path workspace;

    @Option(names = "--partition", paramLabel = "P", description = "SLURM partition (default: the cluster's).")
    String partition;

    @Option(names = "--time", paramLabel = "T", description = "Time limit per task, in sbatch's format (e.g. 2:00:00).")
    String time;

    @Option(names = "--sbatch-option", paramLabel = "OPT", description = "Another #SBATCH line, verbatim (e.g. --mem=8G); repeatable.")
    List<String> sbatchOptions = new ArrayList<>();

    @Option(names = "--wait", negatable = true, defaultValue = "false",
            description = "Wait for the tasks to end, report failures and merge the finished shards (default: submit and return).")
    boolean wait;

    @Option(names = "--resubmit", paramLabel = "TASK", description = "Submit only array task TASK again (it resumes its shard).")
    Integer resubmit;

    @Option(names = "--job", paramLabel = "ID", description = "Wait for (and merge) an already submitted job instead of submitting.")
    String job;

    @Option(names = "--poll", paramLabel = "SECONDS", defaultValue = "10", description = "Seconds between queue polls (default ${DEFAULT-VALUE}).")
    double pollSeconds;

    @Option(names = "--zoo", paramLabel = "DIR", description = "Zoo folder for zoo:<id> models (default: the checkout's models/).")
    Path zoo;

    @Option(names = "--count", paramLabel = "N", description = "Override dataset.count in every shard.")
    Integer count;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (shards < 1) {
            throw new SpecException("--shards must be at least 1, got " + shards);
        }
        if (resubmit != null && (resubmit < 0 || resubmit >= shards)) {
            throw new SpecException("--resubmit " + resubmit + " is not a task of 0.." + (shards - 1));
        }
        if (job != null && (resubmit != null || !job.matches("\\d+"))) {
            throw new SpecException(resubmit != null ? "--job waits for a submitted job; it cannot be combined with --resubmit"
                    : "--job takes a numeric job id, got " + job);
        }
        if (pollSeconds <= 0) {
            throw new SpecException("--poll must be positive");
        }
        // Check the spec here, before N tasks queue up only to fail on it one by one.
        ExperimentSpec experiment = ExperimentSpec.parse(RunCommand.readSpec(specArg), specArg);
        Slurm slurm = Slurm.find(System.getenv());
        Path ws = workspace.toAbsolutePath().normalize();
        ShardScript script = script(experiment.name(), ws);

        String array;
        if (job == null) {
            script.write();
            array = resubmit != null ? Integer.toString(resubmit) : "0-" + (shards - 1);
            job = slurm.submit(script.file(), array);
            Files.writeString(ws.resolve("slurm").resolve("jobs.tsv"), job + "\t" + array + "\t" + Instant.now() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } else {
            array = submittedArray(ws, job);
            wait = true;
        }
        Set<Integer> expected = new TreeSet<>();
        IntStream.rangeClosed(first(array), last(array)).forEach(expected::add);

        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("job", job);
        doc.put("array", array);
        doc.put("shards", shards);
        doc.put("script", script.file().toString());
        doc.put("workspace", ws.toString());
        String submitted = "job " + job + " (array " + array + "): " + expected.size() + " of " + shards + " shards of "
                + experiment.name() + " into " + ws.resolve("shards") + ", logs in " + ws.resolve("slurm").resolve("logs");
        if (!wait) {
            doc.put("status", "submitted");
            output.print(spec.commandLine().getOut(), doc, "submitted " + submitted + "\nwait and merge: "
                    + again("--job", job));
            return 0;
        }

        PrintWriter err = spec.commandLine().getErr();
        err.println("mrw: waiting for " + submitted);
        err.flush();
        String[] lastMessage = {""};
        Map<Integer, ArrayTask> tasks = slurm.await(job, expected, Duration.ofMillis(Math.round(pollSeconds * 1000)),
                (done, total, message) -> {
                    if (!message.equals(lastMessage[0])) {
                        lastMessage[0] = message;
                        err.println("[" + done + "/" + total + "] " + message);
                        err.flush();
                    }
                }, Cancellation.NONE);

        List<Map<String, Object>> taskDocs = new ArrayList<>();
        List<Map<String, Object>> failedDocs = new ArrayList<>();
        List<Path> finished = new ArrayList<>();
        List<Integer> merged = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (ArrayTask t : tasks.values()) {
            Path log = script.log(job, t.index());
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("task", t.index());
            d.put("state", t.state());
            d.put("exitCode", t.exitCode());
            d.put("signal", t.signal());
            d.put("log", log.toString());
            taskDocs.add(d);
            Path shard = ShardScript.shardDir(ws, t.index());
            if (t.succeeded() && Files.isRegularFile(shard.resolve("results.db"))) {
                finished.add(shard);
                merged.add(t.index());
            } else {
                String why = lastLine(log);
                d.put("message", why);
                d.put("resubmit", again("--resubmit", Integer.toString(t.index())) + " --wait");
                failedDocs.add(d);
                text.append(String.format("task %d of job %s %s with exit code %d%s%s (log %s)%n  resubmit it alone: %s%n",
                        t.index(), job, t.state(), t.exitCode(), t.signal() == 0 ? "" : ", signal " + t.signal(),
                        why.isEmpty() ? "" : ": " + why, log, d.get("resubmit")));
            }
        }
        // Only shards whose task succeeded: a failed shard's partial run would mark the merged run failed.
        if (!finished.isEmpty()) {
            ResultsStore.merge(ws, finished);
        }
        List<Map<String, Object>> runs = new ArrayList<>();
        if (Files.isRegularFile(ws.resolve("results.db"))) {
            try (SqliteResultsStore store = SqliteResultsStore.open(ws)) {
                for (RunInfo run : store.runs()) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("run", run.id());
                    r.put("status", run.status());
                    r.put("rows", store.rowCount(run.id()));
                    runs.add(r);
                }
            }
        }
        doc.put("status", failedDocs.isEmpty() ? "finished" : "failed");
        doc.put("tasks", taskDocs);
        doc.put("failed", failedDocs);
        doc.put("merged", merged);
        doc.put("runs", runs);
        text.append(String.format("job %s: %d of %d tasks succeeded; merged shards %s into %s", job, merged.size(), tasks.size(),
                merged, ws.resolve("results.db")));
        for (Map<String, Object> r : runs) {
            text.append(String.format("%n  run %s: %s rows", r.get("run"), r.get("rows")));
        }
        output.print(spec.commandLine().getOut(), doc, text.toString());
        return failedDocs.isEmpty() ? 0 : TASK_FAILED;
    }

    private ShardScript script(String name, Path ws) {
        List<String> run = new ArrayList<>();
        run.add(RunCommand.isPreset(specArg) ? specArg : Path.of(specArg).toAbsolutePath().normalize().toString());
        run.add("--zoo");
        run.add((zoo != null ? zoo : ZooCommand.defaultModelsDir()).toAbsolutePath().normalize().toString());
        if (count != null) {
            run.add("--count");
            run.add(Integer.toString(count));
        }
        // The engines' settings of this process, in case the cluster starts tasks with a clean environment.
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : List.of("DJL_OFFLINE", "OPT_OUT_TRACKING", "DNNL_MAX_CPU_ISA", "TF_CPP_MIN_LOG_LEVEL", "MRW_HOME")) {
            String value = System.getenv(key);
            if (value != null) {
                env.put(key, value);
            }
        }
        return new ShardScript("mrw-" + name, shards, JvmCommand.current(Mrw.class.getName()), run, ws, env, partition, time,
                sbatchOptions);
    }

    /** The same command line with one more option, for the user to copy. */
    private String again(String option, String value) {
        StringBuilder b = new StringBuilder("mrw slurm ").append(specArg).append(" --shards ").append(shards)
                .append(" --workspace ").append(workspace);
        if (zoo != null) {
            b.append(" --zoo ").append(zoo);
        }
        if (count != null) {
            b.append(" --count ").append(count);
        }
        return b.append(' ').append(option).append(' ').append(value).toString();
    }

    /** The array a job was submitted with, from the workspace's record of submissions (else all shards). */
    private String submittedArray(Path ws, String id) throws IOException {
        Path record = ws.resolve("slurm").resolve("jobs.tsv");
        if (Files.isRegularFile(record)) {
            for (String line : Files.readAllLines(record, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t");
                if (f.length >= 2 && f[0].equals(id)) {
                    return f[1];
                }
            }
        }
        return "0-" + (shards - 1);
    }

    private static int first(String array) {
        return Integer.parseInt(array.split("-")[0]);
    }

    private static int last(String array) {
        String[] f = array.split("-");
        return Integer.parseInt(f[f.length - 1]);
    }

    /** The last line a task printed, usually mrw's "error: ..." line. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "";
        } catch (IOException e) {
            return "";
        }
    }
}
