package io.github.poseshift.eval;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A label per pose (action, subject, camera), stored as the index of the label among the distinct ones:
 * one {@code int} per pose rather than one string, so the labels of ten million poses take 40 MB instead
 * of the best part of a gigabyte.
 *
 * @param names       the distinct labels, in order of first appearance
 * @param groupOfPose for each pose, the index of its label in {@code names}
 */
public record PoseGroups(List<String> names, int[] groupOfPose) {

    /** Checks that every pose names a group; copies the names. */
    public PoseGroups {
        names = List.copyOf(names);
        for (int p = 0; p < groupOfPose.length; p++) {
            if (groupOfPose[p] < 0 || groupOfPose[p] >= names.size()) {
                throw new IllegalArgumentException("pose " + p + " is in group " + groupOfPose[p] + " of "
                        + names.size());
            }
        }
    }

    /** The groups of one label per pose. */
    public static PoseGroups of(List<String> labels) {
        Indexer indexer = new Indexer();
        int[] groups = new int[labels.size()];
        for (int p = 0; p < groups.length; p++) {
            groups[p] = indexer.indexOf(labels.get(p));
        }
        return new PoseGroups(indexer.names(), groups);
    }

    /** Number of poses. */
    public int numPoses() {
        return groupOfPose.length;
    }

    /**
     * Numbers distinct labels in order of first appearance, for building {@link PoseGroups} one label at a
     * time (say, while reading a long file of labels).
     */
    public static final class Indexer {

        private final Map<String, Integer> index = new LinkedHashMap<>();

        /** The index of {@code label}, a new one if it was not seen before. */
        public int indexOf(String label) {
            return index.computeIfAbsent(label, k -> index.size());
        }

        /** The labels seen so far, in order of first appearance. */
        public List<String> names() {
            return List.copyOf(index.keySet());
        }
    }
}
