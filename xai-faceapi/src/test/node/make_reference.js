/*
 * Records face-api's own outputs on the committed fixture photographs, for xai-faceapi's parity tests.
 *
 * Run (Node 20, network only for `npm ci`):
 *   cd xai-faceapi/src/test/node && npm ci && node make_reference.js
 * It reads the weights from ../../main/resources/org/xai4j/faceapi/model/ (the files shipped with xai-faceapi, copied
 * unchanged from @vladmandic/face-api 1.7.15's model/ folder) and the photographs from
 * ../../main/resources/org/xai4j/faceapi/photos/, and writes ../resources/org/xai4j/faceapi/reference.json.
 *
 * TensorFlow.js runs on its pure-JavaScript "cpu" backend (no native download). Photos are PNG, decoded by pngjs, so
 * that Java's ImageIO reads exactly the same pixels (a JPEG decoder's rounding would differ between the two).
 * face-api's ESM builds fail under Node 20 (missing TextEncoder, unresolved imports); the CommonJS node-wasm build
 * takes @tensorflow/tfjs from the outside, so the tensors made here are the ones face-api computes with.
 */
'use strict';
const fs = require('fs');
const path = require('path');
const tf = require('@tensorflow/tfjs');
require('@tensorflow/tfjs-backend-wasm');
const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js');
const { PNG } = require('pngjs');

const RES = path.join(__dirname, '..', '..', 'main', 'resources', 'org', 'xai4j', 'faceapi');
const MODEL_DIR = path.join(RES, 'model');
const PHOTO_DIR = path.join(RES, 'photos');
const OUT = path.join(__dirname, '..', 'resources', 'org', 'xai4j', 'faceapi', 'reference.json');
const PHOTOS = ['sample1.png', 'sample2.png', 'sample3.png', 'sample4.png', 'sample5.png', 'sample6.png'];
const DETECTOR_INPUT_SIZE = 416;
const DETECTOR_SCORE_THRESHOLD = 0.5;

function loadNet(net, name) {
  const manifest = JSON.parse(fs.readFileSync(path.join(MODEL_DIR, `${name}-weights_manifest.json`)));
  const buffers = manifest[0].paths.map((p) => fs.readFileSync(path.join(MODEL_DIR, p)));
  const bytes = Buffer.concat(buffers);
  net.loadFromWeightMap(tf.io.decodeWeights(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
    manifest[0].weights));
}

function readPng(file) {
  const png = PNG.sync.read(fs.readFileSync(file));
  const rgb = new Int32Array(png.width * png.height * 3);
  for (let i = 0, j = 0; i < png.data.length; i += 4, j += 3) {
    rgb[j] = png.data[i]; rgb[j + 1] = png.data[i + 1]; rgb[j + 2] = png.data[i + 2];
  }
  return tf.tensor3d(rgb, [png.height, png.width, 3], 'int32');
}

// A deterministic, high-frequency test pattern at a network's own input size: no resizing on either side.
function pattern(size) {
  const values = new Int32Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const k = (y * size + x) * 3;
      values[k] = (x * 7 + y * 3) % 256;
      values[k + 1] = (x * 2 + y * 5 + 40) % 256;
      values[k + 2] = Math.round(127.5 + 127.5 * Math.sin((x + 2 * y) / 9));
    }
  }
  return tf.tensor3d(values, [size, size, 3], 'int32');
}

const arr = (t) => Array.from(t.dataSync());
const rect = (b) => ({ x: b.x, y: b.y, width: b.width, height: b.height });

async function rawOutputs(input) {
  const nets = faceapi.nets;
  return tf.tidy(() => {
    const expression = arr(nets.faceExpressionNet.forwardInput(new faceapi.NetInput([input])));
    const landmarksRaw = arr(nets.faceLandmark68Net.runNet(new faceapi.NetInput([input])));
    const descriptor = arr(nets.faceRecognitionNet.forwardInput(new faceapi.NetInput([input])));
    const ag = nets.ageGenderNet.forwardInput(new faceapi.NetInput([input]));
    return { expression, landmarksRaw, descriptor, age: arr(ag.age)[0], gender: arr(ag.gender) };
  });
}

async function main() {
  await tf.setBackend('cpu');
  await tf.ready();
  loadNet(faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model');
  loadNet(faceapi.nets.faceLandmark68Net, 'face_landmark_68_model');
  loadNet(faceapi.nets.faceExpressionNet, 'face_expression_model');
  loadNet(faceapi.nets.faceRecognitionNet, 'face_recognition_model');
  loadNet(faceapi.nets.ageGenderNet, 'age_gender_model');

  const out = {
    generator: 'xai-faceapi/src/test/node/make_reference.js',
    versions: { faceapi: faceapi.version, tfjs: tf.version.tfjs, backend: tf.getBackend(), node: process.version },
    detector: { inputSize: DETECTOR_INPUT_SIZE, scoreThreshold: DETECTOR_SCORE_THRESHOLD },
    patterns: {},
    photos: [],
  };
  for (const size of [112, 150]) {
    const t = pattern(size);
    out.patterns[String(size)] = await rawOutputs(t);
    t.dispose();
  }
  const gray = tf.fill([112, 112, 3], 128, 'int32');
  out.patterns.gray112 = await rawOutputs(gray);
  gray.dispose();

  const options = new faceapi.TinyFaceDetectorOptions({ inputSize: DETECTOR_INPUT_SIZE, scoreThreshold: DETECTOR_SCORE_THRESHOLD });
  for (const name of PHOTOS) {
    const image = readPng(path.join(PHOTO_DIR, name));
    const [height, width] = image.shape;
    const detectorOutput = tf.tidy(() => arr(faceapi.nets.tinyFaceDetector.forwardInput(
      new faceapi.NetInput([image]), DETECTOR_INPUT_SIZE)));
    const results = await faceapi.detectAllFaces(image, options)
      .withFaceLandmarks().withFaceExpressions().withAgeAndGender().withFaceDescriptors();
    const faces = results.map((r) => ({
      score: r.detection.score,
      box: rect(r.detection.box),
      relativeBox: rect(r.detection.relativeBox),
      landmarkCrop: rect(r.detection.box.clipAtImageBorders(width, height)),
      landmarks: r.landmarks.positions.map((p) => [p.x, p.y]),
      alignedBox: rect(r.alignedRect.box),
      alignedCrop: rect(r.alignedRect.box.clipAtImageBorders(width, height)),
      // face-api computes descriptors on the dlib-style alignment box, not on alignedRect
      descriptorBox: rect(r.landmarks.align(null, { useDlibAlignment: true })),
      descriptorCrop: rect(new faceapi.Box(r.landmarks.align(null, { useDlibAlignment: true }))
        .clipAtImageBorders(width, height)),
      expressions: faceapi.FACE_EXPRESSION_LABELS.map((l) => r.expressions[l]),
      descriptor: Array.from(r.descriptor),
      age: r.age,
      gender: r.gender,
      genderProbability: r.genderProbability,
    }));
    out.photos.push({ name, width, height, detectorOutput, faces });
    console.log(`${name}: ${width}x${height}, ${faces.length} faces`);
    image.dispose();
  }
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(out));
  console.log(`wrote ${OUT}`);
}

main().catch((e) => { console.error(e); process.exit(1); });
