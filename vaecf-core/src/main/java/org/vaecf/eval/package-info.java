/**
 * Offline evaluation of top-k recommendations: top-k selection over score rows, ranking metrics (NDCG, Recall, …),
 * the batched {@link org.vaecf.eval.Evaluator} with its model-side {@link org.vaecf.eval.BatchScorer}, and a
 * popularity baseline. Depends only on {@code org.vaecf.data}.
 */
package org.vaecf.eval;
