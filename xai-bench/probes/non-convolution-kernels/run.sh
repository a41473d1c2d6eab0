#!/usr/bin/env bash
# Times ReLU and max pooling on VGG16's shapes, ND4J M2.1 against oneDNN 3.6 (see NonConvolutionKernels.java).
#   bash xai-bench/probes/non-convolution-kernels/run.sh [BATCH] [REPEATS]
# Needs xai-bench/target/benchmarks.jar (mvn -B -q -pl xai-bench -am package -DskipTests), which holds ND4J and
# oneDNN 3.6. Cap the instruction set as the side-by-side harness does with ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../../target/benchmarks.jar"
[ -f "$jar" ] || { echo "missing $jar: build it with mvn -B -q -pl xai-bench -am package -DskipTests" >&2; exit 1; }
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" java -Xmx10g -cp "$jar" "$here/NonConvolutionKernels.java" "${1:-8}" "${2:-10}"
