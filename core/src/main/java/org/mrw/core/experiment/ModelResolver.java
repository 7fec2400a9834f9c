package org.mrw.core.experiment;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.mrw.core.model.InputSpec;
import org.mrw.core.zoo.ZooManifest;

/**
 * Turns a spec's model reference into a file and descriptor: {@code zoo:<entry id>} looks the entry up in
 * the zoo manifest; anything else is a path, relative to the spec's folder.
 */
public final class ModelResolver {

    /**
     * A model reference resolved: the id results use, the file, its descriptor (null: beside the file),
     * and the device it runs on (null: this process).
     */
    public record Resolved(String id, Path file, InputSpec descriptor, String device) {

        public Resolved(String id, Path file, InputSpec descriptor) {
            this(id, file, descriptor, null);
        }
    }

    /**
     * Prefix of a device target: {@code device:SERIAL/MODEL}, e.g. {@code device:host/zoo:resnet_float_tflite};
     * {@code device:SERIAL1+SERIAL2/MODEL} spreads each batch over several devices.
     */
    public static final String DEVICE = "device:";

    private final Path specDir;
    private final Path zooDir;
    private ZooManifest zoo;

    /**
     * @param specDir folder relative paths are resolved against
     * @param zooDir  folder holding {@code zoo.json}
     */
    public ModelResolver(Path specDir, Path zooDir) {
        this.specDir = specDir;
        this.zooDir = zooDir;
    }

    public Resolved resolve(String reference) {
        if (reference.startsWith(DEVICE)) {
            String rest = reference.substring(DEVICE.length());
            int slash = rest.indexOf('/');
            if (slash <= 0 || slash == rest.length() - 1) {
                throw new SpecException("device target '" + reference + "' must read device:SERIAL/MODEL, e.g. "
                        + "device:host/zoo:resnet_float_tflite (serials: mrw devices)");
            }
            String serial = rest.substring(0, slash);
            if (!serial.matches("[A-Za-z0-9._:\\-]{1,64}(\\+[A-Za-z0-9._:\\-]{1,64}){0,63}")) {
                throw new SpecException("device serial '" + serial + "' in '" + reference + "' has characters a serial "
                        + "cannot have (see mrw devices)");
            }
            Resolved inner = resolve(rest.substring(slash + 1));
            if (inner.device() != null) {
                throw new SpecException("'" + reference + "' names two devices");
            }
            return new Resolved(inner.id() + "@" + serial, inner.file(), inner.descriptor(), serial);
        }
        if (reference.startsWith("zoo:")) {
            String id = reference.substring(4);
            ZooManifest.Entry e = zoo().entries().stream().filter(x -> x.id().equals(id)).findFirst()
                    .orElseThrow(() -> new SpecException("no zoo model '" + id + "' in " + zooDir.resolve("zoo.json")
                            + "; ids look like resnet_float_pt (see mrw zoo verify)"));
            return new Resolved(id, zooDir.resolve(e.path()), e.input());
        }
        Path file = specDir.resolve(reference).normalize();
        if (!Files.exists(file)) {
            throw new SpecException("model " + reference + " not found (looked for " + file + "); use a path relative to "
                    + "the spec or zoo:<id>");
        }
        String name = file.getFileName().toString();
        return new Resolved(name, file, null);
    }

    /** The zoo manifest, if there is one. */
    public Optional<ZooManifest> manifest() {
        return Files.isRegularFile(zooDir.resolve("zoo.json")) ? Optional.of(zoo()) : Optional.empty();
    }

    private ZooManifest zoo() {
        if (zoo == null) {
            Path file = zooDir.resolve("zoo.json");
            if (!Files.isRegularFile(file)) {
                throw new SpecException("the spec refers to zoo models but there is no " + file
                        + "; build the zoo (models/build) or pass --zoo DIR");
            }
            zoo = ZooManifest.read(file);
        }
        return zoo;
    }
}
