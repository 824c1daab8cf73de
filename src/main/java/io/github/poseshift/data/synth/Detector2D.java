package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Camera;
import java.util.List;
import java.util.Random;

/**
 * What a 2D keypoint detector makes of a camera's view ({@link DomainSpec.Observation}): the exact
 * projection (with the lens distortion of the camera) plus Gaussian pixel noise, occasional gross
 * outliers (a detector confusing limbs or people) and missed joints. Confidence is 1 for a clean
 * detection, drawn in [0.2, 0.6] for an outlier (detectors are often unsure when wrong) and 0 for a
 * missed joint, whose position keeps the noisy estimate so arrays stay dense. A joint less than
 * {@value #MIN_DEPTH_M} m in front of the camera (a subject walking under a ceiling camera) cannot be
 * seen: its confidence is 0 and its keypoint is the projection at that minimum depth.
 */
public final class Detector2D {

    /** Nearest depth at which a joint can be seen, metres. */
    static final double MIN_DEPTH_M = 0.1;

    private Detector2D() {}

    /** Projects {@code seq} through {@code cameras} (one, or one per frame) and applies the observation model. */
    public static ViewSequence observe(PoseSequence seq, int cameraIndex, List<Camera> cameras,
            DomainSpec.Observation model, Random rng) {
        int joints = seq.skeleton().numJoints();
        int frames = seq.numFrames();
        float[] world = seq.positions();
        float[] keypoints = new float[frames * joints * 2];
        float[] confidence = new float[frames * joints];
        for (int f = 0; f < frames; f++) {
            Camera camera = cameras.get(cameras.size() == 1 ? 0 : f);
            boolean distort = camera.intrinsics().hasDistortion();
            float[] frame = camera.worldToCamera(java.util.Arrays.copyOfRange(world, f * joints * 3, (f + 1) * joints * 3));
            for (int j = 0; j < joints; j++) {
                int k = (f * joints + j) * 2;
                boolean visible = frame[3 * j + 2] >= MIN_DEPTH_M;
                double[] pixel = camera.project(frame[3 * j], frame[3 * j + 1], Math.max(MIN_DEPTH_M, frame[3 * j + 2]),
                        distort);
                double u = pixel[0] + rng.nextGaussian() * model.pixelNoiseStd();
                double v = pixel[1] + rng.nextGaussian() * model.pixelNoiseStd();
                float c = visible ? 1f : 0f;
                if (rng.nextDouble() < model.outlierRate() && visible) {
                    u += rng.nextGaussian() * model.outlierStdPx();
                    v += rng.nextGaussian() * model.outlierStdPx();
                    c = (float) (0.2 + 0.4 * rng.nextDouble());
                }
                if (rng.nextDouble() < model.dropoutRate()) {
                    c = 0f;
                }
                keypoints[k] = (float) u;
                keypoints[k + 1] = (float) v;
                confidence[f * joints + j] = c;
            }
        }
        return new ViewSequence(seq, cameraIndex, cameras, keypoints, confidence);
    }
}
