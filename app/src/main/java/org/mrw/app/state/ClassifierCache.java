package org.mrw.app.state;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;

/**
 * Models loaded for interactive use (test load, clean accuracy, demo), one per file and kind, loaded in
 * the background on first use: the window opens without touching an engine. Closed with the workbench.
 */
public final class ClassifierCache implements AutoCloseable {

    private final BackgroundWork work;
    private final Map<String, CompletableFuture<? extends Classifier>> loaded = new LinkedHashMap<>();

    public ClassifierCache(BackgroundWork work) {
        this.work = work;
    }

    /** The model for inference. */
    public synchronized CompletableFuture<Classifier> classifier(ModelEntry model) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Classifier> f = (CompletableFuture<Classifier>) loaded.computeIfAbsent("infer:" + model.file(),
                k -> work.submit("Loading " + model.id(), (p, c) -> Models.load(model.file(), model.descriptor())));
        return f;
    }

    /** The model with gradients (float models of the PC frameworks only; the message says so otherwise). */
    public synchronized CompletableFuture<GradientClassifier> differentiable(ModelEntry model) {
        @SuppressWarnings("unchecked")
        CompletableFuture<GradientClassifier> f = (CompletableFuture<GradientClassifier>) loaded.computeIfAbsent("grad:" + model.file(),
                k -> work.submit("Loading " + model.id() + " (gradients)", (p, c) -> Models.loadDifferentiable(model.file(), model.descriptor())));
        return f;
    }

    /** Whether the model was asked for before (loaded or loading) and not evicted since. */
    public synchronized boolean holds(ModelEntry model) {
        CompletableFuture<? extends Classifier> f = loaded.get("infer:" + model.file());
        return f != null && !f.isCompletedExceptionally();
    }

    /** Forgets a model whose descriptor changed, closing it. */
    public synchronized void evict(ModelEntry model) {
        for (String k : new String[] {"infer:" + model.file(), "grad:" + model.file()}) {
            CompletableFuture<? extends Classifier> f = loaded.remove(k);
            if (f != null) {
                f.thenAccept(Classifier::close);
            }
        }
    }

    @Override
    public synchronized void close() {
        for (CompletableFuture<? extends Classifier> f : loaded.values()) {
            Classifier c = f.getNow(null);
            if (c != null) {
                c.close();
            }
        }
        loaded.clear();
    }
}
