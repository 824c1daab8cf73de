package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every real Bandai-Namco clip (read in place from ../shared) parses, and its H36M-17 mapping is a person. */
class BandaiNamcoClipsTest {

    /** H36M-17 bones ending at RKnee, RFoot, LKnee, LFoot, LElbow, LWrist, RElbow, RWrist. */
    private static final int[] LIMB_BONES = {1, 2, 4, 5, 11, 12, 14, 15};

    private static List<Path> clips() throws IOException {
        try (Stream<Path> files = Files.list(SharedData.bandaiNamcoClips())) {
            return files.filter(p -> p.toString().endsWith(".bvh")).sorted().toList();
        }
    }

    @Test
    void everyClipIsAThirtyFpsCentimetrePersonWithRigidBones() throws IOException {
        List<Path> clips = clips();
        assertTrue(clips.size() >= 170, "expected the 174 clips, found " + clips.size());
        Kcs kcs = new Kcs(Skeletons.H36M17);
        for (Path file : clips) {
            BvhClip clip = Bvh.read(file);
            String name = file.getFileName().toString();
            assertEquals(30.0, clip.fps(), 0.01, name);
            assertEquals(BvhUnit.CM, clip.resolveUnit(BvhUnit.AUTO), name);
            Skeleton skeleton = clip.skeleton("bandai-namco");
            PoseSequence native_ = clip.toSequence(BvhUnit.AUTO, "bandai-namco", "actor", name);
            Kcs nativeKcs = new Kcs(skeleton);
            double[] firstNative = nativeKcs.boneLengths(native_.toPoseArray().pose(0), 3);
            PoseSequence h36m = native_.mapped(BvhJointMaps.bandaiNamco(skeleton));
            double[] first = kcs.boneLengths(h36m.toPoseArray().pose(0), 3);
            for (int f = 0; f < h36m.numFrames(); f += 10) {
                // The files repeat each joint's offset in its position channels: every bone keeps its length.
                double[] nativeLengths = nativeKcs.boneLengths(native_.toPoseArray().pose(f), 3);
                for (int b = 0; b < nativeLengths.length; b++) {
                    if (skeleton.bones().get(b).parent() == skeleton.root()) {
                        continue; // joint_Root is the pelvis's ground projection, not a bone
                    }
                    assertEquals(firstNative[b], nativeLengths[b], 1e-4, name + " frame " + f + " BVH bone " + b);
                }
                // So do the H36M limbs (thighs, shins, upper arms, forearms); trunk and shoulder points
                // are combinations of several BVH joints and move with the spine and clavicles.
                double[] lengths = kcs.boneLengths(h36m.toPoseArray().pose(f), 3);
                for (int b : LIMB_BONES) {
                    assertEquals(first[b], lengths[b], 1e-4, name + " frame " + f + " H36M bone " + b);
                }
            }
            // Ankle to head top along the skeleton (shin, thigh, pelvis to spine, spine to thorax, neck, head):
            // a person's height less the ankle height, whatever the pose (dash clips never stand upright).
            double stature = first[1] + first[2] + first[6] + first[7] + first[8] + first[9];
            assertTrue(stature > 1.4 && stature < 2.0, name + ": ankle to head top " + stature + " m");
        }
    }

    @Test
    void aWalkerHasItsLeftOnTheLeft() throws IOException {
        Path file = SharedData.bandaiNamcoClips().resolve("dataset-1_walk_normal_001.bvh");
        BvhClip clip = Bvh.read(file);
        PoseSequence s = clip.toSequence(BvhUnit.AUTO, "bandai-namco", "actor", "walk")
                .mapped(BvhJointMaps.bandaiNamco(clip.skeleton("bandai-namco")));
        int last = s.numFrames() - 1;
        double fx = s.get(last, 0, 0) - s.get(0, 0, 0);
        double fy = s.get(last, 0, 1) - s.get(0, 0, 1);
        assertTrue(Math.hypot(fx, fy) > 1.0, "a walk clip should travel, moved " + Math.hypot(fx, fy) + " m");
        // Left of the walking direction (Z up): up × forward = (-fy, fx).
        int checked = 0;
        for (int f = 0; f <= last; f += 15) {
            double lx = s.get(f, 4, 0) - s.get(f, 1, 0);
            double ly = s.get(f, 4, 1) - s.get(f, 1, 1);
            assertTrue(lx * -fy + ly * fx > 0, "LHip is right of RHip at frame " + f);
            checked++;
        }
        assertTrue(checked > 5);
        // Standing upright: the head is above the pelvis.
        assertTrue(s.get(0, 10, 2) > s.get(0, 0, 2) + 0.4);
    }
}
