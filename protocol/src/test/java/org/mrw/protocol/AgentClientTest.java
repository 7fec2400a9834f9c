package org.mrw.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The client against a scripted peer: replies are matched by id and type, ERRORs become AgentExceptions. */
class AgentClientTest {

    /** A client whose every request is answered by {@code agent} (null = close the stream). */
    private static AgentClient scripted(Function<Frame, Frame> agent) throws IOException {
        PipedInputStream clientIn = new PipedInputStream(1 << 20);
        PipedOutputStream agentOut = new PipedOutputStream(clientIn);
        PipedInputStream agentIn = new PipedInputStream(1 << 20);
        PipedOutputStream clientOut = new PipedOutputStream(agentIn);
        CompletableFuture.runAsync(() -> {
            FrameCodec codec = new FrameCodec();
            try (agentOut; agentIn) {
                Frame request;
                while ((request = codec.read(agentIn)) != null) {
                    Frame reply = agent.apply(request);
                    if (reply == null) {
                        return;
                    }
                    codec.write(agentOut, reply);
                }
            } catch (IOException e) {
                // the client went away
            }
        });
        return new AgentClient(clientIn, clientOut, clientIn);
    }

    private static Header welcome() {
        return Header.builder().put("protocol", 1).put("agent", "9.9").put("device",
                Map.of("model", "Pixel", "abi", "arm64-v8a", "os", "Android 14 (API 34)"))
                .put("runtimes", List.of(Map.of("name", "tflite", "available", true, "version", "2.16.1"),
                        Map.of("name", "pytorch-lite", "available", false, "reason", "no natives")))
                .build();
    }

    @Test
    void helloParsesTheWelcome() throws Exception {
        try (AgentClient c = scripted(r -> new Frame(FrameType.WELCOME, r.requestId(), welcome()))) {
            AgentInfo info = c.hello("t");
            assertThat(info.deviceModel()).isEqualTo("Pixel");
            assertThat(info.deviceAbi()).isEqualTo("arm64-v8a");
            assertThat(info.runtime("tflite").version()).isEqualTo("2.16.1");
            assertThat(info.runtime("pytorch-lite").available()).isFalse();
            assertThat(info.runtime("pytorch-lite").reason()).isEqualTo("no natives");
        }
    }

    @Test
    void errorRepliesBecomeAgentExceptionsAndTheClientStaysUsable() throws Exception {
        try (AgentClient c = scripted(r -> r.type() == FrameType.PING
                ? new Frame(FrameType.PING, r.requestId(), Header.EMPTY)
                : new Frame(FrameType.ERROR, r.requestId(), Header.builder().put("message", "no model 4").put("kind", "request").build()))) {
            ModelHandle ghost = new ModelHandle(4, "tflite", "x", "0", new int[] {1, 2}, false, 3, 0);
            assertThatThrownBy(() -> c.unload(ghost)).isInstanceOf(AgentException.class).hasMessage("no model 4")
                    .satisfies(e -> assertThat(((AgentException) e).kind()).isEqualTo("request"));
            assertThat(c.ping()).isPositive();
        }
    }

    @Test
    void aReplyToAnotherRequestIsAProtocolError() throws Exception {
        try (AgentClient c = scripted(r -> new Frame(FrameType.PING, r.requestId() + 1, Header.EMPTY))) {
            assertThatThrownBy(c::ping).isInstanceOf(ProtocolException.class).hasMessage("reply PING carries request id 2, expected 1");
        }
    }

    @Test
    void aReplyOfTheWrongTypeIsAProtocolError() throws Exception {
        try (AgentClient c = scripted(r -> new Frame(FrameType.RESULT, r.requestId(), Header.EMPTY))) {
            assertThatThrownBy(c::shutdown).isInstanceOf(ProtocolException.class)
                    .hasMessage("the agent answered SHUTDOWN with RESULT, expected SHUTDOWN");
        }
    }

    @Test
    void anAgentThatHangsUpIsNamed() throws Exception {
        try (AgentClient c = scripted(r -> null)) {
            assertThatThrownBy(c::ping).isInstanceOf(IOException.class);
        }
    }

    @Test
    void inferChecksTheInputSizeAndReadsTheScores() throws Exception {
        try (AgentClient c = scripted(r -> {
            try {
                int batch = r.header().intValue("batch");
                assertThat(r.header().intArray("shape")).containsExactly(batch, 2);
                float[] in = Tensors.fromBytes(r.payload(), batch * 2L, "INFER");
                float[] out = new float[batch * 3];
                for (int i = 0; i < batch; i++) {
                    out[i * 3 + (in[i * 2] > 0 ? 2 : 0)] = 1f;
                }
                Header h = Header.builder().put("model", 1).put("batch", batch).put("classes", 3).put("inferNanos", 42).build();
                return new Frame(FrameType.RESULT, r.requestId(), h, Tensors.toBytes(out));
            } catch (ProtocolException e) {
                throw new IllegalStateException(e);
            }
        })) {
            ModelHandle m = new ModelHandle(1, "tflite", "x", "0", new int[] {1, 2}, false, 3, 0);
            InferResult r = c.infer(m, new float[] {1, 0, -1, 0}, 2);
            assertThat(r.predictions()).containsExactly(2, 0);
            assertThat(r.inferNanos()).isEqualTo(42);
            assertThatThrownBy(() -> c.infer(m, new float[3], 2)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anAgentThatReadsPalettesGetsEightBitBatchesAsPalette8AndTheSameScores() throws Exception {
        Header welcome = Header.builder().put("protocol", 1).put("agent", "9.9").put("device", Map.of("model", "Pixel"))
                .put("runtimes", List.of()).put("encodings", List.of("float32", "palette8", "palette16")).build();
        try (AgentClient c = scripted(r -> {
            if (r.type() == FrameType.HELLO) {
                return new Frame(FrameType.WELCOME, r.requestId(), welcome);
            }
            try {
                int batch = r.header().intValue("batch");
                String encoding = r.header().string("encoding", Palette.FLOAT32);
                float[] in = encoding.equals(Palette.FLOAT32) ? Tensors.fromBytes(r.payload(), batch * 4L, "INFER")
                        : Palette.decode(encoding, r.header().intValue("palette"), r.payload(), batch * 4L, "INFER");
                Header h = Header.builder().put("model", 1).put("batch", batch).put("classes", 4).put("inferNanos", 1).build();
                return new Frame(FrameType.RESULT, r.requestId(), h, Tensors.toBytes(in)); // echo: scores = input
            } catch (ProtocolException e) {
                throw new IllegalStateException(e);
            }
        })) {
            c.hello("t");
            ModelHandle m = new ModelHandle(1, "tflite", "x", "0", new int[] {1, 4}, false, 4, 0);
            float[] pixels = new float[4 * 256];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (i * 37 % 256) / 255f;
            }
            InferResult palette = c.infer(m, pixels, 256);
            assertThat(palette.encoding()).isEqualTo(Palette.PALETTE8);
            assertThat(palette.requestBytes()).isLessThan(4 * pixels.length);
            assertThat(palette.scores()).containsExactly(pixels);
            c.allowPalette(false);
            InferResult float32 = c.infer(m, pixels, 256);
            assertThat(float32.encoding()).isEqualTo(Palette.FLOAT32);
            assertThat(float32.requestBytes()).isEqualTo(4 * pixels.length);
            assertThat(float32.scores()).containsExactly(pixels);
        }
    }

    @Test
    void anAgentThatListsNoEncodingsGetsFloat32() throws Exception {
        try (AgentClient c = scripted(r -> {
            if (r.type() == FrameType.HELLO) {
                return new Frame(FrameType.WELCOME, r.requestId(), welcome());
            }
            assertThat(r.header().has("encoding")).isFalse();
            Header h = Header.builder().put("model", 1).put("batch", 1).put("classes", 2).put("inferNanos", 1).build();
            return new Frame(FrameType.RESULT, r.requestId(), h, Tensors.toBytes(new float[] {0, 1}));
        })) {
            c.hello("t");
            ModelHandle m = new ModelHandle(1, "tflite", "x", "0", new int[] {1, 8}, false, 2, 0);
            assertThat(c.infer(m, new float[8], 1).encoding()).isEqualTo(Palette.FLOAT32);
        }
    }

    @Test
    void anAgentThatReadsOnlyPalette8GetsFloat32AboveTwoHundredFiftySixValues() throws Exception {
        Header welcome = Header.builder().put("protocol", 1).put("agent", "9.9").put("device", Map.of("model", "old"))
                .put("runtimes", List.of()).put("encodings", List.of("float32", "palette8")).build();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (AgentClient c = scripted(r -> {
            if (r.type() == FrameType.HELLO) {
                return new Frame(FrameType.WELCOME, r.requestId(), welcome);
            }
            try {
                seen.add(r.header().string("encoding", Palette.FLOAT32));
            } catch (ProtocolException e) {
                throw new IllegalStateException(e);
            }
            Header h = Header.builder().put("model", 1).put("batch", 1).put("classes", 1).put("inferNanos", 1).build();
            return new Frame(FrameType.RESULT, r.requestId(), h, Tensors.toBytes(new float[] {0}));
        })) {
            c.hello("t");
            ModelHandle m = new ModelHandle(1, "tflite", "x", "0", new int[] {1, 4096}, false, 1, 0);
            float[] few = new float[4096];
            float[] many = new float[4096];
            for (int i = 0; i < 4096; i++) {
                few[i] = (i % 256) / 255f;
                many[i] = (i % 300) / 299f;
            }
            c.infer(m, few, 1);
            c.infer(m, many, 1);
            assertThat(seen).containsExactly(Palette.PALETTE8, Palette.FLOAT32);
        }
    }
}
