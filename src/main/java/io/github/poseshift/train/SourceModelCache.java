package io.github.poseshift.train;

import ai.djl.Model;
import com.google.gson.JsonObject;
import io.github.poseshift.data.io.DataPaths;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.nn.image.ImagePoseModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The one pretrained source model every image method starts from, trained once and kept on disk: an entry
 * of the cache folder ({@link #DEFAULT_FOLDER}, {@code runs/cache/image-source}) is a checkpoint (kind
 * {@link ImagePoseTraining#KIND}) named by a hash of everything that determines it — the description the
 * caller gives (the source domain's spec, the budget, the seed) and the {@link #codeVersion()} of the
 * PoseShift classes that train it. A changed spec, budget, seed or code misses the cache and trains anew;
 * a hit loads the saved weights, which predict bit for bit what the run that trained them predicted.
 *
 * <p>An entry is written under a temporary name and renamed into place once training has finished, so an
 * interrupted run leaves no entry. An entry that fails to load (a file damaged or missing, another key
 * inside) is moved aside to {@code <key>.damaged-<time>} with a warning and trained again, never used.
 */
public final class SourceModelCache {

    /** The default cache folder, relative to the working directory. */
    public static final Path DEFAULT_FOLDER = Path.of("runs", "cache", "image-source");
    /** Bump to invalidate every entry when what an entry means changes without a class change. */
    static final String LAYOUT = "poseshift-image-source-1";

    /**
     * The source model and where it came from.
     *
     * @param net     the model, initialised, in the model passed to {@link #obtain}
     * @param history its training history (loaded with it on a hit)
     * @param hit     whether it was loaded from the cache
     * @param folder  the cache entry (null when caching is off)
     */
    public record Entry(ImagePoseModel net, History history, boolean hit, Path folder) {}

    /** What trains the model on a miss, into {@code checkpointing}'s folder (null: no checkpoint). */
    public interface Training {
        History train(Model model, LifterTraining.Checkpointing checkpointing) throws IOException;
    }

    private SourceModelCache() {}

    /**
     * The project's cache folder, {@code <project>/runs/cache/image-source}, found from the working directory
     * upwards ({@link DataPaths#projectRoot}), so the notebooks (run from {@code notebooks/}) and the CLI (from the
     * root) share one; {@link #DEFAULT_FOLDER} under the working directory outside a checkout.
     */
    public static Path projectFolder() {
        return DataPaths.projectRoot().map(root -> root.resolve(DEFAULT_FOLDER)).orElse(DEFAULT_FOLDER);
    }

    /**
     * The cached model of {@code description} loaded into {@code model}, or one trained by {@code training}
     * (whose model block must already be the uninitialised {@link ImagePoseModel} of {@code config}) and saved.
     *
     * @param cache       the cache folder, or null to train without caching
     * @param description everything that determines the model besides the code (spec, budget, seed)
     * @param log         progress and warnings (null for none)
     */
    public static Entry obtain(Path cache, Model model, ImagePoseModel.Config config, JsonObject description,
            Training training, PrintWriter log) throws IOException {
        if (!(model.getBlock() instanceof ImagePoseModel net) || !net.config().equals(config)) {
            throw new IllegalArgumentException("the model's block must be an ImagePoseModel of the cached configuration");
        }
        if (cache == null) {
            return new Entry(net, training.train(model, null), false, null);
        }
        JsonObject keyed = description.deepCopy();
        keyed.addProperty("layout", LAYOUT);
        keyed.addProperty("code", codeVersion());
        keyed.add("model", Checkpoint.toJson(config));
        String key = key(keyed);
        keyed.addProperty("key", key);
        Path folder = cache.resolve(key);
        if (Files.exists(folder)) {
            try {
                Checkpoint.Meta meta = Checkpoint.verify(folder);
                String saved = meta.info().has("key") ? meta.info().get("key").getAsString() : "none";
                if (!saved.equals(key)) {
                    throw new FormatException(folder.toString(), "holds the entry of key " + saved + ", not " + key);
                }
                ImagePoseModel loaded = ImagePoseTraining.load(folder, model);
                say(log, "source model: loaded from the cache, %s", folder);
                return new Entry(loaded, Checkpoint.history(folder), true, folder);
            } catch (IOException | RuntimeException e) {
                Path aside = cache.resolve(key + ".damaged-" + System.currentTimeMillis());
                Files.move(folder, aside);
                say(log, "WARNING: the cached source model %s could not be used (%s); moved it to %s and training it"
                        + " again", folder, e.getMessage(), aside);
                model.setBlock(new ImagePoseModel(config));
            }
        }
        Files.createDirectories(cache);
        Path partial = cache.resolve(key + ".partial-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        History history = training.train(model, new LifterTraining.Checkpointing(partial, ImagePoseTraining.KIND, config,
                keyed, false, 0));
        try {
            Files.move(partial, folder, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
            // Another run finished the same entry first: keep its copy, drop ours (both are the same model).
            deleteTree(partial);
        }
        say(log, "source model: trained and cached in %s", folder);
        return new Entry((ImagePoseModel) model.getBlock(), history, false, folder);
    }

    /** The cache key of a description: the first 20 hex digits of its SHA-256. */
    static String key(JsonObject description) {
        return HexFormat.of().formatHex(sha256(description.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 20);
    }

    private static String codeVersion;

    /**
     * A digest of every PoseShift class as loaded (the compiled classes folder or the jar), so that any change
     * of the code misses the cache. Computed once per JVM.
     */
    public static synchronized String codeVersion() {
        if (codeVersion == null) {
            codeVersion = computeCodeVersion();
        }
        return codeVersion;
    }

    private static String computeCodeVersion() {
        try {
            Path location = Path.of(SourceModelCache.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            String root = "io/github/poseshift/";
            if (Files.isDirectory(location)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(location.resolve(root))) {
                    files = new ArrayList<>(walk.filter(p -> p.toString().endsWith(".class")).toList());
                }
                files.sort(Comparator.comparing(p -> location.relativize(p).toString()));
                for (Path p : files) {
                    digest.update(location.relativize(p).toString().getBytes(StandardCharsets.UTF_8));
                    digest.update(Files.readAllBytes(p));
                }
            } else {
                try (JarFile jar = new JarFile(location.toFile())) {
                    List<String> names = new ArrayList<>(jar.stream().map(e -> e.getName())
                            .filter(n -> n.startsWith(root) && n.endsWith(".class")).toList());
                    names.sort(null);
                    for (String n : names) {
                        digest.update(n.getBytes(StandardCharsets.UTF_8));
                        try (InputStream in = jar.getInputStream(jar.getEntry(n))) {
                            digest.update(in.readAllBytes());
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(digest.digest()).substring(0, 20);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read PoseShift's classes to version the model cache", e);
        } catch (URISyntaxException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("could not version the model cache", e);
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void say(PrintWriter log, String format, Object... args) {
        if (log != null) {
            log.printf(Locale.ROOT, format + "%n", args);
            log.flush();
        }
    }
}
