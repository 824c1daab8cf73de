package io.github.poseshift.train;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A trained lifter on disk: {@code model.params} (DJL's parameter format), {@code checkpoint.json}
 * (the model kind, its configuration record, the epochs trained and free-form {@code info}: the
 * training configuration, input windows and domains), {@code history.csv}, and for a run that can be
 * resumed {@code optimizer.state} ({@link ResumableAdam}'s moments). Loading checks the kind and every
 * configuration field against the model asked for and names what differs, so a 27-frame checkpoint
 * never silently loads into an 81-frame network.
 *
 * <p>Each file is written to a temporary sibling and moved into place, {@code checkpoint.json} last, so
 * an interrupted save never leaves a half-written file and the description never claims an epoch whose
 * weights are not on disk.
 */
public final class Checkpoint {

    /** The parameter file inside a checkpoint folder. */
    public static final String PARAMS_FILE = "model.params";
    /** The description file inside a checkpoint folder. */
    public static final String META_FILE = "checkpoint.json";
    /** The training history inside a checkpoint folder. */
    public static final String HISTORY_FILE = "history.csv";
    /** The optimizer state inside a resumable checkpoint folder. */
    public static final String OPTIMIZER_FILE = "optimizer.state";

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

    private Checkpoint() {}

    /**
     * Saves {@code block} (initialised) with its configuration into {@code folder}, each file written to
     * a temporary sibling first and then moved into place, so an interrupted save leaves the previous
     * checkpoint whole.
     */
    public static void save(Path folder, String kind, Record config, Block block, History history, int epochs)
            throws IOException {
        save(folder, kind, config, block, history, epochs, new JsonObject(), null);
    }

    /**
     * Saves {@code block} with its configuration, {@code info} and, when {@code optimizer} is not null,
     * the optimizer's state, so that training can resume from this checkpoint.
     */
    public static void save(Path folder, String kind, Record config, Block block, History history, int epochs,
            JsonObject info, ResumableAdam optimizer) throws IOException {
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve(PARAMS_FILE), out -> {
            DataOutputStream data = new DataOutputStream(out);
            block.saveParameters(data);
            data.flush();
        });
        if (optimizer != null) {
            AtomicFiles.write(folder.resolve(OPTIMIZER_FILE), out -> {
                DataOutputStream data = new DataOutputStream(out);
                optimizer.save(block, data);
                data.flush();
            });
        }
        byte[] csv = history.toCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve(HISTORY_FILE), out -> out.write(csv));
        byte[] meta = GSON.toJson(new Meta(kind, GSON.toJsonTree(config), epochs, info)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve(META_FILE), out -> out.write(meta));
    }

    /** A configuration record as the JSON the checkpoint stores. */
    public static JsonElement toJson(Record config) {
        return GSON.toJsonTree(config);
    }

    /** Whether {@code folder} holds a checkpoint. */
    public static boolean exists(Path folder) {
        return Files.isRegularFile(folder.resolve(META_FILE));
    }

    /** The training history saved with a checkpoint. */
    public static History history(Path folder) throws IOException {
        Path file = folder.resolve(HISTORY_FILE);
        if (!Files.isRegularFile(file)) {
            throw new FormatException(folder.toString(), "checkpoint has no " + HISTORY_FILE);
        }
        return History.parseCsv(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Restores the optimizer state saved with a checkpoint into {@code optimizer}, for {@code block}. */
    public static void loadOptimizer(Path folder, Block block, ResumableAdam optimizer) throws IOException {
        Path file = folder.resolve(OPTIMIZER_FILE);
        if (!Files.isRegularFile(file)) {
            throw new FormatException(folder.toString(), "checkpoint has no " + OPTIMIZER_FILE
                    + ", so training cannot resume from it (it was saved without optimizer state)");
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            optimizer.load(block, in, file.toString());
            if (in.read() != -1) {
                throw new FormatException(file.toString(), "unexpected bytes after the optimizer state");
            }
        }
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
        return differences(a, b);
    }

    /** Reads the description of a checkpoint. */
    public static Meta meta(Path folder) throws IOException {
        Path file = folder.resolve(META_FILE);
        if (!Files.isRegularFile(file)) {
            throw new FormatException(folder.toString(), "not a checkpoint: no " + META_FILE);
        }
        try {
            Meta meta = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Meta.class);
            if (meta == null || meta.kind() == null || meta.config() == null) {
                throw new FormatException(file.toString(), "expected 'kind', 'config' and 'epochs'");
            }
            return meta;
        } catch (JsonParseException e) {
            throw new FormatException(file.toString(), "not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Loads a checkpoint's parameters into {@code block} after checking that it was saved from a model of
     * the same kind and configuration; the block is initialised for {@code inputShape} first.
     *
     * @throws FormatException naming the differing fields, or a corrupt or mismatched parameter file
     */
    public static Meta loadInto(Path folder, String kind, Record config, Block block, NDManager manager, Shape inputShape)
            throws IOException {
        Meta meta = meta(folder);
        Path metaFile = folder.resolve(META_FILE);
        if (!meta.kind().equals(kind)) {
            throw new FormatException(metaFile.toString(), "holds a '" + meta.kind() + "' model, not '" + kind + "'");
        }
        List<String> differences = differences(meta.config(), config);
        if (!differences.isEmpty()) {
            throw new FormatException(metaFile.toString(), "the checkpoint's configuration differs from the model's: "
                    + String.join("; ", differences));
        }
        block.initialize(manager, DataType.FLOAT32, inputShape);
        Path params = folder.resolve(PARAMS_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(params)))) {
            block.loadParameters(manager, in);
            if (in.read() != -1) {
                throw new FormatException(params.toString(), "unexpected bytes after the parameters");
            }
        } catch (MalformedModelException | IllegalArgumentException | java.io.EOFException e) {
            throw new FormatException(params.toString(), "corrupt or mismatched parameters: " + e.getMessage(), e);
        }
        return meta;
    }

    /** Field-by-field differences between two JSON configurations, e.g. {@code channels: 96 vs 64}. */
    static List<String> differences(JsonElement saved, JsonElement wanted) {
        List<String> out = new ArrayList<>();
        JsonObject a = saved.getAsJsonObject();
        JsonObject b = wanted.getAsJsonObject();
        for (String key : a.keySet()) {
            if (!b.has(key)) {
                out.add(key + ": " + a.get(key) + " vs (absent)");
            } else if (!a.get(key).equals(b.get(key))) {
                out.add(key + ": " + a.get(key) + " in the checkpoint vs " + b.get(key) + " asked for");
            }
        }
        for (String key : b.keySet()) {
            if (!a.has(key)) {
                out.add(key + ": (absent) vs " + b.get(key));
            }
        }
        return out;
    }
}
