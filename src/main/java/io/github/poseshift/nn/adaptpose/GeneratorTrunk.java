package io.github.poseshift.nn.adaptpose;

import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.poseshift.nn.ScheduledBatchNorm;

/**
 * The MLP every head of AdaptPose's motion generator runs on (Gholami et al., CVPR 2022, sec. 3.1; the
 * authors' code agrees): linear to {@code width} units, batch norm, LeakyReLU (slope 0.01), then
 * {@code stages} stages of two (linear, batch norm, LeakyReLU) layers, then a linear layer to the head's
 * outputs. Unlike Martinez et al.'s lifter the stages have no residual connection, as in the authors' code.
 *
 * @param width  hidden units (the paper: 256)
 * @param stages stages of two layers (the paper: 2)
 * @param noise  Gaussian noise channels concatenated to the head's input (the paper: 45)
 */
public record GeneratorTrunk(int width, int stages, int noise) {

    /** LeakyReLU's negative slope (PyTorch's default, which the authors use). */
    static final float LEAKY_SLOPE = 0.01f;

    /** Rejects non-positive widths and negative stage or noise counts. */
    public GeneratorTrunk {
        if (width < 1 || stages < 0 || noise < 0) {
            throw new IllegalArgumentException("invalid generator trunk: width " + width + ", " + stages + " stages, "
                    + noise + " noise channels");
        }
    }

    /** The paper's: 256 units, two stages, 45 noise channels. */
    public static GeneratorTrunk paper() {
        return new GeneratorTrunk(256, 2, 45);
    }

    /** A new MLP from {@code [N, inputs]} to {@code [N, outputs]}. */
    Block build(int outputs) {
        SequentialBlock net = new SequentialBlock().add(layer());
        for (int s = 0; s < stages; s++) {
            net.add(layer()).add(layer());
        }
        return net.add(Linear.builder().setUnits(outputs).build());
    }

    private Block layer() {
        return new SequentialBlock().add(Linear.builder().setUnits(width).build()).add(new ScheduledBatchNorm(1))
                .add(Activation.leakyReluBlock(LEAKY_SLOPE));
    }
}
