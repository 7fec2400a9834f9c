package org.mrw.app.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import javafx.collections.transformation.FilteredList;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.ModelEntry;
import org.mrw.app.state.ModelLibrary;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.eval.Evaluation;
import org.mrw.core.model.eval.Evaluator;
import org.mrw.core.task.Cancellation;

/**
 * What the Models view shows and does, without controls: the filtered library, opening model files,
 * editing a model's input descriptor, test loads and clean-accuracy measurements (both in the
 * background). Properties change on the FX thread.
 */
public final class ModelsViewModel {

    /** A clean-accuracy measurement of one model, or why it could not be made. */
    public record Measurement(String dataset, int samples, int correct, double imagesPerSecond, String error) {

        public double accuracy() {
            return samples == 0 ? Double.NaN : correct / (double) samples;
        }

        public boolean failed() {
            return error != null;
        }
    }

    /** The outcome of a test load: what ran and how long it took, or the error. */
    public record LoadReport(ModelEntry model, String runtime, String format, String variant, int classes, InputSpec input,
                             double loadSeconds, double forwardMillis, boolean cached, String error) {

        public boolean failed() {
            return error != null;
        }
    }

    private static final int MEASURE_BATCH = 100;

    private final WorkbenchState state;
    private final FilteredList<ModelEntry> filtered;
    private final StringProperty filter = new SimpleStringProperty("");
    private final ObservableMap<String, Measurement> measurements = FXCollections.observableHashMap();
    private final ObservableMap<String, Boolean> measuring = FXCollections.observableHashMap();

    public ModelsViewModel(WorkbenchState state) {
        this.state = state;
        this.filtered = new FilteredList<>(state.models(), m -> true);
        filter.addListener((o, a, b) -> filtered.setPredicate(m -> matches(m, b)));
    }

    /** The library as the table shows it (after the filter). */
    public FilteredList<ModelEntry> models() {
        return filtered;
    }

    /** Words every shown model must contain (in its name, framework, runtime, format or variant). */
    public StringProperty filterProperty() {
        return filter;
    }

    /** Clean accuracy by model reference. */
    public ObservableMap<String, Measurement> measurements() {
        return measurements;
    }

    /** Models whose measurement is under way, by reference. */
    public ObservableMap<String, Boolean> measuring() {
        return measuring;
    }

    static boolean matches(ModelEntry m, String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String text = String.join(" ", m.id(), m.framework(), m.runtime(), m.format().displayName(), m.variantName(),
                m.inputShape()).toLowerCase(Locale.ROOT);
        return Arrays.stream(filter.toLowerCase(Locale.ROOT).trim().split("\\s+")).allMatch(text::contains);
    }

    /** The result of opening files: the entries now in the library (new or already there) and one error per bad file. */
    public record Opened(List<ModelEntry> models, List<String> errors) {
    }

    /**
     * Adds model files (from the file chooser or a drop) to the library. A file already there is not
     * added twice; a file that is no model gives an error line and leaves the rest untouched.
     * TorchScript records no input shape: without a descriptor beside it, it gets plain [0,1] input
     * shaped like the current dataset, which the user can edit.
     */
    public Opened open(List<Path> files) {
        List<ModelEntry> out = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path file : files) {
            Path abs = file.toAbsolutePath().normalize();
            ModelEntry known = state.models().stream().filter(m -> m.file().toAbsolutePath().normalize().equals(abs)).findFirst().orElse(null);
            if (known != null) {
                out.add(known);
                continue;
            }
            try {
                ModelEntry entry = ModelLibrary.open(abs, null);
                if (entry.descriptor() == null && (entry.format() == ModelFormat.TORCHSCRIPT || entry.format() == ModelFormat.TORCHSCRIPT_LITE)) {
                    entry = ModelLibrary.open(abs, plainLikeDataset());
                }
                state.models().add(entry);
                out.add(entry);
            } catch (RuntimeException e) { // ModelLoadException, IllegalArgumentException: a bad file is reported, not fatal
                errors.add(file.getFileName() + ": " + e.getMessage());
            }
        }
        return new Opened(out, errors);
    }

    /** Plain [0,1] NCHW input shaped like the dataset in use (Fashion-MNIST's until it is open). */
    private InputSpec plainLikeDataset() {
        Dataset data = state.dataset().getNow(null);
        if (data == null) {
            return InputSpec.plain(InputSpec.Layout.NCHW, 1, 28, 28, Datasets.FASHION_MNIST_CLASSES);
        }
        return InputSpec.plain(InputSpec.Layout.NCHW, data.channels(), data.height(), data.width(), data.classNames());
    }

    /**
     * Replaces a model's input descriptor: the library entry changes, the loaded model is closed (the
     * next use loads it with the new descriptor) and, for opened files, the descriptor is written beside
     * the model where the CLI finds it too. Zoo files are never changed: their edit lasts this session.
     *
     * @return the new entry, and whether the descriptor file was written
     * @throws IOException when the descriptor file cannot be written (the entry has changed all the same)
     */
    public ModelEntry applyDescriptor(ModelEntry model, InputSpec descriptor) throws IOException {
        InputSpec withVariant = model.descriptor() != null && model.descriptor().variant() != null
                ? descriptor.withVariant(model.descriptor().variant()) : descriptor;
        ModelEntry changed = new ModelEntry(model.id(), model.reference(), model.file(), model.format(), model.framework(),
                model.runtime(), model.int8(), withVariant, model.bytes(), model.zooAccuracy());
        replace(model, changed);
        measurements.remove(model.reference());
        state.classifiers().evict(model);
        if (!model.fromZoo()) {
            withVariant.write(InputSpec.besideModel(model.file()));
        }
        return changed;
    }

    private void replace(ModelEntry old, ModelEntry changed) {
        int i = state.models().indexOf(old);
        if (i >= 0) {
            state.models().set(i, changed);
        }
    }

    /**
     * Loads a model in the background (through the shared cache: a model loaded once is reused) and
     * runs one forward pass on a blank image of its input shape, so a load that "works" but cannot
     * predict is caught too. Never fails: the report carries the error.
     */
    public CompletableFuture<LoadReport> testLoad(ModelEntry model) {
        // asked before the call: a fast load may already be done by the time classifier() returns
        boolean cached = state.classifiers().holds(model);
        CompletableFuture<Classifier> loading = state.classifiers().classifier(model);
        long start = System.nanoTime();
        return loading.thenApply(c -> {
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            InputSpec in = c.input();
            ImageBatch blank = new ImageBatch(new float[in.imageSize()], new int[] {-1}, in.channels(), in.height(), in.width());
            long t = System.nanoTime();
            synchronized (c) { // models are shared between views: one forward pass at a time
                c.predict(blank);
            }
            double ms = (System.nanoTime() - t) / 1e6;
            return new LoadReport(model, c.info().runtime().displayName(), c.info().format().displayName(),
                    c.info().variant().name().toLowerCase(Locale.ROOT), c.numClasses(), in, loadSeconds, ms, cached, null);
        }).exceptionally(e -> {
            state.classifiers().evict(model); // a failed load is not cached: the next try loads again
            return new LoadReport(model, null, null, null, 0, null, 0, 0, false, rootMessage(e));
        }).thenApply(r -> {
            if (!r.failed() && model.descriptor() == null) {
                // the file recorded its input: show it in the table and the details from now on
                BackgroundWork.fx(() -> replace(model, new ModelEntry(model.id(), model.reference(), model.file(), model.format(),
                        model.framework(), model.runtime(), model.int8(), r.input(), model.bytes(), model.zooAccuracy())));
            }
            return r;
        });
    }

    /**
     * Measures the clean accuracy of {@code models} on the first {@code n} images of the current dataset,
     * one background job with progress over all models and a cancel that stops between batches. Each
     * model's result (or error) reaches {@link #measurements()} as soon as it is known.
     *
     * @return completes with every measurement, or fails with a CancellationException when cancelled
     */
    public CompletableFuture<Map<String, Measurement>> measure(List<ModelEntry> models, int n) {
        List<ModelEntry> list = List.copyOf(models);
        list.forEach(m -> measuring.put(m.reference(), true));
        String title = "Clean accuracy of " + (list.size() == 1 ? list.get(0).id() : list.size() + " models") + " on " + n + " images";
        CompletableFuture<Dataset> data = state.dataset();
        CompletableFuture<Map<String, Measurement>> done = state.work().submit(title, (progress, cancellation) -> {
            Dataset d = await(data, cancellation);
            int count = Math.min(n, d.size());
            Map<String, Measurement> out = new LinkedHashMap<>();
            for (int i = 0; i < list.size(); i++) {
                ModelEntry m = list.get(i);
                long base = (long) i * count;
                progress.update(base, (long) list.size() * count, "loading " + m.id());
                Measurement r;
                try {
                    Classifier c = await(state.classifiers().classifier(m), cancellation);
                    r = evaluate(m, c, d, count, (done1, total, msg) -> progress.update(base + done1, (long) list.size() * count,
                            m.id() + ": " + msg), cancellation);
                } catch (CancellationException e) {
                    throw e;
                } catch (ExecutionException e) {
                    state.classifiers().evict(m);
                    r = new Measurement(d.name(), 0, 0, 0, "could not load: " + rootMessage(e));
                } catch (RuntimeException e) { // an engine failing on this data: report it on the model's row, go on with the rest
                    r = new Measurement(d.name(), 0, 0, 0, rootMessage(e));
                }
                out.put(m.reference(), r);
                Measurement result = r;
                BackgroundWork.fx(() -> {
                    measurements.put(m.reference(), result);
                    measuring.remove(m.reference());
                });
            }
            return out;
        });
        done.whenComplete((r, e) -> BackgroundWork.fx(() -> list.forEach(m -> measuring.remove(m.reference()))));
        return done;
    }

    private static Measurement evaluate(ModelEntry m, Classifier c, Dataset d, int count, org.mrw.core.task.Progress progress,
            Cancellation cancellation) {
        InputSpec in = c.input();
        if (in.channels() != d.channels() || in.height() != d.height() || in.width() != d.width()) {
            return new Measurement(d.name(), 0, 0, 0, m.id() + " takes " + in.channels() + "×" + in.height() + "×" + in.width()
                    + " images but " + d.name() + " has " + d.channels() + "×" + d.height() + "×" + d.width()
                    + ": choose a matching dataset in Data, or edit the model's input descriptor");
        }
        Evaluation e;
        synchronized (c) { // models are shared between views: one evaluation at a time
            e = Evaluator.evaluate(c, d, count, MEASURE_BATCH, progress, cancellation);
        }
        return new Measurement(d.name(), e.samples(), e.correct(), e.imagesPerSecond(), null);
    }

    /** Waits for a future while checking for cancellation, so cancel works while an engine loads. */
    private static <T> T await(CompletableFuture<T> f, Cancellation cancellation) throws ExecutionException, InterruptedException {
        while (true) {
            cancellation.check();
            try {
                return f.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                // check cancellation again
            }
        }
    }

    /** Whether a job ended because it was cancelled. */
    static boolean cancelled(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CancellationException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message of an exception, which is the one that names the file and the problem. */
    static String rootMessage(Throwable e) {
        Throwable t = e;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg;
    }

    /**
     * Reads the descriptor form. Values are separated by commas or spaces; class names one per line
     * (or comma-separated on one line). The message of the exception names the field and what it needs.
     */
    public static InputSpec parseDescriptor(String layout, String channels, String height, String width, String channelOrder,
            String mean, String std, String rangeMin, String rangeMax, String classNames, InputSpec previous) {
        int c = integer("channels", channels);
        int h = integer("height", height);
        int w = integer("width", width);
        float[] m = floats("mean", mean);
        float[] s = floats("std", std);
        float lo = floats("range min", rangeMin)[0];
        float hi = floats("range max", rangeMax)[0];
        List<String> names = classNames == null || classNames.isBlank() ? List.of()
                : Arrays.stream(classNames.contains("\n") ? classNames.split("\\R") : classNames.split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList();
        return new InputSpec(InputSpec.Layout.valueOf(layout), c, h, w, InputSpec.ChannelOrder.valueOf(channelOrder), m, s, lo, hi,
                names, previous == null ? null : previous.variant());
    }

    private static int integer(String field, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(field + " must be a whole number, got \"" + text + "\"");
        }
    }

    private static float[] floats(String field, String text) {
        String[] parts = text == null ? new String[0] : text.trim().split("[,\\s]+");
        if (parts.length == 0 || parts[0].isEmpty()) {
            throw new IllegalArgumentException(field + " needs a number (or one per channel, separated by commas)");
        }
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(field + " must be numbers separated by commas, got \"" + parts[i] + "\"");
            }
        }
        return out;
    }
}
