package io.github.poseshift.method.poseda;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.nn.adaptpose.BoneAngleGenerator;
import java.util.Random;

/**
 * What GPA and LPA make of a fixed set of source windows, for looking at (notebook 04): normalised 2D centre
 * frames {@code [n][J][2]} of the source as filmed, after GPA and of the target poses drawn for them, and the
 * largest bone turn LPA applied to each, radians. Filled after training.
 */
public final class PoseDAProbe {
    private final int size;
    private final long seed;
    private float[] source2d;
    private float[] aligned2d;
    private float[] target2d;
    private float[] turns;

    /** A probe of {@code size} source windows drawn with {@code seed}. */
    public PoseDAProbe(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("a probe needs at least one window, got " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    /** The source's 2D centre frames as filmed. */
    public float[] source2d() {
        return filled(source2d).clone();
    }

    /** The same windows after GPA. */
    public float[] aligned2d() {
        return filled(aligned2d).clone();
    }

    /** The target poses GPA aligned them to. */
    public float[] target2d() {
        return filled(target2d).clone();
    }

    private float[] filled(float[] values) {
        if (count == 0) {
            throw new IllegalStateException("the probe is filled when its PoseDA run ends; it has not run yet");
        }
        return values;
    }

    /** The largest bone turn of each augmented pose, radians (null when LPA did not run). */
    public float[] largestTurns() {
        return turns == null ? null : turns.clone();
    }

    /** How many windows the probe holds (0 before training ends). */
    public int size() {
        return count;
    }

    private int count;

    /** Fills the probe: GPA and LPA on {@code size} source windows drawn with its seed, evaluation mode. */
    void fill(PoseDataset source, PoseDataset target, GlobalPositionAlignment gpa, BoneAngleGenerator generator,
            PoseDAConfig config, Device device) {
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int root = source.skeleton().root();
        Random rng = new Random(seed);
        int n = Math.min(size, source.size());
        int[] indices = new int[n];
        int[] drawn = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = rng.nextInt(source.size());
            drawn[i] = rng.nextInt(target.size());
        }
        boolean[] unflipped = new boolean[n];
        float[] windows = source.targetWindows(indices, unflipped);
        float[] roots = source.rootTrajectories(indices, unflipped);
        float[] drawn2d = target.centreInputs(drawn);
        Camera.Intrinsics[] cameras = new Camera.Intrinsics[n];
        for (int i = 0; i < n; i++) {
            cameras[i] = target.intrinsics(drawn[i], false);
        }
        source2d = source.centreInputs(indices);
        target2d = drawn2d;
        aligned2d = WindowArrays.centreFrames(gpa.align(windows, roots, drawn2d, cameras, joints, root).inputs(), n, frames, joints, 2);
        count = n;
        if (config.variant().augmentation()) {
            try (NDManager scope = NDManager.newBaseManager(device)) {
                NDArray w = scope.create(windows, new Shape(n, frames, joints, 3));
                float[] noise = new float[n * config.trunk().noise()];
                for (int i = 0; i < noise.length; i++) {
                    noise[i] = (float) rng.nextGaussian();
                }
                NDList out = generator.forward(new ParameterStore(scope, false),
                        new NDList(w, scope.create(noise, new Shape(n, config.trunk().noise()))), false);
                // angleChange = 1 − cos(turn): the largest turn of each pose's bones.
                float[] change = out.get(1).get(":, " + frames / 2).max(new int[] {1}).toFloatArray();
                turns = new float[n];
                for (int i = 0; i < n; i++) {
                    turns[i] = (float) Math.acos(Math.max(-1, Math.min(1, 1 - change[i])));
                }
            }
        }
    }
}
