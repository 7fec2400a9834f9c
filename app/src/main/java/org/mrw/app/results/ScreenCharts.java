package org.mrw.app.results;

import java.awt.BasicStroke;
import java.awt.Font;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.util.Iterator;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.Axis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYItemRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;

/**
 * Paper charts ({@link org.mrw.core.figure.RobustnessCurves}) are sized in points for a 7 in column;
 * on a screen one point is one pixel, so text, lines and markers are enlarged by one factor. Colours,
 * dashes and marker shapes — the encoding — stay exactly as exported.
 */
final class ScreenCharts {

    private ScreenCharts() {
    }

    static JFreeChart enlarge(JFreeChart chart, float k) {
        Plot plot = chart.getPlot();
        List<XYPlot> panels;
        // panels of a combined plot return the shared range axis as their own: enlarge each axis once
        java.util.Set<Axis> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        if (plot instanceof CombinedRangeXYPlot combined) {
            axis(combined.getRangeAxis(), k, done);
            panels = combined.getSubplots();
            combined.setGap(combined.getGap() * k);
            combined.setFixedLegendItems(legend(combined.getFixedLegendItems(), k));
        } else {
            panels = List.of((XYPlot) plot);
        }
        for (XYPlot p : panels) {
            axis(p.getDomainAxis(), k, done);
            axis(p.getRangeAxis(), k, done);
            for (Object a : p.getAnnotations()) {
                if (a instanceof XYTitleAnnotation t && t.getTitle() instanceof TextTitle title) {
                    title.setFont(scale(title.getFont(), k));
                }
            }
            XYItemRenderer r = p.getRenderer();
            for (int i = 0; i < p.getDataset().getSeriesCount(); i++) {
                if (r.getSeriesShape(i) != null) {
                    r.setSeriesShape(i, scale(r.getSeriesShape(i), k));
                }
                if (r.getSeriesStroke(i) != null) {
                    r.setSeriesStroke(i, scale(r.getSeriesStroke(i), k));
                }
            }
            if (r instanceof XYLineAndShapeRenderer line) {
                line.setLegendLine(scale(line.getLegendLine(), k));
            }
        }
        if (chart.getLegend() != null) {
            chart.getLegend().setItemFont(scale(chart.getLegend().getItemFont(), k));
        }
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(scale(chart.getTitle().getFont(), k));
        }
        return chart;
    }

    private static LegendItemCollection legend(LegendItemCollection items, float k) {
        if (items == null) {
            return null;
        }
        LegendItemCollection out = new LegendItemCollection();
        for (Iterator<?> it = items.iterator(); it.hasNext(); ) {
            LegendItem item = (LegendItem) it.next();
            if (item.getShape() != null) {
                item.setShape(scale(item.getShape(), k));
            }
            if (item.getLine() != null) {
                item.setLine(scale(item.getLine(), k));
            }
            if (item.getLabelFont() != null) {
                item.setLabelFont(scale(item.getLabelFont(), k));
            }
            if (item.getLineStroke() != null) {
                item.setLineStroke(scale(item.getLineStroke(), k));
            }
            out.add(item);
        }
        return out;
    }

    private static void axis(Axis a, float k, java.util.Set<Axis> done) {
        if (a == null || !done.add(a)) {
            return;
        }
        a.setLabelFont(scale(a.getLabelFont(), k));
        a.setTickLabelFont(scale(a.getTickLabelFont(), k));
        a.setTickMarkOutsideLength(a.getTickMarkOutsideLength() * k);
    }

    private static Font scale(Font f, float k) {
        return f.deriveFont(f.getSize2D() * k);
    }

    private static Shape scale(Shape s, float k) {
        return AffineTransform.getScaleInstance(k, k).createTransformedShape(s);
    }

    private static Stroke scale(Stroke s, float k) {
        if (!(s instanceof BasicStroke b)) {
            return s;
        }
        float[] dash = b.getDashArray();
        if (dash != null) {
            dash = dash.clone();
            for (int i = 0; i < dash.length; i++) {
                dash[i] *= k;
            }
        }
        return new BasicStroke(b.getLineWidth() * k, b.getEndCap(), b.getLineJoin(), b.getMiterLimit(), dash, b.getDashPhase() * k);
    }
}
