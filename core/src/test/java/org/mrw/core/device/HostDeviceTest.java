package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;

/** The host device: the real agent jar as a local process, reached over loopback. */
@Timeout(180)
class HostDeviceTest {

    private static final Path ZOO = Path.of(System.getProperty("mrw.zoo", "../models")).toAbsolutePath().normalize();

    @TempDir
    Path temp;

    @Test
    void theHostAgentRunsTfliteAndPytorchLiteLikeInProcessAndStopsCleanly() throws Exception {
        HostDevice host = new HostDevice(temp.resolve("host"));
        ImageBatch batch = Datasets.fashionMnistTest().batch(IntStream.range(0, 300).toArray());
        AgentBundle bundle = AgentBundle.locate();
        try (DeviceSession session = DeviceSession.open(host, bundle, 2)) {
            assertThat(session.deployed().pushed()).containsExactly(AgentBundle.AGENT_JAR);
            assertThat(session.agentInfo().runtime("tflite").version()).isEqualTo("2.6.2");
            for (String name : new String[] {"mobilenetv2/mobilenetv2_float.tflite", "inception/inception_int8.ptl"}) {
                try (DeviceClassifier remote = session.load(ZOO.resolve(name), null, 2);
                     Classifier local = Models.load(ZOO.resolve(name), null)) {
                    assertThat(remote.info().id()).endsWith("@host");
                    assertThat(remote.predict(batch)).as(name).containsExactly(local.predict(batch));
                    assertThat(remote.requestBytes()).as("8-bit images go as a palette").isLessThan(batch.size() * 28 * 28 + 1025);
                    remote.allowPalette(false);
                    assertThat(remote.logits(batch)).as(name + ", float32 batch").containsExactly(local.logits(batch));
                    assertThat(remote.requestBytes()).isGreaterThan(4L * batch.size() * 28 * 28);
                    remote.allowPalette(true); // the connection's setting, shared by its models
                }
            }
            assertThatThrownBy(() -> session.load(ZOO.resolve("resnet/resnet_float.onnx"), null, 2))
                    .isInstanceOf(ModelLoadException.class).hasMessageContaining("only .tflite");
            long pid = session.process().pid();
            assertThat(ProcessHandle.of(pid)).isPresent();
            session.close();
            assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
            assertThat(host.logs()).contains("mrw-agent listening 127.0.0.1:");
        }
        // a second session skips the unchanged jar
        try (DeviceSession again = DeviceSession.open(host, bundle, 1)) {
            assertThat(again.deployed().pushed()).isEmpty();
        }
    }
}
