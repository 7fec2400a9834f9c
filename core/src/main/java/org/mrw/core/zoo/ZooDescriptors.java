package org.mrw.core.zoo;

import java.util.List;
import org.mrw.core.data.Datasets;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.Variant;

/** The input descriptor every export of a zoo graph carries: NHWC, plain [0,1] pixels, Fashion-MNIST class names. */
final class ZooDescriptors {

    private ZooDescriptors() {
    }

    /** The descriptor for {@code graph}'s NHWC input; class names only when the graph has Fashion-MNIST's ten classes. */
    static InputSpec nhwc(ZooGraph graph, Variant variant) {
        ZooGraph.Input in = graph.input();
        List<String> names = graph.numClasses() == Datasets.FASHION_MNIST_CLASSES.size() ? Datasets.FASHION_MNIST_CLASSES : List.of();
        return InputSpec.plain(InputSpec.Layout.NHWC, in.channels(), in.height(), in.width(), names).withVariant(variant);
    }
}
