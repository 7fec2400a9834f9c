package org.mrw.agent.android;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mrw.agent.runtime.InferenceRuntime.RuntimeFailure;

/** What can be checked without Android: names, argument checks and ABI mapping. No native code runs. */
class PytorchLiteRuntimeTest {

    @Test
    void namesItselfForTheWire() throws RuntimeFailure {
        PytorchLiteRuntime runtime = new PytorchLiteRuntime();
        assertThat(runtime.name()).isEqualTo("pytorch-lite");
        assertThat(runtime.version()).isEqualTo("1.12.2");
    }

    @Test
    void refusesToLoadWithoutAnInputShape() {
        assertThatThrownBy(() -> new PytorchLiteRuntime().load(new File("m.ptl"), 1))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("input shape");
    }

    @Test
    void refusesShapesThatAreNotABatchOfOneOrTooLarge() {
        assertThatThrownBy(() -> PytorchLiteRuntime.sampleElements(new int[] {2, 1, 28, 28})).isInstanceOf(RuntimeFailure.class);
        assertThatThrownBy(() -> PytorchLiteRuntime.sampleElements(new int[] {1, 0, 28})).isInstanceOf(RuntimeFailure.class);
        assertThatThrownBy(() -> PytorchLiteRuntime.sampleElements(new int[] {1, 65536, 65536})).isInstanceOf(RuntimeFailure.class);
        assertThatThrownBy(() -> PytorchLiteRuntime.sampleElements(new int[] {1})).isInstanceOf(RuntimeFailure.class);
    }

    @Test
    void countsElementsPerSample() throws RuntimeFailure {
        assertThat(PytorchLiteRuntime.sampleElements(new int[] {1, 3, 32, 32})).isEqualTo(3072);
    }

    @Test
    void aMissingModelFileFailsBeforeAnyNativeCode() {
        assertThatThrownBy(() -> new PytorchLiteRuntime().load(new File("no-such.ptl"), 1, new int[] {1, 1, 28, 28}))
                .isInstanceOf(RuntimeFailure.class).hasMessageContaining("no-such.ptl");
    }

    @ParameterizedTest
    @CsvSource({"aarch64,arm64-v8a", "armv7l,armeabi-v7a", "armv8l,armeabi-v7a", "x86_64,x86_64", "i686,x86", "amd64,x86_64"})
    void mapsTheJvmArchitectureToAnAndroidAbiFolder(String osArch, String abi) {
        assertThat(PhoneNativeLibraries.abi(osArch)).isEqualTo(abi);
    }

    @Test
    void loadsPytorchLibrariesDependenciesFirst() {
        assertThat(PhoneNativeLibraries.PYTORCH_LOAD_ORDER).containsExactly("c++_shared", "fbjni", "pytorch_jni_lite");
    }
}
