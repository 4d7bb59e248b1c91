/**
 * Training: the configuration, Adam, the KL annealing schedule and the trainer that turns prepared data into an
 * immutable {@link org.vaecf.model.TrainedModel}, validating every epoch. Depends on {@code model}, {@code eval},
 * {@code nn}, {@code linalg} and {@code data}.
 */
package org.vaecf.train;
