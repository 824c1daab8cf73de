package io.github.poseshift.skeleton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.skeleton.Skeleton.JointPair;
import java.util.List;
import org.junit.jupiter.api.Test;

class SkeletonTest {

    @Test
    void h36mMatchesTheDesignOrder() {
        Skeleton s = Skeletons.H36M17;
        assertEquals(List.of("Hip", "RHip", "RKnee", "RFoot", "LHip", "LKnee", "LFoot", "Spine", "Thorax", "Neck",
                "Head", "LShoulder", "LElbow", "LWrist", "RShoulder", "RElbow", "RWrist"), s.jointNames());
        assertEquals(0, s.root());
        assertEquals(16, s.numBones());
        // VideoPose3D's joints_left / joints_right after remove_joints.
        assertArrayEquals(new int[] {4, 5, 6, 11, 12, 13}, s.leftJoints());
        assertArrayEquals(new int[] {1, 2, 3, 14, 15, 16}, s.rightJoints());
        assertArrayEquals(new int[] {0, 4, 5, 6, 1, 2, 3, 7, 8, 9, 10, 14, 15, 16, 11, 12, 13}, s.mirrorPermutation());
        assertArrayEquals(new int[] {1, 4, 7}, s.children(0));
        assertArrayEquals(new int[] {9, 11, 14}, s.children(8));
    }

    @Test
    void bonesRunFromParentToChildInJointOrder() {
        Skeleton s = Skeletons.H36M17;
        assertEquals(new Skeleton.Bone(0, 1), s.bones().get(0));
        assertEquals(new Skeleton.Bone(15, 16), s.bones().get(15));
        for (Skeleton.Bone b : s.bones()) {
            assertEquals(s.parent(b.child()), b.parent());
        }
    }

    @Test
    void symmetricBoneGroupsPairMirrorImages() {
        List<int[]> groups = Skeletons.H36M17.symmetricBoneGroups();
        assertEquals(10, groups.size());
        assertEquals(6, groups.stream().filter(g -> g.length == 2).count());
        // Bone 0 ends at RHip (1), its mirror ends at LHip (4) = bone 3.
        assertArrayEquals(new int[] {0, 3}, groups.get(0));
    }

    @Test
    void mpiInf3dhpIsAValidTreeRootedAtThePelvis() {
        Skeleton s = Skeletons.MPI_INF_3DHP17;
        assertEquals(14, s.root());
        assertEquals("pelvis", s.jointName(s.root()));
        assertEquals(s.indexOf("left_knee"), s.mirror(s.indexOf("right_knee")));
    }

    @Test
    void unknownJointNameListsTheJoints() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Skeletons.H36M17.indexOf("LeftToe"));
        assertTrue(e.getMessage().contains("unknown joint 'LeftToe'"), e.getMessage());
        assertTrue(e.getMessage().contains("RWrist"), e.getMessage());
    }

    @Test
    void invalidTreesAreRejected() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Skeleton("t", List.of("a", "b"),
                new int[] {-1, -1}, List.of())).getMessage().contains("two roots"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Skeleton("t", List.of("a", "b", "c"),
                new int[] {-1, 2, 1}, List.of())).getMessage().contains("cycle"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Skeleton("t", List.of("a", "a"),
                new int[] {-1, 0}, List.of())).getMessage().contains("used twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Skeleton("t", List.of("a", "b", "c"),
                new int[] {-1, 0, 0}, List.of(new JointPair(1, 1)))).getMessage().contains("itself"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Skeleton("t", List.of("a", "b"),
                new int[] {-1, 5}, List.of())).getMessage().contains("invalid parent"));
    }

    @Test
    void lookupByName() {
        assertEquals(Skeletons.H36M17, Skeletons.byName("H36M"));
        assertEquals(Skeletons.MPI_INF_3DHP17, Skeletons.byName("mpi-inf-3dhp17"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Skeletons.byName("coco"))
                .getMessage().contains("known: h36m17"));
    }
}
