package org.mrw.app;

import javafx.application.Application;

/** Plain main class: lets the non-modular app start from a classpath or a fat jar. */
public final class Launcher {

    private Launcher() {
    }

    public static void main(String[] args) {
        Application.launch(WorkbenchApp.class, args);
    }
}
