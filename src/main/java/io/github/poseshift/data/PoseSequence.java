package io.github.poseshift.data;

import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeleton;
import java.util.Arrays;
import java.util.Objects;

/**
 * One continuous motion of one subject: {@code frames × joints × 3} world positions in metres (Z up,
 * PoseShift's world frame), sampled at {@code fps}. Stored in float32 — the storage format of every
 * pose dataset — and immutable: the constructor and {@link #positions()} copy.
 */
public final class PoseSequence {

    private final Skeleton skeleton;
    private final String subject;
    private final String action;
    private final double fps;
    private final float[] positions;
    private final int numFrames;

    /**
     * @param skeleton  joint layout
     * @param subject   subject identifier (e.g. {@code S1}); splits are made by subject
     * @param action    action label (e.g. {@code Walking}); reports group errors by it
     * @param fps       frames per second, positive
     * @param positions {@code [frames][joints][3]} row-major, metres, all finite
     * @throws IllegalArgumentException naming the sequence and the problem
     */
    public PoseSequence(Skeleton skeleton, String subject, String action, double fps, float[] positions) {
        this.skeleton = Objects.requireNonNull(skeleton, "skeleton");
        this.subject = Objects.requireNonNull(subject, "subject");
        this.action = Objects.requireNonNull(action, "action");
        String name = "sequence " + subject + "/" + action;
        if (!(fps > 0) || Double.isInfinite(fps)) {
            throw new IllegalArgumentException(name + ": fps must be positive, got " + fps);
        }
        int stride = skeleton.numJoints() * 3;
        if (positions.length % stride != 0) {
            throw new IllegalArgumentException(name + ": " + positions.length + " values are not [frames]["
                    + skeleton.numJoints() + "][3]");
        }
        for (int i = 0; i < positions.length; i++) {
            if (!Float.isFinite(positions[i])) {
                throw new IllegalArgumentException(name + ": non-finite position at frame " + i / stride + ", joint '"
                        + skeleton.jointName((i % stride) / 3) + "'");
            }
        }
        this.fps = fps;
        this.positions = positions.clone();
        this.numFrames = positions.length / stride;
    }

    /** Joint layout. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** Subject identifier. */
    public String subject() {
        return subject;
    }

    /** Action label. */
    public String action() {
        return action;
    }

    /** Frames per second. */
    public double fps() {
        return fps;
    }

    /** Number of frames. */
    public int numFrames() {
        return numFrames;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return numFrames / fps;
    }

    /** Coordinate {@code axis} of {@code joint} at {@code frame}, metres. */
    public float get(int frame, int joint, int axis) {
        return positions[(frame * skeleton.numJoints() + joint) * 3 + axis];
    }

    /** A copy of the positions, {@code [frames][joints][3]}. */
    public float[] positions() {
        return positions.clone();
    }

    /** The frames as a {@link PoseArray} (for metrics and alignment). */
    public PoseArray toPoseArray() {
        return PoseArray.of(positions, skeleton.numJoints());
    }

    /** The same motion on another skeleton through {@code map} (whose source must be this skeleton). */
    public PoseSequence mapped(JointMap map) {
        if (!map.source().equals(skeleton)) {
            throw new IllegalArgumentException("joint map " + map + " does not start from skeleton '" + skeleton.name()
                    + "' of sequence " + subject + "/" + action);
        }
        return new PoseSequence(map.target(), subject, action, fps, map.apply(positions, 3));
    }

    /** Frames {@code from} (inclusive) to {@code to} (exclusive). */
    public PoseSequence slice(int from, int to) {
        if (from < 0 || to > numFrames || from >= to) {
            throw new IndexOutOfBoundsException("frames " + from + ".." + to + " of a " + numFrames + "-frame sequence");
        }
        int stride = skeleton.numJoints() * 3;
        return new PoseSequence(skeleton, subject, action, fps, Arrays.copyOfRange(positions, from * stride, to * stride));
    }

    @Override
    public String toString() {
        return "PoseSequence[" + subject + "/" + action + ", " + numFrames + " frames @ " + fps + " fps, "
                + skeleton.name() + "]";
    }
}
