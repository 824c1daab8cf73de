package io.github.poseshift.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.io.FormatException;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    @Test
    void csvRoundTripsEveryPoint() throws FormatException {
        History history = new History();
        history.record("train_loss", 1, 0, 0.1f);
        history.record("train_loss", 2, 0, 3.0e-7f);
        history.record("NA", 2, 0, 12345.678f);
        history.record("epoch_loss_mm", 2, 1, Double.NaN);
        String csv = history.toCsv();
        assertEquals("""
                series,step,epoch,value
                train_loss,1,0,0.100000001
                train_loss,2,0,3.00000011e-07
                NA,2,0,12345.6777
                epoch_loss_mm,2,1,NaN
                """, csv);
        History read = History.parseCsv(csv, "history.csv");
        assertEquals(List.of("train_loss", "NA", "epoch_loss_mm"), read.names());
        // Nine significant digits give back the float each value was.
        List<History.Point> points = read.series("train_loss");
        assertEquals(List.of(1, 2), points.stream().map(History.Point::step).toList());
        assertEquals(List.of(0, 0), points.stream().map(History.Point::epoch).toList());
        assertEquals(0.1f, (float) points.get(0).value(), 0);
        assertEquals(3.0e-7f, (float) points.get(1).value(), 0);
        assertEquals(12345.678f, (float) read.last("NA"), 0);
        assertTrue(Double.isNaN(read.last("epoch_loss_mm")));
        assertEquals(csv, read.toCsv());
    }

    @Test
    void badFilesAreNamedWithWhatIsWrong() {
        assertProblem("", "history.csv: not a training history: expected the header series,step,epoch,value, found nothing");
        assertProblem("series,step,value\na,1,2\n", "found series,step,value");
        assertProblem("series,step,epoch,value\na,1,0,1.5\nb,2,x,1\n", "history.csv: row 2 after the header:");
        assertProblem("series,step,epoch,value\na,1,0,1.5\nb,,0,1\n", "history.csv: row 2 after the header has no step");
        assertProblem("series,step,epoch,value\na,1,0,1.5,7\n", "history.csv: not a readable CSV:");
    }

    private static void assertProblem(String csv, String expected) {
        FormatException e = assertThrows(FormatException.class, () -> History.parseCsv(csv, "history.csv"));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
