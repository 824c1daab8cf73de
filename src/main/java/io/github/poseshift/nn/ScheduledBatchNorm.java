package io.github.poseshift.nn;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Batch normalisation whose running-statistics momentum can change during training. DJL's
 * {@link BatchNorm} fixes its momentum when built, but VideoPose3D (Pavllo et al. 2019, sec. 5 and
 * {@code run.py}) decays it every epoch from 0.1 to 0.001 so the running statistics settle as the
 * weights converge; {@link #setMomentum(Block, float)} sets it for every such layer in a network.
 *
 * <p>The momentum follows PyTorch's convention, the weight of the current batch in the running average
 * (0.1 = PyTorch's default); DJL's convention is its complement. Parameters have the same names and
 * types as DJL's {@link BatchNorm} ({@code gamma}, {@code beta}, {@code runningMean},
 * {@code runningVar}).
 */
public final class ScheduledBatchNorm extends AbstractBlock {

    /** PyTorch's default momentum and VideoPose3D's initial one. */
    public static final float DEFAULT_MOMENTUM = 0.1f;

    private static final float EPSILON = 1e-5f;

    private final int axis;
    private volatile float momentum = DEFAULT_MOMENTUM;
    private long channels;

    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    /** Normalises each channel along {@code axis} (1 for {@code [B, C]}, 2 for channel-last {@code [B, T, C]}). */
    public ScheduledBatchNorm(int axis) {
        if (axis < 1) {
            throw new IllegalArgumentException("the channel axis must follow the batch axis, got " + axis);
        }
        this.axis = axis;
        gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        runningMean = addParameter(Parameter.builder().setName("runningMean").setType(Parameter.Type.RUNNING_MEAN)
                .optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("runningVar").setType(Parameter.Type.RUNNING_VAR)
                .optRequiresGrad(false).build());
    }

    /** The current momentum (PyTorch convention). */
    public float momentum() {
        return momentum;
    }

    /** Sets the momentum (PyTorch convention, in (0, 1]) used by the following training steps. */
    public void setMomentum(float value) {
        if (!(value > 0 && value <= 1)) {
            throw new IllegalArgumentException("batch-norm momentum must be in (0, 1], got " + value);
        }
        momentum = value;
    }

    /** Sets the momentum of every {@code ScheduledBatchNorm} inside {@code network}; returns how many. */
    public static int setMomentum(Block network, float value) {
        int count = 0;
        if (network instanceof ScheduledBatchNorm norm) {
            norm.setMomentum(value);
            count++;
        }
        for (Block child : network.getChildren().values()) {
            count += setMomentum(child, value);
        }
        return count;
    }

    /**
     * VideoPose3D's schedule: the momentum for (zero-based) {@code epoch} of {@code epochs}, decaying
     * exponentially from {@code start} at the first epoch towards {@code end} at the last.
     */
    public static float scheduledMomentum(int epoch, int epochs, float start, float end) {
        return (float) (start * Math.exp(-(double) epoch / epochs * Math.log(start / end)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        Device device = input.getDevice();
        return BatchNorm.batchNorm(input, store.getValue(runningMean, device, training),
                store.getValue(runningVar, device, training), store.getValue(gamma, device, training),
                store.getValue(beta, device, training), axis, 1f - momentum, EPSILON, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(axis);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        gamma.setShape(new Shape(channels));
        beta.setShape(new Shape(channels));
        runningMean.setShape(new Shape(channels));
        runningVar.setShape(new Shape(channels));
    }
}
