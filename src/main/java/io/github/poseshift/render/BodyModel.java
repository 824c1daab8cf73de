package io.github.poseshift.render;

import java.util.List;

/**
 * The rendered body: capsules (a segment swept by a sphere) on the H36M-17 bones and a sphere for the head,
 * plus hands and feet beyond the wrists and ankles and a torso volume of five capsules (pelvis, lower and upper
 * trunk, both flanks, the shoulder girdle). Every joint lies on the axis of at least one capsule, so a joint is
 * always inside the body it labels. Radii are those of an average adult 1.70 m tall, scaled by the subject's
 * size (read from the pose's trunk length) and by the {@link Appearance}'s girths.
 */
public final class BodyModel {

    /** Part labels of {@link RenderedImage#parts()}, by value; 0 is the background. */
    public static final List<String> PART_NAMES = List.of("background", "head", "torso", "left_upper_arm",
            "left_forearm", "left_hand", "right_upper_arm", "right_forearm", "right_hand", "left_thigh", "left_shin",
            "left_foot", "right_thigh", "right_shin", "right_foot");

    static final int HEAD = 1;

    /** Garment codes of a capsule: what colours it. */
    static final int SKIN = 0;
    static final int HEAD_GARMENT = 1;
    static final int TOP = 2;
    static final int BOTTOM = 3;
    static final int SHOES = 4;

    /** Girth groups. */
    private static final int G_TORSO = 0;
    private static final int G_ARMS = 1;
    private static final int G_LEGS = 2;
    private static final int G_NONE = 3;

    /** Virtual points appended to the 17 joints: head centre, hand tips, toes, inner shoulder points. */
    private static final int HEAD_CENTRE = 17;
    private static final int L_HAND_TIP = 18;
    private static final int R_HAND_TIP = 19;
    private static final int L_TOE = 20;
    private static final int R_TOE = 21;
    private static final int L_SHOULDER_IN = 22;
    private static final int R_SHOULDER_IN = 23;
    private static final int POINTS = 24;

    /** Trunk length (hip → spine → thorax) of the 1.70 m reference body the radii are for, metres. */
    private static final double REFERENCE_TRUNK_M = 0.233 + 0.257;

    /**
     * The capsules: end point A, end point B (equal for a sphere), radius in metres at the reference size, part
     * label, girth group, garment (forearms and shins are patched by sleeve and leg length).
     */
    private static final double[][] CAPSULES = {
        {1, 4, 0.100, 2, G_TORSO, BOTTOM},        // pelvis, right hip to left hip
        {0, 7, 0.115, 2, G_TORSO, TOP},           // lower trunk
        {7, 8, 0.125, 2, G_TORSO, TOP},           // upper trunk
        {4, L_SHOULDER_IN, 0.085, 2, G_TORSO, TOP}, // left flank
        {1, R_SHOULDER_IN, 0.085, 2, G_TORSO, TOP}, // right flank
        {11, 14, 0.060, 2, G_TORSO, TOP},         // shoulder girdle
        {8, 9, 0.050, 1, G_TORSO, SKIN},          // neck, thorax to nose
        {HEAD_CENTRE, HEAD_CENTRE, 0.100, 1, G_NONE, HEAD_GARMENT},
        {11, 12, 0.050, 3, G_ARMS, TOP},
        {12, 13, 0.040, 4, G_ARMS, TOP},
        {13, L_HAND_TIP, 0.040, 5, G_NONE, SKIN},
        {14, 15, 0.050, 6, G_ARMS, TOP},
        {15, 16, 0.040, 7, G_ARMS, TOP},
        {16, R_HAND_TIP, 0.040, 8, G_NONE, SKIN},
        {4, 5, 0.075, 9, G_LEGS, BOTTOM},
        {5, 6, 0.055, 10, G_LEGS, BOTTOM},
        {6, L_TOE, 0.045, 11, G_NONE, SHOES},
        {1, 2, 0.075, 12, G_LEGS, BOTTOM},
        {2, 3, 0.055, 13, G_LEGS, BOTTOM},
        {3, R_TOE, 0.045, 14, G_NONE, SHOES},
    };

    private static final int[] FOREARMS = {9, 12};
    private static final int[] SHINS = {15, 18};

    private BodyModel() {}

    /** Capsules in camera coordinates as parallel arrays (the renderer's inner loops read them). */
    static final class Capsules {
        final int n = CAPSULES.length;
        final double[] ax = new double[n];
        final double[] ay = new double[n];
        final double[] az = new double[n];
        final double[] bx = new double[n];
        final double[] by = new double[n];
        final double[] bz = new double[n];
        final double[] r = new double[n];
        final byte[] part = new byte[n];
        final byte[] garment = new byte[n];
        /** Per capsule constants of the ray test ({@link #depthAlong}): |b−a|², (b−a)·(−a), |a|², … */
        final double[] baba = new double[n];
        final double[] baoa = new double[n];
        final double[] cylinderC = new double[n];
        final double[] capA = new double[n];
        final double[] capB = new double[n];

        /** Fills the ray-test constants once the end points and radii are set. */
        void prepare() {
            for (int k = 0; k < n; k++) {
                double bax = bx[k] - ax[k];
                double bay = by[k] - ay[k];
                double baz = bz[k] - az[k];
                double r2 = r[k] * r[k];
                double oaoa = ax[k] * ax[k] + ay[k] * ay[k] + az[k] * az[k];
                baba[k] = bax * bax + bay * bay + baz * baz;
                baoa[k] = -(bax * ax[k] + bay * ay[k] + baz * az[k]);
                cylinderC[k] = baba[k] * oaoa - baoa[k] * baoa[k] - r2 * baba[k];
                capA[k] = oaoa - r2;
                capB[k] = bx[k] * bx[k] + by[k] * by[k] + bz[k] * bz[k] - r2;
            }
        }

        /**
         * Where the ray from the camera centre along (dx, dy, 1) first enters capsule k, as the depth z of the
         * entry point (the ray's parameter, since its z step is 1); +∞ when it misses. The capsule test of
         * Inigo Quilez ("intersectors"), written for a ray from the origin whose direction is not unit length:
         * the infinite cylinder first, then, if the entry lies beyond an end, that end's sphere.
         */
        double depthAlong(int k, double dx, double dy) {
            double bax = bx[k] - ax[k];
            double bay = by[k] - ay[k];
            double baz = bz[k] - az[k];
            double rdrd = dx * dx + dy * dy + 1;
            double rdoa = -(ax[k] * dx + ay[k] * dy + az[k]);
            double bb = baba[k];
            if (bb > 1e-12) {
                double bard = bax * dx + bay * dy + baz;
                double qa = bb * rdrd - bard * bard;
                // A ray (nearly) along the axis sees only the end spheres; the cylinder formula would divide by 0.
                if (qa > 1e-12 * bb * rdrd) {
                    double qb = bb * rdoa - baoa[k] * bard;
                    double h = qb * qb - qa * cylinderC[k];
                    if (h < 0) {
                        return Double.POSITIVE_INFINITY;
                    }
                    double t = (-qb - Math.sqrt(h)) / qa;
                    double along = baoa[k] + t * bard;
                    if (along > 0 && along < bb) {
                        return t;
                    }
                    return along <= 0 ? sphere(rdrd, rdoa, capA[k]) : sphere(rdrd, -(bx[k] * dx + by[k] * dy + bz[k]),
                            capB[k]);
                }
                return Math.min(sphere(rdrd, rdoa, capA[k]), sphere(rdrd, -(bx[k] * dx + by[k] * dy + bz[k]), capB[k]));
            }
            return sphere(rdrd, rdoa, capA[k]);
        }

        /** First root of |o + t·d|² = r² for a sphere with o = −centre: rdoc = d·o, c = |o|² − r². */
        private static double sphere(double rdrd, double rdoc, double c) {
            double h = rdoc * rdoc - rdrd * c;
            return h < 0 ? Double.POSITIVE_INFINITY : (-rdoc - Math.sqrt(h)) / rdrd;
        }

        /** Whether capsule k's solid contains camera-frame point (x, y, z). */
        boolean contains(int k, double x, double y, double z) {
            double bax = bx[k] - ax[k];
            double bay = by[k] - ay[k];
            double baz = bz[k] - az[k];
            double h = baba[k] > 0 ? ((x - ax[k]) * bax + (y - ay[k]) * bay + (z - az[k]) * baz) / baba[k] : 0;
            h = Math.max(0, Math.min(1, h));
            double ex = x - ax[k] - h * bax;
            double ey = y - ay[k] - h * bay;
            double ez = z - az[k] - h * baz;
            return ex * ex + ey * ey + ez * ez <= r[k] * r[k] * (1 + 1e-9);
        }
    }

    /**
     * The body of a camera-frame pose.
     *
     * @param pose           {@code [17][3]} camera coordinates, metres
     * @param up             the world's up direction in camera coordinates (unit)
     * @param minRadiusPerM  the least radius per metre of depth: one pixel's width there (1/fx), so that a
     *                       limb thinner than a pixel still covers the pixels its joints project into
     */
    static Capsules build(float[] pose, double[] up, Appearance look, double minRadiusPerM) {
        double[] p = new double[POINTS * 3];
        for (int i = 0; i < 17 * 3; i++) {
            p[i] = pose[i];
        }
        double scale = Math.max(0.5, Math.min(1.6,
                (dist(p, 0, 7) + dist(p, 7, 8)) / REFERENCE_TRUNK_M));
        // The head sphere sits halfway between nose and head top, so both joints are inside it.
        lerp(p, HEAD_CENTRE, 9, 10, 0.5);
        extend(p, L_HAND_TIP, 12, 13, 0.08 * scale);
        extend(p, R_HAND_TIP, 15, 16, 0.08 * scale);
        lerp(p, L_SHOULDER_IN, 8, 11, 0.6);
        lerp(p, R_SHOULDER_IN, 8, 14, 0.6);
        double[] forward = facing(p, up);
        // The ankle joint is 8 cm above the sole; the toe capsule's far centre is one foot radius above it.
        for (int[] foot : new int[][] {{6, L_TOE}, {3, R_TOE}}) {
            for (int c = 0; c < 3; c++) {
                p[foot[1] * 3 + c] = p[foot[0] * 3 + c] + scale * (0.14 * forward[c] - 0.035 * up[c]);
            }
        }
        double[] girth = {look.torsoGirth(), look.armGirth(), look.legGirth(), 1};
        Capsules out = new Capsules();
        for (int k = 0; k < CAPSULES.length; k++) {
            double[] row = CAPSULES[k];
            int a = (int) row[0];
            int b = (int) row[1];
            out.ax[k] = p[a * 3];
            out.ay[k] = p[a * 3 + 1];
            out.az[k] = p[a * 3 + 2];
            out.bx[k] = p[b * 3];
            out.by[k] = p[b * 3 + 1];
            out.bz[k] = p[b * 3 + 2];
            double radius = row[2] * scale * girth[(int) row[4]];
            out.r[k] = Math.max(radius, minRadiusPerM * Math.max(out.az[k], out.bz[k]));
            out.part[k] = (byte) row[3];
            out.garment[k] = (byte) row[5];
        }
        if (!look.longSleeves()) {
            for (int k : FOREARMS) {
                out.garment[k] = SKIN;
            }
        }
        if (!look.longLegs()) {
            for (int k : SHINS) {
                out.garment[k] = SKIN;
            }
        }
        out.prepare();
        return out;
    }

    /**
     * The horizontal direction the body faces: left hip minus right hip, crossed with up (x forward, y left,
     * z up in the body frame). A body lying with its hips stacked vertically falls back to any horizontal.
     */
    private static double[] facing(double[] p, double[] up) {
        double lx = p[4 * 3] - p[3];
        double ly = p[4 * 3 + 1] - p[4];
        double lz = p[4 * 3 + 2] - p[5];
        double fx = ly * up[2] - lz * up[1];
        double fy = lz * up[0] - lx * up[2];
        double fz = lx * up[1] - ly * up[0];
        double n = Math.sqrt(fx * fx + fy * fy + fz * fz);
        if (n < 1e-6) {
            // Any direction perpendicular to up.
            double[] any = Math.abs(up[0]) < 0.9 ? new double[] {1, 0, 0} : new double[] {0, 1, 0};
            double d = any[0] * up[0] + any[1] * up[1] + any[2] * up[2];
            fx = any[0] - d * up[0];
            fy = any[1] - d * up[1];
            fz = any[2] - d * up[2];
            n = Math.sqrt(fx * fx + fy * fy + fz * fz);
        }
        return new double[] {fx / n, fy / n, fz / n};
    }

    private static double dist(double[] p, int i, int j) {
        double dx = p[i * 3] - p[j * 3];
        double dy = p[i * 3 + 1] - p[j * 3 + 1];
        double dz = p[i * 3 + 2] - p[j * 3 + 2];
        return Math.sqrt(dx * dx + dy * dy + dz * dz);
    }

    /** Point {@code out} = i + t·(j − i). */
    private static void lerp(double[] p, int out, int i, int j, double t) {
        for (int c = 0; c < 3; c++) {
            p[out * 3 + c] = p[i * 3 + c] + t * (p[j * 3 + c] - p[i * 3 + c]);
        }
    }

    /** Point {@code out} = j + length·unit(j − i): the bone i→j continued beyond j. */
    private static void extend(double[] p, int out, int i, int j, double length) {
        double d = Math.max(1e-9, dist(p, i, j));
        for (int c = 0; c < 3; c++) {
            p[out * 3 + c] = p[j * 3 + c] + length * (p[j * 3 + c] - p[i * 3 + c]) / d;
        }
    }
}
