package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.device.testbed.EchoAgent;
import org.mrw.core.device.testbed.FakePhone;
import org.mrw.core.device.testbed.PhoneTestBed;

/**
 * The device layer against {@link FakePhone}, once through a real Debian adb server on a free port and
 * once straight to the phone's adbd port with dadb: list, deploy, start, stream, unplug, replug, stop.
 */
@Timeout(120)
class AdbDeviceTest {

    @TempDir
    Path temp;

    private FakePhone phone;
    private AdbServer server;
    private AdbDevice device;

    @BeforeEach
    void startPhone() throws IOException {
        Files.createDirectories(temp.resolve("phone"));
        phone = FakePhone.builder(temp.resolve("phone"))
                .property("ro.product.model", "Pixel Fake 8")
                .property("ro.product.manufacturer", "Google")
                .property("ro.build.version.release", "14")
                .property("ro.build.version.sdk", "34")
                .abis("arm64-v8a", "armeabi-v7a", "armeabi")
                .start();
    }

    @AfterEach
    void stopAll() throws IOException {
        if (device != null) {
            device.close();
        }
        if (phone != null) {
            phone.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private AdbDevice throughServer() throws IOException {
        server = PhoneTestBed.startServer(temp.resolve("adb-home"));
        String serial = server.connect("127.0.0.1", phone.port());
        assertThat(server.awaitOnline(serial, Duration.ofSeconds(10))).isTrue();
        List<AdbDevice> devices = AdbDevices.list(server);
        assertThat(devices).hasSize(1);
        return devices.get(0);
    }

    private AdbDevice direct() throws IOException {
        return AdbDevice.direct("127.0.0.1", phone.port(), null);
    }

    @Test
    void theServerListsThePhoneWithItsProperties() throws IOException {
        device = throughServer();
        assertThat(server.version()).contains("Android Debug Bridge");
        assertThat(server.serverVersion()).isPositive();
        assertThat(device.serial()).isEqualTo(phone.serial());
        assertThat(device.model()).isEqualTo("Pixel Fake 8");
        assertThat(device.manufacturer()).isEqualTo("Google");
        assertThat(device.androidVersion()).isEqualTo("14");
        assertThat(device.sdkLevel()).isEqualTo(34);
        assertThat(device.abis()).containsExactly("arm64-v8a", "armeabi-v7a", "armeabi");
        assertThat(device.host()).isFalse();
        assertThat(phone.shellCommands()).containsExactly("getprop");
    }

    @Test
    void throughTheAdbServerTheAgentDeploysStartsStreamsAndSurvivesAnUnplug() throws Exception {
        device = throughServer();
        lifecycle();
    }

    @Test
    void directToAdbdTheAgentDeploysStartsStreamsAndSurvivesAnUnplug() throws Exception {
        device = direct();
        assertThat(device.model()).isEqualTo("Pixel Fake 8");
        assertThat(device.serial()).isEqualTo(phone.serial());
        lifecycle();
    }

    /** Deploy twice, start the echo agent, stream small and large, unplug mid-stream, replug, stop. */
    private void lifecycle() throws Exception {
        AgentBundle bundle = AgentBundle.load(PhoneTestBed.writeBundle(temp.resolve("bundle"), List.of("x86_64", "armeabi-v7a")));

        DeployResult first = device.deploy(bundle);
        assertThat(first.abi()).isEqualTo("armeabi-v7a");
        assertThat(first.pushed()).containsExactly("agent.jar", "lib/armeabi-v7a/libmrw_armeabi_v7a.so", "manifest.json");
        assertThat(first.skipped()).isEmpty();
        assertThat(phone.pushedFiles()).hasSize(3);
        assertThat(Files.readAllBytes(phone.file("/data/local/tmp/mrw/agent.jar")))
                .isEqualTo(Files.readAllBytes(bundle.root().resolve("agent.jar")));
        assertThat(phone.file("/data/local/tmp/mrw/lib/x86_64")).doesNotExist();

        DeployResult second = device.deploy(bundle);
        assertThat(second.pushed()).isEmpty();
        assertThat(second.skipped()).hasSize(3);
        assertThat(phone.pushedFiles()).hasSize(3);

        int port = PhoneTestBed.freePort();
        StartOptions options = StartOptions.agent("t0ken", 2).withMainClass(EchoAgent.class.getName()).withPort(port);
        AgentProcess agent = device.startAgent(options);
        assertThat(phone.runningPrograms()).containsExactly(agent.pid());
        assertThat(device.logs()).contains("mrw-agent listening 127.0.0.1:" + port + " protocol 1")
                .contains("token=t0ken", "threads=2")
                // the double maps phone paths in the arguments under its root, as the phone's file system
                .containsPattern("libs=\\S*/data/local/tmp/mrw/lib/armeabi-v7a").containsPattern("dir=\\S*/data/local/tmp/mrw/models");

        try (DeviceStream s = device.openStream(port)) {
            assertThat(PhoneTestBed.echo(s.input(), s.output(), PhoneTestBed.text("hello phone"))).asString().isEqualTo("hello phone");
            byte[] big = new byte[4 * 1024 * 1024 + 17];
            new Random(7).nextBytes(big);
            assertThat(PhoneTestBed.echo(s.input(), s.output(), big)).isEqualTo(big);

            s.output().write(PhoneTestBed.text("before the cable goes"));
            s.output().flush();
            assertThat(s.input().readNBytes(21)).asString().isEqualTo("before the cable goes");
            phone.unplug();
            InputStream in = s.input();
            assertThatThrownBy(() -> {
                while (in.read() >= 0) {
                    // drain until the loss shows
                }
            }).isInstanceOf(DeviceDisconnectedException.class).hasMessageContaining("disconnected");
        }

        phone.replug();
        device.reconnect();
        try (DeviceStream s = device.openStream(port)) {
            assertThat(PhoneTestBed.echo(s.input(), s.output(), PhoneTestBed.text("after replug"))).asString().isEqualTo("after replug");
        }

        device.stopAgent();
        assertThat(phone.runningPrograms()).isEmpty();
        assertThat(device.logs()).contains("echo agent starting");
        assertThatThrownBy(() -> device.openStream(port)).isInstanceOf(DeviceException.class)
                .isNotInstanceOf(DeviceDisconnectedException.class);
    }

    @Test
    void anAgentThatNeverListensTimesOutWithItsLogTail() throws Exception {
        device = direct();
        device.deploy(AgentBundle.load(PhoneTestBed.writeBundle(temp.resolve("bundle"), List.of())));
        StartOptions wrong = StartOptions.agent("t", 1).withMainClass("org.example.Missing").withPort(PhoneTestBed.freePort())
                .withReadyTimeout(Duration.ofSeconds(10));
        assertThatThrownBy(() -> device.startAgent(wrong)).isInstanceOf(DeviceException.class)
                .hasMessageContaining("exited before listening").hasMessageContaining("org.example.Missing");
    }

    @Test
    void aFileNamedLikeAnInjectionIsPushedAsAFileAndNeverRun() throws Exception {
        Files.writeString(phone.root().resolve("sentinel"), "still here");
        String evil = "a'; rm -rf /; 'b.so";
        device = direct();
        AgentBundle bundle = AgentBundle.load(PhoneTestBed.writeBundle(temp.resolve("bundle"), List.of("arm64-v8a"), evil));

        DeployResult result = device.deploy(bundle);

        assertThat(result.pushed()).contains("lib/arm64-v8a/" + evil);
        assertThat(phone.file("/data/local/tmp/mrw/lib/arm64-v8a/" + evil)).exists();
        assertThat(phone.root().resolve("sentinel")).hasContent("still here");
        assertThat(device.deploy(bundle).skipped()).contains("lib/arm64-v8a/" + evil);
        // The name reached the shell only as one single-quoted word.
        assertThat(phone.shellCommands()).anySatisfy(c -> assertThat(c)
                .contains(" '/data/local/tmp/mrw/lib/arm64-v8a/a'\\''; rm -rf /; '\\''b.so' "));
        assertThat(phone.file("/data/local/tmp/mrw/agent.jar")).exists();
    }

    @Test
    void pathsAndSerialsWithControlCharactersAreRefused() {
        assertThatThrownBy(() -> ShellQuoting.quote("a\nrm -rf /")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuoting.devicePath("/data/local/tmp/../../system")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ShellQuoting.serial("abc; reboot")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AdbDevice.direct("127.0.0.1\n", 5555, null)).isInstanceOf(IllegalArgumentException.class);
        assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    }
}
