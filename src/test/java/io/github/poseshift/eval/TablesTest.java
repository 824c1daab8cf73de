package io.github.poseshift.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

class TablesTest {

    private static Table table() {
        return Table.create("t", StringColumn.create("target", "lab", "ski, steep", "a|b"),
                IntColumn.create("frames", new int[] {12, 3, 100}),
                DoubleColumn.create("mpjpe_mm", 51.25, 0.04, 123.456),
                DoubleColumn.create("gap_closed", 0.5, Double.NaN, -0.126),
                DoubleColumn.create("ratio", 1.0, 2.5, 0.123456));
    }

    @Test
    void csvKeepsColumnNamesAndFourDecimalsAndQuotesWhereNeeded() {
        assertEquals("""
                target,frames,mpjpe_mm,gap_closed,ratio
                lab,12,51.2500,0.5000,1.0000
                "ski, steep",3,0.0400,NaN,2.5000
                a|b,100,123.4560,-0.1260,0.1235
                """, Tables.csv(table()));
    }

    @Test
    void markdownShowsHeadingsOneDecimalRightAlignedNumbersAndADashForUndefined() {
        assertEquals("""
                | target | frames | MPJPE mm | gap closed | ratio |
                |---|---:|---:|---:|---:|
                | lab | 12 | 51.3 | 0.50 | 1.0 |
                | ski, steep | 3 | 0.0 | – | 2.5 |
                | a\\|b | 100 | 123.5 | -0.13 | 0.1 |
                """, Tables.markdown(table()));
    }

    @Test
    void textAlignsColumnsWithRulesUnderTheHeadingsAndAboveChosenRows() {
        assertEquals("""
                target      frames  MPJPE mm  gap closed  ratio
                -----------------------------------------------
                lab             12      51.3        0.50    1.0
                ski, steep       3       0.0           –    2.5
                -----------------------------------------------
                a|b            100     123.5       -0.13    0.1
                """, Tables.text(table(), 2));
    }

    @Test
    void meanAndStdCellsLineUpOnThePlusMinus() {
        Table spreads = Table.create("s", StringColumn.create("method", "a", "b", "c"),
                StringColumn.create("mpjpe_mm", Tables.plusMinus("mpjpe_mm", 220, 20), Tables.plusMinus("mpjpe_mm", 1300, 0),
                        Tables.plusMinus("mpjpe_mm", 5, 1)),
                StringColumn.create("gap_closed", Tables.plusMinus("gap_closed", 0.4, 0.1),
                        Tables.plusMinus("gap_closed", -0.25, 0), Tables.plusMinus("gap_closed", Double.NaN, Double.NaN)));
        assertEquals("220.0 ± 20.0", Tables.plusMinus("mpjpe_mm", 220, 20));
        assertEquals("–", Tables.plusMinus("gap_closed", Double.NaN, Double.NaN));
        assertEquals("""
                method       MPJPE mm    gap closed
                -----------------------------------
                a        220.0 ± 20.0   0.40 ± 0.10
                b       1300.0 ±  0.0  -0.25 ± 0.00
                c          5.0 ±  1.0             –
                """, Tables.text(spreads));
        assertEquals("""
                | method | MPJPE mm | gap closed |
                |---|---:|---:|
                | a | 220.0 ± 20.0 | 0.40 ± 0.10 |
                | b | 1300.0 ± 0.0 | -0.25 ± 0.00 |
                | c | 5.0 ± 1.0 | – |
                """, Tables.markdown(spreads));
    }

    @Test
    void theTableItselfKeepsItsNumbers() {
        Table t = table();
        Tables.csv(t);
        Tables.text(t);
        assertEquals(51.25, t.doubleColumn("mpjpe_mm").get(0), 0);
        assertEquals(t.doubleColumn("mpjpe_mm").getUnformattedString(0), t.doubleColumn("mpjpe_mm").getString(0));
    }
}
