package io.github.poseshift.nn.yang2018;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.image.ImagePoseModel;

/**
 * E(·) of Yang et al. (CVPR 2018, sec. 3.2, Eq. 3): what the multi-source discriminator sees of a pose, built
 * the same way for a true pose and for the generator's prediction, differentiably, so the generator's
 * adversarial gradient flows back through it.
 *
 * <p>The pose is the generator's own output space, 2.5D: each joint's crop position and its depth relative to
 * the root (the paper's G predicts heatmaps and per-joint depths, sec. 3.1). Crop positions are divided by the
 * crop side and centred, depths divided by the model's crop metres, so every coordinate lies within about ±½.
 * No camera and no root depth enters, so a target crop that has only 2D labels is encoded like a source crop.
 *
 * <ul>
 *   <li>{@link #descriptor}: Eq. 1's 6 × P × P pairwise descriptor of the normalised 2.5D pose (the plain-array
 *       form is {@code geometry.PairwiseDescriptor});</li>
 *   <li>{@link #maps}: P heatmaps, each a Gaussian of unit variance in heatmap cells at the joint (sec. 4.1: "Σ set
 *       as an identity matrix"), and P depth maps, the same Gaussian times the joint's normalised depth ("the depth
 *       of a body joint at the corresponding location", sec. 3.2.1). Predicted maps are drawn from the predicted
 *       joints with the same Gaussian rather than taken from the integral head's softmax volume: the head's
 *       heatmap is never trained towards a Gaussian (integral regression supervises only its expectation), so
 *       its shape alone would tell the discriminator real from fake, whatever the pose.</li>
 * </ul>
 */
public final class PoseEncoding {

    /** The Gaussian's standard deviation in heatmap cells (sec. 4.1: identity covariance). */
    public static final float SIGMA_CELLS = 1f;

    private PoseEncoding() {}

    /**
     * The normalised 2.5D pose {@code [B, P, 3]}: ((u + ½)/S − ½, (v + ½)/S − ½, z/cropMetres) from crop pixels
     * {@code [B, P, 2]} and root-relative depths {@code [B, P]} in metres.
     */
    public static NDArray pose(NDArray pixels, NDArray depths, int imageSize, float cropMetres) {
        NDArray uv = ScalarOps.dividedBy(pixels.add(0.5f), imageSize).sub(0.5f);
        return uv.concat(ScalarOps.dividedBy(depths, cropMetres).expandDims(2), 2);
    }

    /** Eq. 1 on a batch: {@code [B, P, 3]} poses to {@code [B, 6, P, P]} descriptors (component, i, j). */
    public static NDArray descriptor(NDArray poses) {
        NDArray delta = poses.expandDims(2).sub(poses.expandDims(1)); // [B, P, P, 3]: z_i − z_j
        return delta.concat(delta.square(), 3).transpose(0, 3, 1, 2);
    }

    /**
     * Heatmaps then depth maps, {@code [B, 2P, H, H]}, from crop pixels {@code [B, P, 2]} and normalised depths
     * {@code [B, P]} ({@link #pose}'s third coordinate).
     */
    public static NDArray maps(NDArray pixels, NDArray normalisedDepths, int imageSize, int heatmapSize) {
        NDArray cells = ImagePoseModel.pixelsToCells(pixels, imageSize, heatmapSize);
        NDManager m = pixels.getManager();
        DataType type = pixels.getDataType();
        NDArray grid = m.arange(0f, (float) heatmapSize, 1f).toType(type, false);
        long b = pixels.getShape().get(0);
        long p = pixels.getShape().get(1);
        float inverseTwoVariance = 1f / (2 * SIGMA_CELLS * SIGMA_CELLS);
        // Separable Gaussian: exp(−(u−x)²/2σ²) · exp(−(v−y)²/2σ²).
        NDArray gx = ScalarOps.times(grid.reshape(1, 1, 1, heatmapSize).sub(cells.get(":, :, 0").reshape(b, p, 1, 1))
                .square(), -inverseTwoVariance).exp();
        NDArray gy = ScalarOps.times(grid.reshape(1, 1, heatmapSize, 1).sub(cells.get(":, :, 1").reshape(b, p, 1, 1))
                .square(), -inverseTwoVariance).exp();
        NDArray heat = gy.mul(gx); // [B, P, H, H]
        NDArray depth = heat.mul(normalisedDepths.reshape(b, p, 1, 1));
        return heat.concat(depth, 1);
    }

    /** The shape of {@link #maps}' output. */
    public static Shape mapsShape(long batch, int joints, int heatmapSize) {
        return new Shape(batch, 2L * joints, heatmapSize, heatmapSize);
    }
}
