#!/usr/bin/python3
# bench-kernels.py — `hone-cli bench kernels` beside numpy and PyTorch on the same shapes.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: tests/bench/bench-kernels.py [PATH/TO/hone-cli] [--only matmul|layers|1b|small]
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


def make_peer(kernel, shape, lib):
    """A callable doing `kernel` at `shape` in numpy (lib 'np') or torch (lib 'torch')."""
    rng = np.random.default_rng(1)

    def arr(*dims):
        a = rng.standard_normal(dims, dtype=np.float32)
        return torch.from_numpy(a) if lib == "torch" else a

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
