package org.mrw.core.data;

import java.nio.file.Path;

/** PLACEHOLDER: opens datasets by path (the data helper replaces this). */
public final class Datasets {
    private Datasets() {
    }

    /** Opens the dataset at {@code path} (IDX pair, CIFAR-10 folder, image folder, NPY/NPZ). */
    public static Dataset open(Path path, DatasetOptions options) {
        throw new UnsupportedOperationException("not implemented yet");
    }

    /** The bundled Fashion-MNIST test split (10,000 images), the default dataset. */
    public static Dataset fashionMnistTest() {
        throw new UnsupportedOperationException("not implemented yet");
    }
}
