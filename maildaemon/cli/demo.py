"""`maildaemon demo`: a whole campaign against the local mail stack, on the embedded SQLite default.

It brings up the project's Postfix + Dovecot (scripts/mailstack), makes a province of synthetic
civil servants (a few unknown addresses, a full mailbox, a domain that tempfails), creates the
campaign, imports the roster, sends the invitations, reads the bounces back over IMAP and shows
the status table. Everything stays on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import csv
import logging
import os
import random
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from maildaemon.cli import democonsole, demodata
from maildaemon.cli import usecases as app
from maildaemon.cli.check import split_bad
from maildaemon.config import Config, load_config
from maildaemon.deliverability.check import check_campaign, probe_settings
from maildaemon.deliverability.diagnose import diagnose
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.errors import MaildaemonError
from maildaemon.intake.completions import import_completions
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.figures import DEFAULT_TARGET
from maildaemon.reporting.render import render
from maildaemon.reporting.render.status import status_table
from maildaemon.service.daemon import Daemon
from maildaemon.store import Store

log = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "mailstack"
CAMPAIGN = "demo-par2026-khanhhoa"
TZ = "Asia/Ho_Chi_Minh"
DAY3 = timedelta(days=3, hours=1)  # when the first reminders go out, and the focal points get their lists


@dataclass(frozen=True)
class DemoPlan:
    """Who is special in the demo roster (everyone else has a working mailbox)."""

    unknown: list[str]  # addresses with no mailbox: real DSNs come back
    full: str  # a mailbox over quota
    tempfail: list[str]  # a domain answering 450 at RCPT


def mailstack(*args: str) -> str:
    if not SCRIPT.exists():
        raise MaildaemonError(f"the demo needs the source checkout ({SCRIPT} is missing)")
    proc = subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=600, check=False)
    if proc.returncode != 0:
        raise MaildaemonError(f"scripts/mailstack {' '.join(args)} failed: {proc.stderr.strip()[-800:]}")
    return proc.stdout


def stack_env() -> dict[str, str]:
    out = {}
    for line in mailstack("env").splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip().strip("'\"")
    return out


def make_roster(state: Path, size: int) -> tuple[Path, DemoPlan, list[demodata.Person]]:
    persons = demodata.people(size)
    # about 3% unknown users, one full mailbox, a handful on a domain that tempfails
    unknown = [p.email for p in persons[7::33]]
    special = list(persons)
    full = "full@khanhhoa.test"
    special[5] = demodata.Person(special[5].full_name, special[5].honorific, special[5].title, full,
                                 special[5].agency)  # fmt: skip
    tempfail = []
    for i in (11, 12, 13):
        p = special[i]
        addr = p.email.split("@")[0] + "@tempfail.test"
        special[i] = demodata.Person(p.full_name, p.honorific, p.title, addr, p.agency)
        tempfail.append(addr)
    rows = demodata.roster_rows(special) + demodata.BAD_ROWS
    path = state / "danh-sach-khao-sat.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:  # what Excel writes as "CSV UTF-8"
        csv.writer(fh).writerows(rows)
    return path, DemoPlan(unknown, full, tempfail), special


def write_config(state: Path, env: dict[str, str], console_port: int) -> Path:
    path = state / "maildaemon.toml"
    path.write_text(
        f"""# written by `maildaemon demo`: the local mail stack on 127.0.0.1
[daemon]
state_dir = "."
allow_test_domains = true

[smtp]
host = "{env["MAILSTACK_HOST"]}"
port = {env["MAILSTACK_SMTP_PORT"]}
security = "starttls"
ca_file = "{env["MAILSTACK_CAFILE"]}"
connections = 8
per_domain_concurrency = 4
batch_size = 500
retry_base_s = 60.0

[imap]
enabled = true
host = "{env["MAILSTACK_HOST"]}"
port = {env["MAILSTACK_IMAP_PORT"]}
security = "starttls"
ca_file = "{env["MAILSTACK_CAFILE"]}"
username = "{env.get("MAILSTACK_BOUNCE_USER", "bounces@survey.test")}"
poll_interval_s = 5.0

[checker]                     # the mail stack's DNS and its Postfix as every domain's MX
nameservers = ["127.0.0.1:{env["MAILSTACK_DNS_PORT"]}"]
smtp_port = {env["MAILSTACK_MX_PORT"]}
helo_name = "demo.survey.test"
ca_file = "{env["MAILSTACK_CAFILE"]}"
per_mx_concurrency = 4
per_mx_min_gap_s = 0.02

[web]                         # the operator console: `maildaemon web`, or served by `maildaemon run` too
enabled = true
listen = "127.0.0.1:{console_port}"
public_url = "http://127.0.0.1:{console_port}"   # the focal points' digests link their agency's page here
""",
        encoding="utf-8",
    )
    return path


def write_campaign(state: Path, now: datetime, focal_day: str) -> Path:
    path = state / "campaign.toml"
    path.write_text(
        f"""name = "{CAMPAIGN}"
title = "Khảo sát Chỉ số cải cách hành chính (PAR Index) năm 2026 — tỉnh Khánh Hòa"
survey_kind = "PAR"
survey_url = "https://khaosat.snv.khanhhoa.test/s/{{token}}"
opens = {(now - timedelta(hours=1)).isoformat(timespec="seconds")}
closes = {(now + timedelta(days=14)).isoformat(timespec="seconds")}
timezone = "Asia/Ho_Chi_Minh"
language = "vi"
organization = "Sở Nội vụ tỉnh Khánh Hòa"
province = "{demodata.PROVINCE}"
contact = "Phòng Cải cách hành chính, Sở Nội vụ — ĐT 0258 3822 000 — cchc@snv.khanhhoa.test"
operators = ["cchc@snv.khanhhoa.test"]
focal_digest_days = ["{focal_day}"]   # each agency's focal point gets its list on day 3, after the first reminders
focal_digest_hour = 0

[sender]
name = "Sở Nội vụ tỉnh Khánh Hòa"
address = "noreply@survey.test"
bounce_domain = "survey.test"

[window]                      # the demo runs at any hour
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "24:00"

[reminders]
offsets_days = [3, 7]
max = 2
final_before_close_hours = 48
""",
        encoding="utf-8",
    )
    return path


class SimClock:
    """Accelerated campaign time: the demo jumps the clock to each day that matters."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


async def run_demo(state: Path, size: int = 2000, wait_s: float = 60.0) -> int:
    started = time.monotonic()
    state = state.resolve()
    state.mkdir(parents=True, exist_ok=True)
    for old in ("maildaemon.db", "maildaemon.db-wal", "maildaemon.db-shm"):
        (state / old).unlink(missing_ok=True)
    _log_to_file(state / "demo.log")
    _STEP[0] = 0
    step(f"the local mail stack: Postfix, Dovecot and a DNS server on 127.0.0.1 (logs: {state / 'demo.log'})")
    mailstack("up")
    mailstack("clear")
    clock = SimClock(datetime.now(UTC).replace(microsecond=0))
    roster, plan, persons = make_roster(state, size)
    mailstack("dns-up", *sorted({p.email.rsplit("@", 1)[1] for p in persons}))
    env = stack_env()
    os.environ.setdefault("MAILDAEMON_IMAP_PASSWORD", env.get("MAILSTACK_PASSWORD", "secret"))
    os.environ.setdefault("MAILDAEMON_COMPLETION_SECRET", "demo-completion-secret")
    mailboxes = state / "mailboxes.txt"
    bad = set(plan.unknown) | set(plan.tempfail) | {plan.full}
    focal = sorted({demodata.focal_email(a) for a in demodata.agencies()})
    kept = [p.email for p in persons if p.email not in bad] + focal + ["cchc@snv.khanhhoa.test"]
    mailboxes.write_text("\n".join(kept) + "\n")
    mailstack("adduser", "--file", str(mailboxes))
    port = democonsole.console_port()
    cfg = load_config(write_config(state, env, port))
    focal_day = (clock() + DAY3).astimezone(ZoneInfo(TZ)).strftime("%a").lower()
    campaign_file = write_campaign(state, clock(), focal_day)
    step(f"a roster of {len(persons)} civil servants in {len(demodata.agencies())} agencies of "
         f"{demodata.PROVINCE}: {roster.name}")  # fmt: skip
    async with app.open_store(cfg) as store:
        rec, _ = await app.create_campaign(store, campaign_file)
        result = await app.import_roster(store, rec.name, roster, allow_test_domains=True, now=clock())
        say(f"campaign {rec.name}: imported {result.summary.imported}, rejected {len(result.rejects)} "
            f"(why: {result.rejects_path.name if result.rejects_path else '-'}); "
            f"{len(await store.focal_points(rec.id))} agencies' focal points from its \"Email đầu mối\" column")  # fmt: skip
        snv_focal = demodata.focal_email(next(a for a in demodata.agencies() if a.code == "SNV"))
        step(f"console accounts, one per role; generated passwords, shown this once and kept in "
             f"{state / democonsole.ACCOUNTS_FILE} (mode 0600):")  # fmt: skip
        for line in await democonsole.create_accounts(store, rec.name, state, snv_focal, clock()):
            say(line)
        daemon = Daemon(cfg, store, now=clock)
        step("day 0: invitations through Postfix; real bounces come back over IMAP")
        await _wave(daemon, store, clock, expected_inbound=len(plan.unknown) + 1, wait_s=wait_s)
        rng = random.Random(2026)
        ok = [p for p in persons if p.email not in bad]
        away = rng.sample(ok, max(1, len(ok) // 30))
        repliers = rng.sample([p for p in ok if p not in away], max(1, len(ok) // 60))
        lost = next((p for p in persons if p.email in plan.unknown and p.agency.code == "SNV"), None)
        step(f"day 1: {len(away)} out-of-office auto-replies and {len(repliers)} replies arrive"
             + (f"; {lost.full_name} writes from a personal address" if lost else ""))  # fmt: skip
        clock.at += timedelta(days=1)
        await _send_answers(store, rec.id, env, away, repliers, lost)
        await _watch(
            daemon, store, clock, len(plan.unknown) + 1 + len(away) + len(repliers) + bool(lost), wait_s
        )
        loose = await store.inbound_list(unattributed=True, limit=100)
        if loose:
            say(f"tied to nobody: {len(loose)} (the console's page \"Thư chưa xác định được người nhận\" or "
                f"`maildaemon inbound --unattributed`: an operator says whose it is)")  # fmt: skip
        people = [p for p in ok if p not in away]
        rng.shuffle(people)
        by_link, by_import = (
            people[: len(people) * 35 // 100],
            people[len(people) * 35 // 100 : len(people) * 55 // 100],
        )
        step(f"day 2: {len(by_link)} complete the survey (the platform calls /complete/<token>)")
        clock.at += timedelta(days=1)
        await _complete_by_link(daemon, store, rec.id, by_link)
        step("day 3: first reminders to those who have not answered; each agency's focal point gets its list")
        clock.at += timedelta(days=1, hours=1)
        await _wave(daemon, store, clock, 0, wait_s)
        fb = await democonsole.focal_read_back(store, rec.id, clock().astimezone(ZoneInfo(TZ)).date(), snv_focal,
                                               env, wait_s)  # fmt: skip
        say(f"focal digests: {fb.sent} agencies' focal points got their lists (SNV, read back from {snv_focal}: "
            f"{fb.not_answered} not answered, {fb.bounced} bounced, {fb.completed} completed)")  # fmt: skip
        step(f"day 5: the survey platform's export is imported ({len(by_import)} more completions)")
        clock.at += timedelta(days=2)
        tokens = await _tokens(store, rec.id, by_import)
        export = await _write_export(state, by_import, tokens, clock(), rec.campaign.timezone)
        imp = await import_completions(store, rec.name, export, now=clock())
        say(f"{imp.completed} completed, {len(imp.warnings)} dated outside the campaign, "
            f"{len(imp.rejects)} rejected rows (an unfinished response)")  # fmt: skip
        step("day 7: second reminders; day 12: the final reminder")
        clock.at += timedelta(days=2, hours=1)
        await _wave(daemon, store, clock, 0, wait_s)
        clock.at = rec.campaign.closes - timedelta(hours=47)
        await _wave(daemon, store, clock, 0, wait_s)
        await daemon.sender.close()
        step("IT's side: check the mailboxes of Sở Nội vụ (SNV) and diagnose the full mailbox")
        await _it_side(cfg, store, rec.name, plan.full, clock)
        report = await campaign_report(store, rec.name, DEFAULT_TARGET, clock())
    html = state / "bao-cao-khao-sat.html"
    html.write_text(str(render(report, "html", "vi")), encoding="utf-8")
    step("status by department and commune (the whole tree: maildaemon status)")
    print(status_table(report, "vi", max_depth=1))
    t = report.total
    print(f"\nrespondents {t.respondents}, invited {t.invited}, delivery proven {t.delivered}, relay accepted "
          f"{t.relay_accepted}, bounced {t.bounced}, completed {t.completed} ({(t.rate or 0):.1%}); "
          f"{len(report.below_target)} of {report.agencies_counted} agencies below the {report.target:.0%} target")  # fmt: skip
    print(f"\nHTML report: {html}\ndemo finished in {time.monotonic() - started:.0f}s. Explore it:")
    for command in hints(state, plan.full):
        print(f"  {command}")
    print(f"\nOpen the console (it serves until Ctrl-C, so it is not among the commands above):\n"
          f"  {_base(state)} web\n"
          f"  then http://127.0.0.1:{port}/ : sign in as daumoi.snv (Sở Nội vụ's focal point), cchc.snv (the "
          f"province's operator), it.khanhhoa or admin, with the passwords in {state / democonsole.ACCOUNTS_FILE}")  # fmt: skip
    return 0


def hints(state: Path, full: str) -> list[str]:
    """The commands to explore the demo, exactly as they run from any directory (a test runs each)."""
    base = _base(state)
    out = state / "bao-cao-khao-sat.xlsx"
    return [
        f"{base} status {CAMPAIGN} --no-probe",
        f"{base} events --campaign {CAMPAIGN} --last 20",
        f"{base} events --respondent {full}",
        f"{base} report {CAMPAIGN} --format xlsx -o {shlex.quote(str(out))}",
        f"{base} inbound",
        f"{base} check {CAMPAIGN} --agency SNV",
        f"{base} diagnose {full}",
    ]


def _base(state: Path) -> str:
    """``maildaemon --config <the demo's config>`` as it runs from any directory."""
    exe = Path(sys.argv[0])
    base = shlex.quote(str(exe.resolve())) if exe.name == "maildaemon" and exe.exists() else (
        f"{shlex.quote(sys.executable)} -m maildaemon")  # fmt: skip
    return base + f" --config {shlex.quote(str(state / 'maildaemon.toml'))}"


async def _it_side(cfg: Config, store: Store, name: str, full: str, clock: SimClock) -> None:
    """What IT staff see: a real check against the stack's DNS and Postfix (as an MX), and a diagnosis."""
    rec = await store.get_campaign(name)
    c = rec.campaign
    settings = probe_settings(
        cfg.checker, f"{c.bounce_prefix}@{c.bounce_domain}", cfg.daemon.allow_test_domains
    )
    s = await check_campaign(store, name, settings, "SNV", None, now=clock)
    real, proven = split_bad(s.bad)
    totals: dict[str, int] = {}
    for counts in s.by_domain.values():
        for outcome, n in counts.items():
            totals[outcome] = totals.get(outcome, 0) + n
    say(f"check: {s.checked} addresses in {s.seconds:.1f}s: "
        + ", ".join(f"{k} {v}" for k, v in sorted(totals.items()))
        + f"; to correct {len(real)}" + (f" ({', '.join(t.email for t, _ in real[:3])})" if real else "")
        + (f"; reached already, not called bad {len(proven)}" if proven else ""))  # fmt: skip
    history = [
        HistoryEvent(h.at, h.kind, h.outcome, h.reason, h.detail) for h in await store.address_history(full)
    ]
    d = await diagnose(full, settings, c.sender_address.rsplit("@", 1)[-1], history, relay_ips=["127.0.0.1"],
                       tz=c.timezone)  # fmt: skip
    top = d.findings[0].text("vi") if d.findings else ""
    say(f"diagnose {full}: {d.result.outcome.value}; {top}")


def _log_to_file(path: Path) -> None:
    """The demo's console tells the story; what the daemon logs goes to a file beside the database."""
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    handler = logging.FileHandler(path, mode="w", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)


_STEP = [0]


def step(text: str) -> None:
    _STEP[0] += 1
    print(f"{_STEP[0]}. {text}", flush=True)


def say(text: str) -> None:
    print(f"   {text}", flush=True)


async def _wave(daemon: Daemon, store: Store, clock: SimClock, expected_inbound: int, wait_s: float) -> None:
    """Plan and send what is due at the simulated time, then read what came back."""
    before = daemon.sender.stats.sent, daemon.sender.stats.deferred
    t0 = time.monotonic()
    await daemon.run_once()
    st = daemon.sender.stats
    say(f"sent {st.sent - before[0]}, deferred {st.deferred - before[1]} in {time.monotonic() - t0:.1f}s")
    if expected_inbound:
        await _watch(daemon, store, clock, expected_inbound, wait_s)


async def _watch(daemon: Daemon, store: Store, clock: SimClock, expected: int, wait_s: float) -> None:
    """Poll the bounce mailbox until the expected messages are recorded or the deadline passes."""
    assert daemon.watcher is not None
    deadline = time.monotonic() + wait_s
    while True:
        await daemon.watcher.run_once()
        got = len(await store.inbound_list(limit=1_000_000))
        if got >= expected or time.monotonic() > deadline:
            say(f"{got} messages recorded from the bounce mailbox")
            return
        await asyncio.sleep(0.5)  # Postfix needs a moment to write the DSNs: we poll, as the daemon does


async def _tokens(store: Store, campaign_id: int, persons: list[demodata.Person]) -> dict[str, str]:
    return {p.email: str((await store.respondent(campaign_id, p.email))["token"]) for p in persons}


async def _send_answers(store: Store, campaign_id: int, env: dict[str, str], away: list[demodata.Person],
                        repliers: list[demodata.Person], lost: demodata.Person | None) -> None:  # fmt: skip
    """The demo's people answer like real mailboxes: Zimbra-style auto-replies and human replies; and
    one whose official address bounced writes from a personal one, which nothing ties to them."""
    import aiosmtplib

    tokens = await _tokens(store, campaign_id, away + repliers)
    smtp = aiosmtplib.SMTP(
        hostname=env["MAILSTACK_HOST"], port=int(env["MAILSTACK_SMTP_PORT"]), start_tls=False
    )
    await smtp.connect()
    try:
        for p in away:
            await smtp.sendmail(
                p.email, [f"reply+{tokens[p.email]}@survey.test"], _auto_reply(p, tokens[p.email])
            )
        for p in repliers:
            await smtp.sendmail(p.email, [f"reply+{tokens[p.email]}@survey.test"], _reply(p, tokens[p.email]))
        if lost is not None:
            personal = demodata.personal_address(lost)
            await smtp.sendmail(personal, ["bounces@survey.test"], _personal_mail(lost, personal))
    finally:
        await smtp.quit()


def _auto_reply(p: demodata.Person, token: str) -> bytes:
    from email.message import EmailMessage

    back = (datetime.now(UTC) + timedelta(days=6)).strftime("%d/%m/%Y")
    msg = EmailMessage()
    msg["From"] = f"{p.full_name} <{p.email}>"
    msg["To"] = f"reply+{token}@survey.test"
    msg["Subject"] = "Trả lời tự động: Khảo sát Chỉ số cải cách hành chính"
    msg["Auto-Submitted"] = "auto-replied"
    msg["In-Reply-To"] = f"<md.{token}.invitation@survey.test>"
    msg.set_content(f"Tôi đang đi công tác, vắng mặt tại cơ quan đến hết ngày {back}. "
                    f"Việc gấp xin liên hệ Văn phòng {p.agency.name}.\n\n{p.full_name}")  # fmt: skip
    return msg.as_bytes()


def _reply(p: demodata.Person, token: str) -> bytes:
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = f"{p.full_name} <{p.email}>"
    msg["To"] = f"reply+{token}@survey.test"
    msg["Subject"] = "Re: Khảo sát Chỉ số cải cách hành chính"
    msg["In-Reply-To"] = f"<md.{token}.invitation@survey.test>"
    msg.set_content(f"Kính gửi Sở Nội vụ,\n\nTôi đã nhận được thư mời và sẽ trả lời phiếu khảo sát trong tuần này."
                    f"\n\nTrân trọng,\n{p.full_name}\n{p.title}, {p.agency.name}")  # fmt: skip
    return msg.as_bytes()


def _personal_mail(p: demodata.Person, personal: str) -> bytes:
    """Written by hand from a personal mailbox, with no token: the watcher cannot tell whose it is."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = f"{p.full_name} <{personal}>"
    msg["To"] = "bounces@survey.test"
    msg["Subject"] = "Chưa nhận được thư mời khảo sát"
    msg.set_content(f"Kính gửi Sở Nội vụ,\n\nĐồng nghiệp báo cơ quan tôi có thư mời khảo sát PAR Index nhưng hộp thư "
                    f"công vụ của tôi chưa nhận được. Địa chỉ đúng của tôi là {p.email.split('@')[0]}.moi@"
                    f"{p.email.split('@')[1]}.\n\nTrân trọng,\n{p.full_name}\n{p.title}, {p.agency.name}")  # fmt: skip
    return msg.as_bytes()


async def _complete_by_link(
    daemon: Daemon, store: Store, campaign_id: int, persons: list[demodata.Person]
) -> None:
    """The survey platform calls the daemon's /complete/<token> endpoint over HTTP."""
    from maildaemon.service.httpd import HttpServer, sign

    secret = os.environ["MAILDAEMON_COMPLETION_SECRET"]
    server = HttpServer("127.0.0.1:0", health=daemon.health, metrics=daemon.metrics.render,
                        complete=daemon._complete, completion_secret=secret)  # fmt: skip
    await server.start()
    ok = 0
    try:
        tokens = await _tokens(store, campaign_id, persons)
        for p in persons:
            token = tokens[p.email]
            reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
            writer.write(
                f"GET /complete/{token}?sig={sign(secret, token)} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
            )
            await writer.drain()
            ok += b" 200 " in (await reader.read())[:20]
            writer.close()
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /complete/aaaaaaaaaaaaaaaaaaaaaaaaaa?sig=forged HTTP/1.1\r\nHost: x\r\n\r\n")
        forged = (await reader.read())[:20]
        writer.close()
    finally:
        await server.close()
    say(
        f"{ok} completions recorded through the link; a forged link was refused ({forged.split()[1].decode()})"
    )


async def _write_export(state: Path, persons: list[demodata.Person], tokens: dict[str, str], now: datetime,
                        tz: str) -> Path:  # fmt: skip
    """A LimeSurvey-style response export: token and submit date (the platform's local time) per response."""
    path = state / "limesurvey-results.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "submitdate", "lastpage", "startlanguage", "token", "Q1"])
        for n, p in enumerate(persons, 1):
            submitted = (now - timedelta(hours=1 + n % 40)).astimezone(ZoneInfo(tz))
            w.writerow([n, submitted.strftime("%Y-%m-%d %H:%M:%S"), 5, "vi", tokens[p.email], "Hài lòng"])
        w.writerow(
            [len(persons) + 1, "", 2, "vi", tokens[persons[0].email] if persons else "", ""]
        )  # incomplete
    return path


async def cmd_demo(args: object, cfg: object) -> int:
    import argparse

    assert isinstance(args, argparse.Namespace)
    return await run_demo(Path(args.state), size=args.size, wait_s=args.wait)


def register(sub: object) -> None:
    dm = sub.add_parser(  # type: ignore[attr-defined]
        "demo", help="run a demo campaign against the local mail stack (root; installs Postfix and Dovecot)"
    )
    dm.add_argument("--state", default="demo-state", help="directory for the demo's database and files")
    dm.add_argument("--size", type=int, default=2000, help="number of synthetic respondents")
    dm.add_argument("--wait", type=float, default=60.0, help="seconds to wait for bounces")
    dm.set_defaults(func=cmd_demo)
