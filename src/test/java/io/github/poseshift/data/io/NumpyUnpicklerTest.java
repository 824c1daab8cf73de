package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The safe unpickler against pickles written by the reference Python (protocols 0 to 5). */
class NumpyUnpicklerTest {

    @TempDir
    Path dir;

    private static final String VALUES = String.join("\n",
            "import pickle, sys, collections",
            "import numpy as np",
            "shared = [1, 2]",
            "obj = {",
            "    'str': 'h\\u00e9llo \\u2713', 'empty_str': '',",
            "    'small': 7, 'neg': -300, 'i32': 2**31 - 1, 'i64max': 2**63 - 1, 'i64min': -2**63,",
            "    'big': 2**64 + 5, 'negbig': -(2**70),",
            "    'float': 0.1, 'inf': float('inf'), 'none': None, 't': True, 'f': False,",
            "    'bytes': b'\\x00\\xffab', 'empty_bytes': b'', 'bytearray': bytearray(b'xy'),",
            "    'list': [1, 'two', 3.0, None], 'tuple': (1, (2, 3), ()), 'set': {1, 2}, 'frozen': frozenset({3}),",
            "    'od': collections.OrderedDict([('b', 1), ('a', 2)]), 'shared': [shared, shared],",
            "    1: 'int key', (1, 'x'): 'tuple key',",
            "    'f32': np.arange(6, dtype=np.float32).reshape(2, 3) / np.float32(3),",
            "    'f64_be': np.array([1.5, -2.25, 1e300], dtype='>f8'),",
            "    'i64': np.array([-(2**62), 5, 2**40], dtype=np.int64),",
            "    'i32_be': np.array([[1, -2], [3, 4]], dtype='>i4'),",
            "    'u8': np.array([0, 255], dtype=np.uint8), 'bools': np.array([True, False]),",
            "    'empty': np.zeros((0, 3), dtype=np.float32), 'zero_d': np.array(3.5),",
            "    'sc_f32': np.float32(1.25), 'sc_f64': np.float64(-0.1), 'sc_i64': np.int64(-5),",
            "    'sc_bool': np.bool_(True), 'sc_f64_be': np.array([2.5], dtype='>f8')[0],",
            "    'objects': np.array([1, 'a', None], dtype=object),",
            "}",
            "for p in map(int, sys.argv[1:]):",
            "    with open('values%d.pkl' % p, 'wb') as f:",
            "        pickle.dump(obj, f, protocol=p)");

    @Test
    void readsEveryValueOfProtocols2To5() throws IOException {
        ReferencePython.run(VALUES, dir, "2", "3", "4", "5");
        for (int protocol = 2; protocol <= 5; protocol++) {
            Path file = dir.resolve("values" + protocol + ".pkl");
            Object o = NumpyUnpickler.load(file);
            checkValues(assertInstanceOf(LinkedHashMap.class, o), "protocol " + protocol);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkValues(Map<Object, Object> m, String label) {
        assertEquals("h\u00e9llo \u2713", m.get("str"), label);
        assertEquals("", m.get("empty_str"), label);
        assertEquals(7L, m.get("small"), label);
        assertEquals(-300L, m.get("neg"), label);
        assertEquals((long) Integer.MAX_VALUE, m.get("i32"), label);
        assertEquals(Long.MAX_VALUE, m.get("i64max"), label);
        assertEquals(Long.MIN_VALUE, m.get("i64min"), label);
        assertEquals(BigInteger.TWO.pow(64).add(BigInteger.valueOf(5)), m.get("big"), label);
        assertEquals(BigInteger.TWO.pow(70).negate(), m.get("negbig"), label);
        assertEquals(0.1, m.get("float"), label);
        assertEquals(Double.POSITIVE_INFINITY, m.get("inf"), label);
        assertTrue(m.containsKey("none"), label);
        assertNull(m.get("none"), label);
        assertEquals(Boolean.TRUE, m.get("t"), label);
        assertEquals(Boolean.FALSE, m.get("f"), label);
        assertArrayEquals(new byte[] {0, (byte) 0xFF, 'a', 'b'}, (byte[]) m.get("bytes"), label);
        assertArrayEquals(new byte[0], (byte[]) m.get("empty_bytes"), label);
        assertArrayEquals(new byte[] {'x', 'y'}, (byte[]) m.get("bytearray"), label);

        List<Object> list = assertInstanceOf(ArrayList.class, m.get("list"), label);
        assertEquals(Arrays.asList(1L, "two", 3.0, null), list, label);
        List<Object> tuple = (List<Object>) m.get("tuple");
        assertEquals(List.of(1L, List.of(2L, 3L), List.of()), tuple, label);
        assertThrows(UnsupportedOperationException.class, () -> tuple.add(4L), "tuples are unmodifiable");
        assertEquals(Set.of(1L, 2L), m.get("set"), label);
        assertEquals(Set.of(3L), m.get("frozen"), label);
        Map<Object, Object> od = assertInstanceOf(LinkedHashMap.class, m.get("od"), label);
        assertEquals(List.of("b", "a"), new ArrayList<>(od.keySet()), label + ": OrderedDict keeps its order");
        assertEquals(List.of(1L, 2L), new ArrayList<>(od.values()), label);
        List<Object> shared = (List<Object>) m.get("shared");
        assertEquals(List.of(1L, 2L), shared.get(0), label);
        assertSame(shared.get(0), shared.get(1), label + ": the memo keeps shared objects shared");
        assertEquals("int key", m.get(1L), label);
        assertEquals("tuple key", m.get(List.of(1L, "x")), label);

        NpyArray f32 = (NpyArray) m.get("f32");
        assertEquals(NpyDType.FLOAT32, f32.dtype(), label);
        assertArrayEquals(new int[] {2, 3}, f32.shape(), label);
        float[] expected = new float[6];
        for (int i = 0; i < 6; i++) {
            expected[i] = i / 3f;
        }
        assertArrayEquals(expected, f32.toFloats(), label);
        NpyArray be = (NpyArray) m.get("f64_be");
        assertEquals(NpyDType.FLOAT64, be.dtype(), label);
        assertArrayEquals(new double[] {1.5, -2.25, 1e300}, be.toDoubles(), label);
        NpyArray i64 = (NpyArray) m.get("i64");
        assertEquals(NpyDType.INT64, i64.dtype(), label);
        assertArrayEquals(new long[] {-(1L << 62), 5, 1L << 40}, i64.toLongs(), label);
        NpyArray i32 = (NpyArray) m.get("i32_be");
        assertEquals(NpyDType.INT32, i32.dtype(), label);
        assertArrayEquals(new int[] {2, 2}, i32.shape(), label);
        assertArrayEquals(new int[] {1, -2, 3, 4}, i32.toInts(), label);
        NpyArray u8 = (NpyArray) m.get("u8");
        assertEquals(NpyDType.UINT8, u8.dtype(), label);
        assertArrayEquals(new double[] {0, 255}, u8.toDoubles(), label);
        assertEquals(NpyArray.ofBooleans(new boolean[] {true, false}, 2), m.get("bools"), label);
        NpyArray empty = (NpyArray) m.get("empty");
        assertArrayEquals(new int[] {0, 3}, empty.shape(), label);
        assertEquals(0, empty.size(), label);
        NpyArray zeroD = (NpyArray) m.get("zero_d");
        assertEquals(0, zeroD.rank(), label);
        assertEquals(3.5, zeroD.getDouble(0), label);

        assertScalar(m.get("sc_f32"), NpyDType.FLOAT32, 1.25, label);
        assertScalar(m.get("sc_f64"), NpyDType.FLOAT64, -0.1, label);
        assertScalar(m.get("sc_i64"), NpyDType.INT64, -5, label);
        assertScalar(m.get("sc_bool"), NpyDType.BOOL, 1, label);
        assertScalar(m.get("sc_f64_be"), NpyDType.FLOAT64, 2.5, label);

        NpyObjectArray objects = (NpyObjectArray) m.get("objects");
        assertArrayEquals(new int[] {3}, objects.shape(), label);
        assertEquals(Arrays.asList(1L, "a", null), objects.elements(), label);
    }

    private static void assertScalar(Object o, NpyDType dtype, double value, String label) {
        NpyArray a = assertInstanceOf(NpyArray.class, o, label);
        assertEquals(dtype, a.dtype(), label);
        assertEquals(0, a.rank(), label);
        assertEquals(value, a.getDouble(0), label);
    }

    @Test
    void readsNumpy2ModuleNames() throws IOException {
        // NumPy 2 moved numpy.core to numpy._core; protocol 2 spells globals as text lines, so the
        // reference pickle can be renamed in place.
        ReferencePython.run(String.join("\n",
                "import pickle, numpy as np",
                "b = pickle.dumps([np.array([1.0, 2.0], dtype=np.float32), np.int64(9)], protocol=2)",
                "assert b.count(b'numpy.core.multiarray\\n') == 2, b",
                "open('np2.pkl', 'wb').write(b.replace(b'numpy.core.multiarray\\n', b'numpy._core.multiarray\\n'))"),
                dir);
        List<?> l = (List<?>) NumpyUnpickler.load(dir.resolve("np2.pkl"));
        assertEquals(NpyArray.ofFloats(new float[] {1, 2}, 2), l.get(0));
        assertScalar(l.get(1), NpyDType.INT64, 9, "np2");
    }

    @Test
    void readsProtocol0NumbersAndMemo() throws IOException {
        ReferencePython.run(String.join("\n",
                "import pickle",
                "shared = [7]",
                "open('p0.pkl', 'wb').write(pickle.dumps([1, -2, 2**70, 1.5, True, False, None, {}, shared, shared], "
                        + "protocol=0))"), dir);
        List<?> l = (List<?>) NumpyUnpickler.load(dir.resolve("p0.pkl"));
        assertEquals(Arrays.asList(1L, -2L, BigInteger.TWO.pow(70), 1.5, true, false, null, Map.of(), List.of(7L),
                List.of(7L)), l);
        assertSame(l.get(8), l.get(9), "PUT and GET keep shared objects shared");

        byte[] longLine = ("L" + "1".repeat(100_000) + "L\n.").getBytes(StandardCharsets.US_ASCII);
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(longLine, "x.pkl"));
        assertEquals("x.pkl: argument of opcode 0x4c at byte 0 is longer than 4096 bytes", e.getMessage());
        byte[] longGlobal = ("c" + "m".repeat(10_000) + "\nx\n.").getBytes(StandardCharsets.US_ASCII);
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(longGlobal, "x.pkl"));
        assertEquals("x.pkl: argument of opcode 0x63 at byte 0 is longer than 4096 bytes", e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 6, 'N', '.'}, "x.pkl"));
        assertTrue(e.getMessage().startsWith("x.pkl: malformed pickle at opcode 0x80 at byte 0: unsupported pickle "
                + "protocol"), e.getMessage());
    }

    @Test
    void refusesCodeAndRunsNothing() throws IOException {
        Path marker = dir.resolve("hacked");
        ReferencePython.run(String.join("\n",
                "import os, pickle, numpy as np",
                "class Evil:",
                "    def __reduce__(self):",
                "        return (os.system, ('echo hacked > ' + " + pyString(marker.toString()) + ",))",
                "for p in (2, 5):",
                "    open('evil%d.pkl' % p, 'wb').write(pickle.dumps({'ok': [1], 'x': Evil()}, protocol=p))",
                "open('getattr.pkl', 'wb').write(pickle.dumps(getattr, protocol=4))",
                "np.savez('evil.npz', positions_3d=np.array(Evil(), dtype=object))",
                "import subprocess",
                "class Call:",
                "    def __init__(self, f, args): self.f, self.args = f, args",
                "    def __reduce__(self): return (self.f, self.args)",
                "calls = {'system': Call(os.system, ('echo hacked > ' + " + pyString(marker.toString()) + ",)),",
                "         'eval': Call(eval, (\"open(\" + repr(" + pyString(marker.toString()) + ") + \", 'w')\",)),",
                "         'popen': Call(subprocess.Popen, (['touch', " + pyString(marker.toString()) + "],))}",
                "for name, call in calls.items():",
                "    for p in (0, 1, 2, 4, 5):",
                "        open('%s%d.pkl' % (name, p), 'wb').write(pickle.dumps([1, {'x': call}], protocol=p))"), dir);
        for (int p : new int[] {2, 5}) {
            Path file = dir.resolve("evil" + p + ".pkl");
            FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(file));
            // os.system lives in the posix module, which is the name Python writes into the pickle.
            assertEquals(file + ": pickle refers to posix.system, which PoseShift does not load (only NumPy arrays, "
                    + "dicts, lists, numbers and strings)", e.getMessage());
        }
        byte[] handmade = "cos\nsystem\n(S'echo hacked'\ntR.".getBytes(StandardCharsets.US_ASCII);
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(handmade, "handmade.pkl"));
        assertTrue(e.getMessage().startsWith("handmade.pkl: pickle refers to os.system, which PoseShift does not load"),
                e.getMessage());
        // The global each pickle names, as Python 3.11 writes it for protocols 0, 1, 2, 4 and 5.
        Map<String, List<String>> calls = Map.of(
                "system", List.of("posix.system", "posix.system", "posix.system", "posix.system", "posix.system"),
                "eval", List.of("__builtin__.eval", "__builtin__.eval", "__builtin__.eval", "builtins.eval",
                        "builtins.eval"),
                "popen", List.of("commands.Popen", "commands.Popen", "commands.Popen", "subprocess.Popen",
                        "subprocess.Popen"));
        int[] protocols = {0, 1, 2, 4, 5};
        for (Map.Entry<String, List<String>> c : calls.entrySet()) {
            for (int i = 0; i < protocols.length; i++) {
                Path file = dir.resolve(c.getKey() + protocols[i] + ".pkl");
                FormatException refused = assertThrows(FormatException.class, () -> NumpyUnpickler.load(file));
                assertEquals(file + ": pickle refers to " + c.getValue().get(i) + ", which PoseShift does not load "
                        + "(only NumPy arrays, dicts, lists, numbers and strings)", refused.getMessage());
            }
        }
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(dir.resolve("getattr.pkl")));
        assertTrue(e.getMessage().contains("pickle refers to builtins.getattr"), e.getMessage());
        e = assertThrows(FormatException.class, () -> Npz.readAllowingPickles(dir.resolve("evil.npz")));
        assertTrue(e.getMessage().startsWith(dir.resolve("evil.npz") + "[positions_3d]: pickle refers to posix.system"),
                e.getMessage());
        assertFalse(Files.exists(marker), "nothing ran");
    }

    @Test
    void refusesWhatTheUnderlyingUnpicklerWouldBuild() throws IOException {
        // razorvine's Unpickler has constructors for these, and a ClassDict for any other class.
        ReferencePython.run(String.join("\n",
                "import pickle, datetime, decimal, array, collections",
                "class Point:",
                "    def __init__(self): self.x = 1",
                "Pair = collections.namedtuple('Pair', 'a b')",
                "values = {'datetime': datetime.datetime(2020, 1, 2), 'decimal': decimal.Decimal('1.5'),",
                "          'complex': 1 + 2j, 'array': array.array('d', [1.0]), 'error': ValueError('x'),",
                "          'point': Point(), 'pair': Pair(1, 2)}",
                "for name, value in values.items():",
                "    for p in (0, 1, 2, 4, 5):",
                "        open('%s%d.pkl' % (name, p), 'wb').write(pickle.dumps({'ok': 1, 'x': value}, protocol=p))"), dir);
        // The global each pickle names first, as Python 3.11 writes it for protocols 0, 1, 2, 4 and 5.
        Map<String, List<String>> refused = Map.of(
                "datetime", List.of("datetime.datetime", "datetime.datetime", "datetime.datetime", "datetime.datetime",
                        "datetime.datetime"),
                "decimal", List.of("decimal.Decimal", "decimal.Decimal", "decimal.Decimal", "decimal.Decimal",
                        "decimal.Decimal"),
                "complex", List.of("__builtin__.complex", "__builtin__.complex", "__builtin__.complex", "builtins.complex",
                        "builtins.complex"),
                "array", List.of("array.array", "array.array", "array.array", "array._array_reconstructor",
                        "array._array_reconstructor"),
                "error", List.of("exceptions.ValueError", "exceptions.ValueError", "exceptions.ValueError",
                        "builtins.ValueError", "builtins.ValueError"),
                "point", List.of("copy_reg._reconstructor", "copy_reg._reconstructor", "__main__.Point", "__main__.Point",
                        "__main__.Point"),
                "pair", List.of("copy_reg._reconstructor", "copy_reg._reconstructor", "__main__.Pair", "__main__.Pair",
                        "__main__.Pair"));
        int[] protocols = {0, 1, 2, 4, 5};
        for (Map.Entry<String, List<String>> r : refused.entrySet()) {
            for (int i = 0; i < protocols.length; i++) {
                Path file = dir.resolve(r.getKey() + protocols[i] + ".pkl");
                FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(file));
                assertEquals(file + ": pickle refers to " + r.getValue().get(i) + ", which PoseShift does not load "
                        + "(only NumPy arrays, dicts, lists, numbers and strings)", e.getMessage());
            }
        }
        // INST and OBJ call a class without REDUCE: refused as opcodes, even for a whitelisted one.
        byte[] inst = concat(new byte[] {(byte) 0x80, 2, '(', 'X', 4, 0, 0, 0},
                "echoios\nsystem\n.".getBytes(StandardCharsets.US_ASCII));
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(inst, "inst.pkl"));
        assertEquals("inst.pkl: pickle opcode 0x69 (INST) at byte 12 is not supported", e.getMessage());
        byte[] obj = concat(new byte[] {(byte) 0x80, 2, '('}, "c__builtin__\nlist\no.".getBytes(StandardCharsets.US_ASCII));
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(obj, "obj.pkl"));
        assertEquals("obj.pkl: pickle opcode 0x6f (OBJ) at byte 21 is not supported", e.getMessage());
    }

    @Test
    void deepNestingIsAFormatExceptionAndCyclesStayShared() throws IOException {
        int depth = 200_000;
        byte[] lists = new byte[2 + 2 * depth];
        lists[0] = (byte) 0x80;
        lists[1] = 4;
        Arrays.fill(lists, 2, 2 + depth, (byte) ']');
        Arrays.fill(lists, 2 + depth, 1 + 2 * depth, (byte) 'a');
        lists[lists.length - 1] = '.';
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(lists, "lists.pkl"));
        assertEquals("lists.pkl: values nested deeper than " + NumpyUnpickler.MAX_DEPTH + " levels", e.getMessage());

        byte[] tuples = new byte[4 + depth];
        tuples[0] = (byte) 0x80;
        tuples[1] = 4;
        tuples[2] = ')';
        Arrays.fill(tuples, 3, 3 + depth, (byte) 0x85); // TUPLE1
        tuples[tuples.length - 1] = '.';
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(tuples, "tuples.pkl"));
        assertEquals("tuples.pkl: values nested deeper than " + NumpyUnpickler.MAX_DEPTH + " levels", e.getMessage());

        byte[] key = concat(new byte[] {(byte) 0x80, 4, '}'}, Arrays.copyOfRange(tuples, 2, 3 + depth),
                new byte[] {'N', 's', '.'});
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(key, "key.pkl"));
        assertTrue(e.getMessage().startsWith("key.pkl: dict key or set item nested deeper than"), e.getMessage());

        // frozenset({frozenset({...})}): Java hashes nested sets recursively while adding them.
        byte[] frozen = concat(new byte[] {(byte) 0x80, 4}, "(".repeat(depth).getBytes(StandardCharsets.US_ASCII),
                new byte[depth], new byte[] {'.'});
        Arrays.fill(frozen, 2 + depth, 2 + 2 * depth, (byte) 0x91); // FROZENSET
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(frozen, "frozen.pkl"));
        assertTrue(e.getMessage().startsWith("frozen.pkl: dict key or set item nested deeper than"), e.getMessage());

        // l = []; l.append(l); t = (l,): the memo makes both cycles; they come back shared, not copied.
        byte[] cycle = {(byte) 0x80, 4, ']', (byte) 0x94, 'h', 0, 'a', (byte) 0x85, '.'};
        List<?> tuple = (List<?>) NumpyUnpickler.loads(cycle, "cycle.pkl");
        List<?> list = (List<?>) tuple.get(0);
        assertSame(list, list.get(0));
    }

    @Test
    void lyingLengthsAllocateNothingLarge() {
        // BINBYTES8 of 2^40 bytes, BINUNICODE of 4 GiB - 1, BINBYTES of 2 GiB - 1 with 3 bytes behind it.
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(
                new byte[] {(byte) 0x80, 4, (byte) 0x8e, 0, 0, 0, 0, 0, 1, 0, 0, 'a'}, "x.pkl"));
        assertEquals("x.pkl: a value of 1099511627776 bytes in opcode 0x8e at byte 2 is larger than PoseShift reads "
                + "(2 GiB)", e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(
                new byte[] {(byte) 0x80, 4, 'X', -1, -1, -1, -1, 'a'}, "x.pkl"));
        assertTrue(e.getMessage().contains("larger than PoseShift reads"), e.getMessage());
        for (int trial = 0; trial < 50; trial++) {
            e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(
                    new byte[] {(byte) 0x80, 4, 'B', -17, -1, -1, 0x7f, 'a', 'b', 'c'}, "x.pkl"));
            assertEquals("x.pkl: truncated: the pickle ends at byte 10 inside opcode 0x42 at byte 2, which declares "
                    + "2147483631 bytes", e.getMessage());
        }
        // Every opcode with a 4- or 8-byte length, measured: a few bytes of pickle allocate no gigabytes.
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int opcode : new int[] {'T', 'X', 'B', 0x8b}) { // BINSTRING, BINUNICODE, BINBYTES, LONG4
            e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(
                    new byte[] {(byte) 0x80, 4, (byte) opcode, -17, -1, -1, 0x7f, 'a', 'b', 'c'}, "x.pkl"));
            assertEquals(String.format("x.pkl: truncated: the pickle ends at byte 10 inside opcode 0x%02x at byte 2, "
                    + "which declares 2147483631 bytes", opcode), e.getMessage());
        }
        for (int opcode : new int[] {0x8d, 0x8e, 0x96}) { // BINUNICODE8, BINBYTES8, BYTEARRAY8
            e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(
                    new byte[] {(byte) 0x80, 5, (byte) opcode, -17, -1, -1, 0x7f, 0, 0, 0, 0, 'a', 'b', 'c'}, "x.pkl"));
            assertEquals(String.format("x.pkl: truncated: the pickle ends at byte 14 inside opcode 0x%02x at byte 2, "
                    + "which declares 2147483631 bytes", opcode), e.getMessage());
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 64 << 20, allocated + " bytes allocated");
    }

    @Test
    void keepsPythonsOrderOfDictsAndSets() throws IOException {
        // More than 1000 items: Python writes them in batches of 1000 (SETITEMS, ADDITEMS, APPENDS).
        ReferencePython.run(String.join("\n",
                "import pickle",
                "keys = ['k%d' % ((i * 7919) % 2500) for i in range(2500)]",
                "d = {k: i for i, k in enumerate(keys)}",
                "s, f = set(keys), frozenset(keys[:50])",
                "for p in (0, 1, 2, 4, 5):",
                "    open('order%d.pkl' % p, 'wb').write(pickle.dumps([list(d), d, list(s), s, list(f), f], protocol=p))"),
                dir);
        for (int p : new int[] {0, 1, 2, 4, 5}) {
            List<?> l = (List<?>) NumpyUnpickler.load(dir.resolve("order" + p + ".pkl"));
            Map<?, ?> d = assertInstanceOf(LinkedHashMap.class, l.get(1));
            assertEquals(l.get(0), new ArrayList<>(d.keySet()), "protocol " + p + ": dict order");
            Set<?> set = assertInstanceOf(LinkedHashSet.class, l.get(3));
            assertEquals(l.get(2), new ArrayList<>(set), "protocol " + p + ": set order");
            assertEquals(l.get(4), new ArrayList<>((Set<?>) l.get(5)), "protocol " + p + ": frozenset order");
            assertThrows(UnsupportedOperationException.class, () -> ((Set<?>) l.get(5)).clear(), "frozen");
        }
    }

    @Test
    void refusesFortranOrderAndUnsupportedDtypes() throws IOException {
        ReferencePython.run(String.join("\n",
                "import pickle, numpy as np",
                "for p in (2, 5):",
                "    open('fortran%d.pkl' % p, 'wb').write(pickle.dumps(np.asfortranarray(np.ones((2, 3))), protocol=p))",
                "open('complex.pkl', 'wb').write(pickle.dumps(np.ones(2, dtype=np.complex64), protocol=3))",
                "open('strings.pkl', 'wb').write(pickle.dumps(np.array(['a', 'b']), protocol=3))"), dir);
        for (int p : new int[] {2, 5}) {
            Path file = dir.resolve("fortran" + p + ".pkl");
            FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(file));
            assertTrue(e.getMessage().startsWith(file + ": Fortran-order array"), e.getMessage());
        }
        FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(dir.resolve("complex.pkl")));
        assertTrue(e.getMessage().contains("numpy dtype 'c8' is not supported"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.load(dir.resolve("strings.pkl")));
        assertTrue(e.getMessage().contains("numpy dtype 'U1' is not supported"), e.getMessage());
    }

    @Test
    void everyTruncationIsAFormatException() throws IOException {
        ReferencePython.run(VALUES, dir, "2", "5");
        for (int protocol : new int[] {2, 5}) {
            byte[] full = Files.readAllBytes(dir.resolve("values" + protocol + ".pkl"));
            for (int n = 0; n < full.length; n++) {
                byte[] cut = Arrays.copyOf(full, n);
                FormatException e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(cut, "cut.pkl"),
                        "protocol " + protocol + " cut at " + n);
                assertTrue(e.getMessage().startsWith("cut.pkl: "), e.getMessage());
                if (n == 0) {
                    assertEquals("cut.pkl: empty pickle", e.getMessage());
                } else {
                    assertTrue(e.getMessage().contains("truncated"), "cut at " + n + ": " + e.getMessage());
                }
            }
        }
    }

    @Test
    void malformedStreamsNameTheProblem() {
        FormatException e = assertThrows(FormatException.class,
                () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 2, (byte) 0xff}, "x.pkl"));
        assertEquals("x.pkl: unknown pickle opcode 0xff at byte 2", e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 4, 'a', '.'}, "x.pkl"));
        assertTrue(e.getMessage().startsWith("x.pkl: pickle stack underflow at opcode 0x61 at byte 2"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 4, '.'}, "x.pkl"));
        assertTrue(e.getMessage().startsWith("x.pkl: pickle stack underflow"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 4, 't', '.'}, "x.pkl"));
        assertTrue(e.getMessage().contains("no MARK"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 4, 'h', 3, '.'}, "x.pkl"));
        assertTrue(e.getMessage().contains("memo index 3"), e.getMessage());
        e = assertThrows(FormatException.class, () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 5, (byte) 0x92}, "x.pkl"));
        assertEquals("x.pkl: pickle opcode 0x92 (NEWOBJ_EX) at byte 2 is not supported", e.getMessage());
        // A list used as a dict key (Python cannot hash it either): ] ( } ] s  -> refused, no recursion.
        e = assertThrows(FormatException.class,
                () -> NumpyUnpickler.loads(new byte[] {(byte) 0x80, 2, '}', ']', 'q', 0, 'h', 0, 'a', 'N', 's', '.'}, "x.pkl"));
        assertTrue(e.getMessage().contains("unhashable"), e.getMessage());
    }

    @Test
    void corruptedPicklesFailOnlyWithFormatException() throws IOException {
        ReferencePython.run(VALUES, dir, "2", "5");
        Random random = new Random(42);
        for (int protocol : new int[] {2, 5}) {
            byte[] full = Files.readAllBytes(dir.resolve("values" + protocol + ".pkl"));
            for (int trial = 0; trial < 3000; trial++) {
                byte[] bad = full.clone();
                for (int k = 0; k < 1 + random.nextInt(3); k++) {
                    bad[random.nextInt(bad.length)] = (byte) random.nextInt(256);
                }
                try {
                    NumpyUnpickler.loads(bad, "bad.pkl");
                } catch (FormatException e) {
                    assertTrue(e.getMessage().startsWith("bad.pkl: "), e.getMessage());
                } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError e) {
                    fail("protocol " + protocol + " trial " + trial + ": " + e, e);
                }
            }
        }
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static String pyString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
