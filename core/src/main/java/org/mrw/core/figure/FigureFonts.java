package org.mrw.core.figure;

import java.awt.Font;
import java.awt.FontFormatException;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The one typeface of every figure: DejaVu Sans, bundled in the jar (licence beside it) so that screen,
 * PNG, SVG and PDF show the same glyphs — including ε, ∞, × and →, which PDF base fonts lack.
 */
public final class FigureFonts {

    /** Family name as written into SVG and as registered with Java2D. */
    public static final String FAMILY = "DejaVu Sans";

    private static final String REGULAR = "fonts/DejaVuSans.ttf";
    private static final String BOLD = "fonts/DejaVuSans-Bold.ttf";

    private static Font regular;
    private static Font bold;

    private FigureFonts() {
    }

    /** The regular face at {@code size} points. */
    public static Font regular(float size) {
        return base(false).deriveFont(Font.PLAIN, size);
    }

    /** The bold face (a real bold, not Java2D's synthetic one) at {@code size} points. */
    public static Font bold(float size) {
        return base(true).deriveFont(Font.PLAIN, size);
    }

    /** The TrueType bytes of a face, for embedding (the caller closes the stream). */
    static InputStream openTrueType(boolean boldFace) {
        InputStream in = FigureFonts.class.getResourceAsStream(boldFace ? BOLD : REGULAR);
        if (in == null) {
            throw new IllegalStateException("bundled font missing from the classpath: " + (boldFace ? BOLD : REGULAR));
        }
        return in;
    }

    private static synchronized Font base(boolean boldFace) {
        if (boldFace ? bold == null : regular == null) {
            try (InputStream in = openTrueType(boldFace)) {
                Font font = Font.createFont(Font.TRUETYPE_FONT, in);
                // Registered so that Swing/FX text and SVG viewers on this machine find the family by name.
                GraphicsEnvironment.getLocalGraphicsEnvironment().registerFont(font);
                if (boldFace) {
                    bold = font;
                } else {
                    regular = font;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the bundled font", e);
            } catch (FontFormatException e) {
                throw new IllegalStateException("the bundled font is not a TrueType font", e);
            }
        }
        return boldFace ? bold : regular;
    }
}
