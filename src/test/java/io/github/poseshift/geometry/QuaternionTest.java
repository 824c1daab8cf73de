package io.github.poseshift.geometry;

import static io.github.poseshift.geometry.RotationTest.assertMessage;
import static io.github.poseshift.geometry.RotationTest.assertRotation;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class QuaternionTest {

    private static Quaternion random(Random random) {
        return new Quaternion(random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
    }

    @Test
    void hamiltonUnitsMultiplyAsIjEqualsK() {
        Quaternion i = new Quaternion(0, 1, 0, 0);
        Quaternion j = new Quaternion(0, 0, 1, 0);
        Quaternion k = new Quaternion(0, 0, 0, 1);
        assertEquals(k, i.multiply(j));
        assertEquals(new Quaternion(0, 0, 0, -1), j.multiply(i));
        assertEquals(i, j.multiply(k));
        assertEquals(new Quaternion(-1, 0, 0, 0), i.multiply(i));
        assertEquals(i, Quaternion.identity().multiply(i));
    }

    @Test
    void multiplyMatchesTheMatrixProduct() {
        Random random = new Random(5);
        for (int n = 0; n < 1000; n++) {
            Quaternion p = random(random);
            Quaternion q = random(random);
            assertRotation(Rotation.fromQuaternion(p).times(Rotation.fromQuaternion(q)),
                    Rotation.fromQuaternion(p.multiply(q)), "qmul");
        }
    }

    @Test
    void rotateMatchesTheMatrix() {
        Random random = new Random(6);
        for (int n = 0; n < 1000; n++) {
            Quaternion q = random(random);
            double[] v = {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()};
            assertArrayEquals(Rotation.fromQuaternion(q).apply(v), q.rotate(v), 1e-12);
        }
        double[] y = Quaternion.fromAxisAngle(new AxisAngle(0, 0, 1, Math.PI / 2)).rotate(new double[] {1, 0, 0});
        assertArrayEquals(new double[] {0, 1, 0}, y, 1e-15);
    }

    @Test
    void fromAxisAngleAgreesWithRodrigues() {
        Random random = new Random(8);
        for (int n = 0; n < 200; n++) {
            AxisAngle aa = new AxisAngle(random.nextGaussian(), random.nextGaussian(), random.nextGaussian(),
                    10 * random.nextGaussian());
            assertRotation(Rotation.fromAxisAngle(aa), Rotation.fromQuaternion(Quaternion.fromAxisAngle(aa)), "axis-angle");
        }
    }

    @Test
    void conjugateAndNorm() {
        Quaternion q = new Quaternion(1, 2, 3, 4);
        assertEquals(Math.sqrt(30), q.norm(), 1e-15);
        assertEquals(new Quaternion(1, -2, -3, -4), q.conjugate());
        Quaternion product = q.multiply(q.conjugate());
        assertArrayEquals(new double[] {30, 0, 0, 0},
                new double[] {product.w(), product.x(), product.y(), product.z()}, 1e-12);
        assertEquals(1, q.normalized().norm(), 1e-15);
        // rotate() normalises, so a scaled quaternion is the same rotation.
        double[] v = {0.3, -1, 2};
        assertArrayEquals(q.normalized().rotate(v), new Quaternion(5, 10, 15, 20).rotate(v), 1e-12);
    }

    @Test
    void rejectsBadInput() {
        assertMessage(() -> new Quaternion(0, 0, 0, 0).normalized(), "quaternion", "non-zero");
        assertMessage(() -> new Quaternion(0, 0, 0, 0).rotate(new double[] {1, 0, 0}), "non-zero");
        assertMessage(() -> new Quaternion(Double.NaN, 0, 0, 1), "w", "finite");
        assertMessage(() -> Quaternion.identity().rotate(new double[] {1, 0}), "v", "length 3");
    }
}
