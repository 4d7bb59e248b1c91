/**
 * Mult-VAE and Mult-DAE: their configuration, the network assembled from {@code nn} layers, the immutable trained
 * model (config, item index, weights, provenance) and the prediction-mode scorer. Depends on {@code nn}, {@code linalg}
 * and {@code data}.
 */
package org.vaecf.model;
