package org.mrw.core.figure;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import org.jfree.chart.JFreeChart;

/**
 * Something that draws itself into a rectangle measured in points: the one drawing path every export
 * backend (SVG, PDF, PNG) and the screen share.
 */
@FunctionalInterface
public interface Drawing {

    void draw(Graphics2D g, Rectangle2D area);

    /** A chart as a drawing. */
    static Drawing of(JFreeChart chart) {
        return (g, area) -> chart.draw(g, area);
    }
}
