package io.github.poseshift.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class EpochOrderTest {

    @Test
    void aSliceIsItsPositionsInOrderAndWrapsPastTheEnd() {
        EpochOrder epoch = new EpochOrder(new int[] {4, 0, 3, 1, 2}, new boolean[] {true, false, false, true, false});
        EpochOrder batch = epoch.slice(1, 4);
        assertArrayEquals(new int[] {0, 3, 1}, batch.order());
        assertArrayEquals(new boolean[] {false, false, true}, batch.flipped());
        EpochOrder cycled = epoch.slice(3, 8);
        assertArrayEquals(new int[] {1, 2, 4, 0, 3}, cycled.order());
        assertArrayEquals(new boolean[] {true, false, true, false, false}, cycled.flipped());
        assertThrows(IllegalArgumentException.class, () -> epoch.slice(2, 2));
        assertThrows(IllegalArgumentException.class, () -> new EpochOrder(new int[0], new boolean[0]).slice(0, 1));
    }
}
