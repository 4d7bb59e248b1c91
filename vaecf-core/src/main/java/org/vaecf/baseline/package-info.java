/**
 * Baselines that Mult-VAE is compared with, behind the evaluation interface {@link org.vaecf.eval.BatchScorer}: EASE
 * (Steck, WWW 2019; closed form through LAPACK from the same OpenBLAS) with its L2 weight chosen on validation users.
 * Item popularity lives in {@code eval} ({@link org.vaecf.eval.PopularityScorer}). Depends on {@code data},
 * {@code eval} and OpenBLAS.
 */
package org.vaecf.baseline;
