package org.mrw.app.devices;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleDoubleProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.bench.DeviceBenchmark;
import org.mrw.core.device.AgentBundle;
import org.mrw.core.device.DeployResult;
import org.mrw.core.device.Device;
import org.mrw.core.device.DeviceException;
import org.mrw.core.device.DeviceInfo;
import org.mrw.core.device.DeviceSession;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.protocol.AgentInfo;

/**
 * One device's card: what it is, what its agent runs, and the deploy / start / stop / benchmark actions,
 * each a background job. Properties change on the FX thread; one action at a time per device.
 */
public final class DeviceCardModel {

    /** The agent's life on the device, as far as this workbench knows it. */
    public enum AgentState {
        NOT_DEPLOYED("not deployed"), DEPLOYED("deployed"), RUNNING("running"), STOPPED("stopped"), ERROR("error");

        private final String label;

        AgentState(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Threads the agent infers with (as {@code mrw run --device-threads}'s default). */
    static final int THREADS = 2;
    /** The benchmark's default model: a zoo model both agent runtimes can run (TFLite float). */
    static final String DEFAULT_BENCHMARK_MODEL = "resnet_float_tflite";

    private final WorkbenchState state;
    private final Device device;
    private final StringProperty title = new SimpleStringProperty();
    private final StringProperty details = new SimpleStringProperty();
    private final StringProperty runtimes = new SimpleStringProperty("runtimes: start the agent to ask it");
    private final ObjectProperty<AgentState> agentState = new SimpleObjectProperty<>(AgentState.NOT_DEPLOYED);
    private final StringProperty stateDetail = new SimpleStringProperty("");
    private final StringProperty throughput = new SimpleStringProperty("not measured yet");
    private final StringProperty log = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty(false);
    private final DoubleProperty progress = new SimpleDoubleProperty(0);
    private final StringProperty benchmarkModel = new SimpleStringProperty(DEFAULT_BENCHMARK_MODEL);
    private volatile DeviceSession session;
    private volatile AgentInfo agent;

    DeviceCardModel(WorkbenchState state, Device device) {
        this.state = state;
        this.device = device;
        DeviceInfo i = device.info();
        title.set(i.host() ? "This computer (host device)" : i.manufacturer() + " " + i.model());
        details.set(describe(i, null));
    }

    private static String describe(DeviceInfo i, AgentInfo a) {
        String abi = i.abis().isEmpty() ? "?" : String.join(", ", i.abis());
        if (i.host()) {
            return "model: " + (a != null ? a.deviceModel() : i.model()) + "\nOS: " + (a != null ? a.deviceOs() : System.getProperty("os.name"))
                    + "\nABI: " + (a != null ? a.deviceAbi() : abi) + "\nserial: " + i.serial();
        }
        return "model: " + i.model() + "\nAndroid " + i.androidVersion() + " (API " + i.sdkLevel() + ")\nABI: " + abi
                + "\nserial: " + i.serial();
    }

    public Device device() {
        return device;
    }

    public String serial() {
        return device.serial();
    }

    public StringProperty titleProperty() {
        return title;
    }

    /** Model, OS version, ABI and serial, one per line. */
    public StringProperty detailsProperty() {
        return details;
    }

    /** The runtimes and versions from the agent's WELCOME. */
    public StringProperty runtimesProperty() {
        return runtimes;
    }

    public ObjectProperty<AgentState> agentStateProperty() {
        return agentState;
    }

    /** What the last action said (files pushed, the port, an error and what to do). */
    public StringProperty stateDetailProperty() {
        return stateDetail;
    }

    public StringProperty throughputProperty() {
        return throughput;
    }

    /** The tail of the agent's log on the device. */
    public StringProperty logProperty() {
        return log;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    /** The running action's progress (0..1, -1 unknown). */
    public DoubleProperty progressProperty() {
        return progress;
    }

    /** The zoo model id the benchmark runs. */
    public StringProperty benchmarkModelProperty() {
        return benchmarkModel;
    }

    /** What the running agent said in WELCOME (null unless running). */
    public AgentInfo agentInfo() {
        return agent;
    }

    /** Copies the agent to the device (unchanged files are skipped). */
    public CompletableFuture<DeployResult> deploy() {
        return act("Deploying the agent to " + serial(), (p, c) -> {
            DeployResult r = device.deploy(AgentBundle.locate());
            BackgroundWork.fx(() -> {
                if (agentState.get() != AgentState.RUNNING) {
                    agentState.set(AgentState.DEPLOYED);
                }
                stateDetail.set("pushed " + r.pushed().size() + ", unchanged " + r.skipped().size() + " → " + r.deviceDirectory()
                        + (r.abi() == null ? "" : " (natives " + r.abi() + ")"));
            });
            return r;
        });
    }

    /** Deploys if needed, starts the agent and greets it; the card then shows its runtimes. */
    public CompletableFuture<AgentInfo> start() {
        return act("Starting the agent on " + serial(), (p, c) -> {
            if (session != null) {
                return session.agentInfo();
            }
            p.update(0, 2, "deploying and starting");
            DeviceSession s = DeviceSession.open(device, AgentBundle.locate(), THREADS);
            session = s;
            agent = s.agentInfo();
            AgentInfo a = s.agentInfo();
            String text = a.runtimes().stream().map(r -> r.available() ? r.name() + " " + r.version()
                    : r.name() + ": unavailable (" + r.reason() + ")").collect(Collectors.joining("\n"));
            BackgroundWork.fx(() -> {
                agentState.set(AgentState.RUNNING);
                stateDetail.set("agent " + a.agentVersion() + ", protocol " + a.protocolVersion() + ", port " + s.process().port());
                runtimes.set(text.isEmpty() ? "no runtimes reported" : text);
                details.set(describe(device.info(), a));
            });
            return a;
        });
    }

    /** Shuts the agent down (a no-op when it is not running). */
    public CompletableFuture<Boolean> stop() {
        return act("Stopping the agent on " + serial(), (p, c) -> {
            DeviceSession s = session;
            session = null;
            agent = null;
            if (s != null) {
                s.close();
            } else {
                device.stopAgent();
            }
            BackgroundWork.fx(() -> {
                agentState.set(AgentState.STOPPED);
                stateDetail.set("agent stopped");
            });
            return s != null;
        });
    }

    /** Starts the agent if needed, then times the chosen zoo model on it (a few seconds). */
    public CompletableFuture<DeviceBenchmark.Result> benchmark() {
        String id = benchmarkModel.get();
        return start().thenCompose(a -> state.dataset()).thenCompose(data -> act("Benchmark of " + id + " on " + serial(), (p, c) -> {
            ModelResolver.Resolved model = new ModelResolver(Path.of(""), state.zooDir()).resolve("zoo:" + id);
            DeviceBenchmark.Result r = DeviceBenchmark.run(session, model.file(), model.descriptor(), data, 32, THREADS,
                    3, 10, p, c);
            BackgroundWork.fx(() -> throughput.set(String.format(Locale.ROOT, "%.0f img/s end to end, %.0f img/s inference "
                    + "(%s in %s, batch %d, %.1f ms a batch)", r.imagesPerSecond(), r.inferenceImagesPerSecond(), id, r.runtime(),
                    r.batchSize(), r.batchMillis())));
            return r;
        }));
    }

    /** Reads the agent's log tail in the background. */
    public CompletableFuture<String> refreshLog() {
        return state.work().submit("Reading the agent log of " + serial(), (p, c) -> {
            String text = device.logs();
            BackgroundWork.fx(() -> log.set(text));
            return text;
        });
    }

    /** Stops a running agent now (window closing, tests). */
    void closeQuietly() {
        DeviceSession s = session;
        session = null;
        if (s != null) {
            s.close();
        }
    }

    /** Runs an action as a background job: the card is busy meanwhile, shows errors, and reads the log after. */
    private <T> CompletableFuture<T> act(String title, org.mrw.app.state.Job<T> job) {
        BackgroundWork.fx(() -> {
            busy.set(true);
            progress.set(-1);
        });
        CompletableFuture<T> f = state.work().submit(title, (p, c) -> job.run((d, t, m) -> {
            p.update(d, t, m);
            double v = t <= 0 ? -1 : (double) d / t;
            BackgroundWork.fx(() -> progress.set(v));
        }, c));
        f.whenComplete((r, e) -> BackgroundWork.fx(() -> {
            busy.set(false);
            progress.set(0);
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
                if (cause instanceof java.util.concurrent.CancellationException) {
                    stateDetail.set(title + ": cancelled");
                } else {
                    agentState.set(session != null ? AgentState.RUNNING : AgentState.ERROR);
                    stateDetail.set(title + " failed: " + message(cause));
                }
            }
            refreshLog();
        }));
        return f;
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
