package io.github.poseshift.eval;

import java.util.Locale;

/** The unit of input coordinates; metrics are always reported in millimetres. */
public enum LengthUnit {
    /** Metres, PoseShift's internal unit and VideoPose3D's. */
    METRES("m", 1000.0),
    /** Millimetres, Human3.6M's and MPI-INF-3DHP's raw unit. */
    MILLIMETRES("mm", 1.0);

    private final String symbol;
    private final double toMillimetres;

    LengthUnit(String symbol, double toMillimetres) {
        this.symbol = symbol;
        this.toMillimetres = toMillimetres;
    }

    /** {@code m} or {@code mm}. */
    public String symbol() {
        return symbol;
    }

    /** Millimetres per unit. */
    public double toMillimetres() {
        return toMillimetres;
    }

    /**
     * Parses {@code m}/{@code mm} (also {@code metres}, {@code millimetres}, case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LengthUnit parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "m", "metre", "metres", "meter", "meters" -> METRES;
            case "mm", "millimetre", "millimetres", "millimeter", "millimeters" -> MILLIMETRES;
            default -> throw new IllegalArgumentException("unknown unit '" + text + "'; use m or mm");
        };
    }
}
