"""PGD-10 (L-inf, one eps, step eps/4, no random start) throughput in Python with PyTorch: the baseline
that `mrw bench attacks --python` compares the workbench against, on the same model file, images,
batch size and thread count.

    /usr/bin/python3 bench/pgd_python.py --model models/resnet/resnet_float.pt [--images 500]
        [--batch-size 100] [--repeats 5] [--threads 2]

Prints one JSON document: {"medianSeconds":..,"imagesPerSecond":..,"torch":..,"threads":..}.
"""
import argparse, gzip, json, os, statistics, time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGES = os.path.join(HERE, "..", "datasets", "fashion-mnist", "t10k-images-idx3-ubyte.gz")
LABELS = os.path.join(HERE, "..", "datasets", "fashion-mnist", "t10k-labels-idx1-ubyte.gz")


def load(n):
    with gzip.open(IMAGES) as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)[:n]
    with gzip.open(LABELS) as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)[:n]
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


def pgd(model, x, y, eps, steps=10):
    xa = x.clone()
    for _ in range(steps):
        xa.requires_grad_(True)
        loss = F.cross_entropy(model(xa), y, reduction="sum")
        grad, = torch.autograd.grad(loss, xa)
        with torch.no_grad():
            xa = xa + (eps / 4) * grad.sign()
            xa = torch.min(torch.max(xa, x - eps), x + eps).clamp(0, 1)
    return xa.detach()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--images", type=int, default=500)
    p.add_argument("--batch-size", type=int, default=100)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--eps", type=float, default=0.05)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    model = torch.jit.load(a.model).eval()
    for q in model.parameters():
        q.requires_grad_(False)
    x, y = load(a.images)

    def run():
        for i in range(0, len(x), a.batch_size):
            pgd(model, x[i:i + a.batch_size], y[i:i + a.batch_size], a.eps)

    run()  # warm-up
    seconds = []
    for _ in range(a.repeats):
        t = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - t)
    median = statistics.median(seconds)
    print(json.dumps({"medianSeconds": median, "imagesPerSecond": len(x) / median, "torch": torch.__version__,
                      "threads": a.threads, "images": len(x), "batchSize": a.batch_size, "repeats": a.repeats}))


if __name__ == "__main__":
    main()
