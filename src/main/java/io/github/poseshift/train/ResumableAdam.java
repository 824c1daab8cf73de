package io.github.poseshift.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.github.poseshift.data.io.FormatException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Adam (Kingma &amp; Ba 2015) with the same update as DJL's {@code Adam} — the engine's fused
 * {@code adamUpdate} with β₁ = 0.9, β₂ = 0.999, ε = 1e-8 and the bias correction folded into the
 * learning rate — but whose moment estimates and step counts can be saved and restored, so a run
 * resumed from a checkpoint continues exactly where it stopped. DJL keeps that state private and keys it
 * by parameter ids that change from one process to the next; here it is saved under the parameters'
 * names in the network, which are stable.
 *
 * <p>The learning rate is set by the training loop ({@link #setLearningRate}); VideoPose3D changes it
 * once per epoch. The state lives on one device (the one the parameters are on).
 */
public final class ResumableAdam extends Optimizer {

    private static final String MAGIC = "poseshift-adam-1";
    private static final float BETA1 = 0.9f;
    private static final float BETA2 = 0.999f;
    private static final float EPSILON = 1e-8f;

    private volatile float learningRate;
    private final Map<String, NDArray> means = new ConcurrentHashMap<>();
    private final Map<String, NDArray> variances = new ConcurrentHashMap<>();
    private final Map<String, Integer> steps = new ConcurrentHashMap<>();

    private ResumableAdam(Builder builder) {
        super(builder);
        learningRate = builder.learningRate;
    }

    /**
     * @param learningRate initial learning rate
     * @param clipGradient clip each gradient element to ±this value, or 0 for none
     */
    public static ResumableAdam create(float learningRate, float clipGradient) {
        Builder builder = new Builder(learningRate);
        if (clipGradient > 0) {
            builder.optClipGrad(clipGradient);
        }
        return new ResumableAdam(builder);
    }

    /** Sets the learning rate of the following updates. */
    public void setLearningRate(float value) {
        if (!(value > 0) || Float.isInfinite(value)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + value);
        }
        learningRate = value;
    }

    /** The current learning rate. */
    public float learningRate() {
        return learningRate;
    }

    @Override
    public void update(String parameterId, NDArray weight, NDArray grad) {
        int t = steps.merge(parameterId, 1, Integer::sum);
        double coef1 = 1.0 - Math.pow(BETA1, t);
        double coef2 = 1.0 - Math.pow(BETA2, t);
        float lr = learningRate;
        float biasCorrected = (float) (lr * Math.sqrt(coef2) / coef1);
        NDArray mean = means.computeIfAbsent(parameterId, k -> weight.zerosLike());
        NDArray variance = variances.computeIfAbsent(parameterId, k -> weight.zerosLike());
        weight.getNDArrayInternal().adamUpdate(new NDList(weight, grad, mean, variance), new NDList(weight), lr,
                biasCorrected, getWeightDecay(), rescaleGrad, clipGrad, BETA1, BETA2, EPSILON, true, false);
    }

    /**
     * Writes the state of every parameter of {@code network} that has been updated, under its name.
     */
    public void save(Block network, DataOutputStream out) throws IOException {
        Map<String, Parameter> named = trainable(network);
        int count = (int) named.values().stream().filter(p -> steps.containsKey(p.getId())).count();
        out.writeUTF(MAGIC);
        out.writeInt(count);
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            String id = e.getValue().getId();
            if (!steps.containsKey(id)) {
                continue;
            }
            out.writeUTF(e.getKey());
            out.writeInt(steps.get(id));
            writeArray(out, means.get(id));
            writeArray(out, variances.get(id));
        }
    }

    /**
     * Restores state written by {@link #save} for the parameters of {@code network}, which must be
     * initialised. Every saved name must exist with the same shape.
     *
     * @param source names the file in error messages
     */
    public void load(Block network, DataInputStream in, String source) throws IOException {
        Map<String, Parameter> named = trainable(network);
        try {
            if (!MAGIC.equals(in.readUTF())) {
                throw new FormatException(source, "not an optimizer state written by PoseShift");
            }
            int count = in.readInt();
            Map<String, Integer> newSteps = new HashMap<>();
            Map<String, NDArray> newMeans = new HashMap<>();
            Map<String, NDArray> newVariances = new HashMap<>();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                Parameter p = named.get(name);
                if (p == null) {
                    throw new FormatException(source, "state for parameter '" + name + "', which the network lacks");
                }
                int t = in.readInt();
                NDArray weight = p.getArray();
                NDArray mean = readArray(in, weight.getManager(), source, name);
                NDArray variance = readArray(in, weight.getManager(), source, name);
                if (t < 1 || !mean.getShape().equals(weight.getShape()) || !variance.getShape().equals(weight.getShape())) {
                    throw new FormatException(source, "state of '" + name + "' has shape " + mean.getShape() + " and "
                            + t + " steps; the parameter has shape " + weight.getShape());
                }
                newSteps.put(p.getId(), t);
                newMeans.put(p.getId(), mean.toDevice(weight.getDevice(), false));
                newVariances.put(p.getId(), variance.toDevice(weight.getDevice(), false));
            }
            steps.clear();
            steps.putAll(newSteps);
            means.values().forEach(NDArray::close);
            variances.values().forEach(NDArray::close);
            means.clear();
            means.putAll(newMeans);
            variances.clear();
            variances.putAll(newVariances);
        } catch (java.io.EOFException e) {
            throw new FormatException(source, "truncated optimizer state", e);
        }
    }

    private static Map<String, Parameter> trainable(Block network) {
        Map<String, Parameter> named = new LinkedHashMap<>();
        for (Pair<String, Parameter> pair : network.getParameters()) {
            if (pair.getValue().requiresGradient()) {
                named.put(pair.getKey(), pair.getValue());
            }
        }
        return named;
    }

    private static void writeArray(DataOutputStream out, NDArray array) throws IOException {
        byte[] bytes = array.encode();
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static NDArray readArray(DataInputStream in, NDManager manager, String source, String name) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > (1 << 30)) {
            throw new FormatException(source, "corrupt optimizer state for '" + name + "' (length " + length + ")");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new FormatException(source, "truncated optimizer state for '" + name + "'");
        }
        try {
            return NDArray.decode(manager, bytes);
        } catch (RuntimeException e) {
            throw new FormatException(source, "corrupt optimizer state for '" + name + "': "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** Builder required by DJL's optimizer base class. */
    private static final class Builder extends OptimizerBuilder<Builder> {
        private final float learningRate;

        Builder(float learningRate) {
            if (!(learningRate > 0)) {
                throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
            }
            this.learningRate = learningRate;
        }

        @Override
        protected Builder self() {
            return this;
        }
    }
}
