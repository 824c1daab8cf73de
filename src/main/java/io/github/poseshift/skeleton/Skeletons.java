package io.github.poseshift.skeleton;

import io.github.poseshift.skeleton.Skeleton.JointPair;
import java.util.List;
import java.util.Locale;

/** The skeletons PoseShift ships, and lookup by name for the CLI. */
public final class Skeletons {

    private Skeletons() {}

    /**
     * Human3.6M with the 17 joints every lifting paper keeps (VideoPose3D's {@code h36m_skeleton} after
     * {@code remove_joints}): 0 Hip, 1 RHip, 2 RKnee, 3 RFoot, 4 LHip, 5 LKnee, 6 LFoot, 7 Spine,
     * 8 Thorax, 9 Neck/Nose, 10 Head, 11 LShoulder, 12 LElbow, 13 LWrist, 14 RShoulder, 15 RElbow,
     * 16 RWrist. The common skeleton of PoseShift: every other one maps onto it with a {@link JointMap}.
     */
    public static final Skeleton H36M17 = new Skeleton("h36m17",
            List.of("Hip", "RHip", "RKnee", "RFoot", "LHip", "LKnee", "LFoot", "Spine", "Thorax", "Neck",
                    "Head", "LShoulder", "LElbow", "LWrist", "RShoulder", "RElbow", "RWrist"),
            new int[] {-1, 0, 1, 2, 0, 4, 5, 0, 7, 8, 9, 8, 11, 12, 8, 14, 15},
            List.of(new JointPair(4, 1), new JointPair(5, 2), new JointPair(6, 3),
                    new JointPair(11, 14), new JointPair(12, 15), new JointPair(13, 16)));

    /**
     * MPI-INF-3DHP's 17-joint test-set order (Mehta et al. 2017, {@code annot3} of the test sequences):
     * 0 head_top, 1 neck, 2 right_shoulder, 3 right_elbow, 4 right_wrist, 5 left_shoulder,
     * 6 left_elbow, 7 left_wrist, 8 right_hip, 9 right_knee, 10 right_ankle, 11 left_hip, 12 left_knee,
     * 13 left_ankle, 14 pelvis (root), 15 spine, 16 head.
     */
    public static final Skeleton MPI_INF_3DHP17 = new Skeleton("mpi_inf_3dhp17",
            List.of("head_top", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder",
                    "left_elbow", "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip",
                    "left_knee", "left_ankle", "pelvis", "spine", "head"),
            new int[] {16, 15, 1, 2, 3, 1, 5, 6, 14, 8, 9, 14, 11, 12, -1, 14, 1},
            List.of(new JointPair(5, 2), new JointPair(6, 3), new JointPair(7, 4),
                    new JointPair(11, 8), new JointPair(12, 9), new JointPair(13, 10)));

    /** Every shipped skeleton. */
    public static List<Skeleton> all() {
        return List.of(H36M17, MPI_INF_3DHP17);
    }

    /**
     * The shipped skeleton with this name ({@code h36m17}, {@code mpi_inf_3dhp17}; case-insensitive,
     * {@code h36m} and {@code 3dhp} accepted as short forms).
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static Skeleton byName(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace('-', '_');
        switch (key) {
            case "h36m", "h36m17" -> {
                return H36M17;
            }
            case "3dhp", "mpi_inf_3dhp", "mpi_inf_3dhp17" -> {
                return MPI_INF_3DHP17;
            }
            default -> throw new IllegalArgumentException("unknown skeleton '" + name
                    + "'; known: h36m17 (alias h36m), mpi_inf_3dhp17 (alias 3dhp)");
        }
    }
}
