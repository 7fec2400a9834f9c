package org.mrw.app.experiment;

import java.util.Optional;
import javafx.beans.property.Property;
import javafx.beans.value.ObservableValue;
import org.controlsfx.control.PropertySheet;
import org.mrw.core.attack.DecisionStart;
import org.mrw.core.attack.Norm;

/** One row of an attack's property sheet, read from and written to its {@link AttackForm}; shows the default while unset. */
final class KnobItem implements PropertySheet.Item {

    private final AttackForm form;
    private final String name;
    private final String description;
    private final Class<?> type;
    private final Property<Object> property;
    private final Object fallback;

    @SuppressWarnings("unchecked")
    private KnobItem(AttackForm form, String name, String description, Class<?> type, Property<?> property, Object fallback) {
        this.form = form;
        this.name = name;
        this.description = description;
        this.type = type;
        this.property = (Property<Object>) property;
        this.fallback = fallback;
    }

    static KnobItem of(AttackForm form, AttackForm.Knob knob) {
        Object d = form.defaultOf(knob);
        return switch (knob) {
            case NORM -> new KnobItem(form, "norm", "the distance ε is measured in (default " + d + ")", Norm.class,
                    form.normProperty(), d);
            case STEPS -> new KnobItem(form, "steps", form.stepsMeaning() + " (default " + d + ")", Integer.class,
                    form.stepsProperty(), d);
            case STEP_RATIO -> new KnobItem(form, "step ratio", "each step's size as a fraction of ε (default " + d + ")",
                    Double.class, form.stepRatioProperty(), d);
            case RANDOM_START -> new KnobItem(form, "random start", "start from a uniform point in the ε-ball (Madry et al.)",
                    Boolean.class, form.randomStartProperty(), d);
            case DIRECTIONS -> new KnobItem(form, "directions", "proposals per image per step, 2 queries each (default " + d + ")",
                    Integer.class, form.directionsProperty(), d);
            case START -> new KnobItem(form, "start", "first adversarial: noise draws (Foolbox), or data: then the nearest other "
                    + "image of the batch that reaches the goal (default " + d + ")", DecisionStart.class, form.startProperty(), d);
        };
    }

    static KnobItem label(AttackForm form) {
        return new KnobItem(form, "label", "how results name it (blank: " + form.name() + "); needed when an attack appears twice",
                String.class, form.labelProperty(), "");
    }

    static KnobItem ownEpsilons(AttackForm form) {
        return new KnobItem(form, "own ε", "blank: the shared sweep below; or a list such as 0.5, 1, 2 or .inf (unbounded, "
                + "for minimisation attacks)", String.class, form.ownEpsilonsProperty(), "");
    }

    @Override
    public Class<?> getType() {
        return type;
    }

    @Override
    public String getCategory() {
        return form.title();
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public Object getValue() {
        Object v = property.getValue();
        return v != null ? v : fallback;
    }

    @Override
    public void setValue(Object value) {
        Object v = value;
        if (type == Integer.class && v instanceof Number n) {
            v = n.intValue();
        } else if (type == Double.class && v instanceof Number n) {
            v = n.doubleValue();
        }
        // an untouched default stays out of the YAML, as in a hand-written spec
        if (property.getValue() == null && java.util.Objects.equals(v, fallback)) {
            return;
        }
        property.setValue(v);
    }

    @Override
    public Optional<ObservableValue<? extends Object>> getObservableValue() {
        return Optional.of(property);
    }
}
