"""One decoding step over a fixed-capacity key/value cache.

The contract's cached graph (model-cached.onnx) concatenates the past keys and
values with the new ones and returns the whole cache, so every step copies the
cache inside onnxruntime and again into JavaScript. The step graph reads a
cache of fixed capacity, of which the first `past_length` positions are valid,
and returns only the new position's key and value. The caller writes them into
its buffer in place. The arithmetic is the same as HorizonModel's, so the
logits agree with the full graph to float rounding.
"""

import math

import torch
from torch import nn


class StepModel(nn.Module):
    """tokens, ages [batch, 1], past_length int64 [1], past caches [batch, heads, capacity, head_dim]."""

    def __init__(self, model):
        super().__init__()
        self.model = model

    def forward(self, tokens, ages, past_length, *past):
        model = self.model
        x = model.token_embedding(tokens) + model.age_encoding(ages)
        new = []
        for i, block in enumerate(model.blocks):
            attended, key, value = _attend(block.attn, block.ln1(x), past_length, past[2 * i], past[2 * i + 1])
            x = x + attended
            x = x + block.mlp(block.ln2(x))
            new.extend([key, value])
        logits = model.ln_final(x) @ model.token_embedding.weight.t()
        return (logits, *new)


def _attend(attn, x, past_length, past_key, past_value):
    batch, _, d_model = x.shape
    q, k, v = attn.qkv(x).split(d_model, dim=-1)
    q = q.view(batch, 1, attn.n_heads, attn.head_dim).transpose(1, 2)
    k = k.view(batch, 1, attn.n_heads, attn.head_dim).transpose(1, 2)
    v = v.view(batch, 1, attn.n_heads, attn.head_dim).transpose(1, 2)
    scale = 1.0 / math.sqrt(attn.head_dim)

    # Scores against the cache, with the unused capacity masked out, and
    # against the new token itself, softmaxed together.
    capacity = past_key.shape[2]
    past_scores = (q @ past_key.transpose(-2, -1)) * scale
    unused = torch.arange(capacity, device=x.device) >= past_length
    past_scores = past_scores.masked_fill(unused.view(1, 1, 1, capacity), -1e9)
    own_score = (q * k).sum(-1, keepdim=True) * scale
    weights = torch.softmax(torch.cat([past_scores, own_score], dim=-1), dim=-1)

    out = weights[..., :capacity] @ past_value + weights[..., capacity:] * v
    out = out.transpose(1, 2).reshape(batch, 1, d_model)
    return attn.proj(out), k, v
