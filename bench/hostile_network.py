"""`monitor poll --once` fed hostile network input: wall time, CPU, peak RSS, what was stored.

    .venv/bin/python bench/hostile_network.py [--before COMMIT]

Three inputs, each beside a healthy feed on another host, each poll a child process measured
by ``bench.measure`` (the peak RSS is the largest of the monitor and its parse worker):

- ``100k-entries``: a feed of 100,000 entries with ``fetch_articles: false`` (14 MB);
- ``retry-after-1h``: a feed answering 429 with ``Retry-After: 3600`` (``max_retry_after: 1h``);
  the poll is stopped after 60 s if it has not ended;
- ``internal-links``: 200 entries linking to 127.0.0.2, an address no configured URL names
  (loopback only: a bench must not send anything off this machine, even in the old code).

With ``--before COMMIT`` the same inputs also run on the code of that commit (extracted with
``git archive`` into bench/out, run with this venv), for a before/after table.
"""

from __future__ import annotations

import argparse
import sqlite3
import subprocess
import sys
import tarfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import ROOT, Usage, measure, work_dir
from monitor.demo.fixtureweb import FixtureWeb

RSS = "application/rss+xml"
BOUND = 60  # seconds a poll may take before it is stopped (the old Retry-After sleep)
# `monitor` from the code at argv[1]: the venv's editable install (a meta path finder, ahead
# of sys.path) would otherwise always load the working tree.
LAUNCH = (
    "import sys; sys.meta_path[:] = [f for f in sys.meta_path if '__editable__' not in repr(f)];"
    " sys.path.insert(0, sys.argv.pop(1)); sys.argv[0] = 'monitor';"
    " from monitor.cli import main; main()"
)


def rss(entries: list[tuple[str, str]]) -> bytes:
    items = "".join(
        f"<item><title>{t}</title><link>{u}</link><guid>{u}</guid>"
        f"<description>Summary of {t}.</description></item>"
        for t, u in entries
    )
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


@dataclass(frozen=True)
class Input:
    name: str
    serve: Callable[[FixtureWeb, FixtureWeb], str]  # -> the hostile source's YAML entry
    settings: str = ""


def _huge(web: FixtureWeb, internal: FixtureWeb) -> str:
    entries = [(f"Entry {i}", web.url(f"/huge/{i}")) for i in range(100_000)]
    web.set("/huge.xml", rss(entries), content_type=RSS)
    return f'{{name: huge, kind: feed, url: "{web.url("/huge.xml")}", fetch_articles: false}}'


def _busy(web: FixtureWeb, internal: FixtureWeb) -> str:
    web.set("/busy.xml", status=429, headers={"Retry-After": "3600"}, conditional=False)
    url = web.url("/busy.xml").replace("127.0.0.1", "localhost")
    return f'{{name: busy, kind: feed, url: "{url}"}}'


def _internal(web: FixtureWeb, internal: FixtureWeb) -> str:
    internal.set("/admin", b"<html><body><p>internal</p></body></html>")
    entries = [(f"Story {i}", internal.url(f"/admin?n={i}")) for i in range(200)]
    web.set("/links.xml", rss(entries), content_type=RSS)
    return f'{{name: links, kind: feed, url: "{web.url("/links.xml")}"}}'


INPUTS = [
    Input("100k-entries", _huge),
    Input("retry-after-1h", _busy, ", max_retry_after: 1h, max_retries: 3"),
    Input("internal-links", _internal),
]


def run(item: Input, code: Path, label: str) -> str:
    work = work_dir(f"hostile-{item.name}-{label}")
    with FixtureWeb() as web, FixtureWeb(host="127.0.0.2") as internal:
        web.set("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
        web.set("/healthy.xml", rss([("Healthy", web.url("/healthy/1"))]), content_type=RSS)
        web.set("/healthy/1", b"<html><body><article><p>A healthy story.</p></article></body>")
        hostile = item.serve(web, internal)
        config = work / "sources.yaml"
        config.write_text(
            f"""settings: {{min_delay: 0s, jitter: 0s, backoff: 0s, timeout: 5s{item.settings}}}
sources:
  - {{name: healthy, kind: feed, url: "{web.url("/healthy.xml")}"}}
  - {hostile}
"""
        )
        db = work / "monitor.db"
        argv = ["timeout", str(BOUND), sys.executable, "-c", LAUNCH, str(code)]
        argv += ["--config", str(config), "--db", str(db), "poll", "--once", "--no-deliver"]
        usage: Usage = measure(argv, log=work / "poll.log")
        internal_requests = len(internal.requests)
    stopped = " (stopped)" if usage.returncode == 124 else ""
    items = healthy = 0
    if db.exists():
        conn = sqlite3.connect(db)
        items = conn.execute("SELECT count(*) FROM items").fetchone()[0]
        healthy = conn.execute("SELECT count(*) FROM items WHERE source = 'healthy'").fetchone()[0]
        conn.close()
    return (
        f"{item.name:<16} {label:<7} {usage.row()}{stopped}  items {items:>6}"
        f"  healthy {healthy}  internal requests {internal_requests}"
    )


def extract_commit(commit: str) -> Path:
    target = work_dir(f"code-{commit[:8]}")
    archive = subprocess.run(
        ["git", "archive", commit, "monitor"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")
    return target


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="also run the code of this commit")
    options = parser.parse_args()
    codes = [(ROOT, "after")]
    if options.before:
        codes.insert(0, (extract_commit(options.before), "before"))
    for item in INPUTS:
        for code, label in codes:
            print(run(item, code, label), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
