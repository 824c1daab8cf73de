package io.github.poseshift.geometry;

import java.util.Arrays;

/**
 * An immutable 3×3 rotation matrix acting on column vectors (v' = R·v), stored row-major.
 *
 * <p>Composition follows matrix multiplication: {@code a.times(b)} is a·b (apply b first), and
 * {@code a.then(b)} is b·a (apply a first). In a camera, the rotation is world→camera:
 * X_cam = R·X_world + t (VideoPose3D {@code common/camera.py}).
 */
public final class Rotation {

    /** Tolerance of {@link #fromMatrix(double[])} on RᵀR = I and det R = +1. */
    private static final double MATRIX_TOLERANCE = 1e-6;

    /**
     * Below this |cos(middle angle)| the middle Euler angle is within about 1e-9 rad of ±π/2 and the
     * first and third axes coincide (gimbal lock).
     */
    private static final double GIMBAL_LOCK_COS = 1e-9;

    /** Below this sine of the angle between view direction and world up, lookAt has no unique roll. */
    private static final double PARALLEL_SIN = 1e-9;

    private static final Rotation IDENTITY = new Rotation(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});

    private final double[] m;

    private Rotation(double[] rowMajor) {
        this.m = rowMajor;
    }

    /** The identity rotation. */
    public static Rotation identity() {
        return IDENTITY;
    }

    /**
     * A rotation from nine row-major entries, stored as given (copied).
     *
     * @throws IllegalArgumentException unless the entries are finite, RᵀR = I within 1e-6 and
     *     det R = +1 within 1e-6; the message says which check failed
     */
    public static Rotation fromMatrix(double[] rowMajor9) {
        Checks.nonNull("rowMajor9", rowMajor9);
        if (rowMajor9.length != 9) {
            throw new IllegalArgumentException(
                    "rowMajor9 must have length 9, got " + rowMajor9.length);
        }
        for (double v : rowMajor9) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException(
                        "rowMajor9 must be finite, got " + Arrays.toString(rowMajor9));
            }
        }
        Rotation r = new Rotation(rowMajor9.clone());
        double error = r.inverse().times(r).maxAbsDifference(IDENTITY);
        if (error > MATRIX_TOLERANCE) {
            throw new IllegalArgumentException("rowMajor9 must be orthonormal (RᵀR = I within "
                    + MATRIX_TOLERANCE + "), but max |RᵀR − I| = " + error);
        }
        double det = r.determinant();
        if (Math.abs(det - 1) > MATRIX_TOLERANCE) {
            throw new IllegalArgumentException("rowMajor9 must have determinant +1 within "
                    + MATRIX_TOLERANCE + " (a rotation, not a reflection), got det = " + det);
        }
        return r;
    }

    /** Rodrigues' formula R = cosθ·I + sinθ·[k]× + (1 − cosθ)·k·kᵀ for unit axis k and angle θ. */
    public static Rotation fromAxisAngle(AxisAngle rotation) {
        Checks.nonNull("rotation", rotation);
        double x = rotation.ax();
        double y = rotation.ay();
        double z = rotation.az();
        double c = Math.cos(rotation.angle());
        double s = Math.sin(rotation.angle());
        double t = 1 - c;
        return new Rotation(new double[] {
            c + t * x * x, t * x * y - s * z, t * x * z + s * y,
            t * x * y + s * z, c + t * y * y, t * y * z - s * x,
            t * x * z - s * y, t * y * z + s * x, c + t * z * z
        });
    }

    /** The rotation by |v| radians about v / |v|; the zero vector gives the identity. */
    public static Rotation fromRotationVector(double x, double y, double z) {
        return fromAxisAngle(AxisAngle.fromRotationVector(x, y, z));
    }

    /**
     * The matrix of the Hamilton quaternion q, normalised first, so that R·v equals
     * {@link Quaternion#rotate(double[])}.
     *
     * @throws IllegalArgumentException if q is zero
     */
    public static Rotation fromQuaternion(Quaternion q) {
        Checks.nonNull("q", q);
        Quaternion u = q.normalized();
        double w = u.w();
        double x = u.x();
        double y = u.y();
        double z = u.z();
        return new Rotation(new double[] {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)
        });
    }

    /**
     * The intrinsic Euler rotation R = R_A(a) · R_B(b) · R_C(c) for order ABC (see {@link EulerOrder}).
     */
    public static Rotation fromEuler(EulerOrder order, double a, double b, double c) {
        Checks.nonNull("order", order);
        return about(order.axis(0), Checks.finite("a", a))
                .times(about(order.axis(1), Checks.finite("b", b)))
                .times(about(order.axis(2), Checks.finite("c", c)));
    }

    /** Rotation by {@code angle} about +X (right-hand rule): y turns towards z. */
    public static Rotation aboutX(double angle) {
        double c = Math.cos(Checks.finite("angle", angle));
        double s = Math.sin(angle);
        return new Rotation(new double[] {1, 0, 0, 0, c, -s, 0, s, c});
    }

    /** Rotation by {@code angle} about +Y (right-hand rule): z turns towards x. */
    public static Rotation aboutY(double angle) {
        double c = Math.cos(Checks.finite("angle", angle));
        double s = Math.sin(angle);
        return new Rotation(new double[] {c, 0, s, 0, 1, 0, -s, 0, c});
    }

    /** Rotation by {@code angle} about +Z (right-hand rule): x turns towards y. */
    public static Rotation aboutZ(double angle) {
        double c = Math.cos(Checks.finite("angle", angle));
        double s = Math.sin(angle);
        return new Rotation(new double[] {c, -s, 0, s, c, 0, 0, 0, 1});
    }

    private static Rotation about(int axis, double angle) {
        return switch (axis) {
            case 0 -> aboutX(angle);
            case 1 -> aboutY(angle);
            default -> aboutZ(angle);
        };
    }

    /**
     * The world→camera rotation of a camera at {@code eye} looking at {@code target} (camera x right,
     * y down, z forward) whose image up (−y) is as close as possible to {@code worldUp}.
     *
     * @throws IllegalArgumentException if eye equals target, worldUp is zero, or the view direction
     *     is parallel to worldUp (the roll would be undefined)
     */
    public static Rotation lookAt(double[] eye, double[] target, double[] worldUp) {
        Checks.vector3("eye", eye);
        Checks.vector3("target", target);
        Checks.vector3("worldUp", worldUp);
        double[] view = Vec3.sub(target, eye);
        double viewLength = Vec3.norm(view);
        if (viewLength == 0) {
            throw new IllegalArgumentException("eye and target must differ, both are "
                    + Arrays.toString(eye));
        }
        double upLength = Vec3.norm(worldUp);
        if (upLength == 0) {
            throw new IllegalArgumentException("worldUp must be non-zero, got " + Arrays.toString(worldUp));
        }
        double[] forward = Vec3.scale(view, 1 / viewLength);
        double[] side = Vec3.cross(forward, Vec3.scale(worldUp, 1 / upLength));
        double sideLength = Vec3.norm(side);
        if (sideLength < PARALLEL_SIN) {
            throw new IllegalArgumentException("view direction target − eye = " + Arrays.toString(view)
                    + " is parallel to worldUp = " + Arrays.toString(worldUp)
                    + "; the camera roll is undefined, pass another worldUp");
        }
        // Rows are the camera axes in world coordinates: x = forward × up points right, and
        // y = z × x completes the right-handed frame, pointing down (away from worldUp).
        double[] right = Vec3.scale(side, 1 / sideLength);
        double[] down = Vec3.cross(forward, right);
        return fromRows(right, down, forward);
    }

    /** The rotation whose rows are the given orthonormal vectors (package use: camera frames). */
    static Rotation fromRows(double[] row0, double[] row1, double[] row2) {
        return new Rotation(new double[] {
            row0[0], row0[1], row0[2], row1[0], row1[1], row1[2], row2[0], row2[1], row2[2]
        });
    }

    /** A copy of the nine entries, row-major. */
    public double[] toMatrix() {
        return m.clone();
    }

    /** The entry at {@code row}, {@code col} (each 0, 1 or 2). */
    public double get(int row, int col) {
        if (row < 0 || row > 2 || col < 0 || col > 2) {
            throw new IllegalArgumentException(
                    "row and col must be 0, 1 or 2, got row " + row + ", col " + col);
        }
        return m[3 * row + col];
    }

    /**
     * The axis and angle θ ∈ [0, π] of this rotation; the identity gives axis (1, 0, 0).
     *
     * <p>For θ ≤ π/2 the axis is read from the antisymmetric part (R − Rᵀ)/2 = sinθ·[k]×; beyond, where
     * sinθ vanishes towards π, from the column of the largest diagonal element of the symmetric part
     * (R + Rᵀ)/2 − cosθ·I = (1 − cosθ)·k·kᵀ, with the sign fixed by the antisymmetric part.
     */
    public AxisAngle toAxisAngle() {
        double cos = (m[0] + m[4] + m[8] - 1) / 2;
        double[] sinAxis = {(m[7] - m[5]) / 2, (m[2] - m[6]) / 2, (m[3] - m[1]) / 2};
        double sin = Vec3.norm(sinAxis);
        if (cos >= 0) {
            if (sin == 0) {
                return new AxisAngle(1, 0, 0, 0);
            }
            return new AxisAngle(sinAxis[0], sinAxis[1], sinAxis[2], Math.atan2(sin, cos));
        }
        int i = largestDiagonal();
        double[] axis = new double[3];
        for (int r = 0; r < 3; r++) {
            axis[r] = r == i ? m[4 * i] - cos : (m[3 * r + i] + m[3 * i + r]) / 2;
        }
        axis = Vec3.scale(axis, 1 / Vec3.norm(axis));
        double sinAlongAxis = Vec3.dot(axis, sinAxis);
        if (sinAlongAxis < 0) {
            axis = Vec3.scale(axis, -1);
            sinAlongAxis = -sinAlongAxis;
        }
        return new AxisAngle(axis[0], axis[1], axis[2], Math.atan2(sinAlongAxis, cos));
    }

    /** The rotation vector θ·k (see {@link #toAxisAngle()}). */
    public double[] toRotationVector() {
        return toAxisAngle().toRotationVector();
    }

    /**
     * The unit Hamilton quaternion with w ≥ 0, by Shepperd's method: start from the largest of
     * 4w², 4x², 4y², 4z² (trace or a diagonal element) so that the division is well conditioned.
     */
    public Quaternion toQuaternion() {
        double trace = m[0] + m[4] + m[8];
        int i = largestDiagonal();
        Quaternion q;
        if (trace >= m[4 * i]) {
            double w4 = 2 * Math.sqrt(1 + trace);
            q = new Quaternion(w4 / 4, (m[7] - m[5]) / w4, (m[2] - m[6]) / w4, (m[3] - m[1]) / w4);
        } else if (i == 0) {
            double x4 = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
            q = new Quaternion((m[7] - m[5]) / x4, x4 / 4, (m[1] + m[3]) / x4, (m[2] + m[6]) / x4);
        } else if (i == 1) {
            double y4 = 2 * Math.sqrt(1 - m[0] + m[4] - m[8]);
            q = new Quaternion((m[2] - m[6]) / y4, (m[1] + m[3]) / y4, y4 / 4, (m[5] + m[7]) / y4);
        } else {
            double z4 = 2 * Math.sqrt(1 - m[0] - m[4] + m[8]);
            q = new Quaternion((m[3] - m[1]) / z4, (m[2] + m[6]) / z4, (m[5] + m[7]) / z4, z4 / 4);
        }
        Quaternion unit = q.normalized();
        return unit.w() < 0 ? new Quaternion(-unit.w(), -unit.x(), -unit.y(), -unit.z()) : unit;
    }

    /**
     * Intrinsic Euler angles {a, b, c} with R = R_A(a) · R_B(b) · R_C(c) for order ABC; a and c lie in
     * [−π, π], the middle angle b in [−π/2, π/2].
     *
     * <p>At gimbal lock (cos b &lt; 1e-9, i.e. |b| within about 1e-9 of π/2, where A and C turn about
     * the same axis) c is set to 0 and the whole remaining rotation goes into a. The first angle is
     * always read from the residual R · R_C(c)ᵀ · R_B(b)ᵀ = R_A(a), so {@code fromEuler(order, a, b, c)}
     * reproduces this matrix to rounding error outside that band and exactly at ±π/2; strictly inside
     * it, dropping c costs at most 2·cos b &lt; 2e-9 per entry.
     */
    public double[] toEuler(EulerOrder order) {
        Checks.nonNull("order", order);
        int i = order.axis(0);
        int j = order.axis(1);
        int k = order.axis(2);
        double s = order.parity();
        // Row i of R_i(a)·R_j(b)·R_k(c) is (cos b·cos c, −s·cos b·sin c, s·sin b) in columns (i, j, k).
        double cosB = Math.hypot(m[4 * i], m[3 * i + j]);
        double b = Math.atan2(s * m[3 * i + k], cosB);
        double c = cosB < GIMBAL_LOCK_COS ? 0 : Math.atan2(-s * m[3 * i + j], m[4 * i]);
        Rotation residual = times(about(k, -c)).times(about(j, -b));
        int p = (i + 1) % 3;
        int q = (i + 2) % 3;
        double a = Math.atan2(residual.m[3 * q + p], residual.m[4 * p]);
        return new double[] {a, b, c};
    }

    /** The product this · right: apply {@code right} first, then this. */
    public Rotation times(Rotation right) {
        Checks.nonNull("right", right);
        double[] r = right.m;
        double[] out = new double[9];
        for (int row = 0; row < 3; row++) {
            for (int col = 0; col < 3; col++) {
                out[3 * row + col] = m[3 * row] * r[col]
                        + m[3 * row + 1] * r[3 + col]
                        + m[3 * row + 2] * r[6 + col];
            }
        }
        return new Rotation(out);
    }

    /** The product next · this: apply this first, then {@code next}. */
    public Rotation then(Rotation next) {
        Checks.nonNull("next", next);
        return next.times(this);
    }

    /** The inverse rotation, which for an orthonormal matrix is the transpose. */
    public Rotation inverse() {
        return new Rotation(new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]});
    }

    /** R·v as a new array. */
    public double[] apply(double[] v) {
        Checks.vector3("v", v);
        return new double[] {
            m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
            m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
            m[6] * v[0] + m[7] * v[1] + m[8] * v[2]
        };
    }

    /**
     * Rotates the xyz triple at {@code points[offset..offset+2]} into {@code out[outOffset..]},
     * computing in double; {@code out} may be {@code points} itself, even at the same offset.
     */
    public void apply(float[] points, int offset, float[] out, int outOffset) {
        checkTriple("points", points, offset);
        checkTriple("out", out, outOffset);
        double x = points[offset];
        double y = points[offset + 1];
        double z = points[offset + 2];
        out[outOffset] = (float) (m[0] * x + m[1] * y + m[2] * z);
        out[outOffset + 1] = (float) (m[3] * x + m[4] * y + m[5] * z);
        out[outOffset + 2] = (float) (m[6] * x + m[7] * y + m[8] * z);
    }

    private static void checkTriple(String name, float[] array, int offset) {
        Checks.nonNull(name, array);
        if (offset < 0 || offset > array.length - 3) {
            throw new IllegalArgumentException(name + " must hold a triple at offset " + offset
                    + ", but its length is " + array.length);
        }
    }

    /** The geodesic distance to {@code other}: the angle in [0, π] of the rotation thisᵀ · other. */
    public double angleTo(Rotation other) {
        Checks.nonNull("other", other);
        return inverse().times(other).toAxisAngle().angle();
    }

    /** Whether every entry differs from the corresponding entry of {@code other} by at most tol. */
    public boolean approxEquals(Rotation other, double tol) {
        Checks.nonNull("other", other);
        if (!(tol >= 0)) {
            throw new IllegalArgumentException("tol must be >= 0, got " + tol);
        }
        return maxAbsDifference(other) <= tol;
    }

    private double maxAbsDifference(Rotation other) {
        double max = 0;
        for (int e = 0; e < 9; e++) {
            max = Math.max(max, Math.abs(m[e] - other.m[e]));
        }
        return max;
    }

    private double determinant() {
        return m[0] * (m[4] * m[8] - m[5] * m[7])
                - m[1] * (m[3] * m[8] - m[5] * m[6])
                + m[2] * (m[3] * m[7] - m[4] * m[6]);
    }

    /** Index 0, 1 or 2 of the largest diagonal entry. */
    private int largestDiagonal() {
        int i = m[4] > m[0] ? 1 : 0;
        return m[8] > m[4 * i] ? 2 : i;
    }

    /** Exact equality of the nine entries. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Rotation other && Arrays.equals(m, other.m);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(m);
    }

    /** The matrix as three rows, e.g. {@code Rotation[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]}. */
    @Override
    public String toString() {
        return "Rotation[" + Arrays.toString(Arrays.copyOfRange(m, 0, 3)) + ", "
                + Arrays.toString(Arrays.copyOfRange(m, 3, 6)) + ", "
                + Arrays.toString(Arrays.copyOfRange(m, 6, 9)) + "]";
    }
}
