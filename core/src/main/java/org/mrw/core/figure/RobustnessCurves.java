package org.mrw.core.figure;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Shape;
import java.awt.Stroke;
import java.awt.geom.Line2D;
import java.text.DecimalFormat;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickUnits;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Robustness curves — accuracy (or attack success rate) against ε — as JFreeChart charts in the
 * workbench's encoding ({@link FigureStyle}). The same chart object is drawn on screen (FXGraphics2D) and
 * exported by {@link FigureExport}, so what the user previews is what the paper gets.
 */
public final class RobustnessCurves {

    /** Y-axis label for accuracy curves. */
    public static final String ACCURACY = "accuracy";
    /** Y-axis label for attack-success curves. */
    public static final String SUCCESS_RATE = "attack success rate";

    /** How the 95 % interval is drawn. */
    public enum Uncertainty { BAND, ERROR_BARS, NONE }

    /** How ε ticks are labelled: decimals (0.01), or multiples of one 8-bit level (4/255). */
    public enum EpsilonTicks { DECIMAL, PIXEL_LEVELS }

    /** What the panels of {@link #grouped} stand for; the other attribute varies inside each panel. */
    public enum Grouping {
        /** One panel per framework family; inside, PC vs mobile vs quantized. */
        FRAMEWORK,
        /** One panel per deployment (platform × variant); inside, the frameworks. */
        DEPLOYMENT
    }

    /**
     * Chart options.
     *
     * @param title        chart title, or null for none (papers put it in the caption)
     * @param xLabel       ε-axis label
     * @param yLabel       value-axis label ({@link #ACCURACY} or {@link #SUCCESS_RATE})
     * @param uncertainty  band, error bars, or nothing
     * @param epsilonTicks tick labelling of the ε axis
     * @param unitRange    fix the value axis to [0, 1] (proportions) instead of fitting the data
     */
    public record Options(String title, String xLabel, String yLabel, Uncertainty uncertainty,
                          EpsilonTicks epsilonTicks, boolean unitRange) {

        public Options {
            Objects.requireNonNull(xLabel, "xLabel");
            Objects.requireNonNull(yLabel, "yLabel");
            Objects.requireNonNull(uncertainty, "uncertainty");
            Objects.requireNonNull(epsilonTicks, "epsilonTicks");
        }

        /** Accuracy vs ε with 95 % bands, decimal ticks, no title. */
        public static Options defaults() {
            return new Options(null, "ε", ACCURACY, Uncertainty.BAND, EpsilonTicks.DECIMAL, true);
        }

        public Options withTitle(String t) {
            return new Options(t, xLabel, yLabel, uncertainty, epsilonTicks, unitRange);
        }

        public Options withXLabel(String l) {
            return new Options(title, l, yLabel, uncertainty, epsilonTicks, unitRange);
        }

        public Options withYLabel(String l) {
            return new Options(title, xLabel, l, uncertainty, epsilonTicks, unitRange);
        }

        public Options withUncertainty(Uncertainty u) {
            return new Options(title, xLabel, yLabel, u, epsilonTicks, unitRange);
        }

        public Options withEpsilonTicks(EpsilonTicks e) {
            return new Options(title, xLabel, yLabel, uncertainty, e, unitRange);
        }

        public Options withUnitRange(boolean u) {
            return new Options(title, xLabel, yLabel, uncertainty, epsilonTicks, u);
        }
    }

    private static final double BAND_ALPHA = 0.16;
    private static final double PANEL_HEADROOM = 0.13;
    /** ε-axis margin, as a share of the range: room for the end markers. */
    private static final double OVERLAY_MARGIN = 0.03;
    /**
     * Side by side, the last tick label of one panel and the first of the next would touch ("0.0050.000")
     * with the overlay's margin; this one keeps them a label's width apart at the double-column size.
     */
    private static final double PANEL_MARGIN = 0.09;

    private RobustnessCurves() {
    }

    /** All curves in one plot; the legend (below the plot, never over the curves) names each curve. */
    public static JFreeChart overlay(List<Curve> curves, Options options) {
        List<String> others = otherFamilies(curves);
        XYPlot plot = panel(curves, others, options, valueAxis(options, 0));
        plot.setDomainAxis(epsilonAxis(options, maxEpsilon(curves), OVERLAY_MARGIN));
        JFreeChart chart = chart(plot, options);
        return chart;
    }

    /**
     * Small multiples sharing the value axis: one panel per framework family (PC vs mobile vs
     * quantized inside each) or one per deployment (frameworks inside each). The legend explains what
     * varies inside the panels; panel titles say what is fixed.
     */
    public static JFreeChart grouped(List<Curve> curves, Grouping grouping, Options options) {
        List<String> others = otherFamilies(curves);
        Map<String, List<Curve>> panels = new LinkedHashMap<>();
        curves.stream()
                .sorted(grouping == Grouping.FRAMEWORK
                        ? Comparator.comparingInt((Curve c) -> FigureStyle.familyOrder(c.framework()))
                                .thenComparing(c -> FigureStyle.family(c.framework()))
                        : Comparator.comparing(Curve::platform).thenComparing(Curve::variant))
                .forEach(c -> panels.computeIfAbsent(grouping == Grouping.FRAMEWORK
                        ? FigureStyle.family(c.framework()) : c.deployment(), k -> new ArrayList<>()).add(c));

        NumberAxis value = valueAxis(options, PANEL_HEADROOM);
        CombinedRangeXYPlot combined = new CombinedRangeXYPlot(value);
        combined.setGap(8);
        for (Map.Entry<String, List<Curve>> e : panels.entrySet()) {
            XYPlot p = panel(e.getValue(), others, options, null);
            p.setDomainAxis(epsilonAxis(options, maxEpsilon(curves), PANEL_MARGIN)); // same ε range in every panel
            TextTitle t = new TextTitle(e.getKey(), FigureFonts.bold(FigureStyle.LABEL_FONT_SIZE));
            t.setPaint(FigureStyle.INK);
            p.addAnnotation(new XYTitleAnnotation(0.5, 0.995, t, RectangleAnchor.TOP));
            combined.add(p, 1);
        }
        combined.setFixedLegendItems(grouping == Grouping.FRAMEWORK
                ? deploymentLegend(curves) : frameworkLegend(curves, others));
        return chart(combined, options);
    }

    private static JFreeChart chart(org.jfree.chart.plot.Plot plot, Options options) {
        // JFreeChart's default draws rotated text (the value-axis label) through TextLayout, which reaches
        // PDF and SVG as glyph outlines: unsearchable, and not the embedded font. Plain drawString is
        // correct on every JDK since 1.5 (the workaround is for JDK bug 4312117); the flag is global.
        TextUtils.setUseDrawRotatedStringWorkaround(false);
        JFreeChart chart = new JFreeChart(options.title(), FigureFonts.bold(FigureStyle.TITLE_FONT_SIZE), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        chart.setPadding(new RectangleInsets(3, 2, 2, 6));
        if (chart.getTitle() != null) {
            chart.getTitle().setPaint(FigureStyle.INK);
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.BOTTOM);
        legend.setItemFont(FigureFonts.regular(FigureStyle.LEGEND_FONT_SIZE));
        legend.setItemPaint(FigureStyle.INK);
        legend.setFrame(BlockBorder.NONE);
        legend.setBackgroundPaint(null);
        legend.setHorizontalAlignment(HorizontalAlignment.CENTER);
        legend.setItemLabelPadding(new RectangleInsets(1, 2, 1, 6));
        legend.setMargin(new RectangleInsets(2, 0, 0, 0));
        return chart;
    }

    private static XYPlot panel(List<Curve> curves, List<String> others, Options options, NumberAxis value) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        Set<String> keys = new LinkedHashSet<>();
        for (Curve c : curves) {
            String key = c.label();
            for (int i = 2; !keys.add(key); i++) {
                key = c.label() + " (" + i + ")"; // series keys must be unique; labels need not be
            }
            YIntervalSeries s = new YIntervalSeries(key, true, false);
            for (Curve.Point p : c.points()) {
                double lo = p.hasInterval() ? p.low() : p.value();
                double hi = p.hasInterval() ? p.high() : p.value();
                s.add(p.epsilon(), p.value(), lo, hi);
            }
            data.addSeries(s);
        }
        XYLineAndShapeRenderer r = renderer(options.uncertainty());
        for (int i = 0; i < curves.size(); i++) {
            Curve c = curves.get(i);
            Color colour = FigureStyle.colour(c.framework(), others);
            r.setSeriesPaint(i, colour);
            r.setSeriesFillPaint(i, colour);
            r.setSeriesStroke(i, FigureStyle.stroke(c.variant()));
            r.setSeriesShape(i, FigureStyle.marker(c.platform()));
        }
        XYPlot plot = new XYPlot(data, null, value, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setDomainGridlinePaint(FigureStyle.GRID);
        plot.setRangeGridlinePaint(FigureStyle.GRID);
        Stroke grid = new BasicStroke(0.4f);
        plot.setDomainGridlineStroke(grid);
        plot.setRangeGridlineStroke(grid);
        plot.setAxisOffset(new RectangleInsets(2, 2, 2, 2));
        return plot;
    }

    private static XYLineAndShapeRenderer renderer(Uncertainty u) {
        XYLineAndShapeRenderer r;
        switch (u) {
            case BAND: {
                DeviationRenderer d = new DeviationRenderer(true, true);
                d.setAlpha((float) BAND_ALPHA);
                r = d;
                break;
            }
            case ERROR_BARS: {
                XYErrorRenderer e = new XYErrorRenderer();
                e.setDrawXError(false);
                e.setCapLength(3);
                e.setErrorStroke(new BasicStroke(0.7f));
                e.setDefaultLinesVisible(true); // XYErrorRenderer hides lines by default
                r = e;
                break;
            }
            default:
                r = new XYLineAndShapeRenderer(true, true);
        }
        r.setDrawSeriesLineAsPath(true); // dashes run along the whole curve instead of restarting per segment
        r.setUseFillPaint(false);
        r.setLegendLine(new Line2D.Double(-10, 0, 10, 0));
        r.setAutoPopulateSeriesStroke(false);
        r.setAutoPopulateSeriesShape(false);
        return r;
    }

    private static NumberAxis epsilonAxis(Options options, double max, double margin) {
        NumberAxis x = new NumberAxis(options.xLabel()) {
            // the margin left of 0 is room for markers, not budgets: no "-0.5" tick there
            @Override
            protected List<org.jfree.chart.axis.NumberTick> refreshTicksHorizontal(java.awt.Graphics2D g2,
                    java.awt.geom.Rectangle2D dataArea, org.jfree.chart.ui.RectangleEdge edge) {
                @SuppressWarnings("unchecked")
                List<org.jfree.chart.axis.NumberTick> ticks = super.refreshTicksHorizontal(g2, dataArea, edge);
                return ticks.stream().filter(t -> t.getValue() >= -1e-12).toList();
            }
        };
        style(x);
        // Explicit margins on both sides: an auto range that includes zero puts the ε = 0 markers on the axis.
        double span = max > 0 ? max : 1;
        x.setRange(-margin * span, max + margin * span);
        if (options.epsilonTicks() == EpsilonTicks.PIXEL_LEVELS) {
            TickUnits units = new TickUnits();
            NumberFormat f = new PixelLevelFormat();
            for (int k : new int[] {1, 2, 4, 8, 16, 32, 64, 128}) {
                units.add(new NumberTickUnit(k / 255.0, f));
            }
            x.setStandardTickUnits(units);
        }
        return x;
    }

    private static NumberAxis valueAxis(Options options, double headroom) {
        NumberAxis y = new NumberAxis(options.yLabel());
        style(y);
        if (options.unitRange()) {
            // A little room below 0 and above 1 so curves at the extremes do not merge with the frame.
            y.setRange(-0.03, 1.03 + headroom);
            y.setTickUnit(new NumberTickUnit(0.2, new DecimalFormat("0.0")));
        } else {
            y.setAutoRangeIncludesZero(false);
            y.setUpperMargin(0.05 + headroom); // panel titles sit at the top: keep the data below them
        }
        return y;
    }

    private static void style(NumberAxis a) {
        a.setLabelFont(FigureFonts.regular(FigureStyle.LABEL_FONT_SIZE));
        a.setTickLabelFont(FigureFonts.regular(FigureStyle.TICK_FONT_SIZE));
        a.setLabelPaint(FigureStyle.INK);
        a.setTickLabelPaint(FigureStyle.INK);
        a.setAxisLinePaint(FigureStyle.INK);
        a.setAxisLineStroke(new BasicStroke(0.6f));
        a.setTickMarkPaint(FigureStyle.INK);
        a.setTickMarkStroke(new BasicStroke(0.6f));
        a.setTickMarkOutsideLength(2.5f);
        a.setTickMarkInsideLength(0f);
        a.setTickLabelInsets(new RectangleInsets(1.5, 1.5, 1.5, 1.5));
        a.setLabelInsets(new RectangleInsets(1.5, 1.5, 1.5, 1.5));
    }

    /** Deployment legend for framework panels: dark lines with each variant's dash and platform's marker. */
    private static LegendItemCollection deploymentLegend(List<Curve> curves) {
        LegendItemCollection items = new LegendItemCollection();
        curves.stream().map(c -> List.of(c.platform(), c.variant())).distinct()
                .sorted(Comparator.comparing((List<? extends Enum<?>> k) -> k.get(0).ordinal())
                        .thenComparing(k -> k.get(1).ordinal()))
                .forEach(k -> {
                    Platform p = (Platform) k.get(0);
                    org.mrw.core.model.Variant v = (org.mrw.core.model.Variant) k.get(1);
                    items.add(legendItem(p.displayName() + " · " + v.name().toLowerCase(Locale.ROOT),
                            FigureStyle.INK, FigureStyle.stroke(v), FigureStyle.marker(p)));
                });
        return items;
    }

    /** Framework legend for deployment panels: each family's colour, a plain solid line. */
    private static LegendItemCollection frameworkLegend(List<Curve> curves, List<String> others) {
        LegendItemCollection items = new LegendItemCollection();
        curves.stream().map(c -> FigureStyle.family(c.framework())).distinct()
                .sorted(Comparator.comparingInt(FigureStyle::familyOrder).thenComparing(f -> f))
                .forEach(f -> items.add(legendItem(f, FigureStyle.colour(f, others),
                        FigureStyle.stroke(org.mrw.core.model.Variant.FLOAT), null)));
        return items;
    }

    private static LegendItem legendItem(String label, Paint paint, Stroke stroke, Shape marker) {
        Shape line = new Line2D.Double(-10, 0, 10, 0);
        LegendItem item = new LegendItem(label, null, null, null, marker != null,
                marker != null ? marker : new Line2D.Double(), true, paint, false, paint, stroke, true, line,
                stroke, paint);
        item.setLabelFont(FigureFonts.regular(FigureStyle.LEGEND_FONT_SIZE));
        item.setLabelPaint(FigureStyle.INK);
        return item;
    }

    private static double maxEpsilon(List<Curve> curves) {
        return curves.stream().flatMap(c -> c.points().stream()).mapToDouble(Curve.Point::epsilon).max().orElse(1);
    }

    private static List<String> otherFamilies(List<Curve> curves) {
        return curves.stream().map(c -> FigureStyle.family(c.framework()))
                .filter(f -> FigureStyle.familyOrder(f) == 3).distinct().sorted().toList();
    }

    /** Formats ε as a count of 8-bit levels, "8/255" (UI.md: ε shown as k/255 where it is one). */
    private static final class PixelLevelFormat extends NumberFormat {
        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            long k = Math.round(number * 255);
            return to.append(k == 0 ? "0" : k + "/255");
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            throw new UnsupportedOperationException("display only");
        }
    }
}
