package org.mrw.app.shell;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javafx.scene.Node;

/**
 * One view of the workbench. Views are built lazily on first navigation, on the FX thread; anything slow
 * (engines, datasets, runs) goes through {@link org.mrw.app.state.BackgroundWork}.
 */
public interface View {

    ViewId id();

    /** The view's node; the same instance every call. */
    Node root();

    /** Called on the FX thread each time the view becomes visible. */
    default void shown() {
    }

    /**
     * Completes once the view shows its content on the bundled defaults (screenshots and tests wait on
     * it); completes exceptionally when that content could not be loaded (the view then shows why).
     */
    default CompletionStage<?> ready() {
        return CompletableFuture.completedFuture(null);
    }
}
