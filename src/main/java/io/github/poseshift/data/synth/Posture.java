package io.github.poseshift.data.synth;

import io.github.poseshift.geometry.Rotation;

/**
 * The joint angles of one frame of procedural motion, in degrees, plus how the root moves. An action
 * script ({@link SynthActions}) fills it for time t; {@link #positions} turns it into H36M-17 joint
 * positions by forward kinematics on a {@link Body}. Angles are anatomical: flexion moves a limb
 * forward (knee and elbow flexion bend the joint), abduction moves it away from the body's midline,
 * a positive trunk bend leans forward, a positive side bend leans left, a positive twist turns left.
 *
 * <p>Angles are clamped to human joint ranges ({@link #clampToJointLimits}) before kinematics, so a
 * large amplitude factor can never bend a knee backwards.
 */
final class Posture {

    /** Root orientation: facing direction (about world Z), forward lean, sideways lean. */
    double yaw;
    double pitch;
    double roll;
    /** Forward speed along the facing direction (m/s), turning rate (degrees/s). */
    double speed;
    double yawRate;
    /** Extra height of the root above the grounded height (a jump's flight), metres, never negative. */
    double lift;
    /** Whether any joint may touch the floor (crawling, lying) rather than only the feet. */
    boolean onFloor;

    double spineBend;
    double spineSide;
    double spineTwist;
    double chestBend;
    double chestSide;
    double chestTwist;
    double neckNod;
    double neckTurn;

    /** Index 0 is the left side, 1 the right side. */
    final double[] hipFlex = new double[2];
    final double[] hipAbd = new double[2];
    final double[] hipRot = new double[2];
    final double[] kneeFlex = new double[2];
    final double[] shoulderFlex = new double[2];
    final double[] shoulderAbd = new double[2];
    final double[] shoulderRot = new double[2];
    final double[] elbowFlex = new double[2];

    static final int LEFT = 0;
    static final int RIGHT = 1;

    /** Resets to the neutral standing posture facing +X. */
    void reset() {
        yaw = pitch = roll = speed = yawRate = lift = 0;
        onFloor = false;
        spineBend = spineSide = spineTwist = chestBend = chestSide = chestTwist = neckNod = neckTurn = 0;
        for (double[] a : new double[][] {hipFlex, hipAbd, hipRot, kneeFlex, shoulderFlex, shoulderAbd, shoulderRot,
            elbowFlex}) {
            a[0] = 0;
            a[1] = 0;
        }
        // Relaxed standing: slight knee and elbow flexion, arms a little away from the body.
        kneeFlex[0] = kneeFlex[1] = 3;
        elbowFlex[0] = elbowFlex[1] = 10;
        shoulderAbd[0] = shoulderAbd[1] = 6;
    }

    /**
     * Clamps every angle to the range of motion of a healthy adult (degrees; from the usual clinical
     * tables: hip flexion −30…130, abduction −30…50, knee 0…150, shoulder flexion −60…180, abduction
     * −30…180, elbow 0…150, trunk bend −30…90 over spine and chest together).
     */
    void clampToJointLimits() {
        for (int s = 0; s < 2; s++) {
            hipFlex[s] = clamp(hipFlex[s], -30, 130);
            hipAbd[s] = clamp(hipAbd[s], -30, 50);
            hipRot[s] = clamp(hipRot[s], -40, 40);
            kneeFlex[s] = clamp(kneeFlex[s], 0, 150);
            shoulderFlex[s] = clamp(shoulderFlex[s], -60, 180);
            shoulderAbd[s] = clamp(shoulderAbd[s], -30, 180);
            shoulderRot[s] = clamp(shoulderRot[s], -70, 70);
            elbowFlex[s] = clamp(elbowFlex[s], 0, 150);
        }
        spineBend = clamp(spineBend, -15, 60);
        chestBend = clamp(chestBend, -15, 30);
        spineSide = clamp(spineSide, -30, 30);
        chestSide = clamp(chestSide, -20, 20);
        spineTwist = clamp(spineTwist, -30, 30);
        chestTwist = clamp(chestTwist, -30, 30);
        neckNod = clamp(neckNod, -40, 60);
        neckTurn = clamp(neckTurn, -70, 70);
        lift = Math.max(0, lift);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /**
     * Forward kinematics: H36M-17 joint positions {@code [17][3]} of {@code body} in this posture, with
     * the root at (x, y, 0) before grounding (the caller lifts the body onto the floor).
     */
    double[] positions(Body body, double x, double y) {
        double[] p = new double[17 * 3];
        Rotation root = Rotation.aboutZ(rad(yaw)).times(Rotation.aboutY(rad(pitch))).times(Rotation.aboutX(rad(roll)));
        p[0] = x;
        p[1] = y;
        // Legs: the hip offset turns with the pelvis, the thigh with the hip joint, the shin with the knee.
        leg(body, p, root, 4, LEFT, +1);
        leg(body, p, root, 1, RIGHT, -1);
        // Trunk: lower spine bends at the pelvis, the chest at the spine joint, the head at the thorax.
        Rotation lower = root.times(trunk(spineBend, spineSide, spineTwist));
        place(p, 7, 0, lower, body.restOffset(7));
        Rotation upper = lower.times(trunk(chestBend, chestSide, chestTwist));
        place(p, 8, 7, upper, body.restOffset(8));
        Rotation head = upper.times(Rotation.aboutZ(rad(neckTurn))).times(Rotation.aboutY(rad(neckNod)));
        place(p, 9, 8, head, body.restOffset(9));
        place(p, 10, 9, head, body.restOffset(10));
        arm(body, p, upper, 11, LEFT, +1);
        arm(body, p, upper, 14, RIGHT, -1);
        return p;
    }

    private void leg(Body body, double[] p, Rotation pelvis, int hip, int side, int sign) {
        place(p, hip, 0, pelvis, body.restOffset(hip));
        // Flexion about −y brings the knee forward; abduction about ±x moves it outward.
        Rotation thigh = pelvis.times(Rotation.aboutY(-rad(hipFlex[side])))
                .times(Rotation.aboutX(sign * rad(hipAbd[side]))).times(Rotation.aboutZ(sign * rad(hipRot[side])));
        place(p, hip + 1, hip, thigh, body.restOffset(hip + 1));
        Rotation shin = thigh.times(Rotation.aboutY(rad(kneeFlex[side])));
        place(p, hip + 2, hip + 1, shin, body.restOffset(hip + 2));
    }

    private void arm(Body body, double[] p, Rotation chest, int shoulder, int side, int sign) {
        place(p, shoulder, 8, chest, body.restOffset(shoulder));
        Rotation upperArm = chest.times(Rotation.aboutY(-rad(shoulderFlex[side])))
                .times(Rotation.aboutX(sign * rad(shoulderAbd[side]))).times(Rotation.aboutZ(sign * rad(shoulderRot[side])));
        place(p, shoulder + 1, shoulder, upperArm, body.restOffset(shoulder + 1));
        Rotation forearm = upperArm.times(Rotation.aboutY(-rad(elbowFlex[side])));
        place(p, shoulder + 2, shoulder + 1, forearm, body.restOffset(shoulder + 2));
    }

    /** Twist about z, then forward bend about y, then side bend (positive to the left) about −x. */
    private static Rotation trunk(double bend, double side, double twist) {
        return Rotation.aboutZ(rad(twist)).times(Rotation.aboutY(rad(bend))).times(Rotation.aboutX(-rad(side)));
    }

    private static void place(double[] p, int joint, int parent, Rotation frame, double[] offset) {
        double[] o = frame.apply(offset);
        for (int a = 0; a < 3; a++) {
            p[joint * 3 + a] = p[parent * 3 + a] + o[a];
        }
    }

    private static double rad(double degrees) {
        return Math.toRadians(degrees);
    }
}
