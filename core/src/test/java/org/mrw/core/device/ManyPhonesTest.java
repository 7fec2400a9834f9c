package org.mrw.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.Datasets;
import org.mrw.core.device.testbed.FakePhone;
import org.mrw.core.device.testbed.PhoneTestBed;
import org.mrw.core.experiment.DeviceTargets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * One target spread over two phone doubles at once: both share every run, the rows are those of one
 * device, and a phone that dies mid-run hands its share to the other, which finishes without waiting.
 * The adb server is reached as a "remote" one: host 127.0.0.1 and a non-default port, not started here.
 */
@Timeout(300)
class ManyPhonesTest {

    private static final Path ZOO = Path.of(System.getProperty("mrw.zoo", "../models")).toAbsolutePath().normalize();

    @TempDir
    Path temp;

    private final List<FakePhone> phones = new ArrayList<>();
    private AdbServer started;
    private AdbServer server;
    private final List<String> serials = new ArrayList<>();
    /** The doubles share this computer's loopback: one agent port each. */
    private final Map<String, Integer> agentPorts = new HashMap<>();

    @BeforeEach
    void startPhones() throws Exception {
        PhoneTestBed.requireAdb();
        started = PhoneTestBed.startServer(temp.resolve("adb-home"));
        server = AdbServer.start(started.adbBinary(), "127.0.0.1", started.port(), Map.of("HOME", temp.resolve("adb-home").toString()));
        assertThat(server.startedHere()).isFalse();
        for (String name : List.of("a", "b")) {
            Files.createDirectories(temp.resolve(name));
            FakePhone phone = FakePhone.builder(temp.resolve(name)).property("ro.product.model", "Pixel Fake " + name)
                    .property("ro.build.version.release", "14").property("ro.build.version.sdk", "34").abis("x86_64")
                    .hostClasspath(System.getProperty("java.class.path")).start();
            phones.add(phone);
            String serial = server.connect("127.0.0.1", phone.port());
            assertThat(server.awaitOnline(serial, Duration.ofSeconds(10))).isTrue();
            serials.add(serial);
            agentPorts.put(serial, PhoneTestBed.freePort());
        }
    }

    @AfterEach
    void stop() throws Exception {
        for (FakePhone p : phones) {
            p.close();
        }
        if (started != null) {
            started.close();
        }
    }

    private static String spec(String a, String b, int count) {
        return """
                name: many
                seed: 3
                dataset: {count: %d, selection: first}
                batchSize: 20
                groups:
                  - name: resnet
                    sources: [zoo:resnet_float_pt]
                    targets: [zoo:resnet_float_tflite, "device:%s+%s/zoo:resnet_float_tflite"]
                attacks:
                  - {name: fgsm, eps: [0.05]}
                """.formatted(count, a, b);
    }

    /** Runs the spec; returns predictions of the local target and of the spread one, sample+attack → class. */
    private List<Map<String, Integer>> run(DeviceTargets devices, Progress progress) throws Exception {
        return run(devices, progress, 60);
    }

    private List<Map<String, Integer>> run(DeviceTargets devices, Progress progress, int count) throws Exception {
        String spec = spec(serials.get(0), serials.get(1), count);
        try (SqliteResultsStore store = SqliteResultsStore.open(temp.resolve("ws"))) {
            ExperimentRunner.Summary summary = new ExperimentRunner(ExperimentSpec.parse(spec, "spec.yaml"), spec,
                    new ModelResolver(temp, ZOO), Datasets.fashionMnistTest(), devices)
                    .run(store, ExperimentRunner.Options.fresh(), progress, Cancellation.NONE);
            assertThat(summary.cancelled()).isFalse();
            assertThat(summary.rows()).isEqualTo(2 * count + 2 * count);
            List<ResultRow> rows = store.rows(summary.runId());
            assertThat(rows.stream().map(r -> r.sample() + "/" + r.attack() + "/" + r.target()).distinct().count())
                    .as("no row twice").isEqualTo(rows.size());
            Map<String, Integer> local = new HashMap<>();
            Map<String, Integer> spread = new HashMap<>();
            for (ResultRow r : rows) {
                (r.target().equals("resnet_float_tflite") ? local : spread).put(r.sample() + r.attack(), r.prediction());
            }
            return List.of(local, spread);
        }
    }

    @Test
    void bothPhonesShareEveryRunAndTheRowsAreThoseOfOneDevice() throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        Progress progress = (d, t, m) -> messages.add(m);
        try (DeviceTargets devices = new DeviceTargets(s -> AdbDevice.viaServer(server, s),
                AgentBundles.desktopX86(temp.resolve("bundle")), 1, progress).agentPorts(agentPorts::get)) {
            List<Map<String, Integer>> result = run(devices, progress);
            assertThat(result.get(1)).hasSize(120).isEqualTo(result.get(0));
            Map<String, double[]> rates = devices.throughput();
            assertThat(rates).containsOnlyKeys(serials);
            // 60 clean + 60 adversarial images, each judged once by one of the two phones
            assertThat(rates.values().stream().mapToDouble(r -> r[1]).sum()).isEqualTo(120);
            rates.forEach((serial, r) -> assertThat(r[1]).as(serial + " judged some").isPositive());
            rates.forEach((serial, r) -> assertThat(r[0]).as(serial + " images/s").isPositive());
            assertThat(messages).anyMatch(m -> m.contains("[devices: ") && m.contains(serials.get(0) + " ")
                    && m.contains(serials.get(1) + " ") && m.contains("img/s"));
            assertThat(devices.versions()).containsKeys("device " + serials.get(0), "device " + serials.get(1));
        }
    }

    @Test
    void aPhoneThatDiesMidRunHandsItsShareToTheOtherWhichFinishesWithoutWaiting() throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean killed = new AtomicBoolean();
        long[] killedAt = {0};
        FakePhone victim = phones.get(1);
        Progress progress = (done, total, m) -> {
            messages.add(m);
            // the spread target's second clean batch starts (units: local clean ×3, spread clean ×3, FGSM): phone b dies for good
            if (done == 4 && m.startsWith("clean") && killed.compareAndSet(false, true)) {
                try {
                    victim.close();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                killedAt[0] = System.nanoTime();
            }
        };
        try (DeviceTargets devices = new DeviceTargets(s -> AdbDevice.viaServer(server, s),
                AgentBundles.desktopX86(temp.resolve("bundle")), 1, progress).agentPorts(agentPorts::get)) {
            List<Map<String, Integer>> result = run(devices, progress);
            double afterKill = (System.nanoTime() - killedAt[0]) / 1e9;
            assertThat(killed).isTrue();
            assertThat(result.get(1)).as("nothing lost, nothing changed").hasSize(120).isEqualTo(result.get(0));
            assertThat(messages).anyMatch(m -> m.contains("device " + serials.get(1) + " dropped out"));
            // the dead phone never returns: had the run waited for it, it would have failed after 30 attempts
            assertThat(messages).noneMatch(m -> m.contains("did not come back") || m.contains("attempt 30/30"));
            Map<String, double[]> rates = devices.throughput();
            assertThat(rates.get(serials.get(0))[1]).as("the survivor judged the rest").isGreaterThan(60);
            System.out.printf("run went on %.1f s after the kill; %s%n", afterKill, devices.throughputLine());
        }
    }

    @Test
    void aPhoneUnpluggedMidRunRejoinsOnceBackWhileTheOtherCarriesOn() throws Exception {
        List<String> messages = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean unplugged = new AtomicBoolean();
        double[] beforeUnplug = {-1};
        FakePhone away = phones.get(1);
        String awaySerial = serials.get(1);
        Thread[] replugger = new Thread[1];
        DeviceTargets[] holder = new DeviceTargets[1];
        Progress progress = (done, total, m) -> {
            messages.add(m);
            // 200 images in batches of 20: local clean ×10, then the spread target's clean batches
            if (done == 11 && m.startsWith("clean") && unplugged.compareAndSet(false, true)) {
                beforeUnplug[0] = holder[0].throughput().getOrDefault(awaySerial, new double[2])[1];
                away.unplug();
                replugger[0] = new Thread(() -> {
                    try {
                        Thread.sleep(1500);
                    } catch (InterruptedException e) {
                        return;
                    }
                    away.replug();
                });
                replugger[0].start();
            } else if (done == 12 && m.startsWith("clean") && unplugged.get()) {
                // hold the run (this is its working thread) until the phone is back, so that a fast machine
                // cannot finish every batch before the rejoin happens; the wait is bounded
                long until = System.nanoTime() + 60_000_000_000L;
                while (System.nanoTime() < until && !mentions(messages, "device " + awaySerial + " is back")) {
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        };
        try (DeviceTargets devices = new DeviceTargets(s -> AdbDevice.viaServer(server, s),
                AgentBundles.desktopX86(temp.resolve("bundle")), 1, progress).agentPorts(agentPorts::get)) {
            holder[0] = devices;
            List<Map<String, Integer>> result = run(devices, progress, 200);
            replugger[0].join();
            assertThat(result.get(1)).hasSize(400).isEqualTo(result.get(0));
            assertThat(messages).anyMatch(m -> m.contains("device " + awaySerial + " dropped out"));
            assertThat(messages).anyMatch(m -> m.contains("device " + awaySerial + " is back and rejoins"));
            Map<String, double[]> rates = devices.throughput();
            assertThat(rates.get(awaySerial)[1]).as("judged more after it came back").isGreaterThan(beforeUnplug[0]);
            assertThat(rates.values().stream().mapToDouble(r -> r[1]).sum()).isEqualTo(400);
            System.out.println("rejoin: " + devices.throughputLine());
        }
    }

    /** Whether a message contains the text (the list is filled by other threads meanwhile). */
    private static boolean mentions(List<String> messages, String text) {
        synchronized (messages) {
            return messages.stream().anyMatch(m -> m.contains(text));
        }
    }
}
