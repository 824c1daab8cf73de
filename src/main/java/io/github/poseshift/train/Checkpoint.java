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
 * (the model kind, its configuration record and the epochs trained) and {@code history.csv}. Loading
 * checks the kind and every configuration field against the model asked for and names what differs, so
 * a 27-frame checkpoint never silently loads into an 81-frame network.
 */
public final class Checkpoint {

    /** The parameter file inside a checkpoint folder. */
    public static final String PARAMS_FILE = "model.params";
    /** The description file inside a checkpoint folder. */
    public static final String META_FILE = "checkpoint.json";
    /** The training history inside a checkpoint folder. */
    public static final String HISTORY_FILE = "history.csv";

    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    /**
     * What a checkpoint holds.
     *
     * @param kind   the model family, e.g. {@code tcn} or {@code simple-baseline}
     * @param config the model's configuration record as JSON
     * @param epochs epochs trained
     */
    public record Meta(String kind, JsonElement config, int epochs) {}

    private Checkpoint() {}

    /**
     * Saves {@code block} (initialised) with its configuration into {@code folder}, each file written to
     * a temporary sibling first and then moved into place, so an interrupted save leaves the previous
     * checkpoint whole.
     */
    public static void save(Path folder, String kind, Record config, Block block, History history, int epochs)
            throws IOException {
        Files.createDirectories(folder);
        AtomicFiles.write(folder.resolve(PARAMS_FILE), out -> {
            DataOutputStream data = new DataOutputStream(out);
            block.saveParameters(data);
            data.flush();
        });
        byte[] meta = GSON.toJson(new Meta(kind, GSON.toJsonTree(config), epochs)).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve(META_FILE), out -> out.write(meta));
        byte[] csv = history.toCsv().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(folder.resolve(HISTORY_FILE), out -> out.write(csv));
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
        List<String> differences = differences(meta.config(), GSON.toJsonTree(config));
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
