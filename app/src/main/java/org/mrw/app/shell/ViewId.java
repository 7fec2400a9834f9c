package org.mrw.app.shell;

import java.util.Locale;

/** The workbench's views, in navigation-rail order; the name is what {@code --view} takes. */
public enum ViewId {
    MODELS("Models", "Ctrl+1"),
    DATA("Data", "Ctrl+2"),
    EXPERIMENT("Experiment", "Ctrl+3"),
    DEVICES("Devices", "Ctrl+4"),
    RUN("Run", "Ctrl+5"),
    RESULTS("Results", "Ctrl+6"),
    EXPORT("Export", "Ctrl+7"),
    DEMO("Demo", "F11");

    private final String title;
    private final String accelerator;

    ViewId(String title, String accelerator) {
        this.title = title;
        this.accelerator = accelerator;
    }

    public String title() {
        return title;
    }

    /** The key combination that opens the view (JavaFX KeyCombination syntax). */
    public String accelerator() {
        return accelerator;
    }

    /** The lower-case name used on the command line ({@code --view results}). */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code --view} name; the message lists the names when it is none of them. */
    public static ViewId parse(String name) {
        for (ViewId v : values()) {
            if (v.cliName().equalsIgnoreCase(name.trim())) {
                return v;
            }
        }
        throw new IllegalArgumentException("--view must be one of models, data, experiment, devices, run, results, export, demo; got '"
                + name + "'");
    }
}
