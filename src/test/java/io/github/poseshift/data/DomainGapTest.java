package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DomainGapTest {

    private static List<ViewSequence> views(String preset, long seed) throws IOException {
        DomainSpec spec = Domains.resized(Domains.preset(preset), 3, 100);
        return SyntheticDomain.generate(spec, seed).views();
    }

    @Test
    void presetsAreFartherFromTheLabThanTheLabIsFromItself() throws IOException {
        List<ViewSequence> lab = views("h36m-like", 1);
        double self = DomainGap.proxyADistance(lab, views("h36m-like", 2), 2000, 7);
        System.out.printf("PAD h36m-like vs h36m-like (other seed): %.3f%n", self);
        for (String other : List.of("3dhp-like", "3dpw-like", "ski-like")) {
            double pad = DomainGap.proxyADistance(lab, views(other, 2), 2000, 7);
            System.out.printf("PAD h36m-like vs %s: %.3f%n", other, pad);
            assertTrue(pad > self + 0.3, other + ": PAD " + pad + " not clearly above the lab's own " + self);
        }
        assertTrue(self < 0.6, "two samples of the same lab differ too much: " + self);
    }

    @Test
    void viewpointSummariesReflectTheSpecs() throws IOException {
        var lab = DomainGap.viewpointSummary(views("h36m-like", 3));
        var hp = DomainGap.viewpointSummary(views("3dhp-like", 3));
        assertEquals("elevation_deg", lab.get(0).quantity());
        assertTrue(lab.get(0).max() < 25 && hp.get(0).max() > 45, lab.get(0) + " / " + hp.get(0));
        assertTrue(lab.get(2).min() > 2.5 && lab.get(2).max() < 8, "lab distances " + lab.get(2));
        var bones = DomainGap.boneLengthRatioSummary(views("3dhp-like", 3));
        assertEquals(16, bones.size());
        assertTrue(bones.stream().allMatch(b -> b.mean() > 0 && b.mean() < 0.3));
        var clusters = DomainGap.viewpointClusters(views("3dhp-like", 4), 3, 1);
        assertEquals(3, clusters.size());
        assertEquals(1.0, clusters.stream().mapToDouble(c -> c[3]).sum(), 1e-9);
    }

    @Test
    void summariesOfSeveralDomainsBecomeOneTableRowPerDomainAndQuantity() {
        var lab = List.of(new DomainGap.Summary("elevation_deg", 4, 9.5, 2.0, 3.0, 15.0),
                new DomainGap.Summary("distance_m", 4, 5.2, 0.4, 4.5, 6.0));
        var studio = List.of(new DomainGap.Summary("elevation_deg", 2, 40.0, 20.0, -15.0, 90.0));
        var perDomain = new java.util.LinkedHashMap<String, List<DomainGap.Summary>>();
        perDomain.put("lab", lab);
        perDomain.put("studio", studio);
        var table = DomainGap.summaryTable(perDomain);
        assertEquals(List.of("domain", "quantity", "count", "mean", "std", "min", "max"), table.columnNames());
        assertEquals(3, table.rowCount());
        assertEquals("studio", table.stringColumn("domain").get(2));
        assertEquals(4.5, table.doubleColumn("min").get(1), 0);
        assertEquals(2, table.intColumn("count").get(2));
    }

    @Test
    void aViewpointPerFrameStartsWhereTheViewsOneDoes() throws IOException {
        List<ViewSequence> views = views("3dhp-like", 4);
        ViewSequence view = views.get(0);
        assertArrayEquals(DomainGap.viewpoint(view), DomainGap.viewpoint(view, 0), 0);
        double[] last = DomainGap.viewpoint(view, view.numFrames() - 1);
        assertTrue(last[2] > 0 && Math.abs(last[0]) <= 90, java.util.Arrays.toString(last));
        assertThrows(IndexOutOfBoundsException.class, () -> DomainGap.viewpoint(view, view.numFrames()));
        double[] elevations = DomainGap.elevationsDeg(views);
        assertEquals(views.size(), elevations.length);
        assertEquals(DomainGap.viewpoints(views).get(1)[0], elevations[1], 0);
    }

    /**
     * The viewpoint computed in camera coordinates (how AdaptPose's generated cameras are placed) agrees with
     * the world version on every frame of real views, whatever the camera: top-down, handheld, lab.
     */
    @Test
    void theViewpointInCameraCoordinatesIsTheWorldOne() throws IOException {
        for (String preset : List.of("h36m-like", "3dhp-like", "3dpw-like", "ski-like")) {
            for (ViewSequence view : views(preset, 5).subList(0, 3)) {
                for (int frame = 0; frame < view.numFrames(); frame += 17) {
                    var camera = view.camera(frame);
                    var poses = view.poses();
                    int lhip = poses.skeleton().indexOf("LHip");
                    int rhip = poses.skeleton().indexOf("RHip");
                    double[][] joints = new double[3][];
                    int[] index = {0, lhip, rhip};
                    for (int k = 0; k < 3; k++) {
                        joints[k] = camera.worldToCamera(new double[] {poses.get(frame, index[k], 0),
                            poses.get(frame, index[k], 1), poses.get(frame, index[k], 2)});
                    }
                    double[] up = camera.extrinsics().worldToCamera().apply(new double[] {0, 0, 1});
                    double[] world = DomainGap.viewpoint(view, frame);
                    double[] inCamera = DomainGap.viewpointInCamera(joints[0], joints[1], joints[2], up);
                    assertEquals(world[0], inCamera[0], 1e-9, preset + " elevation");
                    assertEquals(0, Math.IEEEremainder(world[1] - inCamera[1], 360), 1e-5, preset + " azimuth");
                    assertEquals(world[2], inCamera[2], 1e-9, preset + " distance");
                }
            }
        }
    }
}
