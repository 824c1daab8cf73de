package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.SynthAction;
import io.github.poseshift.skeleton.Skeletons;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Seeded procedural H36M-17 motion: action scripts ({@link SynthActions}) give joint angles over time,
 * forward kinematics on a subject's {@link Body} gives positions (so bone lengths never change within
 * a subject), the root travels along its facing direction, and every frame is lowered or raised so the
 * soles touch the floor (or, on the floor, the lowest body part does). Same seed, same motion.
 */
public final class MotionSynthesizer {

    /** Clearance of a knee, hand or head centre above the floor when the body lies on it, metres. */
    private static final double BODY_PART_RADIUS_M = 0.05;

    /** Fastest steering turn back into the capture area, degrees per second. */
    private static final double MAX_STEERING_DEG_PER_S = 120;

    private MotionSynthesizer() {}

    /**
     * One sequence of {@code action}.
     *
     * @param body      the subject's body
     * @param frames    number of frames
     * @param fps       frames per second
     * @param tempo     speed factor (1 = nominal)
     * @param amplitude amplitude factor (1 = nominal)
     * @param areaRadius radius of the capture area the subject steers back into, metres
     * @param rng       source of the sequence's style, start position and heading
     */
    public static PoseSequence sequence(SynthAction action, Body body, String subject, int frames, double fps,
            double tempo, double amplitude, double areaRadius, Random rng) {
        double[] positions = simulate(action, body, frames, fps, tempo, amplitude, areaRadius, rng);
        float[] out = new float[positions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) positions[i];
        }
        return new PoseSequence(Skeletons.H36M17, subject, action.key(), fps, out);
    }

    /** The motion in double precision, {@code [frames][17][3]} metres (what {@link #sequence} rounds). */
    static double[] simulate(SynthAction action, Body body, int frames, double fps, double tempo, double amplitude,
            double areaRadius, Random rng) {
        if (frames <= 0 || !(fps > 0)) {
            throw new IllegalArgumentException("need frames > 0 and fps > 0, got " + frames + " and " + fps);
        }
        SynthActions.Style style = new SynthActions.Style(tempo, amplitude, rng);
        double heading = rng.nextDouble() * 360;
        double x = (rng.nextDouble() - 0.5) * 2;
        double y = (rng.nextDouble() - 0.5) * 2;
        Posture posture = new Posture();
        double[] out = new double[frames * 17 * 3];
        double dt = 1 / fps;
        for (int f = 0; f < frames; f++) {
            SynthActions.apply(action, f * dt, style, posture);
            posture.yaw += heading;
            double[] p = posture.positions(body, x, y);
            double lift = groundingShift(p, body, posture.onFloor) + posture.lift;
            for (int j = 0; j < 17; j++) {
                p[j * 3 + 2] += lift;
            }
            System.arraycopy(p, 0, out, f * 51, 51);
            // Integrate the root along the facing direction for the next frame.
            double turn = posture.yawRate + steerIntoArea(x, y, posture, areaRadius);
            double yawRad = Math.toRadians(posture.yaw);
            x += posture.speed * Math.cos(yawRad) * dt;
            y += posture.speed * Math.sin(yawRad) * dt;
            heading += turn * dt;
        }
        return out;
    }

    /**
     * Keeps a walker inside the capture area, as subjects stay inside a lab's capture volume: beyond half
     * the radius it turns towards the centre (at most {@value #MAX_STEERING_DEG_PER_S}°/s) and slows down
     * unless heading inwards, coming to a stop in the outward direction at the edge. Sets
     * {@code posture.speed} and returns the extra turning rate in degrees per second.
     */
    static double steerIntoArea(double x, double y, Posture posture, double areaRadius) {
        double distance = Math.hypot(x, y);
        if (posture.speed <= 0 || distance <= 0.5 * areaRadius) {
            return 0;
        }
        double urgency = Math.min(1, (distance - 0.5 * areaRadius) / (0.5 * areaRadius));
        double outward = Math.cos(Math.toRadians(posture.yaw) - Math.atan2(y, x));
        // Full speed inwards, half speed along the edge (so the turn fits inside), none outwards.
        posture.speed *= 1 - urgency * (1 + outward) / 2;
        double error = Math.IEEEremainder(Math.toDegrees(Math.atan2(-y, -x)) - posture.yaw, 360);
        return Math.max(-MAX_STEERING_DEG_PER_S, Math.min(MAX_STEERING_DEG_PER_S, 3 * error * urgency));
    }

    /**
     * The vertical shift that puts the body on the floor: the soles of both feet at or above z = 0 with
     * the lower one touching it; on the floor, additionally every other joint at least a body-part
     * radius above it.
     */
    static double groundingShift(double[] p, Body body, boolean onFloor) {
        double shift = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < 17; j++) {
            double clearance;
            if (j == 3 || j == 6) {
                clearance = body.ankleHeight();
            } else if (onFloor) {
                clearance = BODY_PART_RADIUS_M;
            } else {
                continue;
            }
            shift = Math.max(shift, clearance - p[j * 3 + 2]);
        }
        return shift;
    }

    /**
     * The motion of a whole synthetic domain: subjects S1..Sn with bodies from the domain's body model,
     * each performing the action mix. Per subject, each action gets sequences in proportion to its
     * weight (2 × weight, rounded, at least one), each {@code framesPerSequence}
     * long with a tempo and amplitude drawn from the domain's ranges.
     *
     * @throws IllegalArgumentException when the spec's motion source is not {@code synth}
     */
    public static List<PoseSequence> synthesize(DomainSpec spec, long seed) {
        DomainSpec.Motion m = spec.motion();
        if (m.source() != DomainSpec.MotionSource.SYNTH) {
            throw new IllegalArgumentException("domain '" + spec.name() + "' takes its motion from " + m.source()
                    + ", not from the synthesizer");
        }
        Random rng = new Random(seed);
        List<PoseSequence> out = new ArrayList<>();
        for (int s = 1; s <= m.subjects(); s++) {
            Body body = Body.sample(spec.body(), rng);
            for (Map.Entry<String, Double> a : m.actions().entrySet()) {
                SynthAction action = SynthAction.byKey(a.getKey());
                int count = (int) DomainSpec.Motion.sequencesOf(a.getValue());
                for (int k = 0; k < count; k++) {
                    out.add(sequence(action, body, "S" + s, m.framesPerSequence(), m.fps(), m.speed().sample(rng),
                            m.amplitude().sample(rng), m.areaRadiusM(), rng));
                }
            }
        }
        return out;
    }
}
