package io.github.poseshift.data.io;

import com.google.gson.annotations.SerializedName;
import io.github.poseshift.skeleton.JointMap;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Joint maps from common BVH skeletons onto H36M-17. Human3.6M's joints are anatomical points: Hip is
 * the pelvis centre (midway between the hip joints), Spine is mid-back, Thorax the base of the neck
 * between the shoulders, 'Neck/Nose' a point about 12 cm above it, Head the top of the head. Each map
 * says which BVH joints give those points, and where it has to approximate.
 */
public final class BvhJointMaps {

    /** The maps by name, as {@code DomainSpec.motion.jointMap} and the CLI spell them. */
    public static final List<String> NAMES = Arrays.stream(Name.values()).map(Name::toString).toList();

    /** The BVH skeletons a map exists for, spelled in JSON and on the command line as their {@link SerializedName}. */
    public enum Name {
        /** {@link #bandaiNamco}. */
        @SerializedName("bandai-namco") BANDAI_NAMCO,
        /** {@link #cmu}. */
        @SerializedName("cmu") CMU;

        /** The spelling of domain specs and the CLI. */
        @Override
        public String toString() {
            return JsonSpelling.of(this);
        }

        /**
         * The name spelled {@code text} (case-insensitive).
         *
         * @throws IllegalArgumentException listing the known names
         */
        public static Name parse(String text) {
            for (Name n : values()) {
                if (n.toString().equals(text.toLowerCase(Locale.ROOT))) {
                    return n;
                }
            }
            throw new IllegalArgumentException("unknown joint map '" + text + "'; known: " + NAMES);
        }
    }

    private BvhJointMaps() {}

    /** The map called {@code name} (case-insensitive) for {@code bvhSkeleton}. */
    public static JointMap byName(String name, Skeleton bvhSkeleton) {
        return byName(Name.parse(name), bvhSkeleton);
    }

    /** The map {@code name} for {@code bvhSkeleton}. */
    public static JointMap byName(Name name, Skeleton bvhSkeleton) {
        return switch (name) {
            case BANDAI_NAMCO -> bandaiNamco(bvhSkeleton);
            case CMU -> cmu(bvhSkeleton);
        };
    }

    /**
     * The Bandai-Namco Research Motion Dataset skeleton (joint_Root, Hips, Spine, Chest, Neck, Head,
     * Shoulder/UpperArm/LowerArm/Hand_L|R, UpperLeg/LowerLeg/Foot/Toes_L|R). Its Head joint sits at the
     * skull base and its head End Site has zero offset, so H36M's head top is extrapolated three
     * neck-to-skull-base lengths (about 20 cm) beyond the skull base along the neck.
     */
    public static JointMap bandaiNamco(Skeleton bvh) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Hip", List.of("UpperLeg_L", "UpperLeg_R"));
        m.put("RHip", List.of("UpperLeg_R"));
        m.put("RKnee", List.of("LowerLeg_R"));
        m.put("RFoot", List.of("Foot_R"));
        m.put("LHip", List.of("UpperLeg_L"));
        m.put("LKnee", List.of("LowerLeg_L"));
        m.put("LFoot", List.of("Foot_L"));
        m.put("Spine", List.of("Spine", "Chest"));
        m.put("Thorax", List.of("Neck"));
        m.put("Neck", List.of("Head"));
        m.put("Head", List.of("Head"));
        m.put("LShoulder", List.of("UpperArm_L"));
        m.put("LElbow", List.of("LowerArm_L"));
        m.put("LWrist", List.of("Hand_L"));
        m.put("RShoulder", List.of("UpperArm_R"));
        m.put("RElbow", List.of("LowerArm_R"));
        m.put("RWrist", List.of("Hand_R"));
        return JointMap.byNames(bvh, Skeletons.H36M17, m).withCombination("Head", orderedWeights("Head", 4.0, "Neck", -3.0));
    }

    /**
     * The CMU Graphics Lab motion capture skeleton as converted to BVH (Hips, LHipJoint, LeftUpLeg,
     * LeftLeg, LeftFoot, LowerBack, Spine, Spine1, Neck, Neck1, Head, LeftShoulder, LeftArm, LeftForeArm,
     * LeftHand, ...). Its Head End Site is the head top.
     */
    public static JointMap cmu(Skeleton bvh) {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("Hip", List.of("LeftUpLeg", "RightUpLeg"));
        m.put("RHip", List.of("RightUpLeg"));
        m.put("RKnee", List.of("RightLeg"));
        m.put("RFoot", List.of("RightFoot"));
        m.put("LHip", List.of("LeftUpLeg"));
        m.put("LKnee", List.of("LeftLeg"));
        m.put("LFoot", List.of("LeftFoot"));
        m.put("Spine", List.of("Spine"));
        m.put("Thorax", List.of("Neck"));
        m.put("Neck", List.of("Neck1"));
        m.put("Head", List.of("Head_End"));
        m.put("LShoulder", List.of("LeftArm"));
        m.put("LElbow", List.of("LeftForeArm"));
        m.put("LWrist", List.of("LeftHand"));
        m.put("RShoulder", List.of("RightArm"));
        m.put("RElbow", List.of("RightForeArm"));
        m.put("RWrist", List.of("RightHand"));
        return JointMap.byNames(bvh, Skeletons.H36M17, m);
    }

    private static Map<String, Double> orderedWeights(String a, double wa, String b, double wb) {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put(a, wa);
        w.put(b, wb);
        return w;
    }
}
