/**
 * Mult-VAE on Apache Spark, in the shape of Spark ML's ALS: the {@link org.vaecf.spark.MultVae} estimator prepares an
 * interaction log on the cluster and trains on the driver; the {@link org.vaecf.spark.MultVaeModel} recommends on
 * the executors and saves itself as metadata JSON plus core's model bundle.
 *
 * <p>May depend on vaecf-core and Spark (a {@code provided} dependency), and on the sub-packages here; core knows
 * nothing of Spark.
 */
package org.vaecf.spark;
