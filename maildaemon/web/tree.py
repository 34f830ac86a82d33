"""The agency tree of one campaign as the console shows it: each agency's path of codes (for the scope
rule), its units below, and figures summed over its subtree. Pure; built from a handful of rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

BOUNCED = frozenset({"bounced", "failed", "checked_bad"})
INVITED = frozenset({"sent", "delivered", "deferred", "bounced", "failed"})


class AgencyLike(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def parent_id(self) -> int | None: ...
    @property
    def level(self) -> int: ...


class CountLike(Protocol):
    @property
    def agency_id(self) -> int | None: ...
    @property
    def delivery(self) -> str: ...
    @property
    def completion(self) -> str: ...
    @property
    def count(self) -> int: ...


@dataclass
class Figures:
    total: int = 0
    invited: int = 0
    bounced: int = 0
    completed: int = 0
    pending: int = 0
    away: int = 0
    replied: int = 0

    def add(self, delivery: str, completion: str, n: int) -> None:
        if not delivery:
            return
        self.total += n
        self.invited += n if delivery in INVITED else 0
        self.bounced += n if delivery in BOUNCED else 0
        self.completed += n if completion == "completed" else 0
        self.pending += n if completion == "pending" else 0
        self.away += n if completion == "away" else 0
        self.replied += n if completion == "replied" else 0

    def merge(self, other: Figures) -> None:
        for name in ("total", "invited", "bounced", "completed", "pending", "away", "replied"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    @property
    def rate(self) -> float | None:
        return self.completed / self.total if self.total else None

    def as_dict(self, target: float) -> dict[str, object]:
        return {"total": self.total, "invited": self.invited, "bounced": self.bounced,
                "completed": self.completed, "pending": self.pending, "rate": self.rate, "target": target}  # fmt: skip


@dataclass
class Node:
    id: int
    code: str
    name: str
    level: int
    path: tuple[str, ...]
    parent_id: int | None
    children: list[Node] = field(default_factory=list)
    own: Figures = field(default_factory=Figures)
    figures: Figures = field(default_factory=Figures)  # own + everything below

    def subtree_ids(self) -> list[int]:
        out = [self.id]
        for c in self.children:
            out.extend(c.subtree_ids())
        return out


def build_tree(agencies: Iterable[AgencyLike], counts: Iterable[CountLike]) -> dict[int, Node]:
    """Every agency by id, linked to its children, with paths and summed figures."""
    nodes = {a.id: Node(a.id, a.code, a.name, a.level, (), a.parent_id) for a in agencies}
    for n in nodes.values():
        if n.parent_id in nodes:
            nodes[n.parent_id].children.append(n)
    for c in counts:
        if c.agency_id in nodes:
            nodes[c.agency_id].own.add(c.delivery, c.completion, c.count)

    def walk(n: Node, path: tuple[str, ...], depth: int) -> None:
        n.path = (*path, n.code)
        n.figures = Figures()
        n.figures.merge(n.own)
        n.children.sort(key=lambda c: c.name)
        for c in n.children:
            if depth < 20:  # a cycle in bad data must not hang a page
                walk(c, n.path, depth + 1)
                n.figures.merge(c.figures)

    for root in roots(nodes.values()):
        walk(root, (), 0)
    return nodes


def roots(nodes: Iterable[Node]) -> list[Node]:
    all_nodes = list(nodes)
    ids = {n.id for n in all_nodes}
    return sorted((n for n in all_nodes if n.parent_id not in ids), key=lambda n: (n.level, n.name))


def top_visible(nodes: dict[int, Node], visible: Sequence[Node]) -> list[Node]:
    """The highest visible agencies: a focal point's tree starts at their own agency."""
    seen = {n.id for n in visible}
    return [n for n in visible if n.parent_id not in seen]
