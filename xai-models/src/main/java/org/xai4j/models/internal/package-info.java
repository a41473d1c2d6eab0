/**
 * Implementation details of xai-models (keeping DL4J off the caller's random state); not part of the public API and
 * not imported by any other module (ModuleBoundariesTest checks it).
 */
package org.xai4j.models.internal;
