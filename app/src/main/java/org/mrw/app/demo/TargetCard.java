package org.mrw.app.demo;

import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.mrw.app.state.BackgroundWork;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.Prediction;

/**
 * One target of the demo: its verdict on the current adversarial with a confidence bar, red when the
 * verdict differs from the true label. Requests are latest-wins: while the target is busy only the
 * newest image waits, so a slow target lags (showing "waiting") without holding back the others.
 */
final class TargetCard extends VBox {

    /** Runs one evaluation off the FX thread. */
    interface Evaluator {
        CompletableFuture<Prediction> evaluate(String title, Classifier classifier, ImageBatch image);
    }

    private record Request(long id, ImageBatch image, int trueLabel) {
    }

    private final String title;
    private final CompletableFuture<Classifier> classifier;
    private final Evaluator evaluator;
    private final IntFunction<String> className;
    private final Runnable onResult;
    private final Label prediction = new Label("loading model…");
    private final ProgressBar confidence = new ProgressBar(0);
    private final Label percent = new Label("");
    private final Label stateLine = new Label("waiting");
    private Request pending;
    private boolean running;
    private long shown = -1;
    private boolean flipped;
    private boolean answered;

    TargetCard(String title, String where, String family, CompletableFuture<Classifier> classifier, Evaluator evaluator,
               IntFunction<String> className, Runnable onResult) {
        this.title = title;
        this.classifier = classifier;
        this.evaluator = evaluator;
        this.className = className;
        this.onResult = onResult;
        getStyleClass().addAll("card", "demo-card", "demo-card-" + family);
        setSpacing(4);
        Label name = new Label(title);
        name.getStyleClass().add("demo-card-name");
        Label place = new Label(where);
        place.getStyleClass().add("demo-card-state");
        prediction.getStyleClass().add("demo-card-prediction");
        confidence.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(confidence, Priority.ALWAYS);
        HBox bar = new HBox(8, confidence, percent);
        bar.setAlignment(Pos.CENTER_LEFT);
        stateLine.getStyleClass().add("demo-card-state");
        getChildren().addAll(name, place, prediction, bar, stateLine);
        classifier.whenComplete((c, error) -> BackgroundWork.fx(() -> {
            if (error != null) {
                prediction.setText("could not load");
                stateLine.setText(DemoView.message(error));
                stateLine.getStyleClass().add("error-text");
                answered = true;
                onResult.run();
            } else if (pending == null && shown < 0) {
                prediction.setText("ready");
            }
        }));
    }

    String title() {
        return title;
    }

    /** The shown verdict's text (a class name once evaluated). */
    String predictionText() {
        return prediction.getText();
    }

    /** The request id of the shown verdict (-1 before the first). */
    long shownRequest() {
        return shown;
    }

    boolean flipped() {
        return flipped;
    }

    /** Whether it has shown a verdict (or its model failed to load). */
    boolean answered() {
        return answered;
    }

    /** Whether the shown verdict is for the newest image. */
    boolean current() {
        return pending == null && !running;
    }

    /** Asks for the verdict on {@code image} (FX thread); replaces any request not started yet. */
    void request(long id, ImageBatch image, int trueLabel) {
        pending = new Request(id, image, trueLabel);
        stateLine.setText("waiting");
        prediction.setOpacity(0.55);
        if (!running) {
            next();
        }
    }

    private void next() {
        Request r = pending;
        pending = null;
        if (r == null) {
            return;
        }
        running = true;
        classifier.thenCompose(c -> evaluator.evaluate(title, c, r.image()))
                .whenComplete((p, error) -> BackgroundWork.fx(() -> {
                    running = false;
                    if (error == null) {
                        show(r, p);
                    } else if (!classifier.isCompletedExceptionally()) {
                        stateLine.setText("failed: " + DemoView.message(error));
                    }
                    if (pending != null) {
                        next();
                    }
                }));
    }

    private void show(Request r, Prediction p) {
        if (r.id() < shown) {
            return;
        }
        shown = r.id();
        flipped = p.label() != r.trueLabel();
        prediction.setText(className.apply(p.label()));
        prediction.setOpacity(pending == null ? 1 : 0.55);
        confidence.setProgress(p.confidence());
        percent.setText(String.format(Locale.ROOT, "%.0f %%", 100.0 * p.confidence()));
        stateLine.setText(pending != null ? "waiting" : flipped ? "fooled" : "correct");
        getStyleClass().remove("demo-flipped");
        if (flipped) {
            getStyleClass().add("demo-flipped");
        }
        answered = true;
        onResult.run();
    }
}
