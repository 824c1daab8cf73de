package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec;
import java.util.Random;

/**
 * Random objects between the camera and the subject (a pole, a bag, a passer-by's arm, a gate flag): flat
 * rectangles and ellipses, plain or barred, placed over the subject's joints so that they hide part of the
 * body. They are drawn over the colour; the caller clears mask, parts and depth under them.
 */
final class Occluders {

    private Occluders() {}

    /**
     * Draws the image's occluders, if the style's coin says it has any, into {@code rgb}.
     *
     * @return which pixels they cover, or null when there are none
     */
    static boolean[] draw(DomainSpec.Image style, float[] joints2d, int size, float[] rgb, Random rng) {
        if (style.maxOccluders() == 0 || rng.nextDouble() >= style.occluderProbability()) {
            return null;
        }
        int count = 1 + rng.nextInt(style.maxOccluders());
        boolean[] covered = new boolean[size * size];
        for (int i = 0; i < count; i++) {
            int joint = rng.nextInt(ImageRenderer.JOINTS);
            double cx = joints2d[2 * joint] + (rng.nextDouble() - 0.5) * 0.2 * size;
            double cy = joints2d[2 * joint + 1] + (rng.nextDouble() - 0.5) * 0.2 * size;
            double hw = size * (0.05 + 0.15 * rng.nextDouble());
            double hh = size * (0.05 + 0.25 * rng.nextDouble());
            boolean ellipse = rng.nextBoolean();
            float[] colour = Appearance.hsv(rng.nextDouble(), rng.nextDouble() * 0.8, 0.2 + 0.7 * rng.nextDouble());
            double barPx = rng.nextDouble() < 0.4 ? size * (0.02 + 0.04 * rng.nextDouble()) : 0;
            int x0 = Math.max(0, (int) Math.floor(cx - hw));
            int x1 = Math.min(size - 1, (int) Math.ceil(cx + hw));
            int y0 = Math.max(0, (int) Math.floor(cy - hh));
            int y1 = Math.min(size - 1, (int) Math.ceil(cy + hh));
            for (int y = y0; y <= y1; y++) {
                double ny = (y + 0.5 - cy) / hh;
                for (int x = x0; x <= x1; x++) {
                    double nx = (x + 0.5 - cx) / hw;
                    if (ellipse ? nx * nx + ny * ny > 1 : Math.abs(nx) > 1 || Math.abs(ny) > 1) {
                        continue;
                    }
                    int p = y * size + x;
                    covered[p] = true;
                    // Light falls off towards the object's rim, so it reads as a solid, not a sticker.
                    float shade = (float) (1 - 0.35 * Math.min(1, nx * nx + ny * ny));
                    if (barPx > 0 && ((long) Math.floor((x + 0.5) / barPx) & 1) == 1) {
                        shade *= 0.45f;
                    }
                    rgb[3 * p] = colour[0] * shade;
                    rgb[3 * p + 1] = colour[1] * shade;
                    rgb[3 * p + 2] = colour[2] * shade;
                }
            }
        }
        return covered;
    }
}
