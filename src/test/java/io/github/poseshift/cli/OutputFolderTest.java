package io.github.poseshift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputFolderTest {

    @TempDir
    Path dir;

    private static List<Path> contents(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.toList();
        }
    }

    @Test
    void aNewFolderIsMadeWithItsParentsAndAbandoningRemovesThemAll() throws IOException {
        Path out = dir.resolve("a/b/run");
        OutputFolder folder = OutputFolder.claim(out, false);
        assertTrue(Files.isDirectory(out));
        assertEquals(List.of(), contents(out), "the write check leaves nothing behind");
        Files.createDirectories(out.resolve("rgb"));
        Files.writeString(out.resolve("rgb/000000.png"), "half");
        folder.abandon(new IOException("disk full"));
        assertEquals(List.of(), contents(dir), "the folder and the parents the claim made are gone");
    }

    @Test
    void anEmptyFolderOfTheUsersStaysAndIsEmptiedAgain() throws IOException {
        Path out = Files.createDirectory(dir.resolve("mine"));
        OutputFolder folder = OutputFolder.claim(out, false);
        Files.writeString(out.resolve("summary.csv"), "half");
        folder.abandon(new IOException("disk full"));
        assertTrue(Files.isDirectory(out));
        assertEquals(List.of(), contents(out));
    }

    @Test
    void aUsersFilesAreNeverTouched() throws IOException {
        Path out = Files.createDirectory(dir.resolve("mine"));
        Files.writeString(out.resolve("history.csv"), "my numbers");
        FormatException e = assertThrows(FormatException.class, () -> OutputFolder.claim(out, false));
        assertEquals(out + ": is not empty (it holds history.csv); choose a new or empty folder (nothing was"
                + " overwritten)", e.getMessage());

        // With --resume the command's own earlier run is accepted, and a failure leaves all of it.
        OutputFolder resumed = OutputFolder.claim(out, true);
        resumed.abandon(new IOException("disk full"));
        assertEquals("my numbers", Files.readString(out.resolve("history.csv")));
        assertEquals(1, contents(out).size());

        Path file = dir.resolve("report.md");
        Files.writeString(file, "my report");
        e = assertThrows(FormatException.class, () -> OutputFolder.claim(file, false));
        assertEquals(file + ": is a file, not a folder; --out names a folder (new or empty) to write into (nothing was"
                + " overwritten)", e.getMessage());
        assertEquals("my report", Files.readString(file));
    }

    @Test
    void aFolderThatCannotBeMadeOrWrittenIsRefusedAtOnce() throws IOException {
        // Under a regular file: refused whoever runs the tests (root writes into read-only folders).
        Path file = Files.writeString(dir.resolve("notes.txt"), "mine");
        FormatException e = assertThrows(FormatException.class, () -> OutputFolder.claim(file.resolve("run/a"), false));
        assertEquals(file.resolve("run/a") + ": cannot be made: " + file + " is a file, not a folder", e.getMessage());
        Path proc = Path.of("/proc");
        if (Files.isDirectory(proc.resolve("self"))) {
            e = assertThrows(FormatException.class, () -> OutputFolder.claim(proc.resolve("poseshift-run"), false));
            assertEquals("/proc/poseshift-run: cannot be made: /proc does not take new folders", e.getMessage());
            // An existing pseudo-file-system folder, with --resume so that its entries do not refuse it first.
            e = assertThrows(FormatException.class, () -> OutputFolder.claim(proc.resolve("self"), true));
            assertTrue(e.getMessage().startsWith(proc.resolve("self") + ": cannot be written: "), e.getMessage());
        }
        assertEquals(List.of(file), contents(dir));
    }

    @Test
    void aDefaultFolderTakenAlreadyGetsANumber() throws IOException {
        Path first = dir.resolve("runs/20250101-120000");
        Files.createDirectories(first);
        assertEquals(dir.resolve("runs/20250101-120000-2"), OutputFolder.claimNew(first).path());
        assertEquals(dir.resolve("runs/20250101-120000-3"), OutputFolder.claimNew(first).path());
        assertFalse(Files.exists(dir.resolve("runs/20250101-120000-4")));
    }
}
