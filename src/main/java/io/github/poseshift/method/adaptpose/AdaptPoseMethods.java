package io.github.poseshift.method.adaptpose;

import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.nn.adaptpose.BoneGeneration;
import io.github.poseshift.nn.adaptpose.CameraParameterisation;
import io.github.poseshift.train.Adaptation;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * AdaptPose and its ablations as the benchmark's methods ({@code --methods}, {@code --ablation}), each adapting
 * with the budget's settings ({@link AdaptPoseConfig#forBudget}) changed in one respect.
 */
public final class AdaptPoseMethods {

    private AdaptPoseMethods() {}

    /**
     * The paper's ablations as rows of the benchmark ({@code --ablation}), each AdaptPose with the budget's settings
     * changed as the paper's table says:
     * <ul>
     *   <li>{@code BG1}, {@code BG2}, {@code BG3} (table 6): the three bone generator designs of sec. 4.1
     *       ({@link BoneGeneration}); BG3 is AdaptPose as published. Rows {@code adaptpose-bg1}, ...;</li>
     *   <li>{@code A1} … {@code A5} (table 5): the components added to the baseline — bone generation, camera
     *       generation, domain discriminator, selection ({@link AdaptPoseConfig.Components#table5}). The extracted
     *       table lost which column each tick stands in; the rows are read from its counts of ticks and sec. 6.3's
     *       text: A1 bone generation, A2 camera generation, A3 both, A4 camera generation, domain discriminator and
     *       selection ("A4 excludes bone generation"), A5 bone and camera generation with the domain discriminator
     *       ("A3 and A5 give the role of domain adaptation"). Rows {@code adaptpose-a1}, ...;</li>
     *   <li>{@code components}: every component switched off alone ({@code adaptpose-no-ba}, {@code -no-bl},
     *       {@code -no-camera}, {@code -no-dd}, {@code -no-d3d}, {@code -no-feedback}, {@code -no-selection},
     *       {@code -no-perturbation}): PoseShift's own ablation, not a table of the paper.</li>
     * </ul>
     */
    public enum Ablation {
        BG1, BG2, BG3, A1, A2, A3, A4, A5, COMPONENTS;

        /** The benchmark rows (method names) the ablation adds. */
        public List<String> rows() {
            return switch (this) {
                case BG1, BG2, BG3, A1, A2, A3, A4, A5 -> List.of(AdaptPose.NAME + "-" + name().toLowerCase(Locale.ROOT));
                case COMPONENTS -> SINGLE_COMPONENT_OFF.keySet().stream().map(suffix -> AdaptPose.NAME + suffix).toList();
            };
        }

        /** The ablation named {@code name} (any case), or an error naming the choices. */
        public static Ablation byName(String name) {
            for (Ablation a : values()) {
                if (a.name().equalsIgnoreCase(name.strip())) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown ablation '" + name + "'; use BG1, BG2, BG3 (table 6), A1, A2, A3,"
                    + " A4, A5 (table 5) or components");
        }
    }

    /** The components of table 5's rows A1 … A5, by method suffix. */
    private static final Map<String, AdaptPoseConfig.Components> TABLE_5 = table5();

    private static Map<String, AdaptPoseConfig.Components> table5() {
        Map<String, AdaptPoseConfig.Components> m = new LinkedHashMap<>();
        m.put("-a1", AdaptPoseConfig.Components.table5(true, false, false, false));
        m.put("-a2", AdaptPoseConfig.Components.table5(false, true, false, false));
        m.put("-a3", AdaptPoseConfig.Components.table5(true, true, false, false));
        m.put("-a4", AdaptPoseConfig.Components.table5(false, true, true, true));
        m.put("-a5", AdaptPoseConfig.Components.table5(true, true, true, false));
        return Collections.unmodifiableMap(m);
    }

    /** One component off at a time, by method suffix. */
    private static final Map<String, UnaryOperator<AdaptPoseConfig>> SINGLE_COMPONENT_OFF = singleComponentOff();

    private static Map<String, UnaryOperator<AdaptPoseConfig>> singleComponentOff() {
        Map<String, UnaryOperator<AdaptPoseConfig>> m = new LinkedHashMap<>();
        m.put("-no-ba", c -> c.withComponents(new AdaptPoseConfig.Components(false, true, true, true, true, true, true)));
        m.put("-no-bl", c -> c.withComponents(new AdaptPoseConfig.Components(true, false, true, true, true, true, true)));
        m.put("-no-camera", c -> c.withComponents(new AdaptPoseConfig.Components(true, true, false, true, true, true, true)));
        m.put("-no-dd", c -> c.withComponents(new AdaptPoseConfig.Components(true, true, true, false, true, true, true)));
        m.put("-no-d3d", c -> c.withComponents(new AdaptPoseConfig.Components(true, true, true, true, false, true, true)));
        m.put("-no-feedback", c -> c.withComponents(new AdaptPoseConfig.Components(true, true, true, true, true, false, true)));
        m.put("-no-selection", c -> c.withComponents(new AdaptPoseConfig.Components(true, true, true, true, true, true, false)));
        m.put("-no-perturbation", c -> c.withPerturbation(null));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The weight of the reprojection feedback in {@code adaptpose-reprojection}, against the lifter's MPJPE in
     * metres; PoseShift's choice (the paper's weight did not survive the extraction, and the authors' 1e-4 acts on
     * no parameter): at 0.1 a reprojection error of 0.05 normalised units weighs as 5 mm of MPJPE.
     */
    static final float REPROJECTION_WEIGHT = 0.1f;

    /**
     * AdaptPose as the benchmark runs it ({@code --methods adaptpose}): the source-only lifter adapted with
     * {@code config} (null: {@link AdaptPoseConfig#forBudget}) for the budget's epochs, on the source's training
     * windows and the target's training subjects' 2D keypoints, projected with their cameras' intrinsics.
     */
    public static Adaptation adaptation(AdaptPoseConfig config) {
        return adaptation(AdaptPose.NAME, config);
    }

    /** {@link #adaptation(AdaptPoseConfig)} under another name (an ablation row of the benchmark's tables). */
    public static Adaptation adaptation(String name, AdaptPoseConfig config) {
        return variant(name, budgetConfig -> config == null ? budgetConfig : config, null);
    }

    /**
     * {@link #adaptation(AdaptPoseConfig)} that also fills {@code probe} with snapshots of the generator's work (for
     * one target: a second target would add its snapshots to the same probe).
     */
    public static Adaptation adaptation(AdaptPoseConfig config, AdaptPoseProbe probe) {
        return adaptation(AdaptPose.NAME, config, probe);
    }

    /** {@link #adaptation(AdaptPoseConfig, AdaptPoseProbe)} under another name (a second probed row). */
    public static Adaptation adaptation(String name, AdaptPoseConfig config, AdaptPoseProbe probe) {
        return variant(name, budgetConfig -> config == null ? budgetConfig : config, probe);
    }

    /**
     * AdaptPose and its ablations: {@code adaptpose} (as published), the rows of every {@link Ablation}, the camera
     * parameterisations of table 7 ({@code adaptpose-deterministic-axis}, {@code -quaternion}, {@code -euler}
     * instead of the probabilistic axis) and {@code adaptpose-reprojection} (with the reprojection feedback acting on
     * the lifter, {@link #REPROJECTION_WEIGHT}).
     */
    public static List<Adaptation> adaptations() {
        List<Adaptation> all = new ArrayList<>();
        all.add(variant(AdaptPose.NAME, c -> c, null));
        for (BoneGeneration design : BoneGeneration.values()) {
            all.add(variant(AdaptPose.NAME + "-" + design.name().toLowerCase(Locale.ROOT), c -> c.withBoneGeneration(design),
                    null));
        }
        TABLE_5.forEach((suffix, parts) -> all.add(variant(AdaptPose.NAME + suffix, c -> c.withComponents(parts), null)));
        SINGLE_COMPONENT_OFF.forEach((suffix, change) -> all.add(variant(AdaptPose.NAME + suffix, change, null)));
        all.add(variant(AdaptPose.NAME + "-deterministic-axis", c -> c.withCamera(CameraParameterisation.DETERMINISTIC_AXIS),
                null));
        all.add(variant(AdaptPose.NAME + "-quaternion", c -> c.withCamera(CameraParameterisation.QUATERNION), null));
        all.add(variant(AdaptPose.NAME + "-euler", c -> c.withCamera(CameraParameterisation.EULER), null));
        all.add(variant(AdaptPose.NAME + "-reprojection",
                c -> c.withFeedback(c.feedback().withReprojection(REPROJECTION_WEIGHT)), null));
        return List.copyOf(all);
    }

    private static Adaptation variant(String name, UnaryOperator<AdaptPoseConfig> fromBudgetConfig, AdaptPoseProbe probe) {
        return Adaptation.named(name, (lifter, sourceTrain, target, targetSpec, budget, seed, log) -> {
            PoseDataset targetTrain = Adaptation.targetTrainWindows(target, targetSpec, sourceTrain);
            List<Camera.Intrinsics> intrinsics = target.views().stream()
                    .filter(v -> targetSpec.split().trainSubjects().contains(v.poses().subject()))
                    .map(v -> v.camera(0).intrinsics()).distinct().toList();
            return AdaptPose.adapt(lifter, sourceTrain, targetTrain, intrinsics, AdaptPose.BENCHMARK_BASE_DEPTH,
                    budget.training(seed), fromBudgetConfig.apply(AdaptPoseConfig.forBudget(budget)), log, probe);
        });
    }
}
