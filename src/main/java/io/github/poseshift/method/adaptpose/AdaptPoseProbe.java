package io.github.poseshift.method.adaptpose;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.EpochOrder;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.adaptpose.GeneratorOutput;
import io.github.poseshift.nn.adaptpose.MotionGenerator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Collects a {@link Snapshot} of the same {@code size} source windows (drawn once, seeded) before training and
 * after every epoch, for looking at (notebook 03). A snapshot runs the generator and the lifter in evaluation
 * mode and draws its noise from the probe's own generator, never the training's, so a probed run trains as an
 * unprobed one does.
 *
 * <p>A probe given windows to evaluate on ({@link #evaluatingOn}) also records the lifter's MPJPE on them after
 * every epoch: the cross-dataset error curve of the supplementary's fig. 9, for looking at — the benchmark never
 * picks an epoch by it.
 */
public final class AdaptPoseProbe {

    /**
     * What the generator makes of the probe's source windows at one point of training: centre frames, each pose
     * {@code [J*3]} in metres.
     *
     * @param epoch               0 before the first step, else after that epoch
     * @param source              the source poses, root-relative, in the source camera's coordinates
     * @param afterBoneAngles     after BA (sec. 3.1, bone rotations), same frame
     * @param afterBoneLengths    after BA and BL (bone-length changes), same frame
     * @param afterCamera         after RT: the generated camera's coordinates, root-relative
     * @param boneLengthRatios    BL's ratios r per symmetric bone group, {@code [groups]} per sample
     * @param sourceViewpoints    where the source camera stood: {elevation °, azimuth °, distance m}
     *                            ({@link DomainGap#viewpoint})
     * @param generatedViewpoints where the generated camera stands, same conventions, in the source sample's world
     * @param errorRatio          the lifter's error on the generated window over its error on the source window
     * @param kept                whether selection (sec. 4.4) keeps the generated window for training the lifter
     */
    public record Snapshot(int epoch, float[][] source, float[][] afterBoneAngles, float[][] afterBoneLengths,
            float[][] afterCamera, float[][] boneLengthRatios, double[][] sourceViewpoints, double[][] generatedViewpoints,
            double[] errorRatio, boolean[] kept) {

        /** How many windows the snapshot holds. */
        public int size() {
            return source.length;
        }

        /** The share of generated windows selection keeps, in [0, 1]. */
        public double keptShare() {
            int k = 0;
            for (boolean b : kept) {
                k += b ? 1 : 0;
            }
            return (double) k / kept.length;
        }
    }

    private final int size;
    private final long seed;
    private final List<Snapshot> snapshots = new ArrayList<>();
    private final List<double[]> errorCurve = new ArrayList<>();
    private PoseDataset evaluation;
    private Windows windows;

    /** A probe of {@code size} windows drawn with {@code seed}. */
    public AdaptPoseProbe(int size, long seed) {
        if (size < 1) {
            throw new IllegalArgumentException("a probe needs at least one window, got " + size);
        }
        this.size = size;
        this.seed = seed;
    }

    /**
     * This probe, also recording the lifter's MPJPE on {@code windows} (a target's test windows) before training and
     * after every epoch.
     */
    public AdaptPoseProbe evaluatingOn(PoseDataset windows) {
        this.evaluation = windows;
        return this;
    }

    /**
     * The lifter's MPJPE on the evaluation windows, mm, as {@code {epochs, MPJPE}} (epoch 0: before adapting);
     * empty without {@link #evaluatingOn}.
     */
    public double[][] errorCurve() {
        return new double[][] {errorCurve.stream().mapToDouble(p -> p[0]).toArray(),
            errorCurve.stream().mapToDouble(p -> p[1]).toArray()};
    }

    /** The snapshots taken so far, in order (epoch 0 first). */
    public List<Snapshot> snapshots() {
        return List.copyOf(snapshots);
    }

    /** The first snapshot (before training). */
    public Snapshot first() {
        return snapshots.get(0);
    }

    /** The last snapshot (after training). */
    public Snapshot last() {
        return snapshots.get(snapshots.size() - 1);
    }

    /**
     * The probe's windows — {@code size} distinct source samples drawn with the probe's seed — with where their
     * cameras stand and the world's up in their camera coordinates, which every snapshot needs and none changes.
     */
    private record Windows(int[] indices, double[][] sourceViewpoints, double[][] upInCamera) {}

    /**
     * Takes the snapshot after {@code epoch} (0: before training): the generator's and the lifter's work on the
     * probe's windows, in evaluation mode (no batch-norm update, no dropout) with noise from the probe's seed and
     * the first target intrinsics.
     */
    void take(int epoch, PoseDataset source, List<Camera.Intrinsics> intrinsics, MotionGenerator generator, Block lifter,
            AdaptPoseConfig config, Device device) {
        if (windows == null) {
            int[] all = EpochOrder.shuffled(source.size(), new Random(seed));
            int[] indices = Arrays.copyOf(all, Math.min(size, all.length));
            List<double[]> viewpoints = source.viewpoints();
            windows = new Windows(indices, Arrays.stream(indices).mapToObj(viewpoints::get).toArray(double[][]::new),
                    Arrays.stream(indices).mapToObj(source::upInCamera).toArray(double[][]::new));
        }
        if (evaluation != null) {
            errorCurve.add(new double[] {epoch, meanMpjpeMm(evaluation, lifter, device)});
        }
        int[] indices = windows.indices();
        int n = indices.length;
        int joints = source.skeleton().numJoints();
        int frames = source.config().receptiveField();
        int centre = frames / 2;
        int noise = config.trunk().noise();
        Random rng = new Random(seed * 31 + 7);
        try (NDManager scope = NDManager.newBaseManager(device)) {
            NDArray sourceWindows = scope.create(source.targetWindows(indices, new boolean[n]),
                    new Shape(n, frames, joints, 3));
            NDList in = new NDList(sourceWindows);
            for (int i = 0; i < 4; i++) {
                in.add(scope.create(gaussians(rng, n * noise), new Shape(n, noise)));
            }
            in.add(scope.create(gaussians(rng, n * 3), new Shape(n, 3)));
            GeneratorOutput out = GeneratorOutput.of(generator.forward(new ParameterStore(scope, false), in, false));
            NDArray projected = PoseTensors.projectNormalised(out.afterCamera(), intrinsics.get(0));
            float[] inputs = new float[n * frames * joints * 2];
            float[] targets = new float[n * joints * 3];
            for (int i = 0; i < n; i++) {
                PoseDataset.Sample sample = source.sample(indices[i], false);
                System.arraycopy(sample.input(), 0, inputs, i * frames * joints * 2, frames * joints * 2);
                System.arraycopy(sample.target(), 0, targets, i * joints * 3, joints * 3);
            }
            float[] sourceError = LifterFeedback.perSampleMpjpe(lifter, scope.create(inputs, new Shape(n, frames, joints * 2L)),
                    scope.create(targets, new Shape(n, joints, 3))).toFloatArray();
            NDArray cameraCentre = out.afterCamera().get(":, " + centre);
            NDArray generatedTargets = cameraCentre.sub(cameraCentre.get(":, 0:1, :"));
            float[] generatedError = LifterFeedback.perSampleMpjpe(lifter, projected.reshape(n, frames, joints * 2L),
                    generatedTargets).toFloatArray();
            float[] inside = projected.abs().reshape(n, -1).max(new int[] {1}).toFloatArray();
            float[] absolute = cameraCentre.toFloatArray();
            float[] rotations = out.rotations().toFloatArray();
            int lhip = source.skeleton().indexOf("LHip");
            int rhip = source.skeleton().indexOf("RHip");
            double[][] generatedVp = new double[n][];
            double[] errorRatio = new double[n];
            boolean[] kept = new boolean[n];
            for (int i = 0; i < n; i++) {
                // The generated camera turns the source camera's coordinates by R, so the world's up turns with them.
                double[] up = windows.upInCamera()[i];
                double[] turnedUp = new double[3];
                for (int r = 0; r < 3; r++) {
                    for (int c = 0; c < 3; c++) {
                        turnedUp[r] += rotations[i * 9 + r * 3 + c] * up[c];
                    }
                }
                int o = i * joints * 3;
                generatedVp[i] = DomainGap.viewpointInCamera(joint(absolute, o, 0), joint(absolute, o, lhip),
                        joint(absolute, o, rhip), turnedUp);
                errorRatio[i] = generatedError[i] / sourceError[i];
                kept[i] = LifterFeedback.selected(config, inside[i], generatedError[i], sourceError[i]);
            }
            snapshots.add(new Snapshot(epoch, centres(sourceWindows, centre, n), centres(out.afterBoneAngles(), centre, n),
                    centres(out.afterBoneLengths(), centre, n), rows(generatedTargets.toFloatArray(), n),
                    rows(out.ratios().toFloatArray(), n), windows.sourceViewpoints(), generatedVp, errorRatio, kept));
        }
    }

    /** The lifter's mean MPJPE over {@code test}'s windows, mm, in evaluation mode, 1024 windows at a time. */
    private static double meanMpjpeMm(PoseDataset test, Block lifter, Device device) {
        int joints = test.skeleton().numJoints();
        int frames = test.config().receptiveField();
        double sum = 0;
        for (int from = 0; from < test.size(); from += 1024) {
            int n = Math.min(1024, test.size() - from);
            float[] inputs = new float[n * frames * joints * 2];
            float[] targets = new float[n * joints * 3];
            for (int i = 0; i < n; i++) {
                PoseDataset.Sample sample = test.sample(from + i, false);
                System.arraycopy(sample.input(), 0, inputs, i * frames * joints * 2, frames * joints * 2);
                System.arraycopy(sample.target(), 0, targets, i * joints * 3, joints * 3);
            }
            try (NDManager scope = NDManager.newBaseManager(device)) {
                sum += LifterFeedback.perSampleMpjpe(lifter, scope.create(inputs, new Shape(n, frames, joints * 2L)),
                        scope.create(targets, new Shape(n, joints, 3))).sum().getFloat();
            }
        }
        return 1000 * sum / test.size();
    }

    private static float[] gaussians(Random rng, int count) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = (float) rng.nextGaussian();
        }
        return out;
    }

    private static double[] joint(float[] poses, int offset, int joint) {
        return new double[] {poses[offset + joint * 3], poses[offset + joint * 3 + 1], poses[offset + joint * 3 + 2]};
    }

    /** The centre frame of windows {@code [n, F, J, 3]}, root-relative, one row per window. */
    private static float[][] centres(NDArray windows, int centre, int n) {
        NDArray c = windows.get(":, " + centre);
        return rows(c.sub(c.get(":, 0:1, :")).toFloatArray(), n);
    }

    private static float[][] rows(float[] flat, int n) {
        int width = flat.length / n;
        float[][] out = new float[n][];
        for (int i = 0; i < n; i++) {
            out[i] = Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }
}
