package org.mrw.app.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.jfree.chart.JFreeChart;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.RunRef;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.Datasets;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.DeviceDirectory;
import org.mrw.core.experiment.DeviceTargets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.figure.Curve;
import org.mrw.core.figure.LiveCurves;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Durations;
import org.mrw.core.task.Progress;

/**
 * The Run view's state: runs a spec into the workspace through {@link ExperimentRunner} as a background
 * job, with a progress bar per target, the event log, live curves from the rows committed so far, and
 * pause / cancel / resume. Pause holds the run after the unit being judged (models stay loaded); cancel
 * stops it there; resume finishes the same spec in the same workspace, skipping every committed unit.
 */
public final class RunViewModel {

    /** Where the run stands. */
    public enum Phase {
        IDLE, STARTING, RUNNING, PAUSED, CANCELLING, CANCELLED, FINISHED, FAILED;

        boolean active() {
            return this == STARTING || this == RUNNING || this == PAUSED || this == CANCELLING;
        }
    }

    /** Threads of device targets' agents (as {@code mrw run --device-threads}'s default). */
    static final int DEVICE_THREADS = 2;
    private static final int MAX_EVENTS = 1000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final WorkbenchState state;
    private final ObservableList<TargetProgress> targets = FXCollections.observableArrayList();
    private final Map<String, TargetProgress> byId = new LinkedHashMap<>();
    private final ObservableList<String> events = FXCollections.observableArrayList();
    private final ObjectProperty<Phase> phase = new SimpleObjectProperty<>(Phase.IDLE);
    private final StringProperty status = new SimpleStringProperty("");
    // the run going on now, for its ETA (units weighed by their work, at this process's pace)
    private volatile ExperimentRunner running;
    private final StringProperty title = new SimpleStringProperty("");
    private final ObjectProperty<JFreeChart> chart = new SimpleObjectProperty<>();
    private final ObjectProperty<List<Curve>> curves = new SimpleObjectProperty<>(List.of());
    private final Object pauseLock = new Object();
    private final AtomicBoolean rowsChanged = new AtomicBoolean();
    // curves are redrawn on a thread of their own: a job a second would flood the status bar
    private final ScheduledExecutorService curveThread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mrw-run-curves");
        t.setDaemon(true);
        return t;
    });
    private volatile boolean paused;
    private volatile Cancellation cancellation;
    private volatile RunRef live;
    private volatile long seed;
    private String specText;
    private Path workspace;
    private CompletableFuture<ExperimentRunner.Summary> current = CompletableFuture.completedFuture(null);

    public RunViewModel(WorkbenchState state) {
        this.state = state;
        curveThread.scheduleWithFixedDelay(this::refreshCurves, 1, 1, TimeUnit.SECONDS);
    }

    public ObservableList<TargetProgress> targets() {
        return targets;
    }

    public ObservableList<String> events() {
        return events;
    }

    public ObjectProperty<Phase> phaseProperty() {
        return phase;
    }

    /** One line on what is happening (the runner's message, or how it ended and what to do). */
    public StringProperty statusProperty() {
        return status;
    }

    /** The run's name and workspace. */
    public StringProperty titleProperty() {
        return title;
    }

    /** The live robustness curves' chart (null until a target has attacked rows). */
    public ObjectProperty<JFreeChart> chartProperty() {
        return chart;
    }

    /** The curves the chart draws. */
    public ObjectProperty<List<Curve>> curvesProperty() {
        return curves;
    }

    /** The run of the latest start (null before one). */
    public RunRef run() {
        return live;
    }

    /** Completes when the latest run job ends. */
    public CompletableFuture<ExperimentRunner.Summary> current() {
        return current;
    }

    /**
     * Starts the spec into the workspace (FX thread). A run of the same spec already in the workspace is
     * resumed (its committed units are kept). Refused while a run is active.
     */
    public CompletableFuture<ExperimentRunner.Summary> start(String text) {
        if (phase.get().active()) {
            event("a run is in progress: pause or cancel it before starting another");
            return CompletableFuture.failedFuture(new IllegalStateException("a run is in progress"));
        }
        ExperimentSpec spec;
        try {
            spec = ExperimentSpec.parse(text, "the spec");
        } catch (RuntimeException e) {
            phase.set(Phase.FAILED);
            status.set("The spec is not valid: " + e.getMessage() + " — fix it in the Experiment view.");
            event("spec rejected: " + e.getMessage());
            return CompletableFuture.failedFuture(e);
        }
        specText = text;
        workspace = state.workspaceProperty().get();
        String runId = ExperimentRunner.runId(spec, text);
        live = new RunRef(workspace, runId);
        seed = spec.seedOrDefault();
        targets.clear();
        byId.clear();
        chart.set(null);
        curves.set(List.of());
        paused = false;
        Cancellation c = new Cancellation();
        cancellation = c;
        title.set(spec.name() + " → " + workspace);
        phase.set(Phase.STARTING);
        status.set("Loading models and choosing samples…");
        event("starting " + runId + " in " + workspace);
        current = state.work().submit("Run " + spec.name(), (p, cc) -> execute(spec, text, runId, p, c, cc));
        current.whenComplete((s, e) -> BackgroundWork.fx(() -> ended(s, e)));
        return current;
    }

    /** Resumes a paused run, or finishes a cancelled or failed one (FX thread). */
    public CompletableFuture<ExperimentRunner.Summary> resume() {
        if (phase.get() == Phase.PAUSED) {
            paused = false;
            synchronized (pauseLock) {
                pauseLock.notifyAll();
            }
            phase.set(Phase.RUNNING);
            status.set("Running");
            event("resumed");
            return current;
        }
        if (specText == null || phase.get().active()) {
            return current;
        }
        return start(specText);
    }

    /**
     * Holds the run once the unit being judged has committed (FX thread); the models stay loaded.
     * {@link #resume()} continues, {@link #cancel()} ends it.
     */
    public void pause() {
        if (phase.get() == Phase.STARTING || phase.get() == Phase.RUNNING) {
            paused = true;
            phase.set(Phase.PAUSED);
            status.set("Paused after the unit being judged commits; Resume continues, Cancel ends the run (nothing committed is lost).");
            event("pause requested");
        }
    }

    /** Stops the run at the next unit boundary; committed units stay in the store for a later resume (FX thread). */
    public void cancel() {
        Cancellation c = cancellation;
        if (c != null && phase.get().active()) {
            c.cancel();
            paused = false;
            synchronized (pauseLock) {
                pauseLock.notifyAll();
            }
            phase.set(Phase.CANCELLING);
            status.set("Cancelling after the unit being judged…");
            event("cancel requested");
        }
    }

    public boolean canResume() {
        return specText != null && (phase.get() == Phase.PAUSED || phase.get() == Phase.CANCELLED || phase.get() == Phase.FAILED);
    }

    /** @param bar the status bar's cancellation: its ✕ cancels the run like the view's Cancel */
    private ExperimentRunner.Summary execute(ExperimentSpec spec, String text, String runId, Progress progress, Cancellation c,
                                             Cancellation bar) throws Exception {
        Files.createDirectories(workspace);
        Path here = Path.of("");
        ModelResolver resolver = new ModelResolver(here, state.zooDir());
        Dataset data = spec.dataset() == null || spec.dataset().path() == null ? Datasets.fashionMnistTest()
                : Datasets.open(here.resolve(spec.dataset().path()), DatasetOptions.defaults());
        boolean onDevices = spec.groups().stream().flatMap(g -> g.targets().stream()).anyMatch(t -> t.startsWith(ModelResolver.DEVICE));
        Progress shown = throttled(progress, c, bar);
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace);
             DeviceDirectory directory = new DeviceDirectory(System.getenv())) {
            boolean resume = store.run(runId).isPresent();
            DeviceTargets devices = onDevices ? new DeviceTargets(directory::open, AgentBundle.locate(), DEVICE_THREADS, shown) : null;
            ExperimentRunner runner = new ExperimentRunner(spec, text, resolver, data, devices).listener(new Heard(c, bar));
            running = runner;
            try {
                return runner.run(store, new AdversarialFiles(workspace), new ExperimentRunner.Options(resume, 0, 1), shown, c);
            } finally {
                running = null;
                if (devices != null) {
                    devices.close();
                }
            }
        }
    }

    /** The runner's messages to the status bar and the view's status line, at most ~10 a second on the FX thread. */
    private Progress throttled(Progress bar, Cancellation c, Cancellation barCancellation) {
        long[] last = {0};
        return (done, total, message) -> {
            if (barCancellation.isCancelled()) {
                c.cancel();
            }
            bar.update(done, total, message);
            long now = System.nanoTime();
            if (now - last[0] > 100_000_000L || done >= total) {
                last[0] = now;
                ExperimentRunner r = running;
                java.util.OptionalDouble left = r == null || done >= total ? java.util.OptionalDouble.empty() : r.secondsLeft();
                String line = left.isPresent() ? "ETA " + Durations.rough(left.getAsDouble()) + " · " + message : message;
                BackgroundWork.fx(() -> {
                    if (phase.get() == Phase.STARTING || phase.get() == Phase.RUNNING) {
                        status.set(line);
                    }
                });
            }
        };
    }

    /** The runner's listener: bars and events on the FX thread; the pause gate on the run's thread. */
    private final class Heard implements ExperimentRunner.Listener {
        private final Cancellation c;
        private final Cancellation bar;

        Heard(Cancellation c, Cancellation bar) {
            this.c = c;
            this.bar = bar;
        }

        @Override
        public void planned(Map<String, ExperimentRunner.TargetPlan> plan) {
            BackgroundWork.fx(() -> {
                targets.clear();
                byId.clear();
                int before = 0;
                for (ExperimentRunner.TargetPlan t : plan.values()) {
                    TargetProgress p = new TargetProgress(t.target(), t.units(), t.alreadyDone());
                    byId.put(t.target(), p);
                    targets.add(p);
                    before += t.alreadyDone();
                }
                if (phase.get() == Phase.STARTING) {
                    phase.set(Phase.RUNNING);
                }
                event(plan.size() + " targets, " + plan.values().stream().mapToInt(ExperimentRunner.TargetPlan::units).sum()
                        + " units to judge" + (before > 0 ? "; " + before + " committed before (kept)" : ""));
            });
            rowsChanged.set(true);
        }

        @Override
        public void committed(ExperimentRunner.Commit k) {
            long now = System.nanoTime();
            BackgroundWork.fx(() -> {
                TargetProgress p = byId.get(k.target());
                if (p != null) {
                    p.committed(k.images(), k.rows(), now);
                }
                String images = "images " + k.batchStart() + "–" + (k.batchStart() + k.images() - 1);
                event("→ " + k.target() + ": " + (k.clean() ? "clean, " + images : k.attack() + " ε " + epsilons(k.epsilons())
                        + " from " + k.source() + ", " + images) + ", " + k.rows() + " rows");
            });
            rowsChanged.set(true);
            if (bar.isCancelled()) {
                c.cancel();
            }
            // the pause gate: the run waits here, between units, until resumed or cancelled
            synchronized (pauseLock) {
                while (paused && !c.isCancelled() && !bar.isCancelled()) {
                    try {
                        pauseLock.wait(250);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** ε both ways when on the 8-bit grid (0.0078=2/255), else decimal; short enough for one log line. */
    private static String epsilons(List<Double> eps) {
        return eps.stream().map(e -> {
            double levels = e * 255;
            String decimal = String.format(java.util.Locale.ROOT, "%.2g", e);
            return Math.abs(levels - Math.rint(levels)) < 1e-6 ? decimal + "=" + (long) Math.rint(levels) + "/255" : decimal;
        }).reduce((a, b) -> a + ", " + b).orElse("");
    }

    private void ended(ExperimentRunner.Summary s, Throwable e) {
        rowsChanged.set(true);
        curveThread.execute(this::refreshCurves);
        if (e == null && !s.cancelled()) {
            phase.set(Phase.FINISHED);
            status.set(String.format(java.util.Locale.ROOT, "Finished: %d samples, %d rows (%d units now, %d kept) in %.1f s",
                    s.samples(), s.rows(), s.unitsDone(), s.unitsSkipped(), s.seconds()));
            event("finished " + s.runId() + ": " + s.rows() + " rows");
            state.runProperty().set(new RunRef(workspace, s.runId()));
            return;
        }
        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (e == null || cause instanceof java.util.concurrent.CancellationException) {
            phase.set(Phase.CANCELLED);
            status.set("Cancelled" + (s != null ? " with " + s.rows() + " rows committed" : "")
                    + ". Nothing committed is lost: Resume finishes the run.");
            event("cancelled" + (s != null ? ": " + s.unitsDone() + " units done in this session" : ""));
            return;
        }
        phase.set(Phase.FAILED);
        String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        status.set("The run failed: " + m + ". Committed units are kept; fix the cause and Resume.");
        event("failed: " + m);
    }

    /** Redraws the curves from the rows so far when new ones came (curve thread). */
    private void refreshCurves() {
        RunRef r = live;
        if (r == null || !rowsChanged.getAndSet(false) || !Files.isRegularFile(r.workspace().resolve(SqliteResultsStore.DATABASE))) {
            return;
        }
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(r.workspace())) {
            List<Curve> now = LiveCurves.accuracy(store.rows(r.runId()), seed);
            JFreeChart c = now.isEmpty() ? null : LiveCurves.chart(now);
            BackgroundWork.fx(() -> {
                if (r == live) {
                    curves.set(now);
                    chart.set(c);
                }
            });
        } catch (RuntimeException e) {
            // a store busy or half-written: the next second tries again
            rowsChanged.set(true);
        }
    }

    private void event(String text) {
        events.add(LocalTime.now().format(CLOCK) + "  " + text);
        if (events.size() > MAX_EVENTS) {
            events.remove(0, events.size() - MAX_EVENTS);
        }
    }
}
