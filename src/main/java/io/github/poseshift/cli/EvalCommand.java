package io.github.poseshift.cli;

import com.google.gson.GsonBuilder;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.io.NpyBlockReader;
import io.github.poseshift.eval.ErrorSums;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.JointSubset;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.eval.PoseGroups;
import io.github.poseshift.eval.Tables;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.BaselineTraining;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.Devices;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code poseshift eval}: scores predicted 3D poses against ground truth with the metrics of
 * {@link io.github.poseshift.eval.Metrics}, overall and per action — either two arrays of poses, or a
 * trained checkpoint on a domain.
 */
@Command(name = "eval", sortOptions = false, mixinStandardHelpOptions = true,
        description = {"Score 3D pose predictions against ground truth: MPJPE, N-MPJPE, PA-MPJPE (mm),"
                + " 3D-PCK@150mm and AUC (%%).",
            "Arrays: --pred and --gt hold [N, J, 3] arrays (.npy, float or int), J = 17 for the default H36M skeleton.",
            "Checkpoints: --checkpoint DIR (from poseshift train) --domain NAME scores the lifter on that domain's test"
                + " subjects, per action."})
final class EvalCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--pred", paramLabel = "PRED.npy", description = "Predicted poses [N, J, 3].")
    private Path pred;

    @Option(names = "--gt", paramLabel = "GT.npy", description = "Ground-truth poses [N, J, 3].")
    private Path gt;

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "A lifter checkpoint (poseshift train) to score"
            + " on --domain instead of arrays.")
    private Path checkpoint;

    @Option(names = "--domain", paramLabel = "NAME|SPEC.json", description = "With --checkpoint: the domain to score on.")
    private String domain;

    @Option(names = "--split", defaultValue = "test", paramLabel = "test|train|all",
            description = "With --checkpoint: whose windows to score (default: ${DEFAULT-VALUE}).")
    private String split;

    @Option(names = "--budget", paramLabel = "tiny|default|full",
            description = "With --checkpoint: domain size (default: the checkpoint's).")
    private String budget;

    @Option(names = "--seed", paramLabel = "N", description = "With --checkpoint: domain seed (default: the checkpoint's).")
    private Long seed;

    @Option(names = "--device", defaultValue = "auto", paramLabel = "auto|cpu|gpu",
            description = "With --checkpoint: where to run the lifter.")
    private String device;

    @Option(names = "--unit", defaultValue = "m", paramLabel = "m|mm",
            description = "Unit of both arrays (default: ${DEFAULT-VALUE}); results are in mm.")
    private String unit;

    @Option(names = "--root-relative",
            description = "Subtract each pose's root joint (the pelvis) from prediction and ground truth first.")
    private boolean rootRelative;

    @Option(names = "--actions", paramLabel = "LABELS.txt",
            description = "One action label per pose (one per line): adds the per-action table.")
    private Path actions;

    @Option(names = "--skeleton", defaultValue = "h36m17", paramLabel = "NAME",
            description = "Joint layout of the arrays: h36m17 (default) or mpi_inf_3dhp17.")
    private String skeletonName;

    @Option(names = "--joints", defaultValue = "all", paramLabel = "SUBSET",
            description = "Joints to score: all (default) or 3dhp14 (the MPI-INF-3DHP PCK joints, H36M order).")
    private String jointSubset;

    @Option(names = "--per-joint", description = "Also report MPJPE and PA-MPJPE per joint.")
    private boolean perJoint;

    @Option(names = "--json", description = "Print exactly one JSON object instead of text.")
    private boolean json;

    /**
     * Poses scored at a time when reading arrays: each copy of a block in double precision is 3.3 MB, and
     * the live copies stay under 30 MB (eval of 200,000 poses runs in a 40 MB heap); the block is four of
     * {@link io.github.poseshift.geometry.Procrustes}'s parallel tasks of 2,048 poses.
     */
    static final int BLOCK_POSES = 8_192;

    @Override
    public Integer call() throws IOException {
        Skeleton skeleton = Skeletons.byName(skeletonName);
        LengthUnit lengthUnit = LengthUnit.parse(unit);
        int[] joints;
        ErrorSums sums;
        if (checkpoint != null) {
            if (pred != null || gt != null || actions != null || domain == null) {
                throw new IllegalArgumentException("--checkpoint scores a trained lifter on --domain NAME; --pred, --gt"
                        + " and --actions score arrays: use one or the other");
            }
            CrossDatasetBenchmark.Result r = BaselineTraining.evaluate(checkpoint, Domains.load(domain), budget, seed,
                    split, Devices.choose(device));
            skeleton = Skeletons.H36M17;
            lengthUnit = LengthUnit.METRES;
            if (!json) {
                spec.commandLine().getOut().printf(Locale.ROOT, "%s (%s) on %s, %s subjects%n", checkpoint, r.method(),
                        r.target(), split);
            }
            joints = selectedJoints(skeleton);
            sums = new ErrorSums(joints.length, r.labels() == null ? null : PoseGroups.of(r.labels()));
            sums.add(errors(r.predicted(), r.truth(), skeleton, joints, lengthUnit));
        } else {
            if (pred == null || gt == null) {
                throw new IllegalArgumentException("give --pred and --gt (arrays), or --checkpoint and --domain");
            }
            joints = selectedJoints(skeleton);
            sums = scoreArrays(skeleton, joints, lengthUnit);
        }
        ErrorTable table = sums.hasGroups() ? ErrorTable.byGroup("action", sums) : null;
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(sums, table, skeleton, joints));
        } else {
            printText(out, sums, table, skeleton, joints, lengthUnit);
        }
        return 0;
    }

    /**
     * Scores --pred against --gt {@link #BLOCK_POSES} poses at a time, so that neither array is ever held
     * whole (nor a double-precision copy of it): memory stays at a few blocks whatever the arrays' size.
     * Shapes, pose counts and labels are checked before any pose is scored; a non-finite value stops the
     * scoring at the block that holds it.
     */
    private ErrorSums scoreArrays(Skeleton skeleton, int[] joints, LengthUnit lengthUnit) throws IOException {
        try (NpyBlockReader predicted = openPoses(pred, skeleton); NpyBlockReader target = openPoses(gt, skeleton)) {
            if (predicted.rows() != target.rows()) {
                throw new IllegalArgumentException(pred + " holds " + predicted.rows() + " poses but " + gt
                        + " holds " + target.rows());
            }
            int poses = (int) predicted.rows();
            ErrorSums sums = new ErrorSums(joints.length, actions == null ? null : readLabels(actions, poses));
            for (int first = 0; first < poses; first += BLOCK_POSES) {
                PoseArray p = nextPoses(predicted, first, skeleton);
                PoseArray g = nextPoses(target, first, skeleton);
                sums.add(errors(p, g, skeleton, joints, lengthUnit));
            }
            return sums;
        }
    }

    /** The errors of one block: root-relative if asked, then the selected joints. */
    private PoseErrors errors(PoseArray predicted, PoseArray target, Skeleton skeleton, int[] joints,
            LengthUnit lengthUnit) {
        if (rootRelative) {
            predicted = predicted.rootRelative(skeleton.root());
            target = target.rootRelative(skeleton.root());
        }
        // Every joint in order: selecting them would only copy the block.
        if (!Arrays.equals(joints, everyJoint(skeleton))) {
            predicted = predicted.selectJoints(joints);
            target = target.selectJoints(joints);
        }
        return PoseErrors.compute(predicted, target, lengthUnit);
    }

    private static int[] everyJoint(Skeleton skeleton) {
        return IntStream.range(0, skeleton.numJoints()).toArray();
    }

    /** Opens one {@code [N, J, 3]} array and checks its shape; errors name the file. */
    static NpyBlockReader openPoses(Path file, Skeleton skeleton) throws IOException {
        NpyBlockReader reader = NpyBlockReader.open(file);
        int[] shape = reader.shape();
        int j = skeleton.numJoints();
        String problem = null;
        if (shape.length != 3 || shape[1] != j || shape[2] != 3) {
            problem = "expected shape [N, " + j + ", 3] (" + skeleton.name() + "), found " + Arrays.toString(shape)
                    + (shape.length == 3 && shape[2] == 3 && shape[1] != j ? "; use --skeleton for another joint layout"
                    : "");
        } else if (shape[0] == 0) {
            problem = "holds no poses (shape " + Arrays.toString(shape) + ")";
        }
        if (problem != null) {
            reader.close();
            throw new FormatException(file.toString(), problem);
        }
        return reader;
    }

    /** The next block of poses of an array {@link #openPoses} opened; a non-finite value is located. */
    private static PoseArray nextPoses(NpyBlockReader reader, int first, Skeleton skeleton) throws IOException {
        PoseArray poses = PoseArray.of(reader.next(BLOCK_POSES).toDoubles(), skeleton.numJoints());
        int[] bad = poses.firstNonFinite();
        if (bad != null) {
            throw new FormatException(reader.source(), "non-finite value " + poses.get(bad[0], bad[1], bad[2])
                    + " at pose " + (first + bad[0]) + ", joint " + bad[1] + " (" + skeleton.jointName(bad[1])
                    + "), axis " + "xyz".charAt(bad[2]));
        }
        return poses;
    }

    /**
     * Reads one label per line into {@link PoseGroups} (an index per pose, not a string: ten million labels
     * fit in 40 MB). As {@link Files#readAllLines} would split them: an empty last line is fine (a file that
     * ends in a blank line); any other blank line, and a count other than {@code expected}, are not.
     */
    static PoseGroups readLabels(Path file, int expected) throws IOException {
        if (Files.isDirectory(file)) {
            throw new FormatException(file.toString(), "is a folder, not a text file of labels");
        }
        PoseGroups.Indexer names = new PoseGroups.Indexer();
        int[] groups = new int[expected];
        int lines = 0;
        int firstBlank = 0;
        boolean lastEmpty = false;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (firstBlank > 0) {
                    throw blankLine(file, firstBlank); // a blank line with another line after it
                }
                lines++;
                if (line.isBlank()) {
                    firstBlank = lines;
                    lastEmpty = line.isEmpty();
                } else if (lines <= expected) {
                    groups[lines - 1] = names.indexOf(line.strip());
                }
            }
        }
        if (firstBlank > 0 && !lastEmpty) {
            throw blankLine(file, firstBlank); // the last line, but spaces rather than empty
        }
        if (firstBlank > 0) {
            lines--;
        }
        if (lines != expected) {
            throw new FormatException(file.toString(), lines + " labels for " + expected + " poses");
        }
        return new PoseGroups(names.names(), groups);
    }

    private static FormatException blankLine(Path file, int line) {
        return new FormatException(file.toString(), "line " + line + " is empty; every pose needs a label");
    }

    private int[] selectedJoints(Skeleton skeleton) {
        if (jointSubset.equalsIgnoreCase("all")) {
            return everyJoint(skeleton);
        }
        JointSubset subset = JointSubset.byName(jointSubset);
        if (!subset.skeleton().equals(skeleton)) {
            throw new IllegalArgumentException("joint subset '" + subset.name() + "' is defined on skeleton '"
                    + subset.skeleton().name() + "', not '" + skeleton.name() + "'");
        }
        return subset.joints();
    }

    private String toJson(ErrorSums sums, ErrorTable table, Skeleton skeleton, int[] joints) {
        Map<String, Object> root = metricsObject(sums.summary());
        if (table != null) {
            Map<String, Object> perAction = new LinkedHashMap<>();
            List<String> labels = table.rowLabels();
            // The two mean rows are the overall numbers above and the mean over actions below.
            for (int r = 0; r < labels.size() - 2; r++) {
                perAction.put(labels.get(r), metricsObject(table.rows().get(r)));
            }
            root.put("per_action", perAction);
            root.put("mean_over_actions", metricsObject(table.meanOverGroups()));
        }
        if (perJoint) {
            root.put("per_joint", perJointObject(sums, skeleton, joints));
        }
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }

    private static Map<String, Object> metricsObject(MetricSummary m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("mpjpe_mm", m.mpjpeMm());
        o.put("n_mpjpe_mm", m.nMpjpeMm());
        o.put("pa_mpjpe_mm", m.paMpjpeMm());
        o.put("pck150", m.pck150());
        o.put("auc", m.auc());
        o.put("frames", m.poses());
        return o;
    }

    private static Map<String, Object> perJointObject(ErrorSums sums, Skeleton skeleton, int[] joints) {
        double[] plain = sums.perJointMpjpeMm();
        double[] aligned = sums.perJointPaMpjpeMm();
        Map<String, Object> o = new LinkedHashMap<>();
        for (int k = 0; k < joints.length; k++) {
            // In a fixed order: Map.of iterates in an order that changes from one JVM to the next.
            Map<String, Object> joint = new LinkedHashMap<>();
            joint.put("mpjpe_mm", plain[k]);
            joint.put("pa_mpjpe_mm", aligned[k]);
            o.put(skeleton.jointName(joints[k]), joint);
        }
        return o;
    }

    private void printText(PrintWriter out, ErrorSums sums, ErrorTable table, Skeleton skeleton, int[] joints,
            LengthUnit lengthUnit) {
        MetricSummary m = sums.summary();
        out.printf(Locale.ROOT, "%d poses x %d joints (%s, joints: %s), unit %s%s%n", m.poses(), joints.length,
                skeleton.name(), jointSubset, lengthUnit.symbol(), rootRelative ? ", root-relative" : "");
        out.printf(Locale.ROOT, "  MPJPE      %8.2f mm%n", m.mpjpeMm());
        out.printf(Locale.ROOT, "  N-MPJPE    %8.2f mm%n", m.nMpjpeMm());
        out.printf(Locale.ROOT, "  PA-MPJPE   %8.2f mm%n", m.paMpjpeMm());
        out.printf(Locale.ROOT, "  PCK@150mm  %8.2f %%%n", m.pck150());
        out.printf(Locale.ROOT, "  AUC        %8.2f %%%n", m.auc());
        if (perJoint) {
            out.println();
            out.print(Tables.text(sums.perJointTable(Arrays.stream(joints).mapToObj(skeleton::jointName).toList())));
        }
        if (table != null) {
            out.println();
            out.print(table.toText());
        }
    }
}
