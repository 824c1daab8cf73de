package io.github.poseshift.nn.adaptpose;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.github.poseshift.nn.PoseTensors;
import io.github.poseshift.skeleton.Skeleton;

/**
 * AdaptPose's RT head (Gholami et al., CVPR 2022, sec. 3.1, "camera"): from the middle frame of the source
 * window and Gaussian noise, one MLP predicts a rotation and another a translation t = (t_x, t_y, t_z²), and
 * every frame of the window to move becomes R·(pose − root) + t: the same 3D motion seen from a new camera,
 * whose root sits at t with a depth that is never negative (optionally never below a base depth). Projecting
 * the result with target-like intrinsics gives the generated 2D input.
 *
 * <p>Input: {@code NDList(source [N, T, J, 3], toMove [N, T, J, 3], noiseR [N, trunk.noise()], noiseT [N,
 * trunk.noise()], axisNoise [N, 3])} (axisNoise: standard normal draws for {@link
 * CameraParameterisation#PROBABILISTIC_AXIS}, ignored otherwise). Output: {@code NDList(moved [N, T, J, 3],
 * rotations [N, 3, 3], translations [N, 3])}.
 */
public final class CameraGenerator extends AbstractBlock {

    private final Skeleton skeleton;
    private final PoseTensors tensors;
    private final GeneratorTrunk trunk;
    private final CameraParameterisation parameterisation;
    private final Block rotationMlp;
    private final Block translationMlp;
    private final float baseDepth;

    /** The RT head for poses of {@code skeleton}, depths t_z² as in the paper. */
    public CameraGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation) {
        this(skeleton, trunk, parameterisation, 0);
    }

    /**
     * The RT head with depths {@code baseDepth} + t_z². The paper's is 0; a positive base (say, the nearest
     * distance of the target's cameras) keeps a freshly initialised head from putting the subject on the
     * camera's centre, where the projection divides by a depth near zero.
     *
     * @throws IllegalArgumentException when baseDepth is negative or not finite
     */
    public CameraGenerator(Skeleton skeleton, GeneratorTrunk trunk, CameraParameterisation parameterisation,
            float baseDepth) {
        if (!(baseDepth >= 0) || Float.isInfinite(baseDepth)) {
            throw new IllegalArgumentException("base depth must be >= 0 and finite, got " + baseDepth);
        }
        this.baseDepth = baseDepth;
        this.skeleton = skeleton;
        this.tensors = new PoseTensors(skeleton);
        this.trunk = trunk;
        this.parameterisation = parameterisation;
        this.rotationMlp = addChildBlock("rotation", trunk.build(parameterisation.outputs()));
        this.translationMlp = addChildBlock("translation", trunk.build(3));
    }

    /** How the rotation is predicted. */
    public CameraParameterisation parameterisation() {
        return parameterisation;
    }

    /**
     * Rotation matrices {@code [N, 3, 3]} from the rotation MLP's outputs {@code [N, parameterisation.outputs()]}
     * and standard normal {@code axisNoise [N, 3]} (used by the probabilistic axis only).
     */
    public static NDArray rotations(CameraParameterisation parameterisation, NDArray outputs, NDArray axisNoise) {
        return switch (parameterisation) {
            case DETERMINISTIC_AXIS -> PoseTensors.rotationMatrices(PoseTensors.directions(outputs.get(":, 0:3")),
                    outputs.get(":, 3:4"));
            case PROBABILISTIC_AXIS -> {
                // axis ~ N(μ, σ²), reparameterised as μ + σ·ε so the gradient reaches μ and σ.
                NDArray mean = outputs.get(":, 0:3");
                NDArray std = outputs.get(":, 3:6").square();
                NDArray axis = PoseTensors.directions(mean.add(std.mul(axisNoise)));
                yield PoseTensors.rotationMatrices(axis, outputs.get(":, 6:7"));
            }
            case QUATERNION -> PoseTensors.quaternionMatrices(outputs);
            case EULER -> PoseTensors.eulerMatrices(outputs);
        };
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray source = inputs.get(0);
        NDArray toMove = inputs.get(1);
        long n = source.getShape().get(0);
        long frames = source.getShape().get(1);
        NDArray middle = source.sub(tensors.root(source)).get(":, " + frames / 2).reshape(n, -1);
        NDArray rotationOut = rotationMlp.forward(store, new NDList(middle.concat(inputs.get(2), 1)), training, params)
                .singletonOrThrow();
        NDArray rotation = rotations(parameterisation, rotationOut, inputs.get(4));
        NDArray t = translationMlp.forward(store, new NDList(middle.concat(inputs.get(3), 1)), training, params)
                .singletonOrThrow();
        // t_z squared: the camera always has the subject in front of it (depth ≥ 0).
        NDArray translation = t.get(":, 0:2").concat(t.get(":, 2:3").square().add(baseDepth), 1);
        NDArray relative = toMove.sub(tensors.root(toMove)); // [N, T, J, 3]
        NDArray turned = rotation.reshape(n, 1, 1, 3, 3).matMul(relative.expandDims(-1)).squeeze(-1);
        return new NDList(turned.add(translation.reshape(n, 1, 1, 3)), rotation, translation);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long n = inputShapes[0].get(0);
        return new Shape[] {inputShapes[1], new Shape(n, 3, 3), new Shape(n, 3)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long n = inputShapes[0].get(0);
        Shape in = new Shape(n, skeleton.numJoints() * 3L + trunk.noise());
        rotationMlp.initialize(manager, dataType, in);
        translationMlp.initialize(manager, dataType, in);
    }
}
