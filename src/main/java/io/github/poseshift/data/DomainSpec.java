package io.github.poseshift.data;

import com.google.gson.annotations.SerializedName;
import io.github.poseshift.data.io.BvhJointMaps;
import io.github.poseshift.data.io.BvhUnit;
import io.github.poseshift.data.io.JsonSpelling;
import io.github.poseshift.geometry.KeypointNormalisation;
import java.util.List;
import java.util.Map;

/**
 * One pose domain as data: where the motion comes from, whose bodies perform it, which cameras watch
 * it, how noisy the 2D detections are, and how subjects split into train and test. Domains differ the
 * way real datasets differ (viewpoint, distance, body proportions, repertoire, noise), and a user makes
 * a new one by writing JSON; {@link Domains} loads and validates it. Lengths in metres, angles in
 * degrees (JSON is written by people), image sizes and noise in pixels. The JSON Schema
 * {@code io/github/poseshift/data/domain-spec.schema.json} documents every field with its unit, bounds
 * and spellings; enums are written in JSON as their {@link SerializedName} (e.g. {@code "handheld"}).
 *
 * @param name        identifier, e.g. {@code h36m-like}
 * @param description what the domain imitates, with the dataset it approximates
 * @param motion      the motion source
 * @param body        the distribution of body size and proportions
 * @param cameras     the camera model
 * @param observation the 2D detection model
 * @param split       subjects for training and testing
 * @param lifterInput what a lifter does to this domain's screen-normalised 2D before its first layer: nothing
 *                    ({@code screen}) or root-centring with Frobenius normalisation ({@code root-frobenius}, for
 *                    footage where the camera keeps the person centred, as AdaptPose does for Ski, sec. 6); the
 *                    benchmark trains the source-only lifter a domain is adapted from with the same. A spec file
 *                    without it gets the one of the preset it is named after, else {@code screen}
 * @param image       how the domain looks when rendered as images ({@code render} package); a spec file
 *                    without it gets the style of the preset it is named after, else the lab's
 *                    ({@link Domains#parse})
 */
public record DomainSpec(String name, String description, Motion motion, Body body, Cameras cameras,
        Observation observation, Split split, KeypointNormalisation lifterInput, Image image) {

    /**
     * Where the 3D motion comes from.
     *
     * @param source            procedural, a folder of BVH files or a VideoPose3D-layout {@code .npz}
     * @param actions           synth: action key ({@link SynthAction}) → mixing weight (> 0)
     * @param subjects          synth and bvh: number of subjects (bodies), named S1..Sn
     * @param framesPerSequence synth: frames in each generated sequence
     * @param fps               frames per second of the motion
     * @param speed             synth: playback-speed factor range of each sequence (1 = nominal)
     * @param amplitude         synth: motion-amplitude factor range (1 = nominal)
     * @param path              bvh: a folder of clips; videopose3d: a 3D {@code .npz}; relative paths are
     *                          resolved against the spec file's folder when it is loaded
     * @param jointMap          bvh: joint map onto H36M-17
     * @param unit              bvh: the clips' length unit ({@code auto} detects it)
     * @param areaRadiusM       synth: radius of the capture area around the origin; walkers steer back
     *                          inside it, as subjects do in a lab (large for outdoor domains)
     */
    public record Motion(MotionSource source, Map<String, Double> actions, Integer subjects, Integer framesPerSequence,
            Double fps, Range speed, Range amplitude, String path, BvhJointMaps.Name jointMap, BvhUnit unit,
            Double areaRadiusM) {

        /**
         * synth: the sequences each subject performs of an action of mixing weight {@code weight}: 2 × weight,
         * rounded, at least one (a double, so that a huge weight cannot overflow).
         */
        public static double sequencesOf(double weight) {
            return Math.max(1, Math.floor(2 * weight + 0.5));
        }
    }

    /** Where a domain's 3D motion comes from ({@link Motion#source()}). */
    public enum MotionSource {
        /** Procedural motion ({@link io.github.poseshift.data.synth.MotionSynthesizer}). */
        @SerializedName("synth") SYNTH,
        /** A folder of BVH clips, each mapped onto H36M-17 and retargeted onto one of the domain's bodies. */
        @SerializedName("bvh") BVH,
        /** A VideoPose3D-layout 3D {@code .npz}. */
        @SerializedName("videopose3d") VIDEOPOSE3D;

        /** The JSON spelling. */
        @Override
        public String toString() {
            return JsonSpelling.of(this);
        }
    }

    /**
     * Bodies: a height per subject and a length ratio per symmetric bone group (left and right change
     * together), applied on top of the motion's own proportions.
     *
     * @param heightM       standing height range in metres
     * @param boneRatioStd  standard deviation of the per-group length ratio around its mean
     * @param boneRatioMean per bone group (see {@link Domains#BONE_GROUPS}) the mean ratio offset,
     *                      e.g. {@code {"thigh": 0.05}} for 5% longer thighs; missing groups are 0
     */
    public record Body(Range heightM, Double boneRatioStd, Map<String, Double> boneRatioMean) {}

    /**
     * Cameras. Each scene (a sequence) is seen by {@code perScene} cameras placed on a sphere around the
     * subject's look-at point: elevation above the horizon (positive looks down, 90 is top-down),
     * azimuth around the vertical, distance from the look-at point, roll about the optical axis.
     *
     * @param perScene          cameras per sequence
     * @param fixedRig          true: one rig drawn per domain and shared by every sequence (a lab);
     *                          false: drawn anew for every sequence
     * @param focalPx           focal length range in pixels (square pixels)
     * @param imageWidth        image width in pixels
     * @param imageHeight       image height in pixels
     * @param principalJitterPx principal-point offset range from the image centre, pixels
     * @param radialK1          radial distortion k1 range (VideoPose3D model)
     * @param elevationDeg      elevation range, degrees
     * @param azimuthDeg        azimuth range, degrees
     * @param distanceM         distance range, metres
     * @param rollDeg           roll range, degrees
     * @param lookAtHeightM     height of the look-at point above the floor, metres
     * @param lookAtJitterM     standard deviation of the horizontal look-at offset, metres
     * @param motion            whether and how the cameras move during a sequence
     * @param handheldShakeDeg  handheld: standard deviation of the slow orientation wobble, degrees
     * @param handheldDriftMps  handheld: speed of the operator's drift, metres per second
     */
    public record Cameras(Integer perScene, Boolean fixedRig, Range focalPx, Integer imageWidth, Integer imageHeight,
            Range principalJitterPx, Range radialK1, Range elevationDeg, Range azimuthDeg, Range distanceM,
            Range rollDeg, Range lookAtHeightM, Double lookAtJitterM, CameraMotion motion, Double handheldShakeDeg,
            Double handheldDriftMps) {}

    /** How the cameras move during a sequence ({@link Cameras#motion()}). */
    public enum CameraMotion {
        /** They stay where they were placed. */
        @SerializedName("static") STATIC,
        /** Fixed position, pan-tilt follows the subject. */
        @SerializedName("tracking") TRACKING,
        /** The operator drifts around the subject and the hand wobbles. */
        @SerializedName("handheld") HANDHELD;

        /** The JSON spelling. */
        @Override
        public String toString() {
            return JsonSpelling.of(this);
        }
    }

    /**
     * How a 2D detector sees the projected joints.
     *
     * @param pixelNoiseStd Gaussian noise per coordinate, pixels
     * @param outlierRate   probability that a joint is a gross outlier
     * @param outlierStdPx  standard deviation of an outlier's displacement, pixels
     * @param dropoutRate   probability that a joint is missed (confidence 0, position kept but unreliable)
     */
    public record Observation(Double pixelNoiseStd, Double outlierRate, Double outlierStdPx, Double dropoutRate) {}

    /**
     * Subjects for training and testing; disjoint.
     *
     * @param trainSubjects subject names used for training
     * @param testSubjects  subject names held out for testing
     */
    public record Split(List<String> trainSubjects, List<String> testSubjects) {

        /**
         * The subjects of the part named {@code name}: {@code train}, {@code test}, or {@code all} (the training
         * subjects, then the test subjects).
         *
         * @throws IllegalArgumentException for another name
         */
        public List<String> subjects(String name) {
            return switch (requireName(name)) {
                case "train" -> trainSubjects;
                case "test" -> testSubjects;
                default -> java.util.stream.Stream.concat(trainSubjects.stream(), testSubjects.stream()).toList();
            };
        }

        /**
         * {@code name} when it names a part of a split ({@code train}, {@code test} or {@code all}).
         *
         * @throws IllegalArgumentException otherwise
         */
        public static String requireName(String name) {
            if (!List.of("train", "test", "all").contains(name)) {
                throw new IllegalArgumentException("unknown split '" + name + "'; use train, test or all");
            }
            return name;
        }
    }

    /**
     * The look of the domain's images: what stands behind the subject, how it is lit, how the subjects
     * dress and how the camera degrades the picture. Colours and noise are in [0, 1] intensity units;
     * pixel sizes are at a 256-pixel image and scale with the render size.
     *
     * @param background          what stands behind the subject
     * @param size                default render size in pixels, square: 64, 128 or 256
     * @param framing             which part of the camera frame an image shows
     * @param cropMargin          person framing: the crop's side over the joints' larger bounding-box side
     * @param ambient             ambient light level drawn per image
     * @param lights              number of directional lights (0 to 4)
     * @param lightIntensity      each light's intensity
     * @param lightElevationDeg   each light's elevation above the horizon, degrees (world frame)
     * @param lightAzimuthDeg     each light's azimuth, degrees (world frame)
     * @param noiseStd            per-pixel Gaussian sensor noise drawn per image
     * @param blurPx              Gaussian blur sigma drawn per image, pixels at 256 px
     * @param occluderProbability probability that an image has random occluders in front of the subject
     * @param maxOccluders        at most this many occluders (at least one when there are any)
     * @param clothingSaturation  saturation of clothing colours
     * @param clothingBrightness  brightness (HSV value) of clothing colours
     * @param texturedClothing    probability that a garment is striped or checked rather than plain
     * @param girthStd            standard deviation of a subject's girth factors around 1 (body, arms, legs)
     * @param chromaSpill         green light bounced from a green screen onto the subject's edges
     */
    public record Image(ImageBackground background, Integer size, ImageFraming framing, Double cropMargin,
            Range ambient, Integer lights, Range lightIntensity, Range lightElevationDeg, Range lightAzimuthDeg,
            Range noiseStd, Range blurPx, Double occluderProbability, Integer maxOccluders, Range clothingSaturation,
            Range clothingBrightness, Double texturedClothing, Double girthStd, Range chromaSpill) {}

    /** What stands behind the subject in a rendered image ({@link Image#background()}). */
    public enum ImageBackground {
        /** A room with tiled floor and panelled walls. */
        @SerializedName("lab") LAB,
        /** A chroma-green studio. */
        @SerializedName("greenscreen") GREENSCREEN,
        /** Textured ground and a cloudy sky. */
        @SerializedName("outdoor") OUTDOOR,
        /** A snow slope under a pale sky. */
        @SerializedName("snow") SNOW;

        /** The JSON spelling. */
        @Override
        public String toString() {
            return JsonSpelling.of(this);
        }
    }

    /** Which part of the camera frame a rendered image shows ({@link Image#framing()}). */
    public enum ImageFraming {
        /** A square crop around the projected joints, as image pose models are fed. */
        @SerializedName("person") PERSON,
        /** The whole camera frame, the shorter side's field of view widened to a square. */
        @SerializedName("full") FULL;

        /** The JSON spelling. */
        @Override
        public String toString() {
            return JsonSpelling.of(this);
        }
    }
}
