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
 * do, and {@code --resume} later finishes it. In a spread target the other devices take over a lost
 * device's share instead, and it rejoins when it is back (see {@link SpreadTarget}).
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
    private final Map<String, Object> reconnecting = new java.util.HashMap<>();
    private final Map<String, Rate> rates = new LinkedHashMap<>();
    private final java.util.List<SpreadTarget> spreads = new java.util.ArrayList<>();

    public DeviceTargets(Finder finder, AgentBundle bundle, int threads, Progress progress) {
        this.finder = finder;
        this.bundle = bundle;
        this.threads = threads;
        this.progress = progress;
    }

    private java.util.function.ToIntFunction<String> agentPort = serial -> org.mrw.core.device.StartOptions.DEFAULT_PORT;

    /**
     * The port the agent listens on, per device serial (default {@value org.mrw.core.device.StartOptions#DEFAULT_PORT}):
     * phone doubles in tests share this computer's loopback, so each needs its own.
     */
    public synchronized DeviceTargets agentPorts(java.util.function.ToIntFunction<String> port) {
        this.agentPort = port;
        return this;
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
                s = DeviceSession.open(d, bundle, threads, agentPort.applyAsInt(serial));
            } catch (DeviceException e) {
                throw new UncheckedIOException(e);
            }
            sessions.put(serial, s);
        }
        return s;
    }

    /** Times one batch is retried on a device that came back. */
    static final int MAX_BATCH_TRIES = 3;

    /** One lock per serial: a device's reconnection must not hold up the other devices of the run. */
    private synchronized Object lockFor(String serial) {
        return reconnecting.computeIfAbsent(serial, k -> new Object());
    }

    /**
     * Closes the session of a lost device, waits for the device to return, and opens a new one. When
     * another target on the device reconnected it meanwhile ({@code stale} is no longer current), that
     * session is used.
     */
    DeviceSession reopen(String serial, DeviceDisconnectedException cause, DeviceSession stale) {
        synchronized (lockFor(serial)) {
            Device d;
            synchronized (this) {
                DeviceSession now = sessions.get(serial);
                if (now != null && now != stale) {
                    return now;
                }
                sessions.remove(serial);
                d = devices.get(serial);
            }
            if (stale != null) {
                stale.close();
            }
            DeviceException last = cause;
            for (int attempt = 1; attempt <= RECONNECT_ATTEMPTS; attempt++) {
                progress.update(attempt, RECONNECT_ATTEMPTS, "device " + serial + " disconnected (" + cause.getMessage()
                        + "); waiting for it to come back, attempt " + attempt + "/" + RECONNECT_ATTEMPTS);
                try {
                    d.reconnect();
                    DeviceSession s = DeviceSession.open(d, bundle, threads, agentPort.applyAsInt(serial));
                    synchronized (this) {
                        sessions.put(serial, s);
                    }
                    return s;
                } catch (DeviceException e) {
                    last = e;
                    if (Thread.currentThread().isInterrupted()) {
                        break;
                    }
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
    }

    /** Images one device judged and the time its calls took, for its throughput. */
    private static final class Rate {
        long images;
        long nanos;
    }

    private synchronized void count(String serial, int images, long nanos) {
        Rate r = rates.computeIfAbsent(serial, k -> new Rate());
        r.images += images;
        r.nanos += nanos;
    }

    /**
     * Throughput of each device that judged images so far: serial → images per second of the time its
     * calls took (transfer included), and how many images. Shows how a spread target's work divided.
     */
    public synchronized Map<String, double[]> throughput() {
        Map<String, double[]> t = new LinkedHashMap<>();
        rates.forEach((serial, r) -> t.put(serial, new double[] {r.nanos == 0 ? 0 : r.images / (r.nanos / 1e9), r.images}));
        return t;
    }

    /** {@link #throughput()} in one line, e.g. {@code A 310 img/s (600), B 290 img/s (560)}; empty before any batch. */
    public String throughputLine() {
        StringBuilder b = new StringBuilder();
        throughput().forEach((serial, t) -> b.append(b.length() == 0 ? "" : ", ").append(serial)
                .append(String.format(java.util.Locale.ROOT, " %.0f img/s (%d)", t[0], (long) t[1])));
        return b.toString();
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
     * shared among them and run in parallel, e.g. a shelf of identical phones).
     */
    Target target(String id, String serial, java.nio.file.Path file, InputSpec descriptor) {
        if (!serial.contains("+")) {
            return new DeviceTarget(id, serial, file, descriptor);
        }
        java.util.List<DeviceTarget> parts = new java.util.ArrayList<>();
        for (String one : serial.split("\\+")) {
            parts.add(new DeviceTarget(id, one, file, descriptor));
        }
        SpreadTarget spread = new SpreadTarget(id, parts);
        synchronized (this) {
            spreads.add(spread);
        }
        return spread;
    }

    @Override
    public void close() {
        java.util.List<SpreadTarget> open;
        synchronized (this) {
            open = java.util.List.copyOf(spreads);
            spreads.clear();
        }
        // stop waiting for lost devices first: the run is over
        open.forEach(SpreadTarget::stopRejoining);
        synchronized (this) {
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
    }

    /** A model on a device: a {@link DeviceClassifier} that reloads itself after the device comes back. */
    private final class DeviceTarget implements Target {
        private final String id;
        private final String serial;
        private final java.nio.file.Path file;
        private final InputSpec descriptor;
        private final int classes;
        private DeviceClassifier model;
        private DeviceSession loadedIn;

        DeviceTarget(String id, String serial, java.nio.file.Path file, InputSpec descriptor) {
            this.id = id;
            this.serial = serial;
            this.file = file;
            this.descriptor = descriptor;
            this.classes = model().numClasses();
        }

        private synchronized DeviceClassifier model() {
            DeviceSession s = session(serial);
            if (model == null || loadedIn != s) {
                model = s.load(file, descriptor, threads);
                loadedIn = s;
            }
            return model;
        }

        private synchronized DeviceSession loadedIn() {
            return loadedIn;
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

        /** One try: a lost device throws (an {@link UncheckedIOException} around {@link DeviceDisconnectedException}). */
        float[] logitsOnce(ImageBatch batch) {
            long t0 = System.nanoTime();
            float[] scores = model().logits(batch);
            count(serial, batch.size(), System.nanoTime() - t0);
            return scores;
        }

        @Override
        public float[] logits(ImageBatch batch) {
            for (int tries = 1; ; tries++) {
                try {
                    return logitsOnce(batch);
                } catch (UncheckedIOException e) {
                    // a batch that kills the agent itself again and again is not a lost cable: give up
                    if (!(e.getCause() instanceof DeviceDisconnectedException lost) || tries >= MAX_BATCH_TRIES) {
                        throw e;
                    }
                    reopen(serial, lost, loadedIn()); // or the session another target on this device reopened
                }
            }
        }

        @Override
        public int numClasses() {
            return classes;
        }

        @Override
        public void close() {
            if (model != null) {
                model.close();
            }
        }
    }

    /**
     * One model on several devices. Each batch is cut into contiguous pieces (two per device in use) that
     * the devices take from a shared queue, judge in parallel, and put back in order, so the results
     * are those of one device (the devices must run the same runtime build) in a fraction of the time,
     * and a faster device takes more pieces. A device that drops out hands its piece back to the queue
     * at once and the others finish the batch; it reconnects in the background and takes pieces again
     * once it is back. Only when every device is away does the batch wait for one to return.
     */
    final class SpreadTarget implements Target {
        private final String id;
        private final java.util.List<DeviceTarget> parts;
        private final java.util.concurrent.ExecutorService pool;
        /** Per part: null while up, else its reconnection (done with null when it is back, or failed). */
        private final java.util.Map<DeviceTarget, java.util.concurrent.CompletableFuture<Void>> away =
                new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.List<Thread> rejoiners = new java.util.concurrent.CopyOnWriteArrayList<>();

        SpreadTarget(String id, java.util.List<DeviceTarget> parts) {
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
            return up().get(0).describe() + ", spread over " + parts.size() + " devices";
        }

        /** Parts not away; when all are away, waits for the first to come back (or fails when none can). */
        private java.util.List<DeviceTarget> up() {
            while (true) {
                java.util.List<DeviceTarget> up = parts.stream().filter(p -> !away.containsKey(p)).toList();
                if (!up.isEmpty()) {
                    return up;
                }
                java.util.List<java.util.concurrent.CompletableFuture<Void>> pending = java.util.List.copyOf(away.values());
                if (pending.stream().allMatch(f -> f.isCompletedExceptionally())) {
                    try {
                        pending.get(0).join();
                    } catch (java.util.concurrent.CompletionException e) {
                        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                    }
                }
                try {
                    java.util.concurrent.CompletableFuture.anyOf(pending.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                            .exceptionally(e -> null).get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.util.concurrent.CancellationException("interrupted while waiting for a device");
                } catch (java.util.concurrent.ExecutionException e) {
                    // checked again above
                }
            }
        }

        /** Marks a part away and reconnects it in the background; the batch goes on without it. */
        private void lost(DeviceTarget part, DeviceDisconnectedException cause) {
            DeviceSession stale = part.loadedIn();
            java.util.concurrent.CompletableFuture<Void> back = new java.util.concurrent.CompletableFuture<>();
            if (away.putIfAbsent(part, back) != null) {
                return;
            }
            progress.update(0, RECONNECT_ATTEMPTS, "device " + part.serial + " dropped out (" + cause.getMessage()
                    + "); the other devices of " + id + " take over its share");
            Thread t = new Thread(() -> {
                try {
                    reopen(part.serial, cause, stale);
                    away.remove(part);
                    back.complete(null);
                    progress.update(0, RECONNECT_ATTEMPTS, "device " + part.serial + " is back and rejoins " + id);
                } catch (RuntimeException e) {
                    back.completeExceptionally(e);
                }
            }, "mrw-rejoin-" + part.serial);
            t.setDaemon(true);
            rejoiners.add(t);
            t.start();
        }

        void stopRejoining() {
            rejoiners.forEach(Thread::interrupt);
            for (Thread t : rejoiners) {
                try {
                    t.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public float[] logits(ImageBatch batch) {
            int n = batch.size();
            float[] out = new float[n * classesOf()];
            if (n == 0) {
                return out;
            }
            int pieces = Math.min(n, 2 * up().size());
            java.util.concurrent.ConcurrentLinkedQueue<int[]> todo = new java.util.concurrent.ConcurrentLinkedQueue<>();
            for (int i = 0; i < pieces; i++) {
                // {start, end, failures}
                todo.add(new int[] {(int) ((long) n * i / pieces), (int) ((long) n * (i + 1) / pieces), 0});
            }
            java.util.concurrent.atomic.AtomicInteger left = new java.util.concurrent.atomic.AtomicInteger(pieces);
            java.util.concurrent.ExecutorCompletionService<DeviceTarget> done =
                    new java.util.concurrent.ExecutorCompletionService<>(pool);
            java.util.Set<DeviceTarget> working = new java.util.HashSet<>();
            int running = 0;
            try {
                while (left.get() > 0) {
                    if (!todo.isEmpty()) {
                        for (DeviceTarget part : working.isEmpty() ? up() : parts) {
                            if (!away.containsKey(part) && working.add(part)) {
                                done.submit(() -> work(part, batch, todo, left, out));
                                running++;
                            }
                        }
                    }
                    // a worker ends when the queue is empty or its device dropped out; look again then,
                    // and now and then for a device that came back
                    java.util.concurrent.Future<DeviceTarget> f = done.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (f != null) {
                        running--;
                        working.remove(f.get());
                    }
                }
                return out;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.util.concurrent.CancellationException("interrupted while devices judged a batch");
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            } finally {
                // a failed batch: let the other workers drain before the next batch reuses the pool
                todo.clear();
                for (; running > 0; running--) {
                    try {
                        done.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }

        /** Takes pieces until none is left or the device drops out (its piece goes back to the queue). */
        private DeviceTarget work(DeviceTarget part, ImageBatch batch, java.util.Queue<int[]> todo,
                java.util.concurrent.atomic.AtomicInteger left, float[] out) {
            int classes = classesOf();
            for (int[] piece; (piece = todo.poll()) != null; ) {
                try {
                    float[] scores = part.logitsOnce(batch.slice(piece[0], piece[1]));
                    System.arraycopy(scores, 0, out, piece[0] * classes, scores.length);
                    left.decrementAndGet();
                } catch (UncheckedIOException e) {
                    // a piece that kills every agent it meets is not a lost cable: give up
                    if (!(e.getCause() instanceof DeviceDisconnectedException lost) || ++piece[2] >= MAX_BATCH_TRIES) {
                        throw e;
                    }
                    todo.add(piece);
                    lost(part, lost);
                    return part;
                }
            }
            return part;
        }

        private int classesOf() {
            return parts.get(0).numClasses();
        }

        @Override
        public int numClasses() {
            return classesOf();
        }

        @Override
        public void close() {
            stopRejoining();
            pool.shutdownNow();
            parts.forEach(Target::close);
        }
    }
}
