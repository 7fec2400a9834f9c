package org.mrw.app.data;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelFormat;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.VBox;
import org.controlsfx.control.GridCell;
import org.mrw.core.data.Dataset;
import org.mrw.core.data.ImageBatch;

/**
 * Thumbnails for the Data view's grid. The grid only builds cells for what is on screen; each cell asks
 * for its image, which is decoded off the FX thread (image folders decode from disk) and kept in a small
 * LRU cache. Work for cells that scrolled away before their turn is skipped.
 */
final class Thumbnails {

    /** Side of a thumbnail on screen, in pixels. */
    static final int SIDE = 56;

    private static final int CACHE = 2048;

    private final Map<Integer, Image> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Image> eldest) {
            return size() > CACHE;
        }
    };
    // one thread, newest request first: the cells on screen now come before those scrolled past
    private final ThreadPoolExecutor decoder = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingDeque<>() {
        @Override
        public boolean offer(Runnable r) {
            return super.offerFirst(r);
        }
    }, r -> {
        Thread t = new Thread(r, "mrw-thumbnails");
        t.setDaemon(true);
        return t;
    });
    private volatile Dataset dataset;
    private volatile int generation;

    Thumbnails() {
        decoder.allowCoreThreadTimeOut(true);
    }

    /** Shows another dataset (FX thread); images of the previous one are dropped. */
    void use(Dataset data) {
        if (data != dataset) {
            dataset = data;
            generation++;
            cache.clear();
        }
    }

    /** A grid cell showing image {@code index} and its label's name. */
    GridCell<Integer> cell(IntFunction<String> className) {
        return new Cell(className);
    }

    private final class Cell extends GridCell<Integer> {
        private final ImageView view = new ImageView();
        private final Label label = new Label();
        private final VBox box = new VBox(2, view, label);
        private final IntFunction<String> className;
        private volatile int wanted = -1;

        Cell(IntFunction<String> className) {
            this.className = className;
            getStyleClass().add("thumbnail-cell");
            label.getStyleClass().add("thumbnail-label");
            label.setMaxWidth(SIDE + 6);
            box.setAlignment(Pos.TOP_CENTER);
            view.setFitWidth(SIDE);
            view.setFitHeight(SIDE);
            view.setPreserveRatio(true);
        }

        @Override
        protected void updateItem(Integer item, boolean empty) {
            super.updateItem(item, empty);
            Dataset d = dataset;
            if (empty || item == null || d == null || item >= d.size()) {
                wanted = -1;
                setGraphic(null);
                setTooltip(null);
                return;
            }
            int index = item;
            wanted = index;
            String name = className.apply(d.label(index));
            label.setText(name);
            setTooltip(new Tooltip("#" + index + " · " + name));
            setGraphic(box);
            Image cached = cache.get(index);
            view.setImage(cached);
            if (cached == null) {
                int gen = generation;
                decoder.execute(() -> {
                    if (wanted != index || gen != generation) {
                        return; // scrolled away or another dataset: skip
                    }
                    Image image = render(d.batch(index, 1));
                    Platform.runLater(() -> {
                        if (gen != generation) {
                            return;
                        }
                        cache.put(index, image);
                        if (wanted == index) {
                            view.setImage(image);
                            // small images are shown pixel-exact, large ones smoothed down
                            view.setSmooth(image.getWidth() > SIDE);
                        }
                    });
                });
            } else {
                view.setSmooth(cached.getWidth() > SIDE);
            }
        }
    }

    /** One canonical image (NCHW, [0,1]) as a picture, reduced by area averaging to at most twice the thumbnail side. */
    static Image render(ImageBatch one) {
        int c = one.channels();
        int h = one.height();
        int w = one.width();
        int step = Math.max(1, (int) Math.ceil(Math.max(h, w) / (2.0 * SIDE)));
        int oh = Math.max(1, h / step);
        int ow = Math.max(1, w / step);
        float[] p = one.pixels();
        int plane = h * w;
        int[] argb = new int[oh * ow];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int[] rgb = new int[3];
                for (int ch = 0; ch < 3; ch++) {
                    int src = c == 1 ? 0 : Math.min(ch, c - 1);
                    double sum = 0;
                    for (int dy = 0; dy < step; dy++) {
                        for (int dx = 0; dx < step; dx++) {
                            sum += p[src * plane + (y * step + dy) * w + (x * step + dx)];
                        }
                    }
                    rgb[ch] = Math.max(0, Math.min(255, (int) Math.round(255 * sum / (step * step))));
                }
                argb[y * ow + x] = 0xFF000000 | rgb[0] << 16 | rgb[1] << 8 | rgb[2];
            }
        }
        WritableImage image = new WritableImage(ow, oh);
        image.getPixelWriter().setPixels(0, 0, ow, oh, PixelFormat.getIntArgbInstance(), argb, 0, ow);
        return image;
    }
}
