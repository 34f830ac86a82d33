"""The `maildaemon` command as a subprocess, for acceptance tests against the local mail stack."""

from __future__ import annotations

import os
import smtplib
import ssl
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from tests.support.mailstack import MailStack


def run_cli(tmp: Path, env: dict[str, str], *args: str) -> str:
    """Run ``maildaemon --config tmp/md.toml ARGS``; its stdout, or the test fails with its stderr."""
    proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                          capture_output=True, env={**os.environ, **env}, timeout=120, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")
    return proc.stdout.decode("utf-8")


def stack_config(ms: MailStack, watched: str, *, smtp_auth: bool = False, imap: str = "classify_workers = 0\n",
                 tail: str = "") -> str:  # fmt: skip
    """A daemon config that sends through the stack's Postfix (with AUTH as its sender when ``smtp_auth``;
    passwords from the environment) and reads ``watched`` over IMAP (STARTTLS); ``imap`` and ``tail`` add
    lines to the [imap] table and after it."""
    auth = f'username = "{ms.sender_user}"\n' if smtp_auth else ""
    return (
        f'[daemon]\nstate_dir = "state"\nallow_test_domains = true\n'
        f'[smtp]\nhost = "{ms.host}"\nport = {ms.smtp_port}\nsecurity = "starttls"\nca_file = "{ms.cafile}"\n{auth}'
        f'[imap]\nenabled = true\nhost = "{ms.host}"\nport = {ms.imap_port}\nsecurity = "starttls"\n'
        f'ca_file = "{ms.cafile}"\nusername = "{watched}"\n{imap}{tail}'
    )


def checker_config(ms: MailStack, nameserver: tuple[str, int]) -> str:
    """A [checker] that sees the test domains through ``nameserver`` (tests/support/testdns.py points
    khanhhoa.test at the stack's Postfix) and asks its MX port, as `maildaemon check` in the demo does."""
    host, port = nameserver
    return (
        f'[checker]\nnameservers = ["{host}:{port}"]\nsmtp_port = {ms.mx_port}\nca_file = "{ms.cafile}"\n'
        'helo_name = "probe.survey.test"\nconnect_timeout_s = 5.0\ncommand_timeout_s = 10.0\nper_mx_min_gap_s = 0.0\n'
    )


ROSTER = "Họ và tên,Thư điện tử,Cơ quan/đơn vị\r\nPhạm Văn Tài,tai.pv@snv.khanhhoa.test,Sở Nội vụ\r\n"


def paused_campaign(tmp: Path, ms: MailStack, watched: str, name: str) -> dict[str, str]:
    """A campaign whose bounce and reply addresses are the ``watched`` mailbox, paused (nothing is sent),
    with one respondent, Phạm Văn Tài <tai.pv@snv.khanhhoa.test>; returns the CLI's environment."""
    from tests.support.factories import campaign_text

    wlocal, wdomain = watched.split("@")
    (tmp / "md.toml").write_text(stack_config(ms, watched), encoding="utf-8")
    text = campaign_text(name).replace('bounce_domain = "survey.test"', f'bounce_domain = "{wdomain}"')
    text = text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"\nreply_prefix = "{wlocal}"')
    (tmp / "camp.toml").write_text(text, encoding="utf-8")
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8-sig")
    env = {"MAILDAEMON_IMAP_PASSWORD": ms.password}
    run_cli(tmp, env, "db", "init")
    run_cli(tmp, env, "campaign", "create", str(tmp / "camp.toml"))
    run_cli(tmp, env, "campaign", "pause", name)
    run_cli(tmp, env, "import", name, str(tmp / "roster.csv"))
    return env


def poll_inbound(tmp: Path, env: dict[str, str], *flags: str) -> list[dict[str, object]]:
    """`run --once` until `inbound --json FLAGS` lists something (Postfix delivers within a second or
    two; each run polls the mailbox once); the rows listed."""
    import json
    import time

    deadline = time.monotonic() + 60
    while True:
        run_cli(tmp, env, "run", "--once")
        listed = [json.loads(x) for x in run_cli(tmp, env, "inbound", "--json", *flags).splitlines()]
        if listed:
            return listed
        assert time.monotonic() < deadline, "the message did not arrive"


def submit(ms: MailStack, message: EmailMessage, from_addr: str, to: str) -> None:
    """Hand ``message`` to the stack's Postfix (STARTTLS), as a remote server would deliver it."""
    with smtplib.SMTP(ms.host, ms.smtp_port, timeout=30) as smtp:
        smtp.starttls(context=ssl.create_default_context(cafile=str(ms.cafile)))
        smtp.send_message(message, from_addr=from_addr, to_addrs=[to])
