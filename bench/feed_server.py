"""N fixture RSS feeds on H loopback hosts, served from a process of their own.

The steady-state benchmark (``urlwatch_compare.py steady``) runs this as a child, so the
fixture server's memory and CPU never mix with the measured tools' (a child's ``ru_maxrss``
read by ``wait4`` cannot fall below its parent's own peak, and a server that keeps every
request in memory grows). Protocol, one JSON line per exchange:

- on start it prints ``{"sources": [...]}``: the feeds, as ``sources.yaml`` entries;
- each ``stats`` line on stdin is answered with ``{"connections": C, "requests": R,
  "conditional": K}`` counted since the previous ``stats`` (then reset);
- end of stdin stops it.

    python -m bench.feed_server --feeds 500 --hosts 10 [--tls-cert C --tls-key K]
"""

from __future__ import annotations

import argparse
import json
import ssl
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.fixture_sources import SourceFarm


def stats(farm: SourceFarm) -> dict[str, int]:
    requests, conditional = farm.request_counts()
    connections = sum(web.connections for web in farm.webs)
    farm.reset_logs()
    return {"connections": connections, "requests": requests, "conditional": conditional}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--tls-cert", help="PEM certificate chain (serve HTTPS)")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args(argv)
    context = None
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
    farm = SourceFarm(args.feeds, hosts=args.hosts, feed_share=1.0, ssl_context=context)
    with farm:
        # The feed alone, as urlwatch reads it: no article pages behind the entries.
        sources = [{**s.config(), "fetch_articles": False} for s in farm.sources]
        print(json.dumps({"sources": sources}), flush=True)
        for line in sys.stdin:
            if line.strip() == "stats":
                print(json.dumps(stats(farm)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
