package io.github.poseshift.data.io;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.geometry.Rotation;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeleton.JointPair;
import java.util.ArrayList;
import java.util.List;

/**
 * A parsed BVH clip: the joint tree with offsets and channels, and the channel values of every frame.
 * {@link #worldPositions} runs forward kinematics and converts once into PoseShift's world frame
 * (metres, Z up): a Y-up file maps (x, y, z) to (x, −z, y), a proper rotation, so left stays left.
 */
public final class BvhClip {

    private final String name;
    private final List<String> jointNames;
    private final int[] parents;
    private final List<double[]> offsets;
    private final List<Bvh.Channel[]> channels;
    private final int[] firstChannel;
    private final int totalChannels;
    private final double frameTime;
    private final int numFrames;
    private final double[] values;

    BvhClip(String name, List<String> jointNames, int[] parents, List<double[]> offsets, List<Bvh.Channel[]> channels,
            double frameTime, int numFrames, double[] values) {
        this.name = name;
        this.jointNames = List.copyOf(jointNames);
        this.parents = parents;
        this.offsets = List.copyOf(offsets);
        this.channels = List.copyOf(channels);
        this.firstChannel = new int[jointNames.size()];
        int c = 0;
        for (int j = 0; j < firstChannel.length; j++) {
            firstChannel[j] = c;
            c += channels.get(j).length;
        }
        this.totalChannels = c;
        this.frameTime = frameTime;
        this.numFrames = numFrames;
        this.values = values;
    }

    /** The file name. */
    public String name() {
        return name;
    }

    /** Joint names in file order (End Sites as {@code <parent>_End}). */
    public List<String> jointNames() {
        return jointNames;
    }

    /** Parent index per joint, −1 for the root. */
    public int[] parents() {
        return parents.clone();
    }

    /** Number of frames. */
    public int numFrames() {
        return numFrames;
    }

    /** Frames per second (1 / Frame Time). */
    public double fps() {
        return 1.0 / frameTime;
    }

    /** The channels of joint {@code j}, in file order. */
    public Bvh.Channel[] channels(int j) {
        return channels.get(j).clone();
    }

    /**
     * The hierarchy as a {@link Skeleton} named {@code skeletonName}; left/right pairs are inferred from
     * names with a matching counterpart ({@code Left*}/{@code Right*}, {@code *_L}/{@code *_R},
     * {@code L*}/{@code R*}).
     */
    public Skeleton skeleton(String skeletonName) {
        List<JointPair> pairs = new ArrayList<>();
        for (int j = 0; j < jointNames.size(); j++) {
            String right = rightCounterpart(jointNames.get(j));
            if (right != null) {
                int r = jointNames.indexOf(right);
                if (r >= 0) {
                    pairs.add(new JointPair(j, r));
                }
            }
        }
        return new Skeleton(skeletonName, jointNames, parents, pairs);
    }

    private static String rightCounterpart(String left) {
        if (left.startsWith("Left")) {
            return "Right" + left.substring(4);
        }
        if (left.endsWith("_L")) {
            return left.substring(0, left.length() - 2) + "_R";
        }
        if (left.length() > 1 && left.charAt(0) == 'L' && Character.isUpperCase(left.charAt(1))) {
            return "R" + left.substring(1);
        }
        return null;
    }

    /**
     * Forward kinematics of every frame in file units and axes, {@code [frames][joints][3]}. A joint's
     * local translation is its position channels when it has them (they replace the OFFSET, which the
     * Bandai files repeat there), else its OFFSET; its rotation is the product of its rotation channels
     * in file order (intrinsic, degrees).
     */
    public double[] fileSpacePositions() {
        int joints = jointNames.size();
        double[] out = new double[numFrames * joints * 3];
        for (int f = 0; f < numFrames; f++) {
            forwardKinematics(f, out, f * joints * 3);
        }
        return out;
    }

    /** Joint positions of one frame, file units and axes, written to {@code out} from {@code offset}. */
    private void forwardKinematics(int frame, double[] out, int offset) {
        int base = frame * totalChannels;
        Rotation[] global = new Rotation[jointNames.size()];
        for (int j = 0; j < global.length; j++) {
            double[] translation = offsets.get(j).clone();
            Rotation local = Rotation.identity();
            Bvh.Channel[] own = channels.get(j);
            for (int c = 0; c < own.length; c++) {
                double v = values[base + firstChannel[j] + c];
                if (own[c].isRotation()) {
                    double a = Math.toRadians(v);
                    local = local.times(switch (own[c].axis()) {
                        case 0 -> Rotation.aboutX(a);
                        case 1 -> Rotation.aboutY(a);
                        default -> Rotation.aboutZ(a);
                    });
                } else {
                    translation[own[c].axis()] = v;
                }
            }
            int p = parents[j];
            int o = offset + j * 3;
            if (p < 0) {
                global[j] = local;
                System.arraycopy(translation, 0, out, o, 3);
            } else {
                double[] t = global[p].apply(translation);
                for (int a = 0; a < 3; a++) {
                    out[o + a] = out[offset + p * 3 + a] + t[a];
                }
                global[j] = global[p].times(local);
            }
        }
    }

    /**
     * The body height in file units: the largest vertical (file Y) extent of the joints over the first,
     * middle and last frames. The file's rest pose is no guide, since many exporters keep every bone
     * along a local axis there.
     */
    public double heightInFileUnits() {
        int joints = jointNames.size();
        double[] p = new double[joints * 3];
        double best = 0;
        for (int f : new int[] {0, numFrames / 2, numFrames - 1}) {
            forwardKinematics(f, p, 0);
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < joints; j++) {
                double y = p[j * 3 + 1];
                lo = Math.min(lo, y);
                hi = Math.max(hi, y);
            }
            best = Math.max(best, hi - lo);
        }
        return best;
    }

    /** The unit a clip's positions are in ({@code unit}, or the detected one for AUTO). */
    public BvhUnit resolveUnit(BvhUnit unit) throws FormatException {
        return unit == BvhUnit.AUTO ? BvhUnit.detect(heightInFileUnits(), name) : unit;
    }

    /** Joint positions in PoseShift's world frame, metres, Z up: {@code [frames][joints][3]}. */
    public float[] worldPositions(BvhUnit unit) throws FormatException {
        double scale = resolveUnit(unit).toMetres();
        double[] p = fileSpacePositions();
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i += 3) {
            out[i] = (float) (p[i] * scale);
            out[i + 1] = (float) (-p[i + 2] * scale);
            out[i + 2] = (float) (p[i + 1] * scale);
        }
        return out;
    }

    /** The clip as a sequence on its own skeleton (see {@link #skeleton}). */
    public PoseSequence toSequence(BvhUnit unit, String skeletonName, String subject, String action) throws FormatException {
        return new PoseSequence(skeleton(skeletonName), subject, action, fps(), worldPositions(unit));
    }

    @Override
    public String toString() {
        return "BvhClip[" + name + ", " + jointNames.size() + " joints, " + numFrames + " frames @ "
                + String.format("%.3g", fps()) + " fps]";
    }
}
