"""Make failures, refusals and replies worded by two mail server families no earlier round ran, GNU Mailutils 3.15
(its LMTP server, lmtpd, with its quota database and its Sieve) and proxsmtp 1.10 (a content-filtering SMTP proxy),
as Postfix 3.7, Exim 4.96 and OpenSMTPD 6.8 relay them, for tests/corpus/realmta (round 16), labelled by
construction: LABELS below was written before any mail was made, and main() writes each answer's row into
manifest.csv from it.

As make_round15.py: a mount namespace of its own (run_round of make_filters.py) with make_filters.py's DNS stub,
the private Postfix of make_relays.py (its virtual mailbox keeps what comes back to our envelope sender), Debian's
Exim unpacked (make_exim.py) and OpenSMTPD (make_relays.py) as the senders. The remote servers, each at a loopback
address 127.0.16.x of its own:
- two GNU Mailutils lmtpd daemons (each in a UTS namespace whose host name is its domain, so that its own answers
  name the recipient's real address), their users in a passwd file bind-mounted over /etc/passwd inside the
  round's mount namespace; a DBM quota database (mailboxes already over it, or that one message pushes over),
  permanent on one daemon and with ``quota { exit-tempfail yes; }`` on the other; an unknown user; each user's
  ~/.sieve with Mailutils' Sieve ``reject`` (Vietnamese, unaccented Vietnamese, English reasons) and ``vacation``
  (Vietnamese and English), whose answers lmtpd sends itself through our Postfix (``mailer { url }``);
- proxsmtpd listeners: one whose filter command refuses by recipient with administrators' own texts on its stderr
  (Vietnamese and English: the unit's mail rules, spam, malware, a banned .exe attachment, a size limit the filter
  checks itself) or sleeps past FilterTimeout; two with ``FilterType: reject`` whose FilterReject refuses relaying
  (Vietnamese, English); one with ``MaxConnections: 2`` (it refused 1 as out of range) while the round holds both connections. Each passes
  what it accepts to a Postfix smtpd that discards it.
The Sieve rows go through OpenSMTPD: lmtpd ran no Sieve script for the same messages as Exim and Postfix hand them
over (kept in the mailbox, no reject or vacation; the cause, in the Received: header Exim adds, was not found).
Tried and not kept, as the construction failed: OpenSMTPD to a mailbox over its quota (lmtpd answered its MAIL FROM
"503 5.0.0 Syntax error", a session reused after the refused RCPT of another row despite session-mail-max 1).
Not made, as neither family has it: TLS required (neither speaks TLS), a relay refusal or size limit at SMTP time
by Mailutils (lmtpd has no size limit or relay check).
Every original carries a marker header naming its row. 38 answers came back, 33 with a reason.
Scored once with the code of the time, before any rule for them (held out): reason 25/33 = 75.8% (Mailutils 11/14,
proxsmtp 14/19), hard/soft, kind and recipient 38/38; all 532 then: reason 421/457 = 92.1%, hard 528/532. After
the general rules written for its misses (see tests/corpus/test_realmta.py): reason 33/33; all 532: 429/457 = 93.9%.
Needs root, ``apt-get install`` (mailutils-mda, python3-gdbm for the quota database) and ``apt-get download``
(proxsmtp, unpacked, not installed). Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps
the work folder and its logs. It is not a test: CI reads only the .eml files and manifest.csv it wrote.
Usage: python3 tests/corpus/realmta/make_round16.py
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_filters import SENDER, run_round, stop  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write  # noqa: E402
from make_round11a import _listening_at  # noqa: E402
from make_round12 import answer_kind, prepare_senders, running_senders  # noqa: E402
from make_round13 import LISTENER, configure_round, exim_config, original, smtpd_conf  # noqa: E402
from make_round14 import Label, found_label, manifest_rows  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the remote servers: domain -> listener
REMOTES = {
    "hopmu.example.vn": "mu",  # Mailutils lmtpd, quota permanent, Sieve
    "hopmutam.example.vn": "mutam",  # Mailutils lmtpd, quota { exit-tempfail yes; }
    "locnd.example.vn": "px",  # proxsmtpd with a filter command
    "chuyentiep.example.vn": "pxrelay",  # proxsmtpd, FilterType reject, English relay text
    "chuyentiepvi.example.vn": "pxrelayvi",  # the same, Vietnamese
    "banron.example.vn": "pxbusy",  # proxsmtpd, MaxConnections 2, both connections held
}
# the filtering proxy once per sender: proxsmtpd 1.10 mixes up concurrent sessions' filter results (a refused
# message passed while another session's filter ran), so each sender reaches its own, one message at a time
PER_SENDER = {"exim": {"locnd.example.vn": "pxex"}, "opensmtpd": {"locnd.example.vn": "pxos"}}
LISTENERS = (*dict.fromkeys(REMOTES.values()), "pxex", "pxos", "pxout")
ADDRESS = {name: f"127.0.16.{i}" for i, name in enumerate(LISTENERS, 1)}
LMTP = ("mu", "mutam")
PROXIES = ("px", "pxex", "pxos", "pxrelay", "pxrelayvi", "pxbusy")
# recipient -> (the sender, the file's stem, reason, hard, what is provoked). The labels, by the corpus
# conventions: a final notice whose transient reply says why is labelled by those words (as round 15's Dovecot
# quota_full_tempfail rows); every delay notice is kind delay, no reason, not hard; a Sieve reject is filtered
# (the recipient's own filter), a vacation reply is kind autoreply, reason vacation.
LABELS: dict[str, Label] = {
    # GNU Mailutils lmtpd
    "pf.khongco@hopmu.example.vn": ("postfix", "pf.khongco", "userunknown", "1", "Mailutils lmtpd: no such user"),
    "ex.khongco@hopmu.example.vn": ("exim", "ex.khongco", "userunknown", "1", "Mailutils lmtpd: no such user"),
    "os.khongco@hopmu.example.vn": ("opensmtpd", "os.khongco", "userunknown", "1", "Mailutils lmtpd: no such user"),
    "pf.day@hopmu.example.vn": ("postfix", "pf.day", "mailboxfull", "0", "Mailutils lmtpd: the mailbox already over its quota"),
    "ex.day@hopmu.example.vn": ("exim", "ex.day", "mailboxfull", "0", "Mailutils lmtpd: the mailbox already over its quota"),
    "pf.tran@hopmu.example.vn": (
        "postfix", "pf.tran", "mailboxfull", "0", "Mailutils lmtpd: the mailbox under its quota, this message would go over it",
    ),
    "ex.tran@hopmu.example.vn": (
        "exim", "ex.tran", "mailboxfull", "0", "Mailutils lmtpd: the mailbox under its quota, this message would go over it",
    ),
    "pf.hetcho@hopmutam.example.vn": (
        "postfix", "pf.hetcho", "mailboxfull", "0",
        "Mailutils lmtpd over quota with exit-tempfail, until the queue lifetime ends",
    ),
    "ex.hetcho@hopmutam.example.vn": (
        "exim", "ex.hetcho", "mailboxfull", "0", "Mailutils lmtpd over quota with exit-tempfail, until the retry rule times out",
    ),
    "os.tuchoivi@hopmu.example.vn": ("opensmtpd", "os.tuchoivi", "filtered", "0", "Mailutils Sieve reject, a Vietnamese reason"),
    "os.tuchoikd@hopmu.example.vn": (
        "opensmtpd", "os.tuchoikd", "filtered", "0", "Mailutils Sieve reject, an unaccented Vietnamese reason",
    ),
    "os.refuse@hopmu.example.vn": ("opensmtpd", "os.refuse", "filtered", "0", "Mailutils Sieve reject, an English reason"),
    "os.vangvi@hopmu.example.vn": ("opensmtpd", "os.vangvi", "vacation", "0", "Mailutils Sieve vacation, Vietnamese subject and text"),
    "os.away@hopmu.example.vn": ("opensmtpd", "os.away", "vacation", "0", "Mailutils Sieve vacation, English subject and text"),
    # proxsmtpd's filter command: its stderr after "550 Content Rejected; "
    "pf.quyche@locnd.example.vn": (
        "postfix", "pf.quyche", "policyviolation", "0", "proxsmtp filter: the message breaches the agency's mail rules (Vietnamese)",
    ),
    "ex.quyche@locnd.example.vn": (
        "exim", "ex.quyche", "policyviolation", "0", "proxsmtp filter: the message breaches the agency's mail rules (Vietnamese)",
    ),
    "os.quyche@locnd.example.vn": (
        "opensmtpd", "os.quyche", "policyviolation", "0", "proxsmtp filter: the message breaches the agency's mail rules (Vietnamese)",
    ),
    "pf.spam@locnd.example.vn": ("postfix", "pf.spam", "spamdetected", "0", "proxsmtp filter: scored and classified as spam (English)"),
    "ex.spam@locnd.example.vn": ("exim", "ex.spam", "spamdetected", "0", "proxsmtp filter: scored and classified as spam (English)"),
    "pf.racvi@locnd.example.vn": ("postfix", "pf.racvi", "spamdetected", "0", "proxsmtp filter: judged spam (unaccented Vietnamese)"),
    "pf.madoc@locnd.example.vn": ("postfix", "pf.madoc", "virusdetected", "0", "proxsmtp filter: malware in an attachment (Vietnamese)"),
    "os.madoc@locnd.example.vn": ("opensmtpd", "os.madoc", "virusdetected", "0", "proxsmtp filter: malware in an attachment (Vietnamese)"),
    "pf.tepexe@locnd.example.vn": (
        "postfix", "pf.tepexe", "policyviolation", "0", "proxsmtp filter: .exe attachments not permitted by the mail policy (English)",
    ),
    "pf.qualon@locnd.example.vn": (
        "postfix", "pf.qualon", "mesgtoobig", "0", "proxsmtp filter: the message over the size the filter allows (Vietnamese)",
    ),
    "ex.qualon@locnd.example.vn": (
        "exim", "ex.qualon", "mesgtoobig", "0", "proxsmtp filter: the message over the size the filter allows (Vietnamese)",
    ),
    "pf.cham@locnd.example.vn": (
        "postfix", "pf.cham", "systemerror", "0",
        "proxsmtp filter command past FilterTimeout: 451 Local Error until the queue lifetime ends",
    ),
    "ex.cham@locnd.example.vn": (
        "exim", "ex.cham", "systemerror", "0",
        "proxsmtp filter command past FilterTimeout: 451 Local Error until the retry rule times out",
    ),
    # proxsmtpd FilterType reject
    "pf.relay@chuyentiep.example.vn": ("postfix", "pf.relay", "norelaying", "0", "proxsmtp FilterReject: relaying denied (English)"),
    "os.relay@chuyentiep.example.vn": ("opensmtpd", "os.relay", "norelaying", "0", "proxsmtp FilterReject: relaying denied (English)"),
    "pf.relayvi@chuyentiepvi.example.vn": (
        "postfix", "pf.relayvi", "norelaying", "0", "proxsmtp FilterReject: relaying denied (Vietnamese)",
    ),
    "ex.relayvi@chuyentiepvi.example.vn": (
        "exim", "ex.relayvi", "norelaying", "0", "proxsmtp FilterReject: relaying denied (Vietnamese)",
    ),
    # proxsmtpd MaxConnections 2 while both are held
    "pf.ban@banron.example.vn": (
        "postfix", "pf.ban", "toomanyconn", "0",
        "proxsmtp MaxConnections 2 while both are held: 421 at connect until the queue lifetime ends",
    ),
    "ex.ban@banron.example.vn": (
        "exim", "ex.ban", "toomanyconn", "0",
        "proxsmtp MaxConnections 2 while both are held: 421 at connect until the retry rule times out",
    ),
}  # fmt: skip
# the quota database: user -> (quota in bytes, bytes already in the mailbox); a message here is about 750 bytes
QUOTA = {
    "pf.day": (2000, 3000),
    "ex.day": (2000, 3000),
    "pf.tran": (2000, 1500),
    "ex.tran": (2000, 1500),
    "pf.hetcho": (2000, 3000),
    "ex.hetcho": (2000, 3000),
}
SIEVE = {
    "os.tuchoivi": 'require "reject"; reject "Hộp thư này đã được chủ tài khoản đặt chế độ không nhận thư khảo sát '
    'từ bên ngoài đơn vị.";',
    "os.tuchoikd": 'require "reject"; reject "Nguoi nhan da cai dat bo loc tu choi thu cua nguoi gui nay.";',
    "os.refuse": 'require "reject"; reject "I no longer accept survey invitations at this address. Please remove me '
    'from your list.";',
    "os.vangvi": 'require "vacation"; vacation :days 1 :database "{home}/os.vangvi/vacation" :aliases '
    '["os.vangvi@hopmu.example.vn"] :subject "Trả lời tự động: tôi đang nghỉ phép" "Tôi nghỉ phép từ ngày 7/12 '
    'đến hết ngày 18/12/2026, trong thời gian này tôi không đọc thư. Việc gấp xin liên hệ văn phòng.";',
    "os.away": 'require "vacation"; vacation :days 1 :database "{home}/os.away/vacation" :aliases '
    '["os.away@hopmu.example.vn"] :subject "Out of office" "I am out of the office until 4 January 2027 with no '
    'access to e-mail. For urgent matters please contact the secretariat.";',
}
# lmtpd 3.15 refuses any MAIL FROM parameter (BODY=8BITMIME, SIZE=) with "553 5.1.8 Address format error", though
# it offers 8BITMIME, and its session process dies (a double free) on the RSET after a refusal: each sender
# gives it one transaction per connection and no parameters
LMTP_ONCE = "lmtp_connection_cache_on_demand = no\nlmtp_discard_lhlo_keywords = 8bitmime, size, pipelining\n"
LMTPD_CONF = """listen "inet://{address}:{port}";
mode daemon;
foreground yes;
pidfile {w}/mu/{name}.pid;
logging {{ syslog no; }}
auth {{ authorization system; authentication generic; }}
mailbox {{ mailbox-pattern "maildir://{w}/mu/spool/${{user}}"; }}
mailer {{ url "smtp://127.0.0.1:{port_a}"; }}
quota {{ database {w}/mu/quota.gdbm; exit-tempfail {tempfail}; }}
filter {{ language sieve; pattern "~/.sieve"; }}
"""
FILTER = """#!/bin/sh
# proxsmtpd's filter command (FilterType pipe): the message on stdin, back on stdout; a refusal's text on stderr.
# Keyed by the row's marker header in the message itself: proxsmtpd's RECIPIENTS variable is shared by its
# threads, so a filter run while another session sets it may see that session's recipients.
t=$(mktemp)
cat > "$t"
row=$(tr -d '\\r' < "$t" | sed -n 's/^X-Khao-Sat-Ma: r16-[a-z]*[.]//p' | head -n 1)
refuse() {{ echo "$1" >&2; rm -f "$t"; exit 1; }}
case "$row" in cham) sleep 30;; esac
if [ "$(wc -c < "$t")" -gt 3000 ]; then
  refuse "Kích thước thư vượt quá giới hạn cho phép của hệ thống lọc thư"
fi
case "$row" in
  quyche) refuse "Thư vi phạm quy chế sử dụng hệ thống thư điện tử của cơ quan";;
  spam) refuse "Message scored 12.4 points and was classified as spam by the content filter";;
  racvi) refuse "Noi dung thu bi bo loc danh gia la thu rac";;
  madoc) refuse "Phát hiện mã độc Trojan.Agent trong tệp đính kèm, thư đã bị chặn";;
  tepexe) refuse "Attachments of type .exe are not permitted by this organisation's mail policy";;
esac
cat "$t"
rm -f "$t"
"""
PROXSMTPD_CONF = """Listen: {address}:{port}
OutAddress: {out}
TempDirectory: {w}/px/tmp
User: nobody
TimeOut: 600
"""
PROXSMTPD_MORE = {
    "px": "FilterCommand: {w}/px/filter.sh\nFilterTimeout: 2\n",
    "pxex": "FilterCommand: {w}/px/filter.sh\nFilterTimeout: 2\n",
    "pxos": "FilterCommand: {w}/px/filter.sh\nFilterTimeout: 2\n",
    "pxrelay": "FilterType: reject\nFilterReject: 550 5.7.1 Relaying denied: authenticate before sending to other domains\n",
    "pxrelayvi": "FilterType: reject\nFilterReject: 554 5.7.1 Không cho phép chuyển tiếp thư qua máy chủ này khi "
    "chưa xác thực\n",
    "pxbusy": "MaxConnections: 2\n",
}
MAIN_CF = FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "") + LMTP_ONCE
MASTER_CF = (
    "\n127.0.0.1:{port_a} inet n - n - - smtpd\n"
    + LISTENER.format(name="pxout", address=ADDRESS["pxout"])
    + "smtp1     unix - - n - 1 smtp\n"  # one delivery at a time to the filtering proxy
    + SERVICES_CF
)
POSTFIX_ROUTES = {
    domain: f"{'lmtp' if listener in LMTP else 'smtp1' if listener == 'px' else 'smtp'}"
    f":[{ADDRESS[listener]}]:{{port_{listener}}}"
    for domain, listener in REMOTES.items()
}
OS_DOMAINS = [
    d for d in REMOTES if any(r.endswith("@" + d) and i[0] == "opensmtpd" for r, i in LABELS.items())
]
# one message per session and one session per host: lmtpd answers a second MAIL FROM in a session "503 5.0.0
# Syntax error"
SMTPD_CONF = "mta limit session-mail-max 1 max-conn-per-host 1\n" + smtpd_conf(
    {**REMOTES, **PER_SENDER["opensmtpd"]}, ADDRESS, OS_DOMAINS
)
for _listener in LMTP:
    SMTPD_CONF = SMTPD_CONF.replace(f"smtp://{ADDRESS[_listener]}", f"lmtp://{ADDRESS[_listener]}")


def _exim_config(w: Path, root: Path, ports: dict[str, int]) -> str:
    text = exim_config(root, w, ports, {**REMOTES, **PER_SENDER["exim"]}, ADDRESS)
    for listener in LMTP:
        text = text.replace(
            f"t_{listener}:\n  driver = smtp\n",
            f"t_{listener}:\n  driver = smtp\n  protocol = lmtp\n  connection_max_messages = 1\n",
        )
    return text


def _users() -> list[str]:
    """Every Mailutils user (not the unknown ones), each delivered as uid 0: lmtpd opens the quota database with
    the user's uid yet wants it owned by the uid it runs as, with no group or other permission."""
    return [*QUOTA, *SIEVE]


def _prepare_mailutils(w: Path, ports: dict[str, int]) -> None:
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "mailutils-mda", "python3-gdbm"],
        check=True, capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )  # fmt: skip
    home = w / "mu/home"
    # the passwd file lmtpd reads is bind-mounted over /etc/passwd while the remotes run: the system users the
    # senders need must be in it first (make_relays.py makes OpenSMTPD's when it is started)
    for user in ("opensmtpd", "opensmtpq"):
        if subprocess.run(["id", user], capture_output=True).returncode:
            subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", user],
                           check=True)  # fmt: skip
    passwd = Path("/etc/passwd").read_text(encoding="utf-8")
    passwd += "".join(f"{user}:x:0:0:{user}:{home / user}:/bin/false\n" for user in _users())
    _write(w / "mu/passwd", passwd)
    (w / "mu/spool").mkdir(parents=True, exist_ok=True)
    for user, script in SIEVE.items():
        _write(home / user / ".sieve", script.replace("{home}", str(home)) + "\n")
    for user, (_, kept) in QUOTA.items():
        maildir = w / "mu/spool" / user
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        _write(
            maildir / f"cur/1796601600.M1P1.mail,S={kept}:2,S", "Subject: cu\n\n" + "x" * (kept - 14) + "\n"
        )
    entries = {user: str(limit) for user, (limit, _) in QUOTA.items()}
    subprocess.run(
        ["/usr/bin/python3", "-c", "import dbm.gnu, sys\nd = dbm.gnu.open(sys.argv[1], 'n')\n"
         "for a in sys.argv[2:]:\n    k, v = a.split('=')\n    d[k.encode()] = v.encode()\nd.close()",
         str(w / "mu/quota.gdbm"), *(f"{k}={v}" for k, v in entries.items())],
        check=True,
    )  # fmt: skip
    (w / "mu/quota.gdbm").chmod(0o600)
    for name in LMTP:
        fill = {"w": w, "name": name, "address": ADDRESS[name], "port": ports[f"port_{name}"],
                "port_a": ports["port_a"], "tempfail": "yes" if name == "mutam" else "no"}  # fmt: skip
        _write(w / f"mu/{name}.conf", LMTPD_CONF.format(**fill))


def _prepare_proxsmtp(w: Path, ports: dict[str, int]) -> None:
    subprocess.run(["apt-get", "download", "proxsmtp"], cwd=w / "debs", check=True, capture_output=True)
    deb = next((w / "debs").glob("proxsmtp_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(w / "debs/proxsmtp")], check=True)
    _write(w / "px/filter.sh", FILTER.format())
    (w / "px/filter.sh").chmod(0o755)
    (w / "px/tmp").mkdir(parents=True, exist_ok=True)
    (w / "px/tmp").chmod(0o1777)
    out = f"{ADDRESS['pxout']}:{ports['port_pxout']}"
    for name in PROXIES:
        fill = {"w": w, "address": ADDRESS[name], "port": ports[f"port_{name}"], "out": out}
        _write(w / f"px/{name}.conf", PROXSMTPD_CONF.format(**fill) + PROXSMTPD_MORE[name].format(**fill))


def _configure(w: Path, ports: dict[str, int]) -> None:
    configure_round(w, ports, MAIN_CF, MASTER_CF, POSTFIX_ROUTES, {})
    prepare_senders(w, lambda root: _exim_config(w, root, ports))
    _prepare_mailutils(w, ports)
    _prepare_proxsmtp(w, ports)
    (w / "mu").chmod(0o755)


def _original(rcpt: str) -> bytes:
    stem = LABELS[rcpt][1]
    more = (
        "Phụ lục: danh mục chỉ tiêu đánh giá mức độ chuyển đổi số.\n" * 50 if stem.endswith("qualon") else ""
    )
    return original(rcpt, f"r16-{stem}", "Khao sat chuyen doi so 2026", more)


@contextlib.contextmanager
def _remotes(w: Path, ports: dict[str, int]) -> Iterator[None]:
    """The lmtpd daemons and proxsmtpd listeners, stopped whatever happens, each by its own process."""
    subprocess.run(["mount", "--bind", str(w / "mu/passwd"), "/etc/passwd"], check=True)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with open(w / "log/remotes.log", "ab") as log:
            for name in LMTP:
                domain = next(d for d, listener in REMOTES.items() if listener == name)
                # exec: the process started is lmtpd itself, in its own UTS namespace
                argv = ["unshare", "-u", "sh", "-c", f'hostname {domain} && exec lmtpd --config-file="$0" --stderr -x l',
                        str(w / f"mu/{name}.conf")]  # fmt: skip
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
            for name in PROXIES:
                argv = [str(w / "debs/proxsmtp/usr/sbin/proxsmtpd"), "-d", "2", "-f", str(w / f"px/{name}.conf"),
                        "-p", str(w / f"px/tmp/{name}.pid")]  # fmt: skip
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
        deadline = time.monotonic() + 20
        for name in (*LMTP, *PROXIES):
            _listening_at(ADDRESS[name], ports[f"port_{name}"], deadline)
        yield
    finally:
        stop(procs)


@contextlib.contextmanager
def _held(ports: dict[str, int]) -> Iterator[None]:
    """Both connections pxbusy allows, each greeted by the server it passes mail to (our Postfix, so once that
    runs), held until the round ends."""
    held: list[socket.socket] = []
    deadline = time.monotonic() + 20
    try:
        while len(held) < 2 and time.monotonic() < deadline:
            sock = socket.create_connection((ADDRESS["pxbusy"], ports["port_pxbusy"]), timeout=10)
            if sock.recv(512).startswith(b"220"):
                held.append(sock)
            else:  # still busy with the probe that found it listening
                sock.close()
                time.sleep(0.3)
        if len(held) < 2:
            raise SystemExit("could not hold pxbusy's connections")
        yield
    finally:
        for sock in held:
            sock.close()


BUSY = tuple(rcpt for rcpt in LABELS if REMOTES[rcpt.split("@")[1]] == "pxbusy")


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    # the rows for pxbusy only once its connections are held (run_round sends Postfix's after this yields)
    senders = {rcpt: info[0] for rcpt, info in LABELS.items() if rcpt not in BUSY}
    with _remotes(w, ports), running_senders(w, ports, SMTPD_CONF, senders, _original), _held(ports):
        exim = [str(w / "debs/root/usr/sbin/exim4"), "-C", str(w / "etc/exim.conf"), "-odi", "-f", SENDER]
        for rcpt in BUSY:
            if LABELS[rcpt][0] == "exim":
                subprocess.run([*exim, rcpt], input=_original(rcpt), check=True)
        yield


def _kind(text: str) -> str:
    head = text.split("\n\n", 1)[0].lower()
    if "delivery-status" not in head and "mailer-daemon" not in head and "subject: warning:" not in head:
        if "auto-submitted: auto-replied" in head or "in-reply-to:" in head:
            return "autoreply"
    return answer_kind(text)


def _found(text: str) -> tuple[str, Label] | None:
    return found_label(text, LABELS, "r16")


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    found = _found(text)
    kind = _kind(text)
    if not found:
        return f"unknown-{kind}-r16-{abs(hash(text)) % 10000}.eml"
    rcpt, (sender, stem, *_) = found
    own = "Reporting-UA: sieve; GNU Mailutils" in text or kind == "autoreply"
    return f"{'mailutils' if own else sender}-{kind}-{stem}-at-{rcpt.split('@')[1]}.eml"


MTA = {
    "postfix": "Postfix 3.7",
    "exim": "Exim 4.96",
    "opensmtpd": "OpenSMTPD 6.8",
    "mailutils": "GNU Mailutils 3.15",
}
WHAT = {"delay": "delay notice", "failed": "notice", "autoreply": "auto-reply"}


def _how(name: str, kind: str, what: str) -> str:
    return f"{MTA[name.split('-')[0]]} {WHAT[kind]}: {what} (round 16, make_round16.py)"


def main() -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("make_round16.py needs root and apt-get: nothing made")
        return
    before = {path.name for path in OUT.glob("*.eml")}
    ports = {name: _free_port() for name in ("port_a", "port_o", *(f"port_{n}" for n in LISTENERS))}
    messages = [(rcpt, _original(rcpt)) for rcpt, info in LABELS.items() if info[0] == "postfix"]
    run_round("realmta-r16-", ports, _configure, _running, messages, sys.maxsize, _name, OUT, wait=75)
    if os.environ.get("REALMTA_NS") == "1" and OUT.exists():
        manifest_rows(OUT, before, _found, _kind, _how)


if __name__ == "__main__":
    main()
