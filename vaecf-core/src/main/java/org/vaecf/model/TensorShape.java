package org.vaecf.model;

/**
 * The name and shape of one parameter tensor.
 *
 * @param name e.g. {@code decoder.1.weight}
 * @param rows rows (fan-in of a weight, 1 for a bias)
 * @param cols columns (fan-out)
 */
public record TensorShape(String name, int rows, int cols) {}
