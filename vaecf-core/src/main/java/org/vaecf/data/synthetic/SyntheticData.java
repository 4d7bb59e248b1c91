package org.vaecf.data.synthetic;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.vaecf.data.Interactions;
import org.vaecf.data.ReadReport;

/**
 * Generates a click log with structure a recommender can find and popularity alone cannot.
 *
 * <p>The generative story, all draws from one {@link SplittableRandom} seeded with {@link Settings#seed()}:
 * <ol>
 *   <li>Items: each item belongs to one of {@code tastes} clusters (uniformly at random) and has a popularity weight
 *       {@code 1 / rank^popularityExponent} for a random rank — a power law, as real catalogues have.
 *   <li>Users: each user mixes 1 to {@code maxTastesPerUser} tastes with random weights, and clicks
 *       {@code n = minClicks + ⌊Pareto⌋} distinct items (heavy-tailed activity, mean about {@code meanClicks}).
 *   <li>Clicks: with probability {@code 1 − noise} a click picks a taste from the user's mix and then an item of that
 *       taste in proportion to popularity; otherwise any item in proportion to popularity.
 * </ol>
 * Two users who share a taste thus share items beyond the globally popular ones, which is what an autoencoder learns
 * and a popularity ranking misses. Users and items are named {@code u<index>} and {@code i<index>}; clicks carry no
 * rating (implicit feedback) and a timestamp equal to their position in the user's sequence.
 */
public final class SyntheticData {
  /**
   * Generator settings.
   *
   * @param users number of users, {@code > 0}
   * @param items number of items, {@code > 0}
   * @param tastes number of latent tastes, in [1, items]
   * @param maxTastesPerUser most tastes a user mixes, {@code >= 1}
   * @param minClicks fewest clicks per user, {@code >= 1}
   * @param meanClicks mean clicks per user, {@code >= minClicks}
   * @param popularityExponent exponent of the power-law item popularity, {@code >= 0}
   * @param noise probability that a click ignores the user's tastes, in [0, 1]
   * @param seed seed of every draw
   */
  public record Settings(
      int users,
      int items,
      int tastes,
      int maxTastesPerUser,
      int minClicks,
      double meanClicks,
      double popularityExponent,
      double noise,
      long seed) {
    public Settings {
      if (users <= 0) {
        throw new IllegalArgumentException("users must be > 0, got " + users);
      }
      if (items <= 0) {
        throw new IllegalArgumentException("items must be > 0, got " + items);
      }
      if (tastes < 1 || tastes > items) {
        throw new IllegalArgumentException("tastes must be in [1, items], got " + tastes);
      }
      if (maxTastesPerUser < 1) {
        throw new IllegalArgumentException("maxTastesPerUser must be >= 1, got " + maxTastesPerUser);
      }
      if (minClicks < 1 || minClicks > items) {
        throw new IllegalArgumentException("minClicks must be in [1, items], got " + minClicks);
      }
      if (!(meanClicks >= minClicks)) {
        throw new IllegalArgumentException("meanClicks must be >= minClicks, got " + meanClicks);
      }
      if (!(popularityExponent >= 0)) {
        throw new IllegalArgumentException("popularityExponent must be >= 0, got " + popularityExponent);
      }
      if (!(noise >= 0 && noise <= 1)) {
        throw new IllegalArgumentException("noise must be in [0, 1], got " + noise);
      }
    }

    /**
     * The demo's data set: 4,000 users, 2,500 items, 25 tastes, up to 3 per user, at least 5 and on average 30
     * clicks, popularity exponent 0.8, 15% noise, seed 20180423 (the paper's conference week).
     */
    public static Settings demo() {
      return new Settings(4_000, 2_500, 25, 3, 5, 30.0, 0.8, 0.15, 20180423L);
    }

    /** A copy with another seed. */
    public Settings withSeed(long newSeed) {
      return new Settings(
          users, items, tastes, maxTastesPerUser, minClicks, meanClicks, popularityExponent, noise, newSeed);
    }

    /** A copy with other user and item counts. */
    public Settings withSize(int newUsers, int newItems) {
      return new Settings(
          newUsers, newItems, tastes, maxTastesPerUser, minClicks, meanClicks, popularityExponent, noise, seed);
    }
  }

  private final Settings settings;

  /** A generator for {@code settings}. */
  public SyntheticData(Settings settings) {
    this.settings = settings;
  }

  /** Generates the log; the same settings always give the same log. */
  public Interactions generate() {
    SplittableRandom random = new SplittableRandom(settings.seed());
    int items = settings.items();
    int[] taste = new int[items];
    double[] weight = new double[items];
    int[] ranks = shuffledRange(items, random);
    for (int i = 0; i < items; i++) {
      taste[i] = random.nextInt(settings.tastes());
      weight[i] = 1.0 / Math.pow(ranks[i] + 1, settings.popularityExponent());
    }
    Sampler global = Sampler.over(weight, i -> true);
    Sampler[] byTaste = new Sampler[settings.tastes()];
    for (int t = 0; t < settings.tastes(); t++) {
      final int current = t;
      byTaste[t] = Sampler.over(weight, i -> taste[i] == current);
    }

    Interactions.Builder builder = new Interactions.Builder(false, true);
    boolean[] clicked = new boolean[items];
    int[] userItems = new int[items];
    // Lomax (Pareto II) excess with shape 2 has mean equal to its scale, so minClicks + excess averages meanClicks
    // (slightly less after rounding down and the cap at half the catalogue).
    double paretoScale = settings.meanClicks() - settings.minClicks();
    for (int u = 0; u < settings.users(); u++) {
      int mixSize = 1 + random.nextInt(settings.maxTastesPerUser());
      int[] mix = new int[mixSize];
      double[] mixWeights = new double[mixSize];
      for (int m = 0; m < mixSize; m++) {
        mix[m] = random.nextInt(settings.tastes());
        mixWeights[m] = 0.2 + random.nextDouble();
      }
      double excess = paretoScale * (1.0 / Math.sqrt(1.0 - random.nextDouble()) - 1.0);
      int clicks = (int) Math.min(items / 2.0, settings.minClicks() + Math.floor(excess));
      clicks = Math.max(clicks, Math.min(settings.minClicks(), items));
      int count = 0;
      int attempts = 0;
      while (count < clicks && attempts < clicks * 50) {
        attempts++;
        Sampler sampler =
            random.nextDouble() < settings.noise() ? global : byTaste[mix[pick(mixWeights, random)]];
        int item = sampler.sample(random);
        if (item >= 0 && !clicked[item]) {
          clicked[item] = true;
          userItems[count++] = item;
        }
      }
      for (int c = 0; c < count; c++) {
        builder.add("u" + u, "i" + userItems[c], Float.NaN, c);
        clicked[userItems[c]] = false;
      }
    }
    return builder.build(
        new ReadReport(List.of("synthetic:" + settings), builder.size(), 0, builder.duplicatePairs()));
  }

  private static int[] shuffledRange(int n, SplittableRandom random) {
    int[] values = new int[n];
    Arrays.setAll(values, i -> i);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  private static int pick(double[] weights, SplittableRandom random) {
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double target = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      target -= weights[i];
      if (target < 0) {
        return i;
      }
    }
    return weights.length - 1;
  }

  /** Draws an item in proportion to its weight among a subset, by binary search over cumulative weights. */
  private static final class Sampler {
    private final int[] members;
    private final double[] cumulative;

    private Sampler(int[] members, double[] cumulative) {
      this.members = members;
      this.cumulative = cumulative;
    }

    static Sampler over(double[] weight, java.util.function.IntPredicate include) {
      int[] members = java.util.stream.IntStream.range(0, weight.length).filter(include).toArray();
      double[] cumulative = new double[members.length];
      double sum = 0;
      for (int k = 0; k < members.length; k++) {
        sum += weight[members[k]];
        cumulative[k] = sum;
      }
      return new Sampler(members, cumulative);
    }

    /** An item index, or −1 when the subset is empty. */
    int sample(SplittableRandom random) {
      if (members.length == 0) {
        return -1;
      }
      double target = random.nextDouble() * cumulative[cumulative.length - 1];
      int position = Arrays.binarySearch(cumulative, target);
      int k = position >= 0 ? position + 1 : -position - 1;
      return members[Math.min(k, members.length - 1)];
    }
  }
}
