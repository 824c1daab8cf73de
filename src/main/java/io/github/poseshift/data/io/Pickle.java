package io.github.poseshift.data.io;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.UnpickleStack;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the Python pickles inside NumPy object arrays ({@code np.savez} of dicts, lists, tuples, sets,
 * strings, bytes, numbers, {@code None}, NumPy arrays and NumPy scalars), protocols 2 to 5 and the
 * protocol-0 number and memo opcodes. The opcode machine is razorvine's {@link Unpickler}; this class
 * decides what a pickle may name and turns the result into PoseShift's types.
 *
 * <p>It never runs code and never loads classes. Every opcode passes the adapter's {@code dispatch}
 * first: opcodes that only push, pop or memoize plain data go to razorvine; {@code GLOBAL},
 * {@code STACK_GLOBAL}, {@code REDUCE}, {@code NEWOBJ} and {@code BUILD} are handled here; every other
 * opcode that names or calls something ({@code INST}, {@code OBJ}, {@code NEWOBJ_EX}, persistent ids,
 * extension codes, out-of-band buffers) is refused. razorvine's registry of constructors (datetime,
 * decimal, a {@code ClassDict} for any unknown class) is never consulted. A global is accepted only
 * from this whitelist of data constructors, each rebuilt in Java:
 * {@code numpy.core.multiarray._reconstruct} / {@code numpy._core.multiarray._reconstruct} (with
 * {@code numpy.ndarray} and the {@code BUILD} state {@code (version, shape, dtype, is_fortran, data)}),
 * {@code numpy.core.numeric._frombuffer} / {@code numpy._core.numeric._frombuffer} (how NumPy pickles
 * arrays with protocol 5), {@code numpy.dtype}, {@code numpy.core.multiarray.scalar} /
 * {@code numpy._core.multiarray.scalar}, {@code builtins} (or Python 2's {@code __builtin__})
 * {@code set}, {@code frozenset}, {@code list}, {@code tuple}, {@code dict}, {@code bytes},
 * {@code bytearray}, {@code collections.OrderedDict} and {@code _codecs.encode} (protocol 2's
 * spelling of bytes). Any other name is refused as soon as it is read, before anything is called.
 *
 * <p>Also handled here rather than by razorvine, which trusts its input: dicts and sets (razorvine's
 * are unordered and hash keys unchecked; here they keep Python's order and refuse unhashable keys, so
 * a self-containing list cannot send {@code hashCode} into endless recursion), the stack (an opcode
 * may not pop below its {@code MARK}), memo reads (to name a missing index), strings and bytes with a
 * 4- or 8-byte length (read as the data arrives, so a corrupt length cannot allocate gigabytes), text
 * arguments (at most {@value #MAX_LINE} bytes) and the conversion of the result, whose depth is
 * bounded so deep nesting cannot overflow the Java stack.
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

    /** Longest argument of an opcode razorvine reads: a protocol-0 number or memo index, GLOBAL's names. */
    private static final int MAX_LINE = 4096;

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
        return new SafeUnpickler(in, sourceName).run();
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

    // ---------------------------------------------------------------- values that live only while reading

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

    /** An ndarray made by {@code _reconstruct}; its BUILD state fills in the array (memo references see it). */
    private static final class PendingArray {
        Object array; // NpyArray or ObjectArray once built
    }

    /** A frozenset: may be a dict key, may not grow by ADDITEMS. */
    private static final class FrozenSet extends LinkedHashSet<Object> {}

    /** An opcode popped below its MARK or from an empty stack; the detail completes the message. */
    private static final class StackUnderflow extends RuntimeException {
        StackUnderflow(String detail) {
            super(detail, null, false, false);
        }
    }

    /** A text argument longer than {@value #MAX_LINE} bytes. */
    private static final class LineTooLong extends IOException {}

    /**
     * Counts the bytes read, so errors name their byte, notes the end of the data (truncation), and
     * refuses to read past {@code limit}, so no endless text line reaches razorvine's number parsing.
     */
    private static final class Cursor extends FilterInputStream {
        long position;
        long limit = Long.MAX_VALUE;
        boolean atEnd;

        Cursor(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (position >= limit) {
                throw new LineTooLong();
            }
            int b = super.read();
            if (b < 0) {
                atEnd = true;
            } else {
                position++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len > 0 && position >= limit) {
                throw new LineTooLong();
            }
            int n = super.read(b, off, (int) Math.min(len, limit - position));
            if (n < 0) {
                atEnd = true;
            } else {
                position += n;
            }
            return n;
        }
    }

    /** razorvine's stack with Python's rule that an opcode only reaches the values above its MARK. */
    private static final class GuardedStack extends UnpickleStack {
        private final List<Integer> markPositions = new ArrayList<>();

        @Override
        public void add_mark() {
            markPositions.add(size());
            super.add_mark();
        }

        @Override
        public Object pop() {
            requireValueAboveMark();
            return super.pop();
        }

        @Override
        public Object peek() {
            requireValueAboveMark();
            return super.peek();
        }

        @Override
        public List<Object> pop_all_since_marker() {
            if (markPositions.isEmpty()) {
                throw new StackUnderflow(": no MARK before it");
            }
            int marker = markPositions.remove(markPositions.size() - 1);
            Object[] items = new Object[size() - marker - 1];
            for (int i = items.length - 1; i >= 0; i--) {
                items[i] = super.pop();
            }
            super.pop(); // the marker
            return new ArrayList<>(Arrays.asList(items));
        }

        int openMarks() {
            return markPositions.size();
        }

        private void requireValueAboveMark() {
            int floor = markPositions.isEmpty() ? 0 : markPositions.get(markPositions.size() - 1) + 1;
            if (size() <= floor) {
                throw new StackUnderflow("");
            }
        }
    }

    // ---------------------------------------------------------------- the machine

    private static final class SafeUnpickler extends Unpickler {

        /**
         * Opcodes razorvine runs: each pushes, pops, copies or memoizes plain data, with an argument of at
         * most 255 bytes or one text line.
         */
        private static final BitSet DELEGATED = opcodes(Opcodes.PROTO, Opcodes.FRAME, Opcodes.MARK, Opcodes.POP,
                Opcodes.DUP, Opcodes.NONE, Opcodes.NEWTRUE, Opcodes.NEWFALSE, Opcodes.INT, Opcodes.BININT,
                Opcodes.BININT1, Opcodes.BININT2, Opcodes.LONG, Opcodes.LONG1, Opcodes.FLOAT, Opcodes.BINFLOAT,
                Opcodes.SHORT_BINSTRING, Opcodes.SHORT_BINUNICODE, Opcodes.SHORT_BINBYTES, Opcodes.EMPTY_LIST,
                Opcodes.LIST, Opcodes.APPEND, Opcodes.APPENDS, Opcodes.EMPTY_TUPLE, Opcodes.TUPLE, Opcodes.TUPLE1,
                Opcodes.TUPLE2, Opcodes.TUPLE3, Opcodes.PUT, Opcodes.BINPUT, Opcodes.LONG_BINPUT, Opcodes.MEMOIZE,
                Opcodes.GET);

        private static final Pattern NUMERIC_CODE = Pattern.compile("([biuf])(\\d+)");

        private final Cursor in;
        private final String source;
        private final GuardedStack values = new GuardedStack();
        private final Map<Object, Object> converted = new IdentityHashMap<>();
        private int opcode;
        private long opcodePos;

        SafeUnpickler(InputStream in, String source) {
            this.in = new Cursor(in);
            this.source = source;
            this.stack = values;
            this.input = this.in;
        }

        private static BitSet opcodes(short... ops) {
            BitSet set = new BitSet(256);
            for (short op : ops) {
                set.set(op);
            }
            return set;
        }

        Object run() throws IOException {
            while (true) {
                opcodePos = in.position;
                in.limit = Long.MAX_VALUE;
                opcode = in.read();
                if (opcode < 0) {
                    throw error(opcodePos == 0 ? "empty pickle" : "truncated: the pickle ends at byte " + opcodePos
                            + " before its STOP opcode");
                }
                Object result;
                try {
                    result = dispatch((short) opcode);
                } catch (StackUnderflow e) {
                    throw error("pickle stack underflow at " + opName() + e.getMessage());
                } catch (FormatException e) {
                    throw e;
                } catch (LineTooLong e) {
                    throw error("argument of " + opName() + " is longer than " + MAX_LINE + " bytes");
                } catch (IOException | RuntimeException e) {
                    // razorvine reports a short read as IOException or, for one-byte lengths, as a negative array size.
                    if (in.atEnd) {
                        throw new FormatException(source, "truncated: the pickle ends at byte " + in.position
                                + " inside " + opName(), e);
                    }
                    if (e instanceof IOException io) {
                        throw io; // the underlying stream failed, e.g. a corrupt zip entry
                    }
                    throw new FormatException(source, "malformed pickle at " + opName() + ": "
                            + (e instanceof ClassCastException ? "a value of the wrong kind is on the stack"
                            : e instanceof PickleException ? e.getMessage() : e.toString()), e);
                }
                if (result != NO_RETURN_VALUE) {
                    return toJava(result, 0);
                }
            }
        }

        @Override
        protected Object dispatch(short op) throws IOException {
            switch (op) {
                case Opcodes.STOP -> {
                    Object result = values.pop();
                    if (values.size() > 0) {
                        throw error("STOP leaves " + (values.size() - values.openMarks()) + " values and "
                                + values.openMarks() + " marks behind (malformed pickle)");
                    }
                    return result;
                }
                case Opcodes.POP_MARK -> values.pop_all_since_marker();
                case Opcodes.LONG4 -> values.add(PickleUtils.decode_long(bytes(signedLength())));
                case Opcodes.BINSTRING -> values.add(PickleUtils.rawStringFromBytes(bytes(signedLength())));
                case Opcodes.BINUNICODE -> values.add(new String(bytes(length(u32())), StandardCharsets.UTF_8));
                case Opcodes.BINUNICODE8 -> values.add(new String(bytes(length(u64())), StandardCharsets.UTF_8));
                case Opcodes.BINBYTES -> values.add(bytes(length(u32())));
                case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> values.add(bytes(length(u64())));
                case Opcodes.BINGET -> values.add(recall(u8()));
                case Opcodes.LONG_BINGET -> values.add(recall(PickleUtils.bytes_to_integer(bytes(4))));
                case Opcodes.EMPTY_DICT -> values.add(new LinkedHashMap<Object, Object>());
                case Opcodes.DICT -> values.add(putPairs(new LinkedHashMap<>(), values.pop_all_since_marker(), "DICT"));
                case Opcodes.SETITEM -> {
                    Object value = values.pop();
                    Object key = values.pop();
                    dictTarget(values.peek()).put(hashable(key), value);
                }
                case Opcodes.SETITEMS -> {
                    List<Object> pairs = values.pop_all_since_marker();
                    putPairs(dictTarget(values.peek()), pairs, "SETITEMS");
                }
                case Opcodes.EMPTY_SET -> values.add(new LinkedHashSet<Object>());
                case Opcodes.ADDITEMS -> {
                    List<Object> items = values.pop_all_since_marker();
                    Object target = values.peek();
                    if (!(target instanceof LinkedHashSet<?> set) || target instanceof FrozenSet) {
                        throw error("ADDITEMS on " + describeRaw(target) + ", not a set");
                    }
                    @SuppressWarnings("unchecked")
                    Set<Object> s = (Set<Object>) set;
                    addAll(s, items);
                }
                case Opcodes.FROZENSET -> values.add(addAll(new FrozenSet(), values.pop_all_since_marker()));
                case Opcodes.GLOBAL -> {
                    in.limit = in.position + MAX_LINE;
                    String module = PickleUtils.readline(in);
                    String name = PickleUtils.readline(in);
                    if (in.atEnd) { // readline returns what it has at the end of the data
                        throw error("truncated: the pickle ends at byte " + in.position + " inside " + opName());
                    }
                    values.add(global(module, name));
                }
                case Opcodes.STACK_GLOBAL -> {
                    Object name = values.pop();
                    Object module = values.pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error("STACK_GLOBAL needs two strings, got " + describeRaw(module) + " and "
                                + describeRaw(name));
                    }
                    values.add(global(m, n));
                }
                case Opcodes.REDUCE, Opcodes.NEWOBJ -> { // callable(*args); NEWOBJ: cls.__new__(cls, *args)
                    Object args = values.pop();
                    Object callable = values.pop();
                    values.add(call(callable, args));
                }
                case Opcodes.BUILD -> build(values.pop());
                default -> {
                    if (!DELEGATED.get(op)) {
                        throw error(unsupported(op));
                    }
                    in.limit = in.position + MAX_LINE;
                    return super.dispatch(op);
                }
            }
            return NO_RETURN_VALUE;
        }

        // ------------------------------------------------------------ reading arguments

        private String unsupported(int op) {
            String name = switch (op) {
                case Opcodes.PERSID -> "PERSID";
                case Opcodes.BINPERSID -> "BINPERSID";
                case Opcodes.INST -> "INST";
                case Opcodes.OBJ -> "OBJ";
                case Opcodes.NEWOBJ_EX -> "NEWOBJ_EX";
                case Opcodes.EXT1 -> "EXT1";
                case Opcodes.EXT2 -> "EXT2";
                case Opcodes.EXT4 -> "EXT4";
                case Opcodes.NEXT_BUFFER -> "NEXT_BUFFER";
                case Opcodes.READONLY_BUFFER -> "READONLY_BUFFER";
                case Opcodes.STRING -> "STRING";
                case Opcodes.UNICODE -> "UNICODE";
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
            return PickleUtils.bytes_to_uint(bytes(4), 0);
        }

        private int signedLength() throws IOException {
            int n = PickleUtils.bytes_to_integer(bytes(4));
            if (n < 0) {
                throw error("negative length " + n + " in " + opName());
            }
            return length(n);
        }

        private long u64() throws IOException {
            long n = PickleUtils.bytes_to_long(bytes(8), 0);
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
         * make it allocate more than the stream holds. */
        private byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw error("truncated: the pickle ends at byte " + in.position + " inside " + opName()
                        + ", which declares " + n + " bytes");
            }
            return b;
        }

        private Object recall(int index) throws FormatException {
            if (!memo.containsKey(index)) {
                throw error("memo index " + index + " read at " + opName() + " was never stored");
            }
            return memo.get(index);
        }

        // ------------------------------------------------------------ dicts and sets

        private Map<Object, Object> putPairs(Map<Object, Object> dict, List<Object> keysAndValues, String op)
                throws FormatException {
            if (keysAndValues.size() % 2 != 0) {
                throw error(op + " with an odd number (" + keysAndValues.size() + ") of keys and values");
            }
            for (int i = 0; i < keysAndValues.size(); i += 2) {
                dict.put(hashable(keysAndValues.get(i)), keysAndValues.get(i + 1));
            }
            return dict;
        }

        private Set<Object> addAll(Set<Object> set, Collection<?> items) throws FormatException {
            for (Object item : items) {
                set.add(hashable(item));
            }
            return set;
        }

        @SuppressWarnings("unchecked")
        private Map<Object, Object> dictTarget(Object o) throws FormatException {
            if (o instanceof LinkedHashMap<?, ?> m) {
                return (Map<Object, Object>) m;
            }
            throw error("SETITEM on " + describeRaw(o) + ", not a dict (" + opName() + ")");
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
            if (key instanceof Object[] || key instanceof FrozenSet) {
                for (Object x : key instanceof Object[] tuple ? Arrays.asList(tuple) : (FrozenSet) key) {
                    checkHashable(x, depth + 1);
                }
            } else if (key instanceof Collection || key instanceof Map || key instanceof NpyArray
                    || key instanceof ObjectArray || key instanceof PendingArray) {
                throw error("unhashable dict key or set item: " + describeRaw(key) + " (" + opName() + ")");
            }
        }

        private String describeRaw(Object o) {
            if (o instanceof Global g) {
                return g.qualified();
            } else if (o instanceof DType) {
                return "a dtype";
            } else if (o instanceof PendingArray) {
                return "an array under construction";
            } else if (o instanceof Object[]) {
                return "a tuple";
            } else if (o instanceof Integer i) {
                return "the int " + i;
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
                throw error(opName() + " calls " + describeRaw(callable) + ", which is not callable");
            }
            if (!(argsObject instanceof Object[] args)) {
                throw error(opName() + " calls " + g.qualified() + " with " + describeRaw(argsObject)
                        + " instead of an argument tuple");
            }
            String what = g.qualified();
            switch (what) {
                case "numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct" -> {
                    if (args.length == 0 || !(args[0] instanceof Global cls) || !cls.qualified().equals("numpy.ndarray")) {
                        throw error(what + " is asked to build " + (args.length == 0 ? "nothing"
                                : describeRaw(args[0])) + "; only numpy.ndarray is supported");
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
        private Object construct(Global g, Object[] args) throws FormatException {
            if (args.length > 1) {
                throw error(g.qualified() + " called with " + args.length + " arguments (" + opName() + ")");
            }
            Object arg = args.length == 0 ? null : args[0];
            switch (g.name()) {
                case "bytes", "bytearray" -> {
                    if (arg == null) {
                        return new byte[0];
                    }
                    if (arg instanceof byte[] b) {
                        return b.clone();
                    }
                    throw error(g.qualified() + " of " + describeRaw(arg) + " is not supported (" + opName() + ")");
                }
                case "dict", "OrderedDict" -> {
                    Map<Object, Object> d = new LinkedHashMap<>();
                    if (arg instanceof Map<?, ?> m) {
                        d.putAll(m);
                    } else if (arg != null) {
                        for (Object pair : items(g, arg)) {
                            Object[] kv = pair instanceof Object[] t ? t : pair instanceof List<?> l ? l.toArray() : null;
                            if (kv == null || kv.length != 2) {
                                throw error(g.qualified() + " needs (key, value) pairs, got " + describeRaw(pair)
                                        + " (" + opName() + ")");
                            }
                            d.put(hashable(kv[0]), kv[1]);
                        }
                    }
                    return d;
                }
                default -> {
                    Collection<?> items = arg == null ? List.of() : items(g, arg);
                    return switch (g.name()) {
                        case "list" -> new ArrayList<Object>(items);
                        case "tuple" -> items.toArray();
                        case "set" -> addAll(new LinkedHashSet<>(), items);
                        case "frozenset" -> addAll(new FrozenSet(), items);
                        default -> throw error("pickle refers to " + g.qualified() + REFUSED);
                    };
                }
            }
        }

        private Collection<?> items(Global g, Object arg) throws FormatException {
            if (arg instanceof Collection<?> c) {
                return c;
            } else if (arg instanceof Object[] tuple) {
                return Arrays.asList(tuple);
            }
            throw error(g.qualified() + " of " + describeRaw(arg) + " is not supported (" + opName() + ")");
        }

        private byte[] encode(Object[] args) throws FormatException {
            if (args.length == 0 || !(args[0] instanceof String text)) {
                throw error("_codecs.encode needs a string (" + opName() + ")");
            }
            String encoding = args.length > 1 && args[1] instanceof String e ? e : "utf-8";
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

        // ------------------------------------------------------------ NumPy

        private DType dtype(Object[] args) throws FormatException {
            if (args.length == 0 || !(args[0] instanceof String code)) {
                throw error("numpy.dtype needs a type code string (" + opName() + ")");
            }
            if (code.matches("O\\d*")) {
                return new DType(code, null);
            }
            Matcher m = NUMERIC_CODE.matcher(code);
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
            throw error(where + " needs a numpy dtype, got " + describeRaw(o) + " (" + opName() + ")");
        }

        private Object scalar(Object[] args) throws FormatException {
            if (args.length != 2) {
                throw error("numpy scalar needs (dtype, data), got " + args.length + " arguments (" + opName() + ")");
            }
            DType d = dtypeArg(args[0], "numpy scalar");
            if (d.isObject()) {
                return args[1];
            }
            if (!(args[1] instanceof byte[] raw)) {
                throw error("numpy scalar of dtype " + d.descriptor() + " needs raw bytes, got "
                        + describeRaw(args[1]) + " (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, new int[0], raw, source);
        }

        private Object frombuffer(Object[] args) throws FormatException {
            if (args.length != 4 || !(args[0] instanceof byte[] raw)) {
                throw error("_frombuffer needs (bytes, dtype, shape, order) (" + opName() + ")");
            }
            DType d = dtypeArg(args[1], "_frombuffer");
            if (d.isObject()) {
                throw error("_frombuffer of an object dtype is not supported (" + opName() + ")");
            }
            int[] shape = shape(args[2]);
            if (!"C".equals(args[3])) {
                throw error("Fortran-order array (order " + describeRaw(args[3]) + ") in the pickle is not "
                        + "supported; pickle np.ascontiguousarray(a) instead (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, shape, raw, source);
        }

        private int[] shape(Object o) throws FormatException {
            if (!(o instanceof Object[] dims)) {
                throw error("array shape must be a tuple, got " + describeRaw(o) + " (" + opName() + ")");
            }
            int[] shape = new int[dims.length];
            for (int i = 0; i < shape.length; i++) {
                long v = dims[i] instanceof Integer n ? n : dims[i] instanceof Long n ? n : -1;
                if (v < 0 || v > Integer.MAX_VALUE) {
                    throw error("invalid dimension " + describeRaw(dims[i]) + " in array shape (" + opName() + ")");
                }
                shape[i] = (int) v;
            }
            return shape;
        }

        private void build(Object state) throws FormatException {
            Object target = values.peek();
            if (target instanceof PendingArray pending) {
                pending.array = buildArray(state);
            } else if (target instanceof DType d) {
                buildDType(d, state);
            } else if (state != null) { // set / OrderedDict reductions carry no state
                throw error("BUILD with state on " + describeRaw(target) + " is not supported (" + opName() + ")");
            }
        }

        private void buildDType(DType d, Object state) throws FormatException {
            if (!(state instanceof Object[] s) || s.length < 2 || !(s[1] instanceof String order)) {
                throw error("unexpected numpy dtype state " + describeRaw(state) + " (" + opName() + ")");
            }
            if (s.length > 3 && s[3] != null) {
                throw error("structured numpy dtypes (records with named fields) are not supported (" + opName() + ")");
            }
            if (s.length > 2 && s[2] != null) {
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
            if (!(state instanceof Object[] s) || (s.length != 5 && s.length != 4)) {
                throw error("unexpected numpy array state " + describeRaw(state)
                        + "; expected (version, shape, dtype, is_fortran, data) (" + opName() + ")");
            }
            int o = s.length - 4;
            int[] shape = shape(s[o]);
            DType d = dtypeArg(s[o + 1], "array state");
            if (!(s[o + 2] instanceof Boolean fortran)) {
                throw error("array state: is_fortran must be a bool, got " + describeRaw(s[o + 2])
                        + " (" + opName() + ")");
            }
            Object data = s[o + 3];
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
                    throw error("object array state holds " + describeRaw(data) + " instead of a list of elements ("
                            + opName() + ")");
                }
                if (elements.size() != count) {
                    throw error("object array of shape " + NpyArray.shapeString(shape) + " lists " + elements.size()
                            + " elements (" + opName() + ")");
                }
                return new ObjectArray(shape, new ArrayList<>(elements));
            }
            if (!(data instanceof byte[] raw)) {
                throw error("array of dtype " + d.descriptor() + " holds " + describeRaw(data)
                        + " instead of raw bytes (" + opName() + ")");
            }
            return Npy.fromBytes(d.numeric, d.order, shape, raw, source);
        }

        // ------------------------------------------------------------ the result in PoseShift's types

        /**
         * Converts razorvine's values (Integer, Object[] tuples) and the pending NumPy values into the
         * types of the class comment, keeping shared and self-containing values shared.
         */
        private Object toJava(Object o, int depth) throws FormatException {
            if (depth > MAX_DEPTH) {
                throw error("values nested deeper than " + MAX_DEPTH + " levels");
            }
            if (o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean
                    || o instanceof BigInteger || o instanceof byte[] || o instanceof NpyArray) {
                return o;
            } else if (o instanceof Integer i) {
                return (long) i;
            } else if (o instanceof DType d) {
                return d.descriptor();
            } else if (o instanceof Global g) {
                throw error("pickle holds a bare reference to " + g.qualified() + ", which is not data");
            }
            Object done = converted.get(o);
            if (done != null) {
                return done;
            }
            if (o instanceof PendingArray p) {
                if (p.array == null) {
                    throw error("pickle holds a numpy array without its BUILD state");
                }
                Object array = toJava(p.array, depth);
                converted.put(p, array);
                return array;
            } else if (o instanceof ObjectArray a) {
                List<Object> elements = new ArrayList<>(a.elements().size());
                for (Object x : a.elements()) {
                    elements.add(toJava(x, depth + 1));
                }
                ObjectArray array = new ObjectArray(a.shape(), elements);
                converted.put(a, array);
                return array;
            } else if (o instanceof Object[] t) {
                Object[] items = new Object[t.length];
                List<Object> tuple = Collections.unmodifiableList(Arrays.asList(items));
                converted.put(t, tuple);
                for (int i = 0; i < items.length; i++) {
                    items[i] = toJava(t[i], depth + 1);
                }
                return tuple;
            } else if (o instanceof ArrayList<?> l) {
                List<Object> list = new ArrayList<>(l.size());
                converted.put(l, list);
                for (Object x : l) {
                    list.add(toJava(x, depth + 1));
                }
                return list;
            } else if (o instanceof LinkedHashMap<?, ?> m) {
                Map<Object, Object> dict = new LinkedHashMap<>();
                converted.put(m, dict);
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    dict.put(toJava(e.getKey(), depth + 1), toJava(e.getValue(), depth + 1));
                }
                return dict;
            } else if (o instanceof LinkedHashSet<?> s) {
                Set<Object> set = new LinkedHashSet<>();
                Set<Object> result = s instanceof FrozenSet ? Collections.unmodifiableSet(set) : set;
                converted.put(s, result);
                for (Object x : s) {
                    set.add(toJava(x, depth + 1));
                }
                return result;
            }
            throw error("pickle holds an unexpected " + o.getClass().getSimpleName());
        }
    }
}
