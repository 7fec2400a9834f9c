package org.mrw.core.figure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Targets as a run stores them ({@code MODEL@SERIAL} for devices) and as a spec names them. */
class ReportCurvesPlatformTest {

    @Test
    void storedDeviceTargetsAreDrawnWhereTheyRan() {
        assertThat(ReportCurves.platform("resnet_float_tflite@host")).isEqualTo(Platform.HOST_DEVICE);
        assertThat(ReportCurves.platform("resnet_float_tflite@R5CT10ABC")).isEqualTo(Platform.MOBILE);
        assertThat(ReportCurves.platform("resnet_float_tflite@host+R5CT10ABC")).isEqualTo(Platform.MOBILE);
    }

    @Test
    void specNamesAndInProcessFilesToo() {
        assertThat(ReportCurves.platform("device:host/zoo:resnet_float_tflite")).isEqualTo(Platform.HOST_DEVICE);
        assertThat(ReportCurves.platform("resnet_float_tflite")).isEqualTo(Platform.MOBILE);
        assertThat(ReportCurves.platform("resnet_float_pt")).isEqualTo(Platform.PC);
    }
}
