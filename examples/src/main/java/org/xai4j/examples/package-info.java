/**
 * Runnable examples: {@link org.xai4j.examples.Study} (the seed study as one report folder, the default of
 * {@code mvn -pl examples exec:java}), {@link org.xai4j.examples.Explain} (one explanation of one image) and
 * {@link org.xai4j.examples.TrainToyModels} (retrains the embedded toy models).
 */
package org.xai4j.examples;
