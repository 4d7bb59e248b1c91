/**
 * Turning an interaction log into train / validation / test data: binarisation, filtering, the paper's
 * strong-generalization split (with a bit-exact NumPy legacy RNG), per-user splits, and the prepared-data directory.
 * Depends on {@code data}, and on Jackson for {@code stats.json}.
 */
package org.vaecf.data.split;
