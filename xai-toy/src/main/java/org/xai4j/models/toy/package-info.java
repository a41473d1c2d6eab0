/**
 * The embedded toy world: procedural, seeded image generators with ground-truth masks.
 *
 * <p>No pretrained VGG weights can be downloaded in the environments xai4j is developed in, so the
 * project trains small VGG-style networks on two synthetic worlds and explains those instead:
 *
 * <ul>
 *   <li>{@link org.xai4j.models.toy.ObjectWorld} &mdash; the stand-in for ImageNet/VGG16: six object
 *       classes ({@link org.xai4j.models.toy.ObjectClass}) drawn with color, texture, position, scale
 *       and rotation variation over a cluttered background; the mask is the object's pixels.</li>
 *   <li>{@link org.xai4j.models.toy.FaceWorld} &mdash; the stand-in for the VGGFace and VGGEmotion
 *       datasets: eight cartoon identities crossed with the seven {@link org.xai4j.models.toy.Emotion}s,
 *       labelled by identity or by emotion ({@link org.xai4j.models.toy.FaceTask}); masks for the
 *       face, eyes, eyebrows and mouth.</li>
 * </ul>
 *
 * <p>Every world is a pure function of {@code (seed, index)}: the {@code i}-th sample is rendered from
 * a random stream derived from the seed and {@code i} alone, so it does not depend on which samples
 * were generated before, and train/validation/test splits are simply disjoint index ranges. Labels
 * cycle with the index, which makes every contiguous range of {@code numClasses()} samples perfectly
 * balanced. Images are drawn with antialiased Java2D (headless-safe) and exposed as float CHW pixels
 * in {@code [0, 1]} ({@link org.xai4j.models.toy.ToySample}); {@link org.xai4j.models.toy.ToyDataset}
 * converts a batch to ND4J NCHW features and one-hot labels, and
 * {@link org.xai4j.models.toy.ContactSheet} renders samples for visual inspection.
 */
package org.xai4j.models.toy;
