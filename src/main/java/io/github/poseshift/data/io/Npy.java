package io.github.poseshift.data.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format (NEP 1, {@code numpy.lib.format}): a magic string, a version, a header
 * that is a Python dict literal ({@code descr}, {@code fortran_order}, {@code shape}), then the raw
 * elements. Reads versions 1.0, 2.0 and 3.0, either byte order, every numeric dtype of
 * {@link NpyDType}; writes version 1.0 (2.0 for huge headers), little-endian, C order, with the header
 * padded so the data starts at a multiple of 64 bytes as the format asks.
 */
public final class Npy {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int CHUNK_BYTES = 1 << 20;

    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(['\"])([^'\"]*)\\1");
    private static final Pattern DESCR_LIST = Pattern.compile("['\"]descr['\"]\\s*:\\s*\\[");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");
    private static final Pattern OBJECT_CODE = Pattern.compile("[<>|=]?O\\d*");
    private static final Pattern TYPE_CODE = Pattern.compile("([<>|=])?([biuf])(\\d+)");

    private Npy() {}

    /**
     * Reads a {@code .npy} file; errors name it. A header that declares more data than the file holds is
     * refused before anything is allocated.
     */
    public static NpyArray read(Path file) throws IOException {
        long length = Files.size(file);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), CHUNK_BYTES)) {
            return (NpyArray) read(in, file.toString(), false, length);
        }
    }

    /**
     * Reads one array from a stream, which must end right after it. The stream is read to its end first, so
     * that a header declaring more data than there is is refused before the array is allocated.
     *
     * @param sourceName the file or archive entry, for error messages
     */
    public static NpyArray read(InputStream in, String sourceName) throws IOException {
        byte[] all = in.readAllBytes();
        return (NpyArray) read(new java.io.ByteArrayInputStream(all), sourceName, false, all.length);
    }

    /**
     * Reads one array from a stream, which must end right after it; with {@code allowPickle}, an
     * object array ({@code descr '|O'}, whose data is a pickle) is unpickled by {@link NumpyUnpickler} and
     * returned as a {@link NpyObjectArray}, every other array as an {@link NpyArray}.
     *
     * @param length the bytes of the whole {@code .npy} (file or archive entry), header included: the data
     *               the header declares is checked against it before anything is allocated
     */
    static Object read(InputStream in, String sourceName, boolean allowPickle, long length) throws IOException {
        Header h = readHeader(in, sourceName, allowPickle);
        if (h.dtype() == null) {
            return readPickled(in, h, sourceName);
        }
        return readData(in, h, sourceName, length - h.dataOffset());
    }

    /**
     * Reads the magic string, the version and the header dict, leaving {@code in} at the first element
     * (also for {@link NpyBlockReader}, which reads the elements a block at a time).
     */
    static Header readHeader(InputStream in, String sourceName, boolean allowPickle) throws IOException {
        byte[] magic = in.readNBytes(MAGIC.length);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new FormatException(sourceName, magic.length == 0 ? "empty file, not a .npy array"
                    : "not a .npy file: it does not start with the magic string \\x93NUMPY");
        }
        byte[] version = readBytes(in, 2, sourceName, "the format version");
        int major = version[0];
        int headerLengthBytes = switch (major) {
            case 1 -> 2;
            case 2, 3 -> 4;
            default -> throw new FormatException(sourceName, "unsupported .npy format version " + major + "."
                    + version[1] + " (1.0, 2.0 and 3.0 are supported)");
        };
        ByteBuffer lengthBytes = ByteBuffer.wrap(readBytes(in, headerLengthBytes, sourceName, "the header length"))
                .order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = headerLengthBytes == 2 ? lengthBytes.getShort() & 0xFFFF : lengthBytes.getInt() & 0xFFFFFFFFL;
        if (headerLength > 1 << 24) {
            throw new FormatException(sourceName, "implausible header length " + headerLength);
        }
        // Versions 1 and 2 use latin-1 headers, version 3 UTF-8; the keys are ASCII either way.
        byte[] headerBytes = readBytes(in, (int) headerLength, sourceName, "the header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1).strip();
        long dataOffset = MAGIC.length + version.length + headerLengthBytes + headerLength;
        return parseHeader(header, sourceName, allowPickle, dataOffset);
    }

    /** An object array: the rest of the entry is one pickle of the whole array. */
    private static NpyObjectArray readPickled(InputStream in, Header h, String source) throws IOException {
        Object o = NumpyUnpickler.load(in, source);
        if (!(o instanceof NpyObjectArray array)) {
            throw new FormatException(source, "the header declares an object array but the pickle holds "
                    + NumpyUnpickler.describe(o));
        }
        if (!java.util.Arrays.equals(array.shape(), h.shape())) {
            throw new FormatException(source, "the header declares shape " + NpyArray.shapeString(h.shape())
                    + " but the pickled array has shape " + NpyArray.shapeString(array.shape()));
        }
        if (in.read() != -1) {
            throw new FormatException(source, "unexpected bytes after the pickled object array");
        }
        return array;
    }

    /** The refusal of an array whose data is shorter than its header declares. */
    static FormatException truncated(String source, long elements, NpyDType dtype, long presentBytes) {
        return new FormatException(source, "truncated: header declares " + elements + " elements of " + dtype + " ("
                + elements * dtype.itemSize() + " bytes) but only " + presentBytes + " bytes follow");
    }

    /**
     * A parsed header. {@code dtype} null: an object array ({@code |O}), only when pickles are allowed;
     * {@code dataOffset}: the bytes before the first element (magic string, version, header length, header).
     */
    record Header(NpyDType dtype, ByteOrder order, int[] shape, long dataOffset) {}

    private static Header parseHeader(String header, String source, boolean allowPickle, long dataOffset)
            throws FormatException {
        if (!header.startsWith("{") || !header.endsWith("}")) {
            throw new FormatException(source, "unparsable .npy header (not a dict): " + quote(header));
        }
        if (DESCR_LIST.matcher(header).find()) {
            throw new FormatException(source, "structured dtypes (records with named fields) are not supported; "
                    + "save one plain numeric array per field");
        }
        Matcher descr = DESCR.matcher(header);
        Matcher fortran = FORTRAN.matcher(header);
        Matcher shape = SHAPE.matcher(header);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new FormatException(source, "unparsable .npy header (needs descr, fortran_order and shape): "
                    + quote(header));
        }
        if (fortran.group(1).equals("True")) {
            throw new FormatException(source, "Fortran-order arrays are not supported; save with "
                    + "np.save(path, np.ascontiguousarray(a))");
        }
        String code = descr.group(2);
        if (allowPickle && OBJECT_CODE.matcher(code).matches()) {
            return new Header(null, ByteOrder.LITTLE_ENDIAN, parseShape(shape.group(1), header, source), dataOffset);
        }
        Matcher type = TYPE_CODE.matcher(code);
        NpyDType dtype = type.matches() ? NpyDType.of(type.group(2).charAt(0), Integer.parseInt(type.group(3))) : null;
        if (dtype == null) {
            throw new FormatException(source, unsupportedDescr(code));
        }
        ByteOrder order = ">".equals(type.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new Header(dtype, order, parseShape(shape.group(1), header, source), dataOffset);
    }

    private static String unsupportedDescr(String code) {
        if (code.endsWith("O")) {
            return "object arrays (pickled Python objects, dtype '" + code + "') are not supported; save numeric "
                    + "arrays or load with allow_pickle=False";
        }
        String what = switch (code.isEmpty() ? ' ' : code.charAt(code.length() > 1 ? 1 : 0)) {
            case 'U', 'S', 'a' -> "strings";
            case 'c' -> "complex numbers";
            case 'M', 'm' -> "dates and times";
            case 'V' -> "raw bytes";
            default -> "this type";
        };
        return "dtype '" + code + "' (" + what + ") is not supported; PoseShift reads bool, int8-64, uint8-64 and "
                + "float16/32/64 arrays";
    }

    private static int[] parseShape(String inside, String header, String source) throws FormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : inside.split(",")) {
            String p = part.strip();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1); // Python 2 long literals
            }
            if (p.isEmpty()) {
                continue;
            }
            long d;
            try {
                d = Long.parseLong(p);
            } catch (NumberFormatException e) {
                throw new FormatException(source, "unparsable shape in .npy header: " + quote(header));
            }
            if (d < 0 || d > Integer.MAX_VALUE) {
                throw new FormatException(source, "invalid dimension " + d + " in shape (" + inside + ")");
            }
            dims.add((int) d);
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The elements and their bytes, as {@code available} bytes follow the header; nothing is allocated before. */
    private static NpyArray readData(InputStream in, Header h, String source, long available) throws IOException {
        long count = 1;
        for (int d : h.shape()) {
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new FormatException(source, "array of shape " + NpyArray.shapeString(h.shape())
                        + " has more than 2^31 - 1 elements");
            }
        }
        int n = (int) count;
        int item = h.dtype().itemSize();
        if ((long) n * item > available) {
            throw truncated(source, n, h.dtype(), Math.max(0, available));
        }
        Object data = allocate(h.dtype(), n);
        byte[] chunk = new byte[(int) Math.max(item, Math.min((long) n * item, CHUNK_BYTES / item * item))];
        int done = 0;
        while (done < n) {
            int elements = Math.min(n - done, chunk.length / item);
            int got = in.readNBytes(chunk, 0, elements * item);
            if (got < elements * item) {
                long present = (long) done * item + got;
                throw truncated(source, n, h.dtype(), present);
            }
            decode(ByteBuffer.wrap(chunk, 0, got).order(h.order()), h.dtype(), data, done, elements);
            done += elements;
        }
        if (in.read() != -1) {
            throw new FormatException(source, "unexpected bytes after the " + n + " elements the header declares");
        }
        return new NpyArray(h.dtype(), h.shape(), data);
    }

    /**
     * Decodes raw C-order element bytes (from a pickled array) of the given byte order.
     *
     * @throws FormatException when the byte count does not match the shape
     */
    static NpyArray fromBytes(NpyDType dtype, ByteOrder order, int[] shape, byte[] raw, String source)
            throws FormatException {
        long count = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new FormatException(source, "negative dimension in shape " + NpyArray.shapeString(shape));
            }
            count *= d;
            if (count > Integer.MAX_VALUE) {
                throw new FormatException(source, "array of shape " + NpyArray.shapeString(shape)
                        + " has more than 2^31 - 1 elements");
            }
        }
        if (count * dtype.itemSize() != raw.length) {
            throw new FormatException(source, "an array of shape " + NpyArray.shapeString(shape) + " and dtype "
                    + dtype + " needs " + count * dtype.itemSize() + " bytes but " + raw.length + " were given");
        }
        Object data = allocate(dtype, (int) count);
        decode(ByteBuffer.wrap(raw).order(order), dtype, data, 0, (int) count);
        return new NpyArray(dtype, shape, data);
    }

    private static Object allocate(NpyDType dtype, int n) {
        return switch (dtype) {
            case BOOL -> new boolean[n];
            case INT8, UINT8 -> new byte[n];
            case INT16, UINT16 -> new short[n];
            case INT32, UINT32 -> new int[n];
            case INT64, UINT64 -> new long[n];
            case FLOAT16, FLOAT32 -> new float[n];
            case FLOAT64 -> new double[n];
        };
    }

    private static void decode(ByteBuffer buf, NpyDType dtype, Object data, int offset, int n) {
        switch (dtype) {
            case BOOL -> {
                boolean[] b = (boolean[]) data;
                for (int i = 0; i < n; i++) {
                    b[offset + i] = buf.get() != 0;
                }
            }
            case INT8, UINT8 -> buf.get((byte[]) data, offset, n);
            case INT16, UINT16 -> buf.asShortBuffer().get((short[]) data, offset, n);
            case INT32, UINT32 -> buf.asIntBuffer().get((int[]) data, offset, n);
            case INT64, UINT64 -> buf.asLongBuffer().get((long[]) data, offset, n);
            case FLOAT32 -> buf.asFloatBuffer().get((float[]) data, offset, n);
            case FLOAT64 -> buf.asDoubleBuffer().get((double[]) data, offset, n);
            case FLOAT16 -> {
                float[] f = (float[]) data;
                for (int i = 0; i < n; i++) {
                    f[offset + i] = halfToFloat(buf.getShort());
                }
            }
        }
    }

    /** IEEE 754 binary16 to float (subnormals, infinities and NaN included). */
    static float halfToFloat(short bits) {
        int h = bits & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /**
     * Writes {@code array} to {@code file} through a temporary file in the same folder that is then
     * moved into place, so an interrupted write never leaves a half-written array behind.
     */
    public static void write(Path file, NpyArray array) throws IOException {
        AtomicFiles.write(file, out -> write(out, array));
    }

    /** Writes one array to a stream (float16 arrays are written as float32). */
    public static void write(OutputStream out, NpyArray array) throws IOException {
        NpyDType dtype = array.dtype() == NpyDType.FLOAT16 ? NpyDType.FLOAT32 : array.dtype();
        out.write(header(dtype, array.shape()));
        int item = dtype.itemSize();
        int n = array.size();
        ByteBuffer buf = ByteBuffer.allocate(Math.max(item, Math.min(CHUNK_BYTES, n * item))).order(ByteOrder.LITTLE_ENDIAN);
        int perChunk = buf.capacity() / item;
        for (int done = 0; done < n; done += perChunk) {
            int k = Math.min(perChunk, n - done);
            buf.clear();
            encode(buf, dtype, array.data(), done, k);
            out.write(buf.array(), 0, k * item);
        }
        out.flush();
    }

    private static void encode(ByteBuffer buf, NpyDType dtype, Object data, int offset, int n) {
        switch (dtype) {
            case BOOL -> {
                boolean[] b = (boolean[]) data;
                for (int i = 0; i < n; i++) {
                    buf.put((byte) (b[offset + i] ? 1 : 0));
                }
            }
            case INT8, UINT8 -> buf.put((byte[]) data, offset, n);
            case INT16, UINT16 -> buf.asShortBuffer().put((short[]) data, offset, n);
            case INT32, UINT32 -> buf.asIntBuffer().put((int[]) data, offset, n);
            case INT64, UINT64 -> buf.asLongBuffer().put((long[]) data, offset, n);
            case FLOAT16, FLOAT32 -> buf.asFloatBuffer().put((float[]) data, offset, n);
            case FLOAT64 -> buf.asDoubleBuffer().put((double[]) data, offset, n);
        }
    }

    /** Magic, version, length and the space-padded dict, ending in a newline at a multiple of 64 bytes. */
    private static byte[] header(NpyDType dtype, int[] shape) {
        String dict = "{'descr': '" + dtype.descriptor() + "', 'fortran_order': False, 'shape': "
                + NpyArray.shapeString(shape) + ", }";
        boolean v1 = MAGIC.length + 2 + 2 + dict.length() + 1 < 65536;
        int prefix = MAGIC.length + 2 + (v1 ? 2 : 4);
        int total = (prefix + dict.length() + 1 + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        String padded = dict + " ".repeat(total - prefix - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            b.putShort((short) padded.length());
        } else {
            b.putInt(padded.length());
        }
        b.put(padded.getBytes(StandardCharsets.ISO_8859_1));
        return b.array();
    }

    private static byte[] readBytes(InputStream in, int n, String source, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new FormatException(source, "truncated while reading " + what, new EOFException());
        }
        return b;
    }

    private static String quote(String header) {
        return header.length() > 200 ? "'" + header.substring(0, 200) + "...'" : "'" + header + "'";
    }
}
