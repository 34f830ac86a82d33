"""Make real Postfix bounces and delay notices whose failure is worded by delivery back ends and policy daemons
never run here before, for tests/corpus/realmta (round 11b), labelled by construction (manifest.csv).

As make_filters2.py (round 10), whose helpers it imports: a private Postfix instance takes one message per
recipient and hands it to one of: Cyrus IMAP 3.6 (cyrus-imapd, a private master with its own config,
mailbox database and spool; lmtpd preauthorised on two loopback ports, the second with a strict config:
lmtp_over_quota_perm_failure, maxmessagesize, reject8bit; mailboxes made over IMAP by its admin) as Postfix's
LMTP back end: no such mailbox, over quota (transient and permanent), a message over its size limit, an 8-bit
header, a mailbox folder it cannot write (a System I/O error) and a shared folder whose ACL grants no post
right; maildrop 2.9 and procmail 3.22 as pipe(8) transports running as nobody (a filter file each):
maildrop's maildir quota (maildirsize), a filter's EXITCODE with an echoed text, a `to "|..."` command that
fails, a mailbox it cannot lock, and -d for a user that does not exist; procmail writing to a full file system
(a tmpfs of 8 kB mounted in the run's mount namespace), a delivering pipe recipe that fails, and -d for a
user that does not exist; and, as remote MXs played by smtpd listeners of the same instance, sqlgrey 1.8
(SQLite, greylisting for ever: its "Greylisted for N minutes") and policyd-weight 0.1.15 (its own scores: a
client whose HELO and DNS look forged, and a client address the DNS stub lists in three DNSBLs) as policy
services; and fetchmail 6.4 (one poll of a Cyrus mailbox over IMAP, handing the message to an smtpd listener
whose relay_recipient_maps lacks its recipient; "set no softbounce": its own bounce to the Return-Path, sent to
localhost's "smtp" service, which this run's mount namespace maps to our listener). The DNS stub of
make_filters.py answers the DNSBL names (its ADDRESSES); no query leaves 127.0.0.0/8. Queue lifetimes are 14 s
and delay warnings 3 s, so 4xx answers come back twice. Needs root and Debian's postfix, cyrus-imapd, sasl2-bin,
maildrop, procmail, sqlgrey (with libdbd-sqlite3-perl), policyd-weight and fetchmail installed (their own
services need not run and are not touched); nothing is left running. Debian declares cyrus-imapd in conflict
with dovecot-imapd: installing it removes the IMAP server scripts/mailstack runs (its next `up` installs
dovecot-imapd again and cyrus-imapd goes), so make this round on a machine whose test stack is not in use.
REALMTA_KEEP=1 keeps the work folder and its logs.
Usage: python3 tests/corpus/realmta/make_round11b.py
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_filters  # noqa: E402
from make_filters import _listening, run_round, stop  # noqa: E402
from make_filters2 import MAIN_CF as FILTERS2_MAIN_CF  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _wait_ready, _write, make_spool, postfix_running  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
CYRUS = "/usr/lib/cyrus/bin"
ADMIN_PASSWORD = "matkhau-quantri"
# recipient -> (how our Postfix hands it on, what is provoked)
RECIPIENTS = {
    "khong.co@hopthu.example.vn": ("lmtp", "Cyrus lmtpd: no such mailbox"),
    "het.cho@hopthu.example.vn": ("lmtp", "Cyrus lmtpd: over quota (1 kB), transient, for ever"),
    "loi.dia@hopthu.example.vn": ("lmtp", "Cyrus lmtpd: a mailbox folder it cannot write, for ever"),
    "bb+chung@hopthu.example.vn": ("lmtp", "Cyrus lmtpd: a shared folder whose ACL grants no post right"),
    "day.cung@hopthu.example.vn": ("strict", "Cyrus lmtpd: over quota, lmtp_over_quota_perm_failure"),
    "to.qua@hopthu.example.vn": ("strict", "Cyrus lmtpd: maxmessagesize 5000, a 20 kB message"),
    "tieu.de@hopthu.example.vn": ("strict", "Cyrus lmtpd: reject8bit, a raw UTF-8 Subject"),
    "md.day@hopmail.example.vn": ("maildrop", "maildrop: maildir over quota (maildirsize 1000S), for ever"),
    "md.chan@hopmail.example.vn": ("maildrop", "maildrop: the filter echoes a Vietnamese text, EXITCODE=77"),
    "md.ong@hopmail.example.vn": ("maildrop", 'maildrop: to "|..." a command that exits 1'),
    "md.khoa@hopmail.example.vn": ("maildrop", "maildrop: to a mailbox in a missing folder, for ever"),
    "md.khong@hopmail.example.vn": ("maildropd", "maildrop -d: a user that does not exist"),
    "pm.day@hopmail.example.vn": ("procmail", "procmail: its mailbox on a full file system (tmpfs 8 kB)"),
    "pm.ong@hopmail.example.vn": ("procmail", "procmail: a delivering pipe recipe that fails, no fallback"),
    "pm.khong@hopmail.example.vn": ("procmaild", "procmail -d: a user that does not exist"),
    "grey.sql@hoanlai2.example.vn": ("smtp", "sqlgrey 1.8: greylisted until the lifetime ends"),
    "gia.mao@canhan.example.vn": ("smtp", "policyd-weight: HELO and client DNS look forged (its scores)"),
    "den.sach@canhan.example.vn": ("smtp20", "policyd-weight: client 127.0.0.20 listed in three DNSBLs"),
}
# fetched, not sent: fetchmail takes it from a Cyrus mailbox over IMAP and hands it to an smtpd listener that
# refuses the recipient (relay_recipient_maps); fetchmail bounces it to the Return-Path itself
FETCHED = "khong.ton@nhanthu.example.vn"
FETCH_USER = "nhan"
RETRIED = ("het.cho@", "loi.dia@", "md.day@", "md.khoa@", "grey.sql@", "gia.mao@")
BIG = ("to.qua@", "md.day@", "pm.day@")
LISTENERS = ("grey", "weight", "fetch")
DAEMON_PORTS = ("cyrus_imap", "cyrus_lmtp", "cyrus_strict", "sqlgrey", "weight")
LISTED = "127.0.0.20"
DNSBLS = ("ix.dnsbl.manitu.net", "bl.spamcop.net", "pbl.spamhaus.org")
VI_FILTER = "Thư bị bộ lọc của người nhận từ chối"
# the filter files, by the recipient's local part ({w}: the work folder)
MAILDROP_RC = {
    "md.day": 'to "{w}/loc/md.day/Maildir"\n',
    "md.chan": f'echo "{VI_FILTER}"\nEXITCODE=77\nexit\n',
    "md.ong": 'SHELL="/bin/sh"\nto "|/bin/false"\n',
    "md.khoa": 'to "{w}/loc/khong-co-thu-muc/thu"\n',
}
PROCMAIL_RC = {
    "pm.day": "SHELL=/bin/sh\nORGMAIL={w}/full/thu\nDEFAULT={w}/full/thu\n:0:\n{w}/full/thu\n",
    "pm.ong": "SHELL=/bin/sh\nLOCKSLEEP=1\nORGMAIL={w}/khong-co/thu\nDEFAULT={w}/khong-co/thu\n:0 w\n| /bin/false\n",
}

MAIN_CF = (
    FILTERS2_MAIN_CF
    + """maildrop_destination_recipient_limit = 1
maildropd_destination_recipient_limit = 1
procmail_destination_recipient_limit = 1
procmaild_destination_recipient_limit = 1
relay_domains = nhanthu.example.vn
relay_recipient_maps = texthash:{w}/etc/relay_recipients
"""
)

MASTER_CF = (
    """
127.0.0.1:{port_a} inet n - n - - smtpd
127.0.0.1:{port_grey} inet n - n - - smtpd -o syslog_name=postfix/mx-grey -o myhostname=mx.hoanlai2.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{sqlgrey},permit
127.0.0.1:{port_weight} inet n - n - - smtpd -o syslog_name=postfix/mx-weight -o myhostname=mx.canhan.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{weight},permit
127.0.0.1:{port_fetch} inet n - n - - smtpd -o syslog_name=postfix/mx-fetch -o myhostname=mx.nhanthu.example.vn
smtp20    unix  - - n - - smtp -o smtp_bind_address=127.0.0.20
maildrop  unix  - n n - - pipe user=nobody argv=/usr/bin/maildrop {w}/loc/${{user}}.rc
maildropd unix  - n n - - pipe user=nobody argv=/usr/bin/maildrop -d ${{user}}
procmail  unix  - n n - - pipe user=nobody argv=/usr/bin/procmail -m {w}/loc/${{user}}.rc
procmaild unix  - n n - - pipe user=nobody argv=/usr/bin/procmail -d ${{user}}
"""
    + SERVICES_CF
)

IMAPD_CONF = """configdirectory: {w}/cyrus/conf
partition-default: {w}/cyrus/spool
servername: mx.hopthu.example.vn
admins: cyrus
unixhierarchysep: yes
altnamespace: no
virtdomains: off
postuser: bb
allowplaintext: yes
sasl_pwcheck_method: auxprop
sasl_auxprop_plugin: sasldb
sasl_sasldb_path: {w}/cyrus/sasldb2
sasl_mech_list: PLAIN
syslog_prefix: realmta-cyrus
"""
STRICT_CONF = "lmtp_over_quota_perm_failure: yes\nmaxmessagesize: 5000\nreject8bit: yes\n"
CYRUS_CONF = """START {{
  recover cmd="ctl_cyrusdb -r -C {w}/cyrus/imapd.conf"
}}
SERVICES {{
  imap cmd="imapd -C {w}/cyrus/imapd.conf" listen="127.0.0.1:{cyrus_imap}" prefork=0
  lmtp cmd="lmtpd -a -C {w}/cyrus/imapd.conf" listen="127.0.0.1:{cyrus_lmtp}" prefork=0
  lmtpstrict cmd="lmtpd -a -C {w}/cyrus/strict.conf" listen="127.0.0.1:{cyrus_strict}" prefork=0
}}
EVENTS {{
}}
"""
# a message already in each quota'd mailbox, over its quota
FILLER = (
    b"From: khaosat@khaosat.example.vn\r\nSubject: Khao sat\r\n\r\n" + b"Phieu khao sat nam 2026.\r\n" * 120
)
FETCHMAILRC = """set no softbounce
set bouncemail
poll 127.0.0.1 service {cyrus_imap} protocol imap auth password:
  user "{user}" there with password "{password}" is "{local}" here
  smtphost 127.0.0.1/{port_fetch} smtpaddress nhanthu.example.vn sslproto ''
"""
# (mailbox, quota in kB or None)
MAILBOXES = (
    ("user/het.cho", 1),
    ("user/day.cung", 1),
    ("user/loi.dia", None),
    ("user/to.qua", None),
    ("user/tieu.de", None),
    ("chung", None),
    (f"user/{FETCH_USER}", None),
)

SQLGREY_CONF = """loglevel = 3
user = sqlgrey
group = sqlgrey
inet = 127.0.0.1:{sqlgrey}
pidfile = {w}/sqlgrey/sqlgrey.pid
conf_dir = {w}/sqlgrey/conf
db_type = SQLite
db_name = {w}/sqlgrey/sqlgrey.db
reconnect_delay = 60
optmethod = none
admin_mail = bounces@khaosat.example.vn
"""
WEIGHT_CONF = """$DEBUG = 0;
$USER = "polw";
$TCP_PORT = {weight};
$BIND_ADDRESS = "127.0.0.1";
$LOCKPATH = "{w}/polw/";
$PIDFILE = "{w}/polw/policyd-weight.pid";
$CACHESIZE = 0;
$NS = "{dns}";
$DNS_RETRIES = 1;
$DNS_RETRY_IVAL = 1;
$syslog_socktype = "console";
"""


def _configure(w: Path, ports: dict[str, int]) -> None:
    fill = {"w": w, "dns": make_filters.DNS_IP, **ports}
    _write(w / "etc/main.cf", MAIN_CF.format(**fill))
    _write(w / "etc/master.cf", MASTER_CF.format(**fill))
    nexthop = {
        "lmtp": f"lmtp:inet:[127.0.0.1]:{ports['cyrus_lmtp']}",
        "strict": f"lmtp:inet:[127.0.0.1]:{ports['cyrus_strict']}",
        "smtp": None,
        "smtp20": None,
    }
    routes = ""
    for rcpt, (how, _) in RECIPIENTS.items():
        if how in ("smtp", "smtp20"):
            listener = "grey" if rcpt.startswith("grey.") else "weight"
            routes += f"{rcpt} {how}:[127.0.0.1]:{ports['port_' + listener]}\n"
        else:
            routes += f"{rcpt} {nexthop.get(how) or how + ':'}\n"
    _write(w / "etc/transport", routes)
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    _write(w / "resolv.conf", f"nameserver {make_filters.DNS_IP}\noptions attempts:1 timeout:1\n")
    reverse = ".".join(reversed(LISTED.split(".")))
    make_filters.ADDRESSES.update({f"{reverse}.{zone}": "127.0.0.2" for zone in DNSBLS})
    # Cyrus: its config folder and spool, the admin in a sasldb of its own
    _write(w / "cyrus/imapd.conf", IMAPD_CONF.format(**fill))
    _write(w / "cyrus/strict.conf", IMAPD_CONF.format(**fill) + STRICT_CONF)
    _write(w / "cyrus/cyrus.conf", CYRUS_CONF.format(**fill))
    for sub in ("db", "proc", "socket", "lock", "log", "quota", "user", "sieve", "msg", "ptclient", "sync"):
        (w / "cyrus/conf" / sub).mkdir(parents=True, exist_ok=True)
    (w / "cyrus/spool").mkdir(parents=True, exist_ok=True)
    for user in ("cyrus", FETCH_USER):
        subprocess.run(["saslpasswd2", "-p", "-c", "-f", str(w / "cyrus/sasldb2"), "-u", "mx.hopthu.example.vn",
                        user], input=ADMIN_PASSWORD.encode(), check=True)  # fmt: skip
    _write(w / "etc/relay_recipients", "ai.khac@nhanthu.example.vn OK\n")
    _write(w / "fetchmailrc", FETCHMAILRC.format(user=FETCH_USER, password=ADMIN_PASSWORD,
                                                 local=FETCHED.split("@")[0], **fill))  # fmt: skip
    (w / "fetchmailrc").chmod(0o600)
    # fetchmail sends its bounce to localhost's "smtp" service: in this run's mount namespace, that is our listener
    services = Path("/etc/services").read_text(encoding="utf-8").splitlines()
    smtp = [
        f"smtp\t\t{ports['port_fetch']}/tcp" if line.split()[:2] == ["smtp", "25/tcp"] else line
        for line in services
    ]
    _write(w / "services", "\n".join(smtp) + "\n")
    subprocess.run(["chown", "-R", "cyrus:mail", str(w / "cyrus")], check=True)
    # maildrop's and procmail's filter files, owned by the user the pipe runs as, in a folder only it writes
    for local, text in MAILDROP_RC.items():
        _write(w / f"loc/{local}.rc", text.format(w=w))
    for local, text in PROCMAIL_RC.items():
        _write(w / f"loc/{local}.rc", text.format(w=w))
    for sub in ("cur", "new", "tmp"):
        (w / "loc/md.day/Maildir" / sub).mkdir(parents=True, exist_ok=True)
    _write(w / "loc/md.day/Maildir/maildirsize", "1000S\n")
    (w / "full").mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8k,mode=0755", "tmpfs", str(w / "full")], check=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "loc"), str(w / "full")], check=True)
    for rc in (w / "loc").glob("*.rc"):
        rc.chmod(0o600)
    (w / "kept/khaosat/bounces").mkdir(parents=True)
    for sub in ("data", "log", "sqlgrey/conf", "polw"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    _write(w / "sqlgrey/sqlgrey.conf", SQLGREY_CONF.format(**fill))
    _write(w / "polw/policyd-weight.conf", WEIGHT_CONF.format(**fill))
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "kept")], check=True)
    subprocess.run(["chown", "postfix", str(w / "data")], check=True)
    subprocess.run(["chown", "-R", "sqlgrey:sqlgrey", str(w / "sqlgrey")], check=True)
    subprocess.run(["chown", "-R", "polw", str(w / "polw")], check=True)
    subprocess.run(["chmod", "777", str(w / "log")], check=True)
    w.chmod(0o755)


def _mailboxes(w: Path, port: int) -> None:
    """Make the mailboxes over IMAP as Cyrus's admin (a quota'd one holds a message bigger than its quota:
    lmtpd refuses only a mailbox already over it); then take the write right on one folder from lmtpd."""
    imap = imaplib.IMAP4("127.0.0.1", port)
    imap.login("cyrus", ADMIN_PASSWORD)
    for mailbox, quota in MAILBOXES:
        kind, answer = imap.create(mailbox)
        if kind != "OK":
            raise SystemExit(f"Cyrus would not create {mailbox}: {answer}")
        if quota is not None:  # the usage counts what comes after the quota root: room first, then less
            imap.setquota(mailbox, "(STORAGE 100)")
            imap.setacl(mailbox, "cyrus", "lrswipkxtecda")  # the admin may not insert by default
            kind, answer = imap.append(mailbox, None, None, FILLER)
            if kind != "OK":
                raise SystemExit(f"Cyrus would not take a message into {mailbox}: {answer}")
            imap.setquota(mailbox, f"(STORAGE {quota})")
    imap.setacl("chung", "anyone", "lrs")
    imap.setacl(f"user/{FETCH_USER}", "cyrus", "lrswipkxtecda")
    fetched = b"Return-Path: <" + make_filters.SENDER.encode() + b">\n" + _original(FETCHED)
    kind, answer = imap.append(f"user/{FETCH_USER}", None, None, fetched.replace(b"\n", b"\r\n"))
    if kind != "OK":
        raise SystemExit(f"Cyrus would not take the message to fetch: {answer}")
    imap.logout()
    folder = subprocess.run(["runuser", "-u", "cyrus", "--", f"{CYRUS}/mbpath", "-C", f"{w}/cyrus/imapd.conf",
                             "user/loi.dia"], check=True, capture_output=True, text=True).stdout.strip()  # fmt: skip
    subprocess.run(["chown", "-R", "root:root", folder], check=True)
    subprocess.run(["chmod", "-R", "go-w,u-w", folder], check=True)


def _commands(w: Path) -> list[list[str]]:
    """The daemons, each in the foreground."""
    cyrus = w / "cyrus"
    return [
        [f"{CYRUS}/master", "-C", f"{cyrus}/imapd.conf", "-M", f"{cyrus}/cyrus.conf", "-p", f"{cyrus}/pid"],
        ["sqlgrey", "-f", f"{w}/sqlgrey/sqlgrey.conf"],
        ["policyd-weight", "-f", f"{w}/polw/policyd-weight.conf", "-D", "start"],
    ]


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    procs: list[subprocess.Popen[bytes]] = []
    make_spool(w / "spool")
    try:
        with open(w / "log/daemons.log", "ab") as log:
            # each in a process group of its own: policyd-weight forks a child for each client
            for argv in _commands(w):
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                              start_new_session=True))  # fmt: skip
        deadline = time.monotonic() + 60
        for name in DAEMON_PORTS:
            _listening(ports[name], deadline)
        _mailboxes(w, ports["cyrus_imap"])
        with postfix_running(w / "etc"):
            _wait_ready(ports["port_fetch"], time.monotonic() + 20)
            subprocess.run(["mount", "--bind", str(w / "services"), "/etc/services"], check=True)
            with open(w / "log/fetchmail.log", "ab") as log:  # one poll, in the foreground
                subprocess.run(["fetchmail", "-f", str(w / "fetchmailrc"), "-v", "--nodetach", "--idfile",
                                str(w / "fetchids")], stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                               timeout=60, check=False, env={**os.environ, "HOME": str(w)})  # fmt: skip
            yield
    finally:
        for proc in procs:  # the children first, each group by its leader's id
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
        stop(procs)
        subprocess.run(["umount", str(w / "full")], check=False)


def _original(rcpt: str, size: int = 300) -> bytes:
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * (size // 80 + 1)
    subject = "Khảo sát chuyển đổi số 2026" if rcpt.startswith("tieu.de@") else "Khao sat chuyen doi so 2026"
    return (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: {subject}\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    rcpt = next((r for r in RECIPIENTS if r in text), "unknown")
    if "fetchmail forwards to" in text:  # fetchmail's own bounce
        return f"fetchmail-failed-{FETCHED.replace('@', '-at-')}.eml"
    delayed = "Action: delayed" in text and "Action: failed" not in text
    return f"postfix-{'delay' if delayed else 'failed'}-{rcpt.replace('@', '-at-')}.eml"


def main() -> None:
    ports = {name: _free_port() for name in ("port_a", *(f"port_{n}" for n in LISTENERS), *DAEMON_PORTS)}
    expected = len(RECIPIENTS) + sum(r.startswith(RETRIED) for r in RECIPIENTS) + 1  # and fetchmail's
    messages = ((rcpt, _original(rcpt, 20000 if rcpt.startswith(BIG) else 300)) for rcpt in RECIPIENTS)
    run_round("realmta-round11b-", ports, _configure, _running, messages, expected, _name, OUT)


if __name__ == "__main__":
    main()
