/**
 * The executor side of {@link org.xai4j.spark.DatasetExplainer}: the per-JVM model cache, the partition function and
 * the row layouts. Not API.
 */
package org.xai4j.spark.internal;
