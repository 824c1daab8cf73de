package io.github.poseshift.data.io;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * A NumPy array of Python objects ({@code dtype=object}) as {@link NumpyUnpickler} rebuilds it, e.g. the
 * 0-d array {@code np.savez} writes for a dict: its shape and its elements in C order (unmodifiable).
 *
 * @param shape dimensions
 * @param elements one per cell, C order
 */
public record NpyObjectArray(int[] shape, List<Object> elements) {

    /** Copies both, so the record cannot change afterwards. */
    public NpyObjectArray {
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
        return o instanceof NpyObjectArray a && Arrays.equals(a.shape, shape) && a.elements.equals(elements);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + elements.hashCode();
    }

    @Override
    public String toString() {
        return "NpyObjectArray[" + NpyArray.shapeString(shape) + "]";
    }
}
