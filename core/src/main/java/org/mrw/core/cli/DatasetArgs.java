package org.mrw.core.cli;

import java.nio.file.Path;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.DatasetOptions;
import org.mrw.core.data.Datasets;
import picocli.CommandLine.Option;

/** The dataset options every command that reads images shares. */
final class DatasetArgs {

    @Option(names = "--dataset", paramLabel = "PATH",
            description = "Dataset file or folder: IDX, CIFAR-10 binary, image folder, NPY/NPZ "
                    + "(default: the bundled Fashion-MNIST test split).")
    Path dataset;

    @Option(names = "--resize", paramLabel = "PX", defaultValue = "0",
            description = "Image folders: resize the shorter side to PX, bicubic (the paper: 256).")
    int resize;

    @Option(names = "--crop", paramLabel = "PX", defaultValue = "0",
            description = "Image folders: centre-crop PX x PX after resizing (the paper: 224).")
    int crop;

    @Option(names = "--channels", paramLabel = "N", defaultValue = "0",
            description = "Convert to 1 (grey) or 3 (RGB) channels (default: as stored).")
    int channels;

    @Option(names = "--layout", paramLabel = "L", defaultValue = "AUTO",
            description = "NPY/NPZ image layout: AUTO, NCHW or NHWC (default ${DEFAULT-VALUE}).")
    DatasetOptions.Layout layout;

    @Option(names = "--labels", paramLabel = "FILE", description = "NPY labels file for an NPY images file.")
    Path labels;

    @Option(names = "--split", paramLabel = "S", description = "train or test, when the data holds both.")
    String split;

    /** Opens the chosen dataset, or the bundled default. */
    Dataset open() {
        if (dataset == null) {
            if (resize != 0 || crop != 0 || channels != 0 || labels != null || split != null) {
                throw new IllegalArgumentException("--resize, --crop, --channels, --labels and --split apply to --dataset; "
                        + "the bundled Fashion-MNIST test split takes none");
            }
            return Datasets.fashionMnistTest();
        }
        DatasetOptions options = DatasetOptions.defaults().withResize(resize, crop).withChannels(channels)
                .withLayout(layout).withLabels(labels).withSplit(split);
        return Datasets.open(dataset, options);
    }
}
