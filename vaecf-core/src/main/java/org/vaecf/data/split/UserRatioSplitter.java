package org.vaecf.data.split;

import java.util.Objects;
import org.vaecf.data.Interactions;

/**
 * A per-user random split for those who want every user in training: after the rating threshold and the user
 * filter, each user's interactions are shuffled — users visited in groupby order ({@link UserOrder}), the generator
 * seeded once, {@code permutation(n)} per user over the user's interactions in file order — and the first
 * {@code (int) (testProportion · n)} go to test, the next {@code (int) (validationProportion · n)} to validation, the
 * rest to training. See {@link PerUserSplitAssembler} for how the parts become {@link PreparedData}: validation and
 * test users fold in their training items and must predict their validation (test) items.
 */
public final class UserRatioSplitter implements Splitter {
  private final UserRatioConfig config;

  public UserRatioSplitter(UserRatioConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  @Override
  public PreparedData split(Interactions data) {
    FilteredInteractions filtered = FilteredInteractions.apply(data, config);
    int[] ordered = UserOrder.sorted(data.users(), filtered.keptUsers());
    PerUserSplitAssembler.requireUsers(ordered.length, config);
    SplitRandom rng = config.rng().create(config.seed());
    byte[] role = new byte[data.size()];
    for (int u : ordered) {
      int n = filtered.rowCount(u);
      int[] permutation = rng.permutation(n);
      int tests = (int) (config.testProportion() * n);
      int validations = (int) (config.validationProportion() * n);
      for (int i = 0; i < n; i++) {
        role[filtered.row(u, permutation[i])] = i < tests
            ? PerUserSplitAssembler.TEST
            : i < tests + validations ? PerUserSplitAssembler.VALIDATION : PerUserSplitAssembler.TRAIN;
      }
    }
    return PerUserSplitAssembler.assemble(filtered, ordered, role, config);
  }
}
