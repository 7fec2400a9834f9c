package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.device.testbed.PhoneTestBed;

@Timeout(60)
class AdbServerTest {

    @TempDir
    Path temp;

    @Test
    void aMissingAdbNamesTheDebianPackageAndTheVariable() {
        assertThatThrownBy(() -> AdbServer.findAdb(Map.of("PATH", temp.toString())))
                .isInstanceOf(AdbUnavailableException.class)
                .hasMessageContaining("apt-get install adb").hasMessageContaining("MRW_ADB");
        assertThatThrownBy(() -> AdbServer.findAdb(Map.of("MRW_ADB", temp.resolve("nope").toString())))
                .isInstanceOf(AdbUnavailableException.class).hasMessageContaining("MRW_ADB");
    }

    @Test
    void aPortHeldBySomethingElseIsReportedNotTakenOver() throws Exception {
        Path adb = PhoneTestBed.requireAdb();
        try (ServerSocket other = new ServerSocket()) {
            other.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread t = new Thread(() -> {
                try (Socket s = other.accept()) {
                    s.getOutputStream().write("HTTP/1.0 400 Bad Request\r\n\r\n".getBytes());
                } catch (IOException ignored) {
                    // the test only needs one answer
                }
            });
            t.start();
            assertThatThrownBy(() -> AdbServer.start(adb, other.getLocalPort(), Map.of()))
                    .isInstanceOf(DeviceException.class).hasMessageContaining("not an adb server");
        }
    }

    @Test
    void aServerWeStartedIsKilledOnCloseAndAFoundOneIsLeftRunning() throws Exception {
        AdbServer ours = PhoneTestBed.startServer(temp.resolve("home"));
        assertThat(ours.startedHere()).isTrue();
        try (AdbServer found = AdbServer.start(ours.adbBinary(), ours.port(), Map.of())) {
            assertThat(found.startedHere()).isFalse();
            assertThat(found.devices()).isEmpty();
        }
        assertThat(ours.serverVersion()).isPositive();
        ours.close();
        assertThatThrownBy(ours::devices).isInstanceOf(AdbUnavailableException.class);
    }
}
