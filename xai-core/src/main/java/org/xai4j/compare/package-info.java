/**
 * Comparing networks that share layer names (e.g. VGGFace and VGGEmotion): spike vectors, their Pearson and Spearman
 * correlations, rank changes of neurons and aligned activation maps.
 */
package org.xai4j.compare;
