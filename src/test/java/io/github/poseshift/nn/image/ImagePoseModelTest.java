package io.github.poseshift.nn.image;

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
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ImagePoseModelTest {

    private static final int J = 17;

    @Test
    void everyConfigGivesTheDocumentedShapes() {
        record Case(ImagePoseModel.Config config, int heatmap, int channels, int cells) {}
        ImagePoseModel.Config tinyResnet32 = ImagePoseModel.Config.tiny().withImageSize(32);
        for (Case c : new Case[] {
            new Case(ImagePoseModel.Config.tiny(), 16, 32, 8),
            new Case(tinyResnet32, 8, 32, 4),
            new Case(ImagePoseModel.Config.tiny().withImageSize(128), 32, 32, 16),
            new Case(ImagePoseModel.Config.defaults(), 16, 64, 8),
            new Case(ImagePoseModel.Config.large(), 16, 256, 4),
            new Case(ImagePoseModel.Config.vitTiny(), 16, 32, 8),
            new Case(ImagePoseModel.Config.vitTiny().withImageSize(128), 32, 32, 16)}) {
            assertEquals(c.heatmap(), c.config().heatmapSize(), c.config().toString());
            Engine.getInstance().setRandomSeed(3);
            ImagePoseModel model = new ImagePoseModel(c.config());
            int size = c.config().imageSize();
            try (NDManager m = NDManager.newBaseManager()) {
                model.initialize(m, DataType.FLOAT32, model.inputShape(2));
                ParameterStore store = new ParameterStore(m, false);
                NDArray images = m.randomUniform(0f, 1f, model.inputShape(2));
                NDList out = model.forward(store, new NDList(images), false);
                assertEquals(new Shape(2, J, 3), out.get(0).getShape());
                assertEquals(new Shape(2, J, 2), out.get(1).getShape());
                assertEquals(new Shape(2, c.channels(), c.cells(), c.cells()), out.get(2).getShape());
                assertArrayEquals(model.getOutputShapes(new Shape[] {model.inputShape(2)}),
                        out.getShapes(), c.config().toString());
                // Positions lie in the image, 3D is root-relative.
                for (float p : out.get(1).toFloatArray()) {
                    assertTrue(p >= -0.5f && p <= size - 0.5f, p + " outside a " + size + "-pixel crop");
                }
                assertArrayEquals(new float[6], out.get(0).get(":, 0, :").toFloatArray(), 1e-6f);
                NDArray cameras = m.create(new float[] {300, 300, size / 2f, size / 2f, 5, 250, 260, 20, 30, 4},
                        new Shape(2, 5));
                NDList withCamera = model.forward(store, new NDList(images, cameras), false);
                assertEquals(new Shape(2, J, 3), withCamera.get(0).getShape());
                assertArrayEquals(out.get(1).toFloatArray(), withCamera.get(1).toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void softArgmaxRecoversAKnownPeak() {
        int d = 8;
        int h = 16;
        int w = 16;
        float[][] peaks = {{5.3f, 7.8f, 3.2f}, {10f, 4.5f, 3.5f}, {7.6f, 11.1f, 4.4f}};
        try (NDManager m = NDManager.newBaseManager()) {
            // One-hot volumes (a large logit at one cell) give that cell exactly.
            float[] oneHot = new float[2 * d * h * w];
            int[][] cells = {{3, 9, 12}, {6, 0, 15}}; // (slice, row, column)
            for (int j = 0; j < 2; j++) {
                oneHot[((j * d + cells[j][0]) * h + cells[j][1]) * w + cells[j][2]] = 60f;
            }
            float[] hot = IntegralPoseHead.softArgmax(m.create(oneHot, new Shape(1, 2, d, h, w))).toFloatArray();
            for (int j = 0; j < 2; j++) {
                assertArrayEquals(new float[] {cells[j][2], cells[j][1], cells[j][0]},
                        Arrays.copyOfRange(hot, j * 3, j * 3 + 3), 1e-3f);
            }
            // Gaussian log-heatmaps centred between cells give their sub-cell centre.
            float[] logits = new float[peaks.length * d * h * w];
            float sigma = 1.5f;
            for (int j = 0; j < peaks.length; j++) {
                for (int z = 0; z < d; z++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            float dx = x - peaks[j][0];
                            float dy = y - peaks[j][1];
                            float dz = z - peaks[j][2];
                            logits[((j * d + z) * h + y) * w + x] = -(dx * dx + dy * dy + dz * dz) / (2 * sigma * sigma);
                        }
                    }
                }
            }
            float[] found = IntegralPoseHead.softArgmax(m.create(logits, new Shape(1, peaks.length, d, h, w))).toFloatArray();
            for (int j = 0; j < peaks.length; j++) {
                for (int k = 0; k < 2; k++) {
                    // In pixels of a 64-pixel crop with a 16-cell heatmap (4 pixels a cell): within 0.1 px.
                    assertEquals(peaks[j][k] * 4, found[j * 3 + k] * 4, 0.1f, "joint " + j + " axis " + k);
                }
                assertEquals(peaks[j][2], found[j * 3 + 2], 0.1f, "joint " + j + " depth slice");
            }
        }
    }

    @Test
    void theHeadMapsCellsToPixelsAndSlicesToMetres() {
        ImagePoseModel model = new ImagePoseModel(ImagePoseModel.Config.tiny());
        try (NDManager m = NDManager.newBaseManager()) {
            // 64-pixel crop, 16-cell heatmap: cell 0 covers pixels 0..3, centred at 1.5; cell 15 at 61.5.
            assertArrayEquals(new float[] {1.5f, 61.5f}, model.cellsToPixels(m.create(new float[] {0, 15})).toFloatArray(), 1e-6f);
            // 8 slices over ±1 m: slice centres at −0.875 … 0.875.
            assertArrayEquals(new float[] {-0.875f, 0.875f},
                    model.head().sliceToMetres(m.create(new float[] {0, 7})).toFloatArray(), 1e-6f);
            // Depth-to-space as PyTorch's pixel_shuffle: channels (0, 1, 2, 3) of one pixel fill its 2×2 block.
            NDArray shuffled = IntegralPoseHead.depthToSpace(m.arange(8f).reshape(1, 4, 1, 2), 2);
            assertEquals(new Shape(1, 1, 2, 4), shuffled.getShape());
            assertArrayEquals(new float[] {0, 2, 1, 3, 4, 6, 5, 7}, shuffled.toFloatArray(), 0f);
        }
    }

    @Test
    void backProjectionInvertsTheCamera() {
        float fx = 400;
        float fy = 420;
        float cx = 31.5f;
        float cy = 30f;
        float rootDepth = 5f;
        float[][] joints = {{0, 0, 0}, {0.3f, -0.5f, 0.2f}, {-0.4f, 0.6f, -0.3f}}; // root-relative metres
        float[] pixels = new float[joints.length * 2];
        float[] depths = new float[joints.length];
        for (int j = 0; j < joints.length; j++) {
            float z = rootDepth + joints[j][2];
            pixels[j * 2] = fx * joints[j][0] / z + cx;
            pixels[j * 2 + 1] = fy * joints[j][1] / z + cy;
            depths[j] = joints[j][2] + 0.7f; // any common offset
        }
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray out = ImagePoseModel.backProject(m.create(pixels, new Shape(1, joints.length, 2)),
                    m.create(depths, new Shape(1, joints.length)), m.create(new float[] {fx, fy, cx, cy, rootDepth}, new Shape(1, 5)));
            float[] flat = out.toFloatArray();
            for (int j = 0; j < joints.length; j++) {
                assertArrayEquals(joints[j], Arrays.copyOfRange(flat, j * 3, j * 3 + 3), 1e-5f, "joint " + j);
            }
        }
    }

    @Test
    void vitTokenMaskDropsExactlyTheMaskedTokens() {
        Engine.getInstance().setRandomSeed(5);
        VitBackbone vit = new VitBackbone(VitBackbone.Config.tiny());
        try (NDManager m = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 32, 32);
            vit.initialize(m, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(m, false);
            NDArray images = m.randomUniform(0f, 1f, shape);
            NDArray tokens = vit.tokens(store, images, false);
            assertEquals(new Shape(2, 16, 32), tokens.getShape());
            NDArray all = vit.encode(store, tokens, null, false);
            NDArray allVisible = vit.encode(store, tokens, m.ones(new Shape(2, 16), DataType.BOOLEAN), false);
            assertArrayEquals(all.toFloatArray(), allVisible.toFloatArray(), 0f);
            assertArrayEquals(all.toFloatArray(), VitBackbone.toFeatureMap(all, 4, 4).transpose(0, 2, 3, 1)
                    .reshape(2, 16, 32).toFloatArray(), 0f);
            assertArrayEquals(VitBackbone.toFeatureMap(all, 4, 4).toFloatArray(),
                    vit.forward(store, new NDList(images), false).singletonOrThrow().toFloatArray(), 1e-6f);

            // Keep 5 tokens per image, different ones per row.
            int[][] keep = {{0, 3, 4, 9, 15}, {1, 2, 7, 8, 12}};
            float[] mask = new float[2 * 16];
            for (int b = 0; b < 2; b++) {
                for (int t : keep[b]) {
                    mask[b * 16 + t] = 1;
                }
            }
            NDArray visible = m.create(mask, new Shape(2, 16));
            assertArrayEquals(new long[] {0, 3, 4, 9, 15, 1, 2, 7, 8, 12}, VitBackbone.visibleIndices(visible).toLongArray());
            NDArray masked = vit.encode(store, tokens, visible, false);
            assertEquals(new Shape(2, 5, 32), masked.getShape());
            for (int b = 0; b < 2; b++) {
                // The same as encoding the kept tokens alone.
                NDArray alone = tokens.get(b).get(m.create(Arrays.stream(keep[b]).asLongStream().toArray())).expandDims(0);
                assertArrayEquals(vit.encode(store, alone, null, false).toFloatArray(), masked.get(b).toFloatArray(), 1e-5f);
            }
            // Changing the pixels of a dropped patch changes nothing; changing a kept one does.
            NDArray changed = images.duplicate();
            changed.set(new ai.djl.ndarray.index.NDIndex("0, :, 8:16, 8:16"), 0.5f); // patch (1, 1) = token 5, dropped
            NDArray again = vit.encode(store, vit.tokens(store, changed, false), visible, false);
            assertArrayEquals(masked.toFloatArray(), again.toFloatArray(), 1e-6f);
            changed.set(new ai.djl.ndarray.index.NDIndex("0, :, 0:8, 0:8"), 0.5f); // token 0, kept
            NDArray moved = vit.encode(store, vit.tokens(store, changed, false), visible, false);
            assertFalse(Arrays.equals(masked.toFloatArray(), moved.toFloatArray()));

            NDArray uneven = m.create(new float[32], new Shape(2, 16));
            uneven.set(new ai.djl.ndarray.index.NDIndex("0, 0:3"), 1f);
            uneven.set(new ai.djl.ndarray.index.NDIndex("1, 0:4"), 1f);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> vit.encode(store, tokens, uneven, false));
            assertTrue(e.getMessage().contains("same number of tokens"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> vit.encode(store, tokens, m.zeros(new Shape(2, 16)), false));
        }
    }

    @Test
    void sameSeedSameNumbers() {
        float[][] runs = new float[2][];
        for (int r = 0; r < 2; r++) {
            Engine.getInstance().setRandomSeed(42);
            ImagePoseModel model = new ImagePoseModel(ImagePoseModel.Config.tiny().withImageSize(32));
            float[] pixels = new float[2 * 3 * 32 * 32];
            Random rng = new Random(7);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = rng.nextFloat();
            }
            try (NDManager m = NDManager.newBaseManager()) {
                model.initialize(m, DataType.FLOAT32, model.inputShape(2));
                NDList out = model.forward(new ParameterStore(m, false), new NDList(m.create(pixels, model.inputShape(2))), false);
                runs[r] = out.get(0).toFloatArray();
            }
        }
        assertArrayEquals(runs[0], runs[1], 0f);
    }

    @Test
    void badConfigsFailWithClearMessages() {
        assertMessage("exactly one backbone", () -> new ImagePoseModel.Config(64, ResNetBackbone.Config.tiny(),
                VitBackbone.Config.tiny(), IntegralPoseHead.Config.tiny(), 2f));
        assertMessage("exactly one backbone", () -> new ImagePoseModel.Config(64, null, null, IntegralPoseHead.Config.tiny(), 2f));
        assertMessage("multiple of the backbone's stride 8", () -> ImagePoseModel.Config.tiny().withImageSize(60));
        assertMessage("multiple of the backbone's stride 16", () -> ImagePoseModel.Config.large().withImageSize(1024));
        assertMessage("larger than the 64-pixel image", () -> ImagePoseModel.Config.resnet(64, ResNetBackbone.Config.tiny(),
                new IntegralPoseHead.Config(17, 4, 16, 8, 1f)));
        assertMessage("cropMetres", () -> new ImagePoseModel.Config(64, ResNetBackbone.Config.tiny(), null,
                IntegralPoseHead.Config.tiny(), 0f));
        assertMessage("width must be in [1, 1024], got 0", () -> new ResNetBackbone.Config(0, new int[] {1}));
        assertMessage("at least one block", () -> new ResNetBackbone.Config(8, new int[] {1, 0}));
        assertMessage("heads must divide dim 32, got 3", () -> new VitBackbone.Config(8, 32, 2, 3, 2));
        assertMessage("multiple of 4", () -> new VitBackbone.Config(8, 30, 2, 2, 2));
        assertMessage("depthBins must be at least 2, got 1", () -> new IntegralPoseHead.Config(17, 1, 16, 1, 1f));
        assertMessage("depthRange must be positive", () -> new IntegralPoseHead.Config(17, 1, 16, 8, -1f));
        ImagePoseModel model = new ImagePoseModel(ImagePoseModel.Config.tiny());
        try (NDManager m = NDManager.newBaseManager()) {
            assertMessage("expects images [B, 3, 64, 64], got (2, 3, 32, 32)",
                    () -> model.initialize(m, DataType.FLOAT32, new Shape(2, 3, 32, 32)));
        }
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable action) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
    }
}
