package org.mrw.core.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.device.DeviceClassifier;
import org.mrw.core.device.DeviceSession;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.model.tflite.TfliteClassifier;

/**
 * The cost of running a model through the agent instead of in this JVM: the same file, images, batch
 * size and thread count, once in-process and once on a device (normally the host device, where both
 * run the same desktop runtime, so the difference is the protocol, the copy and the process hop). Also
 * the round trip of a one-image request, the latency floor of a device target.
 */
public final class AgentBenchmark {

    /**
     * Timing of one model: in-process and agent throughput with the device's default batch encoding,
     * their ratio, the same with each payload encoding, and single-image round trips.
     */
    public record Result(String model, String runtime, int images, int batchSize, double inProcessImagesPerSecond,
                         String encoding, Payload asDefault, Payload float32, Payload palette, double roundTripP50Millis,
                         double roundTripP90Millis, double agentInferP50Millis, boolean samePredictions) {

        public double agentImagesPerSecond() {
            return asDefault.imagesPerSecond();
        }

        public double ratio() {
            return asDefault.imagesPerSecond() / inProcessImagesPerSecond;
        }

        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("runtime", runtime);
            o.put("images", images);
            o.put("batchSize", batchSize);
            o.put("inProcessImagesPerSecond", inProcessImagesPerSecond);
            o.put("encoding", encoding); // the connection's default: a palette when lossless and smaller
            o.put("agentImagesPerSecond", agentImagesPerSecond());
            o.put("agentToInProcess", ratio());
            // inference alone, as the agent timed it: the rest of the agent's cost is transfer and framing
            o.put("agentInferenceOnlyImagesPerSecond", asDefault.inferenceOnlyImagesPerSecond());
            o.put("wireMillisPerBatch", asDefault.wireMillisPerBatch());
            o.put("requestBytesPerBatch", asDefault.requestBytesPerBatch());
            o.put("roundTripP50Millis", roundTripP50Millis);
            o.put("roundTripP90Millis", roundTripP90Millis);
            o.put("agentInferP50Millis", agentInferP50Millis);
            o.put("samePredictions", samePredictions);
            Map<String, Object> payloads = new LinkedHashMap<>();
            payloads.put("float32", float32.json(inProcessImagesPerSecond));
            payloads.put("palette", palette.json(inProcessImagesPerSecond));
            o.put("payloads", payloads);
            return o;
        }
    }

    /**
     * The agent with one batch encoding: images per second, the agent's inference alone, and per batch
     * the wire time (round trip minus inference: encoding, framing, copies, the link) and bytes sent.
     */
    public record Payload(double imagesPerSecond, double inferenceOnlyImagesPerSecond, double wireMillisPerBatch,
                          double requestBytesPerBatch) {

        Map<String, Object> json(double inProcessImagesPerSecond) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("agentImagesPerSecond", imagesPerSecond);
            o.put("agentToInProcess", imagesPerSecond / inProcessImagesPerSecond);
            o.put("agentInferenceOnlyImagesPerSecond", inferenceOnlyImagesPerSecond);
            o.put("wireMillisPerBatch", wireMillisPerBatch);
            o.put("requestBytesPerBatch", requestBytesPerBatch);
            return o;
        }
    }

    static final double WARM_SECONDS = 3;

    private AgentBenchmark() {
    }

    /**
     * @param single how many one-image requests to time for the round-trip percentiles
     */
    public static Result run(DeviceSession session, Path model, Dataset data, int images, int batchSize, int threads,
                             int repeats, int single) {
        int n = Math.min(images, data.size());
        ImageBatch[] batches = batches(data, n, batchSize);
        try (Classifier local = inProcess(model, threads);
             DeviceClassifier remote = session.load(model, local.input(), threads)) {
            int[] localPredictions = predictAll(local, batches);
            int[] remotePredictions = predictAll(remote, batches);
            // Both JVMs must be warm: until the JIT has compiled the framing and copy loops, a batch of
            // 100 costs ~4 ms more on loopback than it does after a few hundred requests.
            boolean paletteByDefault = remote.paletteAllowed();
            warm(local, batches);
            remote.allowPalette(true);
            warm(remote, batches);
            remote.allowPalette(false);
            warm(remote, batches);
            // Interleaved passes (in-process, then the agent with each encoding, whose order alternates
            // from round to round): timed in blocks instead, whichever block followed the in-process one
            // ran up to 2.5× slower here, an order effect of this machine, not a transport cost.
            double[] localSeconds = new double[repeats];
            Remote palette = new Remote(repeats);
            Remote float32 = new Remote(repeats);
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                predictAll(local, batches);
                localSeconds[r] = (System.nanoTime() - start) / 1e9;
                for (boolean withPalette : r % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    remote.allowPalette(withPalette);
                    (withPalette ? palette : float32).pass(remote, batches, r);
                }
            }
            remote.allowPalette(paletteByDefault);
            ImageBatch one = data.batch(new int[] {0});
            double[] trips = new double[single];
            double[] infers = new double[single];
            for (int i = 0; i < 500; i++) {
                remote.logits(one);
            }
            for (int i = 0; i < single; i++) {
                long deviceBefore = remote.deviceNanos();
                long start = System.nanoTime();
                remote.logits(one);
                trips[i] = (System.nanoTime() - start) / 1e6;
                infers[i] = (remote.deviceNanos() - deviceBefore) / 1e6;
            }
            Arrays.sort(trips);
            Arrays.sort(infers);
            Payload withPalette = palette.summary(n);
            Payload withFloat32 = float32.summary(n);
            return new Result(model.getFileName().toString(), remote.runtime(), n, batchSize, n / Timing.median(localSeconds),
                    paletteByDefault ? "palette" : "float32", paletteByDefault ? withPalette : withFloat32, withFloat32,
                    withPalette, percentile(trips, 0.5), percentile(trips, 0.9), percentile(infers, 0.5),
                    Arrays.equals(localPredictions, remotePredictions));
        }
    }

    /** Timed passes over the batches on a device: their median, and per batch the wire time and bytes sent. */
    private static final class Remote {
        private final double[] seconds;
        private long deviceNanos;
        private long tripNanos;
        private long images;
        private long bytes;
        private long batchCount;

        Remote(int repeats) {
            seconds = new double[repeats];
        }

        void pass(DeviceClassifier remote, ImageBatch[] batches, int r) {
            long device = remote.deviceNanos();
            long trip = remote.roundTripNanos();
            long imagesBefore = remote.images();
            long bytesBefore = remote.requestBytes();
            long start = System.nanoTime();
            predictAll(remote, batches);
            seconds[r] = (System.nanoTime() - start) / 1e9;
            deviceNanos += remote.deviceNanos() - device;
            tripNanos += remote.roundTripNanos() - trip;
            images += remote.images() - imagesBefore;
            bytes += remote.requestBytes() - bytesBefore;
            batchCount += batches.length;
        }

        Payload summary(int imagesPerPass) {
            return new Payload(imagesPerPass / Timing.median(seconds), images / (deviceNanos / 1e9),
                    (tripNanos - deviceNanos) / 1e6 / batchCount, (double) bytes / batchCount);
        }
    }

    /** The in-process twin of what the agent runs: same runtime, same threads, XNNPACK on as in the agent. */
    private static Classifier inProcess(Path model, int threads) {
        if (DeviceClassifier.runtimeFor(model).equals(DeviceClassifier.TFLITE)) {
            return TfliteClassifier.load(model, null, new TfliteClassifier.RuntimeOptions(threads, true));
        }
        return Models.load(model, null);
    }

    /** Runs the batches for at least {@link #WARM_SECONDS} and 30 passes' worth of requests, untimed. */
    private static void warm(Classifier c, ImageBatch[] batches) {
        long until = System.nanoTime() + (long) (WARM_SECONDS * 1e9);
        int requests = 0;
        while (System.nanoTime() < until || requests < 300) {
            for (ImageBatch b : batches) {
                c.logits(b);
                requests++;
            }
        }
    }

    private static ImageBatch[] batches(Dataset data, int n, int batchSize) {
        ImageBatch[] out = new ImageBatch[(n + batchSize - 1) / batchSize];
        for (int b = 0; b < out.length; b++) {
            int from = b * batchSize;
            int[] idx = new int[Math.min(batchSize, n - from)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = from + i;
            }
            out[b] = data.batch(idx);
        }
        return out;
    }

    private static int[] predictAll(Classifier c, ImageBatch[] batches) {
        int total = Arrays.stream(batches).mapToInt(ImageBatch::size).sum();
        int[] out = new int[total];
        int at = 0;
        for (ImageBatch b : batches) {
            int[] p = c.predict(b);
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static double percentile(double[] sorted, double q) {
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return sorted[i];
    }
}
