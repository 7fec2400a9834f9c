package org.mrw.app.shell;

import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.mrw.app.state.BackgroundWork;

/** The bottom bar: each background job with its progress, message and a cancel button. */
final class StatusBar extends HBox {

    private final Label idle = new Label("Ready");

    StatusBar(BackgroundWork work) {
        getStyleClass().add("status-bar");
        setSpacing(12);
        setPadding(new Insets(4, 10, 4, 10));
        setAlignment(Pos.CENTER_LEFT);
        getChildren().add(idle);
        work.running().addListener((ListChangeListener<BackgroundWork.Entry>) c -> rebuild(work));
    }

    private void rebuild(BackgroundWork work) {
        getChildren().clear();
        if (work.running().isEmpty()) {
            getChildren().add(idle);
            return;
        }
        for (BackgroundWork.Entry e : work.running()) {
            Label title = new Label(e.title());
            title.getStyleClass().add("job-title");
            ProgressBar bar = new ProgressBar();
            bar.setPrefWidth(120);
            bar.progressProperty().bind(e.progressProperty());
            Label message = new Label();
            message.textProperty().bind(e.messageProperty());
            message.setMaxWidth(360);
            message.getStyleClass().add("job-message");
            Button cancel = new Button("✕");
            cancel.getStyleClass().add("job-cancel");
            cancel.setOnAction(a -> {
                e.cancel();
                cancel.setDisable(true);
            });
            cancel.setAccessibleText("Cancel " + e.title());
            HBox job = new HBox(6, title, bar, message, cancel);
            job.setAlignment(Pos.CENTER_LEFT);
            getChildren().add(job);
        }
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        getChildren().add(grow);
    }
}
