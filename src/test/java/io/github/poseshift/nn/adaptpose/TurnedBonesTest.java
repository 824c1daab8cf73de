package io.github.poseshift.nn.adaptpose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tail shared by the BA head and BG1/BG2: fixed bones kept, 1 − cos measured, joints rebuilt at the old lengths. */
class TurnedBonesTest {

    private static final Skeleton S = Skeletons.H36M17;
    private static final int N = 2;
    private static final int T = 3;
    private static final int J = 17;

    private static float[] gaussian(long seed, int size, double scale) {
        Random rng = new Random(seed);
        float[] x = new float[size];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextGaussian() * scale);
        }
        return x;
    }

    @Test
    void keepsFixedBonesMeasuresTurnsAndRebuildsTheWindow() {
        PoseTensors tensors = new PoseTensors(S);
        TurnedBones turnedBones = new TurnedBones(tensors);
        int b = S.numBones();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = gaussian(1, N * T * J * 3, 0.3);
            NDArray window = m.create(w, new Shape(N, T, J, 3));
            NDArray root = tensors.root(window);
            NDArray boneVectors = tensors.bones(window.sub(root));
            NDArray lengths = PoseTensors.lengths(boneVectors);
            NDArray directions = PoseTensors.directions(boneVectors);

            // Unturned: the same window, no change.
            NDList same = turnedBones.rebuild(root, directions, lengths, directions);
            assertArrayEquals(w, same.get(0).toFloatArray(), 1e-5f);
            for (float c : same.get(1).toFloatArray()) {
                assertEquals(0, c, 1e-6);
            }

            // Turned to random directions: the fixed bones keep theirs, the others take the new ones.
            NDArray turned = PoseTensors.directions(m.create(gaussian(2, N * T * b * 3, 1), new Shape(N, T, b, 3)));
            NDList out = turnedBones.rebuild(root, directions, lengths, turned);
            float[] u = directions.toFloatArray();
            float[] v = turned.toFloatArray();
            float[] change = out.get(1).toFloatArray();
            float[] after = tensors.bones(out.get(0).sub(root)).toFloatArray();
            float[] length = lengths.toFloatArray();
            for (int i = 0; i < N * T * b; i++) {
                int bone = i % b;
                boolean fixed = BoneAngleGenerator.FIXED_BONE_CHILDREN.contains(S.jointName(S.bones().get(bone).child()));
                double cos = 0;
                for (int k = 0; k < 3; k++) {
                    float expected = (fixed ? u : v)[i * 3 + k] * length[i];
                    assertEquals(expected, after[i * 3 + k], 1e-5, "bone " + bone + " axis " + k);
                    cos += (fixed ? u : v)[i * 3 + k] * u[i * 3 + k];
                }
                assertEquals(1 - cos, change[i], 1e-5, "bone " + bone + ": angleChange is 1 - cos");
            }
            for (int k = 0; k < 3; k++) { // the root trajectory stays
                assertEquals(w[S.root() * 3 + k], out.get(0).toFloatArray()[S.root() * 3 + k], 1e-6);
            }
        }
    }
}
