"""Pytest plugin: a real DNS server (dnsmasq from Debian's ``dnsmasq-base``) on 127.0.0.1:5353 (UDP and
TCP) serving MX, A and TXT records for the test domains, so DNS code is tested against a real resolver
path. Also usable outside pytest (benchmarks) through :func:`running_dnsmasq`.

The zone points every test domain at loopback addresses 127.0.5.x, where ``smtpservers`` listens.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

DEFAULT_PORT = 5353
LISTEN = "127.0.0.1"

# The loopback address of each purpose-built SMTP server (see smtpservers.py).
IP = {
    "mailbox": "127.0.5.1",  # known users accepted, unknown 550 5.1.1, STARTTLS with a valid certificate
    "catchall": "127.0.5.2",
    "greylist": "127.0.5.3",
    "slow": "127.0.5.4",  # banner later than any sane timeout
    "busy": "127.0.5.5",  # 421 too many connections
    "expired": "127.0.5.6",  # STARTTLS with an expired certificate
    "selfsigned": "127.0.5.7",
    "mismatch": "127.0.5.8",  # certificate for another name
    "reset": "127.0.5.9",  # resets the connection
    "garbage": "127.0.5.10",  # does not speak SMTP
    "policy": "127.0.5.11",  # 554 5.7.1 at MAIL FROM
    "down": "127.0.5.20",  # nothing listens here
}
SUFFIX = "probe.test"
IDN_DOMAIN = f"sởnộivụ.{SUFFIX}"
POSTFIX_HOST = "mail.survey.test"  # scripts/mailstack's MAILSTACK_HOSTNAME, in its certificate


def idna(name: str) -> str:
    """The ASCII form of a domain (IDNA 2008, as email-validator uses)."""
    import idna as _idna

    return ".".join(
        _idna.encode(label).decode("ascii") if not label.isascii() else label for label in name.split(".")
    )


@dataclass
class Zone:
    """Records to serve. ``mx``: (domain, host, preference); ``a``: (name, address); ``txt``: (name, text);
    ``null_mx``: domains with "0 ."; ``blackhole``: domains whose queries go to a server that never answers."""

    mx: list[tuple[str, str, int]] = field(default_factory=list)
    a: list[tuple[str, str]] = field(default_factory=list)
    txt: list[tuple[str, str]] = field(default_factory=list)
    null_mx: list[str] = field(default_factory=list)
    blackhole: list[str] = field(default_factory=list)

    def lines(self, blackhole_port: int | None) -> list[str]:
        out = [f"mx-host={d},{h},{p}" for d, h, p in self.mx]
        out += [f"host-record={n},{ip}" for n, ip in self.a]
        out += [f'txt-record={n},"{t}"' for n, t in self.txt]
        # RFC 7505 null MX: preference 0, exchange "." (the root), as raw RDATA
        out += [f"dns-rr={d},15,000000" for d in self.null_mx]
        if blackhole_port is not None:
            out += [f"server=/{d}/{LISTEN}#{blackhole_port}" for d in self.blackhole]
        return out


def probe_zone() -> Zone:
    """The zone every probe test relies on; names are documented in tests/integration/test_probe.py."""
    s = SUFFIX
    z = Zone()
    hosts = {name: f"mx.{name}.{s}" for name in IP}
    for name, ip in IP.items():
        z.a.append((hosts[name], ip))
    for name in IP:
        z.mx.append((f"{name}.{s}", hosts[name], 10))
    # the mailbox server also serves other domains
    z.mx += [(f"accept.{s}", hosts["mailbox"], 10), (f"reject.{s}", hosts["mailbox"], 10)]
    z.mx += [(f"backup.{s}", hosts["down"], 10), (f"backup.{s}", hosts["mailbox"], 20)]
    z.mx += [(idna(IDN_DOMAIN), hosts["mailbox"], 10)]
    z.a.append((f"nomx.{s}", IP["mailbox"]))  # no MX: mail goes to the A record
    z.txt.append((f"txtonly.{s}", "no mail here"))  # neither MX nor A
    z.mx.append((f"dangling.{s}", f"nowhere.{s}", 10))  # MX host without address
    z.null_mx.append(f"nullmx.{s}")
    z.blackhole.append(f"timeout.{s}")
    # sender domains: SPF and DMARC
    z.txt += [
        ("survey.test", "v=spf1 ip4:127.0.0.1 ip4:127.0.4.0/24 -all"),
        ("_dmarc.survey.test", "v=DMARC1; p=none; rua=mailto:dmarc@survey.test"),
        ("softsender.test", "v=spf1 include:survey.test ~all"),
        ("_dmarc.softsender.test", "v=DMARC1; p=quarantine"),
        # the SPF mechanisms that ask DNS again: mx, a with a prefix, redirect, and a loop of includes
        ("mxsender.test", "v=spf1 mx -all"),
        ("asender.test", f"v=spf1 a:mx.mailbox.{s}/24 -all"),
        ("redirsender.test", "v=spf1 redirect=mxsender.test"),
        ("loopsender.test", "v=spf1 include:loopsender.test -all"),
    ]
    z.mx.append(("mxsender.test", hosts["policy"], 10))
    z.a.append(("nospf.test", "127.0.4.9"))
    # scripts/mailstack's Postfix (MX port 2526 on 127.0.0.1)
    z.mx.append(("khanhhoa.test", POSTFIX_HOST, 10))
    z.a.append((POSTFIX_HOST, "127.0.0.1"))
    return z


def find_dnsmasq() -> str | None:
    """The dnsmasq binary, apt-installing ``dnsmasq-base`` when missing and allowed (root)."""
    found = shutil.which("dnsmasq") or ("/usr/sbin/dnsmasq" if os.path.exists("/usr/sbin/dnsmasq") else None)
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "install", "-y", "-q", "dnsmasq-base"], ["apt-get", "update", "-q"],
                ["apt-get", "install", "-y", "-q", "dnsmasq-base"]):  # fmt: skip
        done = subprocess.run(
            cmd, env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=300, check=False
        )
        if done.returncode == 0 and cmd[1] == "install":
            break
    return shutil.which("dnsmasq") or ("/usr/sbin/dnsmasq" if os.path.exists("/usr/sbin/dnsmasq") else None)


def port_free(port: int, host: str = LISTEN) -> bool:
    for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
        with socket.socket(socket.AF_INET, kind) as s:
            try:
                s.bind((host, port))
            except OSError:
                return False
    return True


def free_port(host: str = LISTEN) -> int:
    while True:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind((host, 0))
            port = int(s.getsockname()[1])
        if port_free(port, host):
            return port


@dataclass
class DnsServer:
    address: str
    port: int
    process: subprocess.Popen[bytes]
    workdir: Path
    down_port: int  # a UDP port where nothing listens: "the resolver is down"

    @property
    def nameservers(self) -> list[tuple[str, int]]:
        return [(self.address, self.port)]

    def log(self) -> str:
        return (self.workdir / "dnsmasq.log").read_text(errors="replace")


class DnsUnavailable(Exception):
    """dnsmasq cannot run here: a reason to skip."""


def _wait_ready(address: str, port: int, proc: subprocess.Popen[bytes], deadline: float) -> None:
    """Poll until dnsmasq answers a query for a name in the zone (or exits)."""
    import dns.message
    import dns.query

    query = dns.message.make_query("survey.test", "TXT")
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DnsUnavailable(f"dnsmasq exited with {proc.returncode}")
        with contextlib.suppress(OSError, dns.exception.Timeout):
            dns.query.udp(query, address, port=port, timeout=0.2)
            return
    raise DnsUnavailable("dnsmasq did not answer within 10 s")


@contextlib.contextmanager
def running_dnsmasq(zone: Zone, port: int | None = None, address: str = LISTEN) -> Iterator[DnsServer]:
    """Start dnsmasq serving ``zone`` on address:port (UDP+TCP); port None: 5353, or a free one if busy."""
    binary = find_dnsmasq()
    if binary is None:
        raise DnsUnavailable("dnsmasq is not installed and dnsmasq-base could not be apt-installed")
    if port is None:
        wanted = int(os.environ.get("MAILDAEMON_TEST_DNS_PORT", DEFAULT_PORT))
        port = wanted if port_free(wanted, address) else free_port(address)
    # A bound UDP socket that is never read: queries forwarded there never get an answer (a domain
    # whose name servers time out). A port nobody binds answers with ICMP: the resolver is down.
    blackhole = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    blackhole.bind((address, 0))
    down_port = free_port(address)
    workdir = Path(tempfile.mkdtemp(prefix="maildaemon-dns-"))
    conf = workdir / "dnsmasq.conf"
    conf.write_text(
        "\n".join(
            [
                f"port={port}",
                f"listen-address={address}",
                "bind-interfaces",
                "no-resolv",
                "no-hosts",
                "no-poll",
                "no-negcache",
                "user=root",
                "group=root",
                "pid-file=",
                "local=/test/",
                f"log-facility={workdir / 'dnsmasq.log'}",
                *zone.lines(blackhole.getsockname()[1]),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    with open(workdir / "stderr.log", "wb") as stderr:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [binary, "--keep-in-foreground", f"--conf-file={conf}"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    try:
        try:
            _wait_ready(address, port, proc, time.monotonic() + 10)
        except DnsUnavailable as exc:
            err = (workdir / "stderr.log").read_text(errors="replace").strip()
            raise DnsUnavailable(f"{exc}: {err}") from None
        yield DnsServer(address, port, proc, workdir, down_port)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        blackhole.close()
        shutil.rmtree(workdir, ignore_errors=True)


def _skip_or_fail(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"test DNS unavailable in CI: {reason}")
    pytest.skip(f"test DNS unavailable: {reason}")


@pytest.fixture(scope="session")
def test_dns() -> Iterator[DnsServer]:
    """dnsmasq with :func:`probe_zone` for the whole session; ``.nameservers`` for ProbeSettings."""
    try:
        with running_dnsmasq(probe_zone()) as server:
            yield server
    except DnsUnavailable as exc:
        _skip_or_fail(str(exc))


__all__: Sequence[str] = ["IP", "SUFFIX", "DnsServer", "Zone", "running_dnsmasq", "probe_zone", "test_dns"]
