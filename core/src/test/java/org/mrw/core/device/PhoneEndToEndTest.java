package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.device.testbed.FakePhone;
import org.mrw.core.device.testbed.PhoneTestBed;
import org.mrw.core.experiment.DeviceTargets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * The whole phone path against the adb phone double, through a real adb server: deploy the built agent,
 * start it with the {@code app_process} shim, run zoo models in both agent runtimes on 200 test
 * images and get exactly the in-process predictions; unplug mid-session, replug, and carry on.
 */
@Timeout(300)
class PhoneEndToEndTest {

    private static final Path ZOO = Path.of(System.getProperty("mrw.zoo", "../models")).toAbsolutePath().normalize();
    private static final List<String> MODELS = List.of("resnet/resnet_float.tflite", "resnet/resnet_int8.tflite",
            "resnet/resnet_float.ptl", "resnet/resnet_int8.ptl");

    @TempDir
    Path temp;

    private FakePhone phone;
    private AdbServer server;

    @BeforeEach
    void startPhone() throws Exception {
        PhoneTestBed.requireAdb();
        Files.createDirectories(temp.resolve("phone"));
        phone = FakePhone.builder(temp.resolve("phone")).property("ro.product.model", "Pixel Fake 8")
                .property("ro.build.version.release", "14").property("ro.build.version.sdk", "34").abis("x86_64")
                .hostClasspath(System.getProperty("java.class.path")).start();
        server = PhoneTestBed.startServer(temp.resolve("adb-home"));
    }

    @AfterEach
    void stop() throws Exception {
        if (phone != null) {
            phone.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** adb connect to the phone double; returns its serial once online. */
    private String connectPhone() throws Exception {
        String serial = server.connect("127.0.0.1", phone.port());
        assertThat(server.awaitOnline(serial, Duration.ofSeconds(10))).isTrue();
        return serial;
    }

    /** Runs a spec with device targets into a fresh workspace of this test. */
    private ExperimentRunner.Summary run(String spec, DeviceTargets devices,
            SqliteResultsStore store, Progress progress) {
        ExperimentSpec experiment = ExperimentSpec.parse(spec, "spec.yaml");
        return new ExperimentRunner(experiment, spec, new ModelResolver(temp, ZOO),
                Datasets.fashionMnistTest(), devices).run(store, ExperimentRunner.Options.fresh(), progress,
                Cancellation.NONE);
    }

    @Test
    void zooModelsRunOnThePhoneInBothRuntimesExactlyAsInProcessAndASessionSurvivesAnUnplug() throws Exception {
        String serial = connectPhone();
        AdbDevice device = AdbDevices.list(server).get(0);
        AgentBundle bundle = AgentBundles.desktopX86(temp.resolve("bundle"));
        Dataset data = Datasets.fashionMnistTest();
        ImageBatch batch = data.batch(IntStream.range(0, 200).toArray());
        try (DeviceSession session = DeviceSession.open(device, bundle, 2)) {
            assertThat(session.deployed().pushed()).contains(AgentBundle.AGENT_JAR, "lib/x86_64/libtensorflowlite_jni.so");
            assertThat(session.agentInfo().runtime("tflite").available()).isTrue();
            assertThat(session.agentInfo().runtime("pytorch-lite").available()).isTrue();
            for (String name : MODELS) {
                try (DeviceClassifier remote = session.load(ZOO.resolve(name), null, 2);
                     Classifier local = Models.load(ZOO.resolve(name), null)) {
                    assertThat(remote.predict(batch)).as(name + " on the phone vs in-process").containsExactly(local.predict(batch));
                    assertThat(remote.deviceNanos()).isPositive();
                    assertThat(remote.requestBytes()).as("8-bit images go as a palette over adb")
                            .isLessThan(batch.size() * 28 * 28 + 1025);
                }
            }
            DeviceClassifier beforeUnplug = session.load(ZOO.resolve(MODELS.get(0)), null, 2);
            assertThat(beforeUnplug.predict(batch)).hasSize(200);
            phone.unplug();
            assertThatThrownBy(() -> beforeUnplug.logits(batch)).isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("reconnect");
        }
        phone.replug();
        device.reconnect();
        try (DeviceSession again = DeviceSession.open(device, bundle, 2);
             DeviceClassifier remote = again.load(ZOO.resolve(MODELS.get(0)), null, 2);
             Classifier local = Models.load(ZOO.resolve(MODELS.get(0)), null)) {
            assertThat(again.deployed().pushed()).as("unchanged files are not pushed again").isEmpty();
            assertThat(remote.predict(batch)).containsExactly(local.predict(batch));
        }
        device.close();
    }

    @Test
    void anExperimentJudgesOnThePhoneAndRidesOutAnUnplugWithoutLosingOrRepeatingABatch() throws Exception {
        String serial = connectPhone();
        String spec = """
                name: phone
                seed: 4
                dataset: {count: 60, selection: first}
                batchSize: 20
                groups:
                  - name: resnet
                    sources: [zoo:resnet_float_pt]
                    targets: [zoo:resnet_float_tflite, "device:%s/zoo:resnet_float_tflite", "device:%s/zoo:resnet_int8_ptl"]
                attacks:
                  - {name: fgsm, eps: [0.05]}
                """.formatted(serial, serial);
        AtomicInteger units = new AtomicInteger();
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        Thread[] unplugger = new Thread[1];
        Progress progress = (done, total, message) -> {
            messages.add(message);
            // pull the cable as the fifth unit starts, plug it back 2 s later
            if (done == 4 && units.getAndIncrement() == 0) {
                phone.unplug();
                unplugger[0] = new Thread(() -> {
                    try {
                        Thread.sleep(2000);
                    } catch (InterruptedException e) {
                        return;
                    }
                    phone.replug();
                });
                unplugger[0].start();
            }
        };
        AgentBundle bundle = AgentBundles.desktopX86(temp.resolve("bundle"));
        try (DeviceTargets devices = new DeviceTargets(
                s -> AdbDevice.viaServer(server, s), bundle, 2, progress);
             SqliteResultsStore store = SqliteResultsStore.open(temp.resolve("ws"))) {
            ExperimentRunner.Summary summary = run(spec, devices, store, progress);
            if (unplugger[0] != null) {
                unplugger[0].join();
            }
            // clean 3 targets × 60 + FGSM (float and rounded? no rounding here) 1 ε × 3 targets × 60
            assertThat(summary.rows()).isEqualTo(3 * 60 + 3 * 60);
            assertThat(messages).anyMatch(m -> m.contains("disconnected"));
            List<ResultRow> rows = store.rows(summary.runId());
            assertThat(rows.stream().map(r -> r.sample() + "/" + r.attack() + "/" + r.target()).distinct().count())
                    .as("no row twice").isEqualTo(rows.size());
            // the phone's TFLite judges exactly like the same file in this process
            Map<String, Integer> local = new HashMap<>();
            Map<String, Integer> onPhone = new HashMap<>();
            for (ResultRow r : rows) {
                if (r.target().equals("resnet_float_tflite")) {
                    local.put(r.sample() + r.attack(), r.prediction());
                } else if (r.target().equals("resnet_float_tflite@" + serial)) {
                    onPhone.put(r.sample() + r.attack(), r.prediction());
                }
            }
            assertThat(onPhone).hasSize(120).isEqualTo(local);
            // the run records the device and its runtimes
            assertThat(store.run(summary.runId()).orElseThrow().versions()).containsKey("device " + serial)
                    .hasEntrySatisfying("device " + serial, v -> assertThat(v).contains("tflite 2.6.2"));
        }
    }

    @Test
    void oneTargetSpreadOverThePhoneAndTheHostJudgesEachBatchInHalvesExactlyAsOneDevice() throws Exception {
        String serial = connectPhone();
        String spec = """
                name: spread
                seed: 2
                dataset: {count: 40, selection: first}
                batchSize: 20
                groups:
                  - name: resnet
                    sources: [zoo:resnet_float_pt]
                    targets: [zoo:resnet_float_tflite, "device:host+%s/zoo:resnet_float_tflite"]
                attacks:
                  - {name: fgsm, eps: [0.05]}
                """.formatted(serial);
        AgentBundle bundle = AgentBundles.desktopX86(temp.resolve("bundle"));
        try (DeviceTargets devices = new DeviceTargets(
                s -> s.equals(HostDevice.SERIAL) ? new HostDevice(temp.resolve("host")) : AdbDevice.viaServer(server, s),
                bundle, 1, Progress.NONE);
             SqliteResultsStore store = SqliteResultsStore.open(temp.resolve("ws"))) {
            ExperimentRunner.Summary summary = run(spec, devices, store, Progress.NONE);
            assertThat(summary.rows()).isEqualTo(2 * 40 + 2 * 40);
            assertThat(devices.versions()).containsKeys("device host", "device " + serial);
            Map<String, Integer> local = new HashMap<>();
            Map<String, Integer> spread = new HashMap<>();
            for (ResultRow r : store.rows(summary.runId())) {
                (r.target().equals("resnet_float_tflite") ? local : spread).put(r.sample() + r.attack(), r.prediction());
            }
            assertThat(spread).hasSize(80).isEqualTo(local);
        }
    }
}
