"""What the polite fetcher costs over a bare httpx client, and what a refused body costs.

Serves pages from a local FixtureWeb (no network, no /work/shared needed) and prints:
- mean time per sequential GET of a 50 KB page: bare ``httpx.AsyncClient`` vs ``Fetcher``
  (min_delay 0, robots.txt on and cached), and the difference per request;
- mean time per conditional GET answered 304;
- Python heap peak (tracemalloc) while a 20 MB body is refused under a 1 MB cap, against the
  peak while it is accepted under a 32 MB cap: the refusal must not load the body.

Run: ``.venv/bin/python -m bench.fetch_overhead [N]`` (N requests per timing, default 300).
"""

from __future__ import annotations

import asyncio
import sys
import time
import tracemalloc

import httpx

from monitor.config import Settings
from monitor.demo.fixtureweb import FixtureWeb
from monitor.errors import BodyTooLarge
from monitor.fetch import Fetcher

MB = 1024 * 1024


async def bare_httpx(url: str, n: int) -> float:
    async with httpx.AsyncClient() as client:
        await client.get(url)  # warm the connection like the fetcher's robots.txt does
        started = time.perf_counter()
        for _ in range(n):
            (await client.get(url)).raise_for_status()
        return (time.perf_counter() - started) / n


async def fetcher_gets(url: str, n: int, *, conditional: bool) -> float:
    # The fixture server's host is trusted as a configured source URL would make it.
    async with Fetcher(Settings(min_delay=0), trusted=[url]) as fetcher:
        first = await fetcher.get(url, source="bench")
        validators = first.validators if conditional else None
        started = time.perf_counter()
        for _ in range(n):
            await fetcher.get(url, source="bench", validators=validators)
        return (time.perf_counter() - started) / n


async def heap_peak(url: str, cap: int) -> tuple[float, str]:
    settings = Settings(min_delay=0, max_body=cap, obey_robots=False)
    async with Fetcher(settings, trusted=[url]) as fetcher:
        tracemalloc.start()
        try:
            response = await fetcher.get(url, source="bench")
            outcome = f"accepted {len(response.content) / MB:.0f} MB"
        except BodyTooLarge:
            outcome = "refused"
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak / MB, outcome


def main(n: int = 300) -> None:
    with FixtureWeb() as web:
        web.set("/page", b"<p>" + b"x" * 50_000 + b"</p>")
        web.set("/huge", b"y" * (20 * MB), content_type="application/pdf")
        page = web.url("/page")
        bare = asyncio.run(bare_httpx(page, n))
        polite = asyncio.run(fetcher_gets(page, n, conditional=False))
        not_modified = asyncio.run(fetcher_gets(page, n, conditional=True))
        print(f"bare httpx GET (50 KB)       {bare * 1000:7.2f} ms/request   (n={n})")
        print(f"Fetcher.get (50 KB)          {polite * 1000:7.2f} ms/request")
        print(f"Fetcher overhead             {(polite - bare) * 1000:7.2f} ms/request")
        print(f"Fetcher.get answered 304     {not_modified * 1000:7.2f} ms/request")
        for cap in (1 * MB, 32 * MB):
            peak, outcome = asyncio.run(heap_peak(web.url("/huge"), cap))
            print(f"20 MB body, cap {cap // MB:2d} MB: {outcome:17s} heap peak {peak:6.1f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
