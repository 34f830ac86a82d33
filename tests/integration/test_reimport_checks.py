"""A re-import's corrections checked against real servers (dnsmasq + purpose-built SMTP servers) through the
import use case: many corrections in one file are probed at once, under the [checker]'s per-MX limits, so
domains whose DNS never answers cost one timeout together, not one each."""

from __future__ import annotations

import time
from pathlib import Path

from maildaemon.cli import usecases as app
from maildaemon.config import CheckerConfig
from maildaemon.store import Store
from tests.integration.test_probe import S, servers  # noqa: F401  (fixture)
from tests.support.factories import MONDAY_10, make_campaign
from tests.support.smtpservers import SmtpServers
from tests.support.testdns import DnsServer

HEADER = "Mã cán bộ,Họ và tên,Thư điện tử,Cơ quan/đơn vị"


def _roster(path: Path, emails: list[str]) -> Path:
    rows = [f"CB-{i:03d},Người số {i},{e},Sở Tư pháp" for i, e in enumerate(emails, start=1)]
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8-sig")
    return path


async def test_many_corrections_are_checked_together(
    test_dns: DnsServer,
    servers: SmtpServers,  # noqa: F811
    tmp_path: Path,
) -> None:
    host, port = test_dns.nameservers[0]
    checker = CheckerConfig(
        nameservers=(f"{host}:{port}",), smtp_port=servers.port, helo_name="probe.survey.test",
        connect_timeout_s=3.0, command_timeout_s=3.0, per_mx_concurrency=2, per_mx_min_gap_s=0.2,
        ca_file=str(servers.ca_file),
    )  # fmt: skip
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await store.init_schema()
    try:
        campaign, text = make_campaign()
        await store.create_campaign(campaign, text, MONDAY_10)
        first = [f"cu{i}@accept.{S}" for i in range(1, 22)]
        await app.import_roster(store, campaign.name, _roster(tmp_path / "ds.csv", first), allow_test_domains=True,
                                now=MONDAY_10)  # fmt: skip
        silent = [f"an@d{i}.timeout.{S}" for i in range(10)]  # ten domains whose DNS never answers
        unknown = [f"nobody{i}@reject.{S}" for i in range(10)]  # one MX refusing each user
        started = time.monotonic()
        result = await app.import_roster(
            store, campaign.name, _roster(tmp_path / "ds2.csv", [*silent, *unknown, f"an@accept.{S}"]),
            allow_test_domains=True, now=MONDAY_10, checker=checker,
        )  # fmt: skip
        took = time.monotonic() - started
        checked = result.checks
        # one at a time, the ten DNS timeouts alone would take ten times the resolver's timeout (5 s)
        assert took < 20, f"21 corrections took {took:.1f}s"
        assert sorted(checked.refused) == list(range(12, 22))  # lines of the unknown users
        assert checked.inconclusive == 10
        assert (result.summary.corrected, result.summary.updated, len(result.rejects)) == (11, 11, 10)
        assert all("the receiving server says the mailbox does not exist" in r.reason for r in result.rejects)
        for old in first[10:20]:
            assert (await store.respondent(None, old))["delivery"] == "new"
        assert (await store.respondent(None, f"an@accept.{S}"))["delivery"] == "checked_ok"
        assert (await store.respondent(None, silent[0]))["delivery"] == "new"

        # the operator knows better: --anyway corrects them, the checks still run and the events say so
        again = await app.import_roster(
            store, campaign.name, tmp_path / "ds2.csv", allow_test_domains=True, now=MONDAY_10, checker=checker,
            anyway=True,
        )  # fmt: skip
        assert (again.summary.corrected, len(again.rejects), again.checks.refused) == (10, 0, {})
        person = await store.person(None, unknown[0])
        assert any(
            (e["detail"] or "").startswith(f"address corrected by import ds2.csv:12: {first[10]} -> {unknown[0]}; "
                                           "mailbox check overridden by the operator: the receiving server says")
            for e in person.events
        )  # fmt: skip
    finally:
        await store.close()
