package org.mrw.app.state;

import java.nio.file.Path;
import org.mrw.core.data.DatasetOptions;

/**
 * The dataset the workbench works on: the bundled Fashion-MNIST test split ({@code path == null}) or a
 * file/folder a user opened (IDX, CIFAR-10 binary, image folder, NPY/NPZ) with its reader options.
 */
public record DataChoice(String label, Path path, DatasetOptions options) {

    public static DataChoice bundled() {
        return new DataChoice("Fashion-MNIST test split (bundled)", null, DatasetOptions.defaults());
    }

    public boolean isBundled() {
        return path == null;
    }
}
