package io.github.poseshift.data;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link DomainSpec}s: the bundled presets by name ({@code h36m-like}, {@code 3dhp-like},
 * {@code 3dpw-like}, {@code ski-like}) or a user's JSON file by path. A file may start from a preset
 * with {@code "extends": "h36m-like"} and override only what differs. Loading is strict: an unknown
 * key (a typo) or a missing one, a negative distance, an empty action mix... fails with a
 * {@link FormatException} naming the file and the field, e.g. {@code "my.json: cameras.distanceM:
 * must be positive, got [-1.0, 5.0]"}.
 */
public final class Domains {

    /** The presets, in the order the benchmark uses them (source first). */
    public static final List<String> PRESETS = List.of("h36m-like", "3dhp-like", "3dpw-like", "ski-like");

    /**
     * Symmetric bone groups a body can lengthen or shorten, by the H36M-17 joints their bones end at.
     */
    public static final Map<String, List<String>> BONE_GROUPS = boneGroups();

    /** The backgrounds an image style can have ({@link DomainSpec.Image#background()}). */
    public static final List<String> IMAGE_BACKGROUNDS = List.of("lab", "greenscreen", "outdoor", "snow");

    /** The square image sizes a domain renders at. */
    public static final List<Integer> IMAGE_SIZES = List.of(64, 128, 256);

    private static final String RESOURCE_DIR = "/io/github/poseshift/domains/";

    private static final Gson GSON = new GsonBuilder().registerTypeAdapter(Range.class, new RangeAdapter())
            .setPrettyPrinting().disableHtmlEscaping().create();

    private Domains() {}

    private static Map<String, List<String>> boneGroups() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("hip", List.of("RHip", "LHip"));
        m.put("thigh", List.of("RKnee", "LKnee"));
        m.put("shin", List.of("RFoot", "LFoot"));
        m.put("spine", List.of("Spine"));
        m.put("chest", List.of("Thorax"));
        m.put("neck", List.of("Neck"));
        m.put("head", List.of("Head"));
        m.put("shoulder", List.of("LShoulder", "RShoulder"));
        m.put("upper_arm", List.of("LElbow", "RElbow"));
        m.put("forearm", List.of("LWrist", "RWrist"));
        return java.util.Collections.unmodifiableMap(m);
    }

    /**
     * A preset name or a path to a JSON file.
     *
     * @throws FormatException naming the file and field for invalid specs, or listing the presets when
     *                         {@code nameOrPath} is neither a preset nor an existing file
     */
    public static DomainSpec load(String nameOrPath) throws IOException {
        if (PRESETS.contains(nameOrPath)) {
            return preset(nameOrPath);
        }
        Path file = Path.of(nameOrPath);
        if (!Files.isRegularFile(file)) {
            throw new FormatException(nameOrPath, "neither a domain preset (" + String.join(", ", PRESETS)
                    + ") nor an existing JSON file");
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), base);
    }

    /** A bundled preset. */
    public static DomainSpec preset(String name) throws IOException {
        if (!PRESETS.contains(name)) {
            throw new IllegalArgumentException("unknown domain preset '" + name + "'; presets: " + String.join(", ", PRESETS));
        }
        return parse(presetJson(name), name + ".json", null);
    }

    private static String presetJson(String name) throws IOException {
        try (InputStream in = Domains.class.getResourceAsStream(RESOURCE_DIR + name + ".json")) {
            if (in == null) {
                throw new IllegalStateException("preset resource " + name + ".json is missing from the build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * Parses and validates a spec.
     *
     * @param json    the JSON text
     * @param source  file name for messages
     * @param baseDir folder that relative motion paths are resolved against; null for presets
     */
    public static DomainSpec parse(String json, String source, Path baseDir) throws IOException {
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw new FormatException(source, "a domain spec is a JSON object, found " + element);
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new FormatException(source, "not valid JSON: " + e.getMessage(), e);
        }
        if (root.has("extends")) {
            String parent = root.remove("extends").getAsString();
            if (!PRESETS.contains(parent)) {
                throw new FormatException(source, "extends: unknown preset '" + parent + "'; presets: "
                        + String.join(", ", PRESETS));
            }
            root = merge(JsonParser.parseString(presetJson(parent)).getAsJsonObject(), root);
        }
        root = withImageDefaults(root);
        checkKeys(root, DomainSpec.class, "", source);
        resolveMotionPath(root, baseDir);
        DomainSpec spec;
        try {
            spec = GSON.fromJson(root, DomainSpec.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new FormatException(source, "invalid value: " + rootMessage(e), e);
        }
        new DomainSpecValidator(source, baseDir).validate(spec);
        return spec;
    }

    /**
     * The same domain with {@code subjects} synthetic subjects of {@code frames} frames per sequence, the
     * split re-made with the same share of test subjects (at least one of each). Either may be null to
     * keep the spec's value.
     */
    public static DomainSpec resized(DomainSpec spec, Integer subjects, Integer frames) throws IOException {
        JsonObject json = JsonParser.parseString(toJson(spec)).getAsJsonObject();
        JsonObject motion = json.getAsJsonObject("motion");
        if (frames != null) {
            motion.addProperty("framesPerSequence", frames);
        }
        if (subjects != null) {
            if (subjects < 2) {
                throw new IllegalArgumentException("need at least 2 subjects (one to train, one to test), got " + subjects);
            }
            int total = spec.split().trainSubjects().size() + spec.split().testSubjects().size();
            int test = Math.max(1, Math.min(subjects - 1,
                    (int) Math.round(subjects * (double) spec.split().testSubjects().size() / total)));
            JsonArray trainNames = new JsonArray();
            JsonArray testNames = new JsonArray();
            for (int s = 1; s <= subjects; s++) {
                (s <= subjects - test ? trainNames : testNames).add("S" + s);
            }
            motion.addProperty("subjects", subjects);
            JsonObject split = json.getAsJsonObject("split");
            split.add("trainSubjects", trainNames);
            split.add("testSubjects", testNames);
        }
        return parse(json.toString(), spec.name(), null);
    }

    /** The spec as JSON (ranges as {@code [min, max]}). */
    public static String toJson(DomainSpec spec) {
        return GSON.toJson(spec);
    }

    /**
     * The image style is the newest part of a spec: a file written before it existed has none and gets the
     * style of the preset it is named after (a {@code domain.json} that {@code synth} wrote for
     * {@code 3dhp-like} renders as the green-screen studio), any other the lab's; a partial style is completed
     * from that same default, key by key.
     */
    private static JsonObject withImageDefaults(JsonObject root) throws IOException {
        String name = root.get("name") instanceof JsonPrimitive p && p.isString() ? p.getAsString() : "";
        JsonObject defaults = JsonParser.parseString(presetJson(PRESETS.contains(name) ? name : PRESETS.get(0)))
                .getAsJsonObject().getAsJsonObject("image");
        JsonElement own = root.get("image");
        JsonObject out = root.deepCopy();
        if (own == null || own.isJsonNull()) {
            out.add("image", defaults);
        } else if (own.isJsonObject()) {
            out.add("image", merge(defaults, own.getAsJsonObject()));
        }
        // Anything else is left for checkKeys, which names the field and what it expected.
        return out;
    }

    /** Makes a relative {@code motion.path} absolute against the spec's folder, so the spec works from anywhere. */
    private static void resolveMotionPath(JsonObject root, Path baseDir) {
        if (baseDir == null || !(root.get("motion") instanceof JsonObject motion)
                || !(motion.get("path") instanceof JsonPrimitive path) || !path.isString()) {
            return;
        }
        Path p = Path.of(path.getAsString());
        if (!p.isAbsolute()) {
            motion.addProperty("path", baseDir.resolve(p).normalize().toString());
        }
    }

    /** {@code override} on top of {@code base}: objects merge key by key, anything else replaces. */
    static JsonObject merge(JsonObject base, JsonObject override) {
        JsonObject out = base.deepCopy();
        for (Map.Entry<String, JsonElement> e : override.entrySet()) {
            JsonElement old = out.get(e.getKey());
            if (old != null && old.isJsonObject() && e.getValue().isJsonObject()
                    && !isMapField(e.getKey())) {
                out.add(e.getKey(), merge(old.getAsJsonObject(), e.getValue().getAsJsonObject()));
            } else {
                out.add(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    /** Maps (the action mix, bone ratio means) are replaced whole, so an override can drop entries. */
    private static boolean isMapField(String key) {
        return key.equals("actions") || key.equals("boneRatioMean");
    }

    /** Rejects keys that are not record components (typos would otherwise be silently ignored). */
    private static void checkKeys(JsonObject object, Class<?> type, String path, String source) throws FormatException {
        Map<String, RecordComponent> components = new LinkedHashMap<>();
        for (RecordComponent c : type.getRecordComponents()) {
            components.put(c.getName(), c);
        }
        for (Map.Entry<String, JsonElement> e : object.entrySet()) {
            RecordComponent c = components.get(e.getKey());
            String field = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
            if (c == null) {
                throw new FormatException(source, field + ": unknown field; " + (path.isEmpty() ? "a domain" : path)
                        + " has " + String.join(", ", components.keySet()));
            }
            if (c.getType().isRecord() && c.getType() != Range.class) {
                if (!e.getValue().isJsonObject()) {
                    throw new FormatException(source, field + ": expected an object, found " + e.getValue());
                }
                checkKeys(e.getValue().getAsJsonObject(), c.getType(), field, source);
            } else if (c.getGenericType() instanceof ParameterizedType && !e.getValue().isJsonNull()
                    && Map.class.isAssignableFrom(c.getType()) && !e.getValue().isJsonObject()) {
                throw new FormatException(source, field + ": expected an object of names to numbers, found " + e.getValue());
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }

    /** JSON {@code [min, max]} or a number ↔ {@link Range}. */
    private static final class RangeAdapter extends TypeAdapter<Range> {
        @Override
        public void write(JsonWriter out, Range r) throws IOException {
            if (r == null) {
                out.nullValue();
                return;
            }
            if (r.min() == r.max()) {
                out.value(r.min());
                return;
            }
            out.beginArray().value(r.min()).value(r.max()).endArray();
        }

        @Override
        public Range read(JsonReader in) throws IOException {
            if (in.peek() == JsonToken.NULL) {
                in.nextNull();
                return null;
            }
            String field = in.getPath().replaceFirst("^\\$\\.", "");
            if (in.peek() == JsonToken.NUMBER) {
                return Range.of(in.nextDouble());
            }
            JsonElement e = JsonParser.parseReader(in);
            if (!e.isJsonArray() || e.getAsJsonArray().size() != 2
                    || !(e.getAsJsonArray().get(0) instanceof JsonPrimitive p0) || !p0.isNumber()
                    || !(e.getAsJsonArray().get(1) instanceof JsonPrimitive p1) || !p1.isNumber()) {
                throw new JsonParseException(field + ": a range is [min, max] or a number, found " + e);
            }
            try {
                return new Range(p0.getAsDouble(), p1.getAsDouble());
            } catch (IllegalArgumentException ex) {
                throw new JsonParseException(field + ": " + ex.getMessage());
            }
        }
    }

    /** Field-by-field checks with messages that name the field. */
    private static final class DomainSpecValidator {
        private final String source;
        private final Path baseDir;

        DomainSpecValidator(String source, Path baseDir) {
            this.source = source;
            this.baseDir = baseDir;
        }

        void validate(DomainSpec s) throws FormatException {
            require("name", s.name());
            require("description", s.description());
            require("motion", s.motion());
            require("body", s.body());
            require("cameras", s.cameras());
            require("observation", s.observation());
            require("split", s.split());
            require("image", s.image());
            List<String> subjects = motion(s.motion());
            body(s.body());
            cameras(s.cameras());
            observation(s.observation());
            split(s.split(), subjects);
            image(s.image());
        }

        /** Returns the subject names the motion defines (synth), or null when the files define them. */
        private List<String> motion(DomainSpec.Motion m) throws FormatException {
            require("motion.source", m.source());
            positive("motion.fps", require("motion.fps", m.fps()));
            switch (m.source()) {
                case "synth" -> {
                    Map<String, Double> actions = require("motion.actions", m.actions());
                    if (actions.isEmpty()) {
                        fail("motion.actions", "needs at least one action with a positive weight");
                    }
                    for (Map.Entry<String, Double> a : actions.entrySet()) {
                        try {
                            SynthAction.byKey(a.getKey());
                        } catch (IllegalArgumentException e) {
                            fail("motion.actions", e.getMessage());
                        }
                        positive("motion.actions." + a.getKey(), a.getValue());
                    }
                    int n = require("motion.subjects", m.subjects());
                    positive("motion.subjects", n);
                    positive("motion.framesPerSequence", require("motion.framesPerSequence", m.framesPerSequence()));
                    positiveRange("motion.speed", require("motion.speed", m.speed()));
                    positiveRange("motion.amplitude", require("motion.amplitude", m.amplitude()));
                    positive("motion.areaRadiusM", require("motion.areaRadiusM", m.areaRadiusM()));
                    List<String> names = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        names.add("S" + i);
                    }
                    return names;
                }
                case "bvh", "videopose3d" -> {
                    Path p = Path.of(require("motion.path", m.path()));
                    Path resolved = baseDir == null ? p : baseDir.resolve(p);
                    if (!Files.exists(resolved)) {
                        fail("motion.path", "'" + resolved + "' does not exist");
                    }
                    if (m.source().equals("bvh")) {
                        String map = require("motion.jointMap", m.jointMap());
                        if (!List.of("bandai-namco", "cmu").contains(map)) {
                            fail("motion.jointMap", "unknown joint map '" + map + "'; known: bandai-namco, cmu");
                        }
                        String unit = require("motion.unit", m.unit());
                        if (!List.of("auto", "m", "cm", "mm", "inch").contains(unit)) {
                            fail("motion.unit", "unknown unit '" + unit + "'; use auto, m, cm, mm or inch");
                        }
                        // BVH clips are retargeted onto motion.subjects bodies S1..Sn.
                        int n = require("motion.subjects", m.subjects());
                        positive("motion.subjects", n);
                        List<String> names = new ArrayList<>();
                        for (int i = 1; i <= n; i++) {
                            names.add("S" + i);
                        }
                        return names;
                    }
                    return null;
                }
                default -> fail("motion.source", "unknown source '" + m.source() + "'; use synth, bvh or videopose3d");
            }
            return null;
        }

        private void body(DomainSpec.Body b) throws FormatException {
            Range h = require("body.heightM", b.heightM());
            if (h.min() < 0.5 || h.max() > 2.6) {
                fail("body.heightM", "heights must lie in [0.5, 2.6] m, got " + h);
            }
            double std = require("body.boneRatioStd", b.boneRatioStd());
            if (std < 0 || std > 0.5) {
                fail("body.boneRatioStd", "must be in [0, 0.5], got " + std);
            }
            Map<String, Double> means = require("body.boneRatioMean", b.boneRatioMean());
            for (Map.Entry<String, Double> e : means.entrySet()) {
                if (!BONE_GROUPS.containsKey(e.getKey())) {
                    fail("body.boneRatioMean", "unknown bone group '" + e.getKey() + "'; groups: "
                            + String.join(", ", BONE_GROUPS.keySet()));
                }
                if (e.getValue() == null || Math.abs(e.getValue()) > 0.5) {
                    fail("body.boneRatioMean." + e.getKey(), "must be in [-0.5, 0.5], got " + e.getValue());
                }
            }
        }

        private void cameras(DomainSpec.Cameras c) throws FormatException {
            positive("cameras.perScene", require("cameras.perScene", c.perScene()));
            require("cameras.fixedRig", c.fixedRig());
            positiveRange("cameras.focalPx", require("cameras.focalPx", c.focalPx()));
            positive("cameras.imageWidth", require("cameras.imageWidth", c.imageWidth()));
            positive("cameras.imageHeight", require("cameras.imageHeight", c.imageHeight()));
            Range jitter = require("cameras.principalJitterPx", c.principalJitterPx());
            if (Math.max(Math.abs(jitter.min()), Math.abs(jitter.max())) > Math.min(c.imageWidth(), c.imageHeight()) / 4.0) {
                fail("cameras.principalJitterPx", "must stay within a quarter of the image size, got " + jitter);
            }
            require("cameras.radialK1", c.radialK1());
            Range el = require("cameras.elevationDeg", c.elevationDeg());
            if (el.min() < -90 || el.max() > 90) {
                fail("cameras.elevationDeg", "must lie in [-90, 90] degrees, got " + el);
            }
            require("cameras.azimuthDeg", c.azimuthDeg());
            positiveRange("cameras.distanceM", require("cameras.distanceM", c.distanceM()));
            require("cameras.rollDeg", c.rollDeg());
            Range look = require("cameras.lookAtHeightM", c.lookAtHeightM());
            if (look.min() < 0) {
                fail("cameras.lookAtHeightM", "must not be below the floor, got " + look);
            }
            nonNegative("cameras.lookAtJitterM", require("cameras.lookAtJitterM", c.lookAtJitterM()));
            String motion = require("cameras.motion", c.motion());
            if (!List.of("static", "tracking", "handheld").contains(motion)) {
                fail("cameras.motion", "use static, tracking or handheld, got '" + motion + "'");
            }
            nonNegative("cameras.handheldShakeDeg", require("cameras.handheldShakeDeg", c.handheldShakeDeg()));
            nonNegative("cameras.handheldDriftMps", require("cameras.handheldDriftMps", c.handheldDriftMps()));
            if (c.fixedRig() && motion.equals("handheld")) {
                fail("cameras.fixedRig", "a fixed rig cannot be handheld; set fixedRig false or motion static");
            }
        }

        private void observation(DomainSpec.Observation o) throws FormatException {
            nonNegative("observation.pixelNoiseStd", require("observation.pixelNoiseStd", o.pixelNoiseStd()));
            probability("observation.outlierRate", require("observation.outlierRate", o.outlierRate()));
            nonNegative("observation.outlierStdPx", require("observation.outlierStdPx", o.outlierStdPx()));
            probability("observation.dropoutRate", require("observation.dropoutRate", o.dropoutRate()));
        }

        private void image(DomainSpec.Image i) throws FormatException {
            String background = require("image.background", i.background());
            if (!IMAGE_BACKGROUNDS.contains(background)) {
                fail("image.background", "unknown background '" + background + "'; use " + String.join(", ", IMAGE_BACKGROUNDS));
            }
            int size = require("image.size", i.size());
            if (!IMAGE_SIZES.contains(size)) {
                fail("image.size", "must be one of " + IMAGE_SIZES + ", got " + size);
            }
            String framing = require("image.framing", i.framing());
            if (!List.of("person", "full").contains(framing)) {
                fail("image.framing", "use person or full, got '" + framing + "'");
            }
            double margin = require("image.cropMargin", i.cropMargin());
            if (!(margin >= 1 && margin <= 4)) {
                fail("image.cropMargin", "must be in [1, 4] (crop side over the joints' box side), got " + margin);
            }
            within("image.ambient", require("image.ambient", i.ambient()), 0, 1);
            int lights = require("image.lights", i.lights());
            if (lights < 0 || lights > 4) {
                fail("image.lights", "must be 0 to 4, got " + lights);
            }
            within("image.lightIntensity", require("image.lightIntensity", i.lightIntensity()), 0, 2);
            within("image.lightElevationDeg", require("image.lightElevationDeg", i.lightElevationDeg()), -90, 90);
            require("image.lightAzimuthDeg", i.lightAzimuthDeg());
            within("image.noiseStd", require("image.noiseStd", i.noiseStd()), 0, 0.5);
            within("image.blurPx", require("image.blurPx", i.blurPx()), 0, 8);
            probability("image.occluderProbability", require("image.occluderProbability", i.occluderProbability()));
            int occluders = require("image.maxOccluders", i.maxOccluders());
            if (occluders < 0 || occluders > 8) {
                fail("image.maxOccluders", "must be 0 to 8, got " + occluders);
            }
            within("image.clothingSaturation", require("image.clothingSaturation", i.clothingSaturation()), 0, 1);
            within("image.clothingBrightness", require("image.clothingBrightness", i.clothingBrightness()), 0, 1);
            probability("image.texturedClothing", require("image.texturedClothing", i.texturedClothing()));
            double girth = require("image.girthStd", i.girthStd());
            if (!(girth >= 0 && girth <= 0.3)) {
                fail("image.girthStd", "must be in [0, 0.3], got " + girth);
            }
            within("image.chromaSpill", require("image.chromaSpill", i.chromaSpill()), 0, 1);
        }

        private void within(String field, Range r, double lo, double hi) throws FormatException {
            if (r.min() < lo || r.max() > hi) {
                fail(field, "must lie in [" + lo + ", " + hi + "], got " + r);
            }
        }

        private void split(DomainSpec.Split s, List<String> subjects) throws FormatException {
            List<String> train = require("split.trainSubjects", s.trainSubjects());
            List<String> test = require("split.testSubjects", s.testSubjects());
            if (train.isEmpty() || test.isEmpty()) {
                fail("split", "needs at least one training and one test subject");
            }
            Set<String> seen = new HashSet<>();
            for (String subject : concat(train, test)) {
                if (!seen.add(subject)) {
                    fail("split", "subject '" + subject + "' is listed twice (train and test must be disjoint)");
                }
                if (subjects != null && !subjects.contains(subject)) {
                    fail("split", "subject '" + subject + "' does not exist; the motion defines " + subjects);
                }
            }
        }

        private static List<String> concat(List<String> a, List<String> b) {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return all;
        }

        private <T> T require(String field, T value) throws FormatException {
            if (value == null) {
                fail(field, "missing");
            }
            return value;
        }

        private void positive(String field, double v) throws FormatException {
            if (!(v > 0) || Double.isInfinite(v)) {
                fail(field, "must be positive, got " + v);
            }
        }

        private void nonNegative(String field, double v) throws FormatException {
            if (!(v >= 0) || Double.isInfinite(v)) {
                fail(field, "must be zero or positive, got " + v);
            }
        }

        private void probability(String field, double v) throws FormatException {
            if (!(v >= 0 && v <= 1)) {
                fail(field, "must be a probability in [0, 1], got " + v);
            }
        }

        private void positiveRange(String field, Range r) throws FormatException {
            if (!(r.min() > 0)) {
                fail(field, "must be positive, got " + r);
            }
        }

        private void fail(String field, String problem) throws FormatException {
            throw new FormatException(source, field + ": " + problem);
        }
    }
}
