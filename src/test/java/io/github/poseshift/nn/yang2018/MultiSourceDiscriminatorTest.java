package io.github.poseshift.nn.yang2018;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.github.poseshift.geometry.PairwiseDescriptor;
import io.github.poseshift.nn.image.ImagePoseModel;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiSourceDiscriminatorTest {

    @Test
    void theBatchedDescriptorIsEquationOneOnEveryPose() {
        Random rng = new Random(3);
        float[] poses = new float[2 * 17 * 3];
        for (int i = 0; i < poses.length; i++) {
            poses[i] = (float) rng.nextGaussian();
        }
        try (NDManager m = NDManager.newBaseManager()) {
            float[] batched = PoseEncoding.descriptor(m.create(poses, new Shape(2, 17, 3))).toFloatArray();
            assertEquals(2 * 6 * 17 * 17, batched.length);
            for (int b = 0; b < 2; b++) {
                double[] one = new double[17 * 3];
                for (int k = 0; k < one.length; k++) {
                    one[k] = poses[b * 51 + k];
                }
                double[] expected = PairwiseDescriptor.of(one);
                for (int k = 0; k < expected.length; k++) {
                    assertEquals(expected[k], batched[b * expected.length + k], 1e-5, "pose " + b + " entry " + k);
                }
            }
        }
    }

    @Test
    void eachHeatmapPeaksAtItsJointsCellAndItsDepthMapHoldsTheDepthThere() {
        try (NDManager m = NDManager.newBaseManager()) {
            // A 64-pixel crop, a 16-cell heatmap: 4 pixels a cell, so pixel 4c + 1.5 is the centre of cell c.
            NDArray pixels = m.create(new float[] {4 * 3 + 1.5f, 4 * 10 + 1.5f, 4 * 7 + 1.5f, 4 * 0 + 1.5f}, new Shape(1, 2, 2));
            NDArray depths = m.create(new float[] {0.25f, -0.5f}, new Shape(1, 2));
            float[] maps = PoseEncoding.maps(pixels, depths, 64, 16).toFloatArray();
            assertEquals(4 * 16 * 16, maps.length);
            int[][] cells = {{3, 10}, {7, 0}}; // (x, y)
            float[] z = {0.25f, -0.5f};
            for (int j = 0; j < 2; j++) {
                int peak = (j * 16 + cells[j][1]) * 16 + cells[j][0];
                assertEquals(1f, maps[peak], 1e-5);
                // One cell away: exp(−½) for unit variance (sec. 4.1).
                assertEquals((float) Math.exp(-0.5), maps[peak + 1], 1e-5);
                int depthPeak = ((2 + j) * 16 + cells[j][1]) * 16 + cells[j][0];
                assertEquals(z[j], maps[depthPeak], 1e-5);
                for (int k = 0; k < 256; k++) {
                    assertTrue(maps[j * 256 + k] <= maps[peak] + 1e-6f);
                }
            }
        }
    }

    /** D takes what the generator gives: pixels and depths of its outputs, for every variant of Table 2 and without the image. */
    @Test
    void everyVariantAcceptsTheGeneratorsOutputsAndScoresEachSample() {
        Engine.getInstance().setRandomSeed(5);
        ImagePoseModel.Config g = ImagePoseModel.Config.tiny();
        try (Model generator = Model.newInstance("g"); NDManager m = NDManager.newBaseManager()) {
            ImagePoseModel net = new ImagePoseModel(g);
            generator.setBlock(net);
            net.initialize(generator.getNDManager(), DataType.FLOAT32, net.inputShape(3));
            NDArray images = m.randomUniform(0, 1, net.inputShape(3));
            NDList out = net.forward(new ParameterStore(m, false), new NDList(images), false);
            NDArray pixels = out.get(1);
            NDArray depths = out.get(0).get(":, :, 2");
            for (boolean[] sources : new boolean[][] {{true, true, true}, {true, false, true}, {true, true, false},
                {true, false, false}, {false, true, true}}) {
                MultiSourceDiscriminator d = new MultiSourceDiscriminator(MultiSourceDiscriminator.Config.full(g, 8)
                        .withSources(sources[0], sources[1], sources[2]));
                try (Model dm = Model.newInstance("d")) {
                    dm.setBlock(d);
                    d.initialize(dm.getNDManager(), DataType.FLOAT32, d.inputShapes(3));
                    NDArray logits = d.forward(new ParameterStore(m, false), new NDList(images, pixels, depths), true)
                            .singletonOrThrow();
                    assertEquals(new Shape(3, 1), logits.getShape());
                    assertTrue(java.util.Arrays.stream(toDoubles(logits.toFloatArray())).allMatch(Double::isFinite));
                }
            }
            NDList sources = new MultiSourceDiscriminator(MultiSourceDiscriminator.Config.full(g, 8))
                    .sources(images, pixels, depths);
            assertEquals(new Shape(3, 6, 17, 17), sources.get(1).getShape());
            assertEquals(new Shape(3, 34, g.heatmapSize(), g.heatmapSize()), sources.get(2).getShape());
            MultiSourceDiscriminator d = new MultiSourceDiscriminator(MultiSourceDiscriminator.Config.full(g, 8));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> d.forward(new ParameterStore(m, false),
                    new NDList(images, pixels.get(":, :16"), depths), false)).getMessage().contains("pixels"));
        }
    }

    private static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void theEncodingIsTheSameForATranslatedCropPosition() {
        // The descriptor depends on differences only: moving every joint in the crop leaves it alone.
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray pixels = m.randomUniform(5, 50, new Shape(2, 17, 2));
            NDArray depths = m.randomUniform(-0.3f, 0.3f, new Shape(2, 17));
            NDArray a = PoseEncoding.descriptor(PoseEncoding.pose(pixels, depths, 64, 2f));
            NDArray b = PoseEncoding.descriptor(PoseEncoding.pose(pixels.add(3f), depths.add(0.2f), 64, 2f));
            assertArrayEquals(a.toFloatArray(), b.toFloatArray(), 1e-5f);
        }
    }
}
