#!/usr/bin/env python3
"""PyTorch CPU reference for `nlp generate train`: the same character model (embedding of width 64,
a 2-layer LSTM of hidden 256, a linear softmax layer over the characters) trained the same way
(64 parallel streams × 100 characters, the state carried from chunk to chunk and detached, Adam,
gradient clipping at 5), for a fixed number of steps, timed after a warm-up.

  /usr/bin/python3 scripts/torch_char_lstm.py --text ../shared/data/tinyshakespeare/input.txt --threads 1 --steps 20

Prints one JSON line: chars_s (training characters per second, steps × batch × bptt / time) and the
last loss. Benchmarks only (PyTorch is a peer, not a dependency): needs Debian's python3-torch."""
import argparse, json, time
import torch, torch.nn as nn

ap = argparse.ArgumentParser()
ap.add_argument("--text", required=True)
ap.add_argument("--embed", type=int, default=64)
ap.add_argument("--hidden", type=int, default=256)
ap.add_argument("--layers", type=int, default=2)
ap.add_argument("--batch", type=int, default=64)
ap.add_argument("--bptt", type=int, default=100)
ap.add_argument("--steps", type=int, default=20)
ap.add_argument("--warmup", type=int, default=2)
ap.add_argument("--threads", type=int, default=2)
ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()
torch.set_num_threads(a.threads)
torch.manual_seed(a.seed)
dtype = getattr(torch, a.dtype)

text = open(a.text, encoding="utf-8").read()
chars = sorted(set(text))
index = {c: i for i, c in enumerate(chars)}
data = torch.tensor([index[c] for c in text], dtype=torch.long)
V = len(chars)
L = (len(data) - 1) // a.batch
streams = data[: a.batch * L].view(a.batch, L)          # B consecutive parts
targets = data[1 : a.batch * L + 1].view(a.batch, L)


class CharLSTM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(V, a.embed)
        self.rnn = nn.LSTM(a.embed, a.hidden, a.layers, batch_first=True)
        self.out = nn.Linear(a.hidden, V)

    def forward(self, x, state):
        y, state = self.rnn(self.emb(x), state)
        return self.out(y), state


model = CharLSTM().to(dtype)
opt = torch.optim.Adam(model.parameters(), lr=0.002)
lossf = nn.CrossEntropyLoss()
state = None
k = 0


def step():
    global state, k
    if (k + 1) * a.bptt > L:
        k, state = 0, None
    x = streams[:, k * a.bptt : (k + 1) * a.bptt]
    y = targets[:, k * a.bptt : (k + 1) * a.bptt]
    k += 1
    if state is not None:
        state = tuple(s.detach() for s in state)        # truncated BPTT: carry the state, not the gradient
    logits, state = model(x, state)
    loss = lossf(logits.reshape(-1, V), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    nn.utils.clip_grad_norm_(model.parameters(), 5.0)
    opt.step()
    return loss.item()


for _ in range(a.warmup):
    step()
t0 = time.perf_counter()
for _ in range(a.steps):
    loss = step()
secs = time.perf_counter() - t0
print(json.dumps({"impl": "pytorch-" + torch.__version__, "dtype": a.dtype, "threads": a.threads, "hidden": a.hidden,
                  "layers": a.layers, "batch": a.batch, "bptt": a.bptt, "steps": a.steps, "seconds": round(secs, 2),
                  "chars_s": round(a.steps * a.batch * a.bptt / secs), "loss": round(loss, 4)}))
