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
  libsqlite3-dev libarchive-dev libsoup-3.0-dev
  libvulkan-dev glslc mesa-vulkan-drivers vulkan-validationlayers vulkan-tools
  # running and testing the window
  xvfb xauth dbus dbus-x11 adwaita-icon-theme gsettings-desktop-schemas
  # validators for the GNOME data files
  appstream desktop-file-utils yelp-tools
  # test oracles
  python3 python3-venv python3-jinja2 python3-numpy python3-torch libopenblas0-pthread
  # fuzzing (-Dfuzz=true)
  clang libclang-rt-14-dev
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
