package org.mrw.app.state;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mrw.core.task.Cancellation;

/**
 * Runs the workbench's long work (engine loading, evaluation, deploys, runs) off the FX thread. Every
 * job shows in the status bar with its progress and a cancel button until it ends; results come back
 * as futures whose callbacks a view moves to the FX thread with {@link #fx}.
 */
public final class BackgroundWork implements AutoCloseable {

    /** A job in flight, as the status bar shows it. Properties change on the FX thread only. */
    public static final class Entry {
        private final String title;
        private final Cancellation cancellation = new Cancellation();
        private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(-1);
        private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("");

        Entry(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }

        /** 0..1, or -1 while unknown. */
        public ReadOnlyDoubleProperty progressProperty() {
            return progress.getReadOnlyProperty();
        }

        public ReadOnlyStringProperty messageProperty() {
            return message.getReadOnlyProperty();
        }

        public void cancel() {
            cancellation.cancel();
        }

        public boolean isCancelled() {
            return cancellation.isCancelled();
        }
    }

    private final ExecutorService executor;
    private final ObservableList<Entry> running = FXCollections.observableArrayList();

    public BackgroundWork() {
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(null, r, "mrw-work-" + n.incrementAndGet(), 8L << 20);
            t.setDaemon(true); // 8 MB stacks: native engines recurse deeply loading graphs (the CLI runs -Xss4m)
            return t;
        };
        this.executor = Executors.newCachedThreadPool(threads);
    }

    /** Jobs in flight (FX thread). */
    public ObservableList<Entry> running() {
        return running;
    }

    /**
     * Starts a job. Progress reaches the entry at most ~30 times a second; the entry leaves the list when
     * the job ends. The future fails with {@link java.util.concurrent.CancellationException} if the
     * job stopped because it was cancelled.
     */
    public <T> CompletableFuture<T> submit(String title, Job<T> job) {
        Entry entry = new Entry(title);
        onFx(() -> running.add(entry));
        CompletableFuture<T> future = new CompletableFuture<>();
        executor.execute(() -> {
            long[] last = {0};
            try {
                T result = job.run((done, total, msg) -> {
                    long now = System.nanoTime();
                    if (now - last[0] < 33_000_000L && done < total) {
                        return;
                    }
                    last[0] = now;
                    double p = total <= 0 ? -1 : Math.min(1, (double) done / total);
                    Platform.runLater(() -> {
                        entry.progress.set(p);
                        entry.message.set(msg == null ? "" : msg);
                    });
                }, entry.cancellation);
                future.complete(result);
            } catch (Throwable e) {
                future.completeExceptionally(entry.isCancelled() ? new java.util.concurrent.CancellationException(title + " cancelled") : e);
            } finally {
                onFx(() -> running.remove(entry));
            }
        });
        return future;
    }

    /** Runs on the FX thread (now, if already there). */
    public static void fx(Runnable r) {
        onFx(r);
    }

    private static void onFx(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @Override
    public void close() {
        running.forEach(Entry::cancel);
        executor.shutdownNow();
    }
}
