/**
 * Files between the driver's disk and any Hadoop file system, so core's model bundle can be stored where Spark stores
 * models.
 *
 * <p>May depend on Hadoop's file system API (through Spark) only.
 */
package org.vaecf.spark.io;
