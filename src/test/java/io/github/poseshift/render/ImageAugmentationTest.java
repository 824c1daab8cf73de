package io.github.poseshift.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.geometry.Camera;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Render-time augmentation keeps the labels exact; fresh epochs are new crops, the same for the same epoch. */
class ImageAugmentationTest {

    private static final int J = ImageSamples.JOINTS;

    @Test
    void aRolledCameraSeesTheRolledPoseAndTheRootStaysOnItsRay() throws IOException {
        SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset("h36m-like"), 2, 10), 3);
        var view = d.views().get(0);
        Camera camera = view.camera(0);
        float[] world = new float[J * 3];
        for (int j = 0; j < J; j++) {
            for (int a = 0; a < 3; a++) {
                world[3 * j + a] = view.poses().get(0, j, a);
            }
        }
        float[] pose = camera.worldToCamera(world);
        ImageAugmentation.Draw draw = new ImageAugmentation.Draw(Math.toRadians(25), 1, 0, 0, new float[] {1, 1, 1});
        float[] rolled = new float[pose.length];
        Camera rolledCamera = draw.roll(camera, pose, rolled);
        // The rolled camera maps the world onto the rolled pose: the 3D labels are the scene it renders.
        assertArrayEquals(rolled, rolledCamera.worldToCamera(world), 1e-4f);
        assertArrayEquals(Arrays.copyOf(pose, 3), Arrays.copyOf(rolled, 3), 1e-5f, "the root is on the rotation axis");
        for (int j = 1; j < J; j++) {
            double before = Math.hypot(Math.hypot(pose[3 * j] - pose[0], pose[3 * j + 1] - pose[1]), pose[3 * j + 2] - pose[2]);
            double after = Math.hypot(Math.hypot(rolled[3 * j] - rolled[0], rolled[3 * j + 1] - rolled[1]),
                    rolled[3 * j + 2] - rolled[2]);
            assertEquals(before, after, 1e-5, "joint " + j + "'s distance to the root");
        }
        // Seen along the optical axis the image turns by the roll: the thorax's angle about the root moves by 25°.
        double[] r = camera.project(pose[0], pose[1], pose[2], false);
        double[] n0 = camera.project(pose[24], pose[25], pose[26], false);
        double[] n1 = rolledCamera.project(rolled[24], rolled[25], rolled[26], false);
        double turned = Math.toDegrees(Math.atan2(n1[1] - r[1], n1[0] - r[0]) - Math.atan2(n0[1] - r[1], n0[0] - r[0]));
        assertEquals(25, Math.abs(turned), 2.0, "image rotation, degrees");
    }

    @Test
    void reframingScalesTheCropAboutItsShiftedCentreAndColourGainsClip() {
        Framing f = new Framing(0.5, 100, 40, 64);
        ImageAugmentation.Draw identity = new ImageAugmentation.Draw(0, 1, 0, 0, new float[] {1, 1, 1});
        assertEquals(f, identity.reframe(f));
        Framing wider = new ImageAugmentation.Draw(0, 2, 0.25, 0, new float[] {1, 1, 1}).reframe(f);
        // Side 128 → 256 dataset pixels, centre (164, 104) → (196, 104).
        assertEquals(0.25, wider.scale(), 1e-12);
        assertEquals(196 - 128, wider.x0(), 1e-9);
        assertEquals(104 - 128, wider.y0(), 1e-9);
        byte[] rgb = {(byte) 200, 100, 10, (byte) 250, 0, (byte) 255};
        new ImageAugmentation.Draw(0, 1, 0, 0, new float[] {1.2f, 0.5f, 1f}).colour(rgb);
        assertArrayEquals(new byte[] {(byte) 240, 50, 10, (byte) 255, 0, (byte) 255}, rgb);
        assertThrows(IllegalArgumentException.class, () -> new ImageAugmentation(0.95, 0, 0, 0));
    }

    @Test
    void noAugmentationRendersTheSameBytesAndAugmentedLabelsStayConsistent() throws IOException {
        SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset("3dhp-like"), 2, 10), 5);
        ImageDataset plain = ImageDataset.of(d, "train", new ImageRenderer(d.spec().image(), 64), 3, 11);
        ImageDataset none = plain.augmented(ImageAugmentation.none());
        ImageDataset jittered = plain.augmented(ImageAugmentation.paper());
        for (int i = 0; i < plain.size(); i += 5) {
            assertArrayEquals(plain.sample(i).image().rgb(), none.sample(i).image().rgb());
            RenderedImage a = jittered.sample(i).image();
            assertArrayEquals(a.rgb(), jittered.sample(i).image().rgb(), "the draw is a function of the seed and i");
            assertFalse(Arrays.equals(plain.sample(i).image().rgb(), a.rgb()));
            // The labels are the render camera's projection of the render's pose, as without augmentation.
            float[] j2 = new float[J * 2];
            ImageDataset.labels(a, new float[3 * 64 * 64], new float[J * 3], j2, new float[5]);
            float[] projected = a.camera().project(a.pose3d(), false);
            for (int k = 0; k < j2.length; k++) {
                assertEquals(projected[k] - 0.5f, j2[k], 1e-3f);
            }
        }
    }

    @Test
    void freshLooksChangeTheClothesButNotTheLabels() throws IOException {
        SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset("ski-like"), 2, 10), 8);
        ImageDataset data = ImageDataset.of(d, "train", new ImageRenderer(d.spec().image(), 64), 4, 2);
        ImageDataset own = data.augmented(ImageAugmentation.paper());
        ImageDataset fresh = data.augmented(ImageAugmentation.paper().withFreshLooks(true));
        for (int i = 0; i < data.size(); i += 2) {
            RenderedImage a = own.sample(i).image();
            RenderedImage b = fresh.sample(i).image();
            assertArrayEquals(a.pose3d(), b.pose3d(), 0f, "the same geometric draw");
            assertArrayEquals(a.joints2d(), b.joints2d(), 0f);
            assertFalse(Arrays.equals(a.rgb(), b.rgb()), "another look");
        }
    }

    @Test
    void freshEpochsDrawNewCropsAndTheSameEpochRepeats() throws IOException {
        SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset("h36m-like"), 2, 20), 2);
        ImageDataset all = ImageDataset.of(d, "train", new ImageRenderer(d.spec().image(), 64), 1, 4);
        EpochCrops crops = all.augmented(ImageAugmentation.paper()).freshEachEpoch(12, 2);
        assertEquals(12, crops.size());
        ImageSamples first = crops.epoch(1);
        ImageSamples again = crops.epoch(1);
        ImageSamples second = crops.epoch(2);
        int n = 3 * 64 * 64;
        int differing = 0;
        for (int i = 0; i < 12; i++) {
            float[][] a = {new float[n], new float[J * 3], new float[J * 2], new float[5]};
            float[][] b = {new float[n], new float[J * 3], new float[J * 2], new float[5]};
            first.fill(i, a[0], a[1], a[2], a[3]);
            again.fill(i, b[0], b[1], b[2], b[3]);
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(a[k], b[k], "epoch 1, sample " + i + ", array " + k);
            }
            second.fill(i, b[0], b[1], b[2], b[3]);
            differing += Arrays.equals(a[0], b[0]) ? 0 : 1;
        }
        assertEquals(12, differing, "epoch 2 renders other crops");
        assertEquals(all.size(), all.freshEachEpoch(10_000, 1).size(), "no more crops than frames");
        assertTrue(all.size() > 12);
    }
}
