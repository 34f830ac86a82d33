"""A concept lexicon for localised bounce texts: the last evidence before "onhold" or a bare class default.

The phrase families (phrases.py) hold whole phrases per language, so a new wording in the same language misses
again (documented sets 16, 18 and 19 scored 17.5-25% before their own phrases). Here each language contributes
only stems for a handful of concepts (mailbox, account, recipient, not existing, full, quota, size, exceeded,
too many, spam, blocked, domain, timeout, connection, login, relay, virus, disabled ...), written from
dictionaries and the tuned sets' vocabulary, and a reason is read from concepts that occur together in one
sentence: mailbox + full is a full mailbox, a message's size + exceeded is a message too big, a user + not
existing is an unknown user, a domain + not found an unknown host, and so on.

It ranks below every other piece of evidence (status detail, reply code, phrase families, vendor tables):
``decide_text`` asks it only where the decision would otherwise be "onhold" or a bare class default. It reads
only a text that holds a non-ASCII letter or an unaccented Vietnamese (or other Latin-script) stem, so English
mail never pays for it; a long notice with a letter outside ASCII is read sentence by sentence, its first three
sentences only.
Latin letters are folded to ASCII (Vietnamese diacritics, umlauts, accents) before matching, so one stem serves
both the accented text and the unaccented one users and ASCII-only servers write."""

from __future__ import annotations

import re
import unicodedata
from operator import add


def _fold_table() -> dict[int, str]:
    """Latin letters with diacritics (Latin-1, Extended-A/B, Vietnamese's Extended Additional) to ASCII;
    other scripts (kana's voicing marks, Cyrillic's breve) are left whole."""
    table = {}
    for start, end in ((0x00C0, 0x0250), (0x1E00, 0x1F00)):
        for code in range(start, end):
            base = unicodedata.normalize("NFD", chr(code))[0]
            if base.isascii() and base != chr(code):
                table[code] = base.lower()
    # Greek with tonos or dialytika: the bare letter, so one stem serves both
    for code in range(0x0386, 0x03D0):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base != chr(code) and "\u0391" <= base <= "\u03c9":
            table[code] = base.lower()
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ı"): "i", ord("ł"): "l", ord("ß"): "ss", ord("ø"): "o",
                  ord("æ"): "ae", ord("ς"): "σ"})  # fmt: skip
    return table


_FOLD = _fold_table()
# (translate looks every character up: a text with nothing to fold, Cyrillic, Arabic or CJK, is left as it is)
_FOLDABLE = re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(_FOLD)) + "]")


def fold(lowered: str) -> str:
    """``hộp thư đã đầy`` -> ``hop thu da day``; ``überschritten`` -> ``uberschritten``; ``πλήρες`` -> ``πληρεσ``."""
    return lowered.translate(_FOLD) if _FOLDABLE.search(lowered) else lowered


# Each concept's stems, lower-cased and folded (see ``fold``), by language: vi, zh (simplified, traditional),
# ja, ko, th, id/ms, ru, de, fr, es, pt, it, pl, tr, cs, ar. Stems shorter than a word carry \b where they
# could start another word.
_CONCEPTS: dict[str, tuple[str, ...]] = {
    "mailbox": (
        r"hop thu", r"hom thu", "邮箱", "信箱", "郵箱", "邮件箱", "收件箱", "收件匣", "メールボックス", "受信箱",
        "メールbox", "메일함", "사서함", "편지함", "메일박스", "กล่องจดหมาย", "กล่องข้อความ", "kotak surat",
        "kotak masuk", "peti mel", "ящик", "postfach", "mailbox", "boite", "buzon", "casilla", "caixa postal",
        "caixa de correio", "caixa de entrada", "casella", "cassetta postale", "skrzynk", "posta kutu", "gelen kutu", "schrank",
        "صندوق",
    ),
    "account": (
        r"tai khoan", "账户", "帳戶", "账号", "帳號", "アカウント", "계정", "บัญชี", r"\bakun\b", "аккаунт",
        "учетн", "учётн", "запис", r"\bkonto(?:t|en|ts|ens)?\b", r"\bcompte\b", r"\bcuenta\b", r"\bconta\b", "hesab", "hesap",
        r"\bucet", r"\buct", "حساب",
    ),
    "user": (
        r"nguoi nhan", r"nguoi dung", r"dia chi", "收件人", "收信人", "地址", "用户", "用戶", "宛先", "アドレス",
        "ユーザ", "受信者", "@マークの左", "수신자", "받는 사람", "받는사람", "주소", "사용자", "ผู้รับ", "ที่อยู่",
        "ผู้ใช้", "penerima", "alamat", "pengguna", "адрес", "получател", "пользовател", "empfanger", "adresse",
        "benutzer", "destinataire", "utilisateur", "destinatario", "direccion", "usuario", "endereco", "indirizzo",
        "utente", "odbiorc", r"\badres", "uzytkownik", "alici", "kullanici", "prijemc", "uzivatel", "المستلم",
        "عنوان", "المستخدم",
    ),
    "recipients": (
        r"nguoi nhan", "收件人", "收信人", "宛先", "受信者", "수신자", "받는 사람", "ผู้รับ", "penerima", "получател",
        "адресат", "empfanger", "destinataire", "destinatario", "odbiorc", "alici", "prijemc", "المستلمين",
    ),
    "notexist": (
        r"khong ton tai", r"(?<!ly do )(?<!loi )(?<!nguyen nhan )khong xac dinh", r"khong tim thay", r"khong hop le", r"khong co that",
        "不存在", "无效", "無效", "未知", "找不到", "不明", "已被删除", "已删除", "已被刪除", "存在しません", "存在しない",
        "見つかりません", "無効", "존재하지 않", "없는", "찾을 수 없", "찾지 못", "유효하지 않", "알 수 없", "ไม่มีอยู่",
        "ไม่พบ", "ไม่รู้จัก", "tidak ada", "tidak ditemukan", "tidak dikenal", "tidak valid", "tidak sah",
        "не существ", "несуществ", "не найден", "неизвестн", "недействит", r"удал(?!ос)", "existiert nicht",
        "nicht gefunden", "unbekannt", "ungultig", "gibt es nicht", "n'existe pas", "inexistant", "inconnu",
        "introuvable", "invalide", "no existe", "inexistente", "desconocid", "no encontrad", "no valid",
        "invalid", "nao existe", "desconhecid", "nao encontrad", "non esiste", "inesistent", "sconosciut",
        "non trovat", "non valid", "nie istnieje", "nieznan", "nie znaleziono", "nieprawidlow", "mevcut degil",
        "bulunamadi", "bilinmeyen", "gecersiz", "neexistuje", "neznam", "nenalezen", "neplatn", "غير موجود",
        "غير معروف", "غير صالح",
    ),
    "full": (
        r"da day\b", r"bi day\b", r"\bday roi", r"het dung luong", r"het cho", "已满", "已滿", "满了", "滿了",
        "いっぱい", "一杯", "満杯", "空き容量がない", "容量オーバー", "가득", "เต็ม", "penuh", "переполнен",
        "заполнен", "нет места", r"\bvoll\b", "pleine", r"\bplein\b", "sature", "llen[oa]", "sin espacio",
        "chei[oa]", "sem espaco", "pien[oa]", "pelna", "pelny", "przepelnion", r"\bdolu\b", "doldu", "dolmus",
        r"\bplna\b", r"\bplny\b", "zaplnen", "ممتلئ",
    ),
    "quota": (
        r"han ngach", r"dung luong", r"luu tru", r"bo nho", "容量", "配额", "配額", "空间", "空間", "存储", "儲存",
        "储存", "クォータ", "割り当て", "용량", "할당량", "저장", "โควต้า", "พื้นที่", "ความจุ", "kuota",
        "penyimpanan", "квот", "места", "хранени", "speicher", "kontingent", "quota", "stockage", "espace",
        "capacit", "cuota", "almacenamiento", "espacio", "capacidad", r"\bcota\b", "armazenamento", "espaco",
        "spazio", "archiviazione", "przestrze", "pojemno", r"\bkota", "depolama", r"\bkvot", "uloz", "مساحة",
        "التخزين", "الحصة",
    ),
    "exceed": (
        r"vuot qua", r"vuot gioi han", r"qua gioi han", r"len toi", r"dat toi", r"dat den", "超出", "超过", "超過",
        "超限", "达到", "達到", "超え", "超過", "オーバー", "초과", "넘", "เกิน", "melebihi", "terlampaui", "mencapai",
        "превыш", "превос", "достигнут", "uberschritten", "uberschreit", "erreicht", "depass", "atteint",
        "excede", "superad", "sobrepas", "alcanzad", "ultrapass", "atingi", "superat", r"\bsupera", "raggiunt",
        "przekrocz", "osiagniet", "asild", r"\basti", "asiyor", "ulasild", "prekroc", "dosazen", "تجاوز",
    ),
    "insufficient": (
        r"khong du\b", "不足", "부족", "ไม่เพียงพอ", "tidak cukup", "недостат", "не хватает", "nicht genug",
        "unzureichend", "insuffisant", "insuficiente", "insufficiente", "niewystarczaj", "yetersiz", "nedostat",
        "غير كاف",
    ),
    "big": (
        r"qua lon\b", r"qua to\b", "过大", "過大", "太大", "大きすぎ", "너무 큽", "너무 크", "ใหญ่เกินไป",
        "terlalu besar", "слишком больш", "слишком велик", "zu gross", "trop volumineux", "trop gros",
        "demasiado grande", "muito grande", "troppo grand", "za duz", "zbyt duz", "cok buyuk", "prilis velk",
        "كبير جدا",
    ),
    "size": (
        r"kich thuoc", r"kich co", "大小", "尺寸", "サイズ", "メール容量", "メールの容量", "크기", "ขนาด", "ukuran", "размер", "grosse", "taille",
        "volumineux", "tamano", "tamanho", "dimension", "rozmiar", "boyut", "velikost", "حجم",
    ),
    "message": (
        r"\bthu\b", r"\bemail\b", r"\be-mail\b", r"\bmail\b", "邮件", "郵件", "信件", "メール", "メッセージ", "메일",
        "메시지", "ข้อความ", "อีเมล", "pesan", "письм", "сообщени", "nachricht", "message", "courriel", "mensaje",
        "correo", "mensagem", "messaggio", "wiadomos", "ileti", "mesaj", "e-posta", "zprav", "رسالة", "الرسالة",
    ),
    "domain": (
        r"ten mien", "域名", "ドメイン", "@マークの右", "도메인", "โดเมน", "домен", r"\bdomain", "domaine",
        "dominio", "domen", "alan adi", "النطاق", r"\bdns\b", r"\bmx\b",
    ),
    "server": (
        r"may chu", "主机", "主機", "服务器", "伺服器", "サーバ", "ホスト", "서버", "호스트", "เซิร์ฟเวอร์", "сервер",
        "хост", r"\bserver", r"\bhost", "serveur", "servidor", "serwer", "sunucu", "الخادم",
    ),
    "timeout": (
        r"het thoi gian", r"qua thoi gian", r"thoi gian cho", "超时", "超時", "逾时", "逾時", "タイムアウト", "時間切れ",
        "시간 초과", "시간초과", "시간이 초과", "응답시간", "หมดเวลา", "waktu habis", "batas waktu", "тайм-аут",
        "таймаут", "время ожидания", "zeituberschreitung", "timeout", "zeitlimit", "delai", "tiempo de espera",
        "tempo limite", "tempo scadut", "limit czasu", "przekroczono czas", "zaman asimi", "vyprsel",
        "casovy limit", "انتهت المهلة", "vencid",
    ),
    "queue": (
        r"hang doi", "队列", "隊列", "キュー", "대기열", "очеред", "warteschlange", "file d'attente", r"\bcola\b",
        r"\bfila\b", r"\bcoda\b", "kolejk", r"\bkuyruk", "fronte",
    ),
    "connection": (
        r"ket noi", "连接", "連接", "連線", "接続", "연결", "접속", "เชื่อมต่อ", "koneksi", "sambungan", "соединени",
        "подключ", "verbindung", "connexion", "conexion", "conexao", "connession", "polaczeni", "baglanti",
        "spojeni", "pripojeni", "الاتصال",
    ),
    "fail": (
        r"that bai", r"bi mat\b", r"tu choi", r"khong the", "失败", "失敗", "拒绝", "拒絕", "中断", "中斷", "拒否",
        "切断", "できません", "실패", "거부", "끊", "ปฏิเสธ", "ล้มเหลว", "ditolak", "gagal", "terputus", "отклон",
        "разорван", "не удалось", "отказ", "abgelehnt", "fehlgeschlagen", "verweigert", "unterbrochen", "refus",
        "echou", "perdu", "interromp", "rechaz", r"\bfall", "perdid", "interrump", "recus", "falh", "rifiut",
        "fallit", "interrott", "odrzuc", "nie powiodl", "zerwan", "odmow", "reddedil", "basarisiz", "kesildi",
        "odmitn", "selhal", "prerus", "رفض", "فشل", "انقطع",
    ),
    "auth": (
        r"xac thuc", r"dang nhap", r"mat khau", "认证", "認證", "验证", "驗證", "登录", "登錄", "登入", "密码", "密碼",
        "認証", "ログイン", "パスワード", "인증", "로그인", "비밀번호", "암호", "ตรวจสอบสิทธิ์", "รหัสผ่าน",
        "เข้าสู่ระบบ", "autentikasi", "otentikasi", "kata sandi", "аутентифик", "авторизац", "пароль",
        "authentifizierung", "anmeldung", "passwort", "kennwort", "authentification", "mot de passe",
        "autenticacion", "contrasena", "autenticacao", "senha", "autenticazione", r"\bpassword", "uwierzytelni",
        "logowani", r"\bhaslo", "kimlik dogrulama", "oturum acma", r"\bsifre", r"\bparola", "overeni", "prihlaseni",
        r"\bheslo", "المصادقة", "كلمة المرور",
    ),
    "wrong": (
        r"khong dung\b", r"\bsai\b", "错误", "錯誤", "間違", "틀리", "틀렸", "ไม่ถูกต้อง", r"\bsalah\b", "неверн",
        "неправильн", "falsch", "incorrect", "errat", "nieprawidlow", "yanlis", "nespravn", "خاطئ",
    ),
    "relay": (
        r"chuyen tiep", r"\brelay", "中继", "中繼", "转发", "轉發", "中継", "リレー", "릴레이", "중계", "รีเลย์",
        "penerusan", "пересылк", "ретрансл", "релей", "relais", "retransmi", "inoltro", "przekazywani", "aktarim",
        "predavani", "الترحيل",
    ),
    "notallowed": (
        r"khong cho phep", r"khong duoc phep", r"\bcam\b", "不允许", "不允許", "禁止", "許可されていません",
        "許可されない", "허용되지", "금지", "허용하지", "ไม่อนุญาต", "tidak diizinkan", "dilarang", "запрещ",
        "не разреш", "не допуска", "nicht erlaubt", "verboten", "nicht gestattet", "nicht zulassig", "non autoris",
        "interdit", "pas autoris", "no permitid", "prohibid", "no autorizad", "nao permitid", "proibid",
        "nao autorizad", "non consentit", "vietat", "non autorizzat", "niedozwolon", "zabronion", "brak uprawnien",
        "izin verilmi", "yasak", "neni povolen", "zakazan", "nepovolen", "غير مسموح", "ممنوع",
    ),
    "spam": (
        r"thu rac", r"\bspam", "垃圾邮件", "垃圾郵件", "垃圾信", "迷惑メール", "スパム", "스팸", "สแปม", "จดหมายขยะ",
        "спам", "indesirable", "no deseado", "lixo eletronico", "indesiderat", "istenmeyen", "nevyzadan",
        "عشوائي", "سبام",
    ),
    "blocked": (
        r"bi chan", r"danh sach den", r"bi loc\b", "屏蔽", "封禁", "拦截", "攔截", "黑名单", "黑名單", "被封", "阻止",
        "过滤", "過濾", "ブロック", "ブラックリスト", "拒否リスト", "フィルタ", "차단", "블랙리스트", "필터링",
        "บล็อก", "บัญชีดำ", "diblokir", "daftar hitam", "difilter", "заблокир", "блокир", "черн", "фильтр",
        "blockiert", "gesperrt", "sperrliste", "blacklist", "gefiltert", "bloque", "liste noire", "filtre",
        "bloquead", "lista negra", "filtrad", "bloccat", "lista nera", "filtrat", "zablokowan", "czarn",
        "engellen", "kara liste", "zablokovan", "blokovan", "cerne listin", "محظور", "القائمة السوداء", "حظر",
    ),
    "ip": (r"(?<![a-z])ip(?![a-z])",),
    "virus": (
        r"\bvirus", "вирус", "ウイルス", "ウィルス", "病毒", "바이러스", "ไวรัส", "wirus", "virus", "فيروس",
    ),
    "disabled": (
        r"vo hieu hoa", r"tam ngung", r"tam khoa", r"bi khoa", r"dinh chi", r"ngung hoat dong", "停用", "禁用",
        "冻结", "凍結", "暂停", "暫停", "已关闭", "已關閉", "锁定", "鎖定", "停止", "無効化", "ロック", "정지", "비활성",
        "잠김", "중지", "휴면", "ระงับ", "ปิดใช้งาน", "dinonaktifkan", "ditangguhkan", "nonaktif", "dibekukan",
        "отключ", "приостановл", "деактивир", "заблокирован", "deaktiviert", "gesperrt", "stillgelegt",
        "desactive", "suspendu", "desactivad", "suspendid", "deshabilitad", "inhabilitad", "desativad",
        "suspens", "desabilitad", "disattivat", "sospes", "disabilitat", "wylaczon", "zawieszon",
        "dezaktywowan", "nieaktywn", "devre disi", "askiya alin", "dondurul", "deaktivovan", "pozastaven",
        "معطل", "موقوف", "تعليق",
    ),
    "toomany": (
        r"qua nhieu", "太多", "过多", "過多", "大量", "多すぎ", "너무 많", "과다", "มากเกินไป", "terlalu banyak",
        "слишком много", "zu viele", "trop de", "demasiad", "muitos", "muitas", "troppi", "troppe", "zbyt wiel",
        "za duzo", "cok fazla", "prilis mnoho", "كثيرة جدا", "عدد كبير",
    ),
    # how often, not how many: a rate
    "rate": (
        r"tan suat", r"toc do", "频率", "頻率", "频繁", "頻繁", "頻度", "短時間", "빈도", "frekuensi", "слишком част",
        "частот", "zu oft", "trop frequent", "frecuencia", "frequencia", "frequenza", "czestotliwo", "siklik",
        "cetnost",
    ),
    "sender": (
        r"nguoi gui", "发件人", "發件人", "寄件者", "差出人", "送信者", "발신자", "보낸 사람", "ผู้ส่ง", "pengirim",
        "отправител", "absender", "expediteur", "remitente", "remetente", "mittente", "nadawc", "gonderen",
        "odesilatel", "المرسل",
    ),
    "daily": (
        r"trong ngay", r"hang ngay", r"moi ngay", "每天", "每日", "1日", "一日", "하루", "일일", "รายวัน", "ต่อวัน",
        "harian", "per hari", "в сутки", "в день", "суточн", "pro tag", "taglich", "tageslimit", "par jour",
        "quotidien", "por dia", "diari", "al giorno", "giornalier", "dzienn", "na dzien", "gunluk", "denni",
        "za den", "يومي",
    ),
    "limit": (
        r"gioi han", r"han muc", "限制", "上限", "限额", "限額", "制限", "제한", "한도", "จำกัด", "batas", r"\blimit",
        "лимит", "ограничен", "предел", "grenze", "begrenz", "limite", "sinir", "omezeni",
    ),
    "disk": (r"\bdia\b(?! chi)", "磁盘", "磁碟", "ディスク", "디스크", "ดิสก์", "диск", "festplatte", "disque",
             "disco", "dysk", r"\bdisk"),
}  # fmt: skip
# The languages the first tables lacked, written from dictionaries: Dutch, Catalan, Swedish, Danish, Norwegian,
# Finnish, Hungarian, Romanian, Greek (folded: no tonos, final sigma as σ), Hebrew, Slovak and Ukrainian; and
# Vietnamese words for storage used up, accounts closed or locked, and addresses deleted.
_MORE: dict[str, tuple[str, ...]] = {
    "mailbox": ("postvak", "brievenbus", "bustia", "brevlada", "postlada", "inkorg", "postkasse", "indbakke",
                "innboks", "postilaatik", "postafiok", "leveleslada", "casuta", "γραμματοκιβωτι", "θυριδα",
                "תיבת הדואר", "תיבת דואר", "скриньк"),
    "account": (r"\baccount", r"\btili", r"\bfiok", r"\bcontul\b", r"\bcont\b", "λογαριασμ", "חשבון",
                "обліков"),
    "user": ("ontvanger", "gebruiker", "mailadres", "destinatari", "usuari", "adreca", "mottagar", "anvandare",
             "postadress", "modtager", "mottaker", "bruger", "bruker", "vastaanottaj", "kayttaja", r"\bosoit",
             "cimzett", "felhasznalo", "destinatar", "utilizator", "παραληπτ", "χρηστ", "διευθυνσ", "נמען",
             "משתמש", "כתובת", "pouzivatel", "одержувач", "користувач"),
    "recipients": ("ontvanger", "destinatari", "mottagar", "modtager", "mottaker", "vastaanottaj", "cimzett",
                   "destinatar", "παραληπτ", "נמען", "одержувач"),
    "notexist": ("nie ma takiego", "nie ma takiej", "nie zostal odnalezion", "nie odnaleziono", "bestaat niet", "niet gevonden", "onbekend", "ongeldig", "niet bekend", "no existeix",
                 "desconegut", "no trobat", "inexistent", "finns inte", "finns ej", "okand", "ogiltig",
                 "hittades inte", "existerar inte", "findes ikke", "finnes ikke", "eksisterer ikke", "ukendt",
                 "ukjent", "ugyldig", "ikke fundet", "ikke funnet", "ei ole olemassa", "ei loydy", "ei loytynyt",
                 "tuntematon", "olematon", "nem letezik", "ismeretlen", "nem talalhato", "ervenytelen", "nincs ilyen",
                 "nu exista", "necunoscut", "nu a fost gasit", "δεν υπαρχ", "δεν βρεθηκ", "αγνωστ", "μη εγκυρ",
                 "ανυπαρκτ", "לא קיים", "לא קיימת", "אינו קיים", "אינה קיימת", "לא נמצא", "לא ידוע", "nenajden",
                 "не існує", "невідом", r"khong con ton tai", r"bi xoa\b", r"da xoa\b",
                 # not in the organisation's directory or system ("khong co trong danh ba", unaccented)
                 r"khong co trong danh ba", r"khong co trong he thong"),
    "full": (r"\bvol(?:le)?\b", r"\bplena\b", r"\bple\b", r"\bfullt?\b", r"\bfuld\b", r"\bslut\b", "fyldt",
             "taynna", r"\bloppu", "megtelt", "tele van", "betelt", "plina", r"\bplin\b", "πληρεσ", "γεματ",
             "מלאה", "התמלא", "переповнен",
             r"dung can\b", r"can kiet", r"su dung het", r"da dung het", r"het bo nho", r"het khong gian",
             r"khong con cho", r"khong con dung luong", r"khong con trong"),
    "quota": ("powierzchni", "capienza", "quotum", "opslag", "ruimte", "espai", "emmagatzematge", "lagring", "utrymme", "lagerplads",
              "lagringsplass", "kiintio", "tallennustila", "levytila", "tarhely", "tarterulet", "spatiu", "stocare",
              "χωρο", "αποθηκευσ", "מכסה", "מכסת", "נפח", "אחסון", "ulozisk", "miesto", "сховищ"),
    "exceed": ("overschreden", "overschrijd", "bereikt", "excedit", "sobrepassat", "overskr", "overstig",
               "overstiger", r"\bylit", "saavutt", "tullep", "meghalad", "elerte", "depasit", r"\batins",
               "ξεπερασ", "υπερβ", "חרג", "חריג", "перевищ"),
    "insufficient": ("onvoldoende", "niet genoeg", "otillrack", "inte tillrack", "ikke nok", "utilstraek",
                     "ei riita", "riittamat", "nincs eleg", "elegtelen", "insuficient", "ανεπαρκ", "δεν επαρκ",
                     "אין מספיק", "недостатньо"),
    "big": ("te groot", "massa gran", "for stor", "liian suuri", "liian iso", "tul nagy", "prea mare",
            "πολυ μεγαλ", "υπερβολικα μεγαλ", "גדולה מדי", "גדול מדי", "завелик", "надто велик"),
    "size": ("grootte", "omvang", r"\bmida\b", "tamany", "storlek", "storrelse", r"\bkoko", "meret", "marime",
             "μεγεθ", "גודל", "velkost", "розмір"),
    "message": ("bericht", "missatge", r"\bcorreu\b", "meddelande", r"\be-post", "besked", "melding",
                "meddelelse", "viesti", "sahkoposti", "uzenet", "mesajul", "μηνυμα", "αλληλογραφ",
                "הודעה", "דואר", "sprav", "повідомлен", "лист"),
    "domain": ("domein", "domini", "doman", "verkkotunnus", "toimialue", "domeniu", "τομεα", "דומיין"),
    "server": ("palvelin", "szerver", "kiszolgalo", "διακομιστ", "שרת"),
    "timeout": ("time-out", "tijdslimiet", "temps d'espera", "temps esgotat", "tidsgrans", "tidsavbrott",
                "tidsfrist", "aikakatkaisu", "aikaraja", "idotullepes", "timp de asteptare", "χρονικο οριο",
                "פסק זמן", "тайм-аут", "час очікування"),
    "connection": ("verbinding", "connexio", "anslutning", "forbindelse", "tilkobling", "yhteys", "yhteyden",
                   "kapcsolat", "conexiun", "συνδεσ", "חיבור", "з'єднан"),
    "fail": ("mislukt", "geweigerd", "afgewezen", "verbroken", "rebutjat", "misslyck", "avvisa", "nekad",
             "mislyk", "afvist", "avvist", "epaonnist", "hylat", "hylk", "katkesi", "sikertelen", "elutasit",
             "nem sikerult", "respins", "esuat", "απορριφθ", "απετυχ", "αποτυχ", "נדחה", "נדחתה", "נכשל",
             "відхил", "не вдалося"),
    "auth": ("authenticatie", "wachtwoord", "inloggen", "autenticacio", "contrasenya", "autentiser", "losenord",
             "adgangskode", "passord", "inloggning", "tunnistau", "salasana", "kirjautu", "hitelesites", "jelszo",
             "bejelentkez", "autentificare", "parola", "ταυτοποιησ", "πιστοποιησ", "κωδικο προσβασ", "אימות",
             "סיסמ", "автентифік"),
    "wrong": ("onjuist", "verkeerd", "incorrecte", "felaktig", "forkert", r"\bfeil\b", "vaara", "hibas",
              "helytelen", "gresit", "λαθοσ", "λανθασμεν", "שגוי", "невірн"),
    "notallowed": ("niet toegestaan", "verboden", "geen toestemming", "no permes", "prohibit", "inte tillat",
                   "ej tillat", "ikke tilladt", "ikke tillatt", "forbjud", "forbudt", "ei sallittu", "kielletty",
                   "nem engedelyezett", "tilos", "tiltott", "nu este permis", "interzis", "δεν επιτρεπ",
                   "απαγορευ", "אסור", "לא מורשה", "אינו מורשה", "заборон"),
    "spam": ("ongewenst", "correu brossa", "skrappost", "uonsket", "roskaposti", "keretlen", "nesolicitat",
             "ανεπιθυμητ", "ספאם", "דואר זבל"),
    "blocked": ("geblokkeerd", "gefilterd", "bloquejat", "blockera", "blokeret", "blokkert", "sparr", "estetty",
                "blokkol", "blocat", "μπλοκαρ", "αποκλει", "חסום", "חסומה", "נחסם", "заблок", r"ngan chan"),
    "disabled": ("gedeactiveerd", "uitgeschakeld", "opgeschort", "afgesloten", "inactief", "desactivat",
                 "suspes", "deshabilitat", "inhabilitat", "inaktiv", "avstangd", "deaktiver", "spaerret",
                 "sperret", "suspender", "poistettu kaytosta", "suljettu", "jaadytet", "passivoitu", "letiltva",
                 "felfuggeszt", "zarolt", "deaktival", "dezactivat", "suspendat", "απενεργοποιη", "ανεσταλ",
                 "κλειδωμεν", "מושבת", "הושבת", "מושעה", "נעול", "вимкнен", "призупин",
                 r"vo hieu\b", r"da khoa\b", r"bi dong\b", r"da dong\b", r"ngung su dung",
                 r"khong con hoat dong", r"khong con su dung", r"bi ngung", r"tam dung"),
    "toomany": ("te veel", r"massa (?:de |destinat|missatg|correu)", "for manga", "for mange", "liian monta",
                "liikaa", "tul sok", "prea mult", "υπερβολικα πολλ", "παρα πολλ", "יותר מדי", "רבים מדי",
                "забагато", "занадто багато"),
    "rate": ("te snel", "te vaak", "for ofte", "for snabbt", "for hurtigt", "liian usein", "liian nopeasti",
             "tul gyakran", "prea des", "πολυ συχνα", "תכוף מדי"),
    "sender": ("afzender", "remitent", "avsandar", "afsender", "avsender", "lahettaja", "felado", "expeditor",
               "αποστολε", "שולח", "відправник"),
    "daily": ("per dag", "dagelijks", "daglimiet", "per dia", "daglig", "paivittai", "paivassa",
              "vuorokaudessa", "naponta", r"\bnapi\b", "pe zi", "zilnic", "ημερησι", "ανα ημερα", "יומי",
              "ביום", "на добу", "щоденн"),
    "limit": ("limiet", "grens", "grans", "begransning", "graense", "grense", r"\braj[ao]", "korlat", "οριο",
              "מגבלה", "מגבלת", "הגבלה", "обмежен", r"toi da\b", r"muc gioi han", r"khong qua \d"),
    "disk": ("schijf", "levy", "lemez", "δισκ", "דיסק"),
    # a list of refused senders, whichever word a language has for it: the sender is refused, not the mailbox
    "listed": (r"danh sach den", r"danh sach chan", "blacklist", "blocklist", "denylist", "zwarte lijst", "blokkeerlijst",
               "llista negra", "lista negra", "liste noire", "lista nera", "svartlist", "sortlist", "svarteliste",
               "musta lista", "mustalla listalla", "estolista", "feketelist", "lista neagra", "μαυρη λιστα",
               "רשימה שחורה", "sperrliste", "czarnej list", "czarna list", "kara liste", "cerne listin",
               "cierna listin", "черн", "黑名单", "黑名單", "ブラックリスト", "拒否リスト", "블랙리스트", "บัญชีดำ",
               "daftar hitam", "القائمة السوداء"),
    # how many: with a limit, a count of messages sent or of recipients
    "count": (r"so luong", r"so nguoi nhan", r"so thu\b", "aantal", "nombre de", r"\bantal", "antall",
              "maara", "szama", "szamu", "numarul", "αριθμ", "מספר", "anzahl", "cantidad", "numero", "quantidade",
              "liczb", "количеств", "кількість", "pocet", "数量", "件数", "통수", "개수", "jumlah"),
    # larger than (a message over a size)
    "larger": (r"lon hon", "groter dan", "storre an", "storre end", "storre enn", "suurempi", "nagyobb",
               "mai mare", "μεγαλυτερ", "גדול מ", "mes gran", "grosser als", "plus grand", "plus gros",
               "mayor que", "maior que", "piu grand", "wieksz", "vetsi", "больше", "більш", "大于", "より大き",
               "보다 큽", "lebih besar"),
    "number": tuple("0123456789"),
    "megabytes": (r"\d\s?mb\b", r"\d\s?kb\b", r"\d\s?mo\b", r"\d\s?ko\b", r"\d\s?мб\b", r"\d\s?кб\b"),
}  # fmt: skip
# Written from documented set 25's tuning part (two rows in three; the third held out), as concepts across
# languages: an account (帐户, the variant form) not opened (未开通) or dormant (休眠) and inactive accounts, Japanese's past "did not
# exist", no free space left, up to / at most a number, above (a quota), excessive, too long (a message), a
# Turkish relay (röle, folded), may not (Dutch, Polish), rejected (French, Portuguese), an email's name in Thai,
# and two concepts of their own: an attachment and a policy.
_SET25: dict[str, tuple[str, ...]] = {
    "notexist": ("未开通", "未開通", "未注册", "未註冊", "存在しなかっ", "存在せず"),
    "account": ("帐户", "帐号"),
    "disabled": ("休眠", "неактивн", "inactif", "inactiv", "inativ", "inattiv", r"\bpasif", "neaktivn",
                 "tidak aktif", "ไม่ได้ใช้งาน"),
    "full": ("空きがな", "空きがありません", r"\bpln(?:a|y|ou|e|eho|em)\b", "нет свободного места"),
    "limit": ("максимальн", "максимум", "не более", r"(?<!\w)до \d", "maxim", "maksim", "maksym", "hochst",
              "最大", "최대", "สูงสุด"),
    "exceed": ("acima d", "por encima d", "сверх", r"\bponad\b"),
    "toomany": ("excessiv", "eccessiv", "excesiv", "excessif", "nadmiern", "чрезмерн"),
    "big": ("zbyt dlug", "za dlug", r"\btrop long(?:ue)?\b", "demasiado larg", "troppo lung", r"\bmuito long[oa]\b",
            r"\bzu lang\b",
            "слишком длинн", "prilis dlouh", "cok uzun", "terlalu panjang", "太长", "太長", "長すぎ", "너무 길"),
    "relay": (r"\brole\b",),
    "notallowed": ("nie zezwala", r"\bmag niet\b", r"\bniet \w+ mag\b"),
    "fail": ("rejet", "rejeit"),
    "user": ("ชื่ออีเมล",),
    "attachment": ("allegat", "bijlage", "anhang", "piece jointe", "pieces jointes", "adjunto", "anexo",
                   "zalacznik", "priloh", "ek dosya", "eklenti", "附件", "添付", "첨부", "ไฟล์แนบ", "lampiran",
                   "вложени", "bilaga", "vedlegg", "vedhaeft", "liite"),
    "policy": ("politique", "politica", "politika", "polityk", "richtlinie", "beleid", "策略", "政策",
               "ポリシー", "정책", "นโยบาย", "kebijakan", "политик"),
}  # fmt: skip
# Filled concept by concept and language by language (zh, zh-TW, ja, ko, th, id, ru, uk, de, fr, es, pt, it, pl,
# cs, nl, sv, tr), not from any set's rows: from dictionaries of the technical terms and mail clients' catalogues
# (Roundcube's messages.inc, e.g. zh_TW "與伺服器連線失敗", "認證失敗", "不允許的操作"; Thunderbird's
# composeMsgs). The stems the earlier tables lacked: "no such" and "not found" in both Chinese scripts, the
# adjectives "non-existent" (neexistující, nieistniejący, var olmayan ...), a verb-second Dutch "bestaat ... niet",
# "full" and "exhausted" words, inboxes, "too large" where a language says "too big" otherwise, "unable to"
# as a concept of its own (it names a failed connection, not a refusal), retries given up, expiry (a message's
# time run out, or an account's), "not authorised" / "no permission", forwarding words, rates, file extensions.
_SYSTEMATIC: dict[str, tuple[str, ...]] = {
    "notexist": ("沒有這個", "没有这个", "沒有此", "没有此", "查無", "查无", "無此", "无此", "搜尋不到", "搜索不到",
                 "檢索不到", "检索不到", "查不到", "無法找到", "无法找到", "无法查找", "無法查找", "未找到", "見つからな",
                 "없는 사용자", "없는 계정", "없는 주소", "존재하지", "нет такого", "нет такой", "не удалось найти",
                 "отсутству", "не знайдено", "немає такого", "неіснуюч", "nicht vorhanden", "nicht bekannt",
                 "kein solche", "keine solche", "nicht existier", "nicht auffindbar", "n'existe plus", "non trouve",
                 "pas trouve", "aucun utilisateur", "n'a pas ete trouve", "no se encontr", "no se pudo encontrar",
                 "no hay ningun", "impossibile trovare", "non e stato trovat", "non e stata trovat", "non riconosciut",
                 "nao foi encontrad", "nao reconhecid", "boyle bir", "bulunmuyor", "var olmayan", "yoktur",
                 "nieistniejac", "nie zostal znalezion", "nie zostala znalezion", "brak takiego", "brak takiej",
                 "neexistujic", "nebyl nalezen", "nebyla nalezen", "nebol najden", r"\bbesta(?:at|an)\b[\w ]{0,30}\bniet\b",
                 r"\bniet (?:meer )?besta", "onbestaand", "niet-bestaand", "obefintlig", "icke-existerande",
                 "tidak dikenali", "tidak terdaftar", "ไม่มีผู้ใช้", "bilinmiyor", "tidak diketahui"),
    "full": ("容量满", "容量滿", "空间满", "空間滿", "塞满", "塞滿", "额满", "額滿", "満タン", "uberfullt", "erschopft",
             "kein speicherplatz", "keinen speicherplatz", "satur", "plus d'espace", "plus de place", "agotad",
             "no tiene espacio", "no hay espacio", "lotad", "esgotad", "nao tem espaco", "esaurit", "brak miejsca",
             "preplnen", "fylld", "inget utrymme", "tidak ada ruang", "заповнен"),
    "quota": ("공간", "miejsca", "місц"),
    "count": ("數量", "จำนวน", "sayisi", "cacah", "人数", "人數"),
    "recipients": ("받는이", "adresat"),
    "user": ("ปลายทาง", "받는이", "받는 분", "teilnehmer", "adresat"),
    "auth": ("kimlik dogrula",),
    "wrong": ("올바르지 않", "잘못", "誤っ", "incorret", "errad", "sbagliat", "bledn", "chybn", "ошибочн"),
    "message": ("surel",),
    "fail": ("koptu", "dogrulanamadi", "zawiod", "przerwan", "odmit", "ztracen", "nezdaril"),
    "insufficient": ("za malo",),
    "exceed": ("rebas", "oltrepass", "ecced"),
    "big": ("trop grand", "muy grande", "너무커", "너무큽", "크기가 커", "크기가 너무", "容量が大きい", "サイズが大きい",
            "fazla buyuk"),
    "disabled": ("停權", "停权", "kapatil"),
    "mailbox": ("受信トレイ", "bandeja", "posta in arrivo", "posteingang", r"\binbox", "входящ", "mail kutu",
                "e-posta kutu"),
    # a time run out: a message's (expired) or, said of a mailbox or account, the account's (suspended)
    "expire": (r"\bexpir", "caducad", "scadut", "vencid", "wygasl", "vyprsel", "abgelaufen", "verlopen", "utgangen",
               "suresi doldu", "истек", "истёк", "минув", "过期", "過期", "期限切れ", "만료", "หมดอายุ", "kadaluarsa",
               "lejart", "ληξ", "פג תוקף"),
    "timeout": ("uplynal czas", "przekroczenie czasu", "czas oczekiwania", "vyprseni casu", "tempo esgotado",
                "tiempo agotado", "zeituberschritten", "sure asimi", "превышено время", r"waktu(?: \w+){0,3} habis",
                "habis waktu", "kehabisan waktu"),
    # out of reach: a server or a connection that cannot be reached
    "unreachable": ("nieosiagaln", "nedostupn", "nicht erreichbar", "injoignable", "inaccessible", "inaccesible",
                    "irraggiungibil", "inacessivel", "onbereikbaar", "inte nas", "ulasilamiyor", "недоступ",
                    "到達できません", "接続できません", "연결할 수 없", "无法访问", "無法存取", "无法到达", "無法到達",
                    "tidak dapat dijangkau", "tidak dapat diakses", "เข้าถึงไม่ได้"),
    # tried again and again, then given up
    "retries": ("多次尝试", "多次嘗試", "多次重试", "多次重試", "何度か", "再試行", "여러 번 시도", "재시도",
                "พยายามหลายครั้ง", "beberapa kali percobaan", "beberapa percobaan", "нескольких попыток",
                "неоднократн", "кількох спроб", "mehrere versuche", "mehreren versuchen", "plusieurs tentatives",
                "varios intentos", "varias tentativas", "vari tentativi", "diversi tentativi", "ripetuti tentativi",
                "kilku prob", "wielu prob", "opakovan", "meerdere pogingen", "flera forsok", "birkac deneme",
                "defalarca"),
    # unable to (a connection, a delivery): not a refusal
    "unable": ("无法", "無法", "不能", "できません", "できな", "할 수 없", "ไม่สามารถ", "tidak dapat", "tidak bisa",
               "не удалось", "невозможно", "не вдалося", "неможливо", "nie mozna", "nie udalo", "nelze", "nepodarilo",
               "kan niet", "kon niet", "kunde inte", "kan inte", "impossible de", "no se pudo", "no es posible",
               "nao foi possivel", "nao e possivel", "impossibile", "non e stato possibile", "konnte nicht",
               "kann nicht", "yapilamadi", "edilemedi", "kurulamadi", "baglanamadi", "baglanilamadi", r"khong the"),
    "notallowed": ("nicht berechtigt", "keine berechtigung", "nicht autorisiert", "nao tem permissao", "sin permiso",
                   "no tiene permiso", "senza autorizzazione", "yetkiniz yok", "yetkisiz", "nemate opravneni",
                   "nema opravneni", "saknar behorighet", "inte behorig", "tidak memiliki izin", "tidak berwenang",
                   "ไม่มีสิทธิ์", "권한이 없", "権限がありません", "无权", "無權", "没有权限", "沒有權限", "нет прав",
                   "не имеет права", "немає прав", "不允許", "허용되어 있지 않", "허가하지", "nie ma pozwolenia",
                   "bez pozwolenia"),
    "relay": ("weiterleitung", "preposl", "vidarebefordr", "doorsturen", "reenvi"),
    "spam": ("unerwunscht", "niechcian", "correo basura", "indesejad", "posta spazzatura", "pourriel"),
    "blocked": ("封锁", "封鎖", "engelli"),
    "listed": (r"\brbl\b", "dnsbl", "spamlist", "spamlis", "lista spam"),
    "rate": ("zu haufig", "zu schnell", "trop rapide", "demasiado rapido", "troppo rapid", "troppo velocemente",
             "rapido demais", "cok hizli", "zbyt czesto", "zbyt szybko", "prilis casto", "prilis rychle",
             "for ofta", "terlalu sering", "terlalu cepat", "บ่อยเกินไป", "ถี่เกินไป", "너무 자주", "너무 빠르",
             "слишком быстро", "занадто часто", "prea repede"),
    "attachment": ("dateiendung", "dateityp", "extension de fichier", "type de fichier", "extension de archivo",
                   "tipo de archivo", "tipo di file", "estensione", "extensao", "tipo de arquivo", "rozszerzeni",
                   "pripon", "bestandstype", "extensie", "filtyp", "filandelse", "dosya uzanti", "dosya tur",
                   "расширени", "тип файла", "拡張子", "확장자", "扩展名", "擴展名", "副檔名", "文件类型", "ekstensi",
                   "นามสกุล"),
    "domain": ("解析", "網域", "网域"),
    # TLS and encryption; and "required", which with them names a connection refused for want of TLS
    "encryption": (r"\btls\b", r"\bssl\b", "starttls", "加密", "暗号化", "암호화", "เข้ารหัส", "enkripsi", "шифрован",
                   "шифруван", "verschlussel", "chiffr", "cifrad", "criptograf", "crittograf", "cifrat", "szyfrow",
                   "sifrov", "versleutel", "krypter", "sifrele", "titkosit", "criptat", "κρυπτογραφ", "הצפנ"),
    "required": ("需要", "要求", "必须", "必須", "必要", "필요", "ต้อง", "diperlukan", "wajib", "требует", "необходим",
                 "потрібн", "erforderlich", "erfordert", "requis", "obligatoire", "exige", "requiere", "obligatori",
                 "necesari", "requer", "obrigatori", "necessari", "richiest", "obbligatori", "wymagan", "vyzadov",
                 "pozadov", "vereist", "verplicht", "kravs", "kraver", "gerekli", "zorunlu"),
    "connection": ("baglan",),
    "server": ("เซิฟเวอร์",),
}  # fmt: skip
# Written after documented set 27 was scored once (a measurement set; these are concepts and languages its misses
# showed missing, none keyed to a row's sentence): a mail server in one word (German, Dutch, Nordic compounds),
# e-mails in the plural, no free space (German), a rate (rythme, ritmo), a server's own space, an attachment in
# Vietnamese, retries counted in Vietnamese ("5 lần", "N lần"), a delivery delayed or held, "no such address"
# in Thai, and two concepts of their own: not accepting (a domain that takes no mail, a file not accepted) and the
# sender authentication checks (SPF, DKIM, DMARC) named in a refusal.
_SET27: dict[str, tuple[str, ...]] = {
    "server": ("mailserver", "e-mailserver", "postserver", "mailserveren"),
    "message": (r"\be-?mails\b",),
    "full": (r"\bkeine?[nr]? freie[nrs]?\b",),
    "rate": ("rythme", r"\britmo\b", "muito rapid", "molto rapid"),
    "attachment": (r"dinh kem",),
    "retries": (r"\b(?:\d+|n) lan\b",),  # (not "nhiều lần": a notice says so before the reason it gives)
    "delayed": ("一時保留", "遅延", "延迟投递", "延遲投遞", "延迟发送", "延遲傳送", "지연", "ล่าช้า", "tertunda",
                "задержан", "задерживается", "verzogert", "retarde", "retrasad", "atrasad", "ritardat", "opoznion",
                "zpozden", "vertraagd", "forsenad", "gecikti", r"tri hoan", r"bi hoan"),
    "notexist": ("ไม่มีที่อยู่",),
    # not accepting: a domain or host that takes no mail, a file the server will not take
    "noaccept": ("nie przyjmuje", "nie akceptuje", "nimmt keine", "akzeptiert keine", "n'accepte pas",
                 "n'accepte aucun", "n'accepte plus", "no acepta", "nao aceita", "non accetta", "neprijima",
                 "neakceptuje", "accepteert geen", "tar inte emot", "accepterar inte", "kabul etmiyor", "不接受",
                 "受け付けていません", "受け付けません", "受け入れていません", "받지 않", "ไม่รับ", "tidak menerima",
                 "не принимает", r"khong nhan thu", r"khong chap nhan", r"khong duoc(?: \w+){0,4} chap nhan"),
    # the sender authentication checks: a refusal that names them is an authentication failure
    "authcheck": (r"\bspf\b", r"\bdkim\b", r"\bdmarc\b"),
}  # fmt: skip
# Written from documented set 28's tuning part (two rows in three; the third held out), Vietnamese only, folded: a
# sending window shorter than a day (per hour, within N minutes) beside the day's, a message's own size ("dung
# lượng thư", where "dung lượng" alone is a mailbox's capacity), an address never issued or created, what must be
# done first ("phải", "yêu cầu", "bắt buộc": with a login, authentication required), and maintenance.
_SET28: dict[str, tuple[str, ...]] = {
    "daily": (r"\bmoi (?:gio|tieng|phut)\b", r"\btrong (?:mot|1|\d+) (?:gio|tieng|phut)\b"),
    "size": (r"dung luong (?:cua )?(?:thu|email|e-mail|tep|file)\b(?! muc)",),
    "notexist": (r"chua duoc (?:cap|tao)\b(?! quyen| phep)",),
    "required": (r"\bphai\b", r"\byeu cau\b", r"\bbat buoc\b"),
    # the receiving system down for maintenance ("đang bảo trì"): its own state, where no status or family says more
    "maintenance": (r"\bbao tri\b",),
}  # fmt: skip
# Written from documented set 29's tuning part (two rows in three; the third held out), as concepts and a language's
# words for them, none keyed to a row's sentence: Vietnamese's line ("đường truyền") for a connection and congestion
# ("nghẽn") for its failure, its "tin nhắn" for a message and "hạn chế" for a limit; the Romance "greater than"
# ("superiore a", "supérieur à", "superior a") beside the "larger" words; Japanese's "pace" (ペース) and the Romance
# "a great quantity" as a rate and too many; reverse DNS named in the languages (a name the sending IP must resolve
# to); and a message's content as a concept of its own (a message blocked for what it holds is a content policy's
# refusal, not a block of the sender).
_SET29: dict[str, tuple[str, ...]] = {
    "connection": (r"duong truyen",),
    "fail": (r"\bbi nghen\b", r"\btac nghen\b", r"\bnghen mach\b"),
    "message": (r"\btin nhan\b",),
    "limit": (r"\bhan che\b",),
    "larger": (r"\bsuperior[ei]? (?:a|ad|al|all[ae]?)\b", r"\bsuperieure?s? (?:a|au|aux)\b", r"\bsuperiores? (?:a|al|ao)\b"),
    "rate": ("ペース", "速いペース"),
    "toomany": ("gran cantidad", "grande cantidad", "grande quantidade", "grande quantita", "grande numero di",
                "gran numero de", "grand nombre de"),
    "reverse": (r"dns dao nguoc", r"dns nguoc", r"phan giai nguoc", "reverse dns", "reverse-dns", r"\brdns\b",
                r"\bptr\b", "dns inverse", "dns inverso", "dns reverso", "reverzni zaznam", "reverzn",
                # (Polish and Russian "reverse" also make a return address: only with DNS, a record or a zone)
                r"odwrotn\w* (?:dns|rekord|stref|wpis)", r"обратн\w* (?:dns|зон|запис|ptr|разреш)",
                "逆引き", "反向解析", "反向dns", "反解", "역방향"),
    "content": (r"\bnoi dung\b", "内容", "コンテンツ", "내용", "콘텐츠", "inhalt", "contenu", "contenido", "conteudo",
                "contenuto", "tresc", "icerik", "содержим", "obsah", "inhoud", "innehall", "konten", "เนื้อหา"),
}  # fmt: skip
# Vietnamese filled from translation catalogues and localised documentation, not from any set's rows (documented
# sets 27 and 29's Vietnamese held-out rows were scored before and after, unseen): Zimbra's vi_VN ZMsg
# (account.NO_SUCH_ACCOUNT "Không có tài khoản như vậy tồn tại", im.item_not_found / im.remote_server_not_found
# "không được tìm thấy", mail.QUOTA_EXCEEDED "quá hạn ngạch", service.AUTH_EXPIRED "đã hết hạn"), Roundcube's vi_VN
# messages.inc (smtpautherror, sessionerror "hết hạn", requesttimedout), CodeIgniter's and Group-Office's vi files
# ("chứng thực" for authentication), Bitrix's vn mail module ("không được tìm thấy", "ngắt kết nối", "không chính
# xác"), Microsoft's vi-VN Office 365 NDR pages ("miền" for a domain, "vượt" a quota), Gmail's vi help on sending
# limits ("tốc độ quá nhanh"). Folded, so each serves the accented text and the unaccented one alike. And from
# Thunderbird's vi composeMsgs (smtpSendFailedUnknownReason, "vì lý do không xác định"): an unknown reason, error or
# cause ("lý do / lỗi / nguyên nhân không xác định") names no unknown address (the "khong xac dinh" stem above).
_VIETNAMESE_CATALOGUES: dict[str, tuple[str, ...]] = {
    # not found in the passive or with "cannot", "no such ... exists" (Zimbra's, Bitrix's)
    "notexist": (r"khong (?:the|duoc) tim thay", r"khong tim (?:duoc|ra)\b",
                 r"khong co [\w ]{1,30}\bnhu vay\b[\w ]{0,10}\bton tai"),
    # over a quota: "quá hạn ngạch", "vượt hạn ngạch / hạn mức / dung lượng"
    "exceed": (r"\bqua han ngach", r"\bvuot (?:han ngach|han muc|muc|dung luong|quota)\b"),
    # a time run out ("hết hạn", "quá hạn"), not a quota or a limit ("hạn ngạch", "hạn mức", "hạn chế") nor "vượt quá"
    "expire": (r"\bhet han\b(?! (?:ngach|muc|che))", r"(?<!vuot )\bqua han\b(?! (?:ngach|muc|che))"),
    "auth": (r"\bchung thuc\b",),
    # a connection cut ("ngắt kết nối"), unsuccessful ("không thành công", Microsoft's vi-VN NDR pages and Roundcube's),
    # a login or address called incorrect ("không chính xác")
    "fail": (r"\bngat ket noi\b", r"\bkhong thanh cong\b"),
    "wrong": (r"\bkhong chinh xac\b",),
    "domain": (r"\bmien (?:cua nguoi nhan|nguoi nhan|nhan|dich|ben ngoai|email|thu)\b",),
    "rate": (r"\bqua nhanh\b",),
    # relaying "not permitted" as Microsoft's vi-VN help on 550/553 relay errors words it ("không phép chuyển tiếp")
    "notallowed": (r"\bkhong phep\b",),
}  # fmt: skip
# their first words, for a text written without diacritics (see ``wanted``)
_VIETNAMESE_CATALOGUES_ASCII = ("chung thuc", "het han", "qua han", "qua nhanh", "ngat ket", "mien cua")
# Filled a second time concept by concept (not from any set's rows) for the languages the documented sets still
# read worst (it, tr, cs, ru, sv, pl, es, de, ja, ko), from mail clients' catalogues: Thunderbird's
# composeMsgs.properties (it: "Autenticazione non riuscita", "la connessione ... è scaduta", "supera il limite"),
# Roundcube's messages.inc (ru: "Ошибка авторизации", "Сбой соединения с сервером"; cs: "Chyba přihlášení",
# "Připojení k serveru selhalo", "není volné místo"; sv: "Anslutning till servern misslyckades", "Otillräckligt
# lagringsutrymme") and dictionaries: failed in Italian's "non riuscito", refused ("negato", "denegado", "zamítnut",
# "nekad", "сбой"), connecting verbs (conectar, connettersi, připojit, połączyć, ansluta), a server that does not
# answer or is not available (the latter the server's own trouble, as English's "server not available"), "not
# permitted" with its copula ("non è permesso", "no está permitido"), space exhausted ("vyčerpáno", "закончилось
# место", "yeterli alan yok"), Russian's "чёрный" and "писем" (ё and the genitive plural), reaching a limit in
# Japanese (達し), sending as a concept of its own (a sending limit gone over is a rate), an error beside
# authentication or unable to authenticate, a policy violated, and German's "zurückgewiesen" (Office 365's German NDR);
# Thunderbird's tr, ja and ko catalogues: "hizmet dışı" / 利用できない (out of service), "geri çeviriyor" (turning
# away), the permitted number of recipients (許容数, "받는 사람 수의 한도").
# Measured on the rows no rule was written from (part=hold of documented sets 25, 27 and 29, both wrappings): 152 of
# 218 (69.7%) before this block and 152 of 218 after it, per set and language unchanged; set 26 rose 77.8 -> 79.4%.
# Of the 33 held-out rows still missed, the lexicon alone reads 8 right (7 before), outranked by other evidence, and
# names nothing for 20: words alone did not reach them.
_CATALOGUES2: dict[str, tuple[str, ...]] = {
    "fail": ("non riuscit", r"\bnegat[oaie]\b", "denegad", r"\bnegad[oa]s?\b", "zamitnut", r"\bneka(?:d|de|des|s|t)\b",
             "сбой", "неудач", "selhani", "zuruckgewiesen", "zurueckgewiesen", "geri cevir"),
    "unable": ("non e possibile", r"\bgick inte att\b", r"\bgar inte att\b", "no fue posible", "nie bylo mozliwe"),
    "connection": ("conect", "connett", "pripoj", "polacz", "anslut"),
    # a server that does not answer: out of reach
    "unreachable": (r"non (?:e )?raggiungibil", "non risponde", r"\bno responde\b", r"\bnao responde\b",
                    "antwortet nicht", "nie odpowiada", "не отвечает", "neodpovida", "svarar inte",
                    "yanit vermiyor", "応答がありません", "応答しません", "응답하지 않", "응답이 없", r"\binte (?:att )?nas\b",
                    r"\binte att na\b"),
    "mailbox": (r"\bschran(?:k|c)",),
    # not available: with a server, its own trouble (systemerror), as English's "server not available"
    "unavailable": (r"non (?:e )?disponibil", r"\bno (?:esta |estan )?disponible", r"\bnao (?:esta |estao )?disponivel",
                    "indisponivel", "indisponible", "nicht verfugbar", "niedostepn", "inte tillganglig", "otillganglig",
                    "kullanilamiyor", "hizmet disi", "利用できません", "利用できない", "사용할 수 없"),
    "full": ("vycerpan", r"закончил\w* (?:\w+ )?мест", r"\byeterli (?:\w+ )?(?:alan|yer)\w* (?:yok|bulunmuyor)"),
    "listed": ("чёрн",),
    "blocked": ("чёрн",),
    "message": ("писем",),
    "relay": ("preposil",),
    "notallowed": (r"\bnon (?:e |sono )?(?:permess|consentit)", r"\bno (?:esta |estan |es |son )?permitid",
                   r"\bnao (?:e |esta |sao )?permitid", r"\bnie (?:jest |sa )?dozwolon"),
    "notexist": (r"\binte hittas\b", r"\bhittas inte\b"),
    "disabled": ("avstang",),
    "exceed": ("に達し", "達しました", "도달"),
    "limit": ("sendelimit", "versandlimit", "許容"),
    "count": ("送信数", "送信件数", "許容数", "받는 사람 수", "수신자 수", "받는 사람의 수"),
    # sending (not the message itself): a sending limit gone over is a rate
    "sending": ("送信数", "送信件数", "送信量", "발송", "отправк", "рассылк", r"\binvio\b", r"\benvio\b",
                "wysylk", "wysylani", "odesilani", "odeslanych", "utskick", "gonderim", "versand", "sendelimit"),
    # an error (only with authentication: a failed login)
    "error": ("ошибк", r"\bchyba\b", r"\bblad\b", r"\berrore\b", r"\berror de\b", r"\berro de\b", "fehler",
              r"\bfel(?:et)?\b", r"\bhata", "エラー", "오류"),
    # violated (a policy): policyviolation
    "violation": (r"\bviola(?:no|to|ta|zione)?\b", "violacion", "violacao", "verstoss", "verletzt", "narusz", "porusen",
                  "narusen", "нарушен", "нарушает", "ihlal", "違反", "위반", "overtrad"),
}  # fmt: skip
for _name, _stems in (
    *_MORE.items(),
    *_SET25.items(),
    *_SYSTEMATIC.items(),
    *_SET27.items(),
    *_SET28.items(),
    *_SET29.items(),
    *_VIETNAMESE_CATALOGUES.items(),
    *_CATALOGUES2.items(),
):
    _CONCEPTS[_name] = _CONCEPTS.get(_name, ()) + _stems
_REGEX_SYNTAX = re.compile(r"[\\\[\](){}?*+|^$]")
# Latin letters from the most frequent to the rarest: a stem is indexed by its rarest pair of letters.
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"


def _literal(stem: str) -> str:
    """The longest run of letters every match of the stem holds: the stem itself, or for a regex the longest
    run outside its groups, classes, escapes and optional letters (``\\bvol(?:le)?\\b`` -> ``vol``)."""
    if not _REGEX_SYNTAX.search(stem):
        return stem
    runs: list[str] = [""]
    depth, i = 0, 0
    while i < len(stem):
        char = stem[i]
        if char == "\\":  # an escape (\\b, \\d, \\s) ends a run
            runs.append("")
            i += 2
            continue
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif depth == 0 and char in "?*" and runs[-1]:
            runs[-1] = runs[-1][:-1]  # the letter before is optional
        elif depth == 0 and not _REGEX_SYNTAX.match(char):
            runs[-1] += char
            i += 1
            continue
        runs.append("")
        i += 1
    return max(runs, key=len)


def _key(literal: str) -> str:
    """The rarest three characters of a literal (a letter outside ASCII counts as rare), or the literal itself
    where it is shorter."""
    if len(literal) < 4:
        return literal
    rank = {char: i for i, char in enumerate(_COMMON)}
    runs = [literal[i : i + 3] for i in range(len(literal) - 2)]
    return max(runs, key=lambda run: sum(rank.get(char, len(_COMMON)) for char in run))


def _index() -> dict[str, tuple[tuple[str, str, re.Pattern[str] | None], ...]]:
    """Every stem of every concept under a character or pair of characters each of its matches holds: a
    sentence is looked at only for the stems whose key it holds, so a stem costs nothing where its letters
    are absent (one alternation per concept tried every stem at every position of every sentence)."""
    index: dict[str, list[tuple[str, str, re.Pattern[str] | None]]] = {}
    for name, stems in _CONCEPTS.items():
        for stem in stems:
            literal = _literal(stem)
            assert literal, stem
            pattern = re.compile(stem) if _REGEX_SYNTAX.search(stem) else None
            # a regex is tried only where its literal is there: (name, literal, pattern)
            index.setdefault(_key(literal), []).append((name, literal, pattern))
    return {key: tuple(entries) for key, entries in index.items()}


_INDEX = _index()
_KEYS = frozenset(_INDEX)
_SHORT_ASCII = tuple(key for key in _INDEX if len(key) < 3 and key.isascii())
# the characters the shorter keys outside ASCII start with (CJK, Hangul, Thai, Arabic words of one or two)
_SHORT_STARTS = frozenset(key[0] for key in _INDEX if len(key) < 3 and not key.isascii())

# A non-ASCII letter, or an unaccented Vietnamese (or other Latin-script) stem that English does not hold: the gate.
_VI_ASCII = ("khong ", "nguoi ", "hop thu", "hom thu", "may chu", "tai khoan", "dung luong", "ten mien", "vuot qua",
             "thoi gian", "thu rac", "xac thuc", "ket noi", "dia chi", "gioi han",
             # the other Latin-script languages' words English does not use, for a text written without accents
             "tidak ", "penerima", "akun ", "kotak ", "empfanger", "postfach", "konto", "gesperrt", "nicht ",
             "destinataire", "introuvable", "inexistant", "boite", "n'existe", "destinatario", "destinatarios",
             "buzon", "existe", "demasiados", "demasiadas", "caixa", "nao ", "messaggio", "casella", "non ",
             "skrzynka", "skrzynki", "odbiorcy", "odbiorca", "alici", "kutusu", "schranka", "prijemce", "prijemci",
             "neexistuje",
             # Vietnamese again, and the languages added later (Dutch, Nordic, Finnish, Hungarian, Romanian, Catalan)
             "vo hieu", "bi khoa", "danh sach", "het dung", "luu tru", "han muc", "bi chan", "toi da",
             "niet ", "bestaat", "ontvanger", "afgeleverd", "geweigerd", "geblokkeerd", "postvak", "bericht",
             "inte ", "ikke ", "finns", "findes", "finnes", "mottagare", "mottagaren", "modtager", "mottaker",
             "meddelandet", "kontot", "brevlada", "postkasse", "postkassen", "olemassa", "loydy", "vastaanottaja",
             "vastaanottajan", "postilaatikko", "sahkoposti", "viesti", "viestin", "taynna", "palvelin", "cimzett",
             "postafiok", "uzenet", "megtelt", "ismeretlen", "exista", "destinatar", "destinatarul", "casuta",
             "mesajul", "contul", "bustia", "destinatari", "missatge", "existeix", "correu", "onbekend",
             "e-mailadres", "zwarte", "usuari", "desactivat", "mottakeren", "kontoen", "nie ma", "nie odnaleziono",
             "nie zostal",
             # set 25: German's "exists" and Spanish's "delivery ... expired", written without accents or needing none
             "existiert", "entrega", "vencido",
             # the languages filled systematically, written without accents or needing none (Indonesian, Turkish,
             # Polish, Czech, German, Spanish, French, Dutch)
             "waktu", "alamat", "pesan", "surel", "kullanici", "sunucu", "hesap", "posta", "serwer", "adresat",
             "adresata", "uzivatel", "domena", "domeny", "teilnehmer", "correo", "dominio", "domein", "trop ",
             # set 27: Swedish's genitive (the recipient's ...), French's "reached" and the Romance "limit"
             "mottagarens", "atteint", "limite",
             # set 28: Vietnamese's maintenance, unaccented
             "bao tri",
             # set 29: the Romance "greater than" and Italian's size and attachment, needing no accents
             "superiore", "superiori", "dimensioni", "allegato", "allegare", "duong truyen",
             *_VIETNAMESE_CATALOGUES_ASCII,
             # the second catalogue fill (_CATALOGUES2): words of Italian, Spanish, German, Polish, Swedish, Turkish and
             # Czech that English does not use, in notices that need no accent
             "inoltro", "connessione", "autenticazione", "indirizzo", "sconosciuto", "troppi", "impossibile",
             "inesistente", "utente", "rifiutato", "rifiutata", "negato", "usuario", "desconocido", "mensaje",
             "remitente", "servidor", "cuenta", "denegado", "denegada", "rechazado", "rechazada", "reenvio",
             "retransmision", "autenticacion", "conexion", "nachricht", "absender", "verbindung", "weiterleitung",
             "authentifizierung", "fehlgeschlagen", "abgelehnt", "verweigert", "blockiert", "adresse", "zustellung",
             "unbekannt", "skrzynce", "przekroczono", "przekazywanie", "poczty", "wiadomosc", "uzytkownik", "nadawca",
             "serwera", "polaczenie", "anslutningen", "autentiseringen", "misslyckades", "servern", "hittades",
             "avsandaren", "nekades", "engellendi", "adresiniz", "gonderen", "nelze", "zprava", "odesilatel",
             "zuruckgewiesen", "zurueckgewiesen")  # fmt: skip
# (each stem is whole words, the first of which _FIRST_WORDS holds)
_SENTENCE = re.compile(r"[。！？；\n]|[.!?;](?:\s|$)")


_NON_ASCII_LETTER = re.compile(r"(?![\x00-\x7f])[^\W\d_]")
# A text over _LONGEST characters (a whole notice, not a reply) is read sentence by sentence, only its first
# _SENTENCES sentences of _LONGEST characters at most within its first _READ characters: its reason is stated
# early, and every sentence read costs a pass over the lexicon (a longer "sentence" is a line of data or headers).
_READ = 2000
_SENTENCES = 3
_LONGEST = 400


# The first word of each (one of four letters or more also with a stop or comma after it; set 28: any of them
# also after an opening bracket, "(xac thuc smtp)"): an ASCII text that holds none of them is not looked at further.
_FIRST_WORDS = frozenset(
    start + word + end
    for word in (stem.split()[0] for stem in _VI_ASCII)
    for start in ("", "(")
    for end in ("", ".", ",", ";", ":")
    if not end or len(word) > 3
)


def wanted(lowered: str) -> bool:
    """Whether a text may be worth the lexicon: the part it reads holds a letter outside ASCII or an unaccented
    stem."""
    head = lowered[:_READ]
    if head.isascii():  # a long one is not read: English notices are long, an unaccented one rarely
        return (
            len(lowered) <= _LONGEST
            and not _FIRST_WORDS.isdisjoint(head.split())
            and any(stem in head for stem in _VI_ASCII)
        )
    return _NON_ASCII_LETTER.search(head) is not None


def _concepts(sentence: str) -> frozenset[str]:
    # its runs of three characters, the few shorter keys in ASCII (ip, mx, digits) and, where it holds a character
    # one starts with, the shorter keys outside ASCII
    held = _KEYS.intersection([sentence[i : i + 3] for i in range(len(sentence) - 2)])
    held = held.union(key for key in _SHORT_ASCII if key in sentence)
    if not _SHORT_STARTS.isdisjoint(sentence):
        held = held.union(_KEYS.intersection(map(add, sentence, sentence[1:])), _KEYS.intersection(sentence))
    found: set[str] = set()
    for key in held:
        for name, literal, pattern in _INDEX[key]:
            if name not in found and literal in sentence and (pattern is None or pattern.search(sentence)):
                found.add(name)
    return frozenset(found)


def _reason(c: frozenset[str]) -> str:
    """The reason concepts occurring together in one sentence name, most specific first."""
    holder = c & {"mailbox", "account", "user"}
    if "virus" in c:
        return "virusdetected"
    if "spam" in c:
        return "blocked" if c & {"ip", "blocked"} else "spamdetected"
    if "authcheck" in c:
        return "authfailure"  # SPF, DKIM or DMARC named in the refusal
    if "ip" in c and "blocked" in c:
        return "blocked"
    if "reverse" in c and c & {"fail", "notexist", "blocked", "required", "notallowed", "wrong", "unable"}:
        return "requireptr"  # the sending IP's reverse DNS (its PTR) missing or failing, in any language
    if "ip" in c and "notallowed" in c and not c & {"relay", "sender"}:
        return "blocked"  # the sending IP itself forbidden ("发信IP被禁止")
    if "listed" in c:
        return "blocked"
    if "relay" in c and c & {"notallowed", "fail"}:
        return "norelaying"
    if "encryption" in c and "auth" not in c and c & {"required", "fail", "unable", "notallowed"}:
        return "failedstarttls"  # an encrypted (TLS) connection required or failed
    if "auth" in c and c & {"fail", "wrong", "notexist", "required", "error", "unable"}:
        return "securityerror"
    if "disk" in c and c & {"full", "insufficient"} and not c & {"mailbox", "account"}:
        return "systemfull"  # (a mailbox's disk space used up is its quota)
    if "server" in c and c & {"full", "insufficient"} and not c & {"mailbox", "account", "user"}:
        return "systemfull"  # the server's own space, no mailbox or recipient named
    if c & {"mailbox", "account"} and ("full" in c or ("quota" in c and c & {"exceed", "insufficient"})):
        return "mailboxfull"
    if "mailbox" in c and "size" in c and "exceed" in c and not c & {"big", "larger", "megabytes"}:
        return "mailboxfull"  # the mailbox's own size gone over
    if "big" in c or ("size" in c and c & {"exceed", "limit"}):
        return "mesgtoobig"
    if not c & {"mailbox", "account", "quota"} and (
        ("larger" in c and c & {"message", "size", "megabytes"})
        or ("megabytes" in c and c & {"exceed", "limit"})
    ):
        return "mesgtoobig"
    if "quota" in c and c & {"full", "exceed", "insufficient"}:
        return "mailboxfull"
    if "full" in c and "user" in c and not c & {"disk", "server", "queue"}:
        return "mailboxfull"  # the recipient (its address, its destination) is full
    if "attachment" in c and c & {"fail", "notallowed", "blocked", "noaccept"}:
        return "policyviolation"  # a kind of attachment refused (too big ones are read above)
    if (
        "content" in c
        and c & {"blocked", "notallowed"}
        and not c & {"ip", "sender", "server", "domain", "listed"}
    ):
        return (
            "policyviolation"  # a message blocked for what it holds: a content policy, not the sender blocked
        )
    if (
        "daily" in c
        and "message" in c
        and c & {"count", "exceed"}
        and not c & {"mailbox", "quota", "size", "big"}
    ):
        return "speeding"  # messages counted over a limit in a day or an hour: a rate, even where sending is paused for it
    if holder and "disabled" in c and "notexist" not in c:
        return "suspend"  # (an account that "does not exist or was blocked" is unknown first)
    if c & {"mailbox", "account"} and "expire" in c and "notexist" not in c:
        return "suspend"  # a mailbox or account that expired is closed, not a message out of time
    if "account" in c and "blocked" in c and not c & {"server", "sender", "domain", "spam", "notexist"}:
        return "suspend"  # the account itself blocked: no sender, server or spam named as what is refused
    if "domain" in c and c & {"notexist", "wrong"}:
        return "hostunknown"  # (a domain called wrong is one the sender's server could not find)
    if "domain" in c and "noaccept" in c:
        return "notaccept"  # a domain that takes no mail
    if holder and "notexist" in c:
        return "userunknown"
    if "user" in c and "wrong" in c and not c & {"auth", "sender"}:
        return "userunknown"  # the address is wrong
    if "notexist" in c and "message" in c and not c & {"domain", "server", "attachment", "size", "sender"}:
        return "userunknown"  # "the e-mail (address) does not exist"
    if "server" in c and "notexist" in c:
        return "hostunknown"
    if "maintenance" in c and not c & {"timeout", "expire", "retries"}:
        return "systemerror"  # the receiving system under maintenance
    if (
        c & {"timeout", "expire", "retries"}
        or ("queue" in c and c & {"exceed", "fail"})
        or ("delayed" in c and c & {"message", "server"})
    ):
        return "expired"
    if "connection" in c and c & {"fail", "unable", "unreachable"}:
        return "networkerror"
    if "server" in c and "unreachable" in c:
        return "networkerror"  # the receiving server out of reach
    if "server" in c and "unavailable" in c and not c & {"mailbox", "account"}:
        return "systemerror"  # the receiving server not available: its own trouble
    if "rate" in c:
        return "speeding"
    if "toomany" in c and "recipients" in c:
        return "toomanyconn"
    if "recipients" in c and "count" in c and c & {"limit", "exceed"} and "daily" not in c:
        return "toomanyconn"
    if "recipients" in c and "limit" in c and "number" in c and not c & {"daily", "mailbox", "quota"}:
        return "toomanyconn"  # recipients up to a number
    if "policy" in c and c & {"fail", "notallowed", "blocked", "violation"}:
        return "policyviolation"  # refused under a policy the receiving side names
    if "sender" in c and "fail" in c:
        return "rejected"
    if (
        "toomany" in c
        or ("daily" in c and "limit" in c)
        or ("limit" in c and "exceed" in c and c & {"message", "sending"})
        or ("count" in c and c & {"limit", "exceed"} and "message" in c and "mailbox" not in c)
    ):
        return "speeding"
    if "blocked" in c and c & {"server", "sender", "domain"}:
        return "blocked"
    return ""


# "IP address" in the languages the lexicon reads (folded): its word for address names no recipient
_IP_ADDRESS = re.compile(
    r"ip ?地址|ipアドレス|ip ?주소|dia chi ip|ip-?adres\w*|adres\w* ip\b|direccion ip|endereco ip|indirizzo ip|"
    r"alamat ip|ip-?адрес\w*|адрес\w* ip\b|ที่อยู่ ?ip"
)


def concept_reason(lowered: str) -> str:
    """The reason a localised text's concepts name, sentence by sentence; "" where none does or the text is
    not one the lexicon reads (see ``wanted``)."""
    if not wanted(lowered):
        return ""
    if len(lowered) <= _LONGEST:
        sentences = _SENTENCE.split(lowered)
    else:  # (split no further than the sentences it may read)
        sentences = _SENTENCE.split(lowered[:_READ], maxsplit=2 * _SENTENCES)[: 2 * _SENTENCES]
        sentences = [sentence for sentence in sentences if len(sentence) <= _LONGEST][:_SENTENCES]
    for sentence in sentences:
        folded = fold(sentence)
        if "ip" in folded:  # an IP address is an IP, not a recipient's address
            folded = _IP_ADDRESS.sub(" ip ", folded)
        reason = _reason(_concepts(folded))
        if reason:
            return reason
    return ""
