package io.github.poseshift.data.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataPathsTest {

    @TempDir
    Path dir;

    @Test
    void theSharedFolderIsFoundFromTheCheckoutAndBelowIt() throws IOException {
        Path clips = Files.createDirectories(dir.resolve(DataPaths.BANDAI_NAMCO_IN_SHARED));
        Path notebooks = Files.createDirectories(dir.resolve("poseshift/notebooks"));
        assertEquals(Optional.of(clips), DataPaths.bandaiNamcoClips(notebooks, Map.of()));
        assertEquals(Optional.of(clips), DataPaths.bandaiNamcoClips(notebooks.getParent(), Map.of()));
    }

    @Test
    void theVariableWinsAndATypoIsAnErrorNotAFallback() throws IOException {
        Files.createDirectories(dir.resolve(DataPaths.BANDAI_NAMCO_IN_SHARED));
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        assertEquals(Optional.of(elsewhere), DataPaths.bandaiNamcoClips(dir,
                Map.of(DataPaths.BANDAI_NAMCO_ENV, elsewhere.toString())));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataPaths.bandaiNamcoClips(dir,
                Map.of(DataPaths.BANDAI_NAMCO_ENV, dir.resolve("nope").toString())));
        assertTrue(e.getMessage().startsWith(DataPaths.BANDAI_NAMCO_ENV + "="), e.getMessage());
    }

    @Test
    void nothingFoundIsEmpty() throws IOException {
        Path lonely = Files.createDirectories(dir.resolve("a/b"));
        // The temp folder's parents might hold a shared/ folder of their own; a fresh tree under it must
        // find only what is there, so look from a root that has none.
        Optional<Path> found = DataPaths.bandaiNamcoClips(lonely, Map.of());
        assertTrue(found.isEmpty() || !found.get().startsWith(dir), String.valueOf(found));
    }
}
