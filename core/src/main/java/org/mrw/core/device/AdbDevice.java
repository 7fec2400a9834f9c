package org.mrw.core.device;

import dadb.AdbShellResponse;
import dadb.AdbStream;
import dadb.Dadb;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A phone reached over adb with dadb, either through an adb server ({@link #viaServer}) or straight to
 * adbd over TCP ({@link #direct}). The agent lives in {@value #DEVICE_DIRECTORY}; it is started
 * scrcpy-style with {@code CLASSPATH=... app_process / MAIN ...} in the background, its output in
 * {@code agent.log} there. Every argument that reaches the device shell is single-quoted
 * ({@link ShellQuoting}).
 */
public final class AdbDevice implements Device {

    /** Where the agent is deployed on the phone (writable by the shell user without root). */
    public static final String DEVICE_DIRECTORY = "/data/local/tmp/mrw";

    private static final int REGULAR_FILE_0644 = 0100644;
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
    private static final int CONNECT_TIMEOUT_MS = 5000;

    /** How this device is reached: where its dadb client comes from and how to tell it is still there. */
    private interface Link {
        Dadb dadb() throws IOException;

        /** True if the device still answers (checked after a stream or command broke). */
        boolean alive();

        /** Drops the current connection and makes a new one (after the device returned). */
        void reconnect() throws DeviceException;

        void close();
    }

    private final Link link;
    private final DeviceInfo info;
    private String deployedAbi;
    private AgentProcess agent;

    private AdbDevice(Link link, String serial) throws DeviceException {
        this.link = link;
        this.info = readInfo(serial);
    }

    /** A device known to {@code server} as {@code serial} (reads its properties with one getprop). */
    public static AdbDevice viaServer(AdbServer server, String serial) throws DeviceException {
        return new AdbDevice(new ServerLink(server, ShellQuoting.serial(serial)), serial);
    }

    /**
     * adbd at {@code host:port} directly, without an adb server ({@code adb tcpip} or an emulator's port).
     * {@code adbKey} is the private key to authenticate with (usually {@code ~/.android/adbkey}), or null for
     * a device that does not ask.
     */
    public static AdbDevice direct(String host, int port, Path adbKey) throws DeviceException {
        String serial = ShellQuoting.serial(host + ":" + port);
        dadb.AdbKeyPair key = null;
        if (adbKey != null) {
            Path pub = adbKey.resolveSibling(adbKey.getFileName() + ".pub");
            key = dadb.AdbKeyPair.read(adbKey.toFile(), Files.exists(pub) ? pub.toFile() : null);
        }
        return new AdbDevice(new DirectLink(host, port, key), serial);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    private DeviceInfo readInfo(String serial) throws DeviceException {
        Map<String, String> props = new HashMap<>();
        for (String line : shellOk("getprop", "read properties").lines().toList()) {
            // getprop lists "[key]: [value]"
            int split = line.indexOf("]: [");
            if (line.startsWith("[") && line.endsWith("]") && split > 0) {
                props.put(line.substring(1, split), line.substring(split + 4, line.length() - 1));
            }
        }
        String abilist = props.getOrDefault("ro.product.cpu.abilist", "");
        List<String> abis = new ArrayList<>();
        for (String abi : (abilist.isBlank() ? props.getOrDefault("ro.product.cpu.abi", "") : abilist).split(",")) {
            if (!abi.isBlank()) {
                abis.add(abi.strip());
            }
        }
        int sdk;
        try {
            sdk = Integer.parseInt(props.getOrDefault("ro.build.version.sdk", "0").strip());
        } catch (NumberFormatException e) {
            sdk = 0;
        }
        return new DeviceInfo(serial, props.getOrDefault("ro.product.model", ""), props.getOrDefault("ro.product.manufacturer", ""),
                props.getOrDefault("ro.build.version.release", ""), sdk, abis, false);
    }

    // ---- deploy -----------------------------------------------------------------------------------

    @Override
    public DeployResult deploy(AgentBundle bundle) throws DeviceException {
        String abi = bundle.bestAbi(info.abis()).orElse(null);
        Map<String, Path> local = new LinkedHashMap<>();
        Map<String, String> expected = new LinkedHashMap<>();
        for (AgentBundle.BundleFile f : bundle.filesFor(abi)) {
            local.put(f.path(), bundle.local(f));
            expected.put(f.path(), f.sha256());
        }
        local.put(AgentBundle.MANIFEST, bundle.root().resolve(AgentBundle.MANIFEST));
        expected.put(AgentBundle.MANIFEST, bundle.manifestSha256());

        Set<String> folders = new LinkedHashSet<>();
        for (String p : local.keySet()) {
            String remote = remote(p);
            folders.add(remote.substring(0, remote.lastIndexOf('/')));
        }
        shellOk("mkdir -p " + ShellQuoting.quoteAll(List.copyOf(folders)), "create " + DEVICE_DIRECTORY);
        Map<String, String> present = remoteSha256(local.keySet());

        List<String> pushed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Map.Entry<String, Path> e : local.entrySet()) {
            if (expected.get(e.getKey()).equals(present.get(e.getKey()))) {
                skipped.add(e.getKey());
                continue;
            }
            try {
                link.dadb().push(e.getValue().toFile(), remote(e.getKey()), REGULAR_FILE_0644,
                        Files.getLastModifiedTime(e.getValue()).toMillis());
            } catch (IOException | IllegalStateException ex) {
                throw failure("push " + e.getKey(), ex);
            }
            pushed.add(e.getKey());
        }
        if (!pushed.isEmpty()) {
            Map<String, String> after = remoteSha256(pushed);
            for (String p : pushed) {
                if (!expected.get(p).equals(after.get(p))) {
                    throw new DeviceException("pushed " + p + " but the device reports SHA-256 " + after.get(p)
                            + " instead of " + expected.get(p));
                }
            }
        }
        deployedAbi = abi;
        return new DeployResult(abi, DEVICE_DIRECTORY, pushed, skipped);
    }

    /** One {@code sha256sum} over all files; missing files are simply absent from the result. */
    private Map<String, String> remoteSha256(java.util.Collection<String> bundlePaths) throws DeviceException {
        Map<String, String> byRemote = new HashMap<>();
        List<String> remotes = bundlePaths.stream().map(AdbDevice::remote).toList();
        AdbShellResponse r = shell("sha256sum " + ShellQuoting.quoteAll(remotes), "hash deployed files");
        for (String line : r.getOutput().split("\n")) {
            // toybox: "<64 hex>  <path>"
            if (line.length() > 66 && line.substring(0, 64).matches("[0-9a-f]{64}") && line.startsWith("  ", 64)) {
                byRemote.put(line.substring(66), line.substring(0, 64));
            }
        }
        Map<String, String> result = new HashMap<>();
        for (String p : bundlePaths) {
            String sha = byRemote.get(remote(p));
            if (sha != null) {
                result.put(p, sha);
            }
        }
        return result;
    }

    private static String remote(String bundlePath) {
        return ShellQuoting.devicePath(DEVICE_DIRECTORY + "/" + bundlePath);
    }

    // ---- the agent --------------------------------------------------------------------------------

    @Override
    public AgentProcess startAgent(StartOptions options) throws DeviceException {
        stopAgent();
        String log = DEVICE_DIRECTORY + "/agent.log";
        List<String> args = new ArrayList<>(List.of(options.mainClass(), Integer.toString(options.protocolVersion()),
                "port=" + options.port(), "token=" + options.token(), "threads=" + options.threads(),
                "dir=" + DEVICE_DIRECTORY + "/models"));
        if (deployedAbi != null) {
            args.add("libs=" + DEVICE_DIRECTORY + "/lib/" + deployedAbi);
        }
        args.addAll(options.extraOptions());
        // nohup and </dev/null: the agent must outlive this shell session, as scrcpy's server does.
        String command = "CLASSPATH=" + ShellQuoting.quote(DEVICE_DIRECTORY + "/" + AgentBundle.AGENT_JAR)
                + " nohup app_process / " + ShellQuoting.quoteAll(args)
                + " > " + ShellQuoting.quote(log) + " 2>&1 < /dev/null & echo $!";
        String out = shellOk(command, "start the agent").strip();
        if (!out.matches("[0-9]{1,10}")) {
            throw new DeviceException("starting the agent did not report a process id: " + out);
        }
        AgentProcess started = new AgentProcess(Long.parseLong(out), options.port(), log);
        agent = started;
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        String probe = "cat " + ShellQuoting.quote(log) + "; kill -0 " + started.pid();
        while (true) {
            AdbShellResponse r = shell(probe, "wait for the agent");
            if (r.getOutput().lines().anyMatch(l -> l.strip().equals(options.readyLine()))) {
                return started;
            }
            if (r.getExitCode() != 0) {
                agent = null;
                throw new DeviceException("the agent exited before listening on port " + options.port() + "; its log ends:\n"
                        + tail(r.getOutput(), 30));
            }
            if (System.nanoTime() > deadline) {
                String tail = tail(r.getOutput(), 30);
                stopAgent();
                throw new DeviceException("the agent did not report '" + options.readyLine() + "' within "
                        + options.readyTimeout().toMillis() + " ms; its log ends:\n" + tail);
            }
            pause(100);
        }
    }

    @Override
    public void stopAgent() throws DeviceException {
        AgentProcess running = agent;
        if (running == null) {
            return;
        }
        String pid = Long.toString(running.pid());
        shell("kill " + pid, "stop the agent");
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        while (shell("kill -0 " + pid, "wait for the agent to stop").getExitCode() == 0) {
            if (System.nanoTime() > deadline) {
                shell("kill -9 " + pid, "kill the agent");
                break;
            }
            pause(50);
        }
        agent = null;
    }

    @Override
    public String logs() throws DeviceException {
        AdbShellResponse r = shell("tail -n 200 " + ShellQuoting.quote(DEVICE_DIRECTORY + "/agent.log"), "read the agent log");
        return r.getExitCode() == 0 ? r.getOutput() : "";
    }

    /** The agent this object started, if it is still believed to run. */
    public java.util.Optional<AgentProcess> agent() {
        return java.util.Optional.ofNullable(agent);
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    // ---- streams ----------------------------------------------------------------------------------

    @Override
    public DeviceStream openStream(int port) throws DeviceException {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535: " + port);
        }
        try {
            return new Stream(link.dadb().open("tcp:" + port), port);
        } catch (IOException | IllegalStateException e) {
            throw failure("open tcp:" + port + " (is the agent listening?)", e);
        }
    }

    /** A dadb stream whose failures say whether the device went away. */
    private final class Stream implements DeviceStream {
        private final AdbStream stream;
        private final String what;
        private final InputStream input;
        private final OutputStream output;

        Stream(AdbStream stream, int port) {
            this.stream = stream;
            this.what = "stream to " + info.serial() + " tcp:" + port;
            InputStream in = stream.getSource().inputStream();
            OutputStream out = stream.getSink().outputStream();
            this.input = new InputStream() {
                private boolean ended;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (ended) {
                        return -1;
                    }
                    if (len == 0) {
                        return 0; // okio would block for more data even when asked for none (readNBytes asks)
                    }
                    int n;
                    try {
                        n = in.read(b, off, len);
                    } catch (IOException | IllegalStateException e) {
                        ended = true;
                        throw broken("read", e);
                    }
                    if (n < 0) {
                        ended = true;
                        // dadb and the adb server both show a lost device as a plain end of stream
                        if (!link.alive()) {
                            throw new DeviceDisconnectedException(info.serial() + " disconnected during " + what, null);
                        }
                    }
                    return n;
                }

                @Override
                public int available() throws IOException {
                    return ended ? 0 : in.available();
                }
            };
            this.output = new OutputStream() {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    try {
                        out.write(b, off, len);
                    } catch (IOException | IllegalStateException e) {
                        throw broken("write", e);
                    }
                }

                @Override
                public void flush() throws IOException {
                    try {
                        out.flush();
                    } catch (IOException | IllegalStateException e) {
                        throw broken("flush", e);
                    }
                }
            };
        }

        private IOException broken(String op, Exception e) {
            if (!link.alive()) {
                return new DeviceDisconnectedException(info.serial() + " disconnected during " + op + " on " + what, e);
            }
            return e instanceof IOException io ? io : new IOException(op + " on " + what + " failed: " + e.getMessage(), e);
        }

        @Override
        public InputStream input() {
            return input;
        }

        @Override
        public OutputStream output() {
            return output;
        }

        @Override
        public void close() {
            closeQuietly(stream);
        }
    }

    // ---- connection -------------------------------------------------------------------------------

    @Override
    public void reconnect() throws DeviceException {
        link.reconnect();
    }

    /** Closes the connection; the agent, if running, keeps running on the device. */
    @Override
    public void close() {
        link.close();
    }

    @Override
    public String toString() {
        return "AdbDevice[" + info + "]";
    }

    private String shellOk(String command, String what) throws DeviceException {
        AdbShellResponse r = shell(command, what);
        if (r.getExitCode() != 0) {
            throw new DeviceException("could not " + what + " on " + info() + ": exit " + r.getExitCode() + ": "
                    + r.getAllOutput().strip());
        }
        return r.getOutput();
    }

    private AdbShellResponse shell(String command, String what) throws DeviceException {
        try {
            return link.dadb().shell(command);
        } catch (IOException | IllegalStateException e) {
            throw failure(what, e);
        }
    }

    private DeviceException failure(String what, Exception cause) {
        String serial = info == null ? "the device" : info.serial();
        if (!link.alive()) {
            return new DeviceDisconnectedException(serial + " disconnected while trying to " + what, cause);
        }
        return new DeviceException("could not " + what + " on " + serial + ": " + cause.getMessage(), cause);
    }

    private static void pause(long ms) throws DeviceException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted", e);
        }
    }

    /**
     * Closes a dadb object. dadb's types inherit {@code AutoCloseable.close() throws Exception}, though they
     * only throw I/O and state errors; closing is best effort when the connection is already broken.
     */
    static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) { // AutoCloseable's signature forces the broad catch here
            // the connection was already gone
        }
    }

    /** A liveness check that may fail with an I/O error or one of dadb's state errors. */
    private interface Probe {
        boolean check() throws IOException;
    }

    /** Runs a check with a time limit, so a half-dead connection cannot hang the caller; a failure means "not alive". */
    private static boolean within(Duration limit, Probe check) {
        CompletableFuture<Boolean> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(check.check());
            } catch (IOException | RuntimeException e) {
                f.complete(false);
            }
        }, "adb-probe");
        t.setDaemon(true);
        t.start();
        try {
            return f.get(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Through an adb server: each dadb call opens a fresh socket to the server, so only the server state matters. */
    private static final class ServerLink implements Link {
        private final AdbServer server;
        private final String serial;
        private Dadb dadb;

        ServerLink(AdbServer server, String serial) {
            this.server = server;
            this.serial = serial;
        }

        @Override
        public synchronized Dadb dadb() {
            if (dadb == null) {
                dadb = server.dadb(serial);
            }
            return dadb;
        }

        @Override
        public boolean alive() {
            return within(PROBE_TIMEOUT, () -> server.state(serial).filter("device"::equals).isPresent());
        }

        @Override
        public synchronized void reconnect() throws DeviceException {
            closeQuietly(dadb);
            dadb = null;
            int colon = serial.lastIndexOf(':');
            if (colon > 0 && serial.substring(colon + 1).matches("[0-9]{1,5}")) {
                server.connect(serial.substring(0, colon), Integer.parseInt(serial.substring(colon + 1)));
            }
            if (!server.awaitOnline(serial, Duration.ofSeconds(10))) {
                throw new DeviceDisconnectedException(serial + " did not come back online", null);
            }
        }

        @Override
        public synchronized void close() {
            closeQuietly(dadb);
            dadb = null;
        }
    }

    /** Straight to adbd: one multiplexed TCP connection, replaced when it broke. */
    private static final class DirectLink implements Link {
        private final String host;
        private final int port;
        private final dadb.AdbKeyPair key;
        private Dadb dadb;

        DirectLink(String host, int port, dadb.AdbKeyPair key) {
            this.host = host;
            this.port = port;
            this.key = key;
        }

        @Override
        public synchronized Dadb dadb() {
            if (dadb == null) {
                dadb = Dadb.create(host, port, key, CONNECT_TIMEOUT_MS, 0, false);
            }
            return dadb;
        }

        @Override
        public boolean alive() {
            Dadb current = dadb();
            boolean alive = within(PROBE_TIMEOUT, () -> current.shell("true").getExitCode() == 0);
            if (!alive) {
                synchronized (this) {
                    // dadb keeps a dead connection until it is closed; closing lets the next call connect afresh
                    if (dadb == current) {
                        closeQuietly(dadb);
                        dadb = null;
                    }
                }
            }
            return alive;
        }

        @Override
        public void reconnect() throws DeviceException {
            synchronized (this) {
                closeQuietly(dadb);
                dadb = null;
            }
            if (!within(PROBE_TIMEOUT, () -> dadb().shell("true").getExitCode() == 0)) {
                throw new DeviceDisconnectedException(host + ":" + port + " does not answer", null);
            }
        }

        @Override
        public synchronized void close() {
            closeQuietly(dadb);
            dadb = null;
        }
    }
}
