"""Make failures, refusals and replies no earlier round provoked, as Postfix 3.7, Exim 4.96, OpenSMTPD 6.8 and
Dovecot 2.3 (LMTP, Pigeonhole Sieve) word them, for tests/corpus/realmta (round 15), labelled by construction:
LABELS below was written before any mail was made, and main() writes each answer's row into manifest.csv from it.

As make_round14.py: a mount namespace of its own (run_round of make_filters.py) with make_filters.py's DNS stub
(NXDOMAIN for every name here, PTR records too), the private Postfix of make_relays.py (its virtual mailbox keeps
what comes back to our envelope sender), Debian's Exim unpacked (make_exim.py) and OpenSMTPD (make_relays.py).
The remote servers, each at a loopback address 127.0.15.x of its own: a private Dovecot whose LMTP listeners
deliver to mailboxes already near their quota (the quota plugin, maildir quota 4 kB) with a permanent failure
and with quota_full_tempfail (each with Dovecot's own quota_exceeded_message and a Vietnamese one), and run
Pigeonhole Sieve scripts (reject and vacation, in Vietnamese, French and German, UTF-8 reasons and
subjects); a second Exim as a daemon whose RCPT and DATA ACLs refuse with administrators' own texts
(``deny message = ...``, Vietnamese and English, under a bare 550 or a generic 5.7.1; one ``defer``); OpenSMTPD
listeners with builtin filters (``!rdns`` at connect, ``!fcrdns``, ``src <table>``, ``rcpt-to <table>``) and
custom messages; our Postfix's smtpd with check_recipient_access and new Vietnamese texts. Postfix also sends a
message with a null sender that the remote refuses, and one whose sender is an unknown address of our own domain
(each bounce of a bounce goes to 2bounce_notice_recipient, our kept mailbox); Exim sends to a host that refuses
connections under a retry rule F,4s,1h (retry time not reached for any host after a long failure period).
Every original carries an RFC 2047 Subject: and a marker header naming its row.
Tried and not kept, as the construction failed: Sieve ``ereject`` (Pigeonhole 0.5.19 has no such extension: the
scripts did not compile and the messages were kept). 54 answers came back, 48 with a reason.
Scored once with the code of the time, before any rule for them (held out): reason 40/48 = 83.3%, hard/soft
52/54, kind and recipient 54/54; all 494 then: reason 388/424 = 91.5%, hard 488/494, kind and recipient 494/494.
After the general rules written for its misses (see tests/corpus/test_realmta.py): reason 48/48, hard/soft, kind
and recipient 54/54; all 494: reason 396/424 = 93.4%, hard 490/494.
Nothing leaves 127.0.0.0/8 and nothing is left running. REALMTA_KEEP=1 keeps the work folder and its logs.
Needs root, ``apt-get download`` and Debian's dovecot-lmtpd and dovecot-sieve.
Usage: python3 tests/corpus/realmta/make_round15.py
"""

from __future__ import annotations

import contextlib
import email.header
import os
import smtplib
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_filters import MAIN_CF as FILTERS_MAIN_CF  # noqa: E402
from make_filters import run_round  # noqa: E402
from make_relays import SERVICES_CF, _free_port, _write  # noqa: E402
from make_round11a import _listening_at  # noqa: E402
from make_round12 import answer_kind, prepare_senders, running_senders  # noqa: E402
from make_round13 import LISTENER, configure_round, exim_config, original, smtpd_conf  # noqa: E402
from make_round14 import Label, found_label, manifest_rows  # noqa: E402

OUT = Path(os.environ.get("REALMTA_OUT") or Path(__file__).resolve().parent)
# the remote servers: domain -> listener
REMOTES = {
    "canbo.example.vn": "rcpt",  # our Postfix's smtpd, check_recipient_access
    "hopday.example.vn": "qperm",  # Dovecot LMTP, over quota: permanent, Dovecot's own text
    "hoptam.example.vn": "qtemp",  # Dovecot LMTP, over quota: quota_full_tempfail, Dovecot's own text
    "hopdayvi.example.vn": "qpermvi",  # the same, a Vietnamese quota_exceeded_message
    "hoptamvi.example.vn": "qtempvi",
    "locthu.example.vn": "sieve",  # Dovecot LMTP, each user's Sieve script
    "coquan.example.vn": "acl",  # a second Exim, as a daemon with ACLs
    "tenmien.example.vn": "rdns",  # OpenSMTPD listeners with builtin filters
    "xacthuc.example.vn": "fcrdns",
    "chanip.example.vn": "srcip",
    "oschan.example.vn": "osrcpt",
    "ngunglau.example.vn": "down",  # nothing listens
}
LISTENERS = tuple(dict.fromkeys(REMOTES.values()))
ADDRESS = {name: f"127.0.15.{i}" for i, name in enumerate(LISTENERS, 1)}
LMTP = ("qperm", "qtemp", "qpermvi", "qtempvi", "sieve")
# the OpenSMTPD listeners that check the client's host name see our senders from an address /etc/hosts does not
# name (127.0.0.1 is localhost there) and the DNS stub gives no PTR record
FILTERED = ("rdns", "fcrdns", "srcip", "osrcpt")
NO_PTR = "127.0.15.100"
# recipient -> (the sender, the file's stem, reason, hard, what is provoked). The labels, by the corpus
# conventions: a final notice whose transient reply says why is labelled by those words (Postfix's, and Exim's
# for a quota as exim-failed-hop.day); OpenSMTPD's "Envelope expired" and Exim's give-up on a host that failed
# for long are expired; every delay notice is kind delay, no reason, not hard; a Sieve reject (an MDN) or
# ereject is filtered (the recipient's own filter), a vacation reply is kind autoreply, reason vacation.
LABELS: dict[str, Label] = {
    # Dovecot LMTP over quota (a mailbox of 3 kB under a 4 kB quota gets 2 kB)
    "pf.day@hopday.example.vn": ("postfix", "pf.day", "mailboxfull", "0", "Dovecot LMTP over quota, permanent, Dovecot's own text"),
    "os.day@hopday.example.vn": ("opensmtpd", "os.day", "mailboxfull", "0", "Dovecot LMTP over quota, permanent, Dovecot's own text"),
    "pf.dayvi@hopdayvi.example.vn": (
        "postfix", "pf.dayvi", "mailboxfull", "0", "Dovecot LMTP over quota, permanent, a Vietnamese quota_exceeded_message",
    ),
    "ex.dayvi@hopdayvi.example.vn": (
        "exim", "ex.dayvi", "mailboxfull", "0", "Dovecot LMTP over quota, permanent, a Vietnamese quota_exceeded_message",
    ),
    "pf.hetcho@hoptam.example.vn": (
        "postfix", "pf.hetcho", "mailboxfull", "0",
        "Dovecot LMTP over quota with quota_full_tempfail (Dovecot's own text) until the queue lifetime ends",
    ),
    "ex.hetcho@hoptam.example.vn": (
        "exim", "ex.hetcho", "mailboxfull", "0",
        "Dovecot LMTP over quota with quota_full_tempfail (Dovecot's own text) until the retry rule times out",
    ),
    "pf.hetchovi@hoptamvi.example.vn": (
        "postfix", "pf.hetchovi", "mailboxfull", "0",
        "Dovecot LMTP over quota with quota_full_tempfail, a Vietnamese text, until the queue lifetime ends",
    ),
    "os.hetchovi@hoptamvi.example.vn": (
        "opensmtpd", "os.hetchovi", "expired", "0",
        "Dovecot LMTP over quota with quota_full_tempfail, a Vietnamese text, until the queue ttl ends",
    ),
    # Pigeonhole Sieve over LMTP
    "pf.tuchoivi@locthu.example.vn": ("postfix", "pf.tuchoivi", "filtered", "0", "Sieve reject, a Vietnamese reason"),
    "pf.refus@locthu.example.vn": ("postfix", "pf.refus", "filtered", "0", "Sieve reject, a French reason"),
    "pf.ablehnung@locthu.example.vn": ("postfix", "pf.ablehnung", "filtered", "0", "Sieve reject, a German reason"),
    "pf.vangvi@locthu.example.vn": (
        "postfix", "pf.vangvi", "vacation", "0", "Sieve vacation, a Vietnamese UTF-8 :subject and text",
    ),
    "pf.absence@locthu.example.vn": ("postfix", "pf.absence", "vacation", "0", "Sieve vacation, French subject and text"),
    "pf.urlaub@locthu.example.vn": ("postfix", "pf.urlaub", "vacation", "0", "Sieve vacation, German subject and text"),
    # Exim ACLs with administrators' own texts
    "pf.vohieu@coquan.example.vn": ("postfix", "pf.vohieu", "suspend", "0", "Exim RCPT ACL deny, bare 550: the mailbox was disabled (Vietnamese)"),
    "ex.vohieu@coquan.example.vn": ("exim", "ex.vohieu", "suspend", "0", "Exim RCPT ACL deny, bare 550: the mailbox was disabled (Vietnamese)"),
    "pf.danhba@coquan.example.vn": (
        "postfix", "pf.danhba", "userunknown", "1", "Exim RCPT ACL deny, 550 5.7.1: not in the agency's directory (Vietnamese)",
    ),
    "os.danhba@coquan.example.vn": (
        "opensmtpd", "os.danhba", "userunknown", "1", "Exim RCPT ACL deny, 550 5.7.1: not in the agency's directory (Vietnamese)",
    ),
    "pf.guirac@coquan.example.vn": (
        "postfix", "pf.guirac", "blocked", "0", "Exim RCPT ACL deny, bare 550: the sending server blocked for bulk spam (Vietnamese)",
    ),
    "ex.guirac@coquan.example.vn": (
        "exim", "ex.guirac", "blocked", "0", "Exim RCPT ACL deny, bare 550: the sending server blocked for bulk spam (Vietnamese)",
    ),
    "pf.storage@coquan.example.vn": (
        "postfix", "pf.storage", "mailboxfull", "0", "Exim RCPT ACL deny, 550 5.7.1: the mailbox is over its storage allowance",
    ),
    "os.storage@coquan.example.vn": (
        "opensmtpd", "os.storage", "mailboxfull", "0", "Exim RCPT ACL deny, 550 5.7.1: the mailbox is over its storage allowance",
    ),
    "pf.review@coquan.example.vn": (
        "postfix", "pf.review", "suspend", "0", "Exim RCPT ACL deny, bare 550: the account is suspended pending review",
    ),
    "pf.aup@coquan.example.vn": (
        "postfix", "pf.aup", "policyviolation", "0", "Exim RCPT ACL deny, 550 5.7.1: the organisation's acceptable use policy",
    ),
    "ex.aup@coquan.example.vn": (
        "exim", "ex.aup", "policyviolation", "0", "Exim RCPT ACL deny, 550 5.7.1: the organisation's acceptable use policy",
    ),
    "pf.tamday@coquan.example.vn": (
        "postfix", "pf.tamday", "mailboxfull", "0",
        "Exim RCPT ACL defer, 452 4.2.2: the mailbox is full for now (Vietnamese), until the queue lifetime ends",
    ),
    "pf.madoc@coquan.example.vn": (
        "postfix", "pf.madoc", "virusdetected", "0", "Exim DATA ACL deny, bare 550: an attachment infected with malware (Vietnamese)",
    ),
    "ex.quangcao@coquan.example.vn": (
        "exim", "ex.quangcao", "spamdetected", "0", "Exim DATA ACL deny, 550 5.7.1: the content is judged advertising spam (Vietnamese)",
    ),
    # OpenSMTPD builtin filters with custom messages (unaccented Vietnamese and English)
    "pf.ptr@tenmien.example.vn": ("postfix", "pf.ptr", "requireptr", "0", "OpenSMTPD filter: connect, !rdns, disconnect 550 5.7.25"),
    "ex.ptr@tenmien.example.vn": ("exim", "ex.ptr", "requireptr", "0", "OpenSMTPD filter: connect, !rdns, disconnect 550 5.7.25"),
    "pf.fcrdns@xacthuc.example.vn": ("postfix", "pf.fcrdns", "requireptr", "0", "OpenSMTPD filter: rcpt-to, !fcrdns, reject 550 5.7.1"),
    "ex.fcrdns@xacthuc.example.vn": ("exim", "ex.fcrdns", "requireptr", "0", "OpenSMTPD filter: rcpt-to, !fcrdns, reject 550 5.7.1"),
    "pf.chanip@chanip.example.vn": ("postfix", "pf.chanip", "blocked", "0", "OpenSMTPD filter: mail-from, src <table>, reject 554 5.7.1"),
    "ex.chanip@chanip.example.vn": ("exim", "ex.chanip", "blocked", "0", "OpenSMTPD filter: mail-from, src <table>, reject 554 5.7.1"),
    "pf.tamkhoa@oschan.example.vn": (
        "postfix", "pf.tamkhoa", "suspend", "0", "OpenSMTPD filter: rcpt-to <table>, reject 550 5.2.1, the mailbox locked for disuse",
    ),
    "ex.tamkhoa@oschan.example.vn": (
        "exim", "ex.tamkhoa", "suspend", "0", "OpenSMTPD filter: rcpt-to <table>, reject 550 5.2.1, the mailbox locked for disuse",
    ),
    # Postfix check_recipient_access with Vietnamese texts
    "pf.nghihuu@canbo.example.vn": (
        "postfix", "pf.nghihuu", "userunknown", "1", "550 5.1.1 the official retired, the address no longer exists (Vietnamese)",
    ),
    "ex.nghihuu@canbo.example.vn": (
        "exim", "ex.nghihuu", "userunknown", "1", "550 5.1.1 the official retired, the address no longer exists (Vietnamese)",
    ),
    "os.nghihuu@canbo.example.vn": (
        "opensmtpd", "os.nghihuu", "userunknown", "1", "550 5.1.1 the official retired, the address no longer exists (Vietnamese)",
    ),
    "pf.chiemquyen@canbo.example.vn": (
        "postfix", "pf.chiemquyen", "suspend", "0", "550 5.7.1 the account is locked for now, suspected of being taken over (Vietnamese)",
    ),
    "ex.chiemquyen@canbo.example.vn": (
        "exim", "ex.chiemquyen", "suspend", "0", "550 5.7.1 the account is locked for now, suspected of being taken over (Vietnamese)",
    ),
    "pf.hetluutru@canbo.example.vn": ("postfix", "pf.hetluutru", "mailboxfull", "0", "552 5.2.2 the mailbox has no storage left (Vietnamese)"),
    "pf.thuqualon@canbo.example.vn": (
        "postfix", "pf.thuqualon", "mesgtoobig", "0", "552 5.3.4 the message is over the size allowed (Vietnamese)",
    ),
    "os.thuqualon@canbo.example.vn": (
        "opensmtpd", "os.thuqualon", "mesgtoobig", "0", "552 5.3.4 the message is over the size allowed (Vietnamese)",
    ),
    "pf.dsden@canbo.example.vn": ("postfix", "pf.dsden", "blocked", "0", "554 5.7.1 the sending server is on a blacklist (Vietnamese)"),
    # bounces of bounces: Postfix's notice to 2bounce_notice_recipient
    "pf.rong@canbo.example.vn": (
        "postfix", "pf.rong", "userunknown", "1",
        "a null-sender message refused 550 5.1.1 (Vietnamese): the double bounce to the postmaster",
    ),
    "pf.haibounce@canbo.example.vn": (
        "postfix", "pf.haibounce", "userunknown", "1",
        "refused 554 5.7.1 (Vietnamese), its bounce to an unknown sender of our own domain fails: the double bounce",
    ),
    # Exim: a host failing for longer than its retry rule's cutoff, retry time not reached
    "ex.lau@ngunglau.example.vn": (
        "exim", "ex.lau", "expired", "0",
        "connection refused, retry rule F,4s,1h: retry time not reached for any host after a long failure period",
    ),
}  # fmt: skip
# the address a row is labelled for, where it is not the one we sent to: the bounce of our own bounce is about
# the unknown sender it could not reach
LABELLED_RECIPIENT = {"pf.haibounce@canbo.example.vn": "nguoi.gui.cu@khaosat.example.vn"}
# the envelope sender per recipient, where it is not our usual one
SENDERS = {"pf.rong@canbo.example.vn": "", "pf.haibounce@canbo.example.vn": "nguoi.gui.cu@khaosat.example.vn"}
QUOTA_USERS = (
    "pf.day",
    "os.day",
    "pf.dayvi",
    "ex.dayvi",
    "pf.hetcho",
    "ex.hetcho",
    "pf.hetchovi",
    "os.hetchovi",
)
SIEVE = {
    "pf.tuchoivi": 'require "reject"; reject "Hộp thư này đã được chủ tài khoản đặt chế độ từ chối thư của người '
    'gửi ngoài đơn vị.";',
    "pf.refus": 'require "reject"; reject "Je n\'accepte plus de messages non sollicités à cette adresse. Merci de '
    "ne plus m'écrire.\";",
    "pf.ablehnung": 'require "reject"; reject "Ich nehme an Umfragen per E-Mail nicht teil. Bitte senden Sie mir '
    'keine weiteren Nachrichten.";',
    "pf.vangvi": 'require "vacation"; vacation :days 1 :subject "Trả lời tự động: tôi đang đi công tác nước '
    'ngoài" "Tôi đi công tác tại Nhật Bản từ ngày 7/12 đến ngày 21/12/2026, trong thời gian này tôi không đọc '
    'thư thường xuyên.";',
    "pf.absence": 'require "vacation"; vacation :days 1 :subject "Absence du bureau" "Je suis absente du bureau '
    "jusqu'au 4 janvier 2027 et n'aurai pas accès à ma messagerie. En cas d'urgence, contactez le "
    'secrétariat.";',
    "pf.urlaub": 'require "vacation"; vacation :days 1 :subject "Abwesenheitsnotiz: Urlaub" "Vielen Dank für Ihre '
    'Nachricht. Ich bin bis zum 8. Januar 2027 nicht im Büro und habe keinen Zugriff auf meine E-Mails.";',
}
DOVECOT_CONF = """
protocols = lmtp
listen = 127.0.0.1
base_dir = {w}/dovecot/run
state_dir = {w}/dovecot/state
instance_name = realmta-r15-{port_a}
log_path = {w}/log/dovecot.log
ssl = no
hostname = mail.hopthu15.example.vn
postmaster_address = postmaster@hopthu15.example.vn
submission_host = 127.0.0.1:{port_a}
auth_username_format = %Ln
first_valid_uid = 65534
mail_uid = 65534
mail_gid = 65534
mail_location = maildir:~/Maildir
mail_plugins = quota
service lmtp {{
  inet_listener qperm {{
    address = {a_qperm}
    port = {port_qperm}
  }}
  inet_listener qtemp {{
    address = {a_qtemp}
    port = {port_qtemp}
  }}
  inet_listener qpermvi {{
    address = {a_qpermvi}
    port = {port_qpermvi}
  }}
  inet_listener qtempvi {{
    address = {a_qtempvi}
    port = {port_qtempvi}
  }}
  inet_listener sieve {{
    address = {a_sieve}
    port = {port_sieve}
  }}
}}
local {a_qtemp} {{
  quota_full_tempfail = yes
}}
local {a_qpermvi} {{
  plugin {{
    quota_exceeded_message = Hộp thư của người nhận đã vượt quá hạn mức dung lượng, không thể nhận thêm thư
  }}
}}
local {a_qtempvi} {{
  quota_full_tempfail = yes
  plugin {{
    quota_exceeded_message = Hộp thư của người nhận đã vượt quá hạn mức dung lượng, không thể nhận thêm thư
  }}
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {w}/dovecot/users
}}
userdb {{
  driver = passwd-file
  args = {w}/dovecot/users
  default_fields = uid=65534 gid=65534 home={w}/home/%n
}}
plugin {{
  quota = maildir:User quota
  quota_rule = *:storage=100M
  sieve = file:~/sieve;active=~/active.sieve
}}
protocol lmtp {{
  mail_plugins = $mail_plugins sieve
}}
"""
EXIM_RX = """
exim_path = {root}/usr/sbin/exim4
primary_hostname = mx.coquan.example.vn
spool_directory = {w}/eximrx/spool
log_file_path = {w}/eximrx/%slog
pid_file_path = {w}/eximrx/exim.pid
exim_user = Debian-exim
exim_group = Debian-exim
never_users = root
host_lookup = !*
rfc1413_hosts =
acl_smtp_rcpt = acl_rcpt
acl_smtp_data = acl_data

begin acl
acl_rcpt:
  deny local_parts = pf.vohieu : ex.vohieu
       message = Hộp thư này đã bị vô hiệu hóa theo yêu cầu của thủ trưởng đơn vị
  deny local_parts = pf.danhba : os.danhba
       message = 550 5.7.1 Người nhận không có trong danh bạ thư điện tử của cơ quan
  deny local_parts = pf.guirac : ex.guirac
       message = Máy chủ của quý vị bị chặn vì phát tán thư rác hàng loạt
  deny local_parts = pf.storage : os.storage
       message = 550 5.7.1 Recipient's mailbox is over its storage allowance
  deny local_parts = pf.review
       message = This account is suspended pending an administrative review
  deny local_parts = pf.aup : ex.aup
       message = 550 5.7.1 Message refused: it breaches this organisation's acceptable use policy
  defer local_parts = pf.tamday
       message = 452 4.2.2 Hộp thư của người nhận tạm thời đã đầy, xin vui lòng gửi lại sau
  accept

acl_data:
  deny condition = ${{if match{{$recipients}}{{pf.madoc}}}}
       message = Thư có chứa tệp đính kèm nhiễm mã độc, đã bị hệ thống từ chối
  deny condition = ${{if match{{$recipients}}{{ex.quangcao}}}}
       message = 550 5.7.1 Nội dung thư bị đánh giá là thư rác quảng cáo
  accept

begin routers
all:
  driver = accept
  transport = devnull

begin transports
devnull:
  driver = appendfile
  file = /dev/null
"""
# OpenSMTPD's builtin filters on listeners of its own (OpenSMTPD is also one of our senders)
SMTPD_FILTERS = """
table chan_ip {{ "127.0.0.0/8" }}
table tam_khoa {{ "pf.tamkhoa@oschan.example.vn", "ex.tamkhoa@oschan.example.vn" }}
filter "f_rdns" phase connect match !rdns disconnect "550 5.7.25 Khong tim thay ban ghi ten mien nguoc (PTR) cua may chu gui, ket noi bi tu choi"
filter "f_fcrdns" phase rcpt-to match !fcrdns reject "550 5.7.1 FCrDNS check failed: your host name does not resolve back to your address"
filter "f_src" phase mail-from match src <chan_ip> reject "554 5.7.1 Dia chi IP may chu gui nam trong danh sach chan cua don vi"
filter "f_rcpt" phase rcpt-to match rcpt-to <tam_khoa> reject "550 5.2.1 Hop thu tam khoa do khong su dung qua 6 thang"
listen on {a_rdns} port {port_rdns} hostname mx.tenmien.example.vn filter "f_rdns"
listen on {a_fcrdns} port {port_fcrdns} hostname mx.xacthuc.example.vn filter "f_fcrdns"
listen on {a_srcip} port {port_srcip} hostname mx.chanip.example.vn filter "f_src"
listen on {a_osrcpt} port {port_osrcpt} hostname mx.oschan.example.vn filter "f_rcpt"
"""  # noqa: E501
RCPT_ACCESS = """pf.nghihuu@canbo.example.vn 550 5.1.1 Cán bộ đã nghỉ hưu, địa chỉ thư này không còn tồn tại
ex.nghihuu@canbo.example.vn 550 5.1.1 Cán bộ đã nghỉ hưu, địa chỉ thư này không còn tồn tại
os.nghihuu@canbo.example.vn 550 5.1.1 Cán bộ đã nghỉ hưu, địa chỉ thư này không còn tồn tại
pf.chiemquyen@canbo.example.vn 550 5.7.1 Tài khoản tạm khóa do nghi ngờ bị chiếm quyền truy cập
ex.chiemquyen@canbo.example.vn 550 5.7.1 Tài khoản tạm khóa do nghi ngờ bị chiếm quyền truy cập
pf.hetluutru@canbo.example.vn 552 5.2.2 Hộp thư đã hết dung lượng lưu trữ
pf.thuqualon@canbo.example.vn 552 5.3.4 Thư vượt quá kích thước tối đa cho phép (10 MB)
os.thuqualon@canbo.example.vn 552 5.3.4 Thư vượt quá kích thước tối đa cho phép (10 MB)
pf.dsden@canbo.example.vn 554 5.7.1 Máy chủ gửi thư bị từ chối do nằm trong danh sách đen
pf.rong@canbo.example.vn 550 5.1.1 Người nhận không tồn tại trong hệ thống
pf.haibounce@canbo.example.vn 554 5.7.1 Thư bị từ chối theo chính sách của đơn vị
"""
MAIN_CF = FILTERS_MAIN_CF.replace("policyd-spf_time_limit = 3600\n", "") + (
    "notify_classes = 2bounce\n2bounce_notice_recipient = bounces@khaosat.example.vn\n"
)
MASTER_CF = (
    "\n127.0.0.1:{port_a} inet n - n - - smtpd\n"
    + LISTENER.format(name="rcpt", address=ADDRESS["rcpt"])
    + "  -o smtpd_recipient_restrictions=check_recipient_access,texthash:{w}/etc/rcpt,permit\n"
    + f"smtp_ptr  unix - - n - - smtp -o smtp_bind_address={NO_PTR}\n"
    + SERVICES_CF
)
POSTFIX_ROUTES = {
    domain: f"{'lmtp' if listener in LMTP else 'smtp_ptr' if listener in FILTERED else 'smtp'}"
    f":[{ADDRESS[listener]}]:{{port_{listener}}}"
    for domain, listener in REMOTES.items()
}
OS_DOMAINS = [
    d for d in REMOTES if any(r.endswith("@" + d) and i[0] == "opensmtpd" for r, i in LABELS.items())
]
SMTPD_CONF = smtpd_conf(REMOTES, ADDRESS, OS_DOMAINS) + SMTPD_FILTERS
for _listener in FILTERED:
    SMTPD_CONF = SMTPD_CONF.replace(f"{{a_{_listener}}}", ADDRESS[_listener])
for _listener in LMTP:
    SMTPD_CONF = SMTPD_CONF.replace(f"smtp://{ADDRESS[_listener]}", f"lmtp://{ADDRESS[_listener]}")
EXIM_RETRY = "ngunglau.example.vn * F,4s,1h\n"


def _fill(ports: dict[str, int]) -> dict[str, object]:
    return {**ports, **{f"a_{name}": address for name, address in ADDRESS.items()}}


def _exim_config(w: Path, root: Path, ports: dict[str, int]) -> str:
    text = exim_config(root, w, ports, REMOTES, ADDRESS, interface=dict.fromkeys(FILTERED, NO_PTR))
    for listener in LMTP:
        text = text.replace(
            f"t_{listener}:\n  driver = smtp\n", f"t_{listener}:\n  driver = smtp\n  protocol = lmtp\n"
        )
    return text.replace("begin retry\n", "begin retry\n" + EXIM_RETRY)


def _configure(w: Path, ports: dict[str, int]) -> None:
    configure_round(w, ports, MAIN_CF, MASTER_CF, POSTFIX_ROUTES, {"rcpt": RCPT_ACCESS})
    fill = {"w": w, **_fill(ports)}
    _write(w / "dovecot/dovecot.conf", DOVECOT_CONF.format(**fill))
    users = "".join(
        f"{stem}:{{PLAIN}}secret::::::{'userdb_quota_rule=*:storage=4K' if stem in QUOTA_USERS else ''}\n"
        for stem in (*QUOTA_USERS, *SIEVE)
    )
    _write(w / "dovecot/users", users)
    for stem in QUOTA_USERS:  # 3 kB already kept: a message of 2 kB overflows the 4 kB quota
        maildir = w / "home" / stem / "Maildir"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        _write(maildir / "cur/1796601600.M1P1.mail,S=3000:2,S", "Subject: cu\n\n" + "x" * 2986 + "\n")
    for stem, script in SIEVE.items():
        _write(w / "home" / stem / "active.sieve", script + "\n")
    for sub in ("dovecot/run", "dovecot/state", "eximrx/spool"):
        (w / sub).mkdir(parents=True, exist_ok=True)
    subprocess.run(["chown", "-R", "nobody:nogroup", str(w / "home")], check=True)
    _write(w / "etc/exim-rx.conf", EXIM_RX.format(root=w / "debs/root", w=w))
    prepare_senders(w, lambda root: _exim_config(w, root, ports))
    subprocess.run(["chown", "-R", "Debian-exim:Debian-exim", str(w / "eximrx")], check=True)


def _original(rcpt: str) -> bytes:
    stem = LABELS[rcpt][1]
    subject = email.header.Header("Khảo sát chuyển đổi số năm 2026", "utf-8").encode()
    more = "Phụ lục: danh mục chỉ tiêu đánh giá mức độ chuyển đổi số.\n" * 30 if stem in QUOTA_USERS else ""
    return original(rcpt, f"r15-{stem}", subject, more)


@contextlib.contextmanager
def _remotes(w: Path, ports: dict[str, int]) -> Iterator[None]:
    """Dovecot and the Exim that plays the remote with ACLs, stopped whatever happens."""
    conf = str(w / "dovecot/dovecot.conf")
    subprocess.run(["dovecot", "-c", conf], check=True, stdin=subprocess.DEVNULL)
    exim_rx = None
    try:
        with open(w / "log/exim-rx.log", "wb") as log:
            exim_rx = subprocess.Popen(
                [str(w / "debs/root/usr/sbin/exim4"), "-C", str(w / "etc/exim-rx.conf"), "-bdf",
                 "-oX", f"{ADDRESS['acl']}.{ports['port_acl']}"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            )  # fmt: skip
        deadline = time.monotonic() + 20
        for name in LMTP:
            _listening_at(ADDRESS[name], ports[f"port_{name}"], deadline)
        _listening_at(ADDRESS["acl"], ports["port_acl"], deadline)
        yield
    finally:
        if exim_rx:
            exim_rx.terminate()
            exim_rx.wait(10)
        subprocess.run(["doveadm", "-c", conf, "stop"], check=False, stdin=subprocess.DEVNULL)


@contextlib.contextmanager
def _running(w: Path, ports: dict[str, int]) -> Iterator[None]:
    senders = {rcpt: info[0] for rcpt, info in LABELS.items()}
    with _remotes(w, ports), running_senders(w, ports, SMTPD_CONF, senders, _original):
        for rcpt, sender in SENDERS.items():
            with smtplib.SMTP("127.0.0.1", ports["port_a"]) as smtp:
                smtp.sendmail(sender, [rcpt], _original(rcpt))
        yield


def _kind(text: str) -> str:
    head = text.split("\n\n", 1)[0].lower()
    if "disposition-notification" in head:
        return "mdn"
    if "delivery-status" not in head and "mailer-daemon" not in head and "subject: warning:" not in head:
        if "auto-submitted: auto-replied" in head:
            return "autoreply"
    return answer_kind(text)


def _found(text: str) -> tuple[str, Label] | None:
    return found_label(text, LABELS, "r15")


def _name(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace")
    found = _found(text)
    kind = _kind(text)
    if not found:
        return f"unknown-{kind}-r15-{abs(hash(text)) % 10000}.eml"
    rcpt, (sender, stem, *_) = found
    sender = "dovecot" if kind in ("mdn", "autoreply") else sender
    return f"{sender}-{kind}-{stem}-at-{rcpt.split('@')[1]}.eml"


MTA = {"postfix": "Postfix 3.7", "exim": "Exim 4.96", "opensmtpd": "OpenSMTPD 6.8", "dovecot": "Dovecot 2.3"}
WHAT = {"delay": "delay notice", "failed": "notice", "mdn": "MDN (RFC 5429)", "autoreply": "auto-reply"}


def _how(name: str, kind: str, what: str) -> str:
    return f"{MTA[name.split('-')[0]]} {WHAT[kind]}: {what} (round 15, make_round15.py)"


def main() -> None:
    before = {path.name for path in OUT.glob("*.eml")}
    ports = {name: _free_port() for name in ("port_a", "port_o", *(f"port_{n}" for n in LISTENERS))}
    messages = [
        (rcpt, _original(rcpt))
        for rcpt, info in LABELS.items()
        if info[0] == "postfix" and rcpt not in SENDERS
    ]
    # Exim and OpenSMTPD repeat their warnings (one file each, under one name here): the round waits its time
    run_round("realmta-r15-", ports, _configure, _running, messages, sys.maxsize, _name, OUT, wait=75)
    if os.environ.get("REALMTA_NS") == "1" and OUT.exists():
        manifest_rows(OUT, before, _found, _kind, _how, LABELLED_RECIPIENT)


if __name__ == "__main__":
    main()
