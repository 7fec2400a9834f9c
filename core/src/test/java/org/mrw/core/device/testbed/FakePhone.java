package org.mrw.core.device.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test double of an Android phone that speaks the adb device protocol on 127.0.0.1, so the real
 * {@code adb} server ({@code adb connect 127.0.0.1:PORT}) and dadb ({@code Dadb.create}) can drive it.
 *
 * <p>It answers the CNXN handshake without authentication, with a banner carrying the product
 * properties and the features {@value #FEATURES}, and serves:
 * <ul>
 *   <li>{@code shell,v2,...:CMD} (stdout, stderr and exit packets), {@code shell:CMD} and {@code exec:CMD}
 *       (raw output): the command runs in {@link FakeShell} against a folder standing for the phone's
 *       filesystem; {@code app_process} becomes a {@code java} child process of the test JVM;</li>
 *   <li>{@code sync:} ({@link FakeSync}): stat, list, push, pull;</li>
 *   <li>{@code tcp:PORT}: a relay to 127.0.0.1:PORT, the phone's loopback being this machine's.</li>
 * </ul>
 * Tests can {@link #unplug()} it (every connection drops at once and new ones are refused) and
 * {@link #replug()} it, count pushes and read the shell commands it received.
 */
public final class FakePhone implements AutoCloseable {

    /** What the phone advertises; adb and dadb choose shell v2, stat v2 and push-with-mkdir from it. */
    public static final String FEATURES = "shell_v2,cmd,stat_v2,fixed_push_mkdir";

    private final PhoneFiles files;
    private final Map<String, String> properties;
    private final PhoneProcesses processes = new PhoneProcesses();
    private final FakeShell shell;
    private final ServerSocket listener;
    private final List<FakeTransport> transports = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final List<String> pushed = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile boolean plugged = true;
    private volatile boolean closed;

    private FakePhone(Builder b) throws IOException {
        this.files = new PhoneFiles(b.root);
        this.properties = Map.copyOf(b.properties);
        this.shell = new FakeShell(files, properties, processes, b.hostClasspath);
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port));
        Thread accept = new Thread(this::acceptLoop, "fake-phone-accept-" + listener.getLocalPort());
        accept.setDaemon(true);
        accept.start();
    }

    /** Starts describing a phone whose filesystem is the folder {@code root}. */
    public static Builder builder(Path root) {
        return new Builder(root);
    }

    /** The TCP port adbd listens on (as {@code adb tcpip PORT} would set). */
    public int port() {
        return listener.getLocalPort();
    }

    /** The serial an adb server gives this phone after {@code adb connect}. */
    public String serial() {
        return "127.0.0.1:" + port();
    }

    /** The host folder standing for the phone's {@code /}. */
    public Path root() {
        return files.root();
    }

    /** Maps a device path to the host file standing for it. */
    public Path file(String devicePath) throws IOException {
        return files.map(devicePath);
    }

    /** Drops every connection at once, like a pulled cable; connections are refused until {@link #replug()}. */
    public void unplug() {
        plugged = false;
        for (FakeTransport t : transports) {
            t.close();
        }
    }

    /** Accepts connections again. Programs started before the unplug are still running. */
    public void replug() {
        plugged = true;
    }

    public boolean isPlugged() {
        return plugged;
    }

    /** Device paths of the files pushed so far, in order (one entry per completed SEND). */
    public List<String> pushedFiles() {
        return List.copyOf(pushed);
    }

    /** The shell command lines received so far, in order. */
    public List<String> shellCommands() {
        return List.copyOf(commands);
    }

    /** Transport connections accepted so far (while plugged). */
    public int connections() {
        return connections.get();
    }

    /** The pids of programs the phone is running (started through {@code app_process}). */
    public List<Long> runningPrograms() {
        return processes.pids();
    }

    /** Runs a command line directly, bypassing adb (to prepare or inspect the phone in tests). */
    public String run(String commandLine) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        shell.run(commandLine, out, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Stops listening, drops connections and ends every program the phone started. */
    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        unplug();
        processes.destroyAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (!plugged) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // refusing is all we wanted
                }
                continue;
            }
            try {
                s.setTcpNoDelay(true);
                FakeTransport t = new FakeTransport(s, this::openService, banner());
                transports.add(t);
                connections.incrementAndGet();
                Thread th = new Thread(() -> {
                    try {
                        t.run();
                    } finally {
                        transports.remove(t);
                    }
                }, "fake-phone-transport-" + s.getPort());
                th.setDaemon(true);
                th.start();
            } catch (IOException e) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // the host left during set-up
                }
            }
        }
    }

    private String banner() {
        return "device::ro.product.name=" + properties.getOrDefault("ro.product.name", "")
                + ";ro.product.model=" + properties.getOrDefault("ro.product.model", "")
                + ";ro.product.device=" + properties.getOrDefault("ro.product.device", "")
                + ";features=" + FEATURES;
    }

    private FakeTransport.Service openService(String name) throws IOException {
        if (name.startsWith("shell") && name.indexOf(':') > 0 && name.substring(0, name.indexOf(':')).matches("shell(,[^:]*)?")) {
            int colon = name.indexOf(':');
            List<String> args = List.of(name.substring(0, colon).split(","));
            String command = name.substring(colon + 1);
            return stream -> shell(command, args.contains("v2"), stream);
        }
        if (name.startsWith("exec:")) {
            String command = name.substring("exec:".length());
            return stream -> shell(command, false, stream);
        }
        if (name.equals("sync:")) {
            FakeSync sync = new FakeSync(files, pushed::add);
            return stream -> sync.serve(stream.input(), stream.output());
        }
        if (name.matches("tcp:[0-9]{1,5}")) {
            int port = Integer.parseInt(name.substring(4));
            Socket socket = new Socket();
            try {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            } catch (IOException e) {
                socket.close();
                return null; // connection refused: the OPEN fails, as on a phone
            }
            return stream -> relay(socket, stream);
        }
        return null;
    }

    private void shell(String command, boolean v2, PhoneStream stream) throws IOException {
        commands.add(command);
        OutputStream raw = stream.output();
        if (!v2) {
            // Legacy shell: stdout and stderr merged, no exit status (the stream just closes).
            shell.run(command, raw, raw);
            return;
        }
        int status;
        try (OutputStream out = new ShellPacketStream(raw, 1); OutputStream err = new ShellPacketStream(raw, 2)) {
            status = shell.run(command, out, err);
        }
        synchronized (raw) {
            raw.write(new byte[] {3, 1, 0, 0, 0, (byte) status});
            raw.flush();
        }
    }

    /** Shell v2 framing: each write becomes a packet {@code [id][u32 length LE][bytes]}. */
    private static final class ShellPacketStream extends OutputStream {
        private final OutputStream raw;
        private final int id;

        ShellPacketStream(OutputStream raw, int id) {
            this.raw = raw;
            this.id = id;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            ByteBuffer packet = ByteBuffer.allocate(5 + len).order(ByteOrder.LITTLE_ENDIAN);
            packet.put((byte) id).putInt(len).put(b, off, len);
            synchronized (raw) {
                raw.write(packet.array());
            }
        }
    }

    /** Copies both ways until either side ends; adb streams have no half-close, so both end together. */
    private static void relay(Socket socket, PhoneStream stream) throws IOException {
        Thread toHost = new Thread(() -> {
            byte[] buffer = new byte[64 * 1024];
            try (InputStream in = socket.getInputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    stream.output().write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the program or the host ended the connection
            } finally {
                stream.close();
            }
        }, "fake-phone-relay-" + stream.localId());
        toHost.setDaemon(true);
        toHost.start();
        try (socket; OutputStream out = socket.getOutputStream()) {
            stream.input().transferTo(out);
        } catch (IOException e) {
            // the program closed its end while the host was still writing
        }
    }

    /** Describes a phone: its filesystem folder, properties, port and extra host classpath for app_process. */
    public static final class Builder {
        private final Path root;
        private final Map<String, String> properties = new LinkedHashMap<>();
        private final List<String> hostClasspath = new ArrayList<>();
        private int port;

        private Builder(Path root) {
            this.root = root;
            properties.put("ro.product.name", "mrwfake");
            properties.put("ro.product.model", "MRW Fake Phone");
            properties.put("ro.product.device", "mrwfake");
            properties.put("ro.product.manufacturer", "MRW");
            properties.put("ro.build.version.release", "14");
            properties.put("ro.build.version.sdk", "34");
            properties.put("ro.product.cpu.abi", "arm64-v8a");
            properties.put("ro.product.cpu.abilist", "arm64-v8a,armeabi-v7a,armeabi");
        }

        /** Sets a system property ({@code getprop KEY}). */
        public Builder property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Sets the ABIs, most preferred first ({@code ro.product.cpu.abi} and {@code abilist}). */
        public Builder abis(String... abis) {
            properties.put("ro.product.cpu.abi", abis[0]);
            properties.put("ro.product.cpu.abilist", String.join(",", abis));
            return this;
        }

        /** Listens on this port instead of a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Appends host classpath entries to every {@code app_process} program. */
        public Builder hostClasspath(String entry) {
            hostClasspath.add(entry);
            return this;
        }

        public FakePhone start() throws IOException {
            return new FakePhone(this);
        }
    }
}
