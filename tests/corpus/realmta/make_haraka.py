"""Make real Haraka bounces for tests/corpus/realmta, labelled by construction (round 7, issue 15).

Haraka (the Node.js MTA, npm package ``Haraka``, installed with npm into a temporary folder: nothing goes into
the project) runs on loopback as an outbound relay: whatever our client submits is relayed, and what fails comes
back to our envelope sender as Haraka's own bounce (its ``outbound.bounce_message`` text and a
message/delivery-status part). A plugin of ours (written into the temporary folder) plays DNS: ``get_mx`` sends
each test domain to a listener here, and every other name (reverse lookups of clients too) goes to a DNS stub
thread on 127.0.0.1: NXDOMAIN, a SERVFAIL (which Haraka 3.3.4 does not retry: it bounces at once, as for a
domain without MX or address), an RFC 7505 null MX. Its ``deferred`` hook retries a temporary failure after one
second, and outbound.ini's ``temp_fail_intervals`` ends the retries at the third failure, so temporary failures
expire ("Too many failures"). The listeners: an SMTP stub that answers RCPT or the end of DATA as told (English
and Vietnamese texts), stubs that greet with 554 or 421 or drop the connection after DATA, a closed port, and a
second Haraka that plays the remote MX with Haraka's own inbound plugins (rcpt_to.in_host_list, access,
headers, attachment, spamassassin and clamd against stub spamd and clamd threads here, its core size limit and
Received-header loop limit): their rejections come back inside the relay's bounce. Haraka sends no delay
notices. Every server listens on 127.0.0.1 only; nothing is left running.
HARAKA_KEEP=1 keeps the work folder with both Harakas' logs; HARAKA_NODE_MODULES=DIR uses a Haraka
already installed there instead of installing one. Needs node and npm (Node.js 20).
Usage: python3 tests/corpus/realmta/make_haraka.py
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import smtplib
import socket
import socketserver
import struct
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

OUT = Path(__file__).resolve().parent
SENDER = "bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn"
VERSION = "3.3.4"
# recipient local part at sotc.example.vn -> the stub's answer to RCPT TO (the others are accepted)
ANSWERS = {
    "khong.co": "550 5.1.1 <{rcpt}>: Địa chỉ người nhận không tồn tại trong hệ thống",
    "khong.ai": "550 No such user here",
    "day.hop": "552 5.2.2 <{rcpt}>: Hộp thư của người nhận đã đầy, không thể nhận thêm thư",
    "het.cho": "452 4.2.2 <{rcpt}>: Mailbox full, try again later",
    "tam.khoa": "550 5.2.1 <{rcpt}>: Tài khoản này đã bị tạm khoá / this account has been disabled",
    "chuyen.di": "550 5.1.6 <{rcpt}>: Recipient has moved; new address unknown",
    "khong.relay": "554 5.7.1 <{rcpt}>: Relay access denied",
    "xac.thuc": "530 5.7.0 Authentication required",
    "ma.hoa": "530 5.7.0 Must issue a STARTTLS command first",
    "toc.do": "450 4.7.1 <{sender}>: Sender rate limit exceeded, try again later",
    "xam.cho": "451 4.7.1 Greylisted, please try again in 300 seconds",
    "he.thong": "451 4.3.0 Lỗi hệ thống tạm thời, xin vui lòng thử lại sau",
    "bi.chan": "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org",
    "dkim.sai": "550 5.7.26 This message does not pass authentication checks (SPF and DKIM both do not pass)",
}
# recipient local part at sotc.example.vn -> the stub's answer at the end of DATA
DATA_ANSWERS = {
    "rac.nhieu": "550 5.7.1 Thư bị từ chối vì bị bộ lọc nhận diện là thư rác (spam)",
    "qua.lon": "552 5.3.4 Message size exceeds fixed maximum message size",
    "chinh.sach": "550 5.7.1 Thư không được chấp nhận do vi phạm chính sách của đơn vị",
    "loi.he": "554 5.3.0 Internal error: the mail system is misconfigured, message not delivered",
}
# the second Haraka (the remote MX) accepts harakab.example.vn (its host_list) and knows nothing else
BLACKLISTED = "cam.nhan@harakab.example.vn"  # rcpt_to.access.blacklist
RECIPIENTS = (
    *(f"{local}@sotc.example.vn" for local in (*ANSWERS, *DATA_ANSWERS)),
    "an.le@khongtontai.invalid",  # NXDOMAIN from the DNS stub
    "dns.loi@dnsloi.example.vn",  # SERVFAIL: Haraka 3.3.4 does not retry it, it bounces at once
    "khong.mx@nullmx.example.vn",  # RFC 7505 null MX
    "cam.cua@tuchoi.example.vn",  # greets with 554
    "dong.duc@dongduc.example.vn",  # greets with 421 too many connections until the retries end
    "ngat.ket@ngat.example.vn",  # accepts, then drops the connection at the end of DATA
    "kim.lam@cham.example.vn",  # a closed port
    "lac.host@lachost.example.vn",  # the second Haraka: rcpt_to.in_host_list does not know the domain
    BLACKLISTED,
    "hai.from@harakab.example.vn",  # two From: headers: the headers plugin
    "tep.exe@harakab.example.vn",  # an .exe attachment: the attachment plugin
    "rac.spam@harakab.example.vn",  # the spamd stub scores it 15.2: the spamassassin plugin
    "co.virus@harakab.example.vn",  # the clamd stub finds the EICAR test string: the clamd plugin
    "qua.to@harakab.example.vn",  # larger than the second Haraka's [max] bytes
    "vong.lap@harakab.example.vn",  # more Received: headers than max_received (a loop)
)
EICAR = r"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
SPAM_MARK = "GIAM GIA 90% CHI HOM NAY"


def _original(rcpt: str) -> bytes:
    local = rcpt.split("@")[0]
    hops = "".join(
        f"Received: from hop{i}.example.vn by hop{i + 1}.example.vn; Sun, 06 Dec 2026 07:{i % 60:02d}:00 +0700\n"
        for i in range(101 if local == "vong.lap" else 0)
    )
    extra_from = "From: Ban Khao sat <ban.ks@khaosat.example.vn>\n" if local == "hai.from" else ""
    body = "Kinh gui anh/chi,\nXin moi tham gia khao sat chuyen doi so 2026.\n"
    if local == "rac.spam":
        body += SPAM_MARK + "\n"
    if local == "co.virus":
        body += EICAR + "\n"
    if local in ("qua.to", "qua.lon"):
        body += ("Du lieu dinh kem " * 5 + "\n") * 400
    head = (
        f"{hops}From: Phong Khao sat <khaosat@khaosat.example.vn>\n{extra_from}To: {rcpt}\n"
        "Subject: Khao sat chuyen doi so 2026\nMessage-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\n"
        "Date: Sun, 06 Dec 2026 08:00:00 +0700\nMIME-Version: 1.0\n"
    )
    if local == "tep.exe":
        return (
            f'{head}Content-Type: multipart/mixed; boundary="b1"\n\n--b1\nContent-Type: text/plain; charset=utf-8\n\n'
            f"{body}\n--b1\nContent-Type: application/octet-stream; name=khaosat.exe\n"
            'Content-Disposition: attachment; filename="khaosat.exe"\nContent-Transfer-Encoding: base64\n\n'
            "TVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAgAAAAA==\n--b1--\n"
        ).encode()
    return f"{head}Content-Type: text/plain; charset=utf-8\n\n{body}".encode()


class _Stub(socketserver.StreamRequestHandler):
    """Just enough SMTP to answer as ANSWERS and DATA_ANSWERS say (greeting and mode set per server)."""

    greeting = "220 mx.sotc.example.vn ESMTP stub"
    drop_after_data = False

    def handle(self) -> None:
        self.wfile.write(self.greeting.encode() + b"\r\n")
        if not self.greeting.startswith("220"):
            self.rfile.readline()  # whatever comes (QUIT or EHLO) gets the same answer, then the line closes
            self.wfile.write(self.greeting.encode() + b"\r\n")
            return
        accepted: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-mx.sotc.example.vn\r\n250-PIPELINING\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                rcpt = line.decode().split("<", 1)[1].split(">", 1)[0]
                answer = ANSWERS.get(rcpt.split("@")[0], "250 2.1.5 Ok").format(rcpt=rcpt, sender=SENDER)
                if answer.startswith("250"):
                    accepted.append(rcpt.split("@")[0])
                self.wfile.write(answer.encode() + b"\r\n")
            elif verb == b"DATA" and accepted:
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    pass
                if self.drop_after_data:
                    return
                answer = next(
                    (DATA_ANSWERS[a] for a in accepted if a in DATA_ANSWERS), "250 2.0.0 Ok: queued"
                )
                self.wfile.write(answer.encode() + b"\r\n")
                accepted = []
            elif verb == b"DATA":
                self.wfile.write(b"554 5.5.1 Error: no valid recipients\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 2.0.0 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 2.0.0 Ok\r\n")


class _Keep(socketserver.StreamRequestHandler):
    """Our sender's MX: keeps each message it is given (the bounces) in the server's ``kept`` list."""

    def handle(self) -> None:
        self.wfile.write(b"220 mx.khaosat.example.vn ESMTP\r\n")
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb == b"DATA":
                self.wfile.write(b"354 go ahead\r\n")
                lines = []
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                self.server.kept.append(b"".join(lines).replace(b"\r\n", b"\n"))  # type: ignore[attr-defined]
                self.wfile.write(b"250 2.0.0 kept\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


class _Spamd(socketserver.StreamRequestHandler):
    """A spamd (SPAMC/1.4 HEADERS: the message follows a blank line and ends with the client's half-close)
    that scores a message carrying SPAM_MARK 15.2 and any other 0.1."""

    def handle(self) -> None:
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):
            pass
        spam = SPAM_MARK.encode() in self.rfile.read()
        score = b"True ; 15.2" if spam else b"False ; 0.1"
        tests = b"BAYES_99,URIBL_BLACK" if spam else b"NONE"
        self.wfile.write(b"SPAMD/1.1 0 EX_OK\r\nSpam: " + score + b" / 5.0\r\n\r\nX-Spam-Status: "
                         + (b"Yes" if spam else b"No") + b", tests=" + tests + b"\r\n")  # fmt: skip


class _Clamd(socketserver.StreamRequestHandler):
    """A clamd for zINSTREAM: finds the EICAR test string."""

    def handle(self) -> None:
        self.rfile.read(len(b"zINSTREAM\0"))
        data = b""
        while (size := struct.unpack(">I", self.rfile.read(4))[0]) > 0:
            data += self.rfile.read(size)
        found = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE" in data
        self.wfile.write(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")


class _Dns(socketserver.BaseRequestHandler):
    """NXDOMAIN for any name, SERVFAIL under dnsloi., an RFC 7505 null MX for nullmx. (UDP, one question)."""

    def handle(self) -> None:
        query, sock = self.request
        end = 12
        while query[end]:
            end += query[end] + 1
        question = query[12 : end + 5]
        name = query[12:end].lower()
        qtype = struct.unpack(">H", query[end + 1 : end + 3])[0]
        answer = b""
        if b"\x05dnsloi" in name:
            rcode = 2
        elif b"\x06nullmx" in name:
            rcode = 0
            if qtype == 15:  # MX 0 "."
                answer = b"\xc0\x0c" + struct.pack(">HHIH", 15, 1, 300, 3) + b"\x00\x00\x00"
        else:
            rcode = 3
        flags = 0x8180 | rcode
        head = query[:2] + struct.pack(">HHHHH", flags, 1, 1 if answer else 0, 0, 0)
        sock.sendto(head + question + answer, self.client_address)


class _Threaded(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _serve(handler: type[socketserver.BaseRequestHandler], **attrs: object) -> socketserver.BaseServer:
    if issubclass(handler, _Dns):
        server: socketserver.BaseServer = socketserver.ThreadingUDPServer(("127.0.0.1", 0), handler)
    else:
        server = _Threaded(("127.0.0.1", 0), type("H", (handler,), attrs))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _port(server: socketserver.BaseServer) -> int:
    return int(server.server_address[1])  # type: ignore[index]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


LAB_PLUGIN = """'use strict'
// round 7 test rig: DNS on loopback, MX per test domain, fast retries, relay everything submitted
exports.register = function () {
    this.lab = this.config.get('lab.json', 'json')
    // every lookup (Haraka's MX resolver, reverse DNS of a client) goes to the stub on loopback
    const servers = [`127.0.0.1:${this.lab.dns_port}`]
    require(this.lab.dns_config).getDnsResolver().setServers(servers)
    require('node:dns').setServers(servers)
    require('node:dns').promises.setServers(servers)
}
exports.hook_mail = function (next, connection) {
    if (this.lab.relay) connection.relaying = true
    next()
}
exports.hook_get_mx = function (next, hmail, domain) {
    const port = this.lab.routes[domain]
    if (port) return next(OK, { exchange: '127.0.0.1', port, priority: 10 })
    next()
}
exports.hook_deferred = function (next) {
    next(DENYSOFT, '1')
}
exports.hook_queue = function (next, connection) {
    if (this.lab.relay) return next()
    next(OK, 'accepted')
}
"""


def _connection_ini(node_modules: Path, max_bytes: int, max_received: int) -> str:
    """Haraka's own connection.ini with two limits changed (a file of ours replaces it whole)."""
    text = (node_modules / "Haraka" / "config" / "connection.ini").read_text()
    text = text.replace("max_received=100", f"max_received={max_received}")
    return text.replace("bytes=26214400", f"bytes={max_bytes}")


def _haraka(
    node_modules: Path, work: Path, name: str, port: int, plugins: list[str], files: dict[str, str]
) -> Path:
    home = work / name
    # Haraka's own default configuration first (its bounce template outbound.bounce_message among it): this
    # npm layout leaves haraka-config no path back to it, so a folder without them would bounce with an empty
    # template
    shutil.copytree(node_modules / "Haraka" / "config", home / "config")
    (home / "plugins").mkdir()
    (home / "plugins" / "lab.js").write_text(LAB_PLUGIN)
    (home / "config" / "plugins").write_text("\n".join(["lab", *plugins]) + "\n")
    (home / "config" / "smtp.ini").write_text(f"listen=127.0.0.1:{port}\n[main]\ndaemonize=false\n")
    (home / "config" / "log.ini").write_text("[main]\nlevel=info\ntimestamps=true\n")
    for file, text in files.items():
        (home / "config" / file).write_text(text)
    return home


@contextlib.contextmanager
def _running(node_modules: Path, home: Path, port: int) -> Iterator[subprocess.Popen[bytes]]:
    log = open(home / "haraka.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(
        ["node", str(node_modules / "Haraka" / "bin" / "haraka"), "-c", str(home)],
        stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "NODE_PATH": str(node_modules)},
    )  # fmt: skip
    try:
        for _ in range(150):  # up to 15 s to listen
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
                break
            if proc.poll() is not None:
                raise RuntimeError(f"Haraka stopped: see {home / 'haraka.log'}")
            time.sleep(0.1)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def main() -> None:
    work = Path(tempfile.mkdtemp())
    servers: list[socketserver.BaseServer] = []
    try:
        node_modules = Path(os.environ.get("HARAKA_NODE_MODULES") or work / "node_modules")
        if not (node_modules / "Haraka").is_dir():
            subprocess.run(["npm", "init", "-y"], cwd=work, check=True, capture_output=True)
            subprocess.run(["npm", "install", "--no-audit", "--no-fund", f"Haraka@{VERSION}"], cwd=work, check=True,
                           capture_output=True)  # fmt: skip
        stub, keep = _serve(_Stub), _serve(_Keep)
        keep.kept = []  # type: ignore[attr-defined]
        deny, busy = (
            _serve(_Stub, greeting="554 5.7.1 Access denied: your IP is not allowed here"),
            _serve(
                _Stub, greeting="421 4.7.0 Too many concurrent SMTP connections from this IP, try again later"
            ),
        )
        drop, spamd, clamd, dns = (
            _serve(_Stub, drop_after_data=True),
            _serve(_Spamd),
            _serve(_Clamd),
            _serve(_Dns),
        )
        servers += [stub, keep, deny, busy, drop, spamd, clamd, dns]
        relay_port, remote_port = _free_port(), _free_port()
        lab = {
            "dns_config": str(node_modules / "haraka-net-utils" / "lib" / "dns_config.js"),
            "dns_port": _port(dns),
        }
        routes = {
            "sotc.example.vn": _port(stub), "khaosat.example.vn": _port(keep), "tuchoi.example.vn": _port(deny),
            "dongduc.example.vn": _port(busy), "ngat.example.vn": _port(drop), "cham.example.vn": _free_port(),
            "lachost.example.vn": remote_port, "harakab.example.vn": remote_port,
        }  # fmt: skip
        relay = _haraka(node_modules, work, "relay", relay_port, [], {
            "me": "relay.sogd.example.vn\n",
            "lab.json": json.dumps({**lab, "relay": True, "routes": routes}),
            "outbound.ini": "enable_tls=false\nlocal_mx_ok=true\ntemp_fail_intervals=5s*2\n",
            "connection.ini": _connection_ini(node_modules, 26214400, 200),
        })  # fmt: skip
        remote = _haraka(
            node_modules, work, "remote", remote_port,
            ["access", "rcpt_to.in_host_list", "headers", "attachment", "spamassassin", "clamd"],
            {
                "me": "mx.harakab.example.vn\n",
                "lab.json": json.dumps({**lab, "relay": False, "routes": {}}),
                "host_list": "harakab.example.vn\n",
                "connection.ini": _connection_ini(node_modules, 20000, 100),
                "access.ini": "[check]\nconn=false\nmail=false\nrcpt=true\nany=false\n",
                "rcpt_to.access.blacklist": BLACKLISTED + "\n",
                "headers.ini": "[check]\nduplicate_singular=true\n[reject]\nduplicate_singular=true\n",
                "spamassassin.ini": f"spamd_socket=127.0.0.1:{_port(spamd)}\nreject_threshold=10\n",
                "clamd.ini": f"[main]\nclamd_socket=127.0.0.1:{_port(clamd)}\n",
            },
        )  # fmt: skip
        with _running(node_modules, remote, remote_port), _running(node_modules, relay, relay_port):
            for rcpt in RECIPIENTS:
                with smtplib.SMTP("127.0.0.1", relay_port, timeout=30) as client:
                    client.sendmail(SENDER, [rcpt], _original(rcpt).replace(b"\n", b"\r\n"))
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(keep.kept) < len(RECIPIENTS):  # type: ignore[attr-defined]
                time.sleep(0.5)
        for raw in keep.kept:  # type: ignore[attr-defined]
            body = raw.split(b"\n\n", 1)[1]
            rcpt = next((r for r in RECIPIENTS if f"rfc822;{r}".encode() in body), "")
            if not rcpt:
                print("a bounce for no recipient of ours:", raw[:200])
                continue
            name = OUT / f"haraka-failed-{rcpt.replace('@', '-at-')}.eml"
            name.write_bytes(raw)
            print(name.name)
        missing = set(RECIPIENTS) - {
            r for r in RECIPIENTS for raw in keep.kept if f"rfc822;{r}".encode() in raw
        }  # type: ignore[attr-defined]
        if missing:
            print("no bounce came for:", ", ".join(sorted(missing)))
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        if os.environ.get("HARAKA_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("work folder kept:", work)


if __name__ == "__main__":
    main()
