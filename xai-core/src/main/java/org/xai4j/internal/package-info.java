/** Argument checks shared by the xai4j modules; not part of the public API. */
package org.xai4j.internal;
