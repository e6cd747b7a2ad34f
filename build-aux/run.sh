#!/usr/bin/env bash
# build-aux/run.sh — set everything up on Debian 12, build, and start Hone from the build
# folder (no install needed). Extra arguments go to hone (e.g. a project folder).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/build-aux/setup.sh"
bash "$here/build-aux/build.sh"

export GSETTINGS_SCHEMA_DIR="$here/_build/data"
export XDG_DATA_DIRS="$here/_build/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
exec "$here/_build/src/app/hone" "$@"
