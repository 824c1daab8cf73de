package io.github.poseshift.nn.ahup;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.ScalarOps;
import io.github.poseshift.nn.SimpleBaseline;
import io.github.poseshift.nn.TemporalConvNet;

/**
 * A temporal lifter followed by AHuP's skeletal pose adaptation (SPA) head (Liu, Sehgal &amp; Ostadabbas, "Adapted
 * Human Pose", section "Skeletal pose adaptation"): the lifter's 3D pose, flattened to {@code [J·3]}, goes through
 * a residual MLP — Martinez et al.'s network ({@link SimpleBaseline#refiner}: a linear layer to 1024 units, two
 * residual stages of two (linear, batch norm, ReLU, dropout 0.5) blocks, a linear layer back to J·3) whose output
 * is added to its input. The head refines every pose the lifter outputs: one per window in the strided form,
 * one per frame in the dilated form, so the block takes and returns what the lifter does.
 *
 * <p>The head works in millimetres ({@link #HEAD_SCALE}), the unit of the paper's pipeline: Adam moves each weight
 * by about its learning rate per step whatever the output's unit, so the paper's rate of 1e-4 makes steps of the
 * intended size only on millimetre poses (on metres each early step moved the poses by decimetres).
 *
 * <p>The lifter stays a {@link TemporalConvNet} and the head a separate child, so a method can train the head on
 * a frozen lifter's predictions and a checkpoint stores both ({@link #KIND}).
 */
public final class SpaLifter extends AbstractBlock {

    /** The checkpoint kind of a lifter with an SPA head. */
    public static final String KIND = "tcn-spa";

    /** The head's poses are the lifter's times this: millimetres from metres. */
    public static final float HEAD_SCALE = 1000f;

    /**
     * @param lifter the temporal lifter
     * @param head   the SPA head's MLP (its joints must be the lifter's)
     */
    public record Config(TemporalConvNet.Config lifter, SimpleBaseline.Config head) {
        /** Validates the values. */
        public Config {
            if (lifter == null || head == null) {
                throw new IllegalArgumentException("a lifter with an SPA head needs both configurations, got " + lifter
                        + " and " + head);
            }
            if (lifter.joints() != head.joints()) {
                throw new IllegalArgumentException("the lifter outputs " + lifter.joints() + " joints, the SPA head"
                        + " refines " + head.joints());
            }
        }
    }

    private final Config config;
    private final TemporalConvNet lifter;
    private final Block head;

    /** A new, uninitialised lifter and head of {@code config}'s shapes (to load a checkpoint into). */
    public SpaLifter(Config config) {
        this(config, new TemporalConvNet(config.lifter()), head(config.head()));
    }

    /**
     * The composition of a lifter and a head built by {@link #head} — trained or not — as one block; the
     * parameters are shared, not copied.
     *
     * @throws IllegalArgumentException when the configurations disagree
     */
    public static SpaLifter of(TemporalConvNet lifter, SimpleBaseline.Config headConfig, Block head) {
        return new SpaLifter(new Config(lifter.config(), headConfig), lifter, head);
    }

    private SpaLifter(Config config, TemporalConvNet lifter, Block head) {
        this.config = config;
        this.lifter = addChildBlock("lifter", lifter);
        this.head = addChildBlock("spa", head);
    }

    /** The SPA head of {@code config}: {@link SimpleBaseline#refiner}, starting as the identity. */
    public static Block head(SimpleBaseline.Config config) {
        return SimpleBaseline.refiner(config);
    }

    /** The configuration. */
    public Config config() {
        return config;
    }

    /** The lifter. */
    public TemporalConvNet lifter() {
        return lifter;
    }

    /** The SPA head: poses {@code [N, J·3]} in, refined poses {@code [N, J·3]} out, in millimetres. */
    public Block head() {
        return head;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray poses = lifter.forward(store, inputs, training, params).singletonOrThrow();
        Shape shape = poses.getShape();
        NDArray flat = ScalarOps.times(poses.reshape(-1, shape.get(shape.dimension() - 1)), HEAD_SCALE);
        NDArray refined = head.forward(store, new NDList(flat), training, params).singletonOrThrow();
        return new NDList(ScalarOps.dividedBy(refined, HEAD_SCALE).reshape(shape));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return lifter.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        lifter.initialize(manager, dataType, inputShapes);
        head.initialize(manager, dataType, new Shape(inputShapes[0].get(0), config.head().joints() * 3L));
    }
}
