package io.github.poseshift.data;

/**
 * Labelled person crops for training and scoring an image pose model ({@code nn.image.ImagePoseModel}):
 * anything that can fill one sample's arrays by index — images held in memory ({@link #inMemory}) or a
 * renderer drawing them on demand. Every sample has:
 * <ul>
 *   <li>{@code image}: {@code [3, S, S]} channel-major RGB in [0, 1] (the model standardises it);</li>
 *   <li>{@code joints3d}: {@code [J, 3]} H36M-17 joints in metres, camera coordinates (x right, y down,
 *       z forward), relative to the root (hip, joint 0);</li>
 *   <li>{@code joints2d}: {@code [J, 2]} the joints' positions in the crop in pixels, the centre of the
 *       top-left pixel being (0, 0);</li>
 *   <li>{@code camera}: {@code [5]} = (fx, fy, cx, cy, root depth): the crop's focal lengths and principal
 *       point in its pixels, and the root's depth Z in metres: projecting {@code joints3d} plus the root
 *       ((u₀ − cx)·Z/fx, (v₀ − cy)·Z/fy, Z), (u₀, v₀) the root's pixel, gives {@code joints2d}.</li>
 * </ul>
 * The same index always gives the same values.
 */
public interface ImageSamples {

    /** Joints per pose: H36M-17. */
    int JOINTS = 17;
    /** Values of a sample's camera: fx, fy, cx, cy, root depth. */
    int CAMERA_VALUES = 5;

    /** Number of samples. */
    int size();

    /** Side S of the square crops, in pixels. */
    int imageSize();

    /**
     * Writes sample {@code index} into the arrays (sized {@code 3·S·S}, {@code J·3}, {@code J·2} and
     * {@link #CAMERA_VALUES}), overwriting them entirely.
     *
     * @throws IndexOutOfBoundsException when {@code index} is not in [0, size)
     */
    void fill(int index, float[] image, float[] joints3d, float[] joints2d, float[] camera);

    /**
     * Samples held in flat arrays, sample after sample in the layouts above; the arrays are used as they
     * are, not copied.
     *
     * @throws IllegalArgumentException when the lengths do not describe the same number of samples
     */
    static ImageSamples inMemory(int imageSize, float[] images, float[] joints3d, float[] joints2d, float[] cameras) {
        if (imageSize < 1) {
            throw new IllegalArgumentException("imageSize must be positive, got " + imageSize);
        }
        int pixels = 3 * imageSize * imageSize;
        int n = images.length / pixels;
        if (images.length % pixels != 0 || joints3d.length != n * JOINTS * 3 || joints2d.length != n * JOINTS * 2
                || cameras.length != n * CAMERA_VALUES) {
            throw new IllegalArgumentException("in-memory image samples: " + images.length + " image values (3·" + imageSize
                    + "² each), " + joints3d.length + " 3D values (" + JOINTS * 3 + " each), " + joints2d.length
                    + " 2D values (" + JOINTS * 2 + " each) and " + cameras.length + " camera values (" + CAMERA_VALUES
                    + " each) do not describe the same number of samples");
        }
        return new ImageSamples() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int imageSize() {
                return imageSize;
            }

            @Override
            public void fill(int index, float[] image, float[] j3, float[] j2, float[] camera) {
                if (index < 0 || index >= n) {
                    throw new IndexOutOfBoundsException("sample " + index + " of " + n);
                }
                System.arraycopy(images, index * pixels, image, 0, pixels);
                System.arraycopy(joints3d, index * JOINTS * 3, j3, 0, JOINTS * 3);
                System.arraycopy(joints2d, index * JOINTS * 2, j2, 0, JOINTS * 2);
                System.arraycopy(cameras, index * CAMERA_VALUES, camera, 0, CAMERA_VALUES);
            }
        };
    }
}
