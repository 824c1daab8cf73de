package io.github.poseshift.cli;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.data.io.AtomicFiles;
import io.github.poseshift.data.io.ViewArchive;
import io.github.poseshift.data.synth.SyntheticDomain;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code poseshift synth}: makes a synthetic domain and writes it as a {@link ViewArchive}. */
@Command(name = "synth", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a domain (procedural or recorded 3D motion on the domain's bodies, its cameras and"
                + " noisy 2D detections) into a folder:",
            "poses.npz (flat keys, numpy.load without pickle), cameras.json and domain.json."})
final class SynthCommand implements Callable<Integer> {

    /** The spec written beside the archive, for provenance. */
    static final String DOMAIN_FILE = "domain.json";

    @Spec
    private CommandSpec spec;

    @Option(names = "--domain", required = true, paramLabel = "NAME|SPEC.json",
            description = "A preset (h36m-like, 3dhp-like, 3dpw-like, ski-like) or a domain JSON file.")
    private String domain;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output folder: new or empty.")
    private Path out;

    @Option(names = "--subjects", paramLabel = "N", description = "Number of subjects, 2 to 1000 (default: the"
            + " domain's).")
    private Integer subjects;

    @Option(names = "--frames", paramLabel = "N", description = "Frames per sequence, 1 to 100000 (default: the"
            + " domain's).")
    private Integer frames;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Override
    public Integer call() throws IOException {
        if (subjects != null) {
            PoseShiftCli.requireRange("--subjects", subjects, 2, Domains.MAX_SUBJECTS);
        }
        if (frames != null) {
            PoseShiftCli.requireRange("--frames", frames, 1, Domains.MAX_FRAMES_PER_SEQUENCE);
        }
        DomainSpec domainSpec = Domains.resized(Domains.load(domain), subjects, frames);
        OutputFolder folder = OutputFolder.claim(out, false);
        try {
            return write(domainSpec);
        } catch (Throwable t) {
            folder.abandon(t);
            throw t;
        }
    }

    /** Generates the domain into the claimed {@code --out}. */
    private int write(DomainSpec domainSpec) throws IOException {
        PrintWriter log = spec.commandLine().getOut();
        long start = System.nanoTime();
        SyntheticDomain generated = SyntheticDomain.generate(domainSpec, seed);
        ViewArchive.write(out, generated.views());
        AtomicFiles.writeString(out.resolve(DOMAIN_FILE), Domains.toJson(domainSpec));
        long sequences = generated.views().stream().map(ViewSequence::poses).distinct().count();
        long poseFrames = generated.views().stream().map(ViewSequence::poses).distinct()
                .mapToLong(p -> p.numFrames()).sum();
        log.printf(Locale.ROOT, "%s (seed %d): %d subjects, %d sequences, %d frames, %d camera views in %.1f s%n",
                domainSpec.name(), seed, domainSpec.motion().subjects(), sequences, poseFrames,
                generated.views().size(), (System.nanoTime() - start) / 1e9);
        log.printf(Locale.ROOT, "wrote %s (%.1f MB), %s, %s%n", out.resolve(ViewArchive.POSES_FILE),
                Files.size(out.resolve(ViewArchive.POSES_FILE)) / 1e6, out.resolve(ViewArchive.CAMERAS_FILE),
                out.resolve(DOMAIN_FILE));
        return 0;
    }
}
