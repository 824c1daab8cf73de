package io.github.poseshift.nn.image;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.ScalarOps;

/**
 * An image-to-3D pose network: a backbone ({@link ResNetBackbone} or {@link VitBackbone}) and the integral
 * regression head ({@link IntegralPoseHead}) of Sun et al. (ECCV 2018), the model AHuP trains.
 *
 * <p><b>Input</b>: {@code [B, 3, S, S]} person-centred crops, RGB in [0, 1], channel-major; the network
 * standardises them itself with ImageNet's channel mean and standard deviation ({@link #IMAGENET_MEAN},
 * {@link #IMAGENET_STD}, the normalisation of Sun et al.'s and AHuP's pipelines), so callers never do.
 * Optionally a second input, the crop's camera {@code [B, 5]} = (fx, fy, cx, cy, root depth): focal
 * lengths and principal point in the crop's pixels, the root joint's depth in metres.
 *
 * <p><b>Output</b> ({@link #forward}): {@code [B, J, 3]} root-relative 3D joints in metres in camera
 * coordinates (x right, y down, z forward); {@code [B, J, 2]} the joints' pixel positions in the crop
 * (the centre of the top-left pixel is (0, 0)); and the backbone's feature map {@code [B, C, S/stride,
 * S/stride]}, where a domain discriminator attaches; and the head's logit volumes {@code [B, J, D, h, w]}
 * ({@link IntegralPoseHead}), for a loss on the heatmaps. The 2D positions and the depths relative to the root
 * come from the head's soft-argmax; 3D follows from them by back-projection through the camera (the
 * protocol of Sun et al. and AHuP, which take the root depth as known): Zⱼ = Z_root + (dⱼ − d_root),
 * Xⱼ = (uⱼ − cx)·Zⱼ/fx, Yⱼ = (vⱼ − cy)·Zⱼ/fy, minus the root's. Without a camera it is weak perspective
 * at {@code cropMetres / S} metres per pixel: Xⱼ = (uⱼ − u_root)·m, Yⱼ likewise, Zⱼ = dⱼ − d_root.
 */
public final class ImagePoseModel extends AbstractBlock {

    /** ImageNet's per-channel RGB mean, subtracted from inputs in [0, 1]. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's per-channel RGB standard deviation, dividing inputs after the mean is subtracted. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
    /** Values per camera row: fx, fy, cx, cy (crop pixels), root depth (metres). */
    public static final int CAMERA_VALUES = 5;
    /** The root joint (H36M-17's hip). */
    public static final int ROOT = 0;

    /**
     * @param imageSize  side S of the square input crops in pixels (64, 128 or 256 in use; any multiple of
     *                   the backbone's stride from 16 to 512 is accepted)
     * @param resnet     the ResNet backbone, or null when {@code vit} is given
     * @param vit        the ViT backbone, or null when {@code resnet} is given
     * @param head       the integral head
     * @param cropMetres the metric side of the crop at the root's depth, for the weak-perspective 3D of
     *                   inputs without a camera (Sun et al. crop a 2 m box around the root: 2.0)
     */
    public record Config(int imageSize, ResNetBackbone.Config resnet, VitBackbone.Config vit,
            IntegralPoseHead.Config head, float cropMetres) {
        /** Validates the values. */
        public Config {
            if ((resnet == null) == (vit == null)) {
                throw new IllegalArgumentException("ImagePoseModel config: give exactly one backbone, resnet or vit; got "
                        + (resnet == null ? "neither" : "both"));
            }
            if (head == null) {
                throw new IllegalArgumentException("ImagePoseModel config: head is missing");
            }
            int stride = resnet != null ? resnet.stride() : vit.patch();
            if (imageSize < 16 || imageSize > 512 || imageSize % stride != 0) {
                throw new IllegalArgumentException("ImagePoseModel config: imageSize must be a multiple of the backbone's"
                        + " stride " + stride + " in [16, 512] (64, 128 or 256 in use), got " + imageSize);
            }
            long heatmap = (long) (imageSize / stride) * head.upsamplingFactor();
            if (heatmap > imageSize) {
                throw new IllegalArgumentException("ImagePoseModel config: " + head.upsamplingLayers() + " upsampling layers on the "
                        + (imageSize / stride) + "-cell feature map make a " + heatmap + "-cell heatmap, larger than the "
                        + imageSize + "-pixel image; use at most " + Integer.numberOfTrailingZeros(stride) + " (stride "
                        + stride + ")");
            }
            if (!(cropMetres > 0) || Float.isInfinite(cropMetres)) {
                throw new IllegalArgumentException("ImagePoseModel config: cropMetres must be positive metres, got "
                        + cropMetres);
            }
        }

        /** A ResNet model. */
        public static Config resnet(int imageSize, ResNetBackbone.Config backbone, IntegralPoseHead.Config head) {
            return new Config(imageSize, backbone, null, head, 2.0f);
        }

        /** A ViT model. */
        public static Config vit(int imageSize, VitBackbone.Config backbone, IntegralPoseHead.Config head) {
            return new Config(imageSize, null, backbone, head, 2.0f);
        }

        /**
         * The default, the image benchmark's {@code default} budget (about 900 training crops a second on two CPU
         * cores): 64×64 crops, {@link ResNetBackbone.Config#defaults()}, {@link IntegralPoseHead.Config#defaults()}
         * (a 16×16 heatmap of 16 depth bins, stride 4).
         */
        public static Config defaults() {
            return resnet(64, ResNetBackbone.Config.defaults(), IntegralPoseHead.Config.defaults());
        }

        /**
         * A larger model for a GPU (the {@code full} budget's): {@link ResNetBackbone.Config#resnet18Half()} and
         * {@link IntegralPoseHead.Config#large()} (a 16×16 heatmap at 64×64, stride 4).
         */
        public static Config large() {
            return resnet(64, ResNetBackbone.Config.resnet18Half(), IntegralPoseHead.Config.large());
        }

        /** A tiny ResNet model for tests on the CPU: 64×64 crops, {@link ResNetBackbone.Config#tiny()},
         *  {@link IntegralPoseHead.Config#tiny()} (a 16×16 heatmap). */
        public static Config tiny() {
            return resnet(64, ResNetBackbone.Config.tiny(), IntegralPoseHead.Config.tiny());
        }

        /** A tiny ViT model for tests: {@link VitBackbone.Config#tiny()} on 64×64 crops, the tiny head. */
        public static Config vitTiny() {
            return vit(64, VitBackbone.Config.tiny(), IntegralPoseHead.Config.tiny());
        }

        /** A copy for crops of another size. */
        public Config withImageSize(int size) {
            return new Config(size, resnet, vit, head, cropMetres);
        }

        /** How much smaller the feature map is than the image. */
        public int backboneStride() {
            return resnet != null ? resnet.stride() : vit.patch();
        }

        /** Channels of the feature map. */
        public int featureChannels() {
            return resnet != null ? resnet.outputChannels() : vit.dim();
        }

        /** Side of the heatmap in cells. */
        public int heatmapSize() {
            return imageSize / backboneStride() * head.upsamplingFactor();
        }

        /** Joints per pose. */
        public int joints() {
            return head.joints();
        }
    }

    private final Config config;
    private final Block backbone;
    private final IntegralPoseHead head;

    /** A network of {@code config}'s shape, uninitialised. */
    public ImagePoseModel(Config config) {
        this.config = config;
        backbone = addChildBlock("backbone",
                config.resnet() != null ? new ResNetBackbone(config.resnet()) : new VitBackbone(config.vit()));
        head = addChildBlock("head", new IntegralPoseHead(config.head()));
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The backbone: a {@link ResNetBackbone} or a {@link VitBackbone}. */
    public Block backbone() {
        return backbone;
    }

    /** The integral head. */
    public IntegralPoseHead head() {
        return head;
    }

    /** The shape of a batch of input crops. */
    public Shape inputShape(int batch) {
        return new Shape(batch, 3, config.imageSize(), config.imageSize());
    }

    /** Images in [0, 1] standardised with ImageNet's channel mean and deviation, as the backbone sees them. */
    public static NDArray standardise(NDArray images) {
        NDManager m = images.getManager();
        NDArray mean = m.create(IMAGENET_MEAN, new Shape(1, 3, 1, 1)).toType(images.getDataType(), false);
        NDArray std = m.create(IMAGENET_STD, new Shape(1, 3, 1, 1)).toType(images.getDataType(), false);
        return images.sub(mean).div(std);
    }

    /** The backbone's feature map of raw images (RGB in [0, 1]). */
    public NDArray features(ParameterStore store, NDArray images, boolean training) {
        checkImages(images.getShape());
        return backbone.forward(store, new NDList(standardise(images)), training).singletonOrThrow();
    }

    /**
     * Root-relative 3D joints {@code [B, J, 3]} (metres) from pixel positions {@code [B, J, 2]} and depths
     * {@code [B, J]} (metres, any common offset) by perspective back-projection through cameras
     * {@code [B, 5]} = (fx, fy, cx, cy, root depth).
     */
    public static NDArray backProject(NDArray pixels, NDArray depths, NDArray cameras) {
        NDArray relative = depths.sub(depths.get(":, {}:{}", ROOT, ROOT + 1));
        NDArray z = relative.add(cameras.get(":, 4:5"));
        NDArray x = pixels.get(":, :, 0").sub(cameras.get(":, 2:3")).mul(z).div(cameras.get(":, 0:1"));
        NDArray y = pixels.get(":, :, 1").sub(cameras.get(":, 3:4")).mul(z).div(cameras.get(":, 1:2"));
        NDArray joints = x.stack(y, 2).concat(z.expandDims(2), 2);
        return joints.sub(joints.get(":, {}:{}, :", ROOT, ROOT + 1));
    }

    /**
     * Root-relative 3D joints {@code [B, J, 3]} (metres) from pixel positions and depths under weak
     * perspective at {@code metresPerPixel}.
     */
    public static NDArray weakPerspective(NDArray pixels, NDArray depths, float metresPerPixel) {
        NDArray xy = ScalarOps.times(pixels.sub(pixels.get(":, {}:{}, :", ROOT, ROOT + 1)), metresPerPixel);
        NDArray z = depths.sub(depths.get(":, {}:{}", ROOT, ROOT + 1));
        return xy.concat(z.expandDims(2), 2);
    }

    /** Crop pixels to heatmap cells, the inverse of {@link #cellsToPixels}. */
    public NDArray pixelsToCells(NDArray pixels) {
        return pixelsToCells(pixels, config.imageSize(), config.heatmapSize());
    }

    /** Crop pixels of an {@code imageSize} crop to the cells of its {@code heatmapSize} heatmap. */
    public static NDArray pixelsToCells(NDArray pixels, int imageSize, int heatmapSize) {
        float pixelsPerCell = (float) imageSize / heatmapSize;
        return ScalarOps.dividedBy(pixels.add(0.5f), pixelsPerCell).sub(0.5f);
    }

    /** Heatmap cells to crop pixels: the centre of cell c covers pixels around (c + ½)·s − ½ for s pixels a cell. */
    NDArray cellsToPixels(NDArray cells) {
        float pixelsPerCell = (float) config.imageSize() / config.heatmapSize();
        return ScalarOps.times(cells.add(0.5f), pixelsPerCell).sub(0.5f);
    }

    private void checkImages(Shape s) {
        if (s.dimension() != 4 || s.get(1) != 3 || s.get(2) != config.imageSize() || s.get(3) != config.imageSize()) {
            throw new IllegalArgumentException("ImagePoseModel expects images [B, 3, " + config.imageSize() + ", "
                    + config.imageSize() + "], got " + s);
        }
    }

    /**
     * {@code (images)} or {@code (images, cameras)} to {@code (joints3d [B, J, 3], joints2d [B, J, 2],
     * features [B, C, h, w], volumes [B, J, D, H, H])}; see the class comment.
     */
    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
            PairList<String, Object> params) {
        if (inputs.isEmpty() || inputs.size() > 2) {
            throw new IllegalArgumentException("ImagePoseModel takes (images) or (images, cameras), got " + inputs.size()
                    + " arrays");
        }
        NDArray images = inputs.get(0);
        NDArray features = features(store, images, training);
        NDList headOut = head.forward(store, new NDList(features), training);
        NDArray uvz = headOut.get(0);
        NDArray pixels = cellsToPixels(uvz.get(":, :, 0:2"));
        NDArray depths = uvz.get(":, :, 2");
        NDArray joints3d;
        if (inputs.size() == 2) {
            NDArray cameras = inputs.get(1);
            if (!cameras.getShape().equals(new Shape(images.getShape().get(0), CAMERA_VALUES))) {
                throw new IllegalArgumentException("cameras must be [B, " + CAMERA_VALUES + "] = (fx, fy, cx, cy, root depth)"
                        + " for B = " + images.getShape().get(0) + ", got " + cameras.getShape());
            }
            joints3d = backProject(pixels, depths, cameras);
        } else {
            joints3d = weakPerspective(pixels, depths, config.cropMetres() / config.imageSize());
        }
        return new NDList(joints3d, pixels, features, headOut.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        int cells = config.imageSize() / config.backboneStride();
        int heat = config.heatmapSize();
        return new Shape[] {new Shape(b, config.joints(), 3), new Shape(b, config.joints(), 2),
            new Shape(b, config.featureChannels(), cells, cells),
            new Shape(b, config.joints(), config.head().depthBins(), heat, heat)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape images = inputShapes[0];
        checkImages(images);
        backbone.initialize(manager, dataType, images);
        head.initialize(manager, dataType, backbone.getOutputShapes(new Shape[] {images}));
    }
}
