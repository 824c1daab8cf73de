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
