"""Make real TLS and DNS failures as Exim 4.96, OpenSMTPD 6.8 and Postfix 3.7 word them in their own bounces and
delay notices, for tests/corpus/realmta (round 12), labelled by construction (manifest.csv).

As make_round11a.py, the run is in a mount namespace of its own (run_round of make_filters.py) whose
/etc/resolv.conf names this round's DNS stub (a thread: the MX, CNAME and A records of ZONE, a name that exists
with no records, SERVFAIL for everything under one domain, NXDOMAIN for the rest), with the private Postfix of
make_relays.py, whose virtual mailbox keeps what comes back to our envelope sender. The same Postfix plays the
remote MXs as smtpd listeners with STARTTLS or without: no STARTTLS at all, a certificate for another name
(issued by our own CA, which the senders trust), a self-signed one (an untrusted issuer), an expired one, and
one that speaks TLS 1.2 only. Debian's Exim (make_exim.py's unpacking) and OpenSMTPD (make_relays.py's, in a
mount namespace of its own) send their share too; their notices come back to our Postfix over SMTP.
TLS: Exim's smtp transports with hosts_require_tls (and tls_verify_certificates with tls_verify_hosts, or
TLS 1.3 only as its GnuTLS priority string); OpenSMTPD's ``relay host smtp+tls://`` (certificates verified by
default); Postfix's smtp_tls_security_level verify against the expired and the self-signed certificate, and
encrypt with TLS 1.3 required; MTA-STS (RFC 8461) in enforce mode through postfix-mta-sts-resolver's socketmap
(PyPI; made only where its mta-sts-daemon is on PATH, trusting our CA), whose policy, served over HTTPS on
127.0.0.3:443 here, names an MX host other than the one the MX record names. DNS: an RFC 7505 null MX, a name with no MX and no address, an MX naming a
CNAME whose target does not exist, an MX naming 127.0.0.1 (Postfix: mail loops back to itself; Exim's
dnslookup router with ``self = fail``), SERVFAIL until the lifetime ends. Not made: NXDOMAIN (rounds 1-2
have it from each of the three); OpenSMTPD's loop to itself (it would connect to port 25); OpenSMTPD's delay
notices (its warnings could not be handed to our relay in time: "Network error on destination MXs"). OpenSMTPD
6.8 takes a null MX, no MX and a dangling CNAME for temporary failures, as it does TLS failures: it retries
each until its queue ttl, and its expiry notice says only "Envelope expired".
Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps the work folder and its logs.
Needs root and ``apt-get download``.
Usage: python3 tests/corpus/realmta/make_round12.py
"""

from __future__ import annotations

import contextlib
import datetime
import http.server
import os
import shutil
import smtplib
import socketserver
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_exim import _unpack as _unpack_exim  # noqa: E402
from make_filters import DNS_IP, SENDER, TXT, _Zone, run_round  # noqa: E402
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_filters import _listening as _listening_on  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _opensmtpd, _write, make_spool, postfix_running  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the remote MXs (our Postfix's smtpd listeners): domain -> (host name, listener)
REMOTES = {
    "tro.example.vn": ("mx.tro.example.vn", "plain"),
    "ten.example.vn": ("mx.ten.example.vn", "name"),
    "tuky.example.vn": ("mx.tuky.example.vn", "self"),
    "hethan.example.vn": ("mx.hethan.example.vn", "expired"),
    "cu.example.vn": ("mx.cu.example.vn", "tls12"),
}
# the certificates: listener -> (the name it carries, how it is signed)
CERTS = {
    "name": ("mx.khac.example.vn", "ca"),
    "self": ("mx.tuky.example.vn", "self"),
    "expired": ("mx.hethan.example.vn", "expired"),
    "tls12": ("mx.cu.example.vn", "ca"),
    "sts": ("mx.sts.example.vn", "ca"),
    "web": ("mta-sts.sts.example.vn", "ca"),
}
# MTA-STS (RFC 8461): the domain's policy, in enforce mode, names an MX host other than the one its MX record
# names; postfix-mta-sts-resolver (PyPI; run only where its mta-sts-daemon is on PATH) turns it into Postfix's
# "secure match=..." TLS policy. Its TXT record and the HTTPS server (a thread, on port 443 of 127.0.0.3).
STS_POLICY = "version: STSv1\nmode: enforce\nmx: mx.khac.example.vn\nmax_age: 86400\n"
TXT["_mta-sts.sts.example.vn"] = "v=STSv1; id=20261207T080000;"
STS_DAEMON = shutil.which("mta-sts-daemon")
STS_CONF = """host: 127.0.0.1
port: {port_stsd}
cache:
  type: internal
  options:
    cache_size: 100
default_zone:
  strict_testing: false
  timeout: 4
"""
# DNS: MX records (preference, host; "." is RFC 7505's null MX), CNAMEs, A records, names with no records
MX = {
    "khongnhan.example.vn": (0, "."),
    "cname.example.vn": (10, "mx.cname.example.vn"),
    "vonglai.example.vn": (10, "mx.vonglai.example.vn"),
    "sts.example.vn": (10, "mx.sts.example.vn"),
}
CNAME = {"mx.cname.example.vn": "may.khongco.example.vn"}
A = {
    **{host: "127.0.0.1" for host, _ in REMOTES.values()},
    "mx.vonglai.example.vn": "127.0.0.1",
    # not 127.0.0.1: Postfix would take an MX host at its own address for a loop
    "mx.sts.example.vn": "127.0.0.2",
    "mta-sts.sts.example.vn": "127.0.0.3",
}
EMPTY = ("rong.example.vn",)
SERVFAIL = "loidns.example.vn"
# recipient -> (the sender, what is provoked)
RECIPIENTS = {
    # Postfix (its "encrypt without STARTTLS" and "verify, another name" are rounds 2 and 3)
    "pf.hethan@hethan.example.vn": ("postfix", "smtp_tls_security_level=verify, the certificate has expired"),
    "pf.tuky@tuky.example.vn": ("postfix", "smtp_tls_security_level=verify, a self-signed certificate"),
    "pf.tls13@cu.example.vn": ("postfix", "encrypt with TLS 1.3 required, the server speaks TLS 1.2 only"),
    "pf.nullmx@khongnhan.example.vn": ("postfix", "an RFC 7505 null MX"),
    "pf.rong@rong.example.vn": ("postfix", "a domain with no MX and no address records"),
    "pf.cname@cname.example.vn": ("postfix", "an MX naming a CNAME whose target does not exist"),
    "pf.vonglai@vonglai.example.vn": ("postfix", "an MX naming 127.0.0.1, the sender's own address"),
    "pf.servfail@loidns.example.vn": ("postfix", "SERVFAIL for the domain until the lifetime ends"),
    "pf.sts@sts.example.vn": (
        "postfix",
        "MTA-STS enforce: the policy's mx is not the MX host, whose certificate fails",
    ),
    # Exim
    "ex.khongtls@tro.example.vn": ("exim", "hosts_require_tls, the server offers no STARTTLS"),
    "ex.tenkhac@ten.example.vn": ("exim", "hosts_require_tls + verification, a certificate for another name"),
    "ex.tuky@tuky.example.vn": ("exim", "hosts_require_tls + verification, a self-signed certificate"),
    "ex.hethan@hethan.example.vn": ("exim", "hosts_require_tls + verification, an expired certificate"),
    "ex.tls13@cu.example.vn": ("exim", "hosts_require_tls with TLS 1.3 only, the server speaks TLS 1.2 only"),
    "ex.nullmx@khongnhan.example.vn": ("exim", "an RFC 7505 null MX"),
    "ex.rong@rong.example.vn": ("exim", "a domain with no MX and no address records"),
    "ex.cname@cname.example.vn": ("exim", "an MX naming a CNAME whose target does not exist"),
    "ex.vonglai@vonglai.example.vn": ("exim", "an MX naming 127.0.0.1, the local host (self = fail)"),
    "ex.servfail@loidns.example.vn": ("exim", "SERVFAIL for the domain until the retry rule times out"),
    # OpenSMTPD
    "os.khongtls@tro.example.vn": ("opensmtpd", "relay host smtp+tls://, the server offers no STARTTLS"),
    "os.tenkhac@ten.example.vn": ("opensmtpd", "relay host smtp+tls://, a certificate for another name"),
    "os.tuky@tuky.example.vn": ("opensmtpd", "relay host smtp+tls://, a self-signed certificate"),
    "os.hethan@hethan.example.vn": ("opensmtpd", "relay host smtp+tls://, an expired certificate"),
    "os.nullmx@khongnhan.example.vn": ("opensmtpd", "an RFC 7505 null MX"),
    "os.rong@rong.example.vn": ("opensmtpd", "a domain with no MX and no address records"),
    "os.cname@cname.example.vn": ("opensmtpd", "an MX naming a CNAME whose target does not exist"),
    "os.servfail@loidns.example.vn": ("opensmtpd", "SERVFAIL for the domain until the queue ttl ends"),
}
# what is retried (a delay notice, then the bounce or the expiry notice)
RETRIED = (
    "hethan.example.vn",
    "tuky.example.vn",
    "cu.example.vn",
    "tro.example.vn",
    "ten.example.vn",
    "sts.example.vn",
    SERVFAIL,
)
LISTENERS = ("plain", "name", "self", "expired", "tls12", "sts_mx")
MAIN_CF = FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "")
MASTER_CF = (
    """
127.0.0.1:{port_a} inet n - n - - smtpd
127.0.0.1:{port_plain} inet n - n - - smtpd -o syslog_name=postfix/mx-plain -o myhostname=mx.tro.example.vn
127.0.0.1:{port_name} inet n - n - - smtpd -o syslog_name=postfix/mx-name -o myhostname=mx.ten.example.vn
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file={w}/etc/name.pem -o smtpd_tls_key_file={w}/etc/name.key
127.0.0.1:{port_self} inet n - n - - smtpd -o syslog_name=postfix/mx-self -o myhostname=mx.tuky.example.vn
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file={w}/etc/self.pem -o smtpd_tls_key_file={w}/etc/self.key
127.0.0.1:{port_expired} inet n - n - - smtpd -o syslog_name=postfix/mx-expired -o myhostname=mx.hethan.example.vn
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file={w}/etc/expired.pem
  -o smtpd_tls_key_file={w}/etc/expired.key
127.0.0.1:{port_tls12} inet n - n - - smtpd -o syslog_name=postfix/mx-tls12 -o myhostname=mx.cu.example.vn
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file={w}/etc/tls12.pem -o smtpd_tls_key_file={w}/etc/tls12.key
  -o smtpd_tls_protocols=<=TLSv1.2 -o smtpd_tls_mandatory_protocols=<=TLSv1.2
127.0.0.2:{port_sts_mx} inet n - n - - smtpd -o syslog_name=postfix/mx-sts -o myhostname=mx.sts.example.vn
  -o smtpd_tls_security_level=may -o smtpd_tls_cert_file={w}/etc/sts.pem -o smtpd_tls_key_file={w}/etc/sts.key
smtp_sts  unix - - n - - smtp -o smtp_tls_policy_maps=socketmap:inet:127.0.0.1:{port_stsd}:postfix
  -o smtp_tls_CAfile={w}/etc/ca.pem
smtp_verify unix - - n - - smtp -o smtp_tls_security_level=verify -o smtp_tls_CAfile={w}/etc/ca.pem
smtp_tls13 unix - - n - - smtp -o smtp_tls_security_level=encrypt -o smtp_tls_mandatory_protocols=>=TLSv1.3
"""
    + SERVICES_CF
)
# Postfix's routes: the TLS ones to the listeners by host name (the name verification checks); the DNS ones by MX
POSTFIX_ROUTES = {
    "hethan.example.vn": "smtp_verify:[mx.hethan.example.vn]:{port_expired}",
    "tuky.example.vn": "smtp_verify:[mx.tuky.example.vn]:{port_self}",
    "cu.example.vn": "smtp_tls13:[mx.cu.example.vn]:{port_tls12}",
    # by MX (no brackets), at the listener's port: the TLS policy is looked up for the domain
    "sts.example.vn": "smtp_sts:sts.example.vn:{port_sts_mx}",
}

EXIM_CONFIG = """
exim_path = {root}/usr/sbin/exim4
primary_hostname = relay3.sogd.example.vn
qualify_domain = sogd.example.vn
spool_directory = {w}/exim/spool
log_file_path = {w}/log/exim-%slog
pid_file_path = {w}/exim/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
trusted_users = root
never_users = root
delay_warning = 3s
timeout_frozen_after = 1d

begin routers
back:
  driver = manualroute
  domains = khaosat.example.vn
  route_list = * 127.0.0.1
  self = send
  transport = back
{routers}
dns:
  driver = dnslookup
  self = fail
  transport = remote
  no_more

begin transports
back:
  driver = smtp
  port = {port_a}
  allow_localhost
  hosts_avoid_tls = *
remote:
  driver = smtp
  hosts_avoid_tls = *
{transports}
begin retry
* * F,4s,1s
"""
# Exim's smtp transport options per remote listener: TLS required, and what it checks
EXIM_TLS = {
    "plain": "",
    "name": "tls_verify_certificates = {w}/etc/ca.pem\n  tls_verify_hosts = *\n",
    "self": "tls_verify_certificates = {w}/etc/ca.pem\n  tls_verify_hosts = *\n",
    "expired": "tls_verify_certificates = {w}/etc/ca.pem\n  tls_verify_hosts = *\n",
    "tls12": "tls_verify_certificates = {w}/etc/ca.pem\n  tls_verify_hosts = *\n"
    "  tls_require_ciphers = NORMAL:-VERS-ALL:+VERS-TLS1.3\n",
}

SMTPD_CONF = """
queue ttl 14s
bounce warn-interval 3s
listen on 127.0.0.1 port {port_o} hostname relay2.sogd.example.vn
ca relay2.sogd.example.vn cert "{w}/etc/ca.pem"
action "back" relay host smtp://127.0.0.1:{port_a}
action "plain" relay host smtp+tls://mx.tro.example.vn:{port_plain}
action "name" relay host smtp+tls://mx.ten.example.vn:{port_name}
action "self" relay host smtp+tls://mx.tuky.example.vn:{port_self}
action "expired" relay host smtp+tls://mx.hethan.example.vn:{port_expired}
action "out" relay
match from any for domain "khaosat.example.vn" action "back"
match from any for domain "tro.example.vn" action "plain"
match from any for domain "ten.example.vn" action "name"
match from any for domain "tuky.example.vn" action "self"
match from any for domain "hethan.example.vn" action "expired"
match from any for any action "out"
"""


class _Zone12(socketserver.BaseRequestHandler):
    """The round's DNS stub: MX, CNAME and A records, names that exist with no records, SERVFAIL under one
    domain; every other name as make_filters.py's stub answers it (NXDOMAIN)."""

    def handle(self) -> None:
        query, sock = self.request
        labels, i = [], 12
        while 12 <= i < len(query) and query[i]:
            labels.append(query[i + 1 : i + 1 + query[i]].decode("ascii", "replace"))
            i += query[i] + 1
        name, qtype = ".".join(labels).lower(), int.from_bytes(query[i + 1 : i + 3], "big")
        known = (*MX, *CNAME, *A, *EMPTY)
        if name != SERVFAIL and not name.endswith("." + SERVFAIL) and name not in known:
            _Zone.handle(self)
            return
        rcode, answer = (2, b"") if name.endswith(SERVFAIL) else (0, _record(name, qtype))
        header = query[:2] + (0x8580 | rcode).to_bytes(2, "big") + b"\x00\x01"
        header += (b"\x00\x01" if answer else b"\x00\x00") + b"\x00\x00\x00\x00"
        sock.sendto(header + query[12 : i + 5] + answer, self.client_address)


def _wire(name: str) -> bytes:
    return b"".join(bytes([len(p)]) + p.encode() for p in name.split(".") if p) + b"\x00"


def _record(name: str, qtype: int) -> bytes:
    """The one answer record for (name, qtype), or none (NOERROR, no data)."""
    if name in CNAME:
        rtype, rdata = 5, _wire(CNAME[name])
    elif qtype == 15 and name in MX:
        rtype, rdata = 15, MX[name][0].to_bytes(2, "big") + _wire(MX[name][1])
    elif qtype == 1 and name in A:
        rtype, rdata = 1, bytes(int(part) for part in A[name].split("."))
    else:
        return b""
    return (
        b"\xc0\x0c"
        + rtype.to_bytes(2, "big")
        + b"\x00\x01\x00\x00\x00\x3c"
        + len(rdata).to_bytes(2, "big")
        + rdata
    )


def _certificates(etc: Path) -> None:
    """Our CA, and per listener a key and a certificate: issued by the CA, self-signed, or expired."""
    now = datetime.datetime.now(datetime.UTC)
    day = datetime.timedelta(days=1)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Khao sat Test CA")])
    ca = _sign(ca_name, ca_name, ca_key, ca_key, now - day, now + 30 * day, ca=True)
    (etc / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    for listener, (host, how) in CERTS.items():
        key = ec.generate_private_key(ec.SECP256R1())
        subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)])
        start, end = (now - 60 * day, now - 30 * day) if how == "expired" else (now - day, now + 30 * day)
        if how == "self":
            cert = _sign(subject, subject, key, key, start, end, host=host)
        else:
            cert = _sign(subject, ca_name, key, ca_key, start, end, host=host)
        (etc / f"{listener}.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        (etc / f"{listener}.key").write_bytes(pem)


def _sign(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePrivateKey,
    signer: ec.EllipticCurvePrivateKey,
    start: datetime.datetime,
    end: datetime.datetime,
    host: str = "",
    ca: bool = False,
) -> x509.Certificate:
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(end)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if host:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
    return builder.sign(signer, hashes.SHA256())


def _exim_config(w: Path, root: Path, ports: dict[str, int]) -> str:
    routers, transports = [], []
    for domain, (host, listener) in REMOTES.items():
        routers.append(
            f"r_{listener}:\n  driver = manualroute\n  domains = {domain}\n  route_list = * {host} byname\n"
            f"  self = send\n  transport = t_{listener}\n"
        )
        transports.append(
            f"t_{listener}:\n  driver = smtp\n  port = {ports['port_' + listener]}\n  allow_localhost\n"
            f"  hosts_require_tls = *\n  " + EXIM_TLS[listener].format(w=w)
        )
    return EXIM_CONFIG.format(
        root=root, w=w, routers="".join(routers), transports="".join(transports), port_a=ports["port_a"]
    )


def _configure(w: Path, ports: dict[str, int]) -> None:
    fill = {"w": w, **ports}
    _write(w / "etc/main.cf", MAIN_CF.format(**fill))
    _write(w / "etc/master.cf", MASTER_CF.format(**fill))
    _write(w / "etc/transport", "".join(f"{d} {r.format(**ports)}\n" for d, r in POSTFIX_ROUTES.items()))
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    _write(w / "resolv.conf", f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    _certificates(w / "etc")
    _write(w / "etc/mta-sts.yml", STS_CONF.format(**ports))
    prepare_senders(w, lambda root: _exim_config(w, root, ports))


def prepare_senders(w: Path, exim_config: Callable[[Path], str]) -> None:
    """The work folder's kept mailbox and logs, Exim unpacked with ``exim_config(its root)`` and OpenSMTPD's
    package downloaded (make_round13.py's too), and the owners each needs."""
    (w / "kept/khaosat/bounces").mkdir(parents=True)
    for sub in ("data", "log", "exim/spool", "debs"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    root = _unpack_exim(w / "debs")
    # OpenSMTPD's package too, while the machine's resolver still answers (_opensmtpd unpacks it)
    subprocess.run(["apt-get", "download", "opensmtpd"], cwd=w, check=True, capture_output=True)
    _write(w / "etc/exim.conf", exim_config(root))
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "kept")], check=True)
    subprocess.run(["chown", "-R", "Debian-exim:Debian-exim", str(w / "exim")], check=True)
    subprocess.run(["chown", "postfix", str(w / "data")], check=True)
    subprocess.run(["chmod", "777", str(w / "log")], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(w / "etc")], check=True)
    w.chmod(0o755)


def _original(rcpt: str) -> bytes:
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * 4
    return (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Mon, 07 Dec 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


def _exim_queue(exim: list[str], stop: threading.Event) -> None:
    """Exim's queue runs, one a second (its retry rule's interval), until ``stop``."""
    while not stop.wait(1):
        subprocess.run([*exim, "-q"], check=False, stdin=subprocess.DEVNULL)


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    senders = {rcpt: sender for rcpt, (sender, _) in RECIPIENTS.items()}
    with _mta_sts(w, ports), running_senders(w, ports, SMTPD_CONF, senders, _original):
        yield


@contextlib.contextmanager
def running_senders(
    w: Path, ports: dict[str, int], smtpd_conf: str, senders: dict[str, str], original: Callable[[str], bytes]
) -> Iterator[None]:
    """Postfix and OpenSMTPD running, each recipient's ``original`` handed to Exim (exim -odi) or OpenSMTPD
    (SMTP) as ``senders`` says (Postfix's own go through run_round), then Exim's queue run each second until
    the round ends (make_round13.py's too)."""
    make_spool(w / "spool")
    exim = [str(w / "debs/root/usr/sbin/exim4"), "-C", str(w / "etc/exim.conf")]
    stop = threading.Event()
    runner = threading.Thread(target=_exim_queue, args=(exim, stop), daemon=True)
    with postfix_running(w / "etc"), _opensmtpd(w, ports, smtpd_conf):
        try:
            for rcpt, sender in senders.items():
                if sender == "exim":
                    subprocess.run([*exim, "-odi", "-f", SENDER, rcpt], input=original(rcpt), check=True)
                elif sender == "opensmtpd":
                    with smtplib.SMTP("127.0.0.1", ports["port_o"]) as smtp:
                        smtp.sendmail(SENDER, [rcpt], original(rcpt))
            runner.start()
            yield
        finally:
            stop.set()
            if runner.is_alive():
                runner.join()


class _Policy(http.server.BaseHTTPRequestHandler):
    """The MTA-STS policy file at its well-known path."""

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        found = self.path == "/.well-known/mta-sts.txt"
        body = STS_POLICY.encode() if found else b""
        self.send_response(200 if found else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server's name)
        return


@contextlib.contextmanager
def _mta_sts(w: Path, ports: dict[str, int]) -> Iterator[None]:
    """The policy's HTTPS server and mta-sts-daemon (trusting our CA), where the daemon is installed."""
    if not STS_DAEMON:
        yield
        return
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(w / "etc/web.pem", w / "etc/web.key")
    web = http.server.ThreadingHTTPServer(("127.0.0.3", 443), _Policy)
    web.socket = context.wrap_socket(web.socket, server_side=True)
    threading.Thread(target=web.serve_forever, daemon=True).start()
    env = {**os.environ, "SSL_CERT_FILE": str(w / "etc/ca.pem")}
    with open(w / "log/mta-sts.log", "ab") as log:
        daemon = subprocess.Popen([STS_DAEMON, "-c", str(w / "etc/mta-sts.yml"), "-v", "debug"], env=env,
                                  stdin=subprocess.DEVNULL, stdout=log, stderr=log)  # fmt: skip
    try:
        _listening_on(ports["port_stsd"], time.monotonic() + 20)
        yield
    finally:
        daemon.terminate()
        daemon.wait(10)
        web.shutdown()
        web.server_close()


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    rcpt = next((r for r in RECIPIENTS if r in text), "unknown")
    sender = RECIPIENTS[rcpt][0] if rcpt in RECIPIENTS else "unknown"
    return f"{sender}-{answer_kind(text)}-{rcpt.replace('@', '-at-')}.eml"


def answer_kind(text: str) -> str:
    """ "delay" for a delay notice or Exim's warning, else "failed" (make_round13.py's too)."""
    head = text.split("\n\n", 1)[0]
    expiry = "Envelope expired" in text  # OpenSMTPD 6.8's expiry notice says delayed too
    delayed = ("Action: delayed" in text and "Action: failed" not in text and not expiry) or (
        "Subject: Warning:" in head
    )
    return "delay" if delayed else "failed"


def main() -> None:
    if not STS_DAEMON:
        print("mta-sts-daemon (postfix-mta-sts-resolver) is not on PATH: no MTA-STS answer is made")
        del RECIPIENTS["pf.sts@sts.example.vn"]
    ports = {
        name: _free_port() for name in ("port_a", "port_o", "port_stsd", *(f"port_{n}" for n in LISTENERS))
    }
    messages = [(rcpt, _original(rcpt)) for rcpt, (sender, _) in RECIPIENTS.items() if sender == "postfix"]
    expected = len(RECIPIENTS) + sum(r.endswith(RETRIED) for r in RECIPIENTS)
    run_round("realmta-r12-", ports, _configure, _running, messages, expected, _name, OUT, _Zone12, 150)


if __name__ == "__main__":
    main()
