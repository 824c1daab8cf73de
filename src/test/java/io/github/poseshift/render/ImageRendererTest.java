package io.github.poseshift.render;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.geometry.Camera;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The renderer's geometry against the camera model: projected joints, mask, depth and heatmaps agree with each
 * other and with the pose dataset's projection; renders are deterministic; bad input fails with a message.
 */
class ImageRendererTest {

    /** Small versions of the four presets (2 subjects, 40 frames per sequence), generated once. */
    private static final Map<String, SyntheticDomain> DOMAINS = new HashMap<>();

    @BeforeAll
    static void generate() throws IOException {
        for (String name : Domains.PRESETS) {
            DOMAINS.put(name, SyntheticDomain.generate(Domains.resized(Domains.preset(name), 2, 40), 3));
        }
    }

    /** A sample and the dataset it came from. */
    private record Rendered(ImageDataset data, ImageDataset.Sample sample) {}

    /** 24 samples of every preset at 64 and at 128 pixels, spread over each dataset. */
    private static List<ImageDataset.Sample> samples() {
        return rendered().stream().map(Rendered::sample).toList();
    }

    private static List<Rendered> rendered() {
        List<Rendered> out = new ArrayList<>();
        for (String name : Domains.PRESETS) {
            SyntheticDomain d = DOMAINS.get(name);
            for (int size : new int[] {64, 128}) {
                ImageDataset data = ImageDataset.of(d, "all", new ImageRenderer(d.spec().image(), size), 1, 11);
                int[] indices = new int[24];
                for (int k = 0; k < indices.length; k++) {
                    indices[k] = (int) ((long) k * data.size() / indices.length);
                }
                for (ImageDataset.Sample sample : data.samples(indices, 2)) {
                    out.add(new Rendered(data, sample));
                }
            }
        }
        return out;
    }

    @Test
    void visibleJointsFallInsideTheMaskAndLabelsAgree() {
        int visible = 0;
        int total = 0;
        for (ImageDataset.Sample s : samples()) {
            RenderedImage im = s.image();
            int n = im.size();
            for (int p = 0; p < n * n; p++) {
                boolean body = im.mask()[p] == 1;
                assertEquals(body, im.parts()[p] > 0, "parts and mask disagree at pixel " + p);
                assertEquals(body, im.depth()[p] > 0, "depth and mask disagree at pixel " + p);
            }
            for (int j = 0; j < ImageRenderer.JOINTS; j++) {
                total++;
                if (!im.visibility()[j]) {
                    continue;
                }
                visible++;
                int x = (int) Math.floor(im.joints2d()[2 * j]);
                int y = (int) Math.floor(im.joints2d()[2 * j + 1]);
                assertEquals(1, im.mask()[y * n + x], s.subject() + " " + s.action() + " frame " + s.frame() + " joint "
                        + j + " at (" + x + ", " + y + ") is visible but outside the mask, " + n + " px");
            }
        }
        // Most joints of a person-centred crop are seen; self-occlusion and occluders hide the rest.
        assertTrue(visible > 0.6 * total, visible + " of " + total + " joints visible");
        assertTrue(visible < total, "some joints are hidden");
    }

    @Test
    void depthAtAVisibleJointIsTheBodySurfaceInFrontOfIt() {
        int checked = 0;
        int withinReach = 0;
        int nearSurface = 0;
        for (Rendered r : rendered()) {
            RenderedImage im = r.sample().image();
            Camera.Intrinsics k = im.camera().intrinsics();
            double[] up = im.camera().extrinsics().worldToCamera().apply(new double[] {0, 0, 1});
            BodyModel.Capsules body = BodyModel.build(im.pose3d(), up, r.data().appearance(r.sample().subject()),
                    1 / Math.min(k.fx(), k.fy()));
            for (int j = 0; j < ImageRenderer.JOINTS; j++) {
                if (!im.visibility()[j]) {
                    continue;
                }
                double x = im.pose3d()[3 * j];
                double y = im.pose3d()[3 * j + 1];
                double z = im.pose3d()[3 * j + 2];
                int px = (int) Math.floor(im.joints2d()[2 * j]);
                int py = (int) Math.floor(im.joints2d()[2 * j + 1]);
                double depth = im.depth()[py * im.size() + px];
                // The pixel centre's ray passes within √2/2 pixel of the joint, and the joint lies inside its
                // capsules, so the ray meets the body no deeper than the joint plus that offset (at a small
                // lens slope): one pixel's width at the joint's depth bounds it.
                double pixelM = z / Math.min(k.fx(), k.fy());
                assertTrue(depth <= z + pixelM, "joint " + j + ": depth " + depth + " behind the joint at " + z);
                // A visible joint is seen through its own capsules: the surface there lies no nearer than the
                // far end of the longest capsule holding the joint, plus its radius (a limb seen end-on).
                double reach = 0;
                for (int c = 0; c < body.n; c++) {
                    if (body.contains(c, x, y, z)) {
                        reach = Math.max(reach, Math.sqrt(body.baba[c]) + body.r[c]);
                    }
                }
                // (The joint's ray is clear, but the pixel centre's may graze another part's edge, so this holds
                // for nearly all joints, not every one.)
                if (depth >= z - reach - pixelM) {
                    withinReach++;
                }
                // Mostly the surface is the near side of the joint's own capsule, within the largest radius.
                double radius = 0;
                for (int c = 0; c < body.n; c++) {
                    if (body.contains(c, x, y, z)) {
                        radius = Math.max(radius, body.r[c]);
                    }
                }
                if (depth >= z - radius - pixelM) {
                    nearSurface++;
                }
                checked++;
            }
        }
        assertTrue(checked > 500, checked + " joints checked");
        assertTrue(withinReach >= 0.98 * checked, withinReach + " of " + checked + " on their own capsules");
        assertTrue(nearSurface >= 0.8 * checked, nearSurface + " of " + checked + " within the capsule radius");
    }

    @Test
    void heatmapPeaksAreWithinOnePixelOfTheProjectedJoint() {
        for (ImageDataset.Sample s : samples()) {
            RenderedImage im = s.image();
            int n = im.size();
            for (int j = 0; j < ImageRenderer.JOINTS; j++) {
                double u = im.joints2d()[2 * j];
                double v = im.joints2d()[2 * j + 1];
                if (u < 0 || v < 0 || u >= n || v >= n) {
                    continue;
                }
                int best = 0;
                for (int p = 1; p < n * n; p++) {
                    if (im.heatmaps()[j * n * n + p] > im.heatmaps()[j * n * n + best]) {
                        best = p;
                    }
                }
                assertTrue(Math.abs(best % n + 0.5 - u) <= 1 && Math.abs(best / n + 0.5 - v) <= 1,
                        "joint " + j + " at (" + u + ", " + v + "), heatmap peak at pixel (" + best % n + ", " + best / n + ")");
                assertTrue(im.heatmaps()[j * n * n + best] > 0.6f, "peak value " + im.heatmaps()[j * n * n + best]);
            }
        }
    }

    @Test
    void jointsLandWhereTheDatasetProjectsThem() {
        SyntheticDomain d = DOMAINS.get("h36m-like"); // the preset with lens distortion
        for (DomainSpec.ImageFraming framing : DomainSpec.ImageFraming.values()) {
            DomainSpec.Image style = withFraming(d.spec().image(), framing);
            ImageDataset data = ImageDataset.of(d, "train", new ImageRenderer(style, 128), 1, 0);
            for (int i = 0; i < data.size(); i += 37) {
                ImageDataset.Sample s = data.sample(i);
                ViewSequence view = d.views().get(s.view());
                Camera camera = view.camera(s.frame());
                float[] world = new float[51];
                for (int j = 0; j < 17; j++) {
                    for (int a = 0; a < 3; a++) {
                        world[3 * j + a] = view.poses().get(s.frame(), j, a);
                    }
                }
                // The noise-free keypoints of Detector2D: the dataset camera's projection with its distortion.
                float[] datasetPixels = camera.projectWorld(world, camera.intrinsics().hasDistortion());
                float[] expected = s.framing().toRender(datasetPixels);
                assertArrayEquals(expected, s.image().joints2d(), 2e-3f, framing + " sample " + i);
                float[] back = s.framing().toDataset(s.image().joints2d());
                assertArrayEquals(datasetPixels, back, 2e-2f);
                // The detections the lifters read are those points plus the detector's noise.
                float[] detected = Arrays.copyOfRange(view.keypoints(), s.frame() * 34, s.frame() * 34 + 34);
                double median = medianDistance(datasetPixels, detected);
                assertTrue(median < 4 * d.spec().observation().pixelNoiseStd(), "median detection offset " + median);
            }
        }
    }

    private static double medianDistance(float[] a, float[] b) {
        double[] d = new double[a.length / 2];
        for (int j = 0; j < d.length; j++) {
            d[j] = Math.hypot(a[2 * j] - b[2 * j], a[2 * j + 1] - b[2 * j + 1]);
        }
        Arrays.sort(d);
        return d[d.length / 2];
    }

    private static DomainSpec.Image withFraming(DomainSpec.Image s, DomainSpec.ImageFraming framing) {
        return new DomainSpec.Image(s.background(), s.size(), framing, s.cropMargin(), s.ambient(), s.lights(),
                s.lightIntensity(), s.lightElevationDeg(), s.lightAzimuthDeg(), s.noiseStd(), s.blurPx(),
                s.occluderProbability(), s.maxOccluders(), s.clothingSaturation(), s.clothingBrightness(),
                s.texturedClothing(), s.girthStd(), s.chromaSpill());
    }

    @Test
    void theSameSeedGivesTheSameBytesOnAnyNumberOfThreads() {
        SyntheticDomain d = DOMAINS.get("3dpw-like");
        ImageRenderer renderer = new ImageRenderer(d.spec().image(), 64);
        ImageDataset a = ImageDataset.of(d, "all", renderer, 1, 5);
        ImageDataset b = ImageDataset.of(d, "all", renderer, 1, 5);
        int[] indices = {7, 3, 99, 3, 250, 0};
        ImageDataset.Sample[] sequential = a.samples(indices, 1);
        ImageDataset.Sample[] parallel = b.samples(indices, 2);
        ImageDataset.Sample[] common = b.samples(indices);
        for (int k = 0; k < indices.length; k++) {
            for (ImageDataset.Sample other : List.of(parallel[k], common[k])) {
                RenderedImage x = sequential[k].image();
                RenderedImage y = other.image();
                assertArrayEquals(x.rgb(), y.rgb());
                assertArrayEquals(x.mask(), y.mask());
                assertArrayEquals(x.parts(), y.parts());
                assertArrayEquals(x.depth(), y.depth());
                assertArrayEquals(x.heatmaps(), y.heatmaps());
                assertArrayEquals(x.visibility(), y.visibility());
            }
        }
        assertArrayEquals(sequential[1].image().rgb(), sequential[3].image().rgb());
        ImageDataset reseeded = ImageDataset.of(d, "all", renderer, 1, 6);
        assertFalse(Arrays.equals(sequential[0].image().rgb(), reseeded.sample(7).image().rgb()),
                "another seed draws another image");
        assertArrayEquals(sequential[0].image().joints2d(), reseeded.sample(7).image().joints2d(),
                "the pose and camera do not depend on the render seed");
    }

    @Test
    void badInputFailsWithAMessage() {
        DomainSpec.Image style = DOMAINS.get("ski-like").spec().image();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageRenderer(style, 100));
        assertEquals("image size must be one of [64, 128, 256], got 100", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new ImageRenderer(style, 64, 0));
        assertTrue(e.getMessage().startsWith("heatmap sigma must be in (0, 64]"), e.getMessage());
        ImageRenderer renderer = new ImageRenderer(style, 64);
        Camera camera = new Camera(Camera.Intrinsics.pinhole(100, 100, 32, 32, 64, 64),
                Camera.Extrinsics.orbit(0.1, 0, 5, new double[] {0, 0, 1}, 0));
        Appearance look = Appearance.sample(style, new java.util.Random(0));
        e = assertThrows(IllegalArgumentException.class, () -> renderer.render(new float[50], camera, look, 0));
        assertEquals("cameraPose must hold 17 joints × 3 = 51 values, got 50", e.getMessage());
        float[] pose = new float[51];
        pose[7] = Float.NaN;
        e = assertThrows(IllegalArgumentException.class, () -> renderer.render(pose, camera, look, 0));
        assertEquals("cameraPose joint 2 is not finite: NaN", e.getMessage());
        Camera big = new Camera(Camera.Intrinsics.pinhole(100, 100, 500, 500, 1000, 1000), camera.extrinsics());
        e = assertThrows(IllegalArgumentException.class, () -> renderer.render(new float[51], big, look, 0));
        assertTrue(e.getMessage().startsWith("camera image is 1000×1000, the renderer's 64×64"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of(DOMAINS.get("ski-like"), "validation", renderer, 1, 0));
        assertEquals("unknown split 'validation'; use train, test or all", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> ImageDataset.of(DOMAINS.get("ski-like").views(), List.of("S9"), renderer, 1, 0));
        assertEquals("no view belongs to the subjects [S9]", e.getMessage());
    }
}
