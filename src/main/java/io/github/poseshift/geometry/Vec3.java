package io.github.poseshift.geometry;

/** The few 3-vector operations the geometry classes (and viewpoint arithmetic elsewhere) need, on plain double[3] arrays. */
public final class Vec3 {

    private Vec3() {
    }

    /** a − b. */
    public static double[] sub(double[] a, double[] b) {
        return new double[] {a[0] - b[0], a[1] - b[1], a[2] - b[2]};
    }

    /** a · b. */
    public static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** a × b. */
    public static double[] cross(double[] a, double[] b) {
        return new double[] {
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0]
        };
    }

    /** |a|. */
    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** s·a. */
    public static double[] scale(double[] a, double s) {
        return new double[] {a[0] * s, a[1] * s, a[2] * s};
    }
}
