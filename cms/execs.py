"""EXEC: running REXX programs (fn EXEC) under CMS, and EXECIO.

A file whose first line begins with a REXX comment (``/*``) is REXX; any
other EXEC file is in the EXEC 1 language of VM/370 (cms.exec1).

The interpreter (cms.rexx, host interface in its package docstring) is
synchronous; CMS is asyncio code.  Both run on the VM's processor
(cp.pyguest): the interpreter calls CMS directly and waits for CMS's
coroutines (a host command, a terminal read) with ``services.wait_for``.
Every clause is a safe point (``cms.checkpoint``): the EXEC runs in its
VM's time slices, is charged to it, and sees HX, HI, TS and TE at once.

ADDRESS CMS (and COMMAND) runs a CMS command through the nucleus, which also
resolves EXECs, MODULEs and, with IMPCP, CP commands; ADDRESS CP passes the
command to CP.  A REXX error ends the EXEC with ``DMSREX460E Error nn running
fn EXEC, line n: text`` and return code 20000 + nn, as CMS REXX does.

EXECIO (VM/SP CMS Command Reference): ``EXECIO n|* DISKR|DISKW fn ft [fm
[recno]] [(FINIS STEM name. | VAR name | LIFO | FIFO | STRING text]`` and
``EXECIO n|* CP [(STEM name. | VAR name | LIFO | FIFO | STRING cpcmd]``.
"""

from __future__ import annotations

from cms.commands import Command
from cms.commands.files import text_of
from cms.disks import split_mode
from cms.errors import CMSError, invalid_option, invalid_parameter
from cms.rexx import Interpreter
from cms.rexx.interpreter import on_host_thread
from cms.rexxstreams import CmsStreams
from cms.tcpip.rexx import RexxSockets
from s390.ebcdic import from_ebcdic, to_ebcdic


def exec_source(cms, name: str) -> tuple[list[str], str] | None:
    found = cms.disks.find(name, "EXEC", "*")
    if not found:
        return None
    f = found[0]
    return [text_of(r) for r in cms.disks.read(f)], f.acc.mode


async def run_exec(cms, name: str, args: str) -> int:
    source = exec_source(cms, name)
    if source is None:
        raise CMSError(1, "E", 28, f"FILE '{name} EXEC *' NOT FOUND")
    lines, mode = source
    if not (lines and lines[0].lstrip().startswith("/*")):
        # Not a REXX program: the EXEC 1 language of VM/370 CMS.
        from cms.exec1 import run_exec1

        return await run_exec1(cms, name, lines, args)
    wait_for = cms.services.wait_for

    def command(environment: str, text: str) -> int:
        if environment.upper() == "CP":
            return cms.cp(text)
        return wait_for(cms.execute(text))

    def trace(text: str) -> None:
        cms.say(f"DMSREX460E {text}" if text.startswith("Error ") else text)

    def external(fn: str):
        found = exec_source(cms, fn.upper()) if len(fn) <= 8 else None
        return found[0] if found else None

    def clause_boundary() -> bool:
        """Each clause is a safe point: CMS's time slice, and immediate commands
        (HI and TS/TE reach the running interpreter through cms.interp).  A
        clause of a deep call may run on another thread: the check whether
        the slice is over is cheap and thread-safe, the rest runs on CMS's."""
        if cms.services.checkpoint_due():
            on_host_thread(cms.checkpoint)
        return False

    sockets = RexxSockets(cms)
    interp = Interpreter(
        lines,
        name=name,
        filetype="EXEC",
        filemode=mode,
        host_command=command,
        output=cms.say,
        input=lambda: wait_for(cms.terminal_read()),
        stack=cms.stack,
        halt=clause_boundary,
        trace_output=trace,
        environment="CMS",
        external=external,
        userid=cms.services.userid,
        codepage="cp037",  # 'C1'x is "A", comparisons in EBCDIC order
        functions={
            "DIAG": lambda args: diag(cms, args),
            "CMSFLAG": lambda args: cmsflag(cms, args),
            "SOCKET": sockets,  # REXX Sockets (cms.tcpip.rexx)
        },
        streams=CmsStreams(cms),
    )
    outer, cms.interp = cms.interp, interp
    try:
        # The interpreter is synchronous: it runs right here, on the VM's
        # processor (cp.pyguest), and waits for CMS through wait_for.
        result = interp.run([args])
    finally:
        cms.interp = outer
        sockets.end()  # the EXEC's socket set ends with it
    return result.return_code


def diag(cms, args: list) -> str:
    """The DIAG built-in function (VM/SP CMS REXX): DIAG(08, 'cp command')
    returns CP's response, lines ended by X'15'; DIAG(0C) the pseudo timer."""
    code = (args[0] or "").strip().upper().lstrip("0") if args else ""
    # Strings are EBCDIC to the EXEC (codepage cp037): build the bytes, decode them.
    if code == "8":
        _, lines = cms.services.cp_command(args[1] if len(args) > 1 and args[1] else "")
        return from_ebcdic(b"".join(to_ebcdic(line) + b"\x15" for line in lines))
    if code == "C":
        date, clock, virt, total = cms.services.pseudo_timer()
        return from_ebcdic(
            to_ebcdic(f"{date}{clock}") + virt.to_bytes(8, "big") + total.to_bytes(8, "big")
        )
    return ""


def cmsflag(cms, args: list) -> str:
    """CMSFLAG(flag) (VM/SP CMS REXX): '1' when the CMS setting is on.  ABBREV
    and PROTECT are always on here, DOS, SUBSET and AUTOREAD off."""
    flag = (args[0] or "").strip().upper() if args else ""
    settings = cms.settings
    values = {
        "ABBREV": True,
        "PROTECT": True,
        "RELPAGE": True,
        "AUTOREAD": False,
        "DOS": False,
        "SUBSET": False,
        "EXECTRAC": False,
        "IMPCP": settings.impcp,
        "IMPEX": settings.impex,
        "CMSTYPE": not cms.session.typing_halted,
    }
    if flag not in values:
        from cms.rexx.errors import RexxError

        raise RexxError(40, "CMSFLAG")  # Incorrect call to routine
    return "1" if values[flag] else "0"


# ---------------------------------------------------------------- program stack


async def makebuf(cms, call) -> int:
    """MAKEBUF: a new buffer on the program stack; the return code is its number."""
    if call.args:
        raise invalid_parameter(call.args[0])
    return cms.stack.make_buffer()


async def dropbuf(cms, call) -> int:
    """DROPBUF [n]: drop buffer n (default the newest) and every newer one."""
    number = None
    if call.args:
        if not call.args[0].isdigit():
            raise invalid_parameter(call.args[0])
        number = int(call.args[0])
    cms.stack.drop_buffer(number)
    return 0


async def sentries(cms, call) -> int:
    """SENTRIES: the return code is the number of lines on the program stack."""
    return cms.stack.queued()


async def desbuf(cms, call) -> int:
    """DESBUF: clear the program stack, every buffer."""
    cms.stack.drop_buffer(0)
    return 0


# ---------------------------------------------------------------- EXECIO


def execio_options(options: list[str]) -> dict:
    out = {"finis": False, "stem": None, "var": None, "order": "FIFO", "string": None}
    i = 0
    while i < len(options):
        opt = options[i]
        if opt == "FINIS":
            out["finis"] = True
        elif opt in ("STEM", "VAR"):
            if i + 1 >= len(options):
                raise invalid_parameter(opt)
            out[opt.lower()] = options[i + 1]
            i += 1
        elif opt in ("LIFO", "FIFO"):
            out["order"] = opt
        elif opt == "STRING":
            out["string"] = " ".join(options[i + 1 :])
            break
        else:
            raise invalid_option(opt)
        i += 1
    return out


async def execio(cms, call) -> int:
    args = call.args
    if len(args) >= 2 and args[1] == "CP":
        return execio_cp(cms, args, _options_with_string(call))
    if len(args) < 4:
        raise CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")
    count, op, fn, ft = args[:4]
    fm = args[4] if len(args) > 4 else ("A1" if op == "DISKW" else "*")
    if count != "*" and not count.isdigit():
        raise invalid_parameter(count)
    opts = _options_with_string(call)
    if op == "DISKR":
        return execio_read(cms, count, fn, ft, fm, int(args[5]) if len(args) > 5 else None, opts)
    if op == "DISKW":
        # DISKW fn ft fm [recno [F|V [lrecl]]]: the format of a new file (default V).
        fmt = args[6] if len(args) > 6 else None
        if fmt not in (None, "F", "V"):
            raise invalid_parameter(fmt)
        try:
            lrecl = int(args[7]) if len(args) > 7 else None
        except ValueError:
            raise invalid_parameter(args[7]) from None
        return execio_write(cms, count, fn, ft, fm, opts, fmt, lrecl)
    raise invalid_parameter(op)


def _options_with_string(call) -> dict:
    opts = execio_options(call.options)
    if opts["string"] is not None:
        # STRING keeps the case of the text as typed.
        raw = call.text.split("(", 1)[1]
        rest = raw[raw.upper().index("STRING") + 6 :]
        opts["string"] = rest[1:] if rest.startswith(" ") else rest
    return opts


def execio_cp(cms, args: list[str], opts: dict) -> int:
    """EXECIO n|* CP (STRING cpcmd | STEM name. | VAR name | LIFO | FIFO: run a
    CP command and capture up to n lines of its response instead of showing
    them (VM/SP CMS Command Reference, EXECIO).  Without STRING the command
    is the next line of the program stack.  The return code is CP's."""
    count = args[0]
    if len(args) > 2:
        raise invalid_parameter(args[2])
    if count != "*" and not count.isdigit():
        raise invalid_parameter(count)
    text = opts["string"] if opts["string"] is not None else cms.stack.pull()
    if not text:
        raise CMSError(54, "E", 24, "INCOMPLETE FILEID SPECIFIED")
    rc, lines = cms.services.cp_command(text)
    chosen = lines if count == "*" else lines[: int(count)]
    store_lines(cms, chosen, opts)
    return rc


def store_lines(cms, chosen: list[str], opts: dict) -> None:
    """Where EXECIO puts the lines it read: a stem, a variable or the stack."""
    if opts["stem"]:
        interp = cms.interp
        if interp is None:
            raise CMSError(1, "E", 24, "STEM IS VALID ONLY FROM AN EXEC")
        for i, line in enumerate(chosen, 1):
            interp.set_variable(f"{opts['stem']}{i}", line)
        interp.set_variable(f"{opts['stem']}0", str(len(chosen)))
    elif opts["var"]:
        if cms.interp is None:
            raise CMSError(1, "E", 24, "VAR IS VALID ONLY FROM AN EXEC")
        cms.interp.set_variable(opts["var"], chosen[0] if chosen else "")
    else:
        for line in reversed(chosen) if opts["order"] == "LIFO" else chosen:
            (cms.stack.push if opts["order"] == "LIFO" else cms.stack.queue)(line)


def execio_read(cms, count, fn, ft, fm, start, opts) -> int:
    # The open file's read pointer and (FINIS live with the FINIS command.
    from cms.commands.openfiles import diskr

    chosen, rc = diskr(cms, count, fn, ft, fm, start, opts)
    store_lines(cms, chosen, opts)
    return rc


def execio_write(cms, count, fn, ft, fm, opts, fmt=None, new_lrecl=None) -> int:
    letter, number = split_mode(fm)
    acc = cms.disks.writable(letter)
    if opts["string"] is not None:
        lines = [opts["string"]]
    elif opts["stem"]:
        interp = cms.interp
        total = int(interp.get_variable(f"{opts['stem']}0") or 0) if count == "*" else int(count)
        lines = []
        for i in range(1, total + 1):
            value = interp.get_variable(f"{opts['stem']}{i}")
            if value is None:
                break
            lines.append(value)
    elif opts["var"]:
        lines = [cms.interp.get_variable(opts["var"]) or ""]
    else:
        lines = []
        n = None if count == "*" else int(count)
        while n is None or len(lines) < n:
            line = cms.stack.pull()
            if line is None or (n is None and line == ""):
                break
            lines.append(line)
    fst = acc.disk.lookup(fn, ft)
    if not lines:
        # Nothing written: a CMS file has at least one record, so none is
        # created (EXECIO 0 DISKW ... (FINIS only closes the file).
        return 0
    existing = acc.disk.read_file(fn, ft) if fst else []
    recfm = fst.recfm if fst else (fmt or "V")
    lrecl = fst.lrecl if fst and recfm == "F" else (new_lrecl or 80 if recfm == "F" else None)
    acc.disk.write_file(
        fn,
        ft,
        existing + [to_ebcdic(x) for x in lines],
        recfm,
        lrecl,
        number if number is not None else (fst.mode_number if fst else 1),
    )
    return 0


COMMANDS = [
    Command("MAKEBUF", 7, "MKB", makebuf, ""),
    Command("DROPBUF", 7, "DRP", dropbuf, "[n]"),
    Command("SENTRIES", 8, "SEN", sentries, ""),
    Command("DESBUF", 6, "DBF", desbuf, ""),
    Command(
        "EXECIO",
        6,
        "EIO",
        execio,
        "n|* DISKR|DISKW fn ft [fm [recno [F|V [lrecl]]]] | CP [(FINIS STEM name. VAR name LIFO FIFO STRING text]",
    ),
]
