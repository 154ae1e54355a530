"""Delphi-style decoder over health-event timelines.

Each token is an event; time enters only through a sinusoidal encoding of the
age (in years) at that event, so there are no position embeddings. The output
at each position is a log-rate per year for every token to be the next event.
The next event and its waiting time follow competing exponentials: token k
fires after an exponential time with rate exp(logit_k), and the earliest wins.
"""

import math

import torch
from torch import nn
from torch.nn import functional as F

DAYS_PER_YEAR = 365.25
AGE_ENCODING_BASE = 10000.0
# Waiting times are floored at one day: several events on the same day would
# otherwise make the exponential likelihood unbounded as the rate grows.
MIN_WAIT_YEARS = 1.0 / DAYS_PER_YEAR


class AgeEncoding(nn.Module):
    """Sinusoidal encoding of age, as the transformer position encoding with age in days as the position."""

    def __init__(self, d_model: int):
        super().__init__()
        exponents = torch.arange(0, d_model, 2, dtype=torch.float32) / d_model
        self.register_buffer("inv_freq", 1.0 / (AGE_ENCODING_BASE**exponents), persistent=False)

    def forward(self, ages: torch.Tensor) -> torch.Tensor:
        angles = (ages.unsqueeze(-1) * DAYS_PER_YEAR) * self.inv_freq
        return torch.cat([torch.sin(angles), torch.cos(angles)], dim=-1)


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)
        self.proj = nn.Linear(d_model, d_model)
        self.dropout = nn.Dropout(dropout)

    def forward(self, x, past_key=None, past_value=None):
        batch, seq, d_model = x.shape
        q, k, v = self.qkv(x).split(d_model, dim=-1)
        q = q.view(batch, seq, self.n_heads, self.head_dim).transpose(1, 2)
        k = k.view(batch, seq, self.n_heads, self.head_dim).transpose(1, 2)
        v = v.view(batch, seq, self.n_heads, self.head_dim).transpose(1, 2)
        if past_key is not None:
            k = torch.cat([past_key, k], dim=2)
            v = torch.cat([past_value, v], dim=2)

        # New token j sits at absolute index past + j and sees every key up to it.
        total = k.shape[2]
        past = total - seq
        rows = torch.arange(seq, device=x.device).unsqueeze(1) + past
        cols = torch.arange(total, device=x.device).unsqueeze(0)
        allowed = cols <= rows

        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(self.head_dim))
        scores = scores.masked_fill(~allowed, -1e9)
        weights = self.dropout(torch.softmax(scores, dim=-1))
        out = (weights @ v).transpose(1, 2).reshape(batch, seq, d_model)
        return self.proj(out), k, v


class Block(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = CausalSelfAttention(d_model, n_heads, dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(
            nn.Linear(d_model, 4 * d_model),
            nn.GELU(),
            nn.Linear(4 * d_model, d_model),
            nn.Dropout(dropout),
        )

    def forward(self, x, past_key=None, past_value=None):
        attended, key, value = self.attn(self.ln1(x), past_key, past_value)
        x = x + attended
        x = x + self.mlp(self.ln2(x))
        return x, key, value


class HorizonModel(nn.Module):
    def __init__(self, vocab_size: int, d_model: int, n_layers: int, n_heads: int, dropout: float):
        super().__init__()
        self.vocab_size = vocab_size
        self.n_layers = n_layers
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.token_embedding = nn.Embedding(vocab_size, d_model)
        self.age_encoding = AgeEncoding(d_model)
        self.dropout = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d_model, n_heads, dropout) for _ in range(n_layers)])
        self.ln_final = nn.LayerNorm(d_model)
        self.apply(_init_weights)

    def forward(self, tokens, ages, past=None):
        """Return log-rates [batch, seq, vocab] and the key/value cache of every layer."""
        x = self.dropout(self.token_embedding(tokens) + self.age_encoding(ages))
        present = []
        for i, block in enumerate(self.blocks):
            past_key, past_value = (past[2 * i], past[2 * i + 1]) if past is not None else (None, None)
            x, key, value = block(x, past_key, past_value)
            present.extend([key, value])
        # Tied output embedding: the log-rate of token k is the hidden state dotted with its embedding.
        logits = self.ln_final(x) @ self.token_embedding.weight.t()
        return logits, present


def _init_weights(module):
    if isinstance(module, nn.Linear):
        nn.init.normal_(module.weight, std=0.02)
        nn.init.zeros_(module.bias)
    elif isinstance(module, nn.Embedding):
        nn.init.normal_(module.weight, std=0.02)


def competing_exponential_loss(logits, tokens, ages, predictable):
    """Next-token cross-entropy plus the exponential waiting-time negative log-likelihood.

    `predictable` is a bool [vocab] tensor: tokens the model may generate. Other
    tokens (padding, sex, lifestyle) are left out of the total rate, and
    positions whose next token is one of them add nothing to the loss.
    Returns (cross_entropy, waiting_time_nll, positions), summed over positions.
    """
    logits = logits[:, :-1].masked_fill(~predictable, float("-inf"))
    targets = tokens[:, 1:]
    waits = (ages[:, 1:] - ages[:, :-1]).clamp(min=MIN_WAIT_YEARS)
    valid = predictable[targets]

    log_total_rate = torch.logsumexp(logits, dim=-1)
    target_logit = logits.gather(-1, targets.unsqueeze(-1)).squeeze(-1)
    cross_entropy = log_total_rate - target_logit
    waiting_nll = torch.exp(log_total_rate) * waits - log_total_rate

    cross_entropy = torch.where(valid, cross_entropy, torch.zeros_like(cross_entropy))
    waiting_nll = torch.where(valid, waiting_nll, torch.zeros_like(waiting_nll))
    return cross_entropy.sum(), waiting_nll.sum(), valid.sum()
