/**
 * Side-by-side comparison of recommenders on one prepared split: Mult-VAE, Mult-DAE, EASE and popularity are each fitted
 * on the training users, tuned on the validation users, and measured on the same test users. Depends on {@code train},
 * {@code baseline}, {@code eval}, {@code model} and {@code data}.
 */
package org.vaecf.compare;
