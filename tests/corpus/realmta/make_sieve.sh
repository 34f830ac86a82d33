#!/usr/bin/env bash
# Make real Dovecot (Pigeonhole Sieve) answers for tests/corpus/realmta: a Sieve `reject` (an MDN, RFC
# 5429), a `vacation` auto-reply (RFC 5230) and the LDA's own rejection of a message over quota. Labels
# are by construction: we know what we provoked. Needs root and Debian's dovecot-core + dovecot-sieve
# (installed here if missing). Runs a private dovecot-lda on a temporary folder; no server is started
# and the project's mail stack is not touched. Usage: tests/corpus/realmta/make_sieve.sh
set -euo pipefail
out=$(cd "$(dirname "$0")" && pwd)
if [ ! -x /usr/lib/dovecot/dovecot-lda ] || [ ! -e /usr/lib/dovecot/modules/lib90_sieve_plugin.so ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        dovecot-core dovecot-sieve >/dev/null
fi
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{run,state,home,captured}
cat >"$work/capture.sh" <<'SH'
#!/bin/sh
# dovecot's sendmail_path: keep each message it would send
dir=$(dirname "$0")/captured
n=$(ls "$dir" | wc -l)
cat >"$dir/$n.eml"
SH
chmod 755 "$work/capture.sh"
cat >"$work/dovecot.conf" <<CONF
base_dir = $work/run
state_dir = $work/state
log_path = $work/dovecot.log
ssl = no
mail_location = maildir:~/Maildir
hostname = mail.sotc.example.vn
postmaster_address = postmaster@sotc.example.vn
sendmail_path = $work/capture.sh
mail_plugins = quota
protocol lda {
  mail_plugins = \$mail_plugins sieve
}
plugin {
  sieve = file:~/sieve;active=~/active.sieve
  quota = maildir:User quota
  quota_rule = *:storage=1K
  quota_exceeded_message = Quota exceeded (mailbox for user is full)
}
CONF
chown -R nobody:nogroup "$work"

original() {  # $1 recipient, $2 size of filler in bytes
    printf 'From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: %s\nSubject: Khao sat chuyen doi so 2026\n' "$1"
    printf 'Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\nDate: Sun, 06 Dec 2026 08:00:00 +0700\n'
    printf 'MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nKinh gui anh/chi,\n'
    head -c "$2" /dev/zero | tr '\0' 'x'; printf '\n'
}
deliver() {  # $1 user, $2 sieve script ('' for none), $3 filler size
    local home=$work/home/$1
    mkdir -p "$home"
    if [ -n "$2" ]; then printf '%s\n' "$2" >"$home/active.sieve"; fi
    chown -R nobody:nogroup "$home"
    # without -d the LDA delivers as the calling user into $HOME: no userdb, no auth server
    original "$1@sotc.example.vn" "$3" | runuser -u nobody -- env HOME="$home" USER="$1" \
        /usr/lib/dovecot/dovecot-lda -c "$work/dovecot.conf" -a "$1@sotc.example.vn" \
        -f "bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn" || true
}
deliver lan.vo 'require "reject"; reject "Hộp thư này chỉ nhận thư nội bộ / this mailbox takes internal mail only";' 10
deliver minh.ho 'require "vacation"; vacation :days 1 :subject "Vắng mặt / Out of office" "Tôi đi công tác đến 15/12/2026. I am away until 15 December 2026.";' 10
deliver chi.le '' 4000
ls "$work/captured" >/dev/null
i=0
for name in sieve-reject sieve-vacation lda-quota; do
    if [ -s "$work/captured/$i.eml" ]; then cp "$work/captured/$i.eml" "$out/$name.eml"; else
        echo "no message captured for $name" >&2; cat "$work/dovecot.log" >&2 || true; fi
    i=$((i + 1))
done
