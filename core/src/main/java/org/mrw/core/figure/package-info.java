/**
 * Paper and screen figures drawn once, against {@link java.awt.Graphics2D}: robustness curves (JFreeChart),
 * image grids of adversarial examples, and tables, exported to SVG, PDF (with the bundled DejaVu Sans
 * embedded) and PNG at a chosen DPI. Headless: the app shows the same charts through FXGraphics2D.
 */
package org.mrw.core.figure;
