package io.github.poseshift.geometry;

import com.google.gson.annotations.SerializedName;

/**
 * How a lifter sees 2D keypoints that arrive screen-normalised ({@link Camera#normalizeScreen}). A domain names the
 * one its images call for (a domain spec's {@code lifterInput}); the lifter applies it to every frame it is fed, so
 * training, adaptation and evaluation cannot disagree about it.
 *
 * <p>AdaptPose (sec. 6) keeps screen coordinates for Human3.6M, 3DHP and 3DPW: they found them better across
 * datasets than root-centring with Frobenius normalisation, and the 2D position of the body tells the lifter about
 * perspective. For the Ski dataset they root-centre and Frobenius-normalise, "since the image frames are already
 * cropped … with the person in the center of the image": where the camera follows the person, the position in the
 * frame carries no information, and the scale tells more about the zoom than about the body.
 */
public enum KeypointNormalisation {
    /** The screen coordinates as they are. */
    @SerializedName("screen") SCREEN,
    /**
     * Each frame's keypoints minus its root joint (joint 0, the hip of H36M-17), divided by the Frobenius norm of
     * the J × 2 matrix that leaves (AdaptPose sec. 6, their Ski preprocessing).
     */
    @SerializedName("root-frobenius") ROOT_FROBENIUS;

    /**
     * The norm divided by is √(‖x‖²_F + ε²) with this ε: the Frobenius norm for any real pose, and a frame with every
     * joint on its root stays at zero with a finite gradient (a generator's output can flow through it).
     */
    public static final double NORM_EPSILON = 1e-6;

    /** The JSON spelling: {@code screen} or {@code root-frobenius}. */
    @Override
    public String toString() {
        return this == SCREEN ? "screen" : "root-frobenius";
    }

    /**
     * This normalisation of one frame's packed keypoints {@code [J][2]} (joint 0 the root), on plain arrays: the
     * reference the lifter's tensor form is tested against. Returns a new array.
     */
    public float[] apply(float[] frameXY) {
        Checks.tuples("frameXY", frameXY, 2);
        float[] out = frameXY.clone();
        if (this == SCREEN) {
            return out;
        }
        double sum = 0;
        for (int i = 0; i < out.length; i += 2) {
            out[i] -= frameXY[0];
            out[i + 1] -= frameXY[1];
            sum += (double) out[i] * out[i] + (double) out[i + 1] * out[i + 1];
        }
        double norm = Math.sqrt(sum + NORM_EPSILON * NORM_EPSILON);
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (out[i] / norm);
        }
        return out;
    }
}
