package io.github.poseshift.method.yang2018;

import io.github.poseshift.nn.image.ImagePoseModel;
import io.github.poseshift.nn.yang2018.MultiSourceDiscriminator;
import io.github.poseshift.train.CrossDatasetBenchmark;

/**
 * The settings of Yang et al.'s adversarial adaptation ({@link Yang2018}); {@link #forBudget} has the benchmark's.
 *
 * @param variant            which row of Table 2 runs
 * @param adversarialWeight  λ of Eq. 5, the weight of the generator's adversarial term beside the pose loss
 * @param discriminatorRate  Adam's rate for the discriminator (the paper gives none)
 * @param discriminatorWidth the discriminator's width ({@link MultiSourceDiscriminator.Config#width})
 * @param epochs             epochs of the adversarial stage
 * @param imagesPerEpoch     source crops per epoch, rendered afresh; as many target crops go with them
 * @param learningRate       the generator's peak rate (warm-up + cosine over the adversarial stage)
 */
public record Yang2018Config(Variant variant, float adversarialWeight, float discriminatorRate, int discriminatorWidth,
        int epochs, int imagesPerEpoch, float learningRate) {

    /**
     * λ = 1e-4, the paper's (sec. 4.2, after Eq. 5). Against our pose loss, a mean of order 0.03, it gives D's term a
     * larger share than against the paper's sum of squared heatmap errors; docs/methods/yang2018.md has what λ from
     * 1e-4 to 1 measured (none beat it beyond noise).
     */
    public static final float PAPER_ADVERSARIAL_WEIGHT = 1e-4f;

    /** The rows of Table 2 (sec. 5.1.1) PoseShift runs, by benchmark method name, and one diagnostic. */
    public enum Variant {
        /** Image, descriptor, heatmaps and depth maps: the paper's Full. */
        FULL("yang2018", true, true, true, true, false, true),
        /** Image, heatmaps and depth maps: Map. */
        MAP("yang2018-map", true, true, false, true, false, true),
        /** Image and descriptor: Geo. */
        GEO("yang2018-geo", true, true, true, false, false, true),
        /** The same generator trained on source 3D + target 2D without a discriminator: Baseline. */
        BASELINE("yang2018-baseline", false, false, false, false, false, true),
        /** Full with the 2D module fixed: Full (fix 2D); our 2D module is the backbone (see {@link #fixBackbone}). */
        FIX_2D("yang2018-fix2d", true, true, true, true, true, true),
        /** Full from a generator that was not pretrained: Full (w/o pretrain). */
        NO_PRETRAIN("yang2018-no-pretrain", true, true, true, true, false, false),
        /**
         * Descriptor and maps without the image: not a row of the paper. A diagnostic: with the image, D can tell a
         * target crop from a source crop by its look alone, whatever the pose (notebook 07 plots D's scores per
         * domain); without it, D must judge the pose.
         */
        NO_IMAGE("yang2018-no-image", true, false, true, true, false, true);

        private final String method;
        private final boolean adversarial;
        private final boolean image;
        private final boolean descriptor;
        private final boolean maps;
        private final boolean fixBackbone;
        private final boolean pretrained;

        Variant(String method, boolean adversarial, boolean image, boolean descriptor, boolean maps, boolean fixBackbone,
                boolean pretrained) {
            this.method = method;
            this.adversarial = adversarial;
            this.image = image;
            this.descriptor = descriptor;
            this.maps = maps;
            this.fixBackbone = fixBackbone;
            this.pretrained = pretrained;
        }

        /** The benchmark's name. */
        public String method() {
            return method;
        }

        /** Whether a discriminator plays (false: the Baseline). */
        public boolean adversarial() {
            return adversarial;
        }

        /** Whether the discriminator has the image branch. */
        public boolean image() {
            return image;
        }

        /** Whether the discriminator has the geometric-descriptor branch. */
        public boolean descriptor() {
            return descriptor;
        }

        /** Whether the discriminator has the heatmap/depth-map branch. */
        public boolean maps() {
            return maps;
        }

        /**
         * Whether the backbone stays fixed. The paper's generator is a 2D module (stacked hourglass) and a depth
         * regressor; ours is one network, whose backbone we read as the 2D module: with it fixed, only the integral
         * head (which makes both the 2D heatmaps and the depths) trains. Batch normalisation's running statistics
         * of the backbone still follow the batches.
         */
        public boolean fixBackbone() {
            return fixBackbone;
        }

        /**
         * Whether the generator starts from the shared pretrained source model. The paper's "w/o pretrain" keeps the
         * pretrained 2D module and starts the depth regressor afresh; ours cannot split one network so, and starts
         * the whole generator afresh.
         */
        public boolean pretrained() {
            return pretrained;
        }

        /** The variant named {@code method}, or null. */
        public static Variant byMethod(String method) {
            for (Variant v : values()) {
                if (v.method.equals(method)) {
                    return v;
                }
            }
            return null;
        }
    }

    /** Validates the values. */
    public Yang2018Config {
        if (variant == null || !(adversarialWeight >= 0) || Float.isInfinite(adversarialWeight) || !(discriminatorRate > 0)
                || discriminatorWidth < 1 || epochs < 1 || imagesPerEpoch < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("invalid Yang 2018 config: " + variant + ", λ " + adversarialWeight
                    + ", D rate " + discriminatorRate + ", D width " + discriminatorWidth + ", " + epochs + " epochs of "
                    + imagesPerEpoch + " crops, peak rate " + learningRate);
        }
    }

    /**
     * The benchmark's settings for a budget (the image budget's model and rate; the discriminator at rate 1e-4, width
     * 16 at 64-pixel crops):
     * <ul>
     *   <li>{@code full}: the paper's ratio of adversarial to pretraining iterations (120k to 200k, sec. 5's
     *       implementation details), 0.6 of
     *       the source model's 30 epochs: 18 epochs of 40,000 crops;</li>
     *   <li>{@code default}: 6 epochs of 2,000 crops (a tenth of the source model's 120,000 crops, to fit the CPU);</li>
     *   <li>{@code tiny}: 6 epochs of 400 crops.</li>
     * </ul>
     */
    public static Yang2018Config forBudget(CrossDatasetBenchmark.Budget.Kind kind, float learningRate) {
        return switch (kind) {
            case TINY -> new Yang2018Config(Variant.FULL, DEFAULT_ADVERSARIAL_WEIGHT, 1e-4f, 16, 6, 400, learningRate);
            case DEFAULT -> new Yang2018Config(Variant.FULL, DEFAULT_ADVERSARIAL_WEIGHT, 1e-4f, 16, 6, 2000, learningRate);
            case FULL -> new Yang2018Config(Variant.FULL, DEFAULT_ADVERSARIAL_WEIGHT, 1e-4f, 32, 18, 40_000, learningRate);
        };
    }

    /** λ the benchmark uses; see {@link #PAPER_ADVERSARIAL_WEIGHT}. */
    public static final float DEFAULT_ADVERSARIAL_WEIGHT = PAPER_ADVERSARIAL_WEIGHT;

    /** The same with another variant. */
    public Yang2018Config withVariant(Variant v) {
        return new Yang2018Config(v, adversarialWeight, discriminatorRate, discriminatorWidth, epochs, imagesPerEpoch,
                learningRate);
    }

    /** The same with another λ. */
    public Yang2018Config withAdversarialWeight(float lambda) {
        return new Yang2018Config(variant, lambda, discriminatorRate, discriminatorWidth, epochs, imagesPerEpoch,
                learningRate);
    }

    /** The same with another number of epochs. */
    public Yang2018Config withEpochs(int n) {
        return new Yang2018Config(variant, adversarialWeight, discriminatorRate, discriminatorWidth, n, imagesPerEpoch,
                learningRate);
    }

    /** The discriminator for a generator of {@code model}'s shape. */
    public MultiSourceDiscriminator.Config discriminator(ImagePoseModel.Config model) {
        return MultiSourceDiscriminator.Config.full(model, discriminatorWidth).withSources(variant.image(), variant.descriptor(),
                variant.maps());
    }
}
