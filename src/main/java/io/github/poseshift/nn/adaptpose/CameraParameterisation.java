package io.github.poseshift.nn.adaptpose;

/**
 * How the RT head (camera) predicts its rotation: the four options of AdaptPose's ablation (Gholami et al.,
 * CVPR 2022, sec. 4.3, the table on the camera parameterisation).
 */
public enum CameraParameterisation {

    /** An axis (normalised) and an angle, both predicted: 4 outputs. */
    DETERMINISTIC_AXIS(4),

    /**
     * The paper's choice: the axis drawn from N(μ, σ²) with μ and σ predicted (σ as the square of an
     * output, so it is never negative), normalised, and a predicted angle: 7 outputs and 3 noise values.
     */
    PROBABILISTIC_AXIS(7),

    /** A quaternion (w, x, y, z), normalised: 4 outputs. */
    QUATERNION(4),

    /** Euler angles about x, y and z, applied in that order: 3 outputs. */
    EULER(3);

    private final int outputs;

    CameraParameterisation(int outputs) {
        this.outputs = outputs;
    }

    /** What the rotation MLP outputs per sample. */
    public int outputs() {
        return outputs;
    }
}
