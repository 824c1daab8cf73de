package io.github.poseshift.data.synth;

import io.github.poseshift.data.SynthAction;
import java.util.Random;

/**
 * The action scripts of PoseShift's procedural motion: for time t (seconds) each fills a
 * {@link Posture} from smooth periodic or eased functions, so motion is continuous in time and its
 * velocities stay human. Per sequence, a {@link Style} varies tempo, amplitude, the acting side,
 * phases and a slow idle sway, so no two sequences are the same.
 *
 * <p>Nominal values come from the biomechanics literature in round numbers: walking at about 0.9
 * strides/s and 1.3 m/s with ±25° hip and up to 60° knee flexion; running at 1.4 strides/s and
 * 3.5 m/s; a ski tuck with 80–100° hip and knee flexion at 15–25 m/s.
 */
final class SynthActions {

    private SynthActions() {}

    /** Per-sequence variation. */
    static final class Style {
        final double tempo;
        final double amplitude;
        final int side;
        final double phase;
        final double turnRate;
        final double cruise;
        private final double[] swayFrequency = new double[6];
        private final double[] swayPhase = new double[6];

        /**
         * @param tempo     speed factor (1 = nominal)
         * @param amplitude amplitude factor (1 = nominal)
         */
        Style(double tempo, double amplitude, Random rng) {
            this.tempo = tempo;
            this.amplitude = amplitude;
            this.side = rng.nextBoolean() ? Posture.LEFT : Posture.RIGHT;
            this.phase = rng.nextDouble() * 2 * Math.PI;
            this.turnRate = (rng.nextDouble() * 2 - 1) * 12;
            this.cruise = rng.nextDouble();
            for (int i = 0; i < swayFrequency.length; i++) {
                swayFrequency[i] = 0.08 + 0.35 * rng.nextDouble();
                swayPhase[i] = rng.nextDouble() * 2 * Math.PI;
            }
        }

        /** A slow sway in [−1, 1] (channel i), for idle motion that is never exactly still. */
        double sway(int i, double t) {
            return Math.sin(2 * Math.PI * swayFrequency[i] * t + swayPhase[i]);
        }
    }

    /** Fills {@code p} with {@code action} at time {@code t}. */
    static void apply(SynthAction action, double t, Style s, Posture p) {
        p.reset();
        idle(t, s, p);
        switch (action) {
            case WALKING -> gait(t, s, p, 0.9, 1.3, 25, 60, 18, 15);
            case RUNNING -> running(t, s, p);
            case SITTING_DOWN -> sitting(t, s, p, true);
            case STANDING_UP -> sitting(t, s, p, false);
            case SQUATTING -> squatting(t, s, p);
            case WAVING -> waving(t, s, p);
            case REACHING -> reaching(t, s, p);
            case JUMPING -> jumping(t, s, p);
            case KICKING -> kicking(t, s, p);
            case TURNING -> turning(t, s, p);
            case STRETCHING -> stretching(t, s, p);
            case FLOOR -> floor(t, s, p);
            case SKI_TUCK -> skiTuck(t, s, p);
        }
        p.clampToJointLimits();
    }

    /** A few degrees of slow sway in the trunk, head and arms. */
    private static void idle(double t, Style s, Posture p) {
        p.spineSide += 2 * s.sway(0, t);
        p.chestTwist += 3 * s.sway(1, t);
        p.neckTurn += 10 * s.sway(2, t);
        p.neckNod += 5 * s.sway(3, t);
        p.shoulderFlex[0] += 4 * s.sway(4, t);
        p.shoulderFlex[1] += 4 * s.sway(5, t);
    }

    /** Cycle phase in radians for {@code frequency} cycles per second at this style's tempo. */
    private static double phase(double t, Style s, double frequency) {
        return 2 * Math.PI * frequency * s.tempo * t + s.phase;
    }

    /** Smooth 0→1→0 bump for a phase (raised cosine). */
    private static double bump(double phi) {
        return 0.5 - 0.5 * Math.cos(phi);
    }

    /** Smoothstep of x clipped to [0, 1]: eased transitions with zero velocity at both ends. */
    private static double ease(double x) {
        double c = Math.max(0, Math.min(1, x));
        return c * c * (3 - 2 * c);
    }

    /**
     * A bipedal gait: legs in antiphase, knee flexion peaking in swing, arms swinging against the legs,
     * the body travelling along its facing direction while slowly turning.
     */
    private static void gait(double t, Style s, Posture p, double strides, double speed, double hipAmp,
            double kneeAmp, double armAmp, double elbow) {
        double a = s.amplitude;
        double phi = phase(t, s, strides);
        for (int side = 0; side < 2; side++) {
            double ps = phi + side * Math.PI;
            p.hipFlex[side] = 5 + hipAmp * a * Math.sin(ps);
            // Swing-phase knee flexion: largest just after the hip passes the vertical going forward.
            p.kneeFlex[side] = 5 + kneeAmp * a * Math.pow(bump(ps + 0.6 * Math.PI), 2);
            p.shoulderFlex[side] += -armAmp * a * Math.sin(ps);
            p.elbowFlex[side] = elbow + 10 * a * bump(-ps);
        }
        p.spineTwist = 6 * a * Math.sin(phi);
        p.chestTwist -= 8 * a * Math.sin(phi);
        p.spineBend = 3;
        p.speed = speed * s.tempo * a;
        p.yawRate = s.turnRate;
    }

    private static void running(double t, Style s, Posture p) {
        gait(t, s, p, 1.4, 3.5, 40, 100, 35, 80);
        double phi = phase(t, s, 1.4);
        p.pitch = 10;
        // Two flight phases per stride, while the legs pass each other.
        p.lift = 0.07 * s.amplitude * Math.pow(Math.max(0, Math.sin(2 * phi)), 2);
    }

    /**
     * Sitting down and staying seated (doing something with the hands), or getting up from a chair and
     * standing: a 2 s eased transition with the trunk leaning forward mid-way, as people do.
     */
    private static void sitting(double t, Style s, Posture p, boolean down) {
        double start = 1.0 + s.cruise;
        double progress = ease((t * s.tempo - start) / 2.0);
        double seated = down ? progress : 1 - progress;
        double a = s.amplitude;
        for (int side = 0; side < 2; side++) {
            p.hipFlex[side] = 90 * seated;
            p.kneeFlex[side] = 3 + 87 * seated;
            p.hipAbd[side] = 8 * seated;
        }
        p.spineBend = 35 * a * Math.sin(Math.PI * progress) + 8 * seated;
        // Seated: the hands work on a table or a phone; standing: the arms hang and sway.
        double hands = 0.5 + 0.5 * Math.sin(phase(t, s, 0.3));
        p.shoulderFlex[s.side] += seated * (25 + 25 * hands * a);
        p.elbowFlex[s.side] = 10 + seated * (60 + 40 * hands);
        p.shoulderFlex[1 - s.side] += seated * 20;
        p.elbowFlex[1 - s.side] = 10 + seated * 50;
    }

    private static void squatting(double t, Style s, Posture p) {
        double depth = s.amplitude * bump(phase(t, s, 0.4));
        for (int side = 0; side < 2; side++) {
            p.hipFlex[side] = 100 * depth;
            p.kneeFlex[side] = 3 + 115 * depth;
            p.hipAbd[side] = 10 * depth;
            // Arms forward for balance.
            p.shoulderFlex[side] += 80 * depth;
            p.elbowFlex[side] = 10 + 20 * depth;
        }
        p.spineBend = 30 * depth;
    }

    private static void waving(double t, Style s, Posture p) {
        double raise = ease((t * s.tempo - 0.5) / 1.0);
        int w = s.side;
        p.shoulderAbd[w] = 6 + raise * 140 * Math.min(1, s.amplitude);
        p.shoulderFlex[w] += raise * 20;
        p.elbowFlex[w] = 10 + raise * (45 + 30 * Math.sin(phase(t, s, 2.0)) * s.amplitude);
        p.shoulderRot[w] = raise * 20 * Math.sin(phase(t, s, 2.0));
        p.spineSide = (w == Posture.LEFT ? -1 : 1) * 5 * raise;
        p.neckTurn += (w == Posture.LEFT ? 1 : -1) * 15 * raise;
        // Weight shifts from one leg to the other.
        double shift = Math.sin(phase(t, s, 0.25));
        p.hipAbd[0] = 3 + 3 * shift;
        p.hipAbd[1] = 3 - 3 * shift;
    }

    /** Bending down to pick something up from the floor and standing up with it. */
    private static void reaching(double t, Style s, Posture p) {
        double d = s.amplitude * bump(phase(t, s, 0.3));
        p.spineBend = 55 * d;
        p.chestBend = 15 * d;
        for (int side = 0; side < 2; side++) {
            p.hipFlex[side] = 45 * d;
            p.kneeFlex[side] = 3 + 45 * d;
        }
        p.shoulderFlex[s.side] += 70 * d;
        p.elbowFlex[s.side] = 10 + 10 * d;
        p.shoulderFlex[1 - s.side] += 30 * d;
        p.neckNod += 20 * d;
    }

    /** Counter-movement jumps in place: crouch, push off with an arm swing, fly, land. */
    private static void jumping(double t, Style s, Posture p) {
        double phi = phase(t, s, 0.7);
        double crouch = Math.pow(bump(phi), 2);
        double flight = Math.max(0, Math.sin(phi - 0.55 * Math.PI));
        double a = s.amplitude;
        for (int side = 0; side < 2; side++) {
            p.hipFlex[side] = 70 * a * crouch + 10 * flight;
            p.kneeFlex[side] = 3 + 85 * a * crouch + 20 * flight;
            p.shoulderFlex[side] += -40 * crouch + 150 * flight;
            p.elbowFlex[side] = 15 + 20 * crouch;
        }
        p.spineBend = 35 * a * crouch;
        p.lift = 0.3 * a * Math.pow(flight, 2);
    }

    private static void kicking(double t, Style s, Posture p) {
        double phi = phase(t, s, 0.6);
        double kick = Math.pow(bump(phi), 3);
        double chamber = Math.pow(bump(phi - 0.5), 2);
        int k = s.side;
        p.hipFlex[k] = 85 * s.amplitude * kick + 30 * chamber;
        p.kneeFlex[k] = 3 + 70 * chamber * (1 - kick);
        p.kneeFlex[1 - k] = 10;
        p.spineBend = -8 * kick;
        p.shoulderAbd[0] = 6 + 30 * kick;
        p.shoulderAbd[1] = 6 + 30 * kick;
        p.shoulderFlex[1 - k] += 30 * kick;
    }

    /** Turning on the spot with small steps. */
    private static void turning(double t, Style s, Posture p) {
        gait(t, s, p, 1.0, 0.0, 12, 35, 8, 15);
        p.yawRate = (s.side == Posture.LEFT ? 1 : -1) * 90 * s.tempo;
        p.speed = 0.1;
    }

    private static void stretching(double t, Style s, Posture p) {
        double phi = phase(t, s, 0.15);
        double up = bump(phi);
        double side = Math.sin(phi * 0.5);
        for (int k = 0; k < 2; k++) {
            p.shoulderFlex[k] += 165 * up * Math.min(1, s.amplitude);
            p.shoulderAbd[k] = 6 + 60 * (1 - up) * Math.abs(side);
            p.elbowFlex[k] = 10 + 15 * (1 - up);
        }
        p.spineSide = 20 * s.amplitude * side * up;
        p.chestSide = 10 * side * up;
        p.spineTwist = 15 * Math.sin(phi * 0.7) * (1 - up);
        p.neckNod -= 15 * up;
    }

    /**
     * On the floor: crawling on hands and knees (the trunk horizontal, limbs in a diagonal gait) and
     * lying on the back, alternating.
     */
    private static void floor(double t, Style s, Posture p) {
        p.onFloor = true;
        double cycle = (t * s.tempo + 6 * s.cruise) % 12;
        double lying = ease((cycle - 6) / 1.5) * (1 - ease((cycle - 10.5) / 1.5));
        double phi = phase(t, s, 0.6);
        double crawl = 1 - lying;
        p.pitch = 80 * crawl - 90 * lying;
        for (int side = 0; side < 2; side++) {
            double ps = phi + side * Math.PI;
            p.hipFlex[side] = crawl * (85 + 15 * Math.sin(ps)) + lying * 5;
            p.kneeFlex[side] = crawl * 90 + lying * (10 + 25 * bump(ps));
            p.shoulderFlex[side] += crawl * (80 + 15 * Math.sin(ps + Math.PI)) + lying * 10;
            p.elbowFlex[side] = 10 + crawl * 5;
        }
        p.neckNod += -40 * crawl;
        p.speed = 0.3 * crawl * s.tempo;
        p.yawRate = s.turnRate;
    }

    /** A downhill ski tuck with carved turns: lean into each turn, the outside leg a little straighter. */
    private static void skiTuck(double t, Style s, Posture p) {
        double phi = phase(t, s, 0.5);
        double lean = Math.sin(phi);
        double a = s.amplitude;
        for (int side = 0; side < 2; side++) {
            double outside = side == Posture.LEFT ? -lean : lean;
            p.hipFlex[side] = 90 * a - 10 * outside;
            p.kneeFlex[side] = 85 * a - 15 * outside;
            p.hipAbd[side] = 5;
            p.shoulderFlex[side] += 55;
            p.elbowFlex[side] = 70;
        }
        p.spineBend = 35;
        p.neckNod -= 35;
        p.roll = 20 * a * lean;
        p.speed = (15 + 10 * s.cruise) * s.tempo;
        p.yawRate = 25 * Math.cos(phi);
    }
}
