/**
 * Hand-written layers with {@code forward(input, training)} and {@code backward(gradOutput)}: the sparse first layer,
 * dense linear and tanh layers, dropout and the reparameterization that read the training flag, the losses
 * (multinomial log-likelihood, Gaussian KL), and the output layer fused with the likelihood for training. Layers may
 * hand a weight's gradient to an optimiser as they compute it ({@link org.vaecf.nn.ColumnBlockUpdate},
 * {@link org.vaecf.nn.RowUpdate}) instead of storing it. Depends on {@code linalg} and {@code data}.
 */
package org.vaecf.nn;
