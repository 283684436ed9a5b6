package org.rnnsuite.captioning;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.rnnsuite.core.bundle.AtomicFiles;

/** A self-contained HTML page of images with generated and reference captions; images are linked, not copied. */
public final class Gallery {
    /**
     * One image of the gallery.
     *
     * @param image      the image file
     * @param generated  generated captions, best first
     * @param references reference captions
     */
    public record Row(Path image, List<Captioner.Caption> generated, List<String> references) {
    }

    private Gallery() {
    }

    /** Writes the page; image links are relative to the page's folder when possible. */
    public static void write(Path file, String title, List<Row> rows) throws IOException {
        Path base = file.toAbsolutePath().getParent();
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif}td{vertical-align:top;padding:6px;"
                        + "border-bottom:1px solid #ddd}img{width:128px;image-rendering:pixelated}"
                        + ".gen{font-weight:bold}.lp{color:#888}.ref{color:#444}</style></head><body>\n<h1>")
                .append(esc(title)).append("</h1>\n<table>\n");
        for (Row r : rows) {
            Path img = r.image().toAbsolutePath();
            String src;
            try {
                src = base.relativize(img).toString().replace('\\', '/');
            } catch (IllegalArgumentException e) {
                src = img.toUri().toString();
            }
            h.append("<tr><td><img src=\"").append(esc(src)).append("\" alt=\"").append(esc(img.getFileName()
                    .toString())).append("\"><br>").append(esc(img.getFileName().toString())).append("</td><td>");
            for (Captioner.Caption c : r.generated()) {
                h.append("<div class=\"gen\">").append(esc(c.text())).append(String.format(Locale.ROOT,
                        " <span class=\"lp\">(log p %.2f)</span></div>", c.logprob()));
            }
            h.append("<ul>");
            for (String ref : r.references()) {
                h.append("<li class=\"ref\">").append(esc(ref)).append("</li>");
            }
            h.append("</ul></td></tr>\n");
        }
        h.append("</table></body></html>\n");
        AtomicFiles.writeString(file, h.toString());
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
