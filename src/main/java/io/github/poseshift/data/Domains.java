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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Loads {@link DomainSpec}s: the bundled presets by name ({@code h36m-like}, {@code 3dhp-like},
 * {@code 3dpw-like}, {@code ski-like}) or a user's JSON file by path. A file may start from a preset
 * with {@code "extends": "h36m-like"} and override only what differs. Loading is strict: the file as
 * written must be strict JSON and match the spec's JSON Schema ({@link DomainSpecSchema}: types without
 * conversion, bounds, spellings, no unknown or duplicate keys, a {@code name}); the spec merged with its
 * preset must then be complete and consistent (a missing field, an unknown action, a fixed handheld rig,
 * a split naming subjects the motion lacks...). Any problem fails with a {@link FormatException} naming
 * the file and the field, e.g. {@code "my.json: cameras.distanceM: must be positive, got [-1.0, 5.0]"}.
 */
public final class Domains {

    /** The presets, in the order the benchmark uses them (source first). */
    public static final List<String> PRESETS = List.of("h36m-like", "3dhp-like", "3dpw-like", "ski-like");

    /**
     * Symmetric bone groups a body can lengthen or shorten, by the H36M-17 joints their bones end at.
     */
    public static final Map<String, List<String>> BONE_GROUPS = boneGroups();

    /** The square image sizes a domain renders at. */
    public static final List<Integer> IMAGE_SIZES = List.of(64, 128, 256);

    /** The most subjects a domain has: the schema's bound of {@code motion.subjects}. */
    public static final int MAX_SUBJECTS = DomainSpecSchema.json().at("/properties/motion/properties/subjects/maximum")
            .intValue();

    /** The most frames a synthetic sequence has: the schema's bound of {@code motion.framesPerSequence}. */
    public static final int MAX_FRAMES_PER_SEQUENCE = DomainSpecSchema.json()
            .at("/properties/motion/properties/framesPerSequence/maximum").intValue();

    /**
     * The most camera-view frames (frames of every sequence times the cameras that see it) a synthetic domain
     * makes: each holds its 2D keypoints, confidences, camera and a share of the 3D pose, about 0.6 KB of memory, so
     * the limit (8 times the largest preset) keeps a domain within about 1.5 GB. Recorded motion (BVH,
     * VideoPose3D) is as large as its files.
     */
    public static final long MAX_VIEW_FRAMES = 2_000_000;

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
     * Parses and validates a spec: the text as written against the schema, then the spec merged with the
     * preset it extends.
     *
     * @param json    the JSON text
     * @param source  file name for messages
     * @param baseDir folder that relative motion paths are resolved against; null for presets
     */
    public static DomainSpec parse(String json, String source, Path baseDir) throws IOException {
        DomainSpecSchema.check(json, source);
        JsonObject root = JsonParser.parseString(json).getAsJsonObject();
        if (root.has("extends")) {
            String parent = root.remove("extends").getAsString();
            root = merge(JsonParser.parseString(presetJson(parent)).getAsJsonObject(), root);
        }
        root = withImageDefaults(root);
        root = withLifterInputDefault(root);
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
            if (subjects < 2 || subjects > MAX_SUBJECTS) {
                throw new IllegalArgumentException("need at least 2 subjects (one to train, one to test) and at most "
                        + MAX_SUBJECTS + ", got " + subjects);
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
        } else {
            out.add("image", merge(defaults, own.getAsJsonObject()));
        }
        return out;
    }

    /**
     * A spec without {@code lifterInput} (written before it existed) gets the one of the preset it is named after,
     * any other {@code screen}, as with the image style.
     */
    private static JsonObject withLifterInputDefault(JsonObject root) throws IOException {
        if (root.has("lifterInput")) {
            return root;
        }
        String name = root.get("name") instanceof JsonPrimitive p && p.isString() ? p.getAsString() : "";
        JsonObject out = root.deepCopy();
        out.add("lifterInput", PRESETS.contains(name)
                ? JsonParser.parseString(presetJson(name)).getAsJsonObject().get("lifterInput")
                : new JsonPrimitive("screen"));
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

    /**
     * The checks of a merged spec that its schema cannot make of one file: every field present (a file that
     * extends a preset may omit any), what each motion source needs, action and bone-group names, and the
     * rules between fields. Each field's type, bounds and spelling were checked against the schema.
     */
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
            require("lifterInput", s.lifterInput());
            List<String> subjects = motion(s.motion());
            body(s.body());
            cameras(s.cameras());
            if (s.motion().source() == DomainSpec.MotionSource.SYNTH) {
                size(s.motion(), s.cameras());
            }
            observation(s.observation());
            split(s.split(), subjects);
            image(s.image());
        }

        /** Returns the subject names the motion defines (synth, bvh), or null when the files define them. */
        private List<String> motion(DomainSpec.Motion m) throws FormatException {
            require("motion.fps", m.fps());
            return switch (require("motion.source", m.source())) {
                case SYNTH -> {
                    Map<String, Double> actions = require("motion.actions", m.actions());
                    if (actions.isEmpty()) {
                        fail("motion.actions", "needs at least one action with a positive weight");
                    }
                    for (String key : actions.keySet()) {
                        try {
                            SynthAction.byKey(key);
                        } catch (IllegalArgumentException e) {
                            fail("motion.actions", e.getMessage());
                        }
                    }
                    require("motion.framesPerSequence", m.framesPerSequence());
                    require("motion.speed", m.speed());
                    require("motion.amplitude", m.amplitude());
                    require("motion.areaRadiusM", m.areaRadiusM());
                    yield subjectNames(m);
                }
                case BVH -> {
                    requireExistingPath(m);
                    require("motion.jointMap", m.jointMap());
                    require("motion.unit", m.unit());
                    // BVH clips are retargeted onto motion.subjects bodies S1..Sn.
                    yield subjectNames(m);
                }
                case VIDEOPOSE3D -> {
                    requireExistingPath(m);
                    yield null;
                }
            };
        }

        private List<String> subjectNames(DomainSpec.Motion m) throws FormatException {
            int n = require("motion.subjects", m.subjects());
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                names.add("S" + i);
            }
            return names;
        }

        private void requireExistingPath(DomainSpec.Motion m) throws FormatException {
            Path p = Path.of(require("motion.path", m.path()));
            Path resolved = baseDir == null ? p : baseDir.resolve(p);
            if (!Files.exists(resolved)) {
                fail("motion.path", "'" + resolved + "' does not exist");
            }
        }

        /** A synthetic domain's size, checked before anything is made: at most {@link #MAX_VIEW_FRAMES}. */
        private void size(DomainSpec.Motion m, DomainSpec.Cameras c) throws FormatException {
            double sequences = 0;
            for (double weight : m.actions().values()) {
                sequences += DomainSpec.Motion.sequencesOf(weight);
            }
            double viewFrames = m.subjects() * sequences * m.framesPerSequence() * c.perScene();
            if (viewFrames > MAX_VIEW_FRAMES) {
                fail("motion", m.subjects() + " subjects (motion.subjects) × " + count(sequences) + " sequences each"
                        + " (from motion.actions) × " + m.framesPerSequence() + " frames (motion.framesPerSequence) × "
                        + c.perScene() + " cameras (cameras.perScene) make " + count(viewFrames) + " camera-view frames;"
                        + " at most " + MAX_VIEW_FRAMES + " (about 0.6 KB of memory each)");
            }
        }

        /** A whole count as digits, or in scientific notation when it is beyond a long's digits. */
        private static String count(double n) {
            return n < 1e15 ? Long.toString((long) n) : String.format(Locale.ROOT, "%.3g", n);
        }

        private void body(DomainSpec.Body b) throws FormatException {
            require("body.heightM", b.heightM());
            require("body.boneRatioStd", b.boneRatioStd());
            Map<String, Double> means = require("body.boneRatioMean", b.boneRatioMean());
            for (String group : means.keySet()) {
                if (!BONE_GROUPS.containsKey(group)) {
                    fail("body.boneRatioMean", "unknown bone group '" + group + "'; groups: "
                            + String.join(", ", BONE_GROUPS.keySet()));
                }
            }
        }

        private void cameras(DomainSpec.Cameras c) throws FormatException {
            require("cameras.perScene", c.perScene());
            boolean fixedRig = require("cameras.fixedRig", c.fixedRig());
            require("cameras.focalPx", c.focalPx());
            int width = require("cameras.imageWidth", c.imageWidth());
            int height = require("cameras.imageHeight", c.imageHeight());
            Range jitter = require("cameras.principalJitterPx", c.principalJitterPx());
            if (Math.max(Math.abs(jitter.min()), Math.abs(jitter.max())) > Math.min(width, height) / 4.0) {
                fail("cameras.principalJitterPx", "must stay within a quarter of the image size, got " + jitter);
            }
            require("cameras.radialK1", c.radialK1());
            require("cameras.elevationDeg", c.elevationDeg());
            require("cameras.azimuthDeg", c.azimuthDeg());
            require("cameras.distanceM", c.distanceM());
            require("cameras.rollDeg", c.rollDeg());
            require("cameras.lookAtHeightM", c.lookAtHeightM());
            require("cameras.lookAtJitterM", c.lookAtJitterM());
            require("cameras.handheldShakeDeg", c.handheldShakeDeg());
            require("cameras.handheldDriftMps", c.handheldDriftMps());
            DomainSpec.CameraMotion motion = require("cameras.motion", c.motion());
            if (fixedRig && motion == DomainSpec.CameraMotion.HANDHELD) {
                fail("cameras.fixedRig", "a fixed rig cannot be handheld; set fixedRig false or motion static");
            }
        }

        private void observation(DomainSpec.Observation o) throws FormatException {
            require("observation.pixelNoiseStd", o.pixelNoiseStd());
            require("observation.outlierRate", o.outlierRate());
            require("observation.outlierStdPx", o.outlierStdPx());
            require("observation.dropoutRate", o.dropoutRate());
        }

        private void image(DomainSpec.Image i) throws FormatException {
            require("image.background", i.background());
            require("image.size", i.size());
            require("image.framing", i.framing());
            require("image.cropMargin", i.cropMargin());
            require("image.ambient", i.ambient());
            require("image.lights", i.lights());
            require("image.lightIntensity", i.lightIntensity());
            require("image.lightElevationDeg", i.lightElevationDeg());
            require("image.lightAzimuthDeg", i.lightAzimuthDeg());
            require("image.noiseStd", i.noiseStd());
            require("image.blurPx", i.blurPx());
            require("image.occluderProbability", i.occluderProbability());
            require("image.maxOccluders", i.maxOccluders());
            require("image.clothingSaturation", i.clothingSaturation());
            require("image.clothingBrightness", i.clothingBrightness());
            require("image.texturedClothing", i.texturedClothing());
            require("image.girthStd", i.girthStd());
            require("image.chromaSpill", i.chromaSpill());
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

        private void fail(String field, String problem) throws FormatException {
            throw new FormatException(source, field + ": " + problem);
        }
    }
}
