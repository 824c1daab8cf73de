package io.github.poseshift.geometry;

import java.util.stream.IntStream;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.SingularOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.SingularValueDecomposition_F64;

/**
 * Optimal similarity alignment (rotation, uniform scale, translation) of one point set onto another in
 * the least-squares sense — the orthogonal Procrustes problem with scale (Umeyama 1991), the alignment
 * behind PA-MPJPE. The computation is VideoPose3D's {@code p_mpjpe} ({@code common/loss.py}) written
 * with column vectors: centre both sets, take the SVD of the cross-covariance, and flip the axis of
 * the smallest singular value when the determinant is negative, so the result is a proper rotation and
 * never a reflection.
 */
public final class Procrustes {

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
        int n = source.length / 3;
        double[] muS = centroid(source);
        double[] muT = centroid(target);
        // Cross-covariance H = Σ (t_i − μ_t)(s_i − μ_s)ᵀ and the source spread Σ |s_i − μ_s|².
        DMatrixRMaj h = new DMatrixRMaj(3, 3);
        double sourceSpread = 0;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                double sa = source[3 * i + a] - muS[a];
                sourceSpread += sa * sa;
                for (int b = 0; b < 3; b++) {
                    h.add(b, a, (target[3 * i + b] - muT[b]) * sa);
                }
            }
        }
        if (sourceSpread == 0) {
            return new Similarity(0, Rotation.identity(), muT);
        }
        SingularValueDecomposition_F64<DMatrixRMaj> svd = DecompositionFactory_DDRM.svd(3, 3, true, true, false);
        if (!svd.decompose(h)) {
            throw new ArithmeticException("SVD of the 3x3 cross-covariance did not converge");
        }
        DMatrixRMaj u = svd.getU(null, false);
        DMatrixRMaj v = svd.getV(null, false);
        DMatrixRMaj w = svd.getW(null);
        SingularOps_DDRM.descendingOrder(u, false, w, v, false);
        // R = U·D·Vᵀ with D = diag(1, 1, sign det(U·Vᵀ)): the reflection fix of Umeyama / p_mpjpe.
        DMatrixRMaj uvt = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(u, v, uvt);
        double d = Math.signum(CommonOps_DDRM.det(uvt));
        if (d == 0) {
            d = 1;
        }
        for (int row = 0; row < 3; row++) {
            u.set(row, 2, u.get(row, 2) * d);
        }
        DMatrixRMaj r = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.multTransB(u, v, r);
        double trace = w.get(0, 0) + w.get(1, 1) + d * w.get(2, 2);
        double scale = trace / sourceSpread;
        double[] rot = r.getData().clone();
        double[] t = new double[3];
        for (int a = 0; a < 3; a++) {
            t[a] = muT[a] - scale * (rot[3 * a] * muS[0] + rot[3 * a + 1] * muS[1] + rot[3 * a + 2] * muS[2]);
        }
        return new Similarity(scale, Rotation.fromMatrix(rot), t);
    }

    /**
     * Aligns every pose of {@code predicted} onto the same pose of {@code target} (each pose its own
     * similarity over all its joints) and returns the aligned predictions. Poses are independent, so
     * the work is spread over the available cores.
     */
    public static PoseArray alignAll(PoseArray predicted, PoseArray target) {
        if (!predicted.sameShape(target)) {
            throw new IllegalArgumentException("cannot align " + predicted + " onto " + target);
        }
        int stride = predicted.numJoints() * 3;
        double[] out = new double[predicted.numPoses() * stride];
        IntStream.range(0, predicted.numPoses()).parallel().forEach(i -> {
            double[] p = predicted.pose(i);
            double[] aligned = fit(p, target.pose(i)).apply(p);
            System.arraycopy(aligned, 0, out, i * stride, stride);
        });
        return PoseArray.of(out, predicted.numJoints());
    }

    private static double[] centroid(double[] points) {
        double[] mu = new double[3];
        int n = points.length / 3;
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 3; a++) {
                mu[a] += points[3 * i + a];
            }
        }
        for (int a = 0; a < 3; a++) {
            mu[a] /= n;
        }
        return mu;
    }
}
