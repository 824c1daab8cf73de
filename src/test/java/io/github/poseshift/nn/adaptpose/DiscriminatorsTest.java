package io.github.poseshift.nn.adaptpose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.loss.GanLosses;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.ResumableAdam;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DiscriminatorsTest {

    private static final Skeleton S = Skeletons.H36M17;

    private static float[] randomPoses(int n, int dims, long seed) {
        Random rng = new Random(seed);
        float[] p = new float[n * S.numJoints() * dims];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (0.3 * rng.nextGaussian());
        }
        return p;
    }

    /** Ψ on NDArrays is geometry.Kcs's Ψ, and a hand case: two bones, lengths 1 and 2, at a right angle. */
    @Test
    void kcsMatchesTheArrayVersionAndAHandCase() {
        PoseTensors tensors = new PoseTensors(S);
        Kcs kcs = new Kcs(S);
        float[] poses = randomPoses(3, 3, 1);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] psi = PoseTensors.psi(tensors.bones(m.create(poses, new Shape(3, S.numJoints(), 3)))).toFloatArray();
            int bb = S.numBones() * S.numBones();
            for (int n = 0; n < 3; n++) {
                double[] pose = new double[S.numJoints() * 3];
                for (int i = 0; i < pose.length; i++) {
                    pose[i] = poses[n * pose.length + i];
                }
                double[] expected = kcs.psi(pose, 3);
                for (int i = 0; i < bb; i++) {
                    assertEquals(expected[i], psi[n * bb + i], 1e-5);
                }
            }
            NDArray twoBones = m.create(new float[] {1, 0, 0, 0, 2, 0}, new Shape(1, 2, 3));
            assertArrayEquals(new float[] {1, 0, 0, 4}, PoseTensors.psi(twoBones).toFloatArray());
            // Back from bones to joints: the root goes to the origin, the rest follows.
            NDArray joints = m.create(poses, new Shape(3, S.numJoints(), 3));
            float[] rebuilt = tensors.joints(tensors.bones(joints)).toFloatArray();
            for (int n = 0; n < 3; n++) {
                for (int j = 0; j < S.numJoints(); j++) {
                    for (int k = 0; k < 3; k++) {
                        int i = (n * S.numJoints() + j) * 3 + k;
                        assertEquals(poses[i] - poses[n * S.numJoints() * 3 + k], rebuilt[i], 1e-5);
                    }
                }
            }
        }
    }

    @Test
    void projectionMatchesTheCamerasNormalisation() {
        Camera.Intrinsics k = new Camera.Intrinsics(1145, 1144, 512, 515, 1000, 1002, 0, 0, 0, 0, 0);
        try (NDManager m = NDManager.newBaseManager()) {
            float[] uv = PoseTensors.projectNormalised(m.create(new float[] {0.2f, -0.1f, 4f}, new Shape(1, 3)), k)
                    .toFloatArray();
            float[] pixels = {(float) (1145 * 0.05 + 512), (float) (1144 * -0.025 + 515)};
            assertArrayEquals(Camera.normalizeScreen(pixels, 1000, 1002), uv, 1e-5f);
        }
    }

    @Test
    void discriminatorsScoreEveryPoseAndEveryPart() {
        Engine.getInstance().setRandomSeed(2);
        try (NDManager m = NDManager.newBaseManager()) {
            PoseDiscriminator3D d3 = new PoseDiscriminator3D(S, 16, 8);
            NDArray poses3 = m.create(randomPoses(6, 3, 2), new Shape(6, S.numJoints(), 3));
            d3.initialize(m, DataType.FLOAT32, poses3.getShape());
            NDArray scores3 = d3.forward(new ParameterStore(m, false), new NDList(poses3), false).singletonOrThrow();
            assertEquals(new Shape(6, 5), scores3.getShape());
            // Bone lengths do not matter to it: the same pose twice as large scores the same.
            NDArray doubled = d3.forward(new ParameterStore(m, false), new NDList(poses3.mul(2)), false).singletonOrThrow();
            assertArrayEquals(scores3.toFloatArray(), doubled.toFloatArray(), 1e-4f);
            PoseDiscriminator2D d2 = new PoseDiscriminator2D(S, 16);
            NDArray poses2 = m.create(randomPoses(6, 2, 3), new Shape(6, S.numJoints(), 2));
            d2.initialize(m, DataType.FLOAT32, poses2.getShape());
            assertEquals(new Shape(6, 1), d2.forward(new ParameterStore(m, false), new NDList(poses2), false)
                    .singletonOrThrow().getShape());
        }
    }

    /** A fresh 3D discriminator (16 channels, 8 middle units) initialised under engine seed 2: the same parameters each time. */
    private static PoseDiscriminator3D d3(NDManager m, PoseDiscriminator3D.Perturbation perturbation, int n) {
        Engine.getInstance().setRandomSeed(2);
        PoseDiscriminator3D d = perturbation == null ? new PoseDiscriminator3D(S, 16, 8)
                : new PoseDiscriminator3D(S, 16, 8, perturbation);
        d.initialize(m, DataType.FLOAT32, new Shape(n, S.numJoints(), 3));
        return d;
    }

    private static float[] score(PoseDiscriminator3D d, NDManager m, NDArray... inputs) {
        return d.forward(new ParameterStore(m, false), new NDList(inputs), false).singletonOrThrow().toFloatArray();
    }

    /**
     * The supplementary's perturbation (fig. 8): with axis draws the four limb paths score perturbed poses and the
     * torso path the original one; without draws the scores are the plain discriminator's, to the bit; a zero angle
     * perturbs nothing; lengths still do not matter.
     */
    @Test
    void thePerturbationMovesTheLimbScoresOnly() {
        int n = 6;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray poses = m.create(randomPoses(n, 3, 2), new Shape(n, S.numJoints(), 3));
            float[] plain = score(d3(m, null, n), m, poses);
            for (PoseDiscriminator3D.Perturbation.Target target : PoseDiscriminator3D.Perturbation.Target.values()) {
                PoseDiscriminator3D d = d3(m, new PoseDiscriminator3D.Perturbation(10, target), n);
                assertArrayEquals(plain, score(d, m, poses), 0f, target + ": without draws, the plain discriminator");
                NDArray draws = d.axisDraws(m, new Random(3), n, PoseDiscriminator3D.AxisDraws.POSITIVE_OCTANT);
                assertEquals(new Shape(n, target == PoseDiscriminator3D.Perturbation.Target.BONES ? S.numBones()
                        : S.numJoints(), 3), draws.getShape());
                float[] perturbed = score(d, m, poses, draws);
                assertEquals(plain.length, perturbed.length);
                int parts = PoseDiscriminator3D.PARTS.size();
                for (int i = 0; i < n; i++) {
                    assertEquals(plain[i * parts], perturbed[i * parts], 0f, target + ": the torso path sees the original");
                    for (int p = 1; p < parts; p++) {
                        assertTrue(Math.abs(plain[i * parts + p] - perturbed[i * parts + p]) > 1e-7,
                                target + ": limb path " + p + " of pose " + i + " unchanged");
                    }
                }
                assertArrayEquals(perturbed, score(d, m, poses.mul(2), draws), 1e-4f, target + ": scale-free");
                assertArrayEquals(perturbed, score(d, m, poses, d.axisDraws(m, new Random(3), n,
                        PoseDiscriminator3D.AxisDraws.POSITIVE_OCTANT)), 0f, target + ": same seed, same draws");
                PoseDiscriminator3D still = d3(m, new PoseDiscriminator3D.Perturbation(0, target), n);
                assertArrayEquals(plain, score(still, m, poses, still.axisDraws(m, new Random(4), n,
                        PoseDiscriminator3D.AxisDraws.ISOTROPIC)), 1e-5f, target + ": 0 degrees perturbs nothing");
            }
            PoseDiscriminator3D d = d3(m, PoseDiscriminator3D.Perturbation.paper(), n);
            NDArray wrong = m.zeros(new Shape(n, S.numJoints(), 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> score(d, m, poses, wrong));
            assertTrue(e.getMessage().contains("one axis per bone"), e.getMessage());
        }
    }

    /** Gradients reach the poses (the generator's side) and the limb paths' weights through the rotations. */
    @Test
    void gradientsFlowThroughThePerturbedDiscriminator() {
        int n = 4;
        try (NDManager m = NDManager.newBaseManager()) {
            PoseDiscriminator3D d = d3(m, PoseDiscriminator3D.Perturbation.authorsCode(), n);
            NDArray poses = m.create(randomPoses(n, 3, 5), new Shape(n, S.numJoints(), 3));
            poses.setRequiresGradient(true);
            NDArray draws = d.axisDraws(m, new Random(6), n, PoseDiscriminator3D.AxisDraws.ISOTROPIC);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray scores = d.forward(new ParameterStore(m, false), new NDList(poses, draws), true).singletonOrThrow();
                gc.backward(scores.sum());
            }
            float[] grad = poses.getGradient().toFloatArray();
            double norm = 0;
            for (float g : grad) {
                assertTrue(Float.isFinite(g));
                norm += g * g;
            }
            assertTrue(norm > 1e-12, "gradient reaches the poses: |g|² " + norm);
            for (var entry : d.getParameters()) {
                if (entry.getKey().contains("left_arm")) {
                    assertTrue(entry.getValue().getArray().getGradient().abs().sum().getFloat() > 0, entry.getKey());
                }
            }
        }
    }

    /**
     * A discriminator learns to tell two 2D pose distributions apart: 40 Adam steps on the LSGAN loss move
     * its mean score on "real" poses above that on "fake" ones (shifted by 0.3 along x).
     */
    @Test
    void the2dDiscriminatorLearnsToSeparateDomains() {
        Engine.getInstance().setRandomSeed(4);
        try (Model model = Model.newInstance("d2", Device.cpu())) {
            model.setBlock(new PoseDiscriminator2D(S, 32));
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(ResumableAdam.create(1e-3f, 0))
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(new Shape(32, S.numJoints(), 2));
                float[] loss = new float[2];
                for (int step = 0; step < 40; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDArray real = scope.create(randomPoses(32, 2, 100 + step), new Shape(32, S.numJoints(), 2));
                        NDArray fake = scope.create(randomPoses(32, 2, 500 + step), new Shape(32, S.numJoints(), 2))
                                .add(scope.create(new float[] {0.3f, 0}));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray l = GanLosses.discriminator(trainer.forward(new NDList(real)).singletonOrThrow(),
                                    trainer.forward(new NDList(fake)).singletonOrThrow());
                            gc.backward(l);
                            loss[step == 0 ? 0 : 1] = l.getFloat();
                        }
                        trainer.step();
                    }
                }
                System.out.printf("D2D LSGAN loss %.4f -> %.4f%n", loss[0], loss[1]);
                assertTrue(loss[1] < 0.5 * loss[0], "loss " + loss[0] + " -> " + loss[1]);
            }
        }
    }
}
