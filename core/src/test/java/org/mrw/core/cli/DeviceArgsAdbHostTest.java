package org.mrw.core.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.device.AdbServer;
import org.mrw.core.device.testbed.FakePhone;
import org.mrw.core.device.testbed.PhoneTestBed;
import picocli.CommandLine;

/**
 * {@code --adb-host HOST --adb-port N} reaches the devices of an adb server that this process did not
 * start. The "other machine" is a second adb server on a free 127.0.0.1 port (tests talk to nothing else).
 */
@Timeout(120)
class DeviceArgsAdbHostTest {

    @TempDir
    Path temp;

    @Test
    void aDeviceListedByAnAdbServerGivenByHostAndPortIsFoundAndAnswers() throws Exception {
        PhoneTestBed.requireAdb();
        Files.createDirectories(temp.resolve("phone"));
        try (FakePhone phone = FakePhone.builder(temp.resolve("phone")).property("ro.product.model", "Remote Fake")
                .abis("x86_64").start();
             AdbServer other = PhoneTestBed.startServer(temp.resolve("adb-home"))) {
            // "adb connect HOST:PORT" on that server: its serial is host:port
            String serial = other.connect("127.0.0.1", phone.port());
            assertThat(other.awaitOnline(serial, Duration.ofSeconds(10))).isTrue();
            DeviceArgs args = CommandLine.populateCommand(new DeviceArgs(),
                    "--adb-host", "127.0.0.1", "--adb-port", Integer.toString(other.port()));
            assertThat(args.host()).isEqualTo("127.0.0.1");
            try (DeviceArgs.Selected selected = args.open(serial)) {
                assertThat(selected.server().port()).isEqualTo(other.port());
                assertThat(selected.server().startedHere()).as("a running server is used, not started").isFalse();
                assertThat(selected.device().serial()).isEqualTo(serial);
                assertThat(selected.device().model()).isEqualTo("Remote Fake");
            }
            try (DeviceArgs.Listing listing = args.list()) {
                assertThat(listing.devices()).anyMatch(d -> d.serial().equals(serial));
            }
            assertThat(other.devices()).as("the server outlives the command that used it")
                    .anyMatch(e -> e.serial().equals(serial));
        }
    }
}
