package io.github.poseshift.train;

import io.github.poseshift.data.ImageSamples;
import java.util.Random;

/**
 * Synthetic labelled crops for image-model tests: seeded random poses (a standing skeleton with each arm
 * raised sideways by 0 to 162°, turned by up to ±90° about the vertical, leaning, each joint jittered), seen by a pinhole camera about 5 m away whose
 * 2 m box fills the crop, drawn as Gaussian blobs at the joints' pixels. Channel 0 is the blobs, channel 1
 * the blobs weighted by each joint's depth relative to the root (so depth is visible), channel 2 the
 * blobs weighted by the joint's index (so joints can be told apart).
 */
final class BlobImages {

    /** H36M-17 standing pose, camera coordinates (x right, y down), metres, root-relative, facing the camera. */
    static final float[][] STANDING = {
        {0, 0, 0}, {-0.12f, 0, 0}, {-0.12f, 0.45f, 0}, {-0.12f, 0.9f, 0}, {0.12f, 0, 0}, {0.12f, 0.45f, 0},
        {0.12f, 0.9f, 0}, {0, -0.25f, 0}, {0, -0.5f, 0}, {0, -0.6f, 0.05f}, {0, -0.75f, 0}, {0.18f, -0.5f, 0},
        {0.2f, -0.25f, 0.1f}, {0.22f, 0, 0.15f}, {-0.18f, -0.5f, 0}, {-0.2f, -0.25f, 0.1f}, {-0.22f, 0, 0.15f}};

    /** Standard deviation of each joint's jitter, metres. */
    static final double JITTER = 0.02;

    private BlobImages() {}

    static ImageSamples generate(int samples, int size, long seed) {
        int j = ImageSamples.JOINTS;
        Random rng = new Random(seed);
        float[] images = new float[samples * 3 * size * size];
        float[] joints3d = new float[samples * j * 3];
        float[] joints2d = new float[samples * j * 2];
        float[] cameras = new float[samples * 5];
        float sigma = size / 32f;
        for (int n = 0; n < samples; n++) {
            double yaw = (rng.nextDouble() * 2 - 1) * Math.PI / 2;
            double lean = (rng.nextDouble() * 2 - 1) * 0.3;
            float rootDepth = 4.5f + rng.nextFloat();
            float f = size * 5f / 2f;
            float cx = (size - 1) / 2f + (float) rng.nextGaussian();
            float cy = (size - 1) / 2f + (float) rng.nextGaussian();
            double[] raise = {rng.nextDouble() * Math.PI * 0.9, rng.nextDouble() * Math.PI * 0.9}; // left, right arm
            float[] pose = new float[j * 3];
            for (int k = 0; k < j; k++) {
                double x = STANDING[k][0];
                double y = STANDING[k][1];
                double z = STANDING[k][2];
                int arm = k == 12 || k == 13 ? 0 : k == 15 || k == 16 ? 1 : -1;
                if (arm >= 0) { // raise the arm sideways about its shoulder (11 or 14)
                    int shoulder = arm == 0 ? 11 : 14;
                    double a = arm == 0 ? raise[0] : -raise[1];
                    double dx = x - STANDING[shoulder][0];
                    double dy = y - STANDING[shoulder][1];
                    x = STANDING[shoulder][0] + dx * Math.cos(a) + dy * Math.sin(a);
                    y = STANDING[shoulder][1] - dx * Math.sin(a) + dy * Math.cos(a);
                }
                if (k != 0) {
                    x += JITTER * rng.nextGaussian();
                    y += JITTER * rng.nextGaussian();
                    z += JITTER * rng.nextGaussian();
                }
                double x1 = Math.cos(yaw) * x + Math.sin(yaw) * z; // about the vertical (y)
                double z1 = -Math.sin(yaw) * x + Math.cos(yaw) * z;
                double y2 = Math.cos(lean) * y - Math.sin(lean) * z1; // forward lean (about x)
                double z2 = Math.sin(lean) * y + Math.cos(lean) * z1;
                pose[k * 3] = (float) x1;
                pose[k * 3 + 1] = (float) y2;
                pose[k * 3 + 2] = (float) z2;
            }
            // The root projects to the principal point (root x = y = 0 in camera coordinates).
            System.arraycopy(pose, 0, joints3d, n * j * 3, j * 3);
            System.arraycopy(new float[] {f, f, cx, cy, rootDepth}, 0, cameras, n * 5, 5);
            int base = n * 3 * size * size;
            for (int k = 0; k < j; k++) {
                float z = rootDepth + pose[k * 3 + 2];
                float u = f * pose[k * 3] / z + cx;
                float v = f * pose[k * 3 + 1] / z + cy;
                joints2d[(n * j + k) * 2] = u;
                joints2d[(n * j + k) * 2 + 1] = v;
                float depthCode = Math.max(0, Math.min(1, (pose[k * 3 + 2] + 0.6f) / 1.2f));
                float identity = (k + 1) / (float) j;
                for (int r = Math.max(0, (int) (v - 3 * sigma)); r <= Math.min(size - 1, (int) (v + 3 * sigma) + 1); r++) {
                    for (int c = Math.max(0, (int) (u - 3 * sigma)); c <= Math.min(size - 1, (int) (u + 3 * sigma) + 1); c++) {
                        float g = (float) Math.exp(-((c - u) * (c - u) + (r - v) * (r - v)) / (2 * sigma * sigma));
                        int p = r * size + c;
                        images[base + p] = Math.min(1, images[base + p] + g);
                        images[base + size * size + p] = Math.min(1, images[base + size * size + p] + g * depthCode);
                        images[base + 2 * size * size + p] = Math.min(1, images[base + 2 * size * size + p] + g * identity);
                    }
                }
            }
        }
        return ImageSamples.inMemory(size, images, joints3d, joints2d, cameras);
    }
}
