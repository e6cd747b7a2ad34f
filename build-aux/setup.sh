#!/usr/bin/env bash
# build-aux/setup.sh — install everything Hone needs to build and test on Debian 12.
#
# Idempotent: packages already present are skipped by apt, the venv is reused.
# Run as root (CI and fresh machines) or with sudo available.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(
  # build
  meson ninja-build gcc pkg-config gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
  libsqlite3-dev libarchive-dev libsoup-3.0-dev libpcre2-dev
  libvulkan-dev glslc mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
  # running and testing the window
  xvfb xauth dbus dbus-x11 adwaita-icon-theme gsettings-desktop-schemas
  # validators for the GNOME data files
  appstream desktop-file-utils yelp-tools
  # test oracles
  python3 python3-venv python3-jinja2 python3-numpy python3-torch libopenblas0-pthread
  # fuzzing (-Dfuzz=true)
  clang libclang-rt-14-dev
  # building llama.cpp (llama-cpp-python) from source for the test venv
  g++ cmake
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -q
  $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# Test oracles from PyPI live in a venv that also sees Debian's python3-* packages.
venv="$here/.venv"
if [ ! -x "$venv/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$venv"
fi

# PyPI test oracles: gguf (llama.cpp's GGUF reader/writer), tokenizers (Hugging Face's),
# llama-cpp-python (llama.cpp itself). llama-cpp-python is built from its source package,
# which takes several minutes on 2 cores, so the wheel is kept in a cache and reused.
pip=("$venv/bin/python" -m pip --disable-pip-version-check -q)
"$venv/bin/python" -c "import gguf, tokenizers" 2>/dev/null ||
  "${pip[@]}" install "gguf==0.19.0" "tokenizers==0.23.3"

llama_version=0.3.36
if ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  wheels="${HONE_WHEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hone/wheels}"
  mkdir -p "$wheels"
  if ! ls "$wheels"/llama_cpp_python-"$llama_version"-*.whl >/dev/null 2>&1; then
    echo "setup: building llama-cpp-python $llama_version from source (several minutes)…"
    "${pip[@]}" wheel --no-deps --no-binary llama-cpp-python -w "$wheels" \
      "llama-cpp-python==$llama_version"
  fi
  "${pip[@]}" install --find-links "$wheels" "llama-cpp-python==$llama_version"
fi
