package io.github.poseshift.data;

import io.github.poseshift.geometry.Kcs;
import io.github.poseshift.geometry.Vec3;
import io.github.poseshift.skeleton.Skeleton;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.clustering.ClusterID;
import org.tribuo.clustering.ClusteringFactory;
import org.tribuo.clustering.kmeans.KMeansModel;
import org.tribuo.clustering.kmeans.KMeansTrainer;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.distance.L2Distance;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How far apart two pose domains are, measured three ways:
 * <ul>
 *   <li>the <b>proxy-A-distance</b> (Ben-David et al., NeurIPS 2006): a linear classifier (Tribuo,
 *       logistic regression) learns to tell source from target 2D poses, and its held-out error ε gives
 *       PAD = 2(1 − 2ε) — 0 for indistinguishable domains, 2 for perfectly separable ones;</li>
 *   <li>camera <b>viewpoint clusters</b> (Tribuo k-means on elevation, azimuth and distance);</li>
 *   <li><b>distribution summaries</b> of elevation, azimuth, distance and bone-length ratios.</li>
 * </ul>
 * 2D poses are normalised before the classifier sees them — centred on the pelvis and divided by their
 * RMS radius — so the probe measures pose and viewpoint, not where the person stands in the image or
 * how large they appear.
 */
public final class DomainGap {

    private static final String SOURCE = "source";
    private static final String TARGET = "target";

    private DomainGap() {}

    /** Summary statistics of one quantity over many views. */
    public record Summary(String quantity, int count, double mean, double std, double min, double max) {}

    /**
     * Summaries of several domains as one Tablesaw table, {@code domain,quantity,count,mean,std,min,max} (a row per
     * domain and quantity, in the map's order), for {@code eval.Tables.text} or {@code markdown}.
     */
    public static Table summaryTable(Map<String, List<Summary>> perDomain) {
        List<String> domains = new ArrayList<>();
        List<Summary> rows = new ArrayList<>();
        perDomain.forEach((domain, summaries) -> summaries.forEach(s -> {
            domains.add(domain);
            rows.add(s);
        }));
        return Table.create("summaries", StringColumn.create("domain", domains),
                StringColumn.create("quantity", rows.stream().map(Summary::quantity)),
                IntColumn.create("count", rows.stream().mapToInt(Summary::count)),
                DoubleColumn.create("mean", rows.stream().mapToDouble(Summary::mean)),
                DoubleColumn.create("std", rows.stream().mapToDouble(Summary::std)),
                DoubleColumn.create("min", rows.stream().mapToDouble(Summary::min)),
                DoubleColumn.create("max", rows.stream().mapToDouble(Summary::max)));
    }

    /**
     * The proxy-A-distance between two sets of views.
     *
     * @param samplesPerDomain 2D poses drawn from each side (half train, half held out)
     * @param seed             seed of the sampling, the split and the classifier
     */
    public static double proxyADistance(List<ViewSequence> source, List<ViewSequence> target, int samplesPerDomain,
            long seed) {
        Random rng = new Random(seed);
        List<double[]> a = samplePoseFeatures(source, samplesPerDomain, rng);
        List<double[]> b = samplePoseFeatures(target, samplesPerDomain, rng);
        int half = samplesPerDomain / 2;
        LabelFactory factory = new LabelFactory();
        MutableDataset<Label> train = new MutableDataset<>(new SimpleDataSourceProvenance("pad-train", factory), factory);
        String[] names = featureNames(a.get(0).length);
        for (int i = 0; i < half; i++) {
            train.add(new ArrayExample<>(new Label(SOURCE), names, a.get(i)));
            train.add(new ArrayExample<>(new Label(TARGET), names, b.get(i)));
        }
        LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 10, 1000, 1, seed);
        Model<Label> model = trainer.train(train);
        int errors = 0;
        int tested = 0;
        for (int i = half; i < samplesPerDomain; i++) {
            errors += model.predict(example(names, a.get(i))).getOutput().getLabel().equals(SOURCE) ? 0 : 1;
            errors += model.predict(example(names, b.get(i))).getOutput().getLabel().equals(TARGET) ? 0 : 1;
            tested += 2;
        }
        double error = (double) errors / tested;
        // A classifier worse than chance is as informative as its inverse.
        return 2 * (1 - 2 * Math.min(error, 1 - error));
    }

    private static Example<Label> example(String[] names, double[] values) {
        return new ArrayExample<>(new Label(SOURCE), names, values);
    }

    private static String[] featureNames(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = String.format("f%03d", i);
        }
        return names;
    }

    /** Random frames of random views, as normalised 2D pose features. */
    static List<double[]> samplePoseFeatures(List<ViewSequence> views, int count, Random rng) {
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no views to sample from");
        }
        List<double[]> out = new ArrayList<>(count);
        Kcs kcs = new Kcs(views.get(0).poses().skeleton());
        for (int i = 0; i < count; i++) {
            ViewSequence v = views.get(rng.nextInt(views.size()));
            out.add(poseFeatures(v, rng.nextInt(v.numFrames()), kcs));
        }
        return out;
    }

    /**
     * The normalised 2D pose of one frame: keypoints relative to the root, divided by their RMS distance
     * from it, followed by the unit direction of every bone.
     */
    static double[] poseFeatures(ViewSequence view, int frame, Kcs kcs) {
        Skeleton skeleton = view.poses().skeleton();
        int joints = skeleton.numJoints();
        int root = skeleton.root();
        double[] pose = new double[joints * 2];
        double radius = 0;
        for (int j = 0; j < joints; j++) {
            // One frame is read in place: copying the view's keypoints per sample would copy them all.
            pose[2 * j] = view.keypoint(frame, j, 0) - view.keypoint(frame, root, 0);
            pose[2 * j + 1] = view.keypoint(frame, j, 1) - view.keypoint(frame, root, 1);
            radius += pose[2 * j] * pose[2 * j] + pose[2 * j + 1] * pose[2 * j + 1];
        }
        radius = Math.sqrt(radius / joints);
        for (int i = 0; i < pose.length; i++) {
            pose[i] = radius > 0 ? pose[i] / radius : 0;
        }
        double[] directions = kcs.limbDirections(pose, 2);
        double[] features = Arrays.copyOf(pose, pose.length + directions.length);
        System.arraycopy(directions, 0, features, pose.length, directions.length);
        return features;
    }

    /**
     * Camera viewpoint of a view at its first frame: elevation of the camera seen from the subject's
     * root (degrees, positive above), azimuth relative to the direction the subject faces (degrees, 0
     * in front, positive to the subject's left) and distance (metres).
     */
    public static double[] viewpoint(ViewSequence view) {
        return viewpoint(view, 0);
    }

    /**
     * Camera viewpoint of a view at frame {@code frame}, as {@link #viewpoint(ViewSequence)}: where that
     * frame's camera stands relative to that frame's pose (a moving camera, or a subject who walks or turns,
     * changes it from frame to frame).
     *
     * @throws IndexOutOfBoundsException when the view has no such frame
     */
    public static double[] viewpoint(ViewSequence view, int frame) {
        if (frame < 0 || frame >= view.numFrames()) {
            throw new IndexOutOfBoundsException("frame " + frame + " outside 0.." + (view.numFrames() - 1));
        }
        PoseSequence p = view.poses();
        double[] c = view.camera(frame).extrinsics().center();
        double dx = c[0] - p.get(frame, 0, 0);
        double dy = c[1] - p.get(frame, 0, 1);
        double dz = c[2] - p.get(frame, 0, 2);
        // The subject faces left × up, with "left" the vector from the right hip to the left hip.
        int lhip = p.skeleton().indexOf("LHip");
        int rhip = p.skeleton().indexOf("RHip");
        double lx = p.get(frame, lhip, 0) - p.get(frame, rhip, 0);
        double ly = p.get(frame, lhip, 1) - p.get(frame, rhip, 1);
        double facing = Math.atan2(-lx, ly);
        double azimuth = Math.toDegrees(Math.IEEEremainder(Math.atan2(dy, dx) - facing, 2 * Math.PI));
        return new double[] {Math.toDegrees(Math.atan2(dz, Math.hypot(dx, dy))), azimuth,
            Math.sqrt(dx * dx + dy * dy + dz * dz)};
    }

    /**
     * {@link #viewpoint(ViewSequence, int)} computed in the camera's own coordinates, for cameras that exist only
     * as a pose in camera coordinates (AdaptPose's generated ones): the camera sits at the origin, {@code up} is
     * the world's up direction in camera coordinates, the hips give the direction the subject faces. Returns
     * {elevation °, azimuth °, distance m} with the same conventions.
     *
     * @param root     the root joint, camera coordinates (metres)
     * @param leftHip  the left hip
     * @param rightHip the right hip
     * @param up       the world's up, a unit vector in camera coordinates
     */
    public static double[] viewpointInCamera(double[] root, double[] leftHip, double[] rightHip, double[] up) {
        double[] toCamera = Vec3.scale(root, -1);
        double height = Vec3.dot(toCamera, up);
        double[] horizontal = Vec3.sub(toCamera, Vec3.scale(up, height));
        // Facing = left × up, as in the world version (where up = +z); "left" runs from the right hip to the left.
        double[] facing = Vec3.cross(Vec3.sub(leftHip, rightHip), up);
        double[] left = Vec3.cross(up, facing);
        double azimuth = Math.toDegrees(Math.atan2(Vec3.dot(horizontal, left) / Vec3.norm(left),
                Vec3.dot(horizontal, facing) / Vec3.norm(facing)));
        return new double[] {Math.toDegrees(Math.atan2(height, Vec3.norm(horizontal))), azimuth, Vec3.norm(toCamera)};
    }

    /** {@link #viewpoint(ViewSequence)} of every view, in order: where a domain's cameras stand. */
    public static List<double[]> viewpoints(List<ViewSequence> views) {
        return views.stream().map(DomainGap::viewpoint).toList();
    }

    /** The camera elevation of every view at its first frame, degrees, in order (the first of {@link #viewpoints}). */
    public static double[] elevationsDeg(List<ViewSequence> views) {
        return views.stream().mapToDouble(v -> viewpoint(v)[0]).toArray();
    }

    /** Mean, spread and range of elevation, azimuth and distance over the views. */
    public static List<Summary> viewpointSummary(List<ViewSequence> views) {
        double[][] values = new double[3][views.size()];
        for (int i = 0; i < views.size(); i++) {
            double[] vp = viewpoint(views.get(i));
            for (int q = 0; q < 3; q++) {
                values[q][i] = vp[q];
            }
        }
        return List.of(summarise("elevation_deg", values[0]), summarise("azimuth_deg", values[1]),
                summarise("distance_m", values[2]));
    }

    /**
     * Each bone's length divided by the sum of all the subject's bone lengths (at the first frame of the
     * subject's first view), per bone (named by its child joint), over the distinct subjects of the views: how
     * proportions differ between domains, whatever the subjects' heights.
     */
    public static List<Summary> boneLengthRatioSummary(List<ViewSequence> views) {
        Map<String, double[]> bySubject = new LinkedHashMap<>();
        Skeleton skeleton = null;
        for (ViewSequence v : views) {
            skeleton = v.poses().skeleton();
            bySubject.computeIfAbsent(v.poses().subject(), s -> new Kcs(v.poses().skeleton())
                    .boneLengths(v.poses().toPoseArray().pose(0), 3));
        }
        if (skeleton == null) {
            throw new IllegalArgumentException("no views");
        }
        Kcs kcs = new Kcs(skeleton);
        List<Summary> out = new ArrayList<>();
        for (int b = 0; b < kcs.numBones(); b++) {
            double[] ratios = new double[bySubject.size()];
            int i = 0;
            for (double[] lengths : bySubject.values()) {
                ratios[i++] = lengths[b] / Arrays.stream(lengths).sum();
            }
            out.add(summarise(skeleton.jointName(skeleton.bones().get(b).child()), ratios));
        }
        return out;
    }

    /**
     * k-means (Tribuo) of the views' viewpoints (elevation/10°, distance/1 m, and the azimuth as a point
     * on a unit circle so 179° and −179° are neighbours). Returns, per cluster, its centre as
     * {elevation °, azimuth °, distance m} and its share of the views.
     */
    public static List<double[]> viewpointClusters(List<ViewSequence> views, int k, long seed) {
        ClusteringFactory factory = new ClusteringFactory();
        MutableDataset<ClusterID> data = new MutableDataset<>(new SimpleDataSourceProvenance("viewpoints", factory), factory);
        String[] names = {"elevation", "azimuth_cos", "azimuth_sin", "distance"};
        for (ViewSequence v : views) {
            double[] vp = viewpoint(v);
            double az = Math.toRadians(vp[1]);
            data.add(new ArrayExample<>(ClusteringFactory.UNASSIGNED_CLUSTER_ID, names,
                    new double[] {vp[0] / 10, 3 * Math.cos(az), 3 * Math.sin(az), vp[2]}));
        }
        KMeansTrainer trainer = new KMeansTrainer(k, 50, new L2Distance(),
                KMeansTrainer.Initialisation.PLUSPLUS, 1, seed);
        KMeansModel model = trainer.train(data);
        int[] counts = new int[k];
        for (Example<ClusterID> e : data) {
            counts[model.predict(e).getOutput().getID()]++;
        }
        List<double[]> out = new ArrayList<>();
        var centroids = model.getCentroidVectors();
        for (int c = 0; c < centroids.length; c++) {
            double[] v = centroids[c].toArray();
            out.add(new double[] {v[0] * 10, Math.toDegrees(Math.atan2(v[2], v[1])), v[3], (double) counts[c] / views.size()});
        }
        return out;
    }

    private static Summary summarise(String name, double[] values) {
        double mean = Arrays.stream(values).average().orElse(Double.NaN);
        double var = Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(Double.NaN);
        return new Summary(name, values.length, mean, Math.sqrt(var), Arrays.stream(values).min().orElse(Double.NaN),
                Arrays.stream(values).max().orElse(Double.NaN));
    }
}
