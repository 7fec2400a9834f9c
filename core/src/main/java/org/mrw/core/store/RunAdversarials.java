package org.mrw.core.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.mrw.core.attack.Perturbations;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.experiment.ExperimentSpec;

/**
 * The adversarial images a finished run kept ({@link AdversarialFiles}), put back together with their
 * clean images, labels and each target's prediction: what image exports and run bundles need.
 */
public final class RunAdversarials {

    /**
     * One set of stored adversarials: all images of one source × attack × ε × repetition (one file per batch).
     */
    public record Unit(String source, String attack, double epsilon, int repetition) {

        /** "fgsm ε=0.0314 (8/255) on resnet_float_pt". */
        public String describe() {
            return attack + " ε=" + epsilonText(epsilon) + " on " + source + (repetition > 0 ? " (repetition " + repetition + ")" : "");
        }
    }

    /**
     * One image: dataset index, true label, clean pixels and adversarial pixels (CHW in [0, 1]).
     */
    public record Sample(int datasetIndex, int label, float[] original, float[] adversarial) {
    }

    /**
     * The images of a unit, in selection order.
     *
     * @param unit    which adversarials
     * @param rounded whether the adversarials were rounded to 8-bit levels (as the rounded rows judged them)
     */
    public record Samples(Unit unit, boolean rounded, List<Sample> samples, int channels, int height, int width,
                          List<String> classNames) {

        public String className(int label) {
            return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
        }
    }

    private RunAdversarials() {
    }

    /** The units whose adversarials {@code workspace} holds for the run, ordered by source, attack, ε. */
    public static List<Unit> units(Path workspace, String runId, List<ResultRow> rows) {
        Map<String, String> sources = new HashMap<>();
        Map<String, String> attacks = new HashMap<>();
        for (ResultRow r : rows) {
            if (!ResultRow.CLEAN.equals(r.attack())) {
                sources.putIfAbsent(AdversarialFiles.safeName(r.source()), r.source());
                attacks.putIfAbsent(AdversarialFiles.safeName(r.attack()), r.attack());
            }
        }
        Set<Unit> units = new LinkedHashSet<>();
        for (Path f : files(workspace, runId)) {
            String[] parts = f.getFileName().toString().split("__");
            if (parts.length != 5 || !parts[2].startsWith("eps") || !parts[3].startsWith("r") || "epsinf".equals(parts[2])) {
                continue;
            }
            String source = sources.get(parts[0]);
            String attack = attacks.get(parts[1]);
            if (source == null || attack == null) {
                continue;
            }
            try {
                units.add(new Unit(source, attack, Double.parseDouble(parts[2].substring(3)), Integer.parseInt(parts[3].substring(1))));
            } catch (NumberFormatException e) {
                // not one of ours: skip
            }
        }
        List<Unit> out = new ArrayList<>(units);
        out.sort(Comparator.comparing(Unit::source).thenComparing(Unit::attack).thenComparingDouble(Unit::epsilon)
                .thenComparingInt(Unit::repetition));
        return out;
    }

    /** The dataset a run drew its images from: its spec's path (absolute, or relative to the workspace), else the bundled one. */
    public static Dataset dataset(RunInfo run, Path workspace) {
        ExperimentSpec spec = ExperimentSpec.parse(run.spec(), run.name());
        if (spec.dataset() == null || spec.dataset().path() == null) {
            return Datasets.fashionMnistTest();
        }
        Path p = Path.of(spec.dataset().path());
        for (Path candidate : new Path[] {p, workspace.resolve(p), workspace.toAbsolutePath().getParent() == null ? p
                : workspace.toAbsolutePath().getParent().resolve(p)}) {
            if (Files.exists(candidate)) {
                return Datasets.open(candidate, DatasetOptions.defaults());
            }
        }
        throw new StoreException("The run's dataset " + spec.dataset().path() + " is not there (looked beside the workspace "
                + workspace + "); put it back to export its images.");
    }

    /**
     * The first {@code limit} images of a unit (all when {@code limit <= 0}) with their clean versions from
     * {@code data}; {@code rounded} rounds the adversarials to 8-bit levels as the run did for its rounded rows.
     */
    public static Samples load(Path workspace, String runId, int[] datasetIndices, Unit unit, boolean rounded, Dataset data, int limit) {
        AdversarialFiles files = new AdversarialFiles(workspace);
        TreeMap<Integer, Path> batches = new TreeMap<>();
        String prefix = files.path(runId, new BatchKey(unit.source(), unit.attack(), "", unit.repetition(), 0), unit.epsilon())
                .getFileName().toString();
        prefix = prefix.substring(0, prefix.length() - "0.npy".length());
        for (Path f : files(workspace, runId)) {
            String name = f.getFileName().toString();
            if (name.startsWith(prefix) && name.endsWith(".npy")) {
                try {
                    batches.put(Integer.parseInt(name.substring(prefix.length(), name.length() - 4)), f);
                } catch (NumberFormatException e) {
                    // another unit whose name merely starts alike
                }
            }
        }
        if (batches.isEmpty()) {
            throw new StoreException("No adversarial images of " + unit.describe() + " in " + workspace.resolve(AdversarialFiles.FOLDER)
                    + ": the run did not keep them.");
        }
        List<Sample> out = new ArrayList<>();
        int c = data.channels();
        int h = data.height();
        int w = data.width();
        int size = c * h * w;
        for (Map.Entry<Integer, Path> b : batches.entrySet()) {
            NpzArrays.FloatArray a = NpzArrays.readNpy(b.getValue());
            if (a.shape().length != 4 || a.shape()[1] * a.shape()[2] * a.shape()[3] != size) {
                throw new StoreException(b.getValue() + " holds images shaped " + Arrays.toString(a.shape()) + ", but the dataset's are "
                        + c + "×" + h + "×" + w + ": the run used another dataset.");
            }
            int n = a.shape()[0];
            int count = limit > 0 ? Math.min(n, limit - out.size()) : n;
            int start = b.getKey();
            if (start + count > datasetIndices.length) {
                throw new StoreException(b.getValue() + " goes past the run's " + datasetIndices.length + " selected samples");
            }
            int[] indices = Arrays.copyOfRange(datasetIndices, start, start + count);
            ImageBatch clean = data.batch(indices);
            for (int i = 0; i < count; i++) {
                float[] adv = Arrays.copyOfRange(a.values(), i * size, (i + 1) * size);
                out.add(new Sample(indices[i], clean.labels()[i], Arrays.copyOfRange(clean.pixels(), i * size, (i + 1) * size),
                        rounded ? Perturbations.round8(adv) : adv));
            }
            if (limit > 0 && out.size() >= limit) {
                break;
            }
        }
        return new Samples(unit, rounded, out, c, h, w, data.classNames());
    }

    /**
     * Each sample's prediction on {@code target} under the unit (dataset index → row), from the run's rows.
     */
    public static Map<Integer, ResultRow> judgements(List<ResultRow> rows, Unit unit, boolean rounded, String target) {
        Map<Integer, ResultRow> out = new LinkedHashMap<>();
        for (ResultRow r : rows) {
            if (r.target().equals(target) && r.rounded() == rounded && r.repetition() == unit.repetition()
                    && r.source().equals(unit.source()) && r.attack().equals(unit.attack()) && r.epsilon() == unit.epsilon()) {
                out.put(r.sample(), r);
            }
        }
        return out;
    }

    /** "0.0314 (8/255)" for whole 8-bit levels, else the decimal. */
    public static String epsilonText(double eps) {
        long levels = Math.round(eps * 255);
        String dec = String.format(java.util.Locale.ROOT, "%.4f", eps);
        return levels > 0 && Math.abs(eps * 255 - levels) < 1e-6 ? dec + " (" + levels + "/255)" : dec;
    }

    /** Every adversarial file of the run (empty when it kept none). */
    static List<Path> files(Path workspace, String runId) {
        Path dir = workspace.resolve(AdversarialFiles.FOLDER).resolve(AdversarialFiles.safeName(runId));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".npy")).sorted().toList();
        } catch (IOException | UncheckedIOException e) {
            throw new StoreException("Cannot list " + dir + " (" + e.getMessage() + ").", e);
        }
    }
}
