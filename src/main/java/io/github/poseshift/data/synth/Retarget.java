package io.github.poseshift.data.synth;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;

/**
 * Puts recorded H36M-17 motion on another body: every bone keeps its direction in every frame and takes
 * the body's length, rebuilt from the root outwards; then each frame is moved vertically so its lower
 * ankle keeps the height it had, so feet that touched the floor still do. This is how one motion
 * capture actor becomes many subjects with different proportions (the Bandai-Namco clips were recorded
 * by actors scaled to one body).
 */
public final class Retarget {

    private Retarget() {}

    /** {@code motion} (H36M-17, metres) on {@code body}, as subject {@code subject}. */
    public static PoseSequence onto(PoseSequence motion, Body body, String subject) {
        Skeleton s = motion.skeleton();
        if (!s.equals(Skeletons.H36M17)) {
            throw new IllegalArgumentException("retargeting needs H36M-17 motion, got skeleton '" + s.name() + "'");
        }
        float[] in = motion.positions();
        float[] out = new float[in.length];
        int[] parents = s.parents();
        for (int f = 0; f < motion.numFrames(); f++) {
            int base = f * 51;
            System.arraycopy(in, base, out, base, 3);
            // Joint order is parent-first in H36M-17, so each parent is placed before its children.
            for (int j = 1; j < 17; j++) {
                int p = parents[j];
                double dx = in[base + 3 * j] - in[base + 3 * p];
                double dy = in[base + 3 * j + 1] - in[base + 3 * p + 1];
                double dz = in[base + 3 * j + 2] - in[base + 3 * p + 2];
                double len = Math.sqrt(dx * dx + dy * dy + dz * dz);
                double scale = len > 0 ? body.boneLength(j) / len : 0;
                out[base + 3 * j] = (float) (out[base + 3 * p] + dx * scale);
                out[base + 3 * j + 1] = (float) (out[base + 3 * p + 1] + dy * scale);
                out[base + 3 * j + 2] = (float) (out[base + 3 * p + 2] + dz * scale);
            }
            double before = Math.min(in[base + 3 * 3 + 2], in[base + 6 * 3 + 2]);
            double after = Math.min(out[base + 3 * 3 + 2], out[base + 6 * 3 + 2]);
            float lift = (float) (before - after);
            for (int j = 0; j < 17; j++) {
                out[base + 3 * j + 2] += lift;
            }
        }
        return new PoseSequence(s, subject, motion.action(), motion.fps(), out);
    }
}
