/**
 * The DL4J model zoo's pretrained VGG16 ({@code org.deeplearning4j.zoo.model.VGG16}, ImageNet or VGGFace weights), read
 * from the zoo's local cache only: offline it fails at once, saying which file to place where.
 */
package org.xai4j.models.zoo;
