package io.github.poseshift.cli;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.eval.Tables;
import io.github.poseshift.render.ImageDataset;
import io.github.poseshift.render.ImageRenderer;
import io.github.poseshift.render.RenderFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** {@code poseshift render}: a domain's frames as images with their labels, written to a folder. */
@Command(name = "render", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Render frames of a domain as images in the domain's style, with their labels, into a folder:",
            "rgb/, mask/, parts/ (PNG) and labels/ (.npz: depth, heatmaps, joints2d, visibility, pose3d, camera),",
            "index.csv (what each image shows) and domain.json. --montage FILE instead writes one picture with a",
            "row of samples per domain."})
final class RenderCommand implements Callable<Integer> {

    /** Samples per domain row of a montage. */
    static final int MONTAGE_SAMPLES = 4;

    /** The most rendering threads: far beyond any machine's cores, well within a thread pool's limit. */
    static final int MAX_THREADS = 256;

    @Spec
    private CommandSpec spec;

    @Option(names = "--domain", paramLabel = "NAME|SPEC.json",
            description = "A preset (h36m-like, 3dhp-like, 3dpw-like, ski-like) or a domain JSON file; with --montage a"
                    + " comma-separated list (default: the four presets).")
    private String domain;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder: new or empty.")
    private Path out;

    @Option(names = "--count", defaultValue = "100", paramLabel = "N",
            description = "Images, spread evenly over the split's frames (default: ${DEFAULT-VALUE}).")
    private int count;

    @Option(names = "--size", paramLabel = "64|128|256", description = "Image size in pixels (default: the domain's).")
    private Integer size;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S",
            description = "Seed of the domain's motion and cameras and of the rendering (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--split", defaultValue = "train", paramLabel = "train|test|all",
            description = "Whose frames: the training subjects, the test subjects or all (default: ${DEFAULT-VALUE}).")
    private String split;

    @Option(names = "--sigma", paramLabel = "PX", description = "Heatmap sigma in pixels (default: size/32).")
    private Double sigma;

    @Option(names = "--threads", paramLabel = "N", description = "Rendering threads (default: one per core).")
    private Integer threads;

    @Option(names = "--montage", paramLabel = "FILE.png",
            description = "Write one PNG: per domain a row of " + MONTAGE_SAMPLES + " images, the first one's parts and"
                    + " depth (small domains of 2 subjects, 60 frames).")
    private Path montage;

    @Override
    public Integer call() throws IOException {
        if (size != null && !Domains.IMAGE_SIZES.contains(size)) {
            throw new IllegalArgumentException("--size must be one of " + Domains.IMAGE_SIZES + ", got " + size);
        }
        int workers = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        PoseShiftCli.requireRange("--threads", workers, 1, MAX_THREADS);
        if (montage != null) {
            for (String ignored : List.of("--out", "--count", "--split")) {
                if (spec.commandLine().getParseResult().hasMatchedOption(ignored)) {
                    throw new IllegalArgumentException(ignored + " does not apply to --montage, which writes one picture"
                            + " of small domains to its FILE; drop one of them");
                }
            }
            return montage(workers);
        }
        if (domain == null || out == null) {
            throw new IllegalArgumentException("--domain and --out are required (or --montage FILE)");
        }
        if (count < 1) {
            throw new IllegalArgumentException("--count must be at least 1, got " + count);
        }
        DomainSpec.Split.requireName(split);
        DomainSpec domainSpec = Domains.load(domain);
        OutputFolder folder = OutputFolder.claim(out, false);
        try {
            return render(domainSpec, workers);
        } catch (Throwable t) {
            folder.abandon(t);
            throw t;
        }
    }

    /** Renders into the claimed {@code --out}. */
    private int render(DomainSpec domainSpec, int workers) throws IOException {
        PrintWriter log = spec.commandLine().getOut();
        long start = System.nanoTime();
        SyntheticDomain generated = SyntheticDomain.generate(domainSpec, seed);
        ImageRenderer renderer = renderer(domainSpec);
        ImageDataset data = ImageDataset.of(generated, split, renderer, 1, seed);
        if (count > data.size()) {
            throw new IllegalArgumentException("--count " + count + " is more than the " + data.size() + " frames of "
                    + domainSpec.name() + "'s " + split + " split");
        }
        log.printf(Locale.ROOT, "%s (seed %d): %d %s frames; rendering %d images of %d×%d (%s) on %d threads%n",
                domainSpec.name(), seed, data.size(), split, count, renderer.size(), renderer.size(),
                domainSpec.image().background(), workers);
        log.flush();
        IndexRow[] rows = new IndexRow[count];
        int chunk = Math.max(32, 8 * workers);
        long renderStart = System.nanoTime();
        long lastReport = renderStart;
        ForkJoinPool pool = new ForkJoinPool(workers);
        try {
            for (int from = 0; from < count; from += chunk) {
                int to = Math.min(count, from + chunk);
                int first = from;
                run(pool, () -> IntStream.range(first, to).parallel().forEach(k -> {
                    int index = (int) ((long) k * data.size() / count);
                    ImageDataset.Sample s = data.sample(index);
                    String name = String.format(Locale.ROOT, "%06d", k);
                    try {
                        RenderFiles.write(out, name, s.image());
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    int visible = 0;
                    for (boolean v : s.image().visibility()) {
                        visible += v ? 1 : 0;
                    }
                    rows[k] = new IndexRow(name, index, s.subject(), s.action(), s.view(), s.frame(), visible);
                }));
                long now = System.nanoTime();
                if (to == count || now - lastReport > 2_000_000_000L) {
                    double rate = to / ((now - renderStart) / 1e9);
                    log.printf(Locale.ROOT, "rendered %d/%d (%.0f images/s, %.0f s left)%n", to, count, rate,
                            (count - to) / rate);
                    log.flush();
                    lastReport = now;
                }
            }
        } finally {
            // Every worker stops before a failed render's files are removed.
            pool.shutdownNow();
            awaitTermination(pool);
        }
        AtomicFiles.writeString(out.resolve("index.csv"), Tables.csv(indexTable(List.of(rows))));
        AtomicFiles.writeString(out.resolve(SynthCommand.DOMAIN_FILE), Domains.toJson(domainSpec));
        log.printf(Locale.ROOT, "wrote %d images with labels to %s in %.1f s (sigma %.1f px, split %s)%n", count, out,
                (System.nanoTime() - start) / 1e9, renderer.heatmapSigmaPx(), split);
        return 0;
    }

    private ImageRenderer renderer(DomainSpec domainSpec) {
        int s = size != null ? size : domainSpec.image().size();
        return new ImageRenderer(domainSpec.image(), s, sigma != null ? sigma : ImageRenderer.defaultSigma(s));
    }

    /** The picture of the README: a row per domain of rendered samples, then the first one's parts and depth. */
    private int montage(int workers) throws IOException {
        if (Files.exists(montage)) {
            throw new FormatException(montage.toString(), "already exists; choose another file or delete it first"
                    + " (nothing was overwritten)");
        }
        List<String> names = domain == null ? Domains.PRESETS : List.of(domain.split(","));
        List<List<BufferedImage>> rows = new ArrayList<>();
        PrintWriter log = spec.commandLine().getOut();
        for (String name : names) {
            DomainSpec small = Domains.resized(Domains.load(name.strip()), 2, 60);
            ImageDataset data = ImageDataset.of(SyntheticDomain.generate(small, seed), "all", renderer(small), 1, seed);
            int[] indices = new int[MONTAGE_SAMPLES];
            for (int k = 0; k < MONTAGE_SAMPLES; k++) {
                // Spread over the frames, and off the first frame of a view, where motion has not started.
                indices[k] = (int) ((k + 0.5) * data.size() / MONTAGE_SAMPLES);
            }
            ImageDataset.Sample[] samples = data.samples(indices, workers);
            List<BufferedImage> row = new ArrayList<>();
            for (ImageDataset.Sample s : samples) {
                row.add(RenderFiles.rgbImage(s.image()));
            }
            row.add(RenderFiles.partsImage(samples[0].image()));
            row.add(RenderFiles.depthImage(samples[0].image()));
            rows.add(row);
            log.printf(Locale.ROOT, "%s: %s%n", small.name(), small.image().background());
        }
        Path parent = montage.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.writePng(montage, RenderFiles.montage(rows));
        log.printf(Locale.ROOT, "wrote %s (%.0f KB)%n", montage, Files.size(montage) / 1e3);
        return 0;
    }

    /** What one rendered image shows: a row of {@code index.csv}. */
    private record IndexRow(String image, int sample, String subject, String action, int view, int frame,
            int visibleJoints) {}

    /** {@code index.csv}: {@code image,sample,subject,action,view,frame,visible_joints}, one row per image. */
    private static Table indexTable(List<IndexRow> rows) {
        return Table.create("index", StringColumn.create("image", rows.stream().map(IndexRow::image)),
                IntColumn.create("sample", rows.stream().mapToInt(IndexRow::sample)),
                StringColumn.create("subject", rows.stream().map(IndexRow::subject)),
                StringColumn.create("action", rows.stream().map(IndexRow::action)),
                IntColumn.create("view", rows.stream().mapToInt(IndexRow::view)),
                IntColumn.create("frame", rows.stream().mapToInt(IndexRow::frame)),
                IntColumn.create("visible_joints", rows.stream().mapToInt(IndexRow::visibleJoints)));
    }

    private static void awaitTermination(ForkJoinPool pool) throws IOException {
        try {
            if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
                throw new IllegalStateException("rendering threads did not stop within a minute");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("rendering was interrupted", e);
        }
    }

    private static void run(ForkJoinPool pool, Runnable task) throws IOException {
        try {
            pool.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("rendering was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException io) {
                throw io.getCause();
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(cause);
        }
    }
}
