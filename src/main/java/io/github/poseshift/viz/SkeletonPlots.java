package io.github.poseshift.viz;

import io.github.poseshift.data.DomainGap;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeleton;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Predicted-versus-true 3D skeletons for reports: one PNG holding a grid of panels, each panel one sample
 * seen in two orthographic views side by side, the ground truth in dark grey and every prediction in its own
 * colour, right-side bones solid and left-side bones dashed.
 *
 * <p>Every view of the figure shares one scale (pixels per metre, equal on both axes), so limbs keep their
 * proportions and poses can be compared across panels. The {@link Frame} says which way is up: the lifter's
 * targets and predictions are root-relative camera coordinates (y down), world poses are Z up.
 *
 * <p>Headless: the views are XChart charts rendered to images and composed with {@code java.awt}, which
 * needs {@code java.awt.headless=true} on a machine without a display (surefire and the launcher set it).
 */
public final class SkeletonPlots {

    /** Width of one view in pixels; a panel is two views wide. */
    static final int VIEW_WIDTH = 330;

    /** Height of one view in pixels (portrait: a standing body is taller than wide). */
    static final int VIEW_HEIGHT = 420;

    /** Height of the title strip above each panel's two views. */
    static final int TITLE_HEIGHT = 34;

    /** Width of one panel: two views side by side. */
    static final int PANEL_WIDTH = 2 * VIEW_WIDTH;

    /** Height of one panel: title strip and views. */
    static final int PANEL_HEIGHT = TITLE_HEIGHT + VIEW_HEIGHT;

    /** Height of one line of the figure legend below the grid. */
    static final int LEGEND_LINE_HEIGHT = 26;

    /** Padding above and below the legend lines. */
    static final int LEGEND_PADDING = 10;

    /** Length of a legend entry's line sample, the gap to its label, and the space between entries. */
    private static final int LEGEND_SAMPLE = 28;
    private static final int LEGEND_GAP = 6;
    private static final int LEGEND_SPACING = 22;

    /**
     * Ground truth: dark slate grey, not neutral, so it never coincides with anti-aliased black text; drawn
     * wider and first, so predictions on top leave it visible at the edges.
     */
    static final Color TRUTH_COLOR = new Color(50, 50, 62);

    /**
     * Prediction colours in order of first appearance (tab10 without its grey, which would read as truth):
     * red, blue, green, orange, purple, brown, pink, cyan.
     */
    static final List<Color> PREDICTION_COLORS = List.of(new Color(214, 39, 40), new Color(31, 119, 180),
            new Color(44, 160, 44), new Color(255, 127, 14), new Color(148, 103, 189), new Color(140, 86, 75),
            new Color(227, 119, 194), new Color(23, 190, 207));

    /** The most predictions one figure draws: one distinct colour each. */
    public static final int MAX_PREDICTIONS = 8;

    static final String TRUTH_NAME = "ground truth";

    private static final float TRUTH_WIDTH = 4.0f;
    private static final float PREDICTION_WIDTH = 2.2f;

    /** Fraction of the plot kept free around the largest pose, so no limb touches the frame. */
    private static final double FIT_MARGIN = 1.12;

    /** Smallest span a view shows, so a degenerate pose (all joints at the root) still gets a sane scale. */
    private static final double MIN_SPAN_M = 0.3;

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font VIEW_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font AXIS_TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    private SkeletonPlots() {}

    /**
     * One sample to draw: a title, the true pose and any number of named predictions, each {@code float[J * 3]}
     * laid out {@code [joint][xyz]} in metres and root-relative (or at least in one common frame).
     *
     * <p>The arrays are read, not copied. The predictions keep the iteration order of the map given (pass a
     * {@link LinkedHashMap}): a prediction's colour is fixed by the order in which its name first appears
     * across the panels of a figure, so the same name has the same colour in every panel.
     *
     * @param title       shown above the panel, e.g. {@code "3dhp-like · Walk · frame 120 · source-only 143 mm"}
     * @param truth       the ground-truth pose
     * @param predictions named predicted poses, drawn in this order on top of the truth; may be empty
     */
    public record SkeletonPanel(String title, float[] truth, Map<String, float[]> predictions) {

        /** Rejects null components; copies the map (not the arrays) so later changes to it do not leak in. */
        public SkeletonPanel {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(truth, "truth");
            predictions = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(predictions,
                    "predictions")));
        }

        /**
         * Pose {@code sample} of {@code truth} and of each prediction array, rounded to float — the form
         * {@code LifterTraining.predict} and {@code LifterTraining.targets} return.
         *
         * @throws IllegalArgumentException when an array has a different number of joints from the truth
         * @throws IndexOutOfBoundsException when {@code sample} is not a pose of an array
         */
        public static SkeletonPanel of(String title, PoseArray truth, Map<String, PoseArray> predictions, int sample) {
            Map<String, float[]> poses = new LinkedHashMap<>();
            for (Map.Entry<String, PoseArray> e : predictions.entrySet()) {
                if (e.getValue().numJoints() != truth.numJoints()) {
                    throw new IllegalArgumentException("prediction '" + e.getKey() + "' has " + e.getValue().numJoints()
                            + " joints, the truth " + truth.numJoints());
                }
                poses.put(e.getKey(), pose(e.getValue(), sample));
            }
            return new SkeletonPanel(title, pose(truth, sample), poses);
        }

        /**
         * Frame {@code frame} of a view as its camera sees it: the true pose in the camera's coordinates,
         * root-relative (draw it with {@link Frame#CAMERA}), titled {@code "<domain> · <subject> <action> · frame
         * <f> · camera <elevation>° up, <distance> m"} ({@link DomainGap#viewpoint(ViewSequence, int)}).
         *
         * @throws IndexOutOfBoundsException when the view has no such frame
         */
        public static SkeletonPanel cameraView(String domain, ViewSequence view, int frame) {
            double[] viewpoint = DomainGap.viewpoint(view, frame);
            PoseArray camera = PoseArray.of(view.cameraPositions(), view.poses().skeleton().numJoints())
                    .rootRelative(view.poses().skeleton().root());
            String title = String.format(Locale.ROOT, "%s · %s %s · frame %d · camera %.0f° up, %.1f m", domain,
                    view.poses().subject(), view.poses().action(), frame, viewpoint[0], viewpoint[2]);
            return of(title, camera, Map.of(), frame);
        }

        private static float[] pose(PoseArray poses, int sample) {
            if (sample < 0 || sample >= poses.numPoses()) {
                throw new IndexOutOfBoundsException("sample " + sample + " outside 0.." + (poses.numPoses() - 1));
            }
            double[] p = poses.pose(sample);
            float[] f = new float[p.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) p[i];
            }
            return f;
        }
    }

    /**
     * The coordinate frame of the poses, which decides what is "up" and which two views are drawn. Both views
     * are seen from outside the body without mirroring: the horizontal axis points to the viewer's right.
     */
    public enum Frame {
        /**
         * World coordinates, Z up (PoseSequence, the {@code .npy} files of {@code convert}): a front view with
         * x to the right and z up (seen from −y) and a side view with y to the right and z up (seen from +x).
         */
        WORLD_Z_UP(new View("front (x–z)", 0, 1, "x (m)", 2, 1, "z (m)"),
                new View("side (y–z)", 1, 1, "y (m)", 2, 1, "z (m)")),

        /**
         * Camera coordinates, x right, y down, z forward (the lifter's targets and predictions: PoseDataset,
         * LifterTraining.predict): the camera's own view with x to the right and y downwards, and a side view
         * with depth z to the right and y downwards (seen from the camera's right, +x). Tick labels show the true
         * y values, so they grow downwards.
         */
        CAMERA(new View("camera view (x–y)", 0, 1, "x (m)", 1, -1, "y (m, down)"),
                new View("side (z–y)", 2, 1, "z (m, depth)", 1, -1, "y (m, down)"));

        private final View front;
        private final View side;

        Frame(View front, View side) {
            this.front = front;
            this.side = side;
        }
    }

    /**
     * One orthographic view: which coordinate runs right and which up, with a sign (−1 when the frame's axis
     * points down, as camera y does; XChart cannot invert an axis, so the data are negated and the tick labels
     * negated back).
     */
    private record View(String title, int hAxis, int hSign, String hLabel, int vAxis, int vSign, String vLabel) {

        double h(float[] pose, int joint) {
            return hSign * pose[joint * 3 + hAxis];
        }

        double v(float[] pose, int joint) {
            return vSign * pose[joint * 3 + vAxis];
        }
    }

    /**
     * Writes one PNG at {@code file} (exactly that path; parent folders are created) with a grid of panels,
     * {@code columns} wide and filled row by row. Each panel shows its title and the poses in the two views of
     * {@code frame}; a legend below the grid names the truth, each prediction's colour, and the line styles
     * (solid right side and centre line, dashed left side, by {@link Skeleton#leftJoints()}).
     *
     * <p>Size: {@code min(columns, panels) × }{@value #PANEL_WIDTH} pixels wide; {@code rows × }
     * {@value #PANEL_HEIGHT} pixels high plus a legend of {@value #LEGEND_LINE_HEIGHT} pixels per line (one line
     * unless the names do not fit the width) and 2 × {@value #LEGEND_PADDING}. Every view uses the same
     * scale, chosen so the widest and the tallest pose of the figure fit; each view is centred on its own poses.
     *
     * @param skeleton the joint layout of every pose (bones, left side)
     * @param panels   the samples, in reading order
     * @param frame    the coordinate frame of the poses
     * @param columns  panels per row (fewer when there are fewer panels)
     * @param file     the PNG to write
     * @throws IllegalArgumentException when there are no panels, {@code columns < 1}, a pose has the wrong
     *                                  length for the skeleton or a non-finite coordinate, a prediction name is
     *                                  null or blank, or the figure names more predictions than there are
     *                                  colours (8); the message names the panel and the problem
     * @throws IOException when the file cannot be written
     */
    public static void skeletonPanels(Skeleton skeleton, List<SkeletonPanel> panels, Frame frame, int columns,
            Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        BufferedImage figure = skeletonPanels(skeleton, panels, frame, columns);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.writePng(file, figure);
    }

    /**
     * The figure of {@link #skeletonPanels(Skeleton, List, Frame, int, Path)} as an image instead of a file: a
     * notebook cell whose last expression is this image shows it.
     *
     * @throws IllegalArgumentException as the file variant
     */
    public static BufferedImage skeletonPanels(Skeleton skeleton, List<SkeletonPanel> panels, Frame frame,
            int columns) {
        Objects.requireNonNull(skeleton, "skeleton");
        Objects.requireNonNull(panels, "panels");
        Objects.requireNonNull(frame, "frame");
        if (panels.isEmpty()) {
            throw new IllegalArgumentException("no panels to draw");
        }
        if (columns < 1) {
            throw new IllegalArgumentException("columns must be >= 1, got " + columns);
        }
        for (int p = 0; p < panels.size(); p++) {
            validate(skeleton, panels.get(p), p);
        }
        Map<String, Color> colors = colors(panels);

        int cols = Math.min(columns, panels.size());
        int rows = (panels.size() + cols - 1) / cols;
        int width = cols * PANEL_WIDTH;
        List<List<LegendItem>> legendLines = legendLines(colors, width);
        int legendHeight = legendLines.size() * LEGEND_LINE_HEIGHT + 2 * LEGEND_PADDING;
        BufferedImage figure = new BufferedImage(width, rows * PANEL_HEIGHT + legendHeight, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = figure.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, figure.getWidth(), figure.getHeight());

            double pixelsPerMetre = pixelsPerMetre(panels, frame);
            for (int p = 0; p < panels.size(); p++) {
                int x0 = (p % cols) * PANEL_WIDTH;
                int y0 = (p / cols) * PANEL_HEIGHT;
                SkeletonPanel panel = panels.get(p);
                drawTitle(g, panel.title(), x0, y0);
                g.drawImage(view(skeleton, panel, frame.front, colors, pixelsPerMetre), x0, y0 + TITLE_HEIGHT, null);
                g.drawImage(view(skeleton, panel, frame.side, colors, pixelsPerMetre), x0 + VIEW_WIDTH,
                        y0 + TITLE_HEIGHT, null);
                if (p % cols != 0) {
                    // A hairline between neighbouring panels; the two views of one panel stay unseparated.
                    g.setColor(new Color(200, 200, 200));
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(x0, y0 + 6, x0, y0 + PANEL_HEIGHT - 6);
                }
                if (p >= cols) {
                    g.setColor(new Color(200, 200, 200));
                    g.setStroke(new BasicStroke(1f));
                    g.drawLine(x0 + 6, y0, x0 + PANEL_WIDTH - 6, y0);
                }
            }
            drawLegend(g, legendLines, rows * PANEL_HEIGHT, width);
        } finally {
            g.dispose();
        }
        return figure;
    }

    /**
     * Three panels of one test set, at the lower quartile, median and upper quartile of the first
     * prediction's error (the benchmark's report drawings): each panel the truth and every prediction, titled
     * {@code "<name> · <label> · window <i> · <method> <error> mm, ..."}. The quartiles, not the extremes: one
     * outlier metres off would shrink every other drawing, which all share its scale.
     *
     * @param name        what the poses are, e.g. the target domain's name
     * @param truth       the true poses, root-relative metres
     * @param predictions named predictions of the same poses, in the same unit; the first ranks the samples
     * @param labels      one label per pose (e.g. its action)
     * @throws IllegalArgumentException when there are no predictions, or an array or the labels differ in size
     */
    public static List<SkeletonPanel> quartilePanels(String name, PoseArray truth, Map<String, PoseArray> predictions,
            List<String> labels) {
        if (predictions.isEmpty()) {
            throw new IllegalArgumentException("no predictions to rank the samples by");
        }
        if (labels.size() != truth.numPoses()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + truth.numPoses() + " poses");
        }
        Map<String, double[]> errors = new LinkedHashMap<>();
        for (Map.Entry<String, PoseArray> e : predictions.entrySet()) {
            if (!e.getValue().sameShape(truth)) {
                throw new IllegalArgumentException("prediction '" + e.getKey() + "' is " + e.getValue() + ", the truth "
                        + truth);
            }
            errors.put(e.getKey(), PoseErrors.compute(e.getValue(), truth, LengthUnit.METRES).perPoseMpjpeMm());
        }
        int[] quartiles = pickSamples(errors.values().iterator().next(), 5);
        List<SkeletonPanel> panels = new ArrayList<>();
        for (int sample : Arrays.copyOfRange(quartiles, 1, 4)) {
            StringBuilder title = new StringBuilder(name + " · " + labels.get(sample) + " · window " + sample);
            String separator = " · ";
            for (Map.Entry<String, double[]> e : errors.entrySet()) {
                title.append(String.format(Locale.ROOT, "%s%s %.0f mm", separator, e.getKey(), e.getValue()[sample]));
                separator = ", ";
            }
            panels.add(SkeletonPanel.of(title.toString(), truth, predictions, sample));
        }
        return panels;
    }

    /**
     * Indices of {@code count} samples at evenly spaced quantiles of their error, for a report that shows the
     * best, typical and worst cases without choosing them by hand.
     *
     * <p>The samples are ranked by error, ties by index (so the result is deterministic); with {@code n}
     * samples the k-th pick (k = 0 … count−1) is the sample of rank {@code round(k·(n−1)/(count−1))}, halves
     * rounded up: for {@code count = 3} the best, the median and the worst. {@code count = 1} gives the
     * median (the lower one for even {@code n}). With {@code count ≥ n} every sample is returned. Ranks are
     * then strictly increasing, so no sample appears twice; the indices come back in rank order, best first.
     *
     * @param errorPerSample one error per sample, e.g. MPJPE in mm; lower is better
     * @param count          how many samples to pick, at least 1
     * @return sample indices, best first
     * @throws IllegalArgumentException when there are no samples, {@code count < 1}, or an error is NaN
     */
    public static int[] pickSamples(double[] errorPerSample, int count) {
        Objects.requireNonNull(errorPerSample, "errorPerSample");
        int n = errorPerSample.length;
        if (n == 0) {
            throw new IllegalArgumentException("no samples to pick from");
        }
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, got " + count);
        }
        for (int i = 0; i < n; i++) {
            // NaN has no place in an order of errors; picking around it would be arbitrary.
            if (Double.isNaN(errorPerSample[i])) {
                throw new IllegalArgumentException("error of sample " + i + " is NaN");
            }
        }
        Integer[] byError = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        // Stable sort on the error alone keeps equal errors in index order.
        Arrays.sort(byError, Comparator.comparingDouble(i -> errorPerSample[i]));
        if (count >= n) {
            return Arrays.stream(byError).mapToInt(Integer::intValue).toArray();
        }
        int[] picks = new int[count];
        if (count == 1) {
            picks[0] = byError[(n - 1) / 2];
            return picks;
        }
        for (int k = 0; k < count; k++) {
            // round(k (n-1) / (count-1)) in exact integer arithmetic, halves up.
            long rank = (2L * k * (n - 1) + (count - 1)) / (2L * (count - 1));
            picks[k] = byError[(int) rank];
        }
        return picks;
    }

    private static void validate(Skeleton skeleton, SkeletonPanel panel, int p) {
        if (panel == null) {
            throw new IllegalArgumentException("panel " + p + " is null");
        }
        String where = "panel " + p + " ('" + panel.title() + "')";
        checkPose(skeleton, panel.truth(), where + ": truth");
        for (Map.Entry<String, float[]> e : panel.predictions().entrySet()) {
            if (e.getKey() == null || e.getKey().isBlank()) {
                throw new IllegalArgumentException(where + ": a prediction has no name");
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException(where + ": prediction '" + e.getKey() + "' is null");
            }
            checkPose(skeleton, e.getValue(), where + ": prediction '" + e.getKey() + "'");
        }
    }

    private static void checkPose(Skeleton skeleton, float[] pose, String what) {
        int expected = skeleton.numJoints() * 3;
        if (pose.length != expected) {
            throw new IllegalArgumentException(what + " has " + pose.length + " values, expected " + expected + " ("
                    + skeleton.numJoints() + " joints × 3 of skeleton " + skeleton.name() + ")");
        }
        for (int i = 0; i < pose.length; i++) {
            if (!Float.isFinite(pose[i])) {
                throw new IllegalArgumentException(what + ": joint " + i / 3 + " (" + skeleton.jointName(i / 3) + ") "
                        + "xyz".charAt(i % 3) + " is " + pose[i]);
            }
        }
    }

    /** One colour per prediction name, in order of first appearance across the panels. */
    private static Map<String, Color> colors(List<SkeletonPanel> panels) {
        Map<String, Color> colors = new LinkedHashMap<>();
        for (SkeletonPanel panel : panels) {
            for (String name : panel.predictions().keySet()) {
                if (!colors.containsKey(name)) {
                    if (colors.size() == MAX_PREDICTIONS) {
                        // Reusing a colour would make two predictions indistinguishable.
                        throw new IllegalArgumentException("more than " + MAX_PREDICTIONS
                                + " prediction names in one figure (" + colors.keySet() + " and '" + name
                                + "'); there are not enough distinct colours");
                    }
                    colors.put(name, PREDICTION_COLORS.get(colors.size()));
                }
            }
        }
        return colors;
    }

    /**
     * The one scale of the figure: the largest pose span of any view, with a margin, fitted into the plot area
     * of a view. The plot area is measured on a probe chart with the same styling, because XChart sizes it
     * after the tick labels and titles.
     */
    private static double pixelsPerMetre(List<SkeletonPanel> panels, Frame frame) {
        double hSpan = MIN_SPAN_M;
        double vSpan = MIN_SPAN_M;
        for (SkeletonPanel panel : panels) {
            for (View view : List.of(frame.front, frame.side)) {
                double[] box = bounds(panel, view);
                hSpan = Math.max(hSpan, box[1] - box[0]);
                vSpan = Math.max(vSpan, box[3] - box[2]);
            }
        }
        XYChart probe = chart(frame.front);
        probe.addSeries("probe", new double[] {-1, 1}, new double[] {-1, 1});
        Rendered area = render(probe, -1, 1, -1, 1);
        return Math.min(area.plotWidth() / (hSpan * FIT_MARGIN), area.plotHeight() / (vSpan * FIT_MARGIN));
    }

    /** {hMin, hMax, vMin, vMax} over the truth and every prediction of a panel, in view coordinates. */
    private static double[] bounds(SkeletonPanel panel, View view) {
        double[] box = {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};
        List<float[]> poses = new ArrayList<>();
        poses.add(panel.truth());
        poses.addAll(panel.predictions().values());
        for (float[] pose : poses) {
            for (int j = 0; j < pose.length / 3; j++) {
                box[0] = Math.min(box[0], view.h(pose, j));
                box[1] = Math.max(box[1], view.h(pose, j));
                box[2] = Math.min(box[2], view.v(pose, j));
                box[3] = Math.max(box[3], view.v(pose, j));
            }
        }
        return box;
    }

    /** One view of one panel, rendered at {@code pixelsPerMetre} on both axes and centred on its poses. */
    private static BufferedImage view(Skeleton skeleton, SkeletonPanel panel, View view, Map<String, Color> colors,
            double pixelsPerMetre) {
        XYChart chart = chart(view);
        addPose(chart, skeleton, view, TRUTH_NAME, panel.truth(), TRUTH_COLOR, TRUTH_WIDTH);
        for (Map.Entry<String, float[]> e : panel.predictions().entrySet()) {
            addPose(chart, skeleton, view, e.getKey(), e.getValue(), colors.get(e.getKey()), PREDICTION_WIDTH);
        }
        double[] box = bounds(panel, view);
        double hCentre = (box[0] + box[1]) / 2;
        double vCentre = (box[2] + box[3]) / 2;
        // The plot area depends on the tick labels, which depend on the ranges: set the ranges for the area
        // measured, render, measure again, until the area (and so the scale) no longer moves.
        double width = VIEW_WIDTH * 0.8;
        double height = VIEW_HEIGHT * 0.8;
        Rendered r = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            double hHalf = width / pixelsPerMetre / 2;
            double vHalf = height / pixelsPerMetre / 2;
            r = render(chart, hCentre - hHalf, hCentre + hHalf, vCentre - vHalf, vCentre + vHalf);
            if (Math.abs(r.plotWidth() - width) < 0.25 && Math.abs(r.plotHeight() - height) < 0.25) {
                break;
            }
            width = r.plotWidth();
            height = r.plotHeight();
        }
        return r.image();
    }

    /** A rendered chart and the size in pixels of the plot area its axis ranges were mapped onto. */
    private record Rendered(BufferedImage image, double plotWidth, double plotHeight) {}

    /** Sets the axis ranges and renders the chart; rendering is what lays out (and so sizes) the plot area. */
    private static Rendered render(XYChart chart, double hMin, double hMax, double vMin, double vMax) {
        XYStyler s = chart.getStyler();
        s.setXAxisMin(hMin);
        s.setXAxisMax(hMax);
        s.setYAxisMin(vMin);
        s.setYAxisMax(vMax);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        return new Rendered(image, Math.abs(chart.getScreenXFromChart(hMax) - chart.getScreenXFromChart(hMin)),
                Math.abs(chart.getScreenYFromChart(vMax) - chart.getScreenYFromChart(vMin)));
    }

    private static XYChart chart(View view) {
        XYChart chart = new XYChart(VIEW_WIDTH, VIEW_HEIGHT);
        chart.setTitle(view.title());
        chart.setXAxisTitle(view.hLabel());
        chart.setYAxisTitle(view.vLabel());
        XYStyler s = chart.getStyler();
        s.setLegendVisible(false); // one legend for the whole figure instead of one per view
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(new Color(250, 250, 250));
        s.setPlotBorderColor(new Color(190, 190, 190));
        s.setPlotGridLinesColor(new Color(228, 228, 228));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        // Data fill the whole plot area: the scale is then exactly plot size / axis range.
        s.setPlotContentSize(1.0);
        s.setChartTitleFont(VIEW_TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setChartTitlePadding(4);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setChartPadding(6);
        s.setMarkerSize(0);
        s.setXAxisTickMarkSpacingHint(60);
        s.setYAxisTickMarkSpacingHint(60);
        chart.setCustomXAxisTickLabelsFormatter(x -> metres(view.hSign() * x));
        chart.setCustomYAxisTickLabelsFormatter(y -> metres(view.vSign() * y));
        return chart;
    }

    private static String metres(double value) {
        // +0.0 for -0.0, so the origin is never labelled "-0".
        return new DecimalFormat("0.0#", DecimalFormatSymbols.getInstance(Locale.ROOT)).format(value + 0.0);
    }

    /**
     * Adds one pose as up to three series (right side, centre line, left side), each a polyline of its bones
     * separated by NaN, which XChart renders as gaps.
     */
    private static void addPose(XYChart chart, Skeleton skeleton, View view, String name, float[] pose, Color color,
            float width) {
        boolean[] left = new boolean[skeleton.numJoints()];
        boolean[] right = new boolean[skeleton.numJoints()];
        for (int j : skeleton.leftJoints()) {
            left[j] = true;
        }
        for (int j : skeleton.rightJoints()) {
            right[j] = true;
        }
        List<double[]> rightLine = new ArrayList<>();
        List<double[]> centreLine = new ArrayList<>();
        List<double[]> leftLine = new ArrayList<>();
        for (Skeleton.Bone bone : skeleton.bones()) {
            // A bone takes the side of its child joint: Hip→LHip and Thorax→LShoulder belong to the left.
            List<double[]> line = left[bone.child()] ? leftLine : right[bone.child()] ? rightLine : centreLine;
            line.add(new double[] {view.h(pose, bone.parent()), view.v(pose, bone.parent())});
            line.add(new double[] {view.h(pose, bone.child()), view.v(pose, bone.child())});
            line.add(new double[] {view.h(pose, bone.child()), Double.NaN});
        }
        addLine(chart, name + " | right", rightLine, color, stroke(width, false));
        addLine(chart, name + " | centre", centreLine, color, stroke(width, false));
        addLine(chart, name + " | left", leftLine, color, stroke(width, true));
    }

    /** Solid lines with round caps; dashes scale with the width so thick and thin dashes look alike. */
    private static BasicStroke stroke(float width, boolean dashed) {
        return dashed
                ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                        new float[] {3 * width, 2 * width}, 0f)
                : new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    private static void addLine(XYChart chart, String name, List<double[]> points, Color color, BasicStroke stroke) {
        if (points.isEmpty()) {
            return;
        }
        double[] x = points.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = points.stream().mapToDouble(p -> p[1]).toArray();
        XYSeries series = chart.addSeries(name, x, y);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(color);
        series.setLineStyle(stroke);
    }

    private static void drawTitle(Graphics2D g, String title, int x0, int y0) {
        // Shrink a long title to fit the panel, down to 11 pt, then cut it with an ellipsis.
        int available = PANEL_WIDTH - 16;
        Font font = TITLE_FONT;
        FontMetrics fm = g.getFontMetrics(font);
        while (fm.stringWidth(title) > available && font.getSize() > 11) {
            font = font.deriveFont((float) font.getSize() - 1);
            fm = g.getFontMetrics(font);
        }
        String shown = title;
        if (fm.stringWidth(shown) > available) {
            while (!shown.isEmpty() && fm.stringWidth(shown + "…") > available) {
                shown = shown.substring(0, shown.length() - 1);
            }
            shown = shown + "…";
        }
        g.setFont(font);
        g.setColor(Color.BLACK);
        int baseline = y0 + (TITLE_HEIGHT + fm.getAscent() - fm.getDescent()) / 2 + 2;
        g.drawString(shown, x0 + (PANEL_WIDTH - fm.stringWidth(shown)) / 2, baseline);
    }

    /** A legend entry: a line sample in a colour and style, and its label. */
    private record LegendItem(String label, Color color, float width, boolean dashed) {}

    /** The legend entries, flowed into lines that fit {@code width}. */
    private static List<List<LegendItem>> legendLines(Map<String, Color> colors, int width) {
        List<LegendItem> items = new ArrayList<>();
        items.add(new LegendItem(TRUTH_NAME, TRUTH_COLOR, TRUTH_WIDTH, false));
        colors.forEach((name, color) -> items.add(new LegendItem(name, color, PREDICTION_WIDTH + 0.8f, false)));
        Color neutral = new Color(110, 110, 110);
        items.add(new LegendItem("right side", neutral, 2f, false));
        items.add(new LegendItem("left side", neutral, 2f, true));
        // Measured before the figure exists, because the legend's line count decides the figure's height.
        Graphics2D scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics fm = scratch.getFontMetrics(LEGEND_FONT);
        scratch.dispose();
        List<List<LegendItem>> lines = new ArrayList<>();
        List<LegendItem> line = new ArrayList<>();
        int used = 0;
        for (LegendItem item : items) {
            int w = itemWidth(fm, item);
            if (!line.isEmpty() && used + LEGEND_SPACING + w > width - 20) {
                lines.add(line);
                line = new ArrayList<>();
                used = 0;
            }
            used += (line.isEmpty() ? 0 : LEGEND_SPACING) + w;
            line.add(item);
        }
        lines.add(line);
        return lines;
    }

    private static int itemWidth(FontMetrics fm, LegendItem item) {
        return LEGEND_SAMPLE + LEGEND_GAP + fm.stringWidth(item.label());
    }

    private static void drawLegend(Graphics2D g, List<List<LegendItem>> lines, int top, int width) {
        g.setColor(new Color(200, 200, 200));
        g.setStroke(new BasicStroke(1f));
        g.drawLine(8, top, width - 8, top);
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        for (int l = 0; l < lines.size(); l++) {
            List<LegendItem> line = lines.get(l);
            int total = line.stream().mapToInt(i -> itemWidth(fm, i)).sum() + LEGEND_SPACING * (line.size() - 1);
            int x = (width - total) / 2;
            int centreY = top + LEGEND_PADDING + l * LEGEND_LINE_HEIGHT + LEGEND_LINE_HEIGHT / 2;
            for (LegendItem item : line) {
                g.setColor(item.color());
                g.setStroke(stroke(item.width(), item.dashed()));
                g.drawLine(x + 2, centreY, x + LEGEND_SAMPLE - 2, centreY);
                g.setColor(Color.BLACK);
                int baseline = centreY + (fm.getAscent() - fm.getDescent()) / 2;
                g.drawString(item.label(), x + LEGEND_SAMPLE + LEGEND_GAP, baseline);
                x += itemWidth(fm, item) + LEGEND_SPACING;
            }
        }
    }
}
