package org.rnnsuite.captioning;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.rnnsuite.core.UserInputException;

/**
 * Reads images with {@code javax.imageio} (PNG, JPEG, GIF, BMP) into the network's input: RGB, a fixed square size,
 * channels first, values in [0, 1].
 *
 * <p>Grayscale and palette images become RGB; transparent pixels are composited over white (Tux Paint stamps and
 * emoji are cut-outs). Huge images are subsampled while decoding, so a 20,000-pixel photograph never needs its full
 * size in memory, then scaled smoothly. A file that is missing, empty or not an image throws
 * {@link UserInputException} naming it.
 */
public final class ImageLoader {
    /** Images are decoded at no more than this many times the target size before the final smooth scaling. */
    private static final int DECODE_OVERSIZE = 4;
    /** Refuse anything claiming more pixels than this even after subsampling (broken or hostile headers). */
    private static final long MAX_DECODED_PIXELS = 64L * 1024 * 1024;

    private ImageLoader() {
    }

    /** Reads {@code file}, decoding at most about {@code 4 * targetSize} pixels on its longer side. */
    public static BufferedImage read(Path file, int targetSize) {
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("image " + file + " does not exist or is not a file");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) {
                throw new UserInputException("cannot open image " + file);
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new UserInputException("image " + file + " is not in a format this program reads (PNG, JPEG, "
                        + "GIF or BMP)");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                if (w <= 0 || h <= 0) {
                    throw new UserInputException("image " + file + " has no pixels (" + w + "x" + h + ")");
                }
                ImageReadParam param = reader.getDefaultReadParam();
                int sub = Math.max(1, Math.max(w, h) / (DECODE_OVERSIZE * Math.max(1, targetSize)));
                if (sub > 1) {
                    param.setSourceSubsampling(sub, sub, 0, 0);
                }
                if ((long) (w / sub) * (h / sub) > MAX_DECODED_PIXELS) {
                    throw new UserInputException("image " + file + " is too large (" + w + "x" + h + ")");
                }
                BufferedImage img = reader.read(0, param);
                if (img == null) {
                    throw new UserInputException("image " + file + " could not be decoded");
                }
                return img;
            } finally {
                reader.dispose();
            }
        } catch (UserInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("image " + file + " is unreadable or corrupt: " + e.getMessage(), e);
        }
    }

    /** An image as RGB over white, scaled (stretched) to {@code size x size}. */
    public static BufferedImage toRgb(BufferedImage src, int size) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, size, size);
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION,
                    src.getWidth() > 2 * size || src.getHeight() > 2 * size
                            ? RenderingHints.VALUE_INTERPOLATION_BILINEAR : RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            if (src.getWidth() > 2 * size || src.getHeight() > 2 * size) {
                // area averaging avoids aliasing when shrinking a lot
                g.drawImage(src.getScaledInstance(size, size, java.awt.Image.SCALE_AREA_AVERAGING), 0, 0, null);
            } else {
                g.drawImage(src, 0, 0, size, size, null);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Channels-first RGB floats in [0, 1] of an image already {@code size x size} RGB. */
    public static float[] toChw(BufferedImage rgb) {
        int w = rgb.getWidth();
        int h = rgb.getHeight();
        float[] out = new float[3 * w * h];
        int plane = w * h;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = rgb.getRGB(x, y);
                int i = y * w + x;
                out[i] = ((p >> 16) & 0xff) / 255f;
                out[plane + i] = ((p >> 8) & 0xff) / 255f;
                out[2 * plane + i] = (p & 0xff) / 255f;
            }
        }
        return out;
    }

    /** Reads, converts and scales a file into network input: {@code 3 * size * size} floats. */
    public static float[] load(Path file, int size) {
        return toChw(toRgb(read(file, size), size));
    }
}
