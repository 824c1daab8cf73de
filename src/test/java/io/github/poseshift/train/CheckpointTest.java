package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.testing.FolderSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final Shape INPUT = new Shape(4, 9, 34);

    private static TemporalConvNet.Config config(int channels) {
        return new TemporalConvNet.Config(17, new int[] {3, 3}, channels, 0.25f, false);
    }

    /** A saved 32-channel TCN after {@code epochs} epochs, in {@code folder}. */
    private static void saveNet(NDManager m, Path folder, int epochs) throws IOException {
        TemporalConvNet net = new TemporalConvNet(config(32));
        net.initialize(m, DataType.FLOAT32, INPUT);
        History history = new History();
        history.record("epoch_loss_mm", 10, epochs, 100.0 / epochs);
        Checkpoint.save(folder, "tcn", config(32), net, history, epochs);
    }

    private static Checkpoint.Meta load(NDManager m, Path folder) throws IOException {
        return Checkpoint.loadInto(folder, "tcn", config(32), new TemporalConvNet(config(32)), m, INPUT);
    }

    /** The FormatException {@code body} throws, whose message must start with {@code file} and contain {@code part}. */
    private static FormatException refused(Path file, String part, Executable body) {
        FormatException e = assertThrows(FormatException.class, body);
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(part), e.getMessage());
        assertFalse(e.getMessage().contains("\n") || e.getMessage().endsWith("null"), e.getMessage());
        return e;
    }

    @Test
    void savedAndLoadedModelsPredictIdentically() throws IOException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager m = NDManager.newBaseManager()) {
            TemporalConvNet original = new TemporalConvNet(config(32));
            original.initialize(m, DataType.FLOAT32, INPUT);
            ParameterStore store = new ParameterStore(m, false);
            NDArray x = m.randomNormal(new Shape(4, 20, 34));
            // Training passes move the batch-norm statistics away from their initial values.
            original.forward(store, new NDList(x.get(":, 0:9")), true);
            float[] before = original.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            History history = new History();
            history.record("epoch_loss_mm", 10, 1, 123.4);
            Checkpoint.save(dir.resolve("ckpt"), "tcn", config(32), original, history, 1);

            TemporalConvNet restored = new TemporalConvNet(config(32));
            Checkpoint.Meta meta = Checkpoint.loadInto(dir.resolve("ckpt"), "tcn", config(32), restored, m, INPUT);
            assertEquals(1, meta.epochs());
            float[] after = restored.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(before, after, 0f);
            assertEquals(dir.resolve("ckpt/epoch-1/history.csv"), Checkpoint.file(dir.resolve("ckpt"), Checkpoint.HISTORY_FILE));
            assertTrue(Files.readString(dir.resolve("ckpt/epoch-1/history.csv")).contains("epoch_loss_mm,10,1,123.4"));
            assertEquals(123.4, Checkpoint.history(dir.resolve("ckpt")).last("epoch_loss_mm"));
        }
    }

    @Test
    void mismatchesAreNamed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path ckpt = dir.resolve("ckpt");
            saveNet(m, ckpt, 3);
            Path meta = ckpt.resolve("checkpoint.json");
            refused(meta, "channels: 32 in the checkpoint vs 64 asked for",
                    () -> Checkpoint.loadInto(ckpt, "tcn", config(64), new TemporalConvNet(config(64)), m, INPUT));
            refused(meta, "holds a 'tcn' model, not 'simple-baseline'",
                    () -> Checkpoint.loadInto(ckpt, "simple-baseline", config(32), new TemporalConvNet(config(32)), m, INPUT));
            refused(dir, "not a checkpoint: no checkpoint.json", () -> Checkpoint.meta(dir));
        }
    }

    /** Each save writes a new data folder and switches checkpoint.json to it; the previous folder goes. */
    @Test
    void aSaveReplacesTheWholeCheckpoint() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path ckpt = dir.resolve("ckpt");
            saveNet(m, ckpt, 1);
            saveNet(m, ckpt, 2);
            assertEquals(List.of("checkpoint.json", "epoch-2", "epoch-2/description.json", "epoch-2/history.csv",
                    "epoch-2/model.params"), List.copyOf(FolderSnapshot.of(ckpt).keySet()));
            JsonObject json = JsonParser.parseString(Files.readString(ckpt.resolve("checkpoint.json"))).getAsJsonObject();
            assertEquals(Checkpoint.FORMAT, json.get("format").getAsString());
            assertEquals("epoch-2", json.get("folder").getAsString());
            byte[] params = Files.readAllBytes(ckpt.resolve("epoch-2/model.params"));
            JsonObject digest = json.getAsJsonObject("files").getAsJsonObject("model.params");
            assertEquals(params.length, digest.get("bytes").getAsLong());
            assertEquals(FolderSnapshot.sha256(params), digest.get("sha256").getAsString());
            // Saving the same epoch again (not what training does, but allowed) goes to a folder of its own.
            saveNet(m, ckpt, 2);
            assertEquals("epoch-2.2", Checkpoint.file(ckpt, Checkpoint.PARAMS_FILE).getParent().getFileName().toString());
            assertFalse(Files.exists(ckpt.resolve("epoch-2")));
            assertEquals(2, load(m, ckpt).epochs());
        }
    }

    /**
     * A process killed inside a save leaves the previous checkpoint named by checkpoint.json and the new one
     * partly written beside it: the previous one loads, and the leftovers go at the next start; files of the
     * user's in the folder stay.
     */
    @Test
    void whatAnInterruptedSaveLeavesIsIgnoredThenRemoved() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path ckpt = dir.resolve("ckpt");
            Path other = dir.resolve("other");
            saveNet(m, ckpt, 1);
            saveNet(m, other, 2);
            // Epoch 2's save stopped after its parameters and a temporary checkpoint.json were written.
            Files.createDirectory(ckpt.resolve("epoch-2"));
            Files.copy(other.resolve("epoch-2/model.params"), ckpt.resolve("epoch-2/model.params"));
            Files.copy(other.resolve("checkpoint.json"), ckpt.resolve(".checkpoint.json.4242.17.tmp"));
            Files.writeString(ckpt.resolve("notes.txt"), "mine");
            Files.createDirectories(ckpt.resolve("epoch-7"));
            Files.writeString(ckpt.resolve("epoch-7/plot.png"), "mine too");

            assertEquals(1, load(m, ckpt).epochs());
            Checkpoint.removeStale(ckpt);
            assertEquals(List.of("checkpoint.json", "epoch-1", "epoch-1/description.json", "epoch-1/history.csv",
                    "epoch-1/model.params", "epoch-7", "epoch-7/plot.png", "notes.txt"),
                    List.copyOf(FolderSnapshot.of(ckpt).keySet()));
            assertEquals(1, load(m, ckpt).epochs());
        }
    }

    /**
     * A data file of another epoch beside the description (a mixed checkpoint), flipped bytes and a truncated
     * or missing file are refused by their digests, naming the file.
     */
    @Test
    void aDamagedOrMixedFileIsNamed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path ckpt = dir.resolve("ckpt");
            Path later = dir.resolve("later");
            saveNet(m, ckpt, 3);
            saveNet(m, later, 4);
            Map<String, String> before = FolderSnapshot.of(ckpt);
            Path params = ckpt.resolve("epoch-3/model.params");
            byte[] original = Files.readAllBytes(params);

            Files.copy(later.resolve("epoch-4/model.params"), params, StandardCopyOption.REPLACE_EXISTING);
            refused(params, "changed since it was saved: SHA-256 ", () -> load(m, ckpt));

            byte[] flipped = original.clone();
            Random random = new Random(1);
            for (int i = 0; i < 400; i++) {
                flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
            }
            Files.write(params, flipped);
            refused(params, "the file is damaged or from another checkpoint (nothing was loaded)", () -> load(m, ckpt));
            refused(params, "changed since it was saved", () -> Checkpoint.verify(ckpt));

            Files.write(params, java.util.Arrays.copyOf(original, original.length / 2));
            refused(params, "has " + original.length / 2 + " bytes, " + ckpt.resolve("checkpoint.json") + " records "
                    + original.length, () -> load(m, ckpt));
            Files.write(params, original);
            assertEquals(before, FolderSnapshot.of(ckpt), "loading changes nothing");

            Path history = ckpt.resolve("epoch-3/history.csv");
            Files.writeString(history, "series,step,epoch,value\n", StandardCharsets.UTF_8);
            refused(history, "has 24 bytes", () -> Checkpoint.history(ckpt));
            Files.delete(history);
            refused(history, "missing; " + ckpt.resolve("checkpoint.json") + " lists it", () -> Checkpoint.history(ckpt));
        }
    }

    /** An edited checkpoint.json names the field; an edited description.json or a shape that no longer fits is named too. */
    @Test
    void anEditedDescriptionNamesTheField() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            Path ckpt = dir.resolve("ckpt");
            saveNet(m, ckpt, 3);
            Path meta = ckpt.resolve("checkpoint.json");
            Path sealed = ckpt.resolve("epoch-3/description.json");
            String original = Files.readString(meta);
            String expectedPrefix = "differs from the description saved with the checkpoint (" + sealed + "): ";
            Map<String, String> edits = Map.of(
                    "\"channels\": 32", "config.channels: 32 saved vs 64 in checkpoint.json",
                    "\"joints\": 17", "config.joints: 17 saved vs 16 in checkpoint.json",
                    "\"epochs\": 3", "epochs: 3 saved vs 4 in checkpoint.json");
            Map<String, String> replacements = Map.of("\"channels\": 32", "\"channels\": 64", "\"joints\": 17",
                    "\"joints\": 16", "\"epochs\": 3", "\"epochs\": 4");
            for (Map.Entry<String, String> edit : edits.entrySet()) {
                Files.writeString(meta, original.replace(edit.getKey(), replacements.get(edit.getKey())));
                refused(meta, expectedPrefix + edit.getValue() + "; undo the edit", () -> load(m, ckpt));
                refused(meta, expectedPrefix + edit.getValue(), () -> Checkpoint.meta(ckpt));
            }
            Files.writeString(meta, original.replaceFirst("\"filterWidths\": \\[\\s*3,\\s*3\\s*]", "\"filterWidths\": [3, 3, 3]"));
            refused(meta, "config.filterWidths: [3,3] saved vs [3,3,3] in checkpoint.json", () -> load(m, ckpt));
            Files.writeString(meta, original.replace("\"channels\": 32", "\"channels\": -64"));
            refused(meta, "config.channels: 32 saved vs -64 in checkpoint.json", () -> load(m, ckpt));
            Files.writeString(meta, original.replace("\"format\"", "\"layout\""));
            refused(meta, "not a PoseShift checkpoint: no 'format'", () -> load(m, ckpt));
            Files.writeString(meta, original.replace("\"folder\": \"epoch-3\"", "\"folder\": \"../x\""));
            refused(meta, "'folder' must name a data folder such as epoch-4, found '../x'", () -> load(m, ckpt));
            Files.writeString(meta, original.substring(0, original.length() / 2));
            refused(meta, "not valid JSON: ", () -> load(m, ckpt));
            Files.writeString(meta, original);

            // description.json edited too: its digest no longer matches.
            String description = Files.readString(sealed);
            Files.writeString(sealed, description.replace("\"channels\": 32", "\"channels\": 64"));
            refused(sealed, "changed since it was saved", () -> load(m, ckpt));

            // Both edited and the digest recomputed: the parameter shapes still name what does not fit.
            UnaryOperator<String> wider = s -> s.replace("\"channels\": 32", "\"channels\": 64");
            byte[] edited = wider.apply(description).getBytes(StandardCharsets.UTF_8);
            Files.write(sealed, edited);
            JsonObject json = JsonParser.parseString(wider.apply(original)).getAsJsonObject();
            JsonObject digest = json.getAsJsonObject("files").getAsJsonObject("description.json");
            digest.addProperty("bytes", edited.length);
            digest.addProperty("sha256", FolderSnapshot.sha256(edited));
            Files.writeString(meta, json.toString());
            FormatException e = refused(ckpt.resolve("epoch-3/model.params"),
                    "its parameters do not fit the 'tcn' network of this configuration: '", () -> Checkpoint.loadInto(ckpt,
                            "tcn", config(64), new TemporalConvNet(config(64)), m, INPUT));
            assertTrue(e.getMessage().contains("in the file vs [64,"), e.getMessage());
        }
    }

    @Test
    void anInvalidConfigurationIsNamed() throws IOException {
        Checkpoint.Meta meta = new Checkpoint.Meta("tcn", JsonParser.parseString("{\"joints\": 17, \"filterWidths\": [3],"
                + " \"channels\": -64, \"dropout\": 0.25, \"causal\": false, \"input\": \"screen\"}"), 1, null);
        refused(dir.resolve("checkpoint.json"), "invalid tcn configuration: invalid TemporalConvNet"
                + " config: 17 joints, widths [3] (each odd), -64 channels", () -> Checkpoint.config(dir, meta,
                        TemporalConvNet.Config.class));
        // Gson would read a missing number as 0 and leave a missing array null: both are named.
        Checkpoint.Meta noChannels = new Checkpoint.Meta("tcn", JsonParser.parseString("{\"joints\": 17}"), 1, null);
        refused(dir.resolve("checkpoint.json"), "invalid tcn configuration: no 'channels'", () -> Checkpoint.config(dir,
                noChannels, TemporalConvNet.Config.class));
        Checkpoint.Meta noWidths = new Checkpoint.Meta("tcn", JsonParser.parseString("{\"joints\": 17, \"channels\": 8,"
                + " \"dropout\": 0.25, \"causal\": false}"), 1, null);
        refused(dir.resolve("checkpoint.json"), "invalid tcn configuration: no 'filterWidths'", () -> Checkpoint.config(dir,
                noWidths, TemporalConvNet.Config.class));
    }

    /** A checkpoint of the earlier layout (files beside checkpoint.json, no digests) is named as such. */
    @Test
    void theEarlierLayoutIsNamed() throws IOException {
        Path old = dir.resolve("old");
        Files.createDirectories(old);
        Files.writeString(old.resolve("checkpoint.json"), "{\"kind\": \"tcn\", \"config\": {}, \"epochs\": 3}");
        Files.writeString(old.resolve("model.params"), "params");
        Map<String, String> before = FolderSnapshot.of(old);
        refused(old.resolve("checkpoint.json"), "a checkpoint in the layout of earlier PoseShift versions (model.params"
                + " beside checkpoint.json, no digests), which this version does not load", () -> Checkpoint.meta(old));
        Checkpoint.removeStale(old);
        assertEquals(before, FolderSnapshot.of(old));
    }
}
