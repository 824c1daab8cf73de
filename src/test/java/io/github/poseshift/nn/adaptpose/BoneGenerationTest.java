package io.github.poseshift.nn.adaptpose;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The paper's bone generators BG1 and BG2 (table 6) turn bones as eqs. 5–6 say, and the generator picks its design. */
class BoneGenerationTest {

    private static final Skeleton S = Skeletons.H36M17;
    private static final int N = 8;
    private static final int T = 9;
    private static final int J = 17;
    private static final GeneratorTrunk TINY = new GeneratorTrunk(32, 1, 8);

    /** N windows of T frames of synthetic motion (world metres), and the same with every frame the middle one. */
    private static float[] motion;
    private static float[] still;

    @BeforeAll
    static void windows() throws IOException {
        List<ViewSequence> views = SyntheticDomain.generate(Domains.resized(Domains.preset("h36m-like"), 3, 60), 11)
                .views();
        motion = new float[N * T * J * 3];
        still = new float[motion.length];
        int frame = J * 3;
        for (int n = 0; n < N; n++) {
            float[] p = views.get(n * 5).poses().positions();
            System.arraycopy(p, 0, motion, n * T * frame, T * frame);
            for (int t = 0; t < T; t++) {
                System.arraycopy(p, (T / 2) * frame, still, (n * T + t) * frame, frame);
            }
        }
    }

    private static NDArray noise(NDManager m, long seed, int n, int channels) {
        Random rng = new Random(seed);
        float[] z = new float[n * channels];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return m.create(z, new Shape(n, channels));
    }

    /**
     * Runs a fresh {@code block} (its parameters live in this call's manager; training mode: batch statistics) on
     * windows {@code w} and fixed noise; {moved, change}.
     */
    private static float[][] run(Block block, float[] w) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDList in = new NDList(m.create(w, new Shape(N, T, J, 3)), noise(m, 6, N, TINY.noise()));
            block.initialize(m, DataType.FLOAT32, in.getShapes());
            NDList out = block.forward(new ParameterStore(m, false), in, true);
            return new float[][] {out.get(0).toFloatArray(), out.get(1).toFloatArray()};
        }
    }

    /** Bone (child − parent) of pose (n, t) in windows w, unit length when {@code unit}. */
    private static double[] bone(float[] w, int n, int t, int child, boolean unit) {
        int parent = S.parent(child);
        double[] b = new double[3];
        for (int k = 0; k < 3; k++) {
            b[k] = w[((n * T + t) * J + child) * 3 + k] - w[((n * T + t) * J + parent) * 3 + k];
        }
        double length = Math.sqrt(dot(b, b));
        for (int k = 0; k < 3 && unit; k++) {
            b[k] /= length;
        }
        return b;
    }

    private static double dot(double[] a, double[] b) {
        return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    }

    /** The triple product [a, b, c]: zero when a lies in the plane of b and c. */
    private static double triple(double[] a, double[] b, double[] c) {
        return a[0] * (b[1] * c[2] - b[2] * c[1]) - a[1] * (b[0] * c[2] - b[2] * c[0]) + a[2] * (b[0] * c[1] - b[1] * c[0]);
    }

    private static BoneDisplacementGenerator[] heads() {
        return new BoneDisplacementGenerator[] {BoneDisplacementGenerator.bg1(S, TINY, T),
            BoneDisplacementGenerator.bg2(S, TINY, BoneAngleGenerator.Motion.CONSTANT),
            BoneDisplacementGenerator.bg2(S, TINY, BoneAngleGenerator.Motion.RAMP)};
    }

    @Test
    void displacementsTurnBonesAndKeepEveryLength() {
        for (BoneDisplacementGenerator head : heads()) {
            float[][] out = run(head, motion);
            float[] moved = out[0];
            float[] change = out[1];
            double meanChange = 0;
            for (int n = 0; n < N; n++) {
                for (int t = 0; t < T; t++) {
                    for (int child = 1; child < J; child++) {
                        String name = head.design() + " " + S.jointName(child) + " frame " + t;
                        double[] before = bone(motion, n, t, child, false);
                        double[] after = bone(moved, n, t, child, false);
                        assertEquals(Math.sqrt(dot(before, before)), Math.sqrt(dot(after, after)), 1e-5, name + " length");
                        double cos = dot(bone(motion, n, t, child, true), bone(moved, n, t, child, true));
                        float c = change[(n * T + t) * S.numBones() + child - 1];
                        assertEquals(1 - cos, c, 1e-5, name + ": angleChange is 1 - cos");
                        if (BoneAngleGenerator.FIXED_BONE_CHILDREN.contains(S.jointName(child))) {
                            assertEquals(1, cos, 1e-6, name + " is fixed");
                        }
                        meanChange += c / (N * T * (J - 1.0));
                    }
                    for (int k = 0; k < 3; k++) { // the root trajectory stays
                        assertEquals(motion[(n * T + t) * J * 3 + k], moved[(n * T + t) * J * 3 + k], 1e-6);
                    }
                }
            }
            assertTrue(meanChange > 1e-3, head.design() + " turns bones at all: mean 1 - cos " + meanChange);
        }
    }

    /**
     * BG2 adds one Δb to every frame: a still window stays still, and in a moving one each bone's new directions
     * v_t satisfy s_0·v_0 − s_t·v_t = u_0 − u_t, so u_0 − u_t lies in the plane of v_0 and v_t. BG1's Δb differ
     * from frame to frame: a still window starts to move and the plane test fails.
     */
    @Test
    void bg2AddsOneDisplacementToEveryFrameAndBg1OneEach() {
        float[] bg1 = run(heads()[0], still)[0];
        float[] bg2 = run(heads()[1], still)[0];
        double bg1Spread = 0;
        for (int n = 0; n < N; n++) {
            for (int t = 1; t < T; t++) {
                for (int i = 0; i < J * 3; i++) {
                    assertEquals(bg2[(n * T) * J * 3 + i], bg2[(n * T + t) * J * 3 + i], 1e-6, "BG2 keeps a still window still");
                    bg1Spread = Math.max(bg1Spread, Math.abs(bg1[(n * T) * J * 3 + i] - bg1[(n * T + t) * J * 3 + i]));
                }
            }
        }
        assertTrue(bg1Spread > 1e-2, "BG1 moves a still window: largest change " + bg1Spread);
        float[] moving2 = run(heads()[1], motion)[0];
        float[] moving1 = run(heads()[0], motion)[0];
        double worst2 = 0;
        double worst1 = 0;
        for (int n = 0; n < N; n++) {
            for (int child = 1; child < J; child++) {
                for (int t = 1; t < T; t++) {
                    double[] u0 = bone(motion, n, 0, child, true);
                    double[] ut = bone(motion, n, t, child, true);
                    double[] c = {u0[0] - ut[0], u0[1] - ut[1], u0[2] - ut[2]};
                    worst2 = Math.max(worst2, Math.abs(triple(c, bone(moving2, n, 0, child, true), bone(moving2, n, t, child, true))));
                    worst1 = Math.max(worst1, Math.abs(triple(c, bone(moving1, n, 0, child, true), bone(moving1, n, t, child, true))));
                }
            }
        }
        System.out.printf("still window: BG1 largest frame change %.3g; moving: worst triple product BG2 %.3g, BG1 %.3g%n",
                bg1Spread, worst2, worst1);
        assertTrue(worst2 < 1e-5, "BG2: one displacement for all frames, worst triple product " + worst2);
        assertTrue(worst1 > 1e-3, "BG1: a displacement per frame, worst triple product " + worst1);
    }

    @Test
    void bg1IsBuiltForOneWindowLength() {
        assertThrows(IllegalArgumentException.class, () -> BoneDisplacementGenerator.bg1(S, TINY, 0));
        BoneDisplacementGenerator bg1 = BoneDisplacementGenerator.bg1(S, TINY, T + 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(bg1, motion));
        assertTrue(e.getMessage().contains("11 frames, got 9"), e.getMessage());
    }

    /** Gradients reach the MLPs through the normalisation and the forward kinematics: Adam lowers the turns. */
    @Test
    void theDisplacementHeadsLearnThroughTheirGeometry() {
        Engine.getInstance().setRandomSeed(7);
        for (BoneDisplacementGenerator head : heads()) {
            long[] step = {0};
            double[] change = GeneratorHeadsTest.descend(head, m -> new NDList(m.create(motion, new Shape(N, T, J, 3)),
                    noise(m, 100 + step[0]++, N, TINY.noise())), out -> out.get(1).mean());
            System.out.printf("%s mean angle change %.4f -> %.4f%n", head.design(), change[0], change[1]);
            assertTrue(change[1] < 0.5 * change[0], head.design() + " angle change " + change[0] + " -> " + change[1]);
        }
    }

    /** The generator builds the design asked for; BG3 by default, with the same numbers as before the option. */
    @Test
    void theGeneratorPicksItsBoneDesign() {
        float[][] outputs = new float[2][];
        for (int i = 0; i < 2; i++) {
            MotionGenerator g = i == 0 ? new MotionGenerator(S, TINY, CameraParameterisation.PROBABILISTIC_AXIS, 2f)
                    : new MotionGenerator(S, TINY, CameraParameterisation.PROBABILISTIC_AXIS, 2f, true, true,
                            BoneGeneration.BG3, 0);
            assertEquals(BoneGeneration.BG3, g.boneGeneration());
            outputs[i] = generate(g)[4];
        }
        assertArrayEquals(outputs[0], outputs[1], 0f, "BG3 is the default, to the bit");
        for (BoneGeneration design : new BoneGeneration[] {BoneGeneration.BG1, BoneGeneration.BG2}) {
            MotionGenerator g = new MotionGenerator(S, TINY, CameraParameterisation.PROBABILISTIC_AXIS, 2f, true, true,
                    design, T);
            assertEquals(design, g.boneGeneration());
            Block head = g.getChildren().values().get(0);
            assertInstanceOf(BoneDisplacementGenerator.class, head);
            assertEquals(design, ((BoneDisplacementGenerator) head).design());
            float[][] out = generate(g);
            assertEquals(N * T * J * 3, out[0].length);
            assertEquals(N * T * S.numBones(), out[1].length);
        }
    }

    /** The generator's seven outputs on the moving windows, as float arrays (seeded initialisation and noise). */
    private static float[][] generate(MotionGenerator g) {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(9);
            NDList in = new NDList(m.create(motion, new Shape(N, T, J, 3)), noise(m, 1, N, TINY.noise()),
                    noise(m, 2, N, TINY.noise()), noise(m, 3, N, TINY.noise()), noise(m, 4, N, TINY.noise()), noise(m, 5, N, 3));
            g.initialize(m, DataType.FLOAT32, in.getShapes());
            NDList out = g.forward(new ParameterStore(m, false), in, true);
            float[][] arrays = new float[out.size()][];
            for (int i = 0; i < arrays.length; i++) {
                arrays[i] = out.get(i).toFloatArray();
            }
            return arrays;
        }
    }
}
