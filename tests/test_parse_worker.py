"""The parse worker: a real child process reading real documents (monitor.parse_worker)."""

from __future__ import annotations

import asyncio
import io
import os
import pickle
import signal
import threading
import time
from collections.abc import Iterator

import pytest

from monitor.demo.hostile import path_flood_pdf
from monitor.errors import DocumentRejected, ReportError
from monitor.models import Document
from monitor.parse_worker import ParseLimits, ParseWorker, WorkerStopped, _ReplyUnpickler

ARTICLE = Document(
    source="test",
    url="http://127.0.0.1/story",
    content=b"<html><head><title>Wigan children's services rated good</title></head><body>"
    b"<article><p>Ofsted has rated Wigan Council's children's services good, up from requires"
    b" improvement.</p></article></body></html>",
    content_type="text/html",
)
SLOW = Document(
    source="test",
    url="http://127.0.0.1/slow.pdf",
    content=path_flood_pdf(),
    content_type="application/pdf",
)


@pytest.fixture
def worker() -> Iterator[ParseWorker]:
    with ParseWorker(ParseLimits(timeout=3.0, memory=768 * 1024**2)) as started:
        yield started


def test_reads_in_a_warm_child_process(worker: ParseWorker) -> None:
    first = worker.read(ARTICLE)
    pid = worker.pid
    second = worker.read(ARTICLE)
    assert pid is not None and pid != os.getpid() and worker.pid == pid
    assert worker.started == 1
    assert [e.council.name for e in second.classification.events] == ["Wigan"]
    assert first == second


def test_a_broken_pdf_is_the_readers_error_and_the_worker_lives_on(worker: ParseWorker) -> None:
    worker.start()
    pid = worker.pid
    with pytest.raises(ReportError, match="not a PDF"):
        worker.read(Document(source="t", url="u", content=b"junk", content_type="application/pdf"))
    assert worker.pid == pid


def test_overrunning_the_time_limit_rejects_the_document_and_a_fresh_worker_reads_on(
    worker: ParseWorker,
) -> None:
    worker.start()
    began = time.monotonic()
    with pytest.raises(DocumentRejected, match="longer than 3 s"):
        worker.read(SLOW)
    assert time.monotonic() - began < 30  # stopped at the limit, not read to the end
    assert worker.read(ARTICLE).classification.relevant  # the next one is not blamed
    assert worker.started == 2


def test_a_worker_stopped_from_outside_does_not_blame_the_document(worker: ParseWorker) -> None:
    worker.start()
    pid = worker.pid
    assert pid is not None
    threading.Timer(0.5, os.kill, (pid, signal.SIGTERM)).start()
    with pytest.raises(WorkerStopped):
        worker.read(SLOW)
    assert worker.read(ARTICLE).classification.relevant


def test_a_worker_killed_mid_document_rejects_it(worker: ParseWorker) -> None:
    worker.start()
    pid = worker.pid
    assert pid is not None
    threading.Timer(0.5, os.kill, (pid, signal.SIGKILL)).start()  # as the OOM killer does
    with pytest.raises(DocumentRejected, match="died"):
        worker.read(SLOW)


def test_cancelling_the_reading_task_stops_the_worker_at_once(worker: ParseWorker) -> None:
    worker.start()

    async def cancel_soon() -> float:
        task = asyncio.ensure_future(worker.aread(SLOW))
        await asyncio.sleep(0.5)
        began = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - began

    assert asyncio.run(cancel_soon()) < 2.0  # not the time limit, nor the whole document
    assert worker.read(ARTICLE).classification.relevant


def test_answers_may_hold_only_domain_types() -> None:
    allowed = pickle.dumps(("ok", ARTICLE))
    assert _ReplyUnpickler(io.BytesIO(allowed)).load()[1] == ARTICLE
    hostile = pickle.dumps(("ok", os.system))
    with pytest.raises(pickle.UnpicklingError, match="not allowed"):
        _ReplyUnpickler(io.BytesIO(hostile)).load()
