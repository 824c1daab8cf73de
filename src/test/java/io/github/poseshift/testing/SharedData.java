package io.github.poseshift.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The team's real data beside the checkout ({@code ../shared/data}), read in place and never copied into
 * the repository. CI has it, so there a missing folder fails the test; elsewhere the test is skipped.
 */
public final class SharedData {

    private SharedData() {}

    /** {@code ../shared/data/mocap/bandai-namco-1/data}, the Bandai-Namco BVH clips. */
    public static Path bandaiNamcoClips() {
        String projectDir = System.getProperty("poseshift.project.dir", ".");
        Path dir = Path.of(projectDir).toAbsolutePath().normalize()
                .resolve("../shared/data/mocap/bandai-namco-1/data").normalize();
        if (!Files.isDirectory(dir)) {
            ReferencePython.missing(dir + " is missing: these tests read the Bandai-Namco BVH clips in place"
                    + " (see data/README.md for the download)");
        }
        return dir;
    }
}
