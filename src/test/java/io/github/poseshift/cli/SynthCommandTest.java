package io.github.poseshift.cli;

import static io.github.poseshift.cli.EvalCommandTest.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.ViewArchive;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SynthCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesAReadableResizedDomain() throws IOException {
        Path out = dir.resolve("hp");
        EvalCommandTest.Run r = run("synth", "--domain", "3dhp-like", "--out", out.toString(), "--subjects", "3",
                "--frames", "25", "--seed", "4");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("3dhp-like (seed 4): 3 subjects"), r.out());
        var views = ViewArchive.read(out, Skeletons.H36M17);
        assertEquals(25, views.get(0).numFrames());
        var spec = Domains.load(out.resolve("domain.json").toString());
        assertEquals(3, spec.motion().subjects());
        assertEquals(java.util.List.of("S3"), spec.split().testSubjects());

        // The same command again must not overwrite anything.
        long before = Files.getLastModifiedTime(out.resolve("poses.npz")).toMillis();
        EvalCommandTest.Run again = run("synth", "--domain", "3dhp-like", "--out", out.toString(), "--subjects", "3");
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, again.code());
        assertTrue(again.err().contains("nothing was overwritten"), again.err());
        assertEquals(before, Files.getLastModifiedTime(out.resolve("poses.npz")).toMillis());
    }

    @Test
    void aBadSpecNamesFileAndFieldAndWritesNothing() throws IOException {
        Path spec = dir.resolve("bad.json");
        Files.writeString(spec, "{\"extends\": \"h36m-like\", \"name\": \"far-lab\", \"cameras\": {\"distanceM\": [-2, 3]}}");
        Path out = dir.resolve("never");
        EvalCommandTest.Run r = run("synth", "--domain", spec.toString(), "--out", out.toString());
        assertEquals(PoseShiftCli.EXIT_BAD_INPUT, r.code());
        assertEquals("poseshift synth: " + spec + ": cameras.distanceM: must be positive, got [-2.0, 3.0]", r.err().strip());
        assertFalse(Files.exists(out));
        EvalCommandTest.Run one = run("synth", "--domain", "h36m-like", "--out", out.toString(), "--subjects", "1");
        assertEquals("poseshift synth: --subjects must be 2 to 1000, got 1", one.err().strip());
        assertFalse(Files.exists(out));
    }
}
