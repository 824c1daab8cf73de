package io.github.poseshift.viz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.viz.SkeletonPlots.Frame;
import io.github.poseshift.viz.SkeletonPlots.SkeletonPanel;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkeletonPlotsTest {

    private static final Skeleton H36M = Skeletons.H36M17;

    @TempDir
    Path dir;

    /**
     * A standing H36M-17 pose in world metres, root-relative, Z up, facing −y (so its right side is at −x),
     * the right arm raised sideways and the left hanging: asymmetric, so a mirrored drawing would show.
     */
    static float[] standingPose() {
        return new float[] {
            0, 0, 0, // Hip
            -0.13f, 0, -0.01f, // RHip
            -0.15f, 0.03f, -0.45f, // RKnee
            -0.16f, 0.08f, -0.89f, // RFoot
            0.13f, 0, -0.01f, // LHip
            0.15f, -0.02f, -0.45f, // LKnee
            0.16f, 0.05f, -0.89f, // LFoot
            0, 0.01f, 0.23f, // Spine
            0, 0, 0.48f, // Thorax
            0, -0.03f, 0.57f, // Neck
            0, -0.02f, 0.68f, // Head
            0.17f, 0.01f, 0.45f, // LShoulder
            0.22f, 0.04f, 0.18f, // LElbow
            0.24f, -0.04f, -0.06f, // LWrist
            -0.17f, 0.01f, 0.45f, // RShoulder
            -0.43f, 0, 0.52f, // RElbow
            -0.68f, -0.02f, 0.58f, // RWrist
        };
    }

    /** {@code pose} with every coordinate moved by up to ±{@code amplitude} metres, reproducibly. */
    static float[] perturbed(float[] pose, double amplitude, long seed) {
        Random random = new Random(seed);
        float[] out = pose.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += (float) ((random.nextDouble() * 2 - 1) * amplitude);
        }
        return out;
    }

    static List<SkeletonPanel> samplePanels(int count) {
        String[] actions = {"Walk", "Sit", "Jump", "Wave"};
        float[] truth = standingPose();
        List<SkeletonPanel> panels = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, float[]> predictions = new LinkedHashMap<>();
            predictions.put("source-only", perturbed(truth, 0.12, 10 + i));
            predictions.put("oracle", perturbed(truth, 0.04, 20 + i));
            panels.add(new SkeletonPanel("3dhp-like · " + actions[i] + " · frame " + (120 * i)
                    + " · source-only 143 mm, oracle 61 mm", truth, predictions));
        }
        return panels;
    }

    static int countPixels(BufferedImage image, Color color) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (color.getRGB() & 0xFFFFFF)) {
                    n++;
                }
            }
        }
        return n;
    }

    static int legendHeight(int lines) {
        return lines * SkeletonPlots.LEGEND_LINE_HEIGHT + 2 * SkeletonPlots.LEGEND_PADDING;
    }

    @Test
    void writesAGridOfPanelsWithTruthAndPredictionColours() throws IOException {
        Path file = dir.resolve("plots/skeletons.png");
        SkeletonPlots.skeletonPanels(H36M, samplePanels(3), Frame.WORLD_Z_UP, 2, file);

        assertTrue(Files.isRegularFile(file));
        BufferedImage image = ImageIO.read(file.toFile());
        // Two columns, two rows (3 panels), one legend line: 2 × 660 by 2 × 454 + 26 + 2 × 10, as documented.
        assertEquals(1320, image.getWidth());
        assertEquals(954, image.getHeight());
        assertEquals(2 * SkeletonPlots.PANEL_HEIGHT + legendHeight(1), image.getHeight());
        // Not blank: each pose colour covers a good number of pixels (3 panels × 2 views of bones).
        Color sourceOnly = SkeletonPlots.PREDICTION_COLORS.get(0);
        Color oracle = SkeletonPlots.PREDICTION_COLORS.get(1);
        assertTrue(countPixels(image, SkeletonPlots.TRUTH_COLOR) > 1000, "truth pixels");
        assertTrue(countPixels(image, sourceOnly) > 1000, "source-only pixels");
        assertTrue(countPixels(image, oracle) > 1000, "oracle pixels");
        // An unused palette colour appears nowhere: colours go to the names given, in order.
        assertEquals(0, countPixels(image, SkeletonPlots.PREDICTION_COLORS.get(2)));
    }

    @Test
    void fewerPanelsThanColumnsMakeOneNarrowerRow() throws IOException {
        Path file = dir.resolve("one.png");
        List<SkeletonPanel> one = samplePanels(1);
        SkeletonPlots.skeletonPanels(H36M, one, Frame.WORLD_Z_UP, 4, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(SkeletonPlots.PANEL_WIDTH, image.getWidth());
        assertTrue(image.getHeight() >= SkeletonPlots.PANEL_HEIGHT + legendHeight(1));
    }

    @Test
    void drawsCameraFramePosesFromPoseArrays() throws IOException {
        // World (x, y, z) of a subject facing the camera → camera (x right, y down, z forward): (x, -z, y).
        float[] world = standingPose();
        float[] camera = new float[world.length];
        for (int j = 0; j < world.length / 3; j++) {
            camera[j * 3] = world[j * 3];
            camera[j * 3 + 1] = -world[j * 3 + 2];
            camera[j * 3 + 2] = world[j * 3 + 1];
        }
        PoseArray truth = PoseArray.of(camera, 17);
        Map<String, PoseArray> predictions = new LinkedHashMap<>();
        predictions.put("source-only", PoseArray.of(perturbed(camera, 0.1, 3), 17));
        SkeletonPanel panel = SkeletonPanel.of("camera frame", truth, predictions, 0);
        assertEquals(51, panel.truth().length);

        Path file = dir.resolve("camera.png");
        SkeletonPlots.skeletonPanels(H36M, List.of(panel, panel), Frame.CAMERA, 2, file);
        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(2 * SkeletonPlots.PANEL_WIDTH, image.getWidth());
        assertEquals(SkeletonPlots.PANEL_HEIGHT + legendHeight(1), image.getHeight());
        assertTrue(countPixels(image, SkeletonPlots.TRUTH_COLOR) > 500);
    }

    @Test
    void rejectsBadInputNamingThePanel() {
        Path file = dir.resolve("bad.png");
        float[] truth = standingPose();

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> SkeletonPlots.skeletonPanels(H36M, List.of(), Frame.WORLD_Z_UP, 2, file));
        assertTrue(empty.getMessage().contains("no panels"), empty.getMessage());

        SkeletonPanel shortTruth = new SkeletonPanel("short", java.util.Arrays.copyOf(truth, 48), Map.of());
        IllegalArgumentException length = assertThrows(IllegalArgumentException.class,
                () -> SkeletonPlots.skeletonPanels(H36M, List.of(samplePanels(1).get(0), shortTruth),
                        Frame.WORLD_Z_UP, 2, file));
        assertTrue(length.getMessage().startsWith("panel 1 ('short'): truth has 48 values, expected 51"),
                length.getMessage());

        float[] nan = truth.clone();
        nan[5 * 3 + 2] = Float.NaN;
        Map<String, float[]> predictions = new LinkedHashMap<>();
        predictions.put("oracle", nan);
        IllegalArgumentException notFinite = assertThrows(IllegalArgumentException.class,
                () -> SkeletonPlots.skeletonPanels(H36M, List.of(new SkeletonPanel("walk", truth, predictions)),
                        Frame.WORLD_Z_UP, 1, file));
        assertEquals("panel 0 ('walk'): prediction 'oracle': joint 5 (LKnee) z is NaN", notFinite.getMessage());

        IllegalArgumentException columns = assertThrows(IllegalArgumentException.class,
                () -> SkeletonPlots.skeletonPanels(H36M, samplePanels(1), Frame.WORLD_Z_UP, 0, file));
        assertTrue(columns.getMessage().contains("columns"), columns.getMessage());

        assertTrue(Files.notExists(file), "nothing is written for invalid input");
    }

    @Test
    void picksSamplesAtEvenlySpacedErrorQuantiles() {
        //                 index:   0   1   2   3   4   5   6
        double[] errors = {50, 10, 90, 30, 10, 70, 40};
        // Ranked by error, ties by index: 1 (10), 4 (10), 3 (30), 6 (40), 0 (50), 5 (70), 2 (90).
        assertArrayEquals(new int[] {1, 6, 2}, SkeletonPlots.pickSamples(errors, 3)); // best, median, worst
        assertArrayEquals(new int[] {1, 2}, SkeletonPlots.pickSamples(errors, 2));
        // Ranks round(k·6/3) = 0, 2, 4, 6.
        assertArrayEquals(new int[] {1, 3, 0, 2}, SkeletonPlots.pickSamples(errors, 4));
        assertArrayEquals(new int[] {6}, SkeletonPlots.pickSamples(errors, 1));
        assertArrayEquals(new int[] {1, 4, 3, 6, 0, 5, 2}, SkeletonPlots.pickSamples(errors, 10));
        // Even count: the lower median.
        assertArrayEquals(new int[] {2}, SkeletonPlots.pickSamples(new double[] {3, 1, 2, 4}, 1));

        assertThrows(IllegalArgumentException.class, () -> SkeletonPlots.pickSamples(new double[0], 1));
        assertThrows(IllegalArgumentException.class, () -> SkeletonPlots.pickSamples(errors, 0));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> SkeletonPlots.pickSamples(new double[] {1, Double.NaN}, 1));
        assertEquals("error of sample 1 is NaN", nan.getMessage());
    }
}
