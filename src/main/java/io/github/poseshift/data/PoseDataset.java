package io.github.poseshift.data;

import io.github.poseshift.geometry.Camera;
import io.github.poseshift.skeleton.Skeleton;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;

/**
 * Training and test samples for a 2D→3D lifter, in the form of VideoPose3D's generators: for a target
 * frame, the window of {@code receptiveField} frames of 2D keypoints centred on it (edge frames repeated
 * at sequence ends), screen-normalised ({@link Camera#normalizeScreen}: {@code x/w·2 − [1, h/w]}, a portrait
 * frame padded to a square first); and the target frame's 3D pose in that camera's frame, relative to the root
 * joint, in metres.
 *
 * <p>Sequences can be resampled to a common frame rate (linear interpolation in time), so a 27-frame
 * window covers the same half second in every domain. Horizontal flip augmentation mirrors the 2D
 * input and the 3D target and swaps left and right joints, as VideoPose3D does. Batches are shuffled
 * with the generator passed in: same seed, same batches.
 */
public final class PoseDataset {

    /**
     * @param receptiveField frames per input window, odd (1, 27, 81, 243 for the usual lifters)
     * @param stride         take every stride-th frame as a target (1 = every frame)
     * @param targetFps      resample every sequence to this rate first; null keeps each sequence's own
     */
    public record Config(int receptiveField, int stride, Double targetFps) {
        /** Validates the values. */
        public Config {
            if (receptiveField < 1 || receptiveField % 2 == 0) {
                throw new IllegalArgumentException("receptiveField must be odd and positive, got " + receptiveField);
            }
            if (stride < 1) {
                throw new IllegalArgumentException("stride must be positive, got " + stride);
            }
            if (targetFps != null && !(targetFps > 0)) {
                throw new IllegalArgumentException("targetFps must be positive, got " + targetFps);
            }
        }
    }

    /**
     * One resampled view: normalised 2D {@code [frames][J][2]}, root-relative camera 3D {@code [frames][J][3]} and
     * the root's camera-frame position {@code [frames][3]}; track frame {@code k} is the view's frame
     * {@code k · step} (step 1 when not resampled).
     */
    private record Track(String subject, String action, float[] inputs, float[] targets, float[] roots, int frames,
            ViewSequence view, double step) {}

    /** One sample: the input window {@code [F][J][2]}, the target {@code [J][3]}, and where it came from. */
    public record Sample(float[] input, float[] target, String subject, String action) {}

    /**
     * A batch: {@code inputs [B][F][J][2]}, {@code targets [B][J][3]}, the sample indices and which of them
     * were flipped.
     */
    public record Batch(float[] inputs, float[] targets, int[] indices, boolean[] flipped) {
        /** Number of samples in the batch. */
        public int size() {
            return indices.length;
        }
    }

    private final Skeleton skeleton;
    private final Config config;
    private final List<Track> tracks;
    private final int[] sampleTrack;
    private final int[] sampleFrame;
    private final int[] mirror;

    private PoseDataset(Skeleton skeleton, Config config, List<Track> tracks) {
        this.skeleton = skeleton;
        this.config = config;
        this.tracks = tracks;
        this.mirror = skeleton.mirrorPermutation();
        int count = 0;
        for (Track t : tracks) {
            count += (t.frames() + config.stride() - 1) / config.stride();
        }
        sampleTrack = new int[count];
        sampleFrame = new int[count];
        int i = 0;
        for (int k = 0; k < tracks.size(); k++) {
            for (int f = 0; f < tracks.get(k).frames(); f += config.stride()) {
                sampleTrack[i] = k;
                sampleFrame[i++] = f;
            }
        }
    }

    /** Samples given one by one: track and target frame of each (for {@link #concat} and {@link #repeated}). */
    private PoseDataset(Skeleton skeleton, Config config, List<Track> tracks, int[] sampleTrack, int[] sampleFrame) {
        this.skeleton = skeleton;
        this.config = config;
        this.tracks = tracks;
        this.mirror = skeleton.mirrorPermutation();
        this.sampleTrack = sampleTrack;
        this.sampleFrame = sampleFrame;
    }

    /**
     * The samples of the views whose subject is in {@code subjects}.
     *
     * @throws IllegalArgumentException when no view belongs to those subjects, or views mix skeletons
     */
    public static PoseDataset of(List<ViewSequence> views, Collection<String> subjects, Config config) {
        Set<String> wanted = Set.copyOf(subjects);
        List<Track> tracks = new ArrayList<>();
        Skeleton skeleton = null;
        for (ViewSequence v : views) {
            if (!wanted.contains(v.poses().subject())) {
                continue;
            }
            if (skeleton == null) {
                skeleton = v.poses().skeleton();
            } else if (!skeleton.equals(v.poses().skeleton())) {
                throw new IllegalArgumentException("views mix skeletons '" + skeleton.name() + "' and '"
                        + v.poses().skeleton().name() + "'");
            }
            tracks.add(track(v, config.targetFps()));
        }
        if (tracks.isEmpty()) {
            throw new IllegalArgumentException("no view belongs to the subjects " + subjects);
        }
        return new PoseDataset(skeleton, config, tracks);
    }

    /**
     * The samples of {@code parts}, one after another in that order: one training set made of several domains
     * (the benchmark's oracle trains on the source's and the target's labelled windows). Sample {@code i} of
     * part {@code p} is sample {@code i} plus the sizes of the parts before {@code p}.
     *
     * @throws IllegalArgumentException when there are no parts, or they differ in skeleton or window configuration
     */
    public static PoseDataset concat(List<PoseDataset> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("nothing to concatenate: no datasets");
        }
        PoseDataset first = parts.get(0);
        List<Track> tracks = new ArrayList<>();
        int count = 0;
        for (PoseDataset p : parts) {
            if (!p.skeleton.equals(first.skeleton)) {
                throw new IllegalArgumentException("datasets mix skeletons '" + first.skeleton.name() + "' and '"
                        + p.skeleton.name() + "'");
            }
            if (!p.config.equals(first.config)) {
                throw new IllegalArgumentException("datasets mix window configurations " + first.config + " and "
                        + p.config);
            }
            count += p.size();
        }
        int[] sampleTrack = new int[count];
        int[] sampleFrame = new int[count];
        int at = 0;
        for (PoseDataset p : parts) {
            int offset = tracks.size();
            tracks.addAll(p.tracks);
            for (int i = 0; i < p.size(); i++) {
                sampleTrack[at] = p.sampleTrack[i] + offset;
                sampleFrame[at++] = p.sampleFrame[i];
            }
        }
        return new PoseDataset(first.skeleton, first.config, List.copyOf(tracks), sampleTrack, sampleFrame);
    }

    /**
     * This dataset's samples listed {@code times} times over ({@code times · size()} samples; sample {@code i} of
     * the copy is sample {@code i mod size()}): oversampling one part of a {@link #concat concatenation}, so that
     * an epoch visits it that many times with fresh flips.
     *
     * @throws IllegalArgumentException when {@code times} is below 1
     */
    public PoseDataset repeated(int times) {
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, got " + times);
        }
        if (times == 1) {
            return this;
        }
        int n = size();
        int[] track = new int[Math.multiplyExact(n, times)];
        int[] frame = new int[track.length];
        for (int r = 0; r < times; r++) {
            System.arraycopy(sampleTrack, 0, track, r * n, n);
            System.arraycopy(sampleFrame, 0, frame, r * n, n);
        }
        return new PoseDataset(skeleton, config, tracks, track, frame);
    }

    /** Normalised 2D and root-relative 3D of a view, resampled to {@code fps} when given. */
    private static Track track(ViewSequence v, Double fps) {
        int joints = v.poses().skeleton().numJoints();
        int root = v.poses().skeleton().root();
        int frames = v.numFrames();
        float[] keypoints = v.keypoints();
        float[] inputs = new float[frames * joints * 2];
        float[] targets = v.cameraPositions();
        float[] roots = new float[frames * 3];
        for (int f = 0; f < frames; f++) {
            Camera cam = v.camera(f);
            float[] px = java.util.Arrays.copyOfRange(keypoints, f * joints * 2, (f + 1) * joints * 2);
            System.arraycopy(cam.normalizeScreen(px), 0, inputs, f * joints * 2, joints * 2);
            int base = f * joints * 3;
            float rx = targets[base + root * 3];
            float ry = targets[base + root * 3 + 1];
            float rz = targets[base + root * 3 + 2];
            roots[f * 3] = rx;
            roots[f * 3 + 1] = ry;
            roots[f * 3 + 2] = rz;
            for (int j = 0; j < joints; j++) {
                targets[base + j * 3] -= rx;
                targets[base + j * 3 + 1] -= ry;
                targets[base + j * 3 + 2] -= rz;
            }
        }
        double sourceFps = v.poses().fps();
        if (fps == null || fps == sourceFps) {
            return new Track(v.poses().subject(), v.poses().action(), inputs, targets, roots, frames, v, 1.0);
        }
        int resampled = Math.max(1, (int) Math.floor((frames - 1) * fps / sourceFps) + 1);
        double step = sourceFps / fps;
        return new Track(v.poses().subject(), v.poses().action(), resample(inputs, frames, resampled, step),
                resample(targets, frames, resampled, step), resample(roots, frames, resampled, step), resampled, v, step);
    }

    /** Linear interpolation in time: output frame k reads source time k·step (in source frames). */
    static float[] resample(float[] values, int frames, int outFrames, double step) {
        int width = values.length / frames;
        float[] out = new float[outFrames * width];
        for (int k = 0; k < outFrames; k++) {
            double t = Math.min(frames - 1, k * step);
            int lo = (int) Math.floor(t);
            int hi = Math.min(frames - 1, lo + 1);
            double w = t - lo;
            for (int i = 0; i < width; i++) {
                out[k * width + i] = (float) ((1 - w) * values[lo * width + i] + w * values[hi * width + i]);
            }
        }
        return out;
    }

    /** Number of samples. */
    public int size() {
        return sampleTrack.length;
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The skeleton of the samples. */
    public Skeleton skeleton() {
        return skeleton;
    }

    /** Sample {@code i}, mirrored when {@code flip}. */
    public Sample sample(int i, boolean flip) {
        int joints = skeleton.numJoints();
        int window = config.receptiveField();
        float[] input = new float[window * joints * 2];
        float[] target = new float[joints * 3];
        fill(i, flip, 1, input, 0, target, 0);
        Track t = tracks.get(sampleTrack[i]);
        return new Sample(input, target, t.subject(), t.action());
    }

    /** The action label of every sample, in sample order (for per-action error tables). */
    public List<String> actions() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(tracks.get(sampleTrack[i]).action());
        }
        return out;
    }

    /**
     * Where the camera stood for every sample, in sample order: {@link DomainGap#viewpoint(ViewSequence, int)}
     * {elevation °, azimuth °, distance m} at the view's frame nearest the sample's target frame (for errors
     * by viewpoint).
     */
    public List<double[]> viewpoints() {
        List<double[]> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            Track t = tracks.get(sampleTrack[i]);
            int frame = (int) Math.min(t.view().numFrames() - 1, Math.round(sampleFrame[i] * t.step()));
            out.add(DomainGap.viewpoint(t.view(), frame));
        }
        return out;
    }

    /**
     * The world's up direction (+z) in the coordinates of the camera that filmed sample {@code i} (at the
     * view's frame nearest the target frame): with a pose in camera coordinates, what {@link
     * DomainGap#viewpointInCamera} needs to tell where a camera stands.
     */
    public double[] upInCamera(int i) {
        Track t = tracks.get(sampleTrack[i]);
        int frame = (int) Math.min(t.view().numFrames() - 1, Math.round(sampleFrame[i] * t.step()));
        return t.view().camera(frame).extrinsics().worldToCamera().apply(new double[] {0, 0, 1});
    }

    /**
     * The intrinsics of the camera that filmed sample {@code i} (at the view's frame nearest the target frame);
     * when {@code flipped}, those of the mirrored image (principal point at w − c_x), so that projecting a
     * flipped 3D window with them gives the flipped 2D window.
     */
    public Camera.Intrinsics intrinsics(int i, boolean flipped) {
        Track t = tracks.get(sampleTrack[i]);
        int frame = (int) Math.min(t.view().numFrames() - 1, Math.round(sampleFrame[i] * t.step()));
        Camera.Intrinsics k = t.view().camera(frame).intrinsics();
        return flipped ? new Camera.Intrinsics(k.fx(), k.fy(), k.width() - k.cx(), k.cy(), k.width(), k.height(), k.k1(),
                k.k2(), k.k3(), -k.p1(), k.p2()) : k;
    }

    /**
     * Where the root joint is in the camera's frame at every frame of the windows of {@code indices},
     * {@code [n][F][3]} metres (edge-padded like the windows, mirrored where {@code flipped} says so): with
     * {@link #targetWindows}, the windows' camera-frame 3D, for methods that move a pose within the camera's
     * view (PoseDA's global position alignment).
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public float[] rootTrajectories(int[] indices, boolean[] flipped) {
        if (indices.length != flipped.length) {
            throw new IllegalArgumentException(indices.length + " indices, " + flipped.length + " flip flags");
        }
        int window = config.receptiveField();
        int half = window / 2;
        float[] out = new float[indices.length * window * 3];
        for (int b = 0; b < indices.length; b++) {
            Track t = tracks.get(sampleTrack[indices[b]]);
            int centre = sampleFrame[indices[b]];
            for (int w = 0; w < window; w++) {
                int f = Math.max(0, Math.min(t.frames() - 1, centre - half + w));
                int dst = (b * window + w) * 3;
                out[dst] = flipped[b] ? -t.roots()[f * 3] : t.roots()[f * 3];
                out[dst + 1] = t.roots()[f * 3 + 1];
                out[dst + 2] = t.roots()[f * 3 + 2];
            }
        }
        return out;
    }

    /**
     * The centre frames of the input windows of {@code indices}, normalised 2D {@code [n][J][2]}: the 2D poses a
     * discriminator compares, or the target poses PoseDA's alignment draws.
     */
    public float[] centreInputs(int[] indices) {
        int joints = skeleton.numJoints();
        float[] out = new float[indices.length * joints * 2];
        for (int b = 0; b < indices.length; b++) {
            Track t = tracks.get(sampleTrack[indices[b]]);
            System.arraycopy(t.inputs(), sampleFrame[indices[b]] * joints * 2, out, b * joints * 2, joints * 2);
        }
        return out;
    }

    /** The target of sample {@code i}, {@code [J][3]}, without building its input window (for evaluation). */
    public float[] target(int i) {
        float[] target = new float[skeleton.numJoints() * 3];
        fillTarget(i, false, target, 0);
        return target;
    }

    /**
     * The 3D poses of the input windows of {@code indices}, {@code [n][F][J][3]}: root-relative camera
     * coordinates in metres, the same frames (edge-padded) as the 2D windows, mirrored where {@code flipped}
     * says so. The whole motion around each target, for generators that edit motion (AdaptPose).
     *
     * @throws IllegalArgumentException when the arrays differ in length
     */
    public float[] targetWindows(int[] indices, boolean[] flipped) {
        if (indices.length != flipped.length) {
            throw new IllegalArgumentException(indices.length + " indices, " + flipped.length + " flip flags");
        }
        int joints = skeleton.numJoints();
        int window = config.receptiveField();
        int half = window / 2;
        float[] out = new float[indices.length * window * joints * 3];
        for (int b = 0; b < indices.length; b++) {
            Track t = tracks.get(sampleTrack[indices[b]]);
            int centre = sampleFrame[indices[b]];
            for (int w = 0; w < window; w++) {
                int f = Math.max(0, Math.min(t.frames() - 1, centre - half + w));
                for (int j = 0; j < joints; j++) {
                    int src = (f * joints + (flipped[b] ? mirror[j] : j)) * 3;
                    int dst = ((b * window + w) * joints + j) * 3;
                    out[dst] = flipped[b] ? -t.targets()[src] : t.targets()[src];
                    out[dst + 1] = t.targets()[src + 1];
                    out[dst + 2] = t.targets()[src + 2];
                }
            }
        }
        return out;
    }

    private void fill(int i, boolean flip, int frameStep, float[] input, int inputOffset, float[] target,
            int targetOffset) {
        Track t = tracks.get(sampleTrack[i]);
        int joints = skeleton.numJoints();
        int half = config.receptiveField() / 2;
        int centre = sampleFrame[i];
        for (int w = 0; w < config.receptiveField(); w++) {
            // Edge padding: frames before the start repeat the first frame, after the end the last.
            int f = Math.max(0, Math.min(t.frames() - 1, centre + (w - half) * frameStep));
            for (int j = 0; j < joints; j++) {
                int src = (f * joints + (flip ? mirror[j] : j)) * 2;
                int dst = inputOffset + (w * joints + j) * 2;
                input[dst] = flip ? -t.inputs()[src] : t.inputs()[src];
                input[dst + 1] = t.inputs()[src + 1];
            }
        }
        fillTarget(i, flip, target, targetOffset);
    }

    private void fillTarget(int i, boolean flip, float[] target, int targetOffset) {
        Track t = tracks.get(sampleTrack[i]);
        int joints = skeleton.numJoints();
        int centre = sampleFrame[i];
        for (int j = 0; j < joints; j++) {
            int src = (centre * joints + (flip ? mirror[j] : j)) * 3;
            int dst = targetOffset + j * 3;
            target[dst] = flip ? -t.targets()[src] : t.targets()[src];
            target[dst + 1] = t.targets()[src + 1];
            target[dst + 2] = t.targets()[src + 2];
        }
    }

    /**
     * One epoch of shuffled batches (the last one may be smaller). With {@code flipAugment}, each sample
     * is mirrored with probability ½, drawn from {@code rng} like the order.
     */
    public Iterable<Batch> batches(int batchSize, boolean flipAugment, Random rng) {
        return batches(batchSize, flipAugment, 1, rng);
    }

    /**
     * {@link #batches(int, boolean, Random)} with random temporal down-sampling (AdaptPose sec. 6): each sample's
     * input window takes every k-th frame around its target frame, k drawn uniformly from 1..{@code maxFrameStep}
     * per sample and epoch, so a lifter trained on the source learns motion at up to that many times its speed.
     * The paper's text lost the range in extraction; the authors' loader draws k ∈ {1, 2} ({@code
     * np.random.randint(1, 3)} per sample in their {@code common/data_loader.py}). The steps are drawn after the order
     * and flips, so {@code maxFrameStep} 1 draws nothing more and gives {@link #batches(int, boolean, Random)}'s
     * batches exactly. The windows of {@link #targetWindows} and {@link #rootTrajectories} stay consecutive: only
     * a batch's own inputs are down-sampled.
     *
     * @throws IllegalArgumentException when {@code batchSize} or {@code maxFrameStep} is below 1
     */
    public Iterable<Batch> batches(int batchSize, boolean flipAugment, int maxFrameStep, Random rng) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be positive, got " + batchSize);
        }
        if (maxFrameStep < 1) {
            throw new IllegalArgumentException("maxFrameStep must be positive, got " + maxFrameStep);
        }
        EpochOrder epoch = EpochOrder.draw(size(), flipAugment, rng);
        int[] order = epoch.order();
        boolean[] flips = epoch.flipped();
        int[] steps = new int[order.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = maxFrameStep == 1 ? 1 : 1 + rng.nextInt(maxFrameStep);
        }
        int joints = skeleton.numJoints();
        int inputWidth = config.receptiveField() * joints * 2;
        return () -> new Iterator<>() {
            private int start;

            @Override
            public boolean hasNext() {
                return start < order.length;
            }

            @Override
            public Batch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int n = Math.min(batchSize, order.length - start);
                float[] inputs = new float[n * inputWidth];
                float[] targets = new float[n * joints * 3];
                int[] indices = java.util.Arrays.copyOfRange(order, start, start + n);
                boolean[] flipped = java.util.Arrays.copyOfRange(flips, start, start + n);
                for (int b = 0; b < n; b++) {
                    fill(indices[b], flipped[b], steps[start + b], inputs, b * inputWidth, targets, b * joints * 3);
                }
                start += n;
                return new Batch(inputs, targets, indices, flipped);
            }
        };
    }
}
