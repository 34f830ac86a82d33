"""Store operations on inbound mail: record each message once (content hash), attribute it to a
respondent, and apply what it proves — all in one transaction.

Attribution, strongest first (DESIGN.md): our token in the VERP address or in our Message-ID /
X-Survey-Token quoted back; then a DSN recipient matching a respondent of an open campaign; then,
for replies, the From address. What cannot be attributed is kept and listed, never dropped.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core import actions, corrections, lifecycle, tokens
from maildaemon.core.lifecycle import CampaignSettings, InboundEvidence, Respondent
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.errors import NotFound
from maildaemon.inbound.classify import Verdict, classify
from maildaemon.inbound.classify.verdict import RecipientVerdict
from maildaemon.store import tables
from maildaemon.store.base import Change, StoreBase, apply_changes
from maildaemon.store.bulk import insert_rows, select_in
from maildaemon.store.respondents import change_of, note_row

if TYPE_CHECKING:
    from maildaemon.inbound.sink import BatchInboundSink

log = logging.getLogger(__name__)

IN = tables.inbound
R = tables.respondents
C = tables.campaigns
MS = tables.mailbox_state

_RESPONDENT = (
    R.c.id, R.c.token, R.c.campaign_id, R.c.email, R.c.email_key, R.c.delivery, R.c.completion,
    R.c.transient_count, R.c.former_emails,
)  # fmt: skip
_RESPONDENT_KEYS = tuple(c.name for c in _RESPONDENT)
_ATTRIBUTION = select(*_RESPONDENT, C.c.definition).join(C, C.c.id == R.c.campaign_id)

_SOFT = sorted(actions.SOFT_REASONS)

# The batch reads, as plain SQL (store.bulk.select_in): string and integer columns and keys only, which
# need no type processing; ``received_at`` goes through its column type both ways.
# The campaign's definition is read once per batch, not once per respondent.
_BY_TOKEN = f"SELECT {', '.join(_RESPONDENT_KEYS)} FROM respondents WHERE token IN ({{values}})"
_SEEN = "SELECT id, content_hash, kind, respondent_id, moved_to FROM inbound WHERE content_hash IN ({values})"
if any(not r.isalnum() for r in _SOFT):  # they are written into the SQL below as literals
    raise AssertionError(f"soft-bounce reasons must be plain words: {_SOFT}")
_SOFT_TIMES = (
    "SELECT respondent_id, received_at FROM inbound WHERE respondent_id IN ({values}) AND received_at > {after} "
    "AND (kind = 'delay' OR (kind = 'bounce' AND NOT hard AND reason IN ("
    + ", ".join(f"'{r}'" for r in _SOFT)
    + ")))"
)

OUTCOME_FOLDER = {
    "bounce": "bounces",
    "delay": "bounces",
    "delivered": "bounces",
    "feedback": "bounces",
    "autoreply": "autoreplies",
    "reply": "replies",
    "unknown": "unattributed",
}


@dataclass(frozen=True, slots=True)
class InboundResult:
    """What the watcher needs back: where to move the message, and whether it was new."""

    outcome: str  # bounces | autoreplies | replies | unattributed
    duplicate: bool
    kind: str
    respondent_id: int | None
    inbound_id: int | None = None


@dataclass(frozen=True, slots=True)
class InboundRow:
    id: int
    received_at: datetime
    folder: str
    kind: str
    reason: str | None
    subject: str | None
    from_addr: str
    recipients: list[str]
    attributed_by: str | None
    email: str | None


@dataclass(frozen=True, slots=True)
class InboundMessage:
    """One recorded message with its verdict, whom it was tied to and how, for ``inbound show``."""

    id: int
    received_at: datetime
    folder: str
    kind: str
    reason: str | None
    status: str | None
    hard: bool
    attributed_by: str | None
    moved_to: str | None
    email: str | None  # the respondent's, when attributed
    full_name: str | None
    campaign: str | None
    timezone: str  # the campaign's (the default zone for an unattributed message)
    raw: bytes
    verdict: str = ""  # the classifier's verdict as stored (JSON; any age, see ``stored_recipients``)
    respondent_id: int | None = None


def attribution_source(verdict: Verdict, token: str) -> str:
    """How a token was found: in the address the mail came back to, our Message-ID, or our header."""
    return tokens.found_by(token, verdict.to_addrs, (verdict.in_reply_to, *verdict.references))


class InboundOps(StoreBase):
    bounce_policy: TransientBouncePolicy = TransientBouncePolicy()  # when the caller passes none ([bounce])
    takes_verdicts = True  # the watcher may classify in worker processes and pass the verdicts in

    # --- IMAP bookkeeping ---------------------------------------------------------------------

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None:
        async with self.tx() as conn:
            row = (
                await conn.execute(select(MS.c.uidvalidity, MS.c.last_uid).where(MS.c.folder == folder))
            ).first()
        return (int(row[0]), int(row[1])) if row else None

    async def save_mailbox_state(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        values = {"folder": folder, "uidvalidity": uidvalidity, "last_uid": last_uid, "updated_at": now}
        ins: Any = postgresql.insert(MS) if self.dialect == "postgresql" else sqlite.insert(MS)
        stmt = ins.values(**values).on_conflict_do_update(
            index_elements=["folder"], set_={k: v for k, v in values.items() if k != "folder"}
        )
        async with self.tx() as conn:
            await conn.execute(stmt)

    # --- recording ----------------------------------------------------------------------------

    async def record_inbound(
        self, raw: bytes, *, folder: str, uidvalidity: int | None, uid: int | None, now: datetime,
        bounces: TransientBouncePolicy | None = None,
    ) -> InboundResult:  # fmt: skip
        """Classify, attribute and record one message; a message seen before changes nothing."""
        return (
            await self.record_inbound_many(
                [(uid, raw)], folder=folder, uidvalidity=uidvalidity, now=now, bounces=bounces
            )
        )[0]

    async def record_inbound_many(
        self,
        items: Sequence[tuple[int | None, bytes]],
        *,
        folder: str,
        uidvalidity: int | None,
        now: datetime,
        verdicts: Sequence[tuple[Verdict, str]] | None = None,
        bounces: TransientBouncePolicy | None = None,
    ) -> list[InboundResult]:
        """Record a fetch batch in one transaction: one commit per batch, not per message.

        Messages seen before (same content hash, also within the batch) change nothing; each new one
        is classified (unless ``verdicts`` come with the batch: each with its stored JSON, in the order
        of ``items``), attributed and applied in order, so two messages about one person in one batch
        see each other's effect. ``bounces`` is the configured soft-bounce rule ([bounce]).
        """
        policy = bounces or self.bounce_policy
        if verdicts is not None and len(verdicts) != len(items):
            raise ValueError(f"{len(verdicts)} verdicts for {len(items)} messages")
        digests = [hashlib.sha256(raw).hexdigest() for _, raw in items]
        if verdicts is not None:  # nothing to compute between reading and writing: one transaction
            async with self.tx() as conn:
                seen = await self._seen(conn, digests)
                by_digest = self._classified(items, digests, seen, verdicts)
                results = await self._record_new(
                    conn, items, digests, seen, by_digest, folder, uidvalidity, now, policy
                )
        else:
            async with self.tx() as conn:
                seen = await self._seen(conn, digests)
            by_digest = self._classified(items, digests, seen, None)  # pure CPU, outside the transaction
            async with self.tx() as conn:
                results = await self._record_new(
                    conn, items, digests, seen, by_digest, folder, uidvalidity, now, policy
                )
        out: list[InboundResult] = []
        answered: set[str] = set()
        for digest in digests:
            if digest in seen:
                row = seen[digest]
                outcome = row.moved_to or (OUTCOME_FOLDER.get(row.kind, "unattributed") if row.respondent_id
                                           else "unattributed")  # fmt: skip
                out.append(InboundResult(outcome, True, row.kind, row.respondent_id, row.id))
            elif digest in answered:  # a second copy in this batch
                out.append(replace(results[digest], duplicate=True))
            else:
                answered.add(digest)
                out.append(results[digest])
        return out

    async def _seen(self, conn: AsyncConnection, digests: list[str]) -> dict[str, Any]:
        rows = await select_in(conn, _SEEN, list(dict.fromkeys(digests)))
        return {row.content_hash: row for row in rows}

    @staticmethod
    def _classified(
        items: Sequence[tuple[int | None, bytes]], digests: list[str], seen: dict[str, Any],
        verdicts: Sequence[tuple[Verdict, str]] | None,
    ) -> dict[str, tuple[Verdict, str]]:  # fmt: skip
        """The verdict (and its stored JSON) of each new message, by content hash."""
        out: dict[str, tuple[Verdict, str]] = {}
        for i, ((_, raw), digest) in enumerate(zip(items, digests, strict=True)):
            if digest not in seen and digest not in out:
                if verdicts is not None:
                    out[digest] = verdicts[i]
                else:
                    verdict = classify(raw)
                    out[digest] = (verdict, verdict.stored())
        return out

    async def _by_tokens(self, conn: AsyncConnection, tokens: set[str]) -> dict[str, dict[str, Any]]:
        if not tokens:
            return {}
        people = [
            dict(zip(_RESPONDENT_KEYS, row, strict=True))
            for row in await select_in(conn, _BY_TOKEN, list(tokens))
        ]
        campaigns = {p["campaign_id"] for p in people}
        definitions: dict[Any, str] = {}
        if campaigns:
            rows = await conn.execute(select(C.c.id, C.c.definition).where(C.c.id.in_(campaigns)))
            definitions = {cid: text for cid, text in rows.all()}
        for person in people:
            person["definition"] = definitions.get(person["campaign_id"])
        return {p["token"]: p for p in people}

    async def _record_new(
        self, conn: AsyncConnection, items: Sequence[tuple[int | None, bytes]], digests: list[str],
        seen: dict[str, Any], verdicts: dict[str, tuple[Verdict, str]], folder: str, uidvalidity: int | None, now: datetime,
        bounces: TransientBouncePolicy,
    ) -> dict[str, InboundResult]:  # fmt: skip
        """Insert the new messages in one statement, then apply what each proves, in order."""
        people = await self._by_tokens(conn, {t.lower() for v, _ in verdicts.values() for t in v.tokens})
        entries: list[tuple[str, Verdict, dict[str, Any] | None, str | None, RecipientVerdict | None]] = []
        rows: list[dict[str, Any]] = []
        taken: set[str] = set()  # a second copy within the batch
        for (uid, raw), digest in zip(items, digests, strict=True):
            if digest in seen or digest in taken:
                continue
            taken.add(digest)
            verdict, stored = verdicts[digest]
            resp, by, match = await self._attribute(conn, verdict, people)
            outcome = OUTCOME_FOLDER.get(verdict.kind, "unattributed") if resp is not None else "unattributed"
            entries.append((digest, verdict, resp, by, match))
            rows.append({
                "content_hash": digest, "message_id": (verdict.message_id or None) and verdict.message_id[:998],
                "folder": folder, "uidvalidity": uidvalidity, "uid": uid, "received_at": now, "kind": verdict.kind,
                "reason": (match.reason if match else verdict.reason) or None,
                "status": (match.status if match else verdict.status) or None,
                "hard": bool(match.hard if match else verdict.hard),
                "campaign_id": resp["campaign_id"] if resp else None, "respondent_id": resp["id"] if resp else None,
                "attributed_by": by, "moved_to": outcome, "subject": verdict.subject[:2000] or None,
                "verdict": stored, "raw": raw,
            })  # fmt: skip
        if not rows:
            return {}
        inserted = await insert_rows(
            conn, IN, rows, conflict="content_hash", returning=("content_hash", "id")
        )
        ids = {h: int(i) for h, i in inserted}
        delayed = {  # people with a soft bounce in this batch: their earlier ones decide the threshold
            int(e[2]["id"]) for e in entries
            if e[2] is not None and lifecycle.is_transient(e[1].kind, *_reason_hard(e[1], e[4]))
        }  # fmt: skip
        transient = await soft_bounce_times(conn, delayed, lifecycle.soft_bounce_window(bounces, now))
        states: dict[int, Respondent] = {}  # each person's state as this batch has left it
        rounds: list[list[Change]] = []
        changes_of: Counter[int] = Counter()
        notes: list[dict[str, Any]] = []
        results: dict[str, InboundResult] = {}
        for digest, verdict, resp, by, match in entries:
            outcome = OUTCOME_FOLDER.get(verdict.kind, "unattributed") if resp is not None else "unattributed"
            rid = int(resp["id"]) if resp else None
            if digest not in ids:  # recorded meanwhile by another daemon
                results[digest] = InboundResult(outcome, True, verdict.kind, rid)
                continue
            results[digest] = InboundResult(outcome, False, verdict.kind, rid, ids[digest])
            log.info(
                "inbound.%s kind=%s reason=%s respondent=%s by=%s subject=%r", "recorded" if resp else "unattributed",
                verdict.kind, (match.reason if match else verdict.reason) or "-", resp["email"] if resp else "-",
                by or "-", verdict.subject[:80],
            )  # fmt: skip
            if resp is None or rid is None:
                continue
            state = states.get(rid) or _state(resp, transient.get(rid, ()))
            evidence = _evidence(verdict, match, ids[digest])
            named = [a for v in verdict.verdicts for a in (v.recipient, v.original_recipient)]
            if corrections.about_former_address(
                verdict.kind, named, resp["email_key"], resp.get("former_emails")
            ):
                effect = corrections.on_former_address(state, evidence)  # late, about a corrected address
            else:
                effect = lifecycle.on_inbound(state, evidence, _settings(resp), bounces, now)
            states[rid] = effect.after
            if effect.note is not None:
                notes.append(note_row(effect, now))
            if effect.changes_respondent:
                change = change_of(effect)
                # a person changes at most once per statement batch: the n-th change goes to round n
                n = changes_of[change.respondent_id]
                changes_of[change.respondent_id] += 1
                while len(rounds) <= n:
                    rounds.append([])
                rounds[n].append(change)
        for changes in rounds:
            await apply_changes(conn, changes, now)
        await insert_rows(conn, tables.events, notes)
        return results

    async def _attribute(
        self, conn: AsyncConnection, verdict: Verdict, people: dict[str, dict[str, Any]]
    ) -> tuple[dict[str, Any] | None, str | None, RecipientVerdict | None]:
        for token in verdict.tokens:
            found = people.get(token.lower())
            if found is not None:
                return found, attribution_source(verdict, token), _match(verdict, found["email_key"])
        if verdict.kind in ("bounce", "delay", "delivered", "feedback"):
            for v in verdict.verdicts:
                for addr in (v.original_recipient, v.recipient):
                    row = await self._latest_by_address(conn, _ATTRIBUTION, addr)
                    if row is not None:
                        return row, "dsn-recipient", v
        if verdict.kind in ("reply", "autoreply") and verdict.from_addr:
            row = await self._latest_by_address(conn, _ATTRIBUTION, verdict.from_addr)
            if row is not None:
                return row, "from", None
        if verdict.kind == "autoreply":  # a challenge service writes from its own address, naming the person
            for v in verdict.verdicts:
                if v.recipient and v.recipient.casefold() != verdict.from_addr.casefold():
                    row = await self._latest_by_address(conn, _ATTRIBUTION, v.recipient)
                    if row is not None:
                        return row, "dsn-recipient", v
        return None, None, None

    async def _latest_by_address(self, conn: AsyncConnection, base: Any, addr: str) -> dict[str, Any] | None:
        addr = addr.strip().strip("<>").casefold()
        if "@" not in addr:
            return None
        row = (
            (
                await conn.execute(
                    base.where(R.c.email_key == addr).order_by(C.c.closes_at.desc(), R.c.id.desc())
                )
            )
            .mappings()
            .first()
        )
        return dict(row) if row is not None else None

    # --- reading, for operators ---------------------------------------------------------------

    async def inbound_list(self, *, unattributed: bool = False, kind: str | None = None,
                           limit: int = 200) -> list[InboundRow]:  # fmt: skip
        q = (
            select(
                IN.c.id,
                IN.c.received_at,
                IN.c.folder,
                IN.c.kind,
                IN.c.reason,
                IN.c.subject,
                IN.c.verdict,
                IN.c.attributed_by,
                R.c.email,
            )  # fmt: skip
            .select_from(IN.outerjoin(R, R.c.id == IN.c.respondent_id))
            .order_by(IN.c.id.desc())
            .limit(limit)
        )
        if unattributed:
            q = q.where(IN.c.respondent_id.is_(None))
        if kind:
            q = q.where(IN.c.kind == kind)
        async with self.tx() as conn:
            rows = (await conn.execute(q)).all()
        out = []
        for r in rows:
            data = json.loads(r.verdict)
            out.append(InboundRow(r.id, r.received_at, r.folder, r.kind, r.reason, r.subject,
                                  data.get("from_addr", ""), list(data.get("recipients", [])), r.attributed_by,
                                  r.email))  # fmt: skip
        return out

    async def inbound_message(self, inbound_id: int) -> InboundMessage:
        """One message with its respondent and campaign; NotFound names the id."""
        q = (
            select(
                IN.c.id,
                IN.c.received_at,
                IN.c.folder,
                IN.c.kind,
                IN.c.reason,
                IN.c.status,
                IN.c.hard,
                IN.c.attributed_by,
                IN.c.moved_to,
                R.c.email,
                R.c.full_name,
                C.c.name,
                C.c.definition,
                IN.c.raw,
                IN.c.verdict,
                IN.c.respondent_id,
            )  # fmt: skip
            .select_from(
                IN.outerjoin(R, R.c.id == IN.c.respondent_id).outerjoin(C, C.c.id == IN.c.campaign_id)
            )
            .where(IN.c.id == inbound_id)
        )
        async with self.tx() as conn:
            r = (await conn.execute(q)).first()
        if r is None:
            raise NotFound(f"no inbound message #{inbound_id}")
        return InboundMessage(
            r.id, r.received_at, r.folder, r.kind, r.reason, r.status, bool(r.hard), r.attributed_by, r.moved_to,
            r.email, r.full_name, r.name, campaign_settings(r.definition or "").timezone, bytes(r.raw),
            r.verdict or "", r.respondent_id,
        )  # fmt: skip

    async def inbound_raw(self, inbound_id: int) -> bytes:
        async with self.tx() as conn:
            raw = (await conn.execute(select(IN.c.raw).where(IN.c.id == inbound_id))).scalar()
        if raw is None:
            raise NotFound(f"no inbound message #{inbound_id}")
        return bytes(raw)

    async def set_moved(self, inbound_ids: Sequence[int], folder: str) -> None:
        async with self.tx() as conn:
            await conn.execute(update(IN).where(IN.c.id.in_(list(inbound_ids))).values(moved_to=folder))


async def soft_bounce_times(
    conn: AsyncConnection, respondent_ids: set[int], since: datetime
) -> dict[int, list[datetime]]:
    """Soft-bounce times after ``since``, per respondent (one query for the batch)."""
    out: dict[int, list[Any]] = {rid: [] for rid in respondent_ids}
    if not respondent_ids:
        return out
    rows = await select_in(conn, _SOFT_TIMES, sorted(respondent_ids), after=[(IN.c.received_at, since)])
    as_read = IN.c.received_at.type.result_processor(conn.dialect, None)  # aware UTC, as a query gives it
    for rid, at in rows:
        out[int(rid)].append(as_read(at) if as_read is not None else at)
    return out


def _reason_hard(verdict: Verdict, match: RecipientVerdict | None) -> tuple[str, bool]:
    """The reason and hardness the lifecycle will see for this respondent (as ``_evidence`` picks them)."""
    v = match or (verdict.verdicts[0] if verdict.verdicts else None)
    return (v.reason or "", bool(v.hard)) if v is not None else ("", False)


def _match(verdict: Verdict, email_key: str) -> RecipientVerdict | None:
    """The verdict about this respondent's address, else the first one."""
    for v in verdict.verdicts:
        if email_key in (v.recipient.casefold(), v.original_recipient.casefold()):
            return v
    return verdict.verdicts[0] if verdict.verdicts else None


def _state(resp: dict[str, Any], soft_bounces: Sequence[datetime]) -> Respondent:
    return lifecycle.stored(
        resp["id"], resp["campaign_id"], resp["delivery"], resp["completion"], resp["transient_count"] or 0,
        tuple(soft_bounces),
    )  # fmt: skip


def _evidence(verdict: Verdict, match: RecipientVerdict | None, inbound_id: int) -> InboundEvidence:
    """The verdict about this respondent (the matched recipient, else the first one)."""
    v = match or (verdict.verdicts[0] if verdict.verdicts else None)
    if v is None:
        return InboundEvidence(verdict.kind, inbound_id, return_date=verdict.return_date)
    return InboundEvidence(verdict.kind, inbound_id, v.reason, v.status, bool(v.hard), v.diagnostic,
                           verdict.return_date)  # fmt: skip


def _settings(resp: dict[str, Any]) -> CampaignSettings:
    return campaign_settings(resp.get("definition") or "")


@functools.lru_cache(maxsize=64)
def campaign_settings(definition: str) -> CampaignSettings:
    """A campaign file's settings, parsed once per text (many messages belong to few campaigns)."""
    try:
        data = tomllib.loads(definition)
    except tomllib.TOMLDecodeError:
        return CampaignSettings()
    return CampaignSettings(
        bool(data.get("reply_counts_as_completion", False)),
        str(data.get("timezone", lifecycle.DEFAULT_TIMEZONE)),
    )


if TYPE_CHECKING:  # mypy checks here that the store is a sink the IMAP watcher can record into

    def _is_a_watcher_sink(ops: InboundOps) -> BatchInboundSink:
        return ops
