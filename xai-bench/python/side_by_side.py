#!/usr/bin/env python3
"""xai4j against its anchors, side by side, in one invocation: for each workload it runs the anchor (Captum 0.8.0 or
a PyTorch loop doing the same work, anchors.py), then the JMH benchmark of the same work, then (in a full run) the
anchor again to see whether the machine stayed quiet, and writes a Markdown table with the ratios, the date, the
machine and the exact commands.

THE MACHINE MUST BE IDLE. A second job on the same cores slows every figure (on 2 cores, about 2x), and a job that
starts or stops during the run moves one side and not the other. The harness refuses to start when the 1-minute load
average is above 1.0 (--allow-busy overrides it, for smoke runs only) and prints the load average before and after
in the table. A full run takes about 30 minutes on 2 cores, plus about 20 for the deep-layer rows (fviz-block4,
fviz-block5), which run once per side.

Usage (from the repository root, after `mvn -B -q install -DskipTests` built xai-bench/target/benchmarks.jar):

    apt-get install -y python3-torch python3-torchvision python3-tqdm python3-matplotlib
    git clone --branch v0.8.0 --depth 1 https://github.com/pytorch/captum.git /opt/captum-0.8.0
    /usr/bin/python3 xai-bench/python/side_by_side.py --captum /opt/captum-0.8.0 --out side-by-side.md

--quick runs every workload once with tiny settings (the 64x64 mini-VGG, batch 1, no warm-up) to check the harness
end to end in a few minutes; its numbers are not a measurement. Captum's checkout can also be given as CAPTUM_SRC.
"""
import argparse
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPOSITORY = os.path.dirname(os.path.dirname(HERE))
ANCHORS = os.path.join(HERE, "anchors.py")
# Workloads measured once per side (see workloads()).
DEEP_WORKLOADS = {"fviz-block4", "fviz-block5"}


def workloads(quick, onnx_file=None):
    """(name, what, anchor arguments, JMH arguments, rows: list of (anchor row key, JMH params to match, per))."""
    vgg = "mini-vgg" if quick else "vgg16"
    batches = ["1"] if quick else ["8", "16"]
    single = ["-wi", "0", "-i", "1"] if quick else ["-wi", "1", "-i", "3"]
    average = ["-wi", "0", "-i", "1", "-w", "1s", "-r", "1s"] if quick else ["-wi", "1", "-w", "10s", "-i", "3", "-r", "10s"]
    fviz = ["-wi", "0", "-i", "1"] if quick else ["-wi", "1", "-i", "2"]
    anchor_runs = ["--warmup", "0", "--repeats", "1"] if quick else ["--warmup", "1", "--repeats", "3"]
    gradient_runs = ["--warmup", "0", "--repeats", "1"] if quick else ["--warmup", "2", "--repeats", "5"]
    fviz_runs = ["--warmup", "0", "--repeats", "1"] if quick else ["--warmup", "1", "--repeats", "2"]
    result = [
        ("ig-trapezoid32", f"integrated gradients, 32 trapezoid points, internal batch 16, one image ({vgg})",
         ["ig-trapezoid32", "--model", vgg] + anchor_runs,
         ["IntegratedGradientsBenchmark", "-p", f"model={vgg}", "-p", "setting=riemann32", "-f", "1"] + single,
         [(vgg, {"setting": "riemann32"}, 1)]),
        ("ig-gausslegendre50", f"integrated gradients, 50 Gauss-Legendre points, internal batch 16, one image ({vgg})",
         ["ig-gausslegendre50", "--model", vgg] + anchor_runs,
         ["IntegratedGradientsBenchmark", "-p", f"model={vgg}", "-p", "setting=gl50", "-f", "1"] + single,
         [(vgg, {"setting": "gl50"}, 1)]),
        ("gradient-vgg16", "forward + input gradient of one logit, VGG16, per image",
         ["gradient-vgg16", "--batches", ",".join(batches)] + gradient_runs,
         ["GradientKernelBenchmark.forwardAndInputGradient", "-p", "model=vgg16", "-p", "batch=" + ",".join(batches),
          "-f", "1"] + average,
         [(f"vgg16 batch {b}", {"batch": b}, int(b)) for b in batches]),
        ("gradient-resnet50", "forward + input gradient of one logit, ResNet-50, per image",
         ["gradient-resnet50", "--batches", ",".join(batches)] + gradient_runs,
         ["GradientKernelBenchmark.forwardAndInputGradient", "-p", "model=resnet50", "-p",
          "batch=" + ",".join(batches), "-f", "1"] + average,
         [(f"resnet50 batch {b}", {"batch": b}, int(b)) for b in batches]),
        ("occlusion", f"occlusion, 16x16 window, stride 8, 16 perturbations per pass, one image ({vgg})",
         ["occlusion", "--model", vgg] + anchor_runs,
         ["OcclusionBenchmark", "-p", f"model={vgg}", "-p", "perturbationsPerEval=16", "-f", "1", "-bm", "ss"] + single,
         [(vgg, {"perturbationsPerEval": "16"}, 1)]),
        ("fviz-pixels", f"feature visualization, up to 64 channels of block1_conv1, 64 steps, pixels, batches of 16 ({vgg})",
         ["fviz-pixels", "--model", vgg] + fviz_runs,
         ["FeatureVisualizationBenchmark", "-p", f"model={vgg}", "-p", "parameterization=PIXELS", "-p",
          "layer=block1_conv1", "-f", "1"] + fviz,
         [(vgg, {"parameterization": "PIXELS", "layer": "block1_conv1"}, 1)]),
    ]
    # The deep layers run the whole network below them at every step: minutes per run on 2 cores, so one timed run
    # per side, without warm-up (a few seconds of JIT and plan building in a run of minutes) and without the anchor's
    # second run (DEEP_WORKLOADS).
    for layer in ("block4_conv3", "block5_conv3"):
        result.append((f"fviz-{layer.split('_')[0]}",
                       f"feature visualization, 16 channels of {layer}, 32 steps, pixels, one batch of 16 ({vgg})",
                       ["fviz-pixels", "--model", vgg, "--layer", layer, "--warmup", "0", "--repeats", "1"],
                       ["FeatureVisualizationBenchmark", "-p", f"model={vgg}", "-p", "parameterization=PIXELS", "-p",
                        f"layer={layer}", "-f", "1", "-wi", "0", "-i", "1"],
                       [(vgg, {"parameterization": "PIXELS", "layer": layer}, 1)]))
    if onnx_file:
        result.append(("onnx-resnet50", "torchvision resnet50 from its torch.onnx.export file, --preprocess imagenet",
                       ["onnx-resnet50", "--batches", ",".join(batches)] + gradient_runs,
                       ["OnnxResNetBenchmark", "-p", "file=" + onnx_file, "-p", "batch=" + ",".join(batches),
                        "-f", "1"] + average,
                       [("ig", {"benchmark": "integratedGradients", "batch": batches[0]}, 1)]
                       + [(f"batch {b}", {"benchmark": "forwardAndInputGradient", "batch": b}, int(b))
                          for b in batches]))
    return result


def machine():
    model = "unknown CPU"
    physical = set()
    physical_id = None
    with open("/proc/cpuinfo") as f:
        for line in f:
            key, _, value = line.partition(":")
            key, value = key.strip(), value.strip()
            if key == "model name" and model == "unknown CPU":
                model = value
            elif key == "physical id":
                physical_id = value
            elif key == "core id":
                physical.add((physical_id, value))
    memory = "?"
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return {"cpu": model, "logical_cores": os.cpu_count(), "physical_cores": len(physical) or os.cpu_count(),
            "memory": memory, "kernel": platform.release()}


def load():
    with open("/proc/loadavg") as f:
        return [float(v) for v in f.read().split()[:3]]


def java_version(java):
    out = subprocess.run([java, "-version"], capture_output=True, text=True)
    return (out.stderr or out.stdout).strip().splitlines()[0] if (out.stderr or out.stdout) else "?"


def run_anchor(args, arguments, env, commands):
    command = [args.python, ANCHORS] + arguments + ["--threads", str(args.threads)]
    commands.append(f"PYTHONPATH={shlex.quote(args.captum)} " + " ".join(shlex.quote(c) for c in command))
    print("+ " + commands[-1], flush=True)
    done = subprocess.run(command, env=env, stdout=subprocess.PIPE, text=True)
    if done.returncode != 0:
        return None, f"anchor failed (exit {done.returncode})"
    print(done.stdout, flush=True)
    return json.loads(done.stdout), None


def run_jmh(args, arguments, env, commands, scratch):
    path = os.path.join(scratch, "jmh.json")
    if os.path.exists(path):
        os.remove(path)
    command = [args.java, "-jar", args.jar] + arguments
    prepend = JVM_ISA[args.isa] + ([f"-Dxai4j.kernels={args.kernels}"] if args.kernels != "default" else [])
    if prepend:
        # Prepend, not append: a command-line -jvmArgsAppend would replace the benchmarks' own (-Xmx and others).
        command += ["-jvmArgsPrepend", " ".join(prepend)]
    commands.append(f"OMP_NUM_THREADS={args.threads} " + " ".join(shlex.quote(c) for c in command))
    print("+ " + commands[-1], flush=True)
    # The result file only records what JMH prints; it is left out of the command shown.
    command += ["-rf", "json", "-rff", path]
    failure = None
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as jmh:
        for line in jmh.stdout:
            print(line, end="", flush=True)
            if failure is None and ("Exception:" in line or "Error:" in line):
                failure = line.strip()
    results = []
    if os.path.exists(path):
        with open(path) as f:
            text = f.read().strip()
            results = json.loads(text) if text else []
    if jmh.returncode != 0 or not results:
        return results, "JMH failed: " + (failure or f"exit {jmh.returncode}, no result")
    return results, None


def seconds(result):
    metric = result["primaryMetric"]
    scale = {"s/op": 1.0, "ms/op": 1e-3, "us/op": 1e-6, "ns/op": 1e-9}[metric["scoreUnit"]]
    error = metric.get("scoreError")
    return metric["score"] * scale, (error * scale if isinstance(error, (int, float)) and error == error else None)


def fmt(value):
    if value is None:
        return "-"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


# What each --isa sets, on both sides: oneDNN (ND4J's convolutions) reads ONEDNN_MAX_CPU_ISA (DNNL_MAX_CPU_ISA in
# older builds), PyTorch's ATen kernels read ATEN_CPU_CAPABILITY (PyTorch's own oneDNN reads the oneDNN variables too).
ISAS = {
    "native": {},
    "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2", "DNNL_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"},
    "avx512": {"ONEDNN_MAX_CPU_ISA": "AVX512_CORE", "DNNL_MAX_CPU_ISA": "AVX512_CORE",
               "ATEN_CPU_CAPABILITY": "avx512"},
}

# The JVM's own vector code (HotSpot's C2 compiler, which xai4j's Java loops such as the Winograd transforms rely on)
# is capped to the same instruction set in the benchmark forks.
JVM_ISA = {"native": [], "avx2": ["-XX:UseAVX=2"], "avx512": ["-XX:UseAVX=3"]}


def cpu_flags():
    """The CPU's feature flags from /proc/cpuinfo (empty where there is none)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--captum", default=os.environ.get("CAPTUM_SRC"),
                        help="Captum 0.8.0 checkout (the directory holding the captum package); or CAPTUM_SRC")
    parser.add_argument("--out", default="side-by-side.md", help="Markdown output (default side-by-side.md); raw "
                                                                 "numbers go next to it as .json")
    parser.add_argument("--jar", default=os.path.join("xai-bench", "target", "benchmarks.jar"))
    parser.add_argument("--java", default="java")
    parser.add_argument("--python", default="/usr/bin/python3", help="interpreter with torch (default Debian's)")
    parser.add_argument("--threads", type=int, default=2, help="threads on both sides (default 2)")
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(w[0] for w in workloads(False)))
    parser.add_argument("--quick", action="store_true", help="tiny smoke run of the harness, not a measurement")
    parser.add_argument("--onnx-file", help="a torchvision resnet50 exported by xai-onnx/src/test/python/"
                                            "export_torchvision_full.py: adds the onnx-resnet50 workload")
    parser.add_argument("--isa", choices=sorted(ISAS), default="native",
                        help="instruction set on BOTH sides: avx2 or avx512 cap oneDNN (ONEDNN_MAX_CPU_ISA, and the "
                             "older DNNL_MAX_CPU_ISA) and PyTorch's ATen kernels (ATEN_CPU_CAPABILITY); native "
                             "(default) lets each use the best the CPU has")
    parser.add_argument("--kernels", choices=["default", "nd4j", "onednn"], default="default",
                        help="xai4j's kernels for convolutions, pooling and activations (the xai4j.kernels "
                             "property): default takes oneDNN 3.6 from xai-onednn on the benchmarks' class path where "
                             "it loads; nd4j forces ND4J's ops")
    parser.add_argument("--allow-busy", action="store_true", help="run even if the load average says the machine "
                                                                  "is busy (the numbers are then meaningless)")
    args = parser.parse_args()
    if not args.captum or not os.path.isfile(os.path.join(args.captum, "captum", "__init__.py")):
        parser.error(f"--captum (or CAPTUM_SRC) must name a Captum 0.8.0 checkout holding captum/__init__.py, got "
                     f"{args.captum!r}; get one with: git clone --branch v0.8.0 --depth 1 "
                     f"https://github.com/pytorch/captum.git")
    args.captum = os.path.abspath(args.captum)
    if not os.path.isdir(os.path.dirname(os.path.abspath(args.out))):
        parser.error(f"the folder of --out {args.out} does not exist")
    if not os.path.isfile(args.jar):
        parser.error(f"no benchmarks jar at {args.jar}; build it with: mvn -B -q install -DskipTests")
    selected = workloads(args.quick, args.onnx_file)
    if args.only:
        names = args.only.split(",")
        unknown = [n for n in names if n not in [w[0] for w in selected]]
        if unknown:
            parser.error(f"unknown workloads {unknown}; expected some of {[w[0] for w in selected]}")
        selected = [w for w in selected if w[0] in names]
    start_load = load()
    if start_load[0] > 1.0 and not args.allow_busy:
        sys.exit(f"the machine is busy (load average {start_load}); these measurements need an idle machine. Wait "
                 f"until the 1-minute load average is below 1.0, or pass --allow-busy for a smoke run.")

    flags = cpu_flags()
    if args.isa == "avx512" and "avx512f" not in flags:
        parser.error("--isa avx512 needs a CPU with avx512f; this one has " + (", ".join(sorted(
            f for f in flags if f.startswith("avx"))) or "no AVX"))
    env = dict(os.environ, PYTHONPATH=args.captum, OMP_NUM_THREADS=str(args.threads), **ISAS[args.isa])
    for variable in ("ONEDNN_MAX_CPU_ISA", "DNNL_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY"):
        if args.isa == "native":
            env.pop(variable, None)
    started = datetime.datetime.now().astimezone()
    commands = []
    table = []
    raw = []
    with tempfile.TemporaryDirectory() as scratch:
        for name, what, anchor_args, jmh_args, rows in selected:
            before, anchor_error = run_anchor(args, anchor_args, env, commands)
            jmh, jmh_error = run_jmh(args, jmh_args, env, commands, scratch)
            after = None
            if not args.quick and name not in DEEP_WORKLOADS:
                after, _ = run_anchor(args, anchor_args, env, commands)
            raw.append({"workload": name, "anchor_before": before, "jmh": jmh, "anchor_after": after,
                        "errors": [e for e in (anchor_error, jmh_error) if e]})
            for key, params, per in rows:
                anchor_runs = [a for a in (before, after) if a]
                anchor_means = [r["mean"] for a in anchor_runs for r in a["rows"] if r["key"] == key]
                anchor_time = sum(anchor_means) / len(anchor_means) / per if anchor_means else None
                # "benchmark" picks one @Benchmark method of a class that has several; other keys are JMH params
                match = [r for r in jmh if all(r.get("benchmark", "").endswith("." + v) if k == "benchmark"
                                               else r.get("params", {}).get(k) == v for k, v in params.items())]
                xai4j_time, xai4j_error = seconds(match[0]) if match else (None, None)
                if xai4j_time is not None:
                    xai4j_time /= per
                    xai4j_error = xai4j_error / per if xai4j_error is not None else None
                drift = ""
                if len(anchor_means) == 2:
                    spread = abs(anchor_means[0] - anchor_means[1]) / min(anchor_means)
                    drift = (f"{anchor_means[0] / per:.3f} s before, {anchor_means[1] / per:.3f} s after"
                             + (f"; {spread:.0%} apart: the machine was not quiet" if spread > 0.05 else ""))
                table.append({
                    "what": what + (f", batch {params['batch']}" if "batch" in params and params.get("benchmark") != "integratedGradients" else ""),
                    "anchor": (before or after or {}).get("anchor", anchor_error or "anchor failed"),
                    "anchor_time": anchor_time, "drift": drift,
                    "xai4j": jmh_args[0] + " " + " ".join(
                        p for p in (jmh_args[i + 1] for i, a in enumerate(jmh_args) if a == "-p")
                        if not p.startswith("batch=")) + (f" batch={params['batch']}" if "batch" in params else ""),
                    "xai4j_time": xai4j_time, "xai4j_error": xai4j_error,
                    "ratio": xai4j_time / anchor_time if xai4j_time and anchor_time else None,
                    "error": (jmh_error or "no JMH result for " + str(params)) if not match else None})
    finished = datetime.datetime.now().astimezone()
    end_load = load()
    info = machine()
    torch_version = next((a["torch"] for r in raw for a in (r["anchor_before"], r["anchor_after"]) if a), "?")

    lines = ["# xai4j and its anchors, side by side", ""]
    if args.quick:
        lines += ["**Quick smoke run of the harness (tiny settings, shared machine allowed): these numbers are not a "
                  "measurement.**", ""]
    lines += [
        f"- Date: {started:%Y-%m-%d %H:%M %Z} to {finished:%H:%M %Z}",
        f"- Machine: {info['cpu']}, {info['logical_cores']} logical cores ({info['physical_cores']} physical), "
        f"{info['memory']} memory, Linux {info['kernel']}",
        f"- Load average (1, 5, 15 min): {start_load} at the start, {end_load} at the end; the runs need an idle "
        f"machine",
        f"- Instruction set: {args.isa} on both sides"
        + (f" ({', '.join([f'{k}={v}' for k, v in ISAS[args.isa].items()] + JVM_ISA[args.isa])})"
           if ISAS[args.isa] else "")
        + f"; the CPU's AVX flags: {', '.join(sorted(f for f in flags if f.startswith(('avx', 'amx')))) or 'none'}",
        f"- Threads: {args.threads} on both sides (`torch.set_num_threads({args.threads})`, "
        f"`OMP_NUM_THREADS={args.threads}` for ND4J)",
        f"- Software: {java_version(args.java)}; torch {torch_version}; Captum from {args.captum}",
        f"- xai4j kernels: {args.kernels}"
        + (" (oneDNN 3.6 convolutions, pooling and ReLU through xai-onednn where it loads, else ND4J's ops)"
           if args.kernels == "default" else f" (-Dxai4j.kernels={args.kernels})"),
        "",
        "Ratio = xai4j time / anchor time (below 1: xai4j is faster). The anchor time is the mean of its timed runs "
        + ("" if args.quick else "before and after the JMH run ")
        + "(per image for the gradient rows); the xai4j time is JMH's score (mean), with JMH's 99.9% error.",
        "",
        "| workload | anchor | anchor time | xai4j | xai4j time | ratio |",
        "|---|---|---|---|---|---|",
    ]
    for t in table:
        anchor_time = fmt(t["anchor_time"]) + (f" ({t['drift']})" if t["drift"] else "")
        xai4j_time = t["error"] or (fmt(t["xai4j_time"]) + (f" ± {t['xai4j_error']:.3f} s" if t["xai4j_error"] else ""))
        ratio = f"**{t['ratio']:.2f}**" if t["ratio"] else "-"
        lines.append(f"| {t['what']} | {t['anchor']} | {anchor_time} | `{t['xai4j']}` | {xai4j_time} | {ratio} |")
    lines += ["", "## Commands", "", "```",
              " ".join(shlex.quote(a) for a in [args.python] + sys.argv)] + commands + ["```", ""]
    def portable(content):
        # The reports go into the repository: no path of this machine, so a reader can rerun the commands as written.
        # The report's own path (--out) is named by its file name only.
        for given in sorted({args.out, os.path.abspath(args.out)}, key=len, reverse=True):
            if os.path.isabs(given) and not given.startswith(REPOSITORY + os.sep):
                content = content.replace(given, os.path.basename(given))
        return content.replace(args.captum, "CAPTUM_SRC").replace(REPOSITORY + os.sep, "")

    text = portable("\n".join(lines))
    out = os.path.abspath(args.out)
    for path, content in ((out, text), (os.path.splitext(out)[0] + ".json",
                                        portable(json.dumps({"machine": info, "load": [start_load, end_load],
                                                             "rows": table, "raw": raw, "commands": commands},
                                                            indent=2)))):
        # Atomic: a reader never sees a half-written file.
        handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".side-by-side-")
        with os.fdopen(handle, "w") as f:
            f.write(content + "\n")
        os.replace(temporary, path)
    print(text)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
