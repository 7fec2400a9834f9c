package org.mrw.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that native memory stays flat over many batches. Every batch moves about 0.3 MB of pixels
 * into an engine and, for gradients, as much back, so an array left open per batch adds 100–200 MB
 * over a run (a DJL array attached to the model's manager instead of the batch's adds ~120 MB).
 *
 * <p>Native allocators sometimes grow the resident size by one step of tens of MB and keep it (seen:
 * 99 MB once, after other tests ran in the same JVM), while a leak grows it in every stretch of batches.
 * So the run is measured in segments, and the median segment's growth times the number of segments
 * must stay under the limit. RSS cannot see JavaCPP tensors left open (freed only when collected):
 * those show as more live JavaCPP pointers after a batch than before it.
 */
public final class NativeMemory {

    private static final Logger LOG = LoggerFactory.getLogger(NativeMemory.class);
    private static final int WARM_UP = 100;
    private static final int BATCHES = 300;
    private static final int SEGMENTS = 6;
    private static final long ALLOWED_GROWTH_KB = 50 * 1024;
    private static final int SETTLE_POLLS = 20;
    private static final long SETTLE_POLL_MILLIS = 100;

    private NativeMemory() {
    }

    /** Runs {@code batch} many times and asserts native memory does not grow with the count. */
    public static void assertFlat(String what, Runnable batch) {
        for (int i = 0; i < WARM_UP; i++) {
            batch.run();
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
                batch.run();
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
        LOG.info("{}: {} batches in {} s; RSS {} MB -> {} MB, growth per {} batches (KB) {}", what, BATCHES,
                String.format("%.2f", nanos / 1e9), start / 1024, resident / 1024, BATCHES / SEGMENTS, Arrays.toString(growth));
        assertThat(steadyGrowth).as("%s: median native growth per segment, times %d segments, in KB; segments %s", what,
                SEGMENTS, Arrays.toString(growth)).isLessThan(ALLOWED_GROWTH_KB);
        assertThat(batchesLeavingPointers).as("%s: batches after which more native pointers were alive than before", what)
                .isLessThan(BATCHES / 10);
    }

    /**
     * A full collection, after which G1 gives unused heap back to the system: without it the Java
     * heap's own pages, touched for the first time during the run, would count as growth. G1 returns
     * them in the background (JDK 17), so wait until the resident size stops falling.
     */
    private static void settleHeap() {
        System.gc();
        long previous = residentKb();
        for (int i = 0; i < SETTLE_POLLS; i++) {
            try {
                Thread.sleep(SETTLE_POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the heap to settle", e);
            }
            long now = residentKb();
            if (previous - now < 1024) {
                return;
            }
            previous = now;
        }
    }

    /** Resident set size of this process (VmRSS): native tensors count here, unlike in the Java heap. */
    public static long residentKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", ""));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("/proc/self/status has no VmRSS line");
    }

    private static long committedHeapKb() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted() / 1024;
    }
}
