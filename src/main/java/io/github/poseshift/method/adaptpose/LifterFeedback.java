package io.github.poseshift.method.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;

/** What AdaptPose asks of the lifter besides training it: its error per window, selection, the reprojection term. */
final class LifterFeedback {

    private LifterFeedback() {}

    /**
     * The reprojection part of the feedback (sec. 5, Eq. 18–19): the lifter's 3D estimate of target windows,
     * projected back, against their centre frame's 2D. The extracted equations lost their symbols; the reading
     * here follows the authors' code (both 2D poses root-centred, the estimate's scale fitted per pose as in
     * n-MPJPE, the mean Euclidean distance), with the estimate seen orthographically (x, y) since a root-relative
     * estimate has no depth to divide by. It is differentiable in the lifter, which it trains (see the class
     * comment).
     */
    static NDArray reprojection(Trainer lifter, NDArray targetInputs, int centre, int joints) {
        int n = Math.toIntExact(targetInputs.getShape().get(0));
        NDArray estimate = lifter.forward(new NDList(targetInputs)).singletonOrThrow().reshape(n, joints, 3);
        NDArray xy = estimate.get("..., 0:2");
        xy = xy.sub(xy.get(":, 0:1, :"));
        NDArray seen2d = targetInputs.get(":, " + centre).reshape(n, joints, 2);
        seen2d = seen2d.sub(seen2d.get(":, 0:1, :"));
        NDArray scale = xy.mul(seen2d).sum(new int[] {1, 2}, true)
                .div(xy.square().sum(new int[] {1, 2}, true).add(1e-8f));
        return xy.mul(scale).sub(seen2d).square().sum(new int[] {2}).add(1e-12f).sqrt().mean();
    }

    /**
     * Selection (sec. 4.4, Eq. 14): a generated window is kept when its 2D points stay inside the normalised image
     * ({@code inside}, the largest |coordinate|, at most 1) and, with selection on, the lifter's error on it lies
     * between once and {@code maxErrorRatio} times its error on the source window.
     */
    static boolean selected(AdaptPoseConfig config, float inside, float generatedError, float sourceError) {
        return inside <= 1 && Float.isFinite(generatedError) && (!config.components().selection()
                || generatedError > sourceError && generatedError < config.maxErrorRatio() * sourceError);
    }

    /**
     * The lifter's MPJPE on each window {@code [n]} (metres), in evaluation mode (no dropout, running batch-norm
     * statistics); differentiable in the inputs when recorded inside a gradient collector.
     */
    static NDArray perSampleMpjpe(Block lifter, NDArray inputs, NDArray targets) {
        long n = inputs.getShape().get(0);
        NDArray predicted = lifter.forward(new ParameterStore(inputs.getManager(), false), new NDList(inputs), false)
                .singletonOrThrow().reshape(targets.getShape());
        // The epsilon keeps the gradient of the root joint's distance, exactly zero, finite (d√x/dx at 0 is ∞).
        return predicted.sub(targets).square().sum(new int[] {2}).add(1e-12f).sqrt().mean(new int[] {1}).reshape(n);
    }
}
