package org.mrw.core.device.testbed;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Programs the phone runs (the {@code app_process} shim): real child processes of the test JVM, so
 * that what they bind on 127.0.0.1 stands for the phone's loopback. They outlive the shell that started
 * them (as a backgrounded process on a phone does) and die with {@link FakePhone#close()}.
 */
final class PhoneProcesses {

    /** Where a child's output goes. */
    sealed interface Sink permits Discard, Inherit, ToFile {
    }

    /** Thrown away ({@code /dev/null}, or a background child's unredirected output). */
    record Discard() implements Sink {
    }

    /** Collected by the shell that runs the child in the foreground. */
    record Inherit() implements Sink {
    }

    /** Written to a file below the phone's root. */
    record ToFile(File file, boolean append) implements Sink {
    }

    private final Map<Long, Process> running = new TreeMap<>();

    /** Starts {@code command}; {@code stderr} null means "into stdout" ({@code 2>&1}). */
    synchronized Process start(List<String> command, File workingDir, Sink stdout, Sink stderr) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(workingDir);
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.redirectOutput(redirect(stdout));
        if (stderr == null) {
            pb.redirectErrorStream(true);
        } else {
            pb.redirectError(redirect(stderr));
        }
        Process p = pb.start();
        running.put(p.pid(), p);
        return p;
    }

    private static ProcessBuilder.Redirect redirect(Sink sink) {
        if (sink instanceof ToFile f) {
            return f.append() ? ProcessBuilder.Redirect.appendTo(f.file()) : ProcessBuilder.Redirect.to(f.file());
        }
        return sink instanceof Inherit ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD;
    }

    synchronized Optional<Process> find(long pid) {
        Process p = running.get(pid);
        if (p != null && !p.isAlive()) {
            running.remove(pid);
            return Optional.empty();
        }
        return Optional.ofNullable(p);
    }

    /** The pids of live children, ascending. */
    synchronized List<Long> pids() {
        running.values().removeIf(p -> !p.isAlive());
        return List.copyOf(running.keySet());
    }

    /** Ends every child (SIGTERM, then SIGKILL after a second). */
    synchronized void destroyAll() {
        for (Process p : running.values()) {
            p.destroy();
        }
        for (Process p : running.values()) {
            try {
                if (!p.waitFor(1, TimeUnit.SECONDS)) {
                    p.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        running.clear();
    }
}
