package org.mrw.core.zoo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.mrw.core.data.Dataset;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.ModelLoadException;
import org.mrw.core.model.Models;
import org.mrw.core.model.eval.Evaluation;
import org.mrw.core.model.eval.Evaluator;

/** Checks a checkout's zoo against its manifest: every file present, unchanged, and as accurate as recorded. */
public final class ZooVerifier {

    /** Largest allowed difference between measured and recorded accuracy (0.2 points). */
    public static final double TOLERANCE = 0.002;

    private static final int BATCH = 250;

    /**
     * Outcome for one manifest entry.
     *
     * @param id       entry id
     * @param ok       file present, checksum equal and accuracy within {@link #TOLERANCE}
     * @param sha256Ok checksum equal
     * @param accuracy measured accuracy (NaN when the model could not run)
     * @param expected accuracy in the manifest
     * @param problem  what went wrong, or null
     */
    public record Result(String id, boolean ok, boolean sha256Ok, double accuracy, double expected, String problem) {
    }

    private ZooVerifier() {
    }

    /** Verifies every entry of the manifest at {@code manifestFile} on {@code data}; {@code progress} sees each result. */
    public static List<Result> verify(Path manifestFile, Dataset data, Consumer<Result> progress) {
        ZooManifest manifest = ZooManifest.read(manifestFile);
        if (manifest.dataset() != null && manifest.dataset().samples() != data.size()) {
            throw new IllegalArgumentException("the manifest's accuracies are on " + manifest.dataset().samples()
                    + " images but the dataset holds " + data.size());
        }
        Path root = manifestFile.toAbsolutePath().getParent();
        List<Result> results = new ArrayList<>();
        for (ZooManifest.Entry e : manifest.entries()) {
            Result r = verify(root, e, data);
            results.add(r);
            progress.accept(r);
        }
        return results;
    }

    private static Result verify(Path root, ZooManifest.Entry e, Dataset data) {
        Path file = root.resolve(e.path());
        if (!Files.exists(file)) {
            return new Result(e.id(), false, false, Double.NaN, e.accuracy(), "missing file " + file + "; run models/build");
        }
        boolean sha = Checksums.sha256(file).equals(e.sha256());
        try (Classifier model = Models.load(file, e.input())) {
            Evaluation ev = Evaluator.evaluate(model, data, data.size(), BATCH);
            boolean accurate = Math.abs(ev.accuracy() - e.accuracy()) <= TOLERANCE;
            String problem = !sha ? "sha256 differs from the manifest" : accurate ? null
                    : String.format("accuracy %.4f differs from the manifest's %.4f by more than %.1f points",
                            ev.accuracy(), e.accuracy(), TOLERANCE * 100);
            return new Result(e.id(), sha && accurate, sha, ev.accuracy(), e.accuracy(), problem);
        } catch (ModelLoadException | IllegalArgumentException ex) {
            return new Result(e.id(), false, sha, Double.NaN, e.accuracy(), ex.getMessage());
        }
    }
}
