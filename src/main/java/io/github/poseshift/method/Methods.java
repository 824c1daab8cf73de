package io.github.poseshift.method;

import io.github.poseshift.method.adaptpose.AdaptPoseMethods;
import io.github.poseshift.method.ahup.SkeletalPoseAdaptation;
import io.github.poseshift.method.poseda.PoseDA;
import io.github.poseshift.train.Adaptation;
import io.github.poseshift.method.yang2018.Yang2018;
import io.github.poseshift.train.ImageAdaptation;
import java.util.ArrayList;
import java.util.List;

/**
 * Every adaptation method of the library, as the benchmark and {@code train} know them by name: each paper's
 * package lists its method and ablations, and this class joins the lists, so the CLI has one place to look.
 */
public final class Methods {

    private Methods() {}

    /** AdaptPose, PoseDA and their ablations, then AHuP's SPA, in the order the papers' packages list them. */
    public static List<Adaptation> adaptations() {
        List<Adaptation> all = new ArrayList<>(AdaptPoseMethods.adaptations());
        all.addAll(PoseDA.adaptations());
        all.addAll(SkeletalPoseAdaptation.adaptations());
        return List.copyOf(all);
    }

    /** The adaptation methods on images: Yang et al. (CVPR 2018) and its ablations. */
    public static List<ImageAdaptation> imageAdaptations() {
        return Yang2018.adaptations();
    }
}
