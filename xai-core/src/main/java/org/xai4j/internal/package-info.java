/** Argument checks, memory release and random-state helpers shared by the xai4j modules; not part of the public API. */
package org.xai4j.internal;
