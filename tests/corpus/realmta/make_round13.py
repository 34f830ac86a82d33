"""Make failures no earlier round provoked, as Postfix 3.7, Exim 4.96 and OpenSMTPD 6.8 word them in their own
bounces and delay notices, for tests/corpus/realmta (round 13), labelled by construction (manifest.csv).

As make_round12.py: a mount namespace of its own (run_round of make_filters.py) with make_filters.py's DNS
stub, the private Postfix of make_relays.py (its virtual mailbox keeps what comes back to our envelope
sender), Debian's Exim unpacked (make_exim.py) and OpenSMTPD (make_relays.py). The same Postfix plays the
remote servers as smtpd listeners, each at a loopback address of its own: Postfix access maps refusing with a
Vietnamese text at each stage of the dialogue (the client at connect, HELO, MAIL, RCPT, DATA and the end of
DATA, smtpd_delay_reject=no), a listener with smtputf8_enable=no that gets a non-ASCII local part (SMTPUTF8
required and not offered). Postfix also sends with soft_bounce=yes (a transport of its own)
to a recipient the remote refuses with 5xx (a delay notice, then the bounce at the lifetime's end), and
delivers locally (local(8)): an alias to a user that does not exist, two aliases forwarding to each other, an
alias to a missing :include: file, aliases to a command and to a file while allow_mail_to_commands and
allow_mail_to_files permit them in .forward files only. Exim and OpenSMTPD send to the same listeners; Exim
also sends a message with a line longer than 998 characters (its smtp transport's message_linelength_limit)
and routes its own local domain through a redirect router: an alias to a user that does not exist, two
aliases forwarding to each other, an alias to a command without a pipe transport.
Tried and not kept, as the servers did not bounce: Postfix's two virtual aliases forwarding to each other
(cleanup answers 451 4.6.0 Alias expansion error at SMTP time); a header over a remote cleanup's
header_size_limit (truncated and accepted); Exim's SMTPUTF8 message (exim -bs) to the listener without
SMTPUTF8 (Exim downconverts the local part to punycode and delivers); OpenSMTPD's HELO (its HELO name is not
its listener's). Not back within the wait: OpenSMTPD's expiry after a refused greeting, Exim's bounce for
the command without a pipe transport (only their delay notices).
Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps the work folder and its logs.
Needs root and ``apt-get download``.
Usage: python3 tests/corpus/realmta/make_round13.py
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_filters import DNS_IP, SENDER, run_round  # noqa: E402
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write  # noqa: E402
from make_round12 import EXIM_CONFIG, answer_kind, prepare_senders, running_senders  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the remote listeners (our Postfix's smtpd): domain -> listener
REMOTES = {
    "ketnoi.example.vn": "client",
    "chaohoi.example.vn": "helo",
    "nguoigui.example.vn": "sender",
    "nguoinhan.example.vn": "rcpt",
    "dulieu.example.vn": "data",
    "ketthuc.example.vn": "eod",
    "utf8.example.vn": "noutf8",
    "dong.example.vn": "rcpt",
}
LISTENERS = ("client", "helo", "sender", "rcpt", "data", "eod", "noutf8")
# each listener at an address of its own: OpenSMTPD takes a refused greeting for its route's fault and holds
# back every other envelope routed to the same address
ADDRESS = {name: f"127.0.13.{i}" for i, name in enumerate(LISTENERS, 1)}
# recipient -> (the sender, the file's stem, what is provoked)
RECIPIENTS = {
    "pf.ketnoi@ketnoi.example.vn": (
        "postfix",
        "pf.ketnoi",
        "client access at connect, a Vietnamese block text",
    ),
    "pf.chaohoi@chaohoi.example.vn": ("postfix", "pf.chaohoi", "HELO access, a Vietnamese text"),
    "pf.nguoigui@nguoigui.example.vn": ("postfix", "pf.nguoigui", "sender access at MAIL, a Vietnamese text"),
    "pf.khongco@nguoinhan.example.vn": ("postfix", "pf.khongco", "recipient access 550 5.1.1, Vietnamese"),
    "pf.day@nguoinhan.example.vn": ("postfix", "pf.day", "recipient access 552 5.2.2, Vietnamese"),
    "pf.khoa@nguoinhan.example.vn": ("postfix", "pf.khoa", "recipient access 550 5.2.1, Vietnamese"),
    "pf.dulieu@dulieu.example.vn": ("postfix", "pf.dulieu", "data restrictions, a Vietnamese policy text"),
    "pf.ketthuc@ketthuc.example.vn": (
        "postfix",
        "pf.ketthuc",
        "end-of-data restrictions, a Vietnamese size text",
    ),
    "nguyễn.pf@utf8.example.vn": ("postfix", "pf.utf8", "a non-ASCII local part, SMTPUTF8 not offered"),
    "sb.khongco@mem.example.vn": ("postfix", "sb.khongco", "soft_bounce=yes, the remote says 550 5.1.1"),
    "sb.chan@mem.example.vn": ("postfix", "sb.chan", "soft_bounce=yes, the remote blocks our IP (554 5.7.1)"),
    "bidanh.sai@noibo.example.vn": (
        "postfix",
        "bidanh.sai",
        "local(8): an alias to a user that does not exist",
    ),
    "vong.a@noibo.example.vn": ("postfix", "vong.a", "local(8): two aliases forwarding to each other"),
    "bao.gom@noibo.example.vn": ("postfix", "bao.gom", "local(8): an alias to a missing :include: file"),
    "lenh.cam@noibo.example.vn": (
        "postfix",
        "lenh.cam",
        "local(8): an alias to a command, commands restricted",
    ),
    "tep.cam@noibo.example.vn": ("postfix", "tep.cam", "local(8): an alias to a file, files restricted"),
    # Exim
    "ex.ketnoi@ketnoi.example.vn": ("exim", "ex.ketnoi", "client access at connect, a Vietnamese block text"),
    "ex.chaohoi@chaohoi.example.vn": ("exim", "ex.chaohoi", "HELO access, a Vietnamese text"),
    "ex.nguoigui@nguoigui.example.vn": ("exim", "ex.nguoigui", "sender access at MAIL, a Vietnamese text"),
    "ex.khongco@nguoinhan.example.vn": ("exim", "ex.khongco", "recipient access 550 5.1.1, Vietnamese"),
    "ex.dulieu@dulieu.example.vn": ("exim", "ex.dulieu", "data restrictions, a Vietnamese policy text"),
    "ex.ketthuc@ketthuc.example.vn": (
        "exim",
        "ex.ketthuc",
        "end-of-data restrictions, a Vietnamese size text",
    ),
    "ex.dong@dong.example.vn": (
        "exim",
        "ex.dong",
        "a line of 1500 characters (message_linelength_limit 998)",
    ),
    "ex.bidanh@exnoibo.example.vn": (
        "exim",
        "ex.bidanh",
        "redirect router: an alias to a user that does not exist",
    ),
    "ex.vonga@exnoibo.example.vn": (
        "exim",
        "ex.vonga",
        "redirect router: two aliases forwarding to each other",
    ),
    "ex.ong@exnoibo.example.vn": (
        "exim",
        "ex.ong",
        "redirect router: an alias to a command without allow_pipe",
    ),
    # OpenSMTPD
    "os.ketnoi@ketnoi.example.vn": (
        "opensmtpd",
        "os.ketnoi",
        "client access at connect, a Vietnamese block text",
    ),
    "os.nguoigui@nguoigui.example.vn": (
        "opensmtpd",
        "os.nguoigui",
        "sender access at MAIL, a Vietnamese text",
    ),
    "os.khongco@nguoinhan.example.vn": ("opensmtpd", "os.khongco", "recipient access 550 5.1.1, Vietnamese"),
    "os.dulieu@dulieu.example.vn": ("opensmtpd", "os.dulieu", "data restrictions, a Vietnamese policy text"),
    "os.ketthuc@ketthuc.example.vn": (
        "opensmtpd",
        "os.ketthuc",
        "end-of-data restrictions, a Vietnamese text",
    ),
}
# the remote's refusals: Vietnamese, unaccented where Postfix would not pass UTF-8 in a reply
CLIENT_ACCESS = (
    "127.0.0.0/8 554 5.7.1 Dia chi IP cua may chu gui nam trong danh sach chan thu rac cua chung toi\n"
)
HELO_ACCESS = (
    "/sogd\\.example\\.vn$/ 550 5.7.1 Ten may chu trong lenh HELO khong hop le, ket noi bi tu choi\n"
)
SENDER_ACCESS = (
    "/@khaosat\\.example\\.vn$/ 553 5.7.1 Địa chỉ người gửi không được phép gửi thư đến hệ thống này\n"
)
DATA_ACCESS = "/@khaosat\\.example\\.vn$/ 554 5.7.1 Thư từ bên ngoài bị từ chối theo chính sách của cơ quan\n"
EOD_ACCESS = "/@khaosat\\.example\\.vn$/ 552 5.3.4 Thư vượt quá kích thước cho phép của hệ thống\n"
RCPT_ACCESS = """pf.khongco@nguoinhan.example.vn 550 5.1.1 Người nhận không tồn tại trên hệ thống
ex.khongco@nguoinhan.example.vn 550 5.1.1 Người nhận không tồn tại trên hệ thống
os.khongco@nguoinhan.example.vn 550 5.1.1 Người nhận không tồn tại trên hệ thống
pf.day@nguoinhan.example.vn 552 5.2.2 Hộp thư của người nhận đã đầy
pf.khoa@nguoinhan.example.vn 550 5.2.1 Tài khoản người nhận đã bị khóa
sb.khongco@mem.example.vn 550 5.1.1 User unknown in local recipient table
sb.chan@mem.example.vn 554 5.7.1 Client host rejected: your IP address is listed on our block list
"""
# qualified: a bare name would take myorigin's domain
ALIASES = """bidanh.sai khongco.nguoidung@noibo.example.vn
vong.a vong.b@noibo.example.vn
vong.b vong.a@noibo.example.vn
bao.gom :include:/nonexistent/danhsach
lenh.cam |/bin/cat
tep.cam /tmp/realmta-round13-tep
"""
EXIM_ALIASES = "ex.bidanh: khongco.nguoidung\nex.vonga: ex.vongb\nex.vongb: ex.vonga\nex.ong: |/bin/cat\n"
MAIN_CF = (
    FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "")
    .replace("mydestination =\n", "mydestination = noibo.example.vn\n")
    .replace("alias_maps =\n", "alias_maps = texthash:{w}/etc/aliases\n")
    + """default_privs = nobody
allow_mail_to_commands = forward
allow_mail_to_files = forward
"""
)
# each listener discards what it accepts (its mail would come back to it through the same Postfix)
LISTENER = (
    "{address}:{{port_{name}}} inet n - n - - smtpd -o syslog_name=postfix/mx-{name}"
    " -o myhostname=mx.{name}.example.vn -o content_filter=discard:\n"
)
_OPTIONS = {
    "client": "-o smtpd_delay_reject=no -o smtpd_client_restrictions=check_client_access,cidr:{w}/etc/client",
    "helo": "-o smtpd_delay_reject=no -o smtpd_helo_restrictions=check_helo_access,regexp:{w}/etc/helo",
    "sender": "-o smtpd_delay_reject=no -o smtpd_sender_restrictions=check_sender_access,regexp:{w}/etc/sender",
    "rcpt": "-o smtpd_recipient_restrictions=check_recipient_access,texthash:{w}/etc/rcpt,permit",
    "data": "-o smtpd_data_restrictions=check_sender_access,regexp:{w}/etc/data",
    "eod": "-o smtpd_end_of_data_restrictions=check_sender_access,regexp:{w}/etc/eod",
    "noutf8": "-o smtputf8_enable=no",
}
MASTER_CF = (
    "\n127.0.0.1:{port_a} inet n - n - - smtpd\n"
    + "".join(
        LISTENER.format(name=name, address=ADDRESS[name]) + "  " + _OPTIONS[name] + "\n" for name in LISTENERS
    )
    + """smtp_soft unix - - n - - smtp -o soft_bounce=yes
local     unix - n n - - local
"""
    + SERVICES_CF
)
POSTFIX_ROUTES = {
    **{domain: f"smtp:[{ADDRESS[listener]}]:{{port_{listener}}}" for domain, listener in REMOTES.items()},
    "mem.example.vn": f"smtp_soft:[{ADDRESS['rcpt']}]:{{port_rcpt}}",
}
EXIM_ROUTERS = """
local_aliases:
  driver = redirect
  domains = exnoibo.example.vn
  data = ${{lookup{{$local_part}}lsearch{{{w}/etc/exim-aliases}}}}
  qualify_preserve_domain
localuser:
  driver = accept
  domains = exnoibo.example.vn
  check_local_user
  transport = devnull
"""
SMTPD_HEAD = """
queue ttl 14s
bounce warn-interval 3s
listen on 127.0.0.1 port {port_o} hostname relay2.sogd.example.vn
action "back" relay host smtp://127.0.0.1:{port_a}
match from any for domain "khaosat.example.vn" action "back"
"""


def smtpd_conf(remotes: dict[str, str], address: dict[str, str], domains: Iterable[str]) -> str:
    """OpenSMTPD's configuration: our relay for the answers, a route to its listener for each of ``domains``
    (make_round14.py's too)."""
    return SMTPD_HEAD + "".join(
        f'action "{remotes[domain]}" relay host smtp://{address[remotes[domain]]}:{{port_{remotes[domain]}}}\n'
        f'match from any for domain "{domain}" action "{remotes[domain]}"\n'
        for domain in domains
    )


SMTPD_CONF = smtpd_conf(
    REMOTES,
    ADDRESS,
    (d for d, listener in REMOTES.items() if d != "dong.example.vn" and listener != "noutf8"),
)


def _exim_config(w: Path, root: Path, ports: dict[str, int]) -> str:
    return exim_config(root, w, ports, REMOTES, ADDRESS, EXIM_ROUTERS.format(w=w))


def exim_config(
    root: Path,
    w: Path,
    ports: dict[str, int],
    remotes: dict[str, str],
    address: dict[str, str],
    routers: str = "",
    interface: dict[str, str] | None = None,
) -> str:
    """Exim's configuration: a manualroute router per remote domain to its listener's address (``remotes``:
    domain -> listener), an smtp transport per listener (bound to ``interface``'s address where it names one),
    ``routers`` after them (make_round14.py's too)."""
    interface = interface or {}
    out_routers, transports = [], []
    for domain, listener in remotes.items():
        out_routers.append(
            f"r_{domain.split('.')[0]}:\n  driver = manualroute\n  domains = {domain}\n"
            f"  route_list = * {address[listener]}\n  self = send\n  transport = t_{listener}\n"
        )
    for listener in dict.fromkeys(remotes.values()):
        bind = f"  interface = {interface[listener]}\n" if listener in interface else ""
        transports.append(
            f"t_{listener}:\n  driver = smtp\n  port = {ports['port_' + listener]}\n  allow_localhost\n"
            f"  hosts_avoid_tls = *\n{bind}"
        )
    transports.append("devnull:\n  driver = appendfile\n  file = /dev/null\n")
    return EXIM_CONFIG.format(
        root=root,
        w=w,
        routers="".join(out_routers) + routers,
        transports="".join(transports),
        port_a=ports["port_a"],
    )


def _configure(w: Path, ports: dict[str, int]) -> None:
    files = {"client": CLIENT_ACCESS, "helo": HELO_ACCESS, "sender": SENDER_ACCESS, "data": DATA_ACCESS,
             "eod": EOD_ACCESS, "rcpt": RCPT_ACCESS, "aliases": ALIASES, "exim-aliases": EXIM_ALIASES}  # fmt: skip
    configure_round(w, ports, MAIN_CF, MASTER_CF, POSTFIX_ROUTES, files)
    prepare_senders(w, lambda root: _exim_config(w, root, ports))


def configure_round(
    w: Path,
    ports: dict[str, int],
    main_cf: str,
    master_cf: str,
    routes: dict[str, str],
    files: dict[str, str],
) -> None:
    """The private Postfix's main.cf, master.cf, transport map (``routes``: domain -> next hop) and virtual
    mailbox, each of ``files`` under etc/, and the resolver's file (make_round14.py's too)."""
    fill = {"w": w, **ports}
    _write(w / "etc/main.cf", main_cf.format(**fill))
    _write(w / "etc/master.cf", master_cf.format(**fill))
    _write(w / "etc/transport", "".join(f"{d} {r.format(**ports)}\n" for d, r in routes.items()))
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    for name, text in files.items():
        _write(w / "etc" / name, text)
    _write(w / "resolv.conf", f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")


def _original(rcpt: str) -> bytes:
    stem = RECIPIENTS[rcpt][1]
    # one line longer than RFC 5322's 998 characters
    longer = "Danh sach don vi: " + "So Tai chinh, " * 110 + "\n" if stem == "ex.dong" else ""
    return original(rcpt, f"r13-{stem}", "Khao sat chuyen doi so 2026", longer)


def original(rcpt: str, marker: str, subject: str, more: str = "") -> bytes:
    """The survey message to ``rcpt``, its row's ``marker`` in a header, ``more`` after the body (make_round14.py's
    too)."""
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * 4 + more
    return (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: {subject}\n"
        f"X-Khao-Sat-Ma: {marker}\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Mon, 07 Dec 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    senders = {rcpt: sender for rcpt, (sender, _, _) in RECIPIENTS.items()}
    with running_senders(w, ports, SMTPD_CONF, senders, _original):
        # Postfix's message to a non-ASCII local part, with SMTPUTF8 (run_round sends the others without it)
        for rcpt, (sender, _, _) in RECIPIENTS.items():
            if sender == "postfix" and not rcpt.isascii():
                with smtplib.SMTP("127.0.0.1", ports["port_a"]) as smtp:
                    smtp.sendmail(SENDER, [rcpt], _original(rcpt), mail_options=["SMTPUTF8"])
        yield


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    # by the marker each original carries (a non-ASCII address may come back encoded), else by the address
    found = [(rcpt, info) for rcpt, info in RECIPIENTS.items() if f"r13-{info[1]}\n" in text or rcpt in text]
    sender, stem = (found[0][1][0], found[0][1][1]) if found else ("unknown", "unknown")
    domain = found[0][0].split("@")[1] if found else "unknown"
    return f"{sender}-{answer_kind(text)}-{stem}-at-{domain}.eml"


def main() -> None:
    ports = {name: _free_port() for name in ("port_a", "port_o", *(f"port_{n}" for n in LISTENERS))}
    messages = [
        (rcpt, _original(rcpt))
        for rcpt, (sender, _, _) in RECIPIENTS.items()
        if sender == "postfix" and rcpt.isascii()
    ]
    # Exim and OpenSMTPD repeat their warnings (one file each, under one name here), so no count of answers
    # says all have come: the round waits its whole time, past Postfix's 14 s lifetime and the retries
    run_round("realmta-r13-", ports, _configure, _running, messages, sys.maxsize, _name, OUT, wait=75)


if __name__ == "__main__":
    main()
