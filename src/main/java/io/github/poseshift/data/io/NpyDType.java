package io.github.poseshift.data.io;

/**
 * The NumPy element types PoseShift reads ({@code numpy.lib.format} descriptors such as {@code <f4}).
 * Strings, objects (pickles), complex numbers and structured types are not numeric pose data and are
 * rejected by {@link Npy}.
 */
public enum NpyDType {
    BOOL('b', 1, "bool"),
    INT8('i', 1, "int8"),
    UINT8('u', 1, "uint8"),
    INT16('i', 2, "int16"),
    UINT16('u', 2, "uint16"),
    INT32('i', 4, "int32"),
    UINT32('u', 4, "uint32"),
    INT64('i', 8, "int64"),
    UINT64('u', 8, "uint64"),
    /** Half precision: read (widened to float32), never written. */
    FLOAT16('f', 2, "float16"),
    FLOAT32('f', 4, "float32"),
    FLOAT64('f', 8, "float64");

    private final char kind;
    private final int itemSize;
    private final String numpyName;

    NpyDType(char kind, int itemSize, String numpyName) {
        this.kind = kind;
        this.itemSize = itemSize;
        this.numpyName = numpyName;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** NumPy's kind character: {@code b}, {@code i}, {@code u} or {@code f}. */
    public char kind() {
        return kind;
    }

    /** NumPy's name, e.g. {@code float32}. */
    public String numpyName() {
        return numpyName;
    }

    /** Whether the values are floating point. */
    public boolean isFloatingPoint() {
        return kind == 'f';
    }

    /** The little-endian descriptor written into headers, e.g. {@code <f4} or {@code |u1}. */
    public String descriptor() {
        return (itemSize == 1 ? "|" : "<") + kind + itemSize;
    }

    /** The type of a descriptor's kind and size (byte order is handled by the reader), or null. */
    static NpyDType of(char kind, int itemSize) {
        for (NpyDType t : values()) {
            if (t.kind == kind && t.itemSize == itemSize) {
                return t;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return numpyName;
    }
}
