#!/usr/bin/env python3
"""PyTorch reference for nn.Attention: writes nn/testdata/attention.json, read by TestAttentionPyTorchParity.

  /usr/bin/python3 scripts/attention_fixture.py [--out nn/testdata/attention.json]

For each kind ("additive", Bahdanau et al. 2015; "general" and "dot", Luong et al. 2015) it builds the
attention with torch.nn.Linear layers in float64 from a fixed seed, runs it over a ragged batch of key
sequences (one of length 0) for several decoder steps, and records the inputs, the parameters, the
outputs (contexts, weights), the loss sum_t (ctx_t * wc_t) + sum_t (alpha_t * wa_t) and its gradients
with respect to the queries, the keys and every parameter, computed by autograd.

Layout: everything is time-major like nn.Batch: keys [S][B][Key], queries [T][B][Query], contexts and
wc [T][B][Key], weights and wa [T][B][S]. Parameters are in nn's layout (In x Out, the transpose of
torch.nn.Linear.weight): Wq [Query][Hidden], Wk [Key][Hidden], b [Hidden] (the bias of the key Linear),
v [Hidden], W [Query][Key] (general: e = q W k^T, i.e. torch's Linear(Key, Query).weight).
Needs Debian's python3-torch (PyTorch is a peer, not a dependency of the Go code)."""
import argparse, json, os
import torch, torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "nn", "testdata", "attention.json"))
ap.add_argument("--seed", type=int, default=2015)
args = ap.parse_args()

torch.manual_seed(args.seed)
dt = torch.float64
B, S, T = 4, 4, 3  # sequences, key positions, decoder steps
LENGTHS = [4, 1, 0, 3]  # ragged, with an empty sequence
HIDDEN = 4


def case(kind, query, key):
    hidden = HIDDEN if kind == "additive" else 0
    if kind == "additive":
        lin_q = nn.Linear(query, hidden, bias=False).double()
        lin_k = nn.Linear(key, hidden, bias=True).double()
        lin_v = nn.Linear(hidden, 1, bias=False).double()
        named = {"Wq": lin_q.weight, "Wk": lin_k.weight, "b": lin_k.bias, "v": lin_v.weight}
    elif kind == "general":
        lin_w = nn.Linear(key, query, bias=False).double()
        named = {"W": lin_w.weight}
    else:
        named = {}

    keys = torch.randn(S, B, key, dtype=dt, requires_grad=True)
    queries = torch.randn(T, B, query, dtype=dt, requires_grad=True)
    wc = torch.randn(T, B, key, dtype=dt)
    wa = torch.randn(T, B, S, dtype=dt)
    # mask[b, s]: position s of sequence b is a real key.
    mask = torch.tensor([[s < n for s in range(S)] for n in LENGTHS])
    kb = keys.transpose(0, 1)  # [B, S, Key]

    if kind == "additive":
        kp = lin_k(kb)  # [B, S, H]: k W_k + b, once for all steps
    elif kind == "general":
        kp = lin_w(kb)  # [B, S, Query]: k W^T

    contexts, weights = [], []
    for t in range(T):
        q = queries[t]  # [B, Query]
        if kind == "additive":
            e = lin_v(torch.tanh(lin_q(q).unsqueeze(1) + kp)).squeeze(2)  # [B, S]
        elif kind == "general":
            e = torch.bmm(kp, q.unsqueeze(2)).squeeze(2)
        else:
            e = torch.bmm(kb, q.unsqueeze(2)).squeeze(2)
        # A large finite fill rather than -inf: a row with no key (length 0) then gets a finite softmax that
        # the mask zeroes, where -inf would give NaN; in the other rows exp of the fill is exactly 0.
        alpha = torch.softmax(e.masked_fill(~mask, -1e300), dim=1) * mask
        contexts.append(torch.bmm(alpha.unsqueeze(1), kb).squeeze(1))  # [B, Key]
        weights.append(alpha)
    contexts, weights = torch.stack(contexts), torch.stack(weights)
    loss = (contexts * wc).sum() + (weights * wa).sum()
    loss.backward()

    def ours(name, p):
        # nn stores In x Out: the transpose of torch's [Out, In]; b and v are vectors.
        if name in ("b", "v"):
            return p.reshape(-1)
        if name == "W":
            return p  # Linear(Key, Query).weight is [Query, Key], nn's W
        return p.t()

    return {
        "kind": kind, "query": query, "key": key, "hidden": hidden,
        "batch": B, "steps": S, "decoder_steps": T, "lengths": LENGTHS,
        "keys": keys.tolist(), "queries": queries.tolist(),
        "params": {n: ours(n, p).tolist() for n, p in named.items()},
        "wc": wc.tolist(), "wa": wa.tolist(),
        "contexts": contexts.tolist(), "weights": weights.tolist(), "loss": loss.item(),
        "grad_keys": keys.grad.tolist(), "grad_queries": queries.grad.tolist(),
        "grad_params": {n: ours(n, p.grad).tolist() for n, p in named.items()},
    }


cases = {
    "additive": case("additive", 3, 5),
    "general": case("general", 3, 5),
    "dot": case("dot", 5, 5),
}
out = {
    "about": "Computed by PyTorch %s in float64 by scripts/attention_fixture.py (seed %d); see its docstring for the layout."
    % (torch.__version__, args.seed),
    "cases": cases,
}
with open(args.out, "w") as f:
    json.dump(out, f, indent=None)
    f.write("\n")
for k, c in cases.items():
    print("%s: loss %.17g" % (k, c["loss"]))
print("wrote", os.path.normpath(args.out))
