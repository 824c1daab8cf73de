package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec.ImageBackground;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Rotation;
import java.util.Random;

/**
 * What stands behind the subject, traced per pixel along the same rays as the body so that floor and horizon
 * sit where the camera's extrinsics put them (a camera looking down sees more floor): a lab room, a green-screen
 * studio, open ground under a sky, a snow slope. World frame Z up, floor at z = 0, metres.
 */
final class Scenery {

    private static final float[] GREEN = {0.13f, 0.55f, 0.19f};

    private final double[] rt = new double[9];
    private final double[] centre;
    /** Where this image reads the noise tile: a random shift, so that no two images share a floor. */
    private final double offsetX;
    private final double offsetY;
    /** Room half-size for lab and studio: the camera always stands inside the room. */
    private final double roomHalf;
    private final double roomHeight;
    /** Snow: the slope's unit normal and a point on it (the subject's ground point). */
    private final double[] slopeNormal;
    private final double slopeOffset;
    private final float[] wallTint;
    /** Light on the floor, on the walls facing +x, −x, +y, −y, and on the slope: constant over an image. */
    private final float floorLight;
    private final float[] wallLight;
    private final float slopeLight;
    private final ImageBackground background;

    /**
     * @param rootWorld the subject's root joint in world coordinates: the snow slope passes below it
     */
    Scenery(ImageBackground background, Camera camera, Lights lights, double[] rootWorld, Random rng) {
        Rotation r = camera.extrinsics().worldToCamera();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                rt[j * 3 + i] = r.get(i, j);
            }
        }
        this.centre = camera.extrinsics().center();
        this.offsetX = rng.nextDouble() * Textures.TILE;
        this.offsetY = rng.nextDouble() * Textures.TILE;
        this.roomHalf = Math.max(Math.abs(centre[0] - rootWorld[0]), Math.abs(centre[1] - rootWorld[1])) + 1.5
                + 2 * rng.nextDouble();
        this.roomHeight = Math.max(3.0, centre[2] + 0.5);
        double slope = Math.toRadians(8 + 14 * rng.nextDouble());
        double dir = 2 * Math.PI * rng.nextDouble();
        this.slopeNormal = new double[] {Math.sin(slope) * Math.cos(dir), Math.sin(slope) * Math.sin(dir), Math.cos(slope)};
        this.slopeOffset = slopeNormal[0] * rootWorld[0] + slopeNormal[1] * rootWorld[1];
        float tint = 0.85f + 0.15f * rng.nextFloat();
        this.wallTint = new float[] {0.80f * tint, 0.79f * tint, 0.74f * tint};
        this.floorLight = lights.world(0, 0, 1);
        this.wallLight = new float[] {lights.world(1, 0, 0), lights.world(-1, 0, 0), lights.world(0, 1, 0),
            lights.world(0, -1, 0)};
        this.slopeLight = lights.world(slopeNormal[0], slopeNormal[1], slopeNormal[2]);
        this.background = background;
    }

    /** Writes the background colour seen along camera ray (dx, dy, 1) into {@code rgb[o..o+2]}. */
    void shade(double dx, double dy, float[] rgb, int o) {
        double wx = rt[0] * dx + rt[1] * dy + rt[2];
        double wy = rt[3] * dx + rt[4] * dy + rt[5];
        double wz = rt[6] * dx + rt[7] * dy + rt[8];
        switch (background) {
            case LAB -> room(wx, wy, wz, rgb, o, false);
            case GREENSCREEN -> room(wx, wy, wz, rgb, o, true);
            case OUTDOOR -> outdoor(wx, wy, wz, rgb, o);
            case SNOW -> snow(wx, wy, wz, rgb, o);
        }
    }

    /** A box room: floor, four walls, ceiling; the nearest one the ray meets. */
    private void room(double wx, double wy, double wz, float[] rgb, int o, boolean studio) {
        double t = Double.POSITIVE_INFINITY;
        int surface = -1; // 0 floor, 1 ceiling, 2 wall facing ±x, 3 wall facing ±y
        if (wz < 0) {
            t = -centre[2] / wz;
            surface = 0;
        } else if (wz > 0) {
            t = (roomHeight - centre[2]) / wz;
            surface = 1;
        }
        if (wx != 0) {
            double tx = ((wx > 0 ? roomHalf : -roomHalf) - centre[0]) / wx;
            if (tx < t) {
                t = tx;
                surface = 2;
            }
        }
        if (wy != 0) {
            double ty = ((wy > 0 ? roomHalf : -roomHalf) - centre[1]) / wy;
            if (ty < t) {
                t = ty;
                surface = 3;
            }
        }
        double hx = centre[0] + t * wx;
        double hy = centre[1] + t * wy;
        double hz = centre[2] + t * wz;
        float r;
        float g;
        float b;
        float light;
        if (surface == 0) {
            light = floorLight;
            if (studio) {
                float n = 0.9f + 0.2f * Textures.noise(hx * 3 + offsetX, hy * 3 + offsetY);
                r = GREEN[0] * n;
                g = GREEN[1] * n * 1.05f;
                b = GREEN[2] * n;
            } else {
                // Grey tiles, 0.6 m, in a checker of two shades, with dark grout lines.
                double u = hx / 0.6;
                double v = hy / 0.6;
                double fu = u - Math.floor(u);
                double fv = v - Math.floor(v);
                float base = (((long) Math.floor(u) + (long) Math.floor(v)) & 1) == 0 ? 0.60f : 0.53f;
                if (fu < 0.03 || fv < 0.03) {
                    base = 0.33f;
                }
                base *= 0.9f + 0.2f * Textures.noise(hx * 4 + offsetX, hy * 4 + offsetY);
                r = base;
                g = base;
                b = base * 1.03f;
            }
        } else if (surface == 1) {
            light = 0.6f;
            r = g = b = studio ? 0.12f : 0.42f;
        } else {
            double along = surface == 2 ? hy : hx;
            // The wall the ray meets faces back along it: −x for a ray going +x.
            light = surface == 2 ? wallLight[wx > 0 ? 1 : 0] : wallLight[wy > 0 ? 3 : 2];
            if (studio) {
                float n = 0.85f + 0.3f * Textures.noise(along * 2 + offsetX, hz * 2 + offsetY);
                r = GREEN[0] * n;
                g = GREEN[1] * n;
                b = GREEN[2] * n;
            } else {
                double f = along / 1.2 - Math.floor(along / 1.2);
                float shade = f < 0.015 ? 0.6f : 1f;
                if (hz < 0.12) {
                    shade = 0.35f;
                }
                shade *= 0.95f + 0.1f * Textures.noise(along * 3 + offsetX, hz * 3 + offsetY);
                r = wallTint[0] * shade;
                g = wallTint[1] * shade;
                b = wallTint[2] * shade;
            }
        }
        rgb[o] = r * light;
        rgb[o + 1] = g * light;
        rgb[o + 2] = b * light;
    }

    /** Grass and paving on the ground plane, hazing into the horizon, below a sky with clouds. */
    private void outdoor(double wx, double wy, double wz, float[] rgb, int o) {
        double len = Math.sqrt(wx * wx + wy * wy + wz * wz);
        if (wz >= 0) {
            double sin = wz / len;
            double clouds = 0;
            if (sin > 0.02) {
                float n = Textures.noise(wx / wz * 6 + offsetX, wy / wz * 6 + offsetY);
                clouds = Math.max(0, Math.min(1, (n - 0.5) * 5)) * Math.min(1, sin * 8);
            }
            sky(sin, 0.78f, 0.84f, 0.90f, 0.30f, 0.50f, 0.85f, clouds, rgb, o);
            return;
        }
        double t = -centre[2] / wz;
        double hx = centre[0] + t * wx;
        double hy = centre[1] + t * wy;
        float light = floorLight;
        float fine = Textures.noise(hx * 6 + offsetX, hy * 6 + offsetY);
        float r;
        float g;
        float b;
        if (Textures.noise(hx * 0.4 + offsetX, hy * 0.4 + offsetY) > 0.55f) {
            // Paving: grey slabs of 0.5 m.
            double u = hx * 2 - Math.floor(hx * 2);
            double v = hy * 2 - Math.floor(hy * 2);
            float base = (u < 0.04 || v < 0.04 ? 0.32f : 0.50f) * (0.85f + 0.3f * fine);
            r = base;
            g = base * 0.97f;
            b = base * 0.92f;
        } else {
            r = 0.22f * (0.6f + 0.8f * fine);
            g = 0.42f * (0.7f + 0.6f * fine);
            b = 0.14f * (0.6f + 0.8f * fine);
        }
        haze(r * light, g * light, b * light, t * len, 60, 0.78f, 0.84f, 0.90f, rgb, o);
    }

    /** Snow on a slope through the subject's ground point, distant trees, a pale sky. */
    private void snow(double wx, double wy, double wz, float[] rgb, int o) {
        double len = Math.sqrt(wx * wx + wy * wy + wz * wz);
        double nd = slopeNormal[0] * wx + slopeNormal[1] * wy + slopeNormal[2] * wz;
        double heightAbove = slopeNormal[0] * centre[0] + slopeNormal[1] * centre[1] + slopeNormal[2] * centre[2]
                - slopeOffset;
        double t = nd < 0 ? -heightAbove / nd : -1;
        if (!(t > 0)) {
            sky(Math.max(0, wz / len), 0.88f, 0.92f, 0.97f, 0.42f, 0.60f, 0.90f, 0, rgb, o);
            return;
        }
        double hx = centre[0] + t * wx;
        double hy = centre[1] + t * wy;
        double distance = t * len;
        float light = slopeLight;
        float n = 0.9f + 0.15f * Textures.noise(hx * 2 + offsetX, hy * 2 + offsetY);
        float r = 0.93f * n;
        float g = 0.95f * n;
        float b = 1.0f * n;
        if (distance > 12 && Textures.noise(hx * 0.15 + offsetX, hy * 0.15 + offsetY) > 0.66f) {
            // A stand of fir trees far down or across the slope.
            r = 0.10f;
            g = 0.20f;
            b = 0.13f;
        }
        haze(r * light, g * light, b * light, distance, 150, 0.88f, 0.92f, 0.97f, rgb, o);
    }

    /** Sky colour at sine-of-elevation {@code sin}: horizon to zenith, with a cloud cover in [0, 1]. */
    private static void sky(double sin, float hr, float hg, float hb, float zr, float zg, float zb, double clouds,
            float[] rgb, int o) {
        float w = (float) Math.sqrt(Math.max(0, Math.min(1, sin)));
        float c = (float) clouds;
        rgb[o] = ((1 - w) * hr + w * zr) * (1 - c) + 0.95f * c;
        rgb[o + 1] = ((1 - w) * hg + w * zg) * (1 - c) + 0.95f * c;
        rgb[o + 2] = ((1 - w) * hb + w * zb) * (1 - c) + 0.97f * c;
    }

    /** Aerial perspective: the colour fades into the horizon's with distance (e-folding {@code scaleM}). */
    private static void haze(float r, float g, float b, double distance, double scaleM, float hr, float hg, float hb,
            float[] rgb, int o) {
        float f = (float) (1 - Math.exp(-distance / scaleM));
        rgb[o] = r + f * (hr - r);
        rgb[o + 1] = g + f * (hg - g);
        rgb[o + 2] = b + f * (hb - b);
    }

    /** Green of a green screen, for the spill it throws on the subject. */
    static float[] green() {
        return GREEN.clone();
    }
}
