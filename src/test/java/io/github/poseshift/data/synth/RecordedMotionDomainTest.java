package io.github.poseshift.data.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A domain whose motion is real Bandai-Namco capture, retargeted onto the domain's bodies. */
class RecordedMotionDomainTest {

    @TempDir
    Path dir;

    @Test
    void bvhClipsBecomeSubjectsWithTheDomainsBodies() throws IOException {
        // Links to three shared clips (read in place, never copied).
        Path clips = Files.createDirectories(dir.resolve("clips"));
        for (String name : List.of("dataset-1_walk_normal_001.bvh", "dataset-1_bow_happy_001.bvh",
                "dataset-1_run_proud_001.bvh")) {
            Files.createSymbolicLink(clips.resolve(name), SharedData.bandaiNamcoClips().resolve(name));
        }
        Path specFile = dir.resolve("bandai.json");
        Files.writeString(specFile, "{\"extends\": \"h36m-like\", \"name\": \"bandai-lab\", \"motion\": {\"source\": \"bvh\","
                + " \"path\": \"clips\", \"jointMap\": \"bandai-namco\", \"unit\": \"auto\", \"subjects\": 2, \"fps\": 30},"
                + " \"body\": {\"heightM\": [1.5, 1.9], \"boneRatioStd\": 0.06},"
                + " \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}");
        DomainSpec spec = Domains.load(specFile.toString());
        assertTrue(Path.of(spec.motion().path()).isAbsolute(), "the relative path is resolved against the spec");
        SyntheticDomain domain = SyntheticDomain.generate(spec, 1);
        assertEquals(3 * 4, domain.views().size());
        List<PoseSequence> motion = domain.views().stream().map(ViewSequence::poses).distinct().toList();
        // Clips are dealt to S1, S2, S1 in file order (bow, run, walk) and labelled with their content word.
        assertEquals(List.of("S1", "S2", "S1"), motion.stream().map(PoseSequence::subject).toList());
        assertEquals(List.of("bow", "run", "walk"), motion.stream().map(PoseSequence::action).toList());
        Kcs kcs = new Kcs(Skeletons.H36M17);
        double[] s1 = kcs.boneLengths(motion.get(0).toPoseArray().pose(0), 3);
        double[] s1Later = kcs.boneLengths(motion.get(2).toPoseArray().pose(100), 3);
        double[] s2 = kcs.boneLengths(motion.get(1).toPoseArray().pose(0), 3);
        for (int b = 0; b < s1.length; b++) {
            // Each subject keeps its body in every clip and frame (to float precision).
            assertEquals(s1[b], s1Later[b], 1e-5, "bone " + b);
        }
        assertTrue(java.util.stream.IntStream.range(0, s1.length).anyMatch(b -> Math.abs(s1[b] - s2[b]) > 0.005),
                "two subjects with the same bones");
        // Feet stay where the capture had them: the lower ankle of the walk keeps its height.
        PoseSequence walk = motion.get(2);
        for (int f = 0; f < walk.numFrames(); f += 20) {
            double lower = Math.min(walk.get(f, 3, 2), walk.get(f, 6, 2));
            assertTrue(lower > -0.01 && lower < 0.2, "lower ankle at " + lower + " m in frame " + f);
        }
    }
}
