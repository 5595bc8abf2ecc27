"""Catastrophic-backtracking audit of every regular expression in ``monitor/`` (demo excluded).

Static tools (regexploit) miss patterns such as ``(<!--.*?-->\\s*)*``, so this script also
tries each compiled pattern against adversarial inputs built from the pattern's own literal
pieces: each piece repeated (with and without separators), ending in a character that makes
the match fail late. Every (pattern, input) pair runs in a child process that the parent kills
when it exceeds the time limit, so a pattern that never returns is reported, not waited for.

    .venv/bin/python bench/regex_audit.py [--length 20000] [--limit 2.0]

Prints the slowest trial of each pattern that took longer than --report seconds, then a
summary line. Exit code 1 when any trial hit the limit.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import pkgutil
import re
import selectors
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEPARATORS = ("", " ", "\n", "'", ", ", " \n ")
KILLERS = ("\x00", " x")


def patterns() -> list[tuple[str, re.Pattern[Any]]]:
    """Every compiled pattern held by a module of the monitor package (or in a tuple/dict)."""
    import monitor

    found: dict[int, tuple[str, re.Pattern[Any]]] = {}
    for info in pkgutil.walk_packages(monitor.__path__, "monitor."):
        if info.name.startswith("monitor.demo") or info.name.endswith("__main__"):
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            for index, item in enumerate(_flatten(value)):
                if isinstance(item, re.Pattern):
                    found.setdefault(id(item), (f"{info.name}.{name}[{index}]", item))
    return list(found.values())


def _flatten(value: object, depth: int = 0) -> list[object]:
    if isinstance(value, re.Pattern):
        return [value]
    if depth > 2:
        return []
    if isinstance(value, tuple | list | frozenset | set):
        return [x for v in value for x in _flatten(v, depth + 1)]
    if isinstance(value, dict):
        return [x for v in value.values() for x in _flatten(v, depth + 1)]
    return []


def pieces(source: str) -> list[str]:
    """Literal words and punctuation runs of a pattern's source, plus generic troublemakers."""
    words = set(re.findall(r"[A-Za-z]{2,}", re.sub(r"\\[a-zA-Z]", " ", source)))
    words |= {"<!---->", "<!--", "-->", "a", "1", "12", "2026", "A", "'", '"', "(", ")"}
    return sorted(words)


def trials(source: str, length: int) -> list[tuple[str, str]]:
    """(label, text) pairs: each piece repeated with each separator, then a killer."""
    out = []
    for piece in pieces(source):
        for sep in SEPARATORS:
            unit = piece + sep
            body = unit * max(1, length // len(unit))
            for killer in KILLERS:
                out.append((f"({unit!r})*{len(body) // len(unit)} + {killer!r}", body + killer))
    out.append((f"' '*{length} + 'x'", " " * length + "x"))
    out.append((f"'\\n'*{length} + 'x'", "\n" * length + "x"))
    return out


def child(length: int) -> None:
    """Run every trial, announcing each on stdout before it starts (the parent's clock)."""
    start_at = int(sys.argv[sys.argv.index("--start") + 1]) if "--start" in sys.argv else 0
    index = 0
    only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
    for name, pattern in patterns():
        if only and only not in name:
            continue
        text_pattern = isinstance(pattern.pattern, str)
        for label, trial in trials(str(pattern.pattern), length):
            if index >= start_at:
                subject = trial if text_pattern else trial.encode("utf-8", "replace")
                print(json.dumps({"i": index, "name": name, "trial": label}), flush=True)
                began = time.perf_counter()
                pattern.search(subject)
                pattern.match(subject)
                took = time.perf_counter() - began
                print(json.dumps({"i": index, "name": name, "took": took, "trial": label}))
                sys.stdout.flush()
            index += 1
    print(json.dumps({"done": index}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--length", type=int, default=20000)
    parser.add_argument("--limit", type=float, default=2.0, help="seconds before a kill")
    parser.add_argument("--report", type=float, default=0.05, help="show trials slower than")
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--only", default="", help="patterns whose name contains this")
    args, _ = parser.parse_known_args()
    if args.child:
        child(args.length)
        return 0
    worst: dict[str, float] = {}
    worst_trial: dict[str, str] = {}
    hung: list[str] = []
    start, total = 0, 0
    while True:
        command = [sys.executable, __file__, "--child", "--length", str(args.length)]
        command += ["--start", str(start), "--only", args.only]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, bufsize=0, cwd=ROOT)
        assert proc.stdout is not None
        current: dict[str, object] | None = None
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        finished = False
        pending = b""
        while True:
            if b"\n" not in pending:  # only wait on the pipe when no whole line is buffered
                if not sel.select(timeout=args.limit if current else 120):
                    if current is None:
                        raise SystemExit("the audit child stalled outside a trial")
                    proc.kill()
                    proc.wait()
                    name = str(current["name"])
                    hung.append(name)
                    worst[name] = float("inf")
                    worst_trial[name] = str(current["trial"])
                    start = int(current["i"]) + 1  # type: ignore[call-overload]
                    break
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    finished = True
                    break
                pending += chunk
                continue
            line, pending = pending.split(b"\n", 1)
            event = json.loads(line)
            if "done" in event:
                total = int(event["done"])
                finished = True
                break
            if "took" in event:
                name = str(event["name"])
                if float(event["took"]) > worst.get(name, -1.0):
                    worst[name] = float(event["took"])
                    worst_trial[name] = str(event["trial"])
                current = None
            else:
                current = event
        proc.wait()
        if finished:
            break
    slow = sorted(((t, n) for n, t in worst.items() if t > args.report), reverse=True)
    for took, name in slow:
        shown = "HUNG (killed)" if took == float("inf") else f"{took:8.3f} s"
        print(f"{shown}  {name}  on {worst_trial[name][:80]}")
    print(
        f"{len(worst)} patterns, {total} trials of {args.length} chars: "
        f"{len(hung)} hit the {args.limit:.0f} s limit, {len(slow)} slower than {args.report} s"
    )
    return 1 if hung else 0


if __name__ == "__main__":
    raise SystemExit(main())
