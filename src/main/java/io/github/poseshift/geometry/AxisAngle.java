package io.github.poseshift.geometry;

/**
 * A rotation by {@code angle} radians (right-hand rule) about the unit axis (ax, ay, az).
 *
 * <p>The constructor normalises the axis, so any non-zero finite direction is accepted; the angle
 * may be any finite real.
 */
public record AxisAngle(double ax, double ay, double az, double angle) {

    /** Normalises the axis; rejects a zero or non-finite axis and a non-finite angle. */
    public AxisAngle {
        Checks.finite("ax", ax);
        Checks.finite("ay", ay);
        Checks.finite("az", az);
        Checks.finite("angle", angle);
        // Divide by the largest component first so that tiny or huge axes neither under- nor overflow.
        double scale = Math.max(Math.abs(ax), Math.max(Math.abs(ay), Math.abs(az)));
        if (scale == 0) {
            throw new IllegalArgumentException("axis (ax, ay, az) must be non-zero, got (0, 0, 0)");
        }
        ax /= scale;
        ay /= scale;
        az /= scale;
        double norm = Math.sqrt(ax * ax + ay * ay + az * az);
        ax /= norm;
        ay /= norm;
        az /= norm;
    }

    /**
     * The rotation whose axis is the direction of (x, y, z) and whose angle is its length; the zero
     * vector gives the identity with axis (1, 0, 0).
     */
    public static AxisAngle fromRotationVector(double x, double y, double z) {
        Checks.finite("x", x);
        Checks.finite("y", y);
        Checks.finite("z", z);
        if (x == 0 && y == 0 && z == 0) {
            return new AxisAngle(1, 0, 0, 0);
        }
        double scale = Math.max(Math.abs(x), Math.max(Math.abs(y), Math.abs(z)));
        double sx = x / scale;
        double sy = y / scale;
        double sz = z / scale;
        return new AxisAngle(x, y, z, scale * Math.sqrt(sx * sx + sy * sy + sz * sz));
    }

    /** The rotation vector angle · axis (the representation SMPL and Rodrigues' formula use). */
    public double[] toRotationVector() {
        return new double[] {angle * ax, angle * ay, angle * az};
    }
}
