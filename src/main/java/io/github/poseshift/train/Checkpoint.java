package io.github.poseshift.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.FormatException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A trained model on disk. A checkpoint folder holds
 * <pre>
 * checkpoint.json            what the checkpoint is — kind, configuration record, epochs trained, free-form
 *                            info (training configuration, domains, ...) — and which files make it up: the
 *                            data folder and each file's length and SHA-256
 * epoch-4/model.params       the parameters (DJL's format)
 * epoch-4/optimizer.state    {@link ResumableAdam}'s moments, in a checkpoint training can resume from
 * epoch-4/history.csv        the training history
 * epoch-4/description.json   kind, configuration, epochs, info and the shape of every parameter, as saved
 * </pre>
 *
 * <p><b>Saves are atomic.</b> A save writes its files into a new data folder and forces them to disk, then
 * replaces {@code checkpoint.json} in one rename, and only then deletes the previous data folder. A process
 * killed at any moment leaves {@code checkpoint.json} naming either the previous checkpoint or the new one,
 * each complete. What a killed save leaves behind — a data folder {@code checkpoint.json} does not name, a
 * temporary {@code .checkpoint.json.*.tmp} — is removed when training next starts in the folder or saves
 * into it ({@link #removeStale}); nothing else in the folder is touched.
 *
 * <p><b>Reads are checked.</b> Every file is read whole and used only when its length and SHA-256 are the
 * ones {@code checkpoint.json} records. The description in {@code checkpoint.json} must equal the one saved
 * in {@code description.json}, so an edited field is named. Loading then checks the kind and every
 * configuration field against the model asked for, and the shape of every parameter against the network
 * that configuration builds. Each failure is a {@link FormatException} naming the file and what differs.
 * Checkpoints of the earlier layout (files beside {@code checkpoint.json}, no digests) are refused with a
 * message saying so.
 */
public final class Checkpoint {

    /** The description file at the top of a checkpoint folder, the one a save replaces last. */
    public static final String META_FILE = "checkpoint.json";
    /** The parameter file in a checkpoint's data folder. */
    public static final String PARAMS_FILE = "model.params";
    /** The training history in a checkpoint's data folder. */
    public static final String HISTORY_FILE = "history.csv";
    /** The optimizer state in a resumable checkpoint's data folder. */
    public static final String OPTIMIZER_FILE = "optimizer.state";
    /** The description as saved, with the parameter shapes, in a checkpoint's data folder. */
    public static final String DESCRIPTION_FILE = "description.json";
    /** The layout {@code checkpoint.json} declares in its {@code format} field. */
    public static final String FORMAT = "poseshift-checkpoint-2";

    private static final Set<String> DATA_FILES = Set.of(PARAMS_FILE, OPTIMIZER_FILE, HISTORY_FILE, DESCRIPTION_FILE);
    /** Data folders: {@code epoch-N}, or {@code epoch-N.K} when a folder of that epoch is the current one. */
    private static final Pattern DATA_FOLDER = Pattern.compile("epoch-\\d+(\\.\\d+)?");
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * What a checkpoint holds.
     *
     * @param kind   the model family, e.g. {@code tcn} or {@code simple-baseline}
     * @param config the model's configuration record as JSON
     * @param epochs epochs trained
     * @param info   what else a reader needs to use the model, e.g. {@code training} (the
     *               {@link LifterTraining.Config}), {@code windows}, {@code source}, {@code target}
     */
    public record Meta(String kind, JsonElement config, int epochs, JsonObject info) {
        /** Missing info reads as empty. */
        public Meta {
            info = info == null ? new JsonObject() : info;
        }
    }

    /**
     * The committed checkpoint as {@code checkpoint.json} describes it.
     *
     * @param file   the {@code checkpoint.json}
     * @param data   the data folder it names
     * @param meta   its description
     * @param raw    its description fields as written (kind, config, epochs, info), for comparison
     * @param files  each data file's digest
     */
    private record Manifest(Path file, Path data, Meta meta, JsonObject raw, Map<String, CheckpointFiles.Digest> files) {
        /** A data file's content, checked against its digest. */
        byte[] read(String name) throws IOException {
            CheckpointFiles.Digest digest = files.get(name);
            if (digest == null) {
                throw new FormatException(file.toString(), "lists no " + name);
            }
            return CheckpointFiles.readVerified(data.resolve(name), digest, file);
        }
    }

    private Checkpoint() {}

    /** Saves {@code block} (initialised) with its configuration into {@code folder}, atomically. */
    public static void save(Path folder, String kind, Record config, Block block, History history, int epochs)
            throws IOException {
        save(folder, kind, config, block, history, epochs, new JsonObject(), null);
    }

    /**
     * Saves {@code block} with its configuration, {@code info} and, when {@code optimizer} is not null,
     * the optimizer's state, so that training can resume from this checkpoint; atomically (see the class
     * comment), replacing the checkpoint already in {@code folder}, if any.
     */
    public static void save(Path folder, String kind, Record config, Block block, History history, int epochs,
            JsonObject info, ResumableAdam optimizer) throws IOException {
        Files.createDirectories(folder);
        String current = committedDataFolder(folder);
        String name = "epoch-" + epochs;
        for (int k = 2; name.equals(current); k++) {
            name = "epoch-" + epochs + "." + k;
        }
        Path data = folder.resolve(name);
        if (Files.exists(data, LinkOption.NOFOLLOW_LINKS) && !deleteDataFolder(data)) {
            throw new FormatException(data.toString(), "holds files that are not a checkpoint's; move them away"
                    + " (nothing was overwritten)");
        }
        Files.createDirectory(data);
        JsonObject description = description(kind, config, epochs, info);
        JsonObject sealedDescription = description.deepCopy();
        sealedDescription.add("parameters", shapes(block));
        Map<String, CheckpointFiles.Digest> files = new LinkedHashMap<>();
        files.put(PARAMS_FILE, CheckpointFiles.write(data.resolve(PARAMS_FILE), out -> {
            DataOutputStream stream = new DataOutputStream(out);
            block.saveParameters(stream);
            stream.flush();
        }));
        CheckpointFiles.pause();
        if (optimizer != null) {
            files.put(OPTIMIZER_FILE, CheckpointFiles.write(data.resolve(OPTIMIZER_FILE), out -> {
                DataOutputStream stream = new DataOutputStream(out);
                optimizer.save(block, stream);
                stream.flush();
            }));
            CheckpointFiles.pause();
        }
        byte[] csv = history.toCsv().getBytes(StandardCharsets.UTF_8);
        files.put(HISTORY_FILE, CheckpointFiles.write(data.resolve(HISTORY_FILE), out -> out.write(csv)));
        CheckpointFiles.pause();
        byte[] sealed = GSON.toJson(sealedDescription).getBytes(StandardCharsets.UTF_8);
        files.put(DESCRIPTION_FILE, CheckpointFiles.write(data.resolve(DESCRIPTION_FILE), out -> out.write(sealed)));
        CheckpointFiles.syncDirectory(data);
        CheckpointFiles.syncDirectory(folder);
        CheckpointFiles.pause();

        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", FORMAT);
        description.entrySet().forEach(e -> manifest.add(e.getKey(), e.getValue()));
        manifest.addProperty("folder", name);
        JsonObject digests = new JsonObject();
        files.forEach((file, digest) -> digests.add(file, digest.toJson()));
        manifest.add("files", digests);
        CheckpointFiles.replace(folder.resolve(META_FILE), GSON.toJson(manifest).getBytes(StandardCharsets.UTF_8));
        CheckpointFiles.pause();
        removeStale(folder);
    }

    /** A configuration record as the JSON the checkpoint stores. */
    public static JsonElement toJson(Record config) {
        return GSON.toJsonTree(config);
    }

    /** Whether {@code folder} holds a checkpoint (a {@code checkpoint.json}; reading it checks the rest). */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(META_FILE));
    }

    /** Where a file of the checkpoint in {@code folder} is, e.g. {@code file(folder, PARAMS_FILE)}. */
    public static Path file(Path folder, String name) throws IOException {
        return manifest(folder).data().resolve(name);
    }

    /**
     * The description of the checkpoint in {@code folder}, once {@code checkpoint.json} is found to agree
     * with the description saved with the data.
     *
     * @throws FormatException naming the file and what is wrong: not a checkpoint, an earlier layout, a
     *                         missing or damaged file, a field edited since the save
     */
    public static Meta meta(Path folder) throws IOException {
        return checked(folder).manifest().meta();
    }

    /**
     * Like {@link #meta}, having also checked every file of the checkpoint against its digest: what a run
     * about to resume calls before any work.
     */
    public static Meta verify(Path folder) throws IOException {
        Manifest m = checked(folder).manifest();
        for (String name : m.files().keySet()) {
            m.read(name);
        }
        return m.meta();
    }

    /** The training history saved with a checkpoint. */
    public static History history(Path folder) throws IOException {
        Manifest m = manifest(folder);
        byte[] csv = m.read(HISTORY_FILE);
        return History.parseCsv(new String(csv, StandardCharsets.UTF_8), m.data().resolve(HISTORY_FILE).toString());
    }

    /** Restores the optimizer state saved with a checkpoint into {@code optimizer}, for {@code block}. */
    public static void loadOptimizer(Path folder, Block block, ResumableAdam optimizer) throws IOException {
        Manifest m = manifest(folder);
        if (!m.files().containsKey(OPTIMIZER_FILE)) {
            throw new FormatException(m.file().toString(), "has no " + OPTIMIZER_FILE
                    + ", so training cannot resume from it (it was saved without optimizer state)");
        }
        String file = m.data().resolve(OPTIMIZER_FILE).toString();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(m.read(OPTIMIZER_FILE)))) {
            optimizer.load(block, in, file);
            if (in.read() != -1) {
                throw new FormatException(file, "unexpected bytes after the optimizer state");
            }
        }
    }

    /**
     * The checkpoint's configuration as a {@code type} record.
     *
     * @throws FormatException naming {@code checkpoint.json} and why the configuration is invalid
     */
    public static <T extends Record> T config(Path folder, Meta meta, Class<T> type) throws FormatException {
        // Gson fills a missing number or flag with 0 or false: refused here. A missing object may be
        // optional (null); when the record refuses it, the missing field is named.
        String problem = missing(meta.config(), type, "", true);
        if (problem == null) {
            try {
                return GSON.fromJson(meta.config(), type);
            } catch (RuntimeException e) {
                String absent = missing(meta.config(), type, "", false);
                problem = absent != null ? absent : reason(e);
            }
        }
        throw new FormatException(folder.resolve(META_FILE).toString(), "invalid " + meta.kind() + " configuration: "
                + problem);
    }

    /**
     * The first field of record {@code type} (or of a record inside it) that {@code json} lacks — only
     * primitive ones when {@code primitivesOnly} — or null when there is none.
     */
    private static String missing(JsonElement json, Class<?> type, String path, boolean primitivesOnly) {
        if (json == null || !json.isJsonObject()) {
            return (path.isEmpty() ? "the configuration" : "'" + path + "'") + " must be an object, found " + json;
        }
        for (RecordComponent c : type.getRecordComponents()) {
            String name = path.isEmpty() ? c.getName() : path + "." + c.getName();
            JsonElement value = json.getAsJsonObject().get(c.getName());
            if (value == null || value.isJsonNull()) {
                if (c.getType().isPrimitive() || !primitivesOnly) {
                    return "no '" + name + "'";
                }
            } else if (c.getType().isRecord()) {
                String inner = missing(value, c.getType(), name, primitivesOnly);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }

    /**
     * Loads a checkpoint's parameters into {@code block} after checking that it was saved from a model of
     * the same kind and configuration, and that every saved parameter has the shape of the block's; the
     * block is initialised for {@code inputShape} first.
     *
     * @throws FormatException naming the differing fields or parameters, or a damaged file
     */
    public static Meta loadInto(Path folder, String kind, Record config, Block block, NDManager manager, Shape inputShape)
            throws IOException {
        Checked c = checked(folder);
        Meta meta = c.manifest().meta();
        String metaFile = c.manifest().file().toString();
        if (!meta.kind().equals(kind)) {
            throw new FormatException(metaFile, "holds a '" + meta.kind() + "' model, not '" + kind + "'");
        }
        List<String> differences = differences(meta.config(), config);
        if (!differences.isEmpty()) {
            throw new FormatException(metaFile, "the checkpoint's configuration differs from the model's: "
                    + String.join("; ", differences));
        }
        block.initialize(manager, DataType.FLOAT32, inputShape);
        Path params = c.manifest().data().resolve(PARAMS_FILE);
        List<String> misfits = shapeDifferences(c.sealed().get("parameters"), shapes(block));
        if (!misfits.isEmpty()) {
            throw new FormatException(params.toString(), "its parameters do not fit the '" + kind + "' network of this"
                    + " configuration: " + String.join("; ", misfits));
        }
        byte[] bytes = c.manifest().read(PARAMS_FILE);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new FormatException(params.toString(), "unexpected bytes after the parameters");
            }
        } catch (MalformedModelException | RuntimeException | EOFException e) {
            throw new FormatException(params.toString(), "unreadable parameters: " + reason(e), e);
        }
        return meta;
    }

    /**
     * Removes what an interrupted save left in {@code folder}: temporary {@code .checkpoint.json.*.tmp}
     * files and data folders {@code checkpoint.json} does not name (holding only a checkpoint's files).
     * Leaves everything as it is when {@code checkpoint.json} is there but unreadable.
     */
    static void removeStale(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            return;
        }
        String current = null;
        if (exists(folder)) {
            try {
                current = manifest(folder).data().getFileName().toString();
            } catch (FormatException e) {
                return;
            }
        }
        String temp = CheckpointFiles.tempPrefix(META_FILE);
        List<Path> entries;
        try (Stream<Path> list = Files.list(folder)) {
            entries = list.toList();
        }
        for (Path entry : entries) {
            String name = entry.getFileName().toString();
            if (name.startsWith(temp) && name.endsWith(".tmp") && Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                Files.deleteIfExists(entry);
            } else if (DATA_FOLDER.matcher(name).matches() && !name.equals(current)) {
                deleteDataFolder(entry);
            }
        }
        CheckpointFiles.syncDirectory(folder);
    }

    /** The configuration differences between a saved JSON object and the wanted record, ignoring {@code ignored} keys. */
    static List<String> differences(JsonElement saved, Record wanted, String... ignored) {
        JsonObject a = saved.getAsJsonObject().deepCopy();
        // Through text, like the saved side: a float such as 0.002f then compares equal to its JSON
        // reading instead of differing in the digits its double widening adds.
        JsonObject b = JsonParser.parseString(GSON.toJson(wanted)).getAsJsonObject();
        for (String key : ignored) {
            a.remove(key);
            b.remove(key);
        }
        return differences(a, b, "in the checkpoint", "asked for");
    }

    /**
     * Field-by-field differences between two JSON values, nested fields joined with dots, e.g.
     * {@code channels: 96 in the checkpoint vs 64 asked for} with sides {@code "in the checkpoint"} and
     * {@code "asked for"}.
     */
    static List<String> differences(JsonElement a, JsonElement b, String aSide, String bSide) {
        List<String> out = new ArrayList<>();
        differences("", a, b, aSide, bSide, out);
        return out;
    }

    private static void differences(String path, JsonElement a, JsonElement b, String aSide, String bSide,
            List<String> out) {
        if (a != null && b != null && a.isJsonObject() && b.isJsonObject()) {
            Set<String> keys = new LinkedHashSet<>(a.getAsJsonObject().keySet());
            keys.addAll(b.getAsJsonObject().keySet());
            for (String key : keys) {
                differences(path.isEmpty() ? key : path + "." + key, a.getAsJsonObject().get(key),
                        b.getAsJsonObject().get(key), aSide, bSide, out);
            }
        } else if (a == null || !a.equals(b)) {
            out.add(path + ": " + show(a) + " " + aSide + " vs " + show(b) + " " + bSide);
        }
    }

    private static String show(JsonElement e) {
        if (e == null) {
            return "(absent)";
        }
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isString() ? e.getAsString() : e.toString();
    }

    /** A manifest whose description agrees with the one saved with the data, and that saved description. */
    private record Checked(Manifest manifest, JsonObject sealed) {}

    private static Checked checked(Path folder) throws IOException {
        Manifest m = manifest(folder);
        Path file = m.data().resolve(DESCRIPTION_FILE);
        JsonObject sealed = parseObject(m.read(DESCRIPTION_FILE), file);
        JsonObject saved = sealed.deepCopy();
        saved.remove("parameters");
        List<String> edits = differences(saved, m.raw(), "saved", "in " + META_FILE);
        if (!edits.isEmpty()) {
            throw new FormatException(m.file().toString(), "differs from the description saved with the checkpoint ("
                    + file + "): " + String.join("; ", edits) + "; undo the edit or train again (nothing was loaded)");
        }
        if (!sealed.has("parameters") || !sealed.get("parameters").isJsonObject()) {
            throw new FormatException(file.toString(), "has no 'parameters' (their shapes)");
        }
        return new Checked(m, sealed);
    }

    private static Manifest manifest(Path folder) throws IOException {
        Path file = folder.resolve(META_FILE);
        if (!Files.isRegularFile(file)) {
            throw new FormatException(folder.toString(), "not a checkpoint: no " + META_FILE);
        }
        JsonObject json = parseObject(Files.readAllBytes(file), file);
        JsonElement format = json.get("format");
        if (format == null) {
            throw new FormatException(file.toString(), json.has("kind") && Files.exists(folder.resolve(PARAMS_FILE))
                    ? "a checkpoint in the layout of earlier PoseShift versions (model.params beside checkpoint.json,"
                            + " no digests), which this version does not load; train it again into a new folder"
                            + " (nothing was changed)"
                    : "not a PoseShift checkpoint: no 'format'");
        }
        if (!format.isJsonPrimitive() || !format.getAsString().equals(FORMAT)) {
            throw new FormatException(file.toString(), "format " + format + "; this PoseShift reads '" + FORMAT + "'");
        }
        String kind = string(json, "kind", file);
        JsonElement config = json.get("config");
        if (config == null || !config.isJsonObject()) {
            throw new FormatException(file.toString(), "'config' must be an object, found " + config);
        }
        JsonElement epochs = json.get("epochs");
        if (epochs == null || !epochs.isJsonPrimitive() || !epochs.getAsJsonPrimitive().isNumber()
                || epochs.getAsDouble() != Math.rint(epochs.getAsDouble()) || epochs.getAsDouble() < 0
                || epochs.getAsDouble() > Integer.MAX_VALUE) {
            throw new FormatException(file.toString(), "'epochs' must be a whole number ≥ 0, found " + epochs);
        }
        JsonElement info = json.get("info");
        if (info != null && !info.isJsonObject()) {
            throw new FormatException(file.toString(), "'info' must be an object, found " + info);
        }
        String name = string(json, "folder", file);
        if (!DATA_FOLDER.matcher(name).matches()) {
            throw new FormatException(file.toString(), "'folder' must name a data folder such as epoch-4, found '"
                    + name + "'");
        }
        JsonElement list = json.get("files");
        if (list == null || !list.isJsonObject()) {
            throw new FormatException(file.toString(), "'files' must be an object of file digests, found " + list);
        }
        Map<String, CheckpointFiles.Digest> files = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : list.getAsJsonObject().entrySet()) {
            if (!DATA_FILES.contains(e.getKey())) {
                throw new FormatException(file.toString(), "'files' lists '" + e.getKey() + "'; a checkpoint holds "
                        + String.join(", ", new TreeSet<>(DATA_FILES)));
            }
            files.put(e.getKey(), CheckpointFiles.Digest.fromJson(e.getValue(), file.toString(), "files." + e.getKey()));
        }
        for (String required : List.of(PARAMS_FILE, HISTORY_FILE, DESCRIPTION_FILE)) {
            if (!files.containsKey(required)) {
                throw new FormatException(file.toString(), "'files' lacks " + required);
            }
        }
        JsonObject raw = new JsonObject();
        for (String key : List.of("kind", "config", "epochs", "info")) {
            if (json.has(key)) {
                raw.add(key, json.get(key));
            }
        }
        Meta meta = new Meta(kind, config, epochs.getAsInt(), info == null ? null : info.getAsJsonObject());
        return new Manifest(file, folder.resolve(name), meta, raw, files);
    }

    /** The data folder the committed checkpoint names, or null when there is none or it is unreadable. */
    private static String committedDataFolder(Path folder) throws IOException {
        if (!exists(folder)) {
            return null;
        }
        try {
            return manifest(folder).data().getFileName().toString();
        } catch (FormatException e) {
            return null;
        }
    }

    /**
     * Deletes {@code dir} when it holds nothing but a checkpoint's data files; returns whether it is gone.
     */
    private static boolean deleteDataFolder(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        List<Path> entries;
        try (Stream<Path> list = Files.list(dir)) {
            entries = list.toList();
        }
        for (Path entry : entries) {
            if (!DATA_FILES.contains(entry.getFileName().toString())
                    || !Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        for (Path entry : entries) {
            Files.delete(entry);
        }
        Files.delete(dir);
        return true;
    }

    private static JsonObject description(String kind, Record config, int epochs, JsonObject info) {
        JsonObject d = new JsonObject();
        d.addProperty("kind", kind);
        d.add("config", toJson(config));
        d.addProperty("epochs", epochs);
        d.add("info", info == null ? new JsonObject() : info.deepCopy());
        // Through text, as a reader sees it: numbers then compare equal field by field.
        return JsonParser.parseString(GSON.toJson(d)).getAsJsonObject();
    }

    /** Every parameter's shape, by name, in the block's order. */
    private static JsonObject shapes(Block block) {
        JsonObject out = new JsonObject();
        for (Pair<String, Parameter> p : block.getParameters()) {
            JsonArray dims = new JsonArray();
            for (long d : p.getValue().getArray().getShape().getShape()) {
                dims.add(d);
            }
            out.add(p.getKey(), dims);
        }
        return out;
    }

    /** The parameters whose saved shape is not the network's, or that only one side has. */
    private static List<String> shapeDifferences(JsonElement saved, JsonObject network) {
        List<String> out = new ArrayList<>();
        JsonObject s = saved.getAsJsonObject();
        for (String name : network.keySet()) {
            if (!s.has(name)) {
                out.add("'" + name + "' is in the network, not in the file");
            } else if (!s.get(name).equals(network.get(name))) {
                out.add("'" + name + "' has shape " + s.get(name) + " in the file vs " + network.get(name)
                        + " in the network");
            }
        }
        for (String name : s.keySet()) {
            if (!network.has(name)) {
                out.add("'" + name + "' is in the file, not in the network");
            }
        }
        return out;
    }

    private static JsonObject parseObject(byte[] content, Path file) throws FormatException {
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(content)).toString();
            JsonElement json = JsonParser.parseString(text);
            if (!json.isJsonObject()) {
                throw new FormatException(file.toString(), "expected a JSON object, found " + json);
            }
            return json.getAsJsonObject();
        } catch (CharacterCodingException e) {
            throw new FormatException(file.toString(), "not UTF-8 text", e);
        } catch (JsonParseException e) {
            throw new FormatException(file.toString(), "not valid JSON: " + reason(e), e);
        }
    }

    private static String string(JsonObject json, String key, Path file) throws FormatException {
        JsonElement e = json.get(key);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isEmpty()) {
            throw new FormatException(file.toString(), "'" + key + "' must be a non-empty string, found " + e);
        }
        return e.getAsString();
    }

    /**
     * The first line of the most specific message in an exception's causes (Gson adds a line pointing to
     * its troubleshooting page), or the exception's type when none has a message.
     */
    private static String reason(Throwable e) {
        String message = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage().strip().lines().findFirst().orElse("");
            }
        }
        return message != null ? message : e.getClass().getSimpleName();
    }
}
