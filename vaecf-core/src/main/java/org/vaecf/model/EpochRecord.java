package org.vaecf.model;

/**
 * What one training epoch did.
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch's batches (NLL + β·KL + λ·ΣW²)
 * @param nll mean negative multinomial log-likelihood per user
 * @param kl mean KL divergence per user (0 for Mult-DAE)
 * @param beta KL weight at the epoch's last step
 * @param validation validation metric after the epoch (NaN when there are no validation users)
 * @param seconds wall-clock seconds of training and validation
 * @param learningRate Adam's learning rate
 * @param steps total optimiser steps at the end of the epoch
 */
public record EpochRecord(
    int epoch,
    double loss,
    double nll,
    double kl,
    double beta,
    double validation,
    double seconds,
    double learningRate,
    long steps) {}
