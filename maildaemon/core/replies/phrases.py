"""The phrases mail systems use for each bounce reason, one family (a regex of alternatives) per reason,
lower-cased and whitespace-folded; plus the few phrases whose meaning no status code changes."""

from __future__ import annotations

import re

# Localised notices that say outright the address entered was not found or does not exist (Exchange's
# user section in the sender's language, Zimbra's and providers' own texts): the address's own failure,
# whatever command or status is lost when such a notice is forwarded. Each branch starts with a literal.
_LOCALISED_NOT_FOUND = (
    r"không có (?:tài khoản|người dùng|hộp thư|địa chỉ)[^.\n]{0,20}tồn tại"
    r"|không tìm thấy (?:địa chỉ (?:email|e-mail|thư)|người nhận|hộp thư|tài khoản|người dùng)"
    r"|adresse (?!de l['’]exp)(?:[^.\n]{0,70}?)(?:n['’]existe pas|introuvable)|destinataire (?:inconnu|introuvable)"
    r"|adresse[^.\n]{0,30}\b(?:wurde nicht gefunden|existiert nicht)|empfänger[^.\n]{0,30}\b(?:wurde nicht gefunden|existiert nicht)"
    r"|no se (?:encontró|pudo encontrar|ha encontrado) la dirección|dirección[^.\n]{0,40}\bno existe\b"
    r"|endereço[^.\n]{0,50}\bnão (?:foi encontrado|existe)\b|impossibile trovare l['’]indirizzo"
    r"|indirizzo[^.\n]{0,40}\bnon (?:esiste|(?:è stato )?trovato)\b|(?:ящик|адрес|пользовател[ья])[^.\n]{0,40}не (?:существует|найден)"
    r"|(?:アドレス|宛先|ユーザー?)[^。\n]{0,4}(?:見つかりません|存在しません)|(?:주소|사용자|받는 사람)[^.\n]{0,20}(?:찾을 수 없|존재하지 않)"
    r"|nie (?:można )?odnaleźć[^.\n]{0,30}adresu|nie znaleziono (?:adresu|odbiorcy|użytkownika)|adres[^.\n]{0,30}\bnie istnieje"
    r"|(?:e-mailadres|emailadres|mailadres|adres|ontvanger)[^.\n]{0,50}\b(?:niet gevonden|bestaat niet)\b"
    r"|adres[^.\n]{0,20}bulunamadı|(?:kullanıcı|alıcı)[^.\n]{0,20}(?:bulunamadı|mevcut değil)"
    r"|alamat[^.\n]{0,50}\btidak (?:dapat )?ditemukan\b|ไม่พบ(?:ที่อยู่|ผู้รับ|ผู้ใช้)"
    # documented set 16: the same in Vietnamese said in the passive ("người dùng không được tìm thấy"), a user
    # unknown ("người dùng không biết", Zimbra's vi_VN strings), a message not sent for an invalid address ("do
    # địa chỉ không hợp lệ"); and without diacritics, as users type them and ASCII-only replies write them
    # ("khong ton tai", "khong tim thay"), the sender's own address and a domain's left to their own readings
    r"|(?:người dùng|người nhận|địa chỉ|hộp thư|tài khoản)[^.\n]{0,20}không được tìm thấy"
    r"|(?:người dùng|người nhận) không biết\b|(?:người dùng|người nhận) không xác định\b|(?:người dùng|người nhận) không rõ\b"
    r"|do địa chỉ(?: email| thư)?(?: người nhận)? không hợp lệ|vì địa chỉ(?: email| thư)?(?: người nhận)? không hợp lệ"
    r"|khong co (?:tai khoan|nguoi dung|hop thu|dia chi)\b[^.\n]{0,20}\bton tai\b"
    r"|(?<!mien )(?<!mien cua )(?:dia chi|nguoi nhan|hop thu|tai khoan)\b(?! (?:cua )?nguoi gui)[^.\n]{0,40}\bkhong (?:con )?ton tai\b"
    r"|khong (?:duoc )?tim thay (?:dia chi|nguoi nhan|hop thu|tai khoan|nguoi dung)\b"
    r"|(?:nguoi dung|nguoi nhan|dia chi|hop thu|tai khoan)\b[^.\n]{0,20}\bkhong duoc tim thay\b"
    r"|(?:nguoi dung|nguoi nhan) khong biet\b|(?:nguoi dung|nguoi nhan) khong xac dinh\b"
    # documented set 18: the account named in Japanese ("送信先のメール アカウントは存在しません", Gmail's help), in
    # Indonesian ("akun ... tidak ada", Gmail's) and in Polish ("docelowe konto nie istnieje", Onet's)
    r"|アカウント[^。\n]{0,4}(?:見つかりません|存在しません)"
    r"|(?:akun|alamat|penerima|pengguna)\b[^.\n]{0,50}\b(?:tidak ada|tidak dikenal)\b"
    r"|(?:konto|skrzynka|odbiorca|użytkownik)\b[^.\n]{0,30}\bnie istnieje"
    # documented set 28: no account, user or mailbox for (answering to) the address, with diacritics or without
    # ("không có hộp thư nào cho địa chỉ này"); the sender's own ("bạn không có tài khoản") is not the recipient's
    r"|(?<!bạn )(?<!người gửi )không có (?:tài khoản|người dùng|hộp thư|người nhận)(?: nào)?"
    r" (?:ứng với|tương ứng với|cho|với|mang|có) (?:địa chỉ|tên)"
    r"|(?<!ban )(?<!nguoi gui )khong co (?:tai khoan|nguoi dung|hop thu|nguoi nhan)(?: nao)?"
    r" (?:ung voi|tuong ung voi|cho|voi|mang|co) (?:dia chi|ten)\b"
)

# documented set 15 (Sisimai's tables): a size over the recipient's own limit, not the system's (amavisd-new's
# "Message size exceeds recipient's size limit", qmail-ldap's "the maximum size the user accepts"): the
# recipient's setting, over the size words that otherwise name a message too big for the system.
RECIPIENT_LIMIT = (
    r"exceeds? (?:the )?(?:recipient|user|addressee)'?s (?:own )?(?:message )?size limit"
    r"|maximum size the (?:user|recipient) accepts"
    # documented set 28: a size the recipient set or accepts, or the recipient's own limit, in Vietnamese with
    # diacritics or without ("kích thước tối đa mà người nhận đã thiết lập"); not the recipient's server, system or
    # organisation, whose limit is the system's
    r"|(?<!máy chủ )(?<!hệ thống )(?<!tổ chức )(?<!của )(?<!may chu )(?<!he thong )(?<!to chuc )(?<!cua )(?<!server )"
    r"(?:người nhận|nguoi nhan)(?: đã| da)? (?:tự |tu )?(?:cài đặt|thiết lập|đặt|chấp nhận|cai dat|thiet lap|dat|chap nhan)\b"
    # (realmta round 16: a filter, rule or mode the recipient set is no size: "Nguoi nhan da cai dat bo loc tu choi
    # thu cua nguoi gui nay", a Sieve reject's reason, is the recipient's filter)
    r"(?! (?:một |mot )?(?:bộ lọc|bo loc|quy tắc|quy tac|chế độ|che do)\b)"
    r"|(?:giới hạn|gioi han)(?: kích thước| kich thuoc)? (?:của|cua) (?:người nhận|nguoi nhan)\b"
)

# realmta round 15: what follows the holder in "<recipient> not (listed) in the directory / address book / global
# address list": one branch per holder word, each opening with its literal (the index scans a text only for the
# branches whose first word it holds)
_NOT_IN_DIRECTORY = (
    r"\b[^.\n]{0,30}\bnot (?:listed |found |present )?in (?:the |our |this |its )?"
    r"(?:(?:company|organi[sz]ation(?:'s)?|global|ldap|user|e-?mail|mail) )?(?:directory|address book|address list)\b"
)

# Families of reply text (lower-cased), one per reason: the phrases mail systems use for it.
FAMILIES: dict[str, str] = {
    "mailboxfull": (
        r"mailbox (?:is |was )?full|mailbox.{0,40}(?:exceeded|over).{0,20}(?:limit|quota|size)|mail ?box.{0,20}quota"
        r"|full mailbox|mailfolder is full|over[ -]?quota|(?<!message )(?<!sending )quota (?:exceeded|violation|full)"
        r"|exceeded (?:(?:its|their|the|his|her|your) )?(?:storage |disk |mailbox )?quota(?! for (?:sending|outgoing|relay))"
        r"|disk.{0,30}quota|account is .{0,30}quota|maildir .{0,20}quota|exceeds? (?:allowed|its) size"
        r"|exceeded storage allocation|would exceed (?:the )?maximum (?:allowed )?(?:storage|mailbox size)|insufficient disk space"
        r"|not (?:sufficient|enough) (?:disk |storage )?space|no space left on device|too many messages on the server"
        r"|too much mail data|space has been used up|boite du destinataire pleine|exceeding receiving limits"
        # realmta round 14: a mailbox write stopped by the file size limit (EFBIG, "File too large", Postfix's local(8) and
        # virtual(8) under mailbox_size_limit / virtual_mailbox_limit): the mailbox is at its size limit
        r"|\b(?:mailbox|mail ?file|maildir|mbox)\b[^\n]{0,120}\berror writing\b[^\n]{0,40}\bfile too large\b"
        r"|\b(?:write|writing) (?:error|failed) (?:on|to) (?:the )?(?:mailbox|mail ?file|mbox)\b[^\n]{0,60}\bfile too large\b"
        r"|mailbox size limit|hộp thư[^.\n]{0,30}(?:đã |bị )?đầy|hộp thư.{0,20}vượt (?:quá )?dung lượng"
        r"|mailbox [^\n]{0,60}\bfull\b|mailbox [^\n]{0,40}quota|over (?:the |its |their |his |her )?"
        r"(?:allowed |storage |disk )?quota|(?<!message )(?<!sending )quota [^\n]{0,40}exceeded|enough (?:free |disk |storage )+space"
        r"|hết dung lượng|vượt quá hạn mức"
        # the same in the languages providers localise their notices into (de, es, fr, it, pt, ru, zh, ja)
        r"|postfach (?:ist )?voll|buzón (?:está )?lleno|bo[iî]te (?:aux lettres )?(?:est )?pleine"
        r"|casella (?:di posta )?(?:è )?piena|caixa (?:postal |de correio )?(?:está )?cheia|ящик переполнен"
        r"|邮箱(?:已满|空间不足)|メールボックスが(?:一杯|いっぱい)"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|out of (?:storage|disk|mailbox) space|inbox is full|mailbox (?:storage )?(?:limit|capacity) (?:exceeded|reached)"
        r"|mailbox[^.\n]{0,30}\b(?:exceeded|exceeds)\b|(?:메일함|사서함)[^.\n]{0,20}(?:용량|가득)"
        # localised notices (the recipient's mailbox, then full, a few words on: "boîte aux lettres du destinataire est
        # pleine", "Postfach des Empfängers ist voll"; a mailbox or account at its storage limit)
        r"|(?:boîte|boite) (?:aux lettres|de réception|mail)[^.\n]{0,40}\bpleine\b|postfach[^.\n]{0,40}\bvoll\b"
        r"|buz[oó]n[^.\n]{0,40}\blleno\b|caixa (?:postal|de correio|de entrada)[^.\n]{0,40}\bcheia\b"
        r"|casella (?:di posta|postale)[^.\n]{0,40}\bpiena\b|skrzynk[ai][^.\n]{0,40}\b(?:pełna|przepełniona)"
        r"|postbus[^.\n]{0,40}\bvol\b|kutusu[^.\n]{0,20}\bdolu\b|kotak (?:surat|masuk)[^.\n]{0,30}\bpenuh\b"
        r"|ящик[^.\n]{0,40}(?:переполнен|заполнен)|(?:收件人|邮箱|信箱|郵箱)[^。\n]{0,6}(?:空间|容量|空間)(?:不足|已满|已滿)"
        r"|メールボックス[^。\n]{0,10}(?:容量|いっぱい|一杯)|กล่องจดหมาย[^\n]{0,20}เต็ม"
        r"|(?:hộp thư|tài khoản)[^.\n]{0,40}giới hạn dung lượng|hộp thư[^.\n]{0,40}(?:không còn|hết) chỗ"
        # documented set 6: the recipient domain's or account's storage allocation used up
        r"|(?:domain|account) (?:size|storage|disk) (?:limit|quota|allocation) (?:has been |was |is )?(?:exceeded|reached)"
        # documented set 13: the storage space allowed used up ("user has exhausted allowed storage space",
        # CleverReach's list of mailbox issues), in either order
        r"|\bexhausted (?:(?:the|its|his|her|their|allowed|available) )*(?:storage|disk|mailbox) (?:space|quota)\b"
        r"|\b(?:storage|disk|mailbox) (?:space|quota) (?:is |was |has been )?exhausted\b"
        # documented set 16: a quota gone over in Vietnamese ("đã quá hạn ngạch lưu thư", Zimbra's vi_VN strings; not
        # a quota for sending), the account's or mailbox's storage limit named first ("giới hạn dung lượng tài
        # khoản", GoDaddy's), and the same without diacritics, as ASCII-only replies and users type them ("hop thu
        # da day": "đã đầy", full, after the mailbox; "day" alone is also "đây", here)
        r"|(?:quá|vượt quá|vượt|hết) hạn ngạch(?! gửi)|giới hạn dung lượng (?:của )?(?:tài khoản|hộp thư)"
        r"|(?:qua|vuot qua|vuot|het) han ngach\b(?! gui)|gioi han dung luong (?:cua )?(?:tai khoan|hop thu)\b"
        r"|(?:hop thu|tai khoan)\b[^.\n]{0,40}\bgioi han dung luong\b|hop thu\b[^.\n]{0,30}\b(?:da|bi) day\b"
        r"|hop thu day\b|het dung luong\b"
        # documented set 18: room said not to be enough (Roundcube's vi_VN "không còn đủ chỗ trống trên ổ đĩa", unaccented
        # too), and the account's storage at its limit in the languages GoDaddy and Google localise their bounce pages
        # into (ja "保存容量の上限に達した", id "batas penyimpanan", pl "limit miejsca", de "Speicherlimit erreicht", es
        # "no tiene espacio de almacenamiento", pt "sem espaço de armazenamento", ar "صندوق البريد ممتلئ")
        r"|không (?:còn )?đủ (?:chỗ|dung lượng|không gian)\b|khong (?:con )?du (?:cho|dung luong|khong gian)\b"
        r"|容量(?:の)?上限に達|容量(?:が)?不足|\bbatas (?:penyimpanan|kuota)(?:nya)?\b|\bpenyimpanan(?:nya)?\b[^.\n]{0,20}\bpenuh\b"
        r"|\blimit (?:miejsca|pojemności)\b|\bbrak (?:wolnego )?miejsca\b"
        r"|\bspeicher(?:limit|grenze|platz|kontingent)\b[^.\n]{0,30}\b(?:erreicht|überschritten|erschöpft|voll)\b"
        r"|(?<=no )tiene (?:suficiente )?espacio\b|\bsin espacio (?:de almacenamiento|disponible)\b"
        r"|\bsem espaço (?:de armazenamento|disponível)\b|صندوق (?:ال)?بريد[^.\n]{0,20}ممتلئ"
        # documented set 19: the account's mailbox quota or storage said gone over in Vietnamese as Microsoft's help
        # machine-translates it ("vượt quá dung lượng hộp thư"), with diacritics or without, and in Thai, Chinese and
        # Arabic ("เกินโควตากล่องจดหมาย", "超出...邮箱配额", "تجاوزت الحصة ... لعلبة البريد")
        r"|(?:vượt quá|vượt|quá) (?:dung lượng|hạn mức|hạn ngạch) (?:của )?hộp thư|vuot qua (?:dung luong|han muc|han ngach) (?:cua )?hop thu\b"
        r"|เกินโควตา(?:กล่องจดหมาย|อีเมล|พื้นที่)|(?:超出|超过|超過)[^。\n]{0,8}(?:邮箱|郵箱|信箱)(?:的)?(?:配额|配額|容量)"
        r"|(?:邮箱|郵箱|信箱)(?:配额|配額|容量)[^。\n]{0,4}(?:已满|已滿|不足|超出|超过|超過)"
        r"|تجاوز(?:ت)? (?:ال)?حصة[^.\n]{0,20}(?:البريد|لعلبة)"
        # realmta round 15: the storage a mailbox is allowed, named an allowance, in a refusal ("over its storage
        # allowance", "has used up its disk allowance"); each branch opens with its literal, for the index
        r"|storage allowance\b|disk allowance\b|mailbox allowance\b|disk space allowance\b"
    ),
    "mesgtoobig": (
        r"message (?:file |size |length )?(?:is )?too (?:big|large)|message (?:size|length) exceeds"
        r"|max(?:imum)? (?:inbound |incoming )?message size|exceeded (?:the )?max(?:imum)? (?:inbound |incoming )?"
        r"message size|size limit|line limit exceeded|message header size exceeds|taille limite du message"
        r"|thư quá (?:lớn|dung lượng)"
        r"|vượt quá kích thước (?:cho phép|tối đa)|kích thước thư (?:quá lớn|vượt)|dung lượng thư[^.\n]{0,20}vượt"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|(?:message|mail|size) exceeds (?:the )?(?:fixed |maximum |max |allowed |permitted )|exceeds? (?:the )?(?:maximum |max |allowed )?(?:message |mail )size|too big for (?:the )?system|(?:message|mail) is (?:larger|bigger) than"
        # documented set 3
        r"|max(?:imum)? (?:e-?mail|mail) size|(?:e-?mail|mail) size (?:limit )?exceeded"
        # brittle reasons, documented
        r"|size\b(?<!header size)[^.\n]{0,30}\b(?:too (?:big|large)|exceed(?:s|ed|ing)?)\b|(?:size|line[- ]length|line|length) limit\b"
        # localised notices (a size beyond the largest allowed, or a message too big)
        r"|kích (?:cỡ|thước)[^.\n]{0,30}vượt (?:quá|qua)|überschreitet die (?:maximal )?(?:zulässige )?(?:größe|nachrichtengröße)"
        r"|nachricht ist zu groß|trop volumineux|demasiado grande|excede el tamaño|muito grande|excede o tamanho"
        r"|troppo grande|supera la dimensione|слишком большое|превышает (?:максимальный |допустимый )?размер"
        r"|邮件(?:大小)?超过(?:限制|大小)|邮件(?:过大|太大)|サイズ[^。\n]{0,6}(?:上限|制限)を超え"
        # documented set 7: the message's size written as one word ("exceeded mailsize limit", "msgsize")
        r"|(?:mail|msg|message|e-?mail)size\b"
        # documented set 12: the length of the attachments, body or data over a maximum (Alibaba Mail's "The length
        # of Attach is achieved the maximum threshold")
        r"|\blength of (?:the )?(?:attach(?:ments?)?|data(?: content)?|message|body)\b[^.\n]{0,30}\b(?:max(?:imum)?|threshold|limit)\b"
        # documented set 16: the size over the largest allowed without diacritics ("kich co cua no vuot qua kich co
        # toi da", Zimbra's vi_VN string as ASCII-only replies write it)
        r"|kich (?:co|thuoc)\b[^.\n]{0,30}\bvuot (?:qua|khoi)\b|vuot qua kich (?:co|thuoc)\b|thu qua (?:lon|dung luong)\b"
        # documented set 18: the message's size over a limit without diacritics ("dung luong thu vuot gioi han", Zing
        # Mail's notice as ASCII-only replies write it), and in Arabic ("الرسالة تتجاوز الحد الأقصى للحجم")
        r"|dung luong thu\b[^.\n]{0,20}\bvuot\b|تتجاوز الحد الأقصى (?:للحجم|لحجم)|حجم الرسالة[^.\n]{0,20}(?:يتجاوز|تجاوز)"
        # documented set 19: the size of the message over the server's limit as mail clients translate it (Thunderbird's
        # smtpPermSizeExceeded: it "dimensione del messaggio ... supera", tr "ileti boyutu ... sınırını aşıyor", ms "saiz
        # mesej ... melebihi had", ru "размер сообщения ... превышает", ja "メッセージのサイズが...制限を超え", ko "메시지의
        # 크기가 ... 제한 보다 큽니다", cs "velikost zprávy ... překročila", zh "郵件超過了伺服器的大小上限"), and in English
        r"|\bsize of (?:the |your |this )?(?:message|e-?mail|mail)\b[^.\n]{0,50}\bexceeds?\b"
        r"|\bdimensione del messaggio\b[^.\n]{0,60}\bsuper(?:a|ato)\b|(?:ileti|mesaj)(?:nin|ın)? boyutu[^.\n]{0,60}(?:sınır|limit)"
        r"|\bsaiz mesej\b[^.\n]{0,50}\bmelebihi\b|размер (?:сообщения|письма)[^.\n]{0,60}превыша"
        r"|メッセージ(?:の)?サイズ[^。\n]{0,20}(?:制限|上限)を超え|메시지(?:의)? 크기[^.\n]{0,30}(?:제한|한도)"
        r"|\bvelikost (?:odesílané |odeslané )?zprávy\b[^.\n]{0,50}překroč"
        r"|(?:郵件|邮件|訊息|消息)[^。\n]{0,6}(?:超過|超过|超出)[^。\n]{0,10}(?:大小上限|大小限制|容量上限)"
        # documented set 29: an attachment over the server's (size) limit ("The attachment exceeds server limit")
        r"|\battachments? (?:size )?exceeds? (?:the )?(?:server(?:'s)? |size |maximum |allowed |permitted )?(?:size )?limit\b"
    ),
    "exceedlimit": (
        r"message header size exceeds limit|message too large"
        # documented set 15 (Sisimai's tables): a size over the recipient's own limit (see RECIPIENT_LIMIT)
        "|" + RECIPIENT_LIMIT
    ),
    "suspend": (
        r"(?<!delivery temporarily )(?<!ip temporarily )suspended|suspend the service|temporar(?:y|ily) locked"
        r"|account is locked|archived recipient|destinataire archivee|tried to reach is (?:disabled|inactive)"
        r"|inactive (?:account|user|mbox|mailbox)|(?:account|mailbox) (?:is )?inactive|invalid/inactive|deactivated mailbox"
        r"|user is terminated|mailbox (?:is |has been )?"
        r"(?:disabled|frozen)|temporarily inactive|disabled or discontinued"
        r"|no longer accepts mail|(?<!authentication )(?<!auth )(?<!sender account )(?<!sending account )is (?:administrativ\w* )?disabled"
        r"|account (?:has been )?disabled"
        r"|bị khóa|tạm khóa|ngừng (?:sử dụng|hoạt động)|không còn (?:sử dụng|hoạt động)"
        r"|bị vô hiệu hóa|đã bị vô hiệu|tạm ngưng|ngừng nhận thư"
        # the same without diacritics, as ASCII-only SMTP replies write Vietnamese
        r"|ngung (?:nhan thu|su dung|hoat dong)|tam ngung|\bbi khoa\b"
        # documented set 16: disabled ("đã bị vô hiệu hóa", GoDaddy's Vietnamese help) without diacritics
        r"|bi vo hieu hoa\b|tam khoa\b|khong con (?:su dung|hoat dong)\b"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|(?:account|mailbox|user|address)(?: has been| is| was)? (?:suspended|deactivated|locked|frozen)|\bdeactivated\b|disabled (?:account|mailbox|user)"
        # the account named, then its state a few words on ("user x temporarily locked", "account is disabled"; the
        # sender's own account disabled is the sender refused, rejected: documented set 15)
        r"|(?<!sender )(?<!sender's )(?<!sending )(?:account|mailbox|user|recipient)\b(?:[^.\n]|\.(?=\S)){0,60}\b(?:locked|disabled|deactivated|frozen)\b"
        # localised notices (the account named, then disabled or suspended)
        r"|conta\b[^.\n]{0,30}\b(?:desativada|suspensa|bloqueada)|cuenta\b[^.\n]{0,30}\b(?:desactivada|suspendida|bloqueada)"
        r"|compte\b[^.\n]{0,30}(?:désactivé|suspendu)|konto\b[^.\n]{0,30}\b(?:deaktiviert|gesperrt)"
        r"|account\b[^.\n]{0,30}\b(?:disattivato|sospeso)"
        # documented set 14: an account said not to be allowed to receive mail at all (Stalwart's "This account is
        # not authorized to receive email."): closed to mail, not a refusal of one sender ("... from x" is that)
        r"|\bnot (?:authori[sz]ed|allowed|permitted|enabled) to receive (?:e-?mails?|mails?|messages?)\b(?! from| sent from)"
        # documented set 15 (Sisimai's tables): an address said to be no longer valid (Yahoo's "dd x is no longer
        # valid"): the account closed, not an address that never was ("wrong or no longer valid" stays unknown)
        r"|\bis no longer valid\b"
        # documented set 18: an account or its receiving switched off in Japanese ("アカウントが無効です", "メール受信機能が
        # 無効になっています", GoDaddy's Japanese help; not "無効なアドレス", an invalid address), Indonesian and Polish
        r"|(?:アカウント|受信機能|メールボックス)[^。\n]{0,8}(?:無効(?:です|になって|化され)|停止され|凍結され)"
        r"|(?:akun|kotak surat)\b[^.\n]{0,20}\b(?:dinonaktifkan|ditangguhkan)\b"
        r"|\bkonto\b[^.\n]{0,20}\b(?:wyłączone|zablokowane|zawieszone)\b"
    ),
    "hasmoved": (
        r"has been replaced by|mailbox has moved|address has (?:been )?(?:changed|moved)"
        # localised notices (the recipient's address has changed)
        r"|adresse (?:e-?mail |électronique |de courri(?:er|el) )?(?:du destinataire )?a changé"
        r"|adresse hat sich geändert|dirección (?:de correo )?(?:del destinatario )?ha cambiado"
        r"|địa chỉ (?:email )?(?:của người nhận )?đã (?:được )?thay đổi|chuyển công tác"
        # realmta round 7: RFC 3463's own words for 5.1.6 said of the recipient ("Recipient has moved; new address
        # unknown"): the address moved; "unknown" there is the new address, not the user
        r"|(?:recipient|user|addressee|mailbox) has (?:been )?moved|moved; (?:new|no forwarding) address"
        # documented set 18: the user said to be at another address ("người dùng tại một địa chỉ khác", Zimbra's vi_VN
        # strings), with diacritics or without, and in English
        r"|(?:người dùng|người nhận|hộp thư|tài khoản)[^.\n]{0,20}(?:tại|ở|sang|đến|tới) (?:một )?địa chỉ (?:khác|mới)"
        r"|(?:nguoi dung|nguoi nhan|hop thu|tai khoan)\b[^.\n]{0,20}\b(?:tai|o|sang|den|toi) (?:mot )?dia chi (?:khac|moi)\b"
        r"|(?:user|recipient|addressee) is (?:now )?at (?:a )?(?:different|new|another) address\b"
    ),
    "norelaying": (
        r"as a relay|insecure mail relay|(?:not (?:permitted|allowed)|unable) to relay|relaying mail to "
        r"|(?:relay(?:ing)? (?:access )?(?:denied|not permitted|prohibited)|no relaying)|not a gateway|not an open relay"
        r"|not local host|specified domain is not allowed|domain isn'?t in my list of allowed rcpthost|not configured to relay"
        # documented set 7: the domain not among the hosts the server takes mail for (qmail's rcpthosts,
        # "this domain is not in my list of allowed hosts"); "domain or user isn't ..." stays the address's
        r"|domain (?:is not|isn'?t) in (?:my|our|the) list of (?:allowed|permitted|accepted) (?:rcpt ?)?hosts?"
        r"|we (?:do not|don't) (?:relay|handle mail for)|when attempting to send to a non-local"
        r"|email address is not verified\."
        r"|không được phép chuyển tiếp|từ chối chuyển tiếp"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|relay(?:ing)? (?:to \S+ )?(?:is )?(?:not (?:permitted|allowed|authori[sz]ed)|disallowed|rejected|refused|denied|prohibited)|(?:permitted|allowed|authori[sz]ed|configured|unable|attempt(?:ing|ed)?|refused?) to relay"
        r"|(?:not|never|cannot|can'?t|won'?t) relay(?:ing)?\b"
        # documented set 3
        r"|(?:delivery|sending|relaying) (?:is )?not (?:allowed|permitted) (?:to|for) (?:this|that|the (?:given|specified)) (?:address|recipient|domain)"
        # brittle reasons, documented
        r"|requires? authentication (?:when|before) (?:attempting|trying) to (?:send|relay)|authentication (?:is )?required (?:for|to) relay"
        r"|without relay(?:ing)? (?:access|permission)|relay(?:ing)? (?:access|permission) (?:is )?(?:not granted|refused)"
        # localised notices
        r"|không cho phép chuyển tiếp|relais (?:refusé|non autorisé|interdit)|retransmisión (?:denegada|no permitida)"
        # realmta round 7: a server refusing, in the first person, an address it takes no mail for (Haraka's answer
        # when no plugin accepts the recipient's domain: "I cannot deliver mail for <x@y>")
        r"|\bi (?:cannot|can'?t|can not|will not|won'?t) deliver mail for\b"
        # documented set 15 (Sisimai's tables): a sending IP told to send through its provider's relay, not straight
        # to the recipient's servers (Gmail's "not authorized to send email directly to our servers")
        r"|\bdirectly to (?:our|these|this|the recipient'?s) (?:mail |smtp )?servers?\b"
        # documented set 18: no permission to send through a server between sender and recipient (Microsoft's vi-VN help
        # for 5.7.1), with diacritics or without, and in English; relay access denied in Arabic ("رفض الوصول إلى الترحيل")
        r"|(?:không có quyền|không được phép)(?: để)? (?:gửi|chuyển)[^.\n]{0,20}thông qua (?:một )?máy chủ"
        r"|(?:khong co quyen|khong duoc phep)(?: de)? (?:gui|chuyen)\b[^.\n]{0,20}\bthong qua (?:mot )?may chu\b"
        r"|\bpermission to send (?:e-?mail |mail |messages? )?(?:through|via) (?:an? |the |this |that |our |your )?(?:e-?mail |mail |smtp )?server\b"
        r"|(?:رفض|منع) (?:الوصول إلى )?الترحيل|الترحيل (?:غير مسموح|مرفوض)"
        # relaying refused by a negation before the verb, whichever ("No relaying", "Unable to relay recipient in
        # non-accepted domain", "cannot relay"; not a host named relay.example)
        r"|\b(?:no|unable to|cannot|can'?t|will not|won'?t|may not|not (?:permitted|allowed|authori[sz]ed) to) relay(?:ing)?\b(?!\.\w)"
    ),
    "authfailure": (
        r"spf\.pobox\.com|dmarc polic|required authentication level|inspect your spf"
        r"|sender policy framework|spf\)? ?(?:domain authentication|check:?) ?fail|authentication requirements"
        r"|per it'?s spf record|not pass (?:spf|dkim|dmarc)|(?:spf|dkim|dmarc) (?:validation |check )?fail"
        r"|fail(?:ing|ed|s)? (?:both |an? |the )?(?:spf|dkim|dmarc)"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|\bdkim\b.{0,30}(?:fail|invalid)|spf (?:softfail|hardfail|permerror)|sender is unauthenticated"
        # the mail failing its sender's domain authentication, one word family on rare first words: a bad SPF,
        # DKIM or DMARC record or result, mail called unauthenticated (Gmail's words for a DMARC failure)
        r"|(?:bad (?:spf|dkim|dmarc)\b|unauthenticated (?:e-?mail|mail|message)(?!s? from \[?\d{1,3}\.))"
        # brittle reasons, documented
        r"|authenticate with (?:either )?(?:spf|dkim)|(?:spf|dkim|dmarc) (?:alignment|verification|authentication) (?:fail|error)"
        r"|(?:rejected|refused|blocked) (?:due to|per|by|under) (?:the )?(?:\S+ )?(?:spf|dmarc)"
        # documented set 6: a sender the SPF or DMARC check found invalid ("SPF sender invalid"), a message
        # without a valid DKIM signature, one that must pass SPF or DKIM
        r"|(?:spf|dmarc) sender invalid|valid dkim signature|must pass (?:either |both )?(?:spf|dkim|dmarc)"
        # realmta round 4: SPF named, then the sending host not allowed for the domain ("[SPF] 192.0.2.1 is not
        # allowed to send mail from example.org", the usual Exim ACL text; RFC 7208's "not permitted")
        r"|\bspf\b[^\n]{0,60}\bnot (?:allowed|permitted|authori[sz]ed)\b"
        # documented set 10: SPF named with its lookup or check failing ("451 SPF lookup failure"), a message
        # without the authentication information its sender's domain requires ("fails to pass authentication
        # checks"), and the same in Vietnamese ("không được gửi thư trái phép (SPF)", unaccented too)
        r"|\bspf (?:lookup|check|record|validation) (?:failure|failed|error)\b"
        r"|\b(?:fails?|failed) to pass (?:\S+ )?authentication checks?\b|\bhave authentication information\b"
        r"|\b(?:trái phép|không được phép|không hợp lệ|thất bại|trai phep|khong duoc phep|that bai)\b[^.\n]{0,30}\bspf\b"
        # realmta round 9: a message refused for carrying no DKIM signature where one is required (opendkim's
        # On-NoSignature reject: "no DKIM signature data")
        r"|\b(?:no|missing|without an?) dkim signature|\bdkim signature (?:is )?(?:required|missing|not found)"
        # documented set 15 (Sisimai's tables): the From: domain not aligned with the domain SPF or DKIM
        # authenticated (Gmail's 4.7.32, "isn't aligned with either the authenticated SPF or DKIM organizational domain")
        r"|\baligned with (?:either )?(?:the )?(?:authenticated )?(?:spf|dkim)\b"
        # documented set 20: an error or failure said to happen during the SPF, DKIM or DMARC check itself (maddy's
        # "Temporary error during DKIM verification"), the check named after the failure
        r"|\b(?:error|failure)s? (?:during|in|while) (?:the )?(?:spf|dkim|dmarc) (?:verification|validation|check|evaluation|lookup)"
        # the sender's domain's own SPF, DKIM or DMARC record or policy invoked in the refusal ("Bad SPF records for",
        # "not accepted due to domain's DMARC policy", "has an SPF record with a hard fail", "per it's SPF Record")
        r"|\b(?:spf|dkim|dmarc) (?:records?|polic(?:y|ies))\b"
    ),
    "userunknown": (
        r"user ?unknown|unknown (?:user|recipient|mailbox|local[- ]?part|e-?mail address|address)"
        r"|no such (?:user|mailbox|recipient|address|person|local user)|no (?:mail ?box|account) (?:by that name"
        r"|found|here|available)|(?:user|recipient|mailbox|address(?<!sender address)|account)(?: name)? (?:does not|doesn'?t|not) exist"
        r"|(?:user|mailbox|rcpt) .{1,80} does not exist|(?:user|recipient|mailbox) (?:not (?:found|known|active|present|ok)|is not (?:accepted|local))"
        r"|invalid (?:recipient|mailbox|address|user|e-?mail)|not a (?:valid|known) (?:recipient|user|mailbox)"
        r"|is not (?:a known user|a valid mailbox|an active address)|mailbox (?:is )?(?:unavailable|unavaiable"
        r"|not found|invalid|inactive)|(?<!sender )address (?:unknown|not present|does not exist|invalid)"
        r"|recipient address rejected: (?:access denied|invalid|unknown user|user ?unknown|user .{1,60} does not)"
        r"|recipient (?:address )?rejected\.?(?:\s*\(in reply to rcpt|\s*$)"
        r"|recipient (?:unknown|not found|refuses to accept)|not a local address|this user doesn'?t have an? "
        r"|bad.{0,20}recipient|non-?existent (?:user|recipient|address)|user .{1,80} was not found|not found in "
        r"|account that you tried to reach does not exist|no existe|utilisateur inconnu|nessun utente"
        r"|destinataire invalide|destination (?:addresses were unknown|server rejected recipients)"
        r"|no one at this address|badrcptto|validrcptto|envelope recipient (?:has been denied|is in)"
        r"|requested action not taken: mailbox unavailable|recipient ?notfound|can't accept user"
        r"|missing home directory|5\.1\.0 address rejected|adresse nicht gefunden|wrong or no longer valid"
        r"|recipients? (?:was|were) undeliverable|#5\.1\.1|email name is not found|unknown virtual user"
        r"|(?<!người gửi )không (?:còn )?tồn tại|không có (?:người dùng|hộp thư|tài khoản)"
        r"|không tìm thấy (?:địa chỉ|người nhận|hộp thư|tài khoản|người dùng)|(?:địa chỉ(?! (?:của )?người gửi)|người nhận|người dùng)[^.\n]{0,30}không hợp lệ"
        r"|(?:benutzer|empfänger|adresse) (?:ist )?unbekannt|unbekannte[rn]? (?:empfänger|benutzer|adresse)"
        r"|usuario (?:desconocido|inexistente|no existe)|usuário (?:desconhecido|inexistente|não existe)"
        r"|destinatario (?:desconocido|inexistente|sconosciuto|inesistente)|utente (?:sconosciuto|inesistente)"
        r"|indirizzo (?:inesistente|sconosciuto)|adresse (?:inconnue|inexistante)|destinataire inconnu"
        r"|пользовател[ья] не (?:найден|существует)|нет такого (?:пользователя|адреса|ящика)"
        r"|(?:用户|收件人|帐户|账户|邮箱)不存在|(?:ユーザ|ユーザー|宛先)が(?:存在しません|見つかりません)"
        r"|> not found\b|does not exist at the organization|email address could not be found"
        r"|rejected: account unavailable|no valid recipients, bye|mailbox \S+ unavailable or access denied"
        r"|no \S+ in name directory|user \(\S+\) unknown|domain or user isn'?t in my list of allowed rcpthosts"
        r"|(?:account|mailbox|user|address) (?:has been |was )?(?:removed|deleted)\b"
        r"|tài khoản[^.\n]{0,20}(?:đã )?bị xo[áa]"
        # documented set 6: an address the gateway's directory check flagged ("marked as invalid")
        r"|address (?:is |has been )?(?:marked|flagged) as invalid"
        # documented set 12: the recipient's account said not to be one of the server's own (Alibaba Mail's "503
        # Rcptto account isn't a local account"), a recipient address said malformed (Netbit's "Malformed address")
        r"|\b(?:rcpt ?to|recipient)\b[^.\n]{0,20}\b(?:is not|isn'?t) (?:a )?local (?:account|user|mailbox|address)\b"
        r"|\bmalformed (?:recipient |destination )?(?:e-?mail )?address\b"
        # realmta round 15: the recipient said not to be in the receiving organisation's directory or address book
        # ("Recipient not in directory", "not listed in the global address list")
        + "".join(
            f"|\\b{holder}" + _NOT_IN_DIRECTORY
            for holder in ("recipient", "user", "addressee", "address", "mailbox")
        )
        # localised notices
        + "|"
        + _LOCALISED_NOT_FOUND
    ),
    "filtered": (
        r"account is protected by|bounced address|restricted sms e-?mail|is not accepting any mail|message filtered"
        r"|due to user rules|not found recipient account|refuses? to receive|only accepting mail from specific"
        r"|recipient preferences|user not found|user reject|blocked by the recipient|bị từ chối bởi người nhận"
        r"|ambiguous (?:recipient|address|name)|(?:recipient|address|name) (?:is )?ambiguous|several matches found"
        r"|header (?:\S+ )?(?:is )?not allowed|forbidden header"
        # realmta round 3: a filter named as what stopped the message (an Exim system filter's ``fail text``,
        # a content filter), not a spam filter's verdict
        r"|(?:blocked|rejected|refused|stopped) by (?:the |a |our )?(?:system |mail |message |content |e-?mail )?"
        r"filter(?:s|ing)?\b|by (?:the )?recipient'?s (?:own )?(?:mail |mailbox |inbox |message )?(?:rules?|filters?)\b"
        # realmta round 16: the recipient's filter named as a program, the article left out ("Message was refused by
        # recipient's mail filtering program", GNU Mailutils' Sieve reject notice, Sendmail's words for the same)
        r"|by (?:the )?recipient'?s (?:own )?(?:mail |e-?mail |message )?filtering program\b"
        # (a filter whose verdict is named spam, "bị bộ lọc đánh giá là thư rác ... từ chối", or a spam filter, "bị
        # chặn bởi bộ lọc spam", is spam detection)
        r"|bị bộ lọc(?! thư rác)(?:(?!thư rác|spam)[^.\n]){0,40}(?:chặn|từ chối)|bị (?:chặn|từ chối) bởi bộ lọc(?! thư rác| spam)"
        # realmta round 7: a recipient an access list refuses by name (Haraka's access plugin: "<x@y> That
        # recipient is not allowed")
        r"|\brecipient (?:address )?(?:is )?not (?:allowed|permitted)\b"
        # documented set 8: the recipient's own reject or block list ("registered as spammer (by user's reject list)")
        r"|\b(?:user|recipient)'?s (?:own )?(?:rejectlist|reject list|blocklist|block list|denylist|deny list)\b"
        # documented set 9: the message refused by its recipient(s), not by their server or domain (QQ's "Mail is
        # rejected by recipients": the sender on the recipient's own block list or caught by their rules)
        r"|(?:mail|message|e-?mail) (?:is |was |has been )?rejected by (?:the )?recipients?\b(?!'| (?:server|domain|mta|host|system|side))"
        # documented set 12: the recipient said not to want the sender's mail (Interia's "Recipient doesn't want
        # your mail": the sender on the recipient's own block list)
        r"|\b(?:recipient|user|addressee)s? (?:does not|doesn'?t|do not|don'?t) (?:want|wish to receive) (?:your |this |the |any )?(?:mail|e-?mails?|messages?)\b"
        # documented set 15 (Sisimai's tables): mail the recipient's server will not route to that user (Domino's
        # "Cannot route mail to user")
        r"|\bcannot route mail to (?:the )?(?:user|recipient)\b"
        # documented set 18: the recipient set to refuse mail sent from outside its organisation (Microsoft's vi-VN help
        # for 5.7.12), with diacritics or without, and in English: the recipient's own restriction
        r"|từ chối thư (?:được )?gửi từ bên ngoài|tu choi thu (?:duoc )?gui tu ben ngoai\b"
        # documented set 28: the recipient (not its server, system or domain) has blocked the sender or put it on a
        # block list ("người nhận đã chặn bạn"), with diacritics or without; an IP blocked is a block of the host
        r"|(?<!chủ )(?<!thống )(?<!của )(?<!miền )người nhận (?:đã )?(?:chặn(?! (?:địa chỉ )?ip\b)|đưa\b[^.\n]{0,30}vào danh sách (?:chặn|đen))"
        r"|(?<!chu )(?<!thong )(?<!cua )(?<!mien )\bnguoi nhan (?:da )?(?:chan\b(?! (?:dia chi )?ip\b)|dua\b[^.\n]{0,30}\bvao danh sach (?:chan|den)\b)"
        r"|\breject (?:messages|mail|e-?mails?) (?:sent )?from outside (?:of )?(?:its|the|their|the recipient's) organi[sz]ation\b"
        # realmta round 14: a message refused under the receiving unit's filtering rules (a header_checks text, "không
        # được chấp nhận theo quy tắc lọc thư"), with diacritics or without, and a mail filter's rules in English; a
        # spam filter's rules stay its verdict
        r"|(?:quy tắc|luật|điều kiện) lọc(?! thư rác)|\b(?:quy tac|luat|dieu kien) loc\b(?! thu rac)"
        r"|\b(?:mail|message|content|e-?mail) filter(?:ing)? (?:rules?|policy)\b"
        # realmta round 15: Dovecot's fixed words for a message its delivery refused ("Your message to <x> was
        # automatically rejected:", then the reason): the recipient's own Sieve filter, whatever else its reason's
        # words name, unless they say the mailbox is full (the LDA's quota refusal has the same words; the tests for
        # a full mailbox come first); a forwarded MDN keeps these words, not its "deleted" disposition
        r"|\byour message to <?[^\s<>@]+@[^\s<>]+?>? was automatically rejected\b"
    ),
    "requireptr": (
        r"ptr[- ]record|reverse dns|ip name lookup failed|cannot find your hostname|cannot resolve your address"
        r"|\brdns\b|unresolvable relay host|dns lookup failure: .{0,80}try again later"
        r"|generic dns ptr|reverse (?:lookup|name|host ?name)|dns ptr"
        r"|forward dns entry does not point"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|\bptr\b|\brevers dns\b|failure in (?:the )?dns look-?up|fcrdns|forward[- ]confirmed|no host ?name (?:found )?for (?:ip|your)"
        # brittle reasons, documented
        r"|fix (?:your |the )?reverse dns|(?:missing|invalid|bad) (?:ptr|reverse)\b|no (?:ptr|reverse)\b"
        r"|(?:client|connecting|sending) ip\b[^.\n]{0,20}\b(?:does not|doesn\'t) match"
        # the sending IP's name that does not check out, one word family (its first words are rare ones)
        r"|(?:mismatch(?:es|ed)? (?:the )?(?:client|connecting|sending) ip|unverif(?:y|i)able sending ip)"
        # documented set 6 ("no DNS reverse for 192.0.2.1", "no consistent reverse DNS set")
        r"|dns reverse\b|consistent reverse"
        # documented set 29: the sending IP's name it must resolve to ("Sender IP must resolve"), and reverse DNS in
        # Vietnamese ("DNS đảo ngược", "phân giải ngược"), with diacritics or without
        r"|\bip (?:address )?must resolve\b|dns đảo ngược|phân giải ngược|dns dao nguoc|phan giai nguoc"
    ),
    "notcompliantrfc": (
        r"not rfc ?\d* ?compliant|rfcmessagenoncompliant"
        # a header the standard (RFC 5322 3.6) allows once given twice, under any name: one word family
        r"|(?:duplicate header|multiple .{1,40} headers?\b|(?:duplicated?|repeated) \S+ header)"
        # realmta round 7: the same said as the rule ("Only one From header allowed. See RFC 5322", Haraka's headers
        # plugin)
        r"|only one [\w-]+ header (?:field )?(?:is )?(?:allowed|permitted)"
        # realmta round 13: lines longer than the standard's limit (RFC 5322 2.1.1, 998 characters: Exim's "message
        # has lines too long for transport")
        r"|\bmessage (?:has|contains|with) (?:\S+ )?lines? too long\b|\blines? too long for (?:transport|smtp)\b"
        r"|\b(?:body|message) lines? (?:is |are )?too long\b"
        r"|(?<!dns )(?:violates|violation of|not conform(?:ant|ing)? (?:to|with)) rfc(?! ?1035) ?\d*|missing (?:required )?(?:from|date|message-id) header"
        # realmta round 5: a header said not to follow an RFC, or its syntax refused (Exim's verify = header_syntax)
        r"|(?:does not|doesn't|do not|fails? to) (?:follow|conform (?:to|with)|comply (?:with|to)|meet) (?:[\w:-]+ ){0,4}rfc ?\d+"
        r"|syntax error in '?(?:from|to|cc|bcc|date|sender|reply-to|message-id):?'? header|header syntax (?:error|is invalid)"
        # documented set 3
        r"|(?:must|should) be rfc ?\d*(?: section [\d.]+)? ?compliant|rfc ?\d+ section [\d.]+ (?:violation|non-?compliant)"
        # brittle reasons, documented
        r"|(?:missing|without|lacks?|lacking|having no|with no) (?:an? )?(?:valid |required |proper )?(?:address in (?:the |its )?)?"
        r"(?:from|date|message-?id|sender)\b:? headers?"
        r"|(?:from|date|message-?id|sender)[\"\']? header (?:field )?(?:is |was )?(?:missing|invalid|malformed|duplicated|repeated)"
        r"|(?:headers?|message) (?:is |are )?not (?:rfc ?\d* ?)?(?:compliant|conformant)|rfc ?(?:5322|2822|822) (?:violation|non-?complian)"
        # documented set 15 (Sisimai's tables): header syntax the standard does not allow (Gmail's "unicode character
        # in a disallowed header", "Encoded-word syntax is not permitted in message header")
        r"|\bunicode characters? in (?:an? |the )?(?:disallowed |\S+ )?header|\bencoded-word (?:syntax )?(?:is )?not (?:permitted|allowed)"
        # documented set 17: a header the standard requires, said missing or required, or one it allows once given
        # again ("Required header 'Date' missing", "Message contains non-unique 'Subject' header", "must have a
        # Message-Id header", Haraka's; Momentum's "Invalid header found (see RFC2822 section 3.6)"), one word family;
        # RFC 5322's section 3.6 is the one on header fields
        r"|(?:required (?:rfc ?\d+ )?(?:header|field)s?\b|(?:header|field) '?[\w-]+:?'? (?:is )?missing\b"
        r"|non-unique '?[\w-]+:?'? header|must (?:have|contain|include|carry) (?:an? |the )?(?:valid )?'?[\w-]+:?'? header\b"
        r"|invalid header found\b|rfc ?(?:5322|2822|822),? section 3\.6)"
        # documented set 20: an originator header called malformed or invalid before its name ("Malformed From header",
        # "Malformed Sender header", maddy's), or a From: naming several addresses (RFC 5322 3.6.2 asks for a Sender:
        # then): the header's syntax, whichever word comes first
        r"|\b(?:malformed|invalid|unparsable|unparseable|bad|broken) (?:from|sender|reply-to|to|cc|date|message-?id):? header"
        r"|\bmultiple (?:from|sender|author) (?:addresses|mailboxes)\b|\bmultiple (?:addresses|mailboxes) in (?:the )?(?:from|sender):? header"
    ),
    "badreputation": (
        r"(?:bad|poor|low|negative|sender|sending|domain|email|e-mail|mail)\W{1,3}reputation\b(?! (?:database|block ?list|service))"
        r"|ip reputation|reputation (?:score|problem|issue)s?|unexpected volume or user complaints"
    ),
    "contenterror": (
        r"duplicate header|header size exceeds|8-bit data in message header|mime complexity|too many received"
        r"|invalid mime headers|improperly-formatted binary|unnecessary base64"
        # realmta round 10: a header section a content filter found malformed (amavisd-new's BAD HEADER category,
        # "invalid header section"), in Vietnamese too ("phần đầu thư không hợp lệ")
        r"|\bbad header\b|\binvalid header section|(?:phần đầu|tiêu đề) (?:của )?thư[^.\n]{0,20}không hợp lệ"
        # line ends the message may not carry (Postfix's "bare <LF> received", Exchange's 5.6.11
        # BareLinefeedsAreIllegal, Sendmail's "Bare linefeed (LF) not allowed")
        r"|bare (?:<lf>|lf\b|line ?feeds?|newlines?|carriage returns?|<cr>)"
        # documented set 3
        r"|smtputf8 (?:is )?required|requires? smtputf8|non-ascii (?:addresses?|headers?|mailbox names?) (?:are |is )?not (?:permitted|allowed|supported)"
        # realmta round 11a: a Date: header a server finds implausible (qpsmtpd's headers plugin, "The Date header is
        # too far in the future"), not a mailbox or size limit whatever its 552 says
        r"|\bdate:? header (?:is )?too far in the (?:future|past)"
        # documented set 19: an address with non-ASCII characters where the server does not support SMTPUTF8 (RFC 6531's
        # X.6.7, as mail clients word it in any language: the extension's name is the same in all)
        r"|\bsmtputf8\b"
    ),
    "rejected": (
        # the sender's own address said not to exist ("Sender address does not exist", "Địa chỉ người gửi không tồn
        # tại"): our envelope sender refused, not the recipient's mailbox ("Email mà người gửi đã gửi đến không tồn
        # tại", the address the sender wrote to, is the recipient's)
        r"(?:địa chỉ|tên miền|hộp thư|tài khoản)(?: email)? (?:của )?người gửi (?:không còn|không) tồn tại"
        r"|\b(?:dia chi|ten mien|hop thu|tai khoan)(?: email)? (?:cua )?nguoi gui (?:khong con|khong) ton tai\b|"
        r"sender (?:address )?(?:rejected|verify failed|was rejected|does not exist|doesn'?t exist|not pre-approved|is spammer|domain is empty"
        r"|is in my black ?list|address has been blacklisted)|invalid sender|domain of sender address"
        r"|bogus mail from|null sender is not allowed|empty envelope senders?|address rejected"
        r"|administrative prohibition|batv|purported responsible address|does not exist e2110|mail from not owned"
        r"|email address is not verified|mx records for |returned mail not accepted|unroutable sender"
        r"|from a different address or alias|not allowed to post to|(?:do not|don't) have permission to post\b|not a registered gateway user"
        r"|fully qualified email address required|no third-party dsns|from: domain is invalid"
        r"|recursive cname|rule imposed mailbox access|sender isn't on the recipient's list|bouncedeny"
        r"|valid-address-filter|delivery not authorized, message refused|emetteur invalide|envelope blocked"
        r"|invalid domain, see|senderfilterconfig|spam reporting address|syntax error: empty email address"
        r"|does not accept mail from|unsigned dsn|to/from an address that has been blacklisted"
        r"|your email address has been blacklisted|access denied \(in reply to mail from|sender blacklisted"
        r"|without a valid sender domain|sender email address rejected|address.{0,40}expired email address"
        r"|invalid or expired e-?mail address|recipient addresses rejected : access denied"
        r"|submit messages to this e-mail system has been rejected"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|(?<!thư của )người gửi(?:[^.\n]|\.(?=\S)){0,60}bị từ chối|từ chối (?:địa chỉ )?người gửi"
        r"|sender (?:address )?verif(?:y|ication) failed|unverified sender|sender (?:is )?unverified|mail from (?:address )?(?:rejected|refused)"
        # documented set 3
        r"|unresolvable (?:rfc\.?5321 )?(?:from|sender|envelope[- ]from|mail[- ]from|return[- ]path) domain|(?:sender|from|envelope[- ]from) domain (?:is )?unresolvable"
        # brittle reasons, documented
        r"|sender (?:address |domain )?(?:is )?(?:in|on|listed (?:in|on)) (?:my|our|the|a|this|[a-z]+'s) "
        r"|(?:can\'?t|cannot|unable to|could not) (?:determine|verify|validate) (?:the )?(?:purported responsible|sender|return|envelope sender)\b"
        # localised notices (the sender's address is invalid), with diacritics or without (documented set 28: "Dia chi
        # nguoi gui khong hop le")
        r"|người gửi[^.\n]{0,30}không hợp lệ|\bnguoi gui\b[^.\n]{0,30}\bkhong hop le\b"
        # documented set 6: "your email address has been blocked", "rejected - block policy for envelope from"
        r"|your (?:e-?mail address|address|domain|sender address) (?:has been |is |was )?(?:blocked|banned|black ?listed|block ?listed)"
        r"|(?:rejected|blocked|refused|denied)\b[^.\n]{0,40}\benvelope[- ](?:from|sender)\b"
        # documented set 7: a sender's domain banned by name, or not registered where it sends from
        # ("the domain example.com is banned", Exchange Online's "sending from unregistered domains")
        r"|(?:domain|sender|address) \S+ (?:has been |is |was )banned\b|from (?:unregistered|unaccepted) (?:sender )?domains?\b"
        # documented set 8: a sender called fake or forged, a valid sender domain required, a sender from a
        # reserved (RFC 2606) domain
        r"|\b(?:fake|forged|spoofed) sender\b|requires? (?:a )?valid sender (?:domain|address)"
        r"|\bsender\b(?:[^.\n]|\.(?=\S)){0,60}\breserved (?:domain|tld)\b"
        # documented set 12: the sender's own domain said not to exist (Iridis's "Sender domain does not exist"):
        # our envelope sender's, not the recipient's (hostunknown)
        r"|\bsender(?:'s)? domain (?:does not|doesn'?t) exist\b"
        # documented set 14: the envelope sender not one the client may send from (Stalwart's "You are not allowed to
        # send from this address", an authenticated account using an address that is not its own)
        r"|\bnot (?:allowed|permitted|authori[sz]ed) to send (?:mail |e-?mail |messages? )?(?:from|as) (?:this|that|the given|the specified) (?:e-?mail )?(?:address|sender|mailbox)\b"
        # documented set 15 (Sisimai's tables): the sender refused by name, or its own account said disabled or not
        # registered (Exchange's "5.1.0 Sender denied", Google Workspace's "the sender account is disabled or not
        # registered"): the envelope sender's standing, not the recipient's mailbox
        r"|\bsender (?:address )?denied\b|\bsender(?:'s)? account (?:is |has been |was )?(?:disabled|suspended|not registered)\b"
        # documented set 18: the sender's own address in error ("Lỗi địa chỉ gửi đi", PHPMailer's vi from_failed), and a
        # sender not allowed to send to this recipient, Exchange's "delivery not authorized" in Vietnamese ("không được
        # phép gửi ... tới người nhận", Zimbra's; "không có quyền để gửi cho người nhận", Microsoft's), with diacritics
        # or without ("... message" said after the sender, "thư của người gửi bị từ chối", is the message's refusal)
        r"|lỗi địa chỉ (?:gửi đi|người gửi)|loi dia chi (?:gui di|nguoi gui)\b"
        # (documented set 29: or to a group, "nhóm", a distribution group Exchange names as the recipient)
        r"|(?:không được phép|không có quyền)(?: để)? gửi(?: một)?(?: thông điệp| thư| email)? (?:tới|đến|cho) (?:người nhận|địa chỉ|nhóm)"
        r"|(?:khong duoc phep|khong co quyen)(?: de)? gui(?: mot)?(?: thong diep| thu| email)? (?:toi|den|cho) (?:nguoi nhan|dia chi|nhom)\b"
        # the sender's own address or domain named as what the refusal is about, one word family (documented set 17):
        # the envelope sender's address or domain ("Domain of sender address x does not exist", "your envelope sender
        # domain must exist", "Domain name required for sender address"), Sender ID's purported responsible address
        # (Courier's "can't determine Purported Responsible Address"), mail sent as another address or alias than the
        # account's own (Google Workspace's "sending this from a different address or alias", Exchange's "permissions to
        # send as this sender")
        r"|(?:(?:sender|sender's|envelope[- ]sender|purported responsible|return) (?:e-?mail )?(?:address|domain)\b"
        r"|from (?:a |an )?(?:different|other|another) (?:e-?mail )?(?:address|alias)\b"
        r"|permissions? to send (?:as|from|on behalf of)\b|send (?:mail |e-?mail |messages? )?as\b)"
        # documented set 19: a client blocked from sending from an unregistered domain (Exchange Online's 5.7.750, as
        # Microsoft's help translates it: "chặn gửi từ chưa đăng ký tên miền"), with diacritics or without, and in English
        r"|chặn gửi từ[^.\n]{0,20}(?:chưa|không được) đăng ký|chan gui tu\b[^.\n]{0,20}\b(?:chua|khong duoc) dang ky\b"
        r"|\bsending from (?:an? )?unregistered domains?\b"
        # documented set 20: the sender's address said not to match or belong to the account that logged in (mox's "must
        # match authenticated user", "message from address must belong to authenticated user"; Postfix's "not owned by
        # user"): an address the client may not send from, whichever verb
        r"|\b(?:must|does not|doesn'?t|should|did not|didn'?t) (?:match|belong to) (?:the |an? |your )?(?:authenticated|logged[- ]in|sasl|login) (?:user|account|identity|name|username)\b"
    ),
    "hostunknown": (
        r"(?<!sender )domain (?:does not exist|is not reachable|must exist|not found|name not found)|no such domain"
        r"|host or domain name not found|host unknown|host unreachable|domain mentioned in email address is unknown"
        r"|name or service not known|unknown (?:host|domain)|account or domain may not exist|unroute?able address"
        r"|553 .{1,80} does not exist|host \S+ not found|tên miền không (?:còn )?tồn tại"
        r"|domaine (?:inconnu|inexistant)|unbekannte domain|dominio (?:inexistente|desconocido|sconosciuto)"
        r"|域名不存在"
        r"|không tìm thấy (?:tên miền|host|máy chủ)|tên miền[^.\n]{0,20}không hợp lệ|tên miền[^.\n]{0,30}không (?:còn )?tồn tại"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|\bhost\b(?:[^.\n:]|\.(?=\S)){1,40}\bnot found\b(?!, try again)"
        r"|domain \S+ (?:does not|doesn'?t) exist|non-?exist(?:ent|ing) domain|\bnxdomain\b|no such host|couldn'?t find any host"
        # brittle reasons, documented
        r"|(?<!sender )\bdomain\b[^.\n,]{0,30}\b(?:(?:may|might|does|did) not|doesn\'?t|didn\'?t) exist\b"
        # documented set 7: the recipient domain's DNS query failed outright (Coremail's and 263's "DNS query
        # error"; a 4.x.x status makes it a fault on the way, see decide)
        r"|dns (?:query|lookup) (?:error|failed)\b"
        # localised notices (a domain that cannot be resolved or does not exist)
        r"|không thể phân giải tên miền|domaine\b(?:[^.\n]|\.(?=\S)){0,40}n['’]existe pas"
        r"|domäne\b(?:[^.\n]|\.(?=\S)){0,40}existiert nicht|dominio\b(?:[^.\n]|\.(?=\S)){0,40}no existe"
        # realmta round 7: a domain with no MX and no address, said as the relay's own finding (Haraka: "Nowhere
        # to deliver mail to for domain: x")
        r"|nowhere to deliver (?:\S+ ){0,2}for (?:the )?domain"
        # documented set 9: no route from the relay to the recipient's domain (Domino's router "No route found to
        # domain x from server y"; not "no route to host", a network fault)
        r"|\bno route (?:found )?to (?:the )?domain\b"
        # documented set 10: the recipient domain's MX records naming hosts that do not exist (Exim's "all relevant
        # MX records point to non-existent hosts")
        r"|\bmx records? points? to non-?existent hosts?\b"
        # documented set 14: no DNS entries for the recipient's host at all (Apache James's RemoteDelivery: "There are
        # no DNS entries for the hostname x")
        r"|(?<=no )dns (?:entries|entry|records?) (?:found )?for (?:the )?(?:host ?name|domain)\b"
        # documented set 16: the remote server or the domain said not found in the passive ("máy chủ ở xa không được tìm
        # thấy", Zimbra's vi_VN strings), and the host or domain not found or not existing without diacritics
        r"|(?:máy chủ|tên miền)[^.\n]{0,20}không được tìm thấy|khong (?:duoc )?tim thay (?:ten mien|host|may chu)\b"
        r"|(?:may chu|ten mien)\b[^.\n]{0,20}\bkhong (?:duoc )?tim thay\b|ten mien\b[^.\n]{0,30}\bkhong (?:con )?ton tai\b"
        r"|khong the phan giai ten mien\b"
        # documented set 28: the domain not found where Vietnamese says "miền" alone for it ("không tìm thấy miền x",
        # as Gmail's and Microsoft's Vietnamese write it), with diacritics or without
        r"|không (?:được )?tìm thấy miền|khong (?:duoc )?tim thay mien\b"
        # a relay's own word that the domain could not be found (Gmail's "Address not found": "... because the domain
        # example.vn couldn't be found")
        r"|\bthe domain (?:name )?\S+ (?:couldn't|could not|can't|cannot) be found\b"
    ),
    "spamdetected": (
        r"\bspam(?:\b|-like)(?!haus|cop)|unsolicited|bulk (?:e-?)?mail(?! senders?)|bulk\.advertising|content filter"
        r"|message content rejected|mail content denied|unacceptable content|banned content|rejecting mail content"
        r"|\bspammy\b|uribl|surbl|recurrent pattern detection|message filtered|rejected for policy reasons"
        r"|greylisted.{0,40}try again in|mail score \(|mail rejete\. mail rejected\..{0,40}506|sender domain listed at"
        r"|temporarily blocked by our filter|failed several antispam|thư rác|spamassassin|spamprofiler"
        # documented set 28: mail called (mass) advertising in Vietnamese ("quảng cáo hàng loạt", "thư quảng cáo"), with
        # diacritics (the accented "thư quảng cáo" is below) or without; mass sending alone ("gửi hàng loạt") is a
        # rate, not a verdict on the content
        r"|quảng cáo hàng loạt|\bquang cao hang loat\b|\bthu quang cao\b"
        r"|spamming|blocked for abuse"
        r"|nghi (?:ngờ|là) (?:thư )?rác|thư quảng cáo"
        # realmta round 5: a phishing verdict on the message
        r"|\bphishing (?:attempt|message|mail|e-?mail|content|link|url|site)s?\b|(?:detected|identified|classified|flagged) as phishing"
        # realmta round 9: GTUBE (the Generic Test for Unsolicited Bulk Email) named as what a filter found
        # (rspamd's "Gtube pattern", SpamAssassin's GTUBE rule): the spam test string, a spam verdict
        r"|\bgtube\b"
        # documented set 29: a message blocked where the filter asks to hear of a false positive (MailChannels' "[CS]
        # Message blocked. If this is a false positive, please report ..."): its verdict on the message
        r"|\bmessage (?:was |has been )?blocked\b[^\n]{0,40}\bfalse positive\b"
        # realmta round 10: amavisd-new's "Reject, id=N - " opens its refusal whatever the contents category
        # (spam, virus, banned, bad header): the category's words decide, its "spammy" among them (above)
        # documented set 9: a domain in the message found on a domain block list (iCloud's "having a domain present
        # in the Spamhaus DBL"): the content's links judged, not the sending host
        r"|\b(?:domain|url|link)s? (?:present|listed|found) (?:in|on) (?:the )?(?:spamhaus )?(?:dbl|uribl|surbl)\b"
        r"|垃圾邮件|垃圾郵件|迷惑メール|스팸메일|스팸 메일|спам"
    ),
    "speeding": (
        r"try again slower|at a rate that prevents|sending (?:too fast|rate)|throttl|rate limit(?:ed)?\b(?! because\b| due to\b)"
        r"|excessive (?:volume|sending rate)"
        # documented set 3
        r"|per[- ](?:hour|minute|day) (?:message |mail )?receiv(?:e|ing) limit|receiv(?:e|ing) (?:rate |message )?limit[^.\n]{0,40}\bexceeded"
        r"|receiving (?:e-?mail|mail|messages) too (?:quickly|fast)"
        # localised notices
        r"|tốc độ (?:gửi |nhận )?(?:thư )?quá (?:nhanh|cao)"
        # realmta round 10: more messages than a sender may send ("vượt quá số thư được phép gửi", "gửi quá nhiều thư")
        r"|vượt quá (?:số (?:lượng )?thư|giới hạn (?:số )?(?:thư|gửi))|gửi quá nhiều thư"
        # realmta round 4: a sender's message rate over a limit (Exim's ratelimit ACL condition: "Sender rate
        # exceeds 100 messages per 1h")
        r"|\bsender(?:'s)? rate\b|\bratelimit(?:ed)?\b"
        # realmta round 14: more mail from the client than a server takes per time unit (Postfix's anvil: "450 4.7.1
        # Error: too much mail from 192.0.2.1", smtpd_client_message_rate_limit); a connection count stays toomanyconn
        r"|\btoo much (?:e-?)?mail from\b|\btoo many (?:messages|e-?mails|mails) from (?:your|this|the)? ?(?:ip|host|client)\b"
        # documented set 8: the sender's or its domain's sending frequency over a limit (QQ's "Sender frequency
        # limited"; an IP's or connection's stays toomanyconn), a sender told it sends too many messages
        r"|\b(?:sender|domain|sending) frequency limit|\b(?:you )?(?:send|sent|are sending) too many (?:messages|mails|e-?mails)\b"
        # documented set 10: the sender's own sending limit reached (Plesk's "limit on the number of allowed
        # outgoing messages was exceeded", cPanel's "max defers and failures per hour", Gmail's "Bạn đã đạt đến giới
        # hạn gửi thư" / "reached a limit for sending mail"), one word family, unaccented Vietnamese too
        r"|\blimit on the number of (?:allowed )?(?:outgoing|sent) (?:messages|e-?mails|mails)\b"
        r"|\b(?:outgoing|sending) (?:message |mail |e-?mail )?(?:limit|quota) (?:was |has been |is )?(?:exceeded|reached)\b"
        r"|\bmax(?:imum)? defers and failures\b|\breached (?:a|the|your) (?:daily )?(?:limit for sending|sending limit)\b"
        r"|\b(?:đạt|vượt|dat|vuot)(?: đến| quá| den| qua)? (?:giới hạn|gioi han) (?:gửi|gui)\b"
        # documented set 12: the sender's count of recipients over a threshold (Alibaba Mail's "the number of RCPT
        # attempts is achieved the maximum threshold", "the total of RCPTs ..."), the sending cap and rate
        r"|\b(?:number|total|count) of rcpt(?:s| attempts)\b[^.\n]{0,30}\bthreshold\b"
        # documented set 14: the server's limit for what it takes from the sending host reached (cPanel's Exim
        # ratelimit ACL: "The server has reached its limit for processing requests from your host")
        r"|\b(?:reached|exceeded) (?:its|the|a|our) (?:\S+ )?limit (?:for|on) (?:\S+ ){0,2}from (?:your|this|the sending) (?:host|ip|server|network)\b"
        # documented set 13: an ESP's own cap on what the sender sends, per period ("Daily message quota exceeded",
        # Amazon SES; "Maximum messages sent per minute reached", OCI Email Delivery), and its sending IP paused
        # while it backs off (SparkPost's "Sending IP temporarily suspended")
        r"|\b(?:daily|hourly|sending|send) (?:message |e-?mail )?quota\b"
        r"|\b(?:messages|e-?mails|mails) sent per (?:second|minute|hour|day)\b"
        r"|\bsending (?:ip|host|server|domain)s? (?:(?:is|was|has been) )?temporarily (?:suspended|paused)\b"
        # documented set 20: a count of messages over a span of time from the sender's IP or network (mox's "more than
        # 500 messages in past 1m0s from your ip/network"): a rate, whatever storage status comes with it
        r"|\bmore than \d+ (?:messages|e-?mails|mails) (?:in|per|within|during|over) (?:the )?(?:past|last)\b"
        # documented set 16: a recipient receiving too much mail in Vietnamese ("nhận được quá nhiều thư", Gmail's help),
        # with diacritics or without; the sender's own sending quota in the languages Exchange localises its NDRs
        # into (it "quota di invio", fr "quota d'envoi", es "cuota de envío", pt "cota de envio", de
        # "Sendekontingent", vi "hạn ngạch gửi", ko "전송 할당량", ja "送信クォータ", zh "发送配额"); a sender
        # throttled (de "gedrosselt"); a receiving or sending rate called too high in Chinese ("接收电子邮件的频率过高")
        r"|nhận(?: được)? quá nhiều (?:thư|email|e-mail)|nhan(?: duoc)? qua nhieu (?:thu|email|e-mail)\b"
        r"|gui qua nhieu (?:thu|email|e-mail)\b|hạn ngạch gửi|han ngach gui\b"
        r"|quota (?:di invio|d['’]envoi)\b|cuota de envío\b|cota de envio\b|sendekontingent|전송 할당량|送信クォータ"
        r"|发送配额|發送配額|gedrosselt\b"
        r"|(?:接收|发送|發送|收信|寄信)[^。\n]{0,8}(?:频率|頻率|速度)[^。\n]{0,2}(?:过高|過高|过快|過快|太快)"
        # documented set 18: a sender told to wait seconds or minutes before sending (Roundcube's vi_VN senttooquickly,
        # unaccented too, and in English), the sending limit reached in Spanish, Portuguese and Polish (Gmail's "límite
        # para enviar", "limite ... de redirecionamento SMTP excedido", Onet's "limit wysyłania"), mail received too
        # often or in bulk and a relay's sending volume over its limit in Chinese (Google's "接收邮件过于频繁", "正在接收
        # 大量郵件", "中继量超出限制")
        r"|(?:đợi|chờ)[^.\n]{0,20}(?:giây|phút)[^.\n]{0,10}trước khi gửi"
        r"|(?:doi|cho)\b[^.\n]{0,20}\b(?:giay|phut)\b[^.\n]{0,10}\btruoc khi gui\b"
        r"|\bwait (?:a few |several |\d+ )?(?:seconds?|minutes?) before sending\b"
        r"|\blímite (?:máximo )?(?:para|de) (?:enviar|envío)\b|\blimite (?:máximo )?de (?:envio|redirecionamento|reenvio)\b"
        r"|\blimit (?:wysyłania|wysyłki|wysłanych)\b"
        r"|(?:接收|收信)[^。\n]{0,8}(?:过于|過於)(?:频繁|頻繁)|接收(?:了)?大量(?:的)?(?:电子|電子)?(?:邮件|郵件)"
        r"|(?:中继|中繼|发信|發信|发送|傳送)(?:量|数|數)[^。\n]{0,4}(?:超出|超过|超過)"
        # documented set 19: the sender's daily limit of recipients reached (Exchange Online's 5.1.90 "reached your daily
        # limit for message recipients", as Microsoft's help translates it: vi "giới hạn hàng ngày cho người nhận", "giới
        # hạn mức người nhận hàng ngày", unaccented too, id "batas harian untuk penerima", pt "limite diário ... de
        # destinatários")
        r"|\bdaily (?:recipient |message )?(?:limit|rate|quota) (?:for|of) (?:message )?recipients\b"
        r"|\b(?:reached|exceeded) (?:your |the |its )?daily (?:recipient |sending )?(?:limit|rate limit)\b"
        r"|giới hạn (?:mức )?(?:người nhận )?hàng ngày|gioi han (?:muc )?(?:nguoi nhan )?hang ngay\b"
        r"|\bbatas (?:harian|tarif penerima harian)\b|\blimite diário\b[^.\n]{0,30}\bdestinatários\b"
    ),
    "toomanyconn": (
        r"too many (?:connections|concurrent|smtp sessions|sessions|recipients|errors from your ip)"
        # documented set 7: connections or sessions qualified ("too many open connections"), or their number
        # over a maximum in either order ("the number of sessions exceeds the maximum", Exchange's "maximum
        # number of concurrent server connections has exceeded a limit")
        r"|too many (?:open|simultaneous|parallel|active|inbound|smtp) (?:connections|sessions)\b"
        r"|(?:number|maximum|max)\b[^.\n]{0,40}\b(?:connections|sessions)\b[^.\n]{0,20}\b(?:exceed(?:s|ed)?|reached)\b"
        r"|connection (?:rate )?limit|frequency limit|max emails per hour|trop de connexions|numerous attempts to deliver"
        # localised notices
        r"|quá nhiều kết nối|zu viele verbindungen|demasiadas conexiones|muitas conexões|troppe connessioni"
        # documented set 15 (Sisimai's tables): a cap on the messages one connection may carry (Yahoo's "Max message
        # per connection reached")
        r"|\bmax(?:imum)? (?:number of )?(?:messages?|mails?|e-?mails?) per (?:connection|session)\b"
        r"|\btoo many (?:messages?|mails?|e-?mails?) per (?:connection|session)\b"
        # documented set 16: too many recipients in Vietnamese ("quá nhiều người nhận", Roundcube's), with diacritics or
        # without, beside too many connections
        r"|quá nhiều người nhận|qua nhieu (?:ket noi|nguoi nhan)\b"
        # documented set 19: the recipients over the number allowed, as mail clients and Microsoft's help translate it
        # (vi "vượt quá số lượng người nhận", unaccented too; it "numero di destinatari supera", tr "alıcı sayısı aşıldı",
        # ru "превышения ... количества получателей", cs "překročila povolený počet příjemců", ja "受信者の許容数を超え",
        # ko "받는 사람 수의 한도를 초과", pl "zbyt wielu adresatów"), and in English
        r"|vượt quá số (?:lượng )?người nhận|vuot qua so (?:luong )?nguoi nhan\b"
        r"|\bnumber of recipients\b[^.\n]{0,30}\b(?:exceeds?|exceeded|over)\b|\bexceed(?:s|ed)? the (?:allowed |maximum |permitted )?number of recipients\b"
        r"|\bnumero (?:di|dei) destinatari\b[^.\n]{0,20}\bsupera\b|alıcı sayısı[^.\n]{0,20}aş"
        r"|количеств[ао] (?:получателей|адресатов)|\bpočet příjemců\b"
        r"|受信者(?:の)?(?:許容)?数[^。\n]{0,6}(?:超え|超過)|받는 사람 수[^.\n]{0,10}초과|\bzbyt wielu (?:adresatów|odbiorców)\b"
    ),
    "blocked": (
        r"blocked using|blacklisted by|spamcop\.net/bl|bad sender ip|banned sending ip|blocked - see|dnsbl"
        r"|client host rejected|confirm this mail server"
        r"|connection (?:dropped|refused by|reset by peer|was dropped)|spamhaus|currently sending spam"
        r"|domain does not exist:|dynamic/zombied|no valid recipients from|not accepting connections"
        r"|bad ip profile|go away|helo command rejected|host network not allowed|dynamic ips?\b"
        r"|invalid ip for sending|in a black ?list|is not allowed to send mail from|no access from mail server"
        r"|no matches to nameserver query|accepting mail from your ip|on our block ?list|smtp server of your isp"
        r"|refused - see http|multi-blacklist|has not passed validation|open proxy|sender ip address rejected"
        r"|forbidden by your ip|closing transmission channel|after initial connection|suspiciously like spammer"
        r"|unexpected volume or user complaints|submit messages to this e-mail system has been rejected"
        r"|spams from your ip|unwanted messages have been sent|was blocked by |not allowed to connect"
        r"|you are sending spam|listed in the rbl|blacklisted\b|requires confirmation|:blocked\)"
        r"|access from ip address .{1,60}blocked|rbl on |mail server at .{1,80} is blocked|mail from .{1,80} refused"
        r"|rejected based on blacklist|listed as abusive|blocked by rbl|your access ip.{1,60}has been rejected"
        r"|abuseat\.org|refused to talk to me: .{0,80}blocked|said: 550 blocked|blocked ip|ip blocked|ip address blocked"
        # realmta round 5: the sending host's HELO name named in a refusal ("HELO name ... does not resolve")
        r"|bị chặn|danh sách đen|(?:helo|ehlo) (?:name|hostname|host name)\b"
        # realmta round 11a: a HELO check that doubts the name the client gave ("I do not believe you are
        # mx.example.com", qpsmtpd's helo and the qmail spamhelo patches it follows)
        r"|\bdo not believe (?:that )?you are\b"
        # documented set 29: no access for the sending IP, said after the refusal ("Sorry, no access for this ip")
        r"|\bno access (?:for|from) (?:this|your|the) (?:sending |connecting )?ip\b"
        # the sending host or IP named, then refused in the same clause ("client host rejected", "ip address
        # blacklisted by"; not across "remote host said: ...")
        r"|(?:client host|ip address|ip |your (?:ip|host|server)|sending (?:host|server|ip)|mail server|remote host)\b"
        r"(?:[^.\n:]|\.(?=\S)){0,40}\b(?:rejected|refused|blocked|banned|blacklisted|denied|not allowed|no access|forbidden)\b"
        # ... unless the verb takes the message as its object: then the host named is the receiving one, doing
        # the refusing ("mail server temporarily rejected message", "remote host refused the mail")
        r"(?! (?:the |your |this |our |a |an )?(?:message|mail|e-?mail|delivery|transaction)s?\b)"
        # ... or the refusal first ("not accepting connections", "no access from mail server [ip]")
        r"|(?:not accepting|not accepted|refused|rejected|blocked|no access)\b[^.\n]{0,20}"
        r"\b(?:connections?\b|from (?:your |the )?(?:ip|host|mail server|server|client)\b)|\blisted (?:at|in|on|by) (?:(?:the|a|an) )?(?:[a-z0-9-]+\.)+[a-z]{2,}\b"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|\bblock ?list(?:ed)?\b|\bblack ?list(?:ed)?\b|\bdeny ?list(?:ed)?\b|banned sender|barracuda|\bsorbs\b|uceprotect|\bpsbl\b|\brbl\b|(?:ip|host|client|connection)s? (?:address )?(?:has been |is |was )?(?:blocked|banned)"
        # brittle reasons, documented
        r"|(?:not accepting|not accepted|refused|rejected|blocked|denied)\b[^.\n]{0,20}\bfrom (?:this|that|your|the|sending|connecting) (?:ip|host|server|client|address|network)\b"
        # localised notices (a block or black list by name)
        r"|danh sách chặn|sperrliste|liste noire|liste de blocage|lista negra|lista de bloqueio|lista de bloqueo"
        r"|lista nera|черн(?:ый|ом|ого) спис|黑名单|ブラックリスト"
        # documented set 12: the sending IP said blocked in the notice's language (Aruba's "Indirizzo IP bloccato
        # temporaneamente per sospetto abuso"; es/pt "IP bloqueada", fr "IP bloquée", de "IP gesperrt", pl "IP zablokowany")
        r"|\bip\b[^.\n]{0,30}\b(?:bloccat[oa]|bloquead[oa]|bloqué(?:e)?|gesperrt|zablokowan[ey]?)"
        # documented set 8: the sending IP written out and called blocked ("<192.0.2.1> is blocked", "blocked by
        # ldap:ou=rblmx"), the sender's IP said to be filtered, a connection with too many (protocol) errors
        r"|\b\d{1,3}(?:\.\d{1,3}){3}\]?>? (?:is |has been |was )?(?:blocked|banned|black ?listed|restricted)\b"
        r"|\byour ip\b(?:[^.\n]|\.(?=\S)){0,30}\bis filtered\b|\btoo many (?:smtp |protocol |command )?errors\b"
        # documented set 9: the sending IP not on the receiving domain's allow list (Google Workspace's "IP not in
        # whitelist for RCPT domain")
        r"|\bip (?:address )?(?:is )?not (?:in|on) (?:the |our |its )?(?:white|allow) ?list\b"
        # documented set 10: the sender taken for a directory-harvest ("dictionary") attack (HostGator's "550
        # DICTIONARY ATTACK"), a refusal under the receiving side's IP policy ("rejected due to: IP policy")
        r"|\bdictionary attacks?\b|\b(?:rejected|refused|blocked) (?:due to|by|under):? (?:the |our |an? )?ip polic(?:y|ies)\b"
        # documented set 14: the sending host's HELO/EHLO name said not to resolve (Apache James's "Provided EHLO/HELO
        # x can not resolved"), the identity the client gave refused
        r"|\b(?:helo|ehlo)\b(?:[^.\n]|\.(?=\S)){0,60}\b(?:can ?not|could not|does not|doesn'?t|did not|unable to) (?:be )?resolved?\b"
        # documented set 13: the sending host refused for where it is ("Mail from your region is not allowed", a
        # geo-block): any message from it shares the verdict
        r"|\b(?:mail|messages?|e-?mails?|connections?|traffic) from your (?:region|country|location|geographic (?:region|location))\b"
        r"|\bgeo[- ]?(?:ip[- ])?(?:blocked|blocking|block|restrict(?:ed|ion))\b"
        # documented set 15 (Sisimai's tables): the sending host's HELO called bad or forged (Exchange Online's
        # 5.7.506 "Access denied, bad HELO": a host that introduces itself as the recipient's server)
        r"|\b(?:bad|forged|bogus|spoofed) (?:helo|ehlo)\b"
        # documented set 20: what the client gave in its HELO/EHLO named and refused (maddy's "IP in EHLO is not the same
        # as the actual client IP", "Malformed IP in EHLO"; mox's "your ehlo domain does not resolve"): the greeting of
        # the sending host, any message from it refused alike (an argument called invalid stays a syntax error)
        r"|\b(?:ip|address|domain|name|hostname)s? (?:given |used )?in (?:the |your )?(?:helo|ehlo)\b|\b(?:helo|ehlo) (?:domain|greeting)\b"
        # documented set 16: the sending IP not on the receiving domain's allow list, in Chinese and Japanese as Google
        # localises its 421 4.7.0 ("IP 未列入 RCPT 网域的白名单", "IP が RCPT ドメインのホワイトリストにありません")
        r"|(?:未列入|不在)[^。\n]{0,20}(?:白名单|白名單|许可清单|許可清單|允许列表|允許清單)"
        r"|ホワイトリストに(?:ありません|含まれていません|登録されていません)"
        # documented set 19: Microsoft's "access denied, traffic not accepted from this IP" and "banned sender" as its help
        # translates them (vi "lưu lượng truy cập không chấp nhận từ IP", "bị cấm gửi", unaccented too; zh "不接受来自该 IP
        # 的通信"; de "gesperrter Absender"), and in English
        r"|lưu lượng[^.\n]{0,20}không (?:được )?chấp nhận từ (?:địa chỉ )?ip|luu luong\b[^.\n]{0,20}\bkhong (?:duoc )?chap nhan tu (?:dia chi )?ip\b"
        r"|\btraffic not accepted from\b|bị cấm gửi|\bbi cam gui\b|不接受来自[^。\n]{0,6}ip|不接受來自[^。\n]{0,6}ip"
        r"|\bgesperrte[rn]? absender\b"
    ),
    "virusdetected": (
        # a scanner's words for what it found in the message, one word family
        r"(?:virus|malware|malicious|infected|infection|trojan|ransomware|eicar|mã độc|vi-rút)"
        r"|executable attachment"
        # documented set 6: a scanner's verdict of unsafe content or attachments
        r"|unsafe (?:content|attachment|file)s?\b"
        # localised notices
        r"|vi rút|virút|вирус|病毒|ウイルス|바이러스"
        # realmta round 10: the same without diacritics, as ASCII-only replies write Vietnamese (clamav-milter's
        # RejectMsg takes printable ASCII only)
        r"|\bma doc\b|\bvi rut\b"
    ),
    "policyviolation": (
        # a refusal made under a policy, or a policy said to be violated, one word family (documented set 17): "Denied
        # by policy", "Policy violation", "rejected by organization policy", "not accepted for policy reasons", "Rejected
        # due to local policy"
        r"(?:(?:denied|rejected|refused|blocked|bounced|prohibited|not (?:accepted|allowed|permitted))\b[^.\n]{0,20}?"
        r"\b(?:by|due to|because of|per|under|for|against) (?:\S+ ){0,3}?polic(?:y|ies)\b"
        r"|polic(?:y|ies) violat(?:ion|ed)\b|violat(?:es|ed|ion of|ing) (?:\S+ ){0,4}?polic(?:y|ies)\b)"
        r"|illegal attachment|not accepting mail with |members-only list|closed mailing list"
        r"|accepts? (?:e-?mail|mail|messages) only from|only accepts? (?:e-?mail|mail|messages) from"
        r"|restricted to (?:internal|authenticated|authorized) senders|chỉ (?:nhận|chấp nhận) thư"
        r"|for policy reasons|due to security policies|header are not accepted|header error"
        r"|organizational settings|given low priority|due to local policy|messages with multiple addresses"
        r"|protocol violation|not subscribed to this group|by organization policy|content presents a potential"
        r"|containing images or other attachments|mass mailer|without solving a captcha"
        r"|vi phạm chính sách|theo chính sách (?:của|bảo mật)"
        # realmta round 16: a breach of the receiving organisation's rules or regulations, in Vietnamese's other words
        # for them than "chính sách" (quy chế, quy định, nội quy, điều khoản, quy tắc), with diacritics or without
        r"|vi phạm (?:các |những )?(?:quy chế|quy định|nội quy|điều khoản|quy tắc)"
        r"|\bvi pham (?:cac |nhung )?(?:quy che|quy dinh|noi quy|dieu khoan|quy tac)\b"
        # realmta round 17: a message that does not comply with, follow or observe the organisation's policy or rules
        # ("không tuân thủ chính sách ..."), in Vietnamese with diacritics or without: the policy breached, whatever
        # the policy is about (information security, "an toàn thông tin", is its subject, not the refusal's cause)
        r"|không (?:tuân thủ|tuân theo|chấp hành) (?:đúng )?(?:các |những )?(?:chính sách|quy chế|quy định|nội quy|điều khoản|quy tắc)"
        r"|\bkhong (?:tuan thu|tuan theo|chap hanh) (?:dung )?(?:cac |nhung )?(?:chinh sach|quy che|quy dinh|noi quy|dieu khoan|quy tac)\b"
        # and in English (after round 17's held-out figure: "it does not comply with the organisation's e-mail policy"),
        # a policy or rules of the receiver's, not an RFC (a standard not followed is notcompliantrfc)
        r"|\b(?:does not|doesn't|do not|did not|fails? to) (?:comply with|conform to|adhere to|observe) (?:the |our |this |its |their "
        r"|your )?(?:[\w'-]+ ){0,3}(?:polic(?:y|ies)|rules|regulations)\b"
        # documented set 3
        r"|not (?:in|on) (?:the |this )?(?:group's |list's )?allowed[- ]senders?\b"
        r"|(?:bounced|rejected|refused|blocked|denied) (?:due to|because of|by) (?:the |an? |our |your )?(?:(?:content|attachment|message|mail|e-?mail|organi[sz]ation(?:al)?|company|corporate|compliance|transport|data loss prevention|dlp|examination|inspection|filtering|security|delivery)[ -]){1,3}polic(?:y|ies)"
        # documented set 6: an anti-spoofing policy, a recipient's delivery restrictions (accepts only certain
        # senders), a ban on forwarding mail outside the organisation
        r"|anti-?spoofing polic(?:y|ies)|delivery restriction|(?:external|automatic) (?:e-?mail |mail )?forwarding"
        # realmta round 7: a file type or extension the receiving side does not take, said as an adjective
        # ("Message contains disallowed file extension (exe)", Haraka's attachment plugin); mail from outside
        # the organisation refused by the recipient's address ("không nhận thư từ bên ngoài đơn vị")
        r"|(?:disallowed|prohibited|forbidden|unacceptable|not allowed) (?:file )?(?:extension|attachment|file type|content type)s?\b"
        r"|không (?:nhận|chấp nhận) thư (?:gửi )?từ bên ngoài|(?:external|outside) senders? (?:are |is )?not (?:allowed|permitted|accepted)"
        # realmta round 8: a refusal that names the receiving side's restrictions on content ("rejected due to
        # content restrictions"), its rules on what a message may hold, as "content policy" above does
        r"|(?:content|attachment|file type) restrictions?\b"
        # documented set 10: an attachment the receiving side does not want or has rules for ("contains an
        # unwanted binary attachment", Gmail's "review our attachment guidelines")
        r"|\bunwanted (?:\S+ )?attachments?\b|\battachment (?:guidelines|polic(?:y|ies)|rules)\b"
        # realmta round 10: a part banned by name or type (amavisd-new's BANNED category, "BANNED: <type>,<name>",
        # its notice's "banned name:"), in Vietnamese a banned attachment ("tệp đính kèm bị cấm")
        r"|\bbanned(?: (?:file ?)?names?| file(?: ?types?)?| attachments?| extensions?)?: "
        r"|tệp(?: tin)?(?: đính kèm)?[^.\n]{0,20}(?:bị cấm|không được phép)"
        # documented set 13: a refusal said to follow the receiving organisation's own policy ("Message rejected per
        # organizational policy"), as "by organization policy" above
        r"|\b(?:per|under|against) (?:the |our |an? |its |their )?(?:organi[sz]ation(?:al)?|company|corporate|site|local) polic(?:y|ies)\b"
        # documented set 15 (Sisimai's tables): a policy of the recipient's or sender's side that prohibits the
        # mail (Google Workspace's "has a policy that prohibited the mail that you sent"), a cap on messages that
        # share one Message-ID (Gmail's 4.7.28 "sending messages with the same Message-ID")
        r"|\bpolicy that (?:prohibit(?:s|ed)?|forbids?|forbade|disallows?|does not allow)\b|\bsame message-id\b"
        # documented set 16: a refusal under the sending or receiving organisation's rules in the languages Google and
        # Microsoft localise it into (pl "Odrzucono przez zasady", "Zgodnie z zasadami", ja "ポリシーにより", es
        # "rechazado por la política", pt "rejeitada pela política", fr "rejeté en raison de la politique", de
        # "aufgrund einer Richtlinie")
        r"|odrzucon[aoy]? (?:przez|z powodu|zgodnie z) (?:zasad|polityk|reguł)|zgodnie z (?:zasadami|polityką|regułami)\b"
        r"|ポリシーにより|ポリシーに違反|rechazad[oa] (?:por|debido a) (?:la |una )?política\b"
        r"|rejeitad[oa] (?:pela|por|devido à) política\b|rejeté (?:par|en raison de) la politique\b"
        r"|aufgrund (?:einer|der) richtlinie\b"
        # documented set 17: a refusal because of an attachment or what it holds ("email rejected due to content of
        # attachment", Hornetsecurity's 5.5.7), or by a rule of the receiving side's compliance or content filtering
        # ("Rejected by custom Compliance Filter Rule")
        r"|(?:rejected|refused|blocked|bounced|denied)\b[^.\n]{0,20}?\b(?:due to|because of) (?:the )?(?:content of (?:the |an? )?)?attachments?\b"
        r"|(?:compliance|content|transport|mail flow|dlp) (?:filter(?:ing)? )?rules?\b"
        # realmta round 15: the receiving organisation's acceptable use policy named, or its policy said to be breached,
        # contravened or infringed by the message, as "violates ... policy" above
        r"|\bacceptable use polic(?:y|ies)\b|\bbreach(?:es|ed|ing)? (?:\S+ ){0,4}?polic(?:y|ies)\b"
        r"|\bcontraven(?:es?|ed|ing) (?:\S+ ){0,4}?polic(?:y|ies)\b|\binfring(?:es?|ed|ing) (?:\S+ ){0,4}?polic(?:y|ies)\b"
    ),
    "systemerror": (
        # the receiving server's own failure, one word family (documented set 17, for the reasons the jackknife found
        # brittle): an internal or system error; a service, system or server (or its resources) unavailable or not
        # running; a file, queue, table or setting it could not load, open, read, write or create (Postfix's "Could
        # not load DRD", "can't create user output file"; Qsmtp's "error while writing mail to queue"); an error in
        # processing (RFC 5321's 451, with or without "local"); a temporary failure of its own delivery (Zimbra's
        # LMTP "Temporary message delivery failure")
        r"(?:internal (?:system |server |mail )?(?:error|failure|problem)|system error\b(?<!mail system error)"
        r"|(?:internal|system|server) resources? (?:are |is )?(?:temporarily )?(?:unavailable|not available)"
        r"|(?:service|system|server)s? (?:is |are )?(?:currently |temporarily )?(?:unavailable|not available|not active|not running)\b"
        r"|(?:could not|couldn'?t|unable to|failed to|cannot|can'?t) (?:load|open|read|write|create|lock|initiali[sz]e|allocate) "
        r"(?:(?:the|a|an|its|user|queue|spool|temporary|output|message|mail) )*(?:drd|config\w*|settings|queue|spool|files?"
        r"|director(?:y|ies)|database|lock|memory|output|table|map)\b"
        r"|error (?:while |when )?(?:writing|reading|loading|opening|creating|locking) (?:\S+ ){0,3}?(?:queue|spool|file|disk|database)\b"
        r"|error in processing\b|temporary (?:message |mail )?delivery (?:failure|error|problem)\b)"
        r"|forwarding loop broken|interrupted system call|encountered an error while being processed|create a mail loop"
        r"|configuration error|loop was found|loops back to myself|queue file write error"
        r"|no mdb|misconfigured|system config error|temporary local problem"
        r"|timeout waiting for input|unable to connect .{0,40}daemon"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|local (?:error|problem)|i/o error|system (?:is )?(?:incorrectly|improperly) configured"
        # documented set 3
        r"|lỗi hệ thống|lỗi (?:nội bộ|máy chủ)|sự cố (?:hệ thống|máy chủ)"
        # the same without diacritics, as ASCII-only replies write Roundcube's vi_VN "internalerror" ("một lỗi nội
        # bộ") and "servererror" ("Lỗi máy chủ") and Zimbra's vi_VN im.internal_server_error ("lỗi trong máy chủ")
        r"|\bloi (?:he thong|noi bo|may chu)\b|\bloi trong may chu\b|\bsu co (?:he thong|may chu)\b"
        # brittle reasons, documented
        r"|transport (?:is )?unavailable"
        r"|configuration (?:problem|failure)|config(?:uration)? error|temporary (?:local|system|server|internal) (?:problem|failure|error)"
        # the receiving server or system turning mail away for now and naming no cause (a later test that
        # finds one, a block or spam, comes first): its own trouble
        r"|(?:server|system) (?:has )?temporar(?:y|ily) (?:rejected|refused|deferred|unable to (?:accept|process))"
        # documented set 6: a gateway under load ("unable to process connection at this time")
        r"|unable to process (?:the |your |this |an? )?(?:connection|command|request|e-?mail|message)s?\b"
        # documented set 7: the server's resources short for now ("resource limitations, please try later"),
        # a transaction that failed with no cause given (RFC 5321's 554), a service not running
        r"|resource (?:limitations?|shortage)|\btransaction (?:has )?failed\b"
        # documented set 9: the relay's own queue file unreadable (DragonFly Mail Agent's "corrupted queue file"),
        # a gateway's MTA failing for now (Hornetsecurity's "temporary failure in MTA")
        r"|\bcorrupt(?:ed)? (?:queue|spool) file\b|\btemporary failure in (?:the )?(?:mta|mail server|mail system)\b"
        # realmta round 13: the server's own settings forbid the delivery an alias asks for, to a command or a file
        # (Postfix local(8)'s "mail to command is restricted" under allow_mail_to_commands; Sendmail's "Cannot mail
        # directly to programs"): its configuration, nothing the sender did
        r"|\bmail to (?:commands?|programs?|files?) (?:is |are )?(?:restricted|not (?:permitted|allowed)|prohibited)\b"
        r"|\bcannot mail directly to (?:programs|files)\b"
        # documented sets 13 and 14: the receiving server unable to store the message it took (hMailServer's "Your
        # message was received but it could not be saved", CleverReach's "message could not be stored"); a full
        # disk or quota named with it reads as such first
        r"|\bcould not be (?:saved|stored|written)\b|\b(?:cannot|can'?t|unable to|failed to) (?:save|store|write) (?:the |your |this )?(?:message|mail|e-?mail)\b"
        # documented set 15 (Sisimai's tables): the recipient domain's DNS said to break the DNS standard (Courier's
        # "This domain's DNS violates RFC 1035"): the far side's configuration, not our message
        r"|\bdns violates rfc\b"
        # documented set 16: a service, server or system unavailable for now in Vietnamese ("dịch vụ tạm thời không có
        # sẵn", Zimbra's vi_VN strings), with diacritics or without, and a temporary system problem in the Japanese
        # and Chinese of Google's error pages ("システムの一時的な問題", "临时系统问题", "系統暫時發生問題")
        r"|(?:dịch vụ|máy chủ|hệ thống)[^.\n]{0,10}tạm thời không (?:có sẵn|sẵn sàng|khả dụng|hoạt động)"
        r"|(?:dich vu|may chu|he thong)\b[^.\n]{0,10}\btam thoi khong (?:co san|san sang|kha dung|hoat dong)\b"
        r"|システム[^。\n]{0,4}一時的な(?:問題|障害|エラー)|一時的な(?:システム|サーバー?)(?:の)?(?:問題|障害)"
        r"|(?:临时|暂时|暫時|臨時)(?:的)?(?:系统|系統)(?:问题|問題)|(?:系统|系統)(?:暂时|暫時)(?:发生|發生)?(?:问题|問題)"
        # realmta round 12: the destination's MX names the sending host itself, Exim's words for what Postfix calls
        # "loops back to myself" ("lowest numbered MX record points to local host"): the relay's own routing
        r"|\bpoints to (?:the )?local ?host\b"
        # documented set 19: a server busy or in temporary trouble as Microsoft's help translates it (vi "hệ phục vụ bận",
        # "lỗi máy chủ tạm thời", unaccented too; fr "erreur de serveur temporaire"); English "server busy" is left to
        # the words beside it (a block's "connection refused", "access denied" in the same reply)
        r"|(?:hệ phục vụ|máy chủ|server) (?:đang )?bận|(?:he phuc vu|may chu) (?:dang )?ban\b"
        r"|lỗi máy chủ tạm thời|loi may chu tam thoi\b|\berreur (?:de |du )?serveur temporaire\b|\berreur temporaire (?:de |du )?serveur\b"
        # documented set 28: the receiving system overloaded, in Vietnamese ("hệ thống đang quá tải"), with diacritics or
        # without: its own resources short for now, as "resource limitations" (its maintenance is the lexicon's: a
        # 4.3.2 retried until the relay gave up, "down for maintenance", stays expired, realmta round 3)
        r"|(?:hệ thống|máy chủ|dịch vụ|server)[^.\n]{0,30}(?:đang |bị )?quá tải"
        r"|(?:he thong|may chu|dich vu|server)\b[^.\n]{0,30}\b(?:dang |bi )?qua tai\b"
    ),
    "networkerror": (
        r"could not connect and send|destination computer could not be found|hop count exceeded"
        r"|host is unreachable|host name lookup failure|host not found, try again|forwarding loop for"
        r"|malformed (?:or unexpected )?name server reply|loop count exceeded|message looping|routing loop"
        r"|no route to host|too many hops|unable to resolve route|unrouteable mail domain"
        # realmta round 13: aliases that lead back to themselves, named by the table that looped (Postfix local(8)'s
        # "alias database loop for", a forwarded notice's only words for its 5.4.6)
        r"|\balias (?:database|table|map|file|expansion) loop\b"
        # documented set 8: the connection lost ("mất kết nối với"), or the far host never answering a connection
        # attempt (Windows' WSAETIMEDOUT words, as Windows mail servers quote them)
        r"|mất kết nối (?:với|tới|đến)|connected (?:party|host) (?:did not (?:properly )?respond|has failed to respond)"
        # documented set 9: a DNS lookup that never finished (Exim's "host lookup did not complete"), the remote
        # end's reply lost (Sendmail's "reply: read error from", qmail's "connected to ... but connection died"),
        # a gateway's loop check (Hornetsecurity's "loop detection")
        r"|\bhost lookup did not complete\b|\breply: read error\b|\bbut connection died\b|\bloop detect(?:ed|ion)\b"
        # documented set 10: a hop count said the other way round ("Exceeded hop count", Gordano), a connection to
        # the recipient's server that failed, in Vietnamese ("Kết nối với x [ip]: ... thất bại", unaccented too)
        r"|\bexceeded (?:the )?(?:maximum )?hop count\b"
        r"|\b(?:kết nối|ket noi)\b[^.\n]{0,60}\b(?:thất bại|không thành công|that bai|khong thanh cong)\b"
        # documented set 14: a temporary failure looking the destination up (Apache James's "Temporary problem looking
        # up mail server for host", the resolver's "temporary failure in name resolution")
        r"|\btemporary (?:problem|failure|error)s? (?:in |while |when |with )?(?:looking up|name resolution|resolving|(?:the )?dns (?:lookup|query|resolution))\b"
        # documented set 16: too many hops between servers in Vietnamese ("quá nhiều chặng giữa các máy chủ", Zimbra's
        # vi_VN strings), and a client that could not connect to its server ("không thể kết nối máy chủ SMTP",
        # PHPMailer's), with diacritics or without
        r"|quá nhiều chặng|qua nhieu chang\b|không thể kết nối (?:tới |với |đến )?(?:máy chủ|server|host)"
        r"|khong the ket noi (?:toi |voi |den )?(?:may chu|server|host)\b"
        # a hop count exceeded as Microsoft's vi-VN page for NDR 5.4.6-5.4.20 words it ("vượt quá số bước nhảy"), with
        # diacritics or without
        r"|(?:vượt quá|quá nhiều|vuot qua|qua nhieu) (?:số )?(?:bước nhảy|so buoc nhay|buoc nhay)"
        # documented set 18: a connection error or a connection lost in Vietnamese ("lỗi kết nối", Roundcube's and
        # PHPMailer's; "mất kết nối", Zing Mail's, unaccented), a client that could not connect in the passive ("không
        # kết nối được đến máy chủ"), and Khmer's "cannot connect" ("មិនអាចភ្ជាប់", Roundcube's km_KH)
        r"|lỗi kết nối\b|loi ket noi\b|mat ket noi (?:voi|toi|den)\b|không kết nối được (?:đến|tới|với) (?:máy chủ|server)"
        r"|khong ket noi duoc (?:den|toi|voi) (?:may chu|server)\b|មិនអាចភ្ជាប់"
        # documented set 19: a connection to the server lost mid-transaction as mail clients translate it (Thunderbird's
        # smtpSendInterrupted: vi "kết nối ... bị mất", unaccented too; ms "hilang sambungan"; ru "соединение ...
        # утеряно"), a connection that failed to be made (ms "gagal disambungkan")
        r"|kết nối(?:[^.\n]|\.(?=\S)){0,60}bị (?:mất|ngắt|gián đoạn)|ket noi\b(?:[^.\n]|\.(?=\S)){0,60}\bbi (?:mat|ngat|gian doan)\b"
        r"|\bhilang sambungan\b|\bgagal (?:disambungkan|menyambung)\b|соединение(?:[^.\n]|\.(?=\S)){0,60}(?:утеряно|потеряно|разорвано)"
        r"|\bconnection (?:to (?:[^.\n]|\.(?=\S)){0,60})?(?:was |has been )?lost\b"
        # documented set 28: a message looping between servers, or too many relay steps, in Vietnamese ("thư bị lặp
        # vòng", "vòng lặp thư", "quá nhiều bước chuyển"), with diacritics or without
        r"|lặp vòng|vòng lặp (?:thư|chuyển tiếp|gửi)|quá nhiều bước|\blap vong\b|\bvong lap (?:thu|chuyen tiep|gui)\b"
        r"|\bqua nhieu buoc\b"
    ),
    "systemfull": (
        r"mail system full|exceeded storage allocation|insufficient system (?:storage|resources)"
        # documented set 9: the receiving host's disk full (qmail's "qq write error or disk full")
        r"|\bdisk (?:is )?full\b"
        # realmta round 11b: the file system that holds the mailbox has no room (ENOSPC in a delivery program's
        # words: procmail's "No space left to finish writing"; "no space left on device" is read as the
        # mailbox's, mailboxfull, which is tried first)
        r"|no space left\b"
        # documented set 17 kept set 14's Cyrus row ("cannot create file: out of space", IMAP_NOSPACE) read as such
        # when the server's own failure to create a file became a family of its own: the space is why
        r"|\bout of space\b"
    ),
    "notaccept": (
        r"does not accept mail|mail receiving disabled|name server: \.: host not found|no mx record found"
        r"|no route for current request|smtp protocol returned a permanent error"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|(?:does not|doesn'?t) accept (?:any )?e-?mail|has (?:a )?null mx"
        # a domain that publishes no mail service, one word family: a null MX or none, no SMTP service
        r"|(?:(?:null ?|no )mx\b|indicated no smtp service|no smtp service)|not accepting network messages"
        # documented set 15 (Sisimai's tables): a hosted domain that has no mail service enabled (Exchange Online's
        # 4.4.4 "hosted tenant which has no mail-enabled subscriptions")
        r"|\bno mail-enabled (?:subscriptions?|recipients?|users?)\b"
    ),
    "expired": (
        r"connection timed out|could not find a gateway|delivery attempts will continue|delivery (?:time )?expired"
        r"|failed to deliver to domain |giving up on|failing for a long time|has been delayed|not been collected"
        r"|message expired|message timed out|retry time not reached|server did not respond|in the queue too long"
        r"|after multiple retries|within the allowed queue period|could not be delivered for .{0,20}days"
        r"|retry timeout exceeded|all hosts have been failing|could not deliver for (?:the last|more than)"
        r"|did not accept our requests to connect|could not be delivered for more than"
        r"|quá thời gian (?:chờ|cho phép)|hết thời gian (?:chờ|gửi)"
        # Postfix's words for a destination it stopped trying after repeated failures, in a final notice
        r"|delivery temporarily suspended"
        # realmta round 7: every host of the destination tried and failed, said by the relay that gave up (Haraka's
        # "Tried all MXs", as Exim's "all hosts have been failing")
        r"|tried all (?:the )?(?:mxs?|mx (?:hosts|records|servers)|mail exchangers|hosts)\b"
        # how long the MTA kept trying ("could not deliver for the last 432000 seconds", "aborted after 5 hours")
        r"|(?:deliver\w*|aborted|tried|trying|retried|retrying|queued?)\b[^.\n]{0,20}\b(?:for|after|within) (?:the last |more than )?"
        r"\d+(?:\.\d+)? ?(?:more )?(?:second|minute|hour|day)s?"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|delivery (?:has )?timed out|(?:envelope|delivery) (?:has )?expired|queue (?:lifetime|time) (?:exceeded|expired)|too long in (?:the )?queue|could not be delivered within|retry (?:time|period|limit) (?:exceeded|expired)"
        # localised notices (the time allowed for delivery ran out; a message too long in the queue)
        r"|hết thời hạn (?:chuyển|gửi|giao)|hàng đợi quá lâu|quá lâu trong hàng đợi|délai (?:de remise )?(?:a )?expiré"
        r"|message expiré|mensaje (?:ha )?caducado|mensagem expirou|zustellfrist[^.\n]{0,20}abgelaufen"
        # documented set 15 (Sisimai's tables): the session's own time run out (Gmail's "Connection expired, try
        # reconnecting", "Timeout - closing connection")
        r"|\bconnection (?:has )?expired\b|\btimeout\W{1,3}closing (?:the )?(?:connection|channel)\b"
        # documented set 16: the same in Chinese (Google's "超时 – 正在断开连接"), and the time allowed run out without
        # diacritics ("het thoi han chuyen thu", GoDaddy's Vietnamese help)
        r"|(?:超时|超時|逾時)[^。\n]{0,6}(?:断开|斷開|关闭|關閉)|het thoi (?:gian|han) (?:cho|gui|chuyen|giao)\b"
        r"|qua thoi gian (?:cho|cho phep)\b"
        # documented set 18: a connection that ran out of time ("kết nối bị vượt quá thời gian", Bitrix's vi strings),
        # with diacritics or without
        r"|kết nối[^.\n]{0,20}(?:vượt quá|quá|hết) thời gian|ket noi\b[^.\n]{0,20}\b(?:vuot qua|qua|het) thoi gian\b"
        # held-out hard/soft set 2: every attempt the relay makes said to have failed, or the most it makes reached
        # (SmarterMail's "Failed all attempts to connect to the recipients mail server", "Failed four attempts"):
        # it gave up, whatever the last try's fault was
        r"|\bfailed all (?:of (?:the|its) )?(?:delivery |connection |send(?:ing)? )?attempts\b"
        r"|\bfailed (?:\d+|two|three|four|five|six|several|multiple|repeated) (?:(?:delivery|connection|send(?:ing)?) attempts\b"
        r"|attempts to (?:connect|deliver|send)\b)"
        # (documented set 29: "multiple delivery attempts failed", 1&1's, says the same of more than one)
        r"|\b(?:all|multiple|several|repeated) (?:delivery |connection )?attempts (?:have |had )?failed\b"
        r"|\bmaximum (?:number of )?(?:delivery |connection |send )?(?:attempts|retries) (?:has been |have been |was |were )?(?:reached|exceeded)\b"
        # documented set 19: a connection to the server that ran out of time as mail clients translate it (Thunderbird's
        # smtpSendTimeout: it "connessione ... è scaduta", tr "bağlantı zaman aşımına uğradı", ms "sambungan ... tamat
        # tempoh", ja "接続がタイムアウト", ko "연결 시간이 초과", zh "連線逾時"), and in English
        r"|\bconnessione\b(?:[^.\n]|\.(?=\S)){0,60}\bscadut[ao]\b|bağlantı zaman aşım|\bsambungan\b(?:[^.\n]|\.(?=\S)){0,60}\btamat tempoh\b"
        r"|接続(?:が)?タイムアウト|연결 시간(?:이)? 초과|(?:連線|连接|連接)(?:逾時|超时|超時)"
        r"|\bconnection (?:to (?:[^.\n]|\.(?=\S)){0,60})?(?:has )?timed out\b"
    ),
    "failedstarttls": (
        r"starttls is required|tls required but not supported|must issue a starttls|does not support (?:starttls|tls)"
        r"|tls is required, but|(?:starttls|tls) (?:was |is )?not (?:offered|advertised)"
        # realmta round 3: the server's certificate failed the check a mandatory TLS policy makes (Postfix
        # smtp_tls_security_level verify / secure)
        r"|server certificate not (?:verified|trusted)|certificate verification failed|tls (?:handshake|negotiation) failed"
        # realmta round 12: a TLS session the sender's mandatory policy could not set up at all (Postfix's "Cannot
        # start TLS: handshake failure", a protocol version or cipher the two ends do not share)
        r"|\bcannot start tls\b"
        # documented set 15 (Sisimai's tables): TLS required for the recipient's domain, mail not sent over TLS
        # (Gmail's "TLS required for RCPT domain", "wasn't sent over a TLS connection"), a destination failing
        # MTA-STS or DANE checks (Exchange Online's 4.4.8 "failed MTA-STS validation")
        r"|\btls (?:is )?required for (?:the )?(?:rcpt|recipient|destination) (?:domain|address)"
        r"|(?<=not |n't )sent over (?:an? )?(?:tls|secure|encrypted) connection|\btls/ssl for smtp connections?"
        r"|(?<=failed )(?:mta-sts|dane|tlsa) (?:validation|checks?)\b"
        # documented set 16: TLS said required, in the Chinese and Japanese of Google's 421 4.7.0 ("RCPT 網域需要使用
        # TLS", "RCPT ドメインには TLS が必要です")
        r"|(?:需要|必须|必須) ?(?:使用 ?)?tls\b|tls ?(?:が必要|が必須|가 필요)"
    ),
    "securityerror": (
        r"account not subscribed to ses|authentication (?:credentials invalid|failure|required|turned on)"
        r"|executable files are not allowed|insecure mail relay|recipient address rejected: access denied"
        r"|you don't authenticate|unauthenticated senders|verification failure|not authorized to send mail"
        r"|authentication failed; server|authentification (?:invalide|requise)|is a dead domain"
        r"|not authorized to perform ses"
        # documented set 3
        r"|requires? (?:an? )?(?:encryption|encrypted (?:connection|channel)|secure connection)|encryption (?:is )?required"
        r"|(?:smtp )?authentication (?:is )?(?:required|needed|mandatory)|must (?:first )?authenticate|requires? (?:smtp )?auth(?:entication)?\b"
        # brittle reasons, documented
        r"|authentication (?:is )?(?:required|unsuccessful|failed)|(?:client|sender|user|you) (?:was |were |are |is )?not authenticated"
        r"|must (?:first )?authenticate|unauthenticated (?:senders?|users?|clients?|sessions?)"
        # documented set 6: credentials refused (Exim's "incorrect authentication data"), a client told to turn
        # on SMTP AUTH, a TLS version below what the route requires
        r"|(?:incorrect|invalid|wrong|bad) (?:authentication|auth|login) (?:data|credentials|information)"
        r"|(?:turn on|enable) (?:smtp |sasl )?auth(?:entication)?\b|tls version"
        # documented set 9: the relay's own SMTP login refused (DragonFly Mail Agent's "SMTP login to x failed"),
        # a server that cannot authenticate for now (Exim's "435 Unable to authenticate at present")
        r"|\bsmtp (?:login|auth(?:entication)?)\b(?:[^.\n]|\.(?=\S)){0,60}\bfailed\b|\bunable to authenticate\b"
        # documented set 13: a client throttled for its failed logins ("Too many auth failures", OCI Email Delivery)
        r"|\btoo many (?:failed )?(?:auth(?:entication)?|login|sasl) (?:failures|errors|attempts)\b"
        # documented set 16: authentication that failed or could not be done, in Vietnamese ("xác thực thất bại",
        # Roundcube's; "không thể xác thực", PHPMailer's), and a sender not allowed to send at all ("bạn không được phép
        # gửi email", Zimbra's; not "... to" someone), with diacritics or without
        r"|xác thực (?:thất bại|không thành công)|không thể xác thực|lỗi xác thực"
        r"|xac thuc (?:that bai|khong thanh cong)\b|khong the xac thuc\b|loi xac thuc\b"
        r"|không được phép gửi (?:email|e-mail|thư)\b(?! (?:đến|tới|cho))|khong duoc phep gui (?:email|e-mail|thu)\b(?! (?:den|toi|cho))"
        # documented set 18: SMTP said to need a user name and password, a login that could not be confirmed
        # (CodeIgniter's Vietnamese strings: "phải có Tên đăng nhập và Mật khẩu", "Lỗi khi xác nhận Đăng nhập"),
        # authentication required (Zimbra's "yêu cầu xác thực"), with diacritics or without
        r"|phải có tên đăng nhập|yêu cầu (?:xác thực|đăng nhập)|(?:xác nhận|xác thực) đăng nhập"
        r"|đăng nhập (?:smtp )?(?:thất bại|không thành công)|phai co ten dang nhap\b|yeu cau (?:xac thuc|dang nhap)\b"
        r"|(?:xac nhan|xac thuc) dang nhap\b|dang nhap (?:smtp )?(?:that bai|khong thanh cong)\b"
        # documented set 19: a login to the sending server that failed as mail clients translate it (Thunderbird's
        # smtpAuthFailure: ru "не удалось аутентифицироваться", cs "autentizace ... se nezdařila", it "autenticazione non
        # riuscita", tr "kimlik doğrulanamadı", ko "인증에 실패")
        r"|не удалось (?:аутентифицироваться|пройти аутентификацию)|\bautentizace\b(?:[^.\n]|\.(?=\S)){0,40}nezdařil"
        r"|\bautenticazione non riuscita\b|kimlik doğrulan(?:amadı|ması başarısız)|인증에 실패"
    ),
    "mailererror": (
        r"\|\| exit |command failed: |command died with status|command output:"
        r"|pipe to \||x-unix; |unknown mail system error"
        # the local delivery agent named as what failed, one word family: a mailer that erred or exited, or
        # a delivery program by name (procmail, maildrop, dovecot-lda)
        r"|procmail|maildrop|(?:procmail|maildrop|dovecot-lda):"
        r"|(?:\bmailer\b|procmail|maildrop|dovecot-lda)[^.\n]{0,60}?\b(?:error|failed|failure|died|exited|unable|cannot|couldn)\b"
        # documented by mail servers and providers (RFC 3463, MTA manuals, providers' error pages)
        r"|child process of \S+ transport returned|unknown mailer|(?:pipe|program) (?:died|exited|returned|failed)"
        r"|command (?:died with|time limit exceeded|exited with)|local mailer [^\n]{0,80}exited with"
        r"|\bex_(?:unavailable|software|tempfail|oserr|osfile|ioerr|noperm|cantcreat|config|usage|dataerr|noinput|nouser|nohost|protocol)\b"
        # realmta round 4: a shell's own error about the delivery command it was given (an mda or pipe
        # command that cannot run: "/bin/sh: 1: /usr/lib/x/mail.mda: not found")
        r"|/bin/(?:ba|da)?sh: |\bsh: \d+: "
        # realmta round 11a: a delivery command's non-zero exit status as the whole diagnostic (chasquid's pipe
        # alias: "exit status 1")
        r"|\bexit status [1-9]\d*\b"
    ),
    "vacation": r"out of (?:the )?office|on vacation|auto(?:matic)?[- ]?reply|trả lời tự động",
}

# Phrases whose meaning no status code or SMTP command changes: Exchange / Office 365 directory misses,
# and Vietnamese notices that say outright the address does not exist.
DECISIVE = (
    (
        "userunknown",
        re.compile(
            r"resolver\.adr\.recipient ?notfound|recipient not found by smtp address lookup"
            r"|returned unknown recipient or mailbox unavailable|recipient address rejected: access denied"
            r"|(?<!miền )(?<!miền của )(?:địa chỉ|người nhận|hộp thư|tài khoản)(?! (?:của )?người gửi)[^.\n]{0,40}không (?:còn )?tồn tại"
            r"|\S wasn't found at \S"  # Exchange / Office 365's own words for RecipientNotFound
            # documented set 28: a relay's own word that the address itself could not be found (Gmail's "Address not
            # found": "... because the address couldn't be found, or is unable to receive mail"; "không tìm thấy địa
            # chỉ ... hoặc" in its Vietnamese), not a host or a domain ("the domain ... couldn't be found" is the host's;
            # the heading "Không tìm thấy địa chỉ:" stands over both)
            r"|\bthe (?:e-?mail |recipient'?s? )?address (?:couldn't|could not|can't|cannot) be found\b"
            r"|không tìm thấy địa chỉ(?: (?:người nhận|email|e-mail|thư))?(?=[,.;]| hoặc)"
            r"|\bkhong tim thay dia chi(?: (?:nguoi nhan|email|e-mail|thu))?(?=[,.;]| hoac)"
            # documented set 18: Exchange Online's 5.4.1 "Recipient address rejected: Access denied" as providers
            # translate it (GoDaddy's id, Microsoft's vi, pl)
            r"|(?:alamat penerima|địa chỉ người nhận|adres odbiorcy)[^.\n]{0,10}(?:ditolak|bị từ chối|odrzucony)\W{1,3}"
            r"(?:akses ditolak|truy cập bị từ chối|quyền truy cập bị từ chối|odmowa dostępu)"
        ),
    ),
    # documented set 13: an ESP's suppression list, kept of addresses that bounced as invalid before (Amazon SES's
    # "has suppressed sending to this address", Mailgun's "Not delivering to previously bounced address",
    # SparkPost's "recipient address was suppressed"): the address's own record, whatever status or filter
    # words come with it
    (
        "userunknown",
        re.compile(
            r"\bpreviously bounced (?:e-?mail |recipient )?address|\bsuppressed sending to this address\b"
            r"|\b(?:recipient|e-?mail) address (?:was |is |has been )?suppressed\b"
            r"|\baddress (?:is )?on (?:the |your |our |an? )?(?:account'?s? )?suppression list\b"
        ),
    ),
    # documented set 13: a relay's own word that the message's time in its queue ran out ("Message expired:
    # unable to deliver in 840 minutes", Momentum's "message timeout (last transfail: ...)"): it expired, whatever
    # the last try's error it quotes (no MX, a refusal) says
    (
        "expired",
        re.compile(
            r"\bmessage expired\b|\bmessage has expired\b|\bmessage timeout\b|\bmessage timed out\b"
            r"|\bunable to deliver in \d"
        ),
    ),
    # localised notices
    ("userunknown", re.compile(_LOCALISED_NOT_FOUND)),
    # documented set 8: the address's own syntax said wrong, in Vietnamese ("cú pháp người dùng không đúng"):
    # the address can never be delivered to, whatever command it answered
    (
        "userunknown",
        re.compile(
            r"cú pháp (?:địa chỉ|người dùng|người nhận)[^.\n]{0,20}(?:không đúng|sai|không hợp lệ)"
            # documented set 18: the recipient's address said to hold invalid characters (Zing Mail's "Địa chỉ người nhận
            # không đúng vì chứa ký tự không hợp lệ"), with diacritics or without: its syntax, as above
            r"|(?:địa chỉ|người nhận)(?! (?:của )?người gửi)[^.\n]{0,40}(?:chứa|có) (?:các |những )?ký tự không hợp lệ"
            r"|(?:dia chi|nguoi nhan)\b(?! (?:cua )?nguoi gui)[^.\n]{0,40}\b(?:chua|co) (?:cac |nhung )?ky tu khong hop le\b"
        ),
    ),
    # documented set 3: a limit on the sending host's connections, whatever rate words come with it
    # (Sendmail's ratecontrol, Postfix's anvil); a scanner's verdict naming what it found in the message
    # (amavis "INFECTED: <name>"), whatever its reject prefix says
    ("toomanyconn", re.compile(r"connection rate limit")),
    ("virusdetected", re.compile(r"\b(?:infected: |virus: )[^\s,;]")),
    # a gateway's inbound flow for a whole account or domain switched off (Mimecast's "account inbounds
    # disabled", "inbound mail for this domain is turned off"): the domain takes no mail; where a mailbox,
    # user or recipient is what is disabled, it is that one mailbox's suspension
    (
        "notaccept",
        re.compile(r"\binbounds?\b(?:(?!mailbox|user|recipient)[^.\n]){0,40}?\b(?:disabled|turned off)\b"),
    ),
    # realmta round 3: a refused HELO/EHLO names the sending host, whatever lookup words follow ("Helo command
    # rejected: Host not found" is our HELO name not resolving, not the recipient's domain)
    ("blocked", re.compile(r"\b(?:helo|ehlo) command rejected\b")),
    # realmta round 5: attachments of a type the receiving side does not take ("attachments of type .exe are
    # not accepted"): its policy on file types, not a scanner's finding, unless a virus is named
    (
        "policyviolation",
        re.compile(
            r"\battachments?\b(?:(?!virus|infect|malware)[^\n]){0,40}?\b(?:are|is) not (?:accepted|allowed|permitted)\b"
            # realmta round 8: the same said of the attachment's type without a verb ("attachment type not
            # allowed", "attachment extension not permitted")
            r"|\battachments?(?: file)? (?:types?|extensions?) not (?:accepted|allowed|permitted)\b"
            # documented set 12: a file type or extension the receiving side lists as risky or banned ("Blacklisted
            # high risk file extension detected"): its attachment policy, not a block of the sending host
            r"|\b(?:high[- ]risk|dangerous|black ?listed|banned|forbidden|prohibited|disallowed) (?:\S+ ){0,2}(?:file extension|file type)s?\b"
        ),
    ),
)

DECISIVE_KEYS = (
    "previously bounced",
    "suppressed sending",
    "suppressed",
    "suppression list",
    "message expired",
    "message has expired",
    "message timeout",
    "message timed out",
    "unable to deliver in",
    "notfound",
    "address lookup",
    "mailbox unavailable",
    "access denied",
    "không tồn tại",
    "không còn tồn tại",
    "cú pháp",
    "wasn't found at",
    "be found",
    "không tìm thấy địa chỉ",
    "khong tim thay dia chi",
    "connection rate limit",
    "infected: ",
    "virus: ",
    "inbound",
    "command rejected",
    "attachment",
    "file extension",
    "file type",
    # localised notices: a word of each of _LOCALISED_NOT_FOUND's branches
    "tồn tại",
    "tìm thấy",
    "existe",
    "introuvable",
    "inconnu",
    "gefunden",
    "existiert",
    "encontr",
    "não",
    "trovare",
    "non esiste",
    "trovato",
    "не ",
    "見つかりません",
    "存在しません",
    "찾을 수 없",
    "존재하지 않",
    "odnaleźć",
    "nie znaleziono",
    "nie istnieje",
    "niet gevonden",
    "bestaat niet",
    "bulunamadı",
    "mevcut değil",
    "ditemukan",
    "ไม่พบ",
    # documented set 16: the Vietnamese branches' words without diacritics, and a user unknown or an invalid address
    "ton tai",
    "tim thay",
    "khong biet",
    "khong xac dinh",
    "không biết",
    "không xác định",
    "không rõ",
    "không hợp lệ",
    # documented set 18: Exchange's 5.4.1 localised, invalid characters in the address, Indonesian "tidak ada"
    "akses ditolak",
    "truy cập bị từ chối",
    "odmowa dostępu",
    "ký tự",
    "ky tu",
    "tidak ada",
    "tidak dikenal",
    # documented set 28: no account (mailbox, user) for the address
    "không có ",
    "khong co ",
)

NOT_REJECTED = re.compile(r"recipient address rejected|sender ip address rejected|5\.1\.0 address rejected")
