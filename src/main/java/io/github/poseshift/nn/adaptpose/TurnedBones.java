package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;

/**
 * The common tail of the heads that turn bones, AdaptPose's BA head ({@link BoneAngleGenerator}, Gholami et al.,
 * CVPR 2022, sec. 3.1) and its bone generators BG1 and BG2 ({@link BoneDisplacementGenerator}, sec. 4.1, eqs. 5–6):
 * given each bone's unit direction and the direction a head turned it to, it keeps the bones that no head turns
 * (pelvis–spine and spine–thorax, {@link BoneAngleGenerator#FIXED_BONE_CHILDREN}, as in the authors' code), measures
 * each bone's turn as 1 − cos (the quantity of the paper's bone-angle regulariser) and rebuilds the joints from the
 * turned directions at the bones' own lengths, so bone lengths never change and the root trajectory is kept.
 */
final class TurnedBones {

    private final PoseTensors tensors;
    private final float[] turnable; // 1 per bone a head may turn, 0 for the fixed ones

    /** For the bones of {@code tensors}' skeleton. */
    TurnedBones(PoseTensors tensors) {
        this.tensors = tensors;
        Skeleton skeleton = tensors.skeleton();
        this.turnable = new float[skeleton.numBones()];
        for (int b = 0; b < turnable.length; b++) {
            String child = skeleton.jointName(skeleton.bones().get(b).child());
            turnable[b] = BoneAngleGenerator.FIXED_BONE_CHILDREN.contains(child) ? 0 : 1;
        }
    }

    /**
     * The head's output {@code NDList(window [N, T, J, 3], angleChange [N, T, B])}: the joints rebuilt from
     * {@code turned} (the fixed bones given back their {@code directions}) at {@code lengths}, plus {@code root};
     * angleChange = 1 − cos of each bone's turn.
     *
     * @param root the window's root joint {@code [N, T, 1, 3]}; the turnable-bone mask lives in its manager
     * @param directions the source bones' unit directions {@code [N, T, B, 3]}
     * @param lengths the source bones' lengths {@code [N, T, B, 1]}
     * @param turned the unit directions the head turned them to {@code [N, T, B, 3]}
     */
    NDList rebuild(NDArray root, NDArray directions, NDArray lengths, NDArray turned) {
        NDManager m = root.getManager();
        NDArray mask = m.create(turnable, new Shape(turnable.length, 1));
        turned = turned.mul(mask).add(directions.mul(mask.neg().add(1)));
        NDArray angleChange = turned.mul(directions).sum(new int[] {-1}).neg().add(1);
        NDArray moved = tensors.joints(turned.mul(lengths)).add(root);
        return new NDList(moved, angleChange);
    }

    /** The shapes of {@link #rebuild}'s output for a window of shape {@code window} ({@code [N, T, J, 3]}). */
    Shape[] outputShapes(Shape window) {
        return new Shape[] {window, new Shape(window.get(0), window.get(1), tensors.skeleton().numBones())};
    }
}
