package io.github.poseshift.geometry;

import java.util.stream.IntStream;

/**
 * Optimal similarity alignment (rotation, uniform scale, translation) of one point set onto another in
 * the least-squares sense — the orthogonal Procrustes problem with scale (Umeyama 1991), the alignment
 * behind PA-MPJPE. The computation is VideoPose3D's {@code p_mpjpe} ({@code common/loss.py}) written
 * with column vectors: centre both sets, take the SVD of the cross-covariance, and flip the axis of
 * the smallest singular value when the determinant is negative, so the result is a proper rotation and
 * never a reflection.
 *
 * <p>The SVD is a dedicated 3×3 one-sided Jacobi decomposition on plain arrays rather than a general
 * matrix library's: PA-MPJPE aligns every pose of a test set (a million for Human3.6M's protocols),
 * and the general path spent most of its time allocating matrices and decomposition objects per pose.
 * One-sided Jacobi keeps the singular values to full relative precision, so the reflection test and
 * the scale stay exact even for nearly planar poses.
 */
public final class Procrustes {

    /**
     * Poses per parallel task of {@link #alignEach}: large enough that task overhead vanishes, small
     * enough to keep every core busy on small test sets.
     */
    private static final int POSES_PER_TASK = 2048;

    private Procrustes() {}

    /**
     * The similarity {@code x ↦ scale·R·x + t}.
     *
     * @param scale       uniform scale factor
     * @param rotation    proper rotation (det = +1)
     * @param translation translation
     */
    public record Similarity(double scale, Rotation rotation, double[] translation) {

        /** Applies the transform to points stored {@code [n][3]} row-major; returns new points. */
        public double[] apply(double[] points) {
            double[] out = new double[points.length];
            double[] r = rotation.toMatrix();
            for (int i = 0; i < points.length; i += 3) {
                double x = points[i];
                double y = points[i + 1];
                double z = points[i + 2];
                out[i] = scale * (r[0] * x + r[1] * y + r[2] * z) + translation[0];
                out[i + 1] = scale * (r[3] * x + r[4] * y + r[5] * z) + translation[1];
                out[i + 2] = scale * (r[6] * x + r[7] * y + r[8] * z) + translation[2];
            }
            return out;
        }
    }

    /**
     * Receives the poses {@link #alignEach} aligned. Called concurrently for different poses, so an
     * implementation may only write to state of its own pose.
     */
    @FunctionalInterface
    public interface AlignedPoseSink {
        /**
         * @param pose    index of the pose in the input arrays
         * @param aligned the aligned prediction, {@code [J][3]} row-major; the array is reused for the
         *                next pose once this call returns, so copy what must be kept
         */
        void accept(int pose, double[] aligned);
    }

    /**
     * The similarity that best maps {@code source} onto {@code target} (both {@code [n][3]} row-major,
     * same {@code n ≥ 1}). When every source point coincides no rotation or scale is defined; the
     * answer is then scale 0 and identity rotation, mapping everything to the target's centroid (the
     * least-squares optimum), rather than VideoPose3D's NaN.
     */
    public static Similarity fit(double[] source, double[] target) {
        if (source.length != target.length || source.length == 0 || source.length % 3 != 0) {
            throw new IllegalArgumentException("Procrustes needs two [n][3] point sets of the same size, got lengths "
                    + source.length + " and " + target.length);
        }
        Fit f = new Fit();
        f.solve(source, 0, target, 0, source.length / 3);
        double[] r = f.rotation;
        double[] t = new double[3];
        for (int a = 0; a < 3; a++) {
            t[a] = f.muTarget[a] - f.scale * (r[3 * a] * f.muSource[0] + r[3 * a + 1] * f.muSource[1]
                    + r[3 * a + 2] * f.muSource[2]);
        }
        return new Similarity(f.scale, Rotation.fromMatrix(r), t);
    }

    /**
     * Aligns every pose of {@code predicted} onto the same pose of {@code target} (each pose its own
     * similarity over all its joints) and hands each aligned pose to {@code sink}, without keeping
     * them: the way to score a large test set without a second copy of it. Poses are independent, so
     * they are spread over the available cores in fixed chunks; each pose's numbers do not depend on
     * the chunking or the number of cores.
     */
    public static void alignEach(PoseArray predicted, PoseArray target, AlignedPoseSink sink) {
        if (!predicted.sameShape(target)) {
            throw new IllegalArgumentException("cannot align " + predicted + " onto " + target);
        }
        int poses = predicted.numPoses();
        int joints = predicted.numJoints();
        int stride = joints * 3;
        double[] source = predicted.data();
        double[] goal = target.data();
        int tasks = (poses + POSES_PER_TASK - 1) / POSES_PER_TASK;
        IntStream.range(0, tasks).parallel().forEach(task -> {
            // One workspace per task, so the per-pose loop allocates nothing.
            Fit f = new Fit();
            double[] aligned = new double[stride];
            int end = Math.min(poses, (task + 1) * POSES_PER_TASK);
            for (int i = task * POSES_PER_TASK; i < end; i++) {
                f.solve(source, i * stride, goal, i * stride, joints);
                f.apply(source, i * stride, joints, aligned);
                sink.accept(i, aligned);
            }
        });
    }

    /**
     * Aligns every pose of {@code predicted} onto the same pose of {@code target} (each pose its own
     * similarity over all its joints) and returns the aligned predictions.
     */
    public static PoseArray alignAll(PoseArray predicted, PoseArray target) {
        int stride = predicted.numJoints() * 3;
        double[] out = new double[predicted.numPoses() * stride];
        alignEach(predicted, target, (i, aligned) -> System.arraycopy(aligned, 0, out, i * stride, stride));
        return PoseArray.wrap(out, predicted.numJoints());
    }

    /**
     * The similarity fit of one point set onto another, reusable from pose to pose. After
     * {@link #solve}: the centroids, the row-major rotation and the scale.
     */
    private static final class Fit {

        /**
         * Jacobi stops rotating a column pair once its cosine is below this: a few ulps of the dot
         * product's rounding, where a further rotation would only stir rounding noise.
         */
        private static final double ORTHOGONAL = 1e-15;
        /** Sweeps are quadratically convergent; 3×3 needs 4 to 6, this bound only stops NaN input. */
        private static final int MAX_SWEEPS = 30;

        final double[] muSource = new double[3];
        final double[] muTarget = new double[3];
        final double[] rotation = new double[9];
        double scale;
        /** H·V, column-major: column c is {@code a[3c..3c+2]}; starts as H = Σ (t − μt)(s − μs)ᵀ. */
        private final double[] a = new double[9];
        /** The right singular vectors, column-major. */
        private final double[] v = new double[9];
        /** The left singular vectors, column-major. */
        private final double[] u = new double[9];

        /** Fits the {@code n} points at {@code source[so..]} onto those at {@code target[to..]}. */
        void solve(double[] source, int so, double[] target, int to, int n) {
            centroid(source, so, n, muSource);
            centroid(target, to, n, muTarget);
            java.util.Arrays.fill(a, 0);
            double sourceSpread = 0;
            for (int i = 0; i < n; i++) {
                double sx = source[so + 3 * i] - muSource[0];
                double sy = source[so + 3 * i + 1] - muSource[1];
                double sz = source[so + 3 * i + 2] - muSource[2];
                double tx = target[to + 3 * i] - muTarget[0];
                double ty = target[to + 3 * i + 1] - muTarget[1];
                double tz = target[to + 3 * i + 2] - muTarget[2];
                sourceSpread += sx * sx + sy * sy + sz * sz;
                // Column c of H is Σ t·s_c.
                a[0] += tx * sx;
                a[1] += ty * sx;
                a[2] += tz * sx;
                a[3] += tx * sy;
                a[4] += ty * sy;
                a[5] += tz * sy;
                a[6] += tx * sz;
                a[7] += ty * sz;
                a[8] += tz * sz;
            }
            if (sourceSpread == 0) {
                setIdentity();
                scale = 0;
                return;
            }
            scale = rotationAndTrace() / sourceSpread;
        }

        /** Writes the {@code n} aligned source points, {@code μt + scale·R·(s − μs)}, into {@code out}. */
        void apply(double[] source, int so, int n, double[] out) {
            double[] r = rotation;
            for (int i = 0; i < n; i++) {
                double x = source[so + 3 * i] - muSource[0];
                double y = source[so + 3 * i + 1] - muSource[1];
                double z = source[so + 3 * i + 2] - muSource[2];
                out[3 * i] = muTarget[0] + scale * (r[0] * x + r[1] * y + r[2] * z);
                out[3 * i + 1] = muTarget[1] + scale * (r[3] * x + r[4] * y + r[5] * z);
                out[3 * i + 2] = muTarget[2] + scale * (r[6] * x + r[7] * y + r[8] * z);
            }
        }

        /**
         * From H in {@link #a}: the rotation R = U·D·Vᵀ into {@link #rotation} and tr(Rᵀ·H) =
         * σ1 + σ2 + d·σ3, the numerator of the scale. One-sided Jacobi rotates the columns of H·V until
         * they are orthogonal; their lengths are the singular values. U is completed with u1 × u2 and V
         * made proper, so R = U·Vᵀ is a rotation and the reflection fix d = sign det(H) lands on the
         * smallest singular direction, exactly as in Umeyama / {@code p_mpjpe}.
         */
        private double rotationAndTrace() {
            setIdentity(v);
            for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
                boolean rotated = rotatePair(0, 1);
                rotated |= rotatePair(0, 2);
                rotated |= rotatePair(1, 2);
                if (!rotated) {
                    break;
                }
            }
            sortColumnsDescending();
            if (det(v) < 0) {
                negateColumn(v, 2);
                negateColumn(a, 2);
            }
            double sigma1 = norm(a, 0);
            if (sigma1 == 0) {
                // H = 0: the target collapsed to a point; any rotation does, and the scale is 0.
                setIdentity();
                return 0;
            }
            for (int r = 0; r < 3; r++) {
                u[r] = a[r] / sigma1;
            }
            // u2: the second column, made exactly orthogonal to u1; when H has rank 1 (collinear
            // points) any unit vector orthogonal to u1 is optimal, so take a fixed one.
            double along = dot(u, 0, a, 1);
            for (int r = 0; r < 3; r++) {
                u[3 + r] = a[3 + r] - along * u[r];
            }
            double length = norm(u, 1);
            if (length == 0) {
                orthogonalUnit(u);
            } else {
                for (int r = 0; r < 3; r++) {
                    u[3 + r] /= length;
                }
            }
            u[6] = u[1] * u[5] - u[2] * u[4];
            u[7] = u[2] * u[3] - u[0] * u[5];
            u[8] = u[0] * u[4] - u[1] * u[3];
            for (int row = 0; row < 3; row++) {
                for (int col = 0; col < 3; col++) {
                    rotation[3 * row + col] = u[row] * v[col] + u[3 + row] * v[3 + col] + u[6 + row] * v[6 + col];
                }
            }
            // tr(Rᵀ·H) = Σ_k u_k · (H·v_k); the third term is negative exactly when det H < 0.
            return dot(u, 0, a, 0) + dot(u, 1, a, 1) + dot(u, 2, a, 2);
        }

        /** One Jacobi rotation making columns p and q of a orthogonal; false if they already are. */
        private boolean rotatePair(int p, int q) {
            double alpha = dot(a, p, a, p);
            double beta = dot(a, q, a, q);
            double gamma = dot(a, p, a, q);
            if (!(Math.abs(gamma) > ORTHOGONAL * Math.sqrt(alpha * beta))) {
                return false;
            }
            double zeta = (beta - alpha) / (2 * gamma);
            // The smaller root of t² + 2ζt − 1 = 0 (rotation angle at most 45°, the stable choice).
            double t = Math.abs(zeta) > 1e150 ? 0.5 / zeta
                    : Math.copySign(1, zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
            double c = 1 / Math.sqrt(1 + t * t);
            double s = c * t;
            rotateColumns(a, p, q, c, s);
            rotateColumns(v, p, q, c, s);
            return true;
        }

        private static void rotateColumns(double[] m, int p, int q, double c, double s) {
            for (int r = 0; r < 3; r++) {
                double mp = m[3 * p + r];
                double mq = m[3 * q + r];
                m[3 * p + r] = c * mp - s * mq;
                m[3 * q + r] = s * mp + c * mq;
            }
        }

        /** Orders the columns of a (and v with them) by decreasing length, a 3-element sorting network. */
        private void sortColumnsDescending() {
            if (dot(a, 0, a, 0) < dot(a, 1, a, 1)) {
                swapColumns(0, 1);
            }
            if (dot(a, 1, a, 1) < dot(a, 2, a, 2)) {
                swapColumns(1, 2);
            }
            if (dot(a, 0, a, 0) < dot(a, 1, a, 1)) {
                swapColumns(0, 1);
            }
        }

        private void swapColumns(int p, int q) {
            for (int r = 0; r < 3; r++) {
                double x = a[3 * p + r];
                a[3 * p + r] = a[3 * q + r];
                a[3 * q + r] = x;
                x = v[3 * p + r];
                v[3 * p + r] = v[3 * q + r];
                v[3 * q + r] = x;
            }
        }

        /** Writes into column 1 of m a unit vector orthogonal to its (unit) column 0. */
        private static void orthogonalUnit(double[] m) {
            // Project out column 0 from the coordinate axis it is least aligned with.
            int axis = 0;
            for (int r = 1; r < 3; r++) {
                if (Math.abs(m[r]) < Math.abs(m[axis])) {
                    axis = r;
                }
            }
            for (int r = 0; r < 3; r++) {
                m[3 + r] = (r == axis ? 1 : 0) - m[axis] * m[r];
            }
            double length = norm(m, 1);
            for (int r = 0; r < 3; r++) {
                m[3 + r] /= length;
            }
        }

        private void setIdentity() {
            setIdentity(rotation);
        }

        private static void setIdentity(double[] m) {
            java.util.Arrays.fill(m, 0);
            m[0] = 1;
            m[4] = 1;
            m[8] = 1;
        }

        private static double dot(double[] m, int p, double[] n, int q) {
            return m[3 * p] * n[3 * q] + m[3 * p + 1] * n[3 * q + 1] + m[3 * p + 2] * n[3 * q + 2];
        }

        private static double norm(double[] m, int column) {
            return Math.sqrt(dot(m, column, m, column));
        }

        private static void negateColumn(double[] m, int column) {
            for (int r = 0; r < 3; r++) {
                m[3 * column + r] = -m[3 * column + r];
            }
        }

        /** Determinant of a column-major 3×3 (the same as of its transpose). */
        private static double det(double[] m) {
            return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[3] * (m[1] * m[8] - m[2] * m[7])
                    + m[6] * (m[1] * m[5] - m[2] * m[4]);
        }

        private static void centroid(double[] points, int offset, int n, double[] mu) {
            double x = 0;
            double y = 0;
            double z = 0;
            for (int i = 0; i < n; i++) {
                x += points[offset + 3 * i];
                y += points[offset + 3 * i + 1];
                z += points[offset + 3 * i + 2];
            }
            mu[0] = x / n;
            mu[1] = y / n;
            mu[2] = z / n;
        }
    }
}
