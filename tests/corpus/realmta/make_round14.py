"""Make failures and notices no earlier round provoked, as Postfix 3.7, Exim 4.96 and OpenSMTPD 6.8 word them in
their own bounces, delay notices and success notices, for tests/corpus/realmta (round 14), labelled by
construction: LABELS below was written before any mail was made, and main() writes each answer's row into
manifest.csv from it.

As make_round13.py: a mount namespace of its own (run_round of make_filters.py) with make_filters.py's DNS stub
(NXDOMAIN for every name here, PTR records too), the private Postfix of make_relays.py (its virtual mailbox keeps
what comes back to our envelope sender), Debian's Exim unpacked (make_exim.py) and OpenSMTPD (make_relays.py).
The same Postfix plays the remote servers as smtpd listeners, each at a loopback address of its own:
check_recipient_access with administrators' own texts in English and Vietnamese (a locked mailbox, an address
not in the government mail system, a full mailbox under 5.7.1, a transferred official, an inactive account, a
quota deferral); reject_unauth_destination (relay access denied); reject_unknown_helo_hostname and
reject_unknown_client_hostname (code 550); reject_plaintext_session (code 554); anvil's
smtpd_client_message_rate_limit and smtpd_client_connection_rate_limit (loopback not exempt); a cleanup whose
header_checks refuse an RFC 2047 Subject:, another whose body_checks refuse the body as bulk advertising, both
with Vietnamese texts; queue_minfree larger than the disk (452 4.3.1 at MAIL); relocated_maps (User has moved
to). Our Postfix also delivers locally through local(8) to a mailbox over mailbox_size_limit, and sends with
DSN NOTIFY=SUCCESS (a success notice) and NOTIFY=DELAY (a delay notice and no failure notice).
Every original carries an RFC 2047 Subject: and a marker header naming its row.
Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps the work folder and its logs.
Needs root and ``apt-get download``.
Usage: python3 tests/corpus/realmta/make_round14.py
"""

from __future__ import annotations

import contextlib
import csv
import email.header
import os
import smtplib
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_filters import SENDER, run_round  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write  # noqa: E402
from make_round12 import answer_kind, prepare_senders, running_senders  # noqa: E402
from make_round13 import LISTENER, configure_round, exim_config, original, smtpd_conf  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# a row's label: the sender, the file's stem, reason, hard, what is provoked
Label = tuple[str, str, str, str, str]
# the remote listeners (our Postfix's smtpd): domain -> listener
REMOTES = {
    "hopcv.example.vn": "rcpt",
    "trunggian.example.vn": "norelay",
    "xacminhhelo.example.vn": "helo",
    "tenmay.example.vn": "ptr",
    "mahoa.example.vn": "plain",
    "tocdo.example.vn": "rate",
    "ketnoinhieu.example.vn": "conn",
    "tieude.example.vn": "hdr",
    "noidung.example.vn": "body",
    "odia.example.vn": "disk",
    "chuyendi.example.vn": "reloc",
    "thanhcong.example.vn": "ok",
}
LISTENERS = ("rcpt", "norelay", "helo", "ptr", "plain", "rate", "conn", "hdr", "body", "disk", "reloc", "ok")
ADDRESS = {name: f"127.0.14.{i}" for i, name in enumerate(LISTENERS, 1)}
# the address our senders use towards the listener that wants a host name (no PTR record for it)
NO_PTR = "127.0.14.100"
# recipient -> (the sender, the file's stem, reason, hard, what is provoked). The labels: the reason the
# provoked failure names, by the corpus conventions (a final notice of Postfix whose transient reply says why
# is labelled by those words; Exim's "retry timeout exceeded" and OpenSMTPD's "Envelope expired" are expired);
# every delay notice is kind delay, no reason, not hard; the success notice is kind and reason delivered.
LABELS: dict[str, Label] = {
    # check_recipient_access with administrators' own texts
    "pf.bikhoa@hopcv.example.vn": ("postfix", "pf.bikhoa", "suspend", "0", "550 5.7.1 the mailbox is locked (Vietnamese)"),
    "ex.bikhoa@hopcv.example.vn": ("exim", "ex.bikhoa", "suspend", "0", "550 5.7.1 the mailbox is locked (Vietnamese)"),
    "os.bikhoa@hopcv.example.vn": (
        "opensmtpd", "os.bikhoa", "suspend", "0", "550 5.7.1 the mailbox is locked (Vietnamese)",
    ),
    "pf.congvu@hopcv.example.vn": (
        "postfix", "pf.congvu", "userunknown", "1",
        "550 without an enhanced code: the recipient is not in the government mail system (Vietnamese)",
    ),
    "ex.congvu@hopcv.example.vn": (
        "exim", "ex.congvu", "userunknown", "1",
        "550 without an enhanced code: the recipient is not in the government mail system (Vietnamese)",
    ),
    "os.congvu@hopcv.example.vn": (
        "opensmtpd", "os.congvu", "userunknown", "1",
        "550 without an enhanced code: the recipient is not in the government mail system (Vietnamese)",
    ),
    "pf.ngungdung@hopcv.example.vn": (
        "postfix", "pf.ngungdung", "suspend", "0", "550 5.7.1 the e-mail account is no longer in use (Vietnamese)",
    ),
    "pf.dungluong@hopcv.example.vn": (
        "postfix", "pf.dungluong", "mailboxfull", "0", "552 5.7.1 the mailbox is over its allowed size (Vietnamese)",
    ),
    "ex.dungluong@hopcv.example.vn": (
        "exim", "ex.dungluong", "mailboxfull", "0", "552 5.7.1 the mailbox is over its allowed size (Vietnamese)",
    ),
    "pf.chuyenct@hopcv.example.vn": (
        "postfix", "pf.chuyenct", "hasmoved", "1",
        "550 5.7.1 the official was transferred to another unit (Vietnamese)",
    ),
    "os.chuyenct@hopcv.example.vn": (
        "opensmtpd", "os.chuyenct", "hasmoved", "1",
        "550 5.7.1 the official was transferred to another unit (Vietnamese)",
    ),
    "pf.vohieu@hopcv.example.vn": (
        "postfix", "pf.vohieu", "suspend", "0", "550 5.7.1 the account has been disabled by the administrator",
    ),
    "ex.vohieu@hopcv.example.vn": (
        "exim", "ex.vohieu", "suspend", "0", "550 5.7.1 the account has been disabled by the administrator",
    ),
    "pf.khonghd@hopcv.example.vn": (
        "postfix", "pf.khonghd", "suspend", "0", "550 5.7.1 mailbox inactive, no sign-in for over 12 months",
    ),
    "pf.khongthay@hopcv.example.vn": ("postfix", "pf.khongthay", "userunknown", "1", "550 5.7.1 no such recipient here"),
    "ex.khongthay@hopcv.example.vn": ("exim", "ex.khongthay", "userunknown", "1", "550 5.7.1 no such recipient here"),
    "pf.hetcho@hopcv.example.vn": (
        "postfix", "pf.hetcho", "mailboxfull", "0",
        "452 4.2.2 quota exceeded, try again later, until the queue lifetime ends (the words say why)",
    ),
    "pf.ipden@hopcv.example.vn": (
        "postfix", "pf.ipden", "blocked", "0",
        "554 5.7.1 the sending server's IP address is blocked for spreading spam (Vietnamese)",
    ),
    # reject_unauth_destination
    "ex.trunggian@trunggian.example.vn": (
        "exim", "ex.trunggian", "norelaying", "0", "reject_unauth_destination: Relay access denied",
    ),
    "os.trunggian@trunggian.example.vn": (
        "opensmtpd", "os.trunggian", "norelaying", "0", "reject_unauth_destination: Relay access denied",
    ),
    # reject_unknown_helo_hostname (Postfix's own HELO: round 3)
    "ex.helo@xacminhhelo.example.vn": (
        "exim", "ex.helo", "blocked", "0", "reject_unknown_helo_hostname (code 550): our HELO name has no address",
    ),
    "os.helo@xacminhhelo.example.vn": (
        "opensmtpd", "os.helo", "blocked", "0",
        "reject_unknown_helo_hostname (code 550): our HELO name has no address",
    ),
    # reject_unknown_client_hostname
    "pf.ptr@tenmay.example.vn": (
        "postfix", "pf.ptr", "requireptr", "0",
        f"reject_unknown_client_hostname (code 550), sent from {NO_PTR} which has no PTR record",
    ),
    "ex.ptr@tenmay.example.vn": (
        "exim", "ex.ptr", "requireptr", "0",
        f"reject_unknown_client_hostname (code 550), sent from {NO_PTR} which has no PTR record",
    ),
    # reject_plaintext_session
    "pf.mahoa@mahoa.example.vn": (
        "postfix", "pf.mahoa", "failedstarttls", "0",
        "reject_plaintext_session (code 554): the session must be encrypted, we send in plain text",
    ),
    "ex.mahoa@mahoa.example.vn": (
        "exim", "ex.mahoa", "failedstarttls", "0",
        "reject_plaintext_session (code 554): the session must be encrypted, we send in plain text",
    ),
    # anvil: smtpd_client_message_rate_limit 1 (a first message spends it)
    "pf.toc@tocdo.example.vn": (
        "postfix", "pf.toc", "speeding", "0",
        "smtpd_client_message_rate_limit 1: 450 4.7.1 too much mail at MAIL until the queue lifetime ends",
    ),
    "ex.toc@tocdo.example.vn": (
        "exim", "ex.toc", "expired", "0",
        "smtpd_client_message_rate_limit 1: 450 4.7.1 too much mail at MAIL until the retry rule times out",
    ),
    "os.toc@tocdo.example.vn": (
        "opensmtpd", "os.toc", "expired", "0",
        "smtpd_client_message_rate_limit 1: 450 4.7.1 too much mail at MAIL until the queue ttl ends",
    ),
    # anvil: smtpd_client_connection_rate_limit 1 (a first connection spends it)
    "pf.ketnoi@ketnoinhieu.example.vn": (
        "postfix", "pf.ketnoi", "toomanyconn", "0",
        "smtpd_client_connection_rate_limit 1: 421 4.7.0 too many connections until the queue lifetime ends",
    ),
    "pf.chamtre@ketnoinhieu.example.vn": (
        "postfix", "pf.chamtre", "", "0",
        "DSN NOTIFY=DELAY to the connection-rate-limited listener: a delay notice and no failure notice",
    ),
    # cleanup's header_checks and body_checks with Vietnamese texts
    "pf.tieude@tieude.example.vn": (
        "postfix", "pf.tieude", "filtered", "0",
        "header_checks REJECT of the RFC 2047 Subject: by the unit's mail filter rules (Vietnamese)",
    ),
    "ex.tieude@tieude.example.vn": (
        "exim", "ex.tieude", "filtered", "0",
        "header_checks REJECT of the RFC 2047 Subject: by the unit's mail filter rules (Vietnamese)",
    ),
    "pf.noidung@noidung.example.vn": (
        "postfix", "pf.noidung", "spamdetected", "0",
        "body_checks REJECT: the spam filter refuses the body as bulk advertising (Vietnamese)",
    ),
    "os.noidung@noidung.example.vn": (
        "opensmtpd", "os.noidung", "spamdetected", "0",
        "body_checks REJECT: the spam filter refuses the body as bulk advertising (Vietnamese)",
    ),
    # queue_minfree over the free disk space: 452 4.3.1 at MAIL
    "pf.odia@odia.example.vn": (
        "postfix", "pf.odia", "systemfull", "0",
        "queue_minfree over the free disk: 452 4.3.1 Insufficient system storage until the queue lifetime ends",
    ),
    # relocated_maps
    "pf.chuyendi@chuyendi.example.vn": (
        "postfix", "pf.chuyendi", "hasmoved", "1", "relocated_maps: 550 5.1.6 User has moved to another address",
    ),
    "ex.chuyendi@chuyendi.example.vn": (
        "exim", "ex.chuyendi", "hasmoved", "1", "relocated_maps: 550 5.1.6 User has moved to another address",
    ),
    # DSN NOTIFY=SUCCESS to a listener that accepts
    "pf.thanhcong@thanhcong.example.vn": (
        "postfix", "pf.thanhcong", "delivered", "0", "DSN NOTIFY=SUCCESS: the remote accepts (a success notice)",
    ),
    # local(8): a mailbox over mailbox_size_limit
    "mbox.day@noibo.example.vn": (
        "postfix", "mbox.day", "mailboxfull", "0",
        "local(8) mailbox of nobody already near mailbox_size_limit 5000: appending overflows it (File too large)",
    ),
}  # fmt: skip
# DSN options per recipient (the others: none)
NOTIFY = {
    "pf.chamtre@ketnoinhieu.example.vn": "NOTIFY=DELAY",
    "pf.thanhcong@thanhcong.example.vn": "NOTIFY=SUCCESS",
}
# spends the message rate of the rate-limited listener before the others come (sent by Exim first; accepted)
WARMUP = "mo.dau@tocdo.example.vn"
RCPT_ACCESS = """pf.bikhoa@hopcv.example.vn 550 5.7.1 Hộp thư đã bị khóa
ex.bikhoa@hopcv.example.vn 550 5.7.1 Hộp thư đã bị khóa
os.bikhoa@hopcv.example.vn 550 5.7.1 Hộp thư đã bị khóa
pf.congvu@hopcv.example.vn 550 Người nhận không tồn tại trong hệ thống hộp thư công vụ
ex.congvu@hopcv.example.vn 550 Người nhận không tồn tại trong hệ thống hộp thư công vụ
os.congvu@hopcv.example.vn 550 Người nhận không tồn tại trong hệ thống hộp thư công vụ
pf.ngungdung@hopcv.example.vn 550 5.7.1 Tài khoản thư điện tử đã ngừng sử dụng
pf.dungluong@hopcv.example.vn 552 5.7.1 Hộp thư vượt quá dung lượng cho phép
ex.dungluong@hopcv.example.vn 552 5.7.1 Hộp thư vượt quá dung lượng cho phép
pf.chuyenct@hopcv.example.vn 550 5.7.1 Cán bộ đã chuyển công tác sang đơn vị khác
os.chuyenct@hopcv.example.vn 550 5.7.1 Cán bộ đã chuyển công tác sang đơn vị khác
pf.vohieu@hopcv.example.vn 550 5.7.1 This account has been disabled by the administrator
ex.vohieu@hopcv.example.vn 550 5.7.1 This account has been disabled by the administrator
pf.khonghd@hopcv.example.vn 550 5.7.1 Mailbox inactive: the user has not signed in for over 12 months
pf.khongthay@hopcv.example.vn 550 5.7.1 No such recipient here
ex.khongthay@hopcv.example.vn 550 5.7.1 No such recipient here
pf.hetcho@hopcv.example.vn 452 4.2.2 Quota exceeded, please try again later
pf.ipden@hopcv.example.vn 554 5.7.1 Địa chỉ IP máy chủ gửi bị chặn do phát tán thư rác
"""
HEADER_CHECKS = "/^Subject:/ REJECT 5.7.1 Tiêu đề thư không được chấp nhận theo quy tắc lọc thư của đơn vị\n"
BODY_CHECKS = "/2026, xin anh/ REJECT 5.7.1 Thư có dấu hiệu quảng cáo hàng loạt, bị bộ lọc thư rác từ chối\n"
RELOCATED = (
    "pf.chuyendi@chuyendi.example.vn pf.chuyendi@sonv.example.vn\n"
    "ex.chuyendi@chuyendi.example.vn ex.chuyendi@sonv.example.vn\n"
)
# qualified: a bare name would take myorigin's domain
ALIASES = "mbox.day nobody@noibo.example.vn\n"
MAIN_CF = (
    FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "")
    .replace("mydestination =\n", "mydestination = noibo.example.vn chuyendi.example.vn\n")
    .replace("alias_maps =\n", "alias_maps = texthash:{w}/etc/aliases\n")
    + """default_privs = nobody
mail_spool_directory = {w}/mail
anvil_rate_time_unit = 600s
relocated_maps = texthash:{w}/etc/relocated
"""
)
_OPTIONS = {
    "rcpt": "-o smtpd_recipient_restrictions=check_recipient_access,texthash:{w}/etc/rcpt,permit",
    "norelay": "-o mynetworks=127.0.0.254/32 -o smtpd_relay_restrictions=permit_mynetworks,reject_unauth_destination",
    "helo": "-o smtpd_helo_restrictions=reject_unknown_helo_hostname -o unknown_hostname_reject_code=550",
    "ptr": "-o smtpd_client_restrictions=reject_unknown_client_hostname -o unknown_client_reject_code=550",
    "plain": "-o smtpd_recipient_restrictions=reject_plaintext_session,permit -o plaintext_reject_code=554",
    "rate": "-o smtpd_client_message_rate_limit=1 -o smtpd_client_event_limit_exceptions=",
    "conn": "-o smtpd_client_connection_rate_limit=1 -o smtpd_client_event_limit_exceptions=",
    "hdr": "-o cleanup_service_name=cleanup_hdr",
    "body": "-o cleanup_service_name=cleanup_body",
    "disk": "-o queue_minfree=99999999999999",
    "reloc": "",
    "ok": "-o smtpd_discard_ehlo_keywords=",
}
MASTER_CF = (
    # our own smtpd takes the relocated recipients (the rewrite service names them moved): its queue says so
    "\n127.0.0.1:{port_a} inet n - n - - smtpd -o smtpd_reject_unlisted_recipient=no\n"
    + "".join(
        LISTENER.format(name=name, address=ADDRESS[name]) + "  " + _OPTIONS[name] + "\n" for name in LISTENERS
    )
    + f"""smtp_ptr  unix - - n - - smtp -o smtp_bind_address={NO_PTR}
cleanup_hdr unix n - n - 0 cleanup -o header_checks=regexp:{{w}}/etc/hdr
cleanup_body unix n - n - 0 cleanup -o body_checks=regexp:{{w}}/etc/body
local     unix - n n - - local -o mailbox_size_limit=5000 -o message_size_limit=5000
"""
    + SERVICES_CF
)
POSTFIX_ROUTES = {
    domain: f"{'smtp_ptr' if listener == 'ptr' else 'smtp'}:[{ADDRESS[listener]}]:{{port_{listener}}}"
    for domain, listener in REMOTES.items()
}
SMTPD_CONF = smtpd_conf(
    REMOTES,
    ADDRESS,
    (d for d in REMOTES if any(r.endswith("@" + d) and info[0] == "opensmtpd" for r, info in LABELS.items())),
)


def _exim_config(w: Path, root: Path, ports: dict[str, int]) -> str:
    return exim_config(root, w, ports, REMOTES, ADDRESS, interface={"ptr": NO_PTR})


def _configure(w: Path, ports: dict[str, int]) -> None:
    files = {
        "rcpt": RCPT_ACCESS,
        "hdr": HEADER_CHECKS,
        "body": BODY_CHECKS,
        "relocated": RELOCATED,
        "aliases": ALIASES,
    }
    configure_round(w, ports, MAIN_CF, MASTER_CF, POSTFIX_ROUTES, files)
    (w / "mail").mkdir(parents=True, exist_ok=True)
    (w / "mail").chmod(0o1777)
    # a mailbox near local(8)'s mailbox_size_limit (a message larger than the limit makes local(8) panic)
    old = "From khaosat@khaosat.example.vn Mon Dec  7 07:00:00 2026\nSubject: cu\n\n" + "Thu cu.\n" * 600
    _write(w / "mail/nobody", old)
    subprocess.run(["chown", "nobody:nogroup", str(w / "mail/nobody")], check=True)
    prepare_senders(w, lambda root: _exim_config(w, root, ports))


def _original(rcpt: str) -> bytes:
    stem = LABELS[rcpt][1] if rcpt in LABELS else "mo.dau"
    subject = email.header.Header("Khảo sát chuyển đổi số năm 2026", "utf-8").encode()
    return original(rcpt, f"r14-{stem}", subject)


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    # the warm-up first: it spends the rate-limited listener's one message before Exim's and OpenSMTPD's come
    senders = {WARMUP: "exim", **{rcpt: info[0] for rcpt, info in LABELS.items()}}
    with running_senders(w, ports, SMTPD_CONF, senders, _original):
        # one connection spends the connection-rate-limited listener's allowance
        with smtplib.SMTP(ADDRESS["conn"], ports["port_conn"]) as smtp:
            smtp.noop()
        for rcpt, option in NOTIFY.items():
            with smtplib.SMTP("127.0.0.1", ports["port_a"]) as smtp:
                smtp.sendmail(SENDER, [rcpt], _original(rcpt), rcpt_options=[option])
        yield


def _kind(text: str) -> str:
    if "Action: delivered" in text or "Action: relayed" in text:
        return "delivered"
    return answer_kind(text)


def found_label(text: str, labels: dict[str, Label], marker: str) -> tuple[str, Label] | None:
    """The row of ``labels`` an answer is about: by the marker header its original carries ("r14-<stem>"), else
    by the address (make_round15.py's too)."""
    found = [(rcpt, info) for rcpt, info in labels.items() if f"{marker}-{info[1]}\n" in text or rcpt in text]
    return found[0] if found else None


def _found(text: str) -> tuple[str, Label] | None:
    return found_label(text, LABELS, "r14")


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    found = _found(text)
    if not found:
        return f"unknown-{_kind(text)}-r14.eml"
    rcpt, (sender, stem, *_) = found
    return f"{sender}-{_kind(text)}-{stem}-at-{rcpt.split('@')[1]}.eml"


MTA = {"postfix": "Postfix 3.7", "exim": "Exim 4.96", "opensmtpd": "OpenSMTPD 6.8"}


def manifest_rows(
    out: Path,
    before: set[str],
    found: Callable[[str], tuple[str, Label] | None],
    kind_of: Callable[[str], str],
    how: Callable[[str, str, str], str],
    labelled: dict[str, str] | None = None,
) -> None:
    """Each new answer's row in ``out``'s manifest.csv, from its label (``found``): a delay notice is kind delay,
    no reason, not hard; a success notice delivered, an auto-reply autoreply, the rest bounce. ``how(file, kind,
    what)`` words the how column; ``labelled`` names the address a row is labelled for where it is not the one
    sent to (make_round15.py's too)."""
    rows = []
    for path in sorted(out.glob("*.eml")):
        if path.name in before:
            continue
        text = path.read_bytes().decode("utf-8", "replace")
        hit = found(text)
        if not hit:
            print("not labelled:", path.name)
            continue
        rcpt, (_, _, reason, hard, what) = hit
        kind = kind_of(text)
        recipient = (labelled or {}).get(rcpt, rcpt)
        if kind == "delay":
            rows.append([path.name, "delay", recipient, "", "0", how(path.name, kind, what)])
        else:
            kept = kind if kind in ("delivered", "autoreply") else "bounce"
            rows.append([path.name, kept, recipient, reason, hard, how(path.name, kind, what)])
    with open(out / "manifest.csv", "a", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _how(name: str, kind: str, what: str) -> str:
    mta = MTA[name.split("-")[0]]
    return f"{mta} {'delay notice' if kind == 'delay' else 'notice'}: {what} (round 14, make_round14.py)"


def main() -> None:
    before = {path.name for path in OUT.glob("*.eml")}
    ports = {name: _free_port() for name in ("port_a", "port_o", *(f"port_{n}" for n in LISTENERS))}
    messages = [
        (rcpt, _original(rcpt))
        for rcpt, info in LABELS.items()
        if info[0] == "postfix" and rcpt not in NOTIFY
    ]
    # Exim and OpenSMTPD repeat their warnings (one file each, under one name here): the round waits its time
    run_round("realmta-r14-", ports, _configure, _running, messages, sys.maxsize, _name, OUT, wait=75)
    if os.environ.get("REALMTA_NS") == "1" and OUT.exists():
        manifest_rows(OUT, before, _found, _kind, _how)


if __name__ == "__main__":
    main()
