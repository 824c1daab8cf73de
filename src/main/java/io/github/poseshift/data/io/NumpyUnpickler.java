package io.github.poseshift.data.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
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
import net.razorvine.pickle.IObjectConstructor;
import net.razorvine.pickle.InvalidOpcodeException;
import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleUtils;
import net.razorvine.pickle.Unpickler;

/**
 * Reads the Python pickles inside NumPy object arrays ({@code np.savez} of dicts, lists, tuples, sets,
 * strings, bytes, numbers, {@code None}, NumPy arrays and scalars). razorvine's {@link Unpickler} runs
 * the pickle machine; this subclass's {@link #dispatch} decides what a pickle may name, and the result
 * is converted into PoseShift's types. It never runs code and never loads classes.
 *
 * <p>{@code GLOBAL} / {@code STACK_GLOBAL} are checked here, before anything is called, against a
 * whitelist of data constructors rebuilt in Java: NumPy's {@code _reconstruct}, {@code ndarray},
 * {@code dtype}, {@code scalar} and {@code _frombuffer} (under {@code numpy.core} or {@code numpy._core}),
 * {@code builtins} / {@code __builtin__} {@code set}, {@code frozenset}, {@code list}, {@code tuple},
 * {@code dict}, {@code bytes}, {@code bytearray}, {@code collections.OrderedDict} and
 * {@code _codecs.encode}. Any other global is refused, so razorvine's own constructors (datetime,
 * decimal, a {@code ClassDict} for any class) are unreachable, as are {@code INST}, {@code OBJ},
 * {@code NEWOBJ_EX}, persistent ids, extension codes and out-of-band buffers; {@code BUILD} fills in
 * arrays and dtypes only. Also here, as razorvine trusts its input: dicts and sets keep Python's order
 * and refuse unhashable keys; 4- and 8-byte lengths are read as the data arrives (a corrupt one cannot
 * allocate more than the stream holds); text arguments of numbers, memo indexes and globals stop at
 * {@value #MAX_LINE} bytes; nesting stops at {@value #MAX_DEPTH} levels.
 *
 * <p>Python values become: dict → {@link LinkedHashMap}, list → {@link ArrayList}, tuple →
 * unmodifiable {@link List}, set → {@link LinkedHashSet} (frozenset unmodifiable), str → {@link String},
 * bytes and bytearray → {@code byte[]}, int → {@link Long} ({@link BigInteger} beyond 64 bits), float →
 * {@link Double}, bool → {@link Boolean}, None → {@code null}, numeric ndarray → {@link NpyArray},
 * numeric NumPy scalar → rank-0 {@link NpyArray}, object ndarray → {@link NpyObjectArray}, a bare dtype
 * → its descriptor such as {@code "<f8"}. Refused with a {@link FormatException} naming the source:
 * other globals, Fortran order, string / complex / structured / datetime dtypes, unsupported opcodes,
 * truncated or malformed streams.
 */
public final class NumpyUnpickler extends Unpickler {

    /** Deepest container nesting accepted (Python's own pickler stops near 1000). */
    static final int MAX_DEPTH = 1000;
    private static final int MAX_LINE = 4096;
    private static final String REFUSED = ", which PoseShift does not load (only NumPy arrays, dicts, lists, "
            + "numbers and strings)";
    private static final Pattern NUMERIC = Pattern.compile("([biuf])(\\d{1,2})");
    private static final Map<Short, String> UNSUPPORTED = Map.of(Opcodes.INST, "INST", Opcodes.OBJ, "OBJ",
            Opcodes.NEWOBJ_EX, "NEWOBJ_EX", Opcodes.PERSID, "PERSID", Opcodes.BINPERSID, "BINPERSID",
            Opcodes.EXT1, "EXT1", Opcodes.EXT2, "EXT2", Opcodes.EXT4, "EXT4", Opcodes.NEXT_BUFFER, "NEXT_BUFFER",
            Opcodes.READONLY_BUFFER, "READONLY_BUFFER");

    private final Input in;
    private final String source;
    private final Map<Object, Object> converted = new IdentityHashMap<>();
    private short op;
    private long opPos;
    private int marks;

    private NumpyUnpickler(InputStream in, String source) {
        this.in = new Input(in);
        this.source = source;
    }

    /** Reads the pickle in {@code file} (like {@code pickle.load}); errors name the file. */
    public static Object load(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return load(in, file.toString());
        }
    }

    /** Reads one pickle from {@code in}, up to its STOP opcode; {@code sourceName} is for error messages. */
    public static Object load(InputStream in, String sourceName) throws IOException {
        NumpyUnpickler u = new NumpyUnpickler(in, sourceName);
        Object raw;
        try {
            raw = u.load(u.in);
        } catch (IOException | RuntimeException e) { // dispatch throws FormatException; razorvine's loop, at EOF
            if (e instanceof FormatException || !u.in.eof) {
                throw e;
            }
            throw u.error(u.in.pos == 0 ? "empty pickle" : "truncated: the pickle ends at byte " + u.in.pos
                    + " before its STOP opcode");
        }
        try {
            return u.toJava(raw, 0, false);
        } catch (StackOverflowError e) {
            throw u.error("dict keys or set items nested deeper than Java can hash");
        }
    }

    /** Reads a pickle held in memory. */
    public static Object loads(byte[] pickle, String sourceName) throws IOException {
        return load(new ByteArrayInputStream(pickle), sourceName);
    }

    /** A short description of an unpickled value for error messages, e.g. {@code "a dict"}. */
    public static String describe(Object o) {
        if (o == null) {
            return "None";
        } else if (o instanceof NpyArray a) {
            String article = a.dtype().numpyName().startsWith("i") ? "an " : "a ";
            return a.rank() == 0 ? article + a.dtype() + " scalar" : article + a.dtype() + " array of shape "
                    + NpyArray.shapeString(a.shape());
        } else if (o instanceof NpyObjectArray a) {
            return "an object array of shape " + NpyArray.shapeString(a.shape());
        } else if (o instanceof String s) {
            return "the string '" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
        } else if (o instanceof byte[] b) {
            return "bytes of length " + b.length;
        } else if (o instanceof Boolean b) {
            return b ? "True" : "False";
        } else if (o instanceof Integer || o instanceof Long || o instanceof BigInteger || o instanceof Double) {
            return (o instanceof Double ? "the float " : "the int ") + o;
        } else if (o instanceof Map) {
            return "a dict";
        } else if (o instanceof ArrayList) {
            return "a list";
        } else if (o instanceof List || o instanceof Object[]) {
            return "a tuple";
        } else if (o instanceof Set) {
            return "a set";
        } else if (o instanceof Callable c) { // only in messages about a pickle being read
            return c.name();
        }
        return o instanceof DType ? "a dtype" : o instanceof ArrayBuilder ? "a numpy array"
                : o.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- the opcodes handled here

    @Override
    protected Object dispatch(short key) throws IOException {
        op = key;
        opPos = in.pos - 1;
        in.lineBytes = "ILFpgc".indexOf(key) >= 0 ? 0 : -1; // protocol-0 numbers, memo indexes, GLOBAL
        try {
            switch (key) {
                case Opcodes.GLOBAL -> stack.add(global(line(), line()));
                case Opcodes.STACK_GLOBAL -> {
                    Object name = stack.pop();
                    if (!(stack.pop() instanceof String module) || !(name instanceof String n)) {
                        throw bad("STACK_GLOBAL needs a module and a name");
                    }
                    stack.add(global(module, n));
                }
                case Opcodes.BUILD -> build(stack.pop(), stack.peek());
                case Opcodes.EMPTY_DICT -> stack.add(new LinkedHashMap<>());
                case Opcodes.DICT -> stack.add(putPairs(new LinkedHashMap<>(), popMark()));
                case Opcodes.SETITEM -> {
                    Object value = stack.pop();
                    Object k = stack.pop();
                    putPairs(dict(stack.peek()), Arrays.asList(k, value));
                }
                case Opcodes.SETITEMS -> {
                    List<Object> keysAndValues = popMark();
                    putPairs(dict(stack.peek()), keysAndValues);
                }
                case Opcodes.EMPTY_SET -> stack.add(new LinkedHashSet<>());
                case Opcodes.ADDITEMS -> {
                    List<Object> items = popMark();
                    if (!(stack.peek() instanceof LinkedHashSet<?> set) || set instanceof Frozen) {
                        throw bad("ADDITEMS on " + describe(stack.peek()) + ", not a set");
                    }
                    addAll(set, items);
                }
                case Opcodes.FROZENSET -> stack.add(addAll(new Frozen(), popMark()));
                case Opcodes.GET -> stack.add(recall(Integer.parseInt(line().strip())));
                case Opcodes.BINGET -> stack.add(recall(bytes(1)[0] & 0xFF));
                case Opcodes.LONG_BINGET -> stack.add(recall(PickleUtils.bytes_to_integer(bytes(4))));
                case Opcodes.BINSTRING -> stack.add(PickleUtils.rawStringFromBytes(bytes(u32())));
                case Opcodes.BINUNICODE -> stack.add(new String(bytes(u32()), StandardCharsets.UTF_8));
                case Opcodes.BINUNICODE8 -> stack.add(new String(bytes(u64()), StandardCharsets.UTF_8));
                case Opcodes.BINBYTES -> stack.add(bytes(u32()));
                case Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> stack.add(bytes(u64()));
                case Opcodes.LONG4 -> stack.add(PickleUtils.decode_long(bytes(u32())));
                default -> { // the rest runs in razorvine, once checked and its MARKs counted
                    if (UNSUPPORTED.containsKey(key)) {
                        throw error(String.format(Locale.ROOT, "pickle opcode 0x%02x (%s) at byte %d is not supported",
                                key, UNSUPPORTED.get(key), opPos));
                    } else if (key == Opcodes.STOP && stack.size() > 1) {
                        throw error("malformed pickle: STOP leaves " + (stack.size() - 1)
                                + " more values or marks on the stack");
                    } else if (key == Opcodes.MARK) {
                        marks++;
                    } else if (key == Opcodes.TUPLE || key == Opcodes.LIST || key == Opcodes.APPENDS
                            || key == Opcodes.POP_MARK) {
                        requireMark();
                    }
                    return super.dispatch(key);
                }
            }
            return NO_RETURN_VALUE;
        } catch (FormatException e) {
            throw e;
        } catch (LineTooLong e) {
            throw error("argument of " + opName() + " is longer than " + MAX_LINE + " bytes");
        } catch (StackOverflowError e) { // comparing keys nested very deep whose hashes collide
            throw bad("dict key or set item nested deeper than Java can hash");
        } catch (UncheckedIOException e) { // a FormatException from a constructor, through REDUCE
            throw (FormatException) e.getCause();
        } catch (IOException | RuntimeException e) {
            if (in.eof) {
                throw error("truncated: the pickle ends at byte " + in.pos + " inside " + opName());
            } else if (e instanceof IOException io) {
                throw io; // the stream itself failed (e.g. a corrupt zip entry)
            } else if (e instanceof InvalidOpcodeException) {
                throw error(String.format(Locale.ROOT, "unknown pickle opcode 0x%02x at byte %d", key, opPos));
            } else if (e.getClass() == IndexOutOfBoundsException.class) { // razorvine's stack is empty
                throw error("pickle stack underflow at " + opName());
            }
            String what = e instanceof ClassCastException || e instanceof NullPointerException
                    ? "a value of the wrong kind on the stack" : e.getMessage();
            throw new FormatException(source, "malformed pickle at " + opName() + ": " + what, e);
        }
    }

    private String opName() {
        return String.format(Locale.ROOT, "opcode 0x%02x at byte %d", op, opPos);
    }

    private FormatException error(String problem) {
        return new FormatException(source, problem);
    }

    /** A problem of the current opcode. */
    private FormatException bad(String problem) {
        return error(problem + " (" + opName() + ")");
    }

    /** Counts off the MARK this opcode consumes, which must exist. */
    private void requireMark() throws FormatException {
        if (marks-- == 0) {
            throw error("pickle stack underflow at " + opName() + ": no MARK before it");
        }
    }

    private List<Object> popMark() throws FormatException {
        requireMark();
        return stack.pop_all_since_marker();
    }

    /** A newline-terminated argument ({@link Input} stops it at {@value #MAX_LINE} bytes). */
    private String line() throws IOException {
        String s = PickleUtils.readline(in, true);
        if (!s.endsWith("\n")) {
            throw error("truncated: the pickle ends at byte " + in.pos + " inside " + opName());
        }
        return s.substring(0, s.length() - 1);
    }

    private long u32() throws IOException {
        return PickleUtils.bytes_to_uint(bytes(4), 0);
    }

    private long u64() throws IOException {
        return PickleUtils.bytes_to_long(bytes(8), 0);
    }

    /** Exactly {@code n} bytes, read as they arrive: a lying length allocates no more than the stream holds. */
    private byte[] bytes(long n) throws IOException {
        if (n < 0 || n > Integer.MAX_VALUE - 16) {
            throw error("a value of " + Long.toUnsignedString(n) + " bytes in " + opName()
                    + " is larger than PoseShift reads (2 GiB)");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length < n) {
            throw error("truncated: the pickle ends at byte " + in.pos + " inside " + opName() + ", which declares "
                    + n + " bytes");
        }
        return b;
    }

    private Object recall(int index) throws FormatException {
        if (!memo.containsKey(index)) {
            throw error("memo index " + index + " read at " + opName() + " was never stored");
        }
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) throws FormatException {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw bad("SETITEM(S) on " + describe(o) + ", not a dict");
    }

    private Map<Object, Object> putPairs(Map<Object, Object> dict, List<?> keysAndValues) throws FormatException {
        if (keysAndValues.size() % 2 != 0) {
            throw bad("an odd number (" + keysAndValues.size() + ") of dict keys and values");
        }
        for (int i = 0; i < keysAndValues.size(); i += 2) {
            dict.put(hashable(keysAndValues.get(i)), keysAndValues.get(i + 1));
        }
        return dict;
    }

    @SuppressWarnings("unchecked")
    private Set<Object> addAll(Set<?> set, Collection<?> items) throws FormatException {
        for (Object item : items) {
            ((Set<Object>) set).add(hashable(item));
        }
        return (Set<Object>) set;
    }

    /** Refuses what Python cannot hash either; a tuple's items are checked when it is converted. */
    private Object hashable(Object key) throws FormatException {
        if (unhashable(key)) {
            throw bad("unhashable dict key or set item: " + describe(key));
        }
        return key;
    }

    private static boolean unhashable(Object o) {
        return o instanceof ArrayList || o instanceof Map || o instanceof Set && !(o instanceof Frozen)
                || o instanceof ArrayBuilder || o instanceof NpyArray;
    }

    // ---------------------------------------------------------------- the whitelist

    /** The constructor for a whitelisted global; any other is refused here, before anything is called. */
    private Callable global(String module, String name) throws FormatException {
        String qualified = module + "." + name;
        String m = module.equals("__builtin__") ? "builtins" : module.replace("numpy._core.", "numpy.core.");
        Body body = switch (m + "." + name) {
            case "numpy.core.multiarray._reconstruct" -> args -> {
                if (args.length == 0 || !(args[0] instanceof Callable c) || !c.name().equals("numpy.ndarray")) {
                    throw bad(qualified + " may only build a numpy.ndarray");
                }
                return new ArrayBuilder();
            };
            case "numpy.ndarray" -> args -> new ArrayBuilder();
            case "numpy.dtype" -> this::dtype;
            case "numpy.core.multiarray.scalar" -> args -> {
                DType d = dtypeAt(args, 0, 2);
                return d.numeric == null ? args[1] : Npy.fromBytes(d.numeric, d.byteOrder(), new int[0],
                        bytesAt(args, 1), source);
            };
            case "numpy.core.numeric._frombuffer" -> args -> {
                DType d = dtypeAt(args, 1, 4);
                if (d.numeric == null) {
                    throw bad("_frombuffer of an object dtype is not supported");
                } else if (!"C".equals(args[3])) {
                    throw bad("Fortran-order array (order " + describe(args[3]) + ") in the pickle is not supported; "
                            + "pickle np.ascontiguousarray(a) instead");
                }
                return Npy.fromBytes(d.numeric, d.byteOrder(), shape(args[2]), bytesAt(args, 0), source);
            };
            case "_codecs.encode" -> args -> { // protocol 2's spelling of bytes: encode(text, 'latin1')
                if (args.length != 2 || !(args[0] instanceof String text) || !List.of("latin1", "latin-1")
                        .contains(args[1]) || !StandardCharsets.ISO_8859_1.newEncoder().canEncode(text)) {
                    throw bad("_codecs.encode of anything but latin-1 text is not supported");
                }
                return text.getBytes(StandardCharsets.ISO_8859_1);
            };
            case "builtins.set", "builtins.frozenset", "builtins.list", "builtins.tuple", "builtins.dict",
                    "builtins.bytes", "builtins.bytearray", "collections.OrderedDict" -> args -> builtin(name, args);
            default -> throw error("pickle refers to " + qualified + REFUSED);
        };
        return new Callable(qualified, body);
    }

    /** set, frozenset, list or tuple of a list or tuple; dict or OrderedDict of a dict; bytes or bytearray. */
    private Object builtin(String name, Object[] args) throws FormatException {
        Object arg = args.length == 1 ? args[0] : null;
        boolean bytes = name.startsWith("byte");
        boolean dict = name.equals("dict") || name.equals("OrderedDict"); // OrderedDict's items follow in SETITEMS
        if (args.length > 1 || arg != null && !(bytes ? arg instanceof byte[] : dict ? arg instanceof Map
                : arg instanceof Collection || arg instanceof Object[])) {
            throw bad(name + " of " + (args.length > 1 ? args.length + " values" : describe(arg))
                    + " is not supported");
        } else if (bytes) {
            return arg == null ? new byte[0] : ((byte[]) arg).clone();
        } else if (dict) {
            return arg == null ? new LinkedHashMap<>() : new LinkedHashMap<Object, Object>((Map<?, ?>) arg);
        }
        Collection<?> items = arg instanceof Object[] t ? Arrays.asList(t)
                : arg == null ? List.of() : (Collection<?>) arg;
        return name.equals("list") ? new ArrayList<Object>(items) : name.equals("tuple") ? items.toArray()
                : addAll(name.equals("set") ? new LinkedHashSet<>() : new Frozen(), items);
    }

    /** {@code numpy.dtype(code, align, copy)}; its byte order arrives with BUILD. */
    private DType dtype(Object[] args) throws FormatException {
        String code = args.length > 0 && args[0] instanceof String s ? s : describe(args.length > 0 ? args[0] : null);
        Matcher m = NUMERIC.matcher(code);
        NpyDType numeric = m.matches() ? NpyDType.of(m.group(1).charAt(0), Integer.parseInt(m.group(2))) : null;
        if (numeric == null && !code.matches("O\\d*")) {
            throw error("numpy dtype '" + code + "' is not supported; PoseShift reads bool, int8-64, uint8-64, "
                    + "float16/32/64 and object arrays");
        }
        return new DType(code, numeric);
    }

    private DType dtypeAt(Object[] args, int i, int count) throws FormatException {
        if (args.length != count || !(args[i] instanceof DType d)) {
            throw bad("expected " + count + " arguments with a numpy dtype at " + i);
        }
        return d;
    }

    private byte[] bytesAt(Object[] args, int i) throws FormatException {
        if (!(args[i] instanceof byte[] raw)) {
            throw bad("expected raw bytes, got " + describe(args[i]));
        }
        return raw;
    }

    private int[] shape(Object o) throws FormatException {
        if (o instanceof Object[] dims && Arrays.stream(dims).allMatch(d -> d instanceof Integer n && n >= 0)) {
            return Arrays.stream(dims).mapToInt(d -> (Integer) d).toArray();
        }
        throw bad("invalid array shape " + describe(o));
    }

    // ---------------------------------------------------------------- BUILD: arrays and dtypes only

    private void build(Object state, Object target) throws FormatException {
        if (target instanceof DType d) { // (version, order, subarray, names, fields, itemsize, alignment, flags)
            if (!(state instanceof Object[] s) || s.length < 4 || !List.of("<", ">", "|", "=").contains(s[1])) {
                throw bad("unexpected numpy dtype state " + describe(state));
            } else if (s[2] != null || s[3] != null) {
                throw bad("structured and sub-array numpy dtypes are not supported");
            }
            d.order = s[1].equals(">") ? '>' : '<';
        } else if (target instanceof ArrayBuilder a) { // ([version,] shape, dtype, is_fortran, data)
            if (!(state instanceof Object[] s) || s.length != 4 && s.length != 5
                    || !(s[s.length - 3] instanceof DType d) || !(s[s.length - 2] instanceof Boolean fortran)) {
                throw bad("unexpected numpy array state " + describe(state) + "; expected (version, shape, dtype, "
                        + "is_fortran, data)");
            }
            int[] shape = shape(s[s.length - 4]);
            Object data = s[s.length - 1];
            long count = Arrays.stream(shape).asLongStream().reduce(1, (x, y) -> Math.min(x * y, 1L << 32));
            if (fortran && shape.length > 1 && count > 1) {
                throw bad("Fortran-order array of shape " + NpyArray.shapeString(shape) + " in the pickle is not "
                        + "supported; pickle np.ascontiguousarray(a) instead");
            } else if (d.numeric == null && data instanceof ArrayList<?> elements && elements.size() == count) {
                a.shape = shape;
                a.elements = elements;
            } else if (d.numeric != null && data instanceof byte[] raw) {
                a.array = Npy.fromBytes(d.numeric, d.byteOrder(), shape, raw, source);
            } else {
                throw bad("an array of shape " + NpyArray.shapeString(shape) + " and dtype " + d.descriptor()
                        + " holds " + describe(data));
            }
        } else if (state != null) {
            throw bad("BUILD with state on " + describe(target) + " is not supported");
        }
    }

    // ---------------------------------------------------------------- razorvine's values → PoseShift's

    /** Converts, keeping shared objects (and cycles) shared; {@code key}: inside a dict key or set item. */
    private Object toJava(Object o, int depth, boolean key) throws FormatException {
        if (depth > MAX_DEPTH) {
            throw error((key ? "dict key or set item" : "values") + " nested deeper than " + MAX_DEPTH + " levels");
        } else if (o == null || o instanceof String || o instanceof Boolean || o instanceof Double || o instanceof Long
                || o instanceof byte[] || o instanceof NpyArray && !key) {
            return o;
        } else if (o instanceof Integer || o instanceof BigInteger b && b.bitLength() < 64) {
            return ((Number) o).longValue();
        } else if (o instanceof BigInteger || o instanceof DType) {
            return o instanceof DType d ? d.descriptor() : o;
        } else if (o instanceof Callable c) {
            throw error("pickle holds a bare reference to " + c.name() + ", which is not data");
        } else if (key && unhashable(o)) {
            throw error("unhashable dict key or set item: " + describe(o));
        } else if (converted.containsKey(o)) {
            return converted.get(o);
        } else if (o instanceof ArrayList<?> l) {
            @SuppressWarnings("unchecked")
            List<Object> list = (List<Object>) l;
            converted.put(o, list);
            for (int i = 0; i < list.size(); i++) {
                list.set(i, toJava(list.get(i), depth + 1, false));
            }
        } else if (o instanceof Object[] tuple) {
            List<Object> items = new ArrayList<>(tuple.length);
            converted.put(o, Collections.unmodifiableList(items));
            for (Object item : tuple) {
                items.add(toJava(item, depth + 1, key));
            }
        } else if (o instanceof Map<?, ?> m) {
            Map<Object, Object> map = new LinkedHashMap<>();
            converted.put(o, map);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                map.put(toJava(e.getKey(), depth + 1, true), toJava(e.getValue(), depth + 1, false));
            }
        } else if (o instanceof Set<?> s) {
            Set<Object> set = new LinkedHashSet<>();
            converted.put(o, o instanceof Frozen ? Collections.unmodifiableSet(set) : set);
            for (Object item : s) {
                set.add(toJava(item, depth + 1, true));
            }
        } else if (o instanceof ArrayBuilder a && a.array != null) {
            return a.array;
        } else if (o instanceof ArrayBuilder a && a.elements != null) {
            List<Object> elements = new ArrayList<>(a.elements.size());
            for (Object e : a.elements) {
                elements.add(toJava(e, depth + 1, false));
            }
            converted.put(o, new NpyObjectArray(a.shape, elements));
        } else {
            throw error(o instanceof ArrayBuilder ? "pickle holds a numpy array without its BUILD state"
                    : "malformed pickle: a MARK or other non-value (" + o.getClass().getSimpleName() + ") in the data");
        }
        return converted.get(o);
    }

    // ---------------------------------------------------------------- small types

    /** A whitelisted global: all that razorvine's REDUCE and NEWOBJ can call. */
    private record Callable(String name, Body body) implements IObjectConstructor {
        @Override
        public Object construct(Object[] args) {
            try {
                return body.apply(args);
            } catch (FormatException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private interface Body {
        Object apply(Object[] args) throws FormatException;
    }

    /** A numpy.dtype: kind and size from its constructor, byte order from BUILD; object when not numeric. */
    private static final class DType {
        final String code;
        final NpyDType numeric;
        char order = '<';

        DType(String code, NpyDType numeric) {
            this.code = code;
            this.numeric = numeric;
        }

        ByteOrder byteOrder() {
            return order == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }

        String descriptor() {
            return numeric == null ? "|O" : (numeric.itemSize() == 1 ? '|' : order) + code;
        }
    }

    /** An ndarray from {@code _reconstruct}, filled in by BUILD: numeric, or an object array's parts. */
    private static final class ArrayBuilder {
        NpyArray array;
        int[] shape;
        List<?> elements;
    }

    /**
     * A frozenset: hashable, unlike a set. It is complete before it is first hashed, so its hash is kept:
     * hashing frozensets nested 100,000 deep costs no recursion.
     */
    private static final class Frozen extends LinkedHashSet<Object> {
        private static final long serialVersionUID = 1L;
        private Integer hash;

        @Override
        public int hashCode() {
            return hash != null ? hash : (hash = super.hashCode());
        }
    }

    private static final class LineTooLong extends IOException {
        private static final long serialVersionUID = 1L;
    }

    /** Counts the bytes read, notes the end of the stream and stops text arguments at {@value #MAX_LINE} bytes. */
    private static final class Input extends FilterInputStream {
        long pos;
        boolean eof;
        int lineBytes = -1; // bytes of the current text argument; -1 when the opcode has none

        Input(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int c = super.read();
            eof |= c < 0;
            pos += c < 0 ? 0 : 1;
            if (c >= 0 && lineBytes >= 0 && (lineBytes = c == '\n' ? 0 : lineBytes + 1) > MAX_LINE) {
                throw new LineTooLong();
            }
            return c;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            eof |= n < 0;
            pos += Math.max(n, 0);
            return n;
        }
    }
}
