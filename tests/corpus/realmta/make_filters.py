"""Make real Postfix bounces and delay notices whose remote reply is worded by real filter software, for
tests/corpus/realmta (round 9), labelled by construction (manifest.csv).

A private Postfix instance (its own config, queue and log folders in a temporary directory, loopback ports of
its own; make_relays.py's spool and services) relays one message per recipient to smtpd listeners of the same
instance that play remote MXs, each guarded by one filter from Debian 12, run here as private instances on
loopback ports of their own: postgrey 1.37 (a policy service: its own "Greylisted, see ..." text, and a
Vietnamese --greylist-text; whitelists and auto-whitelisting off), rspamd 3.4 as a milter (proxy worker with
self_scan, no controller; GTUBE -> reject; force_actions rules: a "soft reject" and a reject with a Vietnamese
message), spamass-milter 0.4 over spamd 4.0 (local tests only; GTUBE -> its reject text, and one with -R),
postfix-policyd-spf-python 3.0 (spawned by the remote's master: SPF fail, softfail, permerror and temperror
for our sender's domain, and an SPF fail of our HELO name), opendmarc 1.4 (p=reject for our From domain, no
DKIM signature, SPF results not used), opendkim 2.11 verifying (no signature, and one that fails, are
refused; its libunbound resolver forwards to the stub) and an smtpd_milters entry nothing listens on
(milter_default_action tempfail, and reject). Our relay reaches the SPF and DMARC listeners from other
loopback addresses (smtp_bind_address). The whole run is in a mount namespace whose /etc/resolv.conf names a
DNS stub here (a thread: the TXT records below, no answer for one name, NXDOMAIN for the rest; rspamd and
opendkim are pointed at it too; spamd runs local tests only), so no query leaves 127.0.0.0/8. Queue lifetimes
are 14 s and delay warnings 3 s, so 4xx answers come back twice. What comes back to our envelope sender is
kept. Needs root and Debian's postfix, postgrey, rspamd, spamassassin, spamd, spamc, spamass-milter,
postfix-policyd-spf-python, opendmarc and opendkim installed (their own services need not run and are not
touched); nothing is left running. Not made: rspamd's greylist module (its reply, "Try again later", is the
soft reject's) and ratelimit (Redis state, and a first message the remote would have to accept and deliver).
REALMTA_KEEP=1 keeps the work folder and its logs.
Usage: python3 tests/corpus/realmta/make_filters.py
"""

from __future__ import annotations

import base64
import contextlib
import email
import os
import shutil
import smtplib
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_relays import (
    MAIN_CF_HEAD,
    MAIN_CF_TIMES,
    SERVICES_CF,
    _free_port,
    _kept,
    _wait_ready,
    _write,
    make_spool,
    postfix_running,
)  # noqa: E402

OUT = Path(__file__).resolve().parent
SENDER = "bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn"
DNS_IP = "127.0.0.154"
# our sender domain's SPF record: pass from 127.0.0.1, fail from .10, softfail from .11; from .12 and .13 the
# include names the client address: NXDOMAIN (no record there: permerror), no answer at all (pyspf reads a
# SERVFAIL over UDP as no record, a timeout as temperror)
SPF = "v=spf1 ip4:127.0.0.1 -ip4:127.0.0.10 ~ip4:127.0.0.11 include:%{i}._spf.khaosat.example.vn -all"
TXT = {
    "khaosat.example.vn": SPF,
    "_dmarc.khaosat.example.vn": "v=DMARC1; p=reject; adkim=s; aspf=s",
    "may.khaosat.example.vn": "v=spf1 -all",  # the HELO name one transport uses
}
SILENT = ("127.0.0.13._spf.khaosat.example.vn",)
# A records the stub answers (make_round11b.py's DNSBL listings); empty here
ADDRESSES: dict[str, str] = {}
GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X"
# recipient -> (the remote listener, the transport that reaches it, what is provoked)
RECIPIENTS = {
    "cho.duyet@hoanlai.example.vn": (
        "grey",
        "smtp",
        "postgrey, default text: greylisted until the lifetime ends",
    ),
    "ten.ho@phongban.example.vn": ("greyvi", "smtp", "postgrey, a Vietnamese --greylist-text, for ever"),
    "rac.gtube@locthu.example.vn": ("rspamd", "smtp", "rspamd milter: GTUBE in the body -> reject"),
    "nguyen.van.an@phongban.example.vn": ("rspamd", "smtp", "rspamd milter: GTUBE -> reject"),
    "tam.giu@locthu.example.vn": ("rspamd", "smtp", "rspamd milter: force_actions soft reject, for ever"),
    "quang.cao@locthu.example.vn": ("rspamd", "smtp", "rspamd milter: force_actions reject, Vietnamese text"),
    "rac.sa@spamsa.example.vn": ("sa", "smtp", "spamass-milter -r -1 + spamd: GTUBE -> its reject text"),
    "le.thi.hoa@phongban.example.vn": ("savi", "smtp", "spamass-milter -R with a Vietnamese text: GTUBE"),
    "spf.fail@spfloi.example.vn": ("spf", "smtp10", "policyd-spf: MAIL FROM SPF fail (from 127.0.0.10)"),
    "spf.mem@spfloi.example.vn": ("spf", "smtp11", "policyd-spf: SPF softfail rejected (from 127.0.0.11)"),
    "spf.hong@spfloi.example.vn": ("spf", "smtp12", "policyd-spf: SPF permerror rejected (from 127.0.0.12)"),
    "spf.tam@spftam.example.vn": ("spf", "smtp13", "policyd-spf: SPF temperror deferred, for ever"),
    "helo.spf@spfloi.example.vn": ("spf", "smtphelo", "policyd-spf: HELO may.khaosat.example.vn SPF fail"),
    "tran.minh@xacthucthu.example.vn": ("dmarc", "smtp10", "opendmarc: p=reject, no DKIM, SPF fail"),
    "dkim.thieu@kyso.example.vn": ("dkim", "smtp", "opendkim: On-NoSignature reject, our message unsigned"),
    "dkim.sai@kyso.example.vn": ("dkim", "smtp", "opendkim: On-BadSignature reject, a signature that fails"),
    "loc.ngung@locngung.example.vn": (
        "down",
        "smtp",
        "smtpd_milters unreachable, milter_default_action tempfail",
    ),
    "loc.hong@lochong.example.vn": (
        "downrej",
        "smtp",
        "smtpd_milters unreachable, milter_default_action reject: a 554 greeting, which Postfix skips (retried)",
    ),
}
GTUBE_TO = ("rac.gtube@", "nguyen.van.an@", "rac.sa@", "le.thi.hoa@")
RETRIED = ("cho.duyet@", "ten.ho@", "tam.giu@", "spf.tam@", "loc.ngung@", "loc.hong@")
LISTENERS = ("grey", "greyvi", "rspamd", "sa", "savi", "spf", "dmarc", "dkim", "down", "downrej")
# the filters' ports, waited for before Postfix starts; and one nothing listens on
FILTER_PORTS = (
    "pg",
    "pgvi",
    "milter_rspamd",
    "spamd",
    "milter_sa",
    "milter_savi",
    "milter_dmarc",
    "milter_dkim",
)
DAEMON_PORTS = (*FILTER_PORTS, "closed")
VI_GREY = "Thư tạm hoãn (greylist): máy chủ gửi vui lòng gửi lại sau %s giây"
VI_SPAM = "Thư bị từ chối: bộ lọc đánh giá nội dung là thư rác"
VI_RSPAMD = "Thư quảng cáo không được chấp nhận: bộ lọc thư rác đã chặn thư này"


class _Zone(socketserver.BaseRequestHandler):
    """A DNS stub: TXT and ADDRESSES answers, none at all for SILENT, NXDOMAIN for every other name
    (authoritative)."""

    def handle(self) -> None:
        query, sock = self.request
        if len(query) < 17:
            return
        labels, i = [], 12
        while i < len(query) and query[i]:
            labels.append(query[i + 1 : i + 1 + query[i]].decode("ascii", "replace"))
            i += query[i] + 1
        end = i + 5
        name, qtype = ".".join(labels).lower(), int.from_bytes(query[i + 1 : i + 3], "big")
        answer = b""
        if name in SILENT:
            return
        if name in ADDRESSES:
            rcode = 0
            if qtype == 1:
                rdata = bytes(int(part) for part in ADDRESSES[name].split("."))
                answer = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04" + rdata
        elif name in TXT:
            rcode = 0
            if qtype == 16:
                data = TXT[name].encode()
                rdata = b"".join(
                    bytes([len(c)]) + c for c in (data[k : k + 255] for k in range(0, len(data), 255))
                )
                answer = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x3c" + len(rdata).to_bytes(2, "big") + rdata
        else:
            rcode = 3
        header = (
            query[:2]
            + (0x8580 | rcode).to_bytes(2, "big")
            + b"\x00\x01"
            + (b"\x00\x01" if answer else b"\x00\x00")
            + b"\x00\x00\x00\x00"
        )
        sock.sendto(header + query[12:end] + answer, self.client_address)


MAIN_CF = (
    MAIN_CF_HEAD
    + """mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
transport_maps = texthash:{w}/etc/transport
virtual_mailbox_domains = khaosat.example.vn
virtual_mailbox_base = {w}/kept
virtual_mailbox_maps = texthash:{w}/etc/vmailbox
virtual_uid_maps = static:65534
virtual_gid_maps = static:65534
smtp_tls_security_level = none
recipient_delimiter = +
policyd-spf_time_limit = 3600
"""
    + MAIN_CF_TIMES
)

MASTER_CF = (
    """
127.0.0.1:{port_a} inet n - n - - smtpd
127.0.0.1:{port_grey} inet n - n - - smtpd -o syslog_name=postfix/mx-grey -o myhostname=mx.hoanlai.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{pg},permit
127.0.0.1:{port_greyvi} inet n - n - - smtpd -o syslog_name=postfix/mx-greyvi -o myhostname=mx.phongban.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{pgvi},permit
127.0.0.1:{port_rspamd} inet n - n - - smtpd -o syslog_name=postfix/mx-rspamd -o myhostname=mx.locthu.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_rspamd}
127.0.0.1:{port_sa} inet n - n - - smtpd -o syslog_name=postfix/mx-sa -o myhostname=mx.spamsa.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_sa}
127.0.0.1:{port_savi} inet n - n - - smtpd -o syslog_name=postfix/mx-savi -o myhostname=mx2.phongban.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_savi}
127.0.0.1:{port_spf} inet n - n - - smtpd -o syslog_name=postfix/mx-spf -o myhostname=mx.spfloi.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,unix:private/spfpolicy,permit
127.0.0.1:{port_dmarc} inet n - n - - smtpd -o syslog_name=postfix/mx-dmarc -o myhostname=mx.xacthucthu.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_dmarc}
127.0.0.1:{port_dkim} inet n - n - - smtpd -o syslog_name=postfix/mx-dkim -o myhostname=mx.kyso.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_dkim}
127.0.0.1:{port_down} inet n - n - - smtpd -o syslog_name=postfix/mx-down -o myhostname=mx.locngung.example.vn
  -o smtpd_milters=inet:127.0.0.1:{closed} -o milter_default_action=tempfail
127.0.0.1:{port_downrej} inet n - n - - smtpd -o syslog_name=postfix/mx-downrej -o myhostname=mx.lochong.example.vn
  -o smtpd_milters=inet:127.0.0.1:{closed} -o milter_default_action=reject
spfpolicy unix  - n n - 0 spawn user=policyd-spf argv=/usr/bin/policyd-spf {w}/etc/policyd-spf.conf
smtp10    unix  - - n - - smtp -o smtp_bind_address=127.0.0.10
smtp11    unix  - - n - - smtp -o smtp_bind_address=127.0.0.11
smtp12    unix  - - n - - smtp -o smtp_bind_address=127.0.0.12
smtp13    unix  - - n - - smtp -o smtp_bind_address=127.0.0.13
smtphelo  unix  - - n - - smtp -o smtp_helo_name=may.khaosat.example.vn
"""
    + SERVICES_CF
)

# postfix-policyd-spf-python: reject fail and softfail, permerror too, defer temperror; loopback not skipped
POLICYD_SPF = """debugLevel = 1
TestOnly = 1
HELO_reject = Fail
Mail_From_reject = Softfail
PermError_reject = True
TempError_Defer = True
Lookup_Time = 3
skip_addresses = 192.0.2.0/24
"""

RSPAMD_CONF = """
.include "$CONFDIR/common.conf"
options {{
    pidfile = "{w}/rspamd/rspamd.pid";
    .include "$CONFDIR/options.inc"
    dns {{ nameserver = ["{dns}:53"]; timeout = 1s; retransmits = 1; }}
}}
logging {{
    type = "file";
    filename = "{w}/log/rspamd.log";
    level = "info";
}}
worker "rspamd_proxy" {{
    bind_socket = "127.0.0.1:{milter_rspamd}";
    milter = yes;
    timeout = 120s;
    count = 1;
    upstream "local" {{ default = yes; self_scan = yes; }}
}}
"""
RSPAMD_LOCAL = {
    "multimap.conf": 'TAM_HOAN_RCPT {{ type = "rcpt"; map = "{w}/rspamd/tamhoan.map"; score = 0.0; }}\n'
    'QUANG_CAO_RCPT {{ type = "rcpt"; map = "{w}/rspamd/quangcao.map"; score = 0.0; }}\n',
    "force_actions.conf": 'rules {{\n  TAM_HOAN {{ action = "soft reject"; expression = "TAM_HOAN_RCPT"; }}\n'
    '  QUANG_CAO {{ action = "reject"; expression = "QUANG_CAO_RCPT"; message = "{vi}"; }}\n}}\n',
}

OPENDMARC_CONF = """AuthservID mx.xacthucthu.example.vn
RejectFailures true
SPFIgnoreResults true
IgnoreHosts {w}/etc/dmarc_ignore
HistoryFile {w}/log/opendmarc.history
Syslog false
PidFile {w}/run/opendmarc.pid
Socket inet:{milter_dmarc}@127.0.0.1
UserID opendmarc
"""

# opendkim, verifying only (127.0.0.1 is not an internal host here): no signature, or one that fails, is refused;
# its resolver (libunbound) forwards every query to the DNS stub
OPENDKIM_CONF = """Mode v
Socket inet:{milter_dkim}@127.0.0.1
PidFile {w}/run-dkim/opendkim.pid
UserID opendkim
Syslog no
InternalHosts {w}/etc/dmarc_ignore
On-NoSignature reject
On-BadSignature reject
Nameservers {dns}
ResolverConfiguration {w}/etc/unbound.conf
"""
UNBOUND_CONF = """server:
  do-not-query-localhost: no
  module-config: "iterator"
forward-zone:
  name: "."
  forward-addr: {dns}
"""
DKIM_KEY = "ks2026._domainkey.khaosat.example.vn"
# a signature in the right form whose body hash and signature are not those of the message
BAD_SIGNATURE = (
    "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=khaosat.example.vn; s=ks2026;\n"
    " h=from:to:subject:date:message-id; bh=" + "A" * 43 + "=;\n b=" + "QUJD" * 85 + "AA==\n"
)


def _configure(w: Path, ports: dict[str, int]) -> None:
    fill = {"w": w, "dns": DNS_IP, "vi": VI_RSPAMD, **ports}
    _write(w / "etc/main.cf", MAIN_CF.format(**fill))
    _write(w / "etc/master.cf", MASTER_CF.format(**fill))
    routes = "".join(
        f"{rcpt} {transport}:[127.0.0.1]:{ports['port_' + listener]}\n"
        for rcpt, (listener, transport, _) in RECIPIENTS.items()
    )
    _write(w / "etc/transport", routes)
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    _write(w / "etc/policyd-spf.conf", POLICYD_SPF)
    _write(w / "etc/dmarc_ignore", "192.0.2.1\n")
    _write(w / "etc/opendmarc.conf", OPENDMARC_CONF.format(**fill))
    _write(w / "etc/opendkim.conf", OPENDKIM_CONF.format(**fill))
    _write(w / "etc/unbound.conf", UNBOUND_CONF.format(**fill))
    # the key the bad signature names: a real RSA public key, so the signature is checked and fails
    subprocess.run(
        ["openssl", "genrsa", "-out", str(w / "etc/dkim.key"), "2048"], check=True, capture_output=True
    )
    der = subprocess.run(["openssl", "rsa", "-in", str(w / "etc/dkim.key"), "-pubout", "-outform", "DER"],
                         check=True, capture_output=True).stdout  # fmt: skip
    TXT[DKIM_KEY] = "v=DKIM1; k=rsa; p=" + base64.b64encode(der).decode()
    _write(w / "rspamd/rspamd.conf", RSPAMD_CONF.format(**fill))
    for name, text in RSPAMD_LOCAL.items():
        _write(w / "rspamd/local/local.d" / name, text.format(**fill))
    _write(w / "rspamd/tamhoan.map", "tam.giu@locthu.example.vn\n")
    _write(w / "rspamd/quangcao.map", "quang.cao@locthu.example.vn\n")
    _write(w / "resolv.conf", f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    (w / "kept/khaosat/bounces").mkdir(parents=True)
    for sub in ("data", "log", "run", "run-dkim", "rspamd/db", "rspamd/run", "pg", "pgvi"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "kept")], check=True)
    subprocess.run(["chown", "postfix", str(w / "data")], check=True)
    subprocess.run(["chown", "-R", "_rspamd:_rspamd", str(w / "rspamd")], check=True)
    subprocess.run(["chown", "postgrey", str(w / "pg"), str(w / "pgvi")], check=True)
    subprocess.run(["chown", "opendmarc", str(w / "run")], check=True)
    subprocess.run(["chown", "opendkim", str(w / "run-dkim")], check=True)
    subprocess.run(["chmod", "777", str(w / "log")], check=True)
    w.chmod(0o755)


def _filter_commands(w: Path, ports: dict[str, int]) -> list[list[str]]:
    """The filters, each in the foreground on its own loopback port."""
    grey = ["postgrey", "--user=postgrey", "--delay=3600", "--auto-whitelist-clients=0",
            "--whitelist-clients=/dev/null", "--whitelist-recipients=/dev/null"]  # fmt: skip
    spamc = ["--", "-d", "127.0.0.1", "-p", str(ports["spamd"])]
    return [
        [*grey, f"--inet=127.0.0.1:{ports['pg']}", f"--dbdir={w}/pg", f"--pidfile={w}/pg/pid"],
        [*grey, f"--inet=127.0.0.1:{ports['pgvi']}", f"--dbdir={w}/pgvi", f"--pidfile={w}/pgvi/pid",
         f"--greylist-text={VI_GREY}"],  # fmt: skip
        ["rspamd", "-f", "-u", "_rspamd", "-g", "_rspamd", "-c", f"{w}/rspamd/rspamd.conf",
         f"--var=LOCAL_CONFDIR={w}/rspamd/local", f"--var=DBDIR={w}/rspamd/db", f"--var=RUNDIR={w}/rspamd/run"],
        ["spamd", "-L", "--nouser-config", "-u", "debian-spamd", f"--listen=127.0.0.1:{ports['spamd']}",
         "--max-children=2", f"--syslog={w}/log/spamd.log", f"--pidfile={w}/run/spamd.pid"],
        ["spamass-milter", "-p", f"inet:{ports['milter_sa']}@127.0.0.1", "-r", "-1", *spamc],
        ["spamass-milter", "-p", f"inet:{ports['milter_savi']}@127.0.0.1", "-r", "-1", "-R", VI_SPAM, *spamc],
        ["opendmarc", "-f", "-c", f"{w}/etc/opendmarc.conf"],
        ["opendkim", "-f", "-x", f"{w}/etc/opendkim.conf"],
    ]  # fmt: skip


def _listening(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.3)
    raise SystemExit(f"nothing listens on port {port}")


def stop(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the filters started here (make_filters2.py's too), each by its own process."""
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    procs: list[subprocess.Popen[bytes]] = []
    make_spool(w / "spool")
    try:
        with open(w / "log/filters.log", "ab") as log:
            for argv in _filter_commands(w, ports):
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
        deadline = time.monotonic() + 90
        for name in FILTER_PORTS:
            _listening(ports[name], deadline)
        with postfix_running(w / "etc"):
            yield
    finally:
        stop(procs)


def _original(rcpt: str) -> str:
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * 4
    if rcpt.startswith(GTUBE_TO):
        body = GTUBE + "\n" + body
    signature = BAD_SIGNATURE if rcpt.startswith("dkim.sai@") else ""
    return (
        f"{signature}From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    )


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    rcpt = next((r for r in RECIPIENTS if r in text), "unknown")
    delayed = "Action: delayed" in text and "Action: failed" not in text
    return f"postfix-{'delay' if delayed else 'failed'}-{rcpt.replace('@', '-at-')}.eml"


def run_round(
    prefix: str,
    ports: dict[str, int],
    configure: Callable[[Path, dict[str, int]], None],
    running: Callable[[Path, dict[str, int]], AbstractContextManager[None]],
    messages: Iterable[tuple[str, bytes]],
    expected: int,
    name: Callable[[bytes], str],
    out: Path,
    zone: type[socketserver.BaseRequestHandler] = _Zone,
    wait: float = 120,
) -> None:
    """One round (make_filters2.py's too): in a mount namespace of our own whose /etc/resolv.conf names the DNS
    stub, configure a work folder, send each (recipient, message) through the private Postfix while the
    filters run, wait for ``expected`` answers (at most ``wait`` seconds) and keep each new one in ``out`` under
    ``name``; ``zone`` answers DNS (make_round12.py's MX records)."""
    if os.environ.get("REALMTA_NS") != "1":
        os.environ["REALMTA_NS"] = "1"
        os.execvp("unshare", ["unshare", "-m", "--propagation", "private", sys.executable, *sys.argv])
    w = Path(tempfile.mkdtemp(prefix=prefix))
    dns = socketserver.ThreadingUDPServer((DNS_IP, 53), zone)
    threading.Thread(target=dns.serve_forever, daemon=True).start()
    try:
        configure(w, ports)
        subprocess.run(["mount", "--bind", str(w / "resolv.conf"), "/etc/resolv.conf"], check=True)
        with running(w, ports):
            _wait_ready(ports["port_a"], time.monotonic() + 20)
            for rcpt, message in messages:
                with smtplib.SMTP("127.0.0.1", ports["port_a"]) as smtp:
                    smtp.sendmail(SENDER, [rcpt], message)
            deadline = time.monotonic() + wait
            while len(_kept(w)) < expected and time.monotonic() < deadline:
                time.sleep(0.5)
        for path in _kept(w):
            raw = path.read_bytes()
            kept = out / name(raw)
            if not kept.exists():
                kept.write_bytes(raw)
                print(kept.name, "|", email.message_from_bytes(raw).get("Subject"))
        if len(_kept(w)) < expected:
            print(f"only {len(_kept(w))} of {expected} answers came back; see {w}/log")
    finally:
        dns.shutdown()
        dns.server_close()
        if os.environ.get("REALMTA_KEEP") != "1":
            shutil.rmtree(w, ignore_errors=True)


def main() -> None:
    ports = {name: _free_port() for name in ("port_a", *(f"port_{n}" for n in LISTENERS), *DAEMON_PORTS)}
    expected = len(RECIPIENTS) + sum(r.startswith(RETRIED) for r in RECIPIENTS)
    messages = ((rcpt, _original(rcpt).encode()) for rcpt in RECIPIENTS)
    run_round("realmta-filters-", ports, _configure, _running, messages, expected, _name, OUT)


if __name__ == "__main__":
    main()
