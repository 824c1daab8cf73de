package io.github.poseshift.data;

import io.github.poseshift.geometry.Camera;
import java.util.List;

/**
 * A {@link PoseSequence} seen by one camera: the camera of every frame (one for a static camera, one
 * per frame for a tracking or handheld one), the detected 2D keypoints in pixels and a confidence per
 * joint (0 for a missed joint). This is what a 2D→3D lifter gets as input; its target is the 3D pose
 * in this camera's frame ({@link #cameraPositions()}).
 */
public final class ViewSequence {

    private final PoseSequence poses;
    private final int cameraIndex;
    private final List<Camera> cameras;
    private final float[] keypoints;
    private final float[] confidence;

    /**
     * @param poses       the world motion
     * @param cameraIndex which camera of the scene
     * @param cameras     one camera, or one per frame
     * @param keypoints   {@code [frames][joints][2]} pixels
     * @param confidence  {@code [frames][joints]} in [0, 1]
     */
    public ViewSequence(PoseSequence poses, int cameraIndex, List<Camera> cameras, float[] keypoints, float[] confidence) {
        int frames = poses.numFrames();
        int joints = poses.skeleton().numJoints();
        if (cameras.size() != 1 && cameras.size() != frames) {
            throw new IllegalArgumentException(poses + ": " + cameras.size() + " cameras, need 1 or " + frames);
        }
        if (keypoints.length != frames * joints * 2 || confidence.length != frames * joints) {
            throw new IllegalArgumentException(poses + ": keypoints/confidence of lengths " + keypoints.length + "/"
                    + confidence.length + " do not fit " + frames + " frames of " + joints + " joints");
        }
        this.poses = poses;
        this.cameraIndex = cameraIndex;
        this.cameras = List.copyOf(cameras);
        this.keypoints = keypoints.clone();
        this.confidence = confidence.clone();
    }

    /** The world motion. */
    public PoseSequence poses() {
        return poses;
    }

    /** Which camera of the scene. */
    public int cameraIndex() {
        return cameraIndex;
    }

    /** Whether the camera moves during the sequence. */
    public boolean isMoving() {
        return cameras.size() > 1;
    }

    /** The camera at {@code frame}. */
    public Camera camera(int frame) {
        return cameras.get(cameras.size() == 1 ? 0 : frame);
    }

    /** One camera, or one per frame. */
    public List<Camera> cameras() {
        return cameras;
    }

    /** Number of frames. */
    public int numFrames() {
        return poses.numFrames();
    }

    /** Coordinate {@code axis} (0 u, 1 v) of the detected keypoint of {@code joint} at {@code frame}, pixels. */
    public float keypoint(int frame, int joint, int axis) {
        return keypoints[(frame * poses.skeleton().numJoints() + joint) * 2 + axis];
    }

    /** Detected 2D keypoints {@code [frames][joints][2]}, pixels (a copy). */
    public float[] keypoints() {
        return keypoints.clone();
    }

    /** Detection confidence {@code [frames][joints]} (a copy). */
    public float[] confidence() {
        return confidence.clone();
    }

    /** The 3D poses in this camera's frame {@code [frames][joints][3]}, metres (the lifting target). */
    public float[] cameraPositions() {
        float[] world = poses.positions();
        int stride = poses.skeleton().numJoints() * 3;
        float[] out = new float[world.length];
        for (int f = 0; f < numFrames(); f++) {
            float[] frame = java.util.Arrays.copyOfRange(world, f * stride, (f + 1) * stride);
            System.arraycopy(camera(f).worldToCamera(frame), 0, out, f * stride, stride);
        }
        return out;
    }

    @Override
    public String toString() {
        return "ViewSequence[" + poses.subject() + "/" + poses.action() + " cam" + cameraIndex + ", " + numFrames()
                + " frames" + (isMoving() ? ", moving camera" : "") + "]";
    }
}
