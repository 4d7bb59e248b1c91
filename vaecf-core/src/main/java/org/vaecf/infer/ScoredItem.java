package org.vaecf.infer;

/**
 * One recommended item.
 *
 * @param id raw item id
 * @param score the model's probability of the item under the user's multinomial, {@code softmax(logits)_i} over all
 *     items (so scores of one user are comparable and sum to at most 1)
 */
public record ScoredItem(String id, double score) {}
