package org.rnnsuite.core.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.rnnsuite.core.bundle.AtomicFiles;

/** A line chart of named (x, y) series, written as PNG. Non-finite points are skipped. */
public final class LinePlot {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f)};

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();
    private final Map<String, Boolean> markers = new LinkedHashMap<>();
    private boolean logY;

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    /** Adds a point to the named series, creating it (drawn as a line) if needed. */
    public LinePlot add(String name, double x, double y) {
        series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[]{x, y});
        markers.putIfAbsent(name, false);
        return this;
    }

    /** Draws the named series with point markers (for sparse series like validation). */
    public LinePlot markers(String name) {
        markers.put(name, true);
        series.computeIfAbsent(name, k -> new ArrayList<>());
        return this;
    }

    /** Logarithmic y axis (for gradient norms spanning decades). */
    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** Renders to {@code file} (atomically). */
    public void write(Path file, int width, int height) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey(), false, true);
            for (double[] p : e.getValue()) {
                if (Double.isFinite(p[0]) && Double.isFinite(p[1]) && (!logY || p[1] > 0)) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, xLabel, yLabel, data, PlotOrientation.VERTICAL,
                true, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        if (!logY) {
            ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
        }
        if (logY) {
            LogarithmicAxis axis = new LogarithmicAxis(yLabel);
            axis.setAllowNegativesFlag(false);
            plot.setRangeAxis(axis);
        }
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer();
        int i = 0;
        for (String name : series.keySet()) {
            r.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
            r.setSeriesShapesVisible(i, markers.getOrDefault(name, false));
            i++;
        }
        plot.setRenderer(r);
        AtomicFiles.write(file, out -> ChartUtils.writeChartAsPNG(out, chart, width, height));
    }

    public void write(Path file) throws IOException {
        write(file, 900, 500);
    }
}
