package org.mrw.app.demo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import javafx.event.EventHandler;
import javafx.fxml.FXML;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.TilePane;
import javafx.scene.paint.Color;
import javafx.util.StringConverter;
import org.mrw.app.shell.Fxml;
import org.mrw.app.shell.View;
import org.mrw.app.shell.ViewId;
import org.mrw.app.state.BackgroundWork;
import org.mrw.app.state.ModelEntry;
import org.mrw.app.state.WorkbenchState;
import org.mrw.core.attack.FgsmLine;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;
import org.mrw.core.model.Classifier;
import org.mrw.core.model.GradientClassifier;
import org.mrw.core.model.Prediction;

/**
 * Demo mode: a strip of test images, an ε slider (0 … 16/255), the original, the perturbation
 * (amplified, diverging colours) and the adversarial large, and one card per runtime showing its
 * verdict, red when fooled. FGSM needs one gradient per image (ResNet, PyTorch float on this computer),
 * so moving the slider only recomputes {@code x + ε·sign(g)} and re-asks every target at once; each
 * target answers on its own (latest-wins), so a slow one shows "waiting" and holds back none of the others.
 * Arrow keys: left/right image, up/down ε.
 */
public final class DemoView implements View {

    /** The zoo's ResNet in every runtime the paper compares, and how the cards name them. */
    private static final String[][] TARGETS = {
        {"resnet_float_pt", "PC · PyTorch float", "this computer", "pytorch"},
        {"resnet_int8_pt", "PC · PyTorch int8", "this computer", "pytorch"},
        {"resnet_float_tflite", "TFLite float", "phone runtime, run here", "tensorflow"},
        {"resnet_int8_tflite", "TFLite int8", "phone runtime, run here", "tensorflow"},
        {"resnet_float_ptl", "PyTorch Mobile float", "phone runtime, run here", "pytorch"},
        {"resnet_int8_ptl", "PyTorch Mobile int8", "phone runtime, run here", "pytorch"},
    };
    private static final String SOURCE = "resnet_float_pt";
    /** How many test images the strip offers. */
    static final int IMAGES = 12;
    /** The slider's top: 16 of 255 levels. */
    static final int MAX_LEVELS = 16;
    private static final double LARGE = 200;
    private static final double THUMB = 56;
    // Diverging map (PuOr ends, as ImageGrid): colour-blind safe, and not red, which means "flip".
    private static final Color NEGATIVE = Color.web("#5E3C99");
    private static final Color POSITIVE = Color.web("#E66101");

    private final WorkbenchState state;
    private final BorderPane root;
    private final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final ToggleGroup stripGroup = new ToggleGroup();
    private final List<TargetCard> cardList = new ArrayList<>();
    private final Map<Integer, CompletableFuture<FgsmLine>> lines = new HashMap<>();
    private CompletableFuture<GradientClassifier> source;
    private ImageBatch images;
    private List<String> classNames = List.of();
    private int selected;
    private long request;
    private Scene keyScene;
    private final EventHandler<KeyEvent> keys = this::key;

    @FXML private Label subtitle;
    @FXML private HBox strip;
    @FXML private ImageView original;
    @FXML private ImageView perturbation;
    @FXML private ImageView adversarial;
    @FXML private Label trueLabel;
    @FXML private Label perturbationScale;
    @FXML private Label adversarialNote;
    @FXML private Label epsilonLabel;
    @FXML private Slider epsilon;
    @FXML private TilePane cards;
    @FXML private Label empty;

    public DemoView(WorkbenchState state) {
        this.state = state;
        root = Fxml.load(this, "Demo.fxml", "demo.css");
        subtitle.setText("FGSM nudges every pixel by at most ε along the gradient of ResNet (PyTorch float, this computer);"
                + " the same image then goes to every runtime.   ← → image   ↑ ↓ ε   Esc leaves");
        epsilon.setLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Double v) {
                int k = (int) Math.round(v);
                return k == 0 ? "0" : k + "/255\n" + String.format(Locale.ROOT, "%.3f", k / 255.0);
            }

            @Override
            public Double fromString(String s) {
                throw new UnsupportedOperationException("ticks are not typed");
            }
        });
        epsilon.valueProperty().addListener((o, a, b) -> {
            if (b.doubleValue() != Math.rint(b.doubleValue())) {
                epsilon.setValue(Math.rint(b.doubleValue())); // whole 8-bit levels only
                return;
            }
            update();
        });
        for (ImageView v : List.of(original, perturbation, adversarial)) {
            v.setFitWidth(LARGE);
            v.setFitHeight(LARGE);
        }
        showEpsilon();
        root.sceneProperty().addListener((o, a, b) -> {
            if (a != null) {
                a.removeEventFilter(KeyEvent.KEY_PRESSED, keys);
            }
            keyScene = b;
            if (b != null) {
                b.addEventFilter(KeyEvent.KEY_PRESSED, keys);
            }
        });
        start();
    }

    @Override
    public ViewId id() {
        return ViewId.DEMO;
    }

    @Override
    public Node root() {
        return root;
    }

    /** Completes when the first image's cards show their verdicts. */
    @Override
    public CompletionStage<?> ready() {
        return ready;
    }

    @Override
    public void shown() {
        root.requestFocus();
    }

    // ------------------------------------------------------------------ for tests

    List<TargetCard> cards() {
        return cardList;
    }

    /** The id of the newest (image, ε) request; cards showing it are up to date. */
    long latestRequest() {
        return request;
    }

    int selectedImage() {
        return selected;
    }

    int epsilonLevels() {
        return (int) Math.round(epsilon.getValue());
    }

    void select(int image) {
        if (images == null) {
            return;
        }
        int i = Math.floorMod(image, images.size());
        ((ToggleButton) strip.getChildren().get(i)).setSelected(true);
        if (i != selected) {
            selected = i;
            update();
        }
    }

    void setEpsilonLevels(int k) {
        epsilon.setValue(Math.max(0, Math.min(MAX_LEVELS, k)));
    }

    // ------------------------------------------------------------------ set-up

    private void start() {
        Optional<ModelEntry> gradientModel = model(SOURCE);
        if (gradientModel.isEmpty()) {
            showEmpty("The demo needs the zoo's ResNet models; none are in " + state.zooDir()
                    + ". Build the zoo (models/README.md) or start the workbench from the checkout.");
            ready.completeExceptionally(new IllegalStateException("no zoo ResNet in " + state.zooDir()));
            return;
        }
        source = state.classifiers().differentiable(gradientModel.get());
        for (String[] t : TARGETS) {
            Optional<ModelEntry> m = model(t[0]);
            if (m.isEmpty()) {
                continue;
            }
            @SuppressWarnings("unchecked")
            CompletableFuture<Classifier> c = (CompletableFuture<Classifier>) (CompletableFuture<?>) state.classifiers().classifier(m.get());
            TargetCard card = new TargetCard(t[1], t[2], t[3], c, this::evaluate, this::className, this::cardAnswered);
            cardList.add(card);
        }
        cards.getChildren().setAll(cardList);
        state.dataset().thenApply(d -> new Object[] {d.batch(0, Math.min(IMAGES, d.size())), d.classNames()})
                .whenComplete((r, error) -> BackgroundWork.fx(() -> {
                    if (error != null) {
                        showEmpty("The dataset could not be opened: " + message(error) + ". Choose another one in Data.");
                        ready.completeExceptionally(error);
                        return;
                    }
                    @SuppressWarnings("unchecked")
                    List<String> names = (List<String>) r[1];
                    showImages((ImageBatch) r[0], names);
                }));
    }

    private Optional<ModelEntry> model(String id) {
        return state.models().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    private void showImages(ImageBatch batch, List<String> names) {
        images = batch;
        classNames = names;
        strip.getChildren().clear();
        for (int i = 0; i < batch.size(); i++) {
            ImageView thumb = new ImageView(image(batch, i, THUMB));
            ToggleButton b = new ToggleButton(null, thumb);
            b.setToggleGroup(stripGroup);
            b.setFocusTraversable(false); // arrows move between images through the view, not focus
            b.setId("demo-image-" + i);
            int index = i;
            b.setOnAction(e -> {
                b.setSelected(true);
                select(index);
            });
            strip.getChildren().add(b);
        }
        ((ToggleButton) strip.getChildren().get(0)).setSelected(true);
        selected = 0;
        update();
    }

    // ------------------------------------------------------------------ ε and images

    private void key(KeyEvent e) {
        if (keyScene == null || root.getScene() != keyScene || !root.isVisible()) {
            return;
        }
        switch (e.getCode()) {
            case LEFT -> select(selected - 1);
            case RIGHT -> select(selected + 1);
            case UP -> setEpsilonLevels(epsilonLevels() + 1);
            case DOWN -> setEpsilonLevels(epsilonLevels() - 1);
            default -> {
                return;
            }
        }
        e.consume();
    }

    private void showEpsilon() {
        int k = epsilonLevels();
        epsilonLabel.setText(k == 0 ? "0 (clean)" : String.format(Locale.ROOT, "%d/255 = %.4f", k, k / 255.0));
    }

    /** Recomputes the adversarial of the selected image at the slider's ε and asks every target. */
    private void update() {
        showEpsilon();
        if (images == null) {
            return;
        }
        long id = ++request;
        int image = selected;
        int k = epsilonLevels();
        ImageBatch clean = images.slice(image, image + 1);
        int label = clean.labels()[0];
        trueLabel.setText(className(label));
        original.setImage(image(clean, 0, LARGE));
        line(image).thenApply(line -> line.at(k / 255.0)).whenComplete((adv, error) -> BackgroundWork.fx(() -> {
            if (id != request) {
                return; // the slider or the image moved on
            }
            if (error != null) {
                perturbationScale.setText("no gradient: " + message(error));
                perturbationScale.getStyleClass().add("error-text");
                for (TargetCard c : cardList) {
                    c.request(id, clean, label); // the clean image still shows each verdict
                }
                return;
            }
            adversarial.setImage(image(adv, 0, LARGE));
            perturbation.setImage(perturbationImage(clean, adv, Math.max(k, 1) / 255.0));
            perturbationScale.setText(k == 0 ? "none" : "±" + k + "/255, shown ×" + Math.round(127.5 / k));
            adversarialNote.setText(k == 0 ? "= original" : "each pixel ±" + k + "/255");
            for (TargetCard c : cardList) {
                c.request(id, adv, label);
            }
        }));
    }

    /** The image's FGSM line: its gradient on the source model, taken once in the background. */
    private CompletableFuture<FgsmLine> line(int image) {
        ImageBatch clean = images.slice(image, image + 1);
        return lines.computeIfAbsent(image, i -> source.thenCompose(model -> state.work().submit("Demo: gradient of image " + i,
                (p, c) -> {
                    synchronized (model) { // one native predictor: one gradient at a time
                        return FgsmLine.of(model, clean);
                    }
                })));
    }

    private CompletableFuture<Prediction> evaluate(String title, Classifier classifier, ImageBatch image) {
        return state.work().submit("Demo: " + title, (p, c) -> {
            synchronized (classifier) {
                return Prediction.of(classifier.logits(image), 1, classifier.numClasses()).get(0);
            }
        });
    }

    private void cardAnswered() {
        if (!ready.isDone() && !cardList.isEmpty() && cardList.stream().allMatch(TargetCard::answered)) {
            ready.complete(null);
        }
    }

    private String className(int label) {
        return label >= 0 && label < classNames.size() ? classNames.get(label) : Integer.toString(label);
    }

    // ------------------------------------------------------------------ pictures

    /** Image {@code i} of a batch, scaled up by whole pixels (nearest neighbour) to about {@code side}. */
    private static Image image(ImageBatch b, int i, double side) {
        int w = b.width();
        int h = b.height();
        int k = Math.max(1, (int) Math.floor(side / Math.max(w, h)));
        WritableImage img = new WritableImage(w * k, h * k);
        PixelWriter px = img.getPixelWriter();
        int plane = h * w;
        int base = i * b.imageSize();
        float[] p = b.pixels();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = base + y * w + x;
                int r = level(p[at]);
                int g = b.channels() == 3 ? level(p[at + plane]) : r;
                int bl = b.channels() == 3 ? level(p[at + 2 * plane]) : r;
                int argb = 0xFF000000 | (r << 16) | (g << 8) | bl;
                fill(px, x * k, y * k, k, argb);
            }
        }
        return img;
    }

    /** The signed change, averaged over channels, in a diverging map whose ends are ±{@code scale}. */
    private static Image perturbationImage(ImageBatch clean, ImageBatch adv, double scale) {
        int w = clean.width();
        int h = clean.height();
        int k = Math.max(1, (int) Math.floor(LARGE / Math.max(w, h)));
        WritableImage img = new WritableImage(w * k, h * k);
        PixelWriter px = img.getPixelWriter();
        int plane = h * w;
        for (int p = 0; p < plane; p++) {
            double d = 0;
            for (int c = 0; c < clean.channels(); c++) {
                d += adv.pixels()[c * plane + p] - clean.pixels()[c * plane + p];
            }
            double t = Math.max(-1, Math.min(1, d / clean.channels() / scale));
            Color end = t < 0 ? NEGATIVE : POSITIVE;
            Color col = Color.WHITE.interpolate(end, Math.abs(t));
            int argb = 0xFF000000 | ((int) Math.round(col.getRed() * 255) << 16) | ((int) Math.round(col.getGreen() * 255) << 8)
                    | (int) Math.round(col.getBlue() * 255);
            fill(px, (p % w) * k, (p / w) * k, k, argb);
        }
        return img;
    }

    private static void fill(PixelWriter px, int x0, int y0, int k, int argb) {
        for (int dy = 0; dy < k; dy++) {
            for (int dx = 0; dx < k; dx++) {
                px.setArgb(x0 + dx, y0 + dy, argb);
            }
        }
    }

    private static int level(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255)));
    }

    private void showEmpty(String text) {
        empty.setText(text);
        empty.setVisible(true);
        empty.getStyleClass().add("error-text");
    }

    /** A failure in a line for a card or the empty state. */
    static String message(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}
