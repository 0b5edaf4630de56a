"""The one command-line entry point: ``vm370 [COMMAND] ...``.

Each subcommand lives with the package that owns it; this table only names
where.  Modules are imported on use, so ``vm370 asm`` never loads Textual.
"""

from __future__ import annotations

import importlib
import sys

#: name -> (module, function, one-line help).  ``None`` is the default command.
COMMANDS = {
    None: ("vm370.console", "main", "start the system and open the Textual 3270 console"),
    "serve": ("vm370.serve", "main", "run the system headless with a TN3270 server"),
    "init": ("cp.sysdir", "init_main", "create a system directory from the embedded default"),
    "ipl": ("cp.ipl_cli", "main", "IPL a standalone deck in a fresh VM"),
    "punch": ("cp.spool_cli", "punch_main", "put a deck into a user's reader"),
    "printout": ("cp.spool_cli", "printout_main", "list or show system printer output"),
    "batch": ("vm370.batch", "main", "run card-deck jobs through CMSBATCH"),
    "asm": ("s390.asm.cli", "main", "assemble a file to an object deck and listing"),
    "rexx": ("cms.rexx.cli", "main", "run a REXX program outside CMS"),
    "bench": ("s390.bench", "main", "measure the CPU's speed (MIPS)"),
    "lan": ("cp.lan_cli", "main", "record a guest LAN's frames as pcap (vm370 lan trace)"),
    "demo": ("vm370.demo_console", "demo_main", "run a historical demo (none named: list them)"),
    "tour": (
        "vm370.demo_console",
        "tour_main",
        "a guided tour: logon, CMS, the spool, REXX, batch, CP",
    ),
    "passwd": ("cp.passwords", "main", "print the salted hash of a logon password for USER DIRECT"),
}


def usage() -> str:
    lines = ["usage: vm370 [COMMAND] [ARGS...]", "", "commands:"]
    for name, (_, _, text) in COMMANDS.items():
        lines.append(f"  {name or '(none)':10} {text}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    name = None
    if argv and not argv[0].startswith("-"):
        name = argv.pop(0)
    elif argv and argv[0] in ("-h", "--help"):
        print(usage())
        return 0
    if name not in COMMANDS:
        print(f"vm370: unknown command {name!r}\n{usage()}", file=sys.stderr)
        return 2
    module, func, _ = COMMANDS[name]
    handler = getattr(importlib.import_module(module), func)
    return handler(argv) or 0


if __name__ == "__main__":
    sys.exit(main())
