/**
 * VGGEmotion by transfer learning from VGGFace: {@link org.xai4j.models.transfer.EmotionTransfer} builds the network
 * (frozen VGGFace body, re-initialized last convolution, batch normalization + dropout + softmax head), and
 * {@link org.xai4j.models.transfer.FineTuner} trains it on a labelled image folder with early stopping.
 */
package org.xai4j.models.transfer;
