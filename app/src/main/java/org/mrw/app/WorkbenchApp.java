package org.mrw.app;

import javafx.application.Application;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.mrw.core.engine.Engines;

/** The JavaFX workbench window. At this step: the empty shell that later views fill in. */
public final class WorkbenchApp extends Application {

    @Override
    public void start(Stage stage) {
        Engines.enforceOffline();
        BorderPane root = new BorderPane(new Label("Mobile Robustness Workbench — views arrive in Step 6."));
        stage.setTitle("Mobile Robustness Workbench");
        stage.setScene(new Scene(root, 1100, 720));
        stage.show();
    }
}
