package org.mrw.app.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mrw.core.model.InputSpec;
import org.mrw.core.model.ModelFormat;
import org.mrw.core.model.Models;
import org.mrw.core.zoo.ZooManifest;

/** Builds library entries from the reference zoo and from files a user opens. No engine is loaded here. */
public final class ModelLibrary {

    private ModelLibrary() {
    }

    /** Every model of the zoo manifest in {@code zooDir}, in manifest order; empty when there is no zoo. */
    public static List<ModelEntry> zoo(Path zooDir) {
        Path manifest = zooDir.resolve("zoo.json");
        if (!Files.isRegularFile(manifest)) {
            return List.of();
        }
        List<ModelEntry> out = new ArrayList<>();
        for (ZooManifest.Entry e : ZooManifest.read(manifest).entries()) {
            Path file = zooDir.resolve(e.path());
            ModelFormat format = Models.detect(file);
            out.add(new ModelEntry(e.id(), "zoo:" + e.id(), file, format, format.runtime().framework().displayName(),
                    format.runtime().displayName(), "int8".equals(e.variant()), e.input(), e.bytes(), e.accuracy()));
        }
        return out;
    }

    /**
     * An entry for a model file a user opened: the format from the file, the input descriptor from the
     * {@code .json} beside it when there is one, else {@code fallback} (which the user then edits).
     *
     * @throws IllegalArgumentException when the file is no model this workbench reads (the message says which are)
     */
    public static ModelEntry open(Path file, InputSpec fallback) {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException(file + ": no such file");
        }
        ModelFormat format = Models.detect(file);
        Path json = InputSpec.besideModel(file);
        InputSpec descriptor = Files.isRegularFile(json) ? InputSpec.read(json) : fallback;
        String name = file.getFileName().toString();
        boolean int8 = descriptor != null && descriptor.variant() != null ? descriptor.variant() == org.mrw.core.model.Variant.INT8
                : name.toLowerCase(java.util.Locale.ROOT).contains("int8");
        return new ModelEntry(name, file.toAbsolutePath().toString(), file, format, format.runtime().framework().displayName(),
                format.runtime().displayName(), int8, descriptor, size(file), Double.NaN);
    }

    private static long size(Path file) {
        try {
            if (Files.isDirectory(file)) {
                try (var s = Files.walk(file)) {
                    return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
                }
            }
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }
}
