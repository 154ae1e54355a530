"""PyTorch reference for the forecast benchmark (bench/forecast/run.ts).

Rebuilds the PyTorch HorizonModel (models/training/horizon_model.py) from the
initializers of a model folder's model.onnx, checks it against the folder's
parity.json (max abs diff <= 1e-4, full and cached) and then samples the
histories that the TypeScript side wrote, batch for batch, the way
electron/model/sampler.ts does: prefill once, repeat each patient's key/value
cache for its samples, then one token per trajectory per step; competing
exponentials over the predictable tokens, chronic conditions already present
blocked, stop at death, at the horizon or when the token budget is spent,
finished rows dropped from the batch when they fall to 75% of it, and the
first-occurrence hazard accumulated per token.

The draw is Delphi's: every allowed token gets an exponential time with rate
exp(logit) and the earliest wins, vectorised over the batch. It has the same
distribution as sampler.ts's total-rate-then-token draw, but uses torch's
generator, so single trajectories differ while the statistics agree.

    /usr/bin/python3 bench/forecast/reference_sampler.py --model DIR \
        --histories FILE --threads T [--seed S]

Prints one JSON line prefixed with BENCH_FORECAST_REFERENCE.
"""

import argparse
import json
import os
import resource
import sys
import time

import torch

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "models", "training"))
from onnx_weights import WeightsError, load_from_onnx  # noqa: E402
from step_model import StepModel  # noqa: E402

PARITY_TOLERANCE = 1e-4
# sampler.ts COMPACT_BELOW: drop finished rows once the active ones fall to this share.
COMPACT_BELOW = 0.75
# static-cache.ts GROW_BY: positions added to a full static cache.
GROW_BY = 16
RESULT_PREFIX = "BENCH_FORECAST_REFERENCE "


def fail(message):
    print(f"reference_sampler: {message}", file=sys.stderr)
    sys.exit(1)


def load_model(folder):
    """Rebuild HorizonModel from model.onnx (models/training/onnx_weights.py)."""
    try:
        return load_from_onnx(folder)
    except WeightsError as error:
        fail(f"{folder}/model.onnx: {error}")


def check_parity(model, folder):
    """Max abs diff against parity.json, full sequence and cached (prefill, then one token per step)."""
    with open(os.path.join(folder, "parity.json"), encoding="utf8") as handle:
        parity = json.load(handle)
    tokens = torch.tensor(parity["tokens"], dtype=torch.int64)
    ages = torch.tensor(parity["ages"], dtype=torch.float32)
    expected = torch.tensor(parity["logits"], dtype=torch.float32)
    with torch.inference_mode():
        full, _ = model(tokens, ages)
        full_diff = (full - expected).abs().max().item()
        past = None
        steps = []
        start = 0
        while start < tokens.shape[1]:
            end = parity["prefill"] if start == 0 else start + 1
            logits, past = model(tokens[:, start:end], ages[:, start:end], past)
            steps.append(logits)
            start = end
        cached_diff = (torch.cat(steps, dim=1) - expected).abs().max().item()
    return full_diff, cached_diff


class StaticCache:
    """The step graph's decoding in PyTorch (static-cache.ts): fixed capacity, grown by 16 when full."""

    def __init__(self, model, present, samples, limit):
        self.step_model = StepModel(model).eval()
        self.length = present[0].shape[2]
        self.limit = limit
        capacity = min(limit, self.length + GROW_BY)
        self.buffers = []
        for tensor in present:
            buffer = torch.zeros(tensor.shape[0] * samples, tensor.shape[1], capacity, tensor.shape[3])
            buffer[:, :, : self.length] = tensor.repeat_interleave(samples, dim=0)
            self.buffers.append(buffer)

    def keep(self, rows):
        self.buffers = [buffer.index_select(0, rows) for buffer in self.buffers]

    def step(self, tokens, ages):
        if self.length >= self.buffers[0].shape[2]:
            capacity = min(self.limit, self.length + GROW_BY)
            grown = []
            for buffer in self.buffers:
                rows, heads, _, head_dim = buffer.shape
                bigger = torch.zeros(rows, heads, capacity, head_dim)
                bigger[:, :, : self.length] = buffer[:, :, : self.length]
                grown.append(bigger)
            self.buffers = grown
        logits, *new = self.step_model(tokens, ages, torch.tensor([self.length]), *self.buffers)
        for buffer, tensor in zip(self.buffers, new):
            buffer[:, :, self.length : self.length + 1] = tensor
        self.length += 1
        return logits


class GrowingCache:
    """HorizonModel's own decoding: the cache grows by concatenation every step."""

    def __init__(self, model, present, samples):
        self.model = model
        self.past = [tensor.repeat_interleave(samples, dim=0) for tensor in present]

    def keep(self, rows):
        self.past = [tensor.index_select(0, rows) for tensor in self.past]

    def step(self, tokens, ages):
        logits, self.past = self.model(tokens, ages, self.past)
        return logits


def sample_batch(model, batch, setup, generator, stats):
    """Sample `samples` trajectories for each history of one equal-length batch."""
    samples = setup["samples"]
    horizon = setup["horizonYears"]
    max_new = setup["maxNewTokens"]
    allowed = setup["allowed"]
    chronic = setup["chronic"]
    death = setup["death"]
    no_event = setup["noEvent"]
    vocab = allowed.shape[0]

    tokens = torch.tensor(batch["tokens"], dtype=torch.int64)
    ages_in = torch.tensor(batch["ages"], dtype=torch.float32)
    patients, length = tokens.shape
    rows = patients * samples

    logits, present = model(tokens, ages_in)
    if setup["staticCache"]:
        cache = StaticCache(model, present, samples, length + max_new)
    else:
        cache = GrowingCache(model, present, samples)
    logits = logits[:, -1].repeat_interleave(samples, dim=0)

    # Sampling starts at the forecast date, as in sampler.ts (the first wait is memoryless).
    last_ages = torch.tensor(batch["ages"], dtype=torch.float64)[:, -1]
    start = torch.maximum(torch.tensor(batch["startAges"], dtype=torch.float64), last_ages)
    start = start.repeat_interleave(samples)
    ages = start.clone()
    end_age = start + horizon
    active = torch.ones(rows, dtype=torch.bool)
    in_history = torch.zeros(patients, vocab, dtype=torch.bool)
    in_history.scatter_(1, tokens, True)
    # Chronic conditions truncated from the history are blocked as well.
    for patient, dropped in enumerate(batch["droppedChronic"]):
        in_history[patient, dropped] = True
    blocked = (in_history & chronic).repeat_interleave(samples, dim=0)
    seen = torch.zeros(rows, vocab, dtype=torch.bool)
    hazard = torch.zeros(rows, vocab, dtype=torch.float64)
    new_tokens = torch.full((rows, max_new), -1, dtype=torch.int64)
    delays = torch.zeros(rows, max_new, dtype=torch.float64)
    counts = torch.zeros(rows, dtype=torch.int64)
    died = torch.zeros(rows, dtype=torch.bool)
    truncated = torch.zeros(rows, dtype=torch.bool)

    positions = torch.arange(rows)
    step = 0
    while True:
        width = positions.shape[0]
        row_active = active[positions]
        rates = torch.exp(logits.double())
        open_tokens = allowed & ~blocked[positions]
        # Competing exponentials: each open token fires after Exp(rate); the earliest wins.
        times = torch.empty(width, vocab, dtype=torch.float64).exponential_(generator=generator) / rates
        times = times.masked_fill(~open_tokens, float("inf"))
        wait, token = times.min(dim=1)

        age_now = ages[positions]
        stay = torch.minimum(wait, end_age[positions] - age_now).clamp(min=0)
        stay = torch.where(row_active, stay, torch.zeros_like(stay))
        first = open_tokens & ~seen[positions]
        hazard[positions] += torch.where(first, rates * stay.unsqueeze(1), torch.zeros_like(rates))

        new_age = age_now + wait
        ends = torch.isinf(wait) | (new_age - start[positions] > horizon)
        fired = row_active & ~ends
        fired_rows = positions[fired]
        fired_tokens = token[fired]
        new_tokens[fired_rows, step] = fired_tokens
        delays[fired_rows, step] = new_age[fired] - start[fired_rows]
        counts[fired_rows] += 1
        seen[fired_rows, fired_tokens] = True
        ages[fired_rows] = new_age[fired]
        is_death = death[fired_tokens]
        died[fired_rows[is_death]] = True
        blocked[fired_rows, fired_tokens] |= chronic[fired_tokens]
        active[positions[row_active & ends]] = False
        active[fired_rows[is_death]] = False

        next_tokens = torch.where(fired, token, torch.full_like(token, no_event))
        next_ages = ages[positions].float()
        still = active[positions]
        still_count = int(still.sum())
        if still_count == 0:
            break
        if step + 1 >= max_new:
            truncated[positions[still]] = True
            break
        if still_count <= width * COMPACT_BELOW:
            keep = still.nonzero().squeeze(1)
            cache.keep(keep)
            next_tokens = next_tokens[keep]
            next_ages = next_ages[keep]
            positions = positions[keep]
        logits = cache.step(next_tokens.unsqueeze(1), next_ages.unsqueeze(1))
        logits = logits[:, 0]
        step += 1

    stats["trajectories"] += rows
    stats["newTokens"] += int(counts.sum())
    stats["deaths"] += int(died.sum())
    stats["truncated"] += int(truncated.sum())
    stats["hazardSum"] += float(hazard.sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--histories", required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--static-cache",
        action="store_true",
        help="decode as the step graph does (step_model.py) instead of HorizonModel's growing cache",
    )
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_num_interop_threads(1)
    model, card = load_model(args.model)
    full_diff, cached_diff = check_parity(model, args.model)
    if not (full_diff <= PARITY_TOLERANCE and cached_diff <= PARITY_TOLERANCE):
        fail(
            f"the PyTorch model rebuilt from {args.model}/model.onnx does not match parity.json "
            f"(max abs diff full {full_diff:.3g}, cached {cached_diff:.3g}; tolerance {PARITY_TOLERANCE})"
        )

    with open(args.histories, encoding="utf8") as handle:
        data = json.load(handle)
    vocab = len(card["vocabulary"])
    if len(data["allowed"]) != vocab:
        fail(f"{args.histories} was written for a vocabulary of {len(data['allowed'])} tokens, the model has {vocab}")
    setup = {
        "samples": data["samples"],
        "horizonYears": data["horizonYears"],
        "maxNewTokens": data["maxNewTokens"],
        "allowed": torch.tensor(data["allowed"], dtype=torch.bool),
        "chronic": torch.tensor(data["chronic"], dtype=torch.bool),
        "death": torch.tensor(data["death"], dtype=torch.bool),
        "noEvent": data["noEvent"],
        "staticCache": args.static_cache,
    }
    generator = torch.Generator().manual_seed(args.seed)
    stats = {"trajectories": 0, "newTokens": 0, "deaths": 0, "truncated": 0, "hazardSum": 0.0}
    started = time.perf_counter()
    with torch.inference_mode():
        for batch in data["batches"]:
            sample_batch(model, batch, setup, generator, stats)
    seconds = time.perf_counter() - started

    result = {
        **stats,
        "seconds": seconds,
        "trajectoriesPerSecond": stats["trajectories"] / seconds,
        "parityMaxDiff": {"full": full_diff, "cached": cached_diff},
        "torch": torch.__version__,
        "staticCache": args.static_cache,
        "threads": torch.get_num_threads(),
        "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
    }
    print(RESULT_PREFIX + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
