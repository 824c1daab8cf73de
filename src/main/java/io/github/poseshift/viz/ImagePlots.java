package io.github.poseshift.viz;

import io.github.poseshift.skeleton.Skeleton;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * 2D skeletons drawn over image crops: the true joints in green, a model's prediction in red, enlarged so the
 * bones are visible on 64-pixel crops. Joint positions are crop pixels with the centre of the top-left pixel
 * at (0, 0) (the convention of {@code data.ImageSamples}).
 */
public final class ImagePlots {

    /** Colour of the true skeleton. */
    public static final Color TRUTH = new Color(40, 220, 60);
    /** Colour of the predicted skeleton. */
    public static final Color PREDICTION = new Color(235, 40, 40);

    private static final int ROW_HEADER = 96;
    private static final int CAPTION = 16;

    private ImagePlots() {}

    /**
     * {@code crop} enlarged {@code scale} times with the skeleton of {@code truth2d} (green) and of {@code
     * predicted2d} (red) over it; either may be null.
     *
     * @param truth2d     {@code [J, 2]} crop pixels, or null
     * @param predicted2d {@code [J, 2]} crop pixels, or null
     * @throws IllegalArgumentException when scale is below 1 or an array is not {@code 2·J} long
     */
    public static BufferedImage skeletonOnImage(BufferedImage crop, Skeleton skeleton, float[] truth2d,
            float[] predicted2d, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1, got " + scale);
        }
        BufferedImage out = new BufferedImage(crop.getWidth() * scale, crop.getHeight() * scale, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(crop, 0, 0, out.getWidth(), out.getHeight(), null);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        draw(g, skeleton, truth2d, TRUTH, scale);
        draw(g, skeleton, predicted2d, PREDICTION, scale);
        g.dispose();
        return out;
    }

    /**
     * A grid of example crops: one column per crop, one row per method, each tile the crop with the truth
     * (green) and that method's prediction (red), captioned with the crop's label and the method's error.
     *
     * @param crops       the crops, all the same size
     * @param labels      one label per crop (e.g. its action)
     * @param truth2d     {@code [N, J, 2]} the true joints of the crops, in their order
     * @param predicted2d per method, {@code [N, J, 2]} its predictions, same order
     * @param errorsMm    per method, one error per crop in mm (e.g. MPJPE), or an empty map for none
     * @param scale       enlargement of each crop
     * @throws IllegalArgumentException when the sizes disagree or there are no crops or methods
     */
    public static BufferedImage examples(Skeleton skeleton, List<BufferedImage> crops, List<String> labels,
            float[] truth2d, Map<String, float[]> predicted2d, Map<String, double[]> errorsMm, int scale) {
        int n = crops.size();
        int values = skeleton.numJoints() * 2;
        if (n == 0 || predicted2d.isEmpty() || labels.size() != n || truth2d.length != n * values
                || predicted2d.values().stream().anyMatch(p -> p.length != n * values)) {
            throw new IllegalArgumentException("examples need crops, one label each and [" + n + ", "
                    + skeleton.numJoints() + ", 2] joints per method; got " + n + " crops, " + labels.size() + " labels, "
                    + truth2d.length + " true values and " + predicted2d.size() + " methods");
        }
        int tile = crops.get(0).getWidth() * scale;
        BufferedImage out = new BufferedImage(ROW_HEADER + n * (tile + 2), predicted2d.size() * (tile + CAPTION + 2),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        int row = 0;
        for (Map.Entry<String, float[]> method : predicted2d.entrySet()) {
            int y = row * (tile + CAPTION + 2);
            g.setColor(Color.BLACK);
            g.drawString(method.getKey(), 4, y + tile / 2);
            double[] errors = errorsMm.get(method.getKey());
            for (int i = 0; i < n; i++) {
                float[] truth = java.util.Arrays.copyOfRange(truth2d, i * values, (i + 1) * values);
                float[] predicted = java.util.Arrays.copyOfRange(method.getValue(), i * values, (i + 1) * values);
                int x = ROW_HEADER + i * (tile + 2);
                g.drawImage(skeletonOnImage(crops.get(i), skeleton, truth, predicted, scale), x, y, null);
                g.setColor(Color.BLACK);
                String caption = errors == null ? labels.get(i)
                        : String.format(Locale.ROOT, "%s · %.0f mm", labels.get(i), errors[i]);
                g.drawString(caption, x + 2, y + tile + CAPTION - 4);
            }
            row++;
        }
        g.dispose();
        return out;
    }

    /**
     * Images in a row, each enlarged {@code scale} times (nearest neighbour, so pixels stay visible) with its
     * caption below it: e.g. one crop's colour, mask, parts, depth and heatmaps, each named.
     *
     * @throws IllegalArgumentException when there are no images, the captions are not one per image, or scale is
     *                                  below 1
     */
    public static BufferedImage captionedRow(List<BufferedImage> images, List<String> captions, int scale) {
        if (images.isEmpty() || captions.size() != images.size() || scale < 1) {
            throw new IllegalArgumentException("a captioned row needs images, one caption each and a scale of at least 1;"
                    + " got " + images.size() + " images, " + captions.size() + " captions, scale " + scale);
        }
        int tileWidth = images.stream().mapToInt(BufferedImage::getWidth).max().getAsInt() * scale;
        int tileHeight = images.stream().mapToInt(BufferedImage::getHeight).max().getAsInt() * scale;
        BufferedImage out = new BufferedImage(images.size() * (tileWidth + 2), tileHeight + CAPTION + 2,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = images.get(i);
            int x = i * (tileWidth + 2);
            g.drawImage(image, x, 0, image.getWidth() * scale, image.getHeight() * scale, null);
            g.setColor(Color.BLACK);
            g.drawString(captions.get(i), x + 2, tileHeight + CAPTION - 3);
        }
        g.dispose();
        return out;
    }

    /**
     * A {@code rows × cols} matrix (row-major) as an image, one pixel per entry (enlarge it with {@link #captionedRow}):
     * signed values on a blue–white–red scale symmetric about 0 (blue negative), others black to white; each scaled by
     * the matrix's own largest magnitude, so a row of matrices compares patterns, not magnitudes. E.g. each component
     * of a pairwise descriptor ({@code geometry.PairwiseDescriptor}), a heatmap or a depth map.
     *
     * @throws IllegalArgumentException when the sizes do not match or a value is not finite
     */
    public static BufferedImage matrix(double[] values, int rows, int cols, boolean signed) {
        if (rows < 1 || cols < 1 || values.length != (long) rows * cols) {
            throw new IllegalArgumentException("a " + rows + "×" + cols + " matrix needs " + (long) rows * cols
                    + " values, got " + values.length);
        }
        double largest = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                throw new IllegalArgumentException("a matrix to draw holds a non-finite value " + v);
            }
            largest = Math.max(largest, Math.abs(v));
        }
        BufferedImage out = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double t = largest == 0 ? 0 : values[r * cols + c] / largest;
                int rgb;
                if (signed) {
                    int fade = (int) Math.round(255 * (1 - Math.abs(t)));
                    rgb = t >= 0 ? (255 << 16) | (fade << 8) | fade : (fade << 16) | (fade << 8) | 255;
                } else {
                    int grey = (int) Math.round(255 * Math.max(0, t));
                    rgb = (grey << 16) | (grey << 8) | grey;
                }
                out.setRGB(c, r, rgb);
            }
        }
        return out;
    }

    private static void draw(Graphics2D g, Skeleton skeleton, float[] joints2d, Color colour, int scale) {
        if (joints2d == null) {
            return;
        }
        if (joints2d.length != skeleton.numJoints() * 2) {
            throw new IllegalArgumentException("a skeleton of " + skeleton.numJoints() + " joints needs "
                    + skeleton.numJoints() * 2 + " pixel values, got " + joints2d.length);
        }
        g.setColor(colour);
        g.setStroke(new BasicStroke(Math.max(1.5f, scale * 0.6f), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        for (int j = 0; j < skeleton.numJoints(); j++) {
            int parent = skeleton.parent(j);
            if (parent < 0) {
                continue;
            }
            g.drawLine(px(joints2d[2 * j], scale), px(joints2d[2 * j + 1], scale),
                    px(joints2d[2 * parent], scale), px(joints2d[2 * parent + 1], scale));
        }
        int r = Math.max(2, scale);
        for (int j = 0; j < skeleton.numJoints(); j++) {
            g.fillOval(px(joints2d[2 * j], scale) - r / 2, px(joints2d[2 * j + 1], scale) - r / 2, r, r);
        }
    }

    /** A crop pixel coordinate (pixel centres at integers) in the enlarged image. */
    private static int px(float v, int scale) {
        return Math.round((v + 0.5f) * scale);
    }
}
