package io.github.poseshift.geometry;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class RotationTest {

    static final double TOL = 1e-9;

    /** 1000 seeded rotations: uniform ones, plus angles near 0, near π, exactly π, and gimbal locks. */
    static List<Rotation> sampleRotations() {
        Random random = new Random(20240611L);
        List<Rotation> rotations = new ArrayList<>();
        double[] specialAngles = {0, 1e-15, 1e-12, 1e-8, 1e-4, Math.PI - 1e-4, Math.PI - 1e-8,
            Math.PI - 1e-12, Math.PI, -Math.PI, 2 * Math.PI - 1e-10};
        for (double angle : specialAngles) {
            for (int n = 0; n < 8; n++) {
                rotations.add(Rotation.fromAxisAngle(new AxisAngle(
                        random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), angle)));
            }
            rotations.add(Rotation.fromAxisAngle(new AxisAngle(1, 0, 0, angle)));
            rotations.add(Rotation.fromAxisAngle(new AxisAngle(0, 1, 0, angle)));
            rotations.add(Rotation.fromAxisAngle(new AxisAngle(0, 0, 1, angle)));
        }
        for (EulerOrder order : EulerOrder.values()) {
            for (double middle : new double[] {Math.PI / 2, -Math.PI / 2, Math.PI / 2 - 1e-7, -Math.PI / 2 + 1e-10}) {
                for (int n = 0; n < 5; n++) {
                    rotations.add(Rotation.fromEuler(order, angle(random), middle, angle(random)));
                }
            }
        }
        while (rotations.size() < 1000) {
            rotations.add(Rotation.fromQuaternion(new Quaternion(random.nextGaussian(),
                    random.nextGaussian(), random.nextGaussian(), random.nextGaussian())));
        }
        return rotations;
    }

    static double angle(Random random) {
        return (2 * random.nextDouble() - 1) * Math.PI;
    }

    static void assertRotation(Rotation expected, Rotation actual, String what) {
        assertTrue(expected.approxEquals(actual, TOL), () -> what + ": expected " + expected + " got " + actual);
    }

    static void assertMessage(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message \"" + e.getMessage() + "\" should contain \"" + fragment + "\"");
        }
    }

    @Test
    void roundTripsThroughEveryRepresentation() {
        List<Rotation> rotations = sampleRotations();
        assertEquals(1000, rotations.size());
        for (Rotation r : rotations) {
            assertTrue(Rotation.fromMatrix(r.toMatrix()).equals(r));
            AxisAngle aa = r.toAxisAngle();
            assertTrue(aa.angle() >= 0 && aa.angle() <= Math.PI, () -> "angle " + aa);
            assertRotation(r, Rotation.fromAxisAngle(aa), "axis-angle");
            double[] v = r.toRotationVector();
            assertRotation(r, Rotation.fromRotationVector(v[0], v[1], v[2]), "rotation vector");
            Quaternion q = r.toQuaternion();
            assertTrue(q.w() >= 0, () -> "w >= 0: " + q);
            assertEquals(1, q.norm(), 1e-15);
            assertRotation(r, Rotation.fromQuaternion(q), "quaternion");
            for (EulerOrder order : EulerOrder.values()) {
                double[] e = r.toEuler(order);
                assertTrue(Math.abs(e[1]) <= Math.PI / 2, () -> order + " middle angle " + e[1]);
                assertRotation(r, Rotation.fromEuler(order, e[0], e[1], e[2]), "Euler " + order);
            }
        }
    }

    @Test
    void eulerAnglesAreRecoveredAwayFromGimbalLock() {
        Random random = new Random(7);
        for (EulerOrder order : EulerOrder.values()) {
            for (int n = 0; n < 100; n++) {
                double[] angles = {angle(random), angle(random) / 2.01, angle(random)};
                double[] back = Rotation.fromEuler(order, angles[0], angles[1], angles[2]).toEuler(order);
                assertArrayEquals(angles, back, 1e-9, order.name());
            }
        }
    }

    @Test
    void gimbalLockPutsEverythingIntoTheFirstAngle() {
        for (EulerOrder order : EulerOrder.values()) {
            for (double middle : new double[] {Math.PI / 2, -Math.PI / 2}) {
                Rotation r = Rotation.fromEuler(order, 0.4, middle, 0.3);
                double[] e = r.toEuler(order);
                assertEquals(0, e[2], 0, order + " third angle at gimbal lock");
                assertEquals(middle, e[1], 1e-12);
                // With the A and C axes aligned the two angles add (or subtract) into the first.
                assertTrue(Math.abs(e[0] - 0.7) < 1e-12 || Math.abs(e[0] - 0.1) < 1e-12, order + " " + e[0]);
                assertRotation(r, Rotation.fromEuler(order, e[0], e[1], e[2]), order.name());
            }
        }
    }

    @Test
    void insideTheGimbalLockBandTheErrorIsAtMostTwiceCosB() {
        Random random = new Random(13);
        double cosB = 4e-10;
        for (EulerOrder order : EulerOrder.values()) {
            for (int n = 0; n < 50; n++) {
                Rotation r = Rotation.fromEuler(order, angle(random), Math.PI / 2 - cosB, angle(random));
                double[] e = r.toEuler(order);
                assertEquals(0, e[2], 0, "third angle inside the band");
                assertTrue(r.approxEquals(Rotation.fromEuler(order, e[0], e[1], e[2]), 2 * cosB + 1e-15), order.name());
            }
        }
    }

    @Test
    void elementaryRotationsFollowTheRightHandRule() {
        assertArrayEquals(new double[] {0, 1, 0}, Rotation.aboutZ(Math.PI / 2).apply(new double[] {1, 0, 0}), 1e-15);
        assertArrayEquals(new double[] {0, 0, 1}, Rotation.aboutX(Math.PI / 2).apply(new double[] {0, 1, 0}), 1e-15);
        assertArrayEquals(new double[] {1, 0, 0}, Rotation.aboutY(Math.PI / 2).apply(new double[] {0, 0, 1}), 1e-15);
        assertRotation(Rotation.aboutZ(0.8), Rotation.fromAxisAngle(new AxisAngle(0, 0, 2, 0.8)), "Rodrigues about Z");
        assertRotation(Rotation.aboutX(-1.3), Rotation.fromRotationVector(1.3, 0, 0).inverse(), "Rodrigues about X");
    }

    @Test
    void axisAngleIsAccurateNearPi() {
        Random random = new Random(3);
        for (double eps : new double[] {0, 1e-13, 1e-9, 1e-6}) {
            AxisAngle given = new AxisAngle(random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), Math.PI - eps);
            AxisAngle back = Rotation.fromAxisAngle(given).toAxisAngle();
            assertEquals(Math.PI - eps, back.angle(), 1e-12);
            double sign = Math.signum(back.ax() * given.ax() + back.ay() * given.ay() + back.az() * given.az());
            assertTrue(eps == 0 || sign > 0, "axis sign is fixed below π");
            assertArrayEquals(new double[] {given.ax(), given.ay(), given.az()},
                    new double[] {sign * back.ax(), sign * back.ay(), sign * back.az()}, 1e-9);
        }
    }

    @Test
    void axisAngleNormalisesAndHandlesTheZeroVector() {
        AxisAngle aa = new AxisAngle(0, 3, 4, 2);
        assertArrayEquals(new double[] {0, 0.6, 0.8, 2}, new double[] {aa.ax(), aa.ay(), aa.az(), aa.angle()}, 1e-15);
        assertEquals(new AxisAngle(1, 0, 0, 0), AxisAngle.fromRotationVector(0, 0, 0));
        AxisAngle tiny = AxisAngle.fromRotationVector(0, 3e-300, -4e-300);
        assertEquals(5e-300, tiny.angle(), 1e-314);
        assertArrayEquals(new double[] {0, 0.6, -0.8}, new double[] {tiny.ax(), tiny.ay(), tiny.az()}, 1e-15);
        assertArrayEquals(new double[] {0, 1.2, 1.6}, aa.toRotationVector(), 1e-15);
        assertEquals(Rotation.identity(), Rotation.fromRotationVector(0, 0, 0));
        assertMessage(() -> new AxisAngle(0, 0, 0, 1), "axis", "non-zero");
        assertMessage(() -> new AxisAngle(Double.NaN, 0, 1, 1), "ax", "finite");
        assertMessage(() -> new AxisAngle(1, 0, 0, Double.POSITIVE_INFINITY), "angle", "finite");
    }

    @Test
    void compositionOrderIsExplicit() {
        Rotation a = Rotation.aboutZ(Math.PI / 2);
        Rotation b = Rotation.aboutX(Math.PI / 2);
        double[] x = {1, 0, 0};
        // a first (x -> y), then b (y -> z).
        assertArrayEquals(new double[] {0, 0, 1}, a.then(b).apply(x), 1e-15);
        assertArrayEquals(new double[] {0, 0, 1}, b.times(a).apply(x), 1e-15);
        // b first (x stays), then a (x -> y).
        assertArrayEquals(new double[] {0, 1, 0}, a.times(b).apply(x), 1e-15);
        Random random = new Random(11);
        for (Rotation r : sampleRotations().subList(0, 200)) {
            assertRotation(Rotation.identity(), r.times(r.inverse()), "r · rᵀ");
            Rotation s = Rotation.fromRotationVector(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
            double[] v = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            assertArrayEquals(s.apply(r.apply(v)), r.then(s).apply(v), 1e-12);
        }
    }

    @Test
    void appliesToFloatTriplesInPlace() {
        float[] points = {9, 1, 2, 3};
        Rotation.aboutZ(Math.PI / 2).apply(points, 1, points, 1);
        assertArrayEquals(new float[] {9, -2, 1, 3}, points, 1e-6f);
        float[] out = new float[3];
        Rotation.aboutX(Math.PI / 2).apply(new float[] {0, 1, 0}, 0, out, 0);
        assertArrayEquals(new float[] {0, 0, 1}, out, 1e-7f);
        assertMessage(() -> Rotation.identity().apply(points, 2, out, 0), "points", "offset 2", "length is 4");
    }

    @Test
    void angleToIsTheGeodesicDistance() {
        assertEquals(0.7, Rotation.aboutZ(0.3).angleTo(Rotation.aboutZ(1.0)), 1e-15);
        assertEquals(Math.PI, Rotation.aboutX(Math.PI).angleTo(Rotation.identity()), 1e-15);
        assertEquals(Math.PI - 1e-10, Rotation.identity().angleTo(Rotation.aboutY(Math.PI - 1e-10)), 1e-15);
        assertEquals(1e-10, Rotation.aboutY(0.5).angleTo(Rotation.aboutY(0.5 + 1e-10)), 1e-16);
        assertEquals(0, Rotation.aboutY(2.0).angleTo(Rotation.aboutY(2.0)), 0);
    }

    @Test
    void matrixAccessIsCopiedAndChecked() {
        Rotation r = Rotation.aboutZ(Math.PI / 2);
        double[] m = r.toMatrix();
        m[0] = 42;
        assertEquals(Math.cos(Math.PI / 2), r.get(0, 0), 0);
        assertEquals(1, r.get(1, 0), 0);
        assertEquals(-1, r.get(0, 1), 0);
        assertMessage(() -> r.get(3, 0), "row and col", "row 3");
        assertEquals("Rotation[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]", Rotation.identity().toString());
    }

    @Test
    void fromMatrixRejectsWhatIsNotARotation() {
        assertMessage(() -> Rotation.fromMatrix(new double[] {1, 0, 0, 0, 1, 0, 0, 0, -1}), "determinant", "det = -1.0");
        assertMessage(() -> Rotation.fromMatrix(new double[] {1, 0, 0, 0, 1, 0, 0, 0.01, 1}), "orthonormal", "RᵀR");
        assertMessage(() -> Rotation.fromMatrix(new double[] {2, 0, 0, 0, 2, 0, 0, 0, 2}), "orthonormal");
        assertMessage(() -> Rotation.fromMatrix(new double[8]), "rowMajor9", "length 9", "got 8");
        assertMessage(() -> Rotation.fromMatrix(new double[] {1, 0, 0, 0, 1, 0, 0, 0, Double.NaN}), "rowMajor9", "finite");
        // Within 1e-6 the entries are accepted as given.
        Rotation.fromMatrix(new double[] {1 + 4e-7, 0, 0, 0, 1, 0, 0, 0, 1});
    }

    @Test
    void fromQuaternionNormalisesAndRejectsZero() {
        assertRotation(Rotation.aboutZ(Math.PI / 2),
                Rotation.fromQuaternion(new Quaternion(3, 0, 0, 3)), "unnormalised quaternion");
        assertMessage(() -> Rotation.fromQuaternion(new Quaternion(0, 0, 0, 0)), "quaternion", "non-zero");
    }

    @Test
    void lookAtPointsTheOpticalAxisAtTheTarget() {
        double[] eye = {3, -4, 1.5};
        double[] target = {0.2, 0.1, 0.9};
        Rotation r = Rotation.lookAt(eye, target, new double[] {0, 0, 1});
        Rotation.fromMatrix(r.toMatrix());
        double[] inCamera = r.apply(Vec3.sub(target, eye));
        assertArrayEquals(new double[] {0, 0, Vec3.norm(Vec3.sub(target, eye))}, inCamera, 1e-12);
        // World up has a negative y (up in the image) in the camera frame, and no x component.
        double[] up = r.apply(new double[] {0, 0, 1});
        assertTrue(up[1] < 0);
        assertEquals(0, up[0], 1e-15);
    }

    @Test
    void lookAtRejectsDegenerateViews() {
        assertMessage(() -> Rotation.lookAt(new double[] {1, 2, 3}, new double[] {1, 2, 3}, new double[] {0, 0, 1}),
                "eye and target must differ", "[1.0, 2.0, 3.0]");
        assertMessage(() -> Rotation.lookAt(new double[] {0, 0, 5}, new double[] {0, 0, 0}, new double[] {0, 0, 1}),
                "view direction", "parallel to worldUp", "[0.0, 0.0, -5.0]", "[0.0, 0.0, 1.0]");
        assertMessage(() -> Rotation.lookAt(new double[] {1, 0, 0}, new double[] {0, 0, 0}, new double[] {0, 0, 0}),
                "worldUp", "non-zero");
        assertMessage(() -> Rotation.lookAt(new double[] {1, 0}, new double[] {0, 0, 0}, new double[] {0, 0, 1}),
                "eye", "length 3");
    }
}
