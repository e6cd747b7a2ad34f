#!/usr/bin/env bash
# build-aux/test.sh — set everything up on Debian 12, build, run the whole test suite
# (window tests under a virtual X display) and end with one line: "N passed, N failed".
# Exits non-zero when a test fails.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$here/build-aux/setup.sh" || exit 1
bash "$here/build-aux/build.sh" || exit 1
cd "$here"

if [ -z "${XDG_RUNTIME_DIR:-}" ]; then
  export XDG_RUNTIME_DIR="$(mktemp -d /tmp/hone-runtime-XXXXXX)"
  chmod 700 "$XDG_RUNTIME_DIR"
fi
export NO_AT_BRIDGE=1

rm -f _build/meson-logs/testlog.json
xvfb-run -a -s "-screen 0 1280x1024x24" \
  dbus-run-session -- meson test -C _build --print-errorlogs --num-processes 2 "$@"

/usr/bin/python3 - _build/meson-logs/testlog.json <<'PY'
import json, sys
counts = {"passed": 0, "failed": 0, "skipped": 0}
try:
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            result = json.loads(line)["result"]
            if result in ("OK", "EXPECTEDFAIL"):
                counts["passed"] += 1
            elif result == "SKIP":
                counts["skipped"] += 1
            else:
                counts["failed"] += 1
except FileNotFoundError:
    counts["failed"] += 1
line = f'{counts["passed"]} passed, {counts["failed"]} failed'
if counts["skipped"]:
    line += f', {counts["skipped"]} skipped'
print(line)
sys.exit(1 if counts["failed"] else 0)
PY
