package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.ViewSequence;
import io.github.poseshift.geometry.Camera;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A whole synthetic domain made from its {@link DomainSpec}: motion from {@link MotionSources} (procedural,
 * or recorded clips retargeted onto the domain's bodies),
 * cameras from the {@link CameraRig} (one rig for the domain when {@code fixedRig}, else one per
 * sequence), 2D detections from the {@link Detector2D}. Deterministic in the seed: the motion, the
 * cameras and the detector noise each draw from their own generator derived from it, so changing the
 * camera model does not change the motion.
 *
 * @param spec  the domain
 * @param seed  the seed it was made with
 * @param views every sequence seen by every camera of its scene
 */
public record SyntheticDomain(DomainSpec spec, long seed, List<ViewSequence> views) {

    /** Makes the domain; file-based motion sources are read (errors name the file). */
    public static SyntheticDomain generate(DomainSpec spec, long seed) throws IOException {
        List<PoseSequence> motion = MotionSources.load(spec, seed);
        Random cameraRng = new Random(seed ^ 0x5DEECE66DL);
        Random detectorRng = new Random(seed * 31 + 17);
        List<CameraRig.Placement> fixedRig = spec.cameras().fixedRig() ? CameraRig.draw(spec.cameras(), cameraRng) : null;
        List<ViewSequence> views = new ArrayList<>();
        for (PoseSequence seq : motion) {
            List<CameraRig.Placement> rig = fixedRig != null ? fixedRig : CameraRig.draw(spec.cameras(), cameraRng);
            for (int c = 0; c < rig.size(); c++) {
                List<Camera> cameras = CameraRig.cameras(rig.get(c), spec.cameras(), seq, cameraRng);
                views.add(Detector2D.observe(seq, c, cameras, spec.observation(), detectorRng));
            }
        }
        return new SyntheticDomain(spec, seed, List.copyOf(views));
    }

    /** The views of the training subjects. */
    public List<ViewSequence> train() {
        return views.stream().filter(v -> spec.split().trainSubjects().contains(v.poses().subject())).toList();
    }

    /** The views of the test subjects. */
    public List<ViewSequence> test() {
        return views.stream().filter(v -> spec.split().testSubjects().contains(v.poses().subject())).toList();
    }
}
