"""Host-socket stand-ins for the FTP tests: the protocol code talks to a
``net`` with ``resolve`` and ``socket(kind)`` and to a file store; here the
sockets are the host's (127.0.0.1) and the files live in memory."""

from __future__ import annotations

import copy
import select
import socket
import threading

from cms.ftp.client import UsageError
from cms.ftp.server import FileInfo, StoreError, serve


class HostNet:
    """The guest network's interface over the host's loopback."""

    def resolve(self, name: str) -> str:
        if name.upper() in ("FTPSERVE", "LOCALHOST", "127.0.0.1"):
            return "127.0.0.1"
        raise LookupError(name)

    def socket(self, kind: str):
        assert kind == "STREAM"
        return socket.socket(socket.AF_INET, socket.SOCK_STREAM)


def readable(socks, timeout):
    """serve's poll over host sockets."""
    return select.select(socks, [], [], timeout)[0]


class MemoryStore:
    """A server store: users with passwords, minidisks as dicts of files
    (fn, ft) -> (records, recfm)."""

    def __init__(self, users: dict[str, str], disks: dict[str, dict], read_only=()):
        self.users, self.disks, self.read_only = users, disks, set(read_only)
        self.cwd = None
        self.userid = None
        self.logins = []

    def login(self, userid, password, peer):
        self.logins.append((userid, peer[0] if peer else None))
        if self.users.get(userid) != password.upper():
            raise StoreError(530, "Login incorrect.")
        self.userid = userid
        home = f"{userid}.191"
        if home in self.disks:
            return self.change_directory(home)
        return None

    def logout(self):
        self.cwd = self.userid = None

    def change_directory(self, name):
        name = name.upper()
        if name not in self.disks:
            raise StoreError(550, f"Cannot access {name}.")
        self.cwd = name
        return name.replace(".", " ") + (" (ReadOnly)" if name in self.read_only else "")

    def working_directory(self):
        return self.cwd

    def working_label(self):
        return "LBL" + self.cwd.split(".")[1]

    def _disk(self):
        if self.cwd is None:
            raise StoreError(550, "No working directory defined.")
        return self.disks[self.cwd]

    def files(self, fn, ft):
        import fnmatch

        return [
            FileInfo(f, t, recfm, 80, len(records), 1, "20261207083000")
            for (f, t), (records, recfm) in sorted(self._disk().items())
            if fnmatch.fnmatchcase(f, fn) and fnmatch.fnmatchcase(t, ft)
        ]

    def read(self, fn, ft):
        found = self._disk().get((fn, ft))
        if found is None:
            raise StoreError(550, f"File {fn}.{ft} not found.")
        return found

    def check_writable(self):
        self._disk()
        if self.cwd in self.read_only:
            raise StoreError(550, f"Working directory {self.cwd} is read-only.")

    space_left = 100_000

    def space(self):
        return self.space_left

    def write(self, fn, ft, records):
        self.check_writable()
        self._disk()[(fn, ft)] = (records, "V")

    def delete(self, fn, ft):
        self.check_writable()
        if self._disk().pop((fn, ft), None) is None:
            raise StoreError(550, f"File {fn}.{ft} not found.")


class Server:
    """An FTP server on 127.0.0.1 in a thread, answering ``sessions`` clients."""

    def __init__(self, store, sessions=1):
        self.store = store
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(4)
        self.port = self.listener.getsockname()[1]
        self.thread = threading.Thread(
            target=serve,
            args=(self.listener, HostNet(), lambda: copy.copy(store), readable),
            kwargs={"sessions": sessions},
            daemon=True,
        )
        self.thread.start()

    def join(self):
        self.thread.join(10)
        self.listener.close()
        assert not self.thread.is_alive()


class ScriptConsole:
    """The client's console: lines to read, lines said."""

    def __init__(self, *lines):
        self.script = list(lines)
        self.lines = []
        self.password_prompts = []

    def say(self, text):
        self.lines.append(text)

    def read(self):
        return self.script.pop(0)

    def read_password(self, prompt):
        self.password_prompts.append(prompt)
        return self.script.pop(0)


class MemoryFiles:
    """The client's local CMS files: (fn, ft, fm) -> (records, recfm)."""

    def __init__(self, files=None):
        self.files = dict(files or {})

    def exists(self, local):
        return (local.fn, local.ft, local.fm) in self.files

    def check_writable(self, local):
        pass

    def read(self, local):
        found = self.files.get((local.fn, local.ft, local.fm))
        if found is None:
            raise UsageError(f"File {local} not found.")
        return found

    def write(self, local, records):
        self.files[(local.fn, local.ft, local.fm)] = (records, "V")
