package org.rnnsuite.speech;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.rnnsuite.core.bundle.AtomicFiles;

/** Draws a confusion matrix as a PNG heat map: rows are true classes, columns predictions, shade = row fraction. */
public final class ConfusionMatrixPlot {
    private static final int CELL = 44;
    private static final int MARGIN = 90;

    private ConfusionMatrixPlot() {
    }

    public static void write(Path file, SpeechEvaluation eval, String title) throws IOException {
        int n = eval.labels().size();
        int size = MARGIN + n * CELL + 20;
        BufferedImage img = new BufferedImage(size, size + 30, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(String.format(java.util.Locale.ROOT, "%s  (accuracy %.2f %%, %d clips)", title,
                100 * eval.accuracy(), eval.utterances()), 10, 20);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int top = MARGIN + 30;
        int[][] m = eval.confusion();
        for (int r = 0; r < n; r++) {
            int rowSum = 0;
            for (int c = 0; c < n; c++) {
                rowSum += m[r][c];
            }
            for (int c = 0; c < n; c++) {
                double f = rowSum == 0 ? 0 : m[r][c] / (double) rowSum;
                int shade = (int) Math.round(255 * (1 - f));
                g.setColor(r == c ? new Color(shade, shade, 255) : new Color(255, shade, shade));
                g.fillRect(MARGIN + c * CELL, top + r * CELL, CELL, CELL);
                g.setColor(f > 0.5 ? Color.WHITE : Color.BLACK);
                String s = Integer.toString(m[r][c]);
                FontMetrics fm = g.getFontMetrics();
                g.drawString(s, MARGIN + c * CELL + (CELL - fm.stringWidth(s)) / 2, top + r * CELL + CELL / 2 + 5);
            }
        }
        g.setColor(Color.GRAY);
        g.setStroke(new BasicStroke(1));
        g.drawRect(MARGIN, top, n * CELL, n * CELL);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            String l = eval.labels().get(i);
            g.drawString(l, MARGIN - fm.stringWidth(l) - 6, top + i * CELL + CELL / 2 + 5);
            AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2, MARGIN + i * CELL + CELL / 2.0 + 5, top - 6);
            g.drawString(l, MARGIN + i * CELL + CELL / 2 + 5, top - 6);
            g.setTransform(saved);
        }
        g.drawString("true (rows) / predicted (columns)", 10, 40);
        g.dispose();
        AtomicFiles.write(file, out -> ImageIO.write(img, "png", out));
    }
}
