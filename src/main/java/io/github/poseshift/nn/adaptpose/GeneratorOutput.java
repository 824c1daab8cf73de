package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link MotionGenerator} makes of a batch of source windows, by name instead of by position in its
 * {@link NDList}: windows {@code [N, T, J, 3]} in metres.
 *
 * @param afterBoneAngles  after the bone generator (BA): root-relative, the source camera's axes
 * @param angleChange      1 − cos of each bone's turn, {@code [N, T, B]} (the bone-angle regulariser's quantity)
 * @param afterBoneLengths after BA and BL: the body the 3D discriminator judges
 * @param ratios           BL's length ratio per symmetric bone group, {@code [N, G]}
 * @param afterCamera      after RT: the generated camera's coordinates (what is projected)
 * @param rotations        RT's rotations {@code [N, 3, 3]}
 * @param translations     RT's translations {@code [N, 3]}
 */
public record GeneratorOutput(NDArray afterBoneAngles, NDArray angleChange, NDArray afterBoneLengths, NDArray ratios,
        NDArray afterCamera, NDArray rotations, NDArray translations) {

    /** The names of the outputs, in {@link MotionGenerator}'s order. */
    public static final List<String> NAMES = List.of("afterBoneAngles", "angleChange", "afterBoneLengths", "ratios",
            "afterCamera", "rotations", "translations");

    /**
     * The record of {@link MotionGenerator}'s output list.
     *
     * @throws IllegalArgumentException when the list does not hold its seven arrays
     */
    public static GeneratorOutput of(NDList out) {
        if (out.size() != NAMES.size()) {
            throw new IllegalArgumentException("a motion generator gives " + NAMES.size() + " arrays " + NAMES + ", got "
                    + out.size());
        }
        return new GeneratorOutput(out.get(0), out.get(1), out.get(2), out.get(3), out.get(4), out.get(5), out.get(6));
    }

    /** The arrays in {@link #NAMES}' order. */
    public List<NDArray> arrays() {
        return List.of(afterBoneAngles, angleChange, afterBoneLengths, ratios, afterCamera, rotations, translations);
    }

    /** The names of the outputs that hold a NaN or an infinity (what a diverged step reports). */
    public List<String> nonFinite() {
        List<String> bad = new ArrayList<>();
        List<NDArray> arrays = arrays();
        for (int i = 0; i < arrays.size(); i++) {
            NDArray a = arrays.get(i);
            if (a.isInfinite().logicalOr(a.isNaN()).any().getBoolean()) {
                bad.add(NAMES.get(i));
            }
        }
        return bad;
    }
}
