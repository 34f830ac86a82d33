"""Make real Postfix bounces and delay notices whose remote reply is worded by real filter software never run
here before, for tests/corpus/realmta (round 10), labelled by construction (manifest.csv).

As make_filters.py (round 9), whose helpers it imports: a private Postfix instance relays one message per
recipient to smtpd listeners of the same instance that play remote MXs, each guarded by one filter from Debian
12 run here as a private instance on loopback ports of its own: clamd 1.4 with a signature database of one
custom signature written here (no signature download is possible or needed) behind clamav-milter 1.4
(OnInfected Reject: its default text, and a Vietnamese RejectMsg); amavisd-new 2.13 as the remote's
before-queue filter (smtpd_proxy_filter), scanning with SpamAssassin 4.0 in-process (local tests: GTUBE),
the same clamd, its banned-file-name rule (a .exe attachment) and its header checks (a non-encoded 8-bit
Subject, a duplicated Subject), every destiny D_REJECT, and a second port whose policy bank gives Vietnamese
smtp_reason texts; Dovecot 2.3's quota-status service (quota-status -p postfix, a private Dovecot with its own
users, maildir quota 1 kB) answering check_policy_service at RCPT: over quota with its default text, with a
Vietnamese quota_status_overquota (a second private Dovecot), and a recipient it does not know
(quota_status_nouser set to a refusal); policyd-rate-limit 1.0 (limit_by_sender, a limit of 0 mails a day:
its default "defer_if_permit Rate limit reach, retry later", retried until the lifetime ends, and a
Vietnamese 5xx fail_action). Nothing leaves 127.0.0.0/8 (spamassassin local tests only; no DNS asked of
anyone: the run is in make_filters.py's mount namespace and DNS stub). Queue lifetimes are 14 s and delay
warnings 3 s, so 4xx answers come back twice. Needs root and Debian's postfix, dovecot-core, clamav-daemon,
clamav-milter, amavisd-new, spamassassin and policyd-rate-limit installed (their own services need not run
and are not touched); nothing is left running. Not made: mimedefang, milter-greylist (not in bookworm),
sqlgrey and postfix-mta-sts-resolver (time). REALMTA_KEEP=1 keeps the work folder and its logs.
Usage: python3 tests/corpus/realmta/make_filters2.py
"""

from __future__ import annotations

import base64
import contextlib
import os
import subprocess
import sys
import time
import unicodedata
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_filters import DNS_IP, GTUBE, _listening, run_round, stop  # noqa: E402
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write, make_spool, postfix_running  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the custom signature (a .ndb body signature, any file type) and the test string it matches
MARK = "KHAOSAT-MAU-THU-NGHIEM-QUET-MA-2026"
SIGNATURE = f"Win.Test.KhaoSat-1:0:*:{MARK.encode().hex()}\n"
# recipient -> (the remote listener, what the message carries, what is provoked)
RECIPIENTS = {
    "co.mamdoc@quetma.example.vn": ("clam", "mark", "clamav-milter, OnInfected Reject, its default text"),
    "tep.nhiem@phongban.example.vn": ("clamvi", "mark-attached", "clamav-milter, a Vietnamese RejectMsg"),
    "rac.amavis@locnoidung.example.vn": ("amavis", "gtube", "amavisd-new + SpamAssassin: GTUBE, D_REJECT"),
    "tep.chan@locnoidung.example.vn": ("amavis", "exe", "amavisd-new: banned file name (.exe), D_REJECT"),
    "tieu.de@locnoidung.example.vn": (
        "amavis",
        "8bit-subject",
        "amavisd-new: bad header (a raw Windows-1258 Subject)",
    ),
    "hai.dong@locnoidung.example.vn": ("amavis", "two-subjects", "amavisd-new: bad header (two Subject)"),
    "virus.amavis@locnoidung.example.vn": ("amavis", "mark-attached", "amavisd-new + clamd: INFECTED"),
    "thu.rac@phongban.example.vn": ("amavisvi", "gtube", "amavisd-new, Vietnamese smtp_reason: GTUBE"),
    "tep.la@phongban.example.vn": ("amavisvi", "exe", "amavisd-new, Vietnamese smtp_reason: banned .exe"),
    "ma.doc@phongban.example.vn": ("amavisvi", "mark-attached", "amavisd-new, Vietnamese smtp_reason: virus"),
    "dau.thu@phongban.example.vn": (
        "amavisvi",
        "two-subjects",
        "amavisd-new, Vietnamese smtp_reason: bad header",
    ),
    "tep.dinhkem@baocao.example.vn": (
        "amavisdsn",
        "exe",
        "amavisd-new, D_BOUNCE: its own DSN for a banned .exe",
    ),
    "dau.loi@baocao.example.vn": (
        "amavisdsn",
        "two-subjects",
        "amavisd-new, D_BOUNCE: its own DSN, bad header",
    ),
    "hop.day@dungluong.example.vn": ("quota", "plain", "Dovecot quota-status: over quota, default text"),
    "het.cho@dungluong.example.vn": ("quotavi", "plain", "Dovecot quota-status: over quota, Vietnamese text"),
    "khong.ai@dungluong.example.vn": ("quota", "plain", "Dovecot quota-status: unknown user, nouser refusal"),
    "gui.nhieu@gioihan.example.vn": (
        "rate",
        "plain",
        "policyd-rate-limit: default defer_if_permit, for ever",
    ),
    "vuot.muc@gioihan.example.vn": ("ratevi", "plain", "policyd-rate-limit: a Vietnamese 5xx fail_action"),
}
RETRIED = ("gui.nhieu@",)
LISTENERS = ("clam", "clamvi", "amavis", "amavisvi", "amavisdsn", "quota", "quotavi", "rate", "ratevi")
FILTER_PORTS = (
    "clamd",
    "milter_clam",
    "milter_clamvi",
    "amavis",
    "amavis_vi",
    "amavis_dsn",
    "quota",
    "quota_vi",
    "rate",
    "rate_vi",
)
DAEMON_PORTS = (*FILTER_PORTS, "closed")
VI_CLAM = "Thu bi tu choi: phat hien ma doc %v trong thu"  # clamav-milter takes printable ASCII only
VI_AMAVIS = {
    "CC_VIRUS": "id=%n - Thư chứa mã độc: %V",
    "CC_BANNED": "id=%n - Tệp đính kèm bị cấm: %F",
    "CC_SPAM": "id=%n - Thư bị đánh giá là thư rác",
    "CC_BADH": "id=%n - Phần đầu thư không hợp lệ",
}
VI_QUOTA = "552 5.2.2 Hộp thư của người nhận đã đầy, vượt quá dung lượng cho phép"
VI_RATE = "550 5.7.1 Người gửi đã vượt quá số thư được phép gửi trong ngày"

MAIN_CF = FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "")

MASTER_CF = (
    """
127.0.0.1:{port_a} inet n - n - - smtpd
127.0.0.1:{port_clam} inet n - n - - smtpd -o syslog_name=postfix/mx-clam -o myhostname=mx.quetma.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_clam}
127.0.0.1:{port_clamvi} inet n - n - - smtpd -o syslog_name=postfix/mx-clamvi -o myhostname=mx.phongban.example.vn
  -o smtpd_milters=inet:127.0.0.1:{milter_clamvi}
127.0.0.1:{port_amavis} inet n - n - - smtpd -o syslog_name=postfix/mx-amavis -o myhostname=mx.locnoidung.example.vn
  -o smtpd_proxy_filter=127.0.0.1:{amavis}
127.0.0.1:{port_amavisvi} inet n - n - - smtpd -o syslog_name=postfix/mx-amavisvi -o myhostname=mx2.phongban.example.vn
  -o smtpd_proxy_filter=127.0.0.1:{amavis_vi}
127.0.0.1:{port_amavisdsn} inet n - n - - smtpd -o syslog_name=postfix/mx-amavisdsn -o myhostname=mx.baocao.example.vn
  -o smtpd_proxy_filter=127.0.0.1:{amavis_dsn}
127.0.0.1:{port_quota} inet n - n - - smtpd -o syslog_name=postfix/mx-quota -o myhostname=mx.dungluong.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{quota},permit
127.0.0.1:{port_quotavi} inet n - n - - smtpd -o syslog_name=postfix/mx-quotavi -o myhostname=mx2.dungluong.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{quota_vi},permit
127.0.0.1:{port_rate} inet n - n - - smtpd -o syslog_name=postfix/mx-rate -o myhostname=mx.gioihan.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{rate},permit
127.0.0.1:{port_ratevi} inet n - n - - smtpd -o syslog_name=postfix/mx-ratevi -o myhostname=mx2.gioihan.example.vn
  -o smtpd_recipient_restrictions=check_policy_service,inet:127.0.0.1:{rate_vi},permit
"""
    + SERVICES_CF
)

CLAMD_CONF = """TCPSocket {clamd}
TCPAddr 127.0.0.1
Foreground yes
DatabaseDirectory {w}/clamdb
TemporaryDirectory {w}/tmp
LogFile {w}/log/clamd.log
PidFile {w}/run/clamd.pid
"""
CLAM_MILTER_CONF = """MilterSocket inet:{port}@127.0.0.1
Foreground yes
PidFile {w}/run/clamav-milter-{port}.pid
ClamdSocket tcp:127.0.0.1:{clamd}
OnClean Accept
OnInfected Reject
OnFail Defer
LogFile {w}/log/clamav-milter-{port}.log
LogVerbose yes
TemporaryDirectory {w}/tmp
"""

AMAVIS_CONF = """use strict;
use utf8;
$MYHOME = '{w}/amavis';
$TEMPBASE = "$MYHOME/tmp";
$db_home = "$MYHOME/db";
$pid_file = "$MYHOME/amavisd.pid";
$lock_file = "$MYHOME/amavisd.lock";
$daemon_user = 'amavis';
$daemon_group = 'amavis';
$myhostname = 'mx.locnoidung.example.vn';
$mydomain = 'locnoidung.example.vn';
$inet_socket_bind = '127.0.0.1';
$inet_socket_port = [{amavis}, {amavis_vi}, {amavis_dsn}];
@inet_acl = qw(127.0.0.1);
$max_servers = 2;
$do_syslog = 0;
$logfile = '{w}/log/amavis.log';
$log_level = 2;
$enable_dkim_verification = 0;
$forward_method = 'smtp:[127.0.0.1]:{closed}';
$notify_method = 'smtp:[127.0.0.1]:{port_a}';
@local_domains_maps = (1);
$final_virus_destiny = D_REJECT;
$final_banned_destiny = D_REJECT;
$final_spam_destiny = D_REJECT;
$final_bad_header_destiny = D_REJECT;
$QUARANTINEDIR = undef;
$virus_quarantine_method = $spam_quarantine_method = undef;
$banned_files_quarantine_method = $bad_header_quarantine_method = undef;
$sa_tag_level_deflt = -999;
$sa_tag2_level_deflt = 5;
$sa_kill_level_deflt = 5;
$sa_local_tests_only = 1;
$banned_filename_re = new_RE(qr'.\\.(exe|vbs|pif|scr|bat|cmd|com|cpl|dll)$'i);
@av_scanners = (['ClamAV-clamd', \\&ask_daemon, ["CONTSCAN {{}}\\n", "127.0.0.1:{clamd}"],
  qr/\\bOK$/m, qr/\\bFOUND$/m, qr/^.*?: (?!Infected Archive)(.*) FOUND$/m ]);
@av_scanners_backup = ();
$policy_bank{{'VI'}} = {{ smtp_reason_by_ccat => {{ {vi} }} }};
$interface_policy{{'{amavis_vi}'}} = 'VI';
$policy_bank{{'DSN'}} = {{ final_banned_destiny => D_BOUNCE, final_bad_header_destiny => D_BOUNCE }};
$interface_policy{{'{amavis_dsn}'}} = 'DSN';
1;
"""

DOVECOT_CONF = """protocols = none
listen = 127.0.0.1
base_dir = {w}/dovecot-{name}/run
state_dir = {w}/dovecot-{name}/state
instance_name = realmta-{name}-{port}
log_path = {w}/log/dovecot-{name}.log
ssl = no
first_valid_uid = 65534
mail_uid = 65534
mail_gid = 65534
mail_location = maildir:~/Maildir
mail_plugins = quota
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {w}/dovecot-users
}}
userdb {{
  driver = passwd-file
  args = {w}/dovecot-users
  default_fields = uid=65534 gid=65534 home={w}/home/%n
}}
plugin {{
  quota = maildir:User quota
  quota_rule = *:storage=1K
  quota_status_success = DUNNO
  quota_status_nouser = {nouser}
{overquota}}}
service quota-status {{
  executable = quota-status -p postfix
  inet_listener {{
    address = 127.0.0.1
    port = {port}
  }}
  client_limit = 1
}}
"""

RATE_CONF = """debug: True
user: "policyd-rate-limit"
group: "policyd-rate-limit"
pidfile: "{w}/rate-{name}/pid"
sqlite_config:
    database: "{w}/rate-{name}/db.sqlite3"
backend: 0
SOCKET: ["127.0.0.1", {port}]
limits:
    - [0, 86400]
limits_by_id: {{}}
limit_by_sasl: False
limit_by_sender: True
limit_by_ip: False
success_action: "dunno"
{fail}db_error_action: "dunno"
report: False
"""


def _configure(w: Path, ports: dict[str, int]) -> None:
    vi = ", ".join(f"{ccat}, '{text}'" for ccat, text in VI_AMAVIS.items())
    fill = {"w": w, **ports}
    _write(w / "etc/main.cf", MAIN_CF.format(**fill))
    _write(w / "etc/master.cf", MASTER_CF.format(**fill))
    routes = "".join(
        f"{rcpt} smtp:[127.0.0.1]:{ports['port_' + listener]}\n"
        for rcpt, (listener, _, _) in RECIPIENTS.items()
    )
    _write(w / "etc/transport", routes)
    _write(w / "etc/vmailbox", "bounces@khaosat.example.vn khaosat/bounces/\n")
    _write(w / "clamdb/khaosat.ndb", SIGNATURE)
    _write(w / "etc/clamd.conf", CLAMD_CONF.format(**fill))
    _write(w / "etc/clamav-milter.conf", CLAM_MILTER_CONF.format(port=ports["milter_clam"], **fill))
    _write(w / "etc/clamav-milter-vi.conf", CLAM_MILTER_CONF.format(port=ports["milter_clamvi"], **fill)
           + f'RejectMsg "{VI_CLAM}"\n')  # fmt: skip
    _write(w / "etc/amavisd.conf", AMAVIS_CONF.format(vi=vi, **fill))
    users = "".join(
        f"{rcpt}:{{PLAIN}}x::::::\n"
        for rcpt in ("hop.day@dungluong.example.vn", "het.cho@dungluong.example.vn")
    )
    _write(w / "dovecot-users", users)
    nouser = '"550 5.1.1 User unknown"'
    _write(
        w / "etc/dovecot-quota.conf",
        DOVECOT_CONF.format(name="quota", port=ports["quota"], nouser=nouser, overquota="", **fill),
    )
    _write(w / "etc/dovecot-quotavi.conf", DOVECOT_CONF.format(name="quotavi", port=ports["quota_vi"], nouser=nouser,
                                                               overquota=f'  quota_status_overquota = "{VI_QUOTA}"\n', **fill))  # fmt: skip
    _write(w / "etc/rate.yaml", RATE_CONF.format(name="rate", port=ports["rate"], fail="", **fill))
    _write(
        w / "etc/rate-vi.yaml",
        RATE_CONF.format(name="ratevi", port=ports["rate_vi"], fail=f'fail_action: "{VI_RATE}"\n', **fill),
    )
    _write(w / "resolv.conf", f"nameserver {DNS_IP}\noptions attempts:1 timeout:1\n")
    (w / "kept/khaosat/bounces").mkdir(parents=True)
    for sub in ("data", "log", "run", "tmp", "amavis/tmp", "amavis/db", "home", "rate-rate", "rate-ratevi"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "kept"), str(w / "home")], check=True)
    subprocess.run(["chown", "postfix", str(w / "data")], check=True)
    subprocess.run(["chown", "-R", "amavis:amavis", str(w / "amavis")], check=True)
    subprocess.run(["chown", "policyd-rate-limit", str(w / "rate-rate"), str(w / "rate-ratevi")], check=True)
    subprocess.run(["chmod", "777", str(w / "log"), str(w / "tmp")], check=True)
    w.chmod(0o755)


def _filter_commands(w: Path) -> list[list[str]]:
    """The filters, each in the foreground on its own loopback port (the Dovecots fork: stopped apart)."""
    return [
        ["clamd", "-c", f"{w}/etc/clamd.conf"],
        ["clamav-milter", "-c", f"{w}/etc/clamav-milter.conf"],
        ["clamav-milter", "-c", f"{w}/etc/clamav-milter-vi.conf"],
        ["amavisd", "-c", f"{w}/etc/amavisd.conf", "foreground"],
        ["policyd-rate-limit", "-f", f"{w}/etc/rate.yaml"],
        ["policyd-rate-limit", "-f", f"{w}/etc/rate-vi.yaml"],
    ]


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    procs: list[subprocess.Popen[bytes]] = []
    dovecots = [str(w / "etc/dovecot-quota.conf"), str(w / "etc/dovecot-quotavi.conf")]
    make_spool(w / "spool")
    try:
        with open(w / "log/filters.log", "ab") as log:
            for argv in _filter_commands(w):
                procs.append(subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=log))
                if argv[0] == "clamd":  # the milters probe it at start
                    _listening(ports["clamd"], time.monotonic() + 60)
            for conf in dovecots:
                subprocess.run(
                    ["dovecot", "-c", conf], check=True, stdin=subprocess.DEVNULL, stdout=log, stderr=log
                )
        deadline = time.monotonic() + 120
        for name in FILTER_PORTS:
            _listening(ports[name], deadline)
        with postfix_running(w / "etc"):
            yield
    finally:
        for conf in dovecots:
            subprocess.run(
                ["doveadm", "-c", conf, "stop"], check=False, stdin=subprocess.DEVNULL, capture_output=True
            )
        stop(procs)


def _cp1258(text: str) -> bytes:
    """Vietnamese as an old Windows-1258 mailer writes it: each tone mark a combining byte after its letter."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = b""
    for ch in text:
        split = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in split if c not in tones))
        out += (base + "".join(c for c in split if c in tones)).encode("cp1258")
    return out


def _original(rcpt: str, carries: str) -> bytes:
    body = "Phiếu khảo sát chuyển đổi số năm 2026, xin anh/chị trả lời trước ngày 31/12.\n" * 20
    subject = "Subject: Khao sat chuyen doi so 2026\n"
    if carries == "two-subjects":
        subject += "Subject: Nhac lai: khao sat chuyen doi so 2026\n"
    elif carries == "mark":
        body = MARK + "\n" + body
    elif carries == "gtube":
        body = GTUBE + "\n" + body
    head = (
        f"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: {rcpt}\n{subject}"
        "Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n"
        "MIME-Version: 1.0\n"
    )
    if carries in ("exe", "mark-attached"):
        name, data = (
            ("baocao.exe", b"MZ\x90\x00" + bytes(60)) if carries == "exe" else ("phieu.txt", MARK.encode())
        )
        part = base64.b64encode(data).decode()
        return (
            f'{head}Content-Type: multipart/mixed; boundary="ranh-gioi"\n\n--ranh-gioi\n'
            f"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}\n--ranh-gioi\n"
            f'Content-Type: application/octet-stream; name="{name}"\nContent-Transfer-Encoding: base64\n'
            f'Content-Disposition: attachment; filename="{name}"\n\n{part}\n--ranh-gioi--\n'
        ).encode()
    raw = f"{head}Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}".encode()
    if carries == "8bit-subject":  # not RFC 2047 encoded, not UTF-8 either
        raw = raw.replace(subject.encode(), b"Subject: " + _cp1258("Khảo sát chuyển đổi số 2026") + b"\n", 1)
    return raw


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    rcpt = next((r for r in RECIPIENTS if r in text), "unknown")
    delayed = "Action: delayed" in text and "Action: failed" not in text
    mta = "postfix" if "Reporting-MTA: dns; relay.sogd.example.vn" in text else "amavis"  # amavis's own DSN
    return f"{mta}-{'delay' if delayed else 'failed'}-{rcpt.replace('@', '-at-')}.eml"


def main() -> None:
    ports = {name: _free_port() for name in ("port_a", *(f"port_{n}" for n in LISTENERS), *DAEMON_PORTS)}
    expected = len(RECIPIENTS) + sum(r.startswith(RETRIED) for r in RECIPIENTS)
    messages = ((rcpt, _original(rcpt, carries)) for rcpt, (_, carries, _) in RECIPIENTS.items())
    run_round("realmta-filters2-", ports, _configure, _running, messages, expected, _name, OUT)


if __name__ == "__main__":
    main()
