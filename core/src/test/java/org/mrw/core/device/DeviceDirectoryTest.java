package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The directory without adb: no phones, a note that says what to install, and the host device still there. */
class DeviceDirectoryTest {

    @Test
    void withoutAdbThereAreNoPhonesAndTheProblemSaysWhatToInstall() throws Exception {
        try (DeviceDirectory directory = new DeviceDirectory(Map.of("PATH", "/nonexistent"))) {
            assertThat(directory.phones()).isEmpty();
            assertThat(directory.adbProblem()).get().asString().contains("apt-get install adb");
            assertThat(directory.open(HostDevice.SERIAL).host()).isTrue();
            assertThatThrownBy(() -> directory.open("R58M123")).isInstanceOf(DeviceException.class)
                    .hasMessageContaining("R58M123").hasMessageContaining("install adb");
        }
    }

    @Test
    void theAdbPortComesFromTheEnvironmentOrIsAdbsDefault() throws Exception {
        try (DeviceDirectory standard = new DeviceDirectory(Map.of());
             DeviceDirectory custom = new DeviceDirectory(Map.of("ANDROID_ADB_SERVER_PORT", "5099"))) {
            assertThat(standard.adbPort()).isEqualTo(5037);
            assertThat(custom.adbPort()).isEqualTo(5099);
        }
    }

    @Test
    void theAdbHostComesFromTheEnvironmentOrIsThisComputer() throws Exception {
        try (DeviceDirectory standard = new DeviceDirectory(Map.of());
             DeviceDirectory farm = new DeviceDirectory(Map.of("ANDROID_ADB_SERVER_HOST", " 127.0.0.1 "))) {
            assertThat(standard.adbHost()).isEqualTo(AdbServer.LOCAL);
            assertThat(farm.adbHost()).isEqualTo("127.0.0.1");
        }
    }
}
