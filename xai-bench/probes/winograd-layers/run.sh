#!/usr/bin/env bash
# Times VGG16's or ResNet-50's 3x3 layer shapes with oneDNN's direct convolution and with Winograd F(4x4, 3x3)
# (see WinogradLayers.java).
#   bash xai-bench/probes/winograd-layers/run.sh [vgg16|resnet50] [BATCH] [REPEATS]
# Needs xai-bench/target/benchmarks.jar (mvn -B -q -pl xai-bench -am package -DskipTests). For AVX2 on an AVX-512
# machine, cap oneDNN and the JVM as the side-by-side harness does: ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2
# JAVA_OPTIONS=-XX:UseAVX=2.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/../../target/benchmarks.jar"
[ -f "$jar" ] || { echo "missing $jar: build it with mvn -B -q -pl xai-bench -am package -DskipTests" >&2; exit 1; }
classes="$(mktemp -d)"
trap 'rm -rf "$classes"' EXIT
# Compiled, not run as a source file: the kernels are package-private, and a source file gets a class loader of its own.
javac -d "$classes" -cp "$jar" "$here/WinogradLayers.java"
# shellcheck disable=SC2086
OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}" java ${JAVA_OPTIONS:-} -Xmx10g -cp "$classes:$jar" \
    org.xai4j.onednn.WinogradLayers "${1:-vgg16}" "${2:-8}" "${3:-5}"
