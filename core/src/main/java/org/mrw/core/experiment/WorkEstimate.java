package org.mrw.core.experiment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mrw.core.attack.AttackCost;

/**
 * How much computing a spec asks for, counted the way {@link ExperimentRunner} works: optional sample
 * selection on every source, a clean pass on every target, then for every repetition × group × source ×
 * attack the attack's passes on the source ({@link AttackCost}) and one judging pass per ε (two with 8-bit
 * rounding) on every target of the group. A pass is one image through one model.
 *
 * @param images      images selected ({@code dataset.count})
 * @param attacks     per attack of the spec, its cost per image on one source
 * @param perModel    passes per model reference, in the spec's order (sources and targets)
 * @param selection   forward passes to select images every source gets right (at least; 0 without the rule)
 * @param clean       forward passes of the clean baseline (every target, every image)
 * @param judging     forward passes of targets judging adversarials
 * @param gradients   forward+backward passes of the attacks on the sources
 * @param queries     forward-only passes of the attacks on the sources
 */
public record WorkEstimate(int images, List<AttackLine> attacks, Map<String, Passes> perModel, double selection, double clean,
                           double judging, double gradients, double queries) {

    /** What a model reference's size is: its classes and values per image. */
    public interface ModelFacts {
        int classes(String reference);

        int imageSize(String reference);

        /** Fashion-MNIST's 10 classes of 1×28×28 images (the bundled dataset) for every model. */
        ModelFacts FASHION_MNIST = new ModelFacts() {
            @Override
            public int classes(String reference) {
                return 10;
            }

            @Override
            public int imageSize(String reference) {
                return 28 * 28;
            }
        };
    }

    /**
     * One attack of the spec.
     *
     * @param label    how results name it
     * @param epsilons budgets in its sweep
     * @param cost     per image on one source (for the first source's model size)
     * @param runs     source × repetition runs of it (each over every image)
     */
    public record AttackLine(String label, int epsilons, AttackCost cost, int runs) {
    }

    /** Passes through one model. */
    public record Passes(double gradients, double forwards) {

        Passes plus(double g, double f) {
            return new Passes(gradients + g, forwards + f);
        }
    }

    /** Counts the passes of a valid spec (as {@link ExperimentSpec#parse} returns it). */
    public static WorkEstimate of(ExperimentSpec spec, ModelFacts facts) {
        int n = spec.countOrDefault();
        int reps = spec.repetitionsOrDefault();
        int judgings = spec.round8OrDefault() ? 2 : 1;
        Map<String, Passes> perModel = new LinkedHashMap<>();
        Set<String> sources = new LinkedHashSet<>();
        Set<String> targets = new LinkedHashSet<>();
        for (ExperimentSpec.GroupSpec g : spec.groups()) {
            sources.addAll(g.sources() == null ? List.of() : g.sources());
            targets.addAll(g.targets());
        }
        double selection = 0;
        if (spec.correctOnSources()) {
            // every candidate image goes through every source until count are kept: at least count each
            for (String s : sources) {
                perModel.merge(s, new Passes(0, n), (a, b) -> a.plus(b.gradients(), b.forwards()));
                selection += n;
            }
        }
        double clean = 0;
        for (String t : targets) {
            perModel.merge(t, new Passes(0, n), (a, b) -> a.plus(b.gradients(), b.forwards()));
            clean += n;
        }
        List<ExperimentSpec.AttackSpec> attackSpecs = spec.attacks() == null ? List.of() : spec.attacks();
        List<AttackLine> lines = new ArrayList<>();
        double judging = 0;
        double gradients = 0;
        double queries = 0;
        for (ExperimentSpec.AttackSpec a : attackSpecs) {
            int eps = a.eps().size();
            int runs = 0;
            AttackCost shown = null;
            for (ExperimentSpec.GroupSpec g : spec.groups()) {
                for (String s : g.sources() == null ? List.<String>of() : g.sources()) {
                    AttackCost cost = AttackCost.of(a.name(), a.settings(), eps, facts.classes(s), facts.imageSize(s));
                    shown = shown == null ? cost : shown;
                    runs += reps;
                    double g0 = cost.gradients() * n * reps;
                    double q0 = cost.queries() * n * reps;
                    perModel.merge(s, new Passes(g0, q0), (x, y) -> x.plus(y.gradients(), y.forwards()));
                    gradients += g0;
                    queries += q0;
                    for (String t : g.targets()) {
                        double f = (double) n * eps * judgings * reps;
                        perModel.merge(t, new Passes(0, f), (x, y) -> x.plus(y.gradients(), y.forwards()));
                        judging += f;
                    }
                }
            }
            if (shown == null) {
                shown = AttackCost.of(a.name(), a.settings(), eps, 10, 784);
            }
            lines.add(new AttackLine(a.labelOrName(), eps, shown, runs));
        }
        return new WorkEstimate(n, List.copyOf(lines), java.util.Collections.unmodifiableMap(perModel), selection, clean, judging,
                gradients, queries);
    }

    /** Forward-only passes of every kind. */
    public double forwards() {
        return selection + clean + judging + queries;
    }

    /**
     * A rough running time on this computer: each model's passes at its architecture's rate, plus loading
     * every model once. Targets on devices are left out (their speed is the device's), and counted in
     * {@link TimeEstimate#deviceForwards()}.
     */
    public TimeEstimate time(MachineRates rates) {
        double compute = 0;
        double device = 0;
        int loaded = 0;
        Set<String> unknown = new LinkedHashSet<>();
        for (Map.Entry<String, Passes> e : perModel.entrySet()) {
            String ref = e.getKey();
            if (ref.startsWith(ModelResolver.DEVICE)) {
                device += e.getValue().forwards();
                continue;
            }
            loaded++;
            MachineRates.Rate rate = rates.rate(ref);
            if (!rate.known()) {
                unknown.add(ref);
            }
            compute += rate.seconds(e.getValue().gradients(), e.getValue().forwards());
        }
        return new TimeEstimate(compute, loaded * rates.loadSeconds(), device, List.copyOf(unknown), rates.source());
    }

    /**
     * @param computeSeconds passes on this computer at the benchmark rates
     * @param loadSeconds    loading the models (engines start on first use)
     * @param deviceForwards passes on devices, not timed here
     * @param unknownModels  models of no benchmarked architecture (timed at the slowest architecture's rate)
     * @param source         where the rates come from
     */
    public record TimeEstimate(double computeSeconds, double loadSeconds, double deviceForwards, List<String> unknownModels,
                               String source) {

        public double totalSeconds() {
            return computeSeconds + loadSeconds;
        }
    }
}
