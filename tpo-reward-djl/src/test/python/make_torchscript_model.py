"""Writes the tiny TorchScript reward model used by TorchScriptScorerTest.

Same idea as the ONNX test model (TinyRewardModel.java): token + position embeddings, tanh,
mean over the attention mask, a linear head to one logit, shape [batch, 1]. Inputs are int64
input_ids and attention_mask, in that order, as a traced Hugging Face model takes them.
The vocabulary matches the MiniLM tokenizer.json the tests use (30522 tokens).

Run with Debian's torch (apt-get install python3-torch), from this directory:
    /usr/bin/python3 make_torchscript_model.py
It writes ../resources/dev/tpo/reward/djl/torchscript/model.pt (about 1 MB); the seed is fixed.
"""
import os

import torch


class TinyRewardModel(torch.nn.Module):
    def __init__(self, vocab: int = 30522, dim: int = 8, positions: int = 64):
        super().__init__()
        self.tokens = torch.nn.Embedding(vocab, dim)
        self.positions = torch.nn.Embedding(positions, dim)
        self.head = torch.nn.Linear(dim, 1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        position_ids = torch.cumsum(attention_mask, dim=1) - 1
        hidden = torch.tanh(self.tokens(input_ids) + self.positions(position_ids.clamp(min=0)))
        mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1.0)
        return self.head(pooled)


def main() -> None:
    torch.manual_seed(20250123)
    model = TinyRewardModel().eval()
    scripted = torch.jit.script(model)
    here = os.path.dirname(os.path.abspath(__file__))
    out = os.path.join(here, "..", "resources", "dev", "tpo", "reward", "djl", "torchscript",
                       "model.pt")
    scripted.save(out)
    ids = torch.tensor([[101, 2054, 102, 0], [101, 2054, 2003, 102]])
    mask = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    print(out, scripted(ids, mask).flatten().tolist())


if __name__ == "__main__":
    main()
