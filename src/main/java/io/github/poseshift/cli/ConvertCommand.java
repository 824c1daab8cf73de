package io.github.poseshift.cli;

import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.io.BvhUnit;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.data.io.PoseFiles;
import io.github.poseshift.skeleton.Skeletons;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code poseshift convert}: 3D motion from a BVH or npz file as an H36M-17 {@code .npy}. */
@Command(name = "convert", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Convert 3D motion (.bvh, VideoPose3D or PoseShift .npz) to [frames, 17, 3] metres"
                + " (H36M-17, world frame, Z up) in a .npy file.")
final class ConvertCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "A .bvh or .npz file.")
    private Path file;

    @Option(names = "--skeleton", defaultValue = "h36m17", paramLabel = "NAME",
            description = "Target skeleton (only h36m17 for now).")
    private String skeleton;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Output file (never overwritten).")
    private Path out;

    @Option(names = "--unit", defaultValue = "auto", paramLabel = "auto|m|cm|mm|inch",
            description = "BVH length unit (default: ${DEFAULT-VALUE}, from the body height).")
    private String unit;

    @Option(names = "--joint-map", paramLabel = "bandai-namco|cmu",
            description = "BVH joint map onto H36M-17 (default: detected from the joint names).")
    private String jointMap;

    @Option(names = "--sequence", paramLabel = "SUBJECT/ACTION",
            description = "Which sequence of a multi-sequence .npz (default: the only one).")
    private String sequence;

    @Override
    public Integer call() throws IOException {
        if (!Skeletons.byName(skeleton).equals(Skeletons.H36M17)) {
            throw new IllegalArgumentException("convert writes H36M-17 only, not '" + skeleton + "'");
        }
        if (Files.exists(out)) {
            throw new FormatException(out.toString(), "already exists; choose another --out (nothing was overwritten)");
        }
        List<PoseSequence> all = PoseFiles.loadH36m17(file, BvhUnit.parse(unit), jointMap);
        PoseSequence chosen = choose(all);
        if (chosen.numFrames() == 0) {
            throw new FormatException(file.toString(), chosen.subject() + "/" + chosen.action() + " has no frames;"
                    + " nothing to convert");
        }
        Npy.write(out, NpyArray.ofFloats(chosen.positions(), chosen.numFrames(), 17, 3));
        spec.commandLine().getOut().printf(Locale.ROOT, "wrote %s: %s/%s, %d frames x 17 joints x 3 (metres, Z up), %.4g fps%n",
                out, chosen.subject(), chosen.action(), chosen.numFrames(), chosen.fps());
        return 0;
    }

    private PoseSequence choose(List<PoseSequence> all) throws FormatException {
        if (sequence == null) {
            if (all.size() == 1) {
                return all.get(0);
            }
            throw new FormatException(file.toString(), "holds " + all.size() + " sequences; pick one with --sequence "
                    + "SUBJECT/ACTION, e.g. " + all.get(0).subject() + "/" + all.get(0).action());
        }
        return all.stream().filter(s -> (s.subject() + "/" + s.action()).equals(sequence)).findFirst()
                .orElseThrow(() -> new FormatException(file.toString(), "no sequence '" + sequence + "'; it holds "
                        + all.stream().limit(10).map(s -> s.subject() + "/" + s.action()).toList()
                        + (all.size() > 10 ? " and " + (all.size() - 10) + " more" : "")));
    }
}
