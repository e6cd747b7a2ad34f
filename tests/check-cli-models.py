#!/usr/bin/env python3
# check-cli-models.py HONE_CLI — `hone-cli make-test-model` and `hone-cli models` from the
# outside: models made in a temporary home (an Ollama manifest and blob, a Hugging Face
# cache snapshot, an added folder) are listed with the right fields, text and JSON; bad
# options are refused with usage status 2. TAP output.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later

import json
import os
import subprocess
import sys
import tempfile

cli = sys.argv[1]
n = 0
failures = 0


def check(ok, what):
    global n, failures
    n += 1
    print(f"{'ok' if ok else 'not ok'} {n} - {what}")
    if not ok:
        failures += 1


def run(*args, env=None):
    return subprocess.run([cli, *args], capture_output=True, text=True, env=env)


print("1..11")
with tempfile.TemporaryDirectory(prefix="hone-cli-models-") as home:
    env = {k: v for k, v in os.environ.items()
           if k not in ("OLLAMA_MODELS", "HF_HOME", "HF_HUB_CACHE", "HONE_MODEL_PATHS")}
    env["HOME"] = home

    r = run("models", "--json", env=env)
    check(r.returncode == 0 and json.loads(r.stdout) == [], "an empty home lists no models")

    blobs = os.path.join(home, ".ollama", "models", "blobs")
    os.makedirs(blobs)
    r = run("make-test-model", os.path.join(blobs, "sha256-abcdef"), "--dtype", "q8_0", env=env)
    check(r.returncode == 0, "make-test-model writes a q8_0 GGUF")
    manifest = os.path.join(home, ".ollama", "models", "manifests", "registry.ollama.ai",
                            "library", "tiny", "latest")
    os.makedirs(os.path.dirname(manifest))
    with open(manifest, "w") as f:
        json.dump({"layers": [{"mediaType": "application/vnd.ollama.image.model",
                               "digest": "sha256:abcdef"}]}, f)

    snapshot = os.path.join(home, ".cache", "huggingface", "hub", "models--org--tiny",
                            "snapshots", "0123abcd")
    r = run("make-test-model", snapshot, "--hf", "--arch", "qwen3", "--dtype", "f16",
            "--layers", "3", env=env)
    check(r.returncode == 0 and os.path.exists(os.path.join(snapshot, "config.json")),
          "make-test-model --hf writes a folder")

    extra = os.path.join(home, "mine")
    os.makedirs(extra)
    r = run("make-test-model", os.path.join(extra, "q.gguf"), "--arch", "qwen2", "--tied",
            env=env)
    check(r.returncode == 0, "make-test-model --arch qwen2 --tied")
    env["HONE_MODEL_PATHS"] = extra

    r = run("models", "--json", env=env)
    models = {m["name"]: m for m in json.loads(r.stdout)} if r.returncode == 0 else {}
    check(sorted(models) == ["org/tiny", "q.gguf", "tiny:latest"], "three models listed: "
          + ", ".join(sorted(models)))
    m = models.get("tiny:latest", {})
    check(m.get("source") == "ollama" and m.get("architecture") == "llama"
          and m.get("quantization") == "q8_0" and m.get("context_length") == 512
          and m.get("chat_template") is False and m.get("error") is None,
          "the Ollama model's fields")
    m = models.get("org/tiny", {})
    check(m.get("source") == "huggingface" and m.get("architecture") == "qwen3"
          and m.get("quantization") == "f16" and m.get("layers") == 3
          and m.get("format") == "safetensors", "the Hugging Face model's fields")
    m = models.get("q.gguf", {})
    check(m.get("source") == "folder" and m.get("architecture") == "qwen2"
          and m.get("parameters", 0) > 0, "the added folder's model")

    r = run("models", env=env)
    check(r.returncode == 0 and "tiny:latest" in r.stdout and "qwen3" in r.stdout,
          "the text listing")

    r = run("make-test-model", os.path.join(home, "x.gguf"), "--arch", "gptj", env=env)
    check(r.returncode == 2 and "gptj" in r.stderr, "an unknown architecture is refused")
    r = run("make-test-model", os.path.join(home, "x"), "--hf", "--dtype", "q4_0", env=env)
    check(r.returncode == 1 and "Hugging Face" in r.stderr,
          "a quantized Hugging Face folder is refused")

sys.exit(1 if failures else 0)
