package org.vaecf.data.split;

/**
 * Counts describing a prepared data set, written to {@code stats.json} by {@code prepare}.
 *
 * @param trainUsers users in the training matrix
 * @param items items in the item index (the items of the training users)
 * @param trainInteractions non-zeros of the training matrix
 * @param validationUsers held-out users for validation
 * @param testUsers held-out users for test
 * @param validationFoldInInteractions non-zeros of the validation fold-in matrix
 * @param validationHeldOutInteractions non-zeros of the validation held-out matrix
 * @param testFoldInInteractions non-zeros of the test fold-in matrix
 * @param testHeldOutInteractions non-zeros of the test held-out matrix
 * @param linesRead data lines read from the sources
 * @param skippedLines malformed lines skipped
 * @param duplicatePairs repeated (user, item) pairs merged
 * @param interactionsAfterFilter interactions left after the rating threshold and the user filter
 * @param usersAfterFilter users left after the rating threshold and the user filter
 * @param unseenItemInteractions validation and test interactions dropped because their item is not in the training
 *     item index (the model has no column for it)
 * @param droppedEvaluationUsers validation and test users left out because nothing of theirs remained once those
 *     interactions were dropped
 */
public record PreparationStats(
    int trainUsers,
    int items,
    long trainInteractions,
    int validationUsers,
    int testUsers,
    long validationFoldInInteractions,
    long validationHeldOutInteractions,
    long testFoldInInteractions,
    long testHeldOutInteractions,
    long linesRead,
    long skippedLines,
    long duplicatePairs,
    long interactionsAfterFilter,
    int usersAfterFilter,
    long unseenItemInteractions,
    int droppedEvaluationUsers) {

  /** Stats without the dropped-interaction counts (both zero), for data assembled by hand. */
  public PreparationStats(
      int trainUsers,
      int items,
      long trainInteractions,
      int validationUsers,
      int testUsers,
      long validationFoldInInteractions,
      long validationHeldOutInteractions,
      long testFoldInInteractions,
      long testHeldOutInteractions,
      long linesRead,
      long skippedLines,
      long duplicatePairs,
      long interactionsAfterFilter,
      int usersAfterFilter) {
    this(trainUsers, items, trainInteractions, validationUsers, testUsers, validationFoldInInteractions,
        validationHeldOutInteractions, testFoldInInteractions, testHeldOutInteractions, linesRead, skippedLines,
        duplicatePairs, interactionsAfterFilter, usersAfterFilter, 0, 0);
  }
}
