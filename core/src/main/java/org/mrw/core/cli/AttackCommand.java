package org.mrw.core.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.mrw.core.attack.Access;
import org.mrw.core.attack.Attack;
import org.mrw.core.attack.AttackReport;
import org.mrw.core.attack.AttackRunner;
import org.mrw.core.attack.AttackSettings;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.BatchOutcome;
import org.mrw.core.attack.Norm;
import org.mrw.core.attack.Transfer;
import org.mrw.core.data.Dataset;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Models;
import org.mrw.core.task.Cancellation;
import org.mrw.core.task.Progress;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mrw attack}: one attack's ε sweep on one model, optionally judged on further models (transfer).
 * Ctrl-C stops at the next step and still prints the report for the batches already done.
 */
@Command(name = "attack", description = "Run an attack's ε sweep on a model and report accuracy and success per ε.")
final class AttackCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The model attacked (the source).")
    Path model;

    @Option(names = "--descriptor", paramLabel = "FILE", description = "Input descriptor of --model (default: beside it).")
    Path descriptor;

    @Option(names = "--attack", required = true, paramLabel = "NAME",
            description = "fgsm, bim, pgd, deepfool, cw, boundary, hopskipjump, square.")
    String attackName;

    @Option(names = "--eps", required = true, split = ",", paramLabel = "LIST", converter = BudgetConverter.class,
            description = "Budgets in the attack's norm, comma-separated, e.g. 0,0.01,0.02,0.05,0.1; inf for a "
                    + "minimisation attack's unbounded run (its minimal perturbations).")
    List<Double> epsilons;

    @Option(names = "--norm", paramLabel = "N", description = "linf or l2 (default: the attack's own).")
    String norm;

    @Option(names = "--steps", paramLabel = "N", description = "Iterations or query steps (default: the attack's own).")
    Integer steps;

    @Option(names = "--step-ratio", paramLabel = "R", description = "PGD/BIM step size as a fraction of ε (default 0.25).")
    Double stepRatio;

    @Option(names = "--random-start", description = "PGD: start from a random point in the ε-ball.")
    boolean randomStart;

    @Option(names = "--directions", paramLabel = "N",
            description = "Boundary: proposals per image per step (default 5; 1 is Foolbox 3's 2 queries a step).")
    Integer directions;

    @Option(names = "--start", paramLabel = "S",
            description = "Boundary/HopSkipJump first adversarial: noise (default, as Foolbox) or data (then the nearest "
                    + "other image of the batch that reaches the goal, for classes noise never leaves).")
    String start;

    @Option(names = "--target-shift", paramLabel = "K", defaultValue = "0",
            description = "Targeted: push each image to class (label + K) mod classes (default 0: untargeted).")
    int targetShift;

    @Option(names = "--transfer-to", paramLabel = "FILE", description = "Also judge the adversarials on this model; repeatable.")
    List<Path> transferTo = new ArrayList<>();

    @Mixin
    DatasetArgs datasetArgs;

    @Option(names = "--limit", paramLabel = "N", description = "Attack only the first N images (default: all).")
    Integer limit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "100", description = "Images per batch (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0", description = "Seed of every random choice (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--round8", description = "Also judge the adversarials rounded to 8-bit levels (as saved to PNG).")
    boolean round8;

    @Mixin
    JsonOutput output;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (limit != null && limit <= 0) {
            throw new IllegalArgumentException("--limit must be positive, got " + limit);
        }
        Attack attack = Attacks.create(attackName, new AttackSettings(norm == null ? null : Norm.parse(norm), steps,
                stepRatio, randomStart ? Boolean.TRUE : null, directions,
                start == null ? null : org.mrw.core.attack.DecisionStart.parse(start)));
        double[] eps = epsilons.stream().mapToDouble(Double::doubleValue).toArray();
        AttackRunner.Options options = new AttackRunner.Options(eps, seed, round8, batchSize, targetShift);
        Models.detect(model);
        transferTo.forEach(Models::detect);
        Dataset data = datasetArgs.open();
        InputSpec fallback = InputSpec.plain(InputSpec.Layout.NCHW, data.channels(), data.height(), data.width(), data.classNames());
        InputSpec given = descriptor == null ? null : InputSpec.read(descriptor);
        int n = limit == null ? data.size() : Math.min(limit, data.size());

        List<Classifier> targets = new ArrayList<>();
        Cancellation cancellation = new Cancellation();
        Thread hook = new Thread(cancellation::cancel, "mrw-attack-cancel");
        try (Classifier source = attack.access() == Access.GRADIENTS
                ? Models.loadDifferentiable(model, given, fallback) : Models.load(model, given, fallback)) {
            List<Transfer> transfers = new ArrayList<>();
            for (Path t : transferTo) {
                Classifier target = Models.load(t, null, fallback);
                targets.add(target);
                transfers.add(new Transfer(source, target));
            }
            Consumer<BatchOutcome> sink = b -> transfers.forEach(t -> t.accept(b));
            Runtime.getRuntime().addShutdownHook(hook);
            AttackReport report = AttackRunner.run(attack, source, data, n, options, progress(), cancellation, sink);
            output.print(spec.commandLine().getOut(), document(report, source, data, transfers), text(report, transfers));
            return report.cancelled() ? 130 : 0;
        } finally {
            targets.forEach(Classifier::close);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook already ran and cancelled; the report above was printed
            }
        }
    }

    /** Progress on stderr (the human's terminal), at most every few percent. */
    private Progress progress() {
        var err = spec.commandLine().getErr();
        long[] last = {-1};
        return (done, total, message) -> {
            long percent = total == 0 ? 100 : done * 100 / total;
            if (percent / 5 != last[0] / 5 && !output.json) {
                last[0] = percent;
                err.printf(Locale.ROOT, "%3d%% %s%n", percent, message);
                err.flush();
            }
        };
    }

    private static Map<String, Object> document(AttackReport r, Classifier source, Dataset data, List<Transfer> transfers) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("attack", r.attackName());
        doc.put("settings", r.attack());
        doc.put("model", r.model());
        doc.put("file", source.info().file().toString());
        doc.put("dataset", data.name());
        doc.put("samples", r.samples());
        doc.put("cleanAccuracy", finite(r.cleanAccuracy()));
        List<Map<String, Object>> results = new ArrayList<>();
        for (AttackReport.Summary s : r.results()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epsilon", jsonBudget(s.epsilon()));
            row.put("accuracy", finite(s.accuracy()));
            row.put("successRate", finite(s.successRate()));
            row.put("medianL2", finite(s.medianL2()));
            if (!Double.isNaN(s.effectiveEpsilon())) {
                row.put("effectiveEpsilon", s.effectiveEpsilon());
                row.put("roundedAccuracy", finite(s.roundedAccuracy()));
                row.put("roundedSuccessRate", finite(s.roundedSuccessRate()));
            }
            results.add(row);
        }
        doc.put("results", results);
        if (r.minimal() != null) {
            doc.put("medianMinimalPerturbation", finite(median(r.minimal())));
        }
        if (r.queries() > 0) {
            doc.put("queriesPerImage", r.queries());
        }
        if (!transfers.isEmpty()) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (Transfer t : transfers) {
                Transfer.Report tr = t.report();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("source", tr.source());
                m.put("target", tr.target());
                m.put("targetFile", t.target().info().file().toString());
                m.put("targetFormat", t.target().info().format().displayName());
                m.put("cleanAccuracy", finite(tr.cleanAccuracy()));
                m.put("results", tr.results().stream().map(x -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("epsilon", jsonBudget(x.epsilon()));
                    row.put("accuracy", finite(x.accuracy()));
                    row.put("successRate", finite(x.successRate()));
                    if (!Double.isNaN(x.roundedAccuracy())) {
                        row.put("roundedAccuracy", x.roundedAccuracy());
                    }
                    return row;
                }).toList());
                list.add(m);
            }
            doc.put("transfer", list);
        }
        doc.put("seconds", r.seconds());
        if (r.cancelled()) {
            doc.put("cancelled", true);
        }
        return doc;
    }

    private static String text(AttackReport r, List<Transfer> transfers) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s on %s, %d images%s: clean accuracy %.4f%n", r.attack(), r.model(), r.samples(),
                r.cancelled() ? " (cancelled)" : "", r.cleanAccuracy()));
        b.append(String.format(Locale.ROOT, "%10s %9s %9s %9s%n", "epsilon", "accuracy", "success", "medianL2"));
        for (AttackReport.Summary s : r.results()) {
            b.append(String.format(Locale.ROOT, "%10.4f %9.4f %9.4f %9.4f", s.epsilon(), s.accuracy(), s.successRate(), s.medianL2()));
            if (!Double.isNaN(s.effectiveEpsilon())) {
                b.append(String.format(Locale.ROOT, "   8-bit: eps %.4f accuracy %.4f", s.effectiveEpsilon(), s.roundedAccuracy()));
            }
            b.append('\n');
        }
        for (Transfer t : transfers) {
            Transfer.Report tr = t.report();
            b.append(String.format(Locale.ROOT, "transfer %s -> %s (%s): clean %.4f, accuracy per eps", tr.source(),
                    t.target().info().file().getFileName(), t.target().info().format().displayName(), tr.cleanAccuracy()));
            tr.results().forEach(x -> b.append(String.format(Locale.ROOT, " %.4f", x.accuracy())));
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "%.1f s", r.seconds()));
        return b.toString();
    }

    /** JSON has no NaN: unknown values are null. */
    static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** JSON has no infinity: an unbounded budget is written "inf", as {@code report} does. */
    private static Object jsonBudget(double epsilon) {
        return Double.isInfinite(epsilon) ? "inf" : epsilon;
    }

    /** {@code --eps} values: numbers or inf, as in spec files. */
    static final class BudgetConverter implements picocli.CommandLine.ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            try {
                return org.mrw.core.attack.Budgets.parse(value);
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
