package io.github.poseshift.data.synth;

import io.github.poseshift.data.DomainSpec;
import io.github.poseshift.data.PoseSequence;
import io.github.poseshift.data.io.Bvh;
import io.github.poseshift.data.io.BvhClip;
import io.github.poseshift.data.io.BvhJointMaps;
import io.github.poseshift.data.io.FormatException;
import io.github.poseshift.data.io.VideoPose3DArchive;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The 3D motion of a domain, from wherever its spec says: procedural ({@code synth}), a folder of BVH
 * clips ({@code bvh}: each clip mapped onto H36M-17 and retargeted onto one of the domain's bodies, clips
 * dealt to subjects S1..Sn in file order), or a VideoPose3D-layout 3D {@code .npz} ({@code videopose3d}:
 * its own subjects, each retargeted onto a body drawn from the domain).
 */
public final class MotionSources {

    private MotionSources() {}

    /**
     * The motion of {@code spec}, seeded.
     *
     * @throws FormatException naming the motion file or folder when it cannot be read, or when a subject of the
     *                         split gets no motion from it
     */
    public static List<PoseSequence> load(DomainSpec spec, long seed) throws IOException {
        DomainSpec.Motion m = spec.motion();
        List<PoseSequence> motion = switch (m.source()) {
            case SYNTH -> MotionSynthesizer.synthesize(spec, seed);
            case BVH -> fromBvhFolder(spec, seed);
            case VIDEOPOSE3D -> fromVideoPose3D(spec, seed);
        };
        if (m.source() != DomainSpec.MotionSource.SYNTH) {
            requireSplitMotion(spec, motion);
        }
        return motion;
    }

    /**
     * Every subject of the split has motion in the files, which only reading them shows: a folder of fewer BVH
     * clips than {@code motion.subjects} leaves the last subjects without any, and a VideoPose3D archive has
     * its own subjects.
     */
    private static void requireSplitMotion(DomainSpec spec, List<PoseSequence> motion) throws FormatException {
        Set<String> present = new LinkedHashSet<>();
        motion.forEach(p -> present.add(p.subject()));
        for (String field : List.of("trainSubjects", "testSubjects")) {
            List<String> wanted = field.equals("trainSubjects") ? spec.split().trainSubjects()
                    : spec.split().testSubjects();
            List<String> missing = wanted.stream().filter(s -> !present.contains(s)).toList();
            if (!missing.isEmpty()) {
                String hint = spec.motion().source() == DomainSpec.MotionSource.BVH
                        ? "; its clips are dealt to motion.subjects S1..S" + spec.motion().subjects() + " in file order"
                        : "";
                List<String> shown = present.stream().limit(10).toList();
                throw new FormatException(spec.motion().path(), "no motion of split." + field + " " + missing
                        + " of domain '" + spec.name() + "'; it holds motion of " + shown
                        + (present.size() > shown.size() ? " and " + (present.size() - shown.size()) + " more" : "")
                        + hint);
            }
        }
    }

    private static List<PoseSequence> fromBvhFolder(DomainSpec spec, long seed) throws IOException {
        DomainSpec.Motion m = spec.motion();
        Path folder = Path.of(m.path());
        List<Path> clips;
        try (Stream<Path> files = Files.list(folder)) {
            clips = files.filter(p -> p.getFileName().toString().toLowerCase().endsWith(".bvh")).sorted().toList();
        }
        if (clips.isEmpty()) {
            throw new FormatException(folder.toString(), "no .bvh files (motion.path of domain '" + spec.name() + "')");
        }
        Random rng = new Random(seed);
        List<Body> bodies = new ArrayList<>();
        for (int s = 0; s < m.subjects(); s++) {
            bodies.add(Body.sample(spec.body(), rng));
        }
        List<PoseSequence> out = new ArrayList<>();
        for (int i = 0; i < clips.size(); i++) {
            BvhClip clip = Bvh.read(clips.get(i));
            var skeleton = clip.skeleton("bvh");
            PoseSequence h36m = clip.toSequence(m.unit(), "bvh", "source", actionOf(clips.get(i)))
                    .mapped(BvhJointMaps.byName(m.jointMap(), skeleton));
            int subject = i % m.subjects();
            out.add(Retarget.onto(h36m, bodies.get(subject), "S" + (subject + 1)));
        }
        return out;
    }

    private static List<PoseSequence> fromVideoPose3D(DomainSpec spec, long seed) throws IOException {
        Random rng = new Random(seed);
        List<PoseSequence> recorded = VideoPose3DArchive.read3d(Path.of(spec.motion().path()), spec.motion().fps(), true)
                .sequences();
        Map<String, Body> bodies = new LinkedHashMap<>();
        List<PoseSequence> out = new ArrayList<>();
        for (PoseSequence p : recorded) {
            Body body = bodies.computeIfAbsent(p.subject(), s -> Body.sample(spec.body(), rng));
            out.add(Retarget.onto(p, body, p.subject()));
        }
        return out;
    }

    /**
     * The action of a clip from its file name: the content word of Bandai-Namco names
     * ({@code dataset-1_walk_normal_001.bvh} → {@code walk}), else the whole stem.
     */
    static String actionOf(Path clip) {
        String stem = clip.getFileName().toString().replaceFirst("(?i)\\.bvh$", "");
        String[] parts = stem.split("_");
        return parts.length == 4 && parts[0].startsWith("dataset-") ? parts[1] : stem;
    }
}
