#!/usr/bin/python3
# bench-kernels.py — `hone-cli bench kernels` beside numpy and PyTorch on the same shapes.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-kernels.py [PATH/TO/hone-cli] [--only WHAT] (hone-cli bench
# kernels --help lists WHAT: matmul, layers, loss, sample, quant, small-ops, attention, 1b,
# small)
#
# Runs hone-cli's kernels (lavapipe here), then the same operations in numpy and in torch on
# the CPU, in this one run, and prints each time with the ratios (peer time / Hone time:
# above 1 means Hone is faster). OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE are unset for the
# peers (so OpenBLAS picks its best kernels for this CPU) and the OpenBLAS core that ran is
# printed. torch runs with 1 thread of its own over OpenBLAS's threads (its best f32 setup
# on 2 cores, see ../shared/docs/lavapipe.md). Comparisons of f16 weights are against f32
# peers: what a person would run on a CPU.

import ctypes
import json
import os
import subprocess
import sys
import time

if os.environ.get("OPENBLAS_CORETYPE") or os.environ.get("OPENBLAS_L2_SIZE"):
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    os.execve(sys.executable, [sys.executable] + sys.argv, env)

import numpy as np  # noqa: E402

try:
    import torch  # noqa: E402
    torch.set_num_threads(1)
except ImportError:
    torch = None


def openblas_core():
    """The OpenBLAS core and configuration loaded into this process, from /proc/self/maps."""
    with open("/proc/self/maps") as maps:
        libs = sorted({line.split()[-1] for line in maps if "openblas" in line.lower()
                       and line.split()[-1].startswith("/")})
    for lib in libs:
        try:
            handle = ctypes.CDLL(lib)
            handle.openblas_get_corename.restype = ctypes.c_char_p
            handle.openblas_get_config.restype = ctypes.c_char_p
            return "%s (%s; %s)" % (handle.openblas_get_corename().decode(),
                                     handle.openblas_get_config().decode(), lib)
        except (OSError, AttributeError):
            continue
    return "no OpenBLAS loaded: numpy uses the reference BLAS (install libopenblas0-pthread)"


def timeit(fn, budget=0.5):
    """Best wall time of three rounds, and the CPU time (all threads) of that round."""
    fn()
    start = time.perf_counter()
    fn()
    once = time.perf_counter() - start
    reps = max(1, min(50, int(budget / max(once, 1e-6))))
    best, best_cpu = float("inf"), float("nan")
    for _ in range(3):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(reps):
            fn()
        wall = (time.perf_counter() - start) / reps
        if wall < best:
            best, best_cpu = wall, (time.process_time() - cpu) / reps
    return best, best_cpu


def shape_ints(shape):
    return [int(x) for x in shape.split()[0].split("x")]


def shape_fields(shape):
    """Named numbers of a shape such as 't512 h32/8 d64' or 'n1 h32/8 d64 s512':
    {'t': 512, 'h': 32, 'hkv': 8, 'd': 64}."""
    out = {}
    for part in shape.split():
        key = part.rstrip("0123456789/")
        if part[:1].isalpha() and len(key) < len(part):
            nums = part[len(key):].split("/")
            out[key] = int(nums[0])
            if len(nums) > 1:
                out[key + "kv"] = int(nums[1])
    return out


def softmax_rows(x, lib):
    if lib == "torch":
        return torch.softmax(x, -1)
    e = np.exp(x - x.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def causal_attention(q, k, v, lib, first=0):
    """Grouped-query causal attention: q (T, H, D), k and v (S, Hkv, D); query row i sits at
    position first + i. Returns out (T, H, D) and the softmax P (H, T, S)."""
    t, h, d = q.shape
    s, hkv = k.shape[0], k.shape[1]
    g = h // hkv
    if lib == "torch":
        kk = k.repeat_interleave(g, 1).permute(1, 2, 0)       # (H, D, S)
        vv = v.repeat_interleave(g, 1).permute(1, 0, 2)       # (H, S, D)
        scores = torch.matmul(q.permute(1, 0, 2), kk) / d ** 0.5
        mask = torch.ones(t, s, dtype=torch.bool).triu(first + 1)
        p = torch.softmax(scores.masked_fill(mask, float("-inf")), -1)
        return torch.matmul(p, vv).permute(1, 0, 2), p
    kk = np.repeat(k, g, 1).transpose(1, 2, 0)
    vv = np.repeat(v, g, 1).transpose(1, 0, 2)
    scores = np.matmul(q.transpose(1, 0, 2), kk) / np.float32(d ** 0.5)
    mask = np.triu(np.ones((t, s), dtype=bool), first + 1)
    scores[:, mask] = -np.inf
    p = softmax_rows(scores, lib)
    return np.matmul(p, vv).transpose(1, 0, 2), p


def make_peer(kernel, shape, lib):
    """A callable doing `kernel` at `shape` in numpy (lib 'np') or torch (lib 'torch')."""
    rng = np.random.default_rng(1)

    def arr(*dims):
        a = rng.standard_normal(dims, dtype=np.float32)
        return torch.from_numpy(a) if lib == "torch" else a

    newer = make_peer_newer(kernel, shape, lib, rng, arr)
    if newer is not None:
        return newer
    if not shape[:1].isdigit():
        return None
    dims = shape_ints(shape)
    if kernel.startswith("matmul"):
        m, n, k = dims
        c = arr(m, n)
        if "_tn" in kernel:
            a, b = arr(k, m), arr(k, n)
            return (lambda: torch.matmul(a.T, b, out=c)) if lib == "torch" else \
                (lambda: np.matmul(a.T, b, out=c))
        if "_nt" in kernel:
            a, b = arr(m, k), arr(n, k)
            return (lambda: torch.matmul(a, b.T, out=c)) if lib == "torch" else \
                (lambda: np.matmul(a, b.T, out=c))
        a, b = arr(m, k), arr(k, n)
        return (lambda: torch.matmul(a, b, out=c)) if lib == "torch" else \
            (lambda: np.matmul(a, b, out=c))
    if kernel == "add":
        a, b, o = arr(*dims), arr(*dims), arr(*dims)
        return (lambda: torch.add(a, b, out=o)) if lib == "torch" else (lambda: np.add(a, b, out=o))
    if kernel == "swiglu_forward":
        g, u = arr(*dims), arr(*dims)
        if lib == "torch":
            return lambda: torch.nn.functional.silu(g) * u
        return lambda: g / (1 + np.exp(-g)) * u
    if kernel == "swiglu_backward":
        g, u, dh = arr(*dims), arr(*dims), arr(*dims)
        ex = torch.exp if lib == "torch" else np.exp

        def swiglu_backward():
            s = 1 / (1 + ex(-g))
            return dh * u * s * (1 + g * (1 - s)), dh * g * s
        return swiglu_backward
    if kernel.startswith("rmsnorm"):
        t, c = dims
        x, w, dy = arr(t, c), arr(c), arr(t, c)
        if lib == "torch":
            def fwd():
                r = torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5)
                return x * r * w, r

            def bwd():
                r = torch.rsqrt((x * x).mean(-1, keepdim=True) + 1e-5)
                d = (w * dy * x).sum(-1, keepdim=True)
                return r * w * dy - x * (r ** 3) * d / c, (dy * x * r).sum(0)
        else:
            def fwd():
                r = 1 / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-5)
                return x * r * w, r

            def bwd():
                r = 1 / np.sqrt((x * x).mean(-1, keepdims=True) + 1e-5)
                d = (w * dy * x).sum(-1, keepdims=True)
                return r * w * dy - x * (r ** 3) * d / c, (dy * x * r).sum(0)
        return fwd if kernel == "rmsnorm_forward" else bwd
    if kernel.startswith("rope"):
        t, h, d = dims
        x = arr(t, h, d)
        pos = np.arange(t, dtype=np.float32) % 512
        freq = 10000.0 ** (-np.arange(0, d, 2, dtype=np.float32) / d)
        ang = np.outer(pos, freq)
        # As Hugging Face does: cos/sin computed for the positions (inside the timing, as
        # Hone's kernel computes them too).
        if lib == "torch":
            angt = torch.from_numpy(ang)

            def rope():
                cs, sn = torch.cos(angt)[:, None, :], torch.sin(angt)[:, None, :]
                x0, x1 = x[..., : d // 2], x[..., d // 2:]
                return torch.cat((x0 * cs - x1 * sn, x0 * sn + x1 * cs), -1)
        else:
            def rope():
                cs, sn = np.cos(ang)[:, None, :], np.sin(ang)[:, None, :]
                x0, x1 = x[..., : d // 2], x[..., d // 2:]
                return np.concatenate((x0 * cs - x1 * sn, x0 * sn + x1 * cs), -1)
        return rope
    if kernel.startswith("embed"):
        t, c = dims
        v = int(shape.split("v")[1])
        ids = rng.integers(0, v, t)
        w, dout = arr(v, c), arr(t, c)
        if lib == "torch":
            idt = torch.from_numpy(ids)
            if kernel == "embed_forward":
                return lambda: w[idt]
            return lambda: w.index_add_(0, idt, dout)
        if kernel == "embed_forward":
            return lambda: w[ids]
        return lambda: np.add.at(w, ids, dout)
    return None


def make_peer_newer(kernel, shape, lib, rng, arr):
    """Peers of the loss, sampling, attention, small-op and quantized-weight rows; the
    quantized weights are compared with f32 weights, what a person would run on a CPU."""
    th = lib == "torch"
    if kernel.startswith(("decode ", "matmul x·WT ", "matmul dy·W ")):
        m, n, k = shape_ints(shape)     # weight (N, K)
        w = arr(n, k)
        if "dy·W" in kernel:
            dy, dx = arr(m, n), arr(m, k)
            return (lambda: torch.matmul(dy, w, out=dx)) if th else \
                (lambda: np.matmul(dy, w, out=dx))
        x, y = arr(m, k), arr(m, n)
        return (lambda: torch.matmul(x, w.T, out=y)) if th else (lambda: np.matmul(x, w.T, out=y))
    if kernel == "cross_entropy":
        t, v = shape_ints(shape)
        chunk = int(shape.split("chunks of ")[1].rstrip(")"))
        logits = arr(chunk, v)
        targets = rng.integers(0, v, t)

        def ce():
            # per chunk: log-sum-exp, the losses and the gradient (softmax − onehot) / T
            total = 0.0
            for row0 in range(0, t, chunk):
                rows = min(chunk, t - row0)
                lg = logits[:rows]
                tg = targets[row0:row0 + rows]
                if th:
                    lse = torch.logsumexp(lg, -1)
                    idx = torch.from_numpy(tg)
                    total += float((lse - lg[torch.arange(rows), idx]).sum())
                    grad = torch.exp(lg - lse[:, None])
                    grad[torch.arange(rows), idx] -= 1
                    grad *= 1.0 / t
                else:
                    m = lg.max(-1, keepdims=True)
                    lse = m[:, 0] + np.log(np.exp(lg - m).sum(-1))
                    total += float((lse - lg[np.arange(rows), tg]).sum())
                    grad = np.exp(lg - lse[:, None])
                    grad[np.arange(rows), tg] -= 1
                    grad *= np.float32(1.0 / t)
            return total / t
        return ce
    if kernel.startswith("sample"):
        v = shape_ints(shape)[1]
        logits = arr(v)

        def sample():
            if kernel == "sample greedy":
                return int(torch.argmax(logits)) if th else int(np.argmax(logits))
            p = softmax_rows(logits / 0.8, lib)
            keep = p >= 0.05 * p.max()
            if "k+p" in kernel:
                # top-k 40, then top-p 0.95 of what is left
                if th:
                    kth = torch.topk(p, 40).values[-1]
                else:
                    kth = np.partition(p, v - 40)[v - 40]
                keep &= p >= kth
                q = p * keep
                order = torch.argsort(q, descending=True) if th else np.argsort(-q)
                cum = torch.cumsum(q[order], 0) if th else np.cumsum(q[order])
                cut = cum <= 0.95 * cum[-1]
                cut[0] = True
                keep2 = torch.zeros_like(keep) if th else np.zeros_like(keep)
                keep2[order[cut]] = True
                keep &= keep2
            q = p * keep
            cum = torch.cumsum(q, 0) if th else np.cumsum(q)
            u = float(cum[-1]) * rng.random()
            return int(torch.searchsorted(cum, torch.tensor(u))) if th else \
                int(np.searchsorted(cum, u))
        return sample
    if kernel == "repetition_penalty":
        n, v = (int(x) for x in shape.split(" of "))
        logits = arr(v)
        ids = rng.integers(0, v, n)
        if th:
            idt = torch.from_numpy(np.unique(ids))
            return lambda: logits.index_put_(
                (idt,), torch.where(logits[idt] > 0, logits[idt] / 1.1, logits[idt] * 1.1))
        uniq = np.unique(ids)

        def penalty():
            sel = logits[uniq]
            logits[uniq] = np.where(sel > 0, sel / 1.1, sel * 1.1)
        return penalty
    if kernel in ("attention_decode",) or kernel.startswith("attention_cached"):
        f = shape_fields(shape)
        n, s = f.get("n", 1), f["s"]
        q, k, v = arr(n, f["h"], f["d"]), arr(s, f["hkv"], f["d"]), arr(s, f["hkv"], f["d"])
        return lambda: causal_attention(q, k, v, lib, first=s - n)[0]
    if kernel in ("attention_forward", "attention_backward"):
        f = shape_fields(shape)
        t, h, hkv, d = f["t"], f["h"], f["hkv"], f["d"]
        q, k, v, do = arr(t, h, d), arr(t, hkv, d), arr(t, hkv, d), arr(t, h, d)
        if kernel == "attention_forward":
            return lambda: causal_attention(q, k, v, lib)[0]
        if th:
            def backward():
                qq, kk, vv = (x.clone().requires_grad_() for x in (q, k, v))
                out, _ = causal_attention(qq, kk, vv, lib)
                out.backward(do)
                return qq.grad, kk.grad, vv.grad
            return backward
        g = h // hkv

        def backward():
            # recompute P, then dV = Pᵀ·dO, dP = dO·Vᵀ, dS = P ∘ (dP − rowsum(dO ∘ O)),
            # dQ = dS·K / √D, dK = dSᵀ·Q / √D (summed over the heads of a group)
            out, p = causal_attention(q, k, v, lib)
            doh = do.transpose(1, 0, 2)                                    # (H, T, D)
            vv = np.repeat(v, g, 1).transpose(1, 0, 2)
            kk = np.repeat(k, g, 1).transpose(1, 0, 2)
            dv = np.matmul(p.transpose(0, 2, 1), doh)
            dp = np.matmul(doh, vv.transpose(0, 2, 1))
            delta = (doh * out.transpose(1, 0, 2)).sum(-1, keepdims=True)
            ds = p * (dp - delta) / np.float32(d ** 0.5)
            dq = np.matmul(ds, kk)
            dk = np.matmul(ds.transpose(0, 2, 1), q.transpose(1, 0, 2))
            return (dq.transpose(1, 0, 2), dk.reshape(hkv, g, t, d).sum(1).transpose(1, 0, 2),
                    dv.reshape(hkv, g, t, d).sum(1).transpose(1, 0, 2))
        return backward
    if kernel in ("bias_forward", "bias_backward", "dropout p=0.1"):
        t, c = shape_ints(shape)
        x, b = arr(t, c), arr(c)
        if kernel == "bias_forward":
            return (lambda: torch.add(x, b, out=x)) if th else (lambda: np.add(x, b, out=x))
        if kernel == "bias_backward":
            return (lambda: x.sum(0)) if th else (lambda: x.sum(0))
        if th:
            return lambda: torch.nn.functional.dropout(x, 0.1, training=True)
        return lambda: x * (rng.random(x.shape, dtype=np.float32) >= 0.1) * np.float32(1 / 0.9)
    if kernel == "grad_norm + clip":
        n_t, r, c = shape_ints(shape)
        grads = [arr(r, c) for _ in range(n_t)]

        def clip():
            if th:
                norm = float(torch.sqrt(sum(torch.dot(g.view(-1), g.view(-1)) for g in grads)))
            else:
                norm = float(np.sqrt(sum(np.dot(g.ravel(), g.ravel()) for g in grads)))
            scale = min(1.0, 1e9 / (norm + 1e-6))  # max_norm 1e9 as the bench: the clip pass
            # still runs, with scale 1
            for g in grads:
                if th:
                    g.mul_(scale)
                else:
                    np.multiply(g, np.float32(scale), out=g)
            return norm
        return clip
    return None


def main():
    args = sys.argv[1:]
    cli = "_build-gpu/src/cli/hone-cli"
    extra = []
    while args:
        a = args.pop(0)
        if a == "--only":
            extra += ["--only", args.pop(0)]
        else:
            cli = a
    out = subprocess.run([cli, "bench", "kernels", "--json"] + extra, check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    hone = json.loads(out)
    print("Hone device: %s" % hone["device"])
    print("numpy %s, OpenBLAS: %s" % (np.__version__, openblas_core()))
    if torch is not None:
        print("torch %s, %d thread(s)" % (torch.__version__, torch.get_num_threads()))
    print("load average before: %.1f (the machine has %d CPUs)" % (os.getloadavg()[0],
                                                                   os.cpu_count()))
    # Wall-clock ratios (peer / Hone; > 1: Hone is faster) and CPU-time ratios, which hold
    # better when other work shares the cores.
    print("%-22s %-20s %9s %9s %9s %7s %7s %7s %7s  %s" % (
        "kernel", "shape", "hone ms", "numpy ms", "torch ms", "np/hone", "pt/hone",
        "cpu np/h", "cpu pt/h", "hone rate"))
    for r in hone["results"]:
        np_fn = make_peer(r["kernel"], r["shape"], "np")
        pt_fn = make_peer(r["kernel"], r["shape"], "torch") if torch is not None else None
        nan = (float("nan"), float("nan"))
        np_t = timeit(np_fn) if np_fn else nan
        pt_t = timeit(pt_fn) if pt_fn else nan
        rate = ("%.1f GFLOP/s" % r["gflops"]) if "gflops" in r else ("%.2f GB/s" % r["gbps"])
        hone_cpu = r.get("cpu_ms", float("nan"))
        print("%-22s %-20s %9.3f %9.3f %9.3f %7.2f %7.2f %7.2f %7.2f  %s" % (
            r["kernel"], r["shape"], r["ms"], np_t[0] * 1e3, pt_t[0] * 1e3,
            np_t[0] * 1e3 / r["ms"], pt_t[0] * 1e3 / r["ms"],
            np_t[1] * 1e3 / hone_cpu, pt_t[1] * 1e3 / hone_cpu, rate))
        sys.stdout.flush()


if __name__ == "__main__":
    main()
