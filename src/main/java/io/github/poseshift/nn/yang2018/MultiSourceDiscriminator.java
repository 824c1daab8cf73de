package io.github.poseshift.nn.yang2018;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.image.ImagePoseModel;
import java.util.ArrayList;
import java.util.List;

/**
 * The multi-source discriminator of Yang et al. (CVPR 2018, sec. 3.2.1, Fig. 2): is this 3D pose the ground truth
 * of this image or the pose estimator's prediction? Three information sources, each embedded by its own branch, the
 * embeddings concatenated and scored by three fully connected layers (sec. 5, implementation details) to one logit
 * per sample (the paper's score D(·) ∈ [0, 1] is its sigmoid):
 * <ol type="a">
 *   <li><b>image</b>: the crop (image–pose correspondence); three stride-2 3×3 convolutions, global average pooling;</li>
 *   <li><b>geometric descriptor</b> (Eq. 1, {@link PoseEncoding#descriptor}): the 6 × P × P pairwise relative positions
 *       and squared distances; two fully connected layers on the flattened descriptor (each entry is a fixed pair, so
 *       the layer may weigh every limb and every left/right pair on its own);</li>
 *   <li><b>heatmaps and depth maps</b> ({@link PoseEncoding#maps}): 2P maps; a 3×3 convolution, two stride-2 ones,
 *       flattened (where a joint lies matters) into a fully connected layer.</li>
 * </ol>
 * Every row of Table 2 has the image branch and drops the descriptor ({@code Map}) or the maps ({@code Geo}); a
 * discriminator without the image branch is PoseShift's diagnostic, not the paper's.
 * LeakyReLU (slope 0.2) throughout, no normalisation layer: a batch holds real and fake samples, whose statistics
 * batch normalisation would mix.
 *
 * <p>Input: {@code (images [B, 3, S, S] in [0, 1], pixels [B, P, 2] crop pixels, depths [B, P] root-relative metres)};
 * the encoding E is applied inside ({@link PoseEncoding}), so the same call scores a true pose and a prediction.
 * Output: logits {@code [B, 1]}.
 */
public final class MultiSourceDiscriminator extends AbstractBlock {

    private static final float SLOPE = 0.2f;

    /**
     * The discriminator's shape.
     *
     * @param image       whether the image branch is on (every row of the paper's Table 2 has it; off only for the
     *                    {@code yang2018-no-image} diagnostic)
     * @param descriptor  whether the geometric-descriptor branch is on
     * @param maps        whether the heatmap/depth-map branch is on
     * @param imageSize   side S of the crops
     * @param heatmapSize side H of the maps (the generator's heatmap: {@link ImagePoseModel.Config#heatmapSize()})
     * @param cropMetres  the depth normalisation ({@link ImagePoseModel.Config#cropMetres()})
     * @param joints      P
     * @param width       channels of the first convolution of each branch (the others have twice as many) and the
     *                    unit scale of the fully connected layers
     */
    public record Config(boolean image, boolean descriptor, boolean maps, int imageSize, int heatmapSize, float cropMetres, int joints,
            int width) {
        /** Validates the sizes. */
        public Config {
            if (imageSize < 8 || heatmapSize < 4 || !(cropMetres > 0) || joints < 2 || width < 1) {
                throw new IllegalArgumentException("multi-source discriminator: image " + imageSize + ", heatmap "
                        + heatmapSize + ", crop metres " + cropMetres + ", " + joints + " joints, width " + width);
            }
            if (!image && !descriptor && !maps) {
                throw new IllegalArgumentException("multi-source discriminator: no information source is on");
            }
        }

        /** Every source (the paper's Full), for crops of {@code model}'s generator. */
        public static Config full(ImagePoseModel.Config model, int width) {
            return new Config(true, true, true, model.imageSize(), model.heatmapSize(), model.cropMetres(), model.joints(),
                    width);
        }

        /** This configuration with the branches given. */
        public Config withSources(boolean image, boolean descriptor, boolean maps) {
            return new Config(image, descriptor, maps, imageSize, heatmapSize, cropMetres, joints, width);
        }
    }

    private final Config config;
    private final Block[] imageBranch;
    private final Block[] descriptorBranch;
    private final Block[] mapsBranch;
    private final Block[] trunk;

    /** An uninitialised discriminator of {@code config}'s shape. */
    public MultiSourceDiscriminator(Config config) {
        this.config = config;
        int w = config.width();
        imageBranch = config.image()
                ? new Block[] {add("image_conv1", conv(w, 2)), add("image_conv2", conv(2 * w, 2)),
                    add("image_conv3", conv(2 * w, 2))}
                : new Block[0];
        descriptorBranch = config.descriptor()
                ? new Block[] {add("descriptor_fc1", linear(4 * w)), add("descriptor_fc2", linear(2 * w))}
                : new Block[0];
        mapsBranch = config.maps()
                ? new Block[] {add("maps_conv1", conv(w, 1)), add("maps_conv2", conv(2 * w, 2)),
                    add("maps_conv3", conv(2 * w, 2)), add("maps_fc", linear(2 * w))}
                : new Block[0];
        trunk = new Block[] {add("fc1", linear(4 * w)), add("fc2", linear(2 * w)), add("score", linear(1))};
    }

    private Block add(String name, Block b) {
        return addChildBlock(name, b);
    }

    private static Block conv(int filters, int stride) {
        return Conv2d.builder().setFilters(filters).setKernelShape(new Shape(3, 3)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(1, 1)).build();
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    private static NDArray leaky(NDArray x) {
        return Activation.leakyRelu(x, SLOPE);
    }

    private static NDArray apply(Block b, ParameterStore store, NDArray x, boolean training, PairList<String, Object> p) {
        return b.forward(store, new NDList(x), training, p).singletonOrThrow();
    }

    /** All three sources for {@code (images, pixels, depths)}, whichever branches are on: what the notebook draws. */
    public NDList sources(NDArray images, NDArray pixels, NDArray depths) {
        NDArray pose = normalisedPose(pixels, depths);
        return new NDList(images, PoseEncoding.descriptor(pose), maps(pixels, pose));
    }

    private NDArray normalisedPose(NDArray pixels, NDArray depths) {
        return PoseEncoding.pose(pixels, depths, config.imageSize(), config.cropMetres());
    }

    private NDArray maps(NDArray pixels, NDArray pose) {
        return PoseEncoding.maps(pixels, pose.get(":, :, 2"), config.imageSize(), config.heatmapSize());
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        if (inputs.size() != 3) {
            throw new IllegalArgumentException("the multi-source discriminator takes (images, pixels, depths), got "
                    + inputs.size() + " arrays");
        }
        NDArray images = inputs.get(0);
        NDArray pixels = inputs.get(1);
        NDArray depths = inputs.get(2);
        long b = images.getShape().get(0);
        Shape expectedPixels = new Shape(b, config.joints(), 2);
        if (!images.getShape().equals(new Shape(b, 3, config.imageSize(), config.imageSize()))
                || !pixels.getShape().equals(expectedPixels) || !depths.getShape().equals(new Shape(b, config.joints()))) {
            throw new IllegalArgumentException("the multi-source discriminator expects images [B, 3, " + config.imageSize()
                    + ", " + config.imageSize() + "], pixels " + expectedPixels + " and depths [B, " + config.joints()
                    + "], got " + images.getShape() + ", " + pixels.getShape() + ", " + depths.getShape());
        }
        // Only the sources whose branch is on are encoded: the maps are the largest input.
        NDArray pose = normalisedPose(pixels, depths);
        List<NDArray> embedded = new ArrayList<>();
        if (config.image()) {
            NDArray x = ImagePoseModel.standardise(images);
            for (Block conv : imageBranch) {
                x = leaky(apply(conv, store, x, training, params));
            }
            embedded.add(x.reshape(b, x.getShape().get(1), -1).mean(new int[] {2}));
        }
        if (config.descriptor()) {
            NDArray d = PoseEncoding.descriptor(pose).reshape(b, -1);
            for (Block fc : descriptorBranch) {
                d = leaky(apply(fc, store, d, training, params));
            }
            embedded.add(d);
        }
        if (config.maps()) {
            NDArray m = maps(pixels, pose);
            for (int i = 0; i < 3; i++) {
                m = leaky(apply(mapsBranch[i], store, m, training, params));
            }
            embedded.add(leaky(apply(mapsBranch[3], store, m.reshape(b, -1), training, params)));
        }
        NDArray h = ai.djl.ndarray.NDArrays.concat(new NDList(embedded), 1);
        h = leaky(apply(trunk[0], store, h, training, params));
        h = leaky(apply(trunk[1], store, h, training, params));
        return new NDList(apply(trunk[2], store, h, training, params));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long b = inputShapes[0].get(0);
        int w = config.width();
        int s = config.imageSize();
        Shape in = new Shape(b, 3, s, s);
        for (Block conv : imageBranch) {
            conv.initialize(manager, dataType, in);
            in = conv.getOutputShapes(new Shape[] {in})[0];
        }
        long features = config.image() ? 2L * w : 0;
        int p = config.joints();
        if (config.descriptor()) {
            descriptorBranch[0].initialize(manager, dataType, new Shape(b, 6L * p * p));
            descriptorBranch[1].initialize(manager, dataType, new Shape(b, 4L * w));
            features += 2L * w;
        }
        if (config.maps()) {
            Shape m = PoseEncoding.mapsShape(b, p, config.heatmapSize());
            for (int i = 0; i < 3; i++) {
                mapsBranch[i].initialize(manager, dataType, m);
                m = mapsBranch[i].getOutputShapes(new Shape[] {m})[0];
            }
            mapsBranch[3].initialize(manager, dataType, new Shape(b, m.size() / b));
            features += 2L * w;
        }
        trunk[0].initialize(manager, dataType, new Shape(b, features));
        trunk[1].initialize(manager, dataType, new Shape(b, 4L * w));
        trunk[2].initialize(manager, dataType, new Shape(b, 2L * w));
    }

    /** The input shapes for a batch of {@code batch}: images, pixels, depths. */
    public Shape[] inputShapes(int batch) {
        return new Shape[] {new Shape(batch, 3, config.imageSize(), config.imageSize()), new Shape(batch, config.joints(), 2),
            new Shape(batch, config.joints())};
    }
}
