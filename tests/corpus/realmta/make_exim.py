"""Make real Exim 4 bounces and delay warnings for tests/corpus/realmta, labelled by construction.

A private Exim (Debian's exim4-daemon-light, unpacked into a temporary folder: installing it would replace
the Postfix that the project's mail stack runs) relays each message to a stub SMTP server on loopback that
answers as told (550 5.1.1, 552 5.2.2, 451 4.3.0) or to a closed port, with retry rules of a few
seconds (so Exim gives up: "retry timeout exceeded") or an hour (so it sends a delay warning); besides, a
domain that does not exist (dnslookup: "Unrouteable address"), a redirect router's ``:fail:`` with an own
text (English and Vietnamese), an appendfile mailbox over its quota, new messages to a host already past
its retry rule (next try due, or an hour away), and a message with more Received: headers than
received_headers_max. Round 3: the stub answers as an Exim server's ACLs would (sender verify and recipient
callout failures at RCPT, multi-line; spam and malware verdicts after DATA), a redirect router's ``:defer:``
until the retry rule's timeout, a system filter's ``fail text`` and a pipe transport past its timeout (Exim
writes non-ASCII text of a bounce as octal escapes). Round 4: more ACL texts (an SPF fail, a DNSBL listing
as Exim's example writes it, a ratelimit, a DKIM requirement after DATA, greylistd's defer until our retry
rule times out). Round 5: callouts to a dead MX (sender and recipient verify deferred until our retry rule
times out), ACL denials for a HELO name and a missing reverse name at RCPT and for an attachment type, a header's
syntax and a URI blocklist after DATA; redirect ``:fail:`` texts in Vietnamese for a full mailbox and a
transferred employee; a ``:blackhole:`` redirect, for which no bounce may come. What Exim writes back to our envelope sender
is kept (REALMTA_KEEP=1 keeps the work folder with Exim's logs). Needs root, ``apt-get download`` and a ``Debian-exim`` system user (made
here if missing). No server is left running. Usage: python3 tests/corpus/realmta/make_exim.py
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
# recipient local part -> the stub's answer to RCPT TO (others are accepted; DATA then fails)
ANSWERS = {
    "khong.ai": "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown in virtual mailbox table",
    "day.hop": "552 5.2.2 <{rcpt}>: Mailbox full, quota exceeded",
    "tam.hoan": "451 4.3.0 <{rcpt}>: Temporary lookup failure",
    # round 3: an Exim server's RCPT ACL, multi-line as Exim writes its verify failures
    "xac.minh": "550-Verification failed for <{sender}>\r\n550-Unrouteable address\r\n550 Sender verify failed",
    "goi.lai": "550-Callout verification failed:\r\n550 550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown"
    " in local recipient table",
    # round 4: more RCPT ACL texts, as Exim's documentation and common configurations write them (an SPF
    # check, dnslists, ratelimit, greylistd's defer until our retry rule times out)
    "spf.loi": "550-[SPF] 127.0.0.1 is not allowed to send mail from khaosat.example.vn.\r\n550 Please see"
    " http://www.open-spf.org/Why?scope=mfrom;identity={sender};ip=127.0.0.1",
    "den.sach": "550-Rejected because 127.0.0.1 is in a black list at zen.spamhaus.org\r\n550"
    " https://www.spamhaus.org/query/ip/127.0.0.1",
    "toc.do": "550 Sender rate exceeds 100 messages per 1h",
    "xam.cho": "451 127.0.0.1 is not yet authorized to deliver mail from <{sender}> to <{rcpt}>. Please try later.",
    # round 5: an Exim server's callouts to a dead MX (deferred until our retry rule times out), and ACL denials
    # for our HELO name and our host's missing reverse name
    "goi.chet": "451 Could not complete recipient verify callout",
    "gui.chet": "451 Could not complete sender verify callout",
    "helo.gia": "550 Rejected: HELO name relay.sogd.example.vn does not resolve to your address 127.0.0.1",
    "ptr.thieu": "550 Rejected: no host name found for IP address 127.0.0.1",
}
# recipient local part -> the stub's answer at the end of DATA (a content scanner in the DATA ACL)
DATA_ANSWERS = {
    "rac.nhieu": "550 5.7.1 Message classified as spam by the content scanner (score 14.8 > 5.0), not accepted",
    "co.virus": "550 5.7.1 This message contains malware (Win.Test.EICAR_HDB-1) and has been rejected",
    # round 4: a DATA ACL that requires a valid DKIM signature from the sender's domain
    "dkim.loi": "550 Rejected: no valid DKIM signature for khaosat.example.vn (dkim=fail, signature_incorrect)",
    # round 5: DATA ACL denials for an attachment type, a header's syntax and a URI blocklist
    "tep.dinh": "550 5.7.0 Blocked: attachments of type .exe are not accepted here",
    "cu.phap": "550 syntax error in 'From:' header when scanning for sender: missing or malformed local part",
    "lien.ket": "550 Message rejected: it contains a URL listed at multi.uribl.com",
}


# a redirect router's :blackhole: drops it silently: no bounce may come back for it
BLACKHOLE = "den.lang@hodencom.example.vn"
RECIPIENTS = ("khong.ai@sotc.example.vn", "day.hop@sotc.example.vn", "tam.hoan@sotc.example.vn",
              "an.le@down.example.vn", "tam.hoan@slow.example.vn",
              # round 2 (issue 15): labelled in manifest.csv before they were made
              "ai.do@khongtontai.invalid", "da.nghi@cu.example.vn", "hop.day@hopthu.example.vn",
              "lap.lai@sotc.example.vn", "dia.chi@cu.example.vn",
              # round 3: labelled in manifest.csv before they were made, scored before any rule was written
              "rac.nhieu@sotc.example.vn", "co.virus@sotc.example.vn", "xac.minh@sotc.example.vn",
              "goi.lai@sotc.example.vn", "tam.dung@tamdung.example.vn", "bo.loc@loc.example.vn",
              "ong.dan@ongdan.example.vn",
              # round 4: labelled in manifest.csv before they were made, scored before any rule was written
              "spf.loi@sotc.example.vn", "dkim.loi@sotc.example.vn", "den.sach@sotc.example.vn",
              "toc.do@sotc.example.vn", "xam.cho@sotc.example.vn",
              # round 5: labelled in manifest.csv before they were made, scored before any rule was written
              "goi.chet@sotc.example.vn", "gui.chet@sotc.example.vn", "helo.gia@sotc.example.vn",
              "ptr.thieu@sotc.example.vn", "tep.dinh@sotc.example.vn", "cu.phap@sotc.example.vn",
              "lien.ket@sotc.example.vn", "day.viet@daynoi.example.vn", "chuyen.viet@daynoi.example.vn",
              BLACKHOLE)  # fmt: skip
# the system filter fails mail for this recipient with its own text (Exim filter language)
SYSTEM_FILTER = """# Exim filter
if $recipients contains "bo.loc@" then
  fail text "Thư bị bộ lọc của hệ thống chặn: đơn vị không nhận thư gửi hàng loạt từ bên ngoài"
endif
"""
# sent after the first queue runs gave up on down.example.vn: the host is past its retry rule already
LATE = ("ba.le@down.example.vn", "lau.qua@lau.example.vn")
LOOP = "lap.lai@sotc.example.vn"  # sent with more Received: headers than received_headers_max (30)
# sent first, so that lau.example.vn's host has failed past its retry rule's 4 s cutoff with its next try an
# hour away when lau.qua (LATE) comes: "retry time not reached for any host after a long failure period"
PRIMER = "lau.som@lau.example.vn"


class _Stub(socketserver.StreamRequestHandler):
    """Just enough SMTP to answer RCPT as ANSWERS says."""

    def handle(self) -> None:
        self.wfile.write(b"220 mx.sotc.example.vn ESMTP stub\r\n")
        accepted: list[str] = []
        while line := self.rfile.readline():
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.wfile.write(b"250 mx.sotc.example.vn\r\n")
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


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _unpack(work: Path) -> Path:
    root = work / "root"
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "libidn12"], check=True, capture_output=True
    )  # a library
    for package in ("exim4-daemon-light", "exim4-base"):
        subprocess.run(["apt-get", "download", package], cwd=work, check=True, capture_output=True)
    for deb in work.glob("*.deb"):
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
    if subprocess.run(["id", "Debian-exim"], capture_output=True).returncode:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "Debian-exim"],
                       check=True)  # fmt: skip
    return root


CONFIG = """
exim_path = {root}/usr/sbin/exim4
primary_hostname = relay.sogd.example.vn
qualify_domain = sogd.example.vn
spool_directory = {work}/spool
log_file_path = {work}/log/%slog
exim_user = Debian-exim
exim_group = Debian-exim
trusted_users = root
never_users = root
delay_warning = 3s
ignore_bounce_errors_after = 0s
timeout_frozen_after = 1d
system_filter = {work}/filter

begin routers
gone:
  driver = redirect
  domains = cu.example.vn
  allow_fail
  data = ${{if eq{{$local_part}}{{dia.chi}}{{:fail: Địa chỉ này không còn tồn tại}}\
    {{:fail: Tài khoản đã bị xoá / this account has been removed}}}}
full_vi:
  driver = redirect
  domains = daynoi.example.vn
  allow_fail
  data = ${{if eq{{$local_part}}{{day.viet}}{{:fail: Hộp thư của người nhận không còn chỗ trống}}\
    {{:fail: Cán bộ này đã chuyển công tác sang đơn vị khác}}}}
hole:
  driver = redirect
  domains = hodencom.example.vn
  data = :blackhole:
paused:
  driver = redirect
  domains = tamdung.example.vn
  allow_defer
  data = :defer: Hộp thư đang được bảo trì, xin gửi lại sau / mailbox under maintenance
piped:
  driver = accept
  domains = ongdan.example.vn
  transport = slow_pipe
ours:
  driver = accept
  domains = khaosat.example.vn
  transport = keep
stub:
  driver = manualroute
  domains = sotc.example.vn : slow.example.vn
  route_list = * 127.0.0.1
  self = send
  transport = to_stub
down:
  driver = manualroute
  domains = down.example.vn
  route_list = * 127.0.0.1
  self = send
  transport = to_closed
later:
  driver = manualroute
  domains = lau.example.vn
  route_list = * 127.0.0.1
  self = send
  transport = to_closed2
quota:
  driver = accept
  domains = hopthu.example.vn
  transport = mailbox
dns:
  driver = dnslookup
  domains = ! khaosat.example.vn
  transport = to_closed
  no_more

begin transports
slow_pipe:
  driver = pipe
  command = /bin/sleep 30
  timeout = 2s
  user = Debian-exim
mailbox:
  driver = appendfile
  file = {work}/mbox/hopthu
  create_file = anywhere
  user = Debian-exim
  quota = 200
keep:
  driver = appendfile
  directory = {work}/kept
  user = Debian-exim
  create_directory
to_stub:
  driver = smtp
  port = {stub_port}
  allow_localhost
  hosts_avoid_tls = *
to_closed:
  driver = smtp
  port = {closed_port}
  allow_localhost
  hosts_avoid_tls = *
to_closed2:
  driver = smtp
  port = {closed_port2}
  allow_localhost
  hosts_avoid_tls = *

begin retry
slow.example.vn * F,1h,1s
lau.example.vn * F,4s,1h
* * F,4s,1s
"""


def _original(rcpt: str) -> bytes:
    hops = "".join(
        f"Received: from hop{i}.example.vn by hop{i + 1}.example.vn; Sun, 06 Dec 2026 07:{i:02d}:00 +0700\n"
        for i in range(31 if rcpt == LOOP else 0)
    )
    return (
        f"{hops}From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nKinh gui anh/chi,\n"
    ).encode()


def main() -> None:
    work = Path(tempfile.mkdtemp())
    try:
        root = _unpack(work)
        for sub in ("spool", "log", "kept", "mbox"):
            (work / sub).mkdir()
        shutil.chown(work, "Debian-exim", "Debian-exim")
        for sub in ("spool", "log", "kept", "mbox"):
            shutil.chown(work / sub, "Debian-exim", "Debian-exim")
        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Stub)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        (work / "filter").write_text(SYSTEM_FILTER, encoding="utf-8")
        conf = work / "exim.conf"
        stub_port, closed_port, closed_port2 = server.server_address[1], _free_port(), _free_port()
        conf.write_text(CONFIG.format(root=root, work=work, stub_port=stub_port, closed_port=closed_port,
                                      closed_port2=closed_port2))  # fmt: skip
        env = dict(os.environ)
        exim = [str(root / "usr/sbin/exim4"), "-C", str(conf)]
        # the looping one is refused on reception (exit status 1) and bounced
        for rcpt in (PRIMER, *RECIPIENTS):
            subprocess.run(
                [*exim, "-odi", "-f", SENDER, rcpt], input=_original(rcpt), env=env, check=rcpt != LOOP
            )
        time.sleep(5)  # past the retry rule's 4 s: the next queue run gives up on what still fails
        subprocess.run([*exim, "-qff"], env=env, check=True)
        time.sleep(1)
        subprocess.run([*exim, "-qff"], env=env, check=True)
        for rcpt in LATE:
            subprocess.run([*exim, "-odi", "-f", SENDER, rcpt], input=_original(rcpt), env=env, check=True)
        time.sleep(1)
        server.shutdown()
        for path in sorted((work / "kept").iterdir(), key=lambda p: p.stat().st_mtime):
            raw = path.read_bytes()
            head = raw.split(b"\n\n", 1)[0]
            kind = "delay" if b"Subject: Warning:" in head else "failed"
            rcpt = next((r for r in (*RECIPIENTS, *LATE) if r.encode() in raw.split(b"\n\n", 1)[1]), "")
            if not rcpt:  # the primer's own bounce
                continue
            if rcpt == BLACKHOLE:
                print(f"a bounce came for {BLACKHOLE}, which :blackhole: should drop silently")
                continue
            name = OUT / f"exim-{kind}-{rcpt.replace('@', '-at-')}.eml"
            if not name.exists():  # a later queue run repeats the warning
                name.write_bytes(raw)
                print(name.name)
    finally:
        if os.environ.get("REALMTA_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
