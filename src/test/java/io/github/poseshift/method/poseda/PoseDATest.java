package io.github.poseshift.method.poseda;

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
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.method.Methods;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.nn.adaptpose.BoneAngleGenerator;
import io.github.poseshift.nn.adaptpose.GeneratorTrunk;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoseDATest {

    /**
     * LPA's generator (a constant, bounded bone turn per window) keeps every bone's length, keeps the angle
     * between a bone's directions at any two frames (one rotation for the whole window: the motion is kept),
     * and turns no bone further than its bound.
     */
    @Test
    void localPoseAugmentationKeepsBoneLengthsAndMotionWithinItsBound() {
        int n = 8;
        int frames = 9;
        double maxTurn = 0.35;
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Engine.getInstance().setRandomSeed(3);
            BoneAngleGenerator g = new BoneAngleGenerator(Skeletons.H36M17, new GeneratorTrunk(32, 1, 8),
                    BoneAngleGenerator.Motion.CONSTANT, maxTurn);
            g.initialize(m, DataType.FLOAT32, new Shape(n, frames, 17, 3), new Shape(n, 8));
            Random rng = new Random(4);
            float[] poses = new float[n * frames * 17 * 3];
            for (int i = 0; i < poses.length; i++) {
                poses[i] = (float) (rng.nextGaussian() * 0.3);
            }
            for (int i = 0; i < n * frames; i++) { // root-relative like the lifter's windows
                for (int c = 2; c >= 0; c--) {
                    float r = poses[i * 51 + c];
                    for (int j = 0; j < 17; j++) {
                        poses[i * 51 + j * 3 + c] -= r;
                    }
                }
            }
            NDArray in = m.create(poses, new Shape(n, frames, 17, 3));
            // Large noise and weights: the turns come near their bound.
            NDList out = g.forward(new ParameterStore(m, false), new NDList(in, m.randomNormal(new Shape(n, 8)).mul(5)), false);
            PoseTensors t = new PoseTensors(Skeletons.H36M17);
            NDArray before = t.bones(in);
            NDArray after = t.bones(out.get(0));
            float[] lengthChange = PoseTensors.lengths(after).sub(PoseTensors.lengths(before)).abs().max().toFloatArray();
            assertEquals(0, lengthChange[0], 1e-5, "bone lengths kept");
            NDArray dirBefore = PoseTensors.directions(before);
            NDArray dirAfter = PoseTensors.directions(after);
            // Angle between frame 0 and frame f of the same bone, before and after: equal under one rotation.
            NDArray cosBefore = dirBefore.mul(dirBefore.get(":, 0:1")).sum(new int[] {-1});
            NDArray cosAfter = dirAfter.mul(dirAfter.get(":, 0:1")).sum(new int[] {-1});
            assertEquals(0, cosAfter.sub(cosBefore).abs().max().getFloat(), 1e-4, "one turn per bone for the whole window");
            float largest = out.get(1).max().getFloat(); // 1 − cos(turn)
            assertTrue(largest <= 1 - Math.cos(maxTurn) + 1e-5, "largest turn " + Math.acos(1 - largest) + " rad");
            assertTrue(largest > 1e-3, "the generator turns bones: " + largest);
        }
    }

    /**
     * A probe passed to {@link PoseDA#adapt} is filled when training ends (while the loop still holds the generator):
     * every aligned window's root sits on the root of the target pose drawn for it, and each augmented pose's
     * largest bone turn is within LPA's bound.
     */
    @Test
    void theProbeHoldsWhatGpaAndLpaMadeOfItsWindows() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.tiny();
        DomainSpec sourceSpec = Domains.resized(Domains.preset("h36m-like"), 2, 40);
        DomainSpec targetSpec = Domains.resized(Domains.preset("3dhp-like"), 2, 40);
        PoseDataset.Config windows = tiny.trainWindows(sourceSpec.motion().fps());
        PoseDataset source = PoseDataset.of(SyntheticDomain.generate(sourceSpec, 1).views(),
                sourceSpec.split().trainSubjects(), windows);
        PoseDataset target = PoseDataset.of(SyntheticDomain.generate(targetSpec, 2).views(),
                targetSpec.split().trainSubjects(), windows);
        PoseDAConfig config = PoseDAConfig.forBudget(tiny);
        PoseDAProbe probe = new PoseDAProbe(50, 3);
        try (Model lifter = Model.newInstance("probe-test", Device.cpu())) {
            lifter.setBlock(new TemporalConvNet(tiny.network()));
            PoseDA.adapt(lifter, source, target, tiny.training(0).withEpochs(1), config, null, probe);
        }
        assertEquals(50, probe.size());
        float[] aligned = probe.aligned2d();
        float[] target2d = probe.target2d();
        assertEquals(50 * 17 * 2, target2d.length);
        int root = Skeletons.H36M17.root();
        for (int i = 0; i < 50; i++) {
            for (int c = 0; c < 2; c++) {
                assertEquals(target2d[(i * 17 + root) * 2 + c], aligned[(i * 17 + root) * 2 + c], 1e-4, "window " + i);
            }
        }
        float[] turns = probe.largestTurns();
        assertEquals(50, turns.length);
        for (float t : turns) {
            assertTrue(t >= 0 && t <= config.maxBoneTurn() + 1e-4, "largest turn " + t);
        }
    }

    @Test
    void theVariantsAreBenchmarkMethods() {
        List<String> names = Methods.adaptations().stream().map(Adaptation::name).toList();
        assertTrue(names.containsAll(List.of("poseda", "poseda-gpa", "poseda-lpa", "adaptpose")), names.toString());
        assertEquals(names.size(), new java.util.HashSet<>(names).size(), "unique names: " + names);
    }

    /**
     * On the tiny ski benchmark (seed 5) PoseDA beats both the source-only lifter and its control — the same loop, as
     * many epochs, on the unchanged source windows — so the gain is GPA's and LPA's, not the extra epochs'. The ski
     * domain here feeds its lifter screen coordinates ({@code ski-screen}): GPA moves the source's poses to where
     * and how large the target's people appear, and the root-centred, Frobenius-normalised input of the {@code
     * ski-like} preset (AdaptPose sec. 6) divides exactly that out, which leaves PoseDA no better than its control
     * there (seed 5: control 162.5 mm, PoseDA 161.1). Measured with screen input (OMP_NUM_THREADS=1
     * MKL_CBWR=COMPATIBLE), source-only / control / poseda-gpa / poseda: seed 5 248.4, 203.1, 157.1, 148.3 mm;
     * seed 6 272.0, 208.6, 166.6, 161.4. On 3dpw-like the control comes closer (seed 5 163.6, 112.0, 111.0, 107.0;
     * seed 6 162.0, 123.5, 113.9, 109.8), and on 3dhp-like it wins: that gap is the cameras' elevation, which
     * neither module changes ({@code docs/methods/poseda.md}).
     */
    @Test
    void aTinySeededRunBeatsSourceOnlyAndItsLongerControl() throws IOException {
        CrossDatasetBenchmark.Budget tiny = CrossDatasetBenchmark.Budget.tiny();
        Adaptation sourceLonger = PoseDA.adaptation("source-longer",
                budget -> PoseDAConfig.forBudget(budget).withVariant(PoseDAConfig.Variant.NEITHER), null);
        List<Adaptation> methods = new java.util.ArrayList<>(PoseDA.adaptations());
        methods.add(sourceLonger);
        DomainSpec skiOnScreen = Domains.parse("{\"extends\": \"ski-like\", \"name\": \"ski-screen\", \"lifterInput\":"
                + " \"screen\"}", "ski-screen.json", null);
        CrossDatasetBenchmark.Run run = CrossDatasetBenchmark.run(Domains.preset("h36m-like"), List.of(skiOnScreen),
                List.of("source-only", "poseda", "poseda-gpa", "source-longer"), tiny, 5, Device.cpu(),
                new PrintWriter(System.out, true), methods);
        double sourceOnly = run.result("ski-screen", "source-only").summary().mpjpeMm();
        double longer = run.result("ski-screen", "source-longer").summary().mpjpeMm();
        double poseda = run.result("ski-screen", "poseda").summary().mpjpeMm();
        double gpa = run.result("ski-screen", "poseda-gpa").summary().mpjpeMm();
        System.out.printf("tiny ski-screen: source-only %.1f, source longer %.1f, poseda-gpa %.1f, poseda %.1f mm%n",
                sourceOnly, longer, gpa, poseda);
        History h = run.result("ski-screen", "poseda").history();
        assertTrue(h.series("generator_loss").stream().allMatch(p -> Double.isFinite(p.value())), "G stays finite");
        assertTrue(poseda < longer - 20, "poseda " + poseda + " vs its control " + longer);
        assertTrue(poseda < sourceOnly - 50, "poseda " + poseda + " vs source-only " + sourceOnly);
        assertTrue(gpa < sourceOnly - 40, "poseda-gpa " + gpa + " vs source-only " + sourceOnly);
    }
}
