package org.mrw.app.state;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mrw.core.data.Datasets;
import org.mrw.core.experiment.ExperimentRunner;
import org.mrw.core.experiment.ExperimentSpec;
import org.mrw.core.experiment.ModelResolver;
import org.mrw.core.experiment.Presets;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import org.mrw.core.zoo.ZooManifest;

/**
 * The finished example run the Results and Demo views open on before a user has run anything: the
 * {@code example} preset (ResNet of the zoo, FGSM and BIM, 100 images; about a minute) run once into a
 * cache workspace and reused while its spec is unchanged (the run id is the spec's hash).
 */
public final class ExampleRun {

    private ExampleRun() {
    }

    /** {@code -Dmrw.example.run} (tests), else {@code $MRW_EXAMPLE_RUN}, else {@code ~/.cache/mrw/example-run}. */
    public static Path defaultWorkspace() {
        String prop = System.getProperty("mrw.example.run");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("MRW_EXAMPLE_RUN");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "mrw", "example-run");
    }

    /** The finished example run in {@code workspace}, if it is there. */
    public static Optional<RunRef> find(Path workspace) {
        String text = Presets.text("example").orElseThrow();
        String id = ExperimentRunner.runId(ExperimentSpec.parse(text, "example"), text);
        if (!Files.isRegularFile(workspace.resolve("results.db"))) {
            return Optional.empty();
        }
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            return store.run(id).filter(r -> "finished".equals(r.status())).map(r -> new RunRef(workspace, id));
        }
    }

    /** The finished example run in {@code workspace}: found, resumed or run now. */
    public static RunRef ensure(Path workspace, Progress progress, Cancellation cancellation) throws Exception {
        Optional<RunRef> done = find(workspace);
        if (done.isPresent()) {
            return done.get();
        }
        String text = Presets.text("example").orElseThrow();
        ExperimentSpec spec = ExperimentSpec.parse(text, "example");
        Files.createDirectories(workspace);
        boolean resume = Files.isRegularFile(workspace.resolve("results.db"));
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            if (resume) {
                String id = ExperimentRunner.runId(spec, text);
                resume = store.run(id).isPresent();
            }
            ExperimentRunner.Summary s = new ExperimentRunner(spec, text, new ModelResolver(Path.of(""), ZooManifest.defaultDir()),
                    Datasets.fashionMnistTest()).run(store, new AdversarialFiles(workspace),
                    new ExperimentRunner.Options(resume, 0, 1), progress, cancellation);
            if (s.cancelled()) {
                throw new java.util.concurrent.CancellationException("example run cancelled");
            }
            return new RunRef(workspace, s.runId());
        }
    }
}
