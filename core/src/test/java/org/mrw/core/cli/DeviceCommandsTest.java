package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.mrw.core.device.testbed.PhoneTestBed;

/** mrw devices and device-eval on this computer: the host device is always listed and runs models. */
@Timeout(180)
class DeviceCommandsTest {

    @Test
    void devicesListsTheHostDeviceWithItsAbi() throws Exception {
        PhoneTestBed.requireAdb();
        int port = PhoneTestBed.freePort();
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("devices", "--adb-port", String.valueOf(port), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode host = r.json().get("devices").get(0);
        assertThat(host.get("serial").asText()).isEqualTo("host");
        assertThat(host.get("host").asBoolean()).isTrue();
        assertThat(host.get("abi").asText()).isNotBlank();
        assertThat(r.json().get("adbPort").asInt()).isEqualTo(port);
    }

    @Test
    void deviceEvalOnTheHostMatchesEvalInProcess() throws Exception {
        String model = "../models/mobilenetv2/mobilenetv2_int8.tflite";
        MrwCommandLineTest.Run onDevice = MrwCommandLineTest.mrw("device-eval", "--model", model, "--limit", "300", "--json");
        assertThat(onDevice.exit()).as(onDevice.err()).isZero();
        MrwCommandLineTest.Run local = MrwCommandLineTest.mrw("eval", "--model", model, "--limit", "300", "--json");
        assertThat(onDevice.json().get("device").asText()).isEqualTo("host");
        assertThat(onDevice.json().get("runtime").asText()).isEqualTo("tflite");
        assertThat(onDevice.json().get("variant").asText()).isEqualTo("int8");
        assertThat(onDevice.json().get("correct").asInt()).isEqualTo(local.json().get("correct").asInt());
        assertThat(onDevice.json().get("imagesPerSecond").asDouble()).isPositive();

        MrwCommandLineTest.Run wrong = MrwCommandLineTest.mrw("device-eval", "--model", "../models/resnet/resnet_float.onnx", "--json");
        assertThat(wrong.exit()).isEqualTo(2);
        assertThat(wrong.json().get("error").asText()).contains("only .tflite");
        MrwCommandLineTest.Run mismatch = MrwCommandLineTest.mrw("device-eval", "--model", model, "--runtime", "pytorch-lite", "--json");
        assertThat(mismatch.exit()).isEqualTo(2);
        assertThat(mismatch.json().get("error").asText()).contains("runs in tflite");
    }

    @Test
    void benchAgentTimesBothBatchEncodingsOnTheHost() throws Exception {
        MrwCommandLineTest.Run r = MrwCommandLineTest.mrw("bench", "agent", "--model", "../models/resnet/resnet_float.tflite",
                "--images", "200", "--repeats", "1", "--single", "20", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().get("device").asText()).isEqualTo("host");
        JsonNode result = r.json().get("results").get(0);
        assertThat(result.get("samePredictions").asBoolean()).isTrue();
        assertThat(result.get("encoding").asText()).isEqualTo("palette");
        assertThat(result.get("agentToInProcess").asDouble()).isPositive();
        JsonNode payloads = result.get("payloads");
        assertThat(payloads.get("float32").get("requestBytesPerBatch").asDouble()).isEqualTo(100 * 784 * 4);
        assertThat(payloads.get("palette").get("requestBytesPerBatch").asDouble()).isBetween(100 * 784 + 4.0, 100 * 784 + 1024.0);
        assertThat(result.get("requestBytesPerBatch").asDouble()).isEqualTo(payloads.get("palette").get("requestBytesPerBatch").asDouble());
        assertThat(result.get("roundTripP50Millis").asDouble()).isPositive();
    }
}
