package org.mrw.agent;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.File;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.mrw.agent.runtime.InferenceRuntime;
import org.mrw.agent.runtime.InferenceRuntime.RuntimeFailure;
import org.mrw.protocol.Frame;
import org.mrw.protocol.FrameCodec;
import org.mrw.protocol.FrameType;
import org.mrw.protocol.Header;
import org.mrw.protocol.Palette;
import org.mrw.protocol.Protocol;
import org.mrw.protocol.ProtocolException;
import org.mrw.protocol.Sha256;
import org.mrw.protocol.Tensors;

/**
 * The agent's request loop: listens on loopback only, one thread per connection. Each connection
 * starts with HELLO and the session token; then LOAD_MODEL, MODEL_INFO, INFER, UNLOAD, PING and
 * SHUTDOWN, each answered by its reply or an ERROR frame (protocol/README.md). A failed request
 * leaves the connection and the loaded models usable; a broken stream (protocol error) ends the
 * connection after an ERROR with request id 0. Models are shared by all connections; calls on one
 * model are serialised. Lifecycle: {@link #start()} → {@link #awaitStop()} → {@link #close()}.
 */
public final class AgentServer implements Closeable {

    /** Version reported in WELCOME. */
    public static final String AGENT_VERSION = "0.1.0";

    private final AgentOptions options;
    private final Runtimes runtimes;
    private final PrintStream log;
    private final FrameCodec codec = new FrameCodec();
    private final Map<Integer, LoadedEntry> models = new ConcurrentHashMap<Integer, LoadedEntry>();
    private final AtomicInteger nextModelId = new AtomicInteger(1);
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger activeConnections = new AtomicInteger();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile long idleSince = System.nanoTime();
    private volatile String stopReason;
    private ServerSocket server;

    AgentServer(AgentOptions options, Runtimes runtimes, PrintStream log) {
        this.options = options;
        this.runtimes = runtimes;
        this.log = log;
    }

    /**
     * Binds 127.0.0.1 (never another address) and starts accepting.
     *
     * @return the bound port
     */
    public synchronized int start() throws IOException {
        if (!options.dir.isDirectory() && !options.dir.mkdirs()) {
            throw new IOException("cannot create the model folder " + options.dir);
        }
        server = new ServerSocket(options.port, 8, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "mrw-agent-accept");
        accept.setDaemon(true);
        accept.start();
        if (options.idleSeconds > 0) {
            Thread idle = new Thread(this::idleWatch, "mrw-agent-idle");
            idle.setDaemon(true);
            idle.start();
        }
        return server.getLocalPort();
    }

    /** The bound port. */
    public synchronized int port() {
        return server.getLocalPort();
    }

    /** Blocks until SHUTDOWN, the idle timeout or {@link #stop}; returns why it stopped. */
    public String awaitStop() throws InterruptedException {
        stopped.await();
        return stopReason;
    }

    /** Stops accepting, closes every connection and model; idempotent. */
    public void stop(String reason) {
        synchronized (this) {
            if (stopReason != null) {
                return;
            }
            stopReason = reason;
        }
        log.println("mrw-agent: stopping: " + reason);
        closeQuietly(server);
        for (Socket s : connections) {
            closeQuietly(s);
        }
        for (Integer id : new ArrayList<Integer>(models.keySet())) {
            LoadedEntry e = models.remove(id);
            if (e != null) {
                e.close();
            }
        }
        stopped.countDown();
    }

    @Override
    public void close() {
        stop("closed");
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    log.println("mrw-agent: accept failed: " + e.getMessage());
                }
                return;
            }
            connections.add(s);
            activeConnections.incrementAndGet();
            Thread t = new Thread(() -> serve(s), "mrw-agent-conn-" + s.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void idleWatch() {
        long limit = TimeUnit.SECONDS.toNanos(options.idleSeconds);
        while (stopped.getCount() > 0) {
            try {
                if (stopped.await(Math.min(1000, options.idleSeconds * 1000L), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (activeConnections.get() == 0 && System.nanoTime() - idleSince > limit) {
                stop("no connection for " + options.idleSeconds + " s (idle=" + options.idleSeconds + ")");
            }
        }
    }

    private void serve(Socket socket) {
        try {
            socket.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
            if (handshake(in, out)) {
                requestLoop(in, out);
            }
        } catch (IOException e) {
            if (stopReason == null) {
                log.println("mrw-agent: connection from port " + socket.getPort() + " ended: " + e.getMessage());
            }
        } finally {
            closeQuietly(socket);
            connections.remove(socket);
            idleSince = System.nanoTime();
            activeConnections.decrementAndGet();
        }
    }

    /** Reads HELLO and checks the token; answers WELCOME or a closing ERROR. */
    private boolean handshake(InputStream in, OutputStream out) throws IOException {
        Frame hello;
        try {
            hello = codec.read(in);
        } catch (ProtocolException e) {
            sendClosingError(out, 0, "protocol", e.getMessage());
            return false;
        }
        if (hello == null) {
            return false;
        }
        if (hello.type() != FrameType.HELLO) {
            sendClosingError(out, hello.requestId(), "protocol", "the first frame must be HELLO, not " + hello.type());
            return false;
        }
        String token = hello.header().get("token") instanceof String ? (String) hello.header().get("token") : "";
        if (!MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), options.token.getBytes(StandardCharsets.UTF_8))) {
            log.println("mrw-agent: refused a connection with a wrong session token");
            sendClosingError(out, hello.requestId(), "auth", "wrong session token");
            return false;
        }
        codec.write(out, new Frame(FrameType.WELCOME, hello.requestId(), welcome()));
        return true;
    }

    private Header welcome() {
        List<Object> list = new ArrayList<Object>();
        for (Runtimes.Entry e : runtimes.entries()) {
            Header.Builder r = Header.builder().put("name", e.name).put("available", e.runtime != null);
            if (e.runtime != null) {
                r.put("version", e.runtime.version());
            } else {
                r.put("reason", e.reason);
            }
            list.add(r.build());
        }
        return Header.builder().put("protocol", Protocol.VERSION).put("agent", AGENT_VERSION)
                .put("device", DeviceInfo.describe()).put("runtimes", list).put("threads", options.threads)
                .put("encodings", Arrays.asList(Palette.FLOAT32, Palette.PALETTE8, Palette.PALETTE16)).build();
    }

    private void requestLoop(InputStream in, OutputStream out) throws IOException {
        while (true) {
            Frame request;
            try {
                request = codec.read(in);
            } catch (ProtocolException e) {
                sendClosingError(out, 0, "protocol", e.getMessage());
                return;
            }
            if (request == null) {
                return;
            }
            Frame reply;
            try {
                reply = handle(request);
            } catch (RequestFailure e) {
                reply = error(request.requestId(), e.kind, e.getMessage(), false);
            } catch (ProtocolException e) {
                // A complete frame with a bad header field: the stream is intact, the request is not.
                reply = error(request.requestId(), "request", request.type() + ": " + e.getMessage(), false);
            } catch (RuntimeException | LinkageError e) {
                // A runtime threw what it should not (native layer, bug): answer and keep serving.
                log.println("mrw-agent: " + request.type() + " failed unexpectedly: " + e);
                reply = error(request.requestId(), "internal", request.type() + " failed inside the agent: " + e, false);
            }
            codec.write(out, reply);
            if (request.type() == FrameType.SHUTDOWN && reply.type() == FrameType.SHUTDOWN) {
                stop("SHUTDOWN requested");
                return;
            }
        }
    }

    private Frame handle(Frame request) throws RequestFailure, ProtocolException {
        Header h = request.header();
        int id = request.requestId();
        switch (request.type()) {
            case HELLO:
                throw new RequestFailure("request", "HELLO was already answered on this connection");
            case LOAD_MODEL:
                return new Frame(FrameType.MODEL_INFO, id, load(h, request.payload()).describe());
            case MODEL_INFO:
                return new Frame(FrameType.MODEL_INFO, id, model(h).describe());
            case INFER:
                return infer(id, h, request.payload());
            case UNLOAD: {
                LoadedEntry e = model(h);
                models.remove(e.id);
                e.close();
                log.println("mrw-agent: unloaded model " + e.id + " (" + e.name + ")");
                return new Frame(FrameType.UNLOAD, id, Header.builder().put("model", e.id).build());
            }
            case PING:
                return new Frame(FrameType.PING, id, Header.builder().put("agentNanos", System.nanoTime()).build(), request.payload());
            case SHUTDOWN:
                return new Frame(FrameType.SHUTDOWN, id, Header.EMPTY);
            default:
                throw new RequestFailure("request", request.type() + " is a reply type; the agent does not accept it as a request");
        }
    }

    private LoadedEntry model(Header h) throws RequestFailure, ProtocolException {
        int modelId = h.intValue("model");
        LoadedEntry e = models.get(modelId);
        if (e == null) {
            throw new RequestFailure("request", "no model " + modelId + " is loaded (unloaded, or loaded by an agent that has since restarted)");
        }
        return e;
    }

    private LoadedEntry load(Header h, byte[] payload) throws RequestFailure, ProtocolException {
        String runtimeName = h.string("runtime");
        String name = h.string("name");
        Runtimes.Entry entry = runtimes.entry(runtimeName);
        if (entry == null) {
            List<String> names = new ArrayList<String>();
            for (Runtimes.Entry e : runtimes.entries()) {
                names.add(e.name);
            }
            throw new RequestFailure("load", "unknown runtime '" + runtimeName + "' (this agent knows " + names + ")");
        }
        if (entry.runtime == null) {
            throw new RequestFailure("load", "runtime " + runtimeName + " is not available on this device: " + entry.reason);
        }
        int threads = h.intValue("threads", options.threads);
        if (threads < 1 || threads > 64) {
            throw new RequestFailure("request", "threads=" + threads + " is outside 1..64");
        }
        int[] inputShape = h.has("inputShape") ? h.intArray("inputShape") : null;
        String expected = h.string("sha256", null);
        if (expected != null && !Sha256.isHex(expected)) {
            throw new RequestFailure("request", "sha256 '" + expected + "' is not 64 hex digits");
        }
        File file;
        String sha;
        if (h.has("path")) {
            if (payload.length > 0) {
                throw new RequestFailure("request", "LOAD_MODEL carries both a path and " + payload.length + " payload bytes; send one");
            }
            if (expected == null) {
                throw new RequestFailure("request", "LOAD_MODEL with a path needs the file's sha256");
            }
            file = new File(h.string("path"));
            if (!file.isFile()) {
                throw new RequestFailure("load", "no model file at " + file + " on this device (push it first)");
            }
            sha = sha256Of(file);
            if (!sha.equalsIgnoreCase(expected)) {
                throw new RequestFailure("load", file + " has SHA-256 " + sha + ", expected " + expected.toLowerCase()
                        + ": the file on the device differs from the workbench's; push it again");
            }
        } else {
            if (payload.length == 0) {
                throw new RequestFailure("request", "LOAD_MODEL needs the model bytes as payload or a 'path' on the device");
            }
            sha = Sha256.hex(payload);
            if (expected != null && !sha.equalsIgnoreCase(expected)) {
                throw new RequestFailure("load", "the model bytes arrived with SHA-256 " + sha + ", the workbench sent "
                        + expected.toLowerCase() + ": the transfer was corrupted");
            }
            file = store(sha, name, payload);
        }
        long start = System.nanoTime();
        InferenceRuntime.LoadedModel loaded;
        try {
            loaded = entry.runtime.load(file, threads, inputShape);
        } catch (RuntimeFailure e) {
            throw new RequestFailure("load", "cannot load " + name + " in " + runtimeName + ": " + e.getMessage());
        }
        int[] shape = loaded.inputShape();
        int classes;
        try {
            long sample = Tensors.elements(Arrays.copyOfRange(shape, 1, shape.length));
            if (shape.length < 2 || shape[0] != 1 || sample < 1) {
                throw new RuntimeFailure("input shape " + Arrays.toString(shape) + " is not a batch of one");
            }
            // One blank sample: checks the model runs and counts its classes.
            float[] scores = loaded.run(new float[(int) sample], 1);
            classes = scores.length;
            if (classes < 1) {
                throw new RuntimeFailure("the model returned no scores");
            }
        } catch (RuntimeFailure e) {
            loaded.close();
            throw new RequestFailure("load", "cannot run " + name + " in " + runtimeName + ": " + e.getMessage());
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LoadedEntry e = new LoadedEntry(nextModelId.getAndIncrement(), runtimeName, name, sha, loaded, shape, classes, millis);
        models.put(e.id, e);
        if (stopReason != null) {
            models.remove(e.id);
            e.close();
            throw new RequestFailure("load", "the agent is stopping");
        }
        log.println("mrw-agent: loaded model " + e.id + " " + name + " in " + runtimeName + ": input " + Arrays.toString(shape)
                + ", " + classes + " classes, " + millis + " ms");
        return e;
    }

    private File store(String sha, String name, byte[] bytes) throws RequestFailure {
        File file = new File(options.dir, sha + extension(name));
        if (file.isFile() && file.length() == bytes.length) {
            return file;
        }
        File tmp = new File(options.dir, sha + ".part" + Thread.currentThread().getId());
        try (OutputStream out = new FileOutputStream(tmp)) {
            out.write(bytes);
        } catch (IOException e) {
            tmp.delete();
            throw new RequestFailure("load", "cannot write the model to " + tmp + ": " + e.getMessage());
        }
        if (!tmp.renameTo(file)) {
            tmp.delete();
            if (!file.isFile()) {
                throw new RequestFailure("load", "cannot move the model to " + file);
            }
        }
        return file;
    }

    /** The file name's extension (runtimes such as DJL go by it), if it is a plain one. */
    static String extension(String name) {
        int dot = name.lastIndexOf('.');
        String ext = dot >= 0 ? name.substring(dot) : "";
        return ext.matches("\\.[A-Za-z0-9]{1,8}") ? ext : ".model";
    }

    private static String sha256Of(File file) throws RequestFailure {
        try (InputStream in = new FileInputStream(file)) {
            return Sha256.hex(in);
        } catch (IOException e) {
            throw new RequestFailure("load", "cannot read " + file + ": " + e.getMessage());
        }
    }

    private Frame infer(int id, Header h, byte[] payload) throws RequestFailure, ProtocolException {
        LoadedEntry e = model(h);
        int batch = h.intValue("batch");
        if (batch < 1) {
            throw new RequestFailure("request", "batch=" + batch + " must be at least 1");
        }
        if (h.has("shape")) {
            int[] shape = h.intArray("shape");
            int[] expected = e.inputShape.clone();
            expected[0] = batch;
            if (!Arrays.equals(shape, expected)) {
                throw new RequestFailure("request", "INFER shape " + Arrays.toString(shape) + " does not match model " + e.id
                        + "'s input " + Arrays.toString(expected) + " (" + e.name + ")");
            }
        }
        long sample = Tensors.elements(Arrays.copyOfRange(e.inputShape, 1, e.inputShape.length));
        String what = "INFER of " + batch + " samples for model " + e.id;
        String encoding = h.string("encoding", Palette.FLOAT32);
        float[] input = Palette.FLOAT32.equals(encoding) ? Tensors.fromBytes(payload, batch * sample, what)
                : Palette.decode(encoding, h.intValue("palette"), payload, batch * sample, what);
        float[] scores;
        long nanos;
        synchronized (e) {
            if (e.closed) {
                throw new RequestFailure("request", "model " + e.id + " was unloaded");
            }
            long start = System.nanoTime();
            try {
                scores = e.model.run(input, batch);
            } catch (RuntimeFailure f) {
                throw new RequestFailure("infer", "model " + e.id + " (" + e.name + "): " + f.getMessage());
            }
            nanos = System.nanoTime() - start;
        }
        if (scores.length != (long) batch * e.classes) {
            throw new RequestFailure("infer", "model " + e.id + " returned " + scores.length + " scores for " + batch
                    + " samples of " + e.classes + " classes");
        }
        Header r = Header.builder().put("model", e.id).put("batch", batch).put("classes", e.classes).put("inferNanos", nanos).build();
        return new Frame(FrameType.RESULT, id, r, Tensors.toBytes(scores));
    }

    private static Frame error(int requestId, String kind, String message, boolean closing) {
        return new Frame(FrameType.ERROR, requestId,
                Header.builder().put("message", message).put("kind", kind).put("closed", closing).build());
    }

    private void sendClosingError(OutputStream out, int requestId, String kind, String message) {
        log.println("mrw-agent: closing a connection: " + message);
        try {
            codec.write(out, error(requestId, kind, message, true));
        } catch (IOException e) {
            // The peer is gone already; nothing left to tell it.
        }
    }

    private static void closeQuietly(Closeable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (IOException e) {
            // Closing on the way out: the resource is unusable either way.
        }
    }

    /** A request the agent cannot fulfil; {@code kind} goes into the ERROR header. */
    static final class RequestFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final String kind;

        RequestFailure(String kind, String message) {
            super(message);
            this.kind = kind;
        }
    }

    /** A loaded model shared by all connections; runs and close are serialised on it. */
    private static final class LoadedEntry {
        final int id;
        final String runtime;
        final String name;
        final String sha256;
        final InferenceRuntime.LoadedModel model;
        final int[] inputShape;
        final int classes;
        final long loadMillis;
        boolean closed;

        LoadedEntry(int id, String runtime, String name, String sha256, InferenceRuntime.LoadedModel model, int[] inputShape,
                int classes, long loadMillis) {
            this.id = id;
            this.runtime = runtime;
            this.name = name;
            this.sha256 = sha256;
            this.model = model;
            this.inputShape = inputShape;
            this.classes = classes;
            this.loadMillis = loadMillis;
        }

        Header describe() {
            return Header.builder().put("model", id).put("runtime", runtime).put("name", name).put("sha256", sha256)
                    .put("inputShape", inputShape).put("quantizedInput", model.quantizedInput()).put("classes", classes)
                    .put("loadMillis", loadMillis).build();
        }

        synchronized void close() {
            if (!closed) {
                closed = true;
                model.close();
            }
        }
    }
}
