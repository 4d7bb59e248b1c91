/**
 * Mult-VAE and Mult-DAE: their configuration, the network assembled from {@code nn} layers, the immutable trained
 * model (config, item index, weights, provenance) and the prediction-mode scorer, whose snapshots keep their own copy
 * of the output layer: packed for small batches, transposed for OpenBLAS for large ones. Depends on {@code nn}, {@code linalg}
 * and {@code data}.
 */
package org.vaecf.model;
