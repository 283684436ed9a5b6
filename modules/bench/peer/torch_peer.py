#!/usr/bin/python3
"""PyTorch peer of `rnnsuite bench`: one long-lived worker process.

Protocol: one JSON command per line on stdin, one JSON result per line on stdout. Every result carries
"ok": true, or "ok": false with "error". Timings are measured here, around the work only, so the pipe and the
JSON encoding never count. Run with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-pthread (Debian's
python3-torch falls back to reference BLAS otherwise, ~15x slower).

Commands:
  {"cmd": "hello", "threads": 1}                    -> versions, thread count, BLAS
  {"cmd": "charlm_init", "id": .., "cell": "lstm"|"gru", "layers": L, "hidden": H, "vocab": V,
   "lr": .., "clip": "l2"|"none", "clip_threshold": .., "tbptt": T, "seed": S,
   "batches": [{"x": [[ids]], "y": [[ids]]}, ...]}   -> parameter count
  {"cmd": "charlm_train", "id": .., "steps": n}     -> seconds, chars, loss (nats/char of the last step);
                                                       cycles through the batches given at init
  {"cmd": "charlm_fit", "id": .., "batches": [...]} -> trains once on each given batch, in order
  {"cmd": "charlm_sample", "id": .., "start": id, "length": n, "warmup": w} -> ms per generated character
                                                       (stateful, batch 1, drawn from the softmax)
  {"cmd": "charlm_eval", "id": .., "ids": [..], "unknown": u}  -> bits/char (same streams as BitsPerChar.java)
  {"cmd": "free", "id": ..}                         -> forgets a model of any kind
  {"cmd": "caption_init", "id": .., "image_size", "conv_blocks", "conv_channels", "embedding", "cell", "hidden",
   "vocab", "dropout", "inject", "lr", "clip", "clip_threshold", "seed",
   "batches": [{"words": [[ids]], "labels": [[ids]], "mask": [[0/1]]}, ...]} -> parameter count
  {"cmd": "caption_train", "id": .., "steps": n}    -> seconds, items (images), loss
  {"cmd": "caption_decode", "id": .., "beam": k, "steps": n, "start": id, "warmup": w, "reps": r}
                                                    -> median ms per image
  {"cmd": "speech_init", "id": .., "cell", "layers", "hidden", "inputs", "classes", "dropout", "lr", "clip",
   "clip_threshold", "seed", "batches": [{"lengths": [frames], "y": [labels]}, ...]} -> parameter count
  {"cmd": "speech_train", "id": .., "steps": n}     -> seconds, items (utterances), loss
  {"cmd": "speech_stream", "id": .., "frames": n, "warmup": w} -> ms per frame, one frame at a time
  {"cmd": "sgemm", "n": n, "warmup": w, "reps": r}  -> seconds of each rep
  {"cmd": "memory"}                                 -> VmHWM and VmRSS in KiB
  {"cmd": "quit"}
"""
import json
import math
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

MODELS = {}

# the stream layout of org.rnnsuite.charlm.BitsPerChar, so both sides score exactly the same characters
STREAMS = 128
WARMUP = 100


class CharLm(nn.Module):
    def __init__(self, cell, layers, hidden, vocab):
        super().__init__()
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if rnn is None:
            raise ValueError("peer supports cells lstm and gru, not " + cell)
        self.vocab = vocab
        self.rnn = rnn(vocab, hidden, num_layers=layers, batch_first=True)
        self.out = nn.Linear(hidden, vocab)
        self.cell = cell
        self.layers = layers
        self._init_like_dl4j()

    def _init_like_dl4j(self):
        # rnnsuite starts from Xavier weights, zero biases and (LSTM) forget-gate bias 1; do the same so that
        # equal steps mean comparable models
        h = self.rnn.hidden_size
        for name, p in self.rnn.named_parameters():
            if name.startswith("weight"):
                nn.init.xavier_normal_(p)
            else:
                nn.init.zeros_(p)
                if self.cell == "lstm" and name.startswith("bias_ih"):
                    with torch.no_grad():
                        p[h:2 * h] = 1.0
        nn.init.xavier_normal_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, x, state=None):
        y, state = self.rnn(x, state)
        return self.out(y), state

    def layer_groups(self):
        """Parameters per layer, for per-layer gradient clipping as DL4J's ClipL2PerLayer does."""
        groups = []
        for l in range(self.layers):
            groups.append([p for n, p in self.rnn.named_parameters() if n.endswith("_l%d" % l)])
        groups.append(list(self.out.parameters()))
        return groups


def one_hot(ids, vocab):
    t = torch.as_tensor(ids, dtype=torch.long)
    pad = t < 0
    oh = F.one_hot(t.clamp(min=0), vocab).float()
    if pad.any():
        oh[pad] = 0.0
    return oh


def detach(state):
    if state is None:
        return None
    if isinstance(state, tuple):
        return tuple(s.detach() for s in state)
    return state.detach()


class Trained:
    """A model with rnnsuite's training settings: Adam, gradient clipping per layer (DL4J's ClipL2PerLayer) or
    element-wise, and a cycle of prepared minibatches."""

    def __init__(self, c, build):
        torch.manual_seed(int(c.get("seed", 12345)))
        self.model = build()
        self.opt = torch.optim.Adam(self.model.parameters(), lr=float(c["lr"]))
        self.clip = c.get("clip", "none")
        self.clip_threshold = float(c.get("clip_threshold", 5.0))
        self.batches = []
        self.next = 0

    def layer_groups(self):
        """Parameters per layer (what DL4J clips together): by default each module's own parameters."""
        groups = [list(m.parameters(recurse=False)) for m in self.model.modules()]
        return [g for g in groups if g]

    def update(self, loss):
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        if self.clip == "l2":
            for g in self.layer_groups():
                torch.nn.utils.clip_grad_norm_(g, self.clip_threshold)
        elif self.clip == "elementwise":
            torch.nn.utils.clip_grad_value_(self.model.parameters(), self.clip_threshold)
        self.opt.step()

    def train(self, steps):
        """Steps over the prepared minibatches; returns (seconds, items, last loss)."""
        self.model.train()
        items = 0
        loss = float("nan")
        t0 = time.perf_counter()
        for _ in range(steps):
            batch = self.batches[self.next % len(self.batches)]
            self.next += 1
            loss = self.step(*batch)
            items += self.items(batch)
        return time.perf_counter() - t0, items, loss


def cmd_init(c, kind):
    run = kind(c)
    MODELS[c["id"]] = run
    return {"params": sum(p.numel() for p in run.model.parameters())}


class Run(Trained):
    def __init__(self, c):
        super().__init__(c, lambda: CharLm(c["cell"], int(c["layers"]), int(c["hidden"]), int(c["vocab"])))
        self.tbptt = int(c.get("tbptt", 0))
        self.batches = [self.tensors(b) for b in c.get("batches", [])]

    def layer_groups(self):
        return self.model.layer_groups()

    @staticmethod
    def items(batch):
        return batch[1].numel()

    def tensors(self, b):
        return one_hot(b["x"], self.model.vocab), torch.as_tensor(b["y"], dtype=torch.long)

    def step(self, x, y):
        """One minibatch: one update per TBPTT segment, state carried (detached) across segments."""
        batch, steps = y.shape
        seg = self.tbptt if self.tbptt > 0 else steps
        state = None
        loss_value = 0.0
        for s in range(0, steps, seg):
            logits, state = self.model(x[:, s:s + seg], state)
            state = detach(state)
            # summed over time, averaged over the batch: DL4J's scaling of the gradient
            loss = F.cross_entropy(logits.reshape(-1, self.model.vocab), y[:, s:s + seg].reshape(-1),
                                   reduction="sum") / batch
            self.update(loss)
            loss_value = loss.item() / logits.shape[1]
        return loss_value


def cmd_hello(c):
    torch.set_num_threads(int(c.get("threads", 1)))
    # Debian's torch links the generic libblas.so.3; which implementation got loaded shows in the memory map
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    blas = "unknown"
    with open("/proc/self/maps") as f:
        libs = sorted({line.split()[-1].rsplit("/", 1)[-1] for line in f if "blas" in line.lower()})
    if libs:
        blas = ",".join([lib for lib in libs if "openblas" in lib] or libs)
    return {"torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(),
            "blas": blas}


def cmd_charlm_train(c):
    seconds, chars, loss = MODELS[c["id"]].train(int(c["steps"]))
    return {"seconds": seconds, "chars": chars, "loss": loss}


def cmd_charlm_fit(c):
    run = MODELS[c["id"]]
    run.model.train()
    loss = float("nan")
    for b in c["batches"]:
        x, y = run.tensors(b)
        loss = run.step(x, y)
    return {"loss": loss}


def cmd_charlm_sample(c):
    """Generation as a user runs it: one step at a time with stored state, drawing each next character from the
    softmax (temperature 1) and feeding it back."""
    run = MODELS[c["id"]]
    warmup = int(c.get("warmup", 0))
    length = int(c["length"])
    vocab = run.model.vocab
    gen = torch.Generator().manual_seed(int(c.get("seed", 42)))
    run.model.eval()
    t0 = time.perf_counter()
    with torch.no_grad():
        state = None
        token = int(c.get("start", 0))
        for k in range(warmup + length):
            if k == warmup:
                t0 = time.perf_counter()
            logits, state = run.model(one_hot([[token]], vocab), state)
            token = int(torch.multinomial(torch.softmax(logits[0, -1], dim=0), 1, generator=gen).item())
    return {"ms_per_char": (time.perf_counter() - t0) * 1000.0 / length, "chars": length}


def cmd_charlm_eval(c):
    run = MODELS[c["id"]]
    ids = c["ids"]
    unknown = int(c.get("unknown", -1))
    n = len(ids)
    targets = n - 1
    streams = min(STREAMS, targets)
    length = (targets + streams - 1) // streams
    rows, spans = [], []
    longest = 0
    for s in range(streams):
        first = s * length
        count = max(0, min(length, targets - first))
        start = max(0, first - WARMUP)
        skip = first - start
        feed = 0 if count == 0 else skip + count
        spans.append((start, skip, feed))
        longest = max(longest, feed)
    for start, _, feed in spans:
        rows.append(ids[start:start + feed] + [-1] * (longest - feed))
    run.model.eval()
    with torch.no_grad():
        logp = torch.log_softmax(run.model(one_hot(rows, run.model.vocab))[0], dim=-1)
    nats = 0.0
    scored = 0
    for s, (start, skip, feed) in enumerate(spans):
        for t in range(skip, feed):
            target = ids[start + t + 1]
            if target == unknown:
                continue
            nats -= max(logp[s, t, target].item(), math.log(1e-30))
            scored += 1
    return {"bits_per_char": nats / math.log(2) / scored if scored else float("nan"), "chars": scored}


class SpeechNet(nn.Module):
    """rnnsuite's speech classifier: recurrent layers (dropout on each layer's input), the mean of the top layer's
    outputs over the valid frames, a softmax layer."""

    def __init__(self, cell, layers, hidden, inputs, classes, dropout):
        super().__init__()
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}.get(cell)
        if rnn is None:
            raise ValueError("peer supports cells lstm and gru, not " + cell)
        self.rnns = nn.ModuleList([rnn(inputs if l == 0 else hidden, hidden, batch_first=True)
                                   for l in range(layers)])
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(hidden, classes)

    def forward(self, x, mask):
        for rnn in self.rnns:
            x, _ = rnn(self.drop(x))
        m = mask.unsqueeze(-1)
        return self.out((x * m).sum(1) / m.sum(1))

    def step(self, frame, states, total, count):
        """One frame through the stored states; the decision on the mean of all frames so far."""
        x = frame
        new_states = []
        for rnn, st in zip(self.rnns, states):
            x, st = rnn(x, st)
            new_states.append(st)
        total = x[:, -1] if total is None else total + x[:, -1]
        return torch.softmax(self.out(total / count), dim=-1), new_states, total


class SpeechRun(Trained):
    def __init__(self, c):
        self.inputs = int(c["inputs"])
        super().__init__(c, lambda: SpeechNet(c["cell"], int(c["layers"]), int(c["hidden"]), self.inputs,
                                              int(c["classes"]), float(c.get("dropout", 0.0))))
        gen = torch.Generator().manual_seed(int(c.get("seed", 12345)))
        self.batches = []
        # speed depends on the shapes only: the same lengths and labels as rnnsuite's batches, random frames
        for b in c.get("batches", []):
            lengths = b["lengths"]
            steps = max(lengths)
            x = torch.randn(len(lengths), steps, self.inputs, generator=gen)
            mask = torch.zeros(len(lengths), steps)
            for i, n in enumerate(lengths):
                mask[i, :n] = 1.0
                x[i, n:] = 0.0
            self.batches.append((x, mask, torch.as_tensor(b["y"], dtype=torch.long)))

    def layer_groups(self):
        return [list(m.parameters()) for m in list(self.model.rnns) + [self.model.out]]

    @staticmethod
    def items(batch):
        return batch[2].numel()

    def step(self, x, mask, y):
        loss = F.cross_entropy(self.model(x, mask), y)
        self.update(loss)
        return loss.item()


def cmd_train(c):
    seconds, items, loss = MODELS[c["id"]].train(int(c["steps"]))
    return {"seconds": seconds, "items": items, "loss": loss}


def cmd_speech_stream(c):
    """Frames fed one at a time as they arrive, a decision after each: ms per frame."""
    run = MODELS[c["id"]]
    frames = int(c["frames"])
    warmup = int(c.get("warmup", 0))
    gen = torch.Generator().manual_seed(int(c.get("seed", 42)))
    x = torch.randn(warmup + frames, 1, 1, run.inputs, generator=gen)
    run.model.eval()
    with torch.no_grad():
        t0 = time.perf_counter()
        states = [None] * len(run.model.rnns)
        total = None
        for k in range(warmup + frames):
            if k == warmup:
                t0 = time.perf_counter()
                states = [None] * len(run.model.rnns)
                total = None
            count = k + 1 if k < warmup else k - warmup + 1
            _, states, total = run.model.step(x[k], states, total, count)
    return {"ms_per_frame": (time.perf_counter() - t0) * 1000.0 / frames}


class CaptionNet(nn.Module):
    """rnnsuite's captioning network: conv/batch-norm/ReLU/max-pool blocks, a dense image embedding added (through
    the inject gate) to the word embeddings, a recurrent decoder, a softmax layer."""

    def __init__(self, c):
        super().__init__()
        blocks = []
        channels_in, channels, side = 3, int(c["conv_channels"]), int(c["image_size"])
        for _ in range(int(c["conv_blocks"])):
            blocks += [nn.Conv2d(channels_in, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels),
                       nn.ReLU(), nn.MaxPool2d(2)]
            channels_in, side, channels = channels, side // 2, min(256, channels * 2)
        e = int(c["embedding"])
        self.encoder = nn.Sequential(*blocks, nn.Flatten(), nn.Linear(channels_in * side * side, e))
        self.words = nn.Embedding(int(c["vocab"]), e)
        self.drop = nn.Dropout(float(c.get("dropout", 0.0)))
        rnn = {"lstm": nn.LSTM, "gru": nn.GRU}.get(c["cell"])
        if rnn is None:
            raise ValueError("peer supports cells lstm and gru, not " + c["cell"])
        self.rnn = rnn(e, int(c["hidden"]), batch_first=True)
        self.out = nn.Linear(int(c["hidden"]), int(c["vocab"]))

    def forward(self, image, words, gate):
        x = self.words(words) + self.encoder(image).unsqueeze(1) * gate.unsqueeze(-1)
        y, _ = self.rnn(self.drop(x))
        return self.out(y)


class CaptionRun(Trained):
    def __init__(self, c):
        super().__init__(c, lambda: CaptionNet(c))
        self.vocab = int(c["vocab"])
        side = int(c["image_size"])
        gen = torch.Generator().manual_seed(int(c.get("seed", 12345)))
        every = c.get("inject", "first") == "every"
        self.every = every
        self.side = side
        self.batches = []
        # speed depends on shapes only: rnnsuite's word ids and masks, random pixels
        for b in c.get("batches", []):
            words = torch.as_tensor(b["words"], dtype=torch.long)
            gate = torch.ones(words.shape) if every else torch.zeros(words.shape)
            if not every:
                gate[:, 0] = 1.0
            self.batches.append((torch.rand(words.shape[0], 3, side, side, generator=gen), words, gate,
                                 torch.as_tensor(b["labels"], dtype=torch.long),
                                 torch.as_tensor(b["mask"], dtype=torch.float32)))

    @staticmethod
    def items(batch):
        return batch[1].shape[0]

    def step(self, image, words, gate, labels, mask):
        logits = self.model(image, words, gate)
        nll = F.cross_entropy(logits.reshape(-1, self.vocab), labels.reshape(-1), reduction="none")
        # summed over the unmasked steps, averaged over the batch: DL4J's scaling
        loss = (nll * mask.reshape(-1)).sum() / words.shape[0]
        self.update(loss)
        return loss.item()


def cmd_caption_decode(c):
    """Captioning one image: the encoder once, then `steps` decoder steps over `beam` hypotheses (beam 1 =
    greedy), each step a softmax, a top-k over all hypotheses' continuations and a reordering of the decoder
    state. The caller passes the number of steps its own search took, so both sides do the same work.
    Returns the median ms per image over `reps` images after `warmup`."""
    run = MODELS[c["id"]]
    m = run.model
    m.eval()
    beam, steps, start = int(c["beam"]), int(c["steps"]), int(c["start"])
    warmup, reps = int(c.get("warmup", 1)), int(c["reps"])
    gen = torch.Generator().manual_seed(int(c.get("seed", 42)))
    times = []
    with torch.no_grad():
        for k in range(warmup + reps):
            image = torch.rand(1, 3, run.side, run.side, generator=gen)
            t0 = time.perf_counter()
            enc = m.encoder(image)
            tokens = torch.tensor([start])
            scores = torch.zeros(1)
            state = None
            for t in range(steps):
                x = m.words(tokens).unsqueeze(1)
                if run.every or t == 0:
                    x = x + enc.expand(tokens.shape[0], -1).unsqueeze(1)
                y, state = m.rnn(x, state)
                logp = torch.log_softmax(m.out(y[:, -1]), dim=-1)
                logp[:, start] = -math.inf
                total = (logp + scores.unsqueeze(1)).reshape(-1)
                top = torch.topk(total, min(beam, total.numel()))
                parents = torch.div(top.indices, run.vocab, rounding_mode="floor")
                tokens = top.indices % run.vocab
                scores = top.values
                state = tuple(s[:, parents] for s in state) if isinstance(state, tuple) else state[:, parents]
            if k >= warmup:
                times.append((time.perf_counter() - t0) * 1000.0)
    times.sort()
    n = len(times)
    return {"ms_per_image": times[n // 2] if n % 2 else (times[n // 2 - 1] + times[n // 2]) / 2}


def cmd_free(c):
    MODELS.pop(c["id"], None)
    return {}


def cmd_sgemm(c):
    n = int(c["n"])
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    out = torch.empty(n, n)
    secs = []
    for k in range(int(c.get("warmup", 2)) + int(c["reps"])):
        t0 = time.perf_counter()
        torch.mm(a, b, out=out)
        if k >= int(c.get("warmup", 2)):
            secs.append(time.perf_counter() - t0)
    return {"seconds": secs}


def cmd_memory(_):
    mem = {}
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(("VmHWM:", "VmRSS:")):
                key, value = line.split(":", 1)
                mem[key.lower() + "_kib"] = int(value.split()[0])
    return mem


COMMANDS = {
    "hello": cmd_hello,
    "charlm_init": lambda c: cmd_init(c, Run),
    "charlm_train": cmd_charlm_train,
    "charlm_fit": cmd_charlm_fit,
    "charlm_sample": cmd_charlm_sample,
    "charlm_eval": cmd_charlm_eval,
    "free": cmd_free,
    "caption_init": lambda c: cmd_init(c, CaptionRun),
    "caption_train": cmd_train,
    "caption_decode": cmd_caption_decode,
    "speech_init": lambda c: cmd_init(c, SpeechRun),
    "speech_train": cmd_train,
    "speech_stream": cmd_speech_stream,
    "sgemm": cmd_sgemm,
    "memory": cmd_memory,
}


def main():
    torch.set_num_threads(1)
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            c = json.loads(line)
            if c.get("cmd") == "quit":
                print(json.dumps({"ok": True}), flush=True)
                return
            handler = COMMANDS.get(c.get("cmd"))
            if handler is None:
                raise ValueError("unknown command %r; known: %s" % (c.get("cmd"), ", ".join(sorted(COMMANDS))))
            result = handler(c)
            result["ok"] = True
        except Exception as e:  # noqa: BLE001 - every failure goes back to the caller as one line
            result = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
