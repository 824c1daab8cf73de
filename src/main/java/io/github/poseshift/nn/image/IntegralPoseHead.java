package io.github.poseshift.nn.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.ScheduledBatchNorm;

/**
 * The integral regression head of Sun et al. ("Integral Human Pose Regression", ECCV 2018, sec. 3), which
 * AHuP builds on: upsampling layers (each doubling the resolution, batch norm, ReLU) enlarge the backbone's
 * feature map, a 1×1 convolution gives every joint a 3D volume of logits — {@code depthBins} depth slices of an
 * {@code h × w} heatmap — and {@link #softArgmax} turns each volume into a position: the softmax over the
 * whole volume is a probability map and the joint is its expectation (eq. 3 of the paper), differentiable
 * end to end. This is the paper's 3D form, not a 2D heatmap plus a regressed depth map: one distribution
 * carries x, y and depth together, as in Sun et al. and AHuP.
 *
 * <p>Sun et al. upsample with 4×4 stride-2 transposed convolutions, which DJL 0.32's PyTorch engine does
 * not implement ({@code Conv2dTranspose} throws "Not implemented"). Each upsampling layer here is a
 * sub-pixel convolution (Shi et al., CVPR 2016): a 3×3 convolution to 4·C channels, then depth-to-space
 * ({@link #depthToSpace}). Every output pixel of a 4×4 stride-2 transposed convolution is a weighted sum of
 * the 2×2 input pixels around it, a subset of the 3×3 window each phase sees here, so the layer can
 * represent any such deconvolution (with more weights: 9 taps a phase instead of 4).
 *
 * <p>Input the feature map {@code [B, C, h₀, w₀]}; output {@code [B, J, 3]}: x and y in heatmap cells
 * (the centre of cell (0, 0) is (0, 0); the heatmap is {@code h₀·2^L} cells high for L upsampling layers) and
 * z, the depth in metres relative to the volume's centre slice, which spans {@code ±depthRange}
 * ({@link ImagePoseModel} turns cells into pixels and makes z root-relative); and second the logit volumes
 * {@code [B, J, D, h, w]} themselves, for a loss on the whole distribution ({@code
 * loss.ImagePoseLosses#volumeCrossEntropy}) or a discriminator on the heatmaps.
 */
public final class IntegralPoseHead extends AbstractBlock {

    /**
     * @param joints             joints per pose (17 for H36M-17)
     * @param upsamplingLayers   upsampling layers, each doubling the resolution (Sun et al.: 3 deconvolutions)
     * @param upsamplingChannels output channels of each upsampling layer (Sun et al.: 256)
     * @param depthBins          depth slices of each joint's volume (Sun et al.: 64)
     * @param depthRange         metres from the centre slice to either end of the depth axis (Sun et al.
     *                           normalise depth by a 2 m box around the root: 1.0)
     */
    public record Config(int joints, int upsamplingLayers, int upsamplingChannels, int depthBins, float depthRange) {
        /** Validates the values. */
        public Config {
            if (joints < 1) {
                throw new IllegalArgumentException("IntegralPoseHead config: joints must be positive, got " + joints);
            }
            if (upsamplingLayers < 0 || upsamplingLayers > 5) {
                throw new IllegalArgumentException("IntegralPoseHead config: upsamplingLayers must be in [0, 5], got "
                        + upsamplingLayers);
            }
            if (upsamplingChannels < 1) {
                throw new IllegalArgumentException("IntegralPoseHead config: upsamplingChannels must be positive, got "
                        + upsamplingChannels);
            }
            if (depthBins < 2) {
                throw new IllegalArgumentException("IntegralPoseHead config: depthBins must be at least 2, got "
                        + depthBins);
            }
            if (!(depthRange > 0) || Float.isInfinite(depthRange)) {
                throw new IllegalArgumentException("IntegralPoseHead config: depthRange must be positive metres, got "
                        + depthRange);
            }
        }

        /**
         * Sun et al.'s head (sec. 4, on ResNet-50): three 256-channel upsampling layers (deconvolutions in the
         * paper), 64 depth bins, ±1 m.
         */
        public static Config paper() {
            return new Config(17, 3, 256, 64, 1.0f);
        }

        /** The default for the compact backbones: one 32-channel upsampling layer, 16 depth bins, ±1 m. */
        public static Config defaults() {
            return new Config(17, 1, 32, 16, 1.0f);
        }

        /** A larger head for ResNet-18-sized backbones: two 64-channel upsampling layers, 32 depth bins, ±1 m. */
        public static Config large() {
            return new Config(17, 2, 64, 32, 1.0f);
        }

        /** A tiny head for tests: one 16-channel upsampling layer, 8 depth bins, ±1 m. */
        public static Config tiny() {
            return new Config(17, 1, 16, 8, 1.0f);
        }

        /** How much larger the heatmap is than the feature map: 2^upsamplingLayers. */
        public int upsamplingFactor() {
            return 1 << upsamplingLayers;
        }
    }

    private final Config config;
    private final SequentialBlock upsampling;
    private final Conv2d volume;

    /** A head of {@code config}'s shape, uninitialised. */
    public IntegralPoseHead(Config config) {
        this.config = config;
        SequentialBlock up = new SequentialBlock();
        for (int i = 0; i < config.upsamplingLayers(); i++) {
            up.add(ResNetBackbone.conv(4 * config.upsamplingChannels(), 3, 1));
            up.add(LambdaBlock.singleton(x -> depthToSpace(x, 2), "depth_to_space"));
            up.add(new ScheduledBatchNorm(1));
            up.add(Activation.reluBlock());
        }
        upsampling = addChildBlock("upsampling", up);
        volume = addChildBlock("volume", Conv2d.builder().setFilters(config.joints() * config.depthBins())
                .setKernelShape(new Shape(1, 1)).build());
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /**
     * The logits of every joint's volume, {@code [B, J, D, h, w]}, before the softmax: what a heatmap
     * loss or a discriminator on the head's output would use.
     */
    public NDArray volumes(ParameterStore store, NDArray features, boolean training) {
        NDArray x = config.upsamplingLayers() == 0 ? features
                : upsampling.forward(store, new NDList(features), training).singletonOrThrow();
        x = volume.forward(store, new NDList(x), training).singletonOrThrow();
        Shape s = x.getShape();
        return x.reshape(s.get(0), config.joints(), config.depthBins(), s.get(2), s.get(3));
    }

    /**
     * Soft-argmax of logit volumes {@code [B, J, D, h, w]}: the expectation of (x, y, d) under the softmax
     * over each joint's whole volume, {@code [B, J, 3]}, x and y in cells and d in slices (the centre of
     * the first cell or slice is 0). Written as marginals: the softmax summed over the other two axes,
     * times the coordinates of the remaining one (Sun et al., eq. 5).
     */
    public static NDArray softArgmax(NDArray logits) {
        Shape s = logits.getShape();
        if (s.dimension() != 5) {
            throw new IllegalArgumentException("soft-argmax expects logits [B, J, D, h, w], got " + s);
        }
        long b = s.get(0);
        long j = s.get(1);
        long d = s.get(2);
        long h = s.get(3);
        long w = s.get(4);
        NDArray p = logits.reshape(b, j, d * h * w).softmax(2).reshape(b, j, d, h, w);
        NDManager m = logits.getManager();
        // Two passes over the volume, not three: the depth marginal, and the image-plane map whose own
        // marginals give x and y.
        NDArray plane = p.sum(new int[] {2});
        NDArray x = plane.sum(new int[] {2}).mul(m.arange(0f, (float) w).toType(p.getDataType(), false)).sum(new int[] {2});
        NDArray y = plane.sum(new int[] {3}).mul(m.arange(0f, (float) h).toType(p.getDataType(), false)).sum(new int[] {2});
        NDArray z = p.sum(new int[] {3, 4}).mul(m.arange(0f, (float) d).toType(p.getDataType(), false)).sum(new int[] {2});
        return x.stack(y, 2).concat(z.expandDims(2), 2);
    }

    /**
     * Depth-to-space (pixel shuffle): {@code [B, C·r², h, w] → [B, C, h·r, w·r]}, channel c·r² + i·r + j
     * becoming the pixel at offset (i, j) of each r × r block (PyTorch's {@code pixel_shuffle}).
     */
    public static NDArray depthToSpace(NDArray x, int r) {
        Shape s = x.getShape();
        long c = s.get(1) / ((long) r * r);
        return x.reshape(s.get(0), c, r, r, s.get(2), s.get(3)).transpose(0, 1, 4, 2, 5, 3)
                .reshape(s.get(0), c, s.get(2) * r, s.get(3) * r);
    }

    /** Depth slices to metres from the volume's centre: slice centres evenly over [−range, range]. */
    NDArray sliceToMetres(NDArray slices) {
        float step = 2 * config.depthRange() / config.depthBins();
        return ScalarOps.times(slices.add(0.5f), step).sub(config.depthRange());
    }

    /** Metres from the volume's centre to depth slices, the inverse of {@link #sliceToMetres}. */
    public float metresToSlice(float metres) {
        float step = 2 * config.depthRange() / config.depthBins();
        return (metres + config.depthRange()) / step - 0.5f;
    }

    /** {@code (features)} to {@code (coordinates [B, J, 3], logits [B, J, D, h, w])}; see the class comment. */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray logits = volumes(store, inputs.singletonOrThrow(), training);
        NDArray coords = softArgmax(logits);
        NDArray xy = coords.get(":, :, 0:2");
        NDArray z = sliceToMetres(coords.get(":, :, 2:3"));
        return new NDList(xy.concat(z, 2), logits);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        long cells = in.get(2) * config.upsamplingFactor();
        return new Shape[] {new Shape(in.get(0), config.joints(), 3),
            new Shape(in.get(0), config.joints(), config.depthBins(), cells, in.get(3) * config.upsamplingFactor())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        Shape x = in;
        if (config.upsamplingLayers() > 0) {
            upsampling.initialize(manager, dataType, in);
            int up = config.upsamplingFactor();
            x = new Shape(in.get(0), config.upsamplingChannels(), in.get(2) * up, in.get(3) * up);
        }
        volume.initialize(manager, dataType, x);
    }
}
