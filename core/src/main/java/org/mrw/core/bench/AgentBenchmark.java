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

    /** Timing of one model: in-process and agent throughput, their ratio, and single-image round trips. */
    public record Result(String model, String runtime, int images, int batchSize, double inProcessImagesPerSecond,
                         double agentImagesPerSecond, double ratio, double agentDeviceImagesPerSecond, double wireMillisPerBatch, double roundTripP50Millis, double roundTripP90Millis,
                         double agentInferP50Millis, boolean samePredictions) {

        public Map<String, Object> json() {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("model", model);
            o.put("runtime", runtime);
            o.put("images", images);
            o.put("batchSize", batchSize);
            o.put("inProcessImagesPerSecond", inProcessImagesPerSecond);
            o.put("agentImagesPerSecond", agentImagesPerSecond);
            o.put("agentToInProcess", ratio);
            // inference alone, as the agent timed it: the rest of the agent's cost is transfer and framing
            o.put("agentInferenceOnlyImagesPerSecond", agentDeviceImagesPerSecond);
            // per batch: the request's round trip minus the agent's inference (framing, copies, loopback)
            o.put("wireMillisPerBatch", wireMillisPerBatch);
            o.put("roundTripP50Millis", roundTripP50Millis);
            o.put("roundTripP90Millis", roundTripP90Millis);
            o.put("agentInferP50Millis", agentInferP50Millis);
            o.put("samePredictions", samePredictions);
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
            warm(local, batches);
            warm(remote, batches);
            double localSeconds = Timing.medianSeconds(1, repeats, () -> predictAll(local, batches));
            long timedDeviceNanos = remote.deviceNanos();
            long timedTripNanos = remote.roundTripNanos();
            long imagesBefore = remote.images();
            double remoteSeconds = Timing.medianSeconds(1, repeats, () -> predictAll(remote, batches));
            double deviceRate = (remote.images() - imagesBefore) / ((remote.deviceNanos() - timedDeviceNanos) / 1e9);
            double batchesTimed = (double) (remote.images() - imagesBefore) / batchSize;
            double wireMillis = ((remote.roundTripNanos() - timedTripNanos) - (remote.deviceNanos() - timedDeviceNanos))
                    / 1e6 / batchesTimed;
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
            double localRate = n / localSeconds;
            double remoteRate = n / remoteSeconds;
            return new Result(model.getFileName().toString(), remote.runtime(), n, batchSize, localRate, remoteRate,
                    remoteRate / localRate, deviceRate, wireMillis, percentile(trips, 0.5), percentile(trips, 0.9), percentile(infers, 0.5),
                    Arrays.equals(localPredictions, remotePredictions));
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
