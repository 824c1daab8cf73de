package io.github.poseshift.method.ahup;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.data.synth.SyntheticDomain;
import io.github.poseshift.geometry.SkeletonDescriptor;
import io.github.poseshift.nn.TemporalConvNet;
import io.github.poseshift.nn.ahup.SpaLifter;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.train.CrossDatasetBenchmark;
import io.github.poseshift.train.History;
import io.github.poseshift.train.LifterTraining;
import java.io.PrintWriter;
import java.util.List;

/**
 * AHuP's skeletal pose adaptation, SPA (Liu &amp; Ostadabbas, "Adapted Human Pose: Monocular 3D Human Pose Estimation
 * with Zero Real 3D Pose Data", section 3.2 and the SPA paragraph of section 4.1): a light residual MLP head f that
 * maps a 3D pose y to y_SPA = y + f(y) (Eq. 4's first line) with the target domain's body proportions, knowing of the
 * target only its mean skeleton descriptor s̄ (bone lengths over shoulder width, {@link SkeletonDescriptor}). The
 * paper's algorithm, {@value #NAME}:
 * <ol>
 *   <li><b>describe the target</b>: s̄ is the mean descriptor of the target's <em>training</em> subjects' 3D poses
 *       ({@link #targetMeanDescriptor}; §4.1: "the mean skeletal descriptor s(y_tar) of the training split") — no
 *       pose of a target test subject enters, and no target pose at all except through this one 16-number mean;</li>
 *   <li><b>train the head on ground truth</b> (§4.1: "learning the mapping directly from the ground truth data"):
 *       its inputs y are the source's true 3D poses (root-relative, one per training window), its loss
 *       ‖f(y)‖₁ + ‖s(y + f(y)) − s̄‖₂ (Eq. 4; the reading of the norms: {@link SpaConfig.Variant#PAPER});</li>
 *   <li><b>compose</b>: at test time the model is the frozen source-only lifter followed by the head
 *       ({@link SpaLifter}), which is what the benchmark scores and a checkpoint stores.</li>
 * </ol>
 * {@value #REFINE_NAME} is PoseShift's earlier variant, kept for comparison: the head learns on the frozen lifter's
 * outputs with L1 to ground truth + 50·squared descriptor ({@link SpaConfig.Variant#REFINE}). Both heads start as the
 * identity (their last layer is zero) and work in millimetres ({@link SpaLifter#HEAD_SCALE}); the training loop is
 * {@code SpaTraining}'s.
 *
 * <p>The image-level half of AHuP — semantically aware adaptation (SAA) of the image features — needs image
 * domains and comes with them, as another class of this package next to this one.
 */
public final class SkeletalPoseAdaptation {

    /** The benchmark's name of the paper's SPA: a head trained on the source's ground truth after the lifter. */
    public static final String NAME = "ahup-spa";

    /**
     * The benchmark's name of the earlier variant: L1 to ground truth + 50·squared descriptor on frozen-lifter
     * outputs.
     */
    public static final String REFINE_NAME = "ahup-spa-refine";

    private SkeletalPoseAdaptation() {}

    /** The paper's settings ({@value #NAME}) for a benchmark budget: {@link SpaConfig#forBudget}. */
    public static SpaConfig forBudget(CrossDatasetBenchmark.Budget budget) {
        return SpaConfig.forBudget(SpaConfig.Variant.PAPER, budget);
    }

    /**
     * Both variants as the benchmark runs them ({@code --methods ahup-spa,ahup-spa-refine}), with
     * {@link SpaConfig#forBudget} settings, and as {@link io.github.poseshift.method.Methods} lists them.
     */
    public static List<Adaptation> adaptations() {
        return List.of(adaptation(NAME, SpaConfig.Variant.PAPER), adaptation(REFINE_NAME, SpaConfig.Variant.REFINE));
    }

    /** {@code variant} under {@code name}, with the budget's settings ({@link SpaConfig#forBudget}). */
    public static Adaptation adaptation(String name, SpaConfig.Variant variant) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> adapt(name,
                lifter, sourceTrain, targetMeanDescriptor(target, targetSpec, sourceTrain.config()),
                SpaConfig.forBudget(variant, budget), seed, log));
    }

    /**
     * SPA under {@code name} with fixed settings {@code config} (whatever the budget): on each target, s̄ from the
     * target's training subjects ({@link #targetMeanDescriptor}), the head trained on the source's training windows,
     * and the model's block replaced by the {@link SpaLifter}.
     */
    public static Adaptation adaptation(String name, SpaConfig config) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> adapt(name,
                lifter, sourceTrain, targetMeanDescriptor(target, targetSpec, sourceTrain.config()), config, seed, log));
    }

    /**
     * s̄ of a target: the mean skeleton descriptor of the 3D poses of {@code spec}'s <em>training</em> subjects, over
     * their windows' target frames at {@code windows}' rate and stride. Test subjects never count.
     */
    public static double[] targetMeanDescriptor(SyntheticDomain target, DomainSpec spec, PoseDataset.Config windows) {
        PoseDataset train = PoseDataset.of(target.views(), spec.split().trainSubjects(), windows);
        return new SkeletonDescriptor(train.skeleton()).mean(LifterTraining.targets(train));
    }

    /**
     * Trains an SPA head for the lifter in {@code lifter} and leaves the two composed as the model's block (a
     * {@link SpaLifter}); the lifter's weights do not change.
     *
     * @param lifter     a model holding a trained {@link TemporalConvNet}
     * @param source     the source's training windows: the head learns on their true 3D poses ({@link
     *                   SpaConfig.Variant#PAPER}) or on the lifter's predictions for them ({@link SpaConfig.Variant#REFINE})
     * @param targetMean s̄, the target's mean skeleton descriptor ({@link #targetMeanDescriptor})
     * @param config     the head, its loss and its schedule
     * @param seed       seed of the head's initialisation, dropout and batch order
     * @param log        one line per epoch (null for none)
     * @return the history per epoch ({@code SpaTraining.train} names the series)
     * @throws IllegalArgumentException when the model holds no temporal lifter, the joints disagree, or s̄ has the
     *                                  wrong length
     */
    public static History adapt(Model lifter, PoseDataset source, double[] targetMean, SpaConfig config, long seed,
            PrintWriter log) {
        return adapt(config.variant() == SpaConfig.Variant.PAPER ? NAME : REFINE_NAME, lifter, source, targetMean,
                config, seed, log);
    }

    private static History adapt(String name, Model lifter, PoseDataset source, double[] targetMean, SpaConfig config,
            long seed, PrintWriter log) {
        if (!(lifter.getBlock() instanceof TemporalConvNet net)) {
            throw new IllegalArgumentException("SPA adds a head after a temporal lifter; the model holds a "
                    + (lifter.getBlock() == null ? "no block" : lifter.getBlock().getClass().getSimpleName()));
        }
        int joints = source.skeleton().numJoints();
        if (config.head().joints() != joints || net.config().joints() != joints) {
            throw new IllegalArgumentException("the SPA head maps " + config.head().joints() + " joints, the lifter"
                    + " outputs " + net.config().joints() + ", the windows have " + joints);
        }
        if (targetMean.length != source.skeleton().numBones()) {
            throw new IllegalArgumentException("s̄ has " + targetMean.length + " entries; skeleton '"
                    + source.skeleton().name() + "' has " + source.skeleton().numBones() + " bones");
        }
        // The head's inputs and, for REFINE, its L1 targets, [N][J·3] in millimetres.
        float[] truth = LifterTraining.targets(source).scaled(SpaLifter.HEAD_SCALE).toFloats();
        float[] inputs = switch (config.variant()) {
            case PAPER -> truth;
            case REFINE -> LifterTraining.predict(net, source, 1024, false).scaled(SpaLifter.HEAD_SCALE).toFloats();
        };
        SpaTraining.Trained trained;
        try {
            trained = SpaTraining.train(lifter, source.skeleton(), inputs, truth, targetMean, config, seed, name, log);
        } finally {
            lifter.setBlock(net);
        }
        SpaLifter refined = SpaLifter.of(net, config.head(), trained.head());
        // Both parts hold their trained weights; initialising the composition only records its input shape, which
        // DJL writes with the parameters (a checkpoint).
        refined.initialize(lifter.getNDManager(), DataType.FLOAT32, new Shape(1, net.receptiveField(), joints * 2L));
        lifter.setBlock(refined);
        return trained.history();
    }
}
