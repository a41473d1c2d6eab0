/**
 * Every explanation method by name ({@code ig}, {@code gradcam}, ...), configured from plain options into an explainer
 * that produces one raw map per image: what command lines and configuration files use.
 */
package org.xai4j.explainers;
