package io.github.poseshift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.geometry.PoseArray;
import java.util.List;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class ErrorTableTest {

    /** Three poses of one joint: 10 mm, 20 mm and 60 mm off; actions walk, walk, sit. */
    private static ErrorTable table() {
        double[] gt = new double[9];
        double[] pred = {10, 0, 0, 0, 20, 0, 0, 0, 60};
        PoseErrors e = PoseErrors.compute(PoseArray.of(pred, 1), PoseArray.of(gt, 1), LengthUnit.MILLIMETRES);
        return ErrorTable.byGroup("action", e, List.of("walk", "walk", "sit,down"));
    }

    @Test
    void meanOverActionsAndOverPosesDiffer() {
        ErrorTable t = table();
        assertEquals(List.of("walk", "sit,down", "mean (over actions)", "mean (over poses)"), t.rowLabels());
        assertEquals(15.0, t.row("walk").mpjpeMm(), 1e-12);
        assertEquals((15.0 + 60.0) / 2, t.meanOverGroups().mpjpeMm(), 1e-12);
        assertEquals(30.0, t.meanOverPoses().mpjpeMm(), 1e-12);
        assertEquals(3, t.meanOverGroups().poses());
    }

    @Test
    void tablesawTableHasTheDocumentedColumns() {
        Table t = table().table();
        assertEquals(List.of("action", "frames", "mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc"),
                t.columnNames());
        assertEquals(4, t.rowCount());
        assertEquals(60.0, t.doubleColumn("mpjpe_mm").get(1), 1e-12);
    }

    @Test
    void textMarkdownAndCsv() {
        ErrorTable t = table();
        String text = t.toText();
        assertTrue(text.lines().anyMatch(l -> l.startsWith("walk") && l.contains("15.0")), text);
        assertTrue(text.contains("mean (over poses)"), text);
        String md = t.toMarkdown();
        assertTrue(md.startsWith("| action | frames | MPJPE mm |"), md);
        assertTrue(md.contains("|---|---:|"), md);
        String csv = t.toCsv();
        assertTrue(csv.startsWith("action,frames,mpjpe_mm,n_mpjpe_mm,pa_mpjpe_mm,pck150,auc\n"), csv);
        assertTrue(csv.contains("\n\"sit,down\",1,60.0000,"), csv);
    }
}
