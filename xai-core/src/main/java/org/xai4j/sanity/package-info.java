/**
 * Sanity and faithfulness checks for explanation maps: cascading model-parameter randomisation, deletion and insertion
 * curves, and localisation against ground-truth masks (relevance mass, pointing game).
 */
package org.xai4j.sanity;
