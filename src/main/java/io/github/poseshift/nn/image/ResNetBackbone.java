package io.github.poseshift.nn.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.ScheduledBatchNorm;
import java.util.Arrays;
import java.util.List;

/**
 * A compact ResNet (He et al., CVPR 2016) for pose crops: a 3×3 stride-2 stem convolution, then stages of
 * basic residual blocks (two 3×3 convolutions with batch norm, identity or 1×1 projection shortcut); every
 * stage after the first halves the resolution and doubles the channels. Input {@code [B, C, H, W]}, output
 * the feature map {@code [B, width·2^(S−1), H/stride, W/stride]} with {@link #stride()} = 2^S for S stages.
 *
 * <p>ResNet-18 is {@code blocks = [2, 2, 2, 2]} at width 64 behind a stride-4 stem (7×7 convolution and max
 * pooling); the stride-2 3×3 stem here keeps more resolution for the small crops a CPU can train on (64×64:
 * a 4×4 feature map from four stages). The batch norms are {@link ScheduledBatchNorm}s, so the training
 * loop's momentum schedule reaches them.
 */
public final class ResNetBackbone extends AbstractBlock {

    /**
     * @param width  channels of the stem and the first stage (ResNet: 64)
     * @param blocks basic blocks per stage (ResNet-18: [2, 2, 2, 2]); each later stage has twice the
     *               channels and half the resolution of the one before
     */
    public record Config(int width, int[] blocks) {
        /** Validates the values. */
        public Config {
            if (blocks == null || blocks.length == 0 || blocks.length > 6) {
                throw new IllegalArgumentException("ResNetBackbone config: blocks must list 1 to 6 stages, got "
                        + (blocks == null ? "null" : Arrays.toString(blocks)));
            }
            blocks = blocks.clone();
            if (width < 1 || width > 1024) {
                throw new IllegalArgumentException("ResNetBackbone config: width must be in [1, 1024], got " + width);
            }
            if (Arrays.stream(blocks).anyMatch(b -> b < 1)) {
                throw new IllegalArgumentException("ResNetBackbone config: every stage needs at least one block, got "
                        + Arrays.toString(blocks));
            }
        }

        @Override
        public int[] blocks() {
            return blocks.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Config c && c.width == width && Arrays.equals(c.blocks, blocks);
        }

        @Override
        public int hashCode() {
            return 31 * width + Arrays.hashCode(blocks);
        }

        @Override
        public String toString() {
            return "ResNetBackbone.Config[width=" + width + ", blocks=" + Arrays.toString(blocks) + "]";
        }

        /**
         * The default, the image benchmark's on a CPU: width 16, three stages of one block (stride 8, 64 channels
         * out).
         */
        public static Config defaults() {
            return new Config(16, new int[] {1, 1, 1});
        }

        /** ResNet-18's block layout at half its width (32 → 256 channels), stride 16: for a GPU. */
        public static Config resnet18Half() {
            return new Config(32, new int[] {2, 2, 2, 2});
        }

        /** A tiny network for tests on the CPU: width 8, three stages of one block (stride 8, 32 channels out). */
        public static Config tiny() {
            return new Config(8, new int[] {1, 1, 1});
        }

        /** How much smaller the feature map is than the input: 2^stages. */
        public int stride() {
            return 1 << blocks.length;
        }

        /** Channels of the feature map: width · 2^(stages − 1). */
        public int outputChannels() {
            return width << (blocks.length - 1);
        }
    }

    private final Config config;
    private final SequentialBlock layers;

    /** A network of {@code config}'s shape, uninitialised. */
    public ResNetBackbone(Config config) {
        this.config = config;
        SequentialBlock net = new SequentialBlock()
                .add(conv(config.width(), 3, 2))
                .add(new ScheduledBatchNorm(1))
                .add(Activation.reluBlock());
        int[] blocks = config.blocks();
        for (int s = 0; s < blocks.length; s++) {
            int channels = config.width() << s;
            for (int b = 0; b < blocks[s]; b++) {
                net.add(basicBlock(channels, s > 0 && b == 0 ? 2 : 1, b == 0 && s > 0));
            }
        }
        layers = addChildBlock("layers", net);
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** How much smaller the feature map is than the input. */
    public int stride() {
        return config.stride();
    }

    /** Channels of the feature map. */
    public int outputChannels() {
        return config.outputChannels();
    }

    /** A 3×3 (or 1×1) convolution without bias, "same" padding. */
    static Conv2d conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride)).optPadding(new Shape(kernel / 2, kernel / 2)).optBias(false).build();
    }

    /** relu(bn(conv(relu(bn(conv(x))))) + shortcut(x)); the shortcut projects when the shape changes. */
    private static Block basicBlock(int channels, int stride, boolean project) {
        Block main = new SequentialBlock()
                .add(conv(channels, 3, stride)).add(new ScheduledBatchNorm(1)).add(Activation.reluBlock())
                .add(conv(channels, 3, 1)).add(new ScheduledBatchNorm(1));
        Block shortcut = project
                ? new SequentialBlock().add(conv(channels, 1, stride)).add(new ScheduledBatchNorm(1))
                : Blocks.identityBlock();
        return new SequentialBlock()
                .add(new ParallelBlock(ResNetBackbone::sum, List.of(main, shortcut)))
                .add(Activation.reluBlock());
    }

    private static NDList sum(List<NDList> branches) {
        NDArray total = branches.get(0).singletonOrThrow();
        for (int i = 1; i < branches.size(); i++) {
            total = total.add(branches.get(i).singletonOrThrow());
        }
        return new NDList(total);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return layers.forward(store, inputs, training, params);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), outputChannels(), in.get(2) / stride(), in.get(3) / stride())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        layers.initialize(manager, dataType, inputShapes);
    }
}
