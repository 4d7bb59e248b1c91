/**
 * Recommending on the executors: the model in broadcastable form, a pool of prediction networks per executor, and
 * the partition function that scores rows a block at a time with core's {@code ModelScorer} and {@code TopK}.
 *
 * <p>May depend on core's {@code model}, {@code linalg} and {@code data} packages and on Spark; never on training.
 */
package org.vaecf.spark.score;
