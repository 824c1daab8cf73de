package io.github.poseshift.train;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The file operations a checkpoint is built from: files written once and forced to disk with their
 * SHA-256 taken on the way, a file replaced atomically and durably (the commit of a save), and files read
 * back only when their size and digest are the recorded ones.
 *
 * <p>Testing hook: the environment variable {@value #PAUSE_ENV} (milliseconds) makes {@link #pause} sleep,
 * and {@link Checkpoint#save} calls it after every step of a save, so a test that kills the process at a
 * random time lands inside saves often. Unset (the default), nothing sleeps.
 */
final class CheckpointFiles {

    /** The environment variable that slows each step of a save down, for kill tests. */
    static final String PAUSE_ENV = "POSESHIFT_CHECKPOINT_PAUSE_MS";

    /**
     * What a file held when it was written.
     *
     * @param bytes  its length
     * @param sha256 the SHA-256 of its content, lower-case hex
     */
    record Digest(long bytes, String sha256) {
        JsonObject toJson() {
            JsonObject json = new JsonObject();
            json.addProperty("bytes", bytes);
            json.addProperty("sha256", sha256);
            return json;
        }

        /** Reads the form {@link #toJson} writes; {@code what} names the entry in messages. */
        static Digest fromJson(JsonElement json, String file, String what) throws FormatException {
            if (json != null && json.isJsonObject()) {
                JsonObject o = json.getAsJsonObject();
                JsonElement bytes = o.get("bytes");
                JsonElement sha = o.get("sha256");
                if (bytes != null && bytes.isJsonPrimitive() && bytes.getAsJsonPrimitive().isNumber()
                        && sha != null && sha.isJsonPrimitive() && sha.getAsString().matches("[0-9a-f]{64}")) {
                    return new Digest(bytes.getAsLong(), sha.getAsString());
                }
            }
            throw new FormatException(file, what + " must be {\"bytes\": N, \"sha256\": \"64 hex digits\"}, found " + json);
        }
    }

    private CheckpointFiles() {}

    /** Writes {@code content} to the new file {@code file}, forces it to disk and returns its digest. */
    static Digest write(Path file, AtomicFiles.Content content) throws IOException {
        MessageDigest sha = sha256();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(new DigestOutputStream(Channels.newOutputStream(channel), sha),
                    1 << 20);
            content.writeTo(out);
            out.flush();
            channel.force(true);
            return new Digest(channel.size(), HexFormat.of().formatHex(sha.digest()));
        }
    }

    /**
     * Replaces {@code file} with {@code content} in one step: written to a temporary sibling
     * ({@code .NAME.*.tmp}), forced to disk, then renamed over {@code file} and the directory forced, so
     * after a crash the file is either the old one or the new one, whole. Pauses (the test hook) before the
     * rename.
     */
    static void replace(Path file, byte[] content) throws IOException {
        Path absolute = file.toAbsolutePath();
        Path tmp = absolute.resolveSibling(tempPrefix(absolute.getFileName().toString())
                + ProcessHandle.current().pid() + "." + System.nanoTime() + ".tmp");
        try {
            write(tmp, out -> out.write(content));
            pause();
            AtomicFiles.moveOver(tmp, absolute);
            syncDirectory(absolute.getParent());
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** How the temporary siblings {@link #replace} writes for {@code name} begin. */
    static String tempPrefix(String name) {
        return "." + name + ".";
    }

    /** Forces a directory's entries (new, renamed, deleted files) to disk, where the platform allows it. */
    static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory; their renames are as durable as they make them.
        }
    }

    /**
     * The content of {@code file}, read once and returned only when its length and SHA-256 are
     * {@code expected}'s.
     *
     * @param recordedIn the file that records the digest, named in messages
     * @throws FormatException naming the file: missing, another length, or another digest
     */
    static byte[] readVerified(Path file, Digest expected, Path recordedIn) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new FormatException(file.toString(), "missing; " + recordedIn + " lists it as part of the checkpoint");
        }
        byte[] content = Files.readAllBytes(file);
        if (content.length != expected.bytes()) {
            throw new FormatException(file.toString(), "has " + content.length + " bytes, " + recordedIn + " records "
                    + expected.bytes() + ": the file was truncated or replaced since it was saved (nothing was loaded)");
        }
        String actual = HexFormat.of().formatHex(sha256().digest(content));
        if (!actual.equals(expected.sha256())) {
            throw new FormatException(file.toString(), "changed since it was saved: SHA-256 " + actual.substring(0, 12)
                    + "…, " + recordedIn + " records " + expected.sha256().substring(0, 12)
                    + "…; the file is damaged or from another checkpoint (nothing was loaded)");
        }
        return content;
    }

    /** The testing hook: sleeps {@value #PAUSE_ENV} milliseconds when that is set. */
    static void pause() {
        long ms = pauseFromEnvironment();
        if (ms > 0) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long pauseFromEnvironment() {
        String value = System.getenv(PAUSE_ENV);
        if (value == null || value.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(PAUSE_ENV + " must be a number of milliseconds, got '" + value + "'");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
