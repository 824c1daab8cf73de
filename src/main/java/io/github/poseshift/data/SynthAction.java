package io.github.poseshift.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The action repertoire of PoseShift's procedural motion: domains mix these to differ in what people do
 * (daily actions in a lab, floor and sports moves in a studio, outdoor walking, skiing).
 */
public enum SynthAction {
    WALKING("walking", "walking along a path, arm swing"),
    RUNNING("running", "running, flight phase, strong arm swing"),
    SITTING_DOWN("sitting_down", "sitting down onto a chair and back"),
    STANDING_UP("standing_up", "rising from a chair"),
    SQUATTING("squatting", "deep knee bends"),
    WAVING("waving", "standing, waving one arm overhead"),
    REACHING("reaching", "bending to pick up or reach for an object"),
    JUMPING("jumping", "jumps in place, both feet leave the floor"),
    KICKING("kicking", "kicks forward with one leg"),
    TURNING("turning", "turning on the spot"),
    STRETCHING("stretching", "stretching arms overhead and sideways"),
    FLOOR("floor", "lying, crawling and getting up from the floor"),
    SKI_TUCK("ski_tuck", "crouched downhill ski posture with turns");

    private final String key;
    private final String description;

    SynthAction(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The name used in domain JSON and action labels. */
    public String key() {
        return key;
    }

    /** What the motion looks like. */
    public String description() {
        return description;
    }

    /**
     * The action with this key (case-insensitive, '-' or ' ' accepted for '_').
     *
     * @throws IllegalArgumentException listing the known keys
     */
    public static SynthAction byKey(String key) {
        String k = key.toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        for (SynthAction a : values()) {
            if (a.key.equals(k)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown action '" + key + "'; known: "
                + Arrays.stream(values()).map(SynthAction::key).collect(Collectors.joining(", ")));
    }
}
