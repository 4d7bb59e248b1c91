/**
 * Recommendations from a trained model for any list of items, by fold-in through the encoder (no retraining for new
 * users): scores by the deterministic µ path, top-N with exclusions and candidate sets, unknown ids reported;
 * concurrent requests are micro-batched into one matrix product. Depends on {@code model}, {@code linalg} and
 * {@code data}.
 */
package org.vaecf.infer;
