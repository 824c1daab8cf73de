package io.github.poseshift.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Locale;

/** The device to train on: a GPU when the engine sees one, else the CPU, or what the user forces. */
public final class Devices {

    private Devices() {}

    /**
     * @param requested {@code auto}, {@code cpu} or {@code gpu}
     * @throws IllegalArgumentException for {@code gpu} on a machine without one, or an unknown name
     */
    public static Device choose(String requested) {
        int gpus = Engine.getInstance().getGpuCount();
        return switch (requested.toLowerCase(Locale.ROOT)) {
            case "auto" -> gpus > 0 ? Device.gpu() : Device.cpu();
            case "cpu" -> Device.cpu();
            case "gpu", "cuda" -> {
                if (gpus == 0) {
                    throw new IllegalArgumentException("--device gpu: the engine sees no GPU (CPU natives, or no CUDA"
                            + " driver); build with POSESHIFT_MAVEN_ARGS=-Pcuda on an NVIDIA machine");
                }
                yield Device.gpu();
            }
            default -> throw new IllegalArgumentException("unknown device '" + requested + "'; use auto, cpu or gpu");
        };
    }
}
