package io.github.poseshift.geometry;

/**
 * A quaternion w + x·i + y·j + z·k in the Hamilton convention, used as an active rotation of column
 * vectors: v' = q · v · q*, as in VideoPose3D {@code common/quaternion.py} ({@code qrot}, {@code qmul}).
 */
public record Quaternion(double w, double x, double y, double z) {

    /** Rejects non-finite components. */
    public Quaternion {
        Checks.finite("w", w);
        Checks.finite("x", x);
        Checks.finite("y", y);
        Checks.finite("z", z);
    }

    /** The identity rotation 1 + 0i + 0j + 0k. */
    public static Quaternion identity() {
        return new Quaternion(1, 0, 0, 0);
    }

    /** The unit quaternion (cos(θ/2), sin(θ/2)·axis) of an axis-angle rotation. */
    public static Quaternion fromAxisAngle(AxisAngle rotation) {
        Checks.nonNull("rotation", rotation);
        double half = rotation.angle() / 2;
        double s = Math.sin(half);
        return new Quaternion(Math.cos(half), s * rotation.ax(), s * rotation.ay(), s * rotation.az());
    }

    /** The Euclidean norm sqrt(w² + x² + y² + z²). */
    public double norm() {
        return Math.sqrt(w * w + x * x + y * y + z * z);
    }

    /**
     * This quaternion divided by its norm.
     *
     * @throws IllegalArgumentException if the quaternion is zero (it represents no rotation)
     */
    public Quaternion normalized() {
        double n = norm();
        if (n == 0) {
            throw new IllegalArgumentException("quaternion must be non-zero to normalise, got (0, 0, 0, 0)");
        }
        return new Quaternion(w / n, x / n, y / n, z / n);
    }

    /** The conjugate w − x·i − y·j − z·k; for a unit quaternion, the inverse rotation. */
    public Quaternion conjugate() {
        return new Quaternion(w, -x, -y, -z);
    }

    /**
     * The Hamilton product this · other: as rotations, apply {@code other} first, then this
     * (VideoPose3D {@code qmul}).
     */
    public Quaternion multiply(Quaternion other) {
        Checks.nonNull("other", other);
        return new Quaternion(
                w * other.w - x * other.x - y * other.y - z * other.z,
                w * other.x + x * other.w + y * other.z - z * other.y,
                w * other.y - x * other.z + y * other.w + z * other.x,
                w * other.z + x * other.y - y * other.x + z * other.w);
    }

    /**
     * Rotates v by the rotation this quaternion represents (normalised first), returning a new array.
     * Uses VideoPose3D's {@code qrot}: v + 2·(w·(u×v) + u×(u×v)) with u = (x, y, z).
     */
    public double[] rotate(double[] v) {
        Checks.vector3("v", v);
        Quaternion q = normalized();
        double[] u = {q.x, q.y, q.z};
        double[] uv = Vec3.cross(u, v);
        double[] uuv = Vec3.cross(u, uv);
        return new double[] {
            v[0] + 2 * (q.w * uv[0] + uuv[0]),
            v[1] + 2 * (q.w * uv[1] + uuv[1]),
            v[2] + 2 * (q.w * uv[2] + uuv[2])
        };
    }
}
