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

    /**
     * The same crops with their 3D labels and cameras hidden (every value NaN): what a method that may use a
     * target's 2D labels only is given, so that a read of the rest shows up as NaN in its losses instead of
     * quietly helping.
     */
    static EpochCrops with2dLabelsOnly(EpochCrops crops) {
        return new EpochCrops() {
            @Override
            public int size() {
                return crops.size();
            }

            @Override
            public int imageSize() {
                return crops.imageSize();
            }

            @Override
            public ImageSamples epoch(int epoch) {
                ImageSamples all = crops.epoch(epoch);
                return new ImageSamples() {
                    @Override
                    public int size() {
                        return all.size();
                    }

                    @Override
                    public int imageSize() {
                        return all.imageSize();
                    }

                    @Override
                    public void fill(int index, float[] image, float[] joints3d, float[] joints2d, float[] camera) {
                        all.fill(index, image, joints3d, joints2d, camera);
                        java.util.Arrays.fill(joints3d, Float.NaN);
                        java.util.Arrays.fill(camera, Float.NaN);
                    }
                };
            }
        };
    }
}
