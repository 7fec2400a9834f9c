"""Trains the three zoo architectures and exports every Python-side format from one folded graph.

    /usr/bin/python3 models/recipe/train_export.py [--epochs N] [--only ARCH] [--out models]

Seeded (torch.manual_seed(SEED) before each architecture; calibration sample drawn with SEED).
Writes, per architecture, into models/<arch>/:
  <arch>.graph.json, <arch>.weights.npz   the folded graph (source of truth for the Java exports)
  <arch>_float.pt, <arch>_float.ptl       TorchScript float (traced; the .ptl is NOT XNNPACK-optimised,
                                          so it stays differentiable)
  <arch>_int8.pt, <arch>_int8.ptl         static post-training int8 (FX, qnnpack)
  <arch>_float.onnx                       ONNX opset 13, dynamic batch
  <arch>.python.json                      training log, PyTorch accuracies, reference FGSM/PGD results
"""
import argparse, gzip, json, os, sys, time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import zoo_graph as G  # noqa: E402
import zoo_nets as Z  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist"
SEED = 20211
CALIBRATION = 2000
REFERENCE_EPS = [0.01, 0.02, 0.05, 0.1]


def load(kind):
    if not os.path.exists(f"{DATA}/{kind}-images-idx3-ubyte.gz"):
        sys.exit(f"missing {DATA}: apt-get install dataset-fashion-mnist")
    with gzip.open(f"{DATA}/{kind}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    with gzip.open(f"{DATA}/{kind}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


def accuracy(m, x, y):
    with torch.no_grad():
        return sum((m(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item() for i in range(0, len(x), 500)) / len(x)


def train(model, xtr, ytr, epochs, log):
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    steps = epochs * ((len(xtr) + 127) // 128)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    for ep in range(epochs):
        model.train()
        perm = torch.randperm(len(xtr))
        t = time.time()
        for i in range(0, len(xtr), 128):
            idx = perm[i:i + 128]
            # light augmentation: random horizontal flips (Fashion-MNIST items are roughly symmetric)
            xb = xtr[idx]
            flip = torch.rand(len(idx)) < 0.5
            xb = torch.where(flip.view(-1, 1, 1, 1), xb.flip(3), xb)
            opt.zero_grad()
            F.cross_entropy(model(xb), ytr[idx]).backward()
            opt.step()
            sched.step()
        log.append({"epoch": ep + 1, "seconds": round(time.time() - t, 1)})
        print(f"  epoch {ep + 1}/{epochs} {time.time() - t:.0f}s", file=sys.stderr, flush=True)
    model.eval()


def input_gradient(m, x, y):
    x = x.clone().requires_grad_(True)
    F.cross_entropy(m(x), y, reduction="sum").backward()
    return x.grad


def reference_attacks(m, x, y):
    """PyTorch's own FGSM and PGD (10 steps, step eps/4, no random start) accuracies, for Step 3 to match."""
    out = {"images": f"first {len(x)} test images", "pgdSteps": 10, "pgdStep": "eps/4", "randomStart": False,
           "fgsm": {}, "pgd": {}}
    for eps in REFERENCE_EPS:
        xa = (x + eps * input_gradient(m, x, y).sign()).clamp(0, 1)
        out["fgsm"][str(eps)] = accuracy(m, xa, y)
        xa = x.clone()
        for _ in range(10):
            xa = xa + (eps / 4) * input_gradient(m, xa, y).sign()
            xa = torch.min(torch.max(xa, x - eps), x + eps).clamp(0, 1)
        out["pgd"][str(eps)] = accuracy(m, xa, y)
    return out


def quantize(net, calib):
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import convert_fx, prepare_fx
    torch.backends.quantized.engine = "qnnpack"
    example = (calib[:1],)
    prepared = prepare_fx(net, get_default_qconfig_mapping("qnnpack"), example, prepare_custom_config={})
    with torch.no_grad():
        for i in range(0, len(calib), 250):
            prepared(calib[i:i + 250])
    return convert_fx(prepared)


def build(arch, epochs, out_root, xtr, ytr, xte, yte):
    print(f"{arch}: training {epochs} epochs", file=sys.stderr)
    torch.manual_seed(SEED)
    t0 = time.time()
    model = Z.ARCHITECTURES[arch]()
    log = []
    train(model, xtr, ytr, epochs, log)
    out = os.path.join(out_root, arch)
    os.makedirs(out, exist_ok=True)
    graph, output = G.export_graph(model)
    graph_json = graph.to_json(output)
    net = G.GraphNet(graph_json, graph.weights).eval()
    with torch.no_grad():
        fold_error = (net(xte[:500]) - model(xte[:500])).abs().max().item()
    assert fold_error < 1e-3, f"folded graph differs from the trained net by {fold_error}"

    gen = torch.Generator().manual_seed(SEED)
    calib_idx = torch.randperm(len(xtr), generator=gen)[:CALIBRATION].sort().values
    calib = xtr[calib_idx]
    graph_json["ranges"] = G.activation_ranges(net, calib)
    graph_json["calibration"] = {"split": "fashion-mnist train", "count": CALIBRATION, "seed": SEED,
                                 "indices": calib_idx.tolist()}
    with open(os.path.join(out, f"{arch}.graph.json"), "w") as f:
        json.dump(graph_json, f, indent=1)
    np.savez(os.path.join(out, f"{arch}.weights.npz"), **graph.weights)

    example = torch.rand(1, 1, 28, 28)
    traced = torch.jit.trace(net, example)
    traced.save(os.path.join(out, f"{arch}_float.pt"))
    traced._save_for_lite_interpreter(os.path.join(out, f"{arch}_float.ptl"))
    torch.onnx.export(net, example, os.path.join(out, f"{arch}_float.onnx"), input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13)
    q = quantize(G.GraphNet(graph_json, graph.weights).eval(), calib)
    tq = torch.jit.trace(q, example)
    tq.save(os.path.join(out, f"{arch}_int8.pt"))
    tq._save_for_lite_interpreter(os.path.join(out, f"{arch}_int8.ptl"))

    report = {"architecture": arch, "torch": torch.__version__, "seed": SEED, "epochs": epochs, "training": log,
              "foldError": fold_error, "parameters": sum(p.numel() for p in model.parameters()),
              "accuracy": {"float": accuracy(traced, xte, yte), "int8": accuracy(tq, xte, yte)},
              "referenceAttacks": reference_attacks(traced, xte[:1000], yte[:1000]),
              "seconds": round(time.time() - t0, 1)}
    with open(os.path.join(out, f"{arch}.python.json"), "w") as f:
        json.dump(report, f, indent=1)
    print(f"{arch}: float {report['accuracy']['float']:.4f} int8 {report['accuracy']['int8']:.4f} "
          f"in {report['seconds']}s", file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--epochs", type=int, default=8)
    p.add_argument("--only", choices=sorted(Z.ARCHITECTURES))
    p.add_argument("--train-limit", type=int, help="train on the first N images only (smoke tests)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    a = p.parse_args()
    torch.set_num_threads(int(os.environ.get("MRW_TORCH_THREADS", "2")))
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    if a.train_limit:
        xtr, ytr = xtr[:a.train_limit], ytr[:a.train_limit]
    for arch in [a.only] if a.only else list(Z.ARCHITECTURES):
        build(arch, a.epochs, a.out, xtr, ytr, xte, yte)


if __name__ == "__main__":
    main()
