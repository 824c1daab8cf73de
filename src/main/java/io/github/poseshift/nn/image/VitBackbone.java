package io.github.poseshift.nn.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.ScalarOps;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain Vision Transformer (Dosovitskiy et al., ICLR 2021) as a pose backbone: non-overlapping
 * {@code patch × patch} patches, each flattened and embedded by one linear layer, plus fixed 2D sine-cosine
 * position embeddings (as in MAE, He et al., CVPR 2022); then pre-norm encoder layers (multi-head
 * self-attention and a GELU MLP, each with a residual connection) and a final layer norm. No class token:
 * the output tokens, laid back on the patch grid, are the feature map {@code [B, dim, H/patch, W/patch]}
 * (as ViTPose does).
 *
 * <p>For masked image modelling the steps are open: {@link #tokens} gives the embedded patch sequence
 * {@code [B, N, dim]} (row-major over the patch grid), and {@link #encode} runs the encoder on only the
 * visible tokens of a mask, MAE-style: masked tokens are dropped before the first layer, so they cost
 * nothing and cannot influence the visible ones.
 */
public final class VitBackbone extends AbstractBlock {

    /**
     * @param patch    patch side in pixels (8 here: a 64×64 crop becomes 8×8 tokens)
     * @param dim      token width (ViT-Tiny / DeiT-Tiny: 192); a multiple of 4 (sine-cosine positions) and
     *                 of {@code heads}
     * @param depth    encoder layers (ViT-Tiny: 12)
     * @param heads    attention heads (ViT-Tiny: 3)
     * @param mlpRatio hidden width of each MLP as a multiple of {@code dim} (ViT: 4)
     */
    public record Config(int patch, int dim, int depth, int heads, int mlpRatio) {
        /** Validates the values. */
        public Config {
            if (patch < 1 || patch > 64) {
                throw new IllegalArgumentException("VitBackbone config: patch must be in [1, 64] pixels, got " + patch);
            }
            if (dim < 4 || dim % 4 != 0) {
                throw new IllegalArgumentException("VitBackbone config: dim must be a positive multiple of 4 (2D sine-cosine"
                        + " positions), got " + dim);
            }
            if (depth < 1) {
                throw new IllegalArgumentException("VitBackbone config: depth must be at least 1 layer, got " + depth);
            }
            if (heads < 1 || dim % heads != 0) {
                throw new IllegalArgumentException("VitBackbone config: heads must divide dim " + dim + ", got " + heads);
            }
            if (mlpRatio < 1) {
                throw new IllegalArgumentException("VitBackbone config: mlpRatio must be at least 1, got " + mlpRatio);
            }
        }

        /** ViT-Tiny (DeiT-Tiny's width, depth and heads) with 8-pixel patches. */
        public static Config defaults() {
            return new Config(8, 192, 12, 3, 4);
        }

        /** A tiny encoder for tests: 8-pixel patches, width 32, 2 layers of 2 heads, MLP ratio 2. */
        public static Config tiny() {
            return new Config(8, 32, 2, 2, 2);
        }
    }

    private final Config config;
    private final Linear embed;
    private final List<EncoderLayer> layers = new ArrayList<>();
    private final LayerNorm norm;

    /** A network of {@code config}'s shape, uninitialised. */
    public VitBackbone(Config config) {
        this.config = config;
        embed = addChildBlock("embed", Linear.builder().setUnits(config.dim()).build());
        for (int i = 0; i < config.depth(); i++) {
            layers.add(addChildBlock("layer" + i, new EncoderLayer(config)));
        }
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** How much smaller the feature map is than the input: the patch size. */
    public int stride() {
        return config.patch();
    }

    /** Channels of the feature map: the token width. */
    public int outputChannels() {
        return config.dim();
    }

    /**
     * The patch embedding: images {@code [B, C, H, W]} (H and W multiples of the patch) to tokens
     * {@code [B, N, dim]}, N = (H/patch)·(W/patch) in row-major grid order, position embeddings added.
     */
    public NDArray tokens(ParameterStore store, NDArray images, boolean training) {
        Shape s = images.getShape();
        int p = config.patch();
        if (s.dimension() != 4 || s.get(2) % p != 0 || s.get(3) % p != 0) {
            throw new IllegalArgumentException("VitBackbone expects images [B, C, H, W] with H and W multiples of the patch "
                    + p + ", got " + s);
        }
        long gh = s.get(2) / p;
        long gw = s.get(3) / p;
        NDArray patches = images.reshape(s.get(0), s.get(1), gh, p, gw, p).transpose(0, 2, 4, 1, 3, 5)
                .reshape(s.get(0), gh * gw, s.get(1) * p * p);
        NDArray x = embed.forward(store, new NDList(patches), training).singletonOrThrow();
        NDArray positions = images.getManager().create(positionEmbedding((int) gh, (int) gw, config.dim()),
                new Shape(1, gh * gw, config.dim())).toType(x.getDataType(), false);
        return x.add(positions);
    }

    /**
     * Runs the encoder on tokens {@code [B, N, dim]}, keeping only the visible ones when {@code visible} is
     * not null: a {@code [B, N]} mask (boolean, or numbers where non-zero means visible) with the same
     * number K of visible tokens in every row. Returns {@code [B, K, dim]}, the visible tokens in their
     * original order (all N without a mask).
     */
    public NDArray encode(ParameterStore store, NDArray tokens, NDArray visible, boolean training) {
        NDArray x = visible == null ? tokens : keep(tokens, visible);
        for (EncoderLayer layer : layers) {
            x = layer.forward(store, new NDList(x), training).singletonOrThrow();
        }
        return norm.forward(store, new NDList(x), training).singletonOrThrow();
    }

    /**
     * The indices of the visible tokens of each row of a {@code [B, N]} mask, {@code [B, K]} (int64,
     * ascending).
     *
     * @throws IllegalArgumentException when the rows have different numbers of visible tokens, or none
     */
    public static NDArray visibleIndices(NDArray visible) {
        Shape s = visible.getShape();
        if (s.dimension() != 2) {
            throw new IllegalArgumentException("a token mask is [B, N], got " + s);
        }
        NDArray on = visible.toType(DataType.BOOLEAN, false).toType(DataType.INT64, false);
        long[] counts = on.sum(new int[] {1}).toLongArray();
        for (long c : counts) {
            if (c != counts[0]) {
                throw new IllegalArgumentException("every row of a token mask must show the same number of tokens, got "
                        + java.util.Arrays.toString(counts));
            }
        }
        if (counts[0] == 0) {
            throw new IllegalArgumentException("a token mask must leave at least one token visible");
        }
        long n = s.get(1);
        // Sort key: visible tokens first, each group in index order (keys are distinct, so no tie to break).
        NDArray key = ScalarOps.times(on.neg().add(1), n).add(visible.getManager().arange(n).toType(DataType.INT64, false));
        return key.argSort(1, true).get(":, 0:{}", counts[0]);
    }

    private NDArray keep(NDArray tokens, NDArray visible) {
        Shape t = tokens.getShape();
        if (!visible.getShape().equals(new Shape(t.get(0), t.get(1)))) {
            throw new IllegalArgumentException("the token mask must be [B, N] = " + new Shape(t.get(0), t.get(1)) + ", got "
                    + visible.getShape());
        }
        NDArray index = visibleIndices(visible);
        NDArray wide = index.expandDims(2).repeat(2, t.get(2));
        return tokens.gather(wide, 1);
    }

    /** Tokens {@code [B, N, dim]} of a {@code gh × gw} grid laid out as a feature map {@code [B, dim, gh, gw]}. */
    public static NDArray toFeatureMap(NDArray tokens, long gh, long gw) {
        Shape s = tokens.getShape();
        return tokens.transpose(0, 2, 1).reshape(s.get(0), s.get(2), gh, gw);
    }

    /**
     * MAE's fixed 2D sine-cosine position embeddings ({@code get_2d_sincos_pos_embed}): the first half of
     * each vector encodes the column, the second the row, each as sines then cosines of the position at
     * frequencies 1/10000^(k/(dim/4)).
     */
    static float[] positionEmbedding(int gh, int gw, int dim) {
        int quarter = dim / 4;
        float[] out = new float[gh * gw * dim];
        for (int r = 0; r < gh; r++) {
            for (int c = 0; c < gw; c++) {
                int base = (r * gw + c) * dim;
                for (int k = 0; k < quarter; k++) {
                    double omega = 1.0 / Math.pow(10000, (double) k / quarter);
                    out[base + k] = (float) Math.sin(c * omega);
                    out[base + quarter + k] = (float) Math.cos(c * omega);
                    out[base + 2 * quarter + k] = (float) Math.sin(r * omega);
                    out[base + 3 * quarter + k] = (float) Math.cos(r * omega);
                }
            }
        }
        return out;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow();
        NDArray x = encode(store, tokens(store, images, training), null, training);
        Shape s = images.getShape();
        return new NDList(toFeatureMap(x, s.get(2) / config.patch(), s.get(3) / config.patch()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        return new Shape[] {new Shape(in.get(0), config.dim(), in.get(2) / config.patch(), in.get(3) / config.patch())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        long n = (in.get(2) / config.patch()) * (in.get(3) / config.patch());
        embed.initialize(manager, dataType, new Shape(in.get(0), n, in.get(1) * config.patch() * config.patch()));
        Shape tokens = new Shape(in.get(0), n, config.dim());
        for (EncoderLayer layer : layers) {
            layer.initialize(manager, dataType, tokens);
        }
        norm.initialize(manager, dataType, tokens);
    }

    /** One pre-norm encoder layer: x + attention(norm(x)), then x + mlp(norm(x)). */
    private static final class EncoderLayer extends AbstractBlock {
        private final int heads;
        private final long mlpWidth;
        private final LayerNorm norm1;
        private final Linear qkv;
        private final Linear projection;
        private final LayerNorm norm2;
        private final Linear hidden;
        private final Linear out;

        EncoderLayer(Config config) {
            heads = config.heads();
            mlpWidth = (long) config.mlpRatio() * config.dim();
            norm1 = addChildBlock("norm1", LayerNorm.builder().axis(2).build());
            qkv = addChildBlock("qkv", Linear.builder().setUnits(3L * config.dim()).build());
            projection = addChildBlock("projection", Linear.builder().setUnits(config.dim()).build());
            norm2 = addChildBlock("norm2", LayerNorm.builder().axis(2).build());
            hidden = addChildBlock("mlp_hidden", Linear.builder().setUnits(mlpWidth).build());
            out = addChildBlock("mlp_out", Linear.builder().setUnits(config.dim()).build());
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
                PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            Shape s = x.getShape();
            long b = s.get(0);
            long n = s.get(1);
            long dim = s.get(2);
            long dh = dim / heads;
            NDArray y = norm1.forward(store, new NDList(x), training).singletonOrThrow();
            // [B, N, 3·dim] → [3, B, heads, N, dh]
            NDArray qkvs = qkv.forward(store, new NDList(y), training).singletonOrThrow()
                    .reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
            NDArray q = qkvs.get(0);
            NDArray k = qkvs.get(1);
            NDArray v = qkvs.get(2);
            NDArray attention = ScalarOps.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(dh)).softmax(3);
            NDArray mixed = attention.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, dim);
            x = x.add(projection.forward(store, new NDList(mixed), training).singletonOrThrow());
            y = norm2.forward(store, new NDList(x), training).singletonOrThrow();
            y = Activation.gelu(hidden.forward(store, new NDList(y), training).singletonOrThrow());
            return new NDList(x.add(out.forward(store, new NDList(y), training).singletonOrThrow()));
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return new Shape[] {inputShapes[0]};
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            Shape in = inputShapes[0];
            norm1.initialize(manager, dataType, in);
            qkv.initialize(manager, dataType, in);
            projection.initialize(manager, dataType, in);
            norm2.initialize(manager, dataType, in);
            hidden.initialize(manager, dataType, in);
            out.initialize(manager, dataType, new Shape(in.get(0), in.get(1), mlpWidth));
        }
    }
}
