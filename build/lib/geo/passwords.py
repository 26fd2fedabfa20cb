"""Staff password hashes: scrypt from the standard library, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

_N, _R, _P = 2**14, 8, 1
MAX_PASSWORD_LENGTH = 200  # longer is refused before hashing: scrypt's cost grows with what it is given


def hash_password(password: str) -> str:
    """"scrypt$16384$8$1$<salt hex>$<hash hex>"."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; a malformed hash, or a password longer than
    ``MAX_PASSWORD_LENGTH`` (what a crafted widget value can send past the field's cap), never matches and is
    never hashed."""
    if not isinstance(password, str) or len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        kind, n, r, p, salt, expected = (stored or "").split("$")
        if kind != "scrypt":
            return False
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), expected)
