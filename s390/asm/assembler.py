"""The assembler proper: two passes over the statements that the macro processor hands out.

Pass 1 (done as statements arrive, macro expansion interleaved, as in Assembler F)
assigns locations, defines symbols, registers literals and external symbols.
Between the passes control sections get their addresses (consecutive, doubleword
aligned, the first at its START value).  Pass 2 evaluates operands, applies the
USINGs in statement order and produces object code, RLD items and the listing data.

Values inside the assembler are section-relative (expr.Value); ``assembled()`` adds
the section origins to give the addresses the object deck and listing show.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from s390.ebcdic import to_ebcdic
from . import constants, encode
from .expr import Value, evaluate, evaluate_absolute, tokenize
from .listing import Assembly
from .macros import MacroProcessor
from .messages import AsmError, Diagnostic, diagnostic
from .source import Statement, split_operands, is_symbol

ESD_SD, ESD_LD, ESD_ER, ESD_PC, ESD_WX = "SD", "LD", "ER", "PC", "WX"


@dataclass
class Section:
    name: str
    kind: str               # SD, PC or DSECT
    rid: int                # relocation id: the ESDID, or a negative number for a DSECT
    origin: int = 0         # assembled address of offset 0 (set between the passes)
    loc: int = 0
    high: int = 0
    start: int | None = None


@dataclass
class External:
    name: str
    kind: str               # ER or WX
    esdid: int


@dataclass
class Symbol:
    name: str
    value: Value
    length: int
    type: str               # type attribute (HLASM "Type attribute (T')")
    defined: int            # statement number
    refs: list[int] = field(default_factory=list)


@dataclass
class Literal:
    text: str
    dc: constants.DCOperand
    pool: int
    user: "Entry | None" = None     # the instruction whose location '*' means
    section: Section | None = None
    offset: int = 0
    placed: bool = False


@dataclass
class Entry:
    """One statement as the assembly saw it, with what the passes made of it."""
    number: int
    stmt: Statement
    section: Section | None
    loc: int                # section offset where the statement begins
    kind: str               # 'instr', a directive name, 'comment', 'literal', 'cond'
    length: int = 0
    pool: int = 0
    parsed: object = None
    data: bytes = b""
    addrs: list = field(default_factory=list)
    diags: list[Diagnostic] = field(default_factory=list)
    printed: bool = True
    value_display: Value | None = None  # EQU / USING value shown in the address column
    active_usings: str = "None"         # USINGs in effect before the statement (page headings)


@dataclass
class RLDItem:
    r_id: int               # ESDID of the symbol whose address is added
    p_id: int               # ESDID of the section holding the constant
    address: int            # assembled address of the constant
    length: int
    negative: bool = False
    vcon: bool = False


@dataclass
class Using:
    reg: int
    base: Value
    stmt: int


class Assembler:
    """One assembly.  ``run(lines)`` returns an Assembly (object deck, listing, rc)."""

    def __init__(self, libraries=(), sysparm: str = "") -> None:
        self.macros = MacroProcessor(self, libraries, sysparm)
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.symbols: dict[str, Symbol] = {}
        self.externals: dict[str, External] = {}
        self.entries_ld: list[tuple[str, int]] = []
        self.esd_order: list[object] = []
        self.next_esdid = 1
        self.next_dsect = -1
        self.entries: list[Entry] = []
        self.literals: list[Literal] = []
        self.pool = 0
        self.deferred_equ: list[Entry] = []
        self.end_entry: Entry | None = None
        self.ended = False
        self.rld: list[RLDItem] = []
        self.punches: list[tuple[int, bytes]] = []
        self.usings: list[Using] = []
        self.current: Entry | None = None
        self.pass2 = False
        self.print_on, self.print_gen, self.print_data = True, True, False
        self.title = ""
        self.deck_id = ""
        self.global_diags: list[Diagnostic] = []
        self.opsyn: dict[str, str] = {}       # name -> operation it stands for ("" = removed)

    # ------------------------------------------------------------------ context
    def symbol_value(self, name: str) -> Value:
        sym = self.symbols.get(name)
        if sym is None:
            if name in self.externals:
                return Value(0, ((self.externals[name].esdid, 1),))
            raise AsmError("ASMA044E", name)
        if self.pass2 and self.current is not None:
            sym.refs.append(self.current.number)
        return sym.value

    def location(self) -> Value:
        if not self.pass2:
            sec = self._current_section()
            return Value(sec.loc, ((sec.rid, 1),))
        at = self.current
        if at.kind == "literal" and at.parsed.user is not None:
            at = at.parsed.user        # '*' in a literal: the instruction that uses it
        return Value(at.loc, ((at.section.rid, 1),))

    def attribute(self, letter: str, name: str) -> Value:
        if letter != "L":
            raise AsmError("ASMA074E", f"{letter}'{name}")
        if name == "*":
            return Value(self.current.length if self.current else 1)
        sym = self.symbols.get(name)
        if sym is None:
            raise AsmError("ASMA044E", name)
        return Value(sym.length)

    def external(self, name: str) -> Value:
        ext = self.externals.get(name)
        if ext is None:
            ext = self._declare_external(name, ESD_ER)
        return Value(0, ((ext.esdid, 1),))

    def literal(self, text: str) -> tuple[Value, int]:
        lit = self._find_literal(text, self.current.pool, self.current) \
            or self._find_literal(text, self.current.pool)
        if lit is None or not lit.placed:
            raise AsmError("ASMA030E", text)
        return Value(lit.offset, ((lit.section.rid, 1),)), lit.dc.length

    def length_of(self, text: str) -> int:
        """Implicit length of an SS operand: the length attribute of its leftmost term."""
        text = text.strip()
        if text.startswith("="):
            return self.literal(text)[1]
        toks = tokenize(encode._split_storage(text)[0])
        if not toks:
            return 1
        kind, t = toks[0]
        if kind == "sym" and t.upper() in self.symbols:
            return self.symbols[t.upper()].length
        if kind == "loc":
            return self.current.length
        return 1

    def resolve(self, v: Value, text: str) -> tuple[int, int]:
        """Base register and displacement for an implicit address (HLASM "How the
        assembler resolves implicit addresses": the USING giving the smallest
        displacement; on a tie, the higher register)."""
        best = None
        same_reloc = False
        for u in self.usings:
            if u.base.rel != v.rel:
                continue
            same_reloc = True
            d = v.value - u.base.value
            if 0 <= d <= 4095 and (best is None or d < best[1] or (d == best[1] and u.reg > best[0])):
                best = (u.reg, d)
        if best is None:
            if not v.rel and 0 <= v.value <= 4095:
                return 0, v.value
            if not v.rel and not same_reloc:
                raise AsmError("ASMA028E", text)     # an absolute address beyond 4095
            raise AsmError("ASMA034E" if same_reloc else "ASMA307E", text)
        return best

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def title_of(entry: Entry) -> str:
        return entry.parsed if isinstance(entry.parsed, str) else ""

    def assembled(self, v: Value) -> int:
        """The value as assembled: section-relative parts plus their section origins."""
        total = v.value
        for rid, n in v.rel:
            sec = self._section_by_rid(rid)
            if sec is not None:
                total += n * sec.origin
        return total

    def _section_by_rid(self, rid: int) -> Section | None:
        for s in self.sections:
            if s.rid == rid:
                return s
        return None

    def _new_esdid(self, item) -> int:
        esdid = self.next_esdid
        self.next_esdid += 1
        self.esd_order.append(item)
        return esdid

    def _declare_external(self, name: str, kind: str) -> External:
        ext = External(name, kind, 0)
        ext.esdid = self._new_esdid(ext)
        self.externals[name] = ext
        return ext

    def _private_code(self) -> Section:
        sec = Section("", ESD_PC, 0)
        sec.rid = self._new_esdid(sec)
        self.sections.append(sec)
        self.section = sec
        return sec

    def _current_section(self) -> Section:
        return self.section if self.section is not None else self._private_code()

    def define(self, name: str, value: Value, length: int, type_: str, number: int) -> None:
        name = name.upper()
        if not is_symbol(name):
            raise AsmError("ASMA147E", name)
        if name in self.symbols or name in self.externals:
            raise AsmError("ASMA043E", name)
        self.symbols[name] = Symbol(name, value, length, type_, number)

    def here(self) -> Value:
        sec = self._current_section()
        return Value(sec.loc, ((sec.rid, 1),))

    def advance(self, n: int) -> None:
        sec = self._current_section()
        sec.loc += n
        sec.high = max(sec.high, sec.loc)

    def align(self, boundary: int) -> int:
        sec = self._current_section()
        pad = (-sec.loc) % boundary
        self.advance(pad)
        return pad

    def _find_literal(self, text: str, pool: int, user: Entry | None = None) -> Literal | None:
        for lit in self.literals:
            if lit.text == text and lit.pool == pool and lit.user is user:
                return lit
        return None

    # ------------------------------------------------------------------ pass 1
    def run(self, lines: list[str], origin: str = ""):
        for stmt in self.macros.statements(lines, origin):
            self.pass1(stmt)
            if self.ended:
                break
        if not self.ended:
            self.global_diags.append(diagnostic(0, "ASMA140W"))
            self._place_literals(self.entries[-1] if self.entries else None)
        self._resolve_deferred()
        self._assign_origins()
        self.pass2 = True
        for entry in self.entries:
            self.current = entry
            self._pass2(entry)
        return Assembly.build(self)

    def note(self, msgid: str, item: object = "", entry: Entry | None = None, level=None) -> None:
        entry = entry or self.current
        d = diagnostic(entry.number if entry else 0, msgid, item)
        if level is not None:
            d = Diagnostic(d.stmt, d.msgid, d.text, level)
        (entry.diags if entry else self.global_diags).append(d)

    def pass1(self, stmt: Statement) -> None:
        entry = Entry(len(self.entries) + 1, stmt, self.section,
                      self.section.loc if self.section else 0, "comment", pool=self.pool)
        entry.printed = self.print_on and (stmt.level == 0 or self.print_gen)
        self.entries.append(entry)
        self.current = entry
        for d in self.macros.take_pending():
            entry.diags.append(Diagnostic(entry.number, d.msgid, d.text, d.level))
        if stmt.comment or stmt.internal_comment or not stmt.op:
            if not stmt.comment and not stmt.internal_comment and stmt.name and not stmt.name.startswith("."):
                self.note("ASMA142E", entry=entry)
            return
        op = stmt.op.upper()
        op = self.opsyn.get(op, op)
        if op == "":                          # removed by OPSYN with no operand
            self.note("ASMA057E", stmt.op, entry)
            return
        if stmt.conditional:
            entry.kind = "cond"
            return
        try:
            directive = DIRECTIVES.get(op)
            if directive is not None:
                entry.kind = op
                directive[0](self, entry, stmt)
            else:
                self._instruction_pass1(entry, stmt, op)
        except AsmError as e:
            self.note(e.msgid, e.item, entry)
            if entry.kind != "instr":
                entry.kind = "error"          # nothing more to do for it in pass 2

    def _label(self, entry: Entry, stmt: Statement, length: int, type_: str) -> None:
        if stmt.name and not stmt.name.startswith("."):
            self.define(stmt.name, self.here(), length, type_, entry.number)

    def _instruction_pass1(self, entry: Entry, stmt: Statement, op: str) -> None:
        found = encode.lookup(op)
        if found is None:
            raise AsmError("ASMA057E", stmt.op)
        mach, _ = found
        sec = self._current_section()
        if sec.loc % 2:
            self.advance(1)      # instructions are halfword aligned
        entry.section, entry.loc, entry.kind = sec, sec.loc, "instr"
        entry.parsed = found
        entry.length = mach.length
        self._label(entry, stmt, mach.length, "I")
        for operand in split_operands(stmt.operands):
            if operand.startswith("="):
                self._register_literal(operand, entry)
        self.advance(mach.length)

    def _register_literal(self, text: str, entry: Entry) -> None:
        """A literal joins the pending pool once; one that uses the location counter
        (=A(*+8)) is its own, valued at the instruction that uses it."""
        dc = constants.parse_operand(text[1:], self, need_value=True)
        if dc.dup == 0:
            raise AsmError("ASMA030E", text)
        uses_star = dc.ctype.address and any(("loc", "*") in tokenize(v) for v in dc.values)
        user = entry if uses_star else None
        if self._find_literal(text, self.pool, user) is not None:
            return
        if dc.ctype.letter == "V":
            for v in dc.values:
                self.external(v.strip().upper())
        self.literals.append(Literal(text, dc, self.pool, user=user))

    def _place_literals(self, at: Entry | None) -> None:
        """LTORG / END: the pending literals, doublewords first, then fullwords,
        halfwords and the rest (HLASM "Literal pool")."""
        pending = [l for l in self.literals if l.pool == self.pool and not l.placed]
        self.pool += 1
        if not pending:
            return
        sec = self._current_section()
        if self.section is None or self.section.kind == "DSECT":
            sec = next((s for s in self.sections if s.kind != "DSECT"), sec)
        saved = self.section
        self.section = sec
        self.align(8)
        for boundary in (8, 4, 2, 1):
            for lit in pending:
                if _literal_alignment(lit.dc) != boundary:
                    continue
                lit.section, lit.offset, lit.placed = sec, sec.loc, True
                e = Entry(len(self.entries) + 1, Statement([lit.text], op="", operands=lit.text),
                          sec, sec.loc, "literal", lit.dc.size, parsed=lit)
                e.printed = self.print_on
                self.entries.append(e)
                self.advance(lit.dc.size)
        self.section = saved

    def _resolve_deferred(self) -> None:
        """EQU statements whose operands were not yet defined in pass 1."""
        progress = True
        while self.deferred_equ and progress:
            progress = False
            for entry in list(self.deferred_equ):
                self.current = entry
                try:
                    _equ_define(self, entry, entry.stmt)
                except AsmError as e:
                    if e.msgid == "ASMA044E":
                        continue
                    self.note(e.msgid, e.item, entry)
                self.deferred_equ.remove(entry)
                progress = True
        for entry in self.deferred_equ:
            self.current = entry
            try:
                _equ_define(self, entry, entry.stmt)
            except AsmError as e:
                self.note(e.msgid, e.item, entry)

    def _assign_origins(self) -> None:
        addr = 0
        for sec in self.sections:
            if sec.kind == "DSECT":
                continue
            if sec.start is not None:
                addr = sec.start
            addr = (addr + 7) & ~7
            sec.origin = addr
            addr += sec.high

    # ------------------------------------------------------------------ pass 2
    def _usings_text(self) -> str:
        """The active USINGs as the listing heading shows them: BASE+X'disp',Rn."""
        parts = []
        for u in sorted(self.usings, key=lambda u: u.reg):
            sid = u.base.simple_id
            sec = self._section_by_rid(sid) if sid is not None else None
            name = (sec.name or "(PC)") if sec is not None else ""
            if name:
                parts.append(f"{name}+X'{u.base.value:X}',R{u.reg}" if u.base.value else f"{name},R{u.reg}")
            else:
                parts.append(f"X'{u.base.value:X}',R{u.reg}")
        return " ".join(parts) or "None"

    def _pass2(self, entry: Entry) -> None:
        entry.active_usings = self._usings_text()
        try:
            if entry.kind == "instr":
                mach, mask = entry.parsed
                entry.data, entry.addrs = encode.encode(mach, mask, entry.stmt.operands, self)
            elif entry.kind == "literal":
                self._emit_constant(entry, [entry.parsed.dc])
            elif entry.kind in DIRECTIVES and DIRECTIVES[entry.kind][1] is not None:
                DIRECTIVES[entry.kind][1](self, entry, entry.stmt)
        except AsmError as e:
            self.note(e.msgid, e.item, entry)
            if entry.kind == "instr":
                entry.data = bytes(entry.length)

    def _emit_constant(self, entry: Entry, operands: list[constants.DCOperand]) -> None:
        out = bytearray()
        offset = entry.loc
        for dc in operands:
            pad = (-offset) % dc.align
            out += bytes(pad)
            offset += pad
            data, fixups = dc.generate(self)
            for fx in fixups:
                self._relocate(entry, offset + fx.offset, fx.length, fx.rel, fx.vcon)
            out += data
            offset += len(data)
        entry.data = bytes(out)

    def _relocate(self, entry: Entry, offset: int, length: int, rel, vcon: bool) -> None:
        """Record the RLD items of a relocatable field at section offset ``offset``."""
        sec = entry.section
        if sec is None or sec.kind == "DSECT":
            return
        for rid, n in rel:
            target = self._section_by_rid(rid)
            if target is not None and target.kind == "DSECT":
                raise AsmError("ASMA047E", entry.stmt.operands)
            for _ in range(abs(n)):           # A(2*X-Y): one item per term, signed
                self.rld.append(RLDItem(rid, sec.rid, sec.origin + offset, length, n < 0, vcon))


def _literal_alignment(dc: constants.DCOperand) -> int:
    if dc.explicit:
        size = dc.length
        for b in (8, 4, 2):
            if size % b == 0:
                return b
        return 1
    return dc.ctype.align


# ---------------------------------------------------------------------- directives
def _csect_p1(asm: Assembler, entry: Entry, stmt: Statement, kind: str = ESD_SD) -> None:
    name = stmt.name.upper()
    existing = next((s for s in asm.sections if s.name == name and name), None)
    if existing is not None:
        if (existing.kind == "DSECT") != (kind == "DSECT"):
            raise AsmError("ASMA043E", name)
        asm.section = existing
    elif not name and kind != "DSECT":
        pc = next((s for s in asm.sections if s.kind == ESD_PC), None)
        asm.section = pc if pc is not None else asm._private_code()
    else:
        if kind == "DSECT":
            sec = Section(name, "DSECT", asm.next_dsect)
            asm.next_dsect -= 1
        else:
            sec = Section(name, ESD_SD, 0)
            sec.rid = asm._new_esdid(sec)
        asm.sections.append(sec)
        asm.section = sec
        if name:
            if name in asm.symbols:
                raise AsmError("ASMA043E", name)
            asm.symbols[name] = Symbol(name, Value(0, ((sec.rid, 1),)), 1, "J", entry.number)
    entry.section, entry.loc = asm.section, asm.section.loc


def _dsect_p1(asm, entry, stmt):
    _csect_p1(asm, entry, stmt, "DSECT")


def _start_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if any(s.kind != "DSECT" for s in asm.sections):
        raise AsmError("ASMA039S", "START")
    _csect_p1(asm, entry, stmt)
    if stmt.operands:
        asm.section.start = evaluate_absolute(stmt.operands, asm)


def _end_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    asm._place_literals(entry)
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
    asm._place_literals(entry)


def _equ_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if not stmt.name:
        raise AsmError("ASMA062E", "EQU needs a name")
    if not is_symbol(stmt.name):
        raise AsmError("ASMA147E", stmt.name)
    try:
        _equ_define(asm, entry, stmt)
    except AsmError as e:
        if e.msgid != "ASMA044E":
            raise
        asm.deferred_equ.append(entry)


def _equ_define(asm: Assembler, entry: Entry, stmt: Statement) -> None:
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
    pad = (-sec.loc) % first.align
    asm.advance(pad)
    entry.section, entry.loc = sec, sec.loc
    asm._label(entry, stmt, first.length, first.ctype.letter)
    size = 0
    for dc in ops:
        p = (-(sec.loc + size)) % dc.align
        size += p + dc.size
        if dc.ctype.letter == "V" and not ds:
            for v in dc.values:
                name = v.strip().upper()
                if name not in asm.externals and name not in asm.symbols:
                    asm._declare_external(name, ESD_ER)
    entry.parsed, entry.length = ops, size
    asm.advance(size)


def _dc_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
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
    ops = split_operands(stmt.operands)
    if len(ops) < 2:
        raise AsmError("ASMA062E", stmt.operands)
    base = evaluate(ops[0], asm)
    if len(base.rel) > 1 or (base.rel and base.rel[0][1] != 1):
        raise AsmError("ASMA047E", ops[0])
    entry.value_display = base
    regs = [encode._register(r, asm, "ASMA029E") for r in ops[1:]]
    for n, reg in enumerate(regs):
        if reg in regs[:n]:
            raise AsmError("ASMA308E", reg)
    for n, reg in enumerate(regs):
        asm.usings = [u for u in asm.usings if u.reg != reg]
        if reg == 0 and (n or (not base.rel and base.value)):
            # register 0 as a base means address 0 (HLASM "USING instruction"):
            # only USING 0,0 or a section based at 0 such as USING PSA,0
            raise AsmError("ASMA029E", "0")
        asm.usings.append(Using(reg, Value(base.value + 4096 * n, base.rel), entry.number))


def _drop_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    if not stmt.operands:
        asm.usings = []
        return
    for r in split_operands(stmt.operands):
        reg = encode._register(r, asm)
        if not any(u.reg == reg for u in asm.usings):
            asm.note("ASMA045W", r, entry)
        asm.usings = [u for u in asm.usings if u.reg != reg]


def _org_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    sec = asm._current_section()
    asm._label(entry, stmt, 1, "U")
    if not stmt.operands:
        sec.loc = sec.high
        return
    v = evaluate(split_operands(stmt.operands)[0], asm)
    if v.rel != ((sec.rid, 1),) or v.value < 0:
        raise AsmError("ASMA039S", stmt.operands)
    sec.loc = v.value
    sec.high = max(sec.high, sec.loc)


def _cnop_p1(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    ops = split_operands(stmt.operands)
    if len(ops) != 2:
        raise AsmError("ASMA062E", stmt.operands)
    byte, boundary = evaluate_absolute(ops[0], asm), evaluate_absolute(ops[1], asm)
    if boundary not in (4, 8) or byte % 2 or not 0 <= byte < boundary:
        raise AsmError("ASMA062E", stmt.operands)
    sec = asm._current_section()
    if sec.loc % 2:
        asm.advance(1)
    entry.section, entry.loc = sec, sec.loc
    pad = (byte - sec.loc) % boundary
    entry.length = pad
    asm._label(entry, stmt, 1, "U")
    asm.advance(pad)


def _cnop_p2(asm: Assembler, entry: Entry, stmt: Statement) -> None:
    entry.data = b"\x07\x00" * (entry.length // 2)   # NOPR 0 fills the gap


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
    for opt in split_operands(stmt.operands.upper()):
        if opt in ("ON", "OFF"):
            asm.print_on = opt == "ON"
        elif opt in ("GEN", "NOGEN"):
            asm.print_gen = opt == "GEN"
        elif opt in ("DATA", "NODATA"):
            asm.print_data = opt == "DATA"
        elif opt not in ("MCALL", "NOMCALL", "MSOURCE", "NOMSOURCE", "UHEAD", "NOUHEAD", "PUSH", "POP"):
            raise AsmError("ASMA062E", opt)


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
    known = target in DIRECTIVES or encode.lookup(target) is not None or \
        asm.macros.find_macro(target) is not None
    if not known:
        raise AsmError("ASMA057E", stmt.operands)
    asm.opsyn[name] = target


def _copy_p1(asm, entry, stmt):
    """COPY is expanded by the macro processor; the statement itself only lists."""


#: Directive name -> (pass 1, pass 2).  Machine instructions come from the opcode table.
DIRECTIVES: dict[str, tuple[Callable, Callable | None]] = {
    "CSECT": (_csect_p1, None),
    "DSECT": (_dsect_p1, None),
    "START": (_start_p1, None),
    "END": (_end_p1, _end_p2),
    "LTORG": (_ltorg_p1, None),
    "EQU": (_equ_p1, _equ_p2),
    "DC": (_dc_p1, _dc_p2),
    "DS": (_ds_p1, None),
    "CCW": (_ccw_p1, _ccw_p2),
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
}
