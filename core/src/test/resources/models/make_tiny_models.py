"""Rebuilds the tiny test models in this folder (run with Debian's python3-torch 1.13).

    /usr/bin/python3 core/src/test/resources/models/make_tiny_models.py

A small CNN (conv-BN-ReLU, pool, conv-ReLU, pool, linear) trained for one epoch on the Fashion-MNIST
training split (Debian's dataset-fashion-mnist), exported in every PyTorch/ONNX format the workbench
reads. Also writes reference logits computed by PyTorch itself for the first test images, so the Java
runtimes can be checked against the framework that produced the weights. Seeded; ~30 s on 2 cores.
"""
import gzip, json, os, sys
import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = "/usr/share/datasets/fashion-mnist"
CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def load(kind):
    with gzip.open(f"{DATA}/{kind}-labels-idx1-ubyte.gz") as f:
        y = np.frombuffer(f.read(), np.uint8, offset=8)
    with gzip.open(f"{DATA}/{kind}-images-idx3-ubyte.gz") as f:
        x = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
    return torch.from_numpy(x.astype(np.float32) / 255.0), torch.from_numpy(y.astype(np.int64))


class TinyCnn(nn.Module):
    def __init__(self, quant=False):
        super().__init__()
        self.quant = torch.quantization.QuantStub() if quant else nn.Identity()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(8)
        self.relu1 = nn.ReLU()
        self.pool1 = nn.MaxPool2d(2)
        self.conv2 = nn.Conv2d(8, 16, 3, padding=1)
        self.relu2 = nn.ReLU()
        self.pool2 = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(16 * 7 * 7, 10)
        self.dequant = torch.quantization.DeQuantStub() if quant else nn.Identity()

    def forward(self, x):
        x = self.quant(x)
        x = self.pool1(self.relu1(self.bn1(self.conv1(x))))
        x = self.pool2(self.relu2(self.conv2(x)))
        return self.dequant(self.fc(self.flat(x)))


def accuracy(m, x, y):
    with torch.no_grad():
        return sum((m(x[i:i + 500]).argmax(1) == y[i:i + 500]).sum().item() for i in range(0, len(x), 500)) / len(x)


def descriptor(variant):
    return {"layout": "NCHW", "channels": 1, "height": 28, "width": 28, "mean": [0.0], "std": [1.0],
            "rangeMin": 0.0, "rangeMax": 1.0, "classNames": CLASSES, "variant": variant}


def save_descriptor(name, variant):
    with open(os.path.join(HERE, name + ".json"), "w") as f:
        json.dump(descriptor(variant), f, indent=2)


def main():
    torch.manual_seed(0)
    torch.set_num_threads(2)
    torch.backends.quantized.engine = "qnnpack"
    xtr, ytr = load("train")
    xte, yte = load("t10k")
    model = TinyCnn()
    opt = torch.optim.Adam(model.parameters(), lr=2e-3)
    model.train()
    perm = torch.randperm(len(xtr))
    for i in range(0, len(xtr), 128):
        idx = perm[i:i + 128]
        opt.zero_grad()
        nn.functional.cross_entropy(model(xtr[idx]), ytr[idx]).backward()
        opt.step()
    model.eval()
    example = torch.rand(1, 1, 28, 28)
    traced = torch.jit.trace(model, example)
    traced.save(os.path.join(HERE, "tiny_cnn.pt"))
    save_descriptor("tiny_cnn.pt", "FLOAT")
    # Not optimize_for_mobile: XNNPACK-prepacked ops have no gradient, and tests differentiate this file.
    traced._save_for_lite_interpreter(os.path.join(HERE, "tiny_cnn.ptl"))
    save_descriptor("tiny_cnn.ptl", "FLOAT")
    torch.onnx.export(model, example, os.path.join(HERE, "tiny_cnn.onnx"), input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}},
                      opset_version=13)
    save_descriptor("tiny_cnn.onnx", "FLOAT")

    q = TinyCnn(quant=True)
    q.load_state_dict(model.state_dict(), strict=False)
    q.eval()
    q = torch.quantization.fuse_modules(q, [["conv1", "bn1", "relu1"], ["conv2", "relu2"]])
    q.qconfig = torch.quantization.get_default_qconfig("qnnpack")
    torch.quantization.prepare(q, inplace=True)
    with torch.no_grad():
        for i in range(0, 2000, 200):  # calibration on training images, disjoint from the test split
            q(xtr[i:i + 200])
    torch.quantization.convert(q, inplace=True)
    tq = torch.jit.trace(q, example)
    tq.save(os.path.join(HERE, "tiny_cnn_int8.pt"))
    save_descriptor("tiny_cnn_int8.pt", "INT8")
    tq._save_for_lite_interpreter(os.path.join(HERE, "tiny_cnn_int8.ptl"))
    save_descriptor("tiny_cnn_int8.ptl", "INT8")

    with torch.no_grad():
        ref = {"images": "first 16 images of the Fashion-MNIST test split", "torch": torch.__version__,
               "float": traced(xte[:16]).tolist(), "int8": tq(xte[:16]).tolist(),
               "accuracyFloat1000": accuracy(traced, xte[:1000], yte[:1000]),
               "accuracyInt81000": accuracy(tq, xte[:1000], yte[:1000])}
    with open(os.path.join(HERE, "tiny_cnn_reference.json"), "w") as f:
        json.dump(ref, f)
    print("float acc", accuracy(traced, xte, yte), "int8 acc", accuracy(tq, xte, yte), file=sys.stderr)


if __name__ == "__main__":
    main()
