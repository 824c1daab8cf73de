package io.github.poseshift.data.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where real data that PoseShift never copies into the repository lies on this machine. The team keeps it
 * in a {@code shared/} folder beside its checkouts ({@code ../shared/data/...} from a checkout's root), so
 * the search walks up from the working directory: it finds the data from the root of a checkout (the CLI,
 * the tests), from its {@code notebooks/} folder (Jupyter runs a notebook there), or from anywhere below.
 * An environment variable points elsewhere.
 */
public final class DataPaths {

    /** Environment variable naming the folder of the Bandai-Namco clips, when they are not in {@code shared/}. */
    public static final String BANDAI_NAMCO_ENV = "POSESHIFT_BANDAI_NAMCO";

    /** The clips' folder below {@code shared/}. */
    static final Path BANDAI_NAMCO_IN_SHARED = Path.of("shared", "data", "mocap", "bandai-namco-1", "data");

    /** How to get the Bandai-Namco clips (as {@code data/README.md} says), for a notebook to print. */
    public static final String BANDAI_NAMCO_DOWNLOAD = String.join("\n",
            "The Bandai-Namco Research Motion Dataset 1 (174 BVH clips, CC BY-NC 4.0, non-commercial) was not found.",
            "A checkout beside the team's shared/ folder reads it from ../shared/data/mocap/bandai-namco-1/data.",
            "Anyone else:",
            "  git clone --depth 1 https://github.com/BandaiNamcoResearchInc/Bandai-Namco-Research-Motiondataset.git",
            "  export " + BANDAI_NAMCO_ENV
                    + "=$PWD/Bandai-Namco-Research-Motiondataset/dataset/Bandai-Namco-Research-Motiondataset-1/data",
            "and restart the kernel. Never commit the clips (their licence is non-commercial).");

    private DataPaths() {}

    /**
     * The folder of the Bandai-Namco BVH clips: {@value #BANDAI_NAMCO_ENV} when set, else the first
     * {@code shared/data/mocap/bandai-namco-1/data} found beside the working directory or one of its parents;
     * empty when there is none (then print {@link #BANDAI_NAMCO_DOWNLOAD}).
     *
     * @throws IllegalArgumentException when {@value #BANDAI_NAMCO_ENV} is set but names no folder: a typo should
     *                                  not quietly fall back to other data
     */
    public static Optional<Path> bandaiNamcoClips() {
        return bandaiNamcoClips(Path.of("").toAbsolutePath(), System.getenv());
    }

    /** {@link #bandaiNamcoClips()} searching from {@code start} with {@code environment}. */
    static Optional<Path> bandaiNamcoClips(Path start, Map<String, String> environment) {
        String override = environment.get(BANDAI_NAMCO_ENV);
        if (override != null && !override.isBlank()) {
            Path dir = Path.of(override.strip()).toAbsolutePath().normalize();
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException(BANDAI_NAMCO_ENV + "=" + override + ": no such folder");
            }
            return Optional.of(dir);
        }
        return findUpwards(start, BANDAI_NAMCO_IN_SHARED);
    }

    /**
     * The PoseShift checkout the working directory is in (the project root in the CLI and the tests,
     * {@code notebooks/} in Jupyter): the first of it and its parents holding {@code pom.xml} and the {@code
     * poseshift} launcher.
     */
    public static Optional<Path> projectRoot() {
        for (Path dir = Path.of("").toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("pom.xml")) && Files.isRegularFile(dir.resolve("poseshift"))) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** The first {@code dir.resolve(relative)} that is a folder, for {@code dir} = {@code start} and its parents. */
    static Optional<Path> findUpwards(Path start, Path relative) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
