#!/usr/bin/env python3
# check-cli-dataset.py — the dataset commands of hone-cli as outside scripts use them:
# `hone-cli scrub-text` changes only the personal data, byte for byte elsewhere, and
# `hone-cli dataset export PROJECT OUT.jsonl --format openai` writes one
# {"messages": [{"role", "content"}]} object per line, the training part only unless
# --split all; the other commands run on a shared sample and undo takes changes back.
# Prints TAP.
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


def run(*args, stdin=None):
    r = subprocess.run([hone_cli, *args], capture_output=True, input=stdin, timeout=120)
    return r


def ok(r, what):
    assert r.returncode == 0, f'{what}: exit {r.returncode}: {r.stderr.decode(errors="replace")}'
    return r.stdout.decode()


def test_scrub_text(tmp):
    text = ('Call me at +49 30 12345678 or anna@example.com.\r\n'
            'Order #123456789 ships 12.03.2024 at 10:30 for €49,90\n'
            '\n'
            'IBAN DE89 3704 0044 0532 0130 00, card 4111 1111 1111 1111\n'
            'no newline at the end: 221B Baker Street').encode()
    want = ('Call me at [PHONE] or [EMAIL].\r\n'
            'Order #123456789 ships 12.03.2024 at 10:30 for €49,90\n'
            '\n'
            'IBAN [IBAN], card [CARD]\n'
            'no newline at the end: [ADDRESS]').encode()
    out = run('scrub-text', stdin=text)
    assert out.returncode == 0, out.stderr
    assert out.stdout == want, f'{out.stdout!r}'
    # Not UTF-8: the line passes through untouched.
    raw = b'\xff\xfe anna@example.com\nbob@example.com\n'
    out = run('scrub-text', stdin=raw)
    assert out.stdout == b'\xff\xfe anna@example.com\n[EMAIL]\n', f'{out.stdout!r}'


def make_project(tmp):
    project = os.path.join(tmp, 'project')
    ok(run('project', 'new', project), 'project new')
    ok(run('import', project, os.path.join(chatlogs, 'helpdesk-tickets.csv')), 'import')
    return project


def test_commands(tmp):
    project = make_project(tmp)
    speakers = json.loads(ok(run('roles', project, '--json'), 'roles'))
    assert speakers and all(s['role'] is None for s in speakers), speakers
    assert any(s['guess'] == 'assistant' for s in speakers), speakers
    ok(run('roles', project, '--guess'), 'roles --guess')
    report = json.loads(ok(run('clean', project, '--dry-run', '--set', 'min_tokens=0', '--json'), 'clean'))
    assert [s['step'] for s in report['steps']][0] == 'load'
    assert report['settings']['min_tokens'] == 0
    # dry run saved nothing
    report = json.loads(ok(run('clean', project, '--json'), 'clean'))
    assert report['settings']['min_tokens'] == 2
    ok(run('scrub', project, '--dry-run'), 'scrub --dry-run')
    ok(run('scrub', project), 'scrub')
    ok(run('tag', project, 'add', 'refund', '--keywords', 'refund|broken|late'), 'tag add')
    stats = json.loads(ok(run('stats', project, '--json'), 'stats'))
    assert stats['conversations'] > 0 and stats['messages'] > 0, stats
    assert len(stats['histogram']) == 8
    split = json.loads(ok(run('split', project, '--validation', '0.5', '--seed', '3', '--json'), 'split'))
    assert split['train'] + split['validation'] == stats['conversations'], (split, stats)
    changes = json.loads(ok(run('changes', project, '--json'), 'changes'))
    assert changes[0]['kind'] == 'cleaning' and changes[0]['summary'].startswith('Split'), changes
    out = ok(run('undo', project), 'undo')
    assert 'Split' in out, out
    assert json.loads(ok(run('split', project, '--json'), 'split'))['validation_fraction'] == 0.1


def test_export(tmp):
    project = make_project(tmp)
    ok(run('roles', project, '--guess'), 'roles --guess')
    ok(run('split', project, '--validation', '0.5'), 'split')
    stats = json.loads(ok(run('stats', project, '--json'), 'stats'))
    for split, count in (('train', stats['train']), ('all', stats['conversations'])):
        out = os.path.join(tmp, f'{split}.jsonl')
        args = ['dataset', 'export', project, out, '--format', 'openai']
        if split != 'train':
            args += ['--split', split]
        ok(run(*args), 'dataset export')
        with open(out, encoding='utf-8') as f:
            lines = f.read().splitlines()
        assert len(lines) == count, (split, len(lines), count)
        for line in lines:
            record = json.loads(line)
            assert list(record) == ['messages'], record
            for m in record['messages']:
                assert set(m) == {'role', 'content'} and m['role'] in ('user', 'assistant', 'system'), m
    sharegpt = os.path.join(tmp, 'all.json')
    ok(run('dataset', 'export', project, sharegpt, '--format', 'sharegpt', '--split', 'all'), 'sharegpt')
    with open(sharegpt, encoding='utf-8') as f:
        assert len(json.load(f)) == stats['conversations']


tests = [test_scrub_text, test_commands, test_export]
print(f'1..{len(tests)}')
failed = 0
for i, test in enumerate(tests, 1):
    with tempfile.TemporaryDirectory() as tmp:
        try:
            test(tmp)
            print(f'ok {i} {test.__name__}')
        except Exception as e:  # noqa: BLE001 - report every failure as TAP
            failed += 1
            print(f'not ok {i} {test.__name__}')
            for line in str(e).splitlines() or [repr(e)]:
                print(f'# {line}')
sys.exit(1 if failed else 0)
