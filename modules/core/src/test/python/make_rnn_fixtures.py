#!/usr/bin/env python3
"""Writes the PyTorch reference fixtures for the cell equivalence tests (float64, seeded, deterministic).

Run from the repository root:
    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread /usr/bin/python3 \
        modules/core/src/test/python/make_rnn_fixtures.py

Each fixture holds, in PyTorch's own layouts (batch-first input [mb, T, nIn]):
input, h0 (and c0 for LSTM), the layer's parameters (weight_ih_l0, weight_hh_l0, bias_ih_l0, bias_hh_l0),
a loss weighting `dout` [mb, T, H], the output [mb, T, H] and the gradients of sum(output * dout) with respect to
the input and every parameter. The tests map PyTorch's layouts onto DL4J's.
"""
import json
import os

import torch

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "fixtures")


def tolist(t):
    return t.detach().double().tolist()


def make(kind, seed, mb=3, steps=5, n_in=4, hidden=3):
    torch.manual_seed(seed)
    cls = {"gru": torch.nn.GRU, "lstm": torch.nn.LSTM}[kind]
    layer = cls(n_in, hidden, batch_first=True).double()
    x = torch.randn(mb, steps, n_in, dtype=torch.float64, requires_grad=True)
    h0 = torch.randn(1, mb, hidden, dtype=torch.float64) * 0.5
    dout = torch.randn(mb, steps, hidden, dtype=torch.float64)
    if kind == "lstm":
        c0 = torch.randn(1, mb, hidden, dtype=torch.float64) * 0.5
        out, _ = layer(x, (h0, c0))
    else:
        out, _ = layer(x, h0)
    (out * dout).sum().backward()
    fx = {
        "kind": kind,
        "torch": torch.__version__,
        "miniBatch": mb,
        "steps": steps,
        "nIn": n_in,
        "hidden": hidden,
        "input": tolist(x),
        "h0": tolist(h0[0]),
        "dout": tolist(dout),
        "output": tolist(out),
        "gradInput": tolist(x.grad),
        "params": {},
        "grads": {},
    }
    if kind == "lstm":
        fx["c0"] = tolist(c0[0])
    for name, p in layer.named_parameters():
        fx["params"][name] = tolist(p)
        fx["grads"][name] = tolist(p.grad)
    path = os.path.join(OUT, f"torch_{kind}.json")
    with open(path, "w") as f:
        json.dump(fx, f, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    make("gru", 1234)
    make("lstm", 4321)
