"""The concept lexicon (maildaemon/core/replies/lexicon.py): reasons read from concepts that occur together in a
sentence of a localised text, worded unlike any documented set's rows, and never over other evidence."""

from __future__ import annotations

import pytest

from maildaemon.core.replies.decide import decide_text
from maildaemon.core.replies.lexicon import concept_reason, fold, wanted


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hòm thư của bạn nhận đã đầy, xin thử lại sau", "mailboxfull"),
        ("hom thu cua ban nhan da day roi", "mailboxfull"),
        ("Người dùng này không tồn tại trên hệ thống", "userunknown"),
        ("nguoi dung nay khong ton tai tren he thong", "userunknown"),
        ("Tên miền đích không xác định", "hostunknown"),
        ("Tài khoản đã bị đình chỉ", "suspend"),
        ("Kết nối đến máy đích thất bại", "networkerror"),
        ("收件人的邮箱空间不足", "mailboxfull"),
        ("該用戶不存在", "userunknown"),
        ("このアカウントは停止されています", "suspend"),
        ("첨부 파일 크기가 제한을 초과했습니다", "mesgtoobig"),
        ("กล่องจดหมายของผู้รับเต็มแล้ว", "mailboxfull"),
        ("Akun penerima telah dinonaktifkan", "suspend"),
        ("Почтовый ящик адресата переполнен", "mailboxfull"),
        ("Das Konto des Empfängers wurde deaktiviert", "suspend"),
        ("Le domaine de destination est introuvable", "hostunknown"),
        ("El buzón de destino está lleno", "mailboxfull"),
        ("A caixa de correio do destinatário está cheia", "mailboxfull"),
        ("Il messaggio contiene un virus", "virusdetected"),
        ("Skrzynka odbiorcy jest pełna", "mailboxfull"),
        ("Alıcının posta kutusu dolu", "mailboxfull"),
        ("Schránka příjemce je plná", "mailboxfull"),
        ("صندوق البريد ممتلئ", "mailboxfull"),
        ("Ihre IP wurde wegen Spam gesperrt", "blocked"),
        ("Ошибка аутентификации: неверный пароль", "securityerror"),
        ("La connexion a expiré (délai dépassé)", "expired"),
        ("Demasiados destinatarios en un solo mensaje", "toomanyconn"),
        # set 21's tuning, worded otherwise: a rate is how often, the sender refused, Italian's mailbox,
        # Japanese's "mail size"
        ("对方服务器限制了接收频率", "speeding"),
        ("Thư bị từ chối vì người gửi nằm ngoài danh sách cho phép", "rejected"),
        ("La cassetta postale è piena", "mailboxfull"),
        ("メール容量が上限を超えています", "mesgtoobig"),
    ],
)
def test_concepts_together_name_the_reason(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


def test_an_ip_called_a_source_of_spam_in_vietnamese_is_a_block() -> None:
    assert decide_text("", "Máy chủ từ chối: IP 192.0.2.7 bị xem là nguồn thư rác") == "blocked"
    assert decide_text("", "May chu tu choi: IP 192.0.2.7 bi xem la nguon thu rac") == "blocked"


def test_one_concept_alone_names_nothing() -> None:
    assert concept_reason("hộp thư của người nhận") == ""
    assert concept_reason("das postfach") == ""


def test_english_and_ascii_mail_is_not_read() -> None:
    assert not wanted("550 mailbox full, quota exceeded")
    assert concept_reason("the mailbox is voll of spam") == ""
    assert wanted("hop thu da day")


def test_folding_keeps_other_scripts_whole() -> None:
    assert fold("hộp thư đã đầy") == "hop thu da day"
    assert fold("überschritten") == "uberschritten"
    assert fold("ブロック") == "ブロック"


def test_the_lexicon_ranks_below_a_status_detail_and_a_family() -> None:
    # a status that names the reason stands; the concepts only decide where nothing else would
    assert decide_text("5.1.1", "Schránka příjemce je plná") == "userunknown"
    assert decide_text("5.0.0", "552 Hộp thư đã đầy", reply_code="552") == "mailboxfull"
    assert decide_text("", "Schránka příjemce je plná") == "mailboxfull"
    assert decide_text("5.6.0", "Schránka příjemce je plná", diagnostic_type="smtp") == "contenterror"


# Languages the first tables lacked, and Vietnamese concepts they missed, each worded unlike set 23's rows
# (held out: scored before these stems were written).
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("De mailbox van de ontvanger is vol", "mailboxfull"),  # Dutch
        ("Dit e-mailadres is onbekend op deze server", "userunknown"),
        ("Het bericht is te groot voor de ontvanger", "mesgtoobig"),
        ("Aquest usuari és desconegut al servidor", "userunknown"),  # Catalan
        ("El compte de l'usuari ha estat desactivat", "suspend"),
        ("Mottagarens brevlåda är full", "mailboxfull"),  # Swedish
        ("Användaren finns inte på servern", "userunknown"),
        ("Modtagerens postkasse er fuld", "mailboxfull"),  # Danish
        ("Kontoen til mottakeren er deaktivert", "suspend"),  # Norwegian
        ("Vastaanottajan postilaatikko on täynnä", "mailboxfull"),  # Finnish
        ("Käyttäjää ei löydy", "userunknown"),
        ("A címzett postafiókja megtelt", "mailboxfull"),  # Hungarian
        ("A felhasználó nem létezik", "userunknown"),
        ("Căsuța poștală a destinatarului este plină", "mailboxfull"),  # Romanian
        ("Contul utilizatorului a fost dezactivat", "suspend"),
        ("Ο παραλήπτης δεν υπάρχει", "userunknown"),  # Greek
        ("Το μήνυμα είναι πολύ μεγάλο", "mesgtoobig"),
        ("תיבת הדואר של הנמען מלאה", "mailboxfull"),  # Hebrew
        ("הנמען לא קיים במערכת", "userunknown"),
        ("Správa prekročila maximálnu veľkosť", "mesgtoobig"),  # Slovak
        ("Поштова скринька одержувача переповнена", "mailboxfull"),  # Ukrainian
        # Vietnamese: storage used up, a mailbox or account closed or no longer active
        ("Hộp thư người nhận đã sử dụng hết không gian lưu trữ", "mailboxfull"),
        ("hop thu nguoi nhan da su dung het khong gian luu tru", "mailboxfull"),
        ("Tài khoản thư của người nhận đã đóng", "suspend"),
        ("Hộp thư này không còn hoạt động", "suspend"),
        # a count sent over a limit is a rate; a count of recipients over one, too many recipients
        ("Số lượng email gửi đi trong giờ đã vượt quá mức cho phép", "speeding"),
        ("Số người nhận của thư vượt quá mức cho phép", "toomanyconn"),
        ("Het aantal berichten heeft de limiet overschreden", "speeding"),
    ],
)
def test_more_languages_and_concepts(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


@pytest.mark.parametrize(
    "text",
    [
        "Tên miền gửi thư đã bị đưa vào danh sách đen",
        "ten mien gui thu da bi dua vao danh sach den",
        "Uw server staat op een zwarte lijst",
        "Avsändarens server finns på en svartlista",
        "Ο διακομιστής σας βρίσκεται σε μαύρη λίστα",
    ],
)
def test_a_sender_on_a_blacklist_is_blocked_in_any_language(text: str) -> None:
    assert concept_reason(text.lower()) == "blocked"


@pytest.mark.parametrize(
    "text",
    ["Tệp đính kèm lớn hơn 10 MB không được chấp nhận", "Berichten groter dan 25 MB worden niet aangenomen"],
)
def test_a_message_over_a_size_in_megabytes_is_too_big(text: str) -> None:
    assert concept_reason(text.lower()) == "mesgtoobig"


def test_a_long_localised_notice_is_read_sentence_by_sentence() -> None:
    # a notice of several sentences, its reason in the third: read whole it is over the length a reply has
    notice = (
        "Đây là thư được tạo tự động bởi hệ thống chuyển phát thư của đơn vị, xin đừng trả lời thư này. Thư "
        "bạn gửi lúc 09:14 không thể chuyển tới một hoặc nhiều người nhận trong danh sách dưới đây, sau nhiều "
        "lần thử trong suốt hai ngày qua, và hệ thống đã dừng việc gửi lại. Hộp thư của người nhận đã đầy. "
        "Vui lòng liên hệ với người nhận bằng cách khác, hoặc gửi lại sau khi họ đã dọn bớt thư cũ. Nếu cần "
        "hỗ trợ, hãy liên hệ quản trị viên hệ thống thư của đơn vị bạn, kèm theo bản sao phần đầu thư gốc."
    )
    assert len(notice) > 400
    assert concept_reason(notice.lower()) == "mailboxfull"
    assert decide_text("", notice) == "mailboxfull"


def test_a_long_english_notice_is_still_not_read() -> None:
    notice = "The recipient's mailbox is full and cannot accept messages now. " * 12
    assert not wanted(notice.lower())


# General rules written from set 23's misses after its untuned figure was taken, worded otherwise.
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Kontoen er suspendert", "suspend"),  # a Nordic definite form: kontot, kontoen
        ("Hộp thư của bạn đã hết dung lượng đĩa", "mailboxfull"),  # a mailbox's disk space is its quota
        ("Skrzynka przekroczyła dostępną powierzchnię", "mailboxfull"),
        ("La casella ha superato la capienza massima", "mailboxfull"),
        ("Nie ma takiej skrzynki na serwerze", "userunknown"),
        ("Nie odnaleziono serwera dla tej domeny", "hostunknown"),
        (
            "Die Größe des Postfachs wurde überschritten",
            "mailboxfull",
        ),  # the mailbox's size, not the message's
        ("Mỗi thư chỉ được gửi tối đa 50 người nhận", "toomanyconn"),  # recipients up to a number
    ],
)
def test_rules_written_after_set_23_was_scored(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


def test_a_stop_after_the_gate_word_does_not_hide_it() -> None:
    assert wanted("brak skrzynki odbiorcy.")
    assert concept_reason("nie ma takiego odbiorcy.") == "userunknown"


# General rules written from documented set 25's tuning part (its held-out third not looked at), worded otherwise.
@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("该账号未开通邮箱服务", "userunknown"),  # an account never opened
        ("此帐户因长期未使用已进入休眠", "suspend"),  # dormant
        ("Учетная запись получателя неактивна", "suspend"),  # inactive
        ("指定されたアドレスは存在しなかったため配信できません", "userunknown"),  # "did not exist"
        ("受信者のメールボックスに空きがありません", "mailboxfull"),  # no free space
        ("Adresát má plnou poštovní schránku", "mailboxfull"),  # a Czech declension of "full"
        ("Максимальный размер вложений 10 Мб", "mesgtoobig"),  # at most
        ("Письмо можно отправить до 50 получателям одновременно", "toomanyconn"),  # up to a number
        ("O armazenamento do usuário está acima do limite", "mailboxfull"),  # above (a quota)
        ("Numero eccessivo di destinatari nel messaggio", "toomanyconn"),  # excessive
        ("Die Nachricht ist für diesen Server zu lang", "mesgtoobig"),  # too long
        ("Bu sunucu üzerinden röle yapılmasına izin verilmiyor", "norelaying"),  # Turkish relay, folded
        ("Dit type bijlage mag niet worden verstuurd", "policyviolation"),  # an attachment that may not go
        ("Załącznik tego typu został odrzucony przez serwer", "policyviolation"),  # an attachment refused
        ("El mensaje fue rechazado por la política de seguridad del servidor", "policyviolation"),
        ("Message rejeté : politique anti-fraude du destinataire", "policyviolation"),
        ("Ten adres nie istnieje albo konto zostało zablokowane", "userunknown"),  # not existing, or blocked
        ("Название домена получателя неверное", "hostunknown"),  # a domain called wrong
        ("ชื่ออีเมลนี้ไม่มีอยู่ในระบบ", "userunknown"),  # an email's name in Thai
    ],
)
def test_rules_written_after_set_25_was_scored(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


def test_set_25s_gate_words_and_trap_words() -> None:
    # German's "exists" and Spanish's "delivery ... expired" open an unaccented text to the lexicon
    assert concept_reason("ein solcher account existiert nicht.") == "userunknown"
    assert concept_reason("plazo de entrega vencido") == "expired"
    # "too long" of a message, not of a wait
    assert concept_reason("der server hat zu lange gewartet, die nachricht ist unterwegs") != "mesgtoobig"


def test_a_localised_domain_that_does_not_exist_is_not_a_filter() -> None:
    # a "does not exist" that families read as a filter's (no command, no X.1.1) names the host where the
    # concepts say the domain is what does not exist
    assert decide_text("", "Il dominio indicato nel tuo indirizzo non esiste") == "hostunknown"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("系統搜尋不到收件網域的主機", "hostunknown"),  # not found (traditional), a domain (網域)
        ("收件人地址查無此帳號", "userunknown"),  # no such (查無)
        ("อีเมลของผู้รับเต็ม", "mailboxfull"),  # Thai: the recipient full, no mailbox word
        ("Votre message a expiré sans être remis", "expired"),  # expiry (French)
        ("Il messaggio è scaduto dopo diversi tentativi", "expired"),  # expiry and retries (Italian)
        ("Czas dostarczenia wiadomości wygasł", "expired"),  # expiry (Polish)
        ("Konto odbiorcy wygasło", "suspend"),  # an account that expired
        (
            "Nach mehreren Versuchen konnte die Nachricht nicht zugestellt werden",
            "expired",
        ),  # retries given up (German)
        ("Adres zawiera nieistniejącą domenę", "hostunknown"),  # non-existent (Polish adjective)
        ("Dit adres bestaat helaas niet", "userunknown"),  # Dutch verb-second "bestaat ... niet"
        ("상대 서버에 연결할 수 없습니다", "networkerror"),  # unable to connect (Korean)
        ("Sunucuya bağlanılamadı", "networkerror"),  # could not connect (Turkish)
        ("Waktu kirim pesan telah habis", "expired"),  # time run out (Indonesian)
        ("No se encontró ningún buzón con esa dirección", "userunknown"),  # not found (Spanish past)
        ("Нет такого пользователя", "userunknown"),  # no such (Russian)
        ("宛先サーバーに到達できません", "networkerror"),  # unreachable (Japanese)
        ("Mottagarens inkorg är fylld", "mailboxfull"),  # inbox filled (Swedish)
        ("Endereço do destinatário incorreto", "userunknown"),  # an address called wrong
        ("Ce courriel n'existe pas", "userunknown"),  # an e-mail (address) that does not exist
        ("無法與對方伺服器建立連線", "networkerror"),  # unable to connect (Chinese)
        ("您无权通过此服务器转发邮件", "norelaying"),  # no permission to relay (Chinese)
        ("ไม่อนุญาตให้ส่งไฟล์นามสกุลนี้", "policyviolation"),  # a file extension not allowed (Thai)
        ("Wiadomość uznana za niechcianą", "spamdetected"),  # unwanted mail (Polish)
        ("Wysyłasz wiadomości zbyt często", "speeding"),  # too often (Polish)
        ("Der Server des Empfängers ist nicht erreichbar", "networkerror"),  # not reachable (German)
        ("Gönderdiğiniz dosya uzantısı yasak", "policyviolation"),  # a file extension forbidden (Turkish)
    ],
)
def test_words_filled_concept_by_concept_from_catalogues_and_dictionaries(text: str, reason: str) -> None:
    # each sentence is written here, not taken from a documented set; each needs a word the tables lacked
    assert concept_reason(text.lower()) == reason


def test_unable_names_a_failed_connection_not_a_refusal() -> None:
    # "unable to" beside a sender is not the sender refused, and alone it names nothing
    assert concept_reason("nie można wysłać wiadomości nadawcy") == ""
    assert concept_reason("無法寄出郵件") == ""
    # a mailbox that expired is closed; a message that expired is out of time
    assert concept_reason("ta skrzynka wygasła") == "suspend"
    assert concept_reason("wiadomość wygasła w kolejce") == "expired"


def test_encryption_required_is_a_failed_starttls_and_authentication_required_a_security_error() -> None:
    assert concept_reason("对方服务器要求使用加密连接") == "failedstarttls"
    assert (
        concept_reason("für diese domain ist eine verschlüsselte verbindung (tls) erforderlich")
        == "failedstarttls"
    )
    assert concept_reason("wymagane jest uwierzytelnienie przed wysłaniem") == "securityerror"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "De mailserver van de ontvanger is onbereikbaar",
            "networkerror",
        ),  # a mail server in one word (Dutch)
        ("Limite de e-mails ultrapassado", "speeding"),  # e-mails in the plural (Portuguese)
        ("Im Postfach ist kein freier Platz mehr", "mailboxfull"),  # no free space (German)
        ("Você envia mensagens num ritmo elevado", "speeding"),  # a rate (Portuguese)
        ("Tệp đính kèm này bị chặn", "policyviolation"),  # an attachment (Vietnamese)
        ("Đã thử gửi 3 lần nhưng thất bại", "expired"),  # retries counted (Vietnamese)
        ("メールの配送が遅延しています", "expired"),  # a delivery delayed (Japanese)
        ("Die Zustellung der Nachricht wird verzögert", "expired"),  # a message delayed (German)
        ("ไม่มีที่อยู่นี้ในระบบ", "userunknown"),  # no such address (Thai)
        ("Die Domäne nimmt keine E-Mails an", "notaccept"),  # a domain that takes no mail (German)
        (
            "Máy chủ không chấp nhận tệp đính kèm loại này",
            "policyviolation",
        ),  # a file not accepted (Vietnamese)
        ("Thư bị từ chối vì kiểm tra DKIM không đạt", "authfailure"),  # an authentication check named
        ("找不到该IP地址对应的主机", "hostunknown"),  # an IP address is no recipient's address (Chinese)
        ("Auf dem Server ist kein Speicherplatz mehr verfügbar", "systemfull"),  # the server's own space
        ("Mottagarens kvot har overskridits", "mailboxfull"),  # the gate: Swedish's genitive, unaccented
        ("Vous avez atteint la limite d'envoi quotidienne", "speeding"),  # the gate: French, unaccented
    ],
)
def test_rules_written_after_set_27_was_scored(text: str, reason: str) -> None:
    # each sentence is written here, not taken from documented set 27; each needs a stem or rule its misses showed
    assert concept_reason(text.lower()) == reason


@pytest.mark.parametrize(
    ("status", "text", "reason"),
    [
        (
            "5.0.0",
            "Máy chủ báo: không có hộp thư nào cho địa chỉ này.",
            "userunknown",
        ),  # no mailbox for the address
        ("", "khong co nguoi dung nao voi dia chi nay", "userunknown"),  # the same, unaccented
        (
            "5.0.0",
            "Email bị chặn: tệp nén gửi kèm chứa virus",
            "virusdetected",
        ),  # a virus, whatever blocked it
        (
            "5.0.0",
            "Kích thước email vượt quá giới hạn của người nhận",
            "exceedlimit",
        ),  # the recipient's own limit
        (
            "",
            "kich thuoc thu vuot qua gioi han ma nguoi nhan da thiet lap",
            "exceedlimit",
        ),  # set by the recipient
        ("5.0.0", "Không tìm thấy miền đích, xin kiểm tra lại", "hostunknown"),  # "miền" alone for the domain
        ("", "khong tim thay mien cua dia chi nhan", "hostunknown"),
        ("5.0.0", "Phát hiện vòng lặp thư giữa hai máy chủ", "networkerror"),  # a mail loop
        ("", "Thư đã đi qua quá nhiều bước trung chuyển", "networkerror"),  # too many hops
        ("4.0.0", "Máy chủ thư đang quá tải, xin thử lại sau", "systemerror"),  # overloaded
        ("5.0.0", "Người nhận đã chặn thư từ địa chỉ này", "filtered"),  # the recipient blocked the sender
        ("", "nguoi nhan da dua dia chi nay vao danh sach den", "filtered"),  # the recipient's own block list
        ("5.7.1", "Nội dung bị nhận diện là quảng cáo hàng loạt", "spamdetected"),  # mass advertising
        ("5.0.0", "noi dung bi danh gia la thu quang cao", "spamdetected"),  # advertising mail, unaccented
    ],
)
def test_families_written_after_set_28_was_scored(status: str, text: str, reason: str) -> None:
    # each sentence is written here, not taken from documented set 28; each needs a phrase its tuning misses showed
    assert decide_text(status, text) == reason


@pytest.mark.parametrize(
    ("status", "text", "reason"),
    [
        ("5.0.0", "IP 192.0.2.5 bị chặn vì phát tán virus", "blocked"),  # the sending IP blocked: a block
        (
            "5.0.0",
            "Thư vượt quá kích thước tối đa mà máy chủ người nhận chấp nhận",
            "mesgtoobig",
        ),  # the server's
    ],
)
def test_what_set_28s_families_leave_to_the_other_readings(status: str, text: str, reason: str) -> None:
    assert decide_text(status, text) == reason


def test_a_recipients_server_that_blocked_an_ip_is_no_recipients_own_block() -> None:
    assert decide_text("5.0.0", "Máy chủ của người nhận đã chặn địa chỉ IP của bạn") != "filtered"
    assert decide_text("5.0.0", "nguoi nhan da chan dia chi ip cua ban") != "filtered"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (
            "Tài khoản bị tạm khóa vì gửi quá số lượng thư trong 10 phút",
            "speeding",
        ),  # a count in a window: a rate
        ("Dung lượng email vượt mức tối đa cho phép", "mesgtoobig"),  # a message's own size
        ("Hộp thư này chưa được tạo trên máy chủ", "userunknown"),  # never created
        ("Yêu cầu đăng nhập trước khi gửi", "securityerror"),  # authentication required
        ("bat buoc xac thuc smtp", "securityerror"),
        ("loi (xac thuc smtp) that bai", "securityerror"),  # the gate: a word after a bracket
        ("he thong dang bao tri, vui long quay lai sau", "systemerror"),  # under maintenance, unaccented
        ("Máy chủ nhận thư đang được bảo trì", "systemerror"),
    ],
)
def test_concepts_written_after_set_28_was_scored(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


def test_an_address_not_yet_granted_a_right_is_no_unknown_user() -> None:
    assert concept_reason("ban chua duoc cap quyen gui thu") != "userunknown"
    assert concept_reason("Hộp thư đã đầy, thư gửi trong 1 giờ qua bị từ chối".lower()) == "mailboxfull"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Đường truyền tới máy chủ nhận đang bị nghẽn", "networkerror"),  # a line congested
        ("duong truyen den may chu dich bi tac nghen", "networkerror"),
        ("Bạn đã vượt quá hạn chế số tin nhắn gửi đi", "speeding"),  # "tin nhắn", "hạn chế"
        ("Il file allegato è superiore a 20 MB", "mesgtoobig"),  # greater than
        ("La pièce jointe est supérieure à 15 Mo", "mesgtoobig"),
        (
            "hai tentato di allegare un file superiore a 25 MB",
            "mesgtoobig",
        ),  # the gate: Italian without accents
        ("このユーザーはメールを受け取るペースが速すぎます", "speeding"),  # a pace
        ("La cuenta está recibiendo una gran cantidad de correos", "speeding"),  # a great quantity
        ("Server odesílatele nemá reverzní záznam, zpráva byla odmítnuta", "requireptr"),  # reverse DNS
        ("来自该IP的邮件被禁止", "blocked"),  # the IP forbidden
        ("Ihre IP ist hier nicht erlaubt", "blocked"),
        ("Die Nachricht wurde wegen ihres Inhalts gesperrt", "policyviolation"),  # blocked for its content
    ],
)
def test_concepts_written_after_set_29_was_scored(text: str, reason: str) -> None:
    # each sentence is written here, not taken from documented set 29; each needs a concept its tuning misses showed
    assert concept_reason(text.lower()) == reason


def test_content_blocked_with_the_sending_ip_named_is_still_a_block() -> None:
    assert concept_reason("địa chỉ ip của máy chủ gửi bị chặn vì nội dung") == "blocked"


@pytest.mark.parametrize(
    ("status", "text", "reason"),
    [
        ("5.0.0", "Repeated connection attempts had failed", "expired"),
        ("5.0.0", "Attachments exceed the permitted limit", "mesgtoobig"),
        ("5.7.1", "Bạn không được phép gửi thư tới nhóm này", "rejected"),  # to a group
        ("5.7.1", "ban khong duoc phep gui email toi nhom nay", "rejected"),
        ("5.0.0", "553 Sorry - no access for the connecting ip", "blocked"),  # not "userunknown" by its 553
        (
            "5.0.0",
            "Message has been blocked (if this is a false positive, write to our abuse desk)",
            "spamdetected",
        ),
        ("5.0.0", "550 Client IP address must resolve", "requireptr"),
        ("5.0.0", "Không phân giải ngược được địa chỉ IP gửi", "requireptr"),  # reverse DNS in Vietnamese
        ("5.0.0", "Thư bị chặn vì nội dung không phù hợp", "policyviolation"),  # blocked for its content
        (
            "4.2.1",
            "Получатель получает письма слишком часто",
            "speeding",
        ),  # a 4.2.1 retried to failure, a rate
    ],
)
def test_families_and_readings_written_after_set_29_was_scored(status: str, text: str, reason: str) -> None:
    action = "failed" if status[:1] == "4" else ""
    assert decide_text(status, text, action=action) == reason


def test_a_sending_ip_blocked_is_no_content_policy() -> None:
    assert decide_text("5.0.0", "Địa chỉ IP máy chủ gửi bị chặn vì nội dung thư") == "blocked"


def test_a_transient_status_retried_to_failure_keeps_expired_for_the_systems_own_trouble() -> None:
    # only a specific reading of the concepts decides there: maintenance or system trouble retried to the end expired
    assert decide_text("4.3.2", "Máy chủ thư đang được bảo trì", action="failed") == "expired"
    assert decide_text("4.2.1", "Người nhận nhận thư với tốc độ quá nhanh", action="failed") == "speeding"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Autenticazione non riuscita per questo utente", "securityerror"),  # failed (it, Thunderbird)
        ("Inoltro negato dal server", "norelaying"),  # refused, and the gate (it, no accents)
        ("L'inoltro non è permesso verso questo dominio", "norelaying"),  # not permitted with its copula (it)
        ("Il server remoto non risponde", "networkerror"),  # a server that does not answer (it)
        ("Il messaggio viola la politica del destinatario", "policyviolation"),  # a policy violated (it)
        ("Posta kutusunda yeterli boş alan yok", "mailboxfull"),  # not enough space (tr)
        ("IP adresiniz engellendi", "blocked"),  # the gate (tr, no letter outside ASCII)
        ("Místo ve schránce bylo vyčerpáno", "mailboxfull"),  # space exhausted, a mailbox's locative (cs)
        ("Přeposílání zpráv není povoleno", "norelaying"),  # forwarding (cs)
        ("Nelze se připojit k poštovnímu serveru", "networkerror"),  # to connect (cs)
        ("Chyba přihlášení k serveru", "securityerror"),  # an error beside a login (cs, Roundcube's wording)
        ("В почтовом ящике закончилось свободное место", "mailboxfull"),  # space run out (ru)
        ("Ошибка авторизации", "securityerror"),  # an error beside authorisation (ru, Roundcube's wording)
        ("Адрес отправителя находится в чёрном списке", "blocked"),  # ё kept (ru)
        ("Не удалось подключиться к почтовому серверу", "networkerror"),  # "не удалось" is no deletion (ru)
        ("Превышен лимит отправки писем", "speeding"),  # the genitive plural, sending (ru)
        ("Det gick inte att ansluta till e-postservern", "networkerror"),  # to connect, could not (sv)
        ("Kontot har stängts av och är avstängt", "suspend"),  # switched off (sv)
        ("Mottagarens server går inte att nå", "networkerror"),  # cannot be reached (sv)
        ("Anslutningen nekades av servern", "networkerror"),  # refused, and the gate (sv)
        ("Przekroczono limit miejsca w skrzynce", "mailboxfull"),  # the gate (pl, no accents)
        ("Nie można połączyć się z serwerem pocztowym", "networkerror"),  # to connect (pl)
        ("Przekazywanie poczty jest zabronione", "norelaying"),  # the gate (pl)
        ("Retransmisión denegada para este dominio", "norelaying"),  # refused (es)
        ("Error de autenticación en el servidor", "securityerror"),  # an error beside authentication (es)
        ("No se pudo conectar con el servidor de correo", "networkerror"),  # to connect (es)
        ("Usuario desconocido en este servidor", "userunknown"),  # the gate (es)
        ("El servidor del destinatario no está disponible", "systemerror"),  # not available (es)
        ("Weiterleitung verweigert", "norelaying"),  # the gate (de)
        ("Authentifizierung fehlgeschlagen", "securityerror"),  # the gate (de)
        ("Tägliches Sendelimit überschritten", "speeding"),  # a sending limit in one word (de)
        ("Der Mailserver ist derzeit nicht verfügbar", "systemerror"),  # not available (de)
        ("Der Empfänger hat die Weiterleitung zurückgewiesen", "norelaying"),  # turned away (de, Office 365)
        ("Nie można uwierzytelnić użytkownika", "securityerror"),  # unable to authenticate (pl)
        ("Alıcı sunucu hizmet dışı", "systemerror"),  # out of service (tr, Thunderbird)
        ("Sunucu bağlantıyı geri çevirdi", "networkerror"),  # turned away (tr, Thunderbird)
        ("受信者の許容数を超えています", "toomanyconn"),  # the permitted number (ja, Thunderbird)
        ("받는 사람 수의 한도를 초과했습니다", "toomanyconn"),  # the number of recipients (ko, Thunderbird)
        ("メール送信の上限に達しました", "speeding"),  # a limit reached (ja)
        ("送信数の上限に達しました", "speeding"),  # the number sent, reached (ja)
        ("메일 발송 한도에 도달했습니다", "speeding"),  # a limit reached (ko)
    ],
)
def test_words_filled_a_second_time_from_catalogues(text: str, reason: str) -> None:
    # each sentence is written here, not taken from a documented set; each fails without _CATALOGUES2 (and its
    # gate words and rules): checked by running it with the block's merge left out
    assert concept_reason(text.lower()) == reason


def test_the_second_fill_leaves_other_readings_alone() -> None:
    # a mailbox not available is no server's trouble, an error alone names nothing, a sending word alone no rate
    assert concept_reason("la casella non è disponibile") == ""
    assert concept_reason("ошибка доставки письма") == ""
    assert concept_reason("límite de envío") == ""
    # "удалён" (deleted) still names an address that no longer exists
    assert concept_reason("адрес получателя удалён") == "userunknown"
