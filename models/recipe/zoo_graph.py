"""The mrw graph: a folded network as a list of nodes + weights, and a PyTorch module that runs it.

Node ops (all tensors NCHW in PyTorch terms; Java writers convert to NHWC):
  conv2d      inputs[1]; outChannels, kernel, stride, padding (symmetric), groups, activation, weight, bias
  add         inputs[2]; activation
  concat      inputs[n]; along channels
  maxpool     inputs[1]; kernel, stride, padding (pads with -inf)
  globalavgpool inputs[1]; -> [N, C]
  linear      inputs[1]; outFeatures, weight [out, in], bias
activation is one of none, relu, relu6. Weights are float32 in PyTorch layouts: conv [O, I/groups, kH, kW].
"""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

import zoo_nets as Z


class Graph:
    def __init__(self, name, channels=1, height=28, width=28):
        self.name = name
        self.input = {"name": "input", "channels": channels, "height": height, "width": width}
        self.nodes = []
        self.weights = {}

    def add(self, node):
        assert all(n["name"] != node["name"] for n in self.nodes), node["name"]
        self.nodes.append(node)
        return node["name"]

    def to_json(self, output):
        return {"format": "mrw-graph/1", "name": self.name, "input": self.input, "nodes": self.nodes, "output": output}


def fold(cb: Z.ConvBN):
    """BatchNorm folded into the convolution: w' = w*g/s, b' = beta - mean*g/s, s = sqrt(var+eps)."""
    bn = cb.bn
    scale = bn.weight.detach() / torch.sqrt(bn.running_var + bn.eps)
    w = cb.conv.weight.detach() * scale.view(-1, 1, 1, 1)
    b = bn.bias.detach() - bn.running_mean * scale
    return w, b


def emit_conv(g, cb, name, x):
    w, b = fold(cb)
    c = cb.conv
    g.weights[name + ".weight"] = w.numpy().astype(np.float32)
    g.weights[name + ".bias"] = b.numpy().astype(np.float32)
    return g.add({"name": name, "op": "conv2d", "inputs": [x], "outChannels": c.out_channels,
                  "kernel": c.kernel_size[0], "stride": c.stride[0], "padding": c.padding[0],
                  "groups": c.groups, "activation": cb.act, "weight": name + ".weight", "bias": name + ".bias"})


def emit_linear(g, lin, name, x):
    g.weights[name + ".weight"] = lin.weight.detach().numpy().astype(np.float32)
    g.weights[name + ".bias"] = lin.bias.detach().numpy().astype(np.float32)
    return g.add({"name": name, "op": "linear", "inputs": [x], "outFeatures": lin.out_features,
                  "weight": name + ".weight", "bias": name + ".bias"})


def emit_head(g, fc, x):
    x = g.add({"name": "gap", "op": "globalavgpool", "inputs": [x]})
    return emit_linear(g, fc, "fc", x)


def export_graph(model):
    """Folds a trained (eval-mode) zoo network into a Graph; returns (graph, output node name)."""
    g = Graph(model.name)
    x = "input"
    if isinstance(model, Z.MobileNetV2S):
        x = emit_conv(g, model.stem, "stem", x)
        for i, b in enumerate(model.blocks):
            y = x
            if b.expand is not None:
                y = emit_conv(g, b.expand, f"b{i}.expand", y)
            y = emit_conv(g, b.depthwise, f"b{i}.dw", y)
            y = emit_conv(g, b.project, f"b{i}.project", y)
            x = g.add({"name": f"b{i}.add", "op": "add", "inputs": [y, x], "activation": "none"}) if b.residual else y
        x = emit_conv(g, model.head, "head", x)
    elif isinstance(model, Z.ResNetS):
        x = emit_conv(g, model.stem, "stem", x)
        for i, b in enumerate(model.blocks):
            s = emit_conv(g, b.shortcut, f"b{i}.shortcut", x) if b.shortcut is not None else x
            y = emit_conv(g, b.conv1, f"b{i}.conv1", x)
            y = emit_conv(g, b.conv2, f"b{i}.conv2", y)
            x = g.add({"name": f"b{i}.add", "op": "add", "inputs": [y, s], "activation": "relu"})
    elif isinstance(model, Z.InceptionS):
        x = emit_conv(g, model.stem, "stem", x)
        x = g.add({"name": "pool0", "op": "maxpool", "inputs": [x], "kernel": 2, "stride": 2, "padding": 0})
        for k, blk in (("inc1", model.inc1), ("inc2", model.inc2)):
            p = g.add({"name": f"{k}.pool", "op": "maxpool", "inputs": [x], "kernel": 3, "stride": 1, "padding": 1})
            b1 = emit_conv(g, blk.b1, f"{k}.b1", x)
            b3 = emit_conv(g, blk.b3, f"{k}.b3", emit_conv(g, blk.b3r, f"{k}.b3r", x))
            b5 = emit_conv(g, blk.b5b, f"{k}.b5b", emit_conv(g, blk.b5a, f"{k}.b5a", emit_conv(g, blk.b5r, f"{k}.b5r", x)))
            bp = emit_conv(g, blk.bp, f"{k}.bp", p)
            x = g.add({"name": f"{k}.cat", "op": "concat", "inputs": [b1, b3, b5, bp]})
            if k == "inc1":
                x = g.add({"name": "pool1", "op": "maxpool", "inputs": [x], "kernel": 2, "stride": 2, "padding": 0})
    else:
        raise ValueError(type(model))
    out = emit_head(g, model.fc, x)
    return g, out


class ReLU6(nn.Module):
    """ReLU6 on a contiguous tensor. torch 1.13's quantized clamp/hardtanh kernel gives wrong values on the
    channels-last tensors that qnnpack convolutions return (mean error 0.54 on outputs of mean 0.38 in the
    MobileNetV2 stem; quantized relu is unaffected). contiguous() is a no-op in float and for tracing."""

    def forward(self, x):
        return F.relu6(x.contiguous())


def _act(name):
    return {"none": nn.Identity(), "relu": nn.ReLU(), "relu6": ReLU6()}[name]


class GraphNet(nn.Module):
    """Runs an mrw graph. Written so torch.fx can trace it (FX int8 quantization) and jit.trace can save it."""

    def __init__(self, graph_json, weights):
        super().__init__()
        self.spec = [dict(n) for n in graph_json["nodes"]]
        self.output = graph_json["output"]
        self.layers = nn.ModuleDict()
        self.acts = nn.ModuleDict()
        for n in self.spec:
            key = n["name"].replace(".", "_")
            n["key"] = key
            if n["op"] == "conv2d":
                w = torch.from_numpy(weights[n["weight"]])
                conv = nn.Conv2d(w.shape[1] * n["groups"], n["outChannels"], n["kernel"], n["stride"], n["padding"],
                                 groups=n["groups"], bias=True)
                conv.weight.data.copy_(w)
                conv.bias.data.copy_(torch.from_numpy(weights[n["bias"]]))
                self.layers[key] = conv
                self.acts[key] = _act(n["activation"])
            elif n["op"] == "linear":
                w = torch.from_numpy(weights[n["weight"]])
                lin = nn.Linear(w.shape[1], w.shape[0])
                lin.weight.data.copy_(w)
                lin.bias.data.copy_(torch.from_numpy(weights[n["bias"]]))
                self.layers[key] = lin
            elif n["op"] == "maxpool":
                self.layers[key] = nn.MaxPool2d(n["kernel"], n["stride"], n["padding"])
            elif n["op"] == "globalavgpool":
                self.layers[key] = nn.AdaptiveAvgPool2d(1)
            elif n["op"] == "add":
                self.acts[key] = _act(n["activation"])

    def forward(self, x):
        return self.run(x, None)

    def run(self, x, trace):
        """Forward pass; when trace is a dict, every node's output is stored in it (calibration)."""
        values = {"input": x}
        for n in self.spec:
            op, key = n["op"], n["key"]
            ins = [values[i] for i in n["inputs"]]
            if op == "conv2d":
                y = self.acts[key](self.layers[key](ins[0]))
            elif op == "add":
                y = self.acts[key](ins[0] + ins[1])
            elif op == "concat":
                y = torch.cat(ins, 1)
            elif op == "maxpool":
                y = self.layers[key](ins[0])
            elif op == "globalavgpool":
                y = torch.flatten(self.layers[key](ins[0]), 1)
            elif op == "linear":
                y = self.layers[key](ins[0])
            else:
                raise ValueError(op)
            values[n["name"]] = y
        if trace is not None:
            trace.update(values)
        return values[self.output]


def activation_ranges(net, images, batch=250):
    """min/max of every node's output (and the input) over calibration images: TFLite int8 scales."""
    lo, hi = {}, {}
    with torch.no_grad():
        for i in range(0, len(images), batch):
            values = {}
            net.run(images[i:i + batch], values)
            for k, v in values.items():
                lo[k] = min(lo.get(k, float("inf")), v.min().item())
                hi[k] = max(hi.get(k, float("-inf")), v.max().item())
    return {k: [lo[k], hi[k]] for k in lo}
