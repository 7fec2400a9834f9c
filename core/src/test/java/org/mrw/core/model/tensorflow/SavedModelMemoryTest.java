package org.mrw.core.model.tensorflow;


import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Models;
import org.mrw.core.testing.RandomBatches;
import org.mrw.core.testing.NativeMemory;

/** Native memory stays flat over many batches, for both TensorFlow paths (see {@link NativeMemory}). */
class SavedModelMemoryTest {

    @TempDir
    static Path temp;

    private static Path fashion;
    private static ImageBatch batch;

    @BeforeAll
    static void exportFixture() {
        fashion = TinySavedModels.fashionCnn(temp.resolve("fashion"));
        batch = RandomBatches.of(100, 1, 28, 10, 2L);
    }

    @Test
    void inferenceKeepsNativeMemoryFlat() {
        try (GradientClassifier model = SavedModelClassifier.load(fashion, null, false)) {
            NativeMemory.assertFlat("DJL TensorFlow logits", () -> model.logits(batch));
        }
    }

    @Test
    void gradientsKeepNativeMemoryFlat() {
        try (GradientClassifier model = Models.loadDifferentiable(fashion, null)) {
            NativeMemory.assertFlat("TF Java lossGradient", () -> model.lossGradient(batch, batch.labels()));
        }
    }
}
