"""Classification in worker processes: the same verdicts as in-process, small batches stay home, and a
worker that dies costs nothing but a batch classified in-process."""

import os
import pickle
import signal
from datetime import date

import pytest

from maildaemon.inbound import classifypool
from maildaemon.inbound.classify import RecipientVerdict, Verdict, classify
from maildaemon.inbound.classifypool import ClassifierPool
from tests.support.mails import autoreply_vi, human_reply, postfix_dsn

TOKEN = "a" * 26
MAILS = [
    postfix_dsn(TOKEN, "user1@khanhhoa.test"),
    autoreply_vi(TOKEN, "user1@khanhhoa.test"),
    human_reply(TOKEN, "user1@khanhhoa.test", text="Đã gửi phiếu."),
    b"not a mail at all \xff\xfe",
]


async def test_workers_give_the_verdicts_and_stored_form_of_in_process_classification() -> None:
    pool = ClassifierPool(1, min_batch=1)
    try:
        assert await pool.ready()
        got = await pool.classify(MAILS)
    finally:
        await pool.aclose()
    assert got is not None
    assert [v for v, _ in got] == [classify(raw) for raw in MAILS]
    assert [stored for _, stored in got] == [classify(raw).stored() for raw in MAILS]


def test_a_verdict_crosses_processes_whole() -> None:
    failed = [
        RecipientVerdict("a@x.test", "A@x.test", "userunknown", True, "5.1.1", "failed", "mx.x.test", "550 no", "550"),
        RecipientVerdict("b@x.test", reason="mailboxfull", status="4.2.2"),
    ]  # fmt: skip
    verdict = Verdict(
        "bounce", tuple(failed), "Trả lời: Thư mời", "<m@x>", "<i@x>", ("<r@x>",), "c@x.test", ("d@x.test",),
        ("t" * 26,), date(2026, 12, 1), ("truncated",),
    )  # fmt: skip
    back = pickle.loads(pickle.dumps(verdict))
    assert back == verdict
    assert back.verdicts[0].reply_code == "550" and back.return_date == date(2026, 12, 1)


async def test_small_batches_and_no_workers_mean_in_process() -> None:
    assert await ClassifierPool(0, min_batch=1).classify(MAILS) is None
    pool = ClassifierPool(1, min_batch=100)
    assert await pool.classify(MAILS) is None  # not worth a round trip: no process started
    assert pool._executor is None


async def test_a_killed_worker_means_in_process_once_then_a_new_worker() -> None:
    pool = ClassifierPool(1, min_batch=1)
    try:
        assert await pool.ready()
        assert pool._executor is not None
        for pid in list(pool._executor._processes):  # the worker dies (OOM killer, an operator's kill)
            os.kill(pid, signal.SIGKILL)
        assert await pool.classify(MAILS) is None  # the caller classifies this batch itself
        assert await pool.ready()  # and the next batch has a new worker
        assert await pool.classify(MAILS) is not None
    finally:
        await pool.aclose()


async def test_a_machine_where_workers_cannot_start_classifies_in_process(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def no_semaphores(*args: object, **kwargs: object) -> None:
        raise OSError(38, "Function not implemented")  # sem_open under a sandbox without /dev/shm

    monkeypatch.setattr(classifypool, "ProcessPoolExecutor", no_semaphores)
    pool = ClassifierPool(1, min_batch=1)
    assert await pool.classify(MAILS) is None
    assert not await pool.ready()
    assert pool.workers == 0
    assert "classifier.workers_unavailable" in caplog.text
