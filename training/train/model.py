"""A plain BERT encoder + token-classification head in PyTorch, with Hugging Face tensor names.

No `transformers` dependency: the module names match HF's BertModel exactly
(embeddings.*, encoder.layer.N.*), so a checkpoint written from it loads in
candle's / HF's BertForTokenClassification under the prefix "bert." plus
"classifier.weight"/"classifier.bias". No pooler (the base has none).
Attention uses an additive mask; GELU is the exact erf form (HF "gelu").
"""
from __future__ import annotations

import json
import os

import torch
from torch import nn
from torch.nn import functional as F

LABELS = ["O", "B-PERSON", "I-PERSON", "B-ORGANIZATION", "I-ORGANIZATION", "B-LOCATION", "I-LOCATION",
          "B-ADDRESS", "I-ADDRESS", "B-HEALTH", "I-HEALTH", "B-SPECIAL_CATEGORY", "I-SPECIAL_CATEGORY"]
LABEL2ID = {lab: i for i, lab in enumerate(LABELS)}


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c["vocab_size"], c["hidden_size"])
        self.position_embeddings = nn.Embedding(c["max_position_embeddings"], c["hidden_size"])
        self.token_type_embeddings = nn.Embedding(c.get("type_vocab_size", 2), c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c.get("layer_norm_eps", 1e-12))
        self.dropout = nn.Dropout(c.get("hidden_dropout_prob", 0.1))

    def forward(self, ids):
        pos = torch.arange(ids.shape[1], device=ids.device).unsqueeze(0)
        x = self.word_embeddings(ids) + self.position_embeddings(pos) + self.token_type_embeddings(torch.zeros_like(ids))
        return self.dropout(self.LayerNorm(x))


class SelfAttn(nn.Module):
    def __init__(self, c):
        super().__init__()
        h = c["hidden_size"]
        self.heads = c["num_attention_heads"]
        self.query, self.key, self.value = nn.Linear(h, h), nn.Linear(h, h), nn.Linear(h, h)
        self.p = c.get("attention_probs_dropout_prob", 0.1)

    def forward(self, x, mask):
        b, n, h = x.shape
        sh = lambda t: t.view(b, n, self.heads, h // self.heads).transpose(1, 2)  # noqa: E731
        q, k, v = sh(self.query(x)), sh(self.key(x)), sh(self.value(x))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        return out.transpose(1, 2).reshape(b, n, h)


class Dense(nn.Module):
    """dense + dropout + residual LayerNorm (HF BertSelfOutput / BertOutput)."""

    def __init__(self, c, din):
        super().__init__()
        self.dense = nn.Linear(din, c["hidden_size"])
        self.LayerNorm = nn.LayerNorm(c["hidden_size"], eps=c.get("layer_norm_eps", 1e-12))
        self.dropout = nn.Dropout(c.get("hidden_dropout_prob", 0.1))

    def forward(self, x, resid):
        return self.LayerNorm(self.dropout(self.dense(x)) + resid)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        setattr(self, "self", SelfAttn(c))
        self.output = Dense(c, c["hidden_size"])

    def forward(self, x, mask):
        return self.output(getattr(self, "self")(x, mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c["hidden_size"], c["intermediate_size"])

    def forward(self, x):
        return F.gelu(self.dense(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = Dense(c, c["intermediate_size"])

    def forward(self, x, mask):
        a = self.attention(x, mask)
        return self.output(self.intermediate(a), a)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c["num_hidden_layers"])])

    def forward(self, x, mask):
        for lay in self.layer:
            x = lay(x, mask)
        return x


class Bert(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)

    def forward(self, ids, attn):
        # additive mask [b, 1, 1, n]: 0 for real pieces, -inf-ish for padding
        mask = (1.0 - attn[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        return self.encoder(self.embeddings(ids), mask)


def load_checkpoint(path: str):
    """-> (BertTagger in fp32, the raw checkpoint dict) from a checkpoint.pt written by train.py."""
    ck = torch.load(path, map_location="cpu", weights_only=False)
    model = BertTagger(ck["config"])
    model.load_state_dict({k: v.float() for k, v in ck["state_dict"].items()})
    return model, ck


class BertTagger(nn.Module):
    def __init__(self, c, num_labels=len(LABELS)):
        super().__init__()
        self.config = c
        self.bert = Bert(c)
        self.dropout = nn.Dropout(c.get("hidden_dropout_prob", 0.1))
        self.classifier = nn.Linear(c["hidden_size"], num_labels)
        nn.init.normal_(self.classifier.weight, std=c.get("initializer_range", 0.02))
        nn.init.zeros_(self.classifier.bias)

    def forward(self, ids, attn):
        return self.classifier(self.dropout(self.bert(ids, attn)))


def load_base(folder: str, layers: int | None = None) -> BertTagger:
    """BERT weights from an HF folder (names with or without "bert."), first `layers` layers kept."""
    from safetensors.torch import load_file

    c = json.load(open(os.path.join(folder, "config.json")))
    if layers:
        if layers > c["num_hidden_layers"]:
            raise SystemExit(f"--layers {layers} > {c['num_hidden_layers']} layers in the base")
        c["num_hidden_layers"] = layers
    model = BertTagger(c)
    sd = load_file(os.path.join(folder, "model.safetensors"))
    sd = {k[5:] if k.startswith("bert.") else k: v for k, v in sd.items()}
    want = model.bert.state_dict()
    missing = [k for k in want if k not in sd]
    if missing:
        raise SystemExit(f"base is missing tensors: {missing[:5]}")
    model.bert.load_state_dict({k: sd[k] for k in want})
    if "classifier.weight" in sd and sd["classifier.weight"].shape == model.classifier.weight.shape:
        model.classifier.load_state_dict({"weight": sd["classifier.weight"], "bias": sd["classifier.bias"]})
    return model


def toy_config(vocab_size: int) -> dict:
    """A tiny random BERT for tests when no base exists."""
    return {"vocab_size": vocab_size, "hidden_size": 32, "num_hidden_layers": 2, "num_attention_heads": 4,
            "intermediate_size": 64, "max_position_embeddings": 512, "type_vocab_size": 2,
            "layer_norm_eps": 1e-12, "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
            "initializer_range": 0.02, "pad_token_id": 1, "model_type": "bert", "hidden_act": "gelu"}


def init_weights(model: nn.Module, std: float = 0.02) -> None:
    for mod in model.modules():
        if isinstance(mod, (nn.Linear, nn.Embedding)):
            nn.init.normal_(mod.weight, std=std)
        if isinstance(mod, nn.Linear) and mod.bias is not None:
            nn.init.zeros_(mod.bias)
