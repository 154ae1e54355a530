"""Training arrays written by `horizon model tokens` (the TypeScript tokenizer), read with numpy."""

import json
import os

import numpy as np

INPUT_ONLY_KINDS = {"padding", "sex", "lifestyle"}


class TokenData:
    def __init__(self, folder: str):
        self.folder = folder
        self.tokens = np.load(os.path.join(folder, "tokens.npy"))
        self.ages = np.load(os.path.join(folder, "ages.npy"))
        self.offsets = np.load(os.path.join(folder, "offsets.npy"))
        self.subjects = np.load(os.path.join(folder, "subjects.npy"))
        with open(os.path.join(folder, "vocabulary.json"), encoding="utf-8") as file:
            self.vocabulary = json.load(file)
        with open(os.path.join(folder, "summary.json"), encoding="utf-8") as file:
            self.summary = json.load(file)
        self.input_only = np.array([token["kind"] in INPUT_ONLY_KINDS for token in self.vocabulary])

    def __len__(self):
        return len(self.subjects)

    def sequence(self, index: int):
        start, end = self.offsets[index], self.offsets[index + 1]
        return self.tokens[start:end], self.ages[start:end]

    def split(self, seed: int, val_fraction: float, test_fraction: float):
        """Split subject indices into train, validation and test sets by a seeded permutation."""
        order = np.random.default_rng(seed).permutation(len(self))
        n_val = max(1, int(round(len(self) * val_fraction)))
        n_test = max(1, int(round(len(self) * test_fraction)))
        return order[n_val + n_test :], order[:n_val], order[n_val : n_val + n_test]


def truncate(tokens, ages, length: int, input_only):
    """Keep at most `length` tokens by dropping the oldest events but never sex or lifestyle tokens.

    This is the rule inference applies (electron/model/tokenizer.ts, truncateSequence).
    """
    excess = len(tokens) - length
    if excess <= 0:
        return tokens, ages
    droppable = np.flatnonzero(~input_only[tokens])[:excess]
    keep = np.ones(len(tokens), dtype=bool)
    keep[droppable] = False
    return tokens[keep][:length], ages[keep][:length]


def make_batch(data: TokenData, indices, length: int, rng=None):
    """Right-padded int64 tokens and float32 ages [batch, length].

    With `rng`, each long sequence is cut at a random end point, so training
    sees every part of long histories; without it, the last `length` tokens.
    The end point is drawn so that every position, the last one included, is
    in the window equally often: drawn only up to the sequence's length, the
    last token (death, for those who died) was in one window in
    len - length + 1, and the model learned death rates several times too low.
    """
    tokens = np.zeros((len(indices), length), dtype=np.int64)
    ages = np.zeros((len(indices), length), dtype=np.float32)
    for row, index in enumerate(indices):
        seq_tokens, seq_ages = data.sequence(index)
        if rng is not None and len(seq_tokens) > length:
            end = min(len(seq_tokens), rng.integers(length, len(seq_tokens) + length))
            seq_tokens, seq_ages = seq_tokens[:end], seq_ages[:end]
        seq_tokens, seq_ages = truncate(seq_tokens, seq_ages, length, data.input_only)
        tokens[row, : len(seq_tokens)] = seq_tokens
        ages[row, : len(seq_ages)] = seq_ages
        # Padding repeats the last age so its waiting times are zero and finite.
        ages[row, len(seq_ages) :] = seq_ages[-1]
    return tokens, ages
