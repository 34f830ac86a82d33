"""Make real Sendmail 8.17 bounces and delay warnings for tests/corpus/realmta, labelled by construction.

A private Sendmail (Debian's sendmail-bin, with sendmail-cf and m4 to build its sendmail.cf, unpacked into a
temporary folder: installing it would replace the Postfix that the project's mail stack runs) is run by hand
(``-C`` its own sendmail.cf, its own queue, aliases, mailertable and virtusertable) in a mount namespace whose
/etc/resolv.conf names a DNS stub on loopback (a thread here: NXDOMAIN for every name, SERVFAIL for one
domain), so that no query leaves the machine. Its mailertable routes each recipient domain to a loopback
address where a stub SMTP server (threads) answers as told: per recipient at RCPT (a remote Sendmail's
"User unknown", "Mailbox full", "Relaying denied", a DNSBL text, a disabled mailbox, a greylisting defer,
Vietnamese texts), after DATA (spam, a content policy, a size limit, a configuration error), at MAIL (an
unknown sender domain, "Access denied", STARTTLS required), in the greeting (too many connections: 550 once,
421 always), or nothing listening at all. Besides: a domain that does not exist, one
whose name server fails, local users that do not exist, aliases to commands that exit with sysexits codes
(67, 69, 77, 75), the local mailer's size limit (M=: Sendmail's transcript says 552 5.2.3, its DSN only "Service unavailable"), virtusertable ``error:`` entries with Vietnamese texts,
and more Received: headers than MaxHopCount. Timeout.queuewarn is 2 s and Timeout.queuereturn 7 s, so the
deferred ones come back twice: a delay warning, then the bounce. What Sendmail writes back to our envelope
sender (delivered over SMTP to a capturing thread) is kept, quirks included: on a cached connection Sendmail 8.17
may write the previous transaction's Status: and Diagnostic-Code: into the next message's DSN. Not made: a
remote SIZE limit in EHLO (Sendmail 8.17 sent the message all the same here). Needs root and ``apt-get download``; nothing is
installed and no server is left running. REALMTA_KEEP=1 keeps the work folder (with sendmail.cf and the
queue). Usage: python3 tests/corpus/realmta/make_sendmail.py
"""

from __future__ import annotations

import os
import shutil
import socket
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent
SENDER = "bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn"
DNS_IP = "127.0.0.153"
SERVFAIL = b"loi-dns"  # the DNS stub answers SERVFAIL for names with this label, NXDOMAIN for the rest
# loopback address -> what the SMTP stub listening there plays; the mailertable routes each domain to one
HOSTS = {
    "127.0.0.2": "mx",  # answers per recipient: RCPT_ANSWERS, DATA_ANSWERS
    "127.0.0.3": "closed",  # nothing listens
    "127.0.0.4": "capture",  # our own MX: keeps what comes back
    "127.0.0.6": "mail:553 5.1.8 <{sender}>... Domain of sender address khaosat.example.vn does not exist",
    "127.0.0.7": "mail:530 5.7.0 Must issue a STARTTLS command first",
    "127.0.0.8": "greet:554 5.7.1 mx.dong.example.vn: too many concurrent connections from 127.0.0.1, closing",
    "127.0.0.9": "greet:421 4.3.2 mx.ban.example.vn: too many connections, try again later",
    "127.0.0.10": "mail:550 5.7.1 <{sender}>... Access denied",
}
ROUTES = {
    "phongban.example.vn": "127.0.0.2",
    "cham.example.vn": "127.0.0.3",
    "khaosat.example.vn": "127.0.0.4",
    "tuchoi.example.vn": "127.0.0.6",
    "baomat.example.vn": "127.0.0.7",
    "dong.example.vn": "127.0.0.8",
    "ban.example.vn": "127.0.0.9",
    "chan.example.vn": "127.0.0.10",
}
# local part at phongban.example.vn -> the stub's answer to RCPT TO (others are accepted)
RCPT_ANSWERS = {
    "khong.co": "550 5.1.1 <{rcpt}>... User unknown",
    "nguoi.la": "550 <{rcpt}>... Địa chỉ người nhận không tồn tại trong hệ thống",
    "het.cho": "552 5.2.2 <{rcpt}>... Mailbox full",
    "day.tran": "552 <{rcpt}>... Hộp thư của người nhận đã đầy, vượt quá dung lượng cho phép",
    "chuyen.tiep": "550 5.7.1 <{rcpt}>... Relaying denied. Proper authentication required.",
    "ip.den": "550 5.7.1 <{rcpt}>... Rejected: 127.0.0.1 listed at bl.spamcop.net",
    "vo.hieu": "550 5.2.1 <{rcpt}>... Mailbox disabled, not accepting messages",
    "xam.cho": "451 4.7.1 <{rcpt}>... Greylisted, please try again later",
}
# local part at phongban.example.vn -> the stub's answer at the end of DATA
DATA_ANSWERS = {
    "rac.qua": "554 5.7.1 Rejected: message looks like spam (score 9.8, required 5.0)",
    "chinh.sach": "550 5.7.1 Delivery not authorized, message refused: content policy violation",
    "lon.qua": "552 5.3.4 Message size exceeds fixed limit",
    "he.thong": "554 5.3.0 Local configuration error, message not accepted",
    "tu.choi": "554 5.7.1 Thư bị từ chối do vi phạm chính sách gửi thư của đơn vị",
}
ALIASES = {
    "lenh.vang": "\"|/bin/sh -c 'exit 67'\"",  # EX_NOUSER
    "lenh.hong": "\"|/bin/sh -c 'exit 69'\"",  # EX_UNAVAILABLE
    "lenh.quyen": "\"|/bin/sh -c 'exit 77'\"",  # EX_NOPERM
    "lenh.tam": "\"|/bin/sh -c 'exit 75'\"",  # EX_TEMPFAIL
    "to.qua": "nobody",  # the local mailer's M= refuses the padded message before it runs
}
VIRTUSERS = {
    "da.nghi@nhansu.example.vn": "error:5.1.1:550 Nhân viên đã nghỉ việc, địa chỉ này không còn được sử dụng",
    "day.hop@nhansu.example.vn": "error:5.2.2:552 Hộp thư đã đầy, không nhận thêm thư",
}
LOOP = "vong.lap@phongban.example.vn"  # sent with more Received: headers than MaxHopCount (25)
BIG = ("to.qua@noibo.example.vn",)  # padded past the local mailer's 2000 bytes
RECIPIENTS = (
    *(f"{local}@phongban.example.vn" for local in (*RCPT_ANSWERS, *DATA_ANSWERS)),
    LOOP, *BIG,
    "kim.lam@cham.example.vn", "tuan.ly@tuchoi.example.vn", "bao.mat@baomat.example.vn",
    "qua.dong@dong.example.vn", "qua.tai@ban.example.vn", "mai.tran@chan.example.vn",
    "ai.do@khongtontai.invalid", "mat.ten@loi-dns.example.vn", "khong.ton@noibo.example.vn",
    *(f"{local}@noibo.example.vn" for local in ALIASES if local != "to.qua"),
    *VIRTUSERS,
)  # fmt: skip

MC = """divert(0)dnl
VERSIONID(`maildaemon realmta')dnl
OSTYPE(`linux')dnl
define(`confDOMAIN_NAME', `relay.sogd.example.vn')dnl
define(`QUEUE_DIR', `{work}/queue')dnl
define(`STATUS_FILE', `{work}/statistics')dnl
define(`ALIAS_FILE', `{work}/aliases')dnl
define(`confPID_FILE', `{work}/sendmail.pid')dnl
define(`confHELP_FILE', `{work}/helpfile')dnl
define(`confSERVICE_SWITCH_FILE', `{work}/service.switch')dnl
define(`confHOSTS_FILE', `{work}/hosts')dnl
define(`confTO_QUEUEWARN', `2s')dnl
define(`confTO_QUEUERETURN', `7s')dnl
define(`confTO_CONNECT', `3s')dnl
define(`confTO_INITIAL', `3s')dnl
define(`confMIN_QUEUE_AGE', `0')dnl
define(`confDONT_PROBE_INTERFACES', `True')dnl
define(`confDONT_BLAME_SENDMAIL', `TrustStickyBit,GroupWritableDirPathSafe')dnl
define(`confMAX_HOP', `25')dnl
define(`LOCAL_MAILER_PATH', `/bin/false')dnl
define(`LOCAL_MAILER_MAX', `2000')dnl
define(`LOCAL_SHELL_PATH', `/bin/sh')dnl
define(`PROCMAIL_MAILER_PATH', `/bin/false')dnl
FEATURE(`nocanonify')dnl
FEATURE(`mailertable', `hash -o {work}/mailertable')dnl
FEATURE(`virtusertable', `hash -o {work}/virtusertable')dnl
LOCAL_DOMAIN(`noibo.example.vn')dnl
LOCAL_DOMAIN(`nhansu.example.vn')dnl
MAILER(`local')dnl
MAILER(`smtp')dnl
"""


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to play the part HOSTS gives the address it listens on."""

    def _say(self, text: str) -> None:
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self) -> None:
        role = HOSTS[self.server.server_address[0]]
        if role.startswith("greet:"):
            self._say(role[6:])
            return
        self._say("220 mx.example.vn ESMTP stub")
        accepted: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"EHLO":
                self._say("250-mx.example.vn\r\n250 8BITMIME")
            elif verb == b"HELO":
                self._say("250 mx.example.vn")
            elif verb == b"MAIL" and role.startswith("mail:"):
                self._say(role[5:].format(sender=SENDER))
            elif verb == b"RCPT":
                rcpt = line.decode().split("<", 1)[1].split(">", 1)[0]
                local = rcpt.split("@")[0]
                answer = RCPT_ANSWERS.get(local, "250 2.1.5 Ok") if role == "mx" else "250 2.1.5 Ok"
                if answer.startswith("250"):
                    accepted.append(local)
                self._say(answer.format(rcpt=rcpt))
            elif verb == b"DATA" and accepted:
                self._say("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if role == "capture":
                    self.server.kept.append(b"".join(lines).replace(b"\r\n", b"\n"))  # type: ignore[attr-defined]
                answer = next((DATA_ANSWERS[a] for a in accepted if a in DATA_ANSWERS and role == "mx"),
                              "250 2.0.0 Ok: queued")  # fmt: skip
                self._say(answer)
                accepted = []
            elif verb == b"DATA":
                self._say("554 5.5.1 Error: no valid recipients")
            elif verb == b"QUIT":
                self._say("221 2.0.0 Bye")
                return
            else:
                self._say("250 2.0.0 Ok")


class _Dns(socketserver.BaseRequestHandler):
    """NXDOMAIN for every question (SERVFAIL for the SERVFAIL label), as an authoritative answer."""

    def handle(self) -> None:
        query, sock = self.request
        if len(query) < 12:
            return
        flags = 0x8182 if SERVFAIL in query.lower() else 0x8583
        header = query[:2] + flags.to_bytes(2, "big") + query[4:6] + b"\0\0\0\0\0\0"
        sock.sendto(header + query[12:], self.client_address)


def _unpack(work: Path) -> Path:
    root = work / "root"
    for package in ("sendmail-bin", "sendmail-cf", "m4"):
        subprocess.run(["apt-get", "download", package], cwd=work, check=True, capture_output=True)
    for deb in work.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _configure(work: Path, root: Path, port: int) -> Path:
    cfdir = root / "usr/share/sendmail/cf"
    mc = MC.format(work=work).replace("MAILER(`smtp')", f"define(`ESMTP_MAILER_ARGS', `TCP $h {port}')dnl\n"
                                                         "MAILER(`smtp')")  # fmt: skip
    (work / "sendmail.mc").write_text(mc, encoding="utf-8")
    cf = subprocess.run([str(root / "usr/bin/m4"), f"-D_CF_DIR_={cfdir}/", f"{cfdir}/m4/cf.m4", str(work / "sendmail.mc")],
                        check=True, capture_output=True).stdout  # fmt: skip
    (work / "sendmail.cf").write_bytes(cf)
    (work / "service.switch").write_text("hosts dns\naliases files\n")
    # our own name, qualified, without DNS (an unqualified one makes Sendmail sleep a minute at each start)
    (work / "hosts").write_text(f"127.0.0.1 relay.sogd.example.vn {socket.gethostname()} localhost\n")
    (work / "helpfile").write_text("")
    (work / "resolv.conf").write_text(f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    (work / "queue").mkdir(mode=0o700)
    (work / "aliases").write_text("".join(f"{k}: {v}\n" for k, v in ALIASES.items()) + "postmaster: root\n")
    makemap = str(root / "usr/libexec/sendmail/makemap")
    tables = {"mailertable": {d: f"esmtp:[{ip}]" for d, ip in ROUTES.items()}, "virtusertable": VIRTUSERS}
    for name, table in tables.items():
        text = "".join(f"{k}\t{v}\n" for k, v in table.items()).encode()
        subprocess.run(
            [makemap, "-C", str(work / "sendmail.cf"), "hash", str(work / name)], input=text, check=True
        )
    return work / "sendmail.cf"


def _original(rcpt: str) -> bytes:
    hops = "".join(
        f"Received: from hop{i}.example.vn by hop{i + 1}.example.vn; Sun, 06 Dec 2026 07:{i:02d}:00 +0700\n"
        for i in range(30 if rcpt == LOOP else 0)
    )
    pad = "Phieu khao sat dinh kem, xin vui long tra loi truoc ngay 20/12/2026.\n" * (
        40 if rcpt in BIG else 0
    )
    return (
        f"{hops}From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nKinh gui anh/chi,\n{pad}"
    ).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    work = Path(tempfile.mkdtemp())
    servers: list[socketserver.BaseServer] = []
    try:
        root = _unpack(work)
        port = _free_port()
        kept: list[bytes] = []
        for ip, role in HOSTS.items():
            if role != "closed":
                server = socketserver.ThreadingTCPServer((ip, port), _Smtp)
                server.kept = kept  # type: ignore[attr-defined]
                servers.append(server)
        servers.append(socketserver.ThreadingUDPServer((DNS_IP, 53), _Dns))
        for server in servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()
        cf = _configure(work, root, port)
        binary = root / "usr/libexec/sendmail/sendmail"
        prefix = f"mount --bind {work}/resolv.conf /etc/resolv.conf && mount --bind {work}/hosts /etc/hosts && exec {binary} -C {cf}"

        def sendmail(args: str, data: bytes = b"") -> None:
            subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", f"{prefix} {args}"],
                           input=data, check=False)  # fmt: skip

        sendmail("-bi")
        for rcpt in RECIPIENTS:
            sendmail(f"-odq -oem -f {SENDER} {rcpt}", _original(rcpt))
        sendmail("-q")  # first try: the permanent ones bounce, the rest are deferred
        time.sleep(3)  # past Timeout.queuewarn: the next run warns
        sendmail("-q")
        time.sleep(5)  # past Timeout.queuereturn: the next run gives up
        sendmail("-q")
        sendmail("-q")  # whatever bounce is still queued
        time.sleep(1)
        for raw in kept:
            head, body = raw.split(b"\n\n", 1)
            kind = "delay" if b"\nSubject: Warning:" in b"\n" + head else "failed"
            rcpt = next((r for r in RECIPIENTS if f"<{r}>".encode() in body or r.encode() in body), "")
            if not rcpt:
                print("a message for none of our recipients:", head.decode(errors="replace")[:200])
                continue
            name = OUT / f"sendmail-{kind}-{rcpt.replace('@', '-at-')}.eml"
            if not name.exists():  # a later queue run may repeat a warning
                name.write_bytes(raw)
                print(name.name)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        if os.environ.get("REALMTA_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
