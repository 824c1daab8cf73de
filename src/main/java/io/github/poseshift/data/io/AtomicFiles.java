package io.github.poseshift.data.io;

import java.awt.image.RenderedImage;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Whole-file writes that never leave a half-written file: the content goes to a temporary sibling,
 * which is then moved over the target (atomically where the file system allows). A write that fails (a full
 * disk, a read-only folder) removes the temporary file and says so in one line naming the target, never the
 * temporary file: {@code "runs/a/summary.csv: could not write: No space left on device"}.
 */
public final class AtomicFiles {

    /** Something that writes a whole file's content to a stream (without closing it). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes {@code content} to {@code file}, replacing it.
     *
     * @throws FormatException as {@code content} throws it (bad input found while writing)
     * @throws IOException     naming {@code file} and the file system's reason when it cannot be written
     */
    public static void write(Path file, Content content) throws IOException {
        Path absolute = file.toAbsolutePath();
        // Files.createTempFile would make the result owner-only; a plain new file gets the usual permissions.
        Path tmp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + Thread.currentThread().getId() + "." + System.nanoTime() + ".tmp");
        try {
            Files.createFile(tmp);
            try {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                    content.writeTo(out);
                }
                moveOver(tmp, absolute);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (FormatException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException(file + ": could not write: " + reason(e), e);
        }
    }

    /** Moves {@code source} over {@code target} in one step where the file system allows it, else plainly. */
    public static void moveOver(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Writes {@code text} to {@code file} as UTF-8, replacing it. */
    public static void writeString(Path file, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        write(file, out -> out.write(bytes));
    }

    /**
     * Writes {@code image} to {@code file} as a PNG, replacing it. The encoder buffers in memory and its stream is
     * closed even when a write fails: {@code ImageIO.write} to a stream would cache in a temporary file of its own
     * and, after a failed write, leave that stream for a shutdown hook that fails with a stack trace.
     */
    public static void writePng(Path file, RenderedImage image) throws IOException {
        write(file, out -> {
            Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
            if (!writers.hasNext()) {
                throw new IOException("no PNG writer in this Java runtime");
            }
            ImageWriter writer = writers.next();
            try (ImageOutputStream png = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(png);
                writer.write(image);
            } finally {
                writer.dispose();
            }
        });
    }

    /**
     * Why an I/O operation failed, in the file system's words and without the path (which a message names
     * itself): {@code No space left on device}, {@code Read-only file system}, {@code permission denied}. Image
     * writers wrap the cause in their own exception; the innermost I/O cause is the one that says why.
     */
    public static String reason(IOException e) {
        IOException root = e;
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                root = io;
            }
        }
        if (root instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (root instanceof NoSuchFileException) {
            return "no such file or folder";
        }
        if (root instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (root instanceof FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : root.getClass().getSimpleName();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
