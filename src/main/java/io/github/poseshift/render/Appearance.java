package io.github.poseshift.render;

import io.github.poseshift.data.DomainSpec;
import java.util.Random;

/**
 * How one subject looks: girths (how thick torso, arms and legs are against the average body), skin and hair
 * colour, and three garments. A subject keeps one appearance across all its frames, as a filmed person keeps
 * their clothes; {@link ImageDataset} draws it from the subject's name and the dataset seed.
 *
 * @param torsoGirth  factor on the torso and neck radii
 * @param armGirth    factor on the arm radii
 * @param legGirth    factor on the leg radii
 * @param longSleeves whether the top covers the forearms (else they show skin)
 * @param longLegs    whether the bottom covers the shins
 * @param skin        linear RGB in [0, 1]
 * @param hair        linear RGB in [0, 1] of the upper half of the head (a helmet on the snow)
 * @param top         torso and arms
 * @param bottom      thighs and shins
 * @param shoes       feet
 */
public record Appearance(double torsoGirth, double armGirth, double legGirth, boolean longSleeves, boolean longLegs,
        float[] skin, float[] hair, Garment top, Garment bottom, Garment shoes) {

    /** A surface pattern. */
    public enum Pattern {
        /** One colour. */
        PLAIN,
        /** Bands across the limb, alternating the two colours every half period along its axis. */
        STRIPES,
        /** Stripes that also alternate between the four quarters around the limb's axis. */
        CHECKS
    }

    /**
     * One garment.
     *
     * @param colour  main linear RGB in [0, 1]
     * @param second  the pattern's other colour
     * @param pattern the pattern
     * @param periodM length of one stripe pair along a limb, metres
     */
    public record Garment(float[] colour, float[] second, Pattern pattern, double periodM) {}

    /** Skin tones from light to dark, interpolated. */
    private static final float[][] SKIN = {{0.95f, 0.78f, 0.66f}, {0.80f, 0.58f, 0.44f}, {0.55f, 0.37f, 0.26f},
        {0.33f, 0.21f, 0.14f}};

    /** Hair colours: black, dark brown, brown, blond, grey. */
    private static final float[][] HAIR = {{0.05f, 0.04f, 0.04f}, {0.18f, 0.11f, 0.07f}, {0.35f, 0.22f, 0.12f},
        {0.75f, 0.62f, 0.38f}, {0.6f, 0.6f, 0.6f}};

    /**
     * A random subject of a domain: girths N(1, girthStd) each (clipped to ±2.5 std), garment colours with the
     * style's saturation and brightness, patterned with probability {@code texturedClothing}. On snow everyone
     * wears a long ski suit and a bright helmet.
     */
    public static Appearance sample(DomainSpec.Image style, Random rng) {
        double std = style.girthStd();
        double torso = 1 + std * clippedGaussian(rng);
        double arms = 1 + std * clippedGaussian(rng);
        double legs = 1 + std * clippedGaussian(rng);
        boolean snow = style.background() == DomainSpec.ImageBackground.SNOW;
        boolean longSleeves = snow || rng.nextDouble() < 0.6;
        boolean longLegs = snow || rng.nextDouble() < 0.75;
        float[] skin = mixSkin(rng.nextDouble());
        float[] hair = snow ? clothingColour(style, rng) : HAIR[rng.nextInt(HAIR.length)].clone();
        Garment top = garment(style, rng);
        Garment bottom = snow && rng.nextDouble() < 0.5 ? top : garment(style, rng);
        Garment shoes = new Garment(hsv(rng.nextDouble(), 0.3 * rng.nextDouble(), 0.1 + 0.4 * rng.nextDouble()),
                hsv(0, 0, 0.9), Pattern.PLAIN, 0.1);
        return new Appearance(torso, arms, legs, longSleeves, longLegs, skin, hair, top, bottom, shoes);
    }

    private static double clippedGaussian(Random rng) {
        return Math.max(-2.5, Math.min(2.5, rng.nextGaussian()));
    }

    private static float[] mixSkin(double t) {
        double x = t * (SKIN.length - 1);
        int i = Math.min(SKIN.length - 2, (int) x);
        double w = x - i;
        float[] out = new float[3];
        for (int c = 0; c < 3; c++) {
            out[c] = (float) ((1 - w) * SKIN[i][c] + w * SKIN[i + 1][c]);
        }
        return out;
    }

    private static Garment garment(DomainSpec.Image style, Random rng) {
        float[] colour = clothingColour(style, rng);
        Pattern pattern = Pattern.PLAIN;
        if (rng.nextDouble() < style.texturedClothing()) {
            pattern = rng.nextBoolean() ? Pattern.STRIPES : Pattern.CHECKS;
        }
        // The second colour is a darker shade of the first or another hue: both occur in real clothes.
        float[] second = rng.nextBoolean() ? clothingColour(style, rng)
                : new float[] {colour[0] * 0.4f, colour[1] * 0.4f, colour[2] * 0.4f};
        return new Garment(colour, second, pattern, 0.06 + 0.14 * rng.nextDouble());
    }

    private static float[] clothingColour(DomainSpec.Image style, Random rng) {
        return hsv(rng.nextDouble(), style.clothingSaturation().sample(rng), style.clothingBrightness().sample(rng));
    }

    /** HSV in [0, 1]³ to RGB in [0, 1]³. */
    static float[] hsv(double h, double s, double v) {
        double hh = (h - Math.floor(h)) * 6;
        int sector = (int) hh % 6;
        double f = hh - Math.floor(hh);
        double p = v * (1 - s);
        double q = v * (1 - s * f);
        double t = v * (1 - s * (1 - f));
        double[] rgb = switch (sector) {
            case 0 -> new double[] {v, t, p};
            case 1 -> new double[] {q, v, p};
            case 2 -> new double[] {p, v, t};
            case 3 -> new double[] {p, q, v};
            case 4 -> new double[] {t, p, v};
            default -> new double[] {v, p, q};
        };
        return new float[] {(float) rgb[0], (float) rgb[1], (float) rgb[2]};
    }
}
