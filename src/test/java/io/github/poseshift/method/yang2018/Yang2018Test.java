package io.github.poseshift.method.yang2018;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.render.ImageAugmentation;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.Devices;
import io.github.poseshift.train.History;
import io.github.poseshift.train.ImageBenchmark;
import io.github.poseshift.train.ImagePoseTraining;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class Yang2018Test {

    /** Smaller than the tiny budget: 3 subjects × 40 frames, 300 fresh crops an epoch for 15 epochs. */
    private static ImageBenchmark.Budget small() {
        return new ImageBenchmark.Budget(CrossDatasetBenchmark.Budget.Kind.TINY, 3, 40, 300, 96, ImagePoseModel.Config.tiny(),
                15, 1e-2f, 16, 1, new ImageAugmentation(0, 0, 0, 0.2, true));
    }

    private static double mpjpe(ImagePoseModel net, ImageSamples crops) {
        return PoseErrors.compute(ImagePoseTraining.predict(net, crops, 32).joints3d(), ImagePoseTraining.targets(crops),
                LengthUnit.METRES).summary().mpjpeMm();
    }

    /**
     * A tiny seeded run: the adversarial stage keeps the source model's error on its own test subjects near where it was
     * (it must not wreck the source), and does better than the source model on the target, whose 3D labels it never saw
     * (they reach it as NaN: a read of them would make the losses NaN).
     */
    @Test
    void adversarialTrainingKeepsTheSourceAndBeatsSourceOnlyOnTheTarget() throws IOException {
        ImageBenchmark.Budget budget = small();
        SyntheticDomain lab = ImageBenchmark.generate(Domains.preset("h36m-like"), budget, 0);
        SyntheticDomain target = ImageBenchmark.generate(Domains.preset("3dpw-like"), budget, 0);
        ImageSamples labTest = ImageBenchmark.dataset(lab, "test", 96, budget, 0).cached(1);
        ImageSamples targetTest = ImageBenchmark.dataset(target, "test", 96, budget, 0).cached(1);
        Yang2018Config config = new Yang2018Config(Yang2018Config.Variant.FULL, Yang2018Config.DEFAULT_ADVERSARIAL_WEIGHT,
                1e-4f, 8, 4, 200, 1e-2f);
        try (Model source = Model.newInstance("source", Devices.choose("cpu"));
                Model adapted = Model.newInstance("yang", Devices.choose("cpu"))) {
            ImagePoseModel sourceNet = ImageBenchmark.sourceModel(source, lab, budget, 0, 1, null, null).net();
            double labBefore = mpjpe(sourceNet, labTest);
            double targetBefore = mpjpe(sourceNet, targetTest);
            ImagePoseModel net = CrossDatasetBenchmark.copyWeights(sourceNet, new ImagePoseModel(budget.model()), adapted,
                    sourceNet.inputShape(budget.batchSize()));
            History h = Yang2018.adapt(adapted, ImageBenchmark.trainingCrops(lab, budget, 0, 1, 200),
                    EpochCrops.with2dLabelsOnly(ImageBenchmark.trainingCrops(target, budget, 0, 1, 200)), config,
                    budget.training(2), new Yang2018.Validation(targetTest, 32), null);
            double labAfter = mpjpe(net, labTest);
            double targetAfter = mpjpe(net, targetTest);
            System.out.printf("Yang 2018, tiny: lab %.1f -> %.1f mm, 3dpw-like %.1f -> %.1f mm, D(real) %.2f D(fake) %.2f%n",
                    labBefore, labAfter, targetBefore, targetAfter, h.last("real_score"), h.last("fake_score"));
            assertTrue(labAfter < labBefore + 15, "source " + labBefore + " -> " + labAfter + " mm");
            assertTrue(targetAfter < targetBefore - 15, "target " + targetBefore + " -> " + targetAfter + " mm");
            for (String series : List.of("epoch_loss_mm", "target_2d_px", "discriminator_loss", "adversarial_loss",
                    "real_score", "fake_score", Yang2018.VALIDATION_MPJPE)) {
                double[][] byEpoch = h.byEpoch(series);
                assertEquals(4, byEpoch[1].length, series);
                for (double value : byEpoch[1]) {
                    assertTrue(Double.isFinite(value), series + " " + value);
                }
            }
            assertEquals(targetAfter, h.last(Yang2018.VALIDATION_MPJPE), 1e-6, "the last validation is the final model");
        }
    }
}
