#!/usr/bin/env python3
# check-templates.py — `hone-cli template` against Python jinja2, byte for byte.
#
# Copyright 2026 The Hone authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Every template in ../shared/testdata/chat-templates/ renders many generated
# conversations (system or not, several turns, unicode, empty content, tool calls,
# add_generation_prompt on and off, each model's bos/eos) with jinja2 set up exactly
# as Hugging Face's apply_chat_template does, and with Hone. Outputs must be equal; a
# template that raises must make Hone fail with the same message.
#
# Usage: check-templates.py HONE_CLI [TEMPLATE_DIR]   (prints TAP)

import datetime
import json
import os
import random
import subprocess
import sys
import tempfile

NOW = datetime.datetime(2026, 3, 7, 14, 5, 9)

# bos_token / eos_token as each model's tokenizer_config.json sets them (None: unset).
SPECIAL = {
    "HuggingFaceTB-SmolLM3-3B": (None, "<|im_end|>"),
    "Qwen-Qwen2.5-7B-Instruct": (None, "<|im_end|>"),
    "Qwen-Qwen3-0.6B": (None, "<|im_end|>"),
    "deepseek-ai-DeepSeek-R1-Distill-Qwen-32B": ("<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>"),
    "google-gemma-2-2b-it": ("<bos>", "<eos>"),
    "ibm-granite-granite-3.3-2B-Instruct": (None, "<|end_of_text|>"),
    "meta-llama-Llama-3.1-8B-Instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "meta-llama-Llama-3.2-3B-Instruct": ("<|begin_of_text|>", "<|eot_id|>"),
    "microsoft-Phi-3.5-mini-instruct": ("<s>", "<|endoftext|>"),
    "mistralai-Mistral-Nemo-Instruct-2407": ("<s>", "</s>"),
}

TEXTS = [
    "Hello!",
    "",
    "  padded with spaces  ",
    "\n\nleading and trailing newlines\n\n",
    "Ünïcödé — “quotes” ‘single’ 日本語のテキスト 🎉👍🏽",
    "multi\nline\n\ttabbed\r\ncarriage",
    "braces {{ not a tag }} {% nor this %} {# nor this #}",
    "It's \"quoted\" and \\backslashed\\",
    "<think>\nLet me reason about it.\n</think>\n\nThe answer is 42.",
    "/no_think Be brief.",
    "/think Think hard.",
    "<tool_response>{\"ok\": true}</tool_response>",
    "a" * 300,
    "Zero-width\u200bjoiner\u2028line sep\u00a0nbsp",
    "   ",
]

TOOLS = [
    {"type": "function", "function": {"name": "get_weather", "description": "Weather now",
     "parameters": {"type": "object", "properties": {"city": {"type": "string",
     "description": "City name, e.g. Zürich"}, "days": {"type": "integer"}},
     "required": ["city"]}}},
    {"type": "function", "function": {"name": "add", "description": "Adds numbers",
     "parameters": {"type": "object", "properties": {"a": {"type": "number"},
     "b": {"type": "number", "default": 1.5}}}}},
]


def conversations(rng):
    """Yields (name, conversation dict) pairs."""
    n = 0
    for system in (False, True):
        for turns in range(1, 5):
            for end_with_user in (True, False):
                for _ in range(3):
                    messages = []
                    if system:
                        messages.append({"role": "system", "content": rng.choice(TEXTS)})
                    for t in range(turns):
                        messages.append({"role": "user", "content": rng.choice(TEXTS)})
                        if t < turns - 1 or not end_with_user:
                            messages.append({"role": "assistant", "content": rng.choice(TEXTS)})
                    n += 1
                    yield "conv%d" % n, {"messages": messages}
    # Shapes that some templates refuse or treat specially.
    yield "only-system", {"messages": [{"role": "system", "content": "Alone."}]}
    yield "two-users", {"messages": [{"role": "user", "content": "a"},
                                     {"role": "user", "content": "b"}]}
    yield "assistant-first", {"messages": [{"role": "assistant", "content": "Hi."},
                                           {"role": "user", "content": "Hello."}]}
    yield "bare-array", [{"role": "user", "content": "Bare array form."}]
    yield "extra-keys", {"messages": [{"role": "user", "content": "x", "name": "Ann"},
                                      {"role": "assistant", "content": "y", "weight": 1.0}]}
    yield "tools", {"messages": [{"role": "system", "content": "Use tools."},
                                 {"role": "user", "content": "Weather in Zürich?"}],
                    "tools": TOOLS}
    yield "tool-call", {"messages": [
        {"role": "user", "content": "Weather in Zürich?"},
        {"role": "assistant", "content": "", "tool_calls": [
            {"id": "abcdefghi", "type": "function", "function": {
                "name": "get_weather", "arguments": {"city": "Zürich", "days": 2}}}]},
        {"role": "tool", "content": "{\"temp\": 21.5}", "tool_call_id": "abcdefghi"},
        {"role": "assistant", "content": "It is 21.5 °C."}], "tools": TOOLS}
    yield "no-thinking", {"messages": [{"role": "user", "content": "Quick."}],
                          "enable_thinking": False}
    yield "documents", {"messages": [{"role": "user", "content": "Summarise."}],
                        "documents": [{"doc_id": 1, "text": "Doc one."},
                                      {"doc_id": "b", "text": "Doc two."}],
                        "controls": {"citations": True}}


# Small templates for the interpreter's features, each rendered with jinja2 and Hone.
FEATURES = [
    ("{% for x in xs %}{{ loop.index }}/{{ loop.index0 }}/{{ loop.revindex }}/{{ loop.revindex0 }}/{{ loop.first }}/{{ loop.last }}/{{ loop.length }} {% endfor %}", {"xs": [1, 2, 3]}),
    ("{% for x in xs %}{% if x == 2 %}{% continue %}{% endif %}{% if x == 4 %}{% break %}{% endif %}{{ x }}{% endfor %}", {"xs": [1, 2, 3, 4, 5]}),
    ("{% for x in xs if x > 1 %}{{ x }}{{ ',' if not loop.last }}{% else %}none{% endfor %}", {"xs": [1, 2, 3]}),
    ("{% for x in [] %}{{ x }}{% else %}empty{% endfor %}", {}),
    ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{% for k, v in d | items %}{{ k }}{% endfor %}", {"d": {"b": 1, "a": [1, "x"]}}),
    ("{% set x = 1 %}{% for i in [1, 2] %}{{ x }}{% set x = 5 %}{{ x }}{% endfor %}{{ x }}", {}),
    ("{% set ns = namespace(n=0, s='') %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% set ns.s = ns.s ~ i %}{% endfor %}{{ ns.n }} {{ ns.s }}", {}),
    ("{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} {{ greet('B', punct='?') }} {{ greet(name='C') }}", {}),
    ("{{ 1 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 7 % -3 }} {{ 2 ** 10 }} {{ 1.5 * 2 }} {{ 10 / 2 }} {{ 3 - 5 }} {{ 1e20 }} {{ 1e16 }} {{ 1e15 }} {{ 0.1 + 0.2 }} {{ 1e-5 }} {{ 0.0001 }} {{ 123456789.125 }} {{ -0.0 }}", {}),
    ("{{ [1, 2.5, 'a', none, true, {'k': \"it's\"}, [\"q\\\"\"]] }} {{ {'a': 1} }} {{ none }} {{ true }} {{ false }}", {}),
    ("{{ 'abcdef'[1:3] }} {{ 'abcdef'[::-1] }} {{ 'abcdef'[-2:] }} {{ 'abcdef'[::2] }} {{ [1,2,3,4][1:-1] }} {{ [1,2,3][::-1] }} {{ 'héllo'[1] }} {{ 'héllo'[-1] }} {{ [1,2,3][5:] }} {{ 'abc'[10:1:-1] }}", {}),
    ("{{ '  x  ' | trim }}|{{ 'xxhixx' | trim('x') }}|{{ 'Hello' | upper }}|{{ 'Hello' | lower }}|{{ 'hello world' | capitalize }}|{{ 'hello wORLD-foo' | title }}|{{ 'aXbX' | replace('X', '-') }}", {}),
    ("{{ xs | length }} {{ 'héllo' | length }} {{ d | length }} {{ xs | first }} {{ xs | last }} {{ xs | join(', ') }} {{ xs | reverse | list }} {{ 'abc' | list }}", {"xs": [3, 1, 2], "d": {"a": 1}}),
    ("{{ u | default('dflt') }} {{ '' | default('e', true) }} {{ 0 | default('z') }} {{ u is defined }} {{ u is undefined }} {{ none is none }} {{ 'a' is string }} {{ 1 is number }} {{ 1.5 is float }} {{ 1 is integer }} {{ {} is mapping }} {{ [] is iterable }} {{ 'x' is sequence }} {{ true is boolean }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 'a' is in 'abc' }} {{ 1 is equalto 1 }}", {}),
    ("{{ msgs | selectattr('role', 'equalto', 'user') | map(attribute='content') | join('|') }} {{ msgs | rejectattr('role', 'equalto', 'user') | list | length }} {{ [1, 0, 2] | select | list }} {{ ['a', 'b'] | reject('equalto', 'a') | list }}", {"msgs": [{"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}]}),
    ("{{ x | tojson }} {{ x | tojson(indent=2) }} {{ x | tojson(sort_keys=true) }} {{ x | tojson(separators=(',', ':')) }} {{ 'é\"\\n' | tojson }} {{ [] | tojson(indent=2) }} {{ {} | tojson }}", {"x": {"b": [1, 2.0, None, True, "ü"], "a": {"c": "d"}}}),
    ("{{ '  ab  '.strip() }}|{{ 'xxabx'.lstrip('x') }}|{{ 'abxx'.rstrip('x') }}|{{ 'abc'.startswith('a') }}|{{ 'abc'.endswith(('x', 'c')) }}|{{ 'a,b,,c'.split(',') }}|{{ ' a  b '.split() }}|{{ 'a b c'.split(' ', 1) }}|{{ 'abc'.upper() }}|{{ 'aXa'.replace('a', 'b') }}|{{ 'hi {} {}'.format(1, 'x') }}|{{ 'hello world'.title() }}", {}),
    ("{{ d.get('a') }} {{ d.get('z') }} {{ d.get('z', 5) }} {{ d.keys() | list }} {{ d.values() | list }} {{ 'a' in d }} {{ 'z' not in d }} {{ d['a'] }} {{ d.a }}", {"d": {"a": 1, "b": 2}}),
    ("{{ 'x' if true else 'y' }} {{ 'x' if false else 'y' }} {{ 'x' if false }}| {{ 'a' ~ 1 ~ none ~ u }} {{ [1] + [2] }} {{ 'ab' * 3 }} {{ not true }} {{ 1 and 2 }} {{ 0 or 'z' }} {{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }} {{ 'a' < 'b' }} {{ [1, 2] == [1, 2] }} {{ 1 == 1.0 }} {{ true == 1 }}", {}),
    ("{{ 3.7 | int }} {{ '42' | int }} {{ 'x' | int }} {{ '2.5' | float }} {{ 2 | float }} {{ -3 | abs }} {{ 2.5 | round }} {{ 3.14159 | round(2) }} {{ 2.7 | round(method='floor') }} {{ 42 | string }} {{ '<&>' | escape }}", {}),
    ("line one\n  {% if true %}\n    indented text\n  {% endif %}\nafter\n{# comment #}\n  {%+ if true %}kept{% endif %}\n{%- if true -%}  stripped  {%- endif -%}\n{{ 'x' }}\n{{- 'y' -}}\n  z\n", {}),
    ("{% set s %}block {{ 1 + 1 }}{% endset %}[{{ s }}] {% set a, b = [1, 2] %}{{ a }}{{ b }} {% if x is not defined %}nd{% elif x %}t{% else %}f{% endif %}", {}),
    ("{{ strftime_now('%Y-%m-%d %H:%M:%S %b %B %a %A %j %p %I %y') }} {{ strftime_now is defined }} {{ range(3) | list }} {{ range(1, 10, 3) | list }}", {}),
    ("{% if messages[0]['role'] == 'system' %}{{ raise_exception('No system: ' ~ messages[0].content) }}{% endif %}ok", {"messages": [{"role": "system", "content": "S"}]}),
    ("{{ u.attr }}", {}),
    ("{{ 'a' + 1 }}", {}),
    ("{{ x.y.z }}", {"x": {"y": {}}}),
    ("{{ [1,2,3] | sum if false else 'no' }} {{ (1, 2) | list }} {{ (1, 2) }} {{ (1,) }} {{ () }} {{ (1, 2)[::-1] }} {{ d.items() | list }} {{ (1, 2) == [1, 2] }} {{ 'a\\tb\\u00e9\\x41' }} {{ 'adjacent' 'strings' }}", {"d": {"k": "v"}}),
    ("{%- for m in messages -%}\n{{- m.role | upper }}: {{ m.content }}\n{% endfor -%}\n", {"messages": [{"role": "user", "content": "ä"}, {"role": "assistant", "content": "b"}]}),
    ("{% set top = 'T' %}{% macro m(a, b=top ~ '!') %}[{{ a }}|{{ b }}|{{ top }}|{{ later }}]{% endmacro %}{% set later = 'L' %}{{ m(1) }}{% for i in [1] %}{{ m(i, b=loop.index) }}{% endfor %}", {}),
    ("{% for m in messages %}{% if m.role == 'assistant' %}{% generation %}{{ m.content }}{% endgeneration %}{% endif %}{% endfor %}", {"messages": [{"role": "user", "content": "u"}, {"role": "assistant", "content": "a"}]}),
    ("{% for a in [[1, 2], [3]] %}{% for b in a %}{{ loop.index }}{{ b }}{% endfor %}/{{ loop.index }};{% endfor %}", {}),
    ("  {%- if true %}\n  x\n  {%- endif %}\n\t{% if true -%}\n y {% endif %}\n{{ 'z' }}  \n{# c -#}  \n w", {}),
    ("{{ '%s and %s' | format('a', 1) }} {{ 'x' | default }} {{ none | default('n') }} {{ [3, 1] | first }} {{ {'a': 1} | items | list }} {{ 'a-b' .split('-') | join('+') }}", {}),
    ("{{ x }} {{ x | tojson }} {{ y }} {{ y | tojson }} {{ z | tojson }} {{ w | tojson }}", {"x": 12345678901234, "y": 0.5, "z": [1e-7, 1.0e100, -2.5], "w": "\u0001\u001f\u007f\u2028"}),
    ("{% if messages | selectattr('role', 'equalto', 'system') | list | length > 0 %}S{% endif %}{{ messages | map(attribute='role') | list }}", {"messages": [{"role": "system", "content": "s"}, {"role": "user", "content": "u"}]}),
    ("{{ 'Ünï' | upper }} {{ 'ÀÉ' | lower }} {{ loop is defined }} {{ 10 | string | length }} {{ 'abc' | first }}", {}),
]


def oracle_env():
    import jinja2
    import jinja2.ext
    import jinja2.nodes
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    def raise_exception(message):
        raise jinja2.exceptions.TemplateError(message)

    def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
        return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent,
                          separators=separators, sort_keys=sort_keys)

    def strftime_now(format):
        return NOW.strftime(format)

    class AssistantTracker(jinja2.ext.Extension):
        # Hugging Face's {% generation %} tag: renders its body unchanged.
        tags = {"generation"}

        def parse(self, parser):
            lineno = next(parser.stream).lineno
            body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
            call = self.call_method("_render", [])
            return jinja2.nodes.CallBlock(call, [], [], body).set_lineno(lineno)

        def _render(self, caller):
            return caller()

    env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                        extensions=[AssistantTracker, jinja2.ext.loopcontrols])
    env.filters["tojson"] = tojson
    env.globals["raise_exception"] = raise_exception
    env.globals["strftime_now"] = strftime_now
    return env, jinja2


def main():
    if len(sys.argv) < 2:
        print("usage: check-templates.py HONE_CLI [TEMPLATE_DIR]", file=sys.stderr)
        return 2
    hone_cli = sys.argv[1]
    if len(sys.argv) > 2:
        template_dir = sys.argv[2]
    else:
        root = os.environ.get("HONE_TESTDATA",
                              os.path.join(os.path.dirname(__file__), "..", "..", "shared",
                                           "testdata"))
        template_dir = os.path.join(root, "chat-templates")
    try:
        env, jinja2 = oracle_env()
    except ImportError:
        print("1..0 # SKIP python3-jinja2 is not installed (the oracle)")
        return 0
    if not os.path.isdir(template_dir):
        print("1..0 # SKIP no chat templates at %s" % template_dir)
        return 0

    names = sorted(f for f in os.listdir(template_dir) if f.endswith(".jinja"))
    rng = random.Random(6)
    convs = list(conversations(rng))
    print("1..%d" % (len(names) + 1))
    failed = 0
    total = 0
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for i, (cname, conv) in enumerate(convs):
            path = os.path.join(tmp, "%s.json" % cname)
            with open(path, "w", encoding="utf-8") as f:
                json.dump(conv, f, ensure_ascii=False)
            paths.append(path)
        for number, name in enumerate(names, 1):
            path = os.path.join(template_dir, name)
            with open(path, encoding="utf-8", newline="") as f:
                source = f.read()
            template = env.from_string(source)
            bos, eos = SPECIAL.get(name[:-len(".jinja")], ("<s>", "</s>"))
            problems = []
            for (cname, conv), conv_path in zip(convs, paths):
                for gen in (False, True):
                    total += 1
                    variables = dict(conv) if isinstance(conv, dict) else {"messages": conv}
                    variables["add_generation_prompt"] = gen
                    if bos is not None:
                        variables["bos_token"] = bos
                    if eos is not None:
                        variables["eos_token"] = eos
                    expected_error = None
                    raised = False
                    try:
                        expected = template.render(**variables)
                    except jinja2.exceptions.TemplateError as e:
                        expected, expected_error = None, str(e)
                        raised = type(e) is jinja2.exceptions.TemplateError
                    except Exception as e:  # a template bug on this input: any error will do
                        expected, expected_error = None, str(e)
                    args = [hone_cli, "template", "--jinja", path, conv_path,
                            "--now", NOW.strftime("%Y-%m-%dT%H:%M:%SZ")]
                    if gen:
                        args.append("--add-generation-prompt")
                    if bos is not None:
                        args += ["--bos", bos]
                    if eos is not None:
                        args += ["--eos", eos]
                    run = subprocess.run(args, capture_output=True)
                    got = run.stdout.decode("utf-8", "replace")
                    err = run.stderr.decode("utf-8", "replace").strip()
                    where = "%s gen=%s" % (cname, gen)
                    if expected is not None:
                        if run.returncode != 0:
                            problems.append("%s: hone failed: %s" % (where, err))
                        elif got != expected:
                            problems.append("%s: output differs\n  jinja2: %r\n  hone:   %r"
                                            % (where, expected, got))
                    elif run.returncode == 0:
                        problems.append("%s: jinja2 raised %r but hone rendered %r"
                                        % (where, expected_error, got))
                    elif raised and err != "hone-cli: " + expected_error:
                        problems.append("%s: error %r, expected %r" % (where, err, expected_error))
            cases = len(convs) * 2
            if problems:
                failed += 1
                print("not ok %d - %s: %d of %d cases differ" % (number, name, len(problems), cases))
                for p in problems[:5]:
                    for line in p.splitlines():
                        print("# " + line)
            else:
                print("ok %d - %s: %d cases equal" % (number, name, cases))
        # Interpreter features: each snippet through jinja2 and Hone.
        problems = []
        refused = 0
        for i, (snippet, variables) in enumerate(FEATURES):
            tpath = os.path.join(tmp, "feature%d.jinja" % i)
            cpath = os.path.join(tmp, "feature%d.json" % i)
            with open(tpath, "w", encoding="utf-8") as f:
                f.write(snippet)
            conv = dict(variables)
            conv.setdefault("messages", [])
            with open(cpath, "w", encoding="utf-8") as f:
                json.dump(conv, f, ensure_ascii=False)
            total += 1
            conv["add_generation_prompt"] = False
            try:
                expected, expected_error = env.from_string(snippet).render(**conv), None
            except Exception as e:
                expected, expected_error = None, str(e)
                refused += 1
            run = subprocess.run([hone_cli, "template", "--jinja", tpath, cpath, "--now",
                                  NOW.strftime("%Y-%m-%dT%H:%M:%SZ")], capture_output=True)
            got = run.stdout.decode("utf-8", "replace")
            err = run.stderr.decode("utf-8", "replace").strip()
            if expected is None and run.returncode == 0:
                problems.append("feature %d: jinja2 raised %r, hone rendered %r"
                                % (i, expected_error, got))
            elif expected is not None and run.returncode != 0:
                problems.append("feature %d: hone failed: %s" % (i, err))
            elif expected is not None and got != expected:
                problems.append("feature %d: differs\n  jinja2: %r\n  hone:   %r"
                                % (i, expected, got))
        if problems:
            failed += 1
            print("not ok %d - interpreter features: %d of %d differ"
                  % (len(names) + 1, len(problems), len(FEATURES)))
            for p in problems:
                for line in p.splitlines():
                    print("# " + line)
        else:
            print("ok %d - interpreter features: %d snippets equal (%d of them errors in both)"
                  % (len(names) + 1, len(FEATURES), refused))
    print("# %d cases compared, %d tests with differences" % (total, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
