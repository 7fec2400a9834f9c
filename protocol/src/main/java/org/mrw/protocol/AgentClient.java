package org.mrw.protocol;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The workbench's side of one connection to an agent, the same for a phone (an adb {@code tcp:}
 * stream) and the host device (loopback TCP).
 *
 * <p>Each call sends one request with a fresh request id and waits for its reply; an ERROR reply
 * becomes an {@link AgentException}, a broken stream a {@link ProtocolException} (or another
 * {@link IOException}), after which the client should be closed. The methods are synchronised:
 * the client is safe to share between threads, but runs one request at a time; open several
 * connections for parallel work.
 */
public final class AgentClient implements Closeable {

    /** Client name sent in HELLO. */
    public static final String CLIENT = "mrw-workbench";

    private final InputStream in;
    private final OutputStream out;
    private final Closeable connection;
    private final FrameCodec codec;
    private int nextRequestId = 1;
    private boolean closed;
    /** Encodes INFER batches with few distinct values as a palette, when the agent reads palettes. */
    private Palette palette;
    private boolean paletteAllowed = true;

    /**
     * A client over an open stream pair.
     *
     * @param connection closed by {@link #close()} (the socket or adb stream); may be null
     */
    public AgentClient(InputStream in, OutputStream out, Closeable connection) {
        this(in, out, connection, new FrameCodec());
    }

    /** A client with a codec of tighter limits. */
    public AgentClient(InputStream in, OutputStream out, Closeable connection, FrameCodec codec) {
        this.in = new BufferedInputStream(in, 64 * 1024);
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.connection = connection;
        this.codec = codec;
    }

    /** Connects to an agent listening on this computer's loopback address. */
    public static AgentClient connectLoopback(int port, int timeoutMillis) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), timeoutMillis);
            return new AgentClient(socket.getInputStream(), socket.getOutputStream(), socket);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /** Sends HELLO with the session token and returns what the agent said about itself. */
    public synchronized AgentInfo hello(String token) throws IOException, AgentException {
        Header h = Header.builder().put("token", token).put("protocol", Protocol.VERSION).put("client", CLIENT).build();
        Frame reply = call(new Frame(FrameType.HELLO, nextId(), h), FrameType.WELCOME);
        Header w = reply.header();
        List<RuntimeInfo> runtimes = new ArrayList<RuntimeInfo>();
        for (Header r : w.objects("runtimes")) {
            boolean available = r.bool("available");
            runtimes.add(new RuntimeInfo(r.string("name"), r.string("version", null), available, r.string("reason", null)));
        }
        List<String> encodings = encodings(w);
        palette = encodings.contains(Palette.PALETTE16) ? new Palette(Palette.MAX16)
                : encodings.contains(Palette.PALETTE8) ? new Palette(Palette.MAX8) : null;
        Header device = w.object("device");
        return new AgentInfo(w.intValue("protocol"), w.string("agent"), device.string("model", "unknown"),
                device.string("abi", "unknown"), device.string("os", "unknown"), runtimes, w);
    }

    /** The INFER payload encodings the agent lists in WELCOME (agents before them read float32 only). */
    private static List<String> encodings(Header welcome) {
        List<String> out = new ArrayList<String>();
        out.add(Palette.FLOAT32);
        Object list = welcome.get("encodings");
        if (list instanceof List) {
            for (Object e : (List<?>) list) {
                if (e instanceof String) {
                    out.add((String) e);
                }
            }
        }
        return out;
    }

    /**
     * Whether INFER may send a batch as a palette (default true; used when the agent reads palettes):
     * lossless, so the scores do not change, only the bytes on the wire. False sends float32 always.
     */
    public synchronized void allowPalette(boolean allowed) {
        paletteAllowed = allowed;
    }

    /** Whether INFER may send palettes (see {@link #allowPalette}). */
    public synchronized boolean paletteAllowed() {
        return paletteAllowed;
    }

    /** Sends the model file's bytes; the agent stores them under their SHA-256 and loads them. */
    public synchronized ModelHandle loadModel(String runtime, String name, byte[] fileBytes, int threads)
            throws IOException, AgentException {
        return loadModel(runtime, name, fileBytes, threads, null);
    }

    /**
     * As {@link #loadModel(String, String, byte[], int)}, with the batch-1 input shape for formats
     * that do not record it (TorchScript {@code .pt/.ptl}); null for formats that do (TFLite).
     */
    public synchronized ModelHandle loadModel(String runtime, String name, byte[] fileBytes, int threads, int[] inputShape)
            throws IOException, AgentException {
        Header h = Header.builder().put("runtime", runtime).put("name", name).put("threads", threads)
                .put("sha256", Sha256.hex(fileBytes)).put("size", fileBytes.length).putIfPresent("inputShape", inputShape).build();
        return modelInfo(call(new Frame(FrameType.LOAD_MODEL, nextId(), h, fileBytes), FrameType.MODEL_INFO).header());
    }

    /** Loads a file already pushed to the device; the agent verifies its SHA-256 first. */
    public synchronized ModelHandle loadModel(String runtime, String name, String devicePath, String sha256, int threads)
            throws IOException, AgentException {
        return loadModel(runtime, name, devicePath, sha256, threads, null);
    }

    /** As {@link #loadModel(String, String, String, String, int)}, with the input shape (see above). */
    public synchronized ModelHandle loadModel(String runtime, String name, String devicePath, String sha256, int threads,
            int[] inputShape) throws IOException, AgentException {
        Header h = Header.builder().put("runtime", runtime).put("name", name).put("threads", threads)
                .put("path", devicePath).put("sha256", sha256).putIfPresent("inputShape", inputShape).build();
        return modelInfo(call(new Frame(FrameType.LOAD_MODEL, nextId(), h), FrameType.MODEL_INFO).header());
    }

    /** Asks the agent to describe a loaded model again (e.g. to check it is still loaded). */
    public synchronized ModelHandle modelInfo(int modelId) throws IOException, AgentException {
        Header h = Header.builder().put("model", modelId).build();
        return modelInfo(call(new Frame(FrameType.MODEL_INFO, nextId(), h), FrameType.MODEL_INFO).header());
    }

    private static ModelHandle modelInfo(Header h) throws ProtocolException {
        return new ModelHandle(h.intValue("model"), h.string("runtime"), h.string("name"), h.string("sha256"),
                h.intArray("inputShape"), h.bool("quantizedInput"), h.intValue("classes"), h.longValue("loadMillis"));
    }

    /**
     * Runs a batch: {@code input} holds {@code batch} samples in the model's layout (its
     * {@link ModelHandle#inputShape()} without the batch dimension), float32.
     *
     * @throws IllegalArgumentException when {@code input.length} is not {@code batch × sampleSize}
     */
    public synchronized InferResult infer(ModelHandle model, float[] input, int batch) throws IOException, AgentException {
        if (batch < 1 || input.length != (long) batch * model.sampleSize()) {
            throw new IllegalArgumentException(input.length + " floats are not " + batch + " samples of " + model.sampleSize()
                    + " for " + model);
        }
        int[] shape = model.inputShape();
        shape[0] = batch;
        Header.Builder h = Header.builder().put("model", model.id()).put("batch", batch).put("shape", shape);
        long start = System.nanoTime();
        Palette.Encoded encoded = palette != null && paletteAllowed ? palette.encode(input) : null;
        byte[] payload;
        if (encoded != null) {
            h.put("encoding", encoded.encoding).put("palette", encoded.paletteSize);
            payload = encoded.payload;
        } else {
            payload = Tensors.toBytes(input);
        }
        Frame reply = call(new Frame(FrameType.INFER, nextId(), h.build(), payload), FrameType.RESULT);
        long roundTrip = System.nanoTime() - start;
        Header r = reply.header();
        int classes = r.intValue("classes");
        int replyBatch = r.intValue("batch");
        if (replyBatch != batch || classes < 1) {
            throw new ProtocolException("RESULT for " + replyBatch + " samples of " + classes + " classes, asked for " + batch);
        }
        float[] scores = Tensors.fromBytes(reply.payload(), (long) batch * classes, "RESULT");
        return new InferResult(scores, batch, classes, r.longValue("inferNanos"), roundTrip, payload.length,
                encoded != null ? encoded.encoding : Palette.FLOAT32);
    }

    /** Frees a model in the agent. */
    public synchronized void unload(ModelHandle model) throws IOException, AgentException {
        call(new Frame(FrameType.UNLOAD, nextId(), Header.builder().put("model", model.id()).build()), FrameType.UNLOAD);
    }

    /** One PING round trip; returns its duration in nanoseconds. */
    public synchronized long ping() throws IOException, AgentException {
        long start = System.nanoTime();
        call(new Frame(FrameType.PING, nextId(), Header.EMPTY), FrameType.PING);
        return System.nanoTime() - start;
    }

    /** Asks the agent to close its models and exit; returns once it acknowledged. */
    public synchronized void shutdown() throws IOException, AgentException {
        call(new Frame(FrameType.SHUTDOWN, nextId(), Header.EMPTY), FrameType.SHUTDOWN);
    }

    private int nextId() {
        int id = nextRequestId++;
        if (nextRequestId == 0) {
            nextRequestId = 1; // 0 is reserved for connection-level errors
        }
        return id;
    }

    private Frame call(Frame request, FrameType replyType) throws IOException, AgentException {
        if (closed) {
            throw new IOException("this agent client is closed");
        }
        codec.write(out, request);
        Frame reply = codec.read(in);
        if (reply == null) {
            throw new ProtocolException("the agent closed the connection instead of answering " + request.type());
        }
        if (reply.type() == FrameType.ERROR && (reply.requestId() == request.requestId() || reply.requestId() == 0)) {
            Header h = reply.header();
            throw new AgentException(h.string("message", "(no message)"), h.string("kind", "internal"), h.bool("closed", false));
        }
        if (reply.requestId() != request.requestId()) {
            throw new ProtocolException("reply " + reply.type() + " carries request id " + (reply.requestId() & 0xffffffffL)
                    + ", expected " + (request.requestId() & 0xffffffffL));
        }
        if (reply.type() != replyType) {
            throw new ProtocolException("the agent answered " + request.type() + " with " + reply.type() + ", expected " + replyType);
        }
        return reply;
    }

    @Override
    public synchronized void close() throws IOException {
        if (!closed) {
            closed = true;
            if (connection != null) {
                connection.close();
            }
        }
    }
}
