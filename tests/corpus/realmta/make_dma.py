"""Make real dma (DragonFly Mail Agent) bounces for tests/corpus/realmta, labelled by construction (round 7).

dma is a sendmail-compatible agent without a listener: it queues what ``dma -f SENDER RCPT`` is given and
delivers it itself, here through its SMARTHOST, an SMTP stub on loopback that answers RCPT or the end of DATA
as told (English and Vietnamese texts). A permanent failure makes dma write its own bounce ("This is the
dma at ...  There was an error delivering your mail to <...>") and send it to our envelope sender through the
same smarthost, where the stub keeps it. Debian's package is unpacked, not installed (``apt-get download`` and
``dpkg-deb -x`` into a temporary folder: installing it would replace the Postfix that the project's mail stack
runs). dma reads its configuration only from /etc/dma/dma.conf, so it runs in a mount namespace of its own in
which a copy of /etc, with our dma.conf in it, is mounted over /etc. dma retries a temporary failure for days,
so only permanent ones are provoked. Nothing is left running; DMA_KEEP=1 keeps the work folder. Needs root,
``unshare`` and ``apt-get download``. Usage: python3 tests/corpus/realmta/make_dma.py
"""

from __future__ import annotations

import os
import shutil
import socketserver
import subprocess
import tempfile
import threading
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent
SENDER = "bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn"
# recipient local part at sotc.example.vn -> the stub's answer to RCPT TO (the others are accepted)
ANSWERS = {
    "khong.co": "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in local recipient table",
    "khong.ton": "550 Người dùng này không tồn tại trên máy chủ",
    "day.hop": "552 5.2.2 <{rcpt}>: Mailbox full",
    "tam.khoa": "550 5.2.1 <{rcpt}>: Mailbox disabled, not accepting messages",
    "den.sach": "550 5.7.1 Địa chỉ IP 127.0.0.1 của bạn nằm trong danh sách đen (blacklist) của chúng tôi",
    "ben.ngoai": "550 5.7.1 <{rcpt}>: Địa chỉ này không nhận thư từ bên ngoài đơn vị",
    "dmarc.loi": "550 5.7.26 Unauthenticated email from khaosat.example.vn is not accepted due to domain's DMARC"
    " policy",
}
# recipient local part -> the stub's answer at the end of DATA
DATA_ANSWERS = {
    "qua.lon": "552 5.3.4 Message too big for system",
    "rac.nhieu": "550 5.7.1 Message rejected as spam by content filtering",
    "co.virus": "554 5.7.0 Message rejected: virus found (Eicar-Test-Signature)",
    "dau.thu": "554 5.6.0 Message contains an invalid header",
}
RECIPIENTS = tuple(f"{local}@sotc.example.vn" for local in (*ANSWERS, *DATA_ANSWERS))
CONFIG = "SMARTHOST 127.0.0.1\nPORT {port}\nSPOOLDIR {work}/spool\nMAILNAME relay.sogd.example.vn\n"


class _Stub(socketserver.StreamRequestHandler):
    """The smarthost: answers as ANSWERS and DATA_ANSWERS say; keeps what is sent to our sender (the bounces)."""

    def handle(self) -> None:
        self.wfile.write(b"220 mx.sotc.example.vn ESMTP stub\r\n")
        accepted: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250-mx.sotc.example.vn\r\n250 8BITMIME\r\n")
            elif verb == b"RCPT":
                rcpt = line.decode().split("<", 1)[1].split(">", 1)[0]
                answer = ANSWERS.get(rcpt.split("@")[0], "250 2.1.5 Ok").format(rcpt=rcpt)
                if answer.startswith("250"):
                    accepted.append(rcpt)
                self.wfile.write(answer.encode() + b"\r\n")
            elif verb == b"DATA" and accepted:
                self.wfile.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                lines = []
                while (data := self.rfile.readline()) and data.rstrip(b"\r\n") != b".":
                    lines.append(data[1:] if data.startswith(b"..") else data)
                if SENDER in accepted:
                    self.server.kept.append(b"".join(lines).replace(b"\r\n", b"\n"))  # type: ignore[attr-defined]
                local = accepted[0].split("@")[0]
                self.wfile.write(DATA_ANSWERS.get(local, "250 2.0.0 Ok: queued").encode() + b"\r\n")
                accepted = []
            elif verb == b"DATA":
                self.wfile.write(b"554 5.5.1 Error: no valid recipients\r\n")
            elif verb == b"QUIT":
                self.wfile.write(b"221 2.0.0 Bye\r\n")
                return
            else:
                self.wfile.write(b"250 2.0.0 Ok\r\n")


def _original(rcpt: str) -> bytes:
    return (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nKinh gui anh/chi,\n"
    ).encode()


def main() -> None:
    work = Path(tempfile.mkdtemp())
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Stub)
    server.daemon_threads = True
    server.kept = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        subprocess.run(["apt-get", "download", "dma"], cwd=work, check=True, capture_output=True)
        for deb in work.glob("*.deb"):
            subprocess.run(["dpkg-deb", "-x", str(deb), str(work / "root")], check=True)
        (work / "spool").mkdir()
        # as Debian's package sets it up: dma drops root for the mail group, which owns the spool
        work.chmod(0o755)
        shutil.chown(work / "spool", "root", "mail")
        (work / "spool").chmod(0o2775)
        shutil.copytree("/etc", work / "etc", symlinks=True)
        (work / "etc" / "dma").mkdir(exist_ok=True)
        (work / "etc" / "dma" / "dma.conf").write_text(
            CONFIG.format(port=server.server_address[1], work=work)
        )
        dma = work / "root" / "usr" / "sbin" / "dma"
        for rcpt in RECIPIENTS:
            (work / "in").write_bytes(_original(rcpt))
            # dma's own namespace: our /etc copy over /etc; -D: deliver in the foreground, then exit
            script = f'mount --bind "{work}/etc" /etc && exec "{dma}" -D -f "{SENDER}" "{rcpt}" < "{work}/in"'
            subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], check=True)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(server.kept) < len(RECIPIENTS):  # type: ignore[attr-defined]
            time.sleep(0.5)
        for raw in server.kept:  # type: ignore[attr-defined]
            rcpt = next((r for r in RECIPIENTS if f"<{r}>".encode() in raw), "")
            if not rcpt:
                print("a bounce for no recipient of ours:", raw[:200])
                continue
            name = OUT / f"dma-failed-{rcpt.replace('@', '-at-')}.eml"
            name.write_bytes(raw)
            print(name.name)
        missing = [r for r in RECIPIENTS if not (OUT / f"dma-failed-{r.replace('@', '-at-')}.eml").exists()]
        if missing:
            print("no bounce came for:", ", ".join(missing))
    finally:
        server.shutdown()
        server.server_close()
        if os.environ.get("DMA_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)
        else:
            print("work folder kept:", work)


if __name__ == "__main__":
    main()
