"""A small untrained CNN that flattens its feature map with view(), as many classic models do, and has a
12-channel convolution (off oneDNN's 8-channel AVX2 block). view() cannot take channels-last activations:
the workbench must refuse it above the SSE41 cap and run it contiguous at SSE41 (ViewModelCapTest).

    /usr/bin/python3 core/src/test/resources/models/make_view_cnn.py
"""
import json, os

import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))


class ViewCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 12, 3, padding=1)
        self.pool = nn.MaxPool2d(4)
        self.fc = nn.Linear(12 * 7 * 7, 10)

    def forward(self, x):
        x = self.pool(torch.relu(self.conv(x)))
        return self.fc(x.view(x.size(0), -1))


def main():
    torch.manual_seed(0)
    model = ViewCnn().eval()
    traced = torch.jit.trace(model, torch.rand(1, 1, 28, 28))
    traced.save(os.path.join(HERE, "view_cnn.pt"))
    with open(os.path.join(HERE, "view_cnn.pt.json"), "w") as f:
        json.dump({"layout": "NCHW", "channels": 1, "height": 28, "width": 28, "mean": [0.0], "std": [1.0],
                   "rangeMin": 0.0, "rangeMax": 1.0, "variant": "FLOAT"}, f, indent=2)


if __name__ == "__main__":
    main()
