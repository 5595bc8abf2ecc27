"""Make docs/board.png: the web view's board, from the demo's database, in headless chromium.

    .venv/bin/python docs/screenshot.py            # a short demo first if db/demo.db is missing
    .venv/bin/python docs/screenshot.py --db PATH  # any database

Needs Debian's chromium (apt-get install chromium). Everything runs on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=ROOT / "db" / "demo.db")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "board.png")
    parser.add_argument("--size", default="1400,1300", help="window width,height in pixels")
    parser.add_argument(
        "--page", default="/?sort=date&order=desc", help="the board's path (latest first)"
    )
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("error: chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 1
    monitor = [sys.executable, "-m", "monitor"]
    if not args.db.exists():
        print(f"no database at {args.db}: running a 20 s demo to make one", file=sys.stderr)
        subprocess.run(
            [*monitor, "demo", "--duration", "20", "--keep-db", str(args.db)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*monitor, "--db", str(args.db), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}{args.page}"
    try:
        _wait(url, server)
        with tempfile.TemporaryDirectory(prefix="monitor-shot-") as profile:
            subprocess.run(
                [
                    chromium,
                    *FLAGS,
                    f"--user-data-dir={profile}",
                    f"--window-size={args.size}",
                    f"--screenshot={args.out}",
                    url,
                ],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                timeout=60,
            )
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"{args.out}: {args.out.stat().st_size} bytes, board of {args.db}")
    return 0


def _wait(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 20
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"monitor serve exited with {server.returncode}")
        try:
            with opener.open(url, timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("monitor serve did not start")


if __name__ == "__main__":
    sys.exit(main())
