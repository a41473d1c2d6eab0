/**
 * Sanity and faithfulness checks for explanation maps: cascading model-parameter randomization, deletion and insertion
 * curves, and localization against ground-truth masks (relevance mass, pointing game).
 */
package org.xai4j.sanity;
