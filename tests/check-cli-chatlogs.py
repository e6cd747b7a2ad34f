#!/usr/bin/env python3
# check-cli-chatlogs.py — the hone-cli contracts, as outside scripts use them: for every
# shared sample, `hone-cli import --json` reports exactly the facts of expected.json and
# `hone-cli messages --json` gives the messages back from the project store; every broken
# file exits with status 1, names itself and the expected words, and leaves the project
# empty. Prints TAP.
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
with open(os.path.join(chatlogs, 'expected.json'), encoding='utf-8') as f:
    expected = json.load(f)


def run(*args):
    return subprocess.run([hone_cli, *args], capture_output=True, text=True, timeout=120)


def check(key, want, tmp):
    project = os.path.join(tmp, 'project')
    r = run('project', 'new', project)
    assert r.returncode == 0, f'project new: {r.stderr}'
    path = os.path.join(chatlogs, key.rstrip('/'))
    base = os.path.basename(key.rstrip('/'))
    r = run('import', project, path, '--json')

    if want.get('broken'):
        assert r.returncode == 1, f'exit status {r.returncode}, want 1'
        assert base in r.stderr, f'message does not name {base}: {r.stderr!r}'
        for words in want['must_mention']:
            assert words in r.stderr, f'message does not mention {words!r}: {r.stderr!r}'
        sources = json.loads(run('sources', project, '--json').stdout)
        assert sources == [], f'something was imported: {sources}'
        return

    assert r.returncode == 0, f'exit status {r.returncode}: {r.stderr}'
    facts = json.loads(r.stdout)
    assert len(facts) == 1, facts
    got = facts[0]
    assert got['file'] == base, got['file']
    for fact in ('format', 'conversations', 'messages', 'participants', 'system', 'media'):
        assert got[fact] == want[fact], f'{fact}: got {got[fact]!r}, want {want[fact]!r}'

    r = run('messages', project, '--json')
    assert r.returncode == 0, r.stderr
    conversations = json.loads(r.stdout)
    assert len(conversations) == want['conversations']
    messages = [m for c in conversations for m in c['messages']]
    assert len(messages) == want['messages']
    assert all(c['source'] == base for c in conversations)
    assert sum(m['media'] for m in messages) == want['media']
    assert sorted({m['author'] for m in messages}) == want['participants']
    if 'first_time' in want:
        assert messages[0]['time'].startswith(want['first_time']), messages[0]['time']
    else:
        assert all(m['time'] is None for m in messages)
    for s in want.get('samples', []):
        m = messages[s['index']]
        assert m['author'] == s['author'], f'sample {s["index"]} author {m["author"]!r}'
        assert m['text'] == s['text'], f'sample {s["index"]} text {m["text"]!r}'

    # The same content again is noticed and changes nothing.
    r = run('import', project, path, '--json')
    assert r.returncode == 0 and json.loads(r.stdout)[0].get('already_imported'), r.stdout
    assert len(json.loads(run('sources', project, '--json').stdout)) == 1


print(f'1..{len(expected)}')
failed = 0
for n, (key, want) in enumerate(expected.items(), 1):
    with tempfile.TemporaryDirectory(prefix='hone-cli-test-') as tmp:
        try:
            check(key, want, tmp)
            print(f'ok {n} {key}')
        except AssertionError as e:
            failed += 1
            print(f'not ok {n} {key}')
            for line in str(e).splitlines():
                print(f'# {line}')
sys.exit(1 if failed else 0)
