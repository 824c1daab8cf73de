package io.github.poseshift.skeleton;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How to compute each joint of a target skeleton (usually {@link Skeletons#H36M17}) from a source
 * skeleton's joints: every target joint is an affine combination (weights summing to 1) of a non-empty
 * list of source joints, by default their mean. A single index copies a joint; several make a virtual
 * joint, e.g. a BVH skeleton without a pelvis joint gets H36M's Hip as the mean of its two hip joints,
 * and weights outside [0, 1] extrapolate, e.g. a head top beyond the neck-to-skull-base direction.
 *
 * <p>Maps are built by joint name ({@link #byNames}) so a typo fails loudly, or by index lists
 * ({@link #byIndices}) for the numeric tables papers publish.
 */
public final class JointMap {

    private final Skeleton source;
    private final Skeleton target;
    private final int[][] sourcesPerTarget;
    private final double[][] weightsPerTarget;

    private JointMap(Skeleton source, Skeleton target, int[][] sourcesPerTarget, double[][] weightsPerTarget) {
        this.source = source;
        this.target = target;
        this.sourcesPerTarget = sourcesPerTarget;
        this.weightsPerTarget = weightsPerTarget;
    }

    /**
     * A map given as one list of source joint indices per target joint, in target joint order.
     *
     * @throws IllegalArgumentException when the list count differs from the target's joint count, a
     *                                  list is empty, or an index is outside the source skeleton
     */
    public static JointMap byIndices(Skeleton source, Skeleton target, int[][] sourcesPerTarget) {
        if (sourcesPerTarget.length != target.numJoints()) {
            throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name() + ": "
                    + sourcesPerTarget.length + " entries for " + target.numJoints() + " target joints");
        }
        int[][] copy = new int[sourcesPerTarget.length][];
        for (int t = 0; t < copy.length; t++) {
            int[] list = sourcesPerTarget[t];
            if (list == null || list.length == 0) {
                throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                        + ": target joint '" + target.jointName(t) + "' has no source joint");
            }
            for (int s : list) {
                if (s < 0 || s >= source.numJoints()) {
                    throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                            + ": target joint '" + target.jointName(t) + "' uses source index " + s
                            + ", outside 0.." + (source.numJoints() - 1));
                }
            }
            copy[t] = list.clone();
        }
        double[][] weights = new double[copy.length][];
        for (int t = 0; t < copy.length; t++) {
            weights[t] = new double[copy[t].length];
            java.util.Arrays.fill(weights[t], 1.0 / copy[t].length);
        }
        return new JointMap(source, target, copy, weights);
    }

    /**
     * This map with target joint {@code targetName} replaced by the affine combination
     * {@code Σ weight·source joint} of the named source joints.
     *
     * @throws IllegalArgumentException when a name is unknown or the weights do not sum to 1 (a
     *                                  combination that is not affine would move with the origin)
     */
    public JointMap withCombination(String targetName, Map<String, Double> weightsBySourceName) {
        int t = target.indexOf(targetName);
        if (weightsBySourceName.isEmpty()) {
            throw new IllegalArgumentException("joint map " + this + ": no source joints for '" + targetName + "'");
        }
        double sum = weightsBySourceName.values().stream().mapToDouble(Double::doubleValue).sum();
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("joint map " + this + ": weights for '" + targetName + "' sum to " + sum
                    + ", not 1");
        }
        int[][] sources = sourcesPerTarget.clone();
        double[][] weights = weightsPerTarget.clone();
        sources[t] = weightsBySourceName.keySet().stream().mapToInt(source::indexOf).toArray();
        weights[t] = weightsBySourceName.values().stream().mapToDouble(Double::doubleValue).toArray();
        return new JointMap(source, target, sources, weights);
    }

    /** A one-to-one map: target joint {@code t} is source joint {@code sourceIndexPerTarget[t]}. */
    public static JointMap byIndices(Skeleton source, Skeleton target, int... sourceIndexPerTarget) {
        int[][] lists = new int[sourceIndexPerTarget.length][];
        for (int t = 0; t < lists.length; t++) {
            lists[t] = new int[] {sourceIndexPerTarget[t]};
        }
        return byIndices(source, target, lists);
    }

    /**
     * A map given by names: for every target joint name, the source joint names whose mean it is.
     *
     * @throws IllegalArgumentException naming the joint when a target joint is missing from the map,
     *                                  the map names a joint the target lacks, or a source name is unknown
     */
    public static JointMap byNames(Skeleton source, Skeleton target, Map<String, List<String>> sourcesByTargetName) {
        for (String targetName : sourcesByTargetName.keySet()) {
            if (!target.hasJoint(targetName)) {
                throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                        + ": unknown target joint '" + targetName + "'; target joints are " + target.jointNames());
            }
        }
        int[][] lists = new int[target.numJoints()][];
        for (int t = 0; t < lists.length; t++) {
            List<String> names = sourcesByTargetName.get(target.jointName(t));
            if (names == null) {
                throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                        + ": target joint '" + target.jointName(t) + "' is missing from the map");
            }
            int[] indices = new int[names.size()];
            for (int k = 0; k < indices.length; k++) {
                String name = names.get(k);
                if (!source.hasJoint(name)) {
                    throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                            + ": unknown source joint '" + name + "' (for target '" + target.jointName(t)
                            + "'); source joints are " + source.jointNames());
                }
                indices[k] = source.indexOf(name);
            }
            lists[t] = indices;
        }
        return byIndices(source, target, lists);
    }

    /** The identity map of a skeleton onto itself. */
    public static JointMap identity(Skeleton skeleton) {
        int[] idx = new int[skeleton.numJoints()];
        Arrays.setAll(idx, j -> j);
        return byIndices(skeleton, skeleton, idx);
    }

    /**
     * MPI-INF-3DHP (17-joint test order) onto H36M-17, the correspondence used for cross-dataset
     * evaluation (pelvis→Hip, neck→Thorax, head→Neck/Nose, head_top→Head).
     */
    public static JointMap mpiInf3dhpToH36m() {
        return byIndices(Skeletons.MPI_INF_3DHP17, Skeletons.H36M17,
                14, 8, 9, 10, 11, 12, 13, 15, 1, 16, 0, 5, 6, 7, 2, 3, 4);
    }

    /** The source skeleton. */
    public Skeleton source() {
        return source;
    }

    /** The target skeleton. */
    public Skeleton target() {
        return target;
    }

    /** The source joints averaged into target joint {@code t} (a copy). */
    public int[] sourcesOf(int t) {
        return sourcesPerTarget[t].clone();
    }

    /** Whether every target joint copies exactly one source joint. */
    public boolean isOneToOne() {
        return Arrays.stream(sourcesPerTarget).allMatch(l -> l.length == 1);
    }

    /**
     * Applies the map to poses stored row-major as {@code [frames][sourceJoints][dims]}.
     *
     * @param poses source poses; length must be a multiple of {@code source.numJoints() * dims}
     * @param dims  coordinates per joint (2 for image keypoints, 3 for 3D)
     * @return target poses {@code [frames][targetJoints][dims]}
     */
    public float[] apply(float[] poses, int dims) {
        int js = source.numJoints();
        int jt = target.numJoints();
        if (dims <= 0 || poses.length % (js * dims) != 0) {
            throw new IllegalArgumentException("joint map " + source.name() + " -> " + target.name()
                    + ": array of length " + poses.length + " is not [frames][" + js + "][" + dims + "]");
        }
        int frames = poses.length / (js * dims);
        float[] out = new float[frames * jt * dims];
        for (int f = 0; f < frames; f++) {
            int in = f * js * dims;
            for (int t = 0; t < jt; t++) {
                int[] list = sourcesPerTarget[t];
                double[] w = weightsPerTarget[t];
                int o = (f * jt + t) * dims;
                for (int d = 0; d < dims; d++) {
                    double sum = 0;
                    for (int k = 0; k < list.length; k++) {
                        sum += w[k] * poses[in + list[k] * dims + d];
                    }
                    out[o + d] = (float) sum;
                }
            }
        }
        return out;
    }

    /** The map as target name → source names (weights left out), for display. */
    public Map<String, List<String>> asNames() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        for (int t = 0; t < sourcesPerTarget.length; t++) {
            List<String> names = new ArrayList<>();
            for (int s : sourcesPerTarget[t]) {
                names.add(source.jointName(s));
            }
            m.put(target.jointName(t), List.copyOf(names));
        }
        return m;
    }

    @Override
    public String toString() {
        return "JointMap[" + source.name() + " -> " + target.name() + "]";
    }
}
