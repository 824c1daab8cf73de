package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class LossMeterTest {

    @Test
    void eachSeriesAveragesByItsRule() {
        LossMeter m = new LossMeter(List.of(LossMeter.Series.mean("lifter"), LossMeter.Series.mean("d2d"),
                LossMeter.Series.total("skipped"), LossMeter.Series.ratio("kept")));
        for (int step = 0; step < 4; step++) {
            m.add("lifter", 10 * (step + 1));
            if (step % 2 == 0) {
                m.add("d2d", step); // a discriminator that updated on steps 0 and 2 only
            }
            m.add("skipped", step == 3 ? 1 : 0);
            m.addRatio("kept", step, 10);
        }
        assertEquals(25, m.value("lifter"), 0);
        assertEquals(1, m.value("d2d"), 0, "the mean over the two updates, not over four steps");
        assertEquals(1, m.value("skipped"), 0);
        assertEquals(6 / 40.0, m.value("kept"), 0);

        History h = new History();
        m.recordInto(h, 4, 1);
        assertEquals(List.of("lifter", "d2d", "skipped", "kept"), h.names());
    }

    @Test
    void aMeanNothingRecordedIsUndefinedAndNamesAreChecked() {
        LossMeter m = new LossMeter(List.of(LossMeter.Series.mean("d3d"), LossMeter.Series.ratio("kept")));
        assertTrue(Double.isNaN(m.value("d3d")));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.add("d3D", 1));
        assertTrue(e.getMessage().contains("'d3D' was not declared"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> m.add("kept", 1));
        assertThrows(IllegalArgumentException.class, () -> m.addRatio("d3d", 1, 2));
        assertThrows(IllegalArgumentException.class,
                () -> new LossMeter(List.of(LossMeter.Series.mean("a"), LossMeter.Series.total("a"))));
    }
}
