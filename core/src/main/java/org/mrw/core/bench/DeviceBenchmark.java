package org.mrw.core.bench;

import java.nio.file.Path;
import java.util.concurrent.CancellationException;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.device.DeviceClassifier;
import org.mrw.core.device.DeviceSession;
import org.mrw.core.model.InputSpec;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * A short throughput measurement of a device, for its card in the workbench: one model loaded into the
 * running agent, a few warm-up batches (the agent's JIT and the runtime's first-call allocations), then
 * timed batches. Much shorter than {@link AgentBenchmark}, which compares against this JVM; this only
 * says how many images a second the device judges, end to end and inside the agent.
 */
public final class DeviceBenchmark {

    /**
     * @param imagesPerSecond          end to end: request, transfer, inference, answer
     * @param inferenceImagesPerSecond inside the agent, as it timed its runtime
     * @param batchMillis              mean round trip of one batch
     */
    public record Result(String model, String runtime, int images, int batchSize, double imagesPerSecond,
                         double inferenceImagesPerSecond, double batchMillis) {
    }

    private DeviceBenchmark() {
    }

    /**
     * Loads {@code model} into the session's agent and times it on the dataset's first images.
     *
     * @param warmBatches  untimed batches first
     * @param timedBatches batches timed
     */
    public static Result run(DeviceSession session, Path model, InputSpec input, Dataset data, int batchSize, int threads,
                             int warmBatches, int timedBatches, Progress progress, Cancellation cancellation) {
        if (batchSize < 1 || timedBatches < 1 || warmBatches < 0) {
            throw new IllegalArgumentException("batch size and timed batches must be at least 1, warm-up batches at least 0");
        }
        int total = warmBatches + timedBatches;
        progress.update(0, total, "loading " + model.getFileName() + " on " + session.device().serial());
        try (DeviceClassifier remote = session.load(model, input, threads)) {
            ImageBatch batch = data.batch(firstIndices(Math.min(batchSize, data.size())));
            for (int i = 0; i < warmBatches; i++) {
                check(cancellation);
                remote.logits(batch);
                progress.update(i + 1, total, "warming up");
            }
            long deviceBefore = remote.deviceNanos();
            long imagesBefore = remote.images();
            long start = System.nanoTime();
            for (int i = 0; i < timedBatches; i++) {
                check(cancellation);
                remote.logits(batch);
                progress.update(warmBatches + i + 1, total, "timing batch " + (i + 1) + "/" + timedBatches);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            long images = remote.images() - imagesBefore;
            double inference = (remote.deviceNanos() - deviceBefore) / 1e9;
            return new Result(model.getFileName().toString(), remote.runtime(), (int) images, batch.size(), images / seconds,
                    inference > 0 ? images / inference : Double.NaN, seconds * 1000 / timedBatches);
        }
    }

    private static void check(Cancellation cancellation) {
        if (cancellation.isCancelled()) {
            throw new CancellationException("benchmark cancelled");
        }
    }

    private static int[] firstIndices(int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }
}
