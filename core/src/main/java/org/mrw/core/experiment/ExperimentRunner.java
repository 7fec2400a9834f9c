package org.mrw.core.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.mrw.core.attack.Access;
import org.mrw.core.attack.Attack;
import org.mrw.core.attack.AttackContext;
import org.mrw.core.attack.AttackCost;
import org.mrw.core.attack.AttackRunner;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.BatchOutcome;
import org.mrw.core.attack.EpsilonOutcome;
import org.mrw.core.attack.Goal;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.engine.EngineInfo;
import org.mrw.core.engine.Engines;
import org.mrw.core.engine.QuantizedEngine;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Models;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.BatchKey;
import org.mrw.core.store.ResultRow;
import org.mrw.core.store.ResultsStore;
import org.mrw.core.store.RunInfo;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;

/**
 * Runs an {@link ExperimentSpec} into a {@link ResultsStore}: selects the samples (seeded; optionally
 * only images every source gets right), runs the clean pass on every target (the baseline the study
 * lacked), then for every repetition × group × source × attack × batch generates the adversarials once
 * and judges them on every target of the group, committing each target's rows with a done marker.
 *
 * <p>Resuming skips every committed unit; adversarials are regenerated only for units with a target
 * still to do, and are identical because each batch's seed derives from the spec's seed and the unit.
 * With shards, unit {@code k} (in a fixed order) belongs to shard {@code k mod n}.
 */
public final class ExperimentRunner {

    /**
     * How to run.
     *
     * @param resume     continue the unfinished run of this spec in the store instead of refusing
     * @param shardIndex this process's shard, 0-based
     * @param shardCount number of shards (1: everything)
     */
    public record Options(boolean resume, int shardIndex, int shardCount) {

        public Options {
            if (shardCount < 1 || shardIndex < 0 || shardIndex >= shardCount) {
                throw new SpecException("shard must be i/n with 0 <= i < n, got " + shardIndex + "/" + shardCount);
            }
        }

        public static Options fresh() {
            return new Options(false, 0, 1);
        }
    }

    /**
     * Hears about a run while it goes, on the run's thread (keep it quick): the plan once the samples are
     * chosen, then every unit × target as its rows commit. The workbench draws per-target progress and
     * live curves from it; the CLI does not need one.
     */
    public interface Listener {

        /** What this process will run, per target id in run order (units of this shard only). */
        default void planned(Map<String, TargetPlan> targets) {
        }

        /** One unit's rows for one target are committed (the run can be cancelled now without losing them). */
        default void committed(Commit commit) {
        }
    }

    /**
     * One target's share of the run.
     *
     * @param units       unit × target commits planned for this target (clean batches and attack batches)
     * @param alreadyDone of those, how many a previous run committed (a resume skips them)
     */
    public record TargetPlan(String target, int units, int alreadyDone) {
    }

    /**
     * A unit's rows committed for one target.
     *
     * @param attack     the attack's label, or {@link ResultRow#CLEAN} for the clean pass
     * @param epsilons   the attack's ε (empty for the clean pass)
     * @param images     images in the batch
     * @param rows       rows committed (images × ε, twice with 8-bit rounding)
     */
    public record Commit(String target, String source, String attack, List<Double> epsilons, int repetition, int batchStart,
                         int images, int rows) {

        public boolean clean() {
            return ResultRow.CLEAN.equals(attack);
        }
    }

    /** What a run did. */
    public record Summary(String runId, int samples, int unitsDone, int unitsSkipped, long rows, boolean cancelled, double seconds) {
    }

    private final ExperimentSpec spec;
    private final String specText;
    private final ModelResolver resolver;
    private final Dataset data;
    private final DeviceTargets devices;
    private Listener listener = new Listener() { };
    private volatile RunPace pace;

    public ExperimentRunner(ExperimentSpec spec, String specText, ModelResolver resolver, Dataset data) {
        this(spec, specText, resolver, data, null);
    }

    /**
     * @param devices where {@code device:SERIAL/MODEL} targets run; null when the spec has none
     */
    public ExperimentRunner(ExperimentSpec spec, String specText, ModelResolver resolver, Dataset data, DeviceTargets devices) {
        this.spec = spec;
        this.specText = specText;
        this.resolver = resolver;
        this.data = data;
        this.devices = devices;
    }

    /** Sets who hears about the plan and each committed unit; returns this runner. */
    public ExperimentRunner listener(Listener l) {
        this.listener = java.util.Objects.requireNonNull(l, "listener");
        return this;
    }

    /**
     * Seconds the running run has left, at this process's pace so far with each unit weighed by its
     * estimated work; empty before the first unit has shown any progress (or when no run is going).
     */
    public OptionalDouble secondsLeft() {
        RunPace p = pace;
        return p == null ? OptionalDouble.empty() : p.secondsLeft(System.nanoTime());
    }

    /** The run id of a spec: its name and a hash of its text, so a resume or a shard finds the same run. */
    public static String runId(ExperimentSpec spec, String specText) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(specText.getBytes(StandardCharsets.UTF_8));
            return spec.name() + "-" + HexFormat.of().formatHex(digest, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public Summary run(ResultsStore store, Options options, Progress progress, Cancellation cancellation) {
        return run(store, null, options, progress, cancellation);
    }

    /**
     * Runs (or resumes) the spec.
     *
     * @param adversarials where each unit's float adversarials are saved as NPY (the 8-bit versions are
     *                     their rounding), or null to keep none
     */
    public Summary run(ResultsStore store, AdversarialFiles adversarials, Options options, Progress progress,
                       Cancellation cancellation) {
        long start = System.nanoTime();
        String runId = runId(spec, specText);
        RunInfo run = store.run(runId).orElse(null);
        if (run != null && !options.resume()) {
            throw new SpecException("run " + runId + " of this spec already exists in the workspace (" + run.status()
                    + "); pass --resume to finish it, or use another workspace");
        }
        int done = 0;
        int skipped = 0;
        boolean cancelled = false;
        // Models load before the run is recorded: a missing or broken model fails without leaving a run behind.
        try (Models loaded = new Models(spec, resolver, devices)) {
            // A finished run resumed stays as it was until a unit is left to run: a resume that finds every
            // unit committed must not move the run's end time to now (the study's compute time reads it).
            boolean reopened;
            if (run == null) {
                run = store.createRun(runId, spec.name(), specText, versions(devices), spec.seedOrDefault());
                reopened = true;
            } else {
                reopened = !run.status().equals("finished");
                if (reopened) {
                    store.finishRun(runId, "running");
                }
            }
            String status = "failed";
            try {
                int[] indices = store.samples(runId);
                if (indices.length == 0) {
                    progress.update(0, 1, "selecting samples");
                    indices = selectSamples(loaded, cancellation);
                    int[] labels = Arrays.stream(indices).map(data::label).toArray();
                    store.saveSamples(runId, indices, labels);
                }
                List<Unit> units = units(loaded, indices.length);
                Set<BatchKey> finished = new java.util.HashSet<>(store.doneBatches(runId));
                long total = units.size();
                listener.planned(plan(units, finished, options));
                RunPace paced = pace(units);
                pace = paced;
                long position = 0;
                for (Unit unit : units) {
                    cancellation.check();
                    position++;
                    if ((position - 1) % options.shardCount() != options.shardIndex()
                            || unit.keys().stream().allMatch(finished::contains)) {
                        paced.skip((int) position - 1);
                        skipped++;
                        continue;
                    }
                    // per-device throughput so far, to see how a spread target's devices share the work
                    String rates = devices == null ? "" : devices.throughputLine();
                    progress.update(position - 1, total, unit.describe() + (rates.isEmpty() ? "" : " [devices: " + rates + "]"));
                    long at = position - 1;
                    if (!reopened) {
                        store.finishRun(runId, "running");
                        reopened = true;
                    }
                    // long units (a Boundary batch runs for minutes) report the attack's own steps
                    paced.start((int) at, System.nanoTime());
                    Progress within = (d, t, message) -> {
                        paced.attackStep(d, t);
                        progress.update(at, total, unit.describe() + ": " + message);
                    };
                    execute(unit, store, adversarials, runId, indices, finished, loaded, within, cancellation);
                    paced.finish((int) at, System.nanoTime());
                    done++;
                }
                progress.update(total, total, "done");
                status = "finished";
            } catch (CancellationException e) {
                cancelled = true;
                status = "cancelled";
            } finally {
                pace = null;
                if (reopened) {
                    store.finishRun(runId, status);
                }
            }
        }
        return new Summary(runId, store.samples(runId).length, done, skipped, store.rowCount(runId), cancelled,
                (System.nanoTime() - start) / 1e9);
    }

    /** Per target: the unit × target commits of this shard and how many are committed already. */
    private static Map<String, TargetPlan> plan(List<Unit> units, Set<BatchKey> finished, Options options) {
        Map<String, int[]> counts = new LinkedHashMap<>();
        for (int k = 0; k < units.size(); k++) {
            if (k % options.shardCount() != options.shardIndex()) {
                continue;
            }
            for (BatchKey key : units.get(k).keys()) {
                int[] c = counts.computeIfAbsent(key.target(), t -> new int[2]);
                c[0]++;
                if (finished.contains(key)) {
                    c[1]++;
                }
            }
        }
        Map<String, TargetPlan> plan = new LinkedHashMap<>();
        counts.forEach((t, c) -> plan.put(t, new TargetPlan(t, c[0], c[1])));
        return plan;
    }

    private void committed(Unit unit, BatchKey key, int rows) {
        listener.committed(new Commit(key.target(), unit.source(), key.attack(), unit.attack() == null ? List.of()
                : List.copyOf(unit.attack().eps()), unit.repetition(), unit.batchStart(), unit.batchEnd() - unit.batchStart(), rows));
    }

    private static Map<String, String> versions(DeviceTargets devices) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("mrw", ExperimentRunner.class.getPackage().getImplementationVersion() == null ? "dev"
                : ExperimentRunner.class.getPackage().getImplementationVersion());
        v.put("java", System.getProperty("java.version"));
        for (EngineInfo e : Engines.all()) {
            v.put(e.name(), e.version());
        }
        v.put("oneDNN cap", Engines.oneDnnCap());
        v.put("PyTorch quantized engine", QuantizedEngine.current());
        if (devices != null) {
            v.putAll(devices.versions());
        }
        return v;
    }

    /** Seeded selection: first or a random permutation, optionally only images every source classifies correctly. */
    private int[] selectSamples(Models loaded, Cancellation cancellation) {
        int count = Math.min(spec.countOrDefault(), data.size());
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        if (spec.randomSelection()) {
            SplittableRandom rng = new SplittableRandom(spec.seedOrDefault());
            for (int i = order.length - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        if (!spec.correctOnSources()) {
            int[] chosen = Arrays.copyOf(order, count);
            return chosen;
        }
        int[] chosen = new int[count];
        int k = 0;
        int batch = spec.batchSizeOrDefault();
        for (int from = 0; from < order.length && k < count; from += batch) {
            cancellation.check();
            int[] idx = Arrays.copyOfRange(order, from, Math.min(order.length, from + batch));
            ImageBatch images = data.batch(idx);
            boolean[] ok = new boolean[idx.length];
            Arrays.fill(ok, true);
            for (Classifier source : loaded.allSources()) {
                int[] p = source.predict(images);
                for (int i = 0; i < idx.length; i++) {
                    ok[i] &= p[i] == images.labels()[i];
                }
            }
            for (int i = 0; i < idx.length && k < count; i++) {
                if (ok[i]) {
                    chosen[k++] = idx[i];
                }
            }
        }
        if (k < count) {
            throw new SpecException("only " + k + " images are classified correctly by every source; lower dataset.count to "
                    + k + " or drop correctOnSources");
        }
        return chosen;
    }

    /**
     * Each unit's estimated seconds at the README's benchmark rates: the attack's passes on its source
     * ({@link AttackCost}) and the judging passes on its targets. Only their ratios matter to the ETA, which
     * measures this machine's pace.
     */
    private RunPace pace(List<Unit> units) {
        MachineRates rates = MachineRates.benchmarked();
        int classes = Math.max(2, data.classNames().size());
        int imageSize = data.channels() * data.height() * data.width();
        int judgings = spec.round8OrDefault() ? 2 : 1;
        double[] weight = new double[units.size()];
        double[] attackShare = new double[units.size()];
        String[] kinds = new String[units.size()];
        String[] families = new String[units.size()];
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            int n = u.batchEnd() - u.batchStart();
            int eps = u.attack() == null ? 1 : u.attack().eps().size();
            double judging = 0;
            for (String t : u.targets()) {
                judging += rates.rate(t).seconds(0, (double) n * (u.attack() == null ? 1 : eps * judgings));
            }
            double attack = 0;
            if (u.attack() != null) {
                AttackCost cost = AttackCost.of(u.attack().name(), u.attack().settings(), eps, classes, imageSize);
                attack = n * rates.rate(u.source()).seconds(cost.gradients(), cost.queries());
            }
            families[i] = u.attack() == null ? ResultRow.CLEAN : u.attack().labelOrName();
            kinds[i] = u.attack() == null ? ResultRow.CLEAN : families[i] + " on " + u.source();
            weight[i] = Math.max(1e-9, attack + judging);
            attackShare[i] = attack / weight[i];
        }
        return new RunPace(weight, attackShare, kinds, families);
    }

    /** A unit of work: one batch of samples, clean or attacked, judged by one or more targets. */
    private record Unit(String group, String source, ExperimentSpec.AttackSpec attack, int repetition, int batchStart, int batchEnd,
                       List<String> targets) {

        List<BatchKey> keys() {
            String attackLabel = attack == null ? ResultRow.CLEAN : attack.labelOrName();
            return targets.stream().map(t -> new BatchKey(source, attackLabel, t, repetition, batchStart)).toList();
        }

        String describe() {
            return (attack == null ? "clean pass" : attack.labelOrName() + " on " + source + " (rep " + (repetition + 1) + ")")
                    + ", images " + batchStart + ".." + (batchEnd - 1) + " → " + String.join(", ", targets);
        }
    }

    private List<Unit> units(Models loaded, int samples) {
        int batch = spec.batchSizeOrDefault();
        List<Unit> units = new ArrayList<>();
        List<String> allTargets = loaded.targetIds();
        for (String target : allTargets) {
            for (int from = 0; from < samples; from += batch) {
                units.add(new Unit("", "", null, 0, from, Math.min(samples, from + batch), List.of(target)));
            }
        }
        for (int rep = 0; rep < spec.repetitionsOrDefault(); rep++) {
            for (ExperimentSpec.GroupSpec g : spec.groups()) {
                List<String> targets = g.targets().stream().map(loaded::targetId).toList();
                for (String source : g.sources() == null ? List.<String>of() : g.sources()) {
                    for (ExperimentSpec.AttackSpec a : spec.attacks() == null ? List.<ExperimentSpec.AttackSpec>of() : spec.attacks()) {
                        for (int from = 0; from < samples; from += batch) {
                            units.add(new Unit(g.name(), loaded.sourceId(source), a, rep, from, Math.min(samples, from + batch), targets));
                        }
                    }
                }
            }
        }
        return units;
    }

    private void execute(Unit unit, ResultsStore store, AdversarialFiles adversarials, String runId, int[] indices, Set<BatchKey> finished, Models loaded,
                         Progress within,
                         Cancellation cancellation) {
        ImageBatch clean = data.batch(Arrays.copyOfRange(indices, unit.batchStart(), unit.batchEnd()));
        List<BatchKey> keys = unit.keys();
        if (unit.attack() == null) {
            Target target = loaded.target(unit.targets().get(0));
            List<ResultRow> rows = new ArrayList<>();
            judge(target, clean, clean.pixels(), indices, unit, ResultRow.CLEAN, 0, false, rows);
            store.commitBatch(runId, keys.get(0), rows);
            finished.add(keys.get(0));
            committed(unit, keys.get(0), rows.size());
            return;
        }
        Attack attack = Attacks.create(unit.attack().name(), unit.attack().settings());
        Classifier source = loaded.source(unit.source(), attack.access() == Access.GRADIENTS);
        double[] eps = unit.attack().eps().stream().mapToDouble(Double::doubleValue).toArray();
        long seed = unitSeed(spec.seedOrDefault(), unit);
        AttackContext context = new AttackContext(seed, cancellation, within);
        BatchOutcome outcome = AttackRunner.attackBatch(attack, source, clean, Goal.untargeted(clean.labels()), eps, context,
                spec.round8OrDefault(), unit.batchStart());
        if (adversarials != null) {
            // written before the rows commit: a committed unit always has its tensors (a crash may leave an
            // uncommitted unit's file, which its resume overwrites with identical values)
            BatchKey tensors = new BatchKey(unit.source(), unit.attack().labelOrName(), "", unit.repetition(), unit.batchStart());
            int[] shape = {clean.size(), clean.channels(), clean.height(), clean.width()};
            for (EpsilonOutcome o : outcome.epsilons()) {
                adversarials.write(runId, tensors, o.epsilon(), new org.mrw.core.data.NpzArrays.FloatArray(shape, o.pixels()));
            }
        }
        for (int t = 0; t < unit.targets().size(); t++) {
            if (finished.contains(keys.get(t))) {
                continue;
            }
            cancellation.check();
            Target target = loaded.target(unit.targets().get(t));
            List<ResultRow> rows = new ArrayList<>();
            for (EpsilonOutcome o : outcome.epsilons()) {
                judge(target, clean, o.pixels(), indices, unit, unit.attack().labelOrName(), o.epsilon(), false, rows);
                if (o.rounded() != null) {
                    judge(target, clean, o.rounded().pixels(), indices, unit, unit.attack().labelOrName(), o.epsilon(), true, rows);
                }
            }
            store.commitBatch(runId, keys.get(t), rows);
            finished.add(keys.get(t));
            committed(unit, keys.get(t), rows.size());
        }
    }

    /** Evaluates {@code pixels} on the target and appends one row per image, with its L∞ and L2 change. */
    private static void judge(Target target, ImageBatch clean, float[] pixels, int[] indices, Unit unit, String attack,
                              double epsilon, boolean rounded, List<ResultRow> rows) {
        int n = clean.size();
        int k = target.numClasses();
        float[] logits = target.logits(clean.withPixels(pixels));
        double[] linf = org.mrw.core.attack.Norm.LINF.distances(pixels, clean.pixels(), n, clean.imageSize());
        double[] l2 = org.mrw.core.attack.Norm.L2.distances(pixels, clean.pixels(), n, clean.imageSize());
        for (int i = 0; i < n; i++) {
            int label = clean.labels()[i];
            int best = 0;
            double max = Double.NEGATIVE_INFINITY;
            double otherMax = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                float v = logits[i * k + c];
                if (v > max) {
                    max = v;
                    best = c;
                }
                if (c != label) {
                    otherMax = Math.max(otherMax, v);
                }
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logits[i * k + c] - max);
            }
            float confidence = (float) (1 / sum);
            float margin = (float) (logits[i * k + label] - otherMax);
            rows.add(new ResultRow(indices[unit.batchStart() + i], label, unit.source(), attack, epsilon, rounded, target.id(),
                    unit.repetition(), best, confidence, margin, (float) linf[i], (float) l2[i]));
        }
    }

    /** SplitMix64 over the spec seed and the unit's identity: stable across resumes and shards. */
    static long unitSeed(long seed, Unit unit) {
        long h = seed;
        for (String part : List.of(unit.source(), unit.attack().labelOrName())) {
            h = mix(h ^ part.hashCode());
        }
        h = mix(h ^ unit.repetition());
        return mix(h ^ unit.batchStart());
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The spec's models, each loaded once: targets for inference, sources (differentiable when needed). */
    private static final class Models implements AutoCloseable {
        private final ModelResolver resolver;
        private final ExperimentSpec spec;
        private final Map<String, Target> targets = new LinkedHashMap<>();
        private final Map<String, String> targetIds = new LinkedHashMap<>();
        private final Map<String, String> sourceIds = new LinkedHashMap<>();
        private final Map<String, Classifier> sources = new LinkedHashMap<>();
        private final Map<String, Classifier> sourcesForGradients = new LinkedHashMap<>();
        private final Map<String, ModelResolver.Resolved> resolved = new LinkedHashMap<>();

        Models(ExperimentSpec spec, ModelResolver resolver, DeviceTargets devices) {
            this.spec = spec;
            this.resolver = resolver;
            try {
                for (ExperimentSpec.GroupSpec g : spec.groups()) {
                    for (String ref : g.targets()) {
                        ModelResolver.Resolved r = resolve(ref);
                        targetIds.put(ref, r.id());
                        if (r.device() != null && devices == null) {
                            throw new SpecException("target " + ref + " runs on a device, but this run has no device "
                                    + "access (run it with mrw run, which reaches the host device and adb)");
                        }
                        targets.computeIfAbsent(r.id(), id -> r.device() != null
                                ? devices.target(id, r.device(), r.file(), r.descriptor())
                                : new ModelTarget(id, org.mrw.core.model.Models.load(r.file(), r.descriptor())));
                    }
                    for (String ref : g.sources() == null ? List.<String>of() : g.sources()) {
                        sourceIds.put(ref, resolve(ref).id());
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        private ModelResolver.Resolved resolve(String ref) {
            return resolved.computeIfAbsent(ref, resolver::resolve);
        }

        List<String> targetIds() {
            return List.copyOf(targets.keySet());
        }

        String targetId(String ref) {
            return targetIds.get(ref);
        }

        String sourceId(String ref) {
            return sourceIds.get(ref);
        }

        Target target(String id) {
            return targets.get(id);
        }

        /** Sources for prediction (sample selection). */
        List<Classifier> allSources() {
            List<Classifier> out = new ArrayList<>();
            for (String ref : sourceIds.keySet()) {
                out.add(source(sourceIds.get(ref), false));
            }
            return out;
        }

        Classifier source(String id, boolean gradients) {
            Map<String, Classifier> cache = gradients ? sourcesForGradients : sources;
            Classifier c = cache.get(id);
            if (c == null) {
                ModelResolver.Resolved r = resolved.values().stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
                c = gradients ? org.mrw.core.model.Models.loadDifferentiable(r.file(), r.descriptor())
                        : org.mrw.core.model.Models.load(r.file(), r.descriptor());
                cache.put(id, c);
            }
            return c;
        }

        @Override
        public void close() {
            targets.values().forEach(Target::close);
            sources.values().forEach(Classifier::close);
            sourcesForGradients.values().forEach(Classifier::close);
        }
    }
}
