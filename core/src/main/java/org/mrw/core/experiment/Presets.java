package org.mrw.core.experiment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The specs shipped inside the jar: {@code paper} (the study's design) and {@code example} (a quick run). */
public final class Presets {

    /** Preset names, in the order they are offered. */
    public static final List<String> NAMES = List.of("example", "paper");

    private Presets() {
    }

    /** The preset's YAML, or empty when there is no preset of that name. */
    public static Optional<String> text(String name) {
        try (InputStream in = Presets.class.getResourceAsStream("presets/" + name + ".yaml")) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading preset " + name + " from the jar", e);
        }
    }
}
