"""Where PyTorch's own time goes in the gradient anchor: runs anchors.py's forward + input gradient on VGG16 (or
ResNet-50) under ONEDNN_VERBOSE=1 in a child process and sums oneDNN's execution times per primitive kind for the last
call, per image. PyTorch's CPU convolutions are oneDNN primitives too, so this shows which kernels and how many layout
reorders the anchor runs. Cap the instruction set as the harness does, e.g.

    ONEDNN_MAX_CPU_ISA=AVX2 DNNL_MAX_CPU_ISA=AVX2 ATEN_CPU_CAPABILITY=avx2 \\
        /usr/bin/python3 xai-bench/python/torch_onednn_trace.py vgg16 8
"""
import collections
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def child(network, batch, calls):
    import torch
    sys.path.insert(0, HERE)
    import anchors
    torch.set_num_threads(int(os.environ.get("OMP_NUM_THREADS", "2")))
    if network == "resnet50":
        import torchvision
        model, size = anchors.frozen(torchvision.models.resnet50(weights=None)), 224
    else:
        model, size = anchors.vgg(network)
    x = torch.rand(batch, 3, size, size, generator=torch.Generator().manual_seed(2))
    for i in range(calls):
        print(f"CALL {i}", flush=True)
        start = time.perf_counter()
        anchors.input_gradient(model, x)
        print(f"SECONDS {time.perf_counter() - start}", flush=True)


def main():
    network = sys.argv[1] if len(sys.argv) > 1 else "vgg16"
    batch = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    if len(sys.argv) > 3 and sys.argv[3] == "--child":
        child(network, batch, 3)
        return
    env = dict(os.environ, ONEDNN_VERBOSE="1", DNNL_VERBOSE="1")
    out = subprocess.run([sys.executable, __file__, network, str(batch), "--child"], env=env, capture_output=True,
                         text=True, check=True).stdout.splitlines()
    last = max(i for i, line in enumerate(out) if line.startswith("CALL "))
    totals = collections.defaultdict(float)
    counts = collections.Counter()
    seconds = None
    for line in out[last:]:
        if line.startswith("SECONDS "):
            seconds = float(line.split()[1])
        fields = line.split(",")
        if len(fields) > 5 and fields[0] in ("onednn_verbose", "dnnl_verbose") and "exec" in fields[:4]:
            at = fields.index("exec")
            kind, implementation, phase = fields[at + 2], fields[at + 3], fields[at + 4]
            if kind == "reorder":
                implementation = "weights" if any(t in line for t in ("ABcd", "Acdb", "BAcd")) else "activations"
            key = f"{kind} {implementation} {phase}".strip()
            totals[key] += float(fields[-1])
            counts[key] += 1
    print(f"{network}, batch {batch}: last traced call {seconds * 1000 / batch:.1f} ms per image")
    print("| primitive | count | ms per image |")
    print("|---|---:|---:|")
    for key, total in sorted(totals.items(), key=lambda kv: -kv[1]):
        print(f"| {key} | {counts[key]} | {total / batch:.1f} |")
    print(f"| **oneDNN total** | | **{sum(totals.values()) / batch:.1f}** |")


if __name__ == "__main__":
    main()
