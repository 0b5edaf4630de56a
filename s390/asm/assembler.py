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

from . import constants, encode
from .directives import DIRECTIVES, equ_define
from .expr import Value, tokenize
from .listing import Assembly
from .macros import MacroProcessor
from .messages import AsmError, Diagnostic, diagnostic
from .model import (
    ESD_CM,
    ESD_ER,
    ESD_PC,
    ESD_XD,
    NO_TEXT,
    Entry,
    External,
    Literal,
    PrintOptions,
    RLDItem,
    Section,
    Symbol,
    Using,
)
from .runs import Runs
from .source import Statement, is_symbol, split_operands

#: Location counters, section lengths and addresses are 24 bits in the object deck
#: (ESD, TXT, RLD address fields; HLASM "Location counter and length limits").
LOCATION_LIMIT = 1 << 24


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
        self.next_loctr = 1 << 30  # relocation ids of LOCTRs during pass 1
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
        self.print = PrintOptions()
        self.print_stack: list[PrintOptions] = []
        self.using_stack: list[list[Using]] = []
        self.title = ""
        self.deck_id = ""
        self.global_diags: list[Diagnostic] = []
        self.opsyn: dict[str, str] = {}  # name -> operation it stands for ("" = removed)
        self.constant_loc: int | None = None  # the address constant being generated
        self.qualifier: str | None = None  # USING label of the operand being resolved
        self._usings_shown: dict[tuple, str] = {}

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
        if self.constant_loc is not None:  # '*' in an address constant: its first byte
            return Value(self.constant_loc, ((at.section.rid, 1),))
        if at.kind == "literal" and at.parsed.user is not None:
            at = at.parsed.user  # '*' in a literal: the instruction that uses it
        return Value(at.loc, ((at.section.rid, 1),))

    def constant_at(self, offset: int | None) -> None:
        self.constant_loc = offset

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

    def pseudo_register(self, name: str) -> Value:
        """Q(name): an external dummy section, declared by DXD or a DSECT named in a Q
        constant (HLASM "Offset constant - Q"); its offset is the linker's."""
        ext = self.externals.get(name)
        if ext is None or ext.kind != ESD_XD:
            sec = next((s for s in self.sections if s.kind == "DSECT" and s.name == name), None)
            if sec is None or ext is not None:
                raise AsmError("ASMA044E", name)
            ext = self._declare_external(name, ESD_XD)
            ext.length, ext.align = sec.high, 7
        return Value(0, ((ext.esdid, 1),))

    def cumulative_length(self, entry: Entry) -> None:
        """CXD: the total length of the pseudo registers, stored by the linker."""
        self.rld.append(
            RLDItem(0, entry.section.rid, entry.section.origin + entry.loc, 4, pseudo="CXD")
        )

    def literal(self, text: str) -> tuple[Value, int]:
        lit = self._find_literal(text, self.current.pool, self.current) or self._find_literal(
            text, self.current.pool
        )
        if lit is None or not lit.placed:
            raise AsmError("ASMA030E", text)
        lit.refs.add(self.current.number)
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

    def qualified(self, label: str, name: str) -> Value:
        """LABEL.NAME: the symbol, to be resolved only through the USING labeled LABEL
        (HLASM "Labeled USING")."""
        if self.pass2 and not any(u.label == label for u in self.usings):
            raise AsmError("ASMA044E", f"{label}.{name}")
        self.qualifier = label
        return self.symbol_value(name)

    def resolve(self, v: Value, text: str) -> tuple[int, int]:
        """Base register and displacement for an implicit address (HLASM "How the
        assembler resolves implicit addresses": the USING giving the smallest
        displacement; on a tie, the higher register).  A qualified operand uses only
        its labeled USING, any other only the unlabeled ones; a dependent USING maps
        the address onto its anchor, which another USING must cover."""
        label, self.qualifier = self.qualifier or "", None
        best, nearest = self._resolve_in(v, label, depth=0)
        if best is None:
            if not v.rel and 0 <= v.value <= 4095:
                return 0, v.value
            if not v.rel and nearest is None:
                raise AsmError("ASMA028E", text)  # an absolute address beyond 4095
            if nearest is not None:
                raise AsmError("ASMA034E", (text, nearest))
            raise AsmError("ASMA307E", text)
        return best

    def _resolve_in(self, v: Value, label: str, depth: int):
        """(best (register, displacement) or None, how far beyond the nearest range)."""
        best = None
        nearest = None  # how far beyond the nearest USING range
        for u in self.usings:
            if u.base.rel != v.rel or u.label != label:
                continue
            d = v.value - u.base.value
            if 0 <= d <= 4095:
                found = (u.reg, d) if u.anchor is None else self._through_anchor(u, d, depth)
                if found is not None and (
                    best is None
                    or found[1] < best[1]
                    or (found[1] == best[1] and found[0] > best[0])
                ):
                    best = found
            miss = d - 4095 if d > 4095 else -d
            nearest = miss if nearest is None else min(nearest, miss)
        return best, nearest

    def _through_anchor(self, u: Using, d: int, depth: int) -> tuple[int, int] | None:
        """A dependent USING: the address is its anchor plus d, resolved through the
        unlabeled USINGs (a chain of dependent USINGs ends after a few links)."""
        if depth > 8:
            return None
        found, _ = self._resolve_in(Value(u.anchor.value + d, u.anchor.rel), "", depth + 1)
        if found is None and not u.anchor.rel and 0 <= u.anchor.value + d <= 4095:
            return 0, u.anchor.value + d
        return found

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
        self.set_location(sec, sec.loc + n)

    def set_location(self, sec: Section, loc: int) -> None:
        """Move the location counter.  Past the 24-bit limit HLASM issues ASMA039S and
        goes on with the counter wrapped around to zero; the section length stays at
        its maximum (HLASM Language Reference, "Location counter and length limits")."""
        limit = LOCATION_LIMIT - ((sec.start + 7) & ~7 if sec.start else 0)
        if loc >= limit:
            if self.current is not None:
                self.note(
                    "ASMA039S", f"location counter X'{loc:X}' beyond X'{LOCATION_LIMIT - 1:X}'"
                )
            sec.high = limit - 1
            loc %= max(limit, 1)
        sec.loc = loc
        sec.high = max(sec.high, sec.loc)

    def align(self, boundary: int) -> int:
        sec = self._current_section()
        sec.boundary = max(sec.boundary, boundary)
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
            self._place_literals(at_end=True)
        self._fold_loctrs()
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
        entry = Entry(
            len(self.entries) + 1,
            stmt,
            self.section,
            self.section.loc if self.section else 0,
            "comment",
            pool=self.pool,
        )
        entry.options = self.print
        entry.printed = self.print.shows(stmt)
        self.entries.append(entry)
        self.current = entry
        for d in self.macros.take_pending():
            entry.diags.append(Diagnostic(entry.number, d.msgid, d.text, d.level))
        if stmt.comment or stmt.internal_comment or not stmt.op:
            if (
                not stmt.comment
                and not stmt.internal_comment
                and stmt.name
                and not stmt.name.startswith(".")
            ):
                self.note("ASMA142E", entry=entry)
            return
        op = stmt.op.upper()
        op = self.opsyn.get(op, op)
        if op == "":  # removed by OPSYN with no operand
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
                entry.kind = "error"  # nothing more to do for it in pass 2

    def _label(self, entry: Entry, stmt: Statement, length: int, type_: str) -> None:
        """Define the statement's name.  A bad or duplicate name is flagged, but the
        statement is still assembled and keeps its length (so one error does not move
        every later address)."""
        if stmt.name and not stmt.name.startswith("."):
            try:
                self.define(stmt.name, self.here(), length, type_, entry.number)
            except AsmError as e:
                self.note(e.msgid, e.item, entry)

    def _instruction_pass1(self, entry: Entry, stmt: Statement, op: str) -> None:
        found = encode.lookup(op)
        if found is None:
            raise AsmError("ASMA057E", stmt.op)
        mach, _ = found
        sec = self._current_section()
        self.align(2)  # instructions are halfword aligned
        entry.section, entry.loc, entry.kind = sec, sec.loc, "instr"
        entry.parsed = found
        entry.length = mach.length
        self._label(entry, stmt, mach.length, "I")
        self.advance(mach.length)  # the instruction's length, whatever its operands
        for operand in split_operands(stmt.operands):
            if operand.startswith("="):
                self._register_literal(operand, entry)

    def _register_literal(self, text: str, entry: Entry) -> None:
        """A literal joins the pending pool once; one that uses the location counter
        (=A(*+8)) is its own, valued at the instruction that uses it."""
        if "*" not in text and self._find_literal(text, self.pool) is not None:
            return
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

    def _place_literals(self, at_end: bool = False) -> None:
        """The pending literals, doublewords first, then fullwords, halfwords and the
        rest (HLASM "Literal pool"): at an LTORG in the current section; at END at the
        end of the first control section (HLASM "Addressing considerations")."""
        pending = [l for l in self.literals if l.pool == self.pool and not l.placed]
        self.pool += 1
        if not pending:
            return
        saved = self.section
        if at_end:
            sec = (
                next((s for s in self.sections if s.kind not in NO_TEXT), None)
                or self._private_code()
            )
            sec.loc = sec.high
        else:
            sec = self._current_section()
        self.section = sec
        self.align(8)
        for boundary in (8, 4, 2, 1):
            for lit in pending:
                if _literal_alignment(lit.dc) != boundary:
                    continue
                lit.section, lit.offset, lit.placed = sec, sec.loc, True
                e = Entry(
                    len(self.entries) + 1,
                    Statement([lit.text], op="", operands=lit.text),
                    sec,
                    sec.loc,
                    "literal",
                    lit.dc.size,
                    parsed=lit,
                )
                lit.defined = e.number
                e.options = self.print
                e.printed = self.print.on
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
                    equ_define(self, entry, entry.stmt)
                except AsmError as e:
                    if e.msgid == "ASMA044E":
                        continue
                    self.note(e.msgid, e.item, entry)
                self.deferred_equ.remove(entry)
                progress = True
        for entry in self.deferred_equ:
            self.current = entry
            try:
                equ_define(self, entry, entry.stmt)
            except AsmError as e:
                self.note(e.msgid, e.item, entry)

    def _fold_loctrs(self) -> None:
        """Place every LOCTR after its section's earlier counters, in the order they were
        defined (HLASM "LOCTR instruction"), on the strictest boundary its statements
        asked for, and move what pass 1 recorded in LOCTR terms into section terms."""
        loctrs = [s for s in self.sections if s.kind == "LOCTR"]
        if not loctrs:
            return
        for sec in loctrs:
            owner = sec.owner
            sec.base = -(-owner.high // sec.boundary) * sec.boundary
            owner.high = sec.base + sec.high
        by_rid = {s.rid: s for s in loctrs}

        def fold(v: Value) -> Value:
            value, rel = v.value, {}
            for rid, n in v.rel:
                seg = by_rid.get(rid)
                if seg is not None:
                    value += n * seg.base
                    rid = seg.owner.rid
                rel[rid] = rel.get(rid, 0) + n
            return Value(value, tuple(sorted((k, c) for k, c in rel.items() if c)))

        for entry in self.entries:
            seg = entry.section
            if seg is not None and seg.kind == "LOCTR":
                entry.section, entry.loc = seg.owner, entry.loc + seg.base
        for sym in self.symbols.values():
            sym.value = fold(sym.value)
        for lit in self.literals:
            if lit.section is not None and lit.section.kind == "LOCTR":
                lit.section, lit.offset = lit.section.owner, lit.offset + lit.section.base
        self.sections = [s for s in self.sections if s.kind != "LOCTR"]

    def _assign_origins(self) -> None:
        """Control sections follow one another on doubleword boundaries; one that would
        end past 16 MB is a location counter error (ASMA039S) and wraps to zero."""
        addr = 0
        for sec in self.sections:
            if sec.kind == "DSECT":
                continue
            if sec.kind == ESD_CM:  # a common section is addressed from zero
                sec.origin = 0
                continue
            if sec.start is not None:
                addr = sec.start
            addr = (addr + 7) & ~7
            if addr + sec.high > LOCATION_LIMIT:
                first = next((e for e in self.entries if e.section is sec), None)
                self.note(
                    "ASMA039S",
                    f"section {sec.name or '(PC)'} at X'{addr:X}' length X'{sec.high:X}'"
                    f" ends beyond X'{LOCATION_LIMIT - 1:X}'",
                    first,
                )
                addr %= LOCATION_LIMIT
                sec.high = min(sec.high, LOCATION_LIMIT - 1 - addr)
            sec.origin = addr
            addr += sec.high

    # ------------------------------------------------------------------ pass 2
    def _usings_text(self) -> str:
        """The active USINGs as the listing heading shows them: BASE+X'disp',Rn."""
        key = tuple((u.reg, u.base, u.label, u.anchor) for u in self.usings)
        if key not in self._usings_shown:
            self._usings_shown[key] = self._format_usings()
        return self._usings_shown[key]

    def _format_usings(self) -> str:
        parts = []
        for u in sorted(self.usings, key=lambda u: (u.reg is None, u.reg or 0, u.label)):
            where = f"R{u.reg}" if u.anchor is None else self._address_text(u.anchor)
            text = f"{self._address_text(u.base)},{where}"
            parts.append(f"{u.label}.{text}" if u.label else text)
        return " ".join(parts) or "None"

    def _address_text(self, v: Value) -> str:
        """SECTION+X'disp' as the USING heading shows an address."""
        sid = v.simple_id
        sec = self._section_by_rid(sid) if sid is not None else None
        name = (sec.name or "(PC)") if sec is not None else ""
        if name:
            return f"{name}+X'{v.value:X}'" if v.value else name
        return f"X'{v.value:X}'"

    def _pass2(self, entry: Entry) -> None:
        entry.active_usings = self._usings_text()
        self.qualifier = None
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
            if entry.kind in ("instr", "DC", "CCW", "CCW0", "literal"):
                entry.data = Runs.zeros(entry.length)  # assembled as zeros, as HLASM does

    def _emit_constant(self, entry: Entry, operands: list[constants.DCOperand]) -> None:
        out = Runs()
        offset = entry.loc
        k = 0
        while k < len(operands):
            dc = operands[k]
            if dc.bits:  # a group of bit-length operands
                group = [dc]
                while k + len(group) < len(operands) and operands[k + len(group)].bits:
                    group.append(operands[k + len(group)])
                data = constants.bit_stream(group, self)
                out.extend(data)
                offset += len(data)
                k += len(group)
                continue
            k += 1
            pad = (-offset) % dc.align
            out.append(b"\0", pad)
            offset += pad
            room = LOCATION_LIMIT - (entry.section.origin + offset) if entry.section else None
            data, fixups = dc.generate(self, offset, literal=entry.kind == "literal", room=room)
            for fx in fixups:
                self._relocate(entry, offset + fx.offset, fx.length, fx.rel, fx.vcon, fx.pseudo)
            out.extend(data)
            offset += len(data)
        entry.data = out

    def _relocate(
        self, entry: Entry, offset: int, length: int, rel, vcon: bool, pseudo: str = ""
    ) -> None:
        """Record the RLD items of a relocatable field at section offset ``offset``."""
        sec = entry.section
        if sec is None or sec.kind in NO_TEXT:
            return
        for rid, n in rel:
            target = self._section_by_rid(rid)
            if target is not None and target.kind == "DSECT":
                raise AsmError("ASMA047E", entry.stmt.operands)
            for _ in range(abs(n)):  # A(2*X-Y): one item per term, signed
                self.rld.append(
                    RLDItem(rid, sec.rid, sec.origin + offset, length, n < 0, vcon, pseudo)
                )


def _literal_alignment(dc: constants.DCOperand) -> int:
    if dc.explicit:
        size = dc.length
        for b in (8, 4, 2):
            if size % b == 0:
                return b
        return 1
    return dc.ctype.align
