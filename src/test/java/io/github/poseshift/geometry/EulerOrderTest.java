package io.github.poseshift.geometry;

import static io.github.poseshift.geometry.RotationTest.assertMessage;
import static io.github.poseshift.geometry.RotationTest.assertRotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EulerOrderTest {

    @Test
    void parsesAnyCase() {
        assertEquals(EulerOrder.XYZ, EulerOrder.parse("xyz"));
        assertEquals(EulerOrder.ZXY, EulerOrder.parse("ZXY"));
        assertEquals(EulerOrder.YZX, EulerOrder.parse(" yZx "));
        for (EulerOrder order : EulerOrder.values()) {
            assertEquals(order, EulerOrder.parse(order.name().toLowerCase()));
        }
    }

    @Test
    void rejectsAnythingElse() {
        assertMessage(() -> EulerOrder.parse("xxz"), "three distinct axes", "\"xxz\"");
        assertMessage(() -> EulerOrder.parse("XY"), "three distinct axes", "\"XY\"");
        assertMessage(() -> EulerOrder.parse("XYX"), "three distinct axes");
        assertMessage(() -> EulerOrder.parse(null), "three distinct axes", "null");
        assertMessage(() -> EulerOrder.XYZ.axis(3), "position", "got 3");
    }

    @Test
    void axesAreNamedInProductOrder() {
        assertEquals(2, EulerOrder.ZXY.axis(0));
        assertEquals(0, EulerOrder.ZXY.axis(1));
        assertEquals(1, EulerOrder.ZXY.axis(2));
    }

    @Test
    void anglesComposeIntrinsicallyAsTheBvhChannels() {
        double a = 0.3;
        double b = -1.1;
        double c = 2.4;
        for (EulerOrder order : EulerOrder.values()) {
            Rotation expected = elementary(order.axis(0), a)
                    .times(elementary(order.axis(1), b))
                    .times(elementary(order.axis(2), c));
            assertRotation(expected, Rotation.fromEuler(order, a, b, c), order.name());
        }
        // BVH "Zrotation Xrotation Yrotation": R = Rz · Rx · Ry.
        assertRotation(Rotation.aboutZ(a).times(Rotation.aboutX(b)).times(Rotation.aboutY(c)),
                Rotation.fromEuler(EulerOrder.parse("ZXY"), a, b, c), "BVH ZXY");
    }

    @Test
    void intrinsicMeaningHandChecked() {
        // Turn 90° about X (new Y is old Z), then 90° about that new Y: x ends up on y.
        double[] image = Rotation.fromEuler(EulerOrder.XYZ, Math.PI / 2, Math.PI / 2, 0).apply(new double[] {1, 0, 0});
        assertArrayEquals(new double[] {0, 1, 0}, image, 1e-15);
    }

    private static Rotation elementary(int axis, double angle) {
        return switch (axis) {
            case 0 -> Rotation.aboutX(angle);
            case 1 -> Rotation.aboutY(angle);
            default -> Rotation.aboutZ(angle);
        };
    }
}
