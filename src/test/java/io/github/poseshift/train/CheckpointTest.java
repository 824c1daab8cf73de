package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.nn.TemporalConvNet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

    @TempDir
    Path dir;

    private static final Shape INPUT = new Shape(4, 9, 34);

    private static TemporalConvNet.Config config(int channels) {
        return new TemporalConvNet.Config(17, new int[] {3, 3}, channels, 0.25f, false);
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
            assertTrue(Files.readString(dir.resolve("ckpt/history.csv")).contains("epoch_loss_mm,10,1,123.4"));
        }
    }

    @Test
    void mismatchesAreNamed() throws IOException {
        try (NDManager m = NDManager.newBaseManager()) {
            TemporalConvNet net = new TemporalConvNet(config(32));
            net.initialize(m, DataType.FLOAT32, INPUT);
            Path ckpt = dir.resolve("ckpt");
            Checkpoint.save(ckpt, "tcn", config(32), net, new History(), 3);

            FormatException e = assertThrows(FormatException.class,
                    () -> Checkpoint.loadInto(ckpt, "tcn", config(64), new TemporalConvNet(config(64)), m, INPUT));
            assertTrue(e.getMessage().contains("channels: 32 in the checkpoint vs 64 asked for"), e.getMessage());
            e = assertThrows(FormatException.class,
                    () -> Checkpoint.loadInto(ckpt, "simple-baseline", config(32), new TemporalConvNet(config(32)), m, INPUT));
            assertTrue(e.getMessage().contains("holds a 'tcn' model, not 'simple-baseline'"), e.getMessage());

            byte[] params = Files.readAllBytes(ckpt.resolve("model.params"));
            Files.write(ckpt.resolve("model.params"), java.util.Arrays.copyOf(params, params.length / 2));
            e = assertThrows(FormatException.class,
                    () -> Checkpoint.loadInto(ckpt, "tcn", config(32), new TemporalConvNet(config(32)), m, INPUT));
            assertTrue(e.getMessage().startsWith(ckpt.resolve("model.params") + ": corrupt or mismatched parameters"),
                    e.getMessage());

            e = assertThrows(FormatException.class, () -> Checkpoint.meta(dir));
            assertTrue(e.getMessage().contains("not a checkpoint: no checkpoint.json"), e.getMessage());
        }
    }
}
