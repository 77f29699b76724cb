"""Web accounts: a JSON users file with scrypt-hashed passwords and an admin flag."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportbot.errors import AccessError

# scrypt cost: ~50 ms and 16 MiB per check, so a stolen file is slow to brute-force.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
MIN_PASSWORD = 8
_NAME = re.compile(r"^[\w.@-]{1,64}$")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """Encode a password as ``scrypt$n$r$p$salt$digest`` (salt random unless given)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R,
                            p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    """True when the password matches the encoded hash (constant-time compare)."""
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@dataclass(frozen=True)
class User:
    """One account as stored (never the password itself)."""

    name: str
    password_hash: str
    admin: bool = False


def check_name(name: str) -> str:
    """The account name, or AccessError saying which names are allowed."""
    if not _NAME.match(name):
        raise AccessError(f"invalid user name {name!r}: use 1-64 letters, digits, '_', '.', "
                          f"'@' or '-'")
    return name


def check_password(password: str) -> str:
    """The password, or AccessError when it is too short."""
    if len(password) < MIN_PASSWORD:
        raise AccessError(f"password too short: {len(password)} characters, at least "
                          f"{MIN_PASSWORD} needed")
    return password


class Users:
    """The users file; read afresh on every call, so `users add` needs no server restart."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._dummy: str | None = None  # a hash of a random password, made on first need

    def load(self) -> dict[str, User]:
        """Every account by name ({} when the file does not exist)."""
        if not self.path.exists():
            return {}
        try:
            data: Any = json.loads(self.path.read_text(encoding="utf-8"))
            rows = data["users"]
            return {name: User(name, str(row["password"]), bool(row.get("admin", False)))
                    for name, row in rows.items()}
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise AccessError(f"{self.path}: expected a users file written by `reportbot users "
                              f"add` ({exc}); fix or delete it") from exc

    def enabled(self) -> bool:
        """Login is on when at least one account exists."""
        return bool(self.load())

    def add(self, name: str, password: str, admin: bool = False) -> bool:
        """Create or update an account; True when it is new."""
        users = self.load()
        new = check_name(name) not in users
        users[name] = User(name, hash_password(check_password(password)), admin)
        self._save(users)
        return new

    def remove(self, name: str) -> None:
        """Delete an account, or AccessError if there is none of that name."""
        users = self.load()
        if name not in users:
            raise AccessError(f"no user named {name!r} in {self.path}")
        del users[name]
        self._save(users)

    def check(self, name: str, password: str) -> bool:
        """True when the name exists and the password matches; an unknown name costs the
        same scrypt check (against a dummy hash), so timing does not tell which names exist."""
        user = self.load().get(name)
        if user is None:
            verify_password(password, self.dummy_hash())
            return False
        return verify_password(password, user.password_hash)

    def dummy_hash(self) -> str:
        """The hash unknown names are checked against (made once; call early to warm up)."""
        if self._dummy is None:
            self._dummy = hash_password(secrets.token_urlsafe(16))
        return self._dummy

    def is_admin(self, name: str | None) -> bool:
        """True for an admin account."""
        user = self.load().get(name or "")
        return user is not None and user.admin

    def _save(self, users: dict[str, User]) -> None:
        """Write atomically, readable by the owner only."""
        data = {"users": {u.name: {"password": u.password_hash, "admin": u.admin}
                          for u in sorted(users.values(), key=lambda u: u.name)}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.part")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=2)
        tmp.replace(self.path)
