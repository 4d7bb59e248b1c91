/**
 * The paper's strong-generalization split as DataFrame operations, equal to core's {@code StrongGeneralizationSplitter}
 * on the same log: filtering, user ordering and item indexing on the cluster; only compact results (a permutation
 * entry per user, the item list, the training matrix, the held-out users) gathered on the driver.
 *
 * <p>May depend on core's {@code data} packages, Spark SQL and {@code org.vaecf.spark.score} (for id types).
 */
package org.vaecf.spark.prepare;
