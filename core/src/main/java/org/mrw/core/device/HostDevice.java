package org.mrw.core.device;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mrw.core.engine.Engines;

/**
 * This computer as a device: the same agent jar a phone runs, started as a local {@code java} process
 * and reached over loopback, so every device feature works without a phone and the workbench always
 * has one device. Its runtimes are the desktop builds (TensorFlow Lite 2.6.2, PyTorch through DJL),
 * loaded from this JVM's own class path.
 */
public final class HostDevice implements Device {

    /** The host device's serial in lists, specs and results. */
    public static final String SERIAL = "host";

    private static final Pattern READY = Pattern.compile("mrw-agent listening 127\\.0\\.0\\.1:(\\d{1,5}) protocol (\\d+)");
    private static final int LOG_TAIL = 4000;

    private final Path home;
    private final DeviceInfo info;
    private Path deployedJar;
    private Process process;
    private AgentProcess agent;

    /** @param home folder for the deployed jar, models the agent writes, and its log */
    public HostDevice(Path home) {
        this.home = home;
        String arch = System.getProperty("os.arch", "unknown");
        this.info = new DeviceInfo(SERIAL, "this computer (" + System.getProperty("os.name") + " " + arch + ")",
                "host", "-", 0, List.of(arch.equals("amd64") ? "x86_64" : arch), true);
    }

    /** The host device in the workbench's cache folder. */
    public static HostDevice inCache() {
        return new HostDevice(Engines.cacheDir().resolve("host-device"));
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    /** Copies the bundle's agent.jar into the host folder unless an identical copy is there. Natives are not needed here. */
    @Override
    public synchronized DeployResult deploy(AgentBundle bundle) throws DeviceException {
        AgentBundle.BundleFile jar = bundle.files().stream().filter(f -> f.path().equals(AgentBundle.AGENT_JAR)).findFirst()
                .orElseThrow(() -> new DeviceException("the agent bundle " + bundle.root() + " lists no " + AgentBundle.AGENT_JAR));
        Path target = home.resolve(AgentBundle.AGENT_JAR);
        try {
            Files.createDirectories(home);
            boolean same = Files.isRegularFile(target) && AgentBundle.sha256(target).equals(jar.sha256());
            if (!same) {
                Path tmp = Files.createTempFile(home, "agent", ".jar.tmp");
                Files.copy(bundle.local(jar), tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            deployedJar = target;
            return new DeployResult(null, home.toString(), same ? List.of() : List.of(AgentBundle.AGENT_JAR),
                    same ? List.of(AgentBundle.AGENT_JAR) : List.of());
        } catch (IOException e) {
            throw new DeviceException("cannot copy the agent to " + home + ": " + e.getMessage(), e);
        }
    }

    /**
     * Starts the agent as a child process on a free loopback port (the options' port is ignored: the
     * agent picks one and says which), with this JVM's class path for the desktop runtimes.
     */
    @Override
    public synchronized AgentProcess startAgent(StartOptions options) throws DeviceException {
        if (deployedJar == null) {
            throw new DeviceException("deploy the agent to the host device before starting it");
        }
        stopAgent();
        Path log = home.resolve("agent.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Dai.djl.offline=true");
        command.add("-DOPT_OUT_TRACKING=true");
        command.add("-cp");
        command.add(deployedJar + File.pathSeparator + System.getProperty("java.class.path"));
        command.add(options.mainClass());
        command.add(Integer.toString(options.protocolVersion()));
        command.add("port=0");
        command.add("threads=" + options.threads());
        command.add("dir=" + home.resolve("models"));
        command.add("libs=" + Engines.tfliteLibraryFolder());
        command.addAll(options.extraOptions());
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        // the token travels in the environment, not on the command line other users can read
        pb.environment().put("MRW_AGENT_TOKEN", options.token());
        pb.environment().put("DJL_OFFLINE", "true");
        pb.environment().put("OPT_OUT_TRACKING", "true");
        if (System.getenv(Engines.ONEDNN_ISA_VARIABLE) == null) {
            pb.environment().put(Engines.ONEDNN_ISA_VARIABLE, Engines.ONEDNN_ISA);
        }
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new DeviceException("cannot start the host agent (" + String.join(" ", command.subList(0, 1)) + "): "
                    + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        while (true) {
            String text = readLog(log);
            Matcher m = READY.matcher(text);
            if (m.find()) {
                agent = new AgentProcess(process.pid(), Integer.parseInt(m.group(1)), log.toString());
                return agent;
            }
            if (!process.isAlive()) {
                throw new DeviceException("the host agent exited with code " + process.exitValue() + " before listening: "
                        + tail(text));
            }
            if (System.nanoTime() > deadline) {
                stopAgent();
                throw new DeviceException("the host agent did not listen within " + options.readyTimeout().toSeconds()
                        + " s: " + tail(text));
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stopAgent();
                throw new DeviceException("interrupted while the host agent started", e);
            }
        }
    }

    /** The running agent, if any. */
    public synchronized java.util.Optional<AgentProcess> agent() {
        return java.util.Optional.ofNullable(agent);
    }

    @Override
    public DeviceStream openStream(int port) throws DeviceException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
            InputStream in = socket.getInputStream();
            OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream(), 1 << 16);
            return new DeviceStream() {
                @Override
                public InputStream input() {
                    return in;
                }

                @Override
                public OutputStream output() {
                    return out;
                }

                @Override
                public void close() throws IOException {
                    socket.close();
                }
            };
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing was opened
            }
            throw new DeviceException("cannot connect to the host agent on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void stopAgent() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(5, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
            process = null;
            agent = null;
        }
    }

    @Override
    public String logs() {
        return tail(readLog(home.resolve("agent.log")));
    }

    /** Nothing to reconnect: this computer does not go away. */
    @Override
    public void reconnect() {
    }

    @Override
    public void close() {
        stopAgent();
    }

    private static String readLog(Path log) {
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static String tail(String text) {
        String t = text.strip();
        return t.isEmpty() ? "(no output)" : t.length() <= LOG_TAIL ? t : "…" + t.substring(t.length() - LOG_TAIL);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "host device (%s)", home);
    }
}
