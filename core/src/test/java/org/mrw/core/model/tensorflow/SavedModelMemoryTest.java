package org.mrw.core.model.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Native memory stays flat over many batches. Every batch moves about 0.3 MB of pixels into
 * TensorFlow and, for gradients, as much back, so an array left open per batch would add about
 * 100–200 MB over the run, well above the allowed growth (a DJL array attached to the model's
 * manager instead of the batch's grows it by about 120 MB).
 *
 * <p>The allocator under TensorFlow sometimes grows RSS by a step of tens of MB and keeps it (seen
 * once: 99 MB, after other tests had run in the same JVM), while a leak grows it in every stretch of
 * batches. So the run is measured in segments and the median segment's growth, times the number of
 * segments, must stay under 50 MB.
 *
 * <p>RSS cannot see TF Java tensors left unclosed: JavaCPP frees them when the collector finds them,
 * and the measurement must collect to discount the Java heap. Those show in JavaCPP's count of live
 * native pointers instead, which a batch that closes everything leaves as it found it.
 */
class SavedModelMemoryTest {

    private static final Logger LOG = LoggerFactory.getLogger(SavedModelMemoryTest.class);
    private static final int WARM_UP = 100;
    private static final int BATCHES = 300;
    private static final int BATCH_SIZE = 100;
    private static final long ALLOWED_GROWTH_KB = 50 * 1024;
    private static final int SEGMENTS = 6;
    private static final int SETTLE_POLLS = 20;
    private static final long SETTLE_POLL_MILLIS = 100;

    @TempDir
    static Path temp;

    private static Path fashion;
    private static ImageBatch batch;

    @BeforeAll
    static void exportFixture() {
        fashion = TinySavedModels.fashionCnn(temp.resolve("fashion"));
        batch = RandomBatches.of(BATCH_SIZE, 1, 28, 10, 2L);
    }

    @Test
    void inferenceKeepsNativeMemoryFlat() throws IOException {
        try (GradientClassifier model = SavedModelClassifier.load(fashion, null, false)) {
            assertFlat("DJL logits", b -> model.logits(b));
        }
    }

    @Test
    void gradientsKeepNativeMemoryFlat() throws IOException {
        try (GradientClassifier model = Models.loadDifferentiable(fashion, null)) {
            assertFlat("TF Java lossGradient", b -> model.lossGradient(b, b.labels()));
        }
    }

    private static void assertFlat(String what, Consumer<ImageBatch> work) throws IOException {
        for (int i = 0; i < WARM_UP; i++) {
            work.accept(batch);
        }
        settleHeap();
        long resident = residentKb();
        long heap = committedHeapKb();
        long start = resident;
        long[] growth = new long[SEGMENTS];
        long nanos = 0;
        int batchesLeavingPointers = 0;
        for (int segment = 0; segment < SEGMENTS; segment++) {
            long segmentStart = System.nanoTime();
            for (int i = 0; i < BATCHES / SEGMENTS; i++) {
                long tracked = Pointer.totalCount();
                work.accept(batch);
                if (Pointer.totalCount() > tracked) {
                    batchesLeavingPointers++;
                }
            }
            nanos += System.nanoTime() - segmentStart;
            settleHeap();
            long nowResident = residentKb();
            long nowHeap = committedHeapKb();
            // The Java heap may still grow into its committed size; that is not native memory.
            growth[segment] = nowResident - resident - Math.max(0, nowHeap - heap);
            resident = nowResident;
            heap = nowHeap;
        }
        long[] sorted = growth.clone();
        Arrays.sort(sorted);
        long steadyGrowth = sorted[SEGMENTS / 2] * SEGMENTS;
        double seconds = nanos / 1e9;
        LOG.info("{}: {} batches of {} in {} s ({} images/s); RSS {} MB -> {} MB, growth per {} batches (KB) {}", what,
                BATCHES, BATCH_SIZE, String.format("%.2f", seconds), Math.round(BATCHES * BATCH_SIZE / seconds),
                start / 1024, resident / 1024, BATCHES / SEGMENTS, Arrays.toString(growth));
        assertThat(steadyGrowth).as("median native growth per segment, times %d segments, in KB; segments %s", SEGMENTS,
                Arrays.toString(growth)).isLessThan(ALLOWED_GROWTH_KB);
        assertThat(batchesLeavingPointers).as("batches after which more native pointers were alive than before")
                .isLessThan(BATCHES / 10);
    }

    /**
     * A full collection, after which G1 gives unused heap back to the system: without it the Java
     * heap's own pages, touched for the first time during the run, would count as growth. G1 returns
     * them in the background (JDK 17), so wait until the resident size stops falling.
     */
    private static void settleHeap() throws IOException {
        System.gc();
        long previous = residentKb();
        for (int i = 0; i < SETTLE_POLLS; i++) {
            sleep(SETTLE_POLL_MILLIS);
            long now = residentKb();
            if (previous - now < 1024) {
                return;
            }
            previous = now;
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the heap to settle", e);
        }
    }

    /** Resident set size of this process (VmRSS), the memory TensorFlow's allocations show up in. */
    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }

    private static long committedHeapKb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }
}
