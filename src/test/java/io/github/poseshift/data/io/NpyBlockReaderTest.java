package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link NpyBlockReader}: blocks hold exactly the rows {@link Npy#read(Path)} holds, and bad files fail on open. */
class NpyBlockReaderTest {

    @TempDir
    Path dir;

    private Path write(String name, NpyArray array) throws IOException {
        Path f = dir.resolve(name);
        Npy.write(f, array);
        return f;
    }

    /** Reads {@code file} in blocks of {@code rows} and joins them back into one array of doubles. */
    private static double[] readInBlocks(Path file, int rows) throws IOException {
        try (NpyBlockReader r = NpyBlockReader.open(file)) {
            int size = Arrays.stream(r.shape()).reduce(1, (a, b) -> a * b);
            double[] all = new double[size];
            int done = 0;
            while (r.rowsLeft() > 0) {
                NpyArray block = r.next(rows);
                assertEquals(r.dtype(), block.dtype());
                System.arraycopy(block.toDoubles(), 0, all, done, block.size());
                done += block.size();
            }
            assertEquals(size, done);
            assertThrows(NoSuchElementException.class, () -> r.next(rows));
            return all;
        }
    }

    @Test
    void blocksJoinToTheWholeArrayForEveryBlockSize() throws IOException {
        float[] f = new float[7 * 4 * 3];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) Math.sin(i) * 1000;
        }
        Path floats = write("f.npy", NpyArray.ofFloats(f, 7, 4, 3));
        double[] expected = Npy.read(floats).toDoubles();
        for (int rows : new int[] {1, 2, 3, 7, 100}) {
            assertArrayEquals(expected, readInBlocks(floats, rows), "blocks of " + rows);
        }
        try (NpyBlockReader r = NpyBlockReader.open(floats)) {
            assertArrayEquals(new int[] {7, 4, 3}, r.shape());
            assertEquals(7, r.rows());
            NpyArray first = r.next(3);
            assertArrayEquals(new int[] {3, 4, 3}, first.shape());
            assertEquals(NpyDType.FLOAT32, first.dtype());
            assertArrayEquals(Arrays.copyOf(f, 36), first.toFloats());
            assertEquals(4, r.rowsLeft());
            assertThrows(IllegalArgumentException.class, () -> r.next(0));
        }
        long[] l = {Long.MIN_VALUE, -1, 0, 1L << 53, Long.MAX_VALUE, 42};
        Path longs = write("l.npy", NpyArray.ofLongs(l, 3, 2));
        assertArrayEquals(Npy.read(longs).toDoubles(), readInBlocks(longs, 2));
        Path scalar = write("s.npy", NpyArray.ofDoubles(new double[] {2.5}));
        assertArrayEquals(new double[] {2.5}, readInBlocks(scalar, 5));
    }

    @Test
    void bigEndianFloatsAreDecodedAsNpyReadDecodesThem() throws IOException {
        float[] f = {1.5f, -2f, 3.25f, Float.MIN_VALUE, -0f, 1e30f};
        Path little = write("le.npy", NpyArray.ofFloats(f, 3, 2));
        byte[] bytes = Files.readAllBytes(little);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int descr = text.indexOf("'<f4'");
        bytes[descr + 1] = '>';
        int data = bytes.length - f.length * 4;
        for (int i = data; i < bytes.length; i += 4) {
            for (int k = 0; k < 2; k++) {
                byte t = bytes[i + k];
                bytes[i + k] = bytes[i + 3 - k];
                bytes[i + 3 - k] = t;
            }
        }
        Path big = dir.resolve("be.npy");
        Files.write(big, bytes);
        assertArrayEquals(Npy.read(big).toDoubles(), readInBlocks(big, 2));
        assertEquals(-2.0, readInBlocks(big, 1)[1]);
    }

    @Test
    void truncatedLongerAndFolderFailOnOpenNamingTheFile() throws IOException {
        Path f = write("a.npy", NpyArray.ofFloats(new float[10 * 3], 10, 3));
        byte[] bytes = Files.readAllBytes(f);
        Path shorter = dir.resolve("short.npy");
        Files.write(shorter, Arrays.copyOf(bytes, bytes.length - 5));
        assertProblem(shorter, "truncated: header declares 30 elements of float32 (120 bytes) but only 115 bytes follow");
        Path longer = dir.resolve("long.npy");
        Files.write(longer, Arrays.copyOf(bytes, bytes.length + 1));
        assertProblem(longer, "unexpected bytes after the 30 elements the header declares");
        assertProblem(dir, "is a folder, not a .npy file");
        Path text = dir.resolve("notes.npy");
        Files.writeString(text, "hello");
        assertProblem(text, "not a .npy file");
    }

    private static void assertProblem(Path file, String fragment) {
        FormatException e = assertThrows(FormatException.class, () -> NpyBlockReader.open(file).close());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
