/**
 * A seeded generator of implicit-feedback data with planted structure (users mixing a few latent tastes, items with
 * power-law popularity): the embedded default data set of {@code vaecf demo} and of tests that need a model to have
 * something to find. Depends on {@code data}.
 */
package org.vaecf.data.synthetic;
