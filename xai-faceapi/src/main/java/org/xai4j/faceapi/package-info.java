/**
 * face-api's trained face networks as xai4j models: the TensorFlow.js weights of {@code @vladmandic/face-api} 1.7.15
 * (MIT) read by {@link org.xai4j.faceapi.TfjsWeights}, the architectures built as engine graphs
 * ({@link org.xai4j.faceapi.FaceApiModels}: {@code faceapi:expression}, {@code faceapi:landmarks},
 * {@code faceapi:recognition}, {@code faceapi:age-gender}, {@code faceapi:detector}), face detection and alignment
 * from photographs as face-api does them ({@link org.xai4j.faceapi.FaceDetector},
 * {@link org.xai4j.faceapi.FaceAnalyzer}, {@link org.xai4j.faceapi.FaceInputs}), and the identity objective
 * ({@link org.xai4j.faceapi.DescriptorSimilarity}). Tests compare every output with face-api's own, recorded by
 * {@code src/test/node/make_reference.js}.
 */
package org.xai4j.faceapi;
