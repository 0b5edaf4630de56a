"""The engine's one exception: a socket call that failed, named by its errno.

The names are those z/VM's REXX Sockets and TCP/IP C sockets document
(EWOULDBLOCK, ECONNREFUSED, ...), so the CMS side can hand them on as they are.
"""

from __future__ import annotations


class SocketError(Exception):
    """A socket call failed; ``errno`` is the error's name, e.g. ``"EWOULDBLOCK"``."""

    def __init__(self, errno: str):
        super().__init__(errno)
        self.errno = errno
