package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.TemporalConvNet;
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
        DomainSpec spec = Domains.parse("{\"extends\": \"h36m-like\", \"motion\": {\"subjects\": 3, \"framesPerSequence\": 120,"
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
                    new LifterTraining.Config(12, 128, 2e-3f, 0.95f, 0f, true, 11), null);
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

    private static PoseArray meanPose(PoseArray poses, int count) {
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
