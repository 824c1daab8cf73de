package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Rotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Places a domain's cameras around a subject ({@link DomainSpec.Cameras}): intrinsics drawn from the
 * focal, principal-point and distortion ranges; each camera on a sphere around a look-at point at the
 * drawn elevation, azimuth, distance and roll. A {@code static} camera looks at the capture area's
 * centre (plus jitter); a {@code tracking} one keeps its offset from the subject's smoothed path (the
 * geometry of a pan-tilt-zoom camera keeping an athlete framed); a {@code handheld} one follows too,
 * with a slow drift of its offset and a wobble of its orientation.
 */
public final class CameraRig {

    /** Lowest camera centre above the floor, metres: low cameras stand on a tripod, not under the floor. */
    static final double MIN_CAMERA_HEIGHT_M = 0.1;

    /** Half-width of the moving-average window that smooths the subject's path for following cameras, s. */
    private static final double FOLLOW_SMOOTHING_S = 1.0;

    private static final int MAX_PLACEMENT_TRIES = 1000;

    /** Where one camera sits relative to its look-at point, and its lens. */
    public record Placement(Camera.Intrinsics intrinsics, double elevationDeg, double azimuthDeg, double distanceM,
            double rollDeg, double lookAtHeightM, double jitterX, double jitterY) {}

    private CameraRig() {}

    /**
     * Draws {@code spec.perScene()} placements. Elevations that would put a camera under the floor are
     * redrawn.
     *
     * @throws IllegalArgumentException when no elevation in the range keeps the camera above the floor
     */
    public static List<Placement> draw(DomainSpec.Cameras spec, Random rng) {
        List<Placement> rig = new ArrayList<>();
        for (int k = 0; k < spec.perScene(); k++) {
            double focal = spec.focalPx().sample(rng);
            double cx = spec.imageWidth() / 2.0 + spec.principalJitterPx().sample(rng);
            double cy = spec.imageHeight() / 2.0 + spec.principalJitterPx().sample(rng);
            Camera.Intrinsics lens = new Camera.Intrinsics(focal, focal, cx, cy, spec.imageWidth(), spec.imageHeight(),
                    spec.radialK1().sample(rng), 0, 0, 0, 0);
            double distance = spec.distanceM().sample(rng);
            double lookAt = spec.lookAtHeightM().sample(rng);
            double elevation = Double.NaN;
            for (int tries = 0; tries < MAX_PLACEMENT_TRIES && Double.isNaN(elevation); tries++) {
                double e = spec.elevationDeg().sample(rng);
                if (lookAt + distance * Math.sin(Math.toRadians(e)) >= MIN_CAMERA_HEIGHT_M) {
                    elevation = e;
                }
            }
            if (Double.isNaN(elevation)) {
                throw new IllegalArgumentException("cameras.elevationDeg " + spec.elevationDeg() + " puts every camera "
                        + distance + " m from a look-at point " + lookAt + " m high under the floor");
            }
            rig.add(new Placement(lens, elevation, spec.azimuthDeg().sample(rng), distance, spec.rollDeg().sample(rng),
                    lookAt, rng.nextGaussian() * spec.lookAtJitterM(), rng.nextGaussian() * spec.lookAtJitterM()));
        }
        return rig;
    }

    /**
     * The camera(s) of one placement for one sequence: a single camera when static, one per frame when
     * tracking or handheld.
     */
    public static List<Camera> cameras(Placement placement, DomainSpec.Cameras spec, PoseSequence seq, Random rng) {
        return switch (spec.motion()) {
            case STATIC -> {
                double[] target = {placement.jitterX(), placement.jitterY(), placement.lookAtHeightM()};
                yield List.of(orbit(placement, target, placement.azimuthDeg(), placement.distanceM(), 0, 0));
            }
            case TRACKING -> following(placement, spec, seq, rng, false);
            case HANDHELD -> following(placement, spec, seq, rng, true);
        };
    }

    /** One camera per frame that follows the subject's smoothed path; a handheld one also drifts and wobbles. */
    private static List<Camera> following(Placement placement, DomainSpec.Cameras spec, PoseSequence seq, Random rng,
            boolean handheld) {
        double[][] path = smoothedRootPath(seq);
        double fps = seq.fps();
        Wobble drift = new Wobble(rng, 0.05, 0.2);
        Wobble shakeX = new Wobble(rng, 0.5, 2.0);
        Wobble shakeY = new Wobble(rng, 0.5, 2.0);
        List<Camera> out = new ArrayList<>(seq.numFrames());
        for (int f = 0; f < seq.numFrames(); f++) {
            double t = f / fps;
            double[] target = {path[f][0] + placement.jitterX(), path[f][1] + placement.jitterY(), placement.lookAtHeightM()};
            double azimuth = placement.azimuthDeg();
            double distance = placement.distanceM();
            double tilt = 0;
            double pan = 0;
            if (handheld) {
                // The operator drifts around the subject (a wobble in 0.05-0.2 Hz of amplitude A moves at about
                // 2π·0.125·A m/s, so A = drift / (2π·0.125)), and the hand wobbles.
                double along = spec.handheldDriftMps() / (2 * Math.PI * 0.125) * drift.value(t);
                azimuth += Math.toDegrees(along / distance);
                distance = Math.max(0.5 * distance, distance + 0.5 * along);
                tilt = spec.handheldShakeDeg() * shakeX.value(t);
                pan = spec.handheldShakeDeg() * shakeY.value(t);
            }
            out.add(orbit(placement, target, azimuth, distance, tilt, pan));
        }
        return out;
    }

    private static Camera orbit(Placement p, double[] target, double azimuthDeg, double distanceM, double tiltDeg,
            double panDeg) {
        Camera.Extrinsics e = Camera.Extrinsics.orbit(Math.toRadians(p.elevationDeg()), Math.toRadians(azimuthDeg),
                distanceM, target, Math.toRadians(p.rollDeg()));
        if (tiltDeg != 0 || panDeg != 0) {
            // A wobble of the camera about its own x (tilt) and y (pan) axes: R' = R_wobble · R.
            Rotation wobble = Rotation.aboutX(Math.toRadians(tiltDeg)).times(Rotation.aboutY(Math.toRadians(panDeg)));
            e = Camera.Extrinsics.fromCenter(wobble.times(e.worldToCamera()), e.center());
        }
        return new Camera(p.intrinsics(), e);
    }

    /**
     * The root's ground-plane path averaged over ±{@value #FOLLOW_SMOOTHING_S} s (less near the ends, to
     * stay centred): where a follower aims, without the sway of every step.
     */
    static double[][] smoothedRootPath(PoseSequence seq) {
        int n = seq.numFrames();
        int half = (int) Math.round(FOLLOW_SMOOTHING_S * seq.fps());
        double[] prefixX = new double[n + 1];
        double[] prefixY = new double[n + 1];
        int root = seq.skeleton().root();
        for (int f = 0; f < n; f++) {
            prefixX[f + 1] = prefixX[f] + seq.get(f, root, 0);
            prefixY[f + 1] = prefixY[f] + seq.get(f, root, 1);
        }
        double[][] out = new double[n][2];
        for (int f = 0; f < n; f++) {
            // A window centred on the frame (narrower near the ends) never leads or lags a steady walker.
            int w = Math.min(half, Math.min(f, n - 1 - f));
            int lo = f - w;
            int hi = f + w + 1;
            out[f][0] = (prefixX[hi] - prefixX[lo]) / (hi - lo);
            out[f][1] = (prefixY[hi] - prefixY[lo]) / (hi - lo);
        }
        return out;
    }

    /** A smooth random signal of unit standard deviation: three sinusoids with random frequencies in a band. */
    private static final class Wobble {
        private final double[] frequency = new double[3];
        private final double[] phase = new double[3];

        Wobble(Random rng, double minHz, double maxHz) {
            for (int i = 0; i < 3; i++) {
                frequency[i] = minHz + (maxHz - minHz) * rng.nextDouble();
                phase[i] = 2 * Math.PI * rng.nextDouble();
            }
        }

        double value(double t) {
            double v = 0;
            for (int i = 0; i < 3; i++) {
                v += Math.sin(2 * Math.PI * frequency[i] * t + phase[i]);
            }
            return v / Math.sqrt(3 * 0.5);
        }
    }
}
