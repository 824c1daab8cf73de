package io.github.poseshift.eval;

import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * A named subset of a skeleton's joints over which metrics are computed. Protocols differ in which
 * joints count, and numbers are only comparable under the same subset, so each one is named here with
 * the paper that uses it.
 *
 * @param name        identifier used on the command line
 * @param description what the subset is and who uses it
 * @param skeleton    the skeleton whose joint indices {@code joints} refers to
 * @param joints      joint indices, in order
 */
public record JointSubset(String name, String description, Skeleton skeleton, int[] joints) {

    /** All 17 H36M joints: the Human3.6M protocols 1 and 2 of VideoPose3D and most lifting papers. */
    public static final JointSubset H36M_ALL = new JointSubset("all",
            "all 17 H36M joints (Human3.6M protocols #1/#2, VideoPose3D)", Skeletons.H36M17,
            range(17));

    /**
     * The 14 joints of the MPI-INF-3DHP PCK/AUC evaluation (Mehta et al. 2017, the official script's
     * joint groups head, neck, shoulders, elbows, wrists, hips, knees, ankles), in H36M order: pelvis,
     * spine and the nose/neck joint are left out.
     */
    public static final JointSubset H36M_3DHP14 = new JointSubset("3dhp14",
            "the 14 joints of the MPI-INF-3DHP PCK/AUC protocol (Mehta et al. 2017): head top, neck/thorax,"
                    + " shoulders, elbows, wrists, hips, knees, ankles",
            Skeletons.H36M17, new int[] {10, 8, 14, 15, 16, 11, 12, 13, 1, 2, 3, 4, 5, 6});

    /** Validates the indices against the skeleton. */
    public JointSubset {
        joints = joints.clone();
        for (int j : joints) {
            if (j < 0 || j >= skeleton.numJoints()) {
                throw new IllegalArgumentException("joint subset '" + name + "': index " + j
                        + " outside skeleton '" + skeleton.name() + "'");
            }
        }
    }

    @Override
    public int[] joints() {
        return joints.clone();
    }

    /** The joint names of the subset, in order. */
    public List<String> jointNames() {
        return Arrays.stream(joints).mapToObj(skeleton::jointName).collect(Collectors.toList());
    }

    /** The named subsets PoseShift ships. */
    public static List<JointSubset> all() {
        return List.of(H36M_ALL, H36M_3DHP14);
    }

    /**
     * The shipped subset with this name.
     *
     * @throws IllegalArgumentException listing the known names
     */
    public static JointSubset byName(String name) {
        String key = name.toLowerCase(Locale.ROOT);
        return all().stream().filter(s -> s.name.equals(key)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("unknown joint subset '" + name + "'; known: "
                        + all().stream().map(JointSubset::name).collect(Collectors.joining(", "))));
    }

    private static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof JointSubset s && s.name.equals(name) && s.skeleton.equals(skeleton)
                && Arrays.equals(s.joints, joints);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(joints);
    }

    @Override
    public String toString() {
        return "JointSubset[" + name + ": " + jointNames() + "]";
    }
}
