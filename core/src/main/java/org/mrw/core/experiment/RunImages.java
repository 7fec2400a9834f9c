package org.mrw.core.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mrw.core.analysis.Condition;
import org.mrw.core.attack.Perturbations;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.BatchKey;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.StoreException;

/**
 * The images behind a run's result rows: a sample's clean image from the run's dataset (by the run's
 * dataset indices) and its adversarial as {@link ExperimentRunner} saved it (one NPY per source ×
 * attack × ε × repetition × batch), plus that adversarial rounded to 8 bits exactly as the runner
 * rounded it before judging. Recently read files are cached; not thread-safe.
 */
public final class RunImages {

    /**
     * One sample under one condition, CHW floats in [0, 1].
     *
     * @param original    the clean image
     * @param adversarial the float adversarial (the clean image for the clean condition)
     * @param rounded     the adversarial rounded to 8-bit levels
     */
    public record Images(int channels, int height, int width, float[] original, float[] adversarial, float[] rounded) {

        /** adversarial − original, or rounded − original. */
        public float[] perturbation(boolean roundedVersion) {
            float[] a = roundedVersion ? rounded : adversarial;
            float[] d = new float[a.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = a[i] - original[i];
            }
            return d;
        }

        /** The largest |δ| of the float and the rounded perturbation: one colour scale for both. */
        public double maxPerturbation() {
            double m = 0;
            for (int i = 0; i < original.length; i++) {
                m = Math.max(m, Math.max(Math.abs(adversarial[i] - original[i]), Math.abs(rounded[i] - original[i])));
            }
            return m;
        }
    }

    private static final int CACHED_FILES = 8;

    private final String runId;
    private final Dataset dataset;
    private final AdversarialFiles files;
    private final int batchSize;
    private final Map<Integer, Integer> positions = new LinkedHashMap<>();
    private final Map<Path, NpzArrays.FloatArray> cache = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Path, NpzArrays.FloatArray> eldest) {
            return size() > CACHED_FILES;
        }
    };

    /**
     * @param workspace the run's workspace (its adversarials folder)
     * @param run       the run (its spec gives the batch size the files were cut by)
     * @param samples   the run's dataset indices in selection order ({@code store.samples(runId)})
     * @param dataset   the run's dataset ({@link #dataset(RunInfo, Path)})
     */
    public RunImages(Path workspace, RunInfo run, int[] samples, Dataset dataset) {
        this.runId = run.id();
        this.dataset = dataset;
        this.files = new AdversarialFiles(workspace);
        this.batchSize = ExperimentSpec.parse(run.spec(), run.name()).batchSizeOrDefault();
        for (int p = 0; p < samples.length; p++) {
            positions.putIfAbsent(samples[p], p);
        }
    }

    /**
     * Opens the dataset a run's spec names: the bundled Fashion-MNIST test split when it names none, else
     * its path as given, or relative to the workspace or the workspace's parent (specs name it relative
     * to their own folder, which the run does not record).
     *
     * @throws StoreException when the file is in none of those places
     */
    public static Dataset dataset(RunInfo run, Path workspace) {
        ExperimentSpec spec = ExperimentSpec.parse(run.spec(), run.name());
        if (spec.dataset() == null || spec.dataset().path() == null) {
            return Datasets.fashionMnistTest();
        }
        Path named = Path.of(spec.dataset().path());
        List<Path> tried = new ArrayList<>(List.of(named));
        if (!named.isAbsolute()) {
            tried.add(workspace.resolve(named));
            if (workspace.toAbsolutePath().getParent() != null) {
                tried.add(workspace.toAbsolutePath().getParent().resolve(named));
            }
        }
        for (Path p : tried) {
            if (Files.exists(p)) {
                return Datasets.open(p, DatasetOptions.defaults());
            }
        }
        throw new StoreException("The dataset of run " + run.id() + " (" + spec.dataset().path() + ") is not at " + tried
                + ". Put it there (or next to the workspace) to see the run's images.");
    }

    public Dataset dataset() {
        return dataset;
    }

    /**
     * The sample's images under {@code condition}.
     *
     * @throws IllegalArgumentException if the sample is not in the run
     * @throws StoreException           if the run did not save that adversarial
     */
    public Images images(int sample, Condition condition, int repetition) {
        Integer position = positions.get(sample);
        if (position == null) {
            throw new IllegalArgumentException("sample " + sample + " is not in run " + runId);
        }
        ImageBatch clean = dataset.batch(new int[] {sample});
        float[] original = clean.pixels();
        float[] adversarial = original;
        if (!condition.clean()) {
            int batchStart = position / batchSize * batchSize;
            BatchKey key = new BatchKey(condition.source(), condition.attack(), "", repetition, batchStart);
            Path file = files.path(runId, key, condition.epsilon());
            NpzArrays.FloatArray batch = cache.computeIfAbsent(file, f -> files.read(runId, key, condition.epsilon()));
            int size = clean.imageSize();
            int at = position - batchStart;
            int[] shape = batch.shape();
            if (shape[0] <= at || shape[1] * shape[2] * shape[3] != size) {
                throw new StoreException("The adversarial file " + file + " has shape " + java.util.Arrays.toString(shape)
                        + ", which does not hold image " + at + " of " + size + " values; the workspace does not match run "
                        + runId + ".");
            }
            adversarial = java.util.Arrays.copyOfRange(batch.values(), at * size, (at + 1) * size);
        }
        return new Images(clean.channels(), clean.height(), clean.width(), original, adversarial,
                Perturbations.round8(adversarial));
    }
}
