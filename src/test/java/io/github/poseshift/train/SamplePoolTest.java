package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SamplePoolTest {

    /** Rows of two values, the row's number twice, so where a returned row came from is readable. */
    private static float[] rows(int from, int count) {
        float[] out = new float[count * 2];
        for (int i = 0; i < count; i++) {
            out[2 * i] = from + i;
            out[2 * i + 1] = from + i;
        }
        return out;
    }

    @Test
    void untilFullEverySamplePassesThroughAndAfterwardsAboutHalfAreSwappedForStoredOnes() {
        SamplePool pool = new SamplePool(100, 2, 7);
        assertArrayEquals(rows(0, 60), pool.exchange(rows(0, 60)));
        assertEquals(60, pool.size());
        assertArrayEquals(rows(60, 40), pool.exchange(rows(60, 40)), "still filling");
        assertEquals(100, pool.size());

        float[] out = pool.exchange(rows(1000, 1000));
        int swapped = 0;
        Set<Float> seenStored = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            assertEquals(out[2 * i], out[2 * i + 1], "rows stay whole");
            if (out[2 * i] != 1000 + i) {
                swapped++;
                assertTrue(out[2 * i] < 1000 + i, "a swapped-in row was stored before: " + out[2 * i]);
                seenStored.add(out[2 * i]);
            }
        }
        // Binomial(1000, ½): 500 ± 16 (one sd); 430–570 is over four sd either side.
        assertTrue(swapped > 430 && swapped < 570, swapped + " of 1000 swapped");
        assertTrue(seenStored.stream().anyMatch(v -> v < 100), "the first generation comes back");
        assertTrue(seenStored.stream().anyMatch(v -> v >= 1000), "newer rows replace stored ones and come back too");
        assertEquals(100, pool.size(), "the pool never grows past its capacity");
    }

    @Test
    void theSameSeedGivesTheSameExchanges() {
        SamplePool a = new SamplePool(16, 2, 3);
        SamplePool b = new SamplePool(16, 2, 3);
        for (int k = 0; k < 5; k++) {
            assertArrayEquals(a.exchange(rows(k * 10, 10)), b.exchange(rows(k * 10, 10)));
        }
    }

    @Test
    void partialRowsAndEmptyPoolsAreRefused() {
        SamplePool pool = new SamplePool(4, 3, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.exchange(new float[7]));
        assertTrue(e.getMessage().contains("7 values are not whole rows of 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SamplePool(0, 3, 1));
    }
}
