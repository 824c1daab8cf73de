package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One KCS path of AdaptPose's discriminators (Gholami et al., CVPR 2022, sec. 3.2, after Wandt &amp;
 * Rosenhahn's RepNet): a flattened Ψ matrix {@code [N, B·B]} through linear→{@code channels}, LeakyReLU, a
 * second such layer and a third linear layer added back to the first one's output (a residual), then
 * LeakyReLU(linear→{@code middle}) and, for a 3D path, linear→1. Without the last layer ({@code score}
 * false) it outputs the {@code middle} features, which the 2D discriminator joins to its pose path.
 */
final class KcsPath extends AbstractBlock {

    private final Block first;
    private final Block second;
    private final Block third;
    private final Block last;
    private final Block score;

    KcsPath(int channels, int middle, boolean withScore) {
        first = addChildBlock("kcs1", Linear.builder().setUnits(channels).build());
        second = addChildBlock("kcs2", Linear.builder().setUnits(channels).build());
        third = addChildBlock("kcs3", Linear.builder().setUnits(channels).build());
        last = addChildBlock("last", Linear.builder().setUnits(middle).build());
        score = withScore ? addChildBlock("score", Linear.builder().setUnits(1).build()) : null;
    }

    static NDArray leaky(NDArray x) {
        return ai.djl.nn.Activation.leakyRelu(x, GeneratorTrunk.LEAKY_SLOPE);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray psi = inputs.singletonOrThrow();
        NDArray h1 = leaky(first.forward(store, new NDList(psi), training, params).singletonOrThrow());
        NDArray h2 = leaky(second.forward(store, new NDList(h1), training, params).singletonOrThrow());
        NDArray h3 = third.forward(store, new NDList(h2), training, params).singletonOrThrow().add(h1);
        NDArray out = leaky(last.forward(store, new NDList(h3), training, params).singletonOrThrow());
        return new NDList(score == null ? out : score.forward(store, new NDList(out), training, params).singletonOrThrow());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape out = first.getOutputShapes(inputShapes)[0];
        Shape mid = last.getOutputShapes(new Shape[] {out})[0];
        return score == null ? new Shape[] {mid} : score.getOutputShapes(new Shape[] {mid});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        first.initialize(manager, dataType, inputShapes[0]);
        Shape hidden = first.getOutputShapes(inputShapes)[0];
        second.initialize(manager, dataType, hidden);
        third.initialize(manager, dataType, hidden);
        last.initialize(manager, dataType, hidden);
        if (score != null) {
            score.initialize(manager, dataType, last.getOutputShapes(new Shape[] {hidden})[0]);
        }
    }
}
