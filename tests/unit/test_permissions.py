"""The one permission rule: every role, every action, inside and outside its scope."""

from __future__ import annotations

import pytest

from maildaemon.web.permissions import ACTIONS, ALL_ACTIONS, Actor, Target, allowed, in_scope, validate_scope
from maildaemon.web.tree import build_tree

ADMIN = Actor(1, "admin", "admin")
OPERATOR = Actor(2, "op", "operator", campaign="par2026")
OPERATOR_ALL = Actor(3, "op2", "operator")
FOCAL = Actor(4, "dm", "focal", campaign="par2026", agency="SNV")
FOCAL_ANY = Actor(5, "dm2", "focal", agency="SNV")
IT = Actor(6, "it", "it", campaign="par2026", agency="SNV")

PROVINCE = ("_province",)
SNV = ("_province", "SNV")
SNV_UNIT = ("_province", "SNV", "SNV-VP")
STC = ("_province", "STC")
LOOKALIKE = ("_province", "SNV2")  # a code that merely starts like the scope's


@pytest.mark.parametrize("action", sorted(ALL_ACTIONS))
def test_admin_may_do_everything_everywhere(action: str) -> None:
    for path in (PROVINCE, SNV, STC):
        assert allowed(ADMIN, action, Target("other", path))


@pytest.mark.parametrize(
    ("actor", "campaign", "path", "expected"),
    [
        (OPERATOR, "par2026", PROVINCE, True),
        (OPERATOR, "par2026", STC, True),
        (OPERATOR, "sipas2026", SNV, False),  # another campaign
        (OPERATOR_ALL, "sipas2026", SNV, True),
        (FOCAL, "par2026", SNV, True),
        (FOCAL, "par2026", SNV_UNIT, True),  # the units below
        (FOCAL, "par2026", STC, False),
        (FOCAL, "par2026", PROVINCE, False),  # not the province above it
        (FOCAL, "par2026", LOOKALIKE, False),
        (FOCAL, "sipas2026", SNV, False),
        (FOCAL_ANY, "sipas2026", SNV, True),
        (IT, "par2026", SNV_UNIT, True),
        (IT, "par2026", STC, False),
    ],
)
def test_scope_decides_which_agencies_and_people(actor: Actor, campaign: str, path: tuple[str, ...],
                                                 expected: bool) -> None:  # fmt: skip
    assert allowed(actor, "person.view", Target(campaign, path)) is expected
    assert allowed(actor, "agency.view", Target(campaign, path)) is expected
    assert in_scope(actor, campaign, path) is expected


def test_roles_have_only_their_actions() -> None:
    inside = Target("par2026", SNV)
    assert not allowed(FOCAL, "report.download", inside)  # the report covers the whole campaign
    assert not allowed(IT, "report.download", inside)
    assert not allowed(IT, "person.act", inside)  # IT diagnoses; operators and focal points act
    assert allowed(IT, "deliverability.view", inside)
    assert not allowed(FOCAL, "deliverability.view", inside)
    assert allowed(FOCAL, "person.act", inside) and not allowed(FOCAL, "person.act", Target("par2026", STC))
    for actor in (OPERATOR, FOCAL, IT):
        assert not allowed(actor, "account.manage") and not allowed(actor, "audit.view")
    assert not allowed(Actor(9, "x", "nobody"), "campaign.view", inside)
    assert not allowed(OPERATOR, "no.such.action", inside)
    # pausing sends for a whole campaign: administrators and operators, in their campaign only
    assert allowed(ADMIN, "campaign.act", Target("par2026")) and allowed(
        OPERATOR, "campaign.act", Target("par2026")
    )
    assert not allowed(OPERATOR, "campaign.act", Target("sipas2026"))
    assert not allowed(FOCAL, "campaign.act", Target("par2026")) and not allowed(
        IT, "campaign.act", Target("par2026")
    )
    assert set(ACTIONS) == {"admin", "operator", "focal", "it"}


def test_a_scoped_actor_sees_its_campaign_page_but_only_in_its_campaign() -> None:
    assert allowed(FOCAL, "campaign.view", Target("par2026"))
    assert not allowed(FOCAL, "campaign.view", Target("sipas2026"))
    assert allowed(FOCAL_ANY, "campaign.view", Target("sipas2026"))


@pytest.mark.parametrize(
    ("role", "campaign", "agency", "ok"),
    [
        ("admin", None, None, True),
        ("admin", "par2026", None, False),
        ("operator", "par2026", None, True),
        ("operator", None, "SNV", False),
        ("focal", "par2026", None, False),
        ("focal", None, "SNV", True),
        ("it", None, None, True),
        ("root", None, None, False),
    ],
)
def test_account_scopes_are_checked_when_made(
    role: str, campaign: str | None, agency: str | None, ok: bool
) -> None:
    assert (validate_scope(role, campaign, agency) is None) is ok


class _A:
    def __init__(self, id: int, code: str, name: str, parent_id: int | None, level: int) -> None:
        self.id, self.code, self.name, self.parent_id, self.level = id, code, name, parent_id, level


class _C:
    def __init__(self, agency_id: int, delivery: str, completion: str, count: int) -> None:
        self.agency_id, self.delivery, self.completion, self.count = agency_id, delivery, completion, count


def test_tree_paths_and_figures_summed_over_the_subtree() -> None:
    nodes = build_tree(
        [
            _A(1, "_province", "Tỉnh", None, 0),
            _A(2, "SNV", "Sở Nội vụ", 1, 1),
            _A(3, "SNV-VP", "Văn phòng", 2, 2),
            _A(4, "STC", "Sở Tài chính", 1, 1),
        ],  # fmt: skip
        [
            _C(2, "sent", "completed", 3),
            _C(3, "bounced", "pending", 2),
            _C(4, "delivered", "pending", 5),
            _C(2, "", "", 0),
        ],  # fmt: skip
    )
    assert nodes[3].path == SNV_UNIT
    assert (nodes[2].figures.total, nodes[2].figures.completed, nodes[2].figures.bounced) == (5, 3, 2)
    assert (nodes[1].figures.total, nodes[1].figures.completed) == (10, 3)
    assert sorted(nodes[2].subtree_ids()) == [2, 3]
    assert nodes[1].figures.rate == 0.3 and nodes[4].figures.rate == 0.0
