package org.mrw.core.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code sbatch} script of a sharded sweep: array task {@code i} runs {@code mrw run SPEC --shard i/N}
 * into {@code WORKSPACE/shards/i}, with {@code --resume}, so a task submitted again finishes its shard.
 *
 * @param jobName       SLURM job name (made safe here)
 * @param shards        N, the number of array tasks and shards
 * @param launcher      the command that starts the mrw command line (a java binary, its options and classpath)
 * @param runArguments  what follows {@code run}: the spec and options such as {@code --zoo}
 * @param workspace     absolute workspace folder; shards, logs and the script live inside it
 * @param environment   variables the tasks export (engine settings of the submitting process)
 * @param partition     {@code --partition}, or null for the cluster's default
 * @param time          {@code --time} limit per task, or null for the partition's default
 * @param sbatchOptions further {@code #SBATCH} options, verbatim (e.g. {@code --mem=8G})
 */
public record ShardScript(String jobName, int shards, List<String> launcher, List<String> runArguments, Path workspace,
                          Map<String, String> environment, String partition, String time, List<String> sbatchOptions) {

    public ShardScript {
        Objects.requireNonNull(workspace, "workspace");
        if (shards < 1) {
            throw new IllegalArgumentException("--shards must be at least 1, got " + shards);
        }
        if (!workspace.isAbsolute()) {
            throw new IllegalArgumentException("the workspace of a SLURM script must be absolute: " + workspace);
        }
        launcher = List.copyOf(launcher);
        runArguments = List.copyOf(runArguments);
        environment = Map.copyOf(environment);
        sbatchOptions = sbatchOptions == null ? List.of() : List.copyOf(sbatchOptions);
    }

    /** Where shard {@code i} of a workspace is written. */
    public static Path shardDir(Path workspace, int i) {
        return workspace.resolve("shards").resolve(Integer.toString(i));
    }

    /** The script's file in the workspace. */
    public Path file() {
        return workspace.resolve("slurm").resolve("mrw-shards.sbatch");
    }

    /** The log of one task of one submitted job (SLURM's {@code %A_%a}). */
    public Path log(String job, int task) {
        return logs().resolve(job + "_" + task + ".log");
    }

    private Path logs() {
        return workspace.resolve("slurm").resolve("logs");
    }

    /** The script's text. */
    public String text() {
        List<String> l = new ArrayList<>();
        l.add("#!/bin/bash");
        l.add("# Written by mrw slurm: array task i runs shard i/" + shards + " of the spec into " + workspace.resolve("shards") + "/i.");
        l.add("# Submitted as sbatch --array=0-" + (shards - 1) + "; 'mrw slurm ... --resubmit i' submits it as --array=i alone.");
        l.add("#SBATCH --job-name=" + jobName.replaceAll("[^A-Za-z0-9_.+-]", "_"));
        l.add("#SBATCH --output=" + logs().resolve("%A_%a.log"));
        l.add("#SBATCH --chdir=" + workspace);
        if (partition != null) {
            l.add("#SBATCH --partition=" + partition);
        }
        if (time != null) {
            l.add("#SBATCH --time=" + time);
        }
        for (String option : sbatchOptions) {
            l.add("#SBATCH " + option);
        }
        l.add("set -euo pipefail");
        // A task resubmitted alone sees SLURM_ARRAY_TASK_COUNT=1, so the shard count is fixed here.
        l.add("shards=" + shards);
        l.add("task=\"${SLURM_ARRAY_TASK_ID:?submit this script with sbatch --array (mrw slurm does)}\"");
        l.add("if [ \"${SLURM_ARRAY_TASK_COUNT:-1}\" != 1 ] && [ \"$SLURM_ARRAY_TASK_COUNT\" != \"$shards\" ]; then");
        l.add("  echo \"mrw: this script makes $shards shards but the array has $SLURM_ARRAY_TASK_COUNT tasks\" >&2; exit 2");
        l.add("fi");
        environment.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> l.add("export " + e.getKey() + "=" + quote(e.getValue())));
        l.add("echo \"mrw: shard $task/$shards on $(hostname) at $(date -Is), job ${SLURM_JOB_ID:-?}\" >&2");
        StringBuilder run = new StringBuilder("exec");
        for (String a : launcher) {
            run.append(' ').append(quote(a));
        }
        run.append(" run");
        for (String a : runArguments) {
            run.append(' ').append(quote(a));
        }
        run.append(" --workspace ").append(quote(workspace.resolve("shards").toString() + "/")).append("\"$task\"")
                .append(" --shard \"$task/$shards\" --resume");
        l.add(run.toString());
        return String.join("\n", l) + "\n";
    }

    /** Writes the script (executable) and creates the log folder SLURM writes into. */
    public Path write() {
        try {
            Files.createDirectories(logs());
            Files.createDirectories(workspace.resolve("shards"));
            Path file = file();
            Files.writeString(file, text(), StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the SLURM script into " + workspace + ": " + e.getMessage(), e);
        }
    }

    /** POSIX shell single quoting: the value reaches the program byte for byte. */
    static String quote(String s) {
        if (s.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return s;
        }
        return "'" + s.replace("'", "'\\''") + "'";
    }
}
