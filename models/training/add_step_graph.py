"""Add the step graph (model-step.onnx) to a model folder exported without one.

Rebuilds the model from the folder's own model.onnx, so the weights are
exactly those shipped. Checks the step graph's PyTorch logits against
parity.json, then lists the new file's sha256 in the card. model.onnx and
model-cached.onnx are left as they are, so the model hash recorded with
forecast runs does not change.

    /usr/bin/python3 models/training/add_step_graph.py --model DIR [--version V]
"""

import argparse
import json
import os
import sys

import torch

from export import STEP_FILE, export_step_onnx, sha256
from onnx_weights import WeightsError, load_from_onnx
from step_model import StepModel

PARITY_TOLERANCE = 1e-4


@torch.no_grad()
def step_parity(model, folder):
    """Max abs diff against parity.json: prefill with the model, then the step graph's PyTorch twin."""
    with open(os.path.join(folder, "parity.json"), encoding="utf8") as handle:
        parity = json.load(handle)
    tokens = torch.tensor(parity["tokens"], dtype=torch.int64)
    ages = torch.tensor(parity["ages"], dtype=torch.float32)
    expected = torch.tensor(parity["logits"], dtype=torch.float32)
    prefill = parity["prefill"]
    length = tokens.shape[1]

    _, present = model(tokens[:, :prefill], ages[:, :prefill])
    cache = [torch.zeros(t.shape[0], t.shape[1], length, t.shape[3]) for t in present]
    for buffer, tensor in zip(cache, present):
        buffer[:, :, :prefill] = tensor
    step = StepModel(model).eval()
    worst = 0.0
    for position in range(prefill, length):
        logits, *new = step(
            tokens[:, position : position + 1],
            ages[:, position : position + 1],
            torch.tensor([position]),
            *cache,
        )
        for buffer, tensor in zip(cache, new):
            buffer[:, :, position : position + 1] = tensor
        worst = max(worst, (logits[:, 0] - expected[:, position]).abs().max().item())
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True, help="model folder")
    parser.add_argument("--version", help="new card version (the weights are unchanged)")
    args = parser.parse_args()

    try:
        model, card = load_from_onnx(args.model)
    except WeightsError as error:
        sys.exit(f"add_step_graph: {args.model}/model.onnx: {error}")
    diff = step_parity(model, args.model)
    if not diff <= PARITY_TOLERANCE:
        sys.exit(f"add_step_graph: step logits differ from parity.json by {diff:.3g} (tolerance {PARITY_TOLERANCE})")

    export_step_onnx(model, args.model)
    card["files"][STEP_FILE] = {"sha256": sha256(os.path.join(args.model, STEP_FILE))}
    if args.version:
        card["version"] = args.version
    card_path = os.path.join(args.model, "model-card.json")
    with open(card_path, encoding="utf-8") as file:
        # Keep the card's indentation, so the diff shows only what changed.
        lines = file.read().splitlines()
    indent = len(lines[1]) - len(lines[1].lstrip(" ")) if len(lines) > 1 else 1
    with open(card_path, "w", encoding="utf-8") as file:
        json.dump(card, file, indent=indent, ensure_ascii=False)
        file.write("\n")
    print(f"{args.model}: wrote {STEP_FILE} (PyTorch step parity {diff:.2g})")


if __name__ == "__main__":
    main()
