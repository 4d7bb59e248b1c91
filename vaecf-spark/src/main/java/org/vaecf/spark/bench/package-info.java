/**
 * Throughput measurement of distributed recommending against core's batch recommender, run with {@code spark-submit}.
 *
 * <p>May depend on everything in vaecf-spark and on core.
 */
package org.vaecf.spark.bench;
