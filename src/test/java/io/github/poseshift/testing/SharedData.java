package io.github.poseshift.testing;

import io.github.poseshift.data.io.DataPaths;
import java.nio.file.Path;

/**
 * The team's real data beside the checkout ({@code ../shared/data}), read in place and never copied into
 * the repository, found as the library finds it ({@link DataPaths}). CI has it, so there a missing folder
 * fails the test; elsewhere the test is skipped.
 */
public final class SharedData {

    private SharedData() {}

    /** {@code ../shared/data/mocap/bandai-namco-1/data}, the Bandai-Namco BVH clips. */
    public static Path bandaiNamcoClips() {
        return DataPaths.bandaiNamcoClips().orElseGet(() -> {
            ReferencePython.missing("../shared/data/mocap/bandai-namco-1/data is missing: these tests read the"
                    + " Bandai-Namco BVH clips in place (see data/README.md for the download)");
            throw new AssertionError("unreachable: missing() ends the test");
        });
    }
}
