package io.github.poseshift.render;

/**
 * The colour of a body pixel once the depth test has chosen its capsule: the surface normal from the nearest
 * point of the capsule's axis, the garment's colour and pattern at the position along (and around) the axis,
 * Lambertian light, and on a green screen the green that the screen bounces onto edges turned away from the
 * camera (chroma spill).
 */
final class BodyShader {

    private final BodyModel.Capsules body;
    private final Appearance look;
    private final Lights lights;
    private final double[] up;
    private final float spill;
    private final float[] green = Scenery.green();
    /** Per capsule: unit vectors across the axis, for the quarters of a checked pattern. */
    private final double[] across1;
    private final double[] across2;
    private final double[] length;

    BodyShader(BodyModel.Capsules body, Appearance look, Lights lights, double[] up, double spill) {
        this.body = body;
        this.look = look;
        this.lights = lights;
        this.up = up;
        this.spill = (float) spill;
        across1 = new double[3 * body.n];
        across2 = new double[3 * body.n];
        length = new double[body.n];
        for (int c = 0; c < body.n; c++) {
            double[] axis = {body.bx[c] - body.ax[c], body.by[c] - body.ay[c], body.bz[c] - body.az[c]};
            length[c] = Math.sqrt(body.baba[c]);
            double[] a = length[c] > 1e-9 ? scale(axis, 1 / length[c]) : up.clone();
            double[] u = cross(a, Math.abs(a[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0});
            u = scale(u, 1 / Math.sqrt(dot(u, u)));
            double[] v = cross(a, u);
            System.arraycopy(u, 0, across1, 3 * c, 3);
            System.arraycopy(v, 0, across2, 3 * c, 3);
        }
    }

    /** Shades the pixel whose ray (dx, dy, 1) meets capsule c at depth z; writes RGB at {@code rgb[o]}. */
    void shade(int c, double z, double dx, double dy, float[] rgb, int o) {
        double px = z * dx;
        double py = z * dy;
        double bax = body.bx[c] - body.ax[c];
        double bay = body.by[c] - body.ay[c];
        double baz = body.bz[c] - body.az[c];
        double h = body.baba[c] > 0
                ? ((px - body.ax[c]) * bax + (py - body.ay[c]) * bay + (z - body.az[c]) * baz) / body.baba[c] : 0;
        h = Math.max(0, Math.min(1, h));
        double nx = px - body.ax[c] - h * bax;
        double ny = py - body.ay[c] - h * bay;
        double nz = z - body.az[c] - h * baz;
        double norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
        if (norm > 0) {
            nx /= norm;
            ny /= norm;
            nz /= norm;
        }
        float[] albedo = albedo(c, h, nx, ny, nz);
        float light = lights.camera(nx, ny, nz);
        float r = albedo[0] * light;
        float g = albedo[1] * light;
        float b = albedo[2] * light;
        if (spill > 0) {
            // Edges (normal across the line of sight) face the screen behind the subject and catch its green.
            double view = Math.abs(nx * dx + ny * dy + nz) / Math.sqrt(dx * dx + dy * dy + 1);
            float s = spill * (float) (1 - view);
            r += s * (green[0] - r);
            g += s * (green[1] * 1.4f - g);
            b += s * (green[2] - b);
        }
        rgb[o] = r;
        rgb[o + 1] = g;
        rgb[o + 2] = b;
    }

    private float[] albedo(int c, double h, double nx, double ny, double nz) {
        switch (body.garment[c]) {
            case BodyModel.SKIN:
                return look.skin();
            case BodyModel.HEAD_GARMENT:
                // Hair (or a helmet) on the upper part of the head, the face below.
                return nx * up[0] + ny * up[1] + nz * up[2] > 0.15 ? look.hair() : look.skin();
            case BodyModel.SHOES:
                return look.shoes().colour();
            default:
                break;
        }
        Appearance.Garment garment = body.garment[c] == BodyModel.TOP ? look.top() : look.bottom();
        if (garment.pattern() == Appearance.Pattern.PLAIN) {
            return garment.colour();
        }
        long band = (long) Math.floor(h * length[c] / garment.periodM() * 2);
        if (garment.pattern() == Appearance.Pattern.CHECKS) {
            int o = 3 * c;
            boolean side1 = nx * across1[o] + ny * across1[o + 1] + nz * across1[o + 2] > 0;
            boolean side2 = nx * across2[o] + ny * across2[o + 1] + nz * across2[o + 2] > 0;
            band += (side1 ^ side2) ? 1 : 0;
        }
        return (band & 1) == 0 ? garment.colour() : garment.second();
    }

    private static double[] cross(double[] a, double[] b) {
        return new double[] {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    private static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }
}
