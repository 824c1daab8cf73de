package io.github.poseshift.data.io;

import java.util.Arrays;

/**
 * An n-dimensional NumPy array in C order: a dtype, a shape and the elements in their natural Java
 * primitive array, so float32 data stays float32 in memory (a Human3.6M position array is hundreds of
 * megabytes). Unsigned types keep their bits in the signed primitive of the same size ({@code uint8}
 * in {@code byte[]}, {@code uint64} in {@code long[]}) and are read back unsigned. Float16 is widened
 * to {@code float[]} when read. Immutable: factories and conversions copy.
 */
public final class NpyArray {

    private final NpyDType dtype;
    private final int[] shape;
    private final int size;
    private final Object data;

    NpyArray(NpyDType dtype, int[] shape, Object data) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.size = checkedSize(this.shape);
        int length = java.lang.reflect.Array.getLength(data);
        if (length != size) {
            throw new IllegalArgumentException("shape " + shapeString(this.shape) + " holds " + size
                    + " elements but " + length + " were given");
        }
        this.data = data;
    }

    /** float32 array of the given shape (the data is copied). */
    public static NpyArray ofFloats(float[] data, int... shape) {
        return new NpyArray(NpyDType.FLOAT32, shape, data.clone());
    }

    /** float64 array. */
    public static NpyArray ofDoubles(double[] data, int... shape) {
        return new NpyArray(NpyDType.FLOAT64, shape, data.clone());
    }

    /** int32 array. */
    public static NpyArray ofInts(int[] data, int... shape) {
        return new NpyArray(NpyDType.INT32, shape, data.clone());
    }

    /** int64 array. */
    public static NpyArray ofLongs(long[] data, int... shape) {
        return new NpyArray(NpyDType.INT64, shape, data.clone());
    }

    /** uint8 array (bytes read as 0..255). */
    public static NpyArray ofUint8(byte[] data, int... shape) {
        return new NpyArray(NpyDType.UINT8, shape, data.clone());
    }

    /** bool array. */
    public static NpyArray ofBooleans(boolean[] data, int... shape) {
        return new NpyArray(NpyDType.BOOL, shape, data.clone());
    }

    /** Element type. */
    public NpyDType dtype() {
        return dtype;
    }

    /** Shape (a copy); empty for a scalar. */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Length of dimension {@code axis}. */
    public int dim(int axis) {
        return shape[axis];
    }

    /** Number of elements (1 for a scalar). */
    public int size() {
        return size;
    }

    /** Element {@code i} (flat C-order index) as a double; 64-bit integers beyond 2^53 round. */
    public double getDouble(int i) {
        return switch (dtype) {
            case BOOL -> ((boolean[]) data)[i] ? 1 : 0;
            case INT8 -> ((byte[]) data)[i];
            case UINT8 -> ((byte[]) data)[i] & 0xFF;
            case INT16 -> ((short[]) data)[i];
            case UINT16 -> ((short[]) data)[i] & 0xFFFF;
            case INT32 -> ((int[]) data)[i];
            case UINT32 -> ((int[]) data)[i] & 0xFFFFFFFFL;
            case INT64 -> ((long[]) data)[i];
            case UINT64 -> unsignedToDouble(((long[]) data)[i]);
            case FLOAT16, FLOAT32 -> ((float[]) data)[i];
            case FLOAT64 -> ((double[]) data)[i];
        };
    }

    /** All elements as float (float32 and float16 data exactly, others rounded). */
    public float[] toFloats() {
        if (data instanceof float[] f) {
            return f.clone();
        }
        float[] out = new float[size];
        for (int i = 0; i < size; i++) {
            out[i] = (float) getDouble(i);
        }
        return out;
    }

    /** All elements as double (exact for every type but 64-bit integers beyond 2^53). */
    public double[] toDoubles() {
        if (data instanceof double[] d) {
            return d.clone();
        }
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = getDouble(i);
        }
        return out;
    }

    /**
     * All elements as long.
     *
     * @throws IllegalStateException when a floating-point element is not an integer, or a uint64 one
     *                               exceeds {@code Long.MAX_VALUE}
     */
    public long[] toLongs() {
        long[] out = new long[size];
        for (int i = 0; i < size; i++) {
            out[i] = switch (dtype) {
                case INT64 -> ((long[]) data)[i];
                case UINT64 -> {
                    long v = ((long[]) data)[i];
                    if (v < 0) {
                        throw new IllegalStateException(dtype + " element " + i + " = "
                                + Long.toUnsignedString(v) + " does not fit a signed long");
                    }
                    yield v;
                }
                case FLOAT16, FLOAT32, FLOAT64 -> {
                    double v = getDouble(i);
                    if (v != Math.rint(v) || Math.abs(v) > 0x1p63) {
                        throw new IllegalStateException(dtype + " element " + i + " = " + v + " is not an integer");
                    }
                    yield (long) v;
                }
                default -> (long) getDouble(i);
            };
        }
        return out;
    }

    /**
     * All elements as int.
     *
     * @throws IllegalStateException when an element is not an integer or does not fit an int
     */
    public int[] toInts() {
        long[] longs = toLongs();
        int[] out = new int[size];
        for (int i = 0; i < size; i++) {
            if (longs[i] != (int) longs[i]) {
                throw new IllegalStateException(dtype + " element " + i + " = " + longs[i] + " does not fit an int");
            }
            out[i] = (int) longs[i];
        }
        return out;
    }

    /** The backing primitive array, for the writer. */
    Object data() {
        return data;
    }

    /** {@code (10, 17, 3)}, {@code (5,)} or {@code ()}: NumPy's spelling of a shape. */
    static String shapeString(int[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        return "(" + String.join(", ", Arrays.stream(shape).mapToObj(Integer::toString).toList()) + ")";
    }

    private static int checkedSize(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + shapeString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^31 - 1 elements");
            }
        }
        return (int) n;
    }

    private static double unsignedToDouble(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyArray a && a.dtype == dtype && Arrays.equals(a.shape, shape)
                && Arrays.deepEquals(new Object[] {a.data}, new Object[] {data});
    }

    @Override
    public int hashCode() {
        return dtype.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return "NpyArray[" + dtype + ", " + shapeString(shape) + "]";
    }
}
