"""Export a trained model to ONNX with its parity file and model card."""

import datetime
import hashlib
import json
import os

import numpy as np
import torch

from horizon_model import AGE_ENCODING_BASE, DAYS_PER_YEAR
from step_model import StepModel

OPSET = 17
CARD_FORMAT = 1
PARITY_BATCH = 2
PARITY_LENGTH = 16
# The parity check runs the cached model over this many tokens, then one step at a time.
PARITY_PREFILL = 10
STEP_FILE = "model-step.onnx"


class FullModel(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, tokens, ages):
        return self.model(tokens, ages)[0]


class CachedModel(torch.nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, tokens, ages, *past):
        logits, present = self.model(tokens, ages, list(past))
        return (logits, *present)


def cache_names(n_layers, prefix):
    return [f"{prefix}.{i}.{part}" for i in range(n_layers) for part in ("key", "value")]


def export_onnx(model, folder):
    model.eval()
    tokens = torch.zeros((1, 4), dtype=torch.int64)
    ages = torch.linspace(0, 3, 4, dtype=torch.float32).unsqueeze(0)
    torch.onnx.export(
        FullModel(model),
        (tokens, ages),
        os.path.join(folder, "model.onnx"),
        input_names=["tokens", "ages"],
        output_names=["logits"],
        dynamic_axes={name: {0: "batch", 1: "sequence"} for name in ("tokens", "ages", "logits")},
        opset_version=OPSET,
    )

    past_names = cache_names(model.n_layers, "past_key_values")
    present_names = cache_names(model.n_layers, "present")
    past = [torch.zeros((1, model.n_heads, 3, model.head_dim)) for _ in past_names]
    axes = {name: {0: "batch", 1: "sequence"} for name in ("tokens", "ages", "logits")}
    axes.update({name: {0: "batch", 2: "past_sequence"} for name in past_names})
    axes.update({name: {0: "batch", 2: "total_sequence"} for name in present_names})
    torch.onnx.export(
        CachedModel(model),
        (tokens, ages + 3.0, *past),
        os.path.join(folder, "model-cached.onnx"),
        input_names=["tokens", "ages", *past_names],
        output_names=["logits", *present_names],
        dynamic_axes=axes,
        opset_version=OPSET,
    )
    export_step_onnx(model, folder)


def export_step_onnx(model, folder):
    """Write model-step.onnx: one token per row over a fixed-capacity cache (step_model.py)."""
    model.eval()
    past_names = cache_names(model.n_layers, "past_key_values")
    new_names = cache_names(model.n_layers, "new_key_values")
    tokens = torch.zeros((2, 1), dtype=torch.int64)
    ages = torch.full((2, 1), 40.0)
    past_length = torch.tensor([3], dtype=torch.int64)
    past = [torch.zeros((2, model.n_heads, 5, model.head_dim)) for _ in past_names]
    axes = {name: {0: "batch"} for name in ("tokens", "ages", "logits", *new_names)}
    axes.update({name: {0: "batch", 2: "capacity"} for name in past_names})
    with torch.no_grad():
        torch.onnx.export(
            StepModel(model),
            (tokens, ages, past_length, *past),
            os.path.join(folder, STEP_FILE),
            input_names=["tokens", "ages", "past_length", *past_names],
            output_names=["logits", *new_names],
            dynamic_axes=axes,
            opset_version=OPSET,
        )


@torch.no_grad()
def write_parity(model, data, folder, seed):
    """Write fixed inputs and the logits PyTorch computes for them.

    The inputs are random predictable tokens at increasing ages, not training
    sequences, so the file contains no patient data.
    """
    model.eval()
    rng = np.random.default_rng(seed)
    allowed = np.flatnonzero(~data.input_only)
    tokens = rng.choice(allowed, size=(PARITY_BATCH, PARITY_LENGTH)).astype(np.int64)
    sex = [i for i, token in enumerate(data.vocabulary) if token["kind"] == "sex"]
    if sex:
        tokens[:, 0] = sex[0]
    ages = np.sort(rng.uniform(0, 90, size=(PARITY_BATCH, PARITY_LENGTH)), axis=1).astype(np.float32)
    ages[:, 0] = 0.0
    logits = model(torch.from_numpy(tokens), torch.from_numpy(ages))[0].numpy()
    parity = {
        "prefill": PARITY_PREFILL,
        "tokens": tokens.tolist(),
        "ages": ages.tolist(),
        "logits": logits.tolist(),
    }
    with open(os.path.join(folder, "parity.json"), "w", encoding="utf-8") as file:
        json.dump(parity, file)


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def export_model_folder(model, data, folder, config, split, training, metrics):
    os.makedirs(folder, exist_ok=True)
    export_onnx(model, folder)
    write_parity(model, data, folder, config["seed"])

    files = ["model.onnx", "model-cached.onnx", STEP_FILE, "parity.json"]
    card = {
        "format": CARD_FORMAT,
        "id": config["id"],
        "version": config["version"],
        "description": config["description"],
        "created": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "architecture": {
            "type": "delphi-decoder",
            "d_model": config["d_model"],
            "layers": model.n_layers,
            "heads": model.n_heads,
            "head_dim": model.head_dim,
            "parameters": sum(p.numel() for p in model.parameters()),
        },
        "inputs": {"tokens": "int64 [batch, sequence]", "ages": "float32 [batch, sequence] years"},
        "outputs": {"logits": "float32 [batch, sequence, vocabulary] log-rate per year"},
        "context_length": config["context_length"],
        "age_encoding": {
            "type": "sinusoidal",
            "unit": "years",
            "position": "age in days (years x 365.25)",
            "days_per_year": DAYS_PER_YEAR,
            "base": AGE_ENCODING_BASE,
        },
        "tokenizer": {
            "no_event_years": data.summary["noEventYears"],
            "icd10": "3-character category",
            "min_count": data.summary["minCount"],
        },
        "vocabulary": data.vocabulary,
        "training_data": {**data.summary, "split": split},
        "training": training,
        "metrics": metrics,
        "opset": OPSET,
        "files": {name: {"sha256": sha256(os.path.join(folder, name))} for name in files},
    }
    with open(os.path.join(folder, "model-card.json"), "w", encoding="utf-8") as file:
        json.dump(card, file, indent=1)
        file.write("\n")
