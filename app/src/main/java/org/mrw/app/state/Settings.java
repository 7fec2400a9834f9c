package org.mrw.app.state;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.prefs.BackingStoreException;
import java.util.prefs.Preferences;

/**
 * What the workbench remembers between sessions (java.util.prefs, per user): window bounds, the last
 * view, theme, recent workspaces. Tests and screenshots use a throw-away node so they never touch a
 * user's settings.
 */
public final class Settings {

    public record WindowBounds(double x, double y, double width, double height, boolean maximized) {
    }

    private static final int RECENT = 8;
    private final Preferences node;

    private Settings(Preferences node) {
        this.node = node;
    }

    /** The user's settings. */
    public static Settings user() {
        return new Settings(Preferences.userRoot().node("org/mrw/workbench"));
    }

    /** A settings node of its own, for tests and headless screenshots (removed by {@link #clear}). */
    public static Settings scratch(String name) {
        return new Settings(Preferences.userRoot().node("org/mrw/workbench-scratch/" + name));
    }

    public WindowBounds window(WindowBounds fallback) {
        double w = node.getDouble("window.width", -1);
        if (w <= 0) {
            return fallback;
        }
        return new WindowBounds(node.getDouble("window.x", fallback.x()), node.getDouble("window.y", fallback.y()), w,
                node.getDouble("window.height", fallback.height()), node.getBoolean("window.maximized", false));
    }

    public void saveWindow(WindowBounds b) {
        node.putDouble("window.x", b.x());
        node.putDouble("window.y", b.y());
        node.putDouble("window.width", b.width());
        node.putDouble("window.height", b.height());
        node.putBoolean("window.maximized", b.maximized());
    }

    public String lastView(String fallback) {
        return node.get("view", fallback);
    }

    public void saveLastView(String view) {
        node.put("view", view);
    }

    public boolean dark() {
        return node.getBoolean("theme.dark", false);
    }

    public void dark(boolean dark) {
        node.putBoolean("theme.dark", dark);
    }

    /** Recent workspaces, newest first. */
    public List<Path> recentWorkspaces() {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < RECENT; i++) {
            String s = node.get("recent." + i, null);
            if (s != null) {
                out.add(Path.of(s));
            }
        }
        return out;
    }

    /** Puts a workspace first in the recent list (once). */
    public void touchWorkspace(Path workspace) {
        List<Path> list = recentWorkspaces();
        Path abs = workspace.toAbsolutePath().normalize();
        list.remove(abs);
        list.add(0, abs);
        for (int i = 0; i < RECENT; i++) {
            if (i < list.size()) {
                node.put("recent." + i, list.get(i).toString());
            } else {
                node.remove("recent." + i);
            }
        }
    }

    public void flush() {
        try {
            node.flush();
        } catch (BackingStoreException e) {
            // settings are a convenience: losing them must not stop the program
        }
    }

    public void clear() {
        try {
            node.removeNode();
        } catch (BackingStoreException | IllegalStateException e) {
            // already gone
        }
    }
}
