package io.github.poseshift.nn.adaptpose;

/**
 * How AdaptPose's motion generator turns the bones of a source window: the three designs of the paper's bone
 * generation study (Gholami et al., CVPR 2022, sec. 4.1, fig. 3, table 6: MPJPE on 3DHP 85.1, 80.0 and 77.2 mm).
 * All three keep every bone's length and leave the pelvis–spine and spine–thorax bones as they are; the bone-length
 * head (BL) changes lengths afterwards in each.
 */
public enum BoneGeneration {

    /**
     * A displacement per bone and frame from the whole window (eq. 5): the network sees the source window and
     * predicts Δb_t for every frame t; each frame's bone direction becomes (u_t + Δb_t)/‖u_t + Δb_t‖
     * ({@link BoneDisplacementGenerator}).
     */
    BG1,

    /**
     * One displacement per bone from a single sample, the window's middle frame (eq. 6): the same Δb is added to
     * the bone's direction in every frame, (u_t + Δb)/‖u_t + Δb‖ ({@link BoneDisplacementGenerator}).
     */
    BG2,

    /**
     * An axis and an angle per bone from the middle frame, the turn ramped over the window as θ·t/T (eqs. 7–9):
     * the paper's choice and the default ({@link BoneAngleGenerator}).
     */
    BG3
}
