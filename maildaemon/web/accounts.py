"""Account use cases, shared by `maildaemon user ...` and the console: add, change password, disable,
list, and signing in (lockout per account, a rate limit per address, the same answer for an unknown
name and a wrong password). Every one writes an audit row."""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from maildaemon.config import WebConfig
from maildaemon.errors import InputError, NotFound
from maildaemon.store.accounts import AccountRow
from maildaemon.web import passwords
from maildaemon.web.permissions import Actor, validate_scope

_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")
ADDRESS_FACTOR = 4  # an address may fail this many times an account's lockout_after before it is throttled


class AccountStore(Protocol):
    """The store operations this module needs (maildaemon.store.Store implements them)."""

    async def add_account(self, username: str, display_name: str, role: str, campaign: str | None,
                          agency_code: str | None, password_hash: str, now: datetime) -> int: ...  # fmt: skip
    async def account(self, username: str) -> AccountRow | None: ...
    async def set_password(self, username: str, password_hash: str, now: datetime) -> int: ...
    async def set_disabled(self, username: str, disabled: bool, now: datetime) -> int: ...
    async def login_failed(
        self, account_id: int, now: datetime, lock_after: int, lock_until: datetime
    ) -> bool: ...
    async def login_succeeded(self, account_id: int, password_hash: str | None = None) -> None: ...
    async def create_session(self, session_hash: str, account_id: int, csrf_token: str, address: str,
                             now: datetime, expires_at: datetime) -> None: ...  # fmt: skip
    async def audit(self, now: datetime, *, account_id: int | None, username: str, address: str, action: str,
                    target: str = "", outcome: str = "ok", detail: str = "") -> None: ...  # fmt: skip
    async def failed_logins_from(self, address: str, since: datetime) -> int: ...


def normalise_username(username: str) -> str:
    name = username.strip().casefold()
    if not _USERNAME.match(name):
        raise InputError(
            f"username {username!r}: 2-100 characters, letters a-z, digits and . _ @ - (no spaces or accents)"
        )
    return name


def actor_of(row: AccountRow) -> Actor:
    return Actor(row.id, row.username, row.role, row.campaign, row.agency_code)


async def add_user(store: AccountStore, *, username: str, password: str, role: str, campaign: str | None,
                   agency: str | None, display_name: str, now: datetime, by: str) -> int:  # fmt: skip
    name = normalise_username(username)
    problem = validate_scope(role, campaign, agency)
    if problem:
        raise InputError(f"account {name!r}: {problem}")
    aid = await store.add_account(name, display_name.strip(), role, campaign or None, agency or None,
                                  passwords.hash_password(password), now)  # fmt: skip
    scope = f"role={role} campaign={campaign or '*'} agency={agency or '*'}"
    await store.audit(
        now, account_id=None, username=by, address="cli", action="user.add", target=name, detail=scope
    )
    return aid


async def change_password(store: AccountStore, username: str, password: str, now: datetime, by: str) -> None:
    name = normalise_username(username)
    await store.set_password(name, passwords.hash_password(password), now)
    await store.audit(now, account_id=None, username=by, address="cli", action="user.passwd", target=name)


async def set_disabled(store: AccountStore, username: str, disabled: bool, now: datetime, by: str) -> None:
    name = normalise_username(username)
    await store.set_disabled(name, disabled, now)
    action = "user.disable" if disabled else "user.enable"
    await store.audit(now, account_id=None, username=by, address="cli", action=action, target=name)


def session_hash(cookie_value: str) -> str:
    return hashlib.sha256(cookie_value.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class SignIn:
    """A new session: ``cookie`` goes to the browser, only its hash is stored."""

    actor: Actor
    cookie: str
    csrf: str
    expires_at: datetime


async def sign_in(store: AccountStore, cfg: WebConfig, username: str, password: str, address: str,
                  now: datetime) -> SignIn | None:  # fmt: skip
    """A session, or None: one answer for an unknown name, a wrong password, a locked or disabled account
    and a throttled address, after the same argon2 work, so a refusal tells nothing about the name."""
    window = timedelta(minutes=cfg.lockout_minutes)
    try:
        name = normalise_username(username)
    except InputError:
        name = ""
    row = await store.account(name) if name else None
    ok = passwords.verify(row.password_hash if row else None, password)
    shown = name or username.strip()[:100]

    async def refuse(reason: str) -> None:
        await store.audit(now, account_id=row.id if row else None, username=shown, address=address,
                          action="login", outcome="failed", detail=reason)  # fmt: skip

    if await store.failed_logins_from(address, now - window) >= ADDRESS_FACTOR * cfg.lockout_after:
        await refuse("address throttled")
        return None
    if row is None:
        await refuse("unknown account")
        return None
    if row.disabled:
        await refuse("account disabled")
        return None
    if row.locked_until is not None and row.locked_until > now:
        await refuse("account locked")
        return None
    if not ok:
        locked = await store.login_failed(row.id, now, cfg.lockout_after, now + window)
        await refuse("wrong password, account now locked" if locked else "wrong password")
        return None
    await store.login_succeeded(
        row.id, passwords.hash_password(password) if passwords.needs_rehash(row.password_hash) else None
    )
    cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    expires = now + timedelta(minutes=cfg.session_minutes)
    await store.create_session(session_hash(cookie), row.id, csrf, address, now, expires)
    await store.audit(now, account_id=row.id, username=row.username, address=address, action="login")
    return SignIn(actor_of(row), cookie, csrf, expires)


async def require_account(store: AccountStore, username: str) -> AccountRow:
    row = await store.account(normalise_username(username))
    if row is None:
        raise NotFound(f"no account {username!r}")
    return row
