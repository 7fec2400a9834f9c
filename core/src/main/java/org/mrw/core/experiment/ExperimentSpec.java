package org.mrw.core.experiment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mrw.core.attack.AttackSettings;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.DecisionStart;
import org.mrw.core.attack.Norm;

/**
 * An experiment as a YAML file (the workbench writes the same file). Example, the study's design on
 * one architecture of the zoo:
 *
 * <pre>
 * name: paper-resnet
 * seed: 20211
 * dataset: {count: 1000, selection: random, correctOnSources: true}
 * round8: true
 * groups:
 *   - name: resnet
 *     sources: [zoo:resnet_float_pt, zoo:resnet_float_savedmodel]
 *     targets: [zoo:resnet_float_pt, zoo:resnet_int8_pt, zoo:resnet_float_ptl, zoo:resnet_int8_ptl]
 * attacks:
 *   - {name: fgsm, eps: [0.005]}
 *   - {name: bim, eps: [0.005], steps: 10, stepRatio: 0.2}
 * </pre>
 *
 * Models are {@code zoo:<entry id>} (the zoo manifest) or file paths relative to the spec file.
 *
 * @param name        the run's name
 * @param seed        seeds sample selection and every attack batch
 * @param dataset     which images
 * @param groups      sources attacked and the targets that judge their adversarials (e.g. one per architecture)
 * @param attacks     the attacks with their budgets, applied to every source
 * @param round8      also judge the adversarials rounded to 8-bit levels
 * @param repetitions times every attack is repeated with different seeds (randomised attacks)
 * @param batchSize   images per batch (a unit of work and of commit)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExperimentSpec(String name, Long seed, DataSpec dataset, List<GroupSpec> groups, List<AttackSpec> attacks,
                             Boolean round8, Integer repetitions, Integer batchSize) {

    /** Most images a run may select (bounds every per-run buffer). */
    public static final int MAX_SAMPLES = 1_000_000;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER).enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * @param path             dataset file or folder; null for the bundled Fashion-MNIST test split
     * @param count            images to select
     * @param selection        {@code first} (dataset order) or {@code random} (seeded permutation)
     * @param correctOnSources keep only images every source model classifies correctly (the study's rule)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record DataSpec(String path, Integer count, String selection, Boolean correctOnSources) {
    }

    /** Sources are attacked; each source's adversarials are judged by every target of the group. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record GroupSpec(String name, List<String> sources, List<String> targets) {
    }

    /**
     * One attack. {@code label} names it in results (default: {@code name}); give labels when one attack
     * appears twice with different settings. The other keys are the attack's knobs ({@link AttackSettings});
     * {@code start} ({@code noise} or {@code data}, Boundary and HopSkipJump only) is how a decision-based
     * attack finds its first adversarial ({@link DecisionStart}).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record AttackSpec(String name, String label,
                             @com.fasterxml.jackson.databind.annotation.JsonDeserialize(contentUsing = Budget.class) List<Double> eps,
                             String norm, Integer steps, Double stepRatio, Boolean randomStart,
                             Integer directions, String start) {

        public String labelOrName() {
            return label != null ? label : name;
        }

        public AttackSettings settings() {
            return new AttackSettings(norm == null ? null : Norm.parse(norm), steps, stepRatio, randomStart, directions,
                    start == null ? null : DecisionStart.parse(start));
        }
    }

    /** A budget: a number, or {@code .inf} / {@code inf} for "unbounded" (minimisation attacks). */
    static final class Budget extends com.fasterxml.jackson.databind.JsonDeserializer<Double> {
        @Override
        public Double deserialize(com.fasterxml.jackson.core.JsonParser p, com.fasterxml.jackson.databind.DeserializationContext c)
                throws IOException {
            String text = p.getText().trim();
            try {
                return org.mrw.core.attack.Budgets.parse(text);
            } catch (NumberFormatException e) {
                throw com.fasterxml.jackson.databind.exc.InvalidFormatException.from(p, "ε must be a number or .inf", text, Double.class);
            }
        }
    }

    public long seedOrDefault() {
        return seed != null ? seed : 0L;
    }

    public boolean round8OrDefault() {
        return round8 != null && round8;
    }

    public int repetitionsOrDefault() {
        return repetitions != null ? repetitions : 1;
    }

    public int batchSizeOrDefault() {
        return batchSize != null ? batchSize : 100;
    }

    public int countOrDefault() {
        return dataset != null && dataset.count() != null ? dataset.count() : 1000;
    }

    public boolean randomSelection() {
        return dataset == null || dataset.selection() == null || dataset.selection().equals("random");
    }

    public boolean correctOnSources() {
        return dataset != null && Boolean.TRUE.equals(dataset.correctOnSources());
    }

    /** Reads and validates a spec file; the message names the file and the problem. */
    public static ExperimentSpec read(Path file) {
        try {
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new SpecException(file + ": cannot read the spec: " + e.getMessage());
        }
    }

    /** Parses and validates YAML text; {@code where} names its origin in messages. */
    public static ExperimentSpec parse(String yaml, String where) {
        ExperimentSpec spec;
        try {
            spec = YAML.readValue(yaml, ExperimentSpec.class);
        } catch (JsonProcessingException e) {
            throw new SpecException(where + ": not a valid experiment spec: " + e.getOriginalMessage()
                    + (e.getLocation() != null ? " (line " + e.getLocation().getLineNr() + ")" : ""));
        }
        if (spec == null) {
            throw new SpecException(where + ": the spec is empty");
        }
        spec.validate(where);
        return spec;
    }

    /** The spec as YAML (what the workbench saves). */
    public String toYaml() {
        try {
            return YAML.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private void validate(String where) {
        String at = where + ": ";
        if (name == null || !name.matches("[A-Za-z0-9._-]{1,80}")) {
            throw new SpecException(at + "name must be 1-80 letters, digits, '.', '_' or '-', got " + name);
        }
        int count = countOrDefault();
        if (count < 1 || count > MAX_SAMPLES) {
            throw new SpecException(at + "dataset.count must be in 1.." + MAX_SAMPLES + ", got " + count);
        }
        if (dataset != null && dataset.selection() != null && !Set.of("first", "random").contains(dataset.selection())) {
            throw new SpecException(at + "dataset.selection must be first or random, got " + dataset.selection());
        }
        if (groups == null || groups.isEmpty()) {
            throw new SpecException(at + "give at least one group with sources and targets");
        }
        Set<String> groupNames = new HashSet<>();
        for (GroupSpec g : groups) {
            if (g.name() == null || !groupNames.add(g.name())) {
                throw new SpecException(at + "every group needs a unique name, got " + g.name());
            }
            if (g.targets() == null || g.targets().isEmpty()) {
                throw new SpecException(at + "group " + g.name() + " has no targets");
            }
            if ((g.sources() == null || g.sources().isEmpty()) && attacks != null && !attacks.isEmpty()) {
                throw new SpecException(at + "group " + g.name() + " has attacks to run but no sources");
            }
            for (String source : g.sources() == null ? List.<String>of() : g.sources()) {
                if (source.startsWith(ModelResolver.DEVICE)) {
                    throw new SpecException(at + "group " + g.name() + ": source " + source + " is on a device; adversarials "
                            + "are generated on this computer (name the PC model as source, the device model as target)");
                }
            }
        }
        Set<String> labels = new HashSet<>();
        for (AttackSpec a : attacks == null ? List.<AttackSpec>of() : attacks) {
            if (a.name() == null) {
                throw new SpecException(at + "an attack has no name; choose one of " + String.join(", ", Attacks.NAMES));
            }
            try {
                Attacks.create(a.name(), a.settings());
            } catch (IllegalArgumentException e) {
                throw new SpecException(at + "attack " + a.name() + ": " + e.getMessage());
            }
            if (!labels.add(a.labelOrName())) {
                throw new SpecException(at + "attack " + a.labelOrName() + " appears twice; give each a distinct label");
            }
            boolean minimizes = Attacks.create(a.name(), a.settings()).minimizes();
            if (a.eps() == null || a.eps().isEmpty()
                    || a.eps().stream().anyMatch(e -> e == null || !(e >= 0) || (e.isInfinite() && !minimizes))) {
                throw new SpecException(at + "attack " + a.labelOrName() + " needs eps: a list of budgets >= 0"
                        + (minimizes ? " (.inf: unbounded)" : ""));
            }
        }
        int reps = repetitionsOrDefault();
        if (reps < 1 || reps > 1000) {
            throw new SpecException(at + "repetitions must be in 1..1000, got " + reps);
        }
        int batch = batchSizeOrDefault();
        if (batch < 1 || batch > 10_000) {
            throw new SpecException(at + "batchSize must be in 1..10000, got " + batch);
        }
    }
}
