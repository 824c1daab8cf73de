package io.github.poseshift.loss;

import ai.djl.ndarray.NDArray;
import io.github.poseshift.geometry.SkeletonDescriptor;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;

/**
 * The descriptor term of AHuP's skeletal pose adaptation loss (Liu, Sehgal &amp; Ostadabbas, "Adapted Human Pose",
 * section 3.2, Eq. 4): ‖d(P) − d̄‖², with d(P) a pose's bone lengths divided by its shoulder width
 * ({@link SkeletonDescriptor}, of which this is the differentiable twin on {@code NDArray}s) and d̄ the mean
 * descriptor of the target domain. It pulls a pose's proportions toward the target's, leaving its size and its
 * joint angles free.
 */
public final class SkeletonDescriptorLoss {

    private final PoseTensors tensors;
    private final int leftShoulder;
    private final int rightShoulder;

    /**
     * The loss for poses of {@code skeleton}.
     *
     * @throws IllegalArgumentException naming the skeleton and the joint when it has no shoulder joints
     */
    public SkeletonDescriptorLoss(Skeleton skeleton) {
        SkeletonDescriptor descriptor = new SkeletonDescriptor(skeleton);
        this.tensors = new PoseTensors(skeleton);
        this.leftShoulder = descriptor.leftShoulder();
        this.rightShoulder = descriptor.rightShoulder();
    }

    /** The skeleton. */
    public Skeleton skeleton() {
        return tensors.skeleton();
    }

    /** Descriptors {@code [..., B]} of poses {@code [..., J, 3]}: bone lengths over shoulder widths. */
    public NDArray descriptors(NDArray poses) {
        NDArray lengths = PoseTensors.lengths(tensors.bones(poses)).squeeze(-1); // [..., B]
        NDArray shoulders = poses.get("..., " + leftShoulder + ", :").sub(poses.get("..., " + rightShoulder + ", :"));
        return lengths.div(PoseTensors.lengths(shoulders)); // [..., B] / [..., 1]
    }

    /**
     * The loss: the mean over poses {@code [N, J, 3]} of ‖d(P) − d̄‖² (the squared norm summed over the bones), a
     * scalar.
     *
     * @param targetMean d̄, {@code [B]} (the target domain's mean descriptor)
     * @throws IllegalArgumentException when {@code targetMean} does not have one entry per bone
     */
    public NDArray loss(NDArray poses, float[] targetMean) {
        return squaredDifferences(poses, targetMean).sum(new int[] {-1}).mean();
    }

    /**
     * The mean squared error: the mean over poses {@code [N, J, 3]} <em>and</em> bones of (d_b(P) − d̄_b)², a scalar —
     * {@link #loss} divided by the number of bones (the "L2 loss" reading of AHuP's Eq. 4, as PyTorch's MSE loss
     * reduces it).
     *
     * @throws IllegalArgumentException when {@code targetMean} does not have one entry per bone
     */
    public NDArray meanSquaredError(NDArray poses, float[] targetMean) {
        return squaredDifferences(poses, targetMean).mean();
    }

    private NDArray squaredDifferences(NDArray poses, float[] targetMean) {
        int bones = tensors.skeleton().numBones();
        if (targetMean.length != bones) {
            throw new IllegalArgumentException("a mean descriptor of " + targetMean.length + " entries for skeleton '"
                    + tensors.skeleton().name() + "' of " + bones + " bones");
        }
        NDArray mean = poses.getManager().create(targetMean);
        return descriptors(poses).sub(mean).square();
    }
}
