/**
 * Argument checks, memory release, perturbed inputs and the Gaussian blur used inside xai-core; not part of the public
 * API and not imported by any other module (ModuleBoundariesTest checks it). The checks and seeded random arrays that
 * the engine needs too are public in xai-engine ({@code org.xai4j.engine.InputChecks},
 * {@code org.xai4j.engine.RandomArrays}).
 */
package org.xai4j.internal;
