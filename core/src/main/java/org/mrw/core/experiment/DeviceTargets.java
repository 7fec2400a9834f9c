package org.mrw.core.experiment;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.Device;
import org.mrw.core.device.DeviceClassifier;
import org.mrw.core.device.DeviceDisconnectedException;
import org.mrw.core.device.DeviceException;
import org.mrw.core.device.DeviceSession;
import org.mrw.core.model.InputSpec;
import org.mrw.core.task.Progress;

/**
 * The devices a run's targets live on: one agent session per device, opened on first use and shared
 * by its targets. A device that goes away mid-batch pauses its target: the batch is retried after the
 * device is back and the agent restarted, so no batch is lost or judged twice (a unit's rows commit
 * only after every target judged it). When it does not come back in time the run fails with what to
 * do, and {@code --resume} later finishes it.
 */
public final class DeviceTargets implements AutoCloseable {

    /** Finds a device by serial ({@code host} for this computer). */
    @FunctionalInterface
    public interface Finder {
        Device find(String serial) throws DeviceException;
    }

    /** How long a lost device may take to come back before the run gives up (each reconnect waits ~10 s). */
    static final int RECONNECT_ATTEMPTS = 30;

    private final Finder finder;
    private final AgentBundle bundle;
    private final int threads;
    private final Progress progress;
    private final Map<String, Device> devices = new LinkedHashMap<>();
    private final Map<String, DeviceSession> sessions = new LinkedHashMap<>();

    public DeviceTargets(Finder finder, AgentBundle bundle, int threads, Progress progress) {
        this.finder = finder;
        this.bundle = bundle;
        this.threads = threads;
        this.progress = progress;
    }

    synchronized DeviceSession session(String serial) {
        DeviceSession s = sessions.get(serial);
        if (s == null) {
            try {
                Device d = devices.get(serial);
                if (d == null) {
                    d = finder.find(serial);
                    devices.put(serial, d);
                }
                s = DeviceSession.open(d, bundle, threads);
            } catch (DeviceException e) {
                throw new UncheckedIOException(e);
            }
            sessions.put(serial, s);
        }
        return s;
    }

    /** Times one batch is retried on a device that came back. */
    static final int MAX_BATCH_TRIES = 3;

    private synchronized DeviceSession current(String serial) {
        return sessions.get(serial);
    }

    /** Closes the session of a lost device, waits for the device to return, and opens a new one. */
    synchronized DeviceSession reopen(String serial, DeviceDisconnectedException cause) {
        DeviceSession old = sessions.remove(serial);
        if (old != null) {
            old.close();
        }
        Device d = devices.get(serial);
        DeviceException last = cause;
        for (int attempt = 1; attempt <= RECONNECT_ATTEMPTS; attempt++) {
            progress.update(attempt, RECONNECT_ATTEMPTS, "device " + serial + " disconnected (" + cause.getMessage()
                    + "); waiting for it to come back, attempt " + attempt + "/" + RECONNECT_ATTEMPTS);
            try {
                d.reconnect();
                DeviceSession s = DeviceSession.open(d, bundle, threads);
                sessions.put(serial, s);
                return s;
            } catch (DeviceException e) {
                last = e;
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        throw new UncheckedIOException(new DeviceException("device " + serial + " did not come back; reconnect it and "
                + "run again with --resume (finished batches are kept)", last));
    }

    /**
     * What each device in use is and runs, for the run's provenance: {@code device SERIAL} → model,
     * Android version and ABI as the agent reports them, with the agent's and every runtime's version.
     */
    public synchronized Map<String, String> versions() {
        Map<String, String> v = new LinkedHashMap<>();
        sessions.forEach((serial, s) -> {
            org.mrw.protocol.AgentInfo a = s.agentInfo();
            StringBuilder b = new StringBuilder(a.deviceModel() + ", " + a.deviceOs() + ", " + a.deviceAbi()
                    + "; agent " + a.agentVersion());
            a.runtimes().forEach(r -> b.append("; ").append(r.name()).append(' ')
                    .append(r.available() ? r.version() : "unavailable"));
            v.put("device " + serial, b.toString());
        });
        return v;
    }

    /**
     * A target on a device, or on several ({@code SERIAL1+SERIAL2}: the same model on each, every batch
     * split across them and run in parallel, e.g. a shelf of identical phones).
     */
    Target target(String id, String serial, java.nio.file.Path file, InputSpec descriptor) {
        if (!serial.contains("+")) {
            return new DeviceTarget(id, serial, file, descriptor);
        }
        java.util.List<Target> parts = new java.util.ArrayList<>();
        for (String one : serial.split("\\+")) {
            parts.add(new DeviceTarget(id, one, file, descriptor));
        }
        return new SpreadTarget(id, parts);
    }

    @Override
    public synchronized void close() {
        sessions.values().forEach(DeviceSession::close);
        sessions.clear();
        for (Device d : devices.values()) {
            try {
                d.close();
            } catch (DeviceException | RuntimeException ignored) {
                // closing anyway
            }
        }
        devices.clear();
    }

    /** A model on a device: a {@link DeviceClassifier} that reloads itself after the device comes back. */
    private final class DeviceTarget implements Target {
        private final String id;
        private final String serial;
        private final java.nio.file.Path file;
        private final InputSpec descriptor;
        private DeviceClassifier model;
        private DeviceSession loadedIn;

        DeviceTarget(String id, String serial, java.nio.file.Path file, InputSpec descriptor) {
            this.id = id;
            this.serial = serial;
            this.file = file;
            this.descriptor = descriptor;
            model();
        }

        private DeviceClassifier model() {
            DeviceSession s = session(serial);
            if (model == null || loadedIn != s) {
                model = s.load(file, descriptor, threads);
                loadedIn = s;
            }
            return model;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String describe() {
            DeviceClassifier m = model();
            return m.info().format().displayName() + " in " + m.runtime() + " on device " + serial + ", "
                    + m.info().variant().name().toLowerCase(java.util.Locale.ROOT);
        }

        @Override
        public float[] logits(ImageBatch batch) {
            for (int tries = 1; ; tries++) {
                try {
                    return model().logits(batch);
                } catch (UncheckedIOException e) {
                    // a batch that kills the agent itself again and again is not a lost cable: give up
                    if (!(e.getCause() instanceof DeviceDisconnectedException lost) || tries >= MAX_BATCH_TRIES) {
                        throw e;
                    }
                    if (current(serial) == loadedIn) {
                        reopen(serial, lost);
                    } // else another target on this device reconnected already: model() reloads there
                }
            }
        }

        @Override
        public int numClasses() {
            return model().numClasses();
        }

        @Override
        public void close() {
            if (model != null) {
                model.close();
            }
        }
    }

    /**
     * One model on several devices: each batch is cut into as many contiguous slices as there are
     * devices, judged in parallel, and put back in order, so the results are those of one device
     * (the devices must run the same runtime build) in a fraction of the time.
     */
    static final class SpreadTarget implements Target {
        private final String id;
        private final java.util.List<Target> parts;
        private final java.util.concurrent.ExecutorService pool;

        SpreadTarget(String id, java.util.List<Target> parts) {
            this.id = id;
            this.parts = java.util.List.copyOf(parts);
            this.pool = java.util.concurrent.Executors.newFixedThreadPool(parts.size(), r -> {
                Thread t = new Thread(r, "mrw-device-" + id);
                t.setDaemon(true);
                return t;
            });
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public String describe() {
            return parts.get(0).describe() + ", spread over " + parts.size() + " devices";
        }

        @Override
        public float[] logits(ImageBatch batch) {
            int n = batch.size();
            int k = Math.min(parts.size(), n);
            int classes = numClasses();
            java.util.List<java.util.concurrent.Future<float[]>> slices = new java.util.ArrayList<>();
            int[] starts = new int[k + 1];
            for (int i = 0; i <= k; i++) {
                starts[i] = (int) ((long) n * i / k);
            }
            for (int i = 0; i < k; i++) {
                Target part = parts.get(i);
                ImageBatch slice = batch.slice(starts[i], starts[i + 1]);
                slices.add(pool.submit(() -> part.logits(slice)));
            }
            float[] out = new float[n * classes];
            for (int i = 0; i < k; i++) {
                try {
                    float[] scores = slices.get(i).get();
                    System.arraycopy(scores, 0, out, starts[i] * classes, scores.length);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("interrupted while devices judged a batch");
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException r) {
                        throw r;
                    }
                    throw new IllegalStateException(e.getCause());
                }
            }
            return out;
        }

        @Override
        public int numClasses() {
            return parts.get(0).numClasses();
        }

        @Override
        public void close() {
            pool.shutdownNow();
            parts.forEach(Target::close);
        }
    }
}
