"""Make refusals and failures worded by three mail filter families no earlier round ran, postfwd 1.35 (a Postfix
policy server whose rules give administrators' own texts), gross 1.0.2 (a greylisting and DNSBL policy server)
and clamsmtp 1.10 (clamd's SMTP proxy), as Postfix 3.7, Exim 4.96 and OpenSMTPD 6.8 relay them, for
tests/corpus/realmta (round 17), labelled by construction: LABELS below was written before any mail was made,
and main() writes each answer's row into manifest.csv from it.

As make_round16.py: a mount namespace of its own (run_round of make_filters.py) with make_filters.py's DNS stub
(here also a DNSBL zone listing 127.0.0.1), the private Postfix of make_relays.py (its virtual mailbox keeps what
comes back to our envelope sender), Debian's Exim unpacked (make_exim.py) and OpenSMTPD (make_relays.py) as the
senders. The remote servers, each at a loopback address 127.0.17.x of its own:
- a Postfix smtpd (of the same private instance, discarding what it accepts) whose check_policy_service, at
  RCPT and at the end of DATA, is postfwd1 (as our Postfix's spawn(8) service, one process a client): rules by recipient with administrators' Vietnamese and English texts
  under their own codes (an unknown recipient, a full mailbox, permanent and 452 until the lifetime ends, an
  unknown domain, relaying refused, a spam score, the unit's mail policy) and by size (a message over 4,000
  bytes);
- Postfix smtpd listeners whose policy service is grossd: greylisting every triplet (grey_threshold 0, its own
  "Please try again later." and a Vietnamese grey_reason) until the lifetime ends, and its dnsbl check against
  the stub's zone, which lists the sending host (block_threshold 1: its own "Bad reputation" and a Vietnamese
  block_reason);
- clamsmtpd listeners passing what they accept to a discarding Postfix smtpd, Action bounce, over a clamd 1.4
  whose database is one custom signature written here for the EICAR test string (no signature download is
  possible or needed): the string in the body and in a base64 attachment; and one whose clamd address nothing
  listens on ("451 Local Error" until the lifetime ends).
Every original carries a marker header naming its row. 45 answers came back (8 delay notices), 37 with a reason.
Tried and not kept, as the construction failed: postfwd1 as a daemon (without --daemon it answers only its
standard input: run by spawn(8) instead); OpenSMTPD's refused-at-end-of-DATA message on the listener its other
rows used (the session's next MAIL got "503 5.5.1 Error: nested MAIL command", also with session-mail-max 1).
Scored once with the code of the time, before any rule for them (held out): reason 29/37 = 78.4% (postfwd 17/22,
gross 6/9, clamsmtp 6/6; HOLD 7/12, TUNE 22/25), hard/soft, kind and recipient 45/45; all 577 then: reason 458/494 =
92.7%, hard 573/577. After the general rules written from TUNE's misses (see tests/corpus/test_realmta.py): HOLD
8/12, TUNE 25/25; all 577: reason 462/494 = 93.5%.
Needs root and ``apt-get install`` (postfwd, gross, clamsmtp, which brings clamav-daemon; their own services are
neither started nor touched). Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps the
work folder and its logs. It is not a test: CI reads only the .eml files and manifest.csv it wrote.
Usage: python3 tests/corpus/realmta/make_round17.py
"""

from __future__ import annotations

import base64
import contextlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_filters  # noqa: E402
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_filters import _listening, run_round, stop  # noqa: E402
from make_filters2 import CLAMD_CONF  # noqa: E402
from make_relays import EICAR, SERVICES_CF, _free_port, _write  # noqa: E402
from make_round11a import _listening_at  # noqa: E402
from make_round12 import answer_kind, prepare_senders, running_senders  # noqa: E402
from make_round13 import LISTENER, configure_round, exim_config, original, smtpd_conf  # noqa: E402
from make_round14 import Label, found_label, manifest_rows  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the remote servers: domain -> listener
REMOTES = {
    "quyche.example.vn": "fwd",  # Postfix smtpd + postfwd
    "hoanxam.example.vn": "grey",  # Postfix smtpd + grossd, greylisting, its own text
    "hoanxamvi.example.vn": "greyvi",  # the same, a Vietnamese grey_reason
    "danhgia.example.vn": "bl",  # Postfix smtpd + grossd, dnsbl block, its own text
    "danhgiavi.example.vn": "blvi",  # the same, a Vietnamese block_reason
    "quetvirus.example.vn": "clam",  # clamsmtpd + clamd
    "quetloi.example.vn": "clamdown",  # clamsmtpd, nothing at its clamd address
}
# OpenSMTPD's message refused at the end of DATA goes to a listener of its own (the same postfwd): the session it
# shared with the next row's answered that row's MAIL "503 5.5.1 Error: nested MAIL command" (the first runs)
LISTENERS = (*REMOTES.values(), "clamout", "fwdeod")
ADDRESS = {name: f"127.0.17.{i}" for i, name in enumerate(LISTENERS, 1)}
GROSS = ("grey", "greyvi", "bl", "blvi")
CLAMS = ("clam", "clamdown")
DNSBL = "bl.kiemtra.example.vn"
# recipient -> (the sender, the file's stem, reason, hard, what is provoked). The labels, by the corpus
# conventions: a final notice whose transient reply says why is labelled by those words (round 16's proxsmtp
# FilterTimeout, "451 Local Error", systemerror); greylisting until the lifetime ends is expired (rounds 3-11);
# every delay notice is kind delay, no reason, not hard.
LABELS: dict[str, Label] = {
    # postfwd rules
    "pf.khongco@quyche.example.vn": (
        "postfix", "pf.khongco", "userunknown", "1", "postfwd: 550 5.1.1, a Vietnamese no-such-recipient text",
    ),
    "ex.khongco@quyche.example.vn": (
        "exim", "ex.khongco", "userunknown", "1", "postfwd: 550 5.1.1, a Vietnamese no-such-recipient text",
    ),
    "os.nouser@quyche.example.vn": (
        "opensmtpd", "os.nouser", "userunknown", "1", "postfwd: 550 5.1.1, an English no-such-mailbox text",
    ),
    "pf.day@quyche.example.vn": ("postfix", "pf.day", "mailboxfull", "0", "postfwd: 552 5.2.2, a Vietnamese mailbox-full text"),
    "os.day@quyche.example.vn": ("opensmtpd", "os.day", "mailboxfull", "0", "postfwd: 552 5.2.2, a Vietnamese mailbox-full text"),
    "pf.daytam@quyche.example.vn": (
        "postfix", "pf.daytam", "mailboxfull", "0", "postfwd: 452 4.2.2 over quota (English) until the queue lifetime ends",
    ),
    "ex.daytam@quyche.example.vn": (
        "exim", "ex.daytam", "mailboxfull", "0", "postfwd: 452 4.2.2 over quota (English) until the retry rule times out",
    ),
    "pf.mien@quyche.example.vn": (
        "postfix", "pf.mien", "hostunknown", "1", "postfwd: 550 5.1.2, a Vietnamese no-such-domain text",
    ),
    "ex.domain@quyche.example.vn": (
        "exim", "ex.domain", "hostunknown", "1", "postfwd: 550 5.1.2, an English no-such-domain text",
    ),
    "pf.relay@quyche.example.vn": ("postfix", "pf.relay", "norelaying", "0", "postfwd: 554 5.7.1 relaying refused (Vietnamese)"),
    "ex.relay@quyche.example.vn": ("exim", "ex.relay", "norelaying", "0", "postfwd: 554 5.7.1 relaying refused (Vietnamese)"),
    "os.relay@quyche.example.vn": ("opensmtpd", "os.relay", "norelaying", "0", "postfwd: 554 5.7.1 relaying refused (English)"),
    "pf.qualon@quyche.example.vn": (
        "postfix", "pf.qualon", "mesgtoobig", "0", "postfwd: size over 4000 bytes, 552 5.3.4 (Vietnamese)",
    ),
    "ex.qualon@quyche.example.vn": (
        "exim", "ex.qualon", "mesgtoobig", "0", "postfwd: size over 4000 bytes, 552 5.3.4 (Vietnamese)",
    ),
    "os.toobig@quyche.example.vn": (
        "opensmtpd", "os.toobig", "mesgtoobig", "0", "postfwd: size over 4000 bytes, 552 5.3.4 (English)",
    ),
    "pf.rac@quyche.example.vn": ("postfix", "pf.rac", "spamdetected", "0", "postfwd: 550 5.7.1 a spam score over the threshold (English)"),
    "os.rac@quyche.example.vn": ("opensmtpd", "os.rac", "spamdetected", "0", "postfwd: 550 5.7.1 a spam score over the threshold (English)"),
    "ex.racvi@quyche.example.vn": ("exim", "ex.racvi", "spamdetected", "0", "postfwd: 550 5.7.1 judged spam (Vietnamese)"),
    "pf.chinhsach@quyche.example.vn": (
        "postfix", "pf.chinhsach", "policyviolation", "0", "postfwd: 550 5.7.1 the unit's information security policy (Vietnamese)",
    ),
    "ex.chinhsach@quyche.example.vn": (
        "exim", "ex.chinhsach", "policyviolation", "0", "postfwd: 550 5.7.1 the unit's information security policy (Vietnamese)",
    ),
    "os.chinhsach@quyche.example.vn": (
        "opensmtpd", "os.chinhsach", "policyviolation", "0",
        "postfwd: 550 5.7.1 the unit's information security policy (Vietnamese)",
    ),
    "pf.policy@quyche.example.vn": (
        "postfix", "pf.policy", "policyviolation", "0", "postfwd: 550 5.7.1 the organisation's e-mail policy (English)",
    ),
    # grossd
    "pf.xam@hoanxam.example.vn": ("postfix", "pf.xam", "expired", "0", "grossd greylisting, its own text, until the queue lifetime ends"),
    "ex.xam@hoanxam.example.vn": ("exim", "ex.xam", "expired", "0", "grossd greylisting, its own text, until the retry rule times out"),
    "os.xam@hoanxam.example.vn": ("opensmtpd", "os.xam", "expired", "0", "grossd greylisting, its own text, until the queue ttl"),
    "pf.xamvi@hoanxamvi.example.vn": (
        "postfix", "pf.xamvi", "expired", "0", "grossd greylisting, a Vietnamese grey_reason, until the queue lifetime ends",
    ),
    "pf.den@danhgia.example.vn": ("postfix", "pf.den", "blocked", "0", "grossd dnsbl: the sending host listed, its own block text"),
    "ex.den@danhgia.example.vn": ("exim", "ex.den", "blocked", "0", "grossd dnsbl: the sending host listed, its own block text"),
    "os.den@danhgia.example.vn": ("opensmtpd", "os.den", "blocked", "0", "grossd dnsbl: the sending host listed, its own block text"),
    "pf.denvi@danhgiavi.example.vn": (
        "postfix", "pf.denvi", "blocked", "0", "grossd dnsbl: the sending host listed, a Vietnamese block_reason",
    ),
    "os.denvi@danhgiavi.example.vn": (
        "opensmtpd", "os.denvi", "blocked", "0", "grossd dnsbl: the sending host listed, a Vietnamese block_reason",
    ),
    # clamsmtpd
    "pf.virus@quetvirus.example.vn": ("postfix", "pf.virus", "virusdetected", "0", "clamsmtp Action bounce: the EICAR string in the body"),
    "ex.virus@quetvirus.example.vn": ("exim", "ex.virus", "virusdetected", "0", "clamsmtp Action bounce: the EICAR string in the body"),
    "os.virus@quetvirus.example.vn": ("opensmtpd", "os.virus", "virusdetected", "0", "clamsmtp Action bounce: the EICAR string in the body"),
    "pf.dinhkem@quetvirus.example.vn": (
        "postfix", "pf.dinhkem", "virusdetected", "0", "clamsmtp Action bounce: the EICAR string in a base64 attachment",
    ),
    "pf.loi@quetloi.example.vn": (
        "postfix", "pf.loi", "systemerror", "0", "clamsmtp with no clamd: 451 Local Error until the queue lifetime ends",
    ),
    "ex.loi@quetloi.example.vn": (
        "exim", "ex.loi", "systemerror", "0", "clamsmtp with no clamd: 451 Local Error until the retry rule times out",
    ),
}  # fmt: skip
# postfwd's rules: recipient's local part -> its action (the size rule first: the only one keyed otherwise)
VI_SIZE = "552 5.3.4 Thư vượt quá kích thước tối đa cho phép của đơn vị (4 KB)"
EN_SIZE = "552 5.3.4 Message size exceeds the limit set by the mail policy of this site"
POSTFWD_RULES = {
    "pf.khongco|ex.khongco": "550 5.1.1 Người nhận không tồn tại trong hệ thống thư điện tử của đơn vị",
    "os.nouser": "550 5.1.1 No such mailbox at this organisation",
    "pf.day|os.day": "552 5.2.2 Hộp thư của người nhận đã hết dung lượng lưu trữ",
    "pf.daytam|ex.daytam": "452 4.2.2 Mailbox over quota, please try again later",
    "pf.mien": "550 5.1.2 Tên miền của người nhận không tồn tại",
    "ex.domain": "550 5.1.2 Recipient domain does not exist in this mail system",
    "pf.relay|ex.relay": "554 5.7.1 Máy chủ không cho phép chuyển tiếp thư đến tên miền này",
    "os.relay": "554 5.7.1 Relay access denied by policy, this host does not relay for your network",
    "pf.rac|os.rac": "550 5.7.1 Spam score too high (9.8, threshold 5.0), message refused",
    "ex.racvi": "550 5.7.1 Thư bị hệ thống chống thư rác đánh giá là thư rác (điểm 9,8)",
    "pf.chinhsach|ex.chinhsach|os.chinhsach": "550 5.7.1 Thư không tuân thủ chính sách an toàn thông tin của đơn vị",
    "pf.policy": "550 5.7.1 Message refused, it does not comply with the organisation's e-mail policy",
}
BIG = ("pf.qualon", "ex.qualon", "os.toobig")
GROSS_CONF = """host = 127.0.0.1
port = {port}
protocol = postfix
grey_delay = 3600
{more}"""
GROSS_MORE = {
    "grey": "grey_threshold = 0\n",
    "greyvi": "grey_threshold = 0\ngrey_reason = Máy chủ đang áp dụng danh sách xám, xin vui lòng gửi lại sau\n",
    "bl": f"check = dnsbl\ndnsbl = {DNSBL}\nblock_threshold = 1\ngrey_threshold = 5\n",
    "blvi": f"check = dnsbl\ndnsbl = {DNSBL}\nblock_threshold = 1\ngrey_threshold = 5\n"
    "block_reason = Máy chủ gửi có tên trong danh sách chặn thư rác, thư bị từ chối\n",
}
SIGNATURE = f"Eicar-Test-Signature:0:*:{EICAR.encode().hex()}\n"
CLAMSMTPD_CONF = """Listen: {address}:{port}
OutAddress: {out}
ClamAddress: 127.0.0.1:{clamd}
TempDirectory: {w}/tmp
Action: bounce
Header:
TimeOut: 600
"""
_OPTIONS = {
    "fwd": "-o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{pol_fwd},permit"
    " -o smtpd_end_of_data_restrictions=check_policy_service,inet:127.0.0.1:{pol_fwd}",
    **{
        name: f"-o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{{pol_{name}}},permit"
        for name in GROSS
    },
    "clamout": "",
}
_OPTIONS["fwdeod"] = _OPTIONS["fwd"]
MAIN_CF = (
    FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "") + "smtpd_policy_service_timeout = 30s\n"
)
MASTER_CF = (
    "\n127.0.0.1:{port_a} inet n - n - - smtpd\n"
    + "".join(
        LISTENER.format(name=name, address=ADDRESS[name])
        + (f"  {_OPTIONS[name]}\n" if _OPTIONS[name] else "")
        for name in ("fwd", "fwdeod", *GROSS, "clamout")
    )
    # postfwd1 without --daemon answers one client on its standard input and output, as spawn(8) runs it
    + "127.0.0.1:{pol_fwd} inet n n n - 0 spawn user=nobody argv={w}/etc/postfwd.sh\n"
    + SERVICES_CF
)
POSTFWD_SH = "#!/bin/sh\nexec /usr/sbin/postfwd1 -n -f {w}/etc/postfwd.cf 2>>{w}/log/postfwd.log\n"
POSTFIX_ROUTES = {
    domain: f"smtp:[{ADDRESS[listener]}]:{{port_{listener}}}" for domain, listener in REMOTES.items()
}
OS_DOMAINS = [
    d for d in REMOTES if any(r.endswith("@" + d) and i[0] == "opensmtpd" for r, i in LABELS.items())
]
SMTPD_CONF = smtpd_conf(REMOTES, ADDRESS, OS_DOMAINS).replace(
    '\naction "fwd" ',
    f'\naction "fwdeod" relay host smtp://{ADDRESS["fwdeod"]}:{{port_fwdeod}}\n'
    'match from any for rcpt-to "os.toobig@quyche.example.vn" action "fwdeod"\naction "fwd" ',
    1,
)
POLICY_PORTS = ("pol_fwd", *(f"pol_{name}" for name in GROSS), "clamd", "closed")


def _postfwd_rules() -> str:
    rules = [f"id=SIZE{i}; recipient=^{stem.replace('.', '[.]')}@; size=4000; action={EN_SIZE if stem.startswith('os.') else VI_SIZE}"
             for i, stem in enumerate(BIG)]  # fmt: skip
    for i, (stems, action) in enumerate(POSTFWD_RULES.items()):
        pattern = "|".join(stem.replace(".", "[.]") for stem in stems.split("|"))
        rules.append(f"id=R{i:02d}; recipient=^({pattern})@; action={action}")
    return "\n".join(rules) + "\n"


def _configure(w: Path, ports: dict[str, int]) -> None:
    configure_round(w, ports, MAIN_CF, MASTER_CF, POSTFIX_ROUTES, {})
    prepare_senders(w, lambda root: exim_config(root, w, ports, REMOTES, ADDRESS))
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "postfwd", "gross", "clamsmtp"],
        check=True, capture_output=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )  # fmt: skip
    _write(w / "etc/postfwd.cf", _postfwd_rules())
    _write(w / "etc/postfwd.sh", POSTFWD_SH.format(w=w))
    (w / "etc/postfwd.sh").chmod(0o755)
    for name in GROSS:
        text = GROSS_CONF.format(port=ports[f"pol_{name}"], more=GROSS_MORE[name])
        _write(w / f"etc/grossd-{name}.conf", text)
    fill = {"w": w, **ports}
    _write(w / "clamdb/khaosat.ndb", SIGNATURE)
    _write(w / "etc/clamd.conf", CLAMD_CONF.format(**fill))
    out = f"{ADDRESS['clamout']}:{ports['port_clamout']}"
    for name in CLAMS:
        clamd = ports["clamd"] if name == "clam" else ports["closed"]
        text = CLAMSMTPD_CONF.format(
            address=ADDRESS[name], port=ports[f"port_{name}"], out=out, w=w, clamd=clamd
        )
        _write(w / f"etc/clamsmtpd-{name}.conf", text)
    for sub in ("tmp", "run"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    (w / "tmp").chmod(0o1777)


def _original(rcpt: str) -> bytes:
    stem = LABELS[rcpt][1]
    marker = f"r17-{stem}"
    subject = "Khao sat chuyen doi so 2026"
    if stem in BIG:
        return original(
            rcpt, marker, subject, "Phụ lục: danh mục chỉ tiêu đánh giá mức độ chuyển đổi số.\n" * 80
        )
    if stem.endswith(".virus"):
        return original(rcpt, marker, subject, EICAR + "\n")
    if stem == "pf.dinhkem":
        part = base64.b64encode(EICAR.encode()).decode()
        return (
            f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: {subject}\n"
            f"X-Khao-Sat-Ma: {marker}\n"
            "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Mon, 07 Dec 2026 08:00:00 +0700\n"
            'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="ranh-gioi"\n\n--ranh-gioi\n'
            "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
            "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị xem tệp đính kèm.\n--ranh-gioi\n"
            'Content-Type: application/octet-stream; name="phieu.com"\nContent-Transfer-Encoding: base64\n'
            f'Content-Disposition: attachment; filename="phieu.com"\n\n{part}\n--ranh-gioi--\n'
        ).encode()
    return original(rcpt, marker, subject)


@contextlib.contextmanager
def _remotes(w: Path, ports: dict[str, int]) -> Iterator[None]:
    """clamd, the clamsmtpd listeners and the grossd daemons (postfwd is our Postfix's spawn service), stopped whatever happens, each by its own
    process."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        with open(w / "log/remotes.log", "ab") as log:
            procs.append(subprocess.Popen(["clamd", "-c", str(w / "etc/clamd.conf")],
                                          stdin=subprocess.DEVNULL, stdout=log, stderr=log))  # fmt: skip
            argvs = [
                *(["grossd", "-d", "-r", "-f", str(w / f"etc/grossd-{name}.conf")] for name in GROSS),
                *([str(shutil.which("clamsmtpd")), "-d", "2", "-f", str(w / f"etc/clamsmtpd-{name}.conf"),
                   "-p", str(w / f"run/clamsmtpd-{name}.pid")] for name in CLAMS),
            ]  # fmt: skip
            for argv in argvs:
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
        deadline = time.monotonic() + 90
        for port in ("clamd", *(f"pol_{name}" for name in GROSS)):
            _listening(ports[port], deadline)
        for name in CLAMS:
            _listening_at(ADDRESS[name], ports[f"port_{name}"], deadline)
        yield
    finally:
        stop(procs)


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    senders = {rcpt: info[0] for rcpt, info in LABELS.items()}
    with _remotes(w, ports), running_senders(w, ports, SMTPD_CONF, senders, _original):
        yield


def _found(text: str) -> tuple[str, Label] | None:
    return found_label(text, LABELS, "r17")


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    found = _found(text)
    kind = answer_kind(text)
    if not found:
        return f"unknown-{kind}-r17-{abs(hash(text)) % 10000}.eml"
    rcpt, (sender, stem, *_) = found
    return f"{sender}-{kind}-{stem}-at-{rcpt.split('@')[1]}.eml"


MTA = {"postfix": "Postfix 3.7", "exim": "Exim 4.96", "opensmtpd": "OpenSMTPD 6.8"}
WHAT = {"delay": "delay notice", "failed": "notice"}


def _how(name: str, kind: str, what: str) -> str:
    return f"{MTA[name.split('-')[0]]} {WHAT[kind]}: {what} (round 17, make_round17.py)"


def main() -> None:
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        print("make_round17.py needs root and apt-get: nothing made")
        return
    make_filters.ADDRESSES["1.0.0.127." + DNSBL] = "127.0.0.2"
    before = {path.name for path in OUT.glob("*.eml")}
    ports = {
        name: _free_port() for name in ("port_a", "port_o", *(f"port_{n}" for n in LISTENERS), *POLICY_PORTS)
    }
    messages = [(rcpt, _original(rcpt)) for rcpt, info in LABELS.items() if info[0] == "postfix"]
    run_round("realmta-r17-", ports, _configure, _running, messages, sys.maxsize, _name, OUT, wait=75)
    if os.environ.get("REALMTA_NS") == "1" and OUT.exists():
        manifest_rows(OUT, before, _found, answer_kind, _how)


if __name__ == "__main__":
    main()
