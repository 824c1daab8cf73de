package io.github.poseshift.nn.adaptpose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.ResumableAdam;
import java.io.IOException;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each head of AdaptPose's motion generator changes exactly what it should, and learns through its geometry. */
class GeneratorHeadsTest {

    private static final Skeleton S = Skeletons.H36M17;
    private static final int N = 8;
    private static final int T = 9;
    private static final int J = 17;
    private static final GeneratorTrunk TINY = new GeneratorTrunk(32, 1, 8);

    /** N windows of T frames of real synthetic motion (world metres), [N][T][J][3] flattened. */
    private static float[] windows;

    @BeforeAll
    static void motion() throws IOException {
        List<ViewSequence> views = SyntheticDomain.generate(Domains.resized(Domains.preset("h36m-like"), 3, 60), 11)
                .views();
        windows = new float[N * T * J * 3];
        for (int n = 0; n < N; n++) {
            float[] p = views.get(n * 5).poses().positions();
            System.arraycopy(p, 0, windows, n * T * J * 3, T * J * 3);
        }
    }

    private static float[] read(NDArray a) {
        return a.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static double bone(float[] w, int n, int t, int child, int axis) {
        int parent = S.parent(child);
        return w[((n * T + t) * J + child) * 3 + axis] - w[((n * T + t) * J + parent) * 3 + axis];
    }

    private static double length(float[] w, int n, int t, int child) {
        return Math.sqrt(Math.pow(bone(w, n, t, child, 0), 2) + Math.pow(bone(w, n, t, child, 1), 2)
                + Math.pow(bone(w, n, t, child, 2), 2));
    }

    private static double cosine(float[] a, float[] b, int n, int t, int child) {
        double dot = 0;
        for (int k = 0; k < 3; k++) {
            dot += bone(a, n, t, child, k) * bone(b, n, t, child, k);
        }
        return dot / (length(a, n, t, child) * length(b, n, t, child));
    }

    /** Runs {@code block} in training mode (batch statistics) on inputs made by {@code inputs}. */
    private static NDList run(Block block, Function<NDManager, NDList> inputs) {
        NDManager m = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(5);
        NDList in = inputs.apply(m);
        block.initialize(m, DataType.FLOAT32, in.getShapes());
        return block.forward(new ParameterStore(m, false), in, true);
    }

    private static NDArray window(NDManager m) {
        return m.create(windows, new Shape(N, T, J, 3));
    }

    @Test
    void boneAnglesTurnBonesIntoAMotionAndKeepTheirLengths() {
        BoneAngleGenerator ba = new BoneAngleGenerator(S, TINY);
        NDList out = run(ba, m -> new NDList(window(m), m.randomNormal(new Shape(N, TINY.noise()))));
        float[] moved = read(out.get(0));
        float[] change = read(out.get(1)); // [N][T][B]
        int bones = S.numBones();
        double[] meanChange = new double[T];
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int child = 1; child < J; child++) {
                    assertEquals(length(windows, n, t, child), length(moved, n, t, child), 1e-5, "length");
                    String name = S.jointName(child);
                    if (t == 0 || BoneAngleGenerator.FIXED_BONE_CHILDREN.contains(name)) {
                        assertEquals(1, cosine(windows, moved, n, t, child), 1e-5, name + " frame " + t + " turned");
                    }
                    meanChange[t] += change[(n * T + t) * bones + child - 1] / (N * bones);
                }
                for (int k = 0; k < 3; k++) { // the root trajectory stays
                    assertEquals(windows[((n * T + t) * J) * 3 + k], moved[((n * T + t) * J) * 3 + k], 1e-6);
                }
            }
        }
        // θ·t/T: no change at frame 0, more at every later frame (the initial angles are well under π).
        assertEquals(0, meanChange[0], 1e-6);
        for (int t = 1; t < T; t++) {
            assertTrue(meanChange[t] > meanChange[t - 1], "frame " + t + ": " + java.util.Arrays.toString(meanChange));
        }
    }

    @Test
    void aGeneratorWithoutBaAndBlOnlyMovesTheCamera() {
        MotionGenerator g = new MotionGenerator(S, TINY, CameraParameterisation.PROBABILISTIC_AXIS, 2f, false, false);
        NDList out = run(g, m -> new NDList(window(m), m.randomNormal(new Shape(N, TINY.noise())),
                m.randomNormal(new Shape(N, TINY.noise())), m.randomNormal(new Shape(N, TINY.noise())),
                m.randomNormal(new Shape(N, TINY.noise())), m.randomNormal(new Shape(N, 3))));
        assertEquals(java.util.Arrays.toString(windows), java.util.Arrays.toString(read(out.get(0))), "BA passes through");
        assertEquals(java.util.Arrays.toString(windows), java.util.Arrays.toString(read(out.get(2))), "BL passes through");
        for (float c : read(out.get(1))) {
            assertEquals(0, c, 0, "no angle change without BA");
        }
        for (float r : read(out.get(3))) {
            assertEquals(0, r, 0, "no length ratio without BL");
        }
        assertEquals(S.symmetricBoneGroups().size(), out.get(3).getShape().get(1));
        float[] moved = read(out.get(4));
        for (int n = 0; n < N; n++) {
            for (int t = 0; t < T; t++) {
                for (int child = 1; child < J; child++) {
                    assertEquals(length(windows, n, t, child), length(moved, n, t, child), 1e-5, "RT is rigid");
                }
            }
        }
    }

    @Test
    void boneLengthsChangeBySymmetricRatiosAndKeepDirections() {
        BoneLengthGenerator bl = new BoneLengthGenerator(S, TINY);
        NDList out = run(bl, m -> new NDList(window(m), window(m), m.randomNormal(new Shape(N, TINY.noise()))));
        float[] changed = read(out.get(0));
        float[] ratios = read(out.get(1));
        List<int[]> groups = bl.groups();
        assertEquals(10, groups.size());
        for (int n = 0; n < N; n++) {
            for (int g = 0; g < groups.size(); g++) {
                double r = ratios[n * groups.size() + g];
                assertTrue(Math.abs(r) <= BoneLengthGenerator.RATIO_LIMIT, "ratio " + r);
                for (int b : groups.get(g)) {
                    int child = S.bones().get(b).child();
                    if (S.jointName(child).equals(BoneLengthGenerator.FIXED_GROUP_CHILD)) {
                        assertEquals(0, r, 0, "the spine-thorax group is fixed");
                    }
                    for (int t = 0; t < T; t++) {
                        // Both bones of a pair, in every frame, by the group's ratio; directions kept.
                        assertEquals(1 + r, length(changed, n, t, child) / length(windows, n, t, child), 1e-5);
                        assertEquals(1, cosine(windows, changed, n, t, child), 1e-5);
                    }
                }
            }
        }
        double spread = 0;
        for (float r : ratios) {
            spread += Math.abs(r);
        }
        assertTrue(spread / ratios.length > 1e-3, "the head changes lengths at all: mean |r| " + spread / ratios.length);
    }

    @Test
    void theCameraMovesThePoseRigidlyToAPositiveDepth() {
        for (CameraParameterisation p : CameraParameterisation.values()) {
            CameraGenerator rt = new CameraGenerator(S, TINY, p);
            NDList out = run(rt, m -> new NDList(window(m), window(m), m.randomNormal(new Shape(N, TINY.noise())),
                    m.randomNormal(new Shape(N, TINY.noise())), m.randomNormal(new Shape(N, 3))));
            float[] moved = read(out.get(0));
            float[] rotations = read(out.get(1));
            float[] translations = read(out.get(2));
            for (int n = 0; n < N; n++) {
                assertProperRotation(rotations, n, p);
                assertTrue(translations[n * 3 + 2] >= 0, p + ": depth " + translations[n * 3 + 2]);
                for (int t = 0; t < T; t++) {
                    int base = (n * T + t) * J * 3;
                    for (int k = 0; k < 3; k++) {
                        assertEquals(translations[n * 3 + k], moved[base + k], 1e-5, p + ": the root goes to t");
                    }
                    // Every joint: R·(x − root) + t.
                    for (int j = 0; j < J; j++) {
                        for (int r = 0; r < 3; r++) {
                            double expected = translations[n * 3 + r];
                            for (int c = 0; c < 3; c++) {
                                expected += rotations[n * 9 + r * 3 + c] * (windows[base + j * 3 + c] - windows[base + c]);
                            }
                            assertEquals(expected, moved[base + j * 3 + r], 1e-5, p + " joint " + j);
                        }
                    }
                }
            }
        }
    }

    private static void assertProperRotation(float[] r, int n, CameraParameterisation p) {
        int o = n * 9;
        for (int a = 0; a < 3; a++) {
            for (int b = 0; b < 3; b++) {
                double dot = 0;
                for (int k = 0; k < 3; k++) {
                    dot += r[o + k * 3 + a] * r[o + k * 3 + b];
                }
                assertEquals(a == b ? 1 : 0, dot, 1e-5, p + ": RᵀR");
            }
        }
        double det = r[o] * (r[o + 4] * r[o + 8] - r[o + 5] * r[o + 7]) - r[o + 1] * (r[o + 3] * r[o + 8] - r[o + 5] * r[o + 6])
                + r[o + 2] * (r[o + 3] * r[o + 7] - r[o + 4] * r[o + 6]);
        assertEquals(1, det, 1e-5, p + ": det R");
    }

    /**
     * Gradients reach the MLPs through Rodrigues' formula and the forward kinematics: Adam steps on the
     * mean bone-angle change of BA, and on the distance of RT's root depth to 4 m, lower both.
     */
    @Test
    void theHeadsLearnThroughTheirGeometry() {
        Engine.getInstance().setRandomSeed(7);
        double[] ba = descend(new BoneAngleGenerator(S, TINY), m -> new NDList(window(m),
                m.randomNormal(new Shape(N, TINY.noise()))), out -> out.get(1).mean());
        System.out.printf("BA mean angle change %.4f -> %.4f%n", ba[0], ba[1]);
        assertTrue(ba[1] < 0.5 * ba[0], "BA angle change " + ba[0] + " -> " + ba[1]);
        double[] rt = descend(new CameraGenerator(S, TINY, CameraParameterisation.PROBABILISTIC_AXIS),
                m -> new NDList(window(m), window(m), m.randomNormal(new Shape(N, TINY.noise())),
                        m.randomNormal(new Shape(N, TINY.noise())), m.randomNormal(new Shape(N, 3))),
                out -> out.get(2).get(":, 2").sub(4).square().mean());
        System.out.printf("RT (depth - 4 m)^2 %.4f -> %.4f%n", rt[0], rt[1]);
        assertTrue(rt[1] < 0.5 * rt[0], "RT depth loss " + rt[0] + " -> " + rt[1]);
    }

    /** The loss before and after 30 Adam steps (lr 1e-2), fresh noise each step; {first, last}. */
    static double[] descend(Block block, Function<NDManager, NDList> inputs, Function<NDList, NDArray> loss) {
        try (Model model = Model.newInstance("head", Device.cpu())) {
            model.setBlock(block);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(ResumableAdam.create(1e-2f, 0))
                    .optDevices(new Device[] {Device.cpu()});
            try (Trainer trainer = model.newTrainer(cfg)) {
                double first = Double.NaN;
                double last = Double.NaN;
                for (int step = 0; step < 30; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        NDList in = inputs.apply(scope);
                        if (step == 0) {
                            trainer.initialize(in.getShapes());
                        }
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDArray value = loss.apply(trainer.forward(in));
                            gc.backward(value);
                            last = value.getFloat();
                        }
                        trainer.step();
                    }
                    if (step == 0) {
                        first = last;
                    }
                }
                return new double[] {first, last};
            }
        }
    }
}
