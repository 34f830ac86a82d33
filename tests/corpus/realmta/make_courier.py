"""Make real Courier-MTA 1.0 bounces and delay notices for tests/corpus/realmta, labelled by construction.

A private Courier (Debian's courier-mta, courier-base, courier-authlib and the libraries they need, unpacked
into a temporary folder with ``apt-get download`` and ``dpkg-deb -x``: installing it would replace the Postfix
that the project's mail stack runs) is run in a mount namespace where overlay mounts put the unpacked /etc,
/usr and /var over the machine's own (Courier's paths are compiled in), with its own control files: ``me``,
``esmtproutes`` (each recipient domain to a loopback address and port), short ``warntime``/``queuetime`` and
retry schedule, and an /etc/resolv.conf naming the DNS stub of make_sendmail.py (NXDOMAIN for every name,
SERVFAIL for one label), so that no query leaves the machine. Stub SMTP servers (threads) answer as told, per
recipient at RCPT, after DATA, at MAIL, in the greeting, or nothing listens; some answers are Vietnamese. What
Courier writes back to our envelope sender (its own DSN wording, delivered over SMTP to a capturing thread) is
kept as it came. Needs root and ``apt-get download``; nothing is installed and no server is left running.
REALMTA_KEEP=1 keeps the work folder. Usage: python3 tests/corpus/realmta/make_courier.py
"""

from __future__ import annotations

import os
import shutil
import socket
import socketserver
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_sendmail import DNS_IP, SENDER, _Dns, _free_port  # noqa: E402  (the DNS stub is shared)

OUT = Path(__file__).resolve().parent
PACKAGES = ("courier-mta", "courier-base", "courier-authlib", "libcourier-unicode4", "libnet-cidr-perl",
            "libidn12", "libgdbm6", "libgdbm-compat4")  # fmt: skip
HOSTS = {
    "127.0.0.2": "mx",  # answers per recipient: RCPT_ANSWERS, DATA_ANSWERS
    "127.0.0.3": "closed",  # nothing listens
    "127.0.0.4": "capture",  # our own MX: keeps what comes back
    "127.0.0.6": "mail:550 5.1.0 <{sender}>: Sender address rejected: Domain not found",
    "127.0.0.8": "greet:554 5.7.1 mx.dong.example.vn ESMTP not accepting messages from 127.0.0.1: listed on our blocklist",
    "127.0.0.9": "greet:421 4.7.0 mx.ban.example.vn Server busy, too many connections, try again later",
    "127.0.0.10": "mail:550 5.7.1 Người gửi bị từ chối theo chính sách của máy chủ",
}
ROUTES = {
    "phongban.example.vn": "127.0.0.2",
    "cham.example.vn": "127.0.0.3",
    "khaosat.example.vn": "127.0.0.4",
    "tuchoi.example.vn": "127.0.0.6",
    "dong.example.vn": "127.0.0.8",
    "ban.example.vn": "127.0.0.9",
    "chan.example.vn": "127.0.0.10",
}
RCPT_ANSWERS = {
    "khong.co": "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
    "nguoi.la": "550 5.1.1 Tài khoản người nhận không tồn tại, vui lòng kiểm tra lại địa chỉ",
    "het.cho": "452 4.2.2 <{rcpt}>: Mailbox is over quota",
    "day.tran": "552 5.2.2 Hộp thư người nhận đã vượt quá hạn mức dung lượng",
    "chuyen.tiep": "554 5.7.1 <{rcpt}>: Relay access denied",
    "ip.den": "554 5.7.1 Service unavailable; Client host [127.0.0.1] blocked using zen.spamhaus.org",
    "xam.cho": "450 4.7.1 <{rcpt}>: Recipient address rejected: Greylisted, come back later",
    "tam.loi": "451 4.3.0 <{rcpt}>: Temporary lookup failure",
}
DATA_ANSWERS = {
    "rac.qua": "550 5.7.1 Message rejected as spam by Content Filtering (SpamAssassin score 12.1)",
    "chinh.sach": "550 5.7.1 Message rejected due to content restrictions (attachment type not allowed)",
    "lon.qua": "552 5.3.4 Message too big for system",
    "he.thong": "554 5.3.5 Mail system configuration error, please contact the administrator",
    "tu.choi": "554 5.7.1 Thư bị từ chối: nội dung vi phạm chính sách an toàn thông tin của đơn vị",
}
RECIPIENTS = (
    *(f"{local}@phongban.example.vn" for local in (*RCPT_ANSWERS, *DATA_ANSWERS)),
    "kim.lam@cham.example.vn", "tuan.ly@tuchoi.example.vn", "qua.dong@dong.example.vn",
    "qua.tai@ban.example.vn", "mai.tran@chan.example.vn",
    "ai.do@khongtontai.invalid", "mat.ten@loi-dns.example.vn",
)  # fmt: skip
CONTROL = {
    "me": "relay.sogd.example.vn",
    "defaultdomain": "sogd.example.vn",
    "locals": "relay.sogd.example.vn\nlocalhost\n",
    "warntime": "4s",
    "queuetime": "25s",
    "retryalpha": "3s",
    "retrybeta": "3",
    "retrygamma": "6s",
    "retrymaxdelta": "1",
    "esmtptimeoutconnect": "3s",
}
UID = 64990  # the "courier" user inside the namespace (its passwd and group entries are in the overlay only)


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
                self._say("250-mx.example.vn\r\n250-8BITMIME\r\n250 DSN")
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


def _unpack(work: Path, packages: tuple[str, ...] = PACKAGES) -> Path:
    """Debian's packages downloaded into ``work`` and unpacked, not installed (make_round11a.py's too)."""
    root = work / "root"
    for package in packages:
        subprocess.run(["apt-get", "download", package], cwd=work, check=True, capture_output=True)
    for deb in work.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    return root


def _configure(root: Path, port: int) -> None:
    etc = root / "etc/courier"
    for name, text in CONTROL.items():
        (etc / name).write_text(text.rstrip("\n") + "\n")
    (etc / "esmtproutes").write_text("".join(f"{d}: [{ip}],{port}\n" for d, ip in ROUTES.items()))
    (root / "etc/resolv.conf").write_text(f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    (root / "etc/hosts").write_text(f"127.0.0.1 relay.sogd.example.vn {socket.gethostname()} localhost\n")
    passwd = Path("/etc/passwd").read_text() + f"courier:x:{UID}:{UID}::/var/lib/courier:/usr/sbin/nologin\n"
    (root / "etc/passwd").write_text(passwd)
    (root / "etc/group").write_text(Path("/etc/group").read_text() + f"courier:x:{UID}:\n")
    (root / "run/courier").mkdir(parents=True, exist_ok=True)
    for path in (root / "var/lib/courier", root / "run/courier", etc):
        for dirpath, _dirs, files in os.walk(path):
            os.chown(dirpath, UID, UID)
            for name in files:
                os.chown(os.path.join(dirpath, name), UID, UID)
    (root / "var/lib/courier/tmp").chmod(0o770)


def _original(rcpt: str) -> bytes:
    return (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nKinh gui anh/chi,\n"
    ).encode()


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
        _configure(root, port)
        for i, rcpt in enumerate(RECIPIENTS):
            (work / f"msg{i}").write_bytes(_original(rcpt))
        over = " && ".join(
            f"mkdir -p {work}/up/{d} {work}/wk/{d} && mount -t overlay overlay "
            f"-o lowerdir={root}/{d}:/{d},upperdir={work}/up/{d},workdir={work}/wk/{d} /{d}"
            for d in ("etc", "usr", "var", "run")
        )
        submit = " && ".join(
            f"/usr/sbin/sendmail -f {SENDER} {r} < {work}/msg{i}" for i, r in enumerate(RECIPIENTS)
        )
        # the shell waits past queuetime (25 s) and the last retries: this is a generator, not a test
        script = (f"{over} && /usr/lib/courier/makealiases && /usr/sbin/courier start && {submit}; "
                  "sleep 45; /usr/sbin/courier stop; sleep 2")  # fmt: skip
        subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], check=False)
        for raw in kept:
            head, body = raw.split(b"\n\n", 1)
            kind = "delay" if b"delayed" in head.lower() or b"warning" in head.lower() else "failed"
            rcpt = next((r for r in RECIPIENTS if f"<{r}>".encode() in body or r.encode() in body), "")
            if not rcpt:
                print("a message for none of our recipients:", head.decode(errors="replace")[:300])
                continue
            name = OUT / f"courier-{kind}-{rcpt.replace('@', '-at-')}.eml"
            if not name.exists():
                name.write_bytes(raw)
                print(name.name)
    finally:
        for server in servers:
            server.shutdown()
            server.server_close()
        if os.environ.get("REALMTA_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("kept", work)


if __name__ == "__main__":
    main()
