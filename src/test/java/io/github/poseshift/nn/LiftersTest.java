package io.github.poseshift.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.poseshift.geometry.KeypointNormalisation;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiftersTest {

    private static final int J = 17;

    @Test
    void stridedAndDilatedVariantsAgree() {
        Engine.getInstance().setRandomSeed(1);
        TemporalConvNet net = new TemporalConvNet(new TemporalConvNet.Config(J, new int[] {3, 3, 3}, 32, 0.25f, false));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(2, 27, J * 2));
            ParameterStore store = new ParameterStore(m, false);
            NDArray sequence = m.randomNormal(new Shape(2, 40, J * 2));
            // A few training passes give the batch norms non-trivial running statistics.
            for (int i = 0; i < 3; i++) {
                net.forward(store, new NDList(sequence.get(new NDIndex(":, 0:27"))), true);
            }
            NDArray dilated = net.forward(store, new NDList(sequence), false).singletonOrThrow();
            assertEquals(new Shape(2, 40 - 27 + 1, J * 3), dilated.getShape());
            float[] previous = null;
            for (int t : new int[] {0, 5, 13}) {
                NDArray window = sequence.get(new NDIndex(":, {}:{}", t, t + 27));
                NDArray strided = net.forward(store, new NDList(window), false).singletonOrThrow();
                assertEquals(new Shape(2, 1, J * 3), strided.getShape());
                assertArrayEquals(strided.toFloatArray(), dilated.get(new NDIndex(":, {}:{}", t, t + 1)).toFloatArray(), 1e-4f,
                        "window at frame " + t);
                // Different windows give different poses, so the agreement is not that of a constant.
                assertTrue(previous == null || !java.util.Arrays.equals(previous, strided.toFloatArray()));
                previous = strided.toFloatArray();
            }
            assertThrows(IllegalArgumentException.class,
                    () -> net.forward(store, new NDList(sequence.get(new NDIndex(":, 0:20"))), false));
        }
    }

    /**
     * A lifter of root-frobenius input gives what the same weights give the keypoints normalised on plain arrays
     * ({@link KeypointNormalisation#apply}), in the strided and the dilated form; it ignores where the body stands
     * in the frame and how large it is there, which a screen lifter does not.
     */
    @Test
    void aRootFrobeniusLifterSeesEachFrameCentredAndScaled() {
        Engine.getInstance().setRandomSeed(3);
        TemporalConvNet.Config screenConfig = new TemporalConvNet.Config(J, new int[] {3, 3}, 16, 0.25f, false);
        TemporalConvNet screen = new TemporalConvNet(screenConfig);
        TemporalConvNet frobenius = new TemporalConvNet(screenConfig.withInput(KeypointNormalisation.ROOT_FROBENIUS));
        assertEquals(KeypointNormalisation.SCREEN, screenConfig.input());
        try (NDManager m = NDManager.newBaseManager()) {
            screen.initialize(m, DataType.FLOAT32, new Shape(2, 9, J * 2));
            frobenius.initialize(m, DataType.FLOAT32, new Shape(2, 9, J * 2));
            for (var p : screen.getParameters()) {
                frobenius.getParameters().get(p.getKey()).getArray().set(p.getValue().getArray().toFloatArray());
            }
            ParameterStore store = new ParameterStore(m, false);
            java.util.Random random = new java.util.Random(5);
            int frames = 12;
            float[] keypoints = new float[2 * frames * J * 2];
            for (int i = 0; i < keypoints.length; i++) {
                keypoints[i] = (float) (random.nextGaussian() * 0.2);
            }
            float[] normalised = new float[keypoints.length];
            float[] movedAndScaled = new float[keypoints.length];
            for (int f = 0; f < 2 * frames; f++) {
                float[] frame = java.util.Arrays.copyOfRange(keypoints, f * J * 2, (f + 1) * J * 2);
                System.arraycopy(KeypointNormalisation.ROOT_FROBENIUS.apply(frame), 0, normalised, f * J * 2, J * 2);
                for (int i = 0; i < J * 2; i++) {
                    movedAndScaled[f * J * 2 + i] = frame[i] * 1.7f + (i % 2 == 0 ? 0.4f : -0.3f);
                }
            }
            Shape shape = new Shape(2, frames, J * 2);
            for (NDIndex window : List.of(new NDIndex(":, 0:9"), new NDIndex(":, :"))) {
                NDArray expected = screen.forward(store, new NDList(m.create(normalised, shape).get(window)), false)
                        .singletonOrThrow();
                NDArray actual = frobenius.forward(store, new NDList(m.create(keypoints, shape).get(window)), false)
                        .singletonOrThrow();
                assertArrayEquals(expected.toFloatArray(), actual.toFloatArray(), 1e-5f);
                NDArray moved = frobenius.forward(store, new NDList(m.create(movedAndScaled, shape).get(window)), false)
                        .singletonOrThrow();
                assertArrayEquals(actual.toFloatArray(), moved.toFloatArray(), 1e-4f);
                NDArray screenMoved = screen.forward(store, new NDList(m.create(movedAndScaled, shape).get(window)), false)
                        .singletonOrThrow();
                NDArray screenOriginal = screen.forward(store, new NDList(m.create(keypoints, shape).get(window)), false)
                        .singletonOrThrow();
                assertTrue(screenMoved.sub(screenOriginal).abs().max().getFloat() > 1e-3f);
            }
        }
    }

    @Test
    void receptiveFieldsOfThePaper() {
        assertEquals(27, TemporalConvNet.Config.paper27().receptiveField());
        assertEquals(81, new TemporalConvNet.Config(J, new int[] {3, 3, 3, 3}, 8, 0.25f, false).receptiveField());
        assertEquals(243, new TemporalConvNet.Config(J, new int[] {3, 3, 3, 3, 3}, 8, 0.25f, true).receptiveField());
        assertThrows(IllegalArgumentException.class, () -> new TemporalConvNet.Config(J, new int[] {2, 3}, 8, 0.25f, false));
    }

    /** Trains {@code net} on a fixed random linear 2D→3D map and returns the first and last losses. */
    private static float[] fit(Block net, Shape input, int steps) {
        Engine.getInstance().setRandomSeed(7);
        try (Model model = Model.newInstance("lifter")) {
            model.setBlock(net);
            DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.l2Loss())
                    .optOptimizer(Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build());
            try (Trainer trainer = model.newTrainer(cfg)) {
                trainer.initialize(input);
                NDManager m = trainer.getManager();
                NDArray x = m.randomNormal(input);
                NDArray map = m.randomNormal(new Shape(input.get(input.dimension() - 1), J * 3)).mul(0.2f);
                // The target is a linear map of the window's centre frame (the whole input for one frame).
                NDArray centreFrame = input.dimension() == 3
                        ? x.get(new NDIndex(":, {}:{}", input.get(1) / 2, input.get(1) / 2 + 1)) : x;
                NDArray y = centreFrame.matMul(map);
                float first = Float.NaN;
                float last = Float.NaN;
                for (int step = 0; step < steps; step++) {
                    try (GradientCollector gc = trainer.newGradientCollector()) {
                        NDArray pred = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray loss = pred.sub(y).square().mean();
                        gc.backward(loss);
                        last = loss.getFloat();
                        if (step == 0) {
                            first = last;
                        }
                    }
                    trainer.step();
                }
                return new float[] {first, last};
            }
        }
    }

    @Test
    void simpleBaselineLearns() {
        float[] loss = fit(SimpleBaseline.build(new SimpleBaseline.Config(J, 128, 2, 0.1f)), new Shape(64, J * 2), 150);
        assertTrue(loss[1] < 0.3f * loss[0], "loss went from " + loss[0] + " to " + loss[1]);
    }

    @Test
    void temporalConvNetLearns() {
        float[] loss = fit(new TemporalConvNet(new TemporalConvNet.Config(J, new int[] {3, 3}, 64, 0.1f, false)),
                new Shape(32, 9, J * 2), 150);
        assertTrue(loss[1] < 0.3f * loss[0], "loss went from " + loss[0] + " to " + loss[1]);
    }

    @Test
    void batchNormMomentumFollowsVideoPose3DSchedule() {
        assertEquals(0.1f, ScheduledBatchNorm.scheduledMomentum(0, 80, 0.1f, 0.001f), 1e-9f);
        assertEquals(0.01f, ScheduledBatchNorm.scheduledMomentum(40, 80, 0.1f, 0.001f), 1e-7f);
        assertEquals(0.001f, ScheduledBatchNorm.scheduledMomentum(80, 80, 0.1f, 0.001f), 1e-8f);
        TemporalConvNet net = new TemporalConvNet(new TemporalConvNet.Config(17, new int[] {3, 3, 3}, 8, 0.25f, false));
        // One norm after each of the three convolutions and after the two 1×1 convolutions.
        assertEquals(5, ScheduledBatchNorm.setMomentum(net, 0.02f));
        assertThrows(IllegalArgumentException.class, () -> ScheduledBatchNorm.setMomentum(net, 0f));
        try (NDManager m = NDManager.newBaseManager()) {
            // A training pass moves the running mean by momentum × (batch mean − running mean), PyTorch's rule.
            ScheduledBatchNorm norm = new ScheduledBatchNorm(2);
            norm.initialize(m, DataType.FLOAT32, new Shape(2, 3, 4));
            norm.setMomentum(0.25f);
            NDArray x = m.arange(24f).reshape(2, 3, 4);
            norm.forward(new ParameterStore(m, false), new NDList(x), true);
            float[] runningMean = norm.getParameters().get("runningMean").getArray().toFloatArray();
            for (int c = 0; c < 4; c++) {
                // Values c, c+4, ..., c+20 over batch and time: mean c + 10.
                assertEquals(0.25f * (c + 10), runningMean[c], 1e-5f);
            }
        }
    }

    @Test
    void maxNormCapsWeightRows() {
        Block net = SimpleBaseline.build(new SimpleBaseline.Config(J, 16, 1, 0.5f));
        try (NDManager m = NDManager.newBaseManager()) {
            net.initialize(m, DataType.FLOAT32, new Shape(4, J * 2));
            for (var p : net.getParameters()) {
                p.getValue().getArray().muli(100);
            }
            SimpleBaseline.applyMaxNorm(net, 1f);
            for (var p : net.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (p.getValue().getType() == ai.djl.nn.Parameter.Type.WEIGHT && w.getShape().dimension() == 2) {
                    assertTrue(w.norm(new int[] {1}).max().getFloat() <= 1.0001f, p.getKey());
                }
            }
        }
    }
}
