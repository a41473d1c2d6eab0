/**
 * The {@code xai4j} command line ({@link org.xai4j.cli.Xai4j}): option parsing, progress, output folders and the JSON
 * line each command prints; the work is the library's.
 */
package org.xai4j.cli;
