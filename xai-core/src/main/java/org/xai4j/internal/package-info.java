/**
 * Argument checks, memory release, seeded random arrays and the Gaussian blur used inside xai-core; not part of the
 * public API and not imported by any other module (ModuleBoundariesTest checks it).
 */
package org.xai4j.internal;
