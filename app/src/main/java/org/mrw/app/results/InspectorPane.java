package org.mrw.app.results;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.controlsfx.control.SegmentedButton;
import org.mrw.app.state.BackgroundWork;
import org.mrw.core.analysis.Condition;
import org.mrw.core.analysis.FlippedSamples;
import org.mrw.core.experiment.RunImages;
import org.mrw.core.figure.DivergingMap;

/**
 * One adversarial image up close: the original, the perturbation (amplified through the diverging map,
 * its scale shown) and the adversarial, float or 8-bit rounded, drawn pixel-exact (whole-number
 * nearest-neighbour zoom); and every target's prediction with a confidence bar on the float and the
 * rounded adversarial, red where it flipped.
 */
final class InspectorPane extends ScrollPane {

    private static final double IMAGE_SIZE = 168;

    /** What the inspector shows of one sample; loaded off the FX thread. */
    record Inspection(FlippedSamples.Sample sample, RunImages.Images images, String imagesError,
                      Optional<FlippedSamples.Sample> floatJudgements, Optional<FlippedSamples.Sample> roundedJudgements) {
    }

    private final BackgroundWork work;
    private final VBox content = new VBox(10);
    private final Label header = new Label();
    private final Label condition = new Label();
    private final ToggleButton floats = new ToggleButton("float");
    private final ToggleButton rounded = new ToggleButton("8-bit rounded");
    private final HBox images = new HBox(12);
    private final GridPane predictions = new GridPane();
    private final Label message = new Label();
    private RunResults results;
    private Inspection shown;
    private CompletableFuture<Inspection> loading = CompletableFuture.completedFuture(null);

    InspectorPane(BackgroundWork work) {
        this.work = work;
        setId("inspector");
        getStyleClass().add("results-inspector");
        setFitToWidth(true);
        header.getStyleClass().add("inspector-title");
        condition.getStyleClass().add("view-subtitle");
        condition.setWrapText(true);
        floats.setSelected(true);
        rounded.setId("inspector-rounded");
        for (ToggleButton b : List.of(floats, rounded)) {
            b.setOnMouseReleased(e -> b.setSelected(true));
            b.selectedProperty().addListener((o, a, n) -> drawImages());
        }
        HBox version = new HBox(8, new Label("Images"), new SegmentedButton(floats, rounded));
        version.setAlignment(Pos.CENTER_LEFT);
        message.getStyleClass().add("error-text");
        message.setWrapText(true);
        message.setManaged(false);
        predictions.setHgap(10);
        predictions.setVgap(4);
        predictions.setId("inspector-predictions");
        Label predictionsTitle = new Label("Predictions (confidence of the predicted class)");
        predictionsTitle.getStyleClass().add("results-section");
        content.getChildren().setAll(header, condition, version, images, message, predictionsTitle, predictions);
        content.setPadding(new Insets(10));
        setContent(content);
    }

    /** Loads and shows a sample; the future completes on the FX thread once it is shown. */
    CompletableFuture<Inspection> inspect(RunResults r, FlippedSamples.Sample s) {
        results = r;
        header.setText("Sample " + s.sample() + " · " + r.className(s.label()));
        condition.setText(Epsilons.condition(s.condition()) + (r.repetitions().size() > 1 ? " · repetition " + (s.repetition() + 1) : ""));
        loading.cancel(false);
        Condition floatC = new Condition(s.condition().source(), s.condition().attack(), s.condition().epsilon(), false);
        Condition roundedC = new Condition(s.condition().source(), s.condition().attack(), s.condition().epsilon(), true);
        CompletableFuture<Inspection> next = work.submit("Inspecting sample " + s.sample(), (p, c) -> {
            RunImages.Images im = null;
            String error = r.imagesError();
            if (r.images() != null) {
                try {
                    synchronized (r.images()) { // RunImages caches files and is not thread-safe
                        im = r.images().images(s.sample(), s.condition(), s.repetition());
                    }
                } catch (RuntimeException e) {
                    error = e.getMessage();
                }
            }
            return new Inspection(s, im, error, FlippedSamples.sample(r.rows(), s.sample(), floatC, s.repetition()),
                    FlippedSamples.sample(r.rows(), s.sample(), roundedC, s.repetition()));
        });
        loading = next;
        CompletableFuture<Inspection> shownFuture = new CompletableFuture<>();
        next.whenComplete((ins, e) -> BackgroundWork.fx(() -> {
            if (loading != next) {
                shownFuture.cancel(false);
                return;
            }
            if (e != null) {
                message.setText("Could not load sample " + s.sample() + ": " + e.getMessage());
                message.setManaged(true);
                shownFuture.completeExceptionally(e);
                return;
            }
            show(ins);
            shownFuture.complete(ins);
        }));
        return shownFuture;
    }

    Inspection shown() {
        return shown;
    }

    private void show(Inspection ins) {
        shown = ins;
        if (!ins.sample().condition().rounded()) {
            floats.setSelected(true);
        } else {
            rounded.setSelected(true);
        }
        drawImages();
        drawPredictions();
    }

    private void drawImages() {
        if (shown == null) {
            return;
        }
        images.getChildren().clear();
        RunImages.Images im = shown.images();
        if (im == null) {
            message.setText("No images: " + shown.imagesError());
            message.setManaged(true);
            message.setVisible(true);
            return;
        }
        message.setManaged(false);
        message.setVisible(false);
        boolean r = rounded.isSelected();
        float[] adversarial = r ? im.rounded() : im.adversarial();
        double scale = im.maxPerturbation();
        int zoom = Math.max(1, (int) (IMAGE_SIZE / Math.max(im.width(), im.height())));
        Optional<FlippedSamples.Sample> judged = r ? shown.roundedJudgements() : shown.floatJudgements();
        boolean flipped = judged.map(s -> s.flips() > 0).orElse(false);
        images.getChildren().addAll(
                tile("original", "inspector-original", pixels(DivergingMap.imageArgb(im.original(), im.channels(), im.height(), im.width()),
                        im.width(), im.height(), zoom), new Label(results.className(shown.sample().label())), false),
                tile("perturbation", "inspector-perturbation", pixels(DivergingMap.argb(im.perturbation(r), im.channels(), im.height(),
                        im.width(), scale), im.width(), im.height(), zoom), scaleBar(scale, zoom * im.width()), false),
                tile(r ? "adversarial (8-bit)" : "adversarial", "inspector-adversarial", pixels(DivergingMap.imageArgb(adversarial,
                        im.channels(), im.height(), im.width()), im.width(), im.height(), zoom),
                        new Label(flipped ? "flipped " + judged.get().flips() + " of " + judged.get().judgements().size() + " targets"
                                : "no target flipped"), flipped));
    }

    private static VBox tile(String title, String id, Image image, javafx.scene.Node caption, boolean flipped) {
        ImageView view = new ImageView(image);
        view.setId(id);
        view.setSmooth(false);
        StackPane frame = new StackPane(view);
        frame.getStyleClass().add(flipped ? "inspector-frame-flip" : "inspector-frame");
        Label t = new Label(title);
        t.getStyleClass().add("results-section");
        VBox box = new VBox(4, t, frame, caption);
        box.setAlignment(Pos.TOP_CENTER);
        return box;
    }

    /** ARGB pixels zoomed by a whole number with nearest neighbour, so every source pixel stays a crisp square. */
    static WritableImage pixels(int[] argb, int w, int h, int zoom) {
        int zw = w * zoom;
        int zh = h * zoom;
        int[] big = new int[zw * zh];
        for (int y = 0; y < zh; y++) {
            int src = (y / zoom) * w;
            for (int x = 0; x < zw; x++) {
                big[y * zw + x] = argb[src + x / zoom];
            }
        }
        WritableImage img = new WritableImage(zw, zh);
        img.getPixelWriter().setPixels(0, 0, zw, zh, PixelFormat.getIntArgbInstance(), big, 0, zw);
        return img;
    }

    /** The colour map's bar with its ends labelled in ε's two spellings, and the amplification. */
    private static VBox scaleBar(double scale, double width) {
        Canvas bar = new Canvas(width, 10);
        GraphicsContext g = bar.getGraphicsContext2D();
        int steps = 64;
        for (int i = 0; i < steps; i++) {
            java.awt.Color c = DivergingMap.at(-1 + 2 * (i + 0.5) / steps);
            g.setFill(Color.rgb(c.getRed(), c.getGreen(), c.getBlue()));
            g.fillRect(width * i / steps, 0, width / steps + 0.5, 10);
        }
        g.setStroke(Color.gray(0.4));
        g.strokeRect(0.5, 0.5, width - 1, 9);
        Label lo = new Label("−" + Epsilons.compact(scale));
        Label hi = new Label("+" + Epsilons.compact(scale));
        Pane gap = new Pane();
        HBox.setHgrow(gap, Priority.ALWAYS);
        Pane gap2 = new Pane();
        HBox.setHgrow(gap2, Priority.ALWAYS);
        HBox ends = new HBox(lo, gap, new Label("0"), gap2, hi);
        ends.setMaxWidth(width);
        ends.getStyleClass().add("scale-labels");
        Label amp = new Label(scale > 0 ? String.format(Locale.ROOT, "±%s · amplified ×%.0f", Epsilons.format(scale), 1 / scale)
                : "no change");
        amp.getStyleClass().add("view-subtitle");
        amp.setWrapText(true);
        amp.setTextAlignment(javafx.scene.text.TextAlignment.CENTER);
        VBox box = new VBox(1, bar, ends, amp);
        box.setAlignment(Pos.TOP_CENTER);
        box.setMaxWidth(width);
        return box;
    }

    private void drawPredictions() {
        predictions.getChildren().clear();
        Label t = new Label("target");
        Label f = new Label("float adversarial");
        Label r = new Label("8-bit rounded");
        for (Label l : List.of(t, f, r)) {
            l.getStyleClass().add("inspector-column");
        }
        predictions.addRow(0, t, f, r);
        List<String> targets = results.targets();
        for (int i = 0; i < targets.size(); i++) {
            String target = targets.get(i);
            Label name = new Label(target);
            name.setMinWidth(Label.USE_PREF_SIZE);
            name.getStyleClass().add("inspector-target");
            predictions.addRow(i + 1, name, judgement(shown.floatJudgements(), target), judgement(shown.roundedJudgements(), target));
        }
    }

    private javafx.scene.Node judgement(Optional<FlippedSamples.Sample> sample, String target) {
        Optional<FlippedSamples.Judgement> j = sample.flatMap(s -> s.judgement(target));
        if (j.isEmpty()) {
            Label none = new Label("not judged");
            none.getStyleClass().add("hold");
            return none;
        }
        FlippedSamples.Judgement v = j.get();
        Label cls = new Label(results.className(v.prediction()));
        cls.setMinWidth(84);
        cls.getStyleClass().add(v.flipped() ? "flip" : v.correct() ? "prediction-right" : "prediction-wrong");
        StackPane bar = new StackPane();
        bar.getStyleClass().add("confidence-track");
        bar.setPrefSize(70, 10);
        bar.setMaxSize(70, 10);
        bar.setMinWidth(70);
        Pane fill = new Pane();
        fill.getStyleClass().add(v.flipped() ? "confidence-flip" : "confidence-hold");
        fill.setMaxWidth(70 * v.confidence());
        fill.setPrefWidth(70 * v.confidence());
        StackPane.setAlignment(fill, Pos.CENTER_LEFT);
        bar.getChildren().add(fill);
        Label pct = new Label(String.format(Locale.ROOT, "%.0f %%", 100 * v.confidence()));
        pct.setMinWidth(36);
        HBox box = new HBox(6, cls, bar, pct);
        box.setAlignment(Pos.CENTER_LEFT);
        box.getStyleClass().add("inspector-judgement");
        return box;
    }
}
