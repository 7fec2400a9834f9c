package org.mrw.core.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * The SLURM client commands on this machine: {@code sbatch} to submit, {@code squeue} to watch, and
 * {@code scontrol}, or {@code sacct} once the controller has forgotten the job, for each task's end.
 */
public final class Slurm {

    private static final Pattern TASK = Pattern.compile("\\bArrayTaskId=(\\S+)");
    private static final Pattern STATE = Pattern.compile("\\bJobState=(\\S+)");
    private static final Pattern EXIT = Pattern.compile("\\bExitCode=(\\d+):(\\d+)");
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);

    private final Path sbatch;
    private final Path squeue;
    private final Path scontrol;
    private final Path sacct;

    private Slurm(Path sbatch, Path squeue, Path scontrol, Path sacct) {
        this.sbatch = sbatch;
        this.squeue = squeue;
        this.scontrol = scontrol;
        this.sacct = sacct;
    }

    /** The client commands found on {@code PATH} in {@code env}, or a message that says what to install. */
    public static Slurm find(Map<String, String> env) {
        Path sbatch = onPath(env, "sbatch");
        if (sbatch == null) {
            throw new SlurmException("sbatch is not on PATH: install the SLURM client commands (Debian/Ubuntu: apt-get install"
                    + " slurm-client) or run mrw slurm on the cluster's login node");
        }
        Path squeue = onPath(env, "squeue");
        Path scontrol = onPath(env, "scontrol");
        if (squeue == null || scontrol == null) {
            throw new SlurmException("sbatch is at " + sbatch + " but squeue or scontrol is missing: install the whole"
                    + " slurm-client package");
        }
        return new Slurm(sbatch, squeue, scontrol, onPath(env, "sacct"));
    }

    private static Path onPath(Map<String, String> env, String name) {
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty()) {
                Path p = Path.of(dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    /**
     * Submits {@code script} as the array {@code array} (e.g. {@code 0-3}, or {@code 2} for one task).
     *
     * @return the job id sbatch printed
     */
    public String submit(Path script, String array) {
        Result r = execute(List.of(sbatch.toString(), "--parsable", "--array=" + array, script.toString()));
        if (r.exit() != 0) {
            throw new SlurmException("sbatch refused " + script + " (exit " + r.exit() + "): " + r.err().strip());
        }
        String last = r.out().strip().lines().reduce((a, b) -> b).orElse("");
        String job = last.split(";")[0].strip();  // --parsable prints "id" or "id;cluster"
        if (!job.matches("\\d+")) {
            throw new SlurmException("sbatch printed no job id: " + r.out().strip() + " " + r.err().strip());
        }
        return job;
    }

    /** The array tasks of {@code job} that squeue still lists (pending, running, completing), by index. */
    public Map<Integer, String> queued(String job) {
        Result r = execute(List.of(squeue.toString(), "-h", "-j", job, "-o", "%K|%T"));
        Map<Integer, String> out = new TreeMap<>();
        if (r.exit() != 0) {
            if (r.err().contains("Invalid job id")) {
                return out;  // ended long enough ago that the controller forgot it
            }
            throw new SlurmException("squeue -j " + job + " failed (exit " + r.exit() + "): " + r.err().strip());
        }
        for (String line : r.out().lines().toList()) {
            String[] f = line.strip().split("\\|");
            if (f.length == 2) {
                for (int i : indices(f[0])) {
                    out.put(i, f[1]);
                }
            }
        }
        return out;
    }

    /** Every task of {@code job} with its state and exit code: scontrol while it knows the job, else sacct. */
    public Map<Integer, ArrayTask> tasks(String job) {
        Result r = execute(List.of(scontrol.toString(), "-o", "show", "job", job));
        if (r.exit() == 0) {
            Map<Integer, ArrayTask> out = new TreeMap<>();
            for (String line : r.out().lines().toList()) {
                Matcher t = TASK.matcher(line);
                Matcher s = STATE.matcher(line);
                Matcher e = EXIT.matcher(line);
                if (t.find() && s.find()) {
                    boolean exit = e.find();
                    for (int i : indices(t.group(1))) {
                        out.put(i, new ArrayTask(i, s.group(1), exit ? Integer.parseInt(e.group(1)) : 0,
                                exit ? Integer.parseInt(e.group(2)) : 0));
                    }
                }
            }
            return out;
        }
        if (sacct == null) {
            throw new SlurmException("scontrol no longer knows job " + job + " (" + r.err().strip() + ") and sacct is not installed");
        }
        Result a = execute(List.of(sacct.toString(), "-n", "-P", "-X", "-j", job, "--format=JobID,State,ExitCode"));
        if (a.exit() != 0) {
            throw new SlurmException("neither scontrol nor sacct knows job " + job + ": " + r.err().strip() + "; " + a.err().strip());
        }
        Map<Integer, ArrayTask> out = new TreeMap<>();
        for (String line : a.out().lines().toList()) {
            String[] f = line.strip().split("\\|");
            int underscore = f[0].indexOf('_');
            if (f.length == 3 && underscore > 0) {
                String[] code = f[2].split(":");
                String state = f[1].split(" ")[0];  // "CANCELLED by 0"
                for (int i : indices(f[0].substring(underscore + 1).replace("[", "").replace("]", ""))) {
                    out.put(i, new ArrayTask(i, state, Integer.parseInt(code[0]), code.length > 1 ? Integer.parseInt(code[1]) : 0));
                }
            }
        }
        return out;
    }

    /**
     * Waits until every task of {@code expected} has ended, polling every {@code poll}.
     *
     * @return the ended tasks by index
     */
    public Map<Integer, ArrayTask> await(String job, Set<Integer> expected, Duration poll, Progress progress, Cancellation cancellation) {
        while (true) {
            cancellation.check();
            Map<Integer, String> queued = queued(job);
            queued.keySet().retainAll(expected);
            if (queued.isEmpty()) {
                Map<Integer, ArrayTask> tasks = tasks(job);
                tasks.keySet().retainAll(expected);
                if (tasks.size() == expected.size() && tasks.values().stream().allMatch(ArrayTask::ended)) {
                    progress.update(expected.size(), expected.size(), "job " + job + ": all " + expected.size() + " tasks ended");
                    return tasks;
                }
            } else {
                long pending = queued.values().stream().filter("PENDING"::equals).count();
                progress.update(expected.size() - queued.size(), expected.size(), "job " + job + ": " + pending + " pending, "
                        + (queued.size() - pending) + " running");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlurmException("interrupted while waiting for job " + job, e);
            }
        }
    }

    /** Array indices of SLURM's task field: {@code 3}, {@code 0-3}, {@code 1,4-6} or {@code 0-15%4}. */
    static List<Integer> indices(String field) {
        List<Integer> out = new ArrayList<>();
        String spec = field.split("%")[0];
        for (String part : spec.split(",")) {
            String[] range = part.split("-");
            if (range.length == 1 && range[0].matches("\\d+")) {
                out.add(Integer.parseInt(range[0]));
            } else if (range.length == 2 && range[0].matches("\\d+") && range[1].matches("\\d+")) {
                for (int i = Integer.parseInt(range[0]); i <= Integer.parseInt(range[1]); i++) {
                    out.add(i);
                }
            }
        }
        return out;
    }

    private record Result(int exit, String out, String err) {
    }

    private static Result execute(List<String> command) {
        Path err = null;
        try {
            err = Files.createTempFile("mrw-slurm", ".err");
            // stderr to a file: two pipes read one after the other could fill up and block the command
            Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SlurmException(String.join(" ", command) + " did not answer within " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), out, Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SlurmException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlurmException("interrupted while running " + command.get(0), e);
        } finally {
            if (err != null) {
                try {
                    Files.deleteIfExists(err);
                } catch (IOException ignored) {
                    // a leftover temp file of a few bytes
                }
            }
        }
    }
}
