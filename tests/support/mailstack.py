"""Pytest plugin: the real Postfix + Dovecot of ``scripts/mailstack``, started once per test session.

Tests get a :class:`MailStack` with the endpoints and helpers to read and fill mailboxes, so the SMTP, DSN and
IMAP paths are tested against real servers. Tests that use it are marked ``mailstack`` automatically.
"""

from __future__ import annotations

import asyncio
import imaplib
import os
import re
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mailstack"
BOUNCE_USER = "bounces@survey.test"
REPLY_ADDRESS = "reply@survey.test"  # reply+TOKEN@survey.test is delivered to bounces' INBOX
SENDER_USER = "noreply@survey.test"

NEW_USER_BATCH = 20
_DOVECOT_DOWN = re.compile(rb"connect\(\S+\) failed: (Connection refused|No such file or directory)")
EXIT_DOWN = 3
EXIT_CANNOT_INSTALL = 4
EXIT_NOT_ROOT = 5


class MailStackUnavailable(Exception):
    """The stack cannot run here (not root, packages cannot be installed): a reason to skip, not fail."""


@dataclass(frozen=True)
class MailStack:
    """Endpoints of a running stack and helpers over them; every helper talks to the real servers."""

    host: str
    smtp_port: int
    mx_port: int
    smtps_port: int
    imap_port: int
    imaps_port: int
    sink_port: int
    password: str
    cafile: Path
    root: Path
    env: Mapping[str, str] = field(repr=False, default_factory=dict)
    bounce_user: str = BOUNCE_USER
    reply_address: str = REPLY_ADDRESS
    sender_user: str = SENDER_USER
    _pool: dict[tuple[str, str], list[str]] = field(default_factory=dict, repr=False, compare=False)

    # -- the script ----------------------------------------------------------------------------------------
    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run ``scripts/mailstack ARGS`` against this stack; raise with its stderr when it fails."""
        proc = _script(args, self.env, timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(f"mailstack {' '.join(args)} exited {proc.returncode}: {proc.stderr.strip()}")
        return proc

    def adduser(self, *addrs: str) -> None:
        """Add mailboxes (new domains become virtual domains); returns once Postfix accepts them."""
        self.run("adduser", *addrs)

    def new_user(self, domain: str = "khanhhoa.test", prefix: str = "t") -> str:
        """A fresh, empty mailbox no other test knows, so tests never see each other's mail.

        Mailboxes are made in batches (one ``adduser`` costs about a second, mostly waiting for Dovecot to
        re-read its user file), so most calls cost nothing."""
        key = (domain, prefix)
        pool = self._pool.setdefault(key, [])
        if not pool:
            batch = [f"{prefix}{uuid.uuid4().hex[:12]}@{domain}" for _ in range(NEW_USER_BATCH)]
            self.adduser(*batch)
            pool.extend(batch)
        return pool.pop()

    def clear(self) -> None:
        """Empty every mailbox and the Postfix queue (affects everyone sharing this stack)."""
        self.run("clear")

    def restart_dovecot(self) -> None:
        """Stop and start Dovecot; IMAP clients lose their connections. Returns once IMAP listens again."""
        self.run("restart-dovecot")

    def sink(self) -> int:
        """Start Postfix's smtp-sink (accepts and discards everything) and return its port."""
        self.run("sink-up")
        return self.sink_port

    def down(self) -> None:
        self.run("down")

    # -- Dovecot, directly ---------------------------------------------------------------------------------
    def doveadm(self, *args: str, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
        """Run doveadm on this stack's Dovecot; while Dovecot restarts (another test may restart the shared
        stack) its auth socket refuses, so retry that for a few seconds."""
        conf = self.root / "dovecot" / "dovecot.conf"
        deadline = time.monotonic() + 15
        while True:
            proc = subprocess.run(
                ["doveadm", "-c", str(conf), *args], input=input, capture_output=True, timeout=60, check=False
            )
            restarting = proc.returncode != 0 and _DOVECOT_DOWN.search(proc.stderr) is not None
            if not restarting or time.monotonic() >= deadline:
                return proc
            time.sleep(0.1)

    def deliver_raw(self, user: str, raw: bytes, folder: str = "INBOX") -> None:
        """Drop a message into a mailbox as if it had been delivered (``doveadm save``; creates the folder)."""
        if folder != "INBOX":
            self.doveadm("mailbox", "create", "-u", user, folder)  # fails harmlessly when it exists
        proc = self.doveadm("save", "-u", user, "-m", folder, input=raw)
        if proc.returncode != 0:
            raise RuntimeError(
                f"doveadm save to {user}/{folder} failed: {proc.stderr.decode(errors='replace')}"
            )

    def count(self, user: str, folder: str = "INBOX") -> int:
        """Number of messages in a folder; 0 when the folder does not exist."""
        proc = self.doveadm("mailbox", "status", "-u", user, "messages", folder)
        out = proc.stdout.decode()
        if proc.returncode != 0:
            if "doesn't exist" in proc.stderr.decode():
                return 0
            raise RuntimeError(
                f"doveadm mailbox status {user}/{folder}: {proc.stderr.decode(errors='replace')}"
            )
        match = re.search(r"messages=(\d+)", out)
        if match is None:
            raise RuntimeError(f"unexpected doveadm output: {out!r}")
        return int(match.group(1))

    # -- clients -------------------------------------------------------------------------------------------
    def ssl_context(self) -> ssl.SSLContext:
        """A client context that trusts only the stack's throw-away certificate (and checks the name)."""
        return ssl.create_default_context(cafile=str(self.cafile))

    def imap(self, user: str, *, tls: str = "none") -> imaplib.IMAP4:
        """A logged-in imaplib client; ``tls`` is "none", "starttls" or "implicit". Caller logs out."""
        client: imaplib.IMAP4
        if tls == "implicit":
            client = imaplib.IMAP4_SSL(self.host, self.imaps_port, ssl_context=self.ssl_context(), timeout=10)
        else:
            client = imaplib.IMAP4(self.host, self.imap_port, timeout=10)
        try:
            if tls == "starttls":
                client.starttls(self.ssl_context())
            client.login(user, self.password)
        except BaseException:
            client.shutdown()
            raise
        return client

    def fetch_all(self, user: str, folder: str = "INBOX") -> list[bytes]:
        """Every message in a folder, in UID order, without setting \\Seen (BODY.PEEK[])."""
        return list(self._fetch(user, folder, None, {}).values())

    def _fetch(
        self, user: str, folder: str, contains: bytes | None, cache: dict[int, bytes]
    ) -> dict[int, bytes]:
        """Messages now in the folder (those whose text has ``contains``, found by SEARCH TEXT when ASCII),
        fetching only UIDs not yet in ``cache``; shared mailboxes like bounces' grow large."""
        client = self.imap(user)
        try:
            typ, _ = client.select(_quote(folder), readonly=True)
            if typ != "OK":
                return {}
            if contains is not None and contains.isascii() and b'"' not in contains and b"\\" not in contains:
                typ, data = client.uid("SEARCH", "TEXT", '"' + contains.decode() + '"')
            else:
                typ, data = client.uid("SEARCH", "ALL")
            if typ != "OK":
                raise RuntimeError(f"UID SEARCH failed in {user}/{folder}: {data!r}")
            uids = [int(uid) for uid in (data[0] or b"").split()]
            missing = [uid for uid in uids if uid not in cache]
            if missing:
                typ, data = client.uid("FETCH", ",".join(map(str, missing)), "(UID BODY.PEEK[])")
                if typ != "OK":
                    raise RuntimeError(f"UID FETCH failed in {user}/{folder}: {data!r}")
                for item in data:
                    if isinstance(item, tuple):
                        match = re.search(rb"UID (\d+)", item[0])
                        if match is not None:
                            cache[int(match.group(1))] = item[1]
            return {uid: cache[uid] for uid in uids if uid in cache}
        finally:
            client.logout()

    async def wait_for_messages(
        self,
        user: str,
        n: int,
        folder: str = "INBOX",
        timeout: float = 30,  # noqa: ASYNC109 -- a polling deadline, the API the other tests use
        *,
        contains: bytes | None = None,
        interval: float = 0.05,
    ) -> list[bytes]:
        """Poll IMAP until the folder holds at least ``n`` messages (only those containing ``contains`` count
        when given, for shared mailboxes such as bounces') and return them all in UID order; raise
        TimeoutError past the deadline. Reading does not set \\Seen."""
        deadline = time.monotonic() + timeout
        cache: dict[int, bytes] = {}
        while True:
            try:
                present = await asyncio.to_thread(self._fetch, user, folder, contains, cache)
            except (OSError, imaplib.IMAP4.error):  # e.g. Dovecot restarting: try again until the deadline
                present = {}
            found = [raw for raw in present.values() if contains is None or contains in raw]
            if len(found) >= n:
                return found
            if time.monotonic() >= deadline:
                raise TimeoutError(f"{user}/{folder}: {len(found)} of {n} messages after {timeout} s")
            await asyncio.sleep(interval)

    def smtp_settings(self, *, port: int | None = None, auth: bool = True) -> dict[str, Any]:
        """Keyword arguments for ``aiosmtplib.SMTP`` / ``aiosmtplib.send``: the relay port, STARTTLS
        verified against the stack's certificate, and AUTH as noreply@survey.test."""
        settings: dict[str, Any] = {
            "hostname": self.host,
            "port": self.smtp_port if port is None else port,
            "start_tls": True,
            "cert_bundle": str(self.cafile),
            "timeout": 30,
        }
        if auth:
            settings.update(username=self.sender_user, password=self.password)
        return settings

    def environ(self) -> dict[str, str]:
        """The stack's settings as MAILSTACK_* variables, for subprocesses (acceptance tests)."""
        return dict(self.env)


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _script(args: Sequence[str], env: Mapping[str, str], timeout: float) -> subprocess.CompletedProcess[str]:
    # stdin/stdout are never inherited: the daemons the script starts must not hold a pipe of ours open
    return subprocess.run(
        [str(SCRIPT), *args],
        env={**os.environ, **env},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def launch(env: Mapping[str, str] | None = None, *, fresh: bool = False) -> MailStack:
    """Run ``scripts/mailstack up`` (with MAILSTACK_* overrides in ``env``) and describe the stack.

    Raises MailStackUnavailable when this machine cannot run it, RuntimeError when it should but fails.
    """
    env = dict(env or {})
    if os.geteuid() != 0:
        raise MailStackUnavailable("scripts/mailstack needs root (Postfix and Dovecot are started as root)")
    if not SCRIPT.exists():
        raise MailStackUnavailable(f"{SCRIPT} is missing")
    proc = _script(["up", "--fresh"] if fresh else ["up"], env, timeout=600)
    if proc.returncode in (EXIT_CANNOT_INSTALL, EXIT_NOT_ROOT):
        raise MailStackUnavailable(f"scripts/mailstack up: {proc.stderr.strip()}")
    if proc.returncode != 0:
        raise RuntimeError(f"scripts/mailstack up exited {proc.returncode}:\n{proc.stderr}")
    settings = _parse_env(_script(["env"], env, timeout=30).stdout)
    return MailStack(
        host=settings["MAILSTACK_HOST"],
        smtp_port=int(settings["MAILSTACK_SMTP_PORT"]),
        mx_port=int(settings["MAILSTACK_MX_PORT"]),
        smtps_port=int(settings["MAILSTACK_SMTPS_PORT"]),
        imap_port=int(settings["MAILSTACK_IMAP_PORT"]),
        imaps_port=int(settings["MAILSTACK_IMAPS_PORT"]),
        sink_port=int(settings["MAILSTACK_SINK_PORT"]),
        password=settings["MAILSTACK_PASSWORD"],
        cafile=Path(settings["MAILSTACK_CAFILE"]),
        root=Path(settings["MAILSTACK_ROOT"]),
        env=settings,
    )


def _parse_env(text: str) -> dict[str, str]:
    pairs = (line.split("=", 1) for line in text.splitlines() if "=" in line)
    return {key: value for key, value in pairs}


def _in_ci() -> bool:
    return bool(os.environ.get("CI"))


@pytest.fixture(scope="session")
def mailstack() -> MailStack:
    """The session's stack (``scripts/mailstack up`` once; left running for the next session).

    Skips with the reason when the machine cannot run it, except in CI (env CI set), where it fails.
    """
    try:
        return launch()
    except MailStackUnavailable as exc:
        if _in_ci():
            pytest.fail(f"mail stack unavailable in CI: {exc}")
        pytest.skip(f"mail stack unavailable: {exc}")


@pytest.fixture
def mailbox_user(mailstack: MailStack) -> Iterator[Callable[..., str]]:
    """Factory of fresh mailboxes: ``mailbox_user(domain="khanhhoa.test") -> address``; emptied afterwards."""
    made: list[str] = []

    def make(domain: str = "khanhhoa.test", prefix: str = "t") -> str:
        addr = mailstack.new_user(domain=domain, prefix=prefix)
        made.append(addr)
        return addr

    yield make
    for addr in made:
        mailstack.doveadm("expunge", "-u", addr, "mailbox", "*", "all")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the stack, so ``-m "not mailstack"`` deselects them."""
    for item in items:
        if {"mailstack", "mailbox_user"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.mailstack)
