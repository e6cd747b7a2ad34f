#!/usr/bin/env bash
# build-aux/build.sh — configure (once) and build Hone in _build/. Idempotent.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

if [ ! -f _build/build.ninja ]; then
  meson setup _build "$@"
elif [ $# -gt 0 ]; then
  meson configure _build "$@"
fi
ninja -C _build
