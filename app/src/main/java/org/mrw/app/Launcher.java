package org.mrw.app;

import java.util.List;
import javafx.application.Application;

/** Plain main class: lets the non-modular app start from a classpath or a fat jar. */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        // installed launchers: rerun with oneDNN's cap exported (a JVM cannot set its own environment)
        java.util.OptionalInt relaunched = org.mrw.core.engine.OneDnnRelaunch.relaunchIfUncapped(args);
        if (relaunched.isPresent()) {
            System.exit(relaunched.getAsInt());
            return;
        }
        GuiOptions options;
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(GuiOptions.USAGE);
            return;
        }
        try {
            options = GuiOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("mrw gui: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (options.screenshot() != null) {
            // headless: Monocle's software pipeline, no display needed (set before the toolkit starts)
            System.setProperty("glass.platform", "Monocle");
            System.setProperty("monocle.platform", "Headless");
            System.setProperty("prism.order", "sw");
            System.setProperty("prism.text", "t2k");
            System.setProperty("java.awt.headless", "true");
        }
        WorkbenchApp.options = options;
        Application.launch(WorkbenchApp.class, args);
    }
}
