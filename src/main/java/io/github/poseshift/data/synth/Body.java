package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * One subject's H36M-17 body: a rest pose (standing, arms hanging) scaled to a height, with per bone
 * group length ratios. Bone lengths are fixed for life, so every pose of the subject has exactly these
 * bone lengths — the property real mocap has and lifters learn.
 *
 * <p>Rest offsets are expressed in the body frame: x forward (the way the subject faces), y to the
 * subject's left, z up.
 */
public final class Body {

    /**
     * Mean Human3.6M bone lengths in metres (training subjects), by the H36M-17 joint each bone ends at;
     * for a body about {@value #REFERENCE_HEIGHT_M} m tall from sole to head top.
     */
    private static final double[] REFERENCE_LENGTHS_M = {
        0, 0.133, 0.443, 0.454, 0.133, 0.443, 0.454, 0.233, 0.257, 0.121, 0.115, 0.151, 0.279, 0.252, 0.151, 0.279, 0.252
    };

    /** Sole-to-head-top height of the reference lengths (the ankle joint sits 8 cm above the sole). */
    static final double REFERENCE_HEIGHT_M = 1.70;

    /** Height of the ankle joint (H36M "Foot") above the sole, as a fraction of the height. */
    static final double ANKLE_HEIGHT_FRACTION = 0.08 / REFERENCE_HEIGHT_M;

    /** Vertical component of the thorax→nose direction (its forward component is 0.35). */
    private static final double NOSE_UP = Math.sqrt(1 - 0.35 * 0.35);

    private final double height;
    private final double[] lengths;

    private Body(double height, double[] lengths) {
        this.height = height;
        this.lengths = lengths;
    }

    /** A body of the reference proportions scaled to {@code heightM}. */
    public static Body ofHeight(double heightM) {
        return withRatios(heightM, new double[REFERENCE_LENGTHS_M.length]);
    }

    /**
     * A body scaled to {@code heightM} whose bone ending at joint j is {@code 1 + ratios[j]} times the
     * reference proportion (joint 0, the root, has no bone).
     */
    public static Body withRatios(double heightM, double[] ratios) {
        double scale = heightM / REFERENCE_HEIGHT_M;
        double[] l = new double[REFERENCE_LENGTHS_M.length];
        for (int j = 1; j < l.length; j++) {
            l[j] = REFERENCE_LENGTHS_M[j] * scale * (1 + ratios[j]);
        }
        return new Body(heightM, l);
    }

    /**
     * A random body of a domain: height uniform in {@code body.heightM}, each symmetric bone group's ratio
     * drawn from N(mean, std) (clipped to ±3 std so no limb degenerates), left and right together.
     */
    public static Body sample(DomainSpec.Body spec, Random rng) {
        double h = spec.heightM().sample(rng);
        double[] ratios = new double[REFERENCE_LENGTHS_M.length];
        Skeleton s = Skeletons.H36M17;
        for (Map.Entry<String, List<String>> group : Domains.BONE_GROUPS.entrySet()) {
            double mean = spec.boneRatioMean().getOrDefault(group.getKey(), 0.0);
            double z = Math.max(-3, Math.min(3, rng.nextGaussian()));
            double r = mean + spec.boneRatioStd() * z;
            for (String joint : group.getValue()) {
                ratios[s.indexOf(joint)] = r;
            }
        }
        return withRatios(h, ratios);
    }

    /** Nominal height, metres. */
    public double height() {
        return height;
    }

    /** Length of the bone ending at H36M-17 joint {@code j}, metres (0 for the root). */
    public double boneLength(int j) {
        return lengths[j];
    }

    /** Height of the ankle joint above the sole, metres (feet touch the floor with their soles). */
    public double ankleHeight() {
        return ANKLE_HEIGHT_FRACTION * height;
    }

    /**
     * The rest offset of joint j from its parent in the body frame (x forward, y left, z up): legs and
     * arms hang straight down, the spine, neck and head point up, hips and shoulders point sideways.
     */
    public double[] restOffset(int j) {
        double l = lengths[j];
        return switch (j) {
            case 1, 14 -> new double[] {0, -l, 0};          // right hip, right shoulder: to the right
            case 4, 11 -> new double[] {0, l, 0};           // left hip, left shoulder: to the left
            case 2, 3, 5, 6, 12, 13, 15, 16 -> new double[] {0, 0, -l}; // legs and arms hang down
            case 9 -> new double[] {0.35 * l, 0, NOSE_UP * l}; // the nose sits in front of the neck's axis
            case 7, 8, 10 -> new double[] {0, 0, l};        // spine, thorax, head top: up
            default -> new double[] {0, 0, 0};              // root
        };
    }
}
