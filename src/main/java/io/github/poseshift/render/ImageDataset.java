package io.github.poseshift.render;

import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.EpochCrops;
import io.github.poseshift.data.ImageSamples;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.geometry.Camera;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * A domain's frames as images, rendered on demand: sample i is frame f of view v of the chosen subjects
 * (every {@code stride}-th frame), the pose in that view's camera at that frame, framed by the style
 * ({@link Framing}) and rendered with that subject's {@link Appearance}. Nothing is stored but the index,
 * so a dataset of millions of frames costs nothing until it is read. Sample i is a pure function of the
 * domain, the renderer, the dataset seed and i: the same bytes in any order, on any number of threads.
 *
 * <p>As {@link ImageSamples} (what {@code train.ImagePoseTraining} reads), sample i is its render's colour as
 * {@code [3, S, S]} floats in [0, 1], the 3D joints in the render camera's frame relative to the hip, the
 * joints' pinhole projection through the render camera in crop pixels (top-left pixel centre at (0, 0), so
 * half a pixel less than {@link RenderedImage#joints2d}'s convention) and that camera's (fx, fy, cx, cy, root
 * depth), the principal point shifted by the same half pixel: back-projecting the 2D joints with it and the
 * true root depth gives the 3D joints. A camera with lens distortion draws each joint where its distorted
 * projection falls ({@link RenderedImage#joints2d}); the labels stay pinhole, as the model's back-projection
 * is (measured at 64×64: up to 1.4 px apart on {@code h36m-like}, 0.7 px on {@code 3dhp-like}, 0 on the
 * distortion-free presets); the network learns the lens of its domain. {@link #fill} renders the
 * sample each time; {@link #cached} renders every sample once into memory, which is what training wants
 * (each epoch reads every sample; measured with 544 lab crops at 64×64 on one thread, 3 epochs of the tiny image
 * model: 10.9 s rendering on the fly, 6.9 s cached with the render included).
 */
public final class ImageDataset implements ImageSamples {

    /**
     * One rendered frame and where it came from.
     *
     * @param image   the image and its labels
     * @param framing how the render's pixels map to the dataset camera's
     * @param subject the subject
     * @param action  the action label of the sequence
     * @param view    index of the view in the list the dataset was made from
     * @param frame   frame within the view
     */
    public record Sample(RenderedImage image, Framing framing, String subject, String action, int view, int frame) {}

    private final List<ViewSequence> views;
    private final ImageRenderer renderer;
    private final long seed;
    private final int[] sampleView;
    private final int[] sampleFrame;
    private final Map<String, Appearance> looks;
    private final ImageAugmentation augmentation;

    private ImageDataset(List<ViewSequence> views, ImageRenderer renderer, long seed, int[] sampleView,
            int[] sampleFrame, Map<String, Appearance> looks, ImageAugmentation augmentation) {
        this.views = views;
        this.renderer = renderer;
        this.seed = seed;
        this.sampleView = sampleView;
        this.sampleFrame = sampleFrame;
        this.looks = looks;
        this.augmentation = augmentation;
    }

    /**
     * Every {@code stride}-th frame of the views whose subject is in {@code subjects}.
     *
     * @throws IllegalArgumentException when stride is below 1, no view belongs to those subjects, or a view's
     *                                  skeleton is not H36M-17
     */
    public static ImageDataset of(List<ViewSequence> views, Collection<String> subjects, ImageRenderer renderer,
            int stride, long seed) {
        if (stride < 1) {
            throw new IllegalArgumentException("stride must be at least 1, got " + stride);
        }
        Set<String> wanted = Set.copyOf(subjects);
        List<Integer> viewIndex = new ArrayList<>();
        List<Integer> frameIndex = new ArrayList<>();
        Map<String, Appearance> looks = new HashMap<>();
        for (int v = 0; v < views.size(); v++) {
            ViewSequence view = views.get(v);
            String subject = view.poses().subject();
            if (!wanted.contains(subject)) {
                continue;
            }
            if (view.poses().skeleton().numJoints() != ImageRenderer.JOINTS) {
                throw new IllegalArgumentException(view + ": the renderer draws H36M-17 bodies, this view has "
                        + view.poses().skeleton().numJoints() + " joints");
            }
            // A subject's look depends on the seed and the name only, not on which views were chosen.
            looks.computeIfAbsent(subject, s -> Appearance.sample(renderer.style(),
                    new Random(mix(seed ^ 0x1D8E4E27C47D124FL, s.hashCode()))));
            for (int f = 0; f < view.numFrames(); f += stride) {
                viewIndex.add(v);
                frameIndex.add(f);
            }
        }
        if (viewIndex.isEmpty()) {
            throw new IllegalArgumentException("no view belongs to the subjects " + subjects);
        }
        return new ImageDataset(List.copyOf(views), renderer, seed, viewIndex.stream().mapToInt(i -> i).toArray(),
                frameIndex.stream().mapToInt(i -> i).toArray(), Map.copyOf(looks), ImageAugmentation.none());
    }

    /**
     * The same frames and subjects' looks, rendered with another seed: new lights, backgrounds, occluders,
     * blur and noise (and new augmentation draws), the training crops of another epoch.
     */
    public ImageDataset reseeded(long newSeed) {
        return new ImageDataset(views, renderer, newSeed, sampleView, sampleFrame, looks, augmentation);
    }

    /** The same samples rendered with {@code augmentation} drawn per sample ({@link ImageAugmentation}). */
    public ImageDataset augmented(ImageAugmentation augmentation) {
        if (augmentation == null) {
            throw new IllegalArgumentException("augmentation is null; use ImageAugmentation.none()");
        }
        return new ImageDataset(views, renderer, seed, sampleView, sampleFrame, looks, augmentation);
    }

    /** The samples {@code indices} of this dataset, in that order (repeats allowed), with the same seed and looks. */
    public ImageDataset select(int[] indices) {
        int[] v = new int[indices.length];
        int[] f = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            v[k] = sampleView[check(indices[k])];
            f[k] = sampleFrame[indices[k]];
        }
        return new ImageDataset(views, renderer, seed, v, f, looks, augmentation);
    }

    /**
     * Training crops that never repeat: epoch e renders {@code perEpoch} samples drawn uniformly without
     * replacement from this dataset's frames (all of them when there are fewer), with the seed mixed with e
     * (new lights, backgrounds, occluders, noise and augmentation draws), on {@code threads} threads, and holds
     * them in memory for that epoch only.
     */
    public EpochCrops freshEachEpoch(int perEpoch, int threads) {
        if (perEpoch < 1 || threads < 1) {
            throw new IllegalArgumentException("perEpoch and threads must be positive, got " + perEpoch + " and " + threads);
        }
        int n = Math.min(perEpoch, size());
        return new EpochCrops() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public int imageSize() {
                return renderer.size();
            }

            @Override
            public ImageSamples epoch(int epoch) {
                long epochSeed = mix(seed ^ EPOCH_SALT, epoch);
                int[] all = IntStream.range(0, ImageDataset.this.size()).toArray();
                Random rng = new Random(epochSeed);
                for (int k = 0; k < n; k++) {
                    int other = k + rng.nextInt(all.length - k);
                    int t = all[k];
                    all[k] = all[other];
                    all[other] = t;
                }
                return select(java.util.Arrays.copyOf(all, n)).reseeded(epochSeed).cached(threads);
            }
        };
    }

    /** Separates the epochs' seeds from the dataset's own. */
    private static final long EPOCH_SALT = 0x2545F4914F6CDD1DL;

    /** The augmentation drawn per sample ({@link ImageAugmentation#none()} unless {@link #augmented} set one). */
    public ImageAugmentation augmentation() {
        return augmentation;
    }

    /**
     * The training ({@code train}), test ({@code test}) or all ({@code all}) subjects of a generated domain.
     *
     * @throws IllegalArgumentException for another split name
     */
    public static ImageDataset of(SyntheticDomain domain, String split, ImageRenderer renderer, int stride, long seed) {
        return of(domain.views(), domain.spec().split().subjects(split), renderer, stride, seed);
    }

    /** Number of samples. */
    @Override
    public int size() {
        return sampleView.length;
    }

    /** The renderer's image side, pixels. */
    @Override
    public int imageSize() {
        return renderer.size();
    }

    /** Renders sample {@code index} and writes its training labels; see the class comment. */
    @Override
    public void fill(int index, float[] image, float[] joints3d, float[] joints2d, float[] camera) {
        labels(sample(index).image(), image, joints3d, joints2d, camera);
    }

    /**
     * The {@link ImageSamples} labels of one render (see the class comment) into the arrays ({@code 3·S·S},
     * {@code 17·3}, {@code 17·2}, 5 values).
     */
    public static void labels(RenderedImage r, float[] image, float[] joints3d, float[] joints2d, float[] camera) {
        System.arraycopy(r.rgbChw(), 0, image, 0, 3 * r.size() * r.size());
        Camera.Intrinsics k = r.camera().intrinsics();
        float[] p = r.pose3d();
        for (int j = 0; j < JOINTS; j++) {
            double z = p[3 * j + 2];
            joints2d[2 * j] = (float) (k.fx() * p[3 * j] / z + k.cx() - 0.5);
            joints2d[2 * j + 1] = (float) (k.fy() * p[3 * j + 1] / z + k.cy() - 0.5);
            for (int a = 0; a < 3; a++) {
                joints3d[3 * j + a] = p[3 * j + a] - p[a];
            }
        }
        camera[0] = (float) k.fx();
        camera[1] = (float) k.fy();
        camera[2] = (float) (k.cx() - 0.5);
        camera[3] = (float) (k.cy() - 0.5);
        camera[4] = p[2];
    }

    /**
     * Every sample rendered once on {@code threads} threads and held in memory ({@code 3·S²} floats each: 49 KB
     * at 64×64): the same values as {@link #fill}, without rendering again.
     */
    public ImageSamples cached(int threads) {
        int s = imageSize();
        int n = size();
        int pixels = 3 * s * s;
        float[] images = new float[n * pixels];
        float[] j3 = new float[n * JOINTS * 3];
        float[] j2 = new float[n * JOINTS * 2];
        float[] cams = new float[n * CAMERA_VALUES];
        int chunk = 256;
        for (int start = 0; start < n; start += chunk) {
            int[] indices = IntStream.range(start, Math.min(n, start + chunk)).toArray();
            Sample[] rendered = samples(indices, threads);
            float[] image = new float[pixels];
            float[] a = new float[JOINTS * 3];
            float[] b = new float[JOINTS * 2];
            float[] c = new float[CAMERA_VALUES];
            for (int i = 0; i < indices.length; i++) {
                int at = indices[i];
                labels(rendered[i].image(), image, a, b, c);
                System.arraycopy(image, 0, images, at * pixels, pixels);
                System.arraycopy(a, 0, j3, at * JOINTS * 3, JOINTS * 3);
                System.arraycopy(b, 0, j2, at * JOINTS * 2, JOINTS * 2);
                System.arraycopy(c, 0, cams, at * CAMERA_VALUES, CAMERA_VALUES);
            }
        }
        return ImageSamples.inMemory(s, images, j3, j2, cams);
    }

    /**
     * The mean of every sample's 3D label ({@code [17][3]}: root-relative joints in the camera's frame, metres, as
     * {@link #fill} writes them without augmentation), computed from the poses and cameras without rendering.
     */
    public float[] meanPose3d() {
        double[] sum = new double[JOINTS * 3];
        for (int i = 0; i < size(); i++) {
            ViewSequence view = views.get(sampleView[i]);
            int frame = sampleFrame[i];
            float[] pose = view.camera(frame).worldToCamera(worldPose(view, frame));
            for (int k = 0; k < sum.length; k++) {
                sum[k] += pose[k] - pose[k % 3];
            }
        }
        float[] mean = new float[sum.length];
        for (int k = 0; k < sum.length; k++) {
            mean[k] = (float) (sum[k] / size());
        }
        return mean;
    }

    /** The action of every sample, in order (without rendering). */
    public List<String> actions() {
        return IntStream.range(0, size()).mapToObj(this::action).toList();
    }

    /**
     * Where the camera of every sample stood, {elevation °, azimuth °, distance m} ({@link DomainGap#viewpoint}),
     * in order (without rendering).
     */
    public List<double[]> viewpoints() {
        return IntStream.range(0, size()).mapToObj(i -> DomainGap.viewpoint(views.get(sampleView[i]), sampleFrame[i]))
                .toList();
    }

    /** The renderer. */
    public ImageRenderer renderer() {
        return renderer;
    }

    /** The subject of sample i (without rendering it). */
    public String subject(int i) {
        return views.get(sampleView[check(i)]).poses().subject();
    }

    /** The action of sample i (without rendering it). */
    public String action(int i) {
        return views.get(sampleView[check(i)]).poses().action();
    }

    /** The appearance of a subject of this dataset. */
    public Appearance appearance(String subject) {
        Appearance look = looks.get(subject);
        if (look == null) {
            throw new IllegalArgumentException("subject '" + subject + "' is not in this dataset; it has "
                    + looks.keySet());
        }
        return look;
    }

    /**
     * Renders sample i; with an {@link #augmentation}, the camera rolls, the crop is reframed and the colours
     * change by a draw that, like the render, depends on the seed and i only.
     */
    public Sample sample(int i) {
        ViewSequence view = views.get(sampleView[check(i)]);
        int frame = sampleFrame[i];
        Camera camera = view.camera(frame);
        float[] pose = camera.worldToCamera(worldPose(view, frame));
        Appearance look = looks.get(view.poses().subject());
        if (augmentation.isNone()) {
            Framing framing = Framing.of(renderer.style(), camera, pose, renderer.size());
            RenderedImage image = renderer.render(pose, framing.apply(camera), look, mix(seed, i));
            return new Sample(image, framing, view.poses().subject(), view.poses().action(), sampleView[i], frame);
        }
        Random augmentationRng = new Random(mix(seed ^ AUGMENTATION_SALT, i));
        ImageAugmentation.Draw draw = augmentation.draw(augmentationRng);
        if (augmentation.freshLooks()) {
            look = Appearance.sample(renderer.style(), augmentationRng);
        }
        float[] rolledPose = new float[pose.length];
        Camera rolled = draw.roll(camera, pose, rolledPose);
        Framing framing = draw.reframe(Framing.of(renderer.style(), rolled, rolledPose, renderer.size()));
        RenderedImage image = renderer.render(rolledPose, framing.apply(rolled), look, mix(seed, i));
        draw.colour(image.rgb());
        return new Sample(image, framing, view.poses().subject(), view.poses().action(), sampleView[i], frame);
    }

    /** The joints of {@code frame} of a view in world coordinates, {@code [17][3]}. */
    private static float[] worldPose(ViewSequence view, int frame) {
        float[] world = new float[JOINTS * 3];
        for (int j = 0; j < JOINTS; j++) {
            for (int a = 0; a < 3; a++) {
                world[3 * j + a] = view.poses().get(frame, j, a);
            }
        }
        return world;
    }

    /** Separates the augmentation draws from the render's own, which take {@code mix(seed, i)}. */
    private static final long AUGMENTATION_SALT = 0x5DEECE66DL;

    /** Renders the samples of {@code indices} in parallel on the common fork-join pool, in index order. */
    public Sample[] samples(int[] indices) {
        Sample[] out = new Sample[indices.length];
        IntStream.range(0, indices.length).parallel().forEach(b -> out[b] = sample(indices[b]));
        return out;
    }

    /** Renders the samples of {@code indices} on {@code threads} threads (1: on the caller's), in index order. */
    public Sample[] samples(int[] indices, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        Sample[] out = new Sample[indices.length];
        if (threads == 1) {
            for (int b = 0; b < indices.length; b++) {
                out[b] = sample(indices[b]);
            }
            return out;
        }
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            pool.submit(() -> IntStream.range(0, indices.length).parallel().forEach(b -> out[b] = sample(indices[b])))
                    .get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("rendering was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdown();
        }
        return out;
    }

    private int check(int i) {
        if (i < 0 || i >= sampleView.length) {
            throw new IndexOutOfBoundsException("sample " + i + " of " + sampleView.length);
        }
        return i;
    }

    /** SplitMix64's finaliser over seed and index: well-spread, independent seeds per sample. */
    static long mix(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
