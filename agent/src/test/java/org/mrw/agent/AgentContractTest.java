package org.mrw.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.mrw.protocol.AgentClient;
import org.mrw.protocol.AgentException;
import org.mrw.protocol.AgentInfo;
import org.mrw.protocol.Frame;
import org.mrw.protocol.FrameCodec;
import org.mrw.protocol.FrameType;
import org.mrw.protocol.Header;
import org.mrw.protocol.InferResult;
import org.mrw.protocol.ModelHandle;
import org.mrw.protocol.Palette;
import org.mrw.protocol.Protocol;

/**
 * What every agent must do, whichever way it was started (in this JVM, or as a separate
 * {@code java} process as the workbench starts the host device): refuse strangers, run the zoo's
 * TFLite and PyTorch-lite models on Fashion-MNIST, survive bad models, answer PING, and stop on SHUTDOWN.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class AgentContractTest {

    static final Path ROOT = Paths.get("..").toAbsolutePath().normalize();
    static final String TOKEN = "s3cret-" + System.nanoTime();
    static final int IMAGES = 500;
    static final int BATCH = 100;

    /** Starts the agent; returns its port. */
    abstract int startAgent(Path dir, Path libs) throws Exception;

    /** Waits for the agent to end after SHUTDOWN; fails if it does not. */
    abstract void assertStopped() throws Exception;

    abstract void stopAgent() throws Exception;

    int port;
    Path work;

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Paths.get("target", "agent-tests", getClass().getSimpleName()).toAbsolutePath());
        port = startAgent(Files.createDirectories(work.resolve("models")), tfliteLibs());
    }

    @AfterAll
    void stop() throws Exception {
        stopAgent();
    }

    /** A libs= folder holding the desktop TFLite JNI library from the test class path. */
    static Path tfliteLibs() throws IOException {
        Path dir = Files.createDirectories(Paths.get("target", "agent-libs").toAbsolutePath());
        Path lib = dir.resolve("libtensorflowlite_jni.so");
        if (!Files.isRegularFile(lib)) {
            try (InputStream in = AgentContractTest.class.getResourceAsStream("/native/lib/libtensorflowlite_jni.so")) {
                assertThat(in).as("libtensorflowlite_jni.so from tflite-native-cpu on the test class path").isNotNull();
                Path tmp = Files.createTempFile(dir, "lib", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, lib, StandardCopyOption.ATOMIC_MOVE);
            }
        }
        return dir;
    }

    AgentClient connect() throws IOException {
        return AgentClient.connectLoopback(port, 5000);
    }

    AgentClient session() throws IOException, AgentException {
        AgentClient c = connect();
        c.hello(TOKEN);
        return c;
    }

    @Test
    @Order(1)
    void welcomeReportsVersionsDeviceAndBothRuntimes() throws Exception {
        try (AgentClient c = connect()) {
            AgentInfo info = c.hello(TOKEN);
            assertThat(info.protocolVersion()).isEqualTo(Protocol.VERSION);
            assertThat(info.agentVersion()).isEqualTo(AgentServer.AGENT_VERSION);
            assertThat(info.deviceAbi()).isEqualTo(System.getProperty("os.arch"));
            assertThat(info.deviceModel()).isEqualTo("host computer");
            assertThat(info.runtime("tflite").available()).as(String.valueOf(info.runtime("tflite"))).isTrue();
            assertThat(info.runtime("tflite").version()).startsWith("2.6");
            assertThat(info.runtime("pytorch-lite").available()).as(String.valueOf(info.runtime("pytorch-lite"))).isTrue();
            assertThat(info.runtime("pytorch-lite").version()).contains("2.7.1").contains("int8 engine qnnpack");
        }
    }

    @Test
    @Order(2)
    void aWrongTokenIsRefusedAndTheConnectionClosed() throws Exception {
        try (AgentClient c = connect()) {
            assertThatThrownBy(() -> c.hello("not-the-token"))
                    .isInstanceOf(AgentException.class).hasMessage("wrong session token")
                    .satisfies(e -> assertThat(((AgentException) e).connectionClosed()).isTrue());
            assertThatThrownBy(c::ping).isInstanceOf(IOException.class);
        }
    }

    @Test
    @Order(3)
    void anotherProtocolVersionIsRefusedWithAnErrorNamingBoth() throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            FrameCodec codec = new FrameCodec();
            Header hello = Header.builder().put("token", TOKEN).put("protocol", Protocol.VERSION + 1).build();
            codec.write(s.getOutputStream(), new Frame(FrameType.HELLO, 7, hello), Protocol.VERSION + 1);
            Frame reply = codec.read(s.getInputStream());
            assertThat(reply.type()).isEqualTo(FrameType.ERROR);
            assertThat(reply.requestId()).isZero();
            assertThat(reply.header().string("message"))
                    .isEqualTo("peer speaks protocol " + (Protocol.VERSION + 1) + ", this side " + Protocol.VERSION
                            + ": redeploy the agent from this workbench");
            assertThat(codec.read(s.getInputStream())).as("the agent closes the connection").isNull();
        }
    }

    @Test
    @Order(4)
    void requestsBeforeHelloAreRefused() throws Exception {
        try (AgentClient c = connect()) {
            assertThatThrownBy(c::ping).isInstanceOf(AgentException.class).hasMessageContaining("first frame must be HELLO");
        }
    }

    record Zoo(String file, String runtime, String layout, int[] shape) {
    }

    static Zoo zoo(String file) throws IOException {
        String json = Files.readString(ROOT.resolve("models/resnet").resolve(file + ".json"));
        String layout = field(json, "\"layout\"\\s*:\\s*\"(\\w+)\"");
        int c = Integer.parseInt(field(json, "\"channels\"\\s*:\\s*(\\d+)"));
        int h = Integer.parseInt(field(json, "\"height\"\\s*:\\s*(\\d+)"));
        int w = Integer.parseInt(field(json, "\"width\"\\s*:\\s*(\\d+)"));
        int[] shape = "NHWC".equals(layout) ? new int[] {1, h, w, c} : new int[] {1, c, h, w};
        return new Zoo(file, file.endsWith(".tflite") ? "tflite" : "pytorch-lite", layout, shape);
    }

    private static String field(String json, String regex) {
        Matcher m = Pattern.compile(regex).matcher(json);
        assertThat(m.find()).as(regex).isTrue();
        return m.group(1);
    }

    @Test
    @Order(10)
    void zooModelsClassifyFashionMnistAndTheFloatModelsAgree() throws Exception {
        FashionMnist data = FashionMnist.firstTest(ROOT, IMAGES);
        Map<String, int[]> predictions = new LinkedHashMap<>();
        try (AgentClient c = session()) {
            for (String file : new String[] {"resnet_float.tflite", "resnet_int8.tflite", "resnet_float.ptl", "resnet_int8.ptl"}) {
                Zoo z = zoo(file);
                byte[] bytes = Files.readAllBytes(ROOT.resolve("models/resnet").resolve(file));
                ModelHandle m = c.loadModel(z.runtime(), file, bytes, 2, z.runtime().equals("tflite") ? null : z.shape());
                assertThat(m.inputShape()).as(file).containsExactly(z.shape());
                assertThat(m.classes()).isEqualTo(10);
                assertThat(m.quantizedInput()).as(file).isEqualTo(file.equals("resnet_int8.tflite"));
                int[] p = new int[IMAGES];
                long inferNanos = 0;
                long roundTrip = 0;
                for (int from = 0; from < IMAGES; from += BATCH) {
                    InferResult r = c.infer(m, data.batch(from, BATCH, z.layout(), z.shape()[z.layout().equals("NHWC") ? 3 : 1]), BATCH);
                    System.arraycopy(r.predictions(), 0, p, from, BATCH);
                    inferNanos += r.inferNanos();
                    roundTrip += r.roundTripNanos();
                }
                int correct = 0;
                for (int i = 0; i < IMAGES; i++) {
                    correct += p[i] == data.labels()[i] ? 1 : 0;
                }
                double accuracy = correct / (double) IMAGES;
                int batches = IMAGES / BATCH;
                System.err.printf("%s %s: accuracy %.3f, load %d ms, per batch of %d: infer %.1f ms, round trip %.1f ms%n",
                        getClass().getSimpleName(), file, accuracy, m.loadMillis(), BATCH, inferNanos / 1e6 / batches,
                        roundTrip / 1e6 / batches);
                assertThat(accuracy).as(file + " accuracy").isGreaterThanOrEqualTo(0.88);
                predictions.put(file, p);
                c.unload(m);
            }
        }
        int[] a = predictions.get("resnet_float.tflite");
        int[] b = predictions.get("resnet_float.ptl");
        int same = 0;
        for (int i = 0; i < IMAGES; i++) {
            same += a[i] == b[i] ? 1 : 0;
        }
        assertThat(same / (double) IMAGES).as("float TFLite vs float PTL agreement").isGreaterThanOrEqualTo(0.99);
    }

    @Test
    @Order(11)
    void corruptModelsFailWithAClearMessageAndTheConnectionStaysUsable() throws Exception {
        byte[] good = Files.readAllBytes(ROOT.resolve("models/resnet/resnet_float.tflite"));
        try (AgentClient c = session()) {
            ModelHandle kept = c.loadModel("tflite", "resnet_float.tflite", good, 1);

            byte[] garbage = "this is not a model at all, just text".getBytes();
            assertThatThrownBy(() -> c.loadModel("tflite", "garbage.tflite", garbage, 1))
                    .isInstanceOf(AgentException.class).hasMessageContaining("garbage.tflite").hasMessageContaining("TFL3");

            byte[] truncated = Arrays.copyOf(good, good.length / 3);
            assertThatThrownBy(() -> c.loadModel("tflite", "truncated.tflite", truncated, 1))
                    .isInstanceOf(AgentException.class).hasMessageContaining("truncated.tflite")
                    .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo("load"));

            byte[] ptl = Files.readAllBytes(ROOT.resolve("models/resnet/resnet_float.ptl"));
            byte[] brokenPtl = Arrays.copyOf(ptl, ptl.length / 2);
            assertThatThrownBy(() -> c.loadModel("pytorch-lite", "broken.ptl", brokenPtl, 1, new int[] {1, 1, 28, 28}))
                    .isInstanceOf(AgentException.class).hasMessageContaining("broken.ptl");

            assertThatThrownBy(() -> c.loadModel("pytorch-lite", "resnet_float.ptl", ptl, 1))
                    .isInstanceOf(AgentException.class).hasMessageContaining("do not record their input shape");
            assertThatThrownBy(() -> c.loadModel("onnx", "x.onnx", ptl, 1))
                    .isInstanceOf(AgentException.class).hasMessageContaining("unknown runtime 'onnx'");

            assertThat(c.ping()).isPositive();
            InferResult r = c.infer(kept, new float[28 * 28 * 3], 3);
            assertThat(r.scores()).hasSize(30);
            c.unload(kept);
            assertThatThrownBy(() -> c.infer(kept, new float[28 * 28], 1))
                    .isInstanceOf(AgentException.class).hasMessageContaining("no model " + kept.id());
        }
    }

    @Test
    @Order(12)
    void pushedFilesAreLoadedByPathOnlyWhenTheirDigestMatches() throws Exception {
        Path pushed = work.resolve("pushed_int8.tflite");
        Files.copy(ROOT.resolve("models/resnet/resnet_int8.tflite"), pushed, StandardCopyOption.REPLACE_EXISTING);
        String sha = org.mrw.protocol.Sha256.hex(Files.readAllBytes(pushed));
        try (AgentClient c = session()) {
            ModelHandle m = c.loadModel("tflite", "pushed_int8.tflite", pushed.toString(), sha, 2);
            assertThat(m.sha256()).isEqualTo(sha);
            assertThat(c.modelInfo(m.id()).inputShape()).containsExactly(1, 28, 28, 1);
            String wrong = "0".repeat(64);
            assertThatThrownBy(() -> c.loadModel("tflite", "pushed_int8.tflite", pushed.toString(), wrong, 2))
                    .isInstanceOf(AgentException.class).hasMessageContaining("has SHA-256 " + sha + ", expected " + wrong);
            assertThatThrownBy(() -> c.loadModel("tflite", "gone.tflite", work.resolve("gone.tflite").toString(), wrong, 2))
                    .isInstanceOf(AgentException.class).hasMessageContaining("no model file at");
            c.unload(m);
        }
    }

    @Test
    @Order(13)
    void inferRefusesAShapeOrPayloadThatDoesNotFitTheModel() throws Exception {
        byte[] good = Files.readAllBytes(ROOT.resolve("models/resnet/resnet_float.tflite"));
        try (AgentClient c = session()) {
            ModelHandle m = c.loadModel("tflite", "resnet_float.tflite", good, 1);
            ModelHandle lying = new ModelHandle(m.id(), m.runtime(), m.name(), m.sha256(), new int[] {1, 1, 28, 28}, false, 10, 0);
            assertThatThrownBy(() -> c.infer(lying, new float[784 * 2], 2))
                    .isInstanceOf(AgentException.class).hasMessageContaining("INFER shape [2, 1, 28, 28] does not match");
            assertThat(c.infer(m, new float[784], 1).classes()).isEqualTo(10);
            c.unload(m);
        }
    }

    @Test
    @Order(13)
    void paletteBatchesScoreExactlyAsFloat32AndMalformedOnesAreRequestErrors() throws Exception {
        FashionMnist data = FashionMnist.firstTest(ROOT, 100);
        try (AgentClient c = session()) {
            for (String file : new String[] {"resnet_float.tflite", "resnet_int8.ptl"}) {
                Zoo z = zoo(file);
                byte[] bytes = Files.readAllBytes(ROOT.resolve("models/resnet").resolve(file));
                ModelHandle m = c.loadModel(z.runtime(), file, bytes, 2, z.runtime().equals("tflite") ? null : z.shape());
                float[] batch = data.batch(0, 100, z.layout(), 1);
                InferResult palette = c.infer(m, batch, 100);
                c.allowPalette(false);
                InferResult float32 = c.infer(m, batch, 100);
                c.allowPalette(true);
                assertThat(palette.encoding()).as(file).isEqualTo(Palette.PALETTE8);
                assertThat(palette.requestBytes()).as(file).isLessThan(float32.requestBytes() / 3);
                assertThat(palette.scores()).as(file + ": the same floats reach the runtime").containsExactly(float32.scores());
                c.unload(m);
            }
        }
        byte[] good = Files.readAllBytes(ROOT.resolve("models/resnet/resnet_float.tflite"));
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            FrameCodec codec = new FrameCodec();
            codec.write(s.getOutputStream(), new Frame(FrameType.HELLO, 1, Header.builder().put("token", TOKEN)
                    .put("protocol", Protocol.VERSION).put("client", "test").build()));
            assertThat(codec.read(s.getInputStream()).type()).isEqualTo(FrameType.WELCOME);
            codec.write(s.getOutputStream(), new Frame(FrameType.LOAD_MODEL, 2, Header.builder().put("runtime", "tflite")
                    .put("name", "resnet_float.tflite").build(), good));
            int model = codec.read(s.getInputStream()).header().intValue("model");
            byte[] payload = new byte[4 * 2 + 784];
            payload[8 + 783] = 2; // index 2 of a two-entry palette
            codec.write(s.getOutputStream(), new Frame(FrameType.INFER, 3, Header.builder().put("model", model).put("batch", 1)
                    .put("encoding", Palette.PALETTE8).put("palette", 2).build(), payload));
            Frame error = codec.read(s.getInputStream());
            assertThat(error.type()).isEqualTo(FrameType.ERROR);
            assertThat(error.header().string("message")).isEqualTo("INFER: INFER of 1 samples for model " + model
                    + ": element 783 has palette index 2, the palette has 2 entries");
            assertThat(error.header().bool("closed")).isFalse();
            payload[8 + 783] = 1;
            codec.write(s.getOutputStream(), new Frame(FrameType.INFER, 4, Header.builder().put("model", model).put("batch", 1)
                    .put("encoding", Palette.PALETTE8).put("palette", 2).build(), payload));
            assertThat(codec.read(s.getInputStream()).type()).as("the connection stays usable").isEqualTo(FrameType.RESULT);
        }
    }

    @Test
    @Order(14)
    void connectionsShareModelsAndRunThemConcurrently() throws Exception {
        FashionMnist data = FashionMnist.firstTest(ROOT, 40);
        byte[] good = Files.readAllBytes(ROOT.resolve("models/resnet/resnet_float.tflite"));
        try (AgentClient loader = session()) {
            ModelHandle m = loader.loadModel("tflite", "resnet_float.tflite", good, 1);
            int[] reference = loader.infer(m, data.batch(0, 40, "NHWC", 1), 40).predictions();
            java.util.List<java.util.concurrent.CompletableFuture<int[]>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 3; t++) {
                runs.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try (AgentClient c = session()) {
                        int[] p = new int[40];
                        for (int from = 0; from < 40; from += 8) {
                            System.arraycopy(c.infer(m, data.batch(from, 8, "NHWC", 1), 8).predictions(), 0, p, from, 8);
                        }
                        return p;
                    } catch (IOException | AgentException e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (java.util.concurrent.CompletableFuture<int[]> r : runs) {
                assertThat(r.get(60, java.util.concurrent.TimeUnit.SECONDS)).containsExactly(reference);
            }
            loader.unload(m);
        }
    }

    @Test
    @Order(20)
    void pingMeasuresARoundTrip() throws Exception {
        try (AgentClient c = session()) {
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                best = Math.min(best, c.ping());
            }
            System.err.printf("%s: best PING round trip %.3f ms%n", getClass().getSimpleName(), best / 1e6);
            assertThat(best).isPositive().isLessThan(1_000_000_000L);
        }
    }

    @Test
    @Order(100)
    void shutdownStopsTheAgent() throws Exception {
        try (AgentClient c = session()) {
            c.shutdown();
        }
        assertStopped();
        // Nothing listens on the port any more. Linux may still "connect" a loopback socket to itself when
        // it happens to pick the freed port as the local one (TCP simultaneous open): then both ends are ours.
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            assertThat(s.getLocalPort()).as("a connection after SHUTDOWN can only be the socket's own").isEqualTo(port);
        } catch (IOException expected) {
            // the usual case: connection refused
        }
    }
}
