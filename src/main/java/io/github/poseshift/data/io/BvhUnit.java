package io.github.poseshift.data.io;

import com.google.gson.annotations.SerializedName;
import java.util.Locale;

/**
 * The length unit of a BVH file. {@link #AUTO} decides from the body's height, which is about 1.5-1.9 m
 * for an adult in any unit: the height range tells metres, centimetres, millimetres and inches apart.
 * A domain spec names it by its {@link SerializedName} ({@code motion.unit}).
 */
public enum BvhUnit {
    @SerializedName("auto") AUTO(Double.NaN, 0, 0),
    @SerializedName("m") M(1.0, 0.8, 2.5),
    @SerializedName("cm") CM(0.01, 100, 250),
    @SerializedName("mm") MM(0.001, 800, 2500),
    @SerializedName("inch") INCH(0.0254, 35, 99.9);

    private final double toMetres;
    private final double minHeight;
    private final double maxHeight;

    BvhUnit(double toMetres, double minHeight, double maxHeight) {
        this.toMetres = toMetres;
        this.minHeight = minHeight;
        this.maxHeight = maxHeight;
    }

    /** Metres per unit (NaN for AUTO). */
    public double toMetres() {
        return toMetres;
    }

    /**
     * The unit in which a body of {@code height} file units is a plausible person.
     *
     * @param source the file, for the error
     * @throws FormatException naming the measured height when no unit fits, asking for an explicit unit
     */
    static BvhUnit detect(double height, String source) throws FormatException {
        for (BvhUnit u : new BvhUnit[] {M, CM, MM, INCH}) {
            if (height >= u.minHeight && height <= u.maxHeight) {
                return u;
            }
        }
        throw new FormatException(source, String.format(Locale.ROOT, "cannot tell the unit from the body height of %.4g"
                + " file units (m 0.8-2.5, inch 35-100, cm 100-250, mm 800-2500); give the unit (m, cm, mm or inch)",
                height));
    }

    /** The spelling of domain specs and the CLI: {@code auto}, {@code m}, {@code cm}, {@code mm}, {@code inch}. */
    @Override
    public String toString() {
        return JsonSpelling.of(this);
    }

    /** Parses {@code auto}, {@code m}, {@code cm}, {@code mm}, {@code inch} (case-insensitive). */
    public static BvhUnit parse(String text) {
        try {
            return valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown unit '" + text + "'; use auto, m, cm, mm or inch");
        }
    }
}
