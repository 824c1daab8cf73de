package io.github.poseshift.method.adaptpose;

import io.github.poseshift.data.PoseDataset;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.nn.adaptpose.CameraParameterisation;
import io.github.poseshift.train.Adaptation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * AdaptPose and its ablations as the benchmark's methods ({@code --methods}, {@code --ablation}), each adapting
 * with the budget's settings ({@link AdaptPoseConfig#forBudget}) changed in one respect.
 */
public final class AdaptPoseMethods {

    private AdaptPoseMethods() {}

    /**
     * The baseline generators of the ablation (`--ablation BG1|BG2|BG3`): AdaptPose built up from a baseline in
     * the order its section 3 adds the parts, each rung one step closer to the method as published.
     * <ul>
     *   <li>{@link #BG1}: the camera alone: RT's learned cameras and the 2D discriminator, every generated window
     *       inside the image trains the lifter (no BA, BL, 3D discriminator, feedback or selection);</li>
     *   <li>{@link #BG2}: BG1 with the motion generator: BA and BL, kept human by the 3D discriminator;</li>
     *   <li>{@link #BG3}: BG2 with the lifter's feedback.</li>
     * </ul>
     * AdaptPose itself is BG3 with sample selection (sec. 4.4).
     */
    public enum BaselineGenerator {
        BG1(new AdaptPoseConfig.Components(false, false, false, false, false)),
        BG2(new AdaptPoseConfig.Components(true, true, true, false, false)),
        BG3(new AdaptPoseConfig.Components(true, true, true, true, false));

        private final AdaptPoseConfig.Components components;

        BaselineGenerator(AdaptPoseConfig.Components components) {
            this.components = components;
        }

        /** The components this rung runs. */
        public AdaptPoseConfig.Components components() {
            return components;
        }

        /** The rung's benchmark method: {@code adaptpose-bg1}, {@code -bg2}, {@code -bg3}. */
        public String methodName() {
            return AdaptPose.NAME + "-" + name().toLowerCase(Locale.ROOT);
        }

        /** The rung named {@code name} (BG1, BG2, BG3; any case), or an error naming the choices. */
        public static BaselineGenerator byName(String name) {
            for (BaselineGenerator g : values()) {
                if (g.name().equalsIgnoreCase(name.strip())) {
                    return g;
                }
            }
            throw new IllegalArgumentException("unknown ablation '" + name + "'; use BG1, BG2 or BG3");
        }
    }

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
        return variant(AdaptPose.NAME, budgetConfig -> config == null ? budgetConfig : config, probe);
    }

    /**
     * AdaptPose and its ablations: {@code adaptpose} (everything on), {@code adaptpose-no-ba}, {@code -no-bl},
     * {@code -no-d3d}, {@code -no-feedback}, {@code -no-selection} (one component off), and
     * {@code adaptpose-deterministic-axis}, {@code -quaternion}, {@code -euler} (the camera parameterisations of the
     * paper's Table 7 instead of the probabilistic axis), and the baseline generators {@code adaptpose-bg1},
     * {@code -bg2}, {@code -bg3} ({@link BaselineGenerator}).
     */
    public static List<Adaptation> adaptations() {
        List<Adaptation> all = new ArrayList<>(List.of(variant(AdaptPose.NAME, c -> c, null),
                components("-no-ba", new AdaptPoseConfig.Components(false, true, true, true, true)),
                components("-no-bl", new AdaptPoseConfig.Components(true, false, true, true, true)),
                components("-no-d3d", new AdaptPoseConfig.Components(true, true, false, true, true)),
                components("-no-feedback", new AdaptPoseConfig.Components(true, true, true, false, true)),
                components("-no-selection", new AdaptPoseConfig.Components(true, true, true, true, false)),
                variant(AdaptPose.NAME + "-deterministic-axis", c -> c.withCamera(CameraParameterisation.DETERMINISTIC_AXIS),
                        null),
                variant(AdaptPose.NAME + "-quaternion", c -> c.withCamera(CameraParameterisation.QUATERNION), null),
                variant(AdaptPose.NAME + "-euler", c -> c.withCamera(CameraParameterisation.EULER), null)));
        for (BaselineGenerator g : BaselineGenerator.values()) {
            all.add(variant(g.methodName(), c -> c.withComponents(g.components()), null));
        }
        return List.copyOf(all);
    }

    private static Adaptation components(String suffix, AdaptPoseConfig.Components c) {
        return variant(AdaptPose.NAME + suffix, config -> config.withComponents(c), null);
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
