"""Synthetic but realistic demo data: the agencies of one province and its civil servants.

Pure and seeded, so a demo run and its test see the same people. Names and agencies are made up
from common Vietnamese family, middle and given names and the structure of a provincial administration
under two-tier local government (since 1 July 2025): the province's departments, and commune and ward
people's committees (UBND xã, phường) with their offices; there is no district level any more.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

FAMILY = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Lâm Mai".split()
MIDDLE_M = "Văn Hữu Đức Minh Quốc Công Thanh Xuân Ngọc Hoàng".split()
MIDDLE_F = "Thị Ngọc Thu Thanh Mỹ Kim Hồng Bích Diệu Phương".split()
GIVEN_M = "An Bình Cường Dũng Đạt Hải Hiếu Hùng Khang Khoa Long Minh Nam Phong Phúc Quân Sơn Tài Thắng Trung Tuấn Việt Vinh".split()
GIVEN_F = "Anh Châu Dung Giang Hà Hạnh Hằng Hoa Hương Lan Linh Loan Mai Ngân Nhung Oanh Phượng Quyên Thảo Trang Tuyết Uyên Vân Yến".split()
TITLES = ["Chuyên viên", "Chuyên viên chính", "Phó Trưởng phòng", "Trưởng phòng", "Phó Giám đốc", "Văn thư",
          "Kế toán", "Thanh tra viên", "Công chức"]  # fmt: skip

PROVINCE = "Tỉnh Khánh Hòa"
DEPARTMENTS = [
    ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("STP", "Sở Tư pháp"), ("SYT", "Sở Y tế"),
    ("SGDDT", "Sở Giáo dục và Đào tạo"), ("SXD", "Sở Xây dựng"), ("SCT", "Sở Công Thương"),
    ("SNNMT", "Sở Nông nghiệp và Môi trường"), ("SVHTTDL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("SKHCN", "Sở Khoa học và Công nghệ"), ("TTT", "Thanh tra tỉnh"), ("VPUBND", "Văn phòng UBND tỉnh"),
]  # fmt: skip
COMMUNES = [
    ("NT", "UBND phường Nha Trang"), ("CR", "UBND phường Cam Ranh"), ("NH", "UBND phường Ninh Hòa"),
    ("PR", "UBND phường Phan Rang"), ("DK", "UBND xã Diên Khánh"), ("VN", "UBND xã Vạn Ninh"),
    ("CL", "UBND xã Cam Lâm"),
]  # fmt: skip


def commune_offices(commune: str) -> list[tuple[str, str]]:
    """A commune's or ward's offices (Decree 150/2025): a ward's economic office also has infrastructure and
    urban affairs."""
    economy = "Phòng Kinh tế, Hạ tầng và Đô thị" if " phường " in f" {commune} " else "Phòng Kinh tế"
    return [("VP", "Văn phòng HĐND và UBND"), ("PKT", economy), ("PVHXH", "Phòng Văn hóa - Xã hội"),
            ("TTHCC", "Trung tâm Phục vụ hành chính công")]  # fmt: skip


@dataclass(frozen=True, slots=True)
class Agency:
    code: str
    name: str
    parent_code: str
    parent_name: str
    domain: str  # the agency's mail domain in the demo


@dataclass(frozen=True, slots=True)
class Person:
    full_name: str
    honorific: str
    title: str
    email: str
    agency: Agency


def agencies() -> list[Agency]:
    """About 40 agencies: departments directly under the province, commune and ward committees with offices."""
    out = [Agency(code, name, "", "", f"{code.lower()}.khanhhoa.test") for code, name in DEPARTMENTS]
    for ccode, cname in COMMUNES:
        domain = f"{ccode.lower()}.khanhhoa.test"
        for ocode, oname in commune_offices(cname):
            out.append(
                Agency(f"{ccode}-{ocode}", f"{oname} {cname.removeprefix('UBND ')}", ccode, cname, domain)
            )
    return out


def focal_email(agency: Agency) -> str:
    """The agency's focal point (đầu mối): a department's daumoi@ its domain; a commune's office shares its
    commune's domain, so its focal point is daumoi.<office>@ it."""
    if not agency.parent_code:
        return f"daumoi@{agency.domain}"
    return f"daumoi.{agency.code.split('-', 1)[1].lower()}@{agency.domain}"


def personal_address(p: Person) -> str:
    """A personal mailbox (not in the roster) for the one who writes from home in the demo."""
    return f"{_ascii(p.full_name).replace(' ', '')}.1985@gmail.test"


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def people(n: int, seed: int = 2026) -> list[Person]:
    """``n`` civil servants spread over the agencies, each with a unique official address."""
    rng = random.Random(seed)
    ags = agencies()
    seen: set[str] = set()
    out: list[Person] = []
    for i in range(n):
        agency = ags[i % len(ags)] if i < len(ags) else rng.choice(ags)
        female = rng.random() < 0.5
        family = rng.choice(FAMILY)
        middle = rng.choice(MIDDLE_F if female else MIDDLE_M)
        given = rng.choice(GIVEN_F if female else GIVEN_M)
        full = f"{family} {middle} {given}"
        local = f"{_ascii(given)}.{_ascii(family[0])}{_ascii(middle[0])}"
        email = f"{local}@{agency.domain}"
        k = 2
        while email in seen:
            email = f"{local}{k}@{agency.domain}"
            k += 1
        seen.add(email)
        out.append(Person(full, "bà" if female else "ông", rng.choice(TITLES), email, agency))
    return out


ROSTER_HEADER = ["STT", "Họ và tên", "Giới tính", "Chức vụ", "Thư điện tử", "Cơ quan/đơn vị", "Mã đơn vị",
                 "Cơ quan cấp trên", "Mã cơ quan cấp trên", "Email đầu mối"]  # fmt: skip


def roster_rows(persons: list[Person]) -> list[list[str]]:
    rows = [ROSTER_HEADER]
    for n, p in enumerate(persons, 1):
        a = p.agency
        rows.append([str(n), p.full_name, "Nữ" if p.honorific == "bà" else "Nam", p.title, p.email, a.name, a.code,
                     a.parent_name, a.parent_code, focal_email(a)])  # fmt: skip
    return rows


BAD_ROWS = [
    [
        "",
        "Trần Văn Lỗi",
        "Nam",
        "Chuyên viên",
        "tranvanloi@",
        "Sở Nội vụ",
        "SNV",
        "",
        "",
        "daumoi@snv.khanhhoa.test",
    ],
    ["", "Lê Thị Trống", "Nữ", "Chuyên viên", "", "Sở Tư pháp", "STP", "", "", "daumoi@stp.khanhhoa.test"],
]
