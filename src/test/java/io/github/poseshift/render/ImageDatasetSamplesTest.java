package io.github.poseshift.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A rendered dataset as the image trainer reads it: labels consistent with the camera, the image and the cache. */
class ImageDatasetSamplesTest {

    private static final int J = ImageSamples.JOINTS;

    @Test
    void backProjectingThe2dJointsWithTheCameraAndTheRootDepthGivesThe3dPose() throws IOException {
        for (String name : Domains.PRESETS) {
            SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset(name), 2, 30), 4);
            ImageDataset data = ImageDataset.of(d, "all", new ImageRenderer(d.spec().image(), 64), 7, 5);
            assertEquals(64, data.imageSize());
            float[] image = new float[3 * 64 * 64];
            float[] j3 = new float[J * 3];
            float[] j2 = new float[J * 2];
            float[] c = new float[ImageSamples.CAMERA_VALUES];
            double worstDistortionPx = 0;
            for (int i = 0; i < data.size(); i += Math.max(1, data.size() / 12)) {
                data.fill(i, image, j3, j2, c);
                RenderedImage r = data.sample(i).image();
                assertArrayEquals(r.rgbChw(), image, name + " sample " + i);
                assertEquals(0, j3[0], 0);
                assertEquals(r.pose3d()[2], c[4], 1e-6, "root depth");
                for (int j = 0; j < J; j++) {
                    // Xⱼ = (uⱼ − cx)·Zⱼ/fx with Zⱼ = Z_root + zⱼ, minus the root's own back-projection.
                    double z = c[4] + j3[3 * j + 2];
                    double x = (j2[2 * j] - c[2]) * z / c[0] - (j2[0] - c[2]) * c[4] / c[0];
                    double y = (j2[2 * j + 1] - c[3]) * z / c[1] - (j2[1] - c[3]) * c[4] / c[1];
                    assertEquals(j3[3 * j], x, 1e-4, name + " sample " + i + " joint " + j + " x");
                    assertEquals(j3[3 * j + 1], y, 1e-4, name + " sample " + i + " joint " + j + " y");
                    // Where the image shows the joint: the render's (distorted) projection, half a pixel on.
                    worstDistortionPx = Math.max(worstDistortionPx, Math.hypot(r.joints2d()[2 * j] - 0.5 - j2[2 * j],
                            r.joints2d()[2 * j + 1] - 0.5 - j2[2 * j + 1]));
                }
            }
            System.out.printf("%s: pinhole labels vs the image's joints: at most %.3f px at 64×64%n", name, worstDistortionPx);
            // Measured (lens distortion): at most 1.41 px on h36m-like, 0.72 px on 3dhp-like, 0 on the others.
            assertTrue(worstDistortionPx < 2.0, name + ": " + worstDistortionPx + " px");
        }
    }

    @Test
    void theCacheHoldsWhatFillRenders() throws IOException {
        SyntheticDomain d = SyntheticDomain.generate(Domains.resized(Domains.preset("3dpw-like"), 2, 20), 6);
        ImageDataset data = ImageDataset.of(d, "train", new ImageRenderer(d.spec().image(), 64), 5, 9);
        ImageSamples cached = data.cached(2);
        assertEquals(data.size(), cached.size());
        int n = 3 * 64 * 64;
        for (int i = 0; i < data.size(); i += 3) {
            float[][] a = {new float[n], new float[J * 3], new float[J * 2], new float[5]};
            float[][] b = {new float[n], new float[J * 3], new float[J * 2], new float[5]};
            data.fill(i, a[0], a[1], a[2], a[3]);
            cached.fill(i, b[0], b[1], b[2], b[3]);
            for (int k = 0; k < 4; k++) {
                assertArrayEquals(a[k], b[k], "sample " + i + " array " + k);
            }
        }
        assertEquals(data.size(), data.actions().size());
        assertEquals(data.size(), data.viewpoints().size());
    }
}
