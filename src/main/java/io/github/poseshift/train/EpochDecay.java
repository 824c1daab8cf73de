package io.github.poseshift.train;

import ai.djl.training.tracker.Tracker;

/**
 * VideoPose3D's learning-rate schedule: the base rate multiplied by {@code decay} after every epoch
 * (1e-3 and 0.95 in the paper), constant within an epoch.
 */
public final class EpochDecay implements Tracker {

    private final float base;
    private final float decay;
    private final int stepsPerEpoch;

    /** @param stepsPerEpoch optimiser steps in one epoch */
    public EpochDecay(float base, float decay, int stepsPerEpoch) {
        if (!(base > 0) || !(decay > 0 && decay <= 1) || stepsPerEpoch < 1) {
            throw new IllegalArgumentException("invalid schedule: base " + base + ", decay " + decay + ", "
                    + stepsPerEpoch + " steps per epoch");
        }
        this.base = base;
        this.decay = decay;
        this.stepsPerEpoch = stepsPerEpoch;
    }

    @Override
    public float getNewValue(int numUpdate) {
        return (float) (base * Math.pow(decay, numUpdate / stepsPerEpoch));
    }
}
