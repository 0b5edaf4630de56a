"""Assembler instructions (directives): one table, DIRECTIVES, of name -> (pass 1,
pass 2) handlers (HLASM Language Reference, "Assembler instructions").  Machine
instructions come from the opcode table instead."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from s390.ebcdic import to_ebcdic

from . import constants, encode
from .expr import Value, evaluate, evaluate_absolute, tokenize
from .messages import AsmError
from .model import (
    ESD_CM,
    ESD_ER,
    ESD_PC,
    ESD_SD,
    ESD_WX,
    ESD_XD,
    PRINT_OPERANDS,
    Entry,
    Section,
    Symbol,
    Using,
)
from .source import Statement, is_symbol, split_operands

if TYPE_CHECKING:
    from .assembler import Assembler


def _csect_p1(asm: Assembler, entry: Entry, stmt: Statement, kind: str = ESD_SD) -> None:
    """CSECT, RSECT (a read-only CSECT), DSECT, COM (a common section, ESD type CM):
    start a section, or resume one of the same name and kind."""
    name = stmt.name.upper()
    existing = next(
        (s for s in asm.sections if s.name == name and (name or s.kind == ESD_CM == kind)), None
    )
    if existing is not None:
        if _section_class(existing.kind) != _section_class(kind):
            raise AsmError("ASMA043E", name)
        asm.section = existing
    elif not name and kind == ESD_SD:
        pc = next((s for s in asm.sections if s.kind == ESD_PC), None)
        asm.section = pc if pc is not None else asm._private_code()
    else:
        if kind == "DSECT":
            sec = Section(name, "DSECT", asm.next_dsect)
            asm.next_dsect -= 1
        else:
            sec = Section(name, kind, 0)
            sec.rid = asm._new_esdid(sec)
        asm.sections.append(sec)
        asm.section = sec
        if name:
            if name in asm.symbols:
                raise AsmError("ASMA043E", name)
            asm.symbols[name] = Symbol(name, Value(0, ((sec.rid, 1),)), 1, "J", entry.number)
    entry.section, entry.loc = asm.section, asm.section.loc


def _section_class(kind: str) -> str:
    return ESD_SD if kind in (ESD_SD, ESD_PC) else kind


def _dsect_p1(asm, entry, stmt):
    _csect_p1(asm, entry, stmt, "DSECT")


def _loctr_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """NAME LOCTR: go on with location counter NAME (and so with its section), or start
    it in the current section; the section name itself names the section's first
    counter.  After the first pass the counters of a section follow one another in
    the order they were defined (HLASM "LOCTR instruction")."""
    name = stmt.name.upper()
    if not name or not is_symbol(name):
        raise AsmError("ASMA147E", stmt.name or "LOCTR")
    current = asm._current_section()
    owner = current.owner or current
    if name == owner.name:
        asm.section = owner
    else:
        existing = next((s for s in asm.sections if s.kind == "LOCTR" and s.name == name), None)
        section = next(
            (s for s in asm.sections if s.name == name and s.owner is None and name), None
        )
        if existing is None and section is not None:
            existing = section  # a section's own first counter: resume it
        elif existing is None:
            existing = Section(name, "LOCTR", asm.next_loctr, owner=owner)
            asm.next_loctr += 1
            asm.sections.append(existing)
        asm.section = existing  # a LOCTR of another section resumes that section
    entry.section, entry.loc = asm.section, asm.section.loc


def _dxd_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """NAME DXD operands: an external dummy section (pseudo register) of the length
    and alignment its DS-style operands give (HLASM "DXD instruction")."""
    name = stmt.name.upper()
    if not is_symbol(name):
        raise AsmError("ASMA147E", stmt.name or "DXD")
    if name in asm.symbols or name in asm.externals:
        raise AsmError("ASMA043E", name)
    ops = constants.parse_operands(stmt.operands, asm, need_value=False)
    ext = asm._declare_external(name, ESD_XD)
    ext.length = max(1, constants.statement_size(ops, 0))
    ext.align = max(dc.align for dc in ops) - 1


def _cxd_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """[name] CXD: a fullword the linker fills with the total length of the pseudo
    registers."""
    asm.align(4)
    sec = asm._current_section()
    entry.section, entry.loc, entry.length = sec, sec.loc, 4
    asm._label(entry, stmt, 4, "A")
    asm.advance(4)


def _cxd_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    entry.data = bytes(4)
    if entry.section.kind not in ("DSECT", ESD_CM):
        asm.cumulative_length(entry)


def _rsect_p1(asm, entry, stmt):
    _csect_p1(asm, entry, stmt)
    asm.section.rsect = True


def _com_p1(asm, entry, stmt):
    _csect_p1(asm, entry, stmt, ESD_CM)


def _start_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if any(s.kind != "DSECT" for s in asm.sections):
        # HLASM ASMA153S: processed as a CSECT statement, the operand ignored
        asm.note("ASMA153S", "", entry)
        _csect_p1(asm, entry, stmt)
        return
    _csect_p1(asm, entry, stmt)
    if stmt.operands:
        asm.section.start = evaluate_absolute(stmt.operands, asm)


def _end_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    asm._place_literals(at_end=True)
    asm.ended = True
    asm.end_entry = entry


def _end_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if stmt.operands:
        v = evaluate(stmt.operands, asm)
        if v.simple_id is None:
            raise AsmError("ASMA047E", stmt.operands)
        entry.parsed = v
        entry.value_display = v


def _ltorg_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    asm._label(entry, stmt, 1, "U")
    asm._place_literals()


def _equ_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if not stmt.name:
        raise AsmError("ASMA062E", "EQU needs a name")
    if not is_symbol(stmt.name):
        raise AsmError("ASMA147E", stmt.name)
    try:
        equ_define(asm, entry, stmt)
    except AsmError as e:
        if e.msgid != "ASMA044E":
            raise
        asm.deferred_equ.append(entry)


def equ_define(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """Define the EQU symbol; raises ASMA044E while its operands are undefined."""
    ops = split_operands(stmt.operands)
    if not ops or not ops[0]:
        raise AsmError("ASMA062E", stmt.operands)
    v = evaluate(ops[0], asm)
    length = 1
    if len(ops) > 1 and ops[1]:
        length = evaluate_absolute(ops[1], asm)
    else:
        toks = tokenize(ops[0])
        if toks and toks[0][0] == "sym" and toks[0][1].upper() in asm.symbols:
            length = asm.symbols[toks[0][1].upper()].length
    type_ = ops[2].strip("'")[-1:].upper() if len(ops) > 2 and ops[2] else "U"
    asm.define(stmt.name, v, length, type_, entry.number)
    entry.value_display = v


def _equ_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    sym = asm.symbols.get(stmt.name.upper())
    entry.value_display = sym.value if sym else None


def _dc_p1(asm: Assembler, entry: Entry, stmt: Statement, ds: bool = False) -> None:
    ops = constants.parse_operands(stmt.operands, asm, need_value=not ds)
    sec = asm._current_section()
    first = ops[0]
    asm.align(first.align)
    sec.boundary = max([sec.boundary] + [dc.align for dc in ops])
    entry.section, entry.loc = sec, sec.loc
    asm._label(entry, stmt, first.length, first.type_attribute)
    size = constants.statement_size(ops, sec.loc)
    for dc in ops:
        if dc.ctype.letter == "V" and not ds:
            for v in dc.values:
                name = v.strip().upper()
                if name not in asm.externals and name not in asm.symbols:
                    asm._declare_external(name, ESD_ER)
    entry.parsed, entry.length = ops, size
    asm.advance(size)


def _dc_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if any(dc.deferred for dc in entry.parsed):
        entry.parsed = [
            constants.parse_operand(dc.text, asm, need_value=True) if dc.deferred else dc
            for dc in entry.parsed
        ]
    asm._emit_constant(entry, entry.parsed)


def _ds_p1(asm, entry, stmt):
    _dc_p1(asm, entry, stmt, ds=True)


def _ccw_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    asm.align(8)
    sec = asm._current_section()
    entry.section, entry.loc, entry.length = sec, sec.loc, 8
    asm._label(entry, stmt, 8, "W")
    asm.advance(8)


def _ccw_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """CCW command,data address,flags,count (GA22-7000 "Channel command word", format 0)."""
    ops = split_operands(stmt.operands)
    if len(ops) != 4:
        raise AsmError("ASMA062E", stmt.operands)
    cmd = evaluate_absolute(ops[0], asm)
    addr = evaluate(ops[1], asm)
    flags = evaluate_absolute(ops[2], asm)
    count = evaluate_absolute(ops[3], asm)
    if not 0 <= cmd <= 255 or not 0 <= flags <= 255 or not 0 <= count <= 65535:
        raise AsmError("ASMA031E", stmt.operands)
    data = bytearray([cmd]) + (asm.assembled(addr) & 0xFFFFFF).to_bytes(3, "big")
    data += bytes([flags, 0]) + count.to_bytes(2, "big")
    if addr.rel:
        asm._relocate(entry, entry.loc + 1, 3, addr.rel, False)
    entry.data = bytes(data)
    entry.addrs = [addr]


def _using_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """[label] USING base,reg[,reg...] (ordinary or labeled), or USING base,address
    (dependent: the second operand is relocatable; HLASM "USING instruction")."""
    ops = split_operands(stmt.operands)
    if len(ops) < 2:
        raise AsmError("ASMA062E", stmt.operands)
    base = evaluate(ops[0], asm)
    if len(base.rel) > 1 or (base.rel and base.rel[0][1] != 1):
        raise AsmError("ASMA047E", ops[0])
    entry.value_display = base
    label = stmt.name.upper() if stmt.name and not stmt.name.startswith(".") else ""
    if label and not is_symbol(label):
        raise AsmError("ASMA147E", stmt.name)
    if label:  # a new labeled USING replaces the old one
        asm.usings = [u for u in asm.usings if u.label != label]
    anchor = evaluate(ops[1], asm)
    if anchor.rel:
        if len(ops) != 2 or anchor.simple_id is None:
            raise AsmError("ASMA062E", stmt.operands)
        asm.usings.append(Using(None, base, entry.number, label, anchor))
        return
    regs = [encode._register(r, asm, "ASMA029E") for r in ops[1:]]
    for n, reg in enumerate(regs):
        if reg in regs[:n]:
            raise AsmError("ASMA308E", reg)
    for n, reg in enumerate(regs):
        if not label:
            asm.usings = [u for u in asm.usings if u.reg != reg or u.label]
        if reg == 0 and (n or (not base.rel and base.value)):
            # register 0 as a base means address 0 (HLASM "USING instruction"):
            # only USING 0,0 or a section based at 0 such as USING PSA,0
            raise AsmError("ASMA029E", "0")
        new = Using(reg, Value(base.value + 4096 * n, base.rel), entry.number, label)
        if not label:
            _using_warnings(asm, entry, new)
        asm.usings.append(new)


def _using_warnings(asm: Assembler, entry: Entry, new: Using) -> None:
    """ASMA300W/301W (same base as an active USING: the higher register wins),
    ASMA303W (base inside another USING's range), ASMA306W (absolute range over 0-4095)."""
    if not new.base.rel and new.reg and new.base.value < 4096:
        asm.note("ASMA306W", "", entry)
    for old in asm.usings:
        if old.base.rel != new.base.rel or old.stmt == entry.number or old.label or old.anchor:
            continue
        if old.base.value == new.base.value:
            asm.note("ASMA301W" if new.reg > old.reg else "ASMA300W", old.stmt, entry)
        elif abs(old.base.value - new.base.value) < 4096:
            asm.note("ASMA303W", old.stmt, entry)


def _drop_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """DROP [reg|label|base,...]: ends unlabeled USINGs of a register, a labeled USING,
    or a dependent USING named by its base; no operand ends them all."""
    if not stmt.operands:
        asm.usings = []
        return
    for r in split_operands(stmt.operands):
        name = r.strip().upper()
        if any(u.label == name for u in asm.usings if u.label):
            asm.usings = [u for u in asm.usings if u.label != name]
            continue
        v = evaluate(r, asm)
        if v.rel:
            dropped = [
                u for u in asm.usings if u.anchor is not None and not u.label and u.base == v
            ]
        else:
            reg = encode._register(r, asm)
            dropped = [u for u in asm.usings if u.reg == reg and not u.label]
        if not dropped:
            asm.note("ASMA045W", r, entry)
        asm.usings = [u for u in asm.usings if u not in dropped]


def _org_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """ORG [expression[,boundary[,offset]]]: set the location counter; no operand goes
    to the highest location so far; a boundary (a power of 2) rounds up, then the
    offset is added (HLASM Language Reference, "ORG instruction")."""
    sec = asm._current_section()
    asm._label(entry, stmt, 1, "U")
    ops = split_operands(stmt.operands)
    if not ops or not ops[0]:
        if len(ops) > 1:
            raise AsmError("ASMA062E", stmt.operands)
        sec.loc = sec.high
        return
    v = evaluate(ops[0], asm)
    if v.rel != ((sec.rid, 1),) or v.value < 0:
        raise AsmError("ASMA038S", stmt.operands)  # outside the current section
    loc = v.value
    if len(ops) > 1:
        boundary = evaluate_absolute(ops[1], asm)
        if boundary < 2 or boundary > 4096 or boundary & (boundary - 1):
            raise AsmError("ASMA062E", stmt.operands)
        loc = (loc + boundary - 1) & ~(boundary - 1)
        loc += evaluate_absolute(ops[2], asm) if len(ops) > 2 else 0
    if len(ops) > 3 or loc < 0:
        raise AsmError("ASMA062E", stmt.operands)
    asm.set_location(sec, loc)


def _cnop_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    ops = split_operands(stmt.operands)
    if len(ops) != 2:
        raise AsmError("ASMA062E", stmt.operands)
    byte, boundary = evaluate_absolute(ops[0], asm), evaluate_absolute(ops[1], asm)
    if boundary not in (4, 8) or byte % 2 or not 0 <= byte < boundary:
        raise AsmError("ASMA062E", stmt.operands)
    sec = asm._current_section()
    asm.align(2)
    sec.boundary = max(sec.boundary, boundary)
    entry.section, entry.loc = sec, sec.loc
    pad = (byte - sec.loc) % boundary
    entry.length = pad
    asm._label(entry, stmt, 1, "U")
    asm.advance(pad)


def _cnop_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    entry.data = b"\x07\x00" * (entry.length // 2)  # NOPR 0 fills the gap


def _entry_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    for name in split_operands(stmt.operands):
        if not is_symbol(name):
            raise AsmError("ASMA156S", name)
        asm.entries_ld.append((name.upper(), entry.number))


def _extrn_p1(asm: Assembler, entry: Entry, stmt: Statement, kind: str = ESD_ER) -> None:
    for name in split_operands(stmt.operands):
        name = name.upper()
        if not is_symbol(name):
            raise AsmError("ASMA156S", name)
        if name in asm.symbols:
            raise AsmError("ASMA043E", name)
        if name not in asm.externals:
            asm._declare_external(name, kind)


def _wxtrn_p1(asm, entry, stmt):
    _extrn_p1(asm, entry, stmt, ESD_WX)


def _print_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """PRINT ON|OFF, GEN|NOGEN, DATA|NODATA, MCALL|NOMCALL, MSOURCE|NOMSOURCE,
    UHEAD|NOUHEAD, NOPRINT (HLASM Language Reference, "PRINT instruction")."""
    options = asm.print
    for opt in split_operands(stmt.operands.upper()):
        if opt == "NOPRINT":
            entry.printed = False
            continue
        if opt not in PRINT_OPERANDS:
            raise AsmError("ASMA062E", opt)
        name, value = PRINT_OPERANDS[opt]
        options = replace(options, **{name: value})
    asm.print = options


def _push_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """PUSH PRINT[,USING]: save the PRINT status (USINGs are saved in pass 2)."""
    items = _push_items(stmt)
    if "PRINT" in items:
        asm.print_stack.append(asm.print)


def _pop_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if "PRINT" in _push_items(stmt):
        if not asm.print_stack:
            raise AsmError("ASMA062E", "POP PRINT without PUSH")
        asm.print = asm.print_stack.pop()


def _push_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if "USING" in _push_items(stmt):
        asm.using_stack.append(list(asm.usings))


def _pop_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if "USING" in _push_items(stmt):
        if not asm.using_stack:
            raise AsmError("ASMA062E", "POP USING without PUSH")
        asm.usings = asm.using_stack.pop()


def _push_items(stmt: Statement) -> set[str]:
    items = {o.strip().upper() for o in split_operands(stmt.operands)}
    if not items or items - {"PRINT", "USING", "NOPRINT"}:
        raise AsmError("ASMA062E", stmt.operands)
    return items


def _title_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    text = stmt.operands
    if not (text.startswith("'") and text.endswith("'") and len(text) >= 2):
        raise AsmError("ASMA063E", text)
    entry.parsed = text[1:-1].replace("''", "'").replace("&&", "&")
    if not asm.title:
        asm.title = entry.parsed
    if stmt.name and not asm.deck_id:
        asm.deck_id = stmt.name[:8].upper()


def _listing_p1(asm, entry, stmt):
    """EJECT and SPACE only shape the listing."""
    if entry.stmt.op.upper() == "SPACE" and stmt.operands:
        evaluate_absolute(stmt.operands, asm)


def _punch_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    text = stmt.operands
    if not (text.startswith("'") and text.endswith("'") and len(text) >= 2):
        raise AsmError("ASMA063E", text)
    body = text[1:-1].replace("''", "'").replace("&&", "&")
    if len(body) > 80:
        raise AsmError("ASMA062E", text)
    asm.punches.append((entry.number, to_ebcdic(body.ljust(80))))


def _repro_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    asm.macros.repro_next = True


def _mnote_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    ops = split_operands(stmt.operands)
    if not ops:
        raise AsmError("ASMA062E", stmt.operands)
    sev, text = (None, ops[0]) if len(ops) == 1 else (ops[0], ",".join(ops[1:]))
    if text.startswith("'") and text.endswith("'"):
        text = text[1:-1].replace("''", "'")
    if sev == "*":
        return
    level = 1 if sev is None or sev == "" else evaluate_absolute(sev, asm)
    asm.note("ASMA254I", text, entry, level=min(max(level, 0), 255))


def _opsyn_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    """NAME OPSYN OP: NAME becomes another name for OP; NAME OPSYN (no operand)
    removes NAME (HLASM Language Reference, "OPSYN instruction")."""
    name = stmt.name.upper()
    if not is_symbol(name):
        raise AsmError("ASMA147E", stmt.name or "OPSYN")
    target = stmt.operands.upper()
    if not target:
        asm.opsyn[name] = ""
        return
    target = asm.opsyn.get(target, target)
    known = (
        target in DIRECTIVES
        or encode.lookup(target) is not None
        or asm.macros.find_macro(target) is not None
    )
    if not known:
        raise AsmError("ASMA057E", stmt.operands)
    asm.opsyn[name] = target


def _copy_p1(asm, entry, stmt):
    """COPY is expanded by the macro processor; the statement itself only lists."""


#: Directive name -> (pass 1, pass 2).  Machine instructions come from the opcode table.
DIRECTIVES: dict[str, tuple[Callable, Callable | None]] = {
    "CSECT": (_csect_p1, None),
    "RSECT": (_rsect_p1, None),
    "COM": (_com_p1, None),
    "LOCTR": (_loctr_p1, None),
    "DXD": (_dxd_p1, None),
    "CXD": (_cxd_p1, _cxd_p2),
    "DSECT": (_dsect_p1, None),
    "START": (_start_p1, None),
    "END": (_end_p1, _end_p2),
    "LTORG": (_ltorg_p1, None),
    "EQU": (_equ_p1, _equ_p2),
    "DC": (_dc_p1, _dc_p2),
    "DS": (_ds_p1, None),
    "CCW": (_ccw_p1, _ccw_p2),
    "CCW0": (_ccw_p1, _ccw_p2),  # HLASM's name for the format-0 CCW
    "USING": (lambda a, e, s: None, _using_p2),
    "DROP": (lambda a, e, s: None, _drop_p2),
    "ORG": (_org_p1, None),
    "CNOP": (_cnop_p1, _cnop_p2),
    "ENTRY": (_entry_p1, None),
    "EXTRN": (_extrn_p1, None),
    "WXTRN": (_wxtrn_p1, None),
    "PRINT": (_print_p1, None),
    "TITLE": (_title_p1, None),
    "EJECT": (_listing_p1, None),
    "SPACE": (_listing_p1, None),
    "PUNCH": (_punch_p1, None),
    "REPRO": (_repro_p1, None),
    "MNOTE": (_mnote_p1, None),
    "COPY": (_copy_p1, None),
    "OPSYN": (_opsyn_p1, None),
    "PUSH": (_push_p1, _push_p2),
    "POP": (_pop_p1, _pop_p2),
}
