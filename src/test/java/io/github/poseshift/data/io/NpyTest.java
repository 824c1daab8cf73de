package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyTest {

    @TempDir
    Path dir;

    private NpyArray roundTrip(NpyArray a) throws IOException {
        Path f = dir.resolve("a.npy");
        Npy.write(f, a);
        assertEquals(0, (Files.size(f) - (long) a.size() * a.dtype().itemSize()) % 64, "data starts at a multiple of 64");
        return Npy.read(f);
    }

    @Test
    void everyWritableDtypeRoundTrips() throws IOException {
        float[] f = {1.5f, -2.25f, Float.MAX_VALUE, Float.MIN_VALUE, 0f, -0f};
        assertEquals(NpyArray.ofFloats(f, 2, 3), roundTrip(NpyArray.ofFloats(f, 2, 3)));
        double[] d = {Math.PI, -1e300, 4.9e-324, Double.NaN};
        NpyArray dd = roundTrip(NpyArray.ofDoubles(d, 4));
        assertArrayEquals(d, dd.toDoubles());
        assertEquals(NpyDType.FLOAT64, dd.dtype());
        assertArrayEquals(new int[] {Integer.MIN_VALUE, 7}, roundTrip(NpyArray.ofInts(new int[] {Integer.MIN_VALUE, 7}, 2)).toInts());
        assertArrayEquals(new long[] {Long.MAX_VALUE, -3}, roundTrip(NpyArray.ofLongs(new long[] {Long.MAX_VALUE, -3}, 1, 2)).toLongs());
        assertArrayEquals(new double[] {255, 0, 128}, roundTrip(NpyArray.ofUint8(new byte[] {-1, 0, -128}, 3)).toDoubles());
        NpyArray b = roundTrip(NpyArray.ofBooleans(new boolean[] {true, false, true}, 3, 1));
        assertEquals(NpyDType.BOOL, b.dtype());
        assertArrayEquals(new int[] {1, 0, 1}, b.toInts());
    }

    @Test
    void scalarsAndHigherRanksRoundTrip() throws IOException {
        NpyArray scalar = roundTrip(NpyArray.ofDoubles(new double[] {42}));
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.size());
        assertEquals(42.0, scalar.getDouble(0));

        float[] data = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        NpyArray r4 = roundTrip(NpyArray.ofFloats(data, 2, 3, 4, 5));
        assertArrayEquals(new int[] {2, 3, 4, 5}, r4.shape());
        assertArrayEquals(data, r4.toFloats());

        NpyArray empty = roundTrip(NpyArray.ofFloats(new float[0], 0, 17, 3));
        assertArrayEquals(new int[] {0, 17, 3}, empty.shape());
    }

    @Test
    void largeArraysCrossChunkBoundaries() throws IOException {
        double[] data = new double[400_000]; // 3.2 MB: several 1 MB chunks
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 1e-3;
        }
        assertArrayEquals(data, roundTrip(NpyArray.ofDoubles(data, 400, 1000)).toDoubles());
    }

    @Test
    void writtenHeaderIsWhatNumpyWrites() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(out, NpyArray.ofFloats(new float[51], 1, 17, 3));
        byte[] bytes = out.toByteArray();
        assertEquals(1, bytes[6]);
        assertEquals(0, bytes[7]);
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        String header = new String(bytes, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 17, 3), }"), header);
        assertTrue(header.endsWith("\n"));
        assertEquals(0, (10 + headerLength) % 64);
    }

    /** A .npy file built by hand: magic, version, header, data. */
    private static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int lengthBytes = major == 1 ? 2 : 4;
        ByteBuffer b = ByteBuffer.allocate(6 + 2 + lengthBytes + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'}).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) h.length);
        } else {
            b.putInt(h.length);
        }
        return b.put(h).put(data).array();
    }

    private static NpyArray readBytes(byte[] bytes) throws IOException {
        return Npy.read(new ByteArrayInputStream(bytes), "test.npy");
    }

    @Test
    void bigEndianVersion2AndOddlyFormattedHeaders() throws IOException {
        ByteBuffer data = ByteBuffer.allocate(12).order(ByteOrder.BIG_ENDIAN).putFloat(1.5f).putFloat(-2f).putFloat(3f);
        NpyArray a = readBytes(npy(2, "{ \"shape\" :(3 ,),'fortran_order':False ,   'descr':'>f4'  }\n", data.array()));
        assertArrayEquals(new float[] {1.5f, -2f, 3f}, a.toFloats());
        assertArrayEquals(new int[] {3}, a.shape());

        ByteBuffer ints = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN).putLong(-5).putLong(1L << 40);
        assertArrayEquals(new long[] {-5, 1L << 40},
                readBytes(npy(3, "{'descr': '>i8', 'fortran_order': False, 'shape': (2L,), }", ints.array())).toLongs());

        ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN)
                .putShort((short) 0x3C00).putShort((short) 0xC000).putShort((short) 0x0001);
        assertArrayEquals(new float[] {1f, -2f, 0x1p-24f},
                readBytes(npy(1, "{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", half.array())).toFloats());

        ByteBuffer unsigned = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putShort((short) -1).putShort((short) 0);
        assertEquals(4294967295.0, readBytes(npy(1, "{'descr': '<u4', 'fortran_order': False, 'shape': (1,), }",
                Arrays.copyOf(unsigned.array(), 4))).getDouble(0));
    }

    @Test
    void badFilesFailNamingTheFileAndTheProblem() throws IOException {
        assertProblem(new byte[0], "empty file");
        assertProblem("PK\3\4 this is a zip".getBytes(StandardCharsets.ISO_8859_1), "not a .npy file");
        byte[] v9 = npy(1, "{}", new byte[0]);
        v9[6] = 9;
        assertProblem(v9, "unsupported .npy format version 9.0");
        assertProblem(npy(1, "descr <f4", new byte[0]), "unparsable .npy header");
        assertProblem(npy(1, "{'descr': '<f4', 'shape': (2,)}", new byte[8]), "needs descr, fortran_order and shape");
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }", new byte[16]),
                "Fortran-order arrays are not supported");
        assertProblem(npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (1,), }", new byte[8]),
                "object arrays (pickled Python objects");
        assertProblem(npy(1, "{'descr': '<U5', 'fortran_order': False, 'shape': (1,), }", new byte[20]), "(strings)");
        assertProblem(npy(1, "{'descr': [('x', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
                "structured dtypes");
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (-1,), }", new byte[4]),
                "invalid dimension -1");
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (510,), }", new byte[1000]),
                "truncated: header declares 510 elements of float32 (2040 bytes) but only 1000 bytes follow");
        assertProblem(npy(1, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[5]),
                "unexpected bytes after the 1 elements");
    }

    @Test
    void errorsFromFilesNameThePath() throws IOException {
        Path f = dir.resolve("broken.npy");
        Files.write(f, npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", new byte[8]));
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(f));
        assertTrue(e.getMessage().startsWith(f + ": truncated"), e.getMessage());
        assertEquals(f.toString(), e.source());
    }

    /**
     * A small file whose header declares an array larger than any heap (2e9 doubles, 16 GB) is refused from its
     * length before the array is allocated (allocating it would end in OutOfMemoryError), from a file, an archive
     * entry and a stream alike.
     */
    @Test
    void aHeaderDeclaringMoreThanTheFileHoldsIsRefusedBeforeAllocating() throws IOException {
        byte[] bytes = npy(1, "{'descr': '<f8', 'fortran_order': False, 'shape': (2000000000,), }", new byte[960]);
        Path f = dir.resolve("huge.npy");
        Files.write(f, bytes);
        String problem = "truncated: header declares 2000000000 elements of float64 (16000000000 bytes) but only 960"
                + " bytes follow";
        long start = System.nanoTime();
        FormatException e = assertThrows(FormatException.class, () -> Npy.read(f));
        assertEquals(f + ": " + problem, e.getMessage());
        assertTrue(System.nanoTime() - start < 1_000_000_000L, "refused at once");
        assertEquals("test.npy: " + problem, assertThrows(FormatException.class, () -> readBytes(bytes)).getMessage());

        Path npz = dir.resolve("huge.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(npz))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("poses.npy"));
            zip.write(bytes);
            zip.closeEntry();
        }
        assertEquals(npz + "[poses]: " + problem, assertThrows(FormatException.class, () -> Npz.read(npz)).getMessage());
    }

    @Test
    void writingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("out.npy");
        Npy.write(f, NpyArray.ofInts(new int[] {1}, 1));
        Npy.write(f, NpyArray.ofInts(new int[] {2, 3}, 2));
        assertArrayEquals(new int[] {2, 3}, Npy.read(f).toInts());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void conversionsRefuseToLoseInformation() {
        assertThrows(IllegalStateException.class, () -> NpyArray.ofFloats(new float[] {1.5f}, 1).toLongs());
        assertThrows(IllegalStateException.class, () -> NpyArray.ofLongs(new long[] {1L << 40}, 1).toInts());
        assertArrayEquals(new int[] {3}, NpyArray.ofDoubles(new double[] {3.0}, 1).toInts());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NpyArray.ofFloats(new float[5], 2, 3));
        assertTrue(e.getMessage().contains("holds 6 elements but 5 were given"), e.getMessage());
    }

    @Test
    void npzRoundTripsStoredAndCompressed() throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("positions", NpyArray.ofFloats(new float[] {1, 2, 3, 4, 5, 6}, 2, 1, 3));
        arrays.put("frame_rate", NpyArray.ofInts(new int[] {50}));
        arrays.put("valid", NpyArray.ofBooleans(new boolean[] {true, false}, 2));
        for (boolean compressed : new boolean[] {false, true}) {
            Path f = dir.resolve(compressed ? "c.npz" : "s.npz");
            Npz.write(f, arrays, compressed);
            Map<String, NpyArray> back = Npz.read(f);
            assertEquals(List.of("positions", "frame_rate", "valid"), Npz.entryNames(f));
            assertEquals(arrays.keySet().stream().toList(), back.keySet().stream().toList());
            for (String k : arrays.keySet()) {
                assertEquals(arrays.get(k), back.get(k), k);
            }
        }
    }

    @Test
    void npzErrorsNameFileAndEntry() throws IOException {
        Path notZip = dir.resolve("plain.npz");
        Files.writeString(notZip, "hello");
        assertTrue(assertThrows(FormatException.class, () -> Npz.read(notZip)).getMessage()
                .startsWith(notZip + ": not a .npz (zip) archive"));

        Path withObject = dir.resolve("obj.npz");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(withObject))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("positions_2d.npy"));
            zip.write(npy(1, "{'descr': '|O', 'fortran_order': False, 'shape': (), }", new byte[4]));
            zip.closeEntry();
        }
        FormatException e = assertThrows(FormatException.class, () -> Npz.read(withObject));
        assertTrue(e.getMessage().startsWith(withObject + "[positions_2d]: object arrays"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static void assertProblem(byte[] bytes, String fragment) {
        FormatException e = assertThrows(FormatException.class, () -> readBytes(bytes));
        assertTrue(e.getMessage().startsWith("test.npy: "), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' not in: " + e.getMessage());
    }
}
