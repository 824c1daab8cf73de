package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.nn.image.IntegralPoseHead;
import io.github.poseshift.nn.image.ResNetBackbone;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagePoseTrainingTest {

    private static final int J = ImageSamples.JOINTS;
    /** A 16-wide two-stage ResNet (stride 4) with the tiny head on 32-pixel crops: an 16×16 heatmap. */
    private static final ImagePoseModel.Config SMALL_32 = ImagePoseModel.Config.resnet(32,
            new ResNetBackbone.Config(16, new int[] {1, 1}), IntegralPoseHead.Config.tiny());
    private static final ImagePoseModel.Config TINY_32 = ImagePoseModel.Config.tiny().withImageSize(32);

    @TempDir
    Path dir;

    @Test
    void aTinyImageModelBeatsTheMeanPoseOnBlobImages() {
        ImageSamples train = BlobImages.generate(1024, 32, 1);
        ImageSamples test = BlobImages.generate(128, 32, 2);
        ImagePoseModel net = new ImagePoseModel(SMALL_32);
        long begin = System.nanoTime();
        try (Model model = Model.newInstance("image", Devices.choose("cpu"))) {
            model.setBlock(net);
            History history = ImagePoseTraining.train(model, train,
                    new LifterTraining.Config(10, 32, 3e-3f, 0.9f, 0f, false, false, 5), null);
            double seconds = (System.nanoTime() - begin) / 1e9;
            PoseArray targets = ImagePoseTraining.targets(test);
            ImagePoseTraining.Prediction predicted = ImagePoseTraining.predict(net, test, 64);
            double mpjpe = PoseErrors.compute(predicted.joints3d(), targets, LengthUnit.METRES).summary().mpjpeMm();
            double meanPose = PoseErrors.compute(LifterTrainingTest.meanPose(ImagePoseTraining.targets(train), test.size()), targets,
                    LengthUnit.METRES).summary().mpjpeMm();
            double pixels = pixelError(predicted.joints2d(), test);
            List<History.Point> epochs = history.series("epoch_loss_mm");
            System.out.printf("blob images: train MPJPE %.1f -> %.1f mm in %.1f s; test MPJPE %.1f mm (mean pose %.1f mm),"
                    + " 2D error %.2f px%n", epochs.get(0).value(), epochs.get(epochs.size() - 1).value(), seconds, mpjpe,
                    meanPose, pixels);
            // Measured: 116.2 mm against the mean pose's 178.2 mm (0.65), 2D error 0.73 px, 10 epochs.
            assertTrue(mpjpe < 0.75 * meanPose, mpjpe + " mm vs the mean pose's " + meanPose + " mm");
            assertTrue(pixels < 1.5, pixels + " px");
        }
    }

    @Test
    void aFlippedSampleIsTheImageOfTheMirroredScene() {
        ImageSamples data = BlobImages.generate(3, 32, 9);
        int[] all = {0, 1, 2};
        ImagePoseTraining.Batch plain = ImagePoseTraining.batch(data, all, null);
        ImagePoseTraining.Batch flipped = ImagePoseTraining.batch(data, all, new boolean[] {true, false, true});
        int[] mirror = io.github.poseshift.skeleton.Skeletons.H36M17.mirrorPermutation();
        for (int b = 0; b < 3; b++) {
            float[] c = java.util.Arrays.copyOfRange(flipped.cameras(), b * 5, b * 5 + 5);
            // The flipped labels project through the flipped camera onto the flipped 2D labels.
            float rootU = flipped.joints2d()[b * J * 2];
            float rootV = flipped.joints2d()[b * J * 2 + 1];
            for (int j = 0; j < J; j++) {
                float z = c[4] + flipped.joints3d()[(b * J + j) * 3 + 2];
                float x = flipped.joints3d()[(b * J + j) * 3] + (rootU - c[2]) * c[4] / c[0];
                float y = flipped.joints3d()[(b * J + j) * 3 + 1] + (rootV - c[3]) * c[4] / c[1];
                assertEquals(flipped.joints2d()[(b * J + j) * 2], c[0] * x / z + c[2], 1e-3f, "sample " + b + " joint " + j);
                assertEquals(flipped.joints2d()[(b * J + j) * 2 + 1], c[1] * y / z + c[3], 1e-3f, "sample " + b + " joint " + j);
            }
            boolean flip = b != 1;
            for (int j = 0; j < J; j++) {
                int src = flip ? mirror[j] : j;
                float sign = flip ? -1 : 1;
                assertEquals(sign * plain.joints3d()[(b * J + src) * 3], flipped.joints3d()[(b * J + j) * 3], 0f);
                // Left and right swap and x mirrors about the crop's centre, exactly: x → S − 1 − x.
                assertEquals(flip ? 31 - plain.joints2d()[(b * J + src) * 2] : plain.joints2d()[(b * J + j) * 2],
                        flipped.joints2d()[(b * J + j) * 2], 0f);
                assertEquals(plain.joints2d()[(b * J + src) * 2 + 1], flipped.joints2d()[(b * J + j) * 2 + 1], 0f);
            }
            int pixels = 3 * 32 * 32;
            assertEquals(plain.images()[b * pixels + 5 * 32 + 3], flipped.images()[b * pixels + 5 * 32 + (flip ? 28 : 3)], 0f);
        }
    }

    @Test
    void anInterruptedRunResumesToTheSameWeightsAndLoadsBack() throws IOException {
        ImageSamples data = BlobImages.generate(48, 32, 3);
        LifterTraining.Config config = new LifterTraining.Config(2, 16, 1e-3f, 0.9f, 0f, true, false, 7);
        float[][] predictions = new float[2][];
        History[] histories = new History[2];
        for (int run = 0; run < 2; run++) {
            Path folder = dir.resolve("run" + run);
            // Run 0 trains straight through; run 1 stops after epoch 1 and resumes in a new model.
            for (int stopAfter : run == 0 ? new int[] {0} : new int[] {1, 0}) {
                try (Model model = Model.newInstance("image", Devices.choose("cpu"))) {
                    ImagePoseModel net = new ImagePoseModel(TINY_32);
                    model.setBlock(net);
                    histories[run] = ImagePoseTraining.train(model, data, config, null, "t", new LifterTraining.Checkpointing(
                            folder, ImagePoseTraining.KIND, TINY_32, null, stopAfter > 0 || run == 1, stopAfter));
                    predictions[run] = ImagePoseTraining.predict(net, data, 32).joints3d().toFloats();
                }
            }
        }
        assertArrayEquals(predictions[0], predictions[1], 0f, "resumed weights differ from the straight run's");
        assertEquals(histories[0].toCsv(), histories[1].toCsv());
        assertEquals(6, histories[0].series("train_loss_mm").size());
        try (Model model = Model.newInstance("loaded", Devices.choose("cpu"))) {
            ImagePoseModel loaded = ImagePoseTraining.load(dir.resolve("run0"), model);
            assertEquals(TINY_32, loaded.config());
            assertArrayEquals(predictions[0], ImagePoseTraining.predict(loaded, data, 7).joints3d().toFloats(), 1e-6f);
        }
        // Another model kind in the folder, and another configuration asked for, are named.
        try (Model model = Model.newInstance("image", Devices.choose("cpu"))) {
            ImagePoseModel.Config other = ImagePoseModel.Config.tiny().withImageSize(32 * 2);
            model.setBlock(new ImagePoseModel(other));
            FormatException e = assertThrows(FormatException.class, () -> ImagePoseTraining.train(model,
                    BlobImages.generate(4, 64, 1), config.withEpochs(3), null, "t", new LifterTraining.Checkpointing(
                            dir.resolve("run0"), ImagePoseTraining.KIND, other, null, true, 0)));
            assertTrue(e.getMessage().contains("imageSize: 32 in the checkpoint vs 64 asked for"), e.getMessage());
        }
        try (NDManager m = NDManager.newBaseManager()) {
            TemporalConvNet.Config tcn = new TemporalConvNet.Config(17, new int[] {3}, 8, 0.25f, false);
            TemporalConvNet lifter = new TemporalConvNet(tcn);
            lifter.initialize(m, DataType.FLOAT32, new Shape(1, 3, 34));
            Checkpoint.save(dir.resolve("tcn"), "tcn", tcn, lifter, new History(), 1);
        }
        try (Model model = Model.newInstance("image", Devices.choose("cpu"))) {
            FormatException e = assertThrows(FormatException.class, () -> ImagePoseTraining.load(dir.resolve("tcn"), model));
            assertTrue(e.getMessage().contains("holds a 'tcn' model"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            try (Model model = Model.newInstance("image", Devices.choose("cpu"))) {
                model.setBlock(new ImagePoseModel(ImagePoseModel.Config.tiny()));
                ImagePoseTraining.train(model, data, config, null);
            }
        });
        assertTrue(e.getMessage().contains("takes 64-pixel crops, the data has 32-pixel ones"), e.getMessage());
    }

    @Test
    void theVitModelTrainsToo() {
        // Forward, loss, backward and Adam through the ViT backbone, and the throughput probe itself.
        double rate = ImagePoseTraining.trainStepsPerSecond(ImagePoseModel.Config.vitTiny().withImageSize(32), 4, 2, 1);
        assertTrue(rate > 0 && Double.isFinite(rate), "steps/s " + rate);
        ImageSamples data = BlobImages.generate(16, 32, 4);
        try (Model model = Model.newInstance("vit", Devices.choose("cpu"))) {
            ImagePoseModel net = new ImagePoseModel(ImagePoseModel.Config.vitTiny().withImageSize(32));
            model.setBlock(net);
            History history = ImagePoseTraining.train(model, data, new LifterTraining.Config(2, 8, 1e-3f, 1f, 0f, true,
                    false, 2), null);
            assertEquals(2, history.series("epoch_loss_mm").size());
            for (float v : ImagePoseTraining.predict(net, data, 16).joints3d().toFloats()) {
                assertTrue(Float.isFinite(v));
            }
        }
    }

    /** Mean Euclidean 2D error in pixels. */
    private static double pixelError(float[] predicted, ImageSamples data) {
        int[] all = new int[data.size()];
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
        }
        float[] truth = ImagePoseTraining.batch(data, all, null).joints2d();
        double sum = 0;
        for (int k = 0; k < truth.length; k += 2) {
            sum += Math.hypot(predicted[k] - truth[k], predicted[k + 1] - truth[k + 1]);
        }
        return sum / (truth.length / 2.0);
    }
}
