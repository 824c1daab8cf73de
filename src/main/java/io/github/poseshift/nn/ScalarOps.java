package io.github.poseshift.nn;

import ai.djl.ndarray.NDArray;

/**
 * Arithmetic of an array with a constant that a backward pass can rely on. Use these instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)} and
 * {@code minimum(Number)}: with the PyTorch engine each of those wraps the number in a tensor over a Java direct
 * buffer, applies the operation and closes that tensor at once, while PyTorch's autograd keeps the tensor for the
 * backward pass (MulBackward multiplies the incoming gradient by it). When the garbage collector frees the buffer
 * before the backward runs, the gradient is computed from freed memory: zero, or 1e27, at random steps, depending
 * on when the collector ran. That is what made adversarial runs differ from one run to the next and after other
 * work in the same JVM, even with {@code OMP_NUM_THREADS=1 MKL_CBWR=COMPATIBLE}: with a collector that never frees
 * (Epsilon GC) six runs in a row repeated to the bit, with the default one about every second run did not.
 *
 * <p>Here the constant is created in the array's own manager and lives until that manager closes — a training
 * step's scope, after its backward. {@code ScalarOpsTest} checks that no class of the library calls the DJL
 * methods above.
 */
public final class ScalarOps {

    private ScalarOps() {}

    /** {@code x · c}. */
    public static NDArray times(NDArray x, double c) {
        return x.mul(constant(x, c));
    }

    /** {@code x / c}. */
    public static NDArray dividedBy(NDArray x, double c) {
        return x.div(constant(x, c));
    }

    /** {@code x ^ c}, element-wise. */
    public static NDArray power(NDArray x, double c) {
        return x.pow(constant(x, c));
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray atLeast(NDArray x, double c) {
        return x.maximum(constant(x, c));
    }

    /** {@code min(x, c)}, element-wise. */
    public static NDArray atMost(NDArray x, double c) {
        return x.minimum(constant(x, c));
    }

    /** The constant {@code c} in {@code x}'s manager, of {@code x}'s type. */
    private static NDArray constant(NDArray x, double c) {
        return x.getManager().create((float) c).toType(x.getDataType(), false);
    }
}
