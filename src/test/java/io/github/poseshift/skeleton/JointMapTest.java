package io.github.poseshift.skeleton;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JointMapTest {

    @Test
    void mpiInf3dhpMapsEveryJointByName() {
        JointMap map = JointMap.mpiInf3dhpToH36m();
        Map<String, List<String>> names = map.asNames();
        assertEquals(List.of("pelvis"), names.get("Hip"));
        assertEquals(List.of("neck"), names.get("Thorax"));
        assertEquals(List.of("head"), names.get("Neck"));
        assertEquals(List.of("head_top"), names.get("Head"));
        assertEquals(List.of("left_wrist"), names.get("LWrist"));
        assertEquals(List.of("right_ankle"), names.get("RFoot"));
        assertTrue(map.isOneToOne());
        // The same map rebuilt from its names is identical: names and indices agree.
        JointMap again = JointMap.byNames(Skeletons.MPI_INF_3DHP17, Skeletons.H36M17, names);
        for (int t = 0; t < 17; t++) {
            assertArrayEquals(map.sourcesOf(t), again.sourcesOf(t));
        }
    }

    @Test
    void mappingPermutesJointsAndAveragesVirtualOnes() {
        Skeleton src = new Skeleton("src", List.of("pelvis", "l", "r"), new int[] {-1, 0, 0},
                List.of(new Skeleton.JointPair(1, 2)));
        Skeleton dst = new Skeleton("dst", List.of("mid", "right"), new int[] {-1, 0}, List.of());
        JointMap map = JointMap.byIndices(src, dst, new int[][] {{1, 2}, {2}});
        float[] pose = {0, 0, 0, 1, 2, 3, 3, 4, 5,   /* frame 2 */ 9, 9, 9, -1, 0, 1, 1, 0, -1};
        assertArrayEquals(new float[] {2, 3, 4, 3, 4, 5, 0, 0, 0, 1, 0, -1}, map.apply(pose, 3));
        assertArrayEquals(new float[] {2, 3, 3, 4}, map.apply(new float[] {0, 0, 1, 2, 3, 4}, 2));
    }

    @Test
    void badMapsNameTheProblem() {
        Map<String, List<String>> names = new LinkedHashMap<>(JointMap.mpiInf3dhpToH36m().asNames());
        names.put("Head", List.of("top_of_head"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JointMap.byNames(Skeletons.MPI_INF_3DHP17, Skeletons.H36M17, names));
        assertTrue(e.getMessage().contains("unknown source joint 'top_of_head'"), e.getMessage());

        names.remove("Head");
        e = assertThrows(IllegalArgumentException.class,
                () -> JointMap.byNames(Skeletons.MPI_INF_3DHP17, Skeletons.H36M17, names));
        assertTrue(e.getMessage().contains("target joint 'Head' is missing"), e.getMessage());

        names.put("Tail", List.of("pelvis"));
        e = assertThrows(IllegalArgumentException.class,
                () -> JointMap.byNames(Skeletons.MPI_INF_3DHP17, Skeletons.H36M17, names));
        assertTrue(e.getMessage().contains("unknown target joint 'Tail'"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> JointMap.byIndices(Skeletons.H36M17, Skeletons.H36M17, new int[16]));
        assertTrue(e.getMessage().contains("16 entries for 17 target joints"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class,
                () -> JointMap.identity(Skeletons.H36M17).apply(new float[10], 3));
        assertTrue(e.getMessage().contains("not [frames][17][3]"), e.getMessage());
    }
}
