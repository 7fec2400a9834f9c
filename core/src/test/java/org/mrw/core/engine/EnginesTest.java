package org.mrw.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.util.Utils;
import org.junit.jupiter.api.Test;

class EnginesTest {

    @Test
    void djlRunsOfflineAndOptedOutOfTracking() {
        Engines.pytorch();
        assertThat(Engines.offline()).isTrue();
        assertThat(Utils.isOfflineMode()).as("DJL's own view of offline mode").isTrue();
        // DJL's Ec2Utils.callHome reads OPT_OUT_TRACKING from the environment or system properties.
        assertThat(Utils.getEnvOrSystemProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    @Test
    void oneDnnIsCappedSoPyTorchResultsAreRight() {
        assertThat(System.getenv(Engines.ONEDNN_ISA_VARIABLE)).as("Surefire sets the oneDNN cap").isNotBlank();
    }

    @Test
    void tfliteReportsTheDesktopInterpreterVersion() {
        assertThat(Engines.tflite().version()).isEqualTo("2.6.2");
        assertThat(Engines.cacheDir().resolve("tflite-2.6.2").resolve("libtensorflowlite_jni.so")).isRegularFile();
    }

    @Test
    void everyEngineStartsOnlyOnce() {
        assertThat(Engines.onnxRuntime()).isSameAs(Engines.onnxRuntime());
    }
}
