"""PyTorch's own FGSM and PGD accuracies for tiny_cnn.pt, for the Java attacks to match.

    /usr/bin/python3 core/src/test/resources/models/make_attack_reference.py

Uses the same reference routine as the zoo recipe (models/recipe/train_export.py: first 1,000 test
images, ε in {0.01, 0.02, 0.05, 0.1}, PGD 10 steps of ε/4, no random start) on the committed model.
"""
import json, os, sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "../../../../../models/recipe"))
import train_export as T  # noqa: E402


def main():
    torch.set_num_threads(2)
    model = torch.jit.load(os.path.join(HERE, "tiny_cnn.pt")).eval()
    xte, yte = T.load("t10k")
    ref = T.reference_attacks(model, xte[:1000], yte[:1000])
    ref["model"] = "tiny_cnn.pt"
    ref["torch"] = torch.__version__
    with open(os.path.join(HERE, "tiny_cnn_attacks.json"), "w") as f:
        json.dump(ref, f, indent=1)
    print(json.dumps(ref), file=sys.stderr)


if __name__ == "__main__":
    main()
