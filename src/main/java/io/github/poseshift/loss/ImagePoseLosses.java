package io.github.poseshift.loss;

import ai.djl.ndarray.NDArray;
import io.github.poseshift.nn.ScalarOps;

/**
 * The loss of integral regression (Sun et al., "Integral Human Pose Regression", ECCV 2018, sec. 3.2 and
 * 4.1), which AHuP trains with: L1 on the joint coordinates, which the paper found better than L2 for
 * integral regression. Sun et al. regress (u, v, d) normalised to about [−½, ½] — pixels by the crop's
 * side, depth by a 2 m box; here the 3D term is on root-relative joints in metres divided by the same
 * metric span, and the 2D term on pixel positions divided by the crop's side, so both terms have the
 * paper's scale.
 */
public final class ImagePoseLosses {

    /** Weight of the 2D term relative to the 3D one (Sun et al. weigh all coordinates alike: 1). */
    public static final float DEFAULT_WEIGHT_2D = 1f;

    private ImagePoseLosses() {}

    /**
     * mean|ŷ₃ − y₃| / metricSpan + weight2d · mean|ŷ₂ − y₂| / imageSize, the means over batch, joints and
     * coordinates of {@code [B, J, 3]} joints in metres and {@code [B, J, 2]} positions in pixels.
     *
     * @param metricSpan metres that count as one unit of 3D error (Sun et al.: 2 m)
     * @param imageSize  pixels that count as one unit of 2D error (the crop's side)
     */
    public static NDArray integralL1(NDArray predicted3d, NDArray target3d, NDArray predicted2d, NDArray target2d,
            float metricSpan, int imageSize, float weight2d) {
        if (!(metricSpan > 0) || imageSize < 1 || weight2d < 0) {
            throw new IllegalArgumentException("integral L1: metricSpan and imageSize must be positive and weight2d at least"
                    + " 0, got " + metricSpan + ", " + imageSize + ", " + weight2d);
        }
        NDArray l3 = ScalarOps.dividedBy(predicted3d.sub(target3d).abs().mean(), metricSpan);
        return l3.add(pixelL1(predicted2d, target2d, imageSize, weight2d));
    }

    /**
     * The 2D term of {@link #integralL1} alone, weight2d · mean|ŷ₂ − y₂| / imageSize: the loss of a crop that has 2D
     * labels only (Yang et al.'s in-the-wild images, whose Eq. 2 keeps the heatmap term and drops the depth one).
     */
    public static NDArray pixelL1(NDArray predicted2d, NDArray target2d, int imageSize, float weight2d) {
        if (imageSize < 1 || weight2d < 0) {
            throw new IllegalArgumentException("pixel L1: imageSize must be positive and weight2d at least 0, got "
                    + imageSize + ", " + weight2d);
        }
        return ScalarOps.times(predicted2d.sub(target2d).abs().mean(), weight2d / imageSize);
    }
}
