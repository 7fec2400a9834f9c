package org.mrw.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real single-node SLURM cluster on 127.0.0.1 for one test (FINDINGS: "A real single-node SLURM
 * cluster"): its own munge key and munged, slurmctld and slurmd in the foreground as children of the
 * test, on free ports, with every file in a scratch folder. {@link #close()} cancels the jobs and stops
 * all three daemons. Needs Debian's slurmctld, slurmd, slurm-client and munge, and root; without them
 * the test is skipped, or fails under {@code CI=true}, where .ci/run installs them.
 */
public final class SlurmCluster implements AutoCloseable {

    private static final List<String> COMMANDS = List.of("munged", "mungekey", "slurmctld", "slurmd", "sbatch", "squeue",
            "scontrol", "scancel", "sinfo", "setpriv");

    private final Path dir;
    private final Path conf;
    private final List<Process> daemons = new ArrayList<>();

    private SlurmCluster(Path dir) {
        this.dir = dir;
        this.conf = dir.resolve("slurm.conf");
    }

    /** Starts a cluster, or skips (fails under CI=true) when SLURM, munge or root is missing. */
    public static SlurmCluster start() throws IOException, InterruptedException {
        List<String> missing = COMMANDS.stream().filter(c -> find(c) == null).toList();
        String problem = !missing.isEmpty() ? "missing " + missing + " (apt-get install slurmctld slurmd slurm-client munge)"
                : !"root".equals(System.getProperty("user.name")) ? "slurmd and munged's key need root" : null;
        if (problem != null) {
            if ("true".equals(System.getenv("CI"))) {
                fail("CI=true requires a SLURM test cluster: " + problem);
            }
            Assumptions.abort("skipped, no SLURM test cluster: " + problem);
        }
        // Not a JUnit @TempDir: that one is mode 700, and munged runs as the munge user.
        Path dir = Files.createTempDirectory("mrw-slurm", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        SlurmCluster cluster = new SlurmCluster(dir);
        try {
            cluster.boot();
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            String logs = cluster.logs();
            cluster.close();
            throw new AssertionError("the SLURM test cluster did not start: " + e.getMessage() + "\n" + logs, e);
        }
    }

    private void boot() throws IOException, InterruptedException {
        Path munge = Files.createDirectories(dir.resolve("munge"));
        for (String sub : new String[] {"state", "spool", "log"}) {
            Files.createDirectories(dir.resolve(sub));
        }
        Path key = munge.resolve("munge.key");
        run(List.of("mungekey", "--create", "--keyfile=" + key));
        run(List.of("chown", "-R", "munge:munge", munge.toString()));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx--x--x"));
        Path socket = munge.resolve("munge.socket");
        // setpriv execs munged itself (runuser would sit in between), so destroying the process stops munged.
        daemons.add(daemon("munged", List.of("setpriv", "--reuid=munge", "--regid=munge", "--init-groups",
                find("munged").toString(), "--foreground", "--socket=" + socket, "--key-file=" + key,
                "--pid-file=" + munge.resolve("munged.pid"), "--log-file=" + munge.resolve("munged.log"),
                "--seed-file=" + munge.resolve("munged.seed"))));
        waitFor(() -> Files.exists(socket), "munged's socket " + socket);

        // The node as slurmd sees this machine (CPUs, memory), renamed to localhost on 127.0.0.1.
        String node = run(List.of("slurmd", "-C")).lines().filter(l -> l.startsWith("NodeName=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("slurmd -C printed no NodeName line"))
                .replaceFirst("^NodeName=\\S+", "NodeName=localhost NodeAddr=127.0.0.1");
        Files.writeString(conf, String.join("\n",
                "ClusterName=mrwtest",
                "SlurmctldHost=localhost(127.0.0.1)",
                "SlurmctldPort=" + freePort(),
                "SlurmdPort=" + freePort(),
                "SlurmUser=root",
                "AuthType=auth/munge",
                "CredType=cred/munge",
                "AuthInfo=socket=" + socket,
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/linuxproc",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "JobCompType=jobcomp/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "MailProg=/bin/true",
                "ReturnToService=2",
                // without these the scheduler waits seconds between waves of an array
                "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
                // listen on 127.0.0.1 only
                "CommunicationParameters=NoCtldInAddrAny,NoInAddrAny",
                node + " State=UNKNOWN",
                "PartitionName=test Nodes=localhost Default=YES MaxTime=INFINITE State=UP",
                ""), StandardCharsets.UTF_8);
        daemons.add(daemon("slurmctld", List.of("slurmctld", "-D", "-f", conf.toString())));
        daemons.add(daemon("slurmd", List.of("slurmd", "-D", "-f", conf.toString(), "-N", "localhost")));
        waitFor(() -> {
            try {
                return run(List.of("sinfo", "-h", "-o", "%t")).strip().equals("idle");
            } catch (IllegalStateException notYet) {
                return false;
            }
        }, "the node to be idle");
    }

    /** Variables the SLURM client commands need: without SLURM_CONF they look their configuration up in DNS. */
    public Map<String, String> environment() {
        return Map.of("SLURM_CONF", conf.toString());
    }

    /** The daemons' logs (for a failing assertion's message). */
    public String logs() {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir.resolve("log"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
                b.append("== ").append(f).append('\n');
                lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> b.append(l).append('\n'));
            }
        } catch (IOException e) {
            b.append("(logs unreadable: ").append(e.getMessage()).append(")\n");
        }
        return b.toString();
    }

    /** Cancels every job, stops slurmctld, slurmd and munged, and deletes the scratch folder. */
    @Override
    public void close() {
        if (daemons.size() == 3) {
            try {
                run(List.of("scancel", "--user=root"));
                waitFor(() -> run(List.of("squeue", "-h")).isBlank(), "the queue to drain");
                run(List.of("scontrol", "shutdown"));
            } catch (RuntimeException | AssertionError | InterruptedException | IOException e) {
                // the processes are stopped below in any case
            }
        }
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            try {
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroy();
                    if (!p.waitFor(10, TimeUnit.SECONDS)) {
                        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // a scratch folder in /tmp; nothing runs from it any more
        }
    }

    private Process daemon(String name, List<String> command) throws IOException {
        List<String> resolved = new ArrayList<>(command);
        resolved.set(0, find(command.get(0)).toString());
        ProcessBuilder pb = new ProcessBuilder(resolved).redirectErrorStream(true)
                .redirectOutput(dir.resolve("log").resolve(name + ".out").toFile());
        pb.environment().putAll(environment());
        return pb.start();
    }

    /** Runs a SLURM or munge command with this cluster's configuration; its stdout, or an exception naming the failure. */
    public String run(List<String> command) throws IOException, InterruptedException {
        List<String> resolved = new ArrayList<>(command);
        Path binary = find(command.get(0));
        resolved.set(0, binary == null ? command.get(0) : binary.toString());
        ProcessBuilder pb = new ProcessBuilder(resolved).redirectErrorStream(true);
        pb.environment().putAll(environment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out.strip());
        }
        return out;
    }

    private interface Check {
        boolean done() throws IOException, InterruptedException;
    }

    private static void waitFor(Check check, String what) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!check.done()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after 30 s waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        }
    }

    /** A command on PATH, or in the sbin folders where Debian puts the daemons. */
    private static Path find(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin"));
        for (String d : dirs) {
            if (!d.isEmpty()) {
                Path p = Path.of(d, name);
                if (Files.isExecutable(p) && Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }
}
