package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.DomainSpec.ImageBackground;
import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The image style of a domain: presets' styles, JSON round trip, defaults for specs written before it existed. */
class DomainImageStyleTest {

    @TempDir
    Path dir;

    @Test
    void eachPresetHasItsOwnBackground() throws IOException {
        Map<String, ImageBackground> expected = Map.of("h36m-like", ImageBackground.LAB, "3dhp-like",
                ImageBackground.GREENSCREEN, "3dpw-like", ImageBackground.OUTDOOR, "ski-like", ImageBackground.SNOW);
        for (String name : Domains.PRESETS) {
            assertEquals(expected.get(name), Domains.preset(name).image().background(), name);
        }
    }

    @Test
    void theStyleRoundTripsThroughJson() throws IOException {
        for (String name : Domains.PRESETS) {
            DomainSpec spec = Domains.preset(name);
            String json = Domains.toJson(spec);
            JsonObject image = JsonParser.parseString(json).getAsJsonObject().getAsJsonObject("image");
            assertEquals(spec.image().background().toString(), image.get("background").getAsString());
            DomainSpec back = Domains.parse(json, name, null);
            assertEquals(spec.image(), back.image(), name);
            assertEquals(spec, back, name);
        }
        Path file = dir.resolve("custom.json");
        Files.writeString(file, "{\"extends\": \"h36m-like\", \"name\": \"dim-lab\", \"image\": {\"ambient\": [0.1, 0.2],"
                + " \"size\": 64, \"noiseStd\": 0.05}}");
        DomainSpec custom = Domains.load(file.toString());
        assertEquals(new Range(0.1, 0.2), custom.image().ambient());
        assertEquals(64, custom.image().size());
        assertEquals(Range.of(0.05), custom.image().noiseStd());
        assertEquals(ImageBackground.LAB, custom.image().background());
        assertEquals(custom, Domains.parse(Domains.toJson(custom), "again", null));
    }

    @Test
    void aSpecWithoutAStyleGetsItsPresetsOrTheLabs() throws IOException {
        for (String name : Domains.PRESETS) {
            JsonObject old = JsonParser.parseString(Domains.toJson(Domains.preset(name))).getAsJsonObject();
            old.remove("image");
            Path file = dir.resolve(name + "-old.json");
            Files.writeString(file, old.toString());
            assertEquals(Domains.preset(name).image(), Domains.load(file.toString()).image(), name);
            old.addProperty("name", "my-" + name);
            Files.writeString(file, old.toString());
            assertEquals(Domains.preset("h36m-like").image(), Domains.load(file.toString()).image(), "renamed " + name);
        }
        JsonObject partial = JsonParser.parseString(Domains.toJson(Domains.preset("ski-like"))).getAsJsonObject();
        JsonObject image = new JsonObject();
        image.addProperty("blurPx", 0);
        partial.add("image", image);
        DomainSpec spec = Domains.parse(partial.toString(), "partial.json", null);
        assertEquals(Range.of(0), spec.image().blurPx());
        assertEquals(ImageBackground.SNOW, spec.image().background());
    }

    @Test
    void badStylesNameTheField() throws IOException {
        assertProblem("{\"image\": {\"size\": 100}}", "image.size: must be one of [64, 128, 256], got 100");
        assertProblem("{\"image\": {\"background\": \"moon\"}}",
                "image.background: unknown background 'moon'; use lab, greenscreen, outdoor, snow");
        assertProblem("{\"image\": {\"framing\": \"zoom\"}}", "image.framing: use person or full, got 'zoom'");
        assertProblem("{\"image\": {\"noiseStd\": [0, 2]}}", "image.noiseStd: must lie in [0.0, 0.5], got [0.0, 2.0]");
        assertProblem("{\"image\": {\"lights\": 9}}", "image.lights: must be 0 to 4, got 9");
        assertProblem("{\"image\": {\"occluderProbability\": 2}}",
                "image.occluderProbability: must be a probability in [0, 1], got 2.0");
        assertProblem("{\"image\": {\"shadows\": true}}", "image.shadows: unknown field; image has background");
        assertProblem("{\"image\": 3}", "image: expected an object, found 3");
    }

    private void assertProblem(String override, String fragment) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, "{\"extends\": \"h36m-like\", \"name\": \"bad\", " + override.substring(1));
        FormatException e = assertThrows(FormatException.class, () -> Domains.load(file.toString()));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
