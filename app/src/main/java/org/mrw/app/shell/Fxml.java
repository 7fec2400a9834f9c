package org.mrw.app.shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import javafx.fxml.FXMLLoader;
import javafx.scene.Parent;

/** Loads a view's FXML with the view as its controller, and the view's own stylesheet on the root. */
public final class Fxml {

    private Fxml() {
    }

    /**
     * @param controller the view: its {@code @FXML} fields are filled; the files lie beside its class
     * @param fxml       the layout file's name
     * @param css        the stylesheet's name, or null
     * @return the root node
     */
    public static <T extends Parent> T load(Object controller, String fxml, String css) {
        Class<?> owner = controller.getClass();
        URL url = owner.getResource(fxml);
        if (url == null) {
            throw new IllegalStateException(fxml + " is missing beside " + owner.getName() + " in the app jar; rebuild mrw-app");
        }
        FXMLLoader loader = new FXMLLoader(url);
        loader.setController(controller);
        T root;
        try {
            root = loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException(fxml + " of " + owner.getSimpleName() + " does not load: " + e.getMessage(), e);
        }
        if (css != null) {
            root.getStylesheets().add(owner.getResource(css).toExternalForm());
        }
        return root;
    }
}
