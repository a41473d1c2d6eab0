/**
 * Runnable examples: {@link org.xai4j.examples.TrainToyModels} retrains the embedded toy models. The command line
 * is the {@code xai-cli} module; the study is the {@code xai-study} module.
 */
package org.xai4j.examples;
