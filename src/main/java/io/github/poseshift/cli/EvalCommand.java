package io.github.poseshift.cli;

import com.google.gson.GsonBuilder;
import io.github.poseshift.data.Domains;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.eval.ErrorTable;
import io.github.poseshift.eval.JointSubset;
import io.github.poseshift.eval.LengthUnit;
import io.github.poseshift.eval.MetricSummary;
import io.github.poseshift.eval.PoseErrors;
import io.github.poseshift.eval.Tables;
import io.github.poseshift.geometry.PoseArray;
import io.github.poseshift.skeleton.Skeleton;
import io.github.poseshift.skeleton.Skeletons;
import io.github.poseshift.train.BaselineTraining;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.Devices;
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

    @Override
    public Integer call() throws IOException {
        Skeleton skeleton = Skeletons.byName(skeletonName);
        LengthUnit lengthUnit = LengthUnit.parse(unit);
        PoseArray predicted;
        PoseArray target;
        List<String> labels;
        if (checkpoint != null) {
            if (pred != null || gt != null || actions != null || domain == null) {
                throw new IllegalArgumentException("--checkpoint scores a trained lifter on --domain NAME; --pred, --gt"
                        + " and --actions score arrays: use one or the other");
            }
            CrossDatasetBenchmark.Result r = BaselineTraining.evaluate(checkpoint, Domains.load(domain), budget, seed,
                    split, Devices.choose(device));
            skeleton = Skeletons.H36M17;
            lengthUnit = LengthUnit.METRES;
            predicted = r.predicted();
            target = r.truth();
            labels = r.labels();
            if (!json) {
                spec.commandLine().getOut().printf(Locale.ROOT, "%s (%s) on %s, %s subjects%n", checkpoint, r.method(),
                        r.target(), split);
            }
        } else {
            if (pred == null || gt == null) {
                throw new IllegalArgumentException("give --pred and --gt (arrays), or --checkpoint and --domain");
            }
            predicted = readPoses(pred, skeleton);
            target = readPoses(gt, skeleton);
            if (!predicted.sameShape(target)) {
                throw new IllegalArgumentException(pred + " holds " + predicted.numPoses() + " poses but " + gt
                        + " holds " + target.numPoses());
            }
            labels = actions == null ? null : readLabels(actions, predicted.numPoses());
        }
        if (rootRelative) {
            predicted = predicted.rootRelative(skeleton.root());
            target = target.rootRelative(skeleton.root());
        }
        int[] joints = selectedJoints(skeleton);
        predicted = predicted.selectJoints(joints);
        target = target.selectJoints(joints);

        PoseErrors errors = PoseErrors.compute(predicted, target, lengthUnit);
        ErrorTable table = labels == null ? null : ErrorTable.byGroup("action", errors, labels);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(errors, table, skeleton, joints));
        } else {
            printText(out, errors, table, skeleton, joints, lengthUnit);
        }
        return 0;
    }

    /** Reads and validates one {@code [N, J, 3]} array; errors name the file. */
    static PoseArray readPoses(Path file, Skeleton skeleton) throws IOException {
        NpyArray array = Npy.read(file);
        int[] shape = array.shape();
        int j = skeleton.numJoints();
        if (shape.length != 3 || shape[1] != j || shape[2] != 3) {
            throw new FormatException(file.toString(), "expected shape [N, " + j + ", 3] (" + skeleton.name()
                    + "), found " + Arrays.toString(shape) + (shape.length == 3 && shape[2] == 3 && shape[1] != j
                    ? "; use --skeleton for another joint layout" : ""));
        }
        if (shape[0] == 0) {
            throw new FormatException(file.toString(), "holds no poses (shape " + Arrays.toString(shape) + ")");
        }
        PoseArray poses = PoseArray.of(array.toDoubles(), j);
        int[] bad = poses.firstNonFinite();
        if (bad != null) {
            throw new FormatException(file.toString(), "non-finite value " + poses.get(bad[0], bad[1], bad[2])
                    + " at pose " + bad[0] + ", joint " + bad[1] + " (" + skeleton.jointName(bad[1]) + "), axis "
                    + "xyz".charAt(bad[2]));
        }
        return poses;
    }

    /** Reads one label per line; a trailing newline is fine, blank labels and a wrong count are not. */
    static List<String> readLabels(Path file, int expected) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
            lines = lines.subList(0, lines.size() - 1);
        }
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                throw new FormatException(file.toString(), "line " + (i + 1) + " is empty; every pose needs a label");
            }
        }
        if (lines.size() != expected) {
            throw new FormatException(file.toString(), lines.size() + " labels for " + expected + " poses");
        }
        return lines.stream().map(String::strip).toList();
    }

    private int[] selectedJoints(Skeleton skeleton) {
        if (jointSubset.equalsIgnoreCase("all")) {
            int[] all = new int[skeleton.numJoints()];
            Arrays.setAll(all, i -> i);
            return all;
        }
        JointSubset subset = JointSubset.byName(jointSubset);
        if (!subset.skeleton().equals(skeleton)) {
            throw new IllegalArgumentException("joint subset '" + subset.name() + "' is defined on skeleton '"
                    + subset.skeleton().name() + "', not '" + skeleton.name() + "'");
        }
        return subset.joints();
    }

    private String toJson(PoseErrors errors, ErrorTable table, Skeleton skeleton, int[] joints) {
        Map<String, Object> root = metricsObject(errors.summary());
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
            root.put("per_joint", perJointObject(errors, skeleton, joints));
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

    private static Map<String, Object> perJointObject(PoseErrors errors, Skeleton skeleton, int[] joints) {
        double[] plain = errors.perJointMpjpeMm();
        double[] aligned = errors.perJointPaMpjpeMm();
        Map<String, Object> o = new LinkedHashMap<>();
        for (int k = 0; k < joints.length; k++) {
            o.put(skeleton.jointName(joints[k]), Map.of("mpjpe_mm", plain[k], "pa_mpjpe_mm", aligned[k]));
        }
        return o;
    }

    private void printText(PrintWriter out, PoseErrors errors, ErrorTable table, Skeleton skeleton, int[] joints,
            LengthUnit lengthUnit) {
        MetricSummary m = errors.summary();
        out.printf(Locale.ROOT, "%d poses x %d joints (%s, joints: %s), unit %s%s%n", m.poses(), joints.length,
                skeleton.name(), jointSubset, lengthUnit.symbol(), rootRelative ? ", root-relative" : "");
        out.printf(Locale.ROOT, "  MPJPE      %8.2f mm%n", m.mpjpeMm());
        out.printf(Locale.ROOT, "  N-MPJPE    %8.2f mm%n", m.nMpjpeMm());
        out.printf(Locale.ROOT, "  PA-MPJPE   %8.2f mm%n", m.paMpjpeMm());
        out.printf(Locale.ROOT, "  PCK@150mm  %8.2f %%%n", m.pck150());
        out.printf(Locale.ROOT, "  AUC        %8.2f %%%n", m.auc());
        if (perJoint) {
            out.println();
            out.print(Tables.text(errors.perJointTable(Arrays.stream(joints).mapToObj(skeleton::jointName).toList())));
        }
        if (table != null) {
            out.println();
            out.print(table.toText());
        }
    }
}
