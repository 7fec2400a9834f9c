package org.mrw.app;

import java.nio.file.Path;
import java.util.List;
import org.mrw.app.shell.ViewId;

/**
 * {@code mrw gui [--view NAME] [--workspace DIR] [--screenshot FILE] [--size WxH]}: the window, or with
 * --screenshot one view rendered headless to a PNG (for docs and checks) after which the program exits.
 */
record GuiOptions(ViewId view, Path workspace, Path screenshot, int width, int height) {

    static final String USAGE = "usage: mrw gui [--view models|data|experiment|devices|run|results|export|demo] "
            + "[--workspace DIR] [--screenshot FILE.png] [--size WIDTHxHEIGHT]";

    static GuiOptions parse(List<String> args) {
        ViewId view = null;
        Path workspace = null;
        Path screenshot = null;
        int width = 1280;
        int height = 800;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(a + " needs a value (or is unknown); " + USAGE);
            }
            String v = args.get(++i);
            switch (a) {
                case "--view" -> view = ViewId.parse(v);
                case "--workspace" -> workspace = Path.of(v);
                case "--screenshot" -> {
                    if (!v.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
                        throw new IllegalArgumentException("--screenshot writes a PNG: give a file name ending in .png, got " + v);
                    }
                    screenshot = Path.of(v);
                }
                case "--size" -> {
                    String[] wh = v.toLowerCase(java.util.Locale.ROOT).split("x");
                    try {
                        width = Integer.parseInt(wh[0]);
                        height = Integer.parseInt(wh[1]);
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException("--size must look like 1280x800, got " + v);
                    }
                    if (width < 320 || height < 240 || width > 7680 || height > 4320) {
                        throw new IllegalArgumentException("--size must lie between 320x240 and 7680x4320, got " + v);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "; " + USAGE);
            }
        }
        return new GuiOptions(view, workspace, screenshot, width, height);
    }
}
