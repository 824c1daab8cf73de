package io.github.poseshift.cli;

import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The folder a command writes its results into ({@code benchmark}, {@code train}, {@code synth}, {@code render}
 * {@code --out}), and the rules it keeps so that nothing of the user's is lost or overwritten:
 * <ul>
 *   <li>the folder does not exist or is empty, or, with {@code --resume}, holds the command's own earlier run
 *       (the command checks that itself); an existing file is refused as such;</li>
 *   <li>it is made and proven writable (a file is created in it and deleted) when claimed, before any work, so a
 *       read-only or pseudo file system fails at once, not after the training it was meant to save;</li>
 *   <li>a run of {@code benchmark}, {@code synth} or {@code render} that fails after claiming a new or empty folder
 *       (a full disk) {@linkplain #abandon removes} what it wrote and the folders it made, so a rerun finds the
 *       folder as it was; {@code train} keeps what it checkpointed, for {@code --resume}.</li>
 * </ul>
 * Every refusal is a {@link FormatException} naming the user's folder.
 */
final class OutputFolder {

    /** Entries of a non-empty folder named in the refusal. */
    private static final int NAMED_ENTRIES = 3;

    private final Path dir;
    private final boolean fresh;
    private final List<Path> made;

    private OutputFolder(Path dir, boolean fresh, List<Path> made) {
        this.dir = dir;
        this.fresh = fresh;
        this.made = made;
    }

    /**
     * Claims {@code dir}: it must not exist or be empty, unless {@code resume}, where it may hold the caller's own
     * earlier run (the caller decides what that is). Makes the folder and any missing parents and proves it
     * writable.
     *
     * @throws FormatException naming {@code dir} when it is a file, holds files (without {@code resume}), cannot be
     *                         made, or cannot be written
     */
    static OutputFolder claim(Path dir, boolean resume) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new FormatException(dir.toString(), "is a file, not a folder; --out names a folder (new or empty)"
                    + " to write into (nothing was overwritten)");
        }
        List<Path> entries = Files.isDirectory(dir) ? entries(dir) : List.of();
        if (!entries.isEmpty() && !resume) {
            throw new FormatException(dir.toString(), "is not empty (it holds " + named(entries) + "); choose a new"
                    + " or empty folder (nothing was overwritten)");
        }
        OutputFolder folder = new OutputFolder(dir, entries.isEmpty(), make(dir));
        Path probe = dir.resolve(".poseshift-write-check-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createFile(probe);
            Files.delete(probe);
        } catch (IOException e) {
            folder.abandon(e);
            throw new FormatException(dir.toString(), "cannot be written: " + AtomicFiles.reason(e), e);
        }
        return folder;
    }

    /**
     * Claims the first of {@code dir}, {@code dir-2}, {@code dir-3}, ... that does not exist yet (a default folder
     * such as {@code runs/<timestamp>}, which two runs started in the same second would otherwise share).
     */
    static OutputFolder claimNew(Path dir) throws IOException {
        for (int n = 1; ; n++) {
            Path candidate = n == 1 ? dir : dir.resolveSibling(dir.getFileName() + "-" + n);
            if (!Files.exists(candidate)) {
                return claim(candidate, false);
            }
        }
    }

    /** The folder. */
    Path path() {
        return dir;
    }

    /**
     * After a failed run: when the folder was new or empty, removes everything in it and the folders
     * {@link #claim} made, so the folder is as the user left it; a folder claimed with {@code --resume} that held
     * an earlier run is left alone. A failure to remove is added to {@code cause} as suppressed.
     */
    void abandon(Throwable cause) {
        if (!fresh) {
            return;
        }
        try {
            if (Files.isDirectory(dir)) {
                removeContents(dir.toRealPath());
            }
            removeMade(made);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }

    /** Removes folders {@link #make} made, innermost first; one that something else has written into stays. */
    private static void removeMade(List<Path> made) throws IOException {
        try {
            for (int i = made.size() - 1; i >= 0; i--) {
                Files.deleteIfExists(made.get(i));
            }
        } catch (DirectoryNotEmptyException e) {
            // Another program wrote beside what this run made: its files, and the folders holding them, stay.
        }
    }

    /** Makes {@code dir} and its missing parents, returning those it made, outermost first. */
    private static List<Path> make(Path dir) throws FormatException {
        List<Path> missing = new ArrayList<>();
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            missing.add(0, existing);
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            throw new FormatException(dir.toString(), "cannot be made: " + existing + " is a file, not a folder");
        }
        List<Path> made = new ArrayList<>();
        for (Path p : missing) {
            try {
                Files.createDirectory(p);
            } catch (IOException e) {
                try {
                    removeMade(made);
                } catch (IOException again) {
                    e.addSuppressed(again);
                }
                // A parent that exists yet answers "no such file" is a pseudo file system such as /proc.
                String why = e instanceof NoSuchFileException ? p.getParent() + " does not take new folders"
                        : AtomicFiles.reason(e) + (p.equals(dir.toAbsolutePath()) ? "" : " (making " + p + ")");
                throw new FormatException(dir.toString(), "cannot be made: " + why, e);
            }
            made.add(p);
        }
        return made;
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(Path::getFileName).sorted().toList();
        }
    }

    private static String named(List<Path> entries) {
        List<String> names = entries.stream().limit(NAMED_ENTRIES).map(Path::toString).toList();
        int more = entries.size() - names.size();
        return String.join(", ", names) + (more > 0 ? " and " + more + " more" : "");
    }

    /** Deletes what {@code dir} (a real path, not a link) holds, without following links out of it. */
    private static void removeContents(Path dir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                if (!d.equals(dir)) {
                    Files.delete(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
