package org.mrw.app.experiment;

import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.mrw.core.experiment.ExperimentSpec.GroupSpec;

/**
 * One group of the spec: the sources attacked on this computer and the targets that judge their
 * adversarials, each a model reference as the spec writes it ({@code zoo:ID}, a path,
 * {@code device:SERIAL/zoo:ID}), in the order they were chosen.
 */
public final class GroupForm {

    private final StringProperty name = new SimpleStringProperty();
    private final ObservableList<String> sources = FXCollections.observableArrayList();
    private final ObservableList<String> targets = FXCollections.observableArrayList();

    public GroupForm(String name) {
        this.name.set(name);
    }

    static GroupForm of(GroupSpec g) {
        GroupForm f = new GroupForm(g.name());
        if (g.sources() != null) {
            f.sources.setAll(g.sources());
        }
        if (g.targets() != null) {
            f.targets.setAll(g.targets());
        }
        return f;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public ObservableList<String> sources() {
        return sources;
    }

    public ObservableList<String> targets() {
        return targets;
    }

    /** Ticks or unticks a reference, keeping the order of the rest. */
    static void choose(ObservableList<String> list, String reference, boolean chosen) {
        if (chosen && !list.contains(reference)) {
            list.add(reference);
        } else if (!chosen) {
            list.remove(reference);
        }
    }

    GroupSpec spec() {
        return new GroupSpec(name.get(), java.util.List.copyOf(sources), java.util.List.copyOf(targets));
    }
}
