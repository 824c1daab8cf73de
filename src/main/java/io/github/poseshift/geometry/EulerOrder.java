package io.github.poseshift.geometry;

import java.util.Locale;

/**
 * Order of the three Tait–Bryan axes of an Euler-angle triple, read as <b>intrinsic</b> rotations:
 * for order ABC and angles (a, b, c) the rotation is R = R_A(a) · R_B(b) · R_C(c), acting on column
 * vectors.
 *
 * <p>This is the BVH convention: channels "Zrotation Xrotation Yrotation" are {@link #ZXY} and mean
 * R = Rz · Rx · Ry, i.e. rotate about Z, then about the rotated X, then about the twice-rotated Y
 * (equivalently: Y, then X, then Z about the fixed axes). Axes are numbered X = 0, Y = 1, Z = 2.
 */
public enum EulerOrder {
    XYZ(0, 1, 2),
    XZY(0, 2, 1),
    YXZ(1, 0, 2),
    YZX(1, 2, 0),
    ZXY(2, 0, 1),
    ZYX(2, 1, 0);

    private final int first;
    private final int second;
    private final int third;

    EulerOrder(int first, int second, int third) {
        this.first = first;
        this.second = second;
        this.third = third;
    }

    /**
     * The axis (0 = X, 1 = Y, 2 = Z) of the rotation at {@code position} 0, 1 or 2 in the product
     * R_A · R_B · R_C.
     */
    public int axis(int position) {
        return switch (position) {
            case 0 -> first;
            case 1 -> second;
            case 2 -> third;
            default -> throw new IllegalArgumentException(
                    "position must be 0, 1 or 2, got " + position);
        };
    }

    /**
     * +1 when the axes form an even (cyclic) permutation of XYZ, −1 otherwise; the sign that enters
     * the closed-form Euler extraction in {@link Rotation#toEuler(EulerOrder)}.
     */
    int parity() {
        return (second - first + 3) % 3 == 1 ? 1 : -1;
    }

    /**
     * Parses an order such as "xyz" or "ZXY" (case-insensitive, surrounding blanks ignored).
     *
     * @throws IllegalArgumentException unless the text is three distinct letters from X, Y, Z
     */
    public static EulerOrder parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException(
                    "Euler order must be three distinct axes from X, Y, Z such as \"ZXY\", got null");
        }
        String upper = text.strip().toUpperCase(Locale.ROOT);
        for (EulerOrder order : values()) {
            if (order.name().equals(upper)) {
                return order;
            }
        }
        throw new IllegalArgumentException("Euler order must be three distinct axes from X, Y, Z"
                + " such as \"ZXY\" (case-insensitive), got \"" + text + "\"");
    }
}
