/**
 * Hand-written layers with {@code forward(input, training)} and {@code backward(gradOutput)}: the sparse first layer,
 * dense linear and tanh layers, dropout and the reparameterization that read the training flag, and the losses
 * (multinomial log-likelihood, Gaussian KL). Depends on {@code linalg} and {@code data}.
 */
package org.vaecf.nn;
