package io.github.poseshift.method.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.adaptpose.GeneratorOutput;

/**
 * Where generated windows are seen from when camera generation is off (table 5): the source windows' root tracks in
 * their own camera, {@code [n, F, 1, 3]}, and that camera's normalised pinhole, {@code [n, 4]}.
 */
record GeneratedView(NDArray roots, NDArray pinholes) {

    /** The view of the source batch {@code b}: its windows' root tracks and cameras. */
    static GeneratedView ofSource(PoseDataset source, PoseDataset.Batch b, NDManager scope) {
        int n = b.size();
        int frames = source.config().receptiveField();
        float[] pinholes = new float[n * 4];
        for (int i = 0; i < n; i++) {
            double[] p = source.intrinsics(b.indices()[i], b.flipped()[i]).normalisedPinhole();
            for (int c = 0; c < 4; c++) {
                pinholes[i * 4 + c] = (float) p[c];
            }
        }
        return new GeneratedView(scope.create(source.rootTrajectories(b.indices(), b.flipped()), new Shape(n, frames, 1, 3)),
                scope.create(pinholes, new Shape(n, 4)));
    }

    /**
     * Windows {@code [n, F, J, 3]} as the lifter's 2D input {@code [n, F, J, 2]}: RT's output (already in the
     * generated camera) projected with the target intrinsics {@code k}; other root-relative windows turned by RT's
     * cameras R·x + t first; or, without RT ({@code view} not null), root-relative windows placed along the source
     * windows' root tracks and seen by their own cameras.
     */
    static NDArray seen(NDArray windows, GeneratorOutput out, Camera.Intrinsics k, GeneratedView view) {
        if (view != null) {
            return PoseTensors.projectNormalised(windows.add(view.roots()), view.pinholes());
        }
        if (windows == out.afterCamera()) {
            return PoseTensors.projectNormalised(windows, k);
        }
        long n = windows.getShape().get(0);
        NDArray turned = out.rotations().reshape(n, 1, 1, 3, 3).matMul(windows.expandDims(-1)).squeeze(-1)
                .add(out.translations().reshape(n, 1, 1, 3));
        return PoseTensors.projectNormalised(turned, k);
    }
}
