package io.github.poseshift.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.initializer.ConstantInitializer;
import java.util.List;

/**
 * The single-frame 2D→3D lifter of Martinez et al. (ICCV 2017, "A simple yet effective baseline"): a
 * linear layer to {@code linearSize} units, then residual stages of two (linear, batch norm, ReLU,
 * dropout) blocks each, then a linear layer to the 3D joints. Input {@code [B, J·2]} normalised 2D
 * keypoints, output {@code [B, J·3]} root-relative 3D in metres.
 */
public final class SimpleBaseline {

    /**
     * @param joints     joints per pose (17 for H36M-17)
     * @param linearSize units of the hidden layers (the paper: 1024)
     * @param stages     residual stages (the paper: 2)
     * @param dropout    dropout rate (the paper: 0.5)
     */
    public record Config(int joints, int linearSize, int stages, float dropout) {
        /** Validates the values. */
        public Config {
            if (joints < 1 || linearSize < 1 || stages < 0 || dropout < 0 || dropout >= 1) {
                throw new IllegalArgumentException("invalid SimpleBaseline config: " + joints + " joints, "
                        + linearSize + " units, " + stages + " stages, dropout " + dropout);
            }
        }

        /** The paper's configuration for H36M-17. */
        public static Config paper() {
            return new Config(17, 1024, 2, 0.5f);
        }
    }

    private SimpleBaseline() {}

    /** The network for {@code config}. */
    public static Block build(Config config) {
        return build(config, false);
    }

    /**
     * The same network used as a <em>pose refiner</em>: input and output are both 3D poses {@code [B, J·3]}, and
     * the network's output is added to its input, y = x + f(x), with f's last layer initialised to zero, so the
     * refiner starts as the identity and learns a correction. AHuP's skeletal pose adaptation head is this with
     * the paper's configuration (Martinez et al.'s two residual stages of 1024 units, dropout 0.5) on the
     * lifter's output.
     */
    public static Block refiner(Config config) {
        return residual(build(config, true));
    }

    /** {@code body} with a skip connection: y = body(x) + x (body's output must have x's shape). */
    public static Block residual(Block body) {
        return new ParallelBlock(SimpleBaseline::sum, List.of(body, Blocks.identityBlock()));
    }

    private static Block build(Config config, boolean zeroOutput) {
        SequentialBlock net = new SequentialBlock();
        net.add(dense(config));
        for (int s = 0; s < config.stages(); s++) {
            net.add(residual(new SequentialBlock().add(dense(config)).add(dense(config))));
        }
        Linear output = Linear.builder().setUnits(config.joints() * 3L).build();
        if (zeroOutput) {
            // Linear's bias starts at zero already; a zero weight makes the whole correction zero.
            output.setInitializer(new ConstantInitializer(0f), Parameter.Type.WEIGHT);
        }
        net.add(output);
        return net;
    }

    private static Block dense(Config config) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(config.linearSize()).build())
                .add(new ScheduledBatchNorm(1))
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(config.dropout()).build());
    }

    private static NDList sum(List<NDList> branches) {
        NDArray total = branches.get(0).singletonOrThrow();
        for (int i = 1; i < branches.size(); i++) {
            total = total.add(branches.get(i).singletonOrThrow());
        }
        return new NDList(total);
    }

    /**
     * The max-norm constraint of the paper: every linear weight's rows are rescaled to an L2 norm of at
     * most {@code maxNorm}. Call after each optimiser step when the option is on.
     */
    public static void applyMaxNorm(Block net, float maxNorm) {
        for (var pair : net.getParameters()) {
            Parameter p = pair.getValue();
            if (p.getType() == Parameter.Type.WEIGHT && p.getArray().getShape().dimension() == 2) {
                NDArray w = p.getArray();
                try (ai.djl.ndarray.NDManager scope = w.getManager().newSubManager()) {
                    NDArray norms = w.norm(new int[] {1}, true);
                    norms.attach(scope);
                    w.muli(ScalarOps.power(ScalarOps.dividedBy(ScalarOps.atLeast(norms, maxNorm), maxNorm), -1));
                }
            }
        }
    }
}
