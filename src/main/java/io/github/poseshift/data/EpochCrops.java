package io.github.poseshift.data;

/**
 * The training crops of an image model, epoch by epoch: the same {@link ImageSamples} every epoch ({@link
 * #fixed}), or new ones each epoch, e.g. rendered afresh with new frames, backgrounds and augmentation
 * ({@code render.ImageDataset#freshEachEpoch}), so that training data does not run out. Epoch e's crops are a
 * pure function of e: a resumed run sees the same crops as an uninterrupted one.
 */
public interface EpochCrops {

    /** Crops per epoch. */
    int size();

    /** Side S of the square crops, pixels. */
    int imageSize();

    /** The crops of epoch {@code epoch} (1-based), each of {@link #size()} samples. */
    ImageSamples epoch(int epoch);

    /** The same crops every epoch. */
    static EpochCrops fixed(ImageSamples samples) {
        return new EpochCrops() {
            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public int imageSize() {
                return samples.imageSize();
            }

            @Override
            public ImageSamples epoch(int epoch) {
                return samples;
            }
        };
    }
}
