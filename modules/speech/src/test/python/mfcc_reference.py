#!/usr/bin/python3
"""Reference MFCC fixtures for rnnsuite's speech module (org.rnnsuite.speech.Mfcc).

Computes the same MFCC definition as the Java class with numpy and scipy (Debian's python3-numpy and
python3-scipy): numpy.hamming window, numpy.fft.rfft power spectrum, triangular filters on the HTK mel scale,
natural log, scipy.fft.dct type II with orthonormal scaling, HTK regression deltas (+-2 frames, edges repeated).
The input signals are written into the fixture too, so the Java test does not have to reproduce any generator.

Run from the repository root to refresh the fixture:
    /usr/bin/python3 modules/speech/src/test/python/mfcc_reference.py \
        > modules/speech/src/test/resources/mfcc-fixtures.json
"""
import json
import sys

import numpy as np
import scipy.fft
import scipy.signal


def hz_to_mel(hz):
    return 2595.0 * np.log10(1.0 + hz / 700.0)


def mel_to_hz(mel):
    return 700.0 * (10.0 ** (mel / 2595.0) - 1.0)


def mfcc(x, cfg):
    sr = cfg["sampleRate"]
    frame_len = int(round(sr * cfg["frameMs"] / 1000.0))
    hop = int(round(sr * cfg["hopMs"] / 1000.0))
    nfft = cfg["fftSize"]
    high = cfg["highHz"] if cfg["highHz"] > 0 else sr / 2.0
    x = np.asarray(x, dtype=np.float64)
    y = np.append(x[0], x[1:] - cfg["preEmphasis"] * x[:-1])
    n_frames = 1 if len(y) <= frame_len else 1 + (len(y) - frame_len) // hop
    padded = np.zeros(max(len(y), frame_len))
    padded[: len(y)] = y
    frames = np.stack([padded[t * hop: t * hop + frame_len] for t in range(n_frames)])
    frames = frames * np.hamming(frame_len)
    power = np.abs(np.fft.rfft(frames, n=nfft)) ** 2 / nfft
    m = cfg["melBands"]
    edges = mel_to_hz(np.linspace(hz_to_mel(cfg["lowHz"]), hz_to_mel(high), m + 2))
    freqs = np.arange(nfft // 2 + 1) * sr / nfft
    fb = np.zeros((m, len(freqs)))
    for j in range(m):
        l, c, r = edges[j], edges[j + 1], edges[j + 2]
        fb[j] = np.maximum(0.0, np.minimum((freqs - l) / (c - l), (r - freqs) / (r - c)))
    log_mel = np.log(np.maximum(power @ fb.T, 1e-10))
    ceps = scipy.fft.dct(log_mel, type=2, norm="ortho", axis=1)[:, : cfg["coefficients"]]
    out = [ceps]
    prev = ceps
    for _ in range(cfg["deltas"]):
        prev = deltas(prev)
        out.append(prev)
    return np.concatenate(out, axis=1)


def deltas(c, n=2):
    padded = np.concatenate([np.repeat(c[:1], n, axis=0), c, np.repeat(c[-1:], n, axis=0)])
    denom = 2 * sum(i * i for i in range(1, n + 1))
    t = len(c)
    return sum(i * (padded[n + i: n + i + t] - padded[n - i: n - i + t]) for i in range(1, n + 1)) / denom


def main():
    rng = np.random.default_rng(20240611)
    cases = []
    # 1: a chirp plus a little noise at 16 kHz with the module's default features
    sr = 16000
    t = np.arange(int(0.2 * sr)) / sr
    chirp = 0.5 * scipy.signal.chirp(t, f0=200, f1=3000, t1=t[-1], method="linear")
    sig1 = (chirp + 0.01 * rng.standard_normal(len(t))).astype(np.float32)
    cfg1 = dict(sampleRate=16000, frameMs=25, hopMs=10, fftSize=512, melBands=40, coefficients=13,
                lowHz=20, highHz=0, preEmphasis=0.97, deltas=2, maxSeconds=5)
    cases.append(("chirp16k_defaults", cfg1, sig1))
    # 2: two tones at 8 kHz, other window, bands and no deltas
    sr = 8000
    t = np.arange(int(0.15 * sr)) / sr
    sig2 = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.2 * np.sin(2 * np.pi * 1250 * t)).astype(np.float32)
    cfg2 = dict(sampleRate=8000, frameMs=32, hopMs=16, fftSize=256, melBands=23, coefficients=12,
                lowHz=100, highHz=3800, preEmphasis=0.0, deltas=0, maxSeconds=5)
    cases.append(("tones8k_plain", cfg2, sig2))
    # 3: a clip shorter than one window (one zero-padded frame) with first deltas
    sig3 = (0.1 * rng.standard_normal(300)).astype(np.float32)
    cfg3 = dict(cfg1, deltas=1)
    cases.append(("short_noise", cfg3, sig3))
    out = {"generator": "modules/speech/src/test/python/mfcc_reference.py",
           "numpy": np.__version__, "scipy": scipy.__version__, "cases": []}
    for name, cfg, sig in cases:
        feats = mfcc(sig, cfg)
        out["cases"].append({"name": name, "config": cfg,
                             "signal": [float(v) for v in sig],
                             "mfcc": [[round(float(v), 6) for v in row] for row in feats]})
    json.dump(out, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
