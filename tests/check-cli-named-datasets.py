#!/usr/bin/env python3
# check-cli-named-datasets.py — hone-cli data commands on a named data set: --dataset NAME
# makes it when new, keeps its own cleaning settings beside "default", and
# `hone-cli dataset list PROJECT --json` lists both. Prints TAP.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
import json
import os
import subprocess
import sys
import tempfile

hone_cli = sys.argv[1]
chatlogs = os.path.join(os.environ.get('HONE_TESTDATA', '../shared/testdata'), 'chatlogs')


def run(*args):
    return subprocess.run([hone_cli, *args], capture_output=True, timeout=120)


def ok(r, what):
    assert r.returncode == 0, f'{what}: exit {r.returncode}: {r.stderr.decode(errors="replace")}'
    return r.stdout.decode()


def test_named(tmp):
    project = os.path.join(tmp, 'project')
    ok(run('project', 'new', project), 'project new')
    ok(run('import', project, os.path.join(chatlogs, 'helpdesk-tickets.csv')), 'import')
    # The CSV marks Jana as the agent: the guess follows it.
    ok(run('roles', project, '--guess'), 'roles --guess')
    speakers = json.loads(ok(run('roles', project, '--json'), 'roles'))
    roles = {s['name']: s['role'] for s in speakers}
    marked = {s['name']: s['marked'] for s in speakers}
    assert roles['Jana (Fernwood)'] == 'assistant', roles
    assert roles['Katrin Vogel'] == 'user', roles
    assert marked['Jana (Fernwood)'] == 'assistant' and marked['Katrin Vogel'] == 'user', marked

    ok(run('clean', project, '--dataset', 'strict', '--set', 'near_duplicate_threshold=0.95',
           '--set', 'max_tokens=50'), 'clean --dataset strict')
    strict = json.loads(ok(run('clean', project, '--dataset', 'strict', '--dry-run', '--json'),
                           'clean strict'))
    default = json.loads(ok(run('clean', project, '--dry-run', '--json'), 'clean default'))
    assert strict['settings']['near_duplicate_threshold'] == 0.95, strict['settings']
    assert strict['settings']['max_tokens'] == 50
    assert default['settings']['near_duplicate_threshold'] == 0.8, default['settings']
    assert default['settings']['max_tokens'] == 4096

    stats = json.loads(ok(run('stats', project, '--dataset', 'strict', '--json'), 'stats strict'))
    assert 'conversations' in stats, stats
    out = os.path.join(tmp, 'strict.jsonl')
    ok(run('dataset', 'export', project, out, '--dataset', 'strict', '--split', 'all'), 'export')
    with open(out, encoding='utf-8') as f:
        lines = [json.loads(line) for line in f]
    assert all('messages' in line for line in lines)

    listed = json.loads(ok(run('dataset', 'list', project, '--json'), 'dataset list'))
    names = [d['name'] for d in listed]
    assert names == ['default', 'strict'], names
    assert all(d['sources'] == 'all' for d in listed), listed

    r = run('stats', project, '--dataset', '  ')
    assert r.returncode == 2, r.returncode


tests = [test_named]
print(f'1..{len(tests)}')
status = 0
for n, test in enumerate(tests, 1):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            test(tmp)
            print(f'ok {n} {test.__name__}')
        except Exception as e:  # noqa: BLE001 — report every failure as TAP
            print(f'not ok {n} {test.__name__}: {e}')
            status = 1
sys.exit(status)
