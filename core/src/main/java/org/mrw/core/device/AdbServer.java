package org.mrw.core.device;

import dadb.Dadb;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An adb server on 127.0.0.1 (or, given explicitly, another machine) at an explicit port (never the default 5037 implicitly, so the workbench
 * does not take over or kill the user's own server). Finds the {@code adb} binary, starts the server
 * (and kills it on {@link #close()} only if this object started it), connects and disconnects TCP
 * devices, and answers device queries over adb's host protocol.
 */
public final class AdbServer implements AutoCloseable {

    /** Environment variable naming the adb binary, checked before PATH and the SDK folders. */
    public static final String ADB_VARIABLE = "MRW_ADB";

    /** The host of a server on this computer. */
    public static final String LOCAL = "127.0.0.1";

    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final int QUERY_TIMEOUT_MS = 5000;

    /** One line of {@code adb devices}: a serial and its state ({@code device}, {@code offline}, {@code unauthorized}...). */
    public record Entry(String serial, String state) {

        /** True when the device accepts commands. */
        public boolean online() {
            return state.equals("device");
        }
    }

    private final Path adb;
    private final String host;
    private final int port;
    private final boolean startedHere;
    private final Map<String, String> environment;

    private AdbServer(Path adb, String host, int port, boolean startedHere, Map<String, String> environment) {
        this.adb = adb;
        this.host = host;
        this.port = port;
        this.startedHere = startedHere;
        this.environment = Map.copyOf(environment);
    }

    /**
     * Finds {@code adb}: {@value #ADB_VARIABLE}, then each PATH entry, then {@code platform-tools} under
     * ANDROID_HOME and ANDROID_SDK_ROOT, all read from {@code env} (pass {@code System.getenv()}).
     */
    public static Path findAdb(Map<String, String> env) throws AdbUnavailableException {
        String explicit = env.get(ADB_VARIABLE);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
            throw new AdbUnavailableException(ADB_VARIABLE + "=" + explicit + " is not an executable file");
        }
        List<Path> candidates = new ArrayList<>();
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isBlank()) {
                candidates.add(Path.of(dir, "adb"));
            }
        }
        for (String sdk : new String[] {env.get("ANDROID_HOME"), env.get("ANDROID_SDK_ROOT")}) {
            if (sdk != null && !sdk.isBlank()) {
                candidates.add(Path.of(sdk, "platform-tools", "adb"));
            }
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new AdbUnavailableException("adb was not found on PATH or under ANDROID_HOME/ANDROID_SDK_ROOT platform-tools; "
                + "install Debian's adb (apt-get install adb) or set " + ADB_VARIABLE + " to the adb binary");
    }

    /**
     * Uses the adb server already listening on 127.0.0.1:{@code port}, or starts one there with
     * {@code adb -P PORT start-server}. Fails clearly when the port is held by something that is not an
     * adb server. {@code extraEnvironment} is added to adb's environment (tests set HOME, so the server's
     * key and state stay in a temporary folder).
     */
    public static AdbServer start(Path adb, int port, Map<String, String> extraEnvironment) throws DeviceException {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("adb server port must be 1..65535: " + port);
        }
        Optional<String> running = probeVersion(LOCAL, port);
        if (running.isPresent()) {
            return new AdbServer(adb, LOCAL, port, false, extraEnvironment);
        }
        AdbServer server = new AdbServer(adb, LOCAL, port, true, extraEnvironment);
        String out = server.adb("start-server");
        if (probeVersion(LOCAL, port).isEmpty()) {
            throw new DeviceException("adb -P " + port + " start-server did not bring up a server: " + out.strip());
        }
        return server;
    }

    /**
     * The adb server at {@code host:port}: on this computer ({@code 127.0.0.1}, {@code localhost}) as
     * {@link #start(Path, int, Map)}; on another machine (its phones then work like local ones, e.g. a
     * server started there with {@code adb -a -P PORT server nodaemon}, or one reached through
     * {@code ssh -L}) it must already run, and is never started or killed from here.
     */
    public static AdbServer start(Path adb, String host, int port, Map<String, String> extraEnvironment)
            throws DeviceException {
        if (host == null || isLocal(host)) {
            return start(adb, port, extraEnvironment);
        }
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("adb server port must be 1..65535: " + port);
        }
        if (probeVersion(host, port).isEmpty()) {
            throw new AdbUnavailableException("no adb server at " + host + ":" + port + "; start one there with "
                    + "adb -a -P " + port + " server nodaemon (or forward it here with ssh -L)");
        }
        return new AdbServer(adb, host, port, false, extraEnvironment);
    }

    /** True for names of this computer's loopback, where a missing server is started. */
    static boolean isLocal(String host) {
        return host.equals(LOCAL) || host.equalsIgnoreCase("localhost") || host.equals("::1");
    }

    /** {@link #start(Path, int, Map)} with adb found by {@link #findAdb(Map)} in this process's environment. */
    public static AdbServer start(int port) throws DeviceException {
        return start(findAdb(System.getenv()), port, Map.of());
    }

    public int port() {
        return port;
    }

    /** Where the server listens: {@value #LOCAL} unless it runs on another machine. */
    public String host() {
        return host;
    }

    public Path adbBinary() {
        return adb;
    }

    /** True when this object started the server (and {@link #close()} will kill it). */
    public boolean startedHere() {
        return startedHere;
    }

    /** The adb client's version line, e.g. {@code Android Debug Bridge version 1.0.41}. */
    public String version() throws DeviceException {
        return adb("version").lines().findFirst().orElse("").strip();
    }

    /** The server's protocol version ({@code host:version}), e.g. 41. */
    public int serverVersion() throws DeviceException {
        return Integer.parseInt(query("host:version"), 16);
    }

    /** {@code adb connect host:port}: the device appears as serial {@code host:port}. */
    public String connect(String host, int devicePort) throws DeviceException {
        String target = ShellQuoting.serial(host + ":" + devicePort);
        String out = adb("connect", target).strip();
        if (!(out.startsWith("connected to") || out.startsWith("already connected"))) {
            throw new DeviceException("adb connect " + target + " failed: " + out);
        }
        return target;
    }

    /** {@code adb disconnect serial}. */
    public void disconnect(String serial) throws DeviceException {
        adb("disconnect", ShellQuoting.serial(serial));
    }

    /** The devices the server knows, in every state. */
    public List<Entry> devices() throws DeviceException {
        List<Entry> entries = new ArrayList<>();
        for (String line : query("host:devices").split("\n")) {
            String[] parts = line.strip().split("\t");
            if (parts.length == 2) {
                entries.add(new Entry(parts[0], parts[1]));
            }
        }
        return entries;
    }

    /** The state of one device ({@code device}, {@code offline}...), or empty if the server does not know it. */
    public Optional<String> state(String serial) throws DeviceException {
        try {
            return Optional.of(query("host-serial:" + ShellQuoting.serial(serial) + ":get-state"));
        } catch (DeviceException e) {
            if (e.getMessage().contains("not found") || e.getMessage().contains("offline")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Waits until the device is online; false on timeout. */
    public boolean awaitOnline(String serial, Duration timeout) throws DeviceException {
        long end = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (state(serial).filter("device"::equals).isPresent()) {
                return true;
            }
            if (System.nanoTime() > end) {
                return false;
            }
            sleep(100);
        }
    }

    /** A dadb client for one device through this server (always at this server's port). */
    public Dadb dadb(String serial) {
        return dadb.adbserver.AdbServer.createDadb(host, port, "host:transport:" + ShellQuoting.serial(serial),
                QUERY_TIMEOUT_MS, 0);
    }

    /** Kills the server if this object started it; a server found running is left alone. */
    @Override
    public void close() throws DeviceException {
        if (startedHere && probeVersion(host, port).isPresent()) {
            adb("kill-server");
        }
    }

    @Override
    public String toString() {
        return "adb server " + host + ":" + port + (startedHere ? " (started here)" : "");
    }

    // ---- adb's host protocol: "%04x" + request, answered by OKAY [+ "%04x" + text] or FAIL + "%04x" + message ----

    private String query(String request) throws DeviceException {
        try (Socket s = new Socket()) {
            s.connect(address(host, port), QUERY_TIMEOUT_MS);
            s.setSoTimeout(QUERY_TIMEOUT_MS);
            return exchange(s, request);
        } catch (ConnectException e) {
            throw new AdbUnavailableException("no adb server on " + host + ":" + port, e);
        } catch (IOException e) {
            throw new DeviceException("adb server " + host + ":" + port + " failed " + request + ": " + e.getMessage(), e);
        }
    }

    private static String exchange(Socket s, String request) throws IOException {
        OutputStream out = s.getOutputStream();
        byte[] r = request.getBytes(StandardCharsets.UTF_8);
        out.write(String.format("%04x", r.length).getBytes(StandardCharsets.US_ASCII));
        out.write(r);
        out.flush();
        DataInputStream in = new DataInputStream(s.getInputStream());
        String status = new String(in.readNBytes(4), StandardCharsets.US_ASCII);
        if (status.equals("OKAY")) {
            return readHexString(in);
        }
        if (status.equals("FAIL")) {
            throw new DeviceException(readHexString(in));
        }
        throw new IOException("not an adb server (answered '" + status + "')");
    }

    private static String readHexString(InputStream in) throws IOException {
        byte[] hex = in.readNBytes(4);
        if (hex.length < 4) {
            return "";
        }
        int length;
        try {
            length = Integer.parseInt(new String(hex, StandardCharsets.US_ASCII), 16);
        } catch (NumberFormatException e) {
            throw new IOException("not an adb server (bad length)");
        }
        byte[] text = in.readNBytes(length);
        return new String(text, StandardCharsets.UTF_8);
    }

    /** Empty if nothing listens on the port; fails if something that is not adb does. */
    private static Optional<String> probeVersion(String host, int port) throws DeviceException {
        try (Socket s = new Socket()) {
            s.connect(address(host, port), 1000);
            s.setSoTimeout(2000);
            return Optional.of(exchange(s, "host:version"));
        } catch (ConnectException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DeviceException("port " + port + " on " + host + " is in use by something that is not an adb server ("
                    + e.getMessage() + "); choose another port", e);
        }
    }

    private String adb(String... args) throws DeviceException {
        List<String> command = new ArrayList<>(List.of(adb.toString(), "-P", Integer.toString(port)));
        if (!isLocal(host)) {
            command.addAll(1, List.of("-H", host)); // the client talks to the other machine's server
        }
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(environment);
        pb.environment().put("ANDROID_ADB_SERVER_PORT", Integer.toString(port));
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            // Read in the background: start-server's forked daemon may keep the pipe open.
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try (InputStream in = p.getInputStream()) {
                    String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    synchronized (output) {
                        output.append(text);
                    }
                } catch (IOException e) {
                    synchronized (output) {
                        output.append("(output lost: ").append(e.getMessage()).append(')');
                    }
                }
            }, "adb-output");
            reader.setDaemon(true);
            reader.start();
            if (!p.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new DeviceException("adb " + String.join(" ", args) + " timed out after " + COMMAND_TIMEOUT.toSeconds() + " s");
            }
            reader.join(1000);
            String out;
            synchronized (output) {
                out = output.toString();
            }
            if (p.exitValue() != 0) {
                throw new DeviceException("adb " + String.join(" ", args) + " exited with " + p.exitValue() + ": " + out.strip());
            }
            return out;
        } catch (IOException e) {
            throw new AdbUnavailableException("cannot run " + adb + ": " + e.getMessage()
                    + "; install Debian's adb (apt-get install adb) or set " + ADB_VARIABLE, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted while running adb " + String.join(" ", args), e);
        }
    }

    private static InetSocketAddress address(String host, int port) {
        // the loopback by address, so "localhost" never resolves to another interface
        return isLocal(host) ? new InetSocketAddress(InetAddress.getLoopbackAddress(), port) : new InetSocketAddress(host, port);
    }

    private static void sleep(long ms) throws DeviceException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeviceException("interrupted", e);
        }
    }
}
