package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files written by real NumPy are read exactly, and files we write load in NumPy. */
class NpyNumpyCrossCheckTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatNumpyWrites() throws IOException {
        ReferencePython.run(String.join("\n",
                "import numpy as np",
                "a = np.arange(2*17*3, dtype=np.float32).reshape(2, 17, 3) / 7",
                "np.save('f32.npy', a)",
                "np.save('f64.npy', np.linspace(-1, 1, 5))",
                "np.save('i64.npy', np.array([[-(2**40), 3]], dtype=np.int64))",
                "np.save('bool.npy', np.array([True, False, True]))",
                "np.save('be.npy', np.array([1.5, 2.5], dtype='>f8'))",
                "np.save('fortran.npy', np.asfortranarray(np.ones((3, 4))))",
                "np.savez('plain.npz', positions=a, fps=np.int32(50))",
                "np.savez_compressed('small.npz', positions=a)"), dir);

        float[] expected = new float[102];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = (float) i / 7f;
        }
        NpyArray f32 = Npy.read(dir.resolve("f32.npy"));
        assertArrayEquals(new int[] {2, 17, 3}, f32.shape());
        assertArrayEquals(expected, f32.toFloats());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, Npy.read(dir.resolve("f64.npy")).toDoubles());
        assertArrayEquals(new long[] {-(1L << 40), 3}, Npy.read(dir.resolve("i64.npy")).toLongs());
        assertArrayEquals(new int[] {1, 0, 1}, Npy.read(dir.resolve("bool.npy")).toInts());
        assertArrayEquals(new double[] {1.5, 2.5}, Npy.read(dir.resolve("be.npy")).toDoubles());
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(dir.resolve("fortran.npy")));
        assertTrue(e.getMessage().contains("Fortran-order"), e.getMessage());

        Map<String, NpyArray> plain = Npz.read(dir.resolve("plain.npz"));
        assertEquals(f32, plain.get("positions"));
        assertEquals(0, plain.get("fps").rank());
        assertEquals(50, plain.get("fps").toInts()[0]);
        assertEquals(f32, Npz.read(dir.resolve("small.npz")).get("positions"));
    }

    @Test
    void numpyLoadsWhatWeWrite() throws IOException {
        double[] d = new double[3 * 17 * 3];
        for (int i = 0; i < d.length; i++) {
            // Division and multiplication round the same in Java and NumPy (IEEE 754); sin does not: Java's
            // Math.sin and the C library's differ in the last bit on some processors, which failed this test.
            d[i] = i / 7.0 * 1000;
        }
        Npy.write(dir.resolve("f64.npy"), NpyArray.ofDoubles(d, 3, 17, 3));
        Npy.write(dir.resolve("u8.npy"), NpyArray.ofUint8(new byte[] {0, 127, -1}, 3));
        Npy.write(dir.resolve("scalar.npy"), NpyArray.ofFloats(new float[] {2.5f}));
        Map<String, NpyArray> z = new LinkedHashMap<>();
        z.put("a", NpyArray.ofLongs(new long[] {1, 2, 3, 4}, 2, 2));
        z.put("b", NpyArray.ofBooleans(new boolean[] {false, true}, 2));
        Npz.write(dir.resolve("s.npz"), z, false);
        Npz.write(dir.resolve("c.npz"), z, true);
        ReferencePython.run(String.join("\n",
                "import numpy as np",
                "a = np.load('f64.npy')",
                "assert a.dtype == np.float64 and a.shape == (3, 17, 3), (a.dtype, a.shape)",
                "assert np.array_equal(a.ravel(), np.arange(153) / 7.0 * 1000)",
                "u = np.load('u8.npy'); assert u.dtype == np.uint8 and list(u) == [0, 127, 255], u",
                "s = np.load('scalar.npy'); assert s.shape == () and s == np.float32(2.5), s",
                "for name in ['s.npz', 'c.npz']:",
                "    z = np.load(name)",
                "    assert list(z.keys()) == ['a', 'b'], list(z.keys())",
                "    assert z['a'].dtype == np.int64 and z['a'].tolist() == [[1, 2], [3, 4]]",
                "    assert z['b'].dtype == np.bool_ and z['b'].tolist() == [False, True]"), dir);
    }
}
