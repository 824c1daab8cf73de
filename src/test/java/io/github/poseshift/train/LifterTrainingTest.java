package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import com.google.gson.JsonObject;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.testing.FolderSnapshot;
import io.github.poseshift.viz.Plots;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifterTrainingTest {

    @TempDir
    Path dir;

    @Test
    void aTinyTemporalLifterLearnsTheLab() throws IOException {
        DomainSpec spec = Domains.parse("{\"extends\": \"h36m-like\", \"name\": \"h36m-like\","
                + " \"motion\": {\"subjects\": 3, \"framesPerSequence\": 120,"
                + " \"actions\": {\"walking\": 1, \"waving\": 1, \"squatting\": 1}},"
                + " \"split\": {\"trainSubjects\": [\"S1\", \"S2\"], \"testSubjects\": [\"S3\"]}}", "tiny-lab", null);
        SyntheticDomain domain = SyntheticDomain.generate(spec, 3);
        PoseDataset.Config windows = new PoseDataset.Config(9, 1, null);
        PoseDataset train = PoseDataset.of(domain.views(), spec.split().trainSubjects(), windows);
        PoseDataset test = PoseDataset.of(domain.views(), spec.split().testSubjects(), new PoseDataset.Config(9, 4, null));
        TemporalConvNet net = new TemporalConvNet(new TemporalConvNet.Config(17, new int[] {3, 3}, 96, 0.1f, false));
        try (Model model = Model.newInstance("tcn", Devices.choose("cpu"))) {
            model.setBlock(net);
            History history = LifterTraining.train(model, train,
                    new LifterTraining.Config(12, 128, 2e-3f, 0.95f, 0f, true, false, 11), null);
            List<History.Point> epochs = history.series("epoch_loss_mm");
            assertEquals(12, epochs.size());
            double first = epochs.get(0).value();
            double last = epochs.get(11).value();
            assertTrue(last < 0.6 * first, "epoch loss went from " + first + " to " + last + " mm");

            PoseArray targets = LifterTraining.targets(test);
            MetricSummary lifted = PoseErrors.compute(LifterTraining.predict(net, test, 256, true), targets,
                    LengthUnit.METRES).summary();
            // The mean training pose, predicted for every test frame: what a lifter must beat.
            MetricSummary meanPose = PoseErrors.compute(meanPose(LifterTraining.targets(train), targets.numPoses()), targets,
                    LengthUnit.METRES).summary();
            System.out.printf("tiny lab: train loss %.1f -> %.1f mm; test MPJPE %.1f mm (mean pose %.1f mm)%n", first, last,
                    lifted.mpjpeMm(), meanPose.mpjpeMm());
            assertTrue(lifted.mpjpeMm() < 0.6 * meanPose.mpjpeMm(), lifted.mpjpeMm() + " vs mean pose " + meanPose.mpjpeMm());

            history.writeCsv(dir.resolve("history.csv"));
            assertTrue(Files.readAllLines(dir.resolve("history.csv")).get(0).equals("series,step,epoch,value"));
            Map<String, double[][]> curves = new LinkedHashMap<>();
            curves.put("epoch loss", new double[][] {epochs.stream().mapToDouble(p -> p.epoch()).toArray(),
                epochs.stream().mapToDouble(History.Point::value).toArray()});
            Plots.lines("training loss", "epoch", "MPJPE (mm)", curves, dir.resolve("loss.png"));
            assertEquals(800, ImageIO.read(dir.resolve("loss.png").toFile()).getWidth());
        }
    }

    /** A tiny lab domain and a 9-frame lifter small enough to train in a second. */
    private static PoseDataset tinyLab(int stride) throws IOException {
        DomainSpec spec = Domains.parse("{\"extends\": \"h36m-like\", \"name\": \"h36m-like\","
                + " \"motion\": {\"subjects\": 2, \"framesPerSequence\": 60,"
                + " \"actions\": {\"walking\": 1, \"waving\": 1}},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}", "tiny-lab", null);
        SyntheticDomain domain = SyntheticDomain.generate(spec, 4);
        return PoseDataset.of(domain.views(), List.of("S1"), new PoseDataset.Config(9, stride, null));
    }

    private static final TemporalConvNet.Config TINY_NET = new TemporalConvNet.Config(17, new int[] {3, 3}, 32, 0.25f, false);

    private float[] trainAndPredict(PoseDataset data, LifterTraining.Config config, Path folder, boolean resume)
            throws IOException {
        return trainAndPredict(data, config, folder, resume, 0);
    }

    private float[] trainAndPredict(PoseDataset data, LifterTraining.Config config, Path folder, boolean resume,
            int stopAfter) throws IOException {
        return trainAndPredict(data, config, folder, resume, stopAfter, new JsonObject());
    }

    private float[] trainAndPredict(PoseDataset data, LifterTraining.Config config, Path folder, boolean resume,
            int stopAfter, JsonObject info) throws IOException {
        TemporalConvNet net = new TemporalConvNet(TINY_NET);
        try (Model model = Model.newInstance("tcn", Devices.choose("cpu"))) {
            model.setBlock(net);
            LifterTraining.train(model, data, config, null, "tiny",
                    new LifterTraining.Checkpointing(folder, "tcn", TINY_NET, info, resume, stopAfter));
            return LifterTraining.predict(net, data, 64, false).toFloats();
        }
    }

    @Test
    void warmupCosineRisesLinearlyThenFallsToZeroAndEpochDecayIsPerEpoch() {
        // 100 steps: 5 of warm-up (5 %), then half a cosine period over the other 95.
        assertEquals(0.2f, LifterTraining.Schedule.warmupCosine(1f, 0, 100), 1e-6f);
        assertEquals(1f, LifterTraining.Schedule.warmupCosine(1f, 4, 100), 1e-6f);
        assertEquals(1f, LifterTraining.Schedule.warmupCosine(1f, 5, 100), 1e-6f);
        assertEquals(0.5f, LifterTraining.Schedule.warmupCosine(1f, 5 + 95 / 2, 100), 0.02f);
        assertEquals(0f, LifterTraining.Schedule.warmupCosine(1f, 100, 100), 1e-6f);
        float previous = 1f;
        for (int step = 5; step < 100; step++) {
            float rate = LifterTraining.Schedule.warmupCosine(1f, step, 100);
            assertTrue(rate <= previous && rate > 0, "step " + step);
            previous = rate;
        }
        LifterTraining.Config decay = new LifterTraining.Config(3, 8, 1e-3f, 0.5f, 0f, false, false, 0);
        assertEquals(LifterTraining.Schedule.EPOCH_DECAY, decay.schedule());
        assertEquals(2.5e-4f, decay.rate(3, 123, 999), 1e-9f);
        LifterTraining.Config cosine = new LifterTraining.Config(3, 8, 1e-3f, 1f, 0f, false, false, 0, 1, null);
        assertEquals(LifterTraining.Schedule.EPOCH_DECAY, cosine.schedule(), "a config saved before schedules decays");
    }

    @Test
    void aResumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
        PoseDataset data = tinyLab(3);
        LifterTraining.Config four = new LifterTraining.Config(4, 32, 2e-3f, 0.9f, 0f, true, true, 7);
        float[] straight = trainAndPredict(data, four, dir.resolve("straight"), false);
        // Stopped after two epochs, then resumed with a new block and a new optimizer, as a new process would.
        trainAndPredict(data, four, dir.resolve("split"), false, 2);
        assertEquals(2, Checkpoint.meta(dir.resolve("split")).epochs());
        float[] resumed = trainAndPredict(data, four, dir.resolve("split"), true);
        assertEquals(4, Checkpoint.meta(dir.resolve("split")).epochs());
        assertArrayEquals(straight, resumed, 0f);
        History history = Checkpoint.history(dir.resolve("split"));
        assertEquals(4, history.series("epoch_loss_mm").size());
        assertEquals(2e-3 * Math.pow(0.9, 3), history.last("learning_rate"), 1e-9);

        // Without --resume the folder is not overwritten; a changed schedule is named.
        FormatException exists = assertThrows(FormatException.class,
                () -> trainAndPredict(data, four, dir.resolve("split"), false));
        assertTrue(exists.getMessage().contains("already holds a checkpoint (4 epochs)"), exists.getMessage());
        LifterTraining.Config otherRate = new LifterTraining.Config(6, 32, 1e-3f, 0.9f, 0f, true, true, 7);
        FormatException changed = assertThrows(FormatException.class,
                () -> trainAndPredict(data, otherRate, dir.resolve("split"), true));
        assertTrue(changed.getMessage().contains("learningRate: 0.002 in the checkpoint vs 0.001 asked for"),
                changed.getMessage());
    }

    /**
     * A process killed inside epoch 4's save left epoch 4's parameters and optimizer state in a data folder
     * that checkpoint.json does not name, and a temporary checkpoint.json: resuming continues after epoch 3,
     * ends with the checkpoint of the uninterrupted run, byte for byte, and the leftovers are gone.
     */
    @Test
    void aRunKilledInsideASaveResumesFromThePreviousEpoch() throws IOException {
        PoseDataset data = tinyLab(3);
        LifterTraining.Config four = new LifterTraining.Config(4, 32, 2e-3f, 0.9f, 0f, true, true, 7);
        Path straight = dir.resolve("straight");
        Path split = dir.resolve("split");
        float[] expected = trainAndPredict(data, four, straight, false);
        trainAndPredict(data, four, split, false, 3);
        Files.createDirectory(split.resolve("epoch-4"));
        for (String file : List.of(Checkpoint.PARAMS_FILE, Checkpoint.OPTIMIZER_FILE)) {
            Files.copy(straight.resolve("epoch-4").resolve(file), split.resolve("epoch-4").resolve(file));
        }
        Files.copy(straight.resolve(Checkpoint.META_FILE), split.resolve(".checkpoint.json.999.1.tmp"));
        assertEquals(3, Checkpoint.meta(split).epochs());

        assertArrayEquals(expected, trainAndPredict(data, four, split, true), 0f);
        assertEquals(FolderSnapshot.of(straight), FolderSnapshot.of(split));
    }

    /** Resuming with another method or target is refused, naming the field and both values, and changes nothing. */
    @Test
    void aResumeOfAnotherRunIsRefusedAndChangesNothing() throws IOException {
        PoseDataset data = tinyLab(3);
        LifterTraining.Config two = new LifterTraining.Config(2, 32, 2e-3f, 0.9f, 0f, true, true, 7);
        Path folder = dir.resolve("oracle");
        JsonObject info = new JsonObject();
        info.addProperty("method", "oracle");
        info.addProperty("target", "3dhp-like");
        trainAndPredict(data, two, folder, false, 0, info);
        Map<String, String> before = FolderSnapshot.of(folder);
        String metaFile = folder.resolve(Checkpoint.META_FILE).toString();
        for (String[] change : new String[][] {{"target", "ski-like", "target: 3dhp-like in the checkpoint vs ski-like"
                + " asked for"}, {"method", "source-only", "method: oracle in the checkpoint vs source-only asked for"}}) {
            JsonObject other = info.deepCopy();
            other.addProperty(change[0], change[1]);
            FormatException e = assertThrows(FormatException.class,
                    () -> trainAndPredict(data, two, folder, true, 0, other));
            assertEquals(metaFile + ": holds another run, so it cannot be resumed with these options: " + change[2]
                    + " (nothing was changed)", e.getMessage());
        }
        FormatException fewer = assertThrows(FormatException.class,
                () -> trainAndPredict(data, two.withEpochs(1), folder, true, 0, info));
        assertEquals(metaFile + ": has 2 epochs, more than the 1 asked for (nothing was changed)", fewer.getMessage());
        assertEquals(before, FolderSnapshot.of(folder));
    }

    @Test
    void aWholeSequenceGivesOnePosePerFrameMatchingItsWindows() throws IOException {
        PoseDataset windows = tinyLab(1);
        TemporalConvNet net = new TemporalConvNet(TINY_NET);
        try (Model model = Model.newInstance("tcn", Devices.choose("cpu"))) {
            model.setBlock(net);
            LifterTraining.train(model, windows, new LifterTraining.Config(1, 64, 1e-3f, 1f, 0f, false, false, 2), null);
            // The first training view: its frames are samples 0..T-1 of the stride-1 dataset; rebuild its
            // whole 2D track from the centre frame of each window.
            int joints = 17;
            int frames = 60;
            float[] keypoints = new float[frames * joints * 2];
            for (int f = 0; f < frames; f++) {
                float[] window = windows.sample(f, false).input();
                System.arraycopy(window, 4 * joints * 2, keypoints, f * joints * 2, joints * 2);
            }
            float[] sequence = LifterTraining.predictSequence(net, keypoints, joints);
            assertEquals(frames * joints * 3, sequence.length, "one pose per input frame");
            float[] perWindow = LifterTraining.predict(net, windows, 64, false).toFloats();
            float[] firstTrack = java.util.Arrays.copyOf(perWindow, frames * joints * 3);
            // The dilated pass over the padded sequence equals the strided pass over each window.
            assertArrayEquals(firstTrack, sequence, 1e-5f);
            assertThrows(IllegalArgumentException.class, () -> LifterTraining.predictSequence(net, new float[35], joints));
        }
    }

    static PoseArray meanPose(PoseArray poses, int count) {
        int j = poses.numJoints();
        double[] mean = new double[j * 3];
        for (int n = 0; n < poses.numPoses(); n++) {
            double[] p = poses.pose(n);
            for (int i = 0; i < mean.length; i++) {
                mean[i] += p[i] / poses.numPoses();
            }
        }
        double[] out = new double[count * j * 3];
        for (int n = 0; n < count; n++) {
            System.arraycopy(mean, 0, out, n * mean.length, mean.length);
        }
        return PoseArray.of(out, j);
    }
}
