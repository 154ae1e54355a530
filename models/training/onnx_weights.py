"""Rebuild a PyTorch HorizonModel from the initializers of an exported model.onnx.

Shipped model folders hold ONNX graphs only. This lets the forecast benchmark's
PyTorch reference and `add_step_graph.py` work from the exact weights a
folder ships, without a training checkpoint.
"""

import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from horizon_model import HorizonModel


class WeightsError(Exception):
    """model.onnx does not hold the weights of a HorizonModel with the card's architecture."""


def load_from_onnx(folder):
    """Return (model, card): HorizonModel with model.onnx's weights, in eval mode."""
    with open(os.path.join(folder, "model-card.json"), encoding="utf8") as handle:
        card = json.load(handle)
    arch = card["architecture"]
    vocab = len(card["vocabulary"])
    model = HorizonModel(vocab, arch["d_model"], arch["layers"], arch["heads"], dropout=0.0)

    graph = onnx.load(os.path.join(folder, "model.onnx")).graph
    initializers = {item.name: numpy_helper.to_array(item) for item in graph.initializer}
    state = {}
    # Named initializers (embedding, layer norms, biases) carry the export
    # wrapper's "model." prefix.
    for name, value in initializers.items():
        if name.startswith("model."):
            state[name[len("model."):]] = torch.from_numpy(value.copy())

    # The Linear weights were folded into MatMul constants ([in, out], the
    # transpose of nn.Linear's [out, in]) and lost their names. They appear in
    # graph order: per block qkv, proj, mlp.0, mlp.2, then the tied output
    # embedding. Map them by that order and check every shape.
    matmul_weights = [
        node.input[1]
        for node in graph.node
        if node.op_type == "MatMul" and node.input[1] in initializers and not node.input[1].startswith("model.")
    ]
    linear_names = []
    for i in range(arch["layers"]):
        for part in ("attn.qkv", "attn.proj", "mlp.0", "mlp.2"):
            linear_names.append(f"blocks.{i}.{part}.weight")
    if len(matmul_weights) not in (len(linear_names), len(linear_names) + 1):
        raise WeightsError(
            f"model.onnx has {len(matmul_weights)} MatMul weight initializers; "
            f"expected {len(linear_names)} (+1 for the tied output) for {arch['layers']} layers"
        )
    expected_shapes = dict((name, tuple(p.shape)) for name, p in model.state_dict().items())
    for name, source in zip(linear_names, matmul_weights):
        weight = torch.from_numpy(initializers[source].T.copy())
        if tuple(weight.shape) != expected_shapes[name]:
            raise WeightsError(
                f"{source} has shape {list(initializers[source].shape)}, which does not fit {name} {list(expected_shapes[name])}"
            )
        state[name] = weight
    if len(matmul_weights) > len(linear_names):
        tied = initializers[matmul_weights[-1]].T
        if tied.shape != tuple(state["token_embedding.weight"].shape) or not np.allclose(
            tied, state["token_embedding.weight"].numpy()
        ):
            raise WeightsError(f"{matmul_weights[-1]} is not the transposed token embedding (tied output)")

    # NOTE: torch.onnx.export merges initializers with equal values, such as the
    # zero biases of an untrained model; such a folder fails the check below.
    missing = sorted(set(expected_shapes) - set(state))
    unexpected = sorted(set(state) - set(expected_shapes))
    if missing or unexpected:
        raise WeightsError(f"state from model.onnx does not fit HorizonModel: missing {missing}, unexpected {unexpected}")
    model.load_state_dict(state, strict=True)
    model.eval()
    return model, card
