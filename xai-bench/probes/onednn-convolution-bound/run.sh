#!/usr/bin/env bash
# Times oneDNN 3.6's convolution primitives alone for VGG16 or ResNet-50 (see OneDnnConvolutionBound.java).
#   bash xai-bench/probes/onednn-convolution-bound/run.sh vgg16|resnet50 [BATCH] [REPEATS]
# Cap the instruction set as the side-by-side harness does with ONEDNN_MAX_CPU_ISA=AVX2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
classpath="$(mktemp)"
trap 'rm -f "$classpath"' EXIT
mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$classpath" >/dev/null
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" java -cp "$(cat "$classpath")" "$here/OneDnnConvolutionBound.java" \
    "${1:-vgg16}" "${2:-8}" "${3:-3}"
