package io.github.poseshift.method.ahup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.geometry.SkeletonDescriptor;
import io.github.poseshift.loss.SkeletonDescriptorLoss;
import io.github.poseshift.method.Methods;
import io.github.poseshift.nn.SimpleBaseline;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.nn.ahup.SpaLifter;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.BaselineTraining;
import io.github.poseshift.train.Checkpoint;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import io.github.poseshift.train.LifterTraining;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkeletalPoseAdaptationTest {

    private static final Skeleton H36M = Skeletons.H36M17;

    /**
     * A pose with hand-picked bones, root-relative metres (x right, y down): legs of 0.4 m (the right thigh along a
     * 3-4-5 triangle), spine 0.2 + 0.25, neck and head 0.1, shoulders 0.15 each side of the thorax on one slanted
     * line (shoulder width 0.3 m), upper arms 0.3, forearms 0.25.
     */
    static double[] handBuiltPose() {
        double[][] joints = new double[17][];
        joints[0] = new double[] {0, 0, 0};                 // Hip
        joints[1] = new double[] {-0.1, 0, 0};              // RHip      0.1
        joints[2] = new double[] {0.14, 0.32, 0};           // RKnee     |(0.24, 0.32, 0)| = 0.4
        joints[3] = new double[] {0.14, 0.72, 0};           // RFoot     0.4
        joints[4] = new double[] {0.1, 0, 0};               // LHip      0.1
        joints[5] = new double[] {0.1, 0.4, 0};             // LKnee     0.4
        joints[6] = new double[] {0.1, 0.8, 0};             // LFoot     0.4
        joints[7] = new double[] {0, -0.2, 0};              // Spine     0.2
        joints[8] = new double[] {0, -0.45, 0};             // Thorax    0.25
        joints[9] = new double[] {0, -0.55, 0};             // Neck      0.1
        joints[10] = new double[] {0, -0.65, 0};            // Head      0.1
        joints[11] = new double[] {0.12, -0.45, 0.09};      // LShoulder |(0.12, 0, 0.09)| = 0.15
        joints[12] = new double[] {0.12, -0.15, 0.09};      // LElbow    0.3
        joints[13] = new double[] {0.12, 0.10, 0.09};       // LWrist    0.25
        joints[14] = new double[] {-0.12, -0.45, -0.09};    // RShoulder 0.15
        joints[15] = new double[] {-0.12, -0.15, -0.09};    // RElbow    0.3
        joints[16] = new double[] {-0.12, 0.10, -0.09};     // RWrist    0.25
        double[] pose = new double[51];
        for (int j = 0; j < 17; j++) {
            System.arraycopy(joints[j], 0, pose, j * 3, 3);
        }
        return pose;
    }

    /** The hand-built pose's bone lengths by child joint (index = joint; the root has none). */
    private static final double[] HAND_LENGTHS = {0, 0.1, 0.4, 0.4, 0.1, 0.4, 0.4, 0.2, 0.25, 0.1, 0.1, 0.15, 0.3, 0.25,
        0.15, 0.3, 0.25};

    @Test
    void theDescriptorOfAHandBuiltPoseIsItsBonesOverItsShoulderWidth() {
        SkeletonDescriptor descriptor = new SkeletonDescriptor(H36M);
        double[] pose = handBuiltPose();
        assertEquals(16, descriptor.size());
        assertEquals(0.3, descriptor.shoulderWidth(pose), 1e-12);
        double[] d = descriptor.of(pose);
        for (int b = 0; b < 16; b++) {
            int child = H36M.bones().get(b).child();
            assertEquals(HAND_LENGTHS[child] / 0.3, d[b], 1e-12, "bone to " + H36M.jointName(child));
        }
        // Scale-free: the same body twice as large has the same descriptor.
        assertArrayEquals(d, descriptor.of(PoseArray.of(pose, 17).scaled(2).pose(0)), 1e-12);
        assertEquals(0, SkeletonDescriptor.distance(d, descriptor.mean(PoseArray.of(pose, 17).scaled(0.5))), 1e-12);
    }

    @Test
    void aSkeletonWithoutShouldersIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SkeletonDescriptor(Skeletons.MPI_INF_3DHP17));
        assertTrue(e.getMessage().contains("skeleton 'mpi_inf_3dhp17' has no joint 'LShoulder'"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SkeletonDescriptorLoss(Skeletons.MPI_INF_3DHP17));
        assertTrue(e.getMessage().contains("'mpi_inf_3dhp17' has no joint 'LShoulder'"), e.getMessage());
        double[] collapsed = new double[51];
        e = assertThrows(IllegalArgumentException.class, () -> new SkeletonDescriptor(H36M).of(collapsed));
        assertTrue(e.getMessage().contains("shoulders coincide"), e.getMessage());
    }

    /**
     * A target mean d̄ with longer thighs (+10%), shorter shins (−5%) and longer forearms (+20%) than the
     * hand-built pose, shoulders unchanged. A pose rebuilt from the hand-built one's bone directions with lengths
     * d̄·s has exactly d̄'s proportions at any size s (its shoulders stay on one line, so its width is s): the loss
     * is zero for it, and for the hand-built pose it is the sum of the squared differences, computed by hand.
     */
    @Test
    void theDescriptorLossIsZeroForAPoseWithTheTargetMeanProportionsAndPositiveOtherwise() {
        SkeletonDescriptor descriptor = new SkeletonDescriptor(H36M);
        double[] pose = handBuiltPose();
        double[] d = descriptor.of(pose);
        double[] targetMean = d.clone();
        double expected = 0;
        for (int b = 0; b < 16; b++) {
            String joint = H36M.jointName(H36M.bones().get(b).child());
            double factor = switch (joint) {
                case "RKnee", "LKnee" -> 1.10;
                case "RFoot", "LFoot" -> 0.95;
                case "LWrist", "RWrist" -> 1.20;
                default -> 1;
            };
            targetMean[b] = d[b] * factor;
            expected += (d[b] - targetMean[b]) * (d[b] - targetMean[b]);
        }
        double[] adapted = withProportions(pose, targetMean, 0.37);
        assertArrayEquals(targetMean, descriptor.of(adapted), 1e-12, "the rebuilt pose has d̄'s proportions");
        float[] mean = toFloats(targetMean);
        SkeletonDescriptorLoss loss = new SkeletonDescriptorLoss(H36M);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray poses = m.create(toFloats(concat(adapted, pose)), new Shape(2, 17, 3));
            assertArrayEquals(toFloats(concat(targetMean, d)), loss.descriptors(poses).toFloatArray(), 1e-6f,
                    "the NDArray twin agrees with the plain descriptor");
            assertEquals(0, loss.loss(poses.get("0:1"), mean).getFloat(), 1e-6);
            float off = loss.loss(poses.get("1:2"), mean).getFloat();
            assertEquals(expected, off, 1e-6);
            assertTrue(off > 0.05, "loss " + off);
            // The loss is a mean over poses; the mean squared error a mean over poses and bones.
            assertEquals(expected / 2, loss.loss(poses, mean).getFloat(), 1e-6);
            assertEquals(expected / 2 / 16, loss.meanSquaredError(poses, mean).getFloat(), 1e-7);
            assertEquals(0, loss.meanSquaredError(poses.get("0:1"), mean).getFloat(), 1e-7);
            assertThrows(IllegalArgumentException.class, () -> loss.loss(poses, new float[15]));
        }
    }

    /** {@code pose}'s bone directions with lengths {@code descriptor·scale}, joints rebuilt from the root. */
    private static double[] withProportions(double[] pose, double[] descriptor, double scale) {
        double[] out = new double[pose.length];
        List<Skeleton.Bone> bones = H36M.bones();
        // H36M-17 lists every parent before its children, so one pass in bone order rebuilds the joints.
        for (int b = 0; b < bones.size(); b++) {
            int p = bones.get(b).parent();
            int c = bones.get(b).child();
            double[] v = new double[3];
            double len = 0;
            for (int k = 0; k < 3; k++) {
                v[k] = pose[c * 3 + k] - pose[p * 3 + k];
                len += v[k] * v[k];
            }
            len = Math.sqrt(len);
            for (int k = 0; k < 3; k++) {
                out[c * 3 + k] = out[p * 3 + k] + v[k] / len * descriptor[b] * scale;
            }
        }
        return out;
    }

    /**
     * The head starts as the identity (its last layer is zero), so a lifter with a fresh head predicts what the
     * lifter alone does; with any weights its output is its input plus the MLP's output.
     */
    @Test
    void theHeadIsResidualAndStartsAsTheIdentity() {
        SimpleBaseline.Config config = new SimpleBaseline.Config(17, 32, 2, 0.5f);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            Block head = SpaLifter.head(config);
            head.initialize(m, DataType.FLOAT32, new Shape(8, 51));
            NDArray x = m.randomNormal(new Shape(8, 51)).mul(300f);
            ParameterStore store = new ParameterStore(m, false);
            NDArray fresh = head.forward(store, new NDList(x), false).singletonOrThrow();
            assertArrayEquals(x.toFloatArray(), fresh.toFloatArray(), 0f, "a fresh head is the identity");

            // Random weights everywhere, the zero-initialised last layer included (batch-norm statistics kept).
            head.getParameters().values().stream().filter(p -> p.getType() == ai.djl.nn.Parameter.Type.WEIGHT)
                    .forEach(p -> p.getArray().set(m.randomNormal(p.getArray().getShape()).mul(0.1f).toFloatArray()));
            Block mlp = ((ParallelBlock) head).getChildren().get(0).getValue();
            NDArray out = head.forward(store, new NDList(x), false).singletonOrThrow();
            NDArray correction = mlp.forward(store, new NDList(x), false).singletonOrThrow();
            assertTrue(correction.abs().max().getFloat() > 1, "the MLP's output is not trivially zero");
            assertArrayEquals(x.add(correction).toFloatArray(), out.toFloatArray(), 1e-3f, "output = input + MLP(input)");
        }

        TemporalConvNet.Config net = new TemporalConvNet.Config(17, new int[] {3, 3}, 16, 0.25f, false);
        try (Model model = Model.newInstance("spa", Device.cpu())) {
            Engine.getInstance().setRandomSeed(4);
            TemporalConvNet lifter = new TemporalConvNet(net);
            SpaLifter refined = SpaLifter.of(lifter, config, SpaLifter.head(config));
            model.setBlock(refined);
            refined.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(4, 9, 34));
            ParameterStore store = new ParameterStore(model.getNDManager(), false);
            NDArray windows = model.getNDManager().randomNormal(new Shape(4, 9, 34)).mul(0.3f);
            NDArray alone = lifter.forward(store, new NDList(windows), false).singletonOrThrow();
            NDArray withHead = refined.forward(store, new NDList(windows), false).singletonOrThrow();
            assertEquals(alone.getShape(), withHead.getShape());
            assertArrayEquals(alone.toFloatArray(), withHead.toFloatArray(), 1e-6f);
            // The dilated form (a longer sequence, one pose per frame) goes through the head frame by frame.
            NDArray sequence = model.getNDManager().randomNormal(new Shape(1, 20, 34));
            assertEquals(new Shape(1, 12, 51), refined.forward(store, new NDList(sequence), false).singletonOrThrow()
                    .getShape());
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SpaLifter.Config(net, new SimpleBaseline.Config(16, 32, 2, 0.5f)));
    }

    /**
     * A target that differs from the lab only in its bodies (notebook 05's): thighs and shins 15% longer, upper arms
     * and forearms 10% shorter, the lab's cameras and motions.
     */
    static DomainSpec longLegs() throws IOException {
        return Domains.parse("""
                {"name": "h36m-longlegs", "extends": "h36m-like",
                 "body": {"heightM": [1.55, 1.90], "boneRatioStd": 0.03,
                          "boneRatioMean": {"thigh": 0.15, "shin": 0.15, "upper_arm": -0.1, "forearm": -0.1}}}
                """, "h36m-longlegs", null);
    }

    /** The source's and a target's data at the tiny budget, cut as the benchmark cuts them (seed 0). */
    private record Tiny(PoseDataset train, PoseDataset heldOut, double[] targetMean) {
        static Tiny of(DomainSpec targetSpec) throws IOException {
            CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.byName("tiny");
            DomainSpec source = Domains.preset("h36m-like");
            DomainSpec src = tiny.apply(source);
            SyntheticDomain domain = CrossDatasetBenchmark.generate(source, tiny, 0);
            PoseDataset.Config windows = tiny.trainWindows(src.motion().fps());
            return new Tiny(PoseDataset.of(domain.views(), src.split().trainSubjects(), windows),
                    PoseDataset.of(domain.views(), src.split().testSubjects(), windows),
                    SkeletalPoseAdaptation.targetMeanDescriptor(CrossDatasetBenchmark.generate(targetSpec, tiny, 0),
                            tiny.apply(targetSpec), windows));
        }
    }

    /** A model holding a tiny-budget lifter with random weights drawn under {@code seed}. */
    private static Model randomLifter(int seed) {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.byName("tiny");
        Model model = Model.newInstance("lifter-" + seed, Device.cpu());
        Engine.getInstance().setRandomSeed(seed);
        TemporalConvNet net = new TemporalConvNet(tiny.network());
        net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, net.receptiveField(), 34));
        model.setBlock(net);
        return model;
    }

    /**
     * The paper's variant learns from the source's true poses (§4.1), so the lifter it is put after does not enter
     * its training: two lifters with different weights give bit-identical histories and heads under one seed. The
     * earlier variant learns on the lifter's outputs, so there the two differ.
     */
    @Test
    void thePaperVariantTrainsOnGroundTruthNotOnTheLiftersOutputs() throws IOException {
        Tiny data = Tiny.of(longLegs());
        SimpleBaseline.Config narrow = new SimpleBaseline.Config(17, 64, 2, 0.5f);
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.byName("tiny");
        for (SpaConfig.Variant variant : SpaConfig.Variant.values()) {
            SpaConfig config = SpaConfig.forBudget(variant, tiny).withHead(narrow).withEpochs(2);
            float[][] outputs = new float[2][];
            History[] histories = new History[2];
            for (int k = 0; k < 2; k++) {
                try (Model lifter = randomLifter(11 + k)) {
                    histories[k] = SkeletalPoseAdaptation.adapt(lifter, data.train(), data.targetMean(), config, 5, null);
                    outputs[k] = headOutput((SpaLifter) lifter.getBlock(), poses(data.heldOut()));
                }
            }
            if (variant == SpaConfig.Variant.PAPER) {
                assertEquals(histories[0].toCsv(), histories[1].toCsv(), "the paper's head never sees the lifter");
                assertArrayEquals(outputs[0], outputs[1], 0f);
            } else {
                assertNotEquals(histories[0].last("l1_loss_mm"), histories[1].last("l1_loss_mm"),
                        "the earlier variant learns on the lifter's outputs");
            }
        }
    }

    /**
     * The paper's SPA at the tiny budget's settings (14 epochs of batches of 256, Adam 1e-3, λ = 1), seed 0, toward
     * h36m-longlegs: on the source's <em>held-out</em> subjects' true poses — bodies it never trained on — the head
     * moves every joint by a few millimetres (y_SPA = y + f(y), f small) and pulls the poses' proportions toward s̄.
     * Measured (one thread): mean per-joint |f(y)| 11.7 mm; mean over poses and bones of (s − s̄)² 0.0170 → 0.0033;
     * in training 0.0096 (first epoch) → 0.0017 (last).
     */
    @Test
    void thePapersSpaPullsUnseenSourceBodiesTowardTheTargetProportionsWithASmallCorrection() throws IOException {
        Tiny data = Tiny.of(longLegs());
        SpaConfig config = SkeletalPoseAdaptation.forBudget(CrossDatasetBenchmark.Budget.byName("tiny"));
        assertEquals(SpaConfig.Variant.PAPER, config.variant());
        assertEquals(14, config.epochs());
        assertEquals(256, config.batchSize());
        long start = System.nanoTime();
        History h;
        float[] y = poses(data.heldOut());
        float[] ySpa;
        try (Model lifter = randomLifter(3)) {
            h = SkeletalPoseAdaptation.adapt(lifter, data.train(), data.targetMean(), config, 0, null);
            ySpa = headOutput((SpaLifter) lifter.getBlock(), y);
        }
        double f = meanDistance(PoseArray.of(y, 17), PoseArray.of(ySpa, 17)) / 1000; // mm: the arrays are in mm
        SkeletonDescriptor descriptor = new SkeletonDescriptor(H36M);
        double before = descriptor.meanSquaredDistance(PoseArray.of(y, 17), data.targetMean()) / 16;
        double after = descriptor.meanSquaredDistance(PoseArray.of(ySpa, 17), data.targetMean()) / 16;
        List<History.Point> term = h.series("descriptor_loss");
        System.out.printf("paper SPA, tiny, h36m-longlegs (%.0f s): held-out source poses mean |f(y)| %.1f mm,"
                + " mean (s - s̄)² %.4f -> %.4f; training %.4f -> %.4f%n", (System.nanoTime() - start) / 1e9, f, before,
                after, term.get(0).value(), term.get(term.size() - 1).value());
        assertTrue(f > 3 && f < 30, "f(y) moves the joints by a few mm: " + f);
        assertTrue(after < before / 3, "mean (s − s̄)² " + before + " -> " + after);
        assertEquals(14, term.size());
        assertTrue(term.get(term.size() - 1).value() < term.get(0).value() / 3, "training descriptor: " + term);
        // The loss Adam minimised is Eq. 4 as read: ‖f(y)‖₁ in metres + 1·mean (s − s̄)².
        assertEquals(h.last("l1_loss_mm") / 1000 + h.last("descriptor_loss"), h.last("loss"), 1e-6);
    }

    /**
     * Both variants run in the benchmark (tiny, h36m-longlegs, seed 0), each with its own schedule, and change the
     * lifter's predictions. Measured in a fresh JVM (one thread): MPJPE source-only 142.1, ahup-spa 139.9,
     * ahup-spa-refine 135.4 mm; mean over test poses of ‖d − d̄‖² 2.65 → 4.38 under ahup-spa (its head, trained on true
     * poses, meets the lifter's far less human ones) and → 0.48 under ahup-spa-refine (trained on those outputs).
     * The bounds leave room for drift between JVMs.
     */
    @Test
    void bothVariantsRunInTheBenchmark() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.byName("tiny");
        DomainSpec target = longLegs();
        long start = System.nanoTime();
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"), List.of(target),
                List.of("source-only", SkeletalPoseAdaptation.NAME, SkeletalPoseAdaptation.REFINE_NAME), tiny, 0,
                Device.cpu(), new PrintWriter(System.out, true), Methods.adaptations());
        CrossDatasetBenchmark.Result sourceOnly = run.result(target.name(), "source-only");
        CrossDatasetBenchmark.Result paper = run.result(target.name(), SkeletalPoseAdaptation.NAME);
        CrossDatasetBenchmark.Result refine = run.result(target.name(), SkeletalPoseAdaptation.REFINE_NAME);
        double[] targetMean = Tiny.of(target).targetMean();
        SkeletonDescriptor descriptor = new SkeletonDescriptor(H36M);
        double errorBefore = descriptor.meanSquaredDistance(sourceOnly.predicted(), targetMean);
        double errorPaper = descriptor.meanSquaredDistance(paper.predicted(), targetMean);
        double errorRefine = descriptor.meanSquaredDistance(refine.predicted(), targetMean);
        double before = sourceOnly.summary().mpjpeMm();
        System.out.printf("tiny h36m-longlegs seed 0 (%.0f s): MPJPE source-only %.1f, ahup-spa %.1f, ahup-spa-refine"
                + " %.1f mm; mean ‖d − d̄‖² %.3f -> %.3f, %.3f%n", (System.nanoTime() - start) / 1e9, before,
                paper.summary().mpjpeMm(), refine.summary().mpjpeMm(), errorBefore, errorPaper, errorRefine);

        assertEquals(SpaConfig.paperEpochs(tiny), paper.history().series("loss").size());
        assertEquals(tiny.epochs(), refine.history().series("loss").size());
        for (CrossDatasetBenchmark.Result adapted : List.of(paper, refine)) {
            double moved = meanDistance(sourceOnly.predicted(), adapted.predicted());
            assertTrue(moved > 2, adapted.method() + " moves the predictions by " + moved + " mm");
            assertEquals(before, adapted.summary().mpjpeMm(), 20, adapted.method() + ": a head, not a new lifter");
        }
        assertTrue(errorRefine < 0.5 * errorBefore, "refine: mean ‖d − d̄‖² " + errorBefore + " -> " + errorRefine);
    }

    /**
     * {@code train --method ahup-spa} saves the lifter with its head ({@value SpaLifter#KIND}), and scoring the
     * checkpoint later gives the adapted score, not the lifter's alone.
     */
    @Test
    void aCheckpointKeepsTheHead(@TempDir Path dir) throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.byName("tiny");
        DomainSpec target = Domains.preset("3dpw-like");
        Path folder = dir.resolve("spa");
        // A narrow head keeps the test quick: what is checked is what the checkpoint holds, not the head's accuracy.
        SpaConfig narrow = SkeletalPoseAdaptation.forBudget(tiny).withHead(new SimpleBaseline.Config(17, 64, 2, 0.5f));
        BaselineTraining.Outcome outcome = BaselineTraining.adapt(SkeletalPoseAdaptation.adaptation("ahup-spa", narrow),
                Domains.preset("h36m-like"), target, tiny, null, 2, 1, Device.cpu(), folder, false, 0, null);
        assertEquals(SpaLifter.KIND, Checkpoint.meta(folder).kind());
        CrossDatasetBenchmark.Result scored = BaselineTraining.evaluate(folder, target, null, null, "test", Device.cpu());
        CrossDatasetBenchmark.Result lifterAlone = BaselineTraining.evaluate(folder.resolve("source-only"), target, null,
                null, "test", Device.cpu());
        double adapted = outcome.result().summary().mpjpeMm();
        double moved = meanDistance(lifterAlone.predicted(), scored.predicted());
        System.out.printf("tiny 3dpw-like seed 1, 2-epoch lifter: alone %.2f mm, with SPA %.2f mm, checkpoint %.2f mm;"
                + " the head moves the predictions by %.2f mm%n", lifterAlone.summary().mpjpeMm(), adapted,
                scored.summary().mpjpeMm(), moved);
        assertEquals(adapted, scored.summary().mpjpeMm(), 1e-3);
        // A checkpoint without its head would score the lifter's own predictions: 0 mm apart (measured: 0.57 mm).
        assertTrue(moved > 0.1, "the head changes the predictions: " + moved + " mm");
    }

    /** The true 3D poses of {@code data}'s windows, {@code [N][J·3]} millimetres: the head's unit. */
    private static float[] poses(PoseDataset data) {
        return LifterTraining.targets(data).scaled(SpaLifter.HEAD_SCALE).toFloats();
    }

    /** The head of {@code refined} on poses {@code [N][J·3]} (mm), evaluation mode. */
    private static float[] headOutput(SpaLifter refined, float[] poses) {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = m.create(poses, new Shape(poses.length / 51, 51));
            return refined.head().forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow()
                    .toFloatArray();
        }
    }

    /** The mean per-joint distance between two pose arrays, in thousandths of their unit (mm for metres). */
    private static double meanDistance(PoseArray a, PoseArray b) {
        float[] x = a.toFloats();
        float[] y = b.toFloats();
        double sum = 0;
        for (int i = 0; i < x.length; i += 3) {
            double dx = x[i] - y[i];
            double dy = x[i + 1] - y[i + 1];
            double dz = x[i + 2] - y[i + 2];
            sum += Math.sqrt(dx * dx + dy * dy + dz * dz);
        }
        return 1000 * sum / (x.length / 3);
    }

    private static float[] toFloats(double[] values) {

        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
