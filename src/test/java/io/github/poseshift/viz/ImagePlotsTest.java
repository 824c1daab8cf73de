package io.github.poseshift.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImagePlotsTest {

    private static BufferedImage filled(int size, int rgb) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    @Test
    void aSignedMatrixIsRedAboveZeroBlueBelowAndWhiteAtZero() {
        BufferedImage m = ImagePlots.matrix(new double[] {2, 0, -1, -2, 1, 0}, 2, 3, true);
        assertEquals(3, m.getWidth());
        assertEquals(2, m.getHeight());
        assertEquals(0xFF0000, m.getRGB(0, 0) & 0xFFFFFF); // the largest magnitude, positive: full red
        assertEquals(0xFFFFFF, m.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x0000FF, m.getRGB(0, 1) & 0xFFFFFF); // −2: full blue
        assertEquals(0x8080FF, m.getRGB(2, 0) & 0xFFFFFF); // −1: half way (128 rounds from 127.5)
        BufferedImage grey = ImagePlots.matrix(new double[] {0, 4}, 1, 2, false);
        assertEquals(0x000000, grey.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFFFFFF, grey.getRGB(1, 0) & 0xFFFFFF);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImagePlots.matrix(new double[3], 2, 2, true))
                .getMessage().contains("2×2 matrix needs 4 values, got 3"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> ImagePlots.matrix(new double[] {Double.NaN}, 1, 1, true)).getMessage().contains("non-finite"));
    }

    @Test
    void captionedRowEnlargesEachImageAndWritesItsCaptionBelow() {
        BufferedImage row = ImagePlots.captionedRow(List.of(filled(4, 0xFF0000), filled(4, 0x0000FF)),
                List.of("red", "blue"), 10);
        assertEquals(2 * (40 + 2), row.getWidth());
        // Nearest-neighbour enlargement: the whole 40-pixel tile keeps the image's colour.
        assertEquals(0xFF0000, row.getRGB(39, 39) & 0xFFFFFF);
        assertEquals(0x0000FF, row.getRGB(42, 0) & 0xFFFFFF);
        // Some caption pixels below the first tile are not white.
        boolean written = false;
        for (int y = 40; y < row.getHeight() && !written; y++) {
            for (int x = 0; x < 40 && !written; x++) {
                written = (row.getRGB(x, y) & 0xFFFFFF) != 0xFFFFFF;
            }
        }
        assertTrue(written, "the caption is drawn below the tile");
        assertThrows(IllegalArgumentException.class,
                () -> ImagePlots.captionedRow(List.of(filled(4, 0)), List.of("a", "b"), 2));
    }
}
