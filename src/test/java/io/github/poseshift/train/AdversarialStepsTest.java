package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The guards around adversarial steps: a step with a non-finite gradient is skipped and leaves the weights as they were. */
class AdversarialStepsTest {

    @Test
    void aStepWithANonFiniteGradientIsSkippedAndItsGradientZeroed() {
        Engine.getInstance().setRandomSeed(1);
        try (Model model = Model.newInstance("guarded", Device.cpu())) {
            Block linear = Linear.builder().setUnits(1).build();
            model.setBlock(linear);
            try (Trainer trainer = AdversarialSteps.trainer(model, 0.1f, Device.cpu())) {
                trainer.initialize(new Shape(2, 3));
                NDArray weight = linear.getParameters().get("weight").getArray();
                float[] before = weight.toFloatArray();

                // A NaN in the input makes the weight's gradient NaN: the step must not happen.
                NDArray bad = trainer.getManager().create(new float[] {1, Float.NaN, 0, 1, 2, 3}, new Shape(2, 3));
                backward(trainer, bad);
                assertFalse(AdversarialSteps.stepIfFinite(trainer, linear));
                assertArrayEquals(before, weight.toFloatArray());
                assertArrayEquals(new float[3], weight.getGradient().toFloatArray());
                assertEquals(List.of(), AdversarialSteps.nonFiniteParameters(linear));

                // A finite gradient steps the trainer: Adam moves every weight by about the learning rate.
                NDArray good = trainer.getManager().create(new float[] {1, 2, 0, 1, 2, 3}, new Shape(2, 3));
                backward(trainer, good);
                assertTrue(AdversarialSteps.stepIfFinite(trainer, linear));
                float[] after = weight.toFloatArray();
                for (int i = 0; i < after.length; i++) {
                    assertEquals(0.1, Math.abs(after[i] - before[i]), 1e-3, "weight " + i);
                }

                weight.set(new ai.djl.ndarray.index.NDIndex("0, 1"), Float.NaN);
                assertEquals(List.of("Linear weight"), AdversarialSteps.nonFiniteParameters(linear));
            }
        }
    }

    private static void backward(Trainer trainer, NDArray input) {
        try (GradientCollector gc = trainer.newGradientCollector()) {
            NDArray loss = trainer.forward(new NDList(input)).singletonOrThrow().square().mean();
            gc.backward(loss);
        }
    }
}
