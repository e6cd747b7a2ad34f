#!/usr/bin/env python3
# check-potfiles.py — every file with translatable strings is listed in po/POTFILES.in,
# and every listed file exists.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import os
import re
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

C_MARKS = re.compile(r'\b(?:_|N_|C_|NC_|g_dngettext|ngettext)\s*\(\s*"')
UI_MARK = re.compile(r'translatable\s*=\s*"(?:yes|true)"')

listed = set()
with open(os.path.join(root, 'po', 'POTFILES.in'), encoding='utf-8') as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith('#'):
            listed.add(line)

wanted = set()
for top in ('src', 'data'):
    for dirpath, dirnames, filenames in os.walk(os.path.join(root, top)):
        for name in filenames:
            path = os.path.join(dirpath, name)
            rel = os.path.relpath(path, root)
            if name.endswith(('.c', '.h')):
                with open(path, encoding='utf-8') as f:
                    if C_MARKS.search(f.read()):
                        wanted.add(rel)
            elif name.endswith('.ui'):
                with open(path, encoding='utf-8') as f:
                    if UI_MARK.search(f.read()):
                        wanted.add(rel)
            elif name.endswith(('.desktop.in.in', '.metainfo.xml.in.in', '.gschema.xml')):
                wanted.add(rel)

status = 0
for rel in sorted(wanted - listed):
    print(f'not in po/POTFILES.in: {rel}')
    status = 1
for rel in sorted(listed):
    if not os.path.exists(os.path.join(root, rel)):
        print(f'po/POTFILES.in lists a missing file: {rel}')
        status = 1
if status == 0:
    print(f'po/POTFILES.in lists all {len(wanted)} files with translatable strings')
sys.exit(status)
