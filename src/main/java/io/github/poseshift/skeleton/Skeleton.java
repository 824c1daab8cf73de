package io.github.poseshift.skeleton;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A kinematic tree of named joints: parent indices, the root, and the left/right joint pairs used for
 * flip augmentation and symmetric bone groups. Immutable; build it once and share it.
 *
 * <p>A bone is identified by its child joint: bone {@code b} runs from {@code parent(child)} to
 * {@code child}, and bones are listed in joint order, skipping the root. That is the convention of
 * VideoPose3D's {@code Skeleton} and of the kinematic chain space (Wandt et al.), so a bone index is
 * stable as long as the joint order is.
 */
public final class Skeleton {

    /** One bone, from {@code parent} to {@code child} (joint indices). */
    public record Bone(int parent, int child) {}

    /** A left joint and its mirror-image right joint. */
    public record JointPair(int left, int right) {}

    private final String name;
    private final List<String> jointNames;
    private final Map<String, Integer> indexByName;
    private final int[] parents;
    private final int root;
    private final List<JointPair> pairs;
    private final int[] mirror;
    private final List<Bone> bones;

    /**
     * @param name       a short identifier such as {@code "h36m17"}
     * @param jointNames unique joint names, in joint order
     * @param parents    parent index per joint; exactly one joint has {@code -1} (the root)
     * @param pairs      left/right joint pairs; each joint in at most one pair
     * @throws IllegalArgumentException when the names repeat, the parents do not form a single tree,
     *                                  or a pair is inconsistent
     */
    public Skeleton(String name, List<String> jointNames, int[] parents, List<JointPair> pairs) {
        this.name = Objects.requireNonNull(name, "name");
        this.jointNames = List.copyOf(jointNames);
        this.parents = parents.clone();
        this.pairs = List.copyOf(pairs);
        int n = this.jointNames.size();
        if (n == 0) {
            throw new IllegalArgumentException("skeleton '" + name + "' has no joints");
        }
        if (this.parents.length != n) {
            throw new IllegalArgumentException("skeleton '" + name + "': " + n + " joint names but "
                    + this.parents.length + " parent indices");
        }
        this.indexByName = indexNames(name, this.jointNames);
        this.root = findRoot(name, this.jointNames, this.parents);
        checkTree(name, this.jointNames, this.parents);
        this.mirror = mirrorTable(name, n, this.pairs);
        List<Bone> b = new ArrayList<>(n - 1);
        for (int j = 0; j < n; j++) {
            if (this.parents[j] >= 0) {
                b.add(new Bone(this.parents[j], j));
            }
        }
        this.bones = Collections.unmodifiableList(b);
    }

    private static Map<String, Integer> indexNames(String name, List<String> names) {
        Map<String, Integer> index = new HashMap<>();
        for (int j = 0; j < names.size(); j++) {
            String joint = names.get(j);
            if (joint == null || joint.isBlank()) {
                throw new IllegalArgumentException("skeleton '" + name + "': joint " + j + " has no name");
            }
            Integer previous = index.put(joint, j);
            if (previous != null) {
                throw new IllegalArgumentException("skeleton '" + name + "': joint name '" + joint
                        + "' used twice (joints " + previous + " and " + j + ")");
            }
        }
        return Collections.unmodifiableMap(index);
    }

    private static int findRoot(String name, List<String> names, int[] parents) {
        int root = -1;
        for (int j = 0; j < parents.length; j++) {
            if (parents[j] == -1) {
                if (root >= 0) {
                    throw new IllegalArgumentException("skeleton '" + name + "' has two roots: '"
                            + names.get(root) + "' and '" + names.get(j) + "'");
                }
                root = j;
            } else if (parents[j] < 0 || parents[j] >= parents.length || parents[j] == j) {
                throw new IllegalArgumentException("skeleton '" + name + "': joint '" + names.get(j)
                        + "' has invalid parent index " + parents[j]);
            }
        }
        if (root < 0) {
            throw new IllegalArgumentException("skeleton '" + name + "' has no root (no parent -1)");
        }
        return root;
    }

    private static void checkTree(String name, List<String> names, int[] parents) {
        // Every joint must reach the root within n steps; otherwise its ancestry has a cycle.
        for (int j = 0; j < parents.length; j++) {
            int k = j;
            for (int steps = 0; parents[k] != -1; steps++) {
                if (steps > parents.length) {
                    throw new IllegalArgumentException("skeleton '" + name + "': the parents of joint '"
                            + names.get(j) + "' form a cycle");
                }
                k = parents[k];
            }
        }
    }

    private static int[] mirrorTable(String name, int n, List<JointPair> pairs) {
        int[] mirror = new int[n];
        Arrays.setAll(mirror, j -> j);
        boolean[] used = new boolean[n];
        for (JointPair p : pairs) {
            if (p.left() == p.right()) {
                throw new IllegalArgumentException("skeleton '" + name + "': pair " + p + " pairs a joint with itself");
            }
            for (int j : new int[] {p.left(), p.right()}) {
                if (j < 0 || j >= n) {
                    throw new IllegalArgumentException("skeleton '" + name + "': pair " + p
                            + " names joint index " + j + ", outside 0.." + (n - 1));
                }
                if (used[j]) {
                    throw new IllegalArgumentException("skeleton '" + name + "': joint " + j
                            + " appears in more than one left/right pair");
                }
                used[j] = true;
            }
            mirror[p.left()] = p.right();
            mirror[p.right()] = p.left();
        }
        return mirror;
    }

    /** A short identifier such as {@code "h36m17"}. */
    public String name() {
        return name;
    }

    /** Number of joints. */
    public int numJoints() {
        return jointNames.size();
    }

    /** Number of bones ({@code numJoints() - 1}). */
    public int numBones() {
        return bones.size();
    }

    /** Joint names in joint order. */
    public List<String> jointNames() {
        return jointNames;
    }

    /** The name of joint {@code j}. */
    public String jointName(int j) {
        return jointNames.get(j);
    }

    /**
     * The index of the joint called {@code jointName}.
     *
     * @throws IllegalArgumentException naming the skeleton and listing its joints when there is no such joint
     */
    public int indexOf(String jointName) {
        Integer j = indexByName.get(jointName);
        if (j == null) {
            throw new IllegalArgumentException("unknown joint '" + jointName + "' in skeleton '" + name
                    + "'; its joints are " + jointNames);
        }
        return j;
    }

    /** Whether a joint with this name exists. */
    public boolean hasJoint(String jointName) {
        return indexByName.containsKey(jointName);
    }

    /** The parent of joint {@code j}, or {@code -1} for the root. */
    public int parent(int j) {
        return parents[j];
    }

    /** Parent index per joint (a copy). */
    public int[] parents() {
        return parents.clone();
    }

    /** The root joint (the pelvis/hip for every skeleton PoseShift ships). */
    public int root() {
        return root;
    }

    /** The children of joint {@code j}, in joint order. */
    public int[] children(int j) {
        return java.util.stream.IntStream.range(0, parents.length).filter(k -> parents[k] == j).toArray();
    }

    /** Bones in joint order (root skipped); bone {@code b} ends at joint {@code bones().get(b).child()}. */
    public List<Bone> bones() {
        return bones;
    }

    /** Left/right joint pairs. */
    public List<JointPair> pairs() {
        return pairs;
    }

    /** Left-side joints, in pair order. */
    public int[] leftJoints() {
        return pairs.stream().mapToInt(JointPair::left).toArray();
    }

    /** Right-side joints, in pair order. */
    public int[] rightJoints() {
        return pairs.stream().mapToInt(JointPair::right).toArray();
    }

    /** The mirror image of joint {@code j} (itself for centre-line joints). */
    public int mirror(int j) {
        return mirror[j];
    }

    /** Mirror index per joint (a copy): the permutation a horizontal flip applies to joint order. */
    public int[] mirrorPermutation() {
        return mirror.clone();
    }

    /**
     * Bone indices grouped by left/right symmetry: each group holds one bone, or a bone and its mirror
     * image, in bone order. Bone-length augmentation changes a group as one, so bodies stay
     * symmetric (H36M-17: 10 groups, 6 of them left/right pairs).
     */
    public List<int[]> symmetricBoneGroups() {
        List<int[]> groups = new ArrayList<>();
        boolean[] seen = new boolean[bones.size()];
        for (int b = 0; b < bones.size(); b++) {
            if (seen[b]) {
                continue;
            }
            seen[b] = true;
            int mirrored = mirrorBone(b);
            if (mirrored != b) {
                seen[mirrored] = true;
                groups.add(new int[] {b, mirrored});
            } else {
                groups.add(new int[] {b});
            }
        }
        return groups;
    }

    /** The bone that is the mirror image of bone {@code b} (itself on the centre line). */
    public int mirrorBone(int b) {
        Bone bone = bones.get(b);
        int child = mirror[bone.child()];
        for (int k = 0; k < bones.size(); k++) {
            if (bones.get(k).child() == child) {
                return k;
            }
        }
        throw new IllegalStateException("skeleton '" + name + "': no bone ends at joint " + child);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Skeleton s && s.name.equals(name) && s.jointNames.equals(jointNames)
                && Arrays.equals(s.parents, parents) && s.pairs.equals(pairs);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, jointNames, Arrays.hashCode(parents), pairs);
    }

    @Override
    public String toString() {
        return "Skeleton[" + name + ", " + numJoints() + " joints]";
    }
}
