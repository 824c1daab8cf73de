package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.io.BvhJointMaps;
import io.github.poseshift.data.io.BvhUnit;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.geometry.KeypointNormalisation;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

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
        assertEquals(DomainSpec.CameraMotion.HANDHELD, pw.cameras().motion());
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
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"cameras\": {\"distanceM\": [-1, 5]}}",
                "cameras.distanceM: must be positive, got [-1.0, 5.0]");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"cameras\": {\"distanceM\": [5, 1]}}",
                "cameras.distanceM: range [5.0, 1.0] must be finite with min <= max");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"cameras\": {\"distanse\": 3}}",
                "cameras.distanse: unknown field; cameras has perScene, fixedRig");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"motion\": {\"actions\": {\"moonwalk\": 1}}}",
                "motion.actions: unknown action 'moonwalk'; known: walking");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"split\": {\"testSubjects\": [\"S5\"]}}",
                "split: subject 'S5' is listed twice");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"split\": {\"testSubjects\": [\"S9\"]}}",
                "split: subject 'S9' does not exist");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"observation\": {\"outlierRate\": 1.5}}",
                "observation.outlierRate: must be a probability in [0, 1], got 1.5");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"body\": {\"boneRatioMean\": {\"tail\": 0.1}}}",
                "body.boneRatioMean: unknown bone group 'tail'");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"cameras\": {\"motion\": \"handheld\"}}",
                "cameras.fixedRig: a fixed rig cannot be handheld");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"bad\", \"motion\": {\"source\": \"bvh\", \"path\": \"nowhere\","
                + " \"jointMap\": \"cmu\", \"unit\": \"auto\"}}", "motion.path: '");
        assertProblem("{\"extends\": \"mars-like\", \"name\": \"bad\"}", "extends: unknown preset 'mars-like'");
        assertProblem("{\"name\": \"x\"}", "description: missing");
        assertProblem("{\"name\": ", "not valid JSON");
        assertProblem("[1, 2]", "a domain spec is a JSON object");
        FormatException e = assertThrows(FormatException.class, () -> Domains.load("no-such-domain"));
        assertTrue(e.getMessage().contains("neither a domain preset (h36m-like, 3dhp-like"), e.getMessage());
    }

    @Test
    void typesAreStrictWithoutConversion() throws IOException {
        assertProblem(overriding("\"cameras\": {\"fixedRig\": \"yes\"}"),
                "cameras.fixedRig: expected true or false, found \"yes\"");
        assertProblem(overriding("\"motion\": {\"subjects\": 2.5}"), "motion.subjects: expected an integer, found 2.5");
        assertProblem(overriding("\"motion\": {\"subjects\": \"four\"}"),
                "motion.subjects: expected an integer, found \"four\"");
        assertProblem(overriding("\"motion\": {\"fps\": null}"), "motion.fps: expected a number, found null");
        assertProblem(overriding("\"observation\": {\"dropoutRate\": \"0.1\"}"),
                "observation.dropoutRate: expected a probability in [0, 1], found \"0.1\"");
        assertProblem(overriding("\"cameras\": {\"focalPx\": [1000]}"),
                "cameras.focalPx: expected a range, [min, max] or one number, found [1000]");
        assertProblem(overriding("\"split\": {\"trainSubjects\": [\"S1\", 2]}"),
                "split.trainSubjects[1]: expected a string, found 2");
        // Enums are spelled as in the schema, case included.
        assertProblem(overriding("\"motion\": {\"source\": \"SYNTH\"}"),
                "motion.source: unknown source 'SYNTH'; use synth, bvh, videopose3d");
        assertProblem(overriding("\"cameras\": {\"motion\": \"jib\"}"),
                "cameras.motion: use static, tracking or handheld, got 'jib'");
        assertProblem(overriding("\"motion\": {\"unit\": \"feet\"}"),
                "motion.unit: unknown unit 'feet'; use auto, m, cm, mm, inch");
    }

    @Test
    void sizesStayWithinStatedLimits() throws IOException {
        assertProblem(overriding("\"motion\": {\"framesPerSequence\": 2e9}"),
                "motion.framesPerSequence: must be 1 to 100000, got 2.0E9");
        assertProblem(overriding("\"motion\": {\"subjects\": 1e12}"), "motion.subjects: must be 1 to 1000, got 1.0E12");
        assertProblem(overriding("\"motion\": {\"subjects\": 0}"), "motion.subjects: must be 1 to 1000, got 0");
        assertProblem(overriding("\"cameras\": {\"perScene\": 500}"), "cameras.perScene: must be 1 to 64, got 500");
        assertProblem(overriding("\"cameras\": {\"imageWidth\": 100000}"),
                "cameras.imageWidth: must be 1 to 16384, got 100000");
        assertProblem(overriding("\"motion\": {\"fps\": 5000}"),
                "motion.fps: must be more than 0.0 and at most 1000.0, got 5000.0");
        assertProblem(overriding("\"motion\": {\"areaRadiusM\": 1e400}"),
                "motion.areaRadiusM: expected a finite number, found one beyond the range of a double");

        // Fields within their own bounds can still make a domain no memory holds: their product is bounded too,
        // before anything is made. h36m-like's action weights give 17 sequences per subject.
        assertEquals(problem(overriding("\"motion\": {\"subjects\": 1000}")), dir.resolve("bad.json") + ": motion: 1000"
                + " subjects (motion.subjects) × 17 sequences each (from motion.actions) × 500 frames"
                + " (motion.framesPerSequence) × 4 cameras (cameras.perScene) make 34000000 camera-view frames; at most"
                + " 2000000 (about 0.6 KB of memory each)");
        assertProblem(overriding("\"motion\": {\"actions\": {\"walking\": 1e300}}"),
                "× 2.00e+300 sequences each (from motion.actions) × 500 frames (motion.framesPerSequence) × 4 cameras"
                        + " (cameras.perScene) make 2.80e+304 camera-view frames; at most 2000000");
        assertEquals(1000, Domains.MAX_SUBJECTS);
        assertEquals(100000, Domains.MAX_FRAMES_PER_SEQUENCE);
        // The synthesizer's rounding: 2 × weight, half up, at least one.
        assertEquals(List.of(1.0, 1.0, 2.0, 3.0, 4.0, 2e300), java.util.stream.DoubleStream.of(0.1, 0.5, 1, 1.25, 2, 1e300)
                .mapToObj(DomainSpec.Motion::sequencesOf).toList());
    }

    @Test
    void aFileNamesItsDomainEvenWhenItExtendsAPreset() throws IOException {
        assertProblem("{\"extends\": \"h36m-like\", \"cameras\": {\"elevationDeg\": [60, 90]}}", "name: missing");
        assertProblem("{\"extends\": \"h36m-like\", \"name\": \"\"}", "name: must not be empty");
    }

    @Test
    void onlyStrictJsonIsRead() throws IOException {
        assertProblem("{\"name\": \"a\", \"name\": \"b\", \"extends\": \"h36m-like\"}",
                "name: duplicate key; a key may appear once in an object (line 1, column 21)");
        assertProblem(overriding("\"motion\": {\"subjects\": 3, \"subjects\": 4}"), "motion.subjects: duplicate key");
        for (String lax : new String[] {
            "{\"extends\": \"h36m-like\", \"name\": \"a\",}",
            "{\"extends\": \"h36m-like\", \"name\": \"a\" /* a comment */}",
            "{\"extends\": \"h36m-like\", \"name\": \"a\", \"motion\": {\"fps\": NaN}}",
            "{'extends': 'h36m-like', 'name': 'a'}",
            "{extends: \"h36m-like\", name: \"a\"}",
            "{\"extends\": \"h36m-like\", \"name\": \"a\", \"motion\": {\"fps\": +30}}",
            "{\"extends\": \"h36m-like\", \"name\": \"a\"} {}",
        }) {
            String message = problem(lax);
            assertTrue(message.contains(": not valid JSON: "), message);
            assertTrue(message.matches(".*\\(line \\d+, column \\d+\\)$"), message);
            for (String advice : new String[] {"LENIENT", "setStrictness", "enable", "Feature", "\n"}) {
                assertTrue(!message.contains(advice), "'" + advice + "' in: " + message);
            }
        }
    }

    @Test
    void unknownFieldsAreRefusedAtEveryLevel() throws IOException {
        assertProblem(overriding("\"colour\": \"red\""),
                "colour: unknown field; a domain has name, description, extends, motion, body, cameras");
        assertProblem(overriding("\"motion\": {\"subject\": 3}"), "motion.subject: unknown field; motion has source");
    }

    @Test
    void enumsKeepTheirJsonSpelling() throws IOException {
        Path clips = Files.createDirectory(dir.resolve("clips"));
        Path file = dir.resolve("cmu-lab.json");
        Files.writeString(file, "{\"extends\": \"h36m-like\", \"name\": \"cmu-lab\", \"motion\": {\"source\": \"bvh\","
                + " \"path\": \"clips\", \"jointMap\": \"cmu\", \"unit\": \"inch\"}, \"cameras\": {\"fixedRig\": false,"
                + " \"motion\": \"handheld\"}, \"image\": {\"background\": \"snow\", \"framing\": \"full\"}}");
        DomainSpec spec = Domains.load(file.toString());
        assertEquals(DomainSpec.MotionSource.BVH, spec.motion().source());
        assertEquals(BvhJointMaps.Name.CMU, spec.motion().jointMap());
        assertEquals(BvhUnit.INCH, spec.motion().unit());
        assertEquals(clips.toString(), spec.motion().path());
        assertEquals(DomainSpec.CameraMotion.HANDHELD, spec.cameras().motion());
        assertEquals(DomainSpec.ImageBackground.SNOW, spec.image().background());
        assertEquals(DomainSpec.ImageFraming.FULL, spec.image().framing());
        String json = Domains.toJson(spec);
        for (String written : new String[] {"\"source\": \"bvh\"", "\"jointMap\": \"cmu\"", "\"unit\": \"inch\"",
            "\"motion\": \"handheld\"", "\"background\": \"snow\"", "\"framing\": \"full\""}) {
            assertTrue(json.contains(written), written + " not in " + json);
        }
        assertEquals(spec, Domains.parse(json, "again", null));
        assertEquals("handheld", spec.cameras().motion().toString());
    }

    @Test
    void theSchemaDescribesEveryFieldOfTheRecordsAndTheirSpellings() {
        JsonNode schema = DomainSpecSchema.json();
        assertFieldsMatch(schema, DomainSpec.class, "");
        assertEquals(Domains.PRESETS, schemaEnum(schema, "extends"));
        assertEquals(spellings(DomainSpec.MotionSource.values()), schemaEnum(schema, "motion", "source"));
        assertEquals(spellings(BvhJointMaps.Name.values()), schemaEnum(schema, "motion", "jointMap"));
        assertEquals(spellings(BvhUnit.values()), schemaEnum(schema, "motion", "unit"));
        assertEquals(spellings(DomainSpec.CameraMotion.values()), schemaEnum(schema, "cameras", "motion"));
        assertEquals(spellings(DomainSpec.ImageBackground.values()), schemaEnum(schema, "image", "background"));
        assertEquals(spellings(DomainSpec.ImageFraming.values()), schemaEnum(schema, "image", "framing"));
        assertEquals(Domains.IMAGE_SIZES.stream().map(String::valueOf).toList(), schemaEnum(schema, "image", "size"));
        assertEquals(spellings(KeypointNormalisation.values()), schemaEnum(schema, "lifterInput"));
    }

    /**
     * AdaptPose (sec. 6) root-centres and Frobenius-normalises the Ski dataset's 2D and keeps the others' screen
     * coordinates; a file extending a preset inherits its preset's, one named after a preset without the field gets
     * that preset's, any other screen; a wrong spelling names the field.
     */
    @Test
    void eachDomainNamesWhatTheLifterDoesToIts2D() throws IOException {
        for (String name : Domains.PRESETS) {
            assertEquals(name.equals("ski-like") ? KeypointNormalisation.ROOT_FROBENIUS : KeypointNormalisation.SCREEN,
                    Domains.preset(name).lifterInput(), name);
        }
        Path slope = dir.resolve("slope.json");
        Files.writeString(slope, "{\"extends\": \"ski-like\", \"name\": \"slope\"}");
        assertEquals(KeypointNormalisation.ROOT_FROBENIUS, Domains.load(slope.toString()).lifterInput());
        Files.writeString(slope, "{\"extends\": \"ski-like\", \"name\": \"slope\", \"lifterInput\": \"screen\"}");
        assertEquals(KeypointNormalisation.SCREEN, Domains.load(slope.toString()).lifterInput());
        for (String[] named : new String[][] {{"ski-like", "ROOT_FROBENIUS"}, {"my-lab", "SCREEN"}}) {
            com.google.gson.JsonObject written = com.google.gson.JsonParser.parseString(Domains.toJson(
                    Domains.preset("ski-like"))).getAsJsonObject();
            written.remove("lifterInput");
            written.addProperty("name", named[0]);
            assertEquals(KeypointNormalisation.valueOf(named[1]), Domains.parse(written.toString(), named[0], null)
                    .lifterInput(), named[0]);
        }
        assertProblem(overriding("\"lifterInput\": \"zscore\""), "lifterInput");
    }

    /** Every record component is a schema property with a description, in the same order, and nothing else. */
    private static void assertFieldsMatch(JsonNode schema, Class<?> record, String path) {
        List<String> components = new ArrayList<>();
        for (RecordComponent c : record.getRecordComponents()) {
            components.add(c.getName());
        }
        List<String> properties = new ArrayList<>(schema.get("properties").propertyNames());
        if (record == DomainSpec.class) {
            properties.remove("extends");
        }
        assertEquals(components, properties, path);
        assertEquals(false, schema.get("additionalProperties").booleanValue(), path);
        for (RecordComponent c : record.getRecordComponents()) {
            JsonNode property = schema.get("properties").get(c.getName());
            String field = path + c.getName();
            assertTrue(property.get("description").stringValue().length() > 10, field + " has no description");
            if (c.getType().isRecord() && c.getType() != Range.class) {
                assertFieldsMatch(property, c.getType(), field + ".");
            }
        }
    }

    /** The allowed values of the field at {@code path}, as text. */
    private static List<String> schemaEnum(JsonNode schema, String... path) {
        JsonNode field = schema;
        for (String name : path) {
            field = field.get("properties").get(name);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode v : field.get("enum")) {
            out.add(v.isString() ? v.stringValue() : v.toString());
        }
        return out;
    }

    private static List<String> spellings(Enum<?>[] constants) {
        return Arrays.stream(constants).map(Enum::toString).toList();
    }

    /** A file extending h36m-like with these members. */
    private static String overriding(String members) {
        return "{\"extends\": \"h36m-like\", \"name\": \"bad\", " + members + "}";
    }

    private void assertProblem(String json, String fragment) throws IOException {
        String message = problem(json);
        assertTrue(message.contains(fragment), "'" + fragment + "' not in: " + message);
    }

    /** The message of loading {@code json} from a file; it starts with the file. */
    private String problem(String json) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        FormatException e = assertThrows(FormatException.class, () -> Domains.load(file.toString()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        return e.getMessage();
    }
}
