package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class EpochProgressTest {

    private static String epochLine(boolean timed) {
        StringWriter out = new StringWriter();
        try (EpochProgress progress = new EpochProgress(new PrintWriter(out), "oracle", 2, 5, 30, timed)) {
            progress.step(10, 100);
            progress.step(20, 40);
        }
        return out.toString();
    }

    @Test
    void theEpochLineHoldsTheSampleWeightedLossAndTimingsOnlyWhenTimed() {
        // (10·100 + 20·40) / 30 = 60 mm.
        assertEquals("oracle epoch 2/5  loss 60.0 mm" + System.lineSeparator(), epochLine(false));
        String timed = epochLine(true);
        assertTrue(timed.startsWith("oracle epoch 2/5  loss 60.0 mm  ") && timed.contains(" samples/s  eta "), timed);
    }
}
