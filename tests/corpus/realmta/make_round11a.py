"""Make real bounces from MTA software never run here before, for tests/corpus/realmta (round 11a), labelled
by construction (manifest.csv): qpsmtpd 0.94 as the remote whose plugins refuse, chasquid 1.11 and nullmailer
2.2 as senders with DSN wording of their own, and Postfix 3.7 bouncing qpsmtpd's texts.

Debian 12's chasquid, nullmailer and qpsmtpd are unpacked (``apt-get download`` and ``dpkg-deb -x``), not
installed: nullmailer conflicts with the Postfix the project's mail stack runs, and the packages' own services
would listen on port 25 or 2525. As make_filters2.py, the run is in a mount namespace of its own (run_round of
make_filters.py: a DNS stub that says NXDOMAIN for every name but our sender domain's TXT records, and the
private Postfix of make_relays.py, whose virtual mailbox keeps what comes back to our envelope sender); here
overlay mounts add the unpacked /etc, /usr and /var (the three programs' paths are compiled in) and an
/etc/hosts names the remotes. qpsmtpd-forkserver instances listen on 127.0.0.21-26 at the port Postfix listens
on at 127.0.0.1 (chasquid's testing__outgoing_smtp_port is one port for all), each forwarding what it accepts
(queue/smtp-forward) to our Postfix: .21 with badrcptto, rcpt_ok (rcpthosts), loop (max hops), headers (a Date
far in the future) and a databytes limit; .22 badmailfrom naming our sender domain; .23 helo with a badhelo list
naming our HELO names (reject naughty, so that naughty refuses at RCPT: with an immediate reject it drops the
connection before the client reads its 550); .24 sender_permitted_from (reject 3; Postfix sends from 127.0.0.10,
which our SPF record fails); .25 dnsbl (a zone whose TXT record lists 127.0.0.1: the 550 comes in the greeting);
.26 forwarding to a closed port, so it defers after DATA. Postfix relays one message per recipient to them;
chasquid (no AUTH needed: its aliases forward mail for its local domain to the remotes, and pipe one local part
to a command that fails) and nullmailer-send (its only remote is .21; its bounces, made by nullmailer-dsn, are
queued and sent to .21 like any mail, which forwards them to Postfix) send the others. Nothing leaves
127.0.0.0/8 and nothing is left running. Not made: chasquid's notices for transient failures (an unknown
domain, a 5xx greeting and a dropped connection are transient to it, and its queue gives up after 20 hours, not
configurable), and nullmailer's (one remote: a temporary failure of .21 would hold its bounces too); qpsmtpd's
greylisting (the plugin dies in 0.94-5: no method is_p0f_match) and its spamassassin plugin (no spamd here).
chasquid forwards with an envelope sender of its own domain, so qpsmtpd's badmailfrom never sees ours there.
REALMTA_KEEP=1 keeps the work folder and its logs. Needs root.
Usage: python3 tests/corpus/realmta/make_round11a.py
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_courier import _unpack  # noqa: E402
from make_filters import DNS_IP, SENDER, TXT, _listening, run_round, stop  # noqa: E402
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write, make_spool, postfix_running  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
PACKAGES = ("chasquid", "nullmailer", "qpsmtpd")
# the qpsmtpd instances: address, the plugins file
QP = {
    "mx": ("127.0.0.21", "loop 8\nheaders future 2 past 60\nbadrcptto\nrcpt_ok\nqueue/smtp-forward 127.0.0.1 {port_a}\n"),
    "from": ("127.0.0.22", "badmailfrom\nrcpt_ok\nqueue/smtp-forward 127.0.0.1 {port_a}\n"),
    "helo": ("127.0.0.23", "helo policy strict reject naughty\nnaughty reject rcpt\nrcpt_ok\nqueue/smtp-forward 127.0.0.1 {port_a}\n"),
    "spf": ("127.0.0.24", "sender_permitted_from reject 3\nrcpt_ok\nqueue/smtp-forward 127.0.0.1 {port_a}\n"),
    "dnsbl": ("127.0.0.25", "dnsbl\nrcpt_ok\nqueue/smtp-forward 127.0.0.1 {port_a}\n"),
    "queue": ("127.0.0.26", "rcpt_ok\nqueue/smtp-forward 127.0.0.1 {closed}\n"),
}  # fmt: skip
# a DNSBL listing for 127.0.0.1 (the TXT record a list publishes, as Spamhaus's do: a link about the address)
DNSBL = "bl.khoi.example.vn"
TXT[f"1.0.0.127.{DNSBL}"] = "https://www.spamhaus.org/query/ip/127.0.0.1"
HOSTS = {
    "qp.example.vn": "mx",
    "khac.example.vn": "mx",
    "chan.example.vn": "from",
    "chao.example.vn": "helo",
    "spf.example.vn": "spf",
    "den.example.vn": "dnsbl",
    "hang.example.vn": "queue",
}
CHASQUID_DOMAIN = "chuyentiep.example.vn"
# recipient -> (the sender that relays it, what the message carries, what is provoked)
RECIPIENTS = {
    "khong.co@qp.example.vn": ("postfix", "plain", "qpsmtpd badrcptto, no reason: its no_such_user DSN"),
    "bi.chan@qp.example.vn": ("postfix", "plain", "qpsmtpd badrcptto with a reason: 'not accepted here'"),
    "ngoai.mien@khac.example.vn": ("postfix", "plain", "qpsmtpd rcpt_ok: domain not in rcpthosts"),
    "qua.lon@qp.example.vn": ("postfix", "big", "qpsmtpd databytes 8000: Message too big"),
    "vong.lap@qp.example.vn": ("postfix", "hops", "qpsmtpd loop 8: too many Received headers"),
    "ngay.sai@qp.example.vn": ("postfix", "future", "qpsmtpd headers future 2: a Date in 2031"),
    "tu.choi@chan.example.vn": ("postfix", "plain", "qpsmtpd badmailfrom: our sender domain"),
    "cq.khongco@qp.example.vn": ("chasquid", "plain", "chasquid to qpsmtpd badrcptto (no_such_user)"),
    "cq.ngoai@khac.example.vn": ("chasquid", "plain", "chasquid to qpsmtpd rcpt_ok: relaying denied"),
    "cq.lon@qp.example.vn": ("chasquid", "big", "chasquid to qpsmtpd databytes: Message too big"),
    f"lenh.hong@{CHASQUID_DOMAIN}": (
        "chasquid",
        "plain",
        "chasquid: an alias piped to a command that exits 1",
    ),
    "nm.khongco@qp.example.vn": ("nullmailer", "plain", "nullmailer to qpsmtpd badrcptto (no_such_user)"),
    "nm.ngoai@khac.example.vn": ("nullmailer", "plain", "nullmailer to qpsmtpd rcpt_ok: relaying denied"),
    "nm.lon@qp.example.vn": ("nullmailer", "big", "nullmailer to qpsmtpd databytes: Message too big"),
    "nm.vonglap@qp.example.vn": ("nullmailer", "hops", "nullmailer to qpsmtpd loop: too many hops"),
    "nm.ngaysai@qp.example.vn": ("nullmailer", "future", "nullmailer to qpsmtpd headers: a Date in 2031"),
    # the second batch of the round: labelled in manifest.csv before they were made, scored before any rule
    "helo.sai@chao.example.vn": (
        "postfix",
        "plain",
        "qpsmtpd helo (badhelo names our HELO), reject naughty at RCPT",
    ),
    "spf.gia@spf.example.vn": (
        "postfix",
        "plain",
        "qpsmtpd sender_permitted_from reject 3, from 127.0.0.10: SPF fail",
    ),
    "rbl.den@den.example.vn": ("postfix", "plain", "qpsmtpd dnsbl: 127.0.0.1 listed (a TXT record)"),
    "hang.doi@hang.example.vn": (
        "postfix",
        "plain",
        "qpsmtpd queue/smtp-forward to a closed port, until the lifetime ends",
    ),
    "cq.chao@chao.example.vn": (
        "chasquid",
        "plain",
        "chasquid to qpsmtpd helo: badhelo, reject naughty at RCPT",
    ),
}
RETRIED = ("hang.doi@", "rbl.den@")
CHASQUID_CONF = """smtp_address: "127.0.0.1:{port_cq}"
submission_address: "127.0.0.1:{port_cqsub}"
submission_over_tls_address: "127.0.0.1:{port_cqtls}"
monitoring_address: ""
hostname: "mx.{domain}"
data_dir: "{w}/chasquid/data"
mail_log_path: "{w}/log/chasquid-mail.log"
mail_delivery_agent_bin: "/bin/false"
drop_characters: ""
"""
MAIN_CF = FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "")
MASTER_CF = (
    "127.0.0.1:{port_a} inet n - n - - smtpd\nsmtp10 unix - - n - - smtp -o smtp_bind_address=127.0.0.10\n"
    + SERVICES_CF
)


def _qp_conf(w: Path, name: str, ports: dict[str, int]) -> Path:
    conf = w / "qp" / name
    plugins = QP[name][1].format(**ports)
    files = {
        "plugins": plugins,
        "plugin_dirs": "/usr/share/qpsmtpd/plugins\n",
        "spool_dir": f"{conf}/spool\n",
        "logging": f"logging/file loglevel LOGDEBUG {w}/log/qpsmtpd-{name}.log\n",
        "me": f"mx-{name}.qp.example.vn\n",
        "rcpthosts": "".join(f"{d}\n" for d in HOSTS if d != "khac.example.vn") + "khaosat.example.vn\n",
        "badrcptto": "khong.co@qp.example.vn\nbi.chan@qp.example.vn chan\ncq.khongco@qp.example.vn\n"
        "nm.khongco@qp.example.vn\n",
        "databytes": "8000\n",
        "badmailfrom": "@khaosat.example.vn\n",
        "badhelo": "relay.sogd.example.vn\nmx.chuyentiep.example.vn\n",
        "dnsbl_zones": f"{DNSBL}\n",
    }
    for file, text in files.items():
        _write(conf / file, text)
    (conf / "spool").mkdir()
    return conf


def _configure(w: Path, ports: dict[str, int]) -> None:
    fill = {"w": w, **ports}
    _write(w / "etc/main.cf", MAIN_CF.format(**fill))
    _write(w / "etc/master.cf", MASTER_CF.format(**fill))
    addr = {name: ip for name, (ip, _) in QP.items()}
    routes = "".join(
        f"{rcpt} {'smtp10' if rcpt.startswith('spf.') else 'smtp'}:[{addr[HOSTS[rcpt.split('@')[1]]]}]:{ports['port_a']}\n"
        for rcpt, (sender, _, _) in RECIPIENTS.items()
        if sender == "postfix"
    )
    _write(w / "etc/transport", routes)
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    _write(w / "resolv.conf", f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    (w / "kept/khaosat/bounces").mkdir(parents=True)
    for sub in ("data", "log", "chasquid/data", "qp"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    for name in QP:
        _qp_conf(w, name, ports)
    (w / "debs").mkdir()
    root = _unpack(w / "debs", PACKAGES)
    # the unpacked trees over the machine's own, in this mount namespace only
    for d in ("etc", "usr", "var"):
        (w / "up" / d).mkdir(parents=True)
        (w / "wk" / d).mkdir(parents=True)
        subprocess.run(["mount", "-t", "overlay", "overlay", "-o",
                        f"lowerdir={root}/{d}:/{d},upperdir={w}/up/{d},workdir={w}/wk/{d}", f"/{d}"],
                       check=True)  # fmt: skip
    hosts = "127.0.0.1 localhost relay.sogd.example.vn khaosat.example.vn\n" + "".join(
        f"{addr[name]} {domain}\n" for domain, name in HOSTS.items()
    )
    _write(Path("/etc/hosts"), hosts)
    # chasquid: a local domain whose aliases forward to the remotes, a certificate of its own for STARTTLS
    cq = Path("/etc/chasquid")
    _write(cq / "chasquid.conf", CHASQUID_CONF.format(domain=CHASQUID_DOMAIN, **fill))
    forwards = "".join(
        f"{rcpt.split('@')[0]}: {rcpt}\n"
        for rcpt, (sender, _, _) in RECIPIENTS.items()
        if sender == "chasquid" and not rcpt.endswith(CHASQUID_DOMAIN)
    )
    _write(cq / "domains" / CHASQUID_DOMAIN / "aliases", forwards + "lenh.hong: | /bin/false\n")
    (cq / "domains" / CHASQUID_DOMAIN / "users").touch()
    certs = cq / "certs" / f"mx.{CHASQUID_DOMAIN}"
    certs.mkdir(parents=True, exist_ok=True)
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-subj", f"/CN=mx.{CHASQUID_DOMAIN}", "-keyout", str(certs / "privkey.pem"),
                    "-out", str(certs / "fullchain.pem")], check=True, capture_output=True)  # fmt: skip
    # nullmailer: its one remote is qpsmtpd .21; short pauses
    nm = Path("/etc/nullmailer")
    _write(nm / "remotes", f"127.0.0.21 smtp --port={ports['port_a']}\n")
    _write(nm / "me", "may.sogd.example.vn\n")
    _write(Path("/etc/mailname"), "may.sogd.example.vn\n")
    _write(nm / "pausetime", "2\n")
    _write(nm / "maxpause", "2\n")
    _write(nm / "queuelifetime", "20\n")
    spool = Path("/var/spool/nullmailer")
    for sub in ("queue", "tmp", "failed"):
        (spool / sub).mkdir(parents=True, exist_ok=True)
    if not (spool / "trigger").exists():
        os.mkfifo(spool / "trigger")
    subprocess.run(["chown", "-R", "mail:mail", str(spool)], check=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "kept"), str(w / "qp")], check=True)
    subprocess.run(["chown", "postfix", str(w / "data")], check=True)
    subprocess.run(["chmod", "777", str(w / "log")], check=True)
    w.chmod(0o755)


def _original(rcpt: str, carries: str) -> bytes:
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * (
        150 if carries == "big" else 4
    )
    head = "".join(
        f"Received: from h{i}.example.vn by h{i + 1}.example.vn; Sun, 6 Dec 2026 08:00:00 +0700\n"
        for i in range(12 if carries == "hops" else 0)
    )
    date = "Fri, 05 Dec 2031 08:00:00 +0700" if carries == "future" else _today()
    return (
        f"{head}From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\nSubject: Khao sat chuyen doi so 2026\n"
        f"Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: {date}\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


def _today() -> str:
    return time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime())


def _send_others(ports: dict[str, int]) -> None:
    """chasquid's messages over SMTP to its own domain (its aliases forward them), nullmailer's through its
    sendmail (nullmailer-inject and nullmailer-queue from the overlay)."""
    for rcpt, (sender, carries, _) in RECIPIENTS.items():
        if sender == "chasquid":
            local = f"{rcpt.split('@')[0]}@{CHASQUID_DOMAIN}"
            with smtplib.SMTP("127.0.0.1", ports["port_cq"]) as smtp:
                smtp.sendmail(SENDER, [local], _original(rcpt, carries))
        elif sender == "nullmailer":
            subprocess.run(
                ["/usr/sbin/sendmail", "-f", SENDER, rcpt], input=_original(rcpt, carries), check=True
            )


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    procs: list[subprocess.Popen[bytes]] = []
    make_spool(w / "spool")
    try:
        with open(w / "log/servers.log", "ab") as log:
            for name, (ip, _) in QP.items():
                env = {**os.environ, "QPSMTPD_CONFIG": str(w / "qp" / name)}
                argv = [
                    "perl",
                    "-T",
                    "/usr/bin/qpsmtpd-forkserver",
                    "-l",
                    ip,
                    "-p",
                    str(ports["port_a"]),
                    "-u",
                    "nobody",
                ]
                procs.append(
                    subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log)
                )
            argv = [
                "/usr/bin/chasquid",
                "-config_dir",
                "/etc/chasquid",
                f"-testing__outgoing_smtp_port={ports['port_a']}",
            ]
            procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
            with postfix_running(w / "etc"):
                deadline = time.monotonic() + 60
                for ip, _ in QP.values():
                    _listening_at(ip, ports["port_a"], deadline)
                _listening(ports["port_cq"], deadline)
                procs.append(subprocess.Popen(["/usr/sbin/nullmailer-send"], stdin=subprocess.DEVNULL,
                                              stdout=log, stderr=log))  # fmt: skip
                _send_others(ports)
                yield
    finally:
        stop(procs)


def _listening_at(ip: str, port: int, deadline: float) -> None:
    """make_filters.py's _listening, at an address other than 127.0.0.1."""
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((ip, port), timeout=1):
            return
        time.sleep(0.3)
    raise SystemExit(f"nothing listens on {ip}:{port}")


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    rcpt = next((r for r in RECIPIENTS if r in text), "unknown")
    sender = RECIPIENTS.get(rcpt, ("unknown",))[0]
    delayed = "Action: delayed" in text and "Action: failed" not in text
    return f"{sender}-{'delay' if delayed else 'failed'}-{rcpt.replace('@', '-at-')}.eml"


def main() -> None:
    ports = {name: _free_port() for name in ("port_a", "port_cq", "port_cqsub", "port_cqtls", "closed")}
    expected = len(RECIPIENTS) + sum(r.startswith(RETRIED) for r in RECIPIENTS)
    messages = (
        (rcpt, _original(rcpt, carries))
        for rcpt, (sender, carries, _) in RECIPIENTS.items()
        if sender == "postfix"
    )
    run_round("realmta-round11a-", ports, _configure, _running, messages, expected, _name, OUT)


if __name__ == "__main__":
    main()
