/**
 * Throughput of dataset jobs on Spark against the single-JVM loop over the same images.
 */
package org.xai4j.spark.bench;
