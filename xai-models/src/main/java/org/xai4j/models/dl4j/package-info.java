/**
 * DL4J model zips written by {@code ModelSerializer} ({@code MultiLayerNetwork} or {@code ComputationGraph}), such as
 * a VGGEmotion network saved after fine-tuning.
 */
package org.xai4j.models.dl4j;
