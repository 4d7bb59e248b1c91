/**
 * JMH benchmarks of the training step's kernels at ML-20M's shape (batch 500, 20,108 items, 600 hidden units): the
 * sparse first layer, softmax with the multinomial gradient, tanh, Adam (against a plain copy of the same bytes) and
 * top-k selection. Run with {@code ./vaecf bench kernels}.
 */
package org.vaecf.bench.jmh;
