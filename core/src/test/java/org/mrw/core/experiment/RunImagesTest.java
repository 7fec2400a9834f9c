package org.mrw.core.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.analysis.Condition;
import org.mrw.core.attack.Perturbations;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.Datasets;
import org.mrw.core.data.NpzArrays;
import org.mrw.core.store.AdversarialFiles;
import org.mrw.core.store.BatchKey;
import org.mrw.core.store.RunInfo;
import org.mrw.core.store.SqliteResultsStore;
import org.mrw.core.store.StoreException;

class RunImagesTest {

    @TempDir
    Path workspace;

    @Test
    void aSampleFindsItsAdversarialInItsBatchFileAndTheRoundingTheRunnerJudged() {
        String spec = "name: tiny\nbatchSize: 4\ngroups:\n  - {name: g, sources: [a], targets: [a]}\n";
        Dataset data = Datasets.fashionMnistTest();
        int[] samples = {10, 20, 30, 40, 50, 60};
        int size = data.channels() * data.height() * data.width();
        RunInfo run;
        try (SqliteResultsStore store = SqliteResultsStore.open(workspace)) {
            run = store.createRun("r1", "tiny", spec, Map.of(), 1);
            store.saveSamples("r1", samples, Arrays.stream(samples).map(data::label).toArray());
        }
        // the second batch (positions 4, 5) at ε = 0.1: every value 0.1234 + image index
        float[] values = new float[2 * size];
        for (int i = 0; i < 2; i++) {
            Arrays.fill(values, i * size, (i + 1) * size, 0.1234f + i * 0.5f);
        }
        new AdversarialFiles(workspace).write("r1", new BatchKey("a", "fgsm", "", 0, 4), 0.1,
                new NpzArrays.FloatArray(new int[] {2, 1, 28, 28}, values));

        RunImages images = new RunImages(workspace, run, samples, RunImages.dataset(run, workspace));
        RunImages.Images sixty = images.images(60, new Condition("a", "fgsm", 0.1, false), 0);
        assertThat(sixty.adversarial()).containsOnly(0.6234f);
        assertThat(sixty.rounded()).isEqualTo(Perturbations.round8(sixty.adversarial()));
        assertThat(sixty.original()).isEqualTo(data.batch(new int[] {60}).pixels());
        assertThat(sixty.height()).isEqualTo(28);
        assertThat(sixty.perturbation(false)[0]).isEqualTo(0.6234f - sixty.original()[0]);

        RunImages.Images clean = images.images(10, new Condition("", "clean", 0, false), 0);
        assertThat(clean.adversarial()).isEqualTo(clean.original());
        assertThat(clean.maxPerturbation()).isLessThanOrEqualTo(0.5 / 255 + 1e-6);

        assertThatThrownBy(() -> images.images(10, new Condition("a", "fgsm", 0.1, false), 0))
                .isInstanceOf(StoreException.class).hasMessageContaining("No adversarial images");
        assertThatThrownBy(() -> images.images(11, new Condition("a", "fgsm", 0.1, false), 0))
                .hasMessageContaining("sample 11 is not in run r1");
    }

    @Test
    void aDatasetThatIsNowhereSaysWhereItWasLookedFor() {
        String spec = "name: far\ndataset: {path: gone/cifar.npz}\ngroups:\n  - {name: g, sources: [a], targets: [a]}\n";
        RunInfo run = new RunInfo("r2", "far", spec, Map.of(), 1, java.time.Instant.now(), null, "finished");
        assertThatThrownBy(() -> RunImages.dataset(run, workspace)).isInstanceOf(StoreException.class)
                .hasMessageContaining("gone/cifar.npz").hasMessageContaining(workspace.toString());
    }
}
