package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    private List<Path> contents() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void aFailedWriteNamesTheFileLeavesNoTemporaryFileAndKeepsTheOldContent() throws IOException {
        Path file = Files.writeString(dir.resolve("summary.csv"), "mine");
        // What a full disk does to a write: the stream fails part-way.
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, out -> {
            out.write(new byte[100]);
            throw new IOException("No space left on device");
        }));
        assertEquals(file + ": could not write: No space left on device", e.getMessage());
        assertEquals("mine", Files.readString(file));
        assertEquals(List.of(file), contents());
    }

    @Test
    void aFileThatCannotBeMadeIsNamedNotItsTemporarySibling() throws IOException {
        Path notAFolder = Files.writeString(dir.resolve("notes.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.writeString(notAFolder.resolve("a.csv"), "x"));
        assertEquals(notAFolder.resolve("a.csv") + ": could not write: Not a directory", e.getMessage());
        e = assertThrows(IOException.class, () -> AtomicFiles.writeString(dir.resolve("none/a.csv"), "x"));
        assertEquals(dir.resolve("none/a.csv") + ": could not write: no such file or folder", e.getMessage());
    }

    @Test
    void badInputFoundWhileWritingKeepsItsOwnMessage() throws IOException {
        FormatException bad = new FormatException("poses.npz[S1/walk]", "NaN at frame 3");
        Path file = dir.resolve("poses.npz");
        assertSame(bad, assertThrows(FormatException.class, () -> AtomicFiles.write(file, out -> {
            throw bad;
        })));
        assertEquals(List.of(), contents());
    }

    @Test
    void pngsAreWrittenWhole() throws IOException {
        BufferedImage image = new BufferedImage(7, 5, BufferedImage.TYPE_INT_RGB);
        image.setRGB(3, 2, 0xFF8000);
        Path file = dir.resolve("a.png");
        AtomicFiles.writePng(file, image);
        BufferedImage read = ImageIO.read(file.toFile());
        assertEquals(7, read.getWidth());
        assertEquals(0xFF8000, read.getRGB(3, 2) & 0xFFFFFF);
    }
}
