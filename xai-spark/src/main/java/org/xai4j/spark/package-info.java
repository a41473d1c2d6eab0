/**
 * Explains whole image datasets on Apache Spark with any method of xai4j: per-image Parquet rows, per-class
 * aggregates (the study's spike totals at dataset scale, mean maps, accuracy), an errors table and optional raw
 * {@code .npy} maps, with the model loaded once per executor JVM.
 */
package org.xai4j.spark;
