package io.github.poseshift.render;

import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.data.io.Npz;
import io.github.poseshift.geometry.Camera;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rendered images on disk: {@code rgb/NAME.png} (8-bit RGB), {@code mask/NAME.png} (0 or 255),
 * {@code parts/NAME.png} (8-bit grey whose value is the part label of {@link BodyModel#PART_NAMES}, so
 * it looks nearly black but reads back exactly) and {@code labels/NAME.npz} with {@code depth [H, W]},
 * {@code heatmaps [17, H, W]} (float32), {@code joints2d [17, 2]}, {@code visibility [17]} (bool),
 * {@code pose3d [17, 3]} (camera frame, metres), {@code intrinsics} {fx, fy, cx, cy, k1, k2, k3, p1, p2},
 * {@code rotation [3, 3]} (world → camera) and {@code translation [3]} (metres), float64 for the camera.
 * PNG writing uses {@code javax.imageio}, which needs no display.
 */
public final class RenderFiles {

    /** The sub-folders one image's files go to. */
    public static final List<String> FOLDERS = List.of("rgb", "mask", "parts", "labels");

    private RenderFiles() {}

    /** Writes one image's four files under {@code dir} (sub-folders are made as needed). */
    public static void write(Path dir, String name, RenderedImage image) throws IOException {
        for (String folder : FOLDERS) {
            Files.createDirectories(dir.resolve(folder));
        }
        AtomicFiles.writePng(dir.resolve("rgb").resolve(name + ".png"), rgbImage(image));
        AtomicFiles.writePng(dir.resolve("mask").resolve(name + ".png"), maskImage(image));
        AtomicFiles.writePng(dir.resolve("parts").resolve(name + ".png"), grey(image.parts(), image.size(), 1));
        Npz.write(dir.resolve("labels").resolve(name + ".npz"), labels(image), true);
    }

    /** The arrays of {@code labels/NAME.npz}. */
    public static Map<String, NpyArray> labels(RenderedImage image) {
        int s = image.size();
        int joints = ImageRenderer.JOINTS;
        Camera.Intrinsics k = image.camera().intrinsics();
        Camera.Extrinsics e = image.camera().extrinsics();
        Map<String, NpyArray> m = new LinkedHashMap<>();
        m.put("depth", NpyArray.ofFloats(image.depth(), s, s));
        m.put("heatmaps", NpyArray.ofFloats(image.heatmaps(), joints, s, s));
        m.put("joints2d", NpyArray.ofFloats(image.joints2d(), joints, 2));
        m.put("visibility", NpyArray.ofBooleans(image.visibility(), joints));
        m.put("pose3d", NpyArray.ofFloats(image.pose3d(), joints, 3));
        m.put("intrinsics", NpyArray.ofDoubles(new double[] {k.fx(), k.fy(), k.cx(), k.cy(), k.k1(), k.k2(), k.k3(),
            k.p1(), k.p2()}, 9));
        m.put("rotation", NpyArray.ofDoubles(e.worldToCamera().toMatrix(), 3, 3));
        m.put("translation", NpyArray.ofDoubles(new double[] {e.tx(), e.ty(), e.tz()}, 3));
        return m;
    }

    /** The colour as an image. */
    public static BufferedImage rgbImage(RenderedImage image) {
        int s = image.size();
        int[] argb = new int[s * s];
        byte[] rgb = image.rgb();
        for (int p = 0; p < argb.length; p++) {
            argb[p] = (rgb[3 * p] & 0xFF) << 16 | (rgb[3 * p + 1] & 0xFF) << 8 | (rgb[3 * p + 2] & 0xFF);
        }
        BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, s, s, argb, 0, s);
        return out;
    }

    /** The part labels in distinct colours, background black: for looking at, not for training. */
    public static BufferedImage partsImage(RenderedImage image) {
        int s = image.size();
        int[] argb = new int[s * s];
        int labels = BodyModel.PART_NAMES.size();
        for (int p = 0; p < argb.length; p++) {
            int label = image.parts()[p];
            if (label > 0) {
                float[] c = Appearance.hsv((label - 1) / (double) (labels - 1), 0.75, 0.95);
                argb[p] = (int) (c[0] * 255) << 16 | (int) (c[1] * 255) << 8 | (int) (c[2] * 255);
            }
        }
        BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, s, s, argb, 0, s);
        return out;
    }

    /** The depth map as grey, near bright and far dark over the body's own depth range, background black. */
    public static BufferedImage depthImage(RenderedImage image) {
        float near = Float.POSITIVE_INFINITY;
        float far = 0;
        for (float d : image.depth()) {
            if (d > 0) {
                near = Math.min(near, d);
                far = Math.max(far, d);
            }
        }
        int s = image.size();
        int[] argb = new int[s * s];
        for (int p = 0; p < argb.length; p++) {
            float d = image.depth()[p];
            if (d > 0) {
                int v = (int) (255 - 200 * (d - near) / Math.max(1e-6f, far - near));
                argb[p] = v << 16 | v << 8 | v;
            }
        }
        BufferedImage out = new BufferedImage(s, s, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, s, s, argb, 0, s);
        return out;
    }

    /** The body mask: white where the body is the nearest surface, black elsewhere. */
    public static BufferedImage maskImage(RenderedImage image) {
        return grey(image.mask(), image.size(), 255);
    }

    /** The 17 joint heatmaps summed, clipped at 1, as grey: where the joints are. */
    public static BufferedImage heatmapsImage(RenderedImage image) {
        int n = image.size() * image.size();
        byte[] sum = new byte[n];
        for (int p = 0; p < n; p++) {
            float v = 0;
            for (int j = 0; j < ImageRenderer.JOINTS; j++) {
                v += image.heatmaps()[j * n + p];
            }
            sum[p] = (byte) Math.round(255 * Math.min(1f, v));
        }
        return grey(sum, image.size(), 1);
    }

    private static BufferedImage grey(byte[] values, int size, int factor) {
        BufferedImage out = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        byte[] scaled = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = (byte) ((values[i] & 0xFF) * factor);
        }
        out.getRaster().setDataElements(0, 0, size, size, scaled);
        return out;
    }

    /**
     * Tiles of equal size in rows (each row one domain, say) as one image, with a 2-pixel white gutter.
     *
     * @throws IllegalArgumentException when rows are empty or tiles differ in size
     */
    public static BufferedImage montage(List<List<BufferedImage>> rows) {
        if (rows.isEmpty() || rows.get(0).isEmpty()) {
            throw new IllegalArgumentException("a montage needs at least one tile");
        }
        int tile = rows.get(0).get(0).getWidth();
        int columns = rows.stream().mapToInt(List::size).max().orElse(0);
        int gutter = 2;
        BufferedImage out = new BufferedImage(columns * (tile + gutter) + gutter, rows.size() * (tile + gutter) + gutter,
                BufferedImage.TYPE_INT_RGB);
        int[] white = new int[out.getWidth() * out.getHeight()];
        java.util.Arrays.fill(white, 0xFFFFFF);
        out.setRGB(0, 0, out.getWidth(), out.getHeight(), white, 0, out.getWidth());
        for (int r = 0; r < rows.size(); r++) {
            for (int c = 0; c < rows.get(r).size(); c++) {
                BufferedImage t = rows.get(r).get(c);
                if (t.getWidth() != tile || t.getHeight() != tile) {
                    throw new IllegalArgumentException("montage tiles must all be " + tile + "×" + tile + ", row " + r
                            + " tile " + c + " is " + t.getWidth() + "×" + t.getHeight());
                }
                int[] px = t.getRGB(0, 0, tile, tile, null, 0, tile);
                out.setRGB(gutter + c * (tile + gutter), gutter + r * (tile + gutter), tile, tile, px, 0, tile);
            }
        }
        return out;
    }
}
