package org.mrw.app.results;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.mrw.app.state.RunRef;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.FlipMatrix;
import org.mrw.core.analysis.FlippedSamples;
import org.mrw.core.analysis.RunReport;
import org.mrw.core.data.Dataset;
import org.mrw.core.experiment.RunImages;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.store.StoreException;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * A run as the Results view shows it, everything computed by core off the FX thread: the rows, the
 * report (metrics with bootstrap intervals and paired tests), the flipped samples, and the run's images
 * (null with a reason when its dataset cannot be opened).
 *
 * @param ref          the run
 * @param info         its record
 * @param rows         every judgement
 * @param report       metrics and comparisons, bootstrap seeded like {@code mrw report}'s default
 * @param flipped      images that flipped at least one target
 * @param targets      targets in the spec's order
 * @param conditions   every condition, clean first
 * @param repetitions  repetition indices
 * @param classNames   class names by label (numbers when the dataset could not be opened)
 * @param images       the run's images, or null
 * @param imagesError  why {@code images} is null
 * @param matrices     the flip matrix of every condition, per repetition
 */
record RunResults(RunRef ref, RunInfo info, List<ResultRow> rows, RunReport report, List<FlippedSamples.Sample> flipped,
                  List<String> targets, List<Condition> conditions, List<Integer> repetitions, List<String> classNames,
                  RunImages images, String imagesError, java.util.Map<Integer, java.util.Map<Condition, FlipMatrix>> matrices) {

    /** {@code mrw report}'s default bootstrap seed, so the view's intervals equal the CLI's. */
    static final long BOOTSTRAP_SEED = RunReport.DEFAULT_SEED;

    /** Reads and analyses a run (seconds: the bootstrap dominates). */
    static RunResults load(RunRef ref, Progress progress, Cancellation cancellation) {
        progress.update(0, 4, "reading rows");
        RunInfo info;
        List<ResultRow> rows;
        int[] samples;
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(ref.workspace())) {
            info = store.run(ref.runId()).orElseThrow(() -> new StoreException("There is no run " + ref.runId() + " in "
                    + ref.workspace() + "; pick another run."));
            rows = store.rows(ref.runId());
            samples = store.samples(ref.runId());
        }
        if (rows.isEmpty()) {
            throw new StoreException("Run " + ref.runId() + " has no results yet (" + info.status()
                    + "); resume it from the Run view, or pick another run.");
        }
        cancellation.check();
        progress.update(1, 4, "bootstrap intervals and paired tests");
        RunReport report = RunReport.of(rows, BOOTSTRAP_SEED);
        cancellation.check();
        progress.update(2, 4, "flipped samples");
        List<FlippedSamples.Sample> flipped = FlippedSamples.of(rows);
        LinkedHashSet<String> targets = new LinkedHashSet<>();
        rows.forEach(r -> targets.add(r.target()));
        List<Condition> conditions = FlipMatrix.conditions(rows);
        List<Integer> repetitions = FlipMatrix.repetitions(rows);
        java.util.Map<Integer, java.util.Map<Condition, FlipMatrix>> matrices = new java.util.HashMap<>();
        for (int rep : repetitions) {
            for (Condition c : conditions) {
                FlipMatrix m = FlipMatrix.of(rows, c, rep);
                if (m.size() > 0) {
                    matrices.computeIfAbsent(rep, k -> new java.util.HashMap<>()).put(c, m);
                }
            }
        }
        cancellation.check();
        progress.update(3, 4, "opening the run's dataset");
        RunImages images = null;
        String imagesError = null;
        List<String> classNames;
        try {
            Dataset data = RunImages.dataset(info, ref.workspace());
            images = new RunImages(ref.workspace(), info, samples, data);
            classNames = data.classNames();
        } catch (RuntimeException e) {
            imagesError = e.getMessage();
            int max = rows.stream().mapToInt(r -> Math.max(r.label(), r.prediction())).max().orElse(0);
            classNames = IntStream.rangeClosed(0, max).mapToObj(Integer::toString).toList();
        }
        progress.update(4, 4, "done");
        return new RunResults(ref, info, rows, report, flipped, new ArrayList<>(targets), conditions, repetitions, classNames,
                images, imagesError, matrices);
    }

    /** The runs of a workspace, newest first (empty when it holds no results database). */
    static List<RunRef> runs(Path workspace) {
        if (workspace == null || !Files.isRegularFile(workspace.resolve(SqliteResultsStore.DATABASE))) {
            return List.of();
        }
        try (SqliteResultsStore store = SqliteResultsStore.openReadOnly(workspace)) {
            List<RunRef> out = new ArrayList<>();
            store.runs().forEach(r -> out.add(0, new RunRef(workspace, r.id())));
            return out;
        }
    }

    /** The flip matrix of a condition and repetition, if any target judged it. */
    Optional<FlipMatrix> matrix(Condition c, int repetition) {
        return Optional.ofNullable(matrices.getOrDefault(repetition, java.util.Map.of()).get(c));
    }

    String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    /** Attack conditions only (the curves' and flipped table's). */
    List<Condition> attackConditions() {
        return conditions.stream().filter(c -> !c.clean()).toList();
    }

    /** Distinct attacks of the run, in the order it ran them (the spec's). */
    List<String> attacks() {
        return rows.stream().filter(r -> !ResultRow.CLEAN.equals(r.attack())).map(ResultRow::attack).distinct().toList();
    }

    /** Distinct source models, in the order the run used them. */
    List<String> sources() {
        return rows.stream().filter(r -> !ResultRow.CLEAN.equals(r.attack())).map(ResultRow::source).distinct().toList();
    }

    boolean hasRounded() {
        return conditions.stream().anyMatch(Condition::rounded);
    }

    /** The condition the flip matrix opens on: the first attack's largest ε, float adversarials. */
    Optional<Condition> defaultMatrixCondition() {
        List<Condition> attacked = attackConditions().stream().filter(c -> !c.rounded() && Double.isFinite(c.epsilon())).toList();
        if (attacked.isEmpty()) {
            return conditions.stream().findFirst();
        }
        String attack = attacks().get(0);
        String source = sources().get(0);
        return attacked.stream().filter(c -> c.attack().equals(attack) && c.source().equals(source))
                .max(java.util.Comparator.comparingDouble(Condition::epsilon));
    }
}
