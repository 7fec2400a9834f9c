"""The three reference architectures (trainable, with BatchNorm) and the graph format they export to.

A trained network is folded (BatchNorm into the preceding convolution) into an *mrw graph*: a JSON list
of nodes plus a weights .npz in PyTorch layouts. Every file of the zoo is generated from that one graph,
in Python (TorchScript, lite, int8, ONNX) and in Java (SavedModel, TFLite), so all formats of one
architecture hold identical weights. The graph format is documented in models/README.md.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


def conv_bn(cin, cout, k, stride=1, groups=1, act="relu"):
    return ConvBN(cin, cout, k, stride, (k - 1) // 2, groups, act)


class ConvBN(nn.Module):
    """Conv (no bias) + BatchNorm + optional activation; folds into one biased conv for export."""

    def __init__(self, cin, cout, k, stride, padding, groups, act):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, k, stride, padding, groups=groups, bias=False)
        self.bn = nn.BatchNorm2d(cout)
        self.act = act

    def forward(self, x):
        x = self.bn(self.conv(x))
        return activate(x, self.act)


def activate(x, act):
    if act == "relu":
        return F.relu(x)
    if act == "relu6":
        return F.relu6(x)
    return x


class InvertedResidual(nn.Module):
    def __init__(self, cin, cout, stride, expand):
        super().__init__()
        hidden = cin * expand
        self.expand = conv_bn(cin, hidden, 1, act="relu6") if expand != 1 else None
        self.depthwise = conv_bn(hidden, hidden, 3, stride, groups=hidden, act="relu6")
        self.project = conv_bn(hidden, cout, 1, act="none")
        self.residual = stride == 1 and cin == cout

    def forward(self, x):
        y = self.expand(x) if self.expand is not None else x
        y = self.project(self.depthwise(y))
        return x + y if self.residual else y


class MobileNetV2S(nn.Module):
    """MobileNetV2 family at 28x28: inverted residuals, depthwise 3x3, ReLU6, linear bottlenecks.

    The stem has stride 2, as MobileNetV2's does: at full 28x28 resolution the expanded blocks made
    training ~20x slower on two CPU cores for no accuracy gain.
    """
    name = "mobilenetv2"
    CONFIG = [(1, 16, 1), (4, 24, 2), (4, 24, 1), (4, 32, 1), (4, 32, 1)]

    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, 2, act="relu6")
        blocks, cin = [], 16
        for t, c, s in self.CONFIG:
            blocks.append(InvertedResidual(cin, c, s, t))
            cin = c
        self.blocks = nn.ModuleList(blocks)
        self.head = conv_bn(cin, 128, 1, act="relu6")
        self.fc = nn.Linear(128, classes)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        x = self.head(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = conv_bn(cin, cout, 3, stride, act="relu")
        self.conv2 = conv_bn(cout, cout, 3, act="none")
        self.shortcut = conv_bn(cin, cout, 1, stride, act="none") if stride != 1 or cin != cout else None

    def forward(self, x):
        s = self.shortcut(x) if self.shortcut is not None else x
        return F.relu(self.conv2(self.conv1(x)) + s)


class ResNetS(nn.Module):
    """ResNet family at 28x28: basic residual blocks, projection shortcuts, BatchNorm folded for export."""
    name = "resnet"

    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(1, 16, 3, act="relu")
        self.blocks = nn.ModuleList([BasicBlock(16, 16, 1), BasicBlock(16, 32, 2), BasicBlock(32, 64, 2)])
        self.fc = nn.Linear(64, classes)

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


class InceptionBlock(nn.Module):
    def __init__(self, cin, b1, b3r, b3, b5r, b5, bp):
        super().__init__()
        self.b1 = conv_bn(cin, b1, 1)
        self.b3r = conv_bn(cin, b3r, 1)
        self.b3 = conv_bn(b3r, b3, 3)
        self.b5r = conv_bn(cin, b5r, 1)
        self.b5a = conv_bn(b5r, b5, 3)   # 5x5 receptive field as two 3x3, as Inception v3 does
        self.b5b = conv_bn(b5, b5, 3)
        self.bp = conv_bn(cin, bp, 1)
        self.out = b1 + b3 + b5 + bp

    def forward(self, x):
        p = F.max_pool2d(x, 3, 1, 1)
        return torch.cat([self.b1(x), self.b3(self.b3r(x)), self.b5b(self.b5a(self.b5r(x))), self.bp(p)], 1)


class InceptionS(nn.Module):
    """Inception family at 28x28: parallel 1x1 / 3x3 / double-3x3 / pool branches, concatenated."""
    name = "inception"

    def __init__(self, classes=10):
        super().__init__()
        self.stem = conv_bn(1, 32, 3)
        self.inc1 = InceptionBlock(32, 16, 16, 24, 8, 12, 12)
        self.inc2 = InceptionBlock(64, 32, 24, 48, 12, 24, 24)
        self.fc = nn.Linear(128, classes)

    def forward(self, x):
        x = F.max_pool2d(self.stem(x), 2)
        x = F.max_pool2d(self.inc1(x), 2)
        x = self.inc2(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


ARCHITECTURES = {"mobilenetv2": MobileNetV2S, "resnet": ResNetS, "inception": InceptionS}
