package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DomainsTest {

    @TempDir
    Path dir;

    @Test
    void everyPresetLoadsAndRoundTripsThroughJson() throws IOException {
        for (String name : Domains.PRESETS) {
            DomainSpec spec = Domains.preset(name);
            assertEquals(name, spec.name());
            assertEquals(spec, Domains.parse(Domains.toJson(spec), name, null), name);
        }
    }

    @Test
    void presetsDifferTheWayTheDatasetsDo() throws IOException {
        DomainSpec h36m = Domains.preset("h36m-like");
        DomainSpec hp = Domains.preset("3dhp-like");
        DomainSpec pw = Domains.preset("3dpw-like");
        DomainSpec ski = Domains.preset("ski-like");
        assertEquals(4, h36m.cameras().perScene());
        assertTrue(h36m.cameras().fixedRig());
        assertEquals(50.0, h36m.motion().fps());
        // 3DHP reaches top-down views, H36M stays near chest height.
        assertTrue(hp.cameras().elevationDeg().max() >= 85 && h36m.cameras().elevationDeg().max() <= 20);
        assertEquals("handheld", pw.cameras().motion());
        assertTrue(pw.cameras().imageHeight() > pw.cameras().imageWidth(), "portrait phone video");
        assertTrue(ski.cameras().distanceM().min() > h36m.cameras().distanceM().max());
        assertTrue(ski.motion().actions().containsKey("ski_tuck"));
    }

    @Test
    void loadAcceptsAPresetNameOrAPathAndExtends() throws IOException {
        Path file = dir.resolve("top-down-lab.json");
        Files.writeString(file, """
                {"extends": "h36m-like", "name": "top-down-lab",
                 "cameras": {"elevationDeg": [60, 90]},
                 "motion": {"actions": {"walking": 1}}}""");
        DomainSpec spec = Domains.load(file.toString());
        DomainSpec base = Domains.load("h36m-like");
        assertEquals("top-down-lab", spec.name());
        assertEquals(new Range(60, 90), spec.cameras().elevationDeg());
        assertEquals(base.cameras().distanceM(), spec.cameras().distanceM());
        // Maps are replaced whole, so an override can narrow the action mix.
        assertEquals(java.util.Map.of("walking", 1.0), spec.motion().actions());
        assertNotEquals(base, spec);
    }

    @Test
    void badSpecsNameFileAndField() throws IOException {
        assertProblem("{\"extends\": \"h36m-like\", \"cameras\": {\"distanceM\": [-1, 5]}}",
                "cameras.distanceM: must be positive, got [-1.0, 5.0]");
        assertProblem("{\"extends\": \"h36m-like\", \"cameras\": {\"distanceM\": [5, 1]}}",
                "cameras.distanceM: range [5.0, 1.0] must be finite with min <= max");
        assertProblem("{\"extends\": \"h36m-like\", \"cameras\": {\"distanse\": 3}}",
                "cameras.distanse: unknown field; cameras has perScene, fixedRig");
        assertProblem("{\"extends\": \"h36m-like\", \"motion\": {\"actions\": {\"moonwalk\": 1}}}",
                "motion.actions: unknown action 'moonwalk'; known: walking");
        assertProblem("{\"extends\": \"h36m-like\", \"split\": {\"testSubjects\": [\"S5\"]}}",
                "split: subject 'S5' is listed twice");
        assertProblem("{\"extends\": \"h36m-like\", \"split\": {\"testSubjects\": [\"S9\"]}}",
                "split: subject 'S9' does not exist");
        assertProblem("{\"extends\": \"h36m-like\", \"observation\": {\"outlierRate\": 1.5}}",
                "observation.outlierRate: must be a probability in [0, 1], got 1.5");
        assertProblem("{\"extends\": \"h36m-like\", \"body\": {\"boneRatioMean\": {\"tail\": 0.1}}}",
                "body.boneRatioMean: unknown bone group 'tail'");
        assertProblem("{\"extends\": \"h36m-like\", \"cameras\": {\"motion\": \"handheld\"}}",
                "cameras.fixedRig: a fixed rig cannot be handheld");
        assertProblem("{\"extends\": \"h36m-like\", \"motion\": {\"source\": \"bvh\", \"path\": \"nowhere\","
                + " \"jointMap\": \"cmu\", \"unit\": \"auto\"}}", "motion.path: '");
        assertProblem("{\"extends\": \"mars-like\"}", "extends: unknown preset 'mars-like'");
        assertProblem("{\"name\": \"x\"}", "description: missing");
        assertProblem("{\"name\": ", "not valid JSON");
        assertProblem("[1, 2]", "a domain spec is a JSON object");
        FormatException e = assertThrows(FormatException.class, () -> Domains.load("no-such-domain"));
        assertTrue(e.getMessage().contains("neither a domain preset (h36m-like, 3dhp-like"), e.getMessage());
    }

    private void assertProblem(String json, String fragment) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        FormatException e = assertThrows(FormatException.class, () -> Domains.load(file.toString()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
