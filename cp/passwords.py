"""Logon passwords: the plain form of USER DIRECT and a salted-hash form.

VM/370 keeps passwords in the directory in the clear (``USER ALICE SECRET``)
and compares them without regard to case (passwords are folded to upper case
on input).  Because a clear password in a file is a weak idea, a directory
entry may instead hold a salted hash, produced by::

    python -m cp.passwords SECRET          (prints  $PBKDF2$<iter>$<salt>$<hash>)

and pasted in place of the password: ``USER ALICE $PBKDF2$20000$9f..$3b.. 4M 16M G``.
The hash is PBKDF2-HMAC-SHA256 of the upper-cased password.  ``NOLOG`` stays
the word that forbids logon; ``AUTOONLY`` (z/VM) forbids logon at a terminal
while AUTOLOG/XAUTOLOG (no password) may still start the machine: the
service machines FTPSERVE and WEBSRV are defined so.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sys

PREFIX = "$PBKDF2$"
ITERATIONS = 20000


def is_hashed(stored: str) -> bool:
    return stored.startswith(PREFIX)


def hash_password(password: str, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    salt = salt if salt is not None else secrets.token_bytes(8)
    digest = hashlib.pbkdf2_hmac("sha256", password.upper().encode(), salt, iterations)
    return f"{PREFIX}{iterations}${salt.hex()}${digest.hex()}"


def check_password(stored: str, given: str) -> bool:
    """True when ``given`` matches the directory password ``stored``."""
    if stored.upper() in ("NOLOG", "AUTOONLY"):
        return False
    if not is_hashed(stored):
        return hmac.compare_digest(stored.upper().encode(), given.upper().encode())
    try:
        iterations, salt_hex, digest_hex = stored[len(PREFIX) :].split("$")
        expected = hash_password(given, bytes.fromhex(salt_hex), int(iterations))
    except ValueError:
        return False
    return hmac.compare_digest(expected.encode(), stored.encode())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m cp.passwords PASSWORD", file=sys.stderr)
        return 2
    print(hash_password(argv[0]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
