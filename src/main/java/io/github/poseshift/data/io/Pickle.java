package io.github.poseshift.data.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A small, safe reader for the part of Python's pickle format (protocols 2 to 5, and the protocol-0
 * number and memo opcodes) that NumPy object arrays saved by {@code np.savez} use: dicts, lists,
 * tuples, sets, strings, bytes, numbers, {@code None}, NumPy arrays and NumPy scalars.
 *
 * <p>It never runs code and never loads classes. A pickle names callables with {@code GLOBAL} /
 * {@code STACK_GLOBAL}; only this whitelist of data constructors is accepted, each rebuilt in Java:
 * {@code numpy.core.multiarray._reconstruct} / {@code numpy._core.multiarray._reconstruct} (with
 * {@code numpy.ndarray} and the {@code BUILD} state {@code (version, shape, dtype, is_fortran, data)}),
 * {@code numpy.core.numeric._frombuffer} / {@code numpy._core.numeric._frombuffer} (how NumPy pickles
 * arrays with protocol 5), {@code numpy.dtype}, {@code numpy.core.multiarray.scalar} /
 * {@code numpy._core.multiarray.scalar}, {@code builtins} (or Python 2's {@code __builtin__})
 * {@code set}, {@code frozenset}, {@code list}, {@code tuple}, {@code dict}, {@code bytes},
 * {@code bytearray}, {@code collections.OrderedDict} and {@code _codecs.encode} (protocol 2's
 * spelling of bytes). Any other name is refused as soon as it is read, before anything is called.
 *
 * <p>Python values become: dict → {@link LinkedHashMap}, list → {@link ArrayList}, tuple →
 * unmodifiable {@link List}, set → {@link LinkedHashSet} (frozenset unmodifiable), str →
 * {@link String}, bytes and bytearray → {@code byte[]}, int → {@link Long} (or {@link BigInteger}
 * beyond 64 bits), float → {@link Double}, bool → {@link Boolean}, None → {@code null}, numeric
 * ndarray → {@link NpyArray}, numeric NumPy scalar → rank-0 {@link NpyArray}, object ndarray →
 * {@link ObjectArray}, a bare dtype → its descriptor string such as {@code "<f8"}.
 *
 * <p>Refused with a {@link FormatException} naming the source: other callables, Fortran-order arrays,
 * string / complex / structured / datetime dtypes, unknown or unsupported opcodes (named in hex),
 * truncated streams, stack underflow, and nesting deeper than {@value #MAX_DEPTH} levels.
 */
public final class Pickle {

    /** Deepest container nesting accepted (Python's own pickler stops near 1000). */
    static final int MAX_DEPTH = 1000;

    /**
     * A NumPy array of Python objects ({@code dtype=object}), e.g. the 0-d array {@code np.savez}
     * writes for a dict: its shape and its elements in C order (unmodifiable).
     */
    public record ObjectArray(int[] shape, List<Object> elements) {

        /** @param shape dimensions; @param elements one per cell, C order */
        public ObjectArray {
            shape = shape.clone();
            elements = Collections.unmodifiableList(new ArrayList<>(elements));
        }

        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of dimensions (0 for the array {@code np.savez} makes of a dict). */
        public int rank() {
            return shape.length;
        }

        /**
         * The single element, like NumPy's {@code a.item()}.
         *
         * @throws IllegalStateException when the array does not hold exactly one element
         */
        public Object item() {
            if (elements.size() != 1) {
                throw new IllegalStateException("object array of shape " + NpyArray.shapeString(shape) + " holds "
                        + elements.size() + " elements, not 1");
            }
            return elements.get(0);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ObjectArray a && Arrays.equals(a.shape, shape) && a.elements.equals(elements);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(shape) * 31 + elements.hashCode();
        }

        @Override
        public String toString() {
            return "ObjectArray[" + NpyArray.shapeString(shape) + "]";
        }
    }

    private static final String REFUSED = ", which PoseShift does not load (only NumPy arrays, dicts, lists, "
            + "numbers and strings)";

    private Pickle() {}

    /** Reads the pickle in {@code file} (like {@code pickle.load}); errors name the file. */
    public static Object load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return load(in, file.toString());
        }
    }

    /**
     * Reads one pickle from {@code in}, stopping right after its {@code STOP} opcode.
     *
     * @param sourceName the file or archive entry, for error messages
     */
    public static Object load(InputStream in, String sourceName) throws IOException {
        return new Reader(in, sourceName).run();
    }

    /** Reads a pickle held in memory. */
    public static Object loads(byte[] pickle, String sourceName) throws IOException {
        return load(new java.io.ByteArrayInputStream(pickle), sourceName);
    }

    /** A short description of an unpickled value for error messages, e.g. {@code "a dict"}. */
    public static String describe(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof NpyArray a) {
            String article = a.dtype().numpyName().startsWith("i") ? "an " : "a ";
            return a.rank() == 0 ? article + a.dtype() + " scalar" : article + a.dtype() + " array of shape "
                    + NpyArray.shapeString(a.shape());
        } else if (o instanceof ObjectArray a) {
            return "an object array of shape " + NpyArray.shapeString(a.shape());
        } else if (o instanceof Map) {
            return "a dict";
        } else if (o instanceof ArrayList) {
            return "a list";
        } else if (o instanceof List) {
            return "a tuple";
        } else if (o instanceof Set) {
            return "a set";
        } else if (o instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        } else if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        } else if (o instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (o instanceof Long || o instanceof BigInteger) {
            return "the int " + o;
        } else if (o instanceof Double) {
            return "the float " + o;
        }
        return o.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- internal values

    /** A whitelisted callable or class named by GLOBAL / STACK_GLOBAL. */
    private record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A numpy.dtype under construction: kind and size from the constructor, byte order from BUILD. */
    private static final class DType {
        final String code;
        final NpyDType numeric; // null for object dtype
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        char orderChar = '<';

        DType(String code, NpyDType numeric) {
            this.code = code;
            this.numeric = numeric;
        }

        boolean isObject() {
            return numeric == null;
        }

        String descriptor() {
            if (numeric == null) {
                return "|O";
            }
            return (numeric.itemSize() == 1 ? '|' : orderChar) + code;
        }
    }

    /** An ndarray from {@code _reconstruct} waiting for its BUILD state; remembers its memo slots. */
    private static final class PendingArray {
        final List<Long> memoSlots = new ArrayList<>(1);
    }

    private static final Object MARK_SENTINEL = new Object();

    // ---------------------------------------------------------------- the machine

    private static final class Reader {
        private final InputStream in;
        private final String source;
        private long pos;
        private final List<Object> stack = new ArrayList<>();
        private final List<Integer> marks = new ArrayList<>();
        private final Map<Long, Object> memo = new HashMap<>();
        private int opcode;
        private long opcodePos;

        Reader(InputStream in, String source) {
            this.in = in;
            this.source = source;
        }

        Object run() throws IOException {
            while (true) {
                opcodePos = pos;
                int op = in.read();
                if (op < 0) {
                    throw error(pos == 0 ? "empty pickle" : "truncated: the pickle ends at byte " + pos
                            + " before its STOP opcode");
                }
                pos++;
                opcode = op;
                switch (op) {
                    case 0x80 -> { // PROTO
                        int proto = u8();
                        if (proto > 5) {
                            throw error("pickle protocol " + proto + " is newer than 5, the highest supported");
                        }
                    }
                    case 0x95 -> readLong8(); // FRAME: a length hint; the stream is read opcode by opcode
                    case '.' -> { // STOP
                        Object result = pop();
                        if (!stack.isEmpty() || !marks.isEmpty()) {
                            throw error("STOP leaves " + stack.size() + " values and " + marks.size()
                                    + " marks behind (malformed pickle)");
                        }
                        return finish(result, 0, new IdentityHashMap<>());
                    }
                    case '(' -> marks.add(stack.size()); // MARK
                    case '0' -> pop(); // POP
                    case '1' -> popMark(); // POP_MARK
                    case '2' -> push(peek()); // DUP
                    case 'N' -> push(null);
                    case 0x88 -> push(Boolean.TRUE);
                    case 0x89 -> push(Boolean.FALSE);
                    case 'J' -> push((long) ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt());
                    case 'K' -> push((long) u8());
                    case 'M' -> push((long) (ByteBuffer.wrap(bytes(2)).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF));
                    case 0x8a -> push(littleEndianInt(bytes(u8()))); // LONG1
                    case 0x8b -> push(littleEndianInt(bytes(length(u32())))); // LONG4
                    case 'I' -> push(textInt(line())); // INT (protocol 0; 00/01 are bools)
                    case 'L' -> push(textLong(line())); // LONG (protocol 0)
                    case 'G' -> push(ByteBuffer.wrap(bytes(8)).order(ByteOrder.BIG_ENDIAN).getDouble()); // BINFLOAT
                    case 'F' -> push(textFloat(line())); // FLOAT (protocol 0)
                    case 'U' -> push(new String(bytes(u8()), StandardCharsets.ISO_8859_1)); // SHORT_BINSTRING
                    case 'T' -> push(new String(bytes(length(signedU32())), StandardCharsets.ISO_8859_1)); // BINSTRING
                    case 0x8c -> push(utf8(bytes(u8()))); // SHORT_BINUNICODE
                    case 'X' -> push(utf8(bytes(length(u32())))); // BINUNICODE
                    case 0x8d -> push(utf8(bytes(length(readLong8())))); // BINUNICODE8
                    case 'C' -> push(bytes(u8())); // SHORT_BINBYTES
                    case 'B' -> push(bytes(length(u32()))); // BINBYTES
                    case 0x8e, 0x96 -> push(bytes(length(readLong8()))); // BINBYTES8, BYTEARRAY8
                    case '}' -> push(new LinkedHashMap<Object, Object>());
                    case ']' -> push(new ArrayList<Object>());
                    case ')' -> push(tuple(List.of()));
                    case 0x8f -> push(new LinkedHashSet<Object>()); // EMPTY_SET
                    case 0x85 -> push(tuple(popN(1)));
                    case 0x86 -> push(tuple(popN(2)));
                    case 0x87 -> push(tuple(popN(3)));
                    case 't' -> push(tuple(popMark()));
                    case 'l' -> push(new ArrayList<>(popMark()));
                    case 'd' -> push(dictOf(popMark()));
                    case 0x91 -> push(Collections.unmodifiableSet(setOf(popMark()))); // FROZENSET
                    case 'a' -> { // APPEND
                        Object v = pop();
                        listTarget(peek()).add(v);
                    }
                    case 'e' -> { // APPENDS
                        List<Object> items = popMark();
                        listTarget(peek()).addAll(items);
                    }
                    case 0x90 -> { // ADDITEMS
                        List<Object> items = popMark();
                        if (!(peek() instanceof LinkedHashSet<?>)) {
                            throw error("ADDITEMS on " + describeInternal(peek()) + ", not a set");
                        }
                        @SuppressWarnings("unchecked")
                        Set<Object> set = (Set<Object>) peek();
                        for (Object item : items) {
                            set.add(hashable(item));
                        }
                    }
                    case 's' -> { // SETITEM
                        Object v = pop();
                        Object k = pop();
                        dictTarget(peek()).put(hashable(k), v);
                    }
                    case 'u' -> { // SETITEMS
                        List<Object> kv = popMark();
                        if (kv.size() % 2 != 0) {
                            throw error("SETITEMS with an odd number (" + kv.size() + ") of keys and values");
                        }
                        Map<Object, Object> d = dictTarget(peek());
                        for (int i = 0; i < kv.size(); i += 2) {
                            d.put(hashable(kv.get(i)), kv.get(i + 1));
                        }
                    }
                    case 'p' -> memoize(parseMemoIndex(line())); // PUT
                    case 'q' -> memoize(u8()); // BINPUT
                    case 'r' -> memoize(u32()); // LONG_BINPUT
                    case 0x94 -> memoize(memo.size()); // MEMOIZE
                    case 'g' -> push(recall(parseMemoIndex(line()))); // GET
                    case 'h' -> push(recall(u8())); // BINGET
                    case 'j' -> push(recall(u32())); // LONG_BINGET
                    case 'c' -> { // GLOBAL
                        String module = line();
                        String name = line();
                        push(global(module, name));
                    }
                    case 0x93 -> { // STACK_GLOBAL
                        Object name = pop();
                        Object module = pop();
                        if (!(module instanceof String m) || !(name instanceof String n)) {
                            throw error("STACK_GLOBAL needs two strings, got " + describeInternal(module) + " and "
                                    + describeInternal(name));
                        }
                        push(global(m, n));
                    }
                    case 'R' -> { // REDUCE
                        Object args = pop();
                        Object callable = pop();
                        push(call(callable, args));
                    }
                    case 0x81 -> { // NEWOBJ: cls.__new__(cls, *args)
                        Object args = pop();
                        Object cls = pop();
                        push(call(cls, args));
                    }
                    case 'b' -> { // BUILD
                        Object state = pop();
                        build(state);
                    }
                    default -> throw error(unsupported(op));
                }
            }
        }

        // ------------------------------------------------------------ opcode helpers

        private String unsupported(int op) {
            String name = switch (op) {
                case 'P' -> "PERSID";
                case 'Q' -> "BINPERSID";
                case 'i' -> "INST";
                case 'o' -> "OBJ";
                case 0x92 -> "NEWOBJ_EX";
                case 0x82 -> "EXT1";
                case 0x83 -> "EXT2";
                case 0x84 -> "EXT4";
                case 0x97 -> "NEXT_BUFFER";
                case 0x98 -> "READONLY_BUFFER";
                case 'S' -> "STRING";
                case 'V' -> "UNICODE";
                default -> null;
            };
            String hex = String.format(Locale.ROOT, "0x%02x", op);
            return name == null ? "unknown pickle opcode " + hex + " at byte " + opcodePos
                    : "pickle opcode " + hex + " (" + name + ") at byte " + opcodePos + " is not supported";
        }

        private String opName() {
            return String.format(Locale.ROOT, "opcode 0x%02x at byte %d", opcode, opcodePos);
        }

        private FormatException error(String problem) {
            return new FormatException(source, problem);
        }

        private int u8() throws IOException {
            return bytes(1)[0] & 0xFF;
        }

        private long u32() throws IOException {
            return ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFFFFFFL;
        }

        private long signedU32() throws IOException {
            int n = ByteBuffer.wrap(bytes(4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (n < 0) {
                throw error("negative length " + n + " in " + opName());
            }
            return n;
        }

        private long readLong8() throws IOException {
            long n = ByteBuffer.wrap(bytes(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (n < 0) {
                throw error("length beyond 2^63 in " + opName());
            }
            return n;
        }

        private int length(long n) throws FormatException {
            if (n > Integer.MAX_VALUE - 16) {
                throw error("a value of " + n + " bytes in " + opName() + " is larger than PoseShift reads (2 GiB)");
            }
            return (int) n;
        }

        /** Exactly {@code n} bytes; readNBytes grows its buffer as data arrives, so a lying length cannot
         * make us allocate more than the stream holds. */
        private byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            pos += b.length;
            if (b.length < n) {
                throw error("truncated: the pickle ends at byte " + pos + " inside " + opName() + ", which needs "
                        + n + " more bytes");
            }
            return b;
        }

        /** A newline-terminated ASCII argument (protocol 0 style, also GLOBAL). */
        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int c = in.read();
                if (c < 0) {
                    throw error("truncated: the pickle ends at byte " + pos + " inside " + opName());
                }
                pos++;
                if (c == '\n') {
                    return sb.toString();
                }
                if (sb.length() > 4096) {
                    throw error("argument of " + opName() + " is longer than 4096 characters");
                }
                sb.append((char) c);
            }
        }

        private String utf8(byte[] b) throws FormatException {
            try {
                return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(b)).toString();
            } catch (java.nio.charset.CharacterCodingException e) {
                // Python writes lone surrogates with 'surrogatepass'; keep going with replacement chars.
                return new String(b, StandardCharsets.UTF_8);
            }
        }

        private static Object littleEndianInt(byte[] le) {
            if (le.length == 0) {
                return 0L;
            }
            byte[] be = new byte[le.length];
            for (int i = 0; i < le.length; i++) {
                be[i] = le[le.length - 1 - i];
            }
            return normalize(new BigInteger(be));
        }

        private static Object normalize(BigInteger v) {
            return v.bitLength() < 64 ? (Object) v.longValue() : v;
        }

        private Object textInt(String s) throws FormatException {
            if (s.equals("00")) {
                return Boolean.FALSE;
            }
            if (s.equals("01")) {
                return Boolean.TRUE;
            }
            return textLong(s);
        }

        private Object textLong(String s) throws FormatException {
            String t = s.endsWith("L") ? s.substring(0, s.length() - 1) : s;
            try {
                return normalize(new BigInteger(t.strip()));
            } catch (NumberFormatException e) {
                throw error("bad integer '" + s + "' in " + opName());
            }
        }

        private Object textFloat(String s) throws FormatException {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                throw error("bad float '" + s + "' in " + opName());
            }
        }

        private long parseMemoIndex(String s) throws FormatException {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                throw error("bad memo index '" + s + "' in " + opName());
            }
        }

        private void push(Object o) {
            stack.add(o);
        }

        private Object pop() throws FormatException {
            int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
            if (stack.size() <= floor) {
                throw error("pickle stack underflow at " + opName());
            }
            return stack.remove(stack.size() - 1);
        }

        private Object peek() throws FormatException {
            int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
            if (stack.size() <= floor) {
                throw error("pickle stack underflow at " + opName());
            }
            return stack.get(stack.size() - 1);
        }

        private List<Object> popN(int n) throws FormatException {
            int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
            if (stack.size() - n < floor) {
                throw error("pickle stack underflow at " + opName() + " (needs " + n + " values)");
            }
            List<Object> top = new ArrayList<>(stack.subList(stack.size() - n, stack.size()));
            stack.subList(stack.size() - n, stack.size()).clear();
            return top;
        }

        private List<Object> popMark() throws FormatException {
            if (marks.isEmpty()) {
                throw error("pickle stack underflow at " + opName() + ": no MARK before it");
            }
            int at = marks.remove(marks.size() - 1);
            List<Object> items = new ArrayList<>(stack.subList(at, stack.size()));
            stack.subList(at, stack.size()).clear();
            return items;
        }

        private void memoize(long index) throws FormatException {
            Object top = peek();
            memo.put(index, top);
            if (top instanceof PendingArray p) {
                p.memoSlots.add(index);
            }
        }

        private Object recall(long index) throws FormatException {
            if (!memo.containsKey(index)) {
                throw error("memo index " + index + " read at " + opName() + " was never stored");
            }
            return memo.get(index);
        }

        private static List<Object> tuple(List<Object> items) {
            return Collections.unmodifiableList(Arrays.asList(items.toArray()));
        }

        private Map<Object, Object> dictOf(List<Object> kv) throws FormatException {
            if (kv.size() % 2 != 0) {
                throw error("DICT with an odd number (" + kv.size() + ") of keys and values");
            }
            Map<Object, Object> d = new LinkedHashMap<>();
            for (int i = 0; i < kv.size(); i += 2) {
                d.put(hashable(kv.get(i)), kv.get(i + 1));
            }
            return d;
        }

        private Set<Object> setOf(Collection<?> items) throws FormatException {
            Set<Object> set = new LinkedHashSet<>();
            for (Object item : items) {
                set.add(hashable(item));
            }
            return set;
        }

        /**
         * Refuses what Python cannot hash either (lists, dicts, sets, arrays, and tuples holding them)
         * as dict keys and set items, so a crafted self-containing list cannot send hashCode into an
         * endless recursion.
         */
        private Object hashable(Object key) throws FormatException {
            checkHashable(key, 0);
            return key;
        }

        private void checkHashable(Object key, int depth) throws FormatException {
            if (depth > MAX_DEPTH) {
                throw error("dict key or set item nested deeper than " + MAX_DEPTH + " levels (" + opName() + ")");
            }
            if (key instanceof List<?> t && !(key instanceof ArrayList)) {
                for (Object x : t) {
                    checkHashable(x, depth + 1);
                }
            } else if (key instanceof ArrayList || key instanceof Map || key instanceof LinkedHashSet
                    || key instanceof NpyArray || key instanceof ObjectArray || key instanceof PendingArray) {
                throw error("unhashable dict key or set item: " + describeInternal(key) + " (" + opName() + ")");
            }
        }

        @SuppressWarnings("unchecked")
        private List<Object> listTarget(Object o) throws FormatException {
            if (o instanceof ArrayList<?> l) {
                return (List<Object>) l;
            }
            throw error("APPEND to " + describeInternal(o) + ", not a list (" + opName() + ")");
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dictTarget(Object o) throws FormatException {
            if (o instanceof LinkedHashMap<?, ?> m) {
                return (Map<Object, Object>) m;
            }
            throw error("SETITEM on " + describeInternal(o) + ", not a dict (" + opName() + ")");
        }

        private String describeInternal(Object o) {
            if (o instanceof Global g) {
                return g.qualified();
            } else if (o instanceof DType d) {
                return "a dtype";
            } else if (o instanceof PendingArray) {
                return "an array under construction";
            }
            return describe(o);
        }

        // ------------------------------------------------------------ globals and calls

        private Global global(String module, String name) throws FormatException {
            String m = module.equals("__builtin__") ? "builtins" : module;
            Global g = new Global(m, name);
            switch (g.qualified()) {
                case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct",
                        "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar",
                        "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer",
                        "numpy.ndarray", "numpy.dtype",
                        "builtins.set", "builtins.frozenset", "builtins.list", "builtins.tuple", "builtins.dict",
                        "builtins.bytes", "builtins.bytearray", "collections.OrderedDict", "_codecs.encode" -> {
                    return g;
                }
                default -> throw error("pickle refers to " + module + "." + name + REFUSED);
            }
        }

        private Object call(Object callable, Object argsObject) throws FormatException {
            if (!(callable instanceof Global g)) {
                throw error(opName() + " calls " + describeInternal(callable) + ", which is not callable");
            }
            if (!(argsObject instanceof List<?> argList) || argsObject instanceof ArrayList) {
                throw error(opName() + " calls " + g.qualified() + " with " + describeInternal(argsObject)
                        + " instead of an argument tuple");
            }
            List<?> args = argList;
            String what = g.qualified();
            switch (what) {
                case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct" -> {
                    if (args.isEmpty() || !(args.get(0) instanceof Global cls) || !cls.qualified().equals("numpy.ndarray")) {
                        throw error(what + " is asked to build " + (args.isEmpty() ? "nothing"
                                : describeInternal(args.get(0))) + "; only numpy.ndarray is supported");
                    }
                    return new PendingArray();
                }
                case "numpy.ndarray" -> {
                    return new PendingArray();
                }
                case "numpy.dtype" -> {
                    return dtype(args);
                }
                case "numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar" -> {
                    return scalar(args);
                }
                case "numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer" -> {
                    return frombuffer(args);
                }
                case "_codecs.encode" -> {
                    return encode(args);
                }
                default -> {
                    return construct(g, args);
                }
            }
        }

        /** list / tuple / set / frozenset / dict / OrderedDict / bytes / bytearray, from at most one iterable. */
        private Object construct(Global g, List<?> args) throws FormatException {
            if (args.size() > 1) {
                throw error(g.qualified() + " called with " + args.size() + " arguments (" + opName() + ")");
            }
            Object arg = args.isEmpty() ? null : args.get(0);
            switch (g.name()) {
                case "bytes", "bytearray" -> {
                    if (arg == null) {
                        return new byte[0];
                    }
                    if (arg instanceof byte[] b) {
                        return b.clone();
                    }
                    throw error(g.qualified() + " of " + describeInternal(arg) + " is not supported (" + opName() + ")");
                }
                case "dict", "OrderedDict" -> {
                    Map<Object, Object> d = new LinkedHashMap<>();
                    if (arg instanceof Map<?, ?> m) {
                        for (Map.Entry<?, ?> e : m.entrySet()) {
                            d.put(e.getKey(), e.getValue());
                        }
                    } else if (arg != null) {
                        for (Object pair : items(g, arg)) {
                            if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                                throw error(g.qualified() + " needs (key, value) pairs, got "
                                        + describeInternal(pair) + " (" + opName() + ")");
                            }
                            d.put(hashable(kv.get(0)), kv.get(1));
                        }
                    }
                    return d;
                }
                default -> {
                    Collection<?> items = arg == null ? List.of() : items(g, arg);
                    return switch (g.name()) {
                        case "list" -> new ArrayList<Object>(items);
                        case "tuple" -> tuple(new ArrayList<>(items));
                        case "set" -> setOf(items);
                        case "frozenset" -> Collections.unmodifiableSet(setOf(items));
                        default -> throw error("pickle refers to " + g.qualified() + REFUSED);
                    };
                }
            }
        }

        private Collection<?> items(Global g, Object arg) throws FormatException {
            if (arg instanceof Collection<?> c) {
                return c;
            }
            throw error(g.qualified() + " of " + describeInternal(arg) + " is not supported (" + opName() + ")");
        }

        private byte[] encode(List<?> args) throws FormatException {
            if (args.isEmpty() || !(args.get(0) instanceof String text)) {
                throw error("_codecs.encode needs a string (" + opName() + ")");
            }
            String encoding = args.size() > 1 && args.get(1) instanceof String e ? e : "utf-8";
            Charset charset = switch (encoding.toLowerCase(Locale.ROOT).replace('_', '-')) {
                case "latin1", "latin-1", "iso-8859-1", "iso8859-1" -> StandardCharsets.ISO_8859_1;
                case "utf-8", "utf8" -> StandardCharsets.UTF_8;
                case "ascii" -> StandardCharsets.US_ASCII;
                default -> throw error("_codecs.encode with encoding '" + encoding + "' is not supported ("
                        + opName() + ")");
            };
            if (charset == StandardCharsets.ISO_8859_1) {
                for (int i = 0; i < text.length(); i++) {
                    if (text.charAt(i) > 0xFF) {
                        throw error("_codecs.encode: character U+" + Integer.toHexString(text.charAt(i))
                                + " is not latin-1 (" + opName() + ")");
                    }
                }
            }
            return text.getBytes(charset);
        }

        private DType dtype(List<?> args) throws FormatException {
            if (args.isEmpty() || !(args.get(0) instanceof String code)) {
                throw error("numpy.dtype needs a type code string (" + opName() + ")");
            }
            if (code.matches("O\\d*")) {
                return new DType(code, null);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("([biuf])(\\d+)").matcher(code);
            NpyDType t = m.matches() ? NpyDType.of(m.group(1).charAt(0), Integer.parseInt(m.group(2))) : null;
            if (t == null) {
                throw error("numpy dtype '" + code + "' is not supported; PoseShift reads bool, int8-64, uint8-64, "
                        + "float16/32/64 and object arrays");
            }
            return new DType(code, t);
        }

        private DType dtypeArg(Object o, String where) throws FormatException {
            if (o instanceof DType d) {
                return d;
            }
            throw error(where + " needs a numpy dtype, got " + describeInternal(o) + " (" + opName() + ")");
        }

        private Object scalar(List<?> args) throws FormatException {
            if (args.size() != 2) {
                throw error("numpy scalar needs (dtype, data), got " + args.size() + " arguments (" + opName() + ")");
            }
            DType d = dtypeArg(args.get(0), "numpy scalar");
            if (d.isObject()) {
                return args.get(1);
            }
            if (!(args.get(1) instanceof byte[] raw)) {
                throw error("numpy scalar of dtype " + d.descriptor() + " needs raw bytes, got "
                        + describeInternal(args.get(1)) + " (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, new int[0], raw, source);
        }

        private Object frombuffer(List<?> args) throws FormatException {
            if (args.size() != 4 || !(args.get(0) instanceof byte[] raw)) {
                throw error("_frombuffer needs (bytes, dtype, shape, order) (" + opName() + ")");
            }
            DType d = dtypeArg(args.get(1), "_frombuffer");
            if (d.isObject()) {
                throw error("_frombuffer of an object dtype is not supported (" + opName() + ")");
            }
            int[] shape = shape(args.get(2));
            if (!"C".equals(args.get(3))) {
                throw error("Fortran-order array (order " + describeInternal(args.get(3)) + ") in the pickle is not "
                        + "supported; pickle np.ascontiguousarray(a) instead (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, shape, raw, source);
        }

        private int[] shape(Object o) throws FormatException {
            if (!(o instanceof List<?> dims)) {
                throw error("array shape must be a tuple, got " + describeInternal(o) + " (" + opName() + ")");
            }
            int[] shape = new int[dims.size()];
            for (int i = 0; i < shape.length; i++) {
                if (!(dims.get(i) instanceof Long v) || v < 0 || v > Integer.MAX_VALUE) {
                    throw error("invalid dimension " + describeInternal(dims.get(i)) + " in array shape ("
                            + opName() + ")");
                }
                shape[i] = (int) (long) v;
            }
            return shape;
        }

        // ------------------------------------------------------------ BUILD

        private void build(Object state) throws FormatException {
            Object target = peek();
            if (target instanceof PendingArray pending) {
                Object array = buildArray(state);
                stack.set(stack.size() - 1, array);
                for (long slot : pending.memoSlots) {
                    if (memo.get(slot) == pending) {
                        memo.put(slot, array);
                    }
                }
            } else if (target instanceof DType d) {
                buildDType(d, state);
            } else if (state == null) {
                return; // set / OrderedDict reductions carry no state
            } else {
                throw error("BUILD with state on " + describeInternal(target) + " is not supported (" + opName() + ")");
            }
        }

        private void buildDType(DType d, Object state) throws FormatException {
            if (!(state instanceof List<?> s) || s.size() < 2 || !(s.get(1) instanceof String order)) {
                throw error("unexpected numpy dtype state " + describeInternal(state) + " (" + opName() + ")");
            }
            if (s.size() > 3 && s.get(3) != null) {
                throw error("structured numpy dtypes (records with named fields) are not supported (" + opName() + ")");
            }
            if (s.size() > 2 && s.get(2) != null) {
                throw error("numpy sub-array dtypes are not supported (" + opName() + ")");
            }
            switch (order) {
                case ">" -> {
                    d.order = ByteOrder.BIG_ENDIAN;
                    d.orderChar = '>';
                }
                case "<", "|", "=" -> {
                    d.order = ByteOrder.LITTLE_ENDIAN;
                    d.orderChar = '<';
                }
                default -> throw error("unknown byte order '" + order + "' in numpy dtype state (" + opName() + ")");
            }
        }

        /** State {@code (version, shape, dtype, is_fortran, data)}, or the 4-tuple without version. */
        private Object buildArray(Object state) throws FormatException {
            if (!(state instanceof List<?> s) || state instanceof ArrayList || (s.size() != 5 && s.size() != 4)) {
                throw error("unexpected numpy array state " + describeInternal(state)
                        + "; expected (version, shape, dtype, is_fortran, data) (" + opName() + ")");
            }
            int o = s.size() - 4;
            int[] shape = shape(s.get(o));
            DType d = dtypeArg(s.get(o + 1), "array state");
            if (!(s.get(o + 2) instanceof Boolean fortran)) {
                throw error("array state: is_fortran must be a bool, got " + describeInternal(s.get(o + 2))
                        + " (" + opName() + ")");
            }
            Object data = s.get(o + 3);
            long count = 1;
            for (int dim : shape) {
                count *= dim;
            }
            if (fortran && shape.length > 1 && count > 1) {
                throw error("Fortran-order array of shape " + NpyArray.shapeString(shape) + " in the pickle is not "
                        + "supported; pickle np.ascontiguousarray(a) instead (" + opName() + ")");
            }
            if (d.isObject()) {
                if (!(data instanceof ArrayList<?> elements)) {
                    throw error("object array state holds " + describeInternal(data) + " instead of a list of elements ("
                            + opName() + ")");
                }
                if (elements.size() != count) {
                    throw error("object array of shape " + NpyArray.shapeString(shape) + " lists " + elements.size()
                            + " elements (" + opName() + ")");
                }
                return new ObjectArray(shape, new ArrayList<>(elements));
            }
            if (!(data instanceof byte[] raw)) {
                throw error("array of dtype " + d.descriptor() + " holds " + describeInternal(data)
                        + " instead of raw bytes (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, shape, raw, source);
        }

        // ------------------------------------------------------------ final pass

        /** Replaces bare dtypes by their descriptor and refuses leftovers that are not data. */
        private Object finish(Object o, int depth, IdentityHashMap<Object, Boolean> seen) throws FormatException {
            if (depth > MAX_DEPTH) {
                throw error("values nested deeper than " + MAX_DEPTH + " levels");
            }
            if (o instanceof DType d) {
                return d.descriptor();
            } else if (o instanceof Global g) {
                throw error("pickle holds a bare reference to " + g.qualified() + ", which is not data");
            } else if (o instanceof PendingArray) {
                throw error("pickle holds a numpy array without its BUILD state");
            } else if (o instanceof ObjectArray a) {
                List<Object> els = new ArrayList<>(a.elements());
                boolean changed = false;
                for (int i = 0; i < els.size(); i++) {
                    Object v = finish(els.get(i), depth + 1, seen);
                    changed |= v != els.get(i);
                    els.set(i, v);
                }
                return changed ? new ObjectArray(a.shape(), els) : a;
            }
            if (!(o instanceof Collection<?> || o instanceof Map<?, ?>) || seen.put(o, Boolean.TRUE) != null) {
                return o;
            }
            if (o instanceof ArrayList<?> l) {
                @SuppressWarnings("unchecked")
                List<Object> list = (List<Object>) l;
                for (int i = 0; i < list.size(); i++) {
                    list.set(i, finish(list.get(i), depth + 1, seen));
                }
                return list;
            } else if (o instanceof List<?> t) { // tuple (unmodifiable)
                Object[] items = t.toArray();
                boolean changed = false;
                for (int i = 0; i < items.length; i++) {
                    Object v = finish(items[i], depth + 1, seen);
                    changed |= v != items[i];
                    items[i] = v;
                }
                return changed ? tuple(Arrays.asList(items)) : t;
            } else if (o instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<Object, Object> map = (Map<Object, Object>) m;
                List<Map.Entry<Object, Object>> entries = new ArrayList<>(map.entrySet());
                boolean keysChanged = false;
                List<Object[]> rebuilt = new ArrayList<>(entries.size());
                for (Map.Entry<Object, Object> e : entries) {
                    Object k = finish(e.getKey(), depth + 1, seen);
                    Object v = finish(e.getValue(), depth + 1, seen);
                    keysChanged |= k != e.getKey();
                    rebuilt.add(new Object[] {k, v});
                }
                if (keysChanged) {
                    map.clear();
                }
                for (int i = 0; i < rebuilt.size(); i++) {
                    if (keysChanged) {
                        map.put(rebuilt.get(i)[0], rebuilt.get(i)[1]);
                    } else {
                        entries.get(i).setValue(rebuilt.get(i)[1]);
                    }
                }
                return map;
            } else if (o instanceof Set<?> s) {
                List<Object> items = new ArrayList<>();
                boolean changed = false;
                for (Object x : s) {
                    Object v = finish(x, depth + 1, seen);
                    changed |= v != x;
                    items.add(v);
                }
                if (!changed) {
                    return s;
                }
                Set<Object> copy = new LinkedHashSet<>(items);
                return s instanceof LinkedHashSet ? copy : Collections.unmodifiableSet(copy);
            }
            return o;
        }
    }
}
