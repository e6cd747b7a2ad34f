#!/usr/bin/env python3
# check-flatpak.py — the Flatpak manifest parses, names the app, uses a recent GNOME
# runtime and asks for no more access than Hone needs.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
path = os.path.join(root, 'flatpak', 'io.github.honeapp.Hone.json')
with open(path, encoding='utf-8') as f:
    manifest = json.load(f)

problems = []
if manifest.get('id') != 'io.github.honeapp.Hone':
    problems.append(f'id is {manifest.get("id")!r}')
if manifest.get('runtime') != 'org.gnome.Platform' or manifest.get('sdk') != 'org.gnome.Sdk':
    problems.append('runtime/sdk should be org.gnome.Platform/org.gnome.Sdk')
try:
    if int(str(manifest.get('runtime-version'))) < 48:
        problems.append('runtime-version is older than 48')
except ValueError:
    problems.append(f'runtime-version {manifest.get("runtime-version")!r} is not a GNOME release')
if manifest.get('command') != 'hone':
    problems.append('command should be hone')

args = manifest.get('finish-args', [])
for needed in ('--device=dri', '--socket=wayland', '--socket=fallback-x11', '--share=ipc',
               '--share=network'):
    if needed not in args:
        problems.append(f'finish-args lacks {needed}')
for arg in args:
    if arg.startswith('--filesystem='):
        target = arg.split('=', 1)[1]
        if target.split(':')[0] in ('home', 'host', 'host-os', '~', '/'):
            problems.append(f'{arg} gives too much access')
        elif not target.endswith(':ro'):
            problems.append(f'{arg} should be read-only')
    if arg in ('--device=all', '--socket=x11', '--filesystem=home'):
        problems.append(f'{arg} is not needed')

modules = manifest.get('modules', [])
if not modules or modules[-1].get('buildsystem') != 'meson':
    problems.append('the last module should build this repository with meson')

for p in problems:
    print(f'{path}: {p}')
if not problems:
    print(f'{path}: ok ({len(args)} finish-args)')
sys.exit(1 if problems else 0)
