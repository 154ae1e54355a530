"""Train a Horizon forecasting model and write its model folder.

    python3 models/training/train.py --data TOKENS_DIR --config CONFIG.json --out MODEL_DIR [--max-steps N]

TOKENS_DIR comes from `horizon model tokens --dataset MEDS_DIR --out TOKENS_DIR`.
Training stops at `max_steps` or when the validation loss has not improved for
`patience` evaluations; the best weights are exported.
"""

import argparse
import json
import os
import platform
import time

# torch runs its own intra-op threads; OpenBLAS threads on top of them
# oversubscribe the cores: with the default, a training step took twice as
# long (one torch thread, a 2-core machine shared with other work).
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402
import torch  # noqa: E402

from export import export_model_folder
from horizon_model import HorizonModel, competing_exponential_loss
from token_data import TokenData, make_batch

DEFAULTS = {
    "id": "horizon-model",
    "version": "0.1.0",
    "description": "",
    "d_model": 64,
    "n_layers": 2,
    "n_heads": 4,
    "dropout": 0.1,
    "context_length": 128,
    "batch_size": 32,
    "learning_rate": 1e-3,
    "weight_decay": 0.1,
    "warmup_steps": 50,
    "max_steps": 1000,
    "eval_every": 100,
    "eval_subjects": 1000,
    "patience": 5,
    "max_minutes": None,
    "seed": 1,
    "val_fraction": 0.05,
    "test_fraction": 0.05,
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", required=True, help="folder written by `horizon model tokens`")
    parser.add_argument("--config", required=True, help="JSON file with training settings")
    parser.add_argument("--out", required=True, help="model folder to write")
    parser.add_argument("--max-steps", type=int, help="override max_steps of the config")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="torch threads (default: all cores)")
    args = parser.parse_args()

    with open(args.config, encoding="utf-8") as file:
        config = {**DEFAULTS, **json.load(file)}
    if args.max_steps is not None:
        config["max_steps"] = args.max_steps
    torch.set_num_threads(args.threads)
    torch.manual_seed(config["seed"])

    data = TokenData(args.data)
    train, val, test = data.split(config["seed"], config["val_fraction"], config["test_fraction"])
    model = HorizonModel(
        len(data.vocabulary), config["d_model"], config["n_layers"], config["n_heads"], config["dropout"]
    )
    predictable = torch.from_numpy(~data.input_only)
    print(
        f"{len(train)} train, {len(val)} validation, {len(test)} test subjects; "
        f"vocabulary {len(data.vocabulary)}; {sum(p.numel() for p in model.parameters())} parameters",
        flush=True,
    )

    started = time.time()
    history = train_model(model, data, train, val, predictable, config)
    training_seconds = time.time() - started

    metrics = {
        "validation": evaluate(model, data, val, predictable, config),
        "test": evaluate(model, data, test, predictable, config),
    }
    print(f"validation {metrics['validation']}, test {metrics['test']}", flush=True)
    split = {
        "seed": config["seed"],
        "train_subjects": int(len(train)),
        "validation_subjects": int(len(val)),
        "test_subjects": int(len(test)),
    }
    training = {
        "config": config,
        "steps": history["steps"],
        "best_step": history["best_step"],
        "stop_reason": history["stop_reason"],
        "seconds": round(training_seconds, 1),
        "threads": args.threads,
        "hardware": hardware(),
        "torch_version": torch.__version__,
        "loss_history": history["evaluations"],
    }
    export_model_folder(model, data, args.out, config, split, training, metrics)
    print(f"wrote {args.out}", flush=True)


def hardware():
    """Describe the machine the model trained on: CPU model and core count, and the GPU when used."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            names = [line.split(":", 1)[1].strip() for line in info if line.startswith("model name")]
            if names:
                cpu = names[0]
    except OSError:
        pass
    text = f"{os.cpu_count()} CPU cores ({cpu})"
    if torch.cuda.is_available():
        text += f", GPU {torch.cuda.get_device_name(0)}"
    return text


def learning_rate(step, config):
    """Linear warm-up, then cosine decay to a tenth of the peak at max_steps."""
    peak = config["learning_rate"]
    if step < config["warmup_steps"]:
        return peak * (step + 1) / config["warmup_steps"]
    progress = min(1.0, (step - config["warmup_steps"]) / max(1, config["max_steps"] - config["warmup_steps"]))
    return peak * (0.1 + 0.9 * 0.5 * (1 + np.cos(np.pi * progress)))


def train_model(model, data, train, val, predictable, config):
    optimizer = torch.optim.AdamW(
        model.parameters(), lr=config["learning_rate"], weight_decay=config["weight_decay"], betas=(0.9, 0.99)
    )
    rng = np.random.default_rng(config["seed"])
    best = {"loss": float("inf"), "step": 0, "state": None}
    evaluations = []
    stale = 0
    step = 0
    stop_reason = "max_steps"
    deadline = time.time() + 60 * config["max_minutes"] if config["max_minutes"] else None
    window_loss, window_positions = 0.0, 0

    for step in range(1, config["max_steps"] + 1):
        model.train()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step - 1, config)
        batch = rng.choice(train, size=config["batch_size"], replace=len(train) < config["batch_size"])
        tokens, ages = (torch.from_numpy(a) for a in make_batch(data, batch, config["context_length"], rng))
        logits, _ = model(tokens, ages)
        cross_entropy, waiting, positions = competing_exponential_loss(logits, tokens, ages, predictable)
        loss = (cross_entropy + waiting) / positions.clamp(min=1)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        window_loss += loss.item()
        window_positions += 1

        if step % config["eval_every"] == 0 or step == config["max_steps"]:
            result = evaluate(model, data, val, predictable, config)
            evaluations.append({"step": step, "train_loss": round(window_loss / window_positions, 4), **result})
            print(f"step {step}: train {window_loss / window_positions:.4f}, validation {result}", flush=True)
            window_loss, window_positions = 0.0, 0
            if result["loss"] < best["loss"]:
                best = {"loss": result["loss"], "step": step, "state": _copy_state(model)}
                stale = 0
            else:
                stale += 1
                if stale >= config["patience"]:
                    print(f"early stop at step {step}: no improvement for {stale} evaluations", flush=True)
                    stop_reason = "early_stop"
                    break
            if deadline is not None and time.time() > deadline:
                print(f"time limit of {config['max_minutes']} minutes reached at step {step}", flush=True)
                stop_reason = "time_limit"
                break

    if best["state"] is not None:
        model.load_state_dict(best["state"])
    return {"steps": step, "best_step": best["step"], "stop_reason": stop_reason, "evaluations": evaluations}


def _copy_state(model):
    return {name: value.detach().clone() for name, value in model.state_dict().items()}


@torch.no_grad()
def evaluate(model, data, indices, predictable, config):
    """Mean loss per predicted token over (at most `eval_subjects` of) the given subjects."""
    model.eval()
    indices = indices[: config["eval_subjects"]]
    totals = np.zeros(3)
    for start in range(0, len(indices), config["batch_size"]):
        batch = indices[start : start + config["batch_size"]]
        tokens, ages = (torch.from_numpy(a) for a in make_batch(data, batch, config["context_length"]))
        logits, _ = model(tokens, ages)
        cross_entropy, waiting, positions = competing_exponential_loss(logits, tokens, ages, predictable)
        totals += [cross_entropy.item(), waiting.item(), positions.item()]
    positions = max(1.0, totals[2])
    return {
        "loss": round((totals[0] + totals[1]) / positions, 4),
        "cross_entropy": round(totals[0] / positions, 4),
        "waiting_time_nll": round(totals[1] / positions, 4),
        "tokens": int(totals[2]),
    }


if __name__ == "__main__":
    main()
