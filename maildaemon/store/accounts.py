"""Store operations of the operator console: accounts, server-side web sessions, the audit log.

Passwords arrive here already hashed (argon2id, in maildaemon.web.passwords); session ids arrive as
the SHA-256 of the cookie's secret, so neither a password nor a live cookie is ever stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, update

from maildaemon.errors import InputError, NotFound
from maildaemon.store import tables
from maildaemon.store.base import StoreBase

AC, WS, AU = tables.accounts, tables.web_sessions, tables.audit


@dataclass(frozen=True, slots=True)
class AccountRow:
    id: int
    username: str
    display_name: str
    role: str
    campaign: str | None
    agency_code: str | None
    password_hash: str
    disabled: bool
    failed_logins: int
    locked_until: datetime | None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime
    username: str
    address: str
    action: str
    target: str
    outcome: str
    detail: str


def _account(r: Any) -> AccountRow:
    return AccountRow(int(r["id"]), r["username"], r["display_name"], r["role"], r["campaign"],
                      r["agency_code"], r["password_hash"], bool(r["disabled"]), int(r["failed_logins"]),
                      r["locked_until"])  # fmt: skip


class AccountOps(StoreBase):
    async def add_account(self, username: str, display_name: str, role: str, campaign: str | None,
                          agency_code: str | None, password_hash: str, now: datetime) -> int:  # fmt: skip
        async with self.tx() as conn:
            if (await conn.execute(select(AC.c.id).where(AC.c.username == username))).first():
                raise InputError(f"account {username!r} exists already (use 'maildaemon user passwd')")
            res = await conn.execute(
                insert(AC).values(
                    username=username,
                    display_name=display_name,
                    role=role,
                    campaign=campaign,
                    agency_code=agency_code,
                    password_hash=password_hash,
                    disabled=False,
                    failed_logins=0,
                    created_at=now,
                    updated_at=now,
                )  # fmt: skip
            )
            return int(res.inserted_primary_key[0])  # type: ignore[index]

    async def account(self, username: str) -> AccountRow | None:
        async with self.tx() as conn:
            row = (await conn.execute(select(AC).where(AC.c.username == username))).mappings().first()
        return _account(row) if row else None

    async def accounts(self) -> list[AccountRow]:
        async with self.tx() as conn:
            rows = (await conn.execute(select(AC).order_by(AC.c.username))).mappings().all()
        return [_account(r) for r in rows]

    async def _update_account(self, username: str, now: datetime, **values: Any) -> int:
        """Change one account and end its sessions in the same transaction; returns its id."""
        async with self.tx() as conn:
            aid = (await conn.execute(select(AC.c.id).where(AC.c.username == username))).scalar()
            if aid is None:
                raise NotFound(f"no account {username!r}")
            await conn.execute(update(AC).where(AC.c.id == aid).values(updated_at=now, **values))
            await conn.execute(delete(WS).where(WS.c.account_id == aid))
            return int(aid)

    async def set_password(self, username: str, password_hash: str, now: datetime) -> int:
        return await self._update_account(username, now, password_hash=password_hash, failed_logins=0,
                                          locked_until=None)  # fmt: skip

    async def set_disabled(self, username: str, disabled: bool, now: datetime) -> int:
        return await self._update_account(username, now, disabled=disabled)

    async def login_failed(
        self, account_id: int, now: datetime, lock_after: int, lock_until: datetime
    ) -> bool:
        """Count one wrong password; lock the account at ``lock_after`` in a row. True if now locked."""
        async with self.tx() as conn:
            await conn.execute(
                update(AC).where(AC.c.id == account_id).values(failed_logins=AC.c.failed_logins + 1)
            )
            n = int(
                (await conn.execute(select(AC.c.failed_logins).where(AC.c.id == account_id))).scalar() or 0
            )
            if n >= lock_after:
                await conn.execute(
                    update(AC).where(AC.c.id == account_id).values(locked_until=lock_until, failed_logins=0)
                )
                return True
        return False

    async def login_succeeded(self, account_id: int, password_hash: str | None = None) -> None:
        values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
        if password_hash:  # argon2 parameters moved on: store the rehash
            values["password_hash"] = password_hash
        async with self.tx() as conn:
            await conn.execute(update(AC).where(AC.c.id == account_id).values(**values))

    # --- sessions ---------------------------------------------------------------------------------

    async def create_session(self, session_hash: str, account_id: int, csrf_token: str, address: str,
                             now: datetime, expires_at: datetime) -> None:  # fmt: skip
        async with self.tx() as conn:
            await conn.execute(delete(WS).where(WS.c.expires_at <= now))  # housekeeping, cheap by volume
            await conn.execute(
                insert(WS).values(
                    id=session_hash,
                    account_id=account_id,
                    csrf_token=csrf_token,
                    address=address[:64],
                    created_at=now,
                    expires_at=expires_at,
                )  # fmt: skip
            )

    async def session(self, session_hash: str, now: datetime) -> tuple[AccountRow, str] | None:
        """The live session's account and CSRF token; None if unknown, expired or its account disabled."""
        async with self.tx(read=True) as conn:
            row = (
                (
                    await conn.execute(
                        select(AC, WS.c.csrf_token, WS.c.expires_at)
                        .select_from(WS.join(AC, AC.c.id == WS.c.account_id))
                        .where(WS.c.id == session_hash)
                    )
                )
                .mappings()
                .first()
            )
        if row is None or row["expires_at"] <= now or row["disabled"]:
            return None
        return _account(row), str(row["csrf_token"])

    async def delete_session(self, session_hash: str) -> None:
        async with self.tx() as conn:
            await conn.execute(delete(WS).where(WS.c.id == session_hash))

    async def session_count(self, account_id: int) -> int:
        async with self.tx() as conn:
            return int((await conn.execute(
                select(func.count()).select_from(WS).where(WS.c.account_id == account_id))).scalar() or 0)  # fmt: skip

    # --- audit ------------------------------------------------------------------------------------

    async def audit(self, now: datetime, *, account_id: int | None, username: str, address: str, action: str,
                    target: str = "", outcome: str = "ok", detail: str = "") -> None:  # fmt: skip
        async with self.tx() as conn:
            await conn.execute(
                insert(AU).values(
                    at=now,
                    account_id=account_id,
                    username=username[:100],
                    address=address[:64],
                    action=action[:40],
                    target=target[:2000],
                    outcome=outcome,
                    detail=detail[:2000],
                )  # fmt: skip
            )

    async def failed_logins_from(self, address: str, since: datetime) -> int:
        """Refused logins from one address since ``since`` (the rate limit, whoever was named)."""
        async with self.tx() as conn:
            q = (
                select(func.count())
                .select_from(AU)
                .where(
                    AU.c.address == address[:64],
                    AU.c.action == "login",
                    AU.c.outcome != "ok",
                    AU.c.at >= since,
                )
            )
            return int((await conn.execute(q)).scalar() or 0)

    async def audit_count(self, account_id: int, action: str, since: datetime) -> int:
        """How often this account did ``action`` since then (the console's per-account rate limits)."""
        async with self.tx() as conn:
            n = await conn.execute(
                select(func.count()).select_from(AU)
                .where(AU.c.at >= since, AU.c.account_id == account_id, AU.c.action == action)
            )  # fmt: skip
            return int(n.scalar() or 0)

    async def audit_log(self, limit: int = 200) -> list[AuditRow]:
        async with self.tx() as conn:
            rows = (await conn.execute(select(AU).order_by(AU.c.id.desc()).limit(limit))).mappings().all()
        return [AuditRow(int(r["id"]), r["at"], r["username"], r["address"], r["action"], r["target"],
                         r["outcome"], r["detail"]) for r in rows]  # fmt: skip
