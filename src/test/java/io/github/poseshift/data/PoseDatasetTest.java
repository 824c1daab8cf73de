package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PoseDatasetTest {

    private static List<ViewSequence> views() throws IOException {
        DomainSpec spec = Domains.parse("{\"extends\": \"3dhp-like\", \"name\": \"3dhp-like\","
                + " \"motion\": {\"subjects\": 2, \"framesPerSequence\": 30,"
                + " \"actions\": {\"walking\": 1}}, \"split\": {\"trainSubjects\": [\"S1\"], \"testSubjects\": [\"S2\"]}}",
                "t", null);
        return SyntheticDomain.generate(spec, 11).views();
    }

    @Test
    void windowsAreCentredEdgePaddedNormalisedAndRootRelative() throws IOException {
        List<ViewSequence> views = views();
        PoseDataset d = PoseDataset.of(views, List.of("S1"), new PoseDataset.Config(27, 1, null));
        ViewSequence first = views.get(0);
        assertEquals("S1", first.poses().subject());
        // S1 has 2 walking sequences x 4 cameras x 30 frames, every frame a target.
        assertEquals(2 * 4 * 30, d.size());
        PoseDataset.Sample s = d.sample(0, false);
        assertEquals(27 * 17 * 2, s.input().length);
        // Frame 0's window: 13 copies of frame 0 before it, then frames 0..13.
        float[] frame0 = first.camera(0).normalizeScreen(Arrays.copyOfRange(first.keypoints(), 0, 34));
        for (int w = 0; w <= 13; w++) {
            assertArrayEquals(frame0, Arrays.copyOfRange(s.input(), w * 34, w * 34 + 34), 1e-7f, "window slot " + w);
        }
        float[] frame5 = first.camera(5).normalizeScreen(Arrays.copyOfRange(first.keypoints(), 5 * 34, 6 * 34));
        assertArrayEquals(frame5, Arrays.copyOfRange(s.input(), 18 * 34, 19 * 34), 1e-7f);
        // Target: camera-frame 3D with the root at the origin.
        float[] cam = first.cameraPositions();
        assertArrayEquals(new float[] {0, 0, 0}, Arrays.copyOfRange(s.target(), 0, 3), 0f);
        assertEquals(cam[10 * 3 + 2] - cam[2], s.target()[10 * 3 + 2], 1e-6f);
        assertEquals("walking", s.action());
        assertArrayEquals(s.target(), d.target(0), 0f);
    }

    @Test
    void flippingMirrorsAndSwapsSidesAndIsItsOwnInverse() throws IOException {
        PoseDataset d = PoseDataset.of(views(), List.of("S2"), new PoseDataset.Config(1, 1, null));
        PoseDataset.Sample plain = d.sample(7, false);
        PoseDataset.Sample flipped = d.sample(7, true);
        // LHip (4) of the flipped sample is the mirrored RHip (1) of the plain one.
        assertEquals(-plain.input()[1 * 2], flipped.input()[4 * 2], 0f);
        assertEquals(plain.input()[1 * 2 + 1], flipped.input()[4 * 2 + 1], 0f);
        assertEquals(-plain.target()[1 * 3], flipped.target()[4 * 3], 0f);
        assertEquals(plain.target()[1 * 3 + 2], flipped.target()[4 * 3 + 2], 0f);
        // Centre-line joints only change sign in x.
        assertEquals(-plain.target()[10 * 3], flipped.target()[10 * 3], 0f);
    }

    @Test
    void batchesCoverEverySampleOnceAndRepeatWithTheSeed() throws IOException {
        PoseDataset d = PoseDataset.of(views(), List.of("S1", "S2"), new PoseDataset.Config(9, 2, null));
        assertEquals(4 * 4 * 15, d.size());
        boolean[] seen = new boolean[d.size()];
        int flips = 0;
        int count = 0;
        for (PoseDataset.Batch b : d.batches(50, true, new Random(3))) {
            assertTrue(b.size() <= 50);
            assertEquals(b.size() * 9 * 34, b.inputs().length);
            for (int k = 0; k < b.size(); k++) {
                assertTrue(!seen[b.indices()[k]], "sample twice");
                seen[b.indices()[k]] = true;
                flips += b.flipped()[k] ? 1 : 0;
                count++;
            }
        }
        assertEquals(d.size(), count);
        assertTrue(flips > count / 3 && flips < 2 * count / 3, flips + " of " + count + " flipped");
        PoseDataset.Batch a = d.batches(50, true, new Random(3)).iterator().next();
        PoseDataset.Batch b = d.batches(50, true, new Random(3)).iterator().next();
        assertArrayEquals(a.inputs(), b.inputs());
        assertArrayEquals(a.targets(), b.targets());
    }

    /**
     * AdaptPose's random temporal down-sampling (sec. 6): a window takes every first or every second frame around its
     * target, both drawn; the target pose stays the centre frame's; step 1 gives the plain batches to the bit.
     */
    @Test
    void downSampledWindowsTakeEveryFirstOrSecondFrame() throws IOException {
        PoseDataset d = PoseDataset.of(views(), List.of("S1"), new PoseDataset.Config(9, 1, null));
        Iterator<PoseDataset.Batch> plain = d.batches(40, true, new Random(8)).iterator();
        for (PoseDataset.Batch b : d.batches(40, true, 1, new Random(8))) {
            PoseDataset.Batch p = plain.next();
            assertArrayEquals(p.indices(), b.indices());
            assertArrayEquals(p.inputs(), b.inputs());
        }
        int[] stepsSeen = new int[3];
        int width = 9 * 34;
        for (PoseDataset.Batch b : d.batches(40, true, 2, new Random(8))) {
            for (int k = 0; k < b.size(); k++) {
                float[] window = Arrays.copyOfRange(b.inputs(), k * width, (k + 1) * width);
                int step = 0;
                for (int candidate = 1; candidate <= 2 && step == 0; candidate++) {
                    if (Arrays.equals(window, framesEvery(d, b.indices()[k], b.flipped()[k], candidate))) {
                        step = candidate;
                    }
                }
                assertTrue(step > 0, "window of sample " + b.indices()[k] + " takes neither every frame nor every other");
                stepsSeen[step]++;
                assertArrayEquals(d.sample(b.indices()[k], b.flipped()[k]).target(),
                        Arrays.copyOfRange(b.targets(), k * 51, (k + 1) * 51));
            }
        }
        // Windows at a sequence's ends or of a still pose can read the same with both steps; most differ.
        assertTrue(stepsSeen[1] > d.size() / 4 && stepsSeen[2] > d.size() / 4, Arrays.toString(stepsSeen));
        assertThrows(IllegalArgumentException.class, () -> d.batches(40, true, 0, new Random(8)));
    }

    /** Sample {@code i}'s window with every {@code step}-th frame, built from its step-1 windows. */
    private static float[] framesEvery(PoseDataset d, int i, boolean flip, int step) {
        int centre = 4;
        float[] out = new float[9 * 34];
        for (int w = 0; w < 9; w++) {
            // The sample whose centre is frame (w − 4)·step away holds that frame at its own centre, edge-clamped
            // within the same track: datasets of stride 1 list a track's frames one after another.
            int offset = (w - centre) * step;
            int j = Math.max(i - frameInTrack(d, i), Math.min(i - frameInTrack(d, i) + 29, i + offset));
            System.arraycopy(d.sample(j, flip).input(), centre * 34, out, w * 34, 34);
        }
        return out;
    }

    /** Frame of sample {@code i} within its 30-frame track. */
    private static int frameInTrack(PoseDataset d, int i) {
        return i % 30;
    }

    @Test
    void resamplingInterpolatesInTime() throws IOException {
        // 3dhp-like is 25 fps; at 50 fps every other frame is new and lies halfway between its neighbours.
        List<ViewSequence> views = views();
        PoseDataset slow = PoseDataset.of(views, List.of("S2"), new PoseDataset.Config(1, 1, null));
        PoseDataset fast = PoseDataset.of(views, List.of("S2"), new PoseDataset.Config(1, 1, 50.0));
        assertEquals(2 * 4 * 59, fast.size());
        float[] a = slow.sample(3, false).target();
        float[] b = slow.sample(4, false).target();
        float[] mid = fast.sample(7, false).target();
        for (int i = 0; i < a.length; i++) {
            assertEquals((a[i] + b[i]) / 2, mid[i], 1e-6f);
        }
        assertArrayEquals(a, fast.sample(6, false).target(), 1e-7f);
        assertEquals(List.of("walking"), fast.actions().stream().distinct().toList());
    }

    /**
     * A concatenation lists each part's samples in turn, every one as the part has it (window, target, subject,
     * action, viewpoint, root trajectory); a repetition lists them again, and an epoch over it visits each copy.
     */
    @Test
    void concatenatedAndRepeatedDatasetsKeepEverySample() throws IOException {
        List<ViewSequence> views = views();
        PoseDataset.Config config = new PoseDataset.Config(9, 3, 50.0);
        PoseDataset s1 = PoseDataset.of(views, List.of("S1"), config);
        PoseDataset s2 = PoseDataset.of(views, List.of("S2"), config);
        PoseDataset both = PoseDataset.concat(List.of(s1, s2.repeated(3)));
        assertEquals(s1.size() + 3 * s2.size(), both.size());
        assertEquals(3 * s2.size(), s2.repeated(3).size());
        assertTrue(s2.repeated(1) == s2);
        for (int i : new int[] {0, 5, s1.size() - 1, s1.size(), s1.size() + 2 * s2.size() + 7, both.size() - 1}) {
            PoseDataset part = i < s1.size() ? s1 : s2;
            int j = i < s1.size() ? i : (i - s1.size()) % s2.size();
            PoseDataset.Sample expected = part.sample(j, true);
            PoseDataset.Sample actual = both.sample(i, true);
            assertArrayEquals(expected.input(), actual.input(), 0f, "sample " + i);
            assertArrayEquals(expected.target(), actual.target(), 0f, "sample " + i);
            assertEquals(expected.subject(), actual.subject());
            assertArrayEquals(part.viewpoints().get(j), both.viewpoints().get(i), 0);
            assertArrayEquals(part.rootTrajectories(new int[] {j}, new boolean[] {true}),
                    both.rootTrajectories(new int[] {i}, new boolean[] {true}), 0f);
            assertArrayEquals(part.centreInputs(new int[] {j}), both.centreInputs(new int[] {i}), 0f);
        }
        assertEquals("S1", both.sample(s1.size() - 1, false).subject());
        assertEquals("S2", both.sample(s1.size(), false).subject());
        assertEquals(both.size(), both.actions().size());
        int count = 0;
        for (PoseDataset.Batch b : both.batches(64, true, new Random(1))) {
            count += b.size();
        }
        assertEquals(both.size(), count);

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PoseDataset.concat(List.of(s1,
                PoseDataset.of(views, List.of("S2"), new PoseDataset.Config(9, 1, 50.0)))));
        assertTrue(e.getMessage().startsWith("datasets mix window configurations"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PoseDataset.concat(List.of()));
        e = assertThrows(IllegalArgumentException.class, () -> s1.repeated(0));
        assertEquals("times must be at least 1, got 0", e.getMessage());
    }

    @Test
    void badConfigurationsAreRejected() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> new PoseDataset.Config(4, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new PoseDataset.Config(27, 0, null));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PoseDataset.of(views(), List.of("S9"), new PoseDataset.Config(1, 1, null)));
        assertTrue(e.getMessage().contains("no view belongs to the subjects [S9]"), e.getMessage());
    }
}
