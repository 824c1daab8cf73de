package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import java.util.ArrayList;
import java.util.List;

/**
 * The pieces every adversarial adaptation loop (AdaptPose, PoseDA) needs around DJL: a trainer per network,
 * freezing exactly the trainable parameters of a network while another steps (DJL keeps gradients of
 * parameters nobody stepped), and the finiteness checks that guard every generator and discriminator step.
 */
public final class AdversarialSteps {

    /**
     * Gradients of generators and discriminators are clipped to ±1 per element: a generated pose a
     * discriminator scores far off would otherwise send one step far enough to overflow (seen in tiny AdaptPose runs).
     */
    public static final float GAN_GRADIENT_CLIP = 1f;

    private AdversarialSteps() {}

    /** A trainer for {@code model} with {@link ResumableAdam} at {@code learningRate}, clipped to {@link #GAN_GRADIENT_CLIP}. */
    public static Trainer trainer(Model model, float learningRate, Device device) {
        return model.newTrainer(new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(ResumableAdam.create(learningRate, GAN_GRADIENT_CLIP)).optDevices(new Device[] {device}));
    }

    /** A trainer for the lifter an adaptation fine-tunes, stepped by {@code adam} (VideoPose3D's loop: its rate set per epoch). */
    public static Trainer lifterTrainer(Model lifter, ResumableAdam adam, Device device) {
        return lifter.newTrainer(new DefaultTrainingConfig(Loss.l2Loss()).optOptimizer(adam).optDevices(new Device[] {device}));
    }

    /**
     * Freezes the trainable parameters of {@code block} and returns them, so exactly those can be thawed again
     * ({@link #thaw}); freezing and thawing the whole block would make batch-norm running statistics trainable.
     */
    public static List<Parameter> freezeTrainable(Block block) {
        List<Parameter> trainable = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        trainable.forEach(p -> p.freeze(true));
        return trainable;
    }

    /** Thaws parameters {@link #freezeTrainable} froze. */
    public static void thaw(List<Parameter> parameters) {
        parameters.forEach(p -> p.freeze(false));
    }

    /** Whether {@code a} holds no NaN and no infinity. */
    public static boolean finite(NDArray a) {
        return !a.isInfinite().logicalOr(a.isNaN()).any().getBoolean();
    }

    /**
     * Whether every trainable parameter of {@code block} has a finite gradient; if not, the gradients are zeroed
     * (DJL keeps them until the next step) and the caller skips the step, as mixed-precision training skips an
     * overflowing one.
     */
    private static boolean gradientsFiniteOrZeroed(Block block) {
        List<Parameter> params = block.getParameters().values().stream().filter(Parameter::requiresGradient).toList();
        if (params.stream().allMatch(p -> finite(p.getArray().getGradient()))) {
            return true;
        }
        zeroGradients(block);
        return false;
    }

    /** Zeroes the gradients of every trainable parameter of {@code block} (DJL keeps them until the next step). */
    public static void zeroGradients(Block block) {
        block.getParameters().values().stream().filter(Parameter::requiresGradient)
                .forEach(p -> p.getArray().getGradient().set(new NDIndex("..."), 0));
    }

    /**
     * Steps {@code trainer} if every trainable parameter of {@code block} (the network it trains) has a finite
     * gradient, and returns whether it did; otherwise the gradients are zeroed and the step skipped ({@link
     * #gradientsFiniteOrZeroed}). A finite loss can send a non-finite gradient back (a saturated discriminator, a
     * degenerate generated pose), and one such step of Adam makes the network's weights NaN for good: every later
     * loss of the game would then be NaN. Generator and discriminator steps are guarded alike.
     */
    public static boolean stepIfFinite(Trainer trainer, Block block) {
        if (!gradientsFiniteOrZeroed(block)) {
            return false;
        }
        trainer.step();
        return true;
    }

    /**
     * The initialised parameters of {@code blocks} that hold a NaN or an infinity, as "Block parameter" names:
     * what an error about a diverged adversarial step reports.
     */
    public static List<String> nonFiniteParameters(Block... blocks) {
        List<String> bad = new ArrayList<>();
        for (Block b : blocks) {
            b.getParameters().forEach(p -> {
                if (p.getValue().isInitialized() && !finite(p.getValue().getArray())) {
                    bad.add(b.getClass().getSimpleName() + " " + p.getKey());
                }
            });
        }
        return bad;
    }
}
