#!/usr/bin/env bash
# build-aux/fuzz.sh [SECONDS] [TARGET…] — build the libFuzzer targets with clang in
# _build-fuzz/ and run each for SECONDS (default 300), seeded with the shared samples.
# Crashes land in _build-fuzz/crashes/<target>/; turn each into a regression test.
# Targets: the importers (whatsapp csv telegram discord messenger slack detect), the model
# files (gguf safetensors), LoRA adapters (adapter), tokenizer-json and template.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
seconds="${1:-300}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(whatsapp csv telegram discord messenger slack detect
                                     gguf safetensors tokenizer-json template adapter)
samples="$here/../shared/testdata/chatlogs"

if [ ! -f _build-fuzz/build.ninja ]; then
  CC=clang meson setup _build-fuzz -Dfuzz=true -Dapp=false -Dbuildtype=debugoptimized
fi
ninja -C _build-fuzz src/cli/hone-cli $(printf 'tests/fuzz/fuzz-%s ' "${targets[@]}")

for t in "${targets[@]}"; do
  corpus="_build-fuzz/corpus/$t"
  crashes="_build-fuzz/crashes/$t"
  mkdir -p "$corpus" "$crashes"
  case "$t" in
    whatsapp) cp "$samples"/whatsapp-*.txt "$samples"/broken/whatsapp-*.txt "$corpus"/ ;;
    csv) cp "$samples"/*.csv "$samples"/broken/*.csv "$corpus"/ ;;
    telegram) cp "$samples"/telegram-chat.json "$samples"/telegram-account/result.json "$corpus"/ ;;
    discord) cp "$samples"/discord-general.json "$corpus"/ ;;
    messenger) cp "$samples"/messenger-thread/message_*.json "$corpus"/ ;;
    slack)
      tmp=$(mktemp -d)
      (cd "$tmp" && unzip -q "$samples/slack-export.zip")
      (cd "$tmp" && find . -name '*.json' | sort | while read -r f; do
         printf '%s\n' "${f#./}"; cat "$f"; printf '\n@@@@\n'; done) > "$corpus/slack-seed"
      rm -rf "$tmp" ;;
    detect) find "$samples" -maxdepth 2 -type f ! -name README.md ! -name expected.json \
              -exec cp {} "$corpus"/ \; ;;
    gguf) cp "$here"/../shared/testdata/vocab/*.gguf "$corpus"/ ;;
    safetensors)
      tmp=$(mktemp -d)
      _build-fuzz/src/cli/hone-cli make-test-model "$tmp/m" --arch llama --layers 1 --dim 16 \
        --heads 2 --kv-heads 1 --ffn 32 --hf >/dev/null 2>&1 || true
      cp "$tmp"/m/*.safetensors "$corpus"/ 2>/dev/null || true
      rm -rf "$tmp" ;;
    tokenizer-json)
      "$here/.venv/bin/python" tests/tokenizer-json-from-gguf.py \
        "$here/../shared/testdata/vocab/ggml-vocab-gpt-2.gguf" "$corpus/gpt-2.json" 2>/dev/null || true ;;
    template) cp "$here"/../shared/testdata/chat-templates/* "$corpus"/ ;;
    adapter)
      tmp=$(mktemp -d)
      _build-fuzz/src/cli/hone-cli make-test-model "$tmp/m.gguf" --arch llama --layers 1 \
        --dim 16 --heads 2 --kv-heads 1 --ffn 32 >/dev/null 2>&1 || true
      for r in 1 2; do
        _build-fuzz/src/cli/hone-cli make-test-adapter "$tmp/m.gguf" "$corpus/lora-$r.gguf" \
          --rank "$r" --seed "$r" >/dev/null 2>&1 || true
      done
      rm -rf "$tmp" ;;
  esac
  echo "== fuzz-$t for ${seconds}s"
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 "_build-fuzz/tests/fuzz/fuzz-$t" "$corpus" \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" -print_final_stats=1 2>&1 | \
    grep -E "stat::number_of_executed_units|stat::peak_rss|ERROR|SUMMARY|Done" || true
done
