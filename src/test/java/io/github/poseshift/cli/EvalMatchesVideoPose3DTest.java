package io.github.poseshift.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.poseshift.data.io.Npy;
import io.github.poseshift.data.io.NpyArray;
import io.github.poseshift.testing.ReferencePython;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code poseshift eval --json} against VideoPose3D's reference formulas ({@code common/loss.py}:
 * {@code mpjpe}, {@code n_mpjpe}, {@code p_mpjpe}, copied verbatim into NumPy below) and the
 * MPI-INF-3DHP PCK/AUC definition, on arbitrary arrays: the numbers must agree to 1e-3 mm.
 */
class EvalMatchesVideoPose3DTest {

    /** VideoPose3D's formulas in NumPy; prints one JSON object shaped like {@code eval --json}. */
    private static final String REFERENCE = String.join("\n",
            "import sys, json",
            "import numpy as np",
            "pred = np.load(sys.argv[1]).astype(np.float64)",
            "gt = np.load(sys.argv[2]).astype(np.float64)",
            "to_mm = float(sys.argv[3]); root_relative = sys.argv[4] == '1'",
            "joints = [int(j) for j in sys.argv[5].split(',')]",
            "labels = open(sys.argv[6]).read().splitlines() if len(sys.argv) > 6 else None",
            "if root_relative:",
            "    pred = pred - pred[:, :1]; gt = gt - gt[:, :1]",
            "pred = pred[:, joints]; gt = gt[:, joints]",
            "def mpjpe(predicted, target):",
            "    return np.mean(np.linalg.norm(predicted - target, axis=len(target.shape)-1))",
            "def n_mpjpe(predicted, target):",
            "    norm_predicted = np.mean(np.sum(predicted**2, axis=-1, keepdims=True), axis=-2, keepdims=True)",
            "    norm_target = np.mean(np.sum(target*predicted, axis=-1, keepdims=True), axis=-2, keepdims=True)",
            "    scale = norm_target / norm_predicted",
            "    return mpjpe(scale * predicted, target)",
            "def p_mpjpe(predicted, target):",
            "    muX = np.mean(target, axis=1, keepdims=True)",
            "    muY = np.mean(predicted, axis=1, keepdims=True)",
            "    X0 = target - muX",
            "    Y0 = predicted - muY",
            "    normX = np.sqrt(np.sum(X0**2, axis=(1, 2), keepdims=True))",
            "    normY = np.sqrt(np.sum(Y0**2, axis=(1, 2), keepdims=True))",
            "    X0 /= normX",
            "    Y0 /= normY",
            "    H = np.matmul(X0.transpose(0, 2, 1), Y0)",
            "    U, s, Vt = np.linalg.svd(H)",
            "    V = Vt.transpose(0, 2, 1)",
            "    R = np.matmul(V, U.transpose(0, 2, 1))",
            "    sign_detR = np.sign(np.expand_dims(np.linalg.det(R), axis=1))",
            "    V[:, :, -1] *= sign_detR",
            "    s[:, -1] *= sign_detR.flatten()",
            "    R = np.matmul(V, U.transpose(0, 2, 1))",
            "    tr = np.expand_dims(np.sum(s, axis=1, keepdims=True), axis=2)",
            "    a = tr * normX / normY",
            "    t = muX - a*np.matmul(muY, R)",
            "    predicted_aligned = a*np.matmul(predicted, R) + t",
            "    return np.mean(np.linalg.norm(predicted_aligned - target, axis=len(target.shape)-1))",
            "def metrics(p, g):",
            "    e = np.linalg.norm(p - g, axis=-1) * to_mm",
            "    return {'mpjpe_mm': mpjpe(p, g) * to_mm, 'n_mpjpe_mm': n_mpjpe(p, g) * to_mm,",
            "            'pa_mpjpe_mm': p_mpjpe(p, g) * to_mm, 'pck150': 100 * np.mean(e < 150),",
            "            'auc': 100 * np.mean([np.mean(e < t) for t in np.arange(0, 151, 5)]), 'frames': len(p)}",
            "out = metrics(pred, gt)",
            "if labels is not None:",
            "    order = list(dict.fromkeys(labels))",
            "    idx = {a: [i for i, l in enumerate(labels) if l == a] for a in order}",
            "    out['per_action'] = {a: metrics(pred[idx[a]], gt[idx[a]]) for a in order}",
            "print(json.dumps(out))");

    @TempDir
    Path dir;

    /** Random poses around {@code centre}; predictions unrelated to targets, so reflections occur. */
    private static double[] poses(Random rng, int n, double spread, double[] centre) {
        double[] p = new double[n * 17 * 3];
        for (int i = 0; i < p.length; i++) {
            p[i] = centre[i % 3] + rng.nextGaussian() * spread;
        }
        return p;
    }

    @Test
    void float32MetresWithActionsInWorldCoordinates() throws IOException {
        Random rng = new Random(42);
        int n = 600;
        double[] gt = poses(rng, n, 0.4, new double[] {1.5, -2.0, 5.0});
        double[] pred = gt.clone();
        for (int i = 0; i < pred.length; i++) {
            pred[i] += rng.nextGaussian() * (i < pred.length / 2 ? 0.03 : 0.12);
        }
        Path p = write("pred.npy", NpyArray.ofFloats(toFloats(pred), n, 17, 3));
        Path g = write("gt.npy", NpyArray.ofFloats(toFloats(gt), n, 17, 3));
        List<String> labels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            labels.add(i < 250 ? "Walking" : i < 400 ? "Sitting Down" : "Photo");
        }
        Path actions = dir.resolve("actions.txt");
        Files.write(actions, labels);
        compare(List.of("--unit", "m", "--actions", actions.toString()), p, g, 1000, false, allJoints(), actions);
    }

    @Test
    void float64MillimetresRootRelativeUnrelatedPoses() throws IOException {
        Random rng = new Random(43);
        int n = 300;
        Path p = write("pred.npy", NpyArray.ofDoubles(poses(rng, n, 400, new double[] {0, 0, 4000}), n, 17, 3));
        Path g = write("gt.npy", NpyArray.ofDoubles(poses(rng, n, 400, new double[] {-500, 300, 5200}), n, 17, 3));
        compare(List.of("--unit", "mm", "--root-relative"), p, g, 1, true, allJoints(), null);
    }

    @Test
    void the3dhpJointSubset() throws IOException {
        Random rng = new Random(44);
        int n = 200;
        double[] gt = poses(rng, n, 0.3, new double[] {0, 0, 0});
        double[] pred = gt.clone();
        for (int i = 0; i < pred.length; i++) {
            pred[i] += rng.nextGaussian() * 0.08;
        }
        Path p = write("pred.npy", NpyArray.ofDoubles(pred, n, 17, 3));
        Path g = write("gt.npy", NpyArray.ofDoubles(gt, n, 17, 3));
        compare(List.of("--joints", "3dhp14", "--root-relative"), p, g, 1000, true,
                "10,8,14,15,16,11,12,13,1,2,3,4,5,6", null);
    }

    private void compare(List<String> options, Path pred, Path gt, double toMm, boolean rootRelative, String joints,
            Path actions) {
        List<String> args = new ArrayList<>(List.of("eval", "--pred", pred.toString(), "--gt", gt.toString(), "--json"));
        args.addAll(options);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = PoseShiftCli.execute(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        JsonObject ours = JsonParser.parseString(out.toString()).getAsJsonObject();

        List<String> refArgs = new ArrayList<>(List.of(pred.toString(), gt.toString(), Double.toString(toMm),
                rootRelative ? "1" : "0", joints));
        if (actions != null) {
            refArgs.add(actions.toString());
        }
        String refOut = ReferencePython.run(REFERENCE, dir, refArgs.toArray(String[]::new));
        JsonObject reference = JsonParser.parseString(refOut.strip()).getAsJsonObject();

        assertSameMetrics("overall", reference, ours);
        if (actions != null) {
            JsonObject refActions = reference.getAsJsonObject("per_action");
            JsonObject ourActions = ours.getAsJsonObject("per_action");
            assertEquals(refActions.keySet(), ourActions.keySet());
            for (String action : refActions.keySet()) {
                assertSameMetrics(action, refActions.getAsJsonObject(action), ourActions.getAsJsonObject(action));
            }
        }
    }

    private static void assertSameMetrics(String what, JsonObject reference, JsonObject ours) {
        for (String key : List.of("mpjpe_mm", "n_mpjpe_mm", "pa_mpjpe_mm", "pck150", "auc")) {
            // 1e-3 mm is the contract; the two double-precision computations agree far closer.
            assertEquals(reference.get(key).getAsDouble(), ours.get(key).getAsDouble(), 1e-6, what + " " + key);
        }
        assertEquals(reference.get("frames").getAsInt(), ours.get("frames").getAsInt(), what + " frames");
    }

    private Path write(String name, NpyArray array) throws IOException {
        Path file = dir.resolve(name);
        Npy.write(file, array);
        return file;
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    private static String allJoints() {
        return "0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16";
    }
}
