package io.github.poseshift.render;

import io.github.poseshift.geometry.AxisAngle;
import io.github.poseshift.geometry.Camera;
import io.github.poseshift.geometry.Rotation;
import java.util.Random;

/**
 * The training augmentation of image pose models, drawn per crop at render time so that every label stays
 * exact: the renderer draws the jittered scene, it does not warp a finished image.
 * <ul>
 *   <li><b>Rotation</b>: the camera rolls by θ ~ U(−{@code rotationDegrees}, +{@code rotationDegrees}) about its
 *       line of sight to the root joint, so the person turns in the image about the root while the floor,
 *       the lights and the 3D labels (in the rolled camera's frame) turn with it.</li>
 *   <li><b>Scale</b>: the crop's side is multiplied by a factor ~ U(1 − {@code scaleJitter}, 1 + {@code
 *       scaleJitter}), so the person fills more or less of it.</li>
 *   <li><b>Translation</b>: the crop's centre moves by U(−{@code shiftJitter}, +{@code shiftJitter}) of its
 *       side along each axis.</li>
 *   <li><b>Colour</b>: each RGB channel of the render is multiplied by a gain ~ U(1 − {@code colourJitter},
 *       1 + {@code colourJitter}) and clipped.</li>
 *   <li><b>Fresh looks</b> ({@code freshLooks}): every crop draws the person's clothes, skin, hair and girths
 *       anew from the domain's style ({@link Appearance#sample}) instead of wearing its subject's, the domain
 *       randomisation of synthetic training sets (SURREAL dresses every sequence differently): a domain has a
 *       handful of training subjects, and a model that sees only their looks learns them. The pose, the bones and
 *       so the labels stay the subject's.</li>
 * </ul>
 * Horizontal flips (with the left/right joints swapped) happen in the training batch instead
 * ({@code train.ImagePoseTraining.batch}), since a mirrored crop is exact without rendering again.
 *
 * <p>AHuP augments with "rotation, scaling, color jittering, and synthetic occlusion" (sec. 4.1) without
 * magnitudes; {@link #paper()} takes those of the integral-regression code it builds on (Sun et al., ECCV
 * 2018): scale ±25 %, rotation ±30°, colour gains ±20 %, translation ±2 % of the crop. Synthetic occlusion is
 * the renderer's own (each style's {@code occluders}).
 *
 * @param scaleJitter     largest relative change of the crop side, in [0, 0.9]
 * @param shiftJitter     largest shift of the crop centre as a fraction of its side, in [0, 0.5]
 * @param rotationDegrees largest camera roll about the line of sight, degrees, in [0, 180]
 * @param colourJitter    largest relative change of each colour channel, in [0, 1]
 * @param freshLooks      draw each crop's appearance anew from the style instead of using the subject's
 */
public record ImageAugmentation(double scaleJitter, double shiftJitter, double rotationDegrees, double colourJitter,
        boolean freshLooks) {

    /** Validates the ranges. */
    public ImageAugmentation {
        if (!(scaleJitter >= 0 && scaleJitter <= 0.9) || !(shiftJitter >= 0 && shiftJitter <= 0.5)
                || !(rotationDegrees >= 0 && rotationDegrees <= 180) || !(colourJitter >= 0 && colourJitter <= 1)) {
            throw new IllegalArgumentException("image augmentation out of range: scale ±" + scaleJitter + " (0 to 0.9), shift ±"
                    + shiftJitter + " (0 to 0.5), rotation ±" + rotationDegrees + "° (0 to 180), colour ±" + colourJitter
                    + " (0 to 1)");
        }
    }

    /** Geometric and colour jitter with each subject's own look. */
    public ImageAugmentation(double scaleJitter, double shiftJitter, double rotationDegrees, double colourJitter) {
        this(scaleJitter, shiftJitter, rotationDegrees, colourJitter, false);
    }

    /** No augmentation: every draw is the identity. */
    public static ImageAugmentation none() {
        return new ImageAugmentation(0, 0, 0, 0, false);
    }

    /**
     * The magnitudes of Sun et al.'s integral-regression code, which AHuP trains with (see the class comment),
     * subjects' own looks.
     */
    public static ImageAugmentation paper() {
        return new ImageAugmentation(0.25, 0.02, 30, 0.2, false);
    }

    /** A copy drawing (or not) a fresh look for every crop. */
    public ImageAugmentation withFreshLooks(boolean fresh) {
        return new ImageAugmentation(scaleJitter, shiftJitter, rotationDegrees, colourJitter, fresh);
    }

    /** Whether every draw is the identity. */
    public boolean isNone() {
        return scaleJitter == 0 && shiftJitter == 0 && rotationDegrees == 0 && colourJitter == 0 && !freshLooks;
    }

    /**
     * One crop's draw.
     *
     * @param rollRadians camera roll about the line of sight to the root, radians
     * @param sideFactor  multiplier of the crop side
     * @param shiftX      shift of the crop centre along x, fraction of the side
     * @param shiftY      likewise along y
     * @param gains       RGB channel gains
     */
    public record Draw(double rollRadians, double sideFactor, double shiftX, double shiftY, float[] gains) {

        /**
         * The camera rolled by this draw about its line of sight to {@code root} (camera coordinates), and
         * {@code cameraPose} ({@code [J][3]}, camera coordinates) seen by it, written into {@code rolledPose}.
         */
        public Camera roll(Camera camera, float[] cameraPose, float[] rolledPose) {
            if (rollRadians == 0) {
                System.arraycopy(cameraPose, 0, rolledPose, 0, cameraPose.length);
                return camera;
            }
            // X' = Q·X for the camera's points: the world seen by a camera rotated by Q⁻¹ about the same axis.
            Rotation q = Rotation.fromAxisAngle(new AxisAngle(cameraPose[0], cameraPose[1], cameraPose[2], rollRadians));
            for (int j = 0; j < cameraPose.length / 3; j++) {
                q.apply(cameraPose, 3 * j, rolledPose, 3 * j);
            }
            Camera.Extrinsics e = camera.extrinsics();
            double[] t = q.apply(new double[] {e.tx(), e.ty(), e.tz()});
            return new Camera(camera.intrinsics(), new Camera.Extrinsics(q.times(e.worldToCamera()), t[0], t[1], t[2]));
        }

        /** {@code framing} with the crop side scaled and its centre shifted by this draw. */
        public Framing reframe(Framing framing) {
            double side = framing.size() / framing.scale();
            double centreX = framing.x0() + side / 2 + shiftX * side;
            double centreY = framing.y0() + side / 2 + shiftY * side;
            double newSide = side * sideFactor;
            return new Framing(framing.size() / newSide, centreX - newSide / 2, centreY - newSide / 2, framing.size());
        }

        /** Multiplies the channels of an interleaved 8-bit RGB image by the gains, in place, clipping to [0, 255]. */
        public void colour(byte[] rgb) {
            if (gains[0] == 1f && gains[1] == 1f && gains[2] == 1f) {
                return;
            }
            for (int p = 0; p < rgb.length; p++) {
                rgb[p] = (byte) Math.min(255, Math.round((rgb[p] & 0xFF) * gains[p % 3]));
            }
        }
    }

    /** A draw from {@code rng}; always five draws, so the sequence does not depend on which ranges are zero. */
    public Draw draw(Random rng) {
        double roll = Math.toRadians(rotationDegrees * (2 * rng.nextDouble() - 1));
        double side = 1 + scaleJitter * (2 * rng.nextDouble() - 1);
        double sx = shiftJitter * (2 * rng.nextDouble() - 1);
        double sy = shiftJitter * (2 * rng.nextDouble() - 1);
        float[] gains = new float[3];
        for (int c = 0; c < 3; c++) {
            gains[c] = (float) (1 + colourJitter * (2 * rng.nextDouble() - 1));
        }
        return new Draw(roll, side, sx, sy, gains);
    }
}
