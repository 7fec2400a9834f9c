package org.mrw.app.experiment;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import java.util.List;
import java.util.Locale;
import org.mrw.core.attack.Access;
import org.mrw.core.attack.Attack;
import org.mrw.core.attack.AttackSettings;
import org.mrw.core.attack.Attacks;
import org.mrw.core.attack.BoundaryAttack;
import org.mrw.core.attack.CarliniWagner;
import org.mrw.core.attack.DecisionStart;
import org.mrw.core.attack.DeepFool;
import org.mrw.core.attack.HopSkipJump;
import org.mrw.core.attack.Norm;
import org.mrw.core.attack.Pgd;
import org.mrw.core.attack.SquareAttack;
import org.mrw.core.experiment.ExperimentSpec.AttackSpec;

/**
 * One attack of the form: whether it is ticked and the settings its spec entry carries. A null setting
 * means "the attack's default" and is left out of the YAML, as in a hand-written spec.
 */
public final class AttackForm {

    /** The knobs an {@link AttackSpec} has, each shown only for the attacks that read it. */
    public enum Knob { NORM, STEPS, STEP_RATIO, RANDOM_START, DIRECTIONS, START }

    private final String name;
    private final BooleanProperty selected = new SimpleBooleanProperty();
    private final StringProperty label = new SimpleStringProperty();
    private final ObjectProperty<Norm> norm = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> steps = new SimpleObjectProperty<>();
    private final ObjectProperty<Double> stepRatio = new SimpleObjectProperty<>();
    private final ObjectProperty<Boolean> randomStart = new SimpleObjectProperty<>();
    private final ObjectProperty<Integer> directions = new SimpleObjectProperty<>();
    private final ObjectProperty<DecisionStart> start = new SimpleObjectProperty<>();
    /** Its own ε list as typed; blank: the form's shared sweep. */
    private final StringProperty ownEpsilons = new SimpleStringProperty("");

    public AttackForm(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public BooleanProperty selectedProperty() {
        return selected;
    }

    public StringProperty labelProperty() {
        return label;
    }

    public ObjectProperty<Norm> normProperty() {
        return norm;
    }

    public ObjectProperty<Integer> stepsProperty() {
        return steps;
    }

    public ObjectProperty<Double> stepRatioProperty() {
        return stepRatio;
    }

    public ObjectProperty<Boolean> randomStartProperty() {
        return randomStart;
    }

    public ObjectProperty<Integer> directionsProperty() {
        return directions;
    }

    public ObjectProperty<DecisionStart> startProperty() {
        return start;
    }

    public StringProperty ownEpsilonsProperty() {
        return ownEpsilons;
    }

    /** Every property, for listeners that rewrite the spec on any change. */
    List<ObservableValue<?>> observables() {
        return List.of(selected, label, norm, steps, stepRatio, randomStart, directions, start, ownEpsilons);
    }

    /** The settings as the attack registry reads them. */
    public AttackSettings settings() {
        return new AttackSettings(norm.get(), steps.get(), stepRatio.get(), randomStart.get(), directions.get(), start.get());
    }

    /** The knobs this attack reads ({@link Attacks#create}). */
    public List<Knob> knobs() {
        return switch (name) {
            case "fgsm" -> List.of(Knob.NORM);
            case "bim" -> List.of(Knob.STEPS, Knob.STEP_RATIO);
            case "pgd" -> List.of(Knob.NORM, Knob.STEPS, Knob.STEP_RATIO, Knob.RANDOM_START);
            case "deepfool" -> List.of(Knob.NORM, Knob.STEPS);
            case "cw", "square" -> List.of(Knob.STEPS);
            case "hopskipjump" -> List.of(Knob.STEPS, Knob.START);
            case "boundary" -> List.of(Knob.STEPS, Knob.DIRECTIONS, Knob.START);
            default -> List.of();
        };
    }

    /** What "steps" means for this attack. */
    public String stepsMeaning() {
        return switch (name) {
            case "cw" -> "Adam iterations per search over c";
            case "square" -> "queries per image and ε";
            case "boundary" -> "walk steps";
            case "hopskipjump" -> "iterations";
            default -> "iterations";
        };
    }

    /** The attack as configured, for its norm, access and defaults; the default attack when the settings are invalid. */
    public Attack attack() {
        try {
            return Attacks.create(name, settings());
        } catch (IllegalArgumentException e) {
            return Attacks.create(name, AttackSettings.DEFAULTS);
        }
    }

    /** The registry's default for a knob, shown where the spec leaves it out. */
    public Object defaultOf(Knob knob) {
        Attack a = Attacks.create(name, AttackSettings.DEFAULTS);
        return switch (knob) {
            case NORM -> a.norm();
            case STEPS -> a instanceof Pgd p ? p.steps() : a instanceof DeepFool d ? d.steps()
                    : a instanceof BoundaryAttack b ? b.steps() : a instanceof HopSkipJump h ? h.steps()
                    : a instanceof SquareAttack s ? s.queries() : CarliniWagner.DEFAULT_ITERATIONS;
            case STEP_RATIO -> 0.25;
            case RANDOM_START -> false;
            case DIRECTIONS -> BoundaryAttack.DEFAULT_DIRECTIONS;
            case START -> DecisionStart.NOISE;
        };
    }

    /** "L∞, gradients, fixed budget" style summary of what kind of attack it is. */
    public String kind() {
        Attack a = attack();
        String access = a.access() == Access.GRADIENTS ? "white-box (gradients)"
                : a.access() == Access.SCORES ? "black-box (scores)" : "black-box (decisions)";
        return (a.norm() == Norm.LINF ? "L∞" : "L2") + ", " + access + ", "
                + (a.minimizes() ? "minimal perturbation (answers every ε)" : "fixed budget per ε");
    }

    /** Display name: FGSM, BIM, PGD, DeepFool, C&amp;W, Boundary, HopSkipJump, Square. */
    public String title() {
        return switch (name) {
            case "deepfool" -> "DeepFool";
            case "cw" -> "C&W";
            case "boundary" -> "Boundary";
            case "hopskipjump" -> "HopSkipJump";
            case "square" -> "Square";
            default -> name.toUpperCase(Locale.ROOT);
        };
    }

    /** Fills the form from a spec entry. */
    void load(AttackSpec spec, boolean ownSweep) {
        selected.set(true);
        label.set(spec.label());
        norm.set(spec.norm() == null ? null : Norm.parse(spec.norm()));
        steps.set(spec.steps());
        stepRatio.set(spec.stepRatio());
        randomStart.set(spec.randomStart());
        directions.set(spec.directions());
        start.set(spec.start() == null ? null : DecisionStart.parse(spec.start()));
        ownEpsilons.set(ownSweep ? org.mrw.core.attack.EpsilonSweep.format(spec.eps()) : "");
    }

    /** Back to an unticked attack with every default. */
    void clear() {
        selected.set(false);
        label.set(null);
        norm.set(null);
        steps.set(null);
        stepRatio.set(null);
        randomStart.set(null);
        directions.set(null);
        start.set(null);
        ownEpsilons.set("");
    }

    /** The spec entry, with the shared sweep unless it has its own ε. */
    AttackSpec spec(List<Double> shared) {
        String own = ownEpsilons.get();
        List<Double> eps = own == null || own.isBlank() ? shared : org.mrw.core.attack.EpsilonSweep.parse(own);
        String l = label.get() == null || label.get().isBlank() ? null : label.get().trim();
        return new AttackSpec(name, l, eps, norm.get() == null ? null : norm.get().id(), steps.get(), stepRatio.get(),
                randomStart.get(), directions.get(), start.get() == null ? null : start.get().id());
    }
}
