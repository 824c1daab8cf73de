package io.github.poseshift.loss;

import ai.djl.ndarray.NDArray;
import io.github.poseshift.nn.ScalarOps;

/**
 * The adversarial and regularising losses, as plain functions on {@code NDArray}s: AdaptPose's (Gholami et al.,
 * CVPR 2022, sec. 3.2–3.3) least-squares GAN losses (Mao et al., 2017) for the discriminators and the generator
 * and the two hinge-like penalties that keep the generator's changes in range; and the binary cross-entropy of
 * Yang et al. (CVPR 2018, Eq. 3–5), on logits.
 */
public final class GanLosses {

    // Constants go in as float: a double scalar would promote a 0-d float32 loss to float64 in PyTorch.

    private GanLosses() {}

    /** LSGAN discriminator loss ½·[mean((D(real) − 1)²) + mean(D(fake)²)]: real scores to 1, fakes to 0. */
    public static NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return ScalarOps.times(realScores.sub(1).square().mean().add(fakeScores.square().mean()), 0.5);
    }

    /** LSGAN generator loss ½·mean((D(fake) − 1)²): the generator wants its samples scored as real. */
    public static NDArray generator(NDArray fakeScores) {
        return ScalarOps.times(fakeScores.sub(1).square().mean(), 0.5);
    }

    /**
     * Mean of (a − centre)² over the elements further than {@code tolerance} from {@code centre}, the others
     * counting 0 (the authors' {@code diff_range_loss}): a penalty only outside the band. The paper's bone-angle
     * regulariser is this on the mean angle change m of each sample, with centre 0.205 and tolerance 0.165.
     */
    public static NDArray outsideBand(NDArray a, double centre, double tolerance) {
        NDArray squared = a.sub((float) centre).square();
        return squared.mul(squared.gt((float) (tolerance * tolerance)).toType(squared.getDataType(), false)).mean();
    }

    /**
     * Mean of x² over the elements with |x| above {@code threshold}, the others counting 0 (the authors'
     * {@code rectifiedL2loss}): the paper's bone-length-ratio penalty with threshold 0.1.
     */
    public static NDArray rectifiedSquare(NDArray x, double threshold) {
        NDArray squared = x.square();
        return squared.mul(squared.gt((float) (threshold * threshold)).toType(squared.getDataType(), false)).mean();
    }

    /**
     * Binary cross-entropy L_cls(σ(x), y) = −(y·log σ(x) + (1 − y)·log(1 − σ(x))) of logits {@code x} against a
     * label {@code y} ∈ [0, 1], averaged, computed as max(x, 0) − x·y + log(1 + e^−|x|) so that a saturated score
     * gives a finite loss and gradient.
     */
    public static NDArray binaryCrossEntropy(NDArray logits, float label) {
        NDArray softplusOfMinusAbs = logits.abs().neg().exp().add(1f).log();
        return ScalarOps.atLeast(logits, 0).sub(ScalarOps.times(logits, label)).add(softplusOfMinusAbs).mean();
    }

    /**
     * Yang et al.'s discriminator loss (Eq. 3) with the real and fake halves of a batch weighted alike: L_cls(D(real),
     * 1) + L_cls(D(fake), 0), each the mean over its half.
     */
    public static NDArray discriminatorCrossEntropy(NDArray realLogits, NDArray fakeLogits) {
        return binaryCrossEntropy(realLogits, 1f).add(binaryCrossEntropy(fakeLogits, 0f));
    }
}
