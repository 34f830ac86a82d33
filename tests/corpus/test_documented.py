"""Replies as mail servers' and providers' own documentation gives them (tests/corpus/documented/*.csv: vendor,
the reason Sisimai gives, hard, the documented status, the text, where it is documented), written from that
documentation and not from either shared corpus: a held-out check of the phrase vocabulary. Each text is
wrapped twice, as the diagnostic of a minimal RFC 3464 DSN and as the body of a plain-text notice with no
DSN part, and the classifier's reason (and hard/soft) must agree on at least MIN_PCT of each set (the figure
reached when the set was written, then what the vocabulary reaches; raise it as the vocabulary improves,
never lower it). replies-2.csv was written later, scored before any phrase was added for it, for the reasons
and vendors the first set covered thinly; replies-3.csv likewise (70.0% before its phrases), for providers
and reasons neither earlier set covered; replies-4.csv likewise, only for the reasons the jackknife found
brittle (87.0% before its phrases); replies-5.csv likewise, localised notices only (Vietnamese and thirteen
other languages, most with no status or reply code left; 24.0% before its phrases, both wrappings alike);
replies-6.csv likewise, for security gateways and hosted filters (Mimecast's code list, Symantec/Broadcom,
Sophos, Proofpoint, Trend Micro, Barracuda, Baruwa), Exchange 2016-2019 and Exchange Online codes not yet
covered, other servers' and providers' texts, and the brittle reasons (43.3% before its phrases, both
wrappings alike; 83.3% after, 88.3% after set 7's); replies-7.csv likewise, for the reasons the jackknife
still found brittle (systemerror, notcompliantrfc, virusdetected, securityerror, hostunknown, mailererror)
and expired, syntaxerror, toomanyconn, exceedlimit, norelaying, suspend, hasmoved, mesgtoobig, from RFC
3463/4954/5321 texts, MTA manuals (Momentum, Exim, Postfix, Sendmail, qmail), providers' pages (Gmail,
Microsoft, Yandex, Zoho, Coremail, 263, Huawei Cloud) and antivirus gateways; rows whose wording was written
from memory around a documented phrase say "reconstructed" (78.3% before its phrases, both wrappings alike;
100% after); replies-8.csv likewise, for vendors and locales the sets covered thinly (Yandex, RU-CENTER,
NetEase and its codes, QQ, Coremail, GMX/WEB.DE, Orange, La Poste, SFR, Comcast, AT&T/BellSouth, docomo,
Korean portals, hMailServer, Barricade MX, IronPort, Vietnamese hosts and Zing Mail's Vietnamese notices; 41.7%
before its phrases, both wrappings alike; 86.7% after: NetEase's and SFR's codes, Orange's 105 and La
Poste's 503, word families for the rest); replies-9.csv likewise, for the vendors of the bounce corpus's
families that sets 1-8 covered thinly (OpenSMTPD's and DragonFly Mail Agent's own failure strings, qmail's,
Exim's, Sendmail's and Postfix's server and client texts not yet in a set, Domino's router, AOL's and Cox's
postmaster codes, iCloud, QQ, Zoho, IONOS, Trend Micro, Google Workspace, Exchange Online, Hornetsecurity,
Broadcom), weighted to the brittle reasons; "partly reconstructed" where the wording around a documented code
or phrase was filled in (53.3% before its phrases, both wrappings alike; reason 53.3%, hard/soft 96.7%; 78.3%
after, hard/soft 98.3%: AOL's codes and Cox's IPBL codes, word families for the rest. The 26 misses left are
rows labelled with the vendor's meaning where the vocabulary keeps the corpus's own convention: OpenSMTPD's
and qmail's "no MX" as notaccept, Exim's "delivery to pipe/file forbidden" as systemerror, "header error" and
"protocol violation" as policyviolation, X.5.4 / X.5.6 status codes, a DSN's failed 4.4.1 as expired, qmail's
plain "unable to" in a qmail-style notice as systemerror, Cox's CXSNDR as authfailure, Zoho's phrases, qmail's
bare-LF pointer beside set 6's bare linefeeds as contenterror; and QQ's "Mailbox unavailable or access
denied", a sentence too plain to read as QQ's without its host); replies-10.csv likewise, for the bounces
Vietnamese hosts and mail providers document for their customers (25 of its 55 rows from Vietnamese pages: Mắt
Bão's KB as republished, Hải Nhân, VietNAP, tinhocvanphong, GoDaddy's, Yahoo's and Microsoft's Vietnamese help,
Zing Mail, viettechgroup), the rest from cPanel, DirectAdmin and Plesk hosts' and servers' pages (Forpsi,
HostGator, DS Host, Chillidog, GNU Mailutils, Gordano); "partly reconstructed" as in set 9 (50.9% before its
phrases, both wrappings alike; reason 50.9%, hard/soft 85.5%; 78.2% after, hard/soft 89.1%: word families for SPF
and authentication checks, the sender's own sending limit, attachments refused, dictionary attacks and IP policy,
hop counts and failed connections, Vietnamese and unaccented, and a sender-address status over a "does not exist"
text. The 12 misses left are rows labelled with the vendor's meaning where the corpus's convention reads
otherwise: a user-unknown sentence with no RCPT or X.1.1 read as filtered, GoDaddy's IB101, Exchange's
5.1.11 and 5.7.12 outside an Exchange notice, Outlook's Vietnamese relay notice, Forpsi's "sender is
blacklisted", "Can't create output", "Verification failed" and HostGator's "Unexpected failure"); replies-11.csv likewise, for IANA's enhanced status
code registry (RFC 3463, 3886, 4468, 4954, 5248, 6531, 6710, 7293, 7372, 7505, 8617, 8689) and RFC 5321/7504
reply codes, weighted to codes no earlier set had (X.1.4, X.2.4, X.3.1, X.3.3, X.4.0, X.4.3, X.4.8, X.5.1, X.5.5,
X.6.1-X.6.9, X.7.4-X.7.6, X.7.10, X.7.12-X.7.22, X.7.24, X.7.29, X.7.30, 555), labelled by the registry's
meaning, worded as Postfix, Sendmail, Exchange and Gmail word them or, for codes no server documents a text
for, in the registry's own title (94.0% before its rules, both wrappings alike; reason 94.0%, hard/soft 100%;
100% after: the status table now reads X.4.0 transient, X.4.2/X.4.5-X.4.8 permanent, X.5.1, X.5.4 and X.6.10
by their registry meaning, a reply in its code's registry title is read by the code unless the words name a
specific reason, and the reply codes 500-504 and 555 name a syntax error where nothing else does; set 9 rose
from 78.3% to 80.0% with them); replies-12.csv likewise, for providers, ISPs and hosts no earlier set had
(Seznam, Interia, Aruba, Alibaba Mail, HiChina, EarthLink's postmaster codes, Spectrum, BT, SAKURA internet,
MEGA EGG, Brazilian, Czech, Austrian, Swiss and UK hosts and relays), 20 reasons; "placeholders filled" where a
documented text had an address or IP left out (47.5% before its rules, both wrappings alike; reason 47.5%,
hard/soft 92.5%; 77.5% after, hard/soft 95.0%: EarthLink's ELNK codes, word families for a recipient who does
not want the sender's mail, a sending IP called forbidden or blocked in Italian, Spanish, Portuguese, French,
German or Polish, a recipient not a local account, counts of recipients and lengths of attachments over a
threshold, risky or banned file extensions, and a sender's own domain said not to exist. The 9 misses left are
rows where the vendor's meaning differs from the corpus's convention: Aruba's "policy violation" ID as speeding,
Alibaba's "Mailfrom account is a local account", a user-unknown sentence with no RCPT or X.1.1 read as filtered
(twice), "spam IPs blocked" read as spam, Spectrum's AUP#In-1020, "Recipient not authorised" as BT's relay
refusal, "Forged sender domain" as Bluewin's SPF, and a failed 4xx "Name server timeout" read as expired, as the
real-MTA corpus's Sendmail labels it); replies-13.csv likewise, for email service providers' own bounce pages
(Amazon SES's sending errors, quotas and bounce templates, SparkPost's delays and suppressions, Mailgun's, Mandrill's,
OCI Email Delivery's SMTP errors, Maropost's, CleverReach's and ResponseMaster's bounce lists, the Postal Systems
classifier's example replies, and replies an SES account logged), 20 reasons; "placeholders filled" and "partly
reconstructed" as in sets 9 and 12 (56.2% before its rules, dsn 58.3%, notice 54.2%; reason 56.2%, hard/soft 88.5%;
87.5% after, hard/soft 95.8%: an ESP's suppression list of addresses that bounced before, a relay's own "message
expired / timeout" over the last error it quotes, a sending quota or per-period cap of the sender (not the mailbox's
quota) and its sending IP paused, storage space exhausted, a message that could not be stored, relaying
"prohibited", a geo-block of the sending host, a refusal "per organizational policy", repeated failed logins, and a
content status (X.6.x) whose words do not say spam. The 6 rows missed (both wrappings) are read by the corpus's
convention: SES's "Email address is not verified" as norelaying (as Sisimai reads it), "No MX for" as notaccept, a
sender domain on Spamhaus DBL as blocked, "Mail system failure, closing transmission channel" as blocked by RFC
5321's 421 words, and "mailbox not found" / "Address unknown" after a bare 5xx code as filtered, as Sisimai reads a
user-unknown text with no RCPT or X.1.1);
replies-14.csv likewise, for mail server products' own replies and notices, most quoted from their source
(Stalwart, Cyrus lmtpd, Dovecot's LMTP and LDA, Apache James, hMailServer, Citadel), the rest from manuals,
KBs and notices as posted (CommuniGate Pro, IceWarp, HestiaCP's and cPanel's Exim ACLs), 21 reasons; four
rows relabelled after scoring to the convention Sisimai and the corpora keep (a 5.6.0 malformed header and
Stalwart's "Too many Received headers" as contenterror, Cyrus's 5.7.1 "Permission denied" as securityerror,
then rejected when real-MTA round 11b made the same refusal by construction;
67.7% before its rules as first labelled, 76.0% as relabelled, DSN 66.7% and notice 68.8%; hard/soft 97.9%;
95.8% after, hard/soft 100%: an account not authorised to receive mail, a sender not allowed to send from
its address, no DNS entries for the recipient's host, SURBL beside URIBL, a HELO name that does not
resolve and an IP written out and called restricted as blocks, a message the server could not save, a
temporary failure looking the host up, the server's limit for a sending host reached, and a sequence status
(503 5.5.1) whose words demand authentication. The 2 misses left: a failed DSN whose only words are
Stalwart's "connection refused", read as expired by the corpora's convention, and a Sieve reject's own
free-text reason);
replies-15.csv likewise, one row per phrase family of Sisimai's own tables
(p5-sisimai Reason/Rhost/Lhost modules, go-sisimai reason/ and rhost/) that no earlier set's row exercised, the
phrase as listed and the reply around it reconstructed, labelled with Sisimai's reason, weighted to the brittle
reasons and to failedstarttls, the status left empty where the module implies none (50.0% before its rules: DSN
48.3%, notice 51.7%; reason 50.0%, hard/soft 95.0%; 85.8% after: DSN 85.0%, notice 86.7%; hard/soft 98.3%: word
families for TLS required for the recipient's domain or mail not sent over TLS, MTA-STS and DANE validation
failures, a From: not aligned with the authenticated SPF or DKIM domain, a session's connection expired or timed
out, a cap on messages per connection, unicode or encoded-word header syntax, a policy that prohibits the mail and
messages sharing one Message-ID, a bad or forged HELO, the sender denied or its own account disabled, an address no
longer valid or administratively disabled, a size over the recipient's own limit, a domain's DNS said to violate its
RFC, a hosted domain with no mail service, sending directly to the recipient's servers; qmail-remote's "but my name
was rejected" in any notice; "rate limited because ...", "bulk email senders" and "exceeded its quota for sending"
no longer read as a rate, spam or a full mailbox. The 9 rows left are Sisimai's labels where the vocabulary keeps
the corpus's convention or the words say too little: qmail's "envelope recipient has been denied" with no RCPT or
reply code read as filtered, Domino's "Several matches found" as filtered (X.1.4), Exchange Online's banned sending
account read as spam, Yahoo's TSS09 deferral and Exchange Online's AS843, "x-dg-ref header is too long", Exchange's
"Too many related errors", Gmail's "STARTTLS may not be repeated" under its 5.5.1, and qmail's "mailbox unavailable
(not enough free space)" in a DSN read as a full mailbox);
replies-16.csv likewise, localised notices again, to see whether set 5's vocabulary generalises: 37 Vietnamese rows
(Zimbra's vi_VN ZMsg and ZmMsg strings, PHPMailer's Vietnamese file by VINADES and Roundcube's, Microsoft's and
GoDaddy's Vietnamese pages, Zing Mail; 15 of them the unaccented forms users type and ASCII-only replies write,
"unaccented form of <source>"), 20 from Microsoft Learn's and Google's localised NDR and SMTP error pages (it, ko,
fr, ja, de, zh-cn, zh-tw, pl, pt-BR); "placeholders filled" as in set 12 (17.5% before its rules: Vietnamese rows
16.2%, the others 20.0%, both wrappings alike; reason 17.5%, hard/soft 78.9%; 86.0% after: Vietnamese 81.1%,
others 95.0%, hard/soft 93.0%: word families for a quota gone over ("quá hạn ngạch", not a quota for sending), an
account's storage limit, a mailbox full, too big, disabled, not found in the passive, a user unknown, an invalid
address a message was not sent for, a host or domain not found, too many hops, a failed connection, a service
unavailable for now, failed authentication, a sender not allowed to send, too many recipients, too much mail
received, a time allowed run out, each with diacritics and without ("khong ton tai", "hop thu da day"); the
sender's sending quota in Italian, French, Spanish, Portuguese, German, Korean, Japanese and Chinese, a sender
throttled ("gedrosselt"), a receiving rate too high, an IP not on the allow list, TLS required, a timeout closing
the connection and a temporary system problem in Google's Chinese and Japanese, spam laid at the sending IP in
Chinese and Japanese, a refusal under the organisation's rules in Polish, Japanese, Spanish, Portuguese, French
and German. The 8 rows left: Zimbra's "addresses not accepted" / "rejected addresses" and PHPMailer's "recipient
address error" with no command or status, read as filtered's evidence by no rule (onhold), Roundcube's misspelt
"Kết nỗi", Microsoft's machine-translated "554 không thành công thư từ xác thực với trường từ", a 553 5.1.0 "x
không tồn tại" (the sender's domain, read as the address's), GoDaddy's IB101 unaccented (its table reads a
rate), and Google Groups' Portuguese refusal naming bulk senders' guidelines);
replies-17.csv likewise, written before any rule for it, for the reasons the jackknife found brittle (systemerror,
rejected, notcompliantrfc, policyviolation, virusdetected, mailboxfull), from MTA and filter source (Zimbra's LMTP
replies, Qsmtp, qmail's queue exit codes, Haraka's header checks, Courier's pythonfilter, Postfix's access and
address-verification replies, Exim's sender callout and header syntax check) and vendors' and providers' pages
(Momentum, ASSP, Hornetsecurity, rspamd, ESET, Yahoo, Gmail, Exchange, IONOS, MailEnable, Dovecot's quota message);
"placeholders filled" and "reconstructed" as in sets 9 and 12 (62.5% before its rules, DSN and notice alike;
hard/soft 100%; 97.9% after, hard/soft 100%: one word family, one branch, for each meaning the jackknife found
held by one message's wording: the receiving server's own failure (an internal or system error, a service or
server unavailable, a file, queue or table it could not load, open, read or write, an error in processing, a
temporary failure of its own delivery), a refusal under a policy or a policy said violated, the sender's own
address or domain named (Sender ID's purported responsible address, another address or alias sent as), a header
the standard requires missing or not unique (RFC 5322 section 3.6); a refusal because of an attachment or a
compliance filter's rule, which also outranks a content status (X.6.x); a failed callout to the sender's address,
whose unknown user is the sender's. The row left: Exchange's "mailbox database thread limit exceeded", read as a
full mailbox).
replies-18.csv likewise, localised notices a third time, none of their texts in sets 5, 8, 10 or 16: 30 Vietnamese
rows (Zimbra's vi_VN ZMsg strings not used before, Zing Mail's help 190, Microsoft's vi-VN help for 5.7.1 and
5.7.12, PHPMailer's, Roundcube's, CodeIgniter's and Bitrix's Vietnamese files, Mắt Bão's KB as republished; 10 of
them unaccented), 30 in the languages sets 5 and 16 covered thinly (Google's error pages in zh-CN, zh-TW, ja and
pt-BR, Gmail's help in ja, id and es, GoDaddy's bounce help 40685 and 3568 in ja, id, pl, de and th, Onet's, ePochta's,
Roundcube's km_KH, an Arabic list of bounce messages); "partly reconstructed" and "placeholders filled" as in sets 9
and 12 (25.0% before its rules: Vietnamese 23.3%, the others 26.7%, both wrappings alike; hard/soft 88.3%; 95.0%
after: Vietnamese 100%, others 90.0%, hard/soft 100%: word families for a user said to be at another address, a
sender not allowed or without permission to send to the recipient (Exchange's "delivery not authorized") or through
a server between them (relaying), a recipient set to refuse mail from outside its organisation, the sender's own
address in error, a connection error, lost or timed out, a wait of seconds before sending, room not enough, a
message's size over a limit, SMTP needing a login or a login failed, an address holding invalid characters, each
with diacritics and without; an account at its storage limit in Japanese, Indonesian, Polish, German, Spanish,
Portuguese and Arabic, an account or its receiving switched off in Japanese, Indonesian and Polish, an account not
existing in Japanese, Indonesian and Polish, Exchange's 5.4.1 "recipient address rejected: access denied" as
providers translate it, the sending limit in Spanish, Portuguese and Polish, mail received too often or in bulk
and a relay volume over its limit in Chinese, relay access denied in Arabic, Khmer's "cannot connect"; "thư của
người gửi bị từ chối", the sender's message refused, no longer read as the sender refused. The 3 rows left:
Google's "try again later, closing connection" in Chinese under 4.7.0, which google.py reads as a block only on
Google's own notices (its English words score the same outside them), GoDaddy's IB101 in Thai (its table reads a
rate, as set 16's), and Roundcube's Khmer "SMTP Error (535)" whose reply code in parentheses is not read and whose
words misspell "account");
replies-19.csv likewise, localised notices a fourth time, to see whether the word families written for sets 16 and
18 generalise, none of its texts in sets 5, 8, 10, 16 or 18 and none from their sources: 30 Vietnamese rows
(Thunderbird's vi composeMsgs.properties, Microsoft's Alchemy Insights vi-VN NDR pages as machine-translated, Bitrix;
10 of them unaccented) and 30 in Italian, Turkish, Malay, Russian, Japanese, Korean, Czech and traditional Chinese
(Thunderbird's translations of the same SMTP errors) and in Thai, simplified Chinese, Indonesian, Arabic, Polish,
German, French and Brazilian Portuguese (Alchemy Insights' NDR pages); "placeholders filled" as in set 12 (21.7%
before its rules: Vietnamese 40.0%, the others 3.3%, both wrappings alike; hard/soft 95.0%; 100% after, both
wrappings, hard/soft 100%: word families for a mailbox's quota or storage gone over as Microsoft's help translates
it (vi "vượt quá dung lượng hộp thư", th, zh, ar), a message's size over the server's limit, the recipients over the
number allowed and a connection lost or timed out as mail clients translate them (it, tr, ms, ru, ja, ko, cs,
zh; vi with diacritics and without), the sender's daily limit of recipients (Exchange Online's 5.1.90 in vi, id,
pt and English), Microsoft's "traffic not accepted from this IP" and "banned sender" (vi, zh, de), a server busy
or in temporary trouble (vi, fr), a failed login (ru, cs, it, tr, ko), SMTPUTF8 unsupported, a client blocked
from sending from an unregistered domain (Exchange Online's 5.7.750 in vi), each with its English sibling where
the English one was missing too ("the connection to <host> timed out" and "exceeded your daily limit for message
recipients" read onhold and userunknown before; English "server busy" is left to the words beside it, a block's
"connection refused" or "access denied")).
The held-out hard/soft set's rules (tests/corpus/test_hardsoft.py: a 5xx saying "no such recipient" or that the
person "doesn't have a ... account" is about the address where no command is named) raised set 1 from 95.0%
to 96.7% and set 10 from 78.2% to 81.8% (Yahoo's "dd This user doesn't have a yahoo.com account" in both,
DirectAdmin's "550 No such recipient here").
replies-20.csv likewise, written and scored once before any rule for it, to see whether set 17's word families
generalise, for the reasons the jackknife (alternatives taken apart, 93.19%) found weakest: authfailure,
requireptr, blocked, rejected, securityerror, systemerror, policyviolation, virusdetected, notcompliantrfc, from
MTA and filter source no earlier set used (maddy's checks: SPF, DKIM, rDNS, EHLO, DNSBL, sender authorisation and
MX of the sender's domain; mox's SMTP server and delivery analysis; OpenDMARC's reject reply; vSMTP's vSL reply
codes; OpenSMTPD's filter-clamav; iRedAPD's policy replies; Postfix's sender-login-mismatch replies);
"placeholders filled" and "reconstructed" as in sets 9 and 12 (75.0% before its rules: DSN 75.9%, notice 74.1%;
hard/soft 94.4%; set 17's reasons: systemerror 100%, policyviolation 100%, virusdetected 100%, rejected 50.0%,
notcompliantrfc 25.0%; the others: authfailure 93.3%, requireptr 100%, blocked 60.0%, securityerror 75.0%,
mesgtoobig 50.0%, speeding 0%; scored on the code before set 17's rules, 71.3%: set 17's families turned 2 of its
rows right, maddy's "Unauthorized use of sender address" and "Message rejected for due to a local policy", while its
7 systemerror rows were read right by their status and older words without them); 91.7% after, DSN 92.6%,
notice 90.7%, hard/soft 94.4%: word families for an error during the SPF, DKIM or DMARC check itself, an IP, address or name in the HELO/EHLO refused, the sender's address
not matching or belonging to the logged-in account, an originator header called malformed or invalid before its
name and several From: addresses, a count of messages over a past span of time, read as a rate over a full
mailbox's X.2.2. The 5 rows left (9 of 108): the sender's own domain without MX or with a null MX (X.7.27, "Sender
address has null MX") read as notaccept, as the status table keeps the corpus's convention; maddy's "Unable to
normalize authorization username" in a notice read as systemerror; mox's "error copying data to file" under 4.3.4
(its message over the size limit) read by its words, a transient X.3.4 naming no reason by convention).
replies-21.csv likewise, localised notices a fifth time, written before the concept lexicon
(maildaemon/core/replies/lexicon.py) to measure whether reading concepts rather than phrases generalises, none of
its sources used by sets 5, 8, 10, 16, 18 or 19: 30 Vietnamese rows (cloudhosting.vn's and iwayvietnam's own
pages, the rest my Vietnamese renderings of other languages' bounce-help pages: GMX, mail.fr/de, schieb.de, CATV
Yokohama, kbit.tistory, Coremail, arobase, hataverdi, jouwweb; 10 of them unaccented) and 30 in Japanese, Korean,
Chinese, Russian, German, French, Italian and Turkish, as bounce-help pages and hosts' blogs explain the reasons
(CATV Yokohama, pa-solution, hocoroco, pcseikatsu, foxydog and kbit on tistory, Aliyun's Q&A, bentuzi, xiayuyun,
mailout.ru, errorsmaster.ru, mail.fr/de, GMX, schieb.de, assistance.email, jeanboulanger, lovestheteam, ixirhost,
hataverdi, sh.com.tr) (61.7% before any rule: Vietnamese 73.3%, the others 50.0%, both wrappings counted;
hard/soft 91.7%, on main 06b67b5; 65.0% on main ec86a32 with set 20's and round 13's rules; 83.3% after the lexicon, untuned, written from dictionaries and sets 5, 16, 18 and 19 before
its misses were looked at, 85.0% with its ASCII gate widened for its unit tests (Vietnamese 86.7%, the others
83.3%, hard/soft 95.0%); 96.7% tuned, hard/soft 98.3%: Italian's "cassetta postale", Japanese's "メール容量" as a
message's size, a rate (how often) apart from a count, the sender refused, and the sending IP called a source
of spam in Vietnamese; two rows relabelled after scoring to the corpora's convention, a DNS lookup failed under
4.4.0 as networkerror. The 2 rows left: "không đủ dung lượng đĩa" (the server's disk) read as a full mailbox by
set 16's family, and "收件人邮箱不存在" with no command or status read as filtered, as Sisimai reads a user-unknown
text with no RCPT).
replies-22.csv likewise, localised notices a sixth time, held out and scored once to give the concept lexicon
an honest second figure (set 21's Vietnamese rows were mostly the lexicon author's renderings): none of its
sources used by sets 5, 8, 10, 16, 18, 19 or 21, every row's text from a page written in its language. 26
Vietnamese rows from Vietnamese hosts', providers' and users' pages (VietNAP's daily outbound limit, Viettel IDC
as republished, Tenten, thuemaychuao, GoDaddy's Vietnamese Professional Email limits, soha.vn, matma (a Zoho
reseller), itweb.vn, sharethuthuat, boxhoidap, Nhân Hòa, Viettel's S-Invoice and hóa đơn help, Hostinger
Vietnam; 7 of them unaccented forms, 3 "partly reconstructed" where a limit the page states was put as a
notice) and 18 in Dutch (Strato, Exedo, Weboke, Dation, Lasso), Catalan (Riudoms), Portuguese (BS2 Internet)
and Chinese (emailhost.com.cn) (44.3% with the lexicon, on main 101823f, both wrappings alike (DSN 43.2%,
notice 45.5%); hard/soft 90.9%; Vietnamese 63.5%, the others 16.7%; 28.4% with the lexicon switched off
(concept_reason returning ""), Vietnamese 40.4%, the others 11.1%. Of the others, the 13 Dutch and Catalan
rows are in languages the lexicon has no stems for (Dutch is ASCII, so it is not even asked) and all 13 miss;
Portuguese and Chinese 3 of 5. The Vietnamese misses: a sending limit per day or per recipient count read as
syntaxerror, a domain without MX, a size over 25MB, "dùng cạn dung lượng" (storage used up), an IP "liệt vào
danh sách đen" read onhold, and a server spreading spam (and, in a DSN, an IP in a "Blacklist") read as
spamdetected where the rows say blocked).
replies-23.csv likewise, localised notices a seventh time, held out: written and labelled before any change to the
lexicon and scored once, then the lexicon was widened from dictionaries (languages and concepts it lacked) without
looking at its rows or set 22's. None of its sources used by earlier sets: 24 Vietnamese rows (tenmienthuonghieu,
getfly's suppression list, Bizfly Cloud's quota page, Microsoft's Outlook help as republished, GoDaddy's Webmail
limits as ilbusinessonline explains them, LVTech, doisong24, jakhi, seowebvn, hoangweb, vietjack and a Vietnamese
bounce-analysis workflow's code table; 6 unaccented, 2 long notices of several sentences) and 26 in Dutch, Swedish,
Finnish, Greek, Slovak, Polish and Italian (VDX, Interned Services, NederHost, Carerix, GoDaddy's Swedish page,
Crossnet, Animana, eGenerator, Sigmatic, Sigmaweb, IPHost, ip.gr, sch.gr, internetdaybook, konto.pl, Libero);
"partly reconstructed" where a page's explanation was put as a notice. No Hungarian, Romanian, Hebrew, Catalan,
Danish or Norwegian page was found to write rows from (49.0% before, on main f729cbb: DSN 48.0%, notice 50.0%;
Vietnamese 77.1%, the others 23.1%; 35.0% with the lexicon switched off). 73.0% after the lexicon was widened,
untuned (DSN 72.0%, notice 74.0%; Vietnamese 81.2%, the others 65.4%): stems for Dutch, Catalan, Swedish,
Danish, Norwegian, Finnish, Hungarian, Romanian, Greek, Hebrew, Slovak and Ukrainian, a refused senders' list in
any language (danh sách đen, zwarte lijst, svartlista, μαύρη λίστα ...) read as a block, a count of messages
over a limit as a rate and of recipients as too many recipients, a message larger than a size or over so many
megabytes as too big, Vietnamese words for storage used up and accounts closed or no longer active, and a
notice over 400 characters read sentence by sentence rather than not at all (as first measured, its first
2,000 characters; once callgrind was run, its first three sentences and only where it holds a letter outside
ASCII, with no row's verdict changed). Set 22,
measurement only, rose from 44.3% to 60.2% with them (Vietnamese 75.0%, the others 38.9%), and to 64.8% (the
others 50.0%) once a Dutch "vol" stem was fixed and the ASCII gate took the words the unit tests use. 91.0%
tuned on set 23's misses with general stems and rules only (DSN 90.0%, notice 92.0%; Vietnamese 85.4%, the
others 96.2%; set 22 unchanged at 64.8%): Nordic definite forms (kontot, kontoen), a mailbox's disk space or
own size gone over as a full mailbox, Polish and Italian words for space and capacity (powierzchnia, capienza)
and for "no such" and "not found", recipients up to a number ("tối đa 50 người nhận"), and a gate word followed
by a stop or comma. The 9 outcomes left: getfly's suppression list ("Email nằm trong blacklist") read as a
block where the row keeps set 13's convention, "550 Domain không tồn tại" and "554 Thư bị chặn bởi bộ lọc spam"
read as filtered by the families (a 5xx with no command), the DSN of vietjack's blacklist-for-spam row read as
spam by its status, and Slovak's "z dôvodu jeho veľkej veľkosti" (because of its great size) with no stem for it.
replies-24.csv likewise, a measurement set only: 30 rows written and labelled before it was scored and before
any rule for it, and scored once, to see how far this session's rules reach text they never saw; 20 Vietnamese
(half without diacritics: userunknown, mailboxfull, mesgtoobig, speeding for sending limits, blocked IPs and
blacklists, spamdetected, suspend, hostunknown, expired, rejected) and one row each in Dutch, Swedish, Polish,
Portuguese, Italian, Czech, Hungarian, Romanian, Spanish and French, status empty. Scored once: 96.7% of 60
(Vietnamese 95.0% of 40, the others 100.0% of 20; dsn and notice alike); the one miss, "bị bộ lọc đánh giá là
thư rác" (judged spam by the filter), reads as filtered, not spamdetected. Then one general rule: a filter whose
verdict is named spam (that wording, and set 23's "bị chặn bởi bộ lọc spam") is spam detection, not a filter's
refusal: set 24 100%, set 23 93.0%.
replies-25.csv likewise, localised notices an eighth time, none Vietnamese and none English: 79 rows in Chinese
(simplified and traditional), Japanese, Korean, Russian, German, French, Spanish, Italian, Portuguese, Turkish,
Polish, Czech, Dutch, Swedish, Indonesian and Thai, from providers' and hosts' bounce-help pages, a webmail's
keyword table (QQ), an Exim ACL's German message and pages written in each language (QQ Mail, url.com.tw,
BIGLOBE, GMX, Google's Spanish help, Virgilio, Interia, sare.pl, eabm.cz, mailmaster.co.th ...), the source in each
row; "partly reconstructed" where a limit or explanation a page states was put as a notice. No row's text is in
an earlier set. Its column "part" splits it before scoring, by position: every third row is "hold" (26 rows),
the others "tune" (53); rules were written from the tune rows' misses only, then the hold rows scored once.
Before (main 3b5ce21e's code): tune 49.1%, hold 34.6% (44.3% in all, DSN and notice alike). After the concept
lexicon was widened from the tune misses (an account not opened or dormant and inactive accounts, Japanese's
"did not exist", no free space, at most / up to a number, above a quota, excessive, a message too long,
Turkish's folded "röle", Dutch's and Polish's "may not", French's and Portuguese's "rejected", an attachment and
a policy as concepts of their own, an account "not existing or blocked" as unknown, a domain called wrong as
unknown, and a localised domain said not to exist no longer read as a filter's user-unknown): tune 86.8%, hold
38.5% (70.9% in all). The held-out figure barely moved: the hold rows' misses are words the lexicon still
lacks (not found in traditional Chinese, a Thai "full" with no mailbox word, expiry and timeout words,
"domain" without a "not existing" stem in Polish and Czech), so the tuned figure overstates what it reaches.
The tune rows left are Sisimai's convention (a user-unknown text with no RCPT or X.1.1 read as filtered: QQ's
"该用户不存在", Italian, Portuguese and Turkish forms), url.com.tw's "illegal sender" explained with a
blacklist (read as blocked), a Polish relay refusal with no relay word, and Gmail's Indonesian "server did not
accept our request" (a failed connection). Set 23 rose from 93.0% to 95.0% with them: its "550 Domain không tồn
tại" with no command now reads as the host's, not a filter's.
replies-26.csv likewise, localised notices a ninth time, held out whole: 63 rows in the same languages as set 25
(Chinese in both scripts, Japanese, Korean, Russian, German, French, Spanish, Italian, Portuguese, Turkish,
Polish, Czech, Dutch, Swedish, Indonesian, Thai; the vendor name ends in the language), from providers' and
hosts' bounce-help pages no earlier set's row quotes (fobhost, chouwenlao, hocoroco, foxydog's Naver and Daum
notices, Telekom, estugo, web.de via sitepackage, GoDaddy's Turkish, Indonesian and Thai help, kei.pl, c4,
grhosting, Exchange Online's Czech NDR page, weboke ...); no Ukrainian, Hungarian, Romanian, Greek or Hebrew
page was found that set 23 had not used. Labelled, then scored once before any change: 49.2% (DSN and notice
alike; Japanese 85.7%, traditional Chinese 16.7%, Spanish, Italian and Swedish 0%). Then the lexicon was
filled concept by concept and language by language from Thunderbird's and Roundcube's catalogues and
dictionaries, looking at no row of set 25 or 26 (expiry, retries given up, "unable to" and "unreachable",
encryption required, "no such" in both Chinese scripts, non-existent adjectives, full/exhausted words,
inboxes, wrong, count ...), and set 26 scored once more: 77.8% (DSN and notice alike; traditional Chinese
100%, Italian still 0% of 4). Set 25's held-out third, unseen by these rules too, rose from 38.5% to 53.8%.
replies-27.csv likewise, a measurement set only, held out whole, to tell how the concept lexicon generalises to
mail the project has never seen: 58 rows, 19 Vietnamese (Hải Nhân, VietNAP, Gmail's and Yahoo's Vietnamese help,
tinhocvanphong, Bizfly, phanmemmarketing, tenmienthuonghieu, Zing Mail, vHost, GoDaddy's Workspace limits,
Hostinger, cdspvinhlong as Mắt Bão's, thuemaychuao) and 39 in German, French, Italian, Portuguese, Spanish, Russian,
Japanese, Chinese in both scripts, Korean, Turkish, Thai, Polish, Indonesian, Slovak and Swedish (Gmail's de, fr,
it and sk help, Google Workspace's pt-BR codes, magazin66, amicron, tecnobits, nkinformatica, psafe, adslzone,
silverpc, 5pet, busblog, sakuraha, juduo, gxwh, shufengxianlan, nicesongtoyou, useinbox, hostpacific, jzk,
androbuntu, it-ord); each text copied from its page (none reconstructed), none in an earlier set, the vendor
ending in its language. Labelled, committed, then scored once on main a77b66b before any rule: 55.2% (DSN and
notice alike; Vietnamese 47.4% of 38, the others 59.0% of 78; Polish and Swedish 0%, French 33.3%). That is the
figure. Then, TUNED on its misses with general concepts only (lexicon.py's _SET27: a mail server in one word,
e-mails in the plural, "no free space", a rate, a server's own space, retries counted in Vietnamese, a delivery
delayed, Thai's "no such address", an attachment in Vietnamese, a domain that takes no mail, SPF/DKIM/DMARC named,
an IP address read as an IP and not a recipient's address, three gate words), so no longer held out: 77.6% (DSN and
notice alike; Vietnamese 68.4%, the others 82.1%); every other set scores as before. The 13 rows left: the
Sisimai convention (a user-unknown sentence with no RCPT read as filtered: Hải Nhân's, Gmail's Vietnamese, Spanish),
"500" in a sentence read as a reply code (syntaxerror), a Gmail 4.2.1 in Portuguese read as expired by its
transient code, Gmail's "server did not accept our request" (Italian, Slovak), a relay refusal with no relay word
(traditional Chinese), a host read as a user by a German phrase family, Polish "no space on the server" read as a
full mailbox by a family, and three rows whose words name another reason as well (a mailbox limit worded as a
count, "blocked or filed as spam", Zing's "vượt giới hạn thư của người dùng").
replies-28.csv likewise, Vietnamese only, the classifier's weakest language for its users: 68 bounce notices as
Vietnamese servers and providers send them (Exchange/Outlook's vi-VN NDR, Zimbra and MDaemon localised, Mắt Bão,
P.A Vietnam, Viettel IDC, VNPT, Nhân Hòa, FPT, Gmail's Vietnamese bounce, provincial hộp thư công vụ), 18 of them
unaccented, some with a reply code or status and some mixed with English, 22 reasons. The public pages found
(hosts' help, Microsoft's and Gmail's vi pages) had been quoted by earlier sets, so most rows are "reconstructed in
the style of" the system named, the source of each wording in the row. Labelled and committed before any scoring;
its column "part" splits it by position (every third row "hold", 22; the others "tune", 46). Scored once on main
53df32d before any rule: 76.5% of 136 (DSN and notice alike; accented 74.0%, unaccented 83.3%; tune 69.6%, hold
90.9%). That is the figure. Then TUNED on the tune rows' misses only, with general Vietnamese rules (phrase
families: no account or mailbox for the address, the recipient's own size limit, "miền" alone for a domain, a mail
loop and too many hops, a system overloaded, the recipient who blocked the sender, mass advertising; a virus found
over block words; lexicon: a count in an hour's or minutes' window as a rate, a message's own "dung lượng",
addresses never issued or created, "phải"/"yêu cầu"/"bắt buộc" as required, maintenance, and a gate word after a
bracket): 97.1% (tune 100%, hold 90.9% unchanged; accented 98.0%, unaccented 94.4%); every other set as before. The
two hold rows left: Gmail's "không tìm thấy địa chỉ hoặc địa chỉ không thể nhận thư" read as filtered (Sisimai's
convention for a user-unknown sentence with no RCPT), and an unaccented sender address refused at MAIL FROM read as
an unknown user. Then, by the lead, after the hold figure was recorded, rules from those two
(tests/unit/test_rules_from_held_out_misses.py: a relay's own word that the address, or the domain, could not be
found, in English and Vietnamese; the sender's address said invalid without diacritics): 100% (no longer held out).
replies-29.csv likewise, a measurement of real notice wording the classifier had never seen, written without reading
its rules: 75 diagnostic texts copied from public pages, issues and pastes (21 Vietnamese: GoDaddy's, Microsoft's,
Gmail's, Yahoo's, Zing's, Hải Nhân's, VietNAP's, iWay's, soha's, gcs's and a Workspace reseller's pages; 54 in
English, Chinese, Spanish, Korean, Polish, Japanese, German, Italian, Turkish, French, Czech, Russian and Swedish from
Barracuda/Proofpoint/Mimecast/MailChannels replies in bug reports, Exchange and Postfix/Exim/qmail notices pasted in
forums, Coremail's and emailhost's code lists, Google Workspace's localised SMTP errors, Interia, Onet, 1&1, T-Online,
BigPond ...); the vendor ends in the page's language; "partly reconstructed" on the two rows whose page was cut short;
none in an earlier set. Labelled and committed (291d4c4) before any scoring; every third row "hold" (25), the others
"tune" (50). Scored once on main 5cfe0db before any rule: 52.0% of 150 (DSN and notice alike; Vietnamese 47.6% of
42, the others 53.7% of 108; hold 64.0%, tune 46.0%; Chinese 83.3%, Italian, Turkish, Czech, Russian and Swedish
0%; speeding 30%, policyviolation 25%). That is the figure. Then TUNED on the tune rows' misses only, with general
rules (lexicon.py's _SET29: Vietnamese's line and congestion, "tin nhắn", "hạn chế"; the Romance "greater than";
Japanese's pace and the Romance "great quantity"; reverse DNS named in the languages; an IP forbidden; a message's
content blocked as a content policy; families: several delivery attempts failed, an attachment over a limit, a
Vietnamese group not allowed, no access for the IP, a message blocked with a false positive to report, an IP that
must resolve; a 4.x.x retried to failure read by a localised text's concepts; a bare "bị chặn" whose concepts name
the content, not the sender): 74.7% (DSN and notice alike; tune 80.0%, hold 64.0% unchanged; Vietnamese 81.0%, the
others 72.2%); every other set as before but set 27, which rose from 77.6% to 79.3% (Gmail's Portuguese 4.2.1
retried to failure now reads as the rate its words name). The held-out third did not move (9 rows missed): words no
rule was written for (T-Online's "(BL)", a 553 relay refusal read as an unknown user by its code, "timed out or could
not be sent after X attempts", Bell's "not allowed to send mail to", Swedish storage, VietNAP's "wait for the day's
count to reset", Microsoft's Vietnamese "a typo in the address") and Sisimai's convention (Yahoo's Vietnamese "invalid
address" and "No account by that name" with no RCPT, read as filtered). The tune rows left (10): the convention again
(Juno's "not a valid user"; "doesn't handle mail for that user" and "not available here", read as onhold), labels
that differ from the corpus's (4.4.1 "No answer from host" and a timeout read as expired, 4.4.0 DNS as a network
fault, a recipient's block list, 1&1's "policy restrictions" after "mailbox unavailable"), Italian "no longer in the
address book", and a spam-prevention clause whose "250" reads as a reply code."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from maildaemon.inbound.classify import classify

pytestmark = pytest.mark.corpus

FOLDER = Path(__file__).with_name("documented")
# Each set and the share of its rows (both wrappings) that must agree.
MIN_PCT = {
    "replies.csv": 96.6,
    "replies-2.csv": 100.0,
    "replies-3.csv": 100.0,
    "replies-4.csv": 100.0,
    "replies-5.csv": 100.0,
    "replies-6.csv": 88.3,
    "replies-7.csv": 100.0,
    "replies-8.csv": 86.6,
    "replies-9.csv": 80.0,
    "replies-10.csv": 81.8,
    "replies-11.csv": 100.0,
    "replies-12.csv": 77.5,
    "replies-13.csv": 87.5,
    "replies-14.csv": 95.8,
    "replies-15.csv": 85.8,
    "replies-16.csv": 85.9,
    "replies-17.csv": 97.9,
    "replies-18.csv": 95.0,
    "replies-19.csv": 100.0,
    "replies-20.csv": 91.6,
    "replies-21.csv": 96.6,
    "replies-22.csv": 67.0,
    "replies-23.csv": 95.0,
    "replies-24.csv": 100.0,
    "replies-25.csv": 75.9,
    "replies-26.csv": 79.3,
    "replies-27.csv": 79.3,
    "replies-28.csv": 100.0,
    "replies-29.csv": 74.6,
}


def _read(name: str) -> list[dict[str, str]]:
    with open(FOLDER / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


SETS = {name: _read(name) for name in MIN_PCT}
RECIPIENT = "nguoinhan@example.org"


def _status(row: dict[str, str]) -> str:
    """The documented status, else the class the reply code implies (RFC 3464 requires a Status field)."""
    if row["status"]:
        return row["status"]
    return "4.0.0" if row["text"].lstrip()[:1] == "4" else "5.0.0"


def dsn(row: dict[str, str]) -> bytes:
    """A minimal RFC 3464 report whose diagnostic is the documented text."""
    text = row["text"].replace("{rcpt}", RECIPIENT)
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"
        "To: khaosat@example.com\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\n"
        "Date: Sun, 06 Dec 2026 10:00:00 +0700\r\n"
        "Message-ID: <dsn.1@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Your message could not be delivered to one or more recipients.\r\n\r\n"
        "--b1\r\nContent-Type: message/delivery-status\r\n\r\n"
        "Reporting-MTA: dns; mx.example.org\r\n\r\n"
        f"Final-Recipient: rfc822; {RECIPIENT}\r\n"
        "Action: failed\r\n"
        f"Status: {_status(row)}\r\n"
        f"Diagnostic-Code: smtp; {text}\r\n\r\n"
        "--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n"
        f"From: khaosat@example.com\r\nTo: {RECIPIENT}\r\nSubject: Khao sat\r\n\r\n"
        "--b1--\r\n"
    ).encode()


def notice(row: dict[str, str]) -> bytes:
    """A plain-text notice (no DSN part) that quotes the server's answer and the original's headers."""
    text = row["text"].replace("{rcpt}", RECIPIENT)
    return (
        "From: MAILER-DAEMON@mx.example.org\r\n"
        "To: khaosat@example.com\r\n"
        "Subject: failure notice\r\n"
        "Date: Sun, 06 Dec 2026 10:00:00 +0700\r\n"
        "Message-ID: <notice.1@mx.example.org>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "This message was created automatically by mail delivery software.\r\n\r\n"
        "A message that you sent could not be delivered to one or more of its recipients.\r\n\r\n"
        f"  {RECIPIENT}\r\n    {text}\r\n\r\n"
        "------ This is a copy of the message's headers. ------\r\n\r\n"
        f"From: khaosat@example.com\r\nTo: {RECIPIENT}\r\nSubject: Khao sat\r\n"
    ).encode()


def outcomes(rows: list[dict[str, str]]) -> list[tuple[str, str, bool]]:
    """(row id, wrapping, whether reason and hard/soft agree) for every row in both wrappings."""
    out = []
    for number, row in enumerate(rows, start=2):
        for name, wrap in (("dsn", dsn), ("notice", notice)):
            verdicts = classify(wrap(row)).verdicts
            ok = bool(verdicts) and (verdicts[0].reason, verdicts[0].hard) == (
                row["reason"],
                row["hard"] == "1",
            )
            out.append((f"line {number} {row['vendor']} {row['reason']}", name, ok))
    return out


@pytest.mark.parametrize("name", MIN_PCT)
def test_the_set_is_written_as_documented(name: str) -> None:
    rows = SETS[name]
    assert 30 <= len(rows) <= 80
    for row in rows:
        assert row["hard"] in ("0", "1") and row["text"] and row["documented_in"], row


@pytest.mark.parametrize("name", MIN_PCT)
def test_documented_replies_agree_at_least_as_often_as_recorded(name: str) -> None:
    results = outcomes(SETS[name])
    pct = 100.0 * sum(ok for _, _, ok in results) / len(results)
    missed = [f"{what} ({wrapping})" for what, wrapping, ok in results if not ok]
    assert pct >= MIN_PCT[name], f"{name}: {pct:.1f}% < {MIN_PCT[name]}%: " + "; ".join(missed)


if __name__ == "__main__":  # the figures and the misses, for whoever raises MIN_PCT
    everything = []
    for name, rows in SETS.items():
        results = outcomes(rows)
        everything += results
        for wrapping in ("dsn", "notice"):
            part = [ok for _, kind, ok in results if kind == wrapping]
            print(f"{name} {wrapping}: {100.0 * sum(part) / len(part):.1f}% of {len(part)}")
        print(f"{name}: {100.0 * sum(ok for _, _, ok in results) / len(results):.1f}% of {len(results)}")
        for what, kind, ok in results:
            if not ok:
                print("  MISS", what, kind)
    print(
        f"both sets: {100.0 * sum(ok for _, _, ok in everything) / len(everything):.1f}% of {len(everything)}"
    )
