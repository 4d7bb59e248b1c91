/**
 * Runnable programs for {@code spark-submit} that show the API end to end.
 *
 * <p>May depend on everything in vaecf-spark.
 */
package org.vaecf.spark.examples;
