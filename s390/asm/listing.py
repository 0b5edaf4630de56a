"""The result of an assembly: object module, object deck, listing and return code.

The listing follows the layout of an HLASM listing: external symbol dictionary,
then per statement location, object code, effective addresses, statement number
and source, with diagnostics under their statement; then the relocation
dictionary, the ordinary symbol cross reference and the diagnostic summary.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from s390.ebcdic import card

from .messages import Diagnostic
from .model import NO_TEXT
from .objdeck import ESDItem, ObjectModule, RLDEntry, TextRecord, iter_cards
from .runs import Runs

LINES_PER_PAGE = 55
ADDRESS_LIMIT = 1 << 24
RSECT_FLAG = 0x08  # ESD flag of a read-only control section
PAGE_HEADING = "  Loc  Object Code      Addr1 Addr2  Stmt   Source Statement"


@dataclass
class Assembly:
    module: ObjectModule
    punched: list[bytes]  # PUNCH and REPRO cards, ahead of the object module
    listing: list[str]
    diagnostics: list[Diagnostic]
    rc: int
    symbols: dict = field(default_factory=dict)
    entries: list = field(default_factory=list)
    deck_id: str = ""
    _deck: list[bytes] | None = None

    def cards(self) -> Iterator[bytes]:
        """The object deck card by card, made as it is read (a 16 MB section is
        some 300,000 TXT cards: ``vm370 asm`` writes them without holding them all)."""
        yield from self.punched
        yield from iter_cards(self.module, self.deck_id)

    @property
    def deck(self) -> list[bytes]:
        """The object deck: 80-byte EBCDIC cards (PUNCH/REPRO, ESD, TXT, RLD, END)."""
        if self._deck is None:
            self._deck = list(self.cards())
        return self._deck

    @property
    def text(self) -> bytes:
        """The object code of the first control section as one block (handy for tests)."""
        if not self.module.text:
            return b""
        first = self.module.text[0].esdid
        recs = [r for r in self.module.text if r.esdid == first]
        base = min(r.address for r in recs)
        end = max(r.address + len(r.data) for r in recs)
        out = bytearray(end - base)
        for r in recs:
            out[r.address - base : r.address - base + len(r.data)] = bytes(r.data)
        return bytes(out)

    @classmethod
    def build(cls, asm) -> Assembly:
        module = _module(asm)
        punched = [c for _, c in asm.punches]
        diags = list(asm.global_diags)
        for e in asm.entries:
            diags += e.diags
        rc = return_code(diags)
        listing = _listing(asm, module, diags, rc)
        return cls(module, punched, listing, diags, rc, asm.symbols, asm.entries, asm.deck_id)


def return_code(diags) -> int:
    """The highest severity, rounded up to 0, 4, 8 or 12 (an MNOTE may give any severity
    0-255; the CMS ASSEMBLE command and this project report the four levels)."""
    worst = max([d.severity for d in diags] + [0])
    return min(12, -(-worst // 4) * 4)


def _module(asm) -> ObjectModule:
    module = ObjectModule()
    for item in asm.esd_order:
        if hasattr(item, "kind") and item.kind in ("SD", "PC", "CM"):
            module.esd.append(
                ESDItem(
                    item.name,
                    item.kind,
                    item.origin,
                    item.high,
                    item.rid,
                    RSECT_FLAG if item.rsect else 0,
                )
            )
        elif item.kind == "XD":  # flag byte: the alignment
            module.esd.append(ESDItem(item.name, "XD", 0, item.length, item.esdid, item.align))
        else:
            module.esd.append(ESDItem(item.name, item.kind, esdid=item.esdid))
    for name, number in asm.entries_ld:
        sym = asm.symbols.get(name)
        sec_id = sym.value.simple_id if sym else None
        sec = asm._section_by_rid(sec_id) if sec_id is not None else None
        if sec is None or sec.kind == "DSECT":
            entry = asm.entries[number - 1]
            asm.note("ASMA048E" if sym else "ASMA044E", name, entry)
            continue
        module.esd.append(ESDItem(name, "LD", asm.assembled(sym.value), sec.rid))
    for e in asm.entries:
        if e.data and e.section is not None and e.section.kind not in NO_TEXT:
            _add_text(module, e.section, e.section.origin + e.loc, e.data)
        if e.stmt.repro:
            asm.punches.append((e.number, card(e.stmt.records[0])))
    module.rld = [
        RLDEntry(r.r_id, r.p_id, r.address, r.length, r.negative, r.vcon, r.pseudo) for r in asm.rld
    ]
    end = asm.end_entry
    if end is not None and end.parsed is not None:
        v = end.parsed
        module.entry_esdid = v.simple_id
        module.entry_address = asm.assembled(v)
    return module


def _add_text(module: ObjectModule, section, addr: int, data) -> None:
    """Object code of one statement into the module's text, joining the previous record
    when it continues it.  Bytes past the section's end, which is at most the end of
    the 24-bit address space (after ASMA039S), are not written."""
    esdid = section.rid
    room = min(ADDRESS_LIMIT, section.origin + section.high) - addr
    if room <= 0:
        return
    if len(data) > room:
        data = data[:room]
    last = module.text[-1] if module.text else None
    if last and last.esdid == esdid and last.address + len(last.data) == addr:
        last.data.extend(data)
    else:
        runs = Runs()
        runs.extend(data)
        module.text.append(TextRecord(esdid, addr, runs))


def _hex(data: bytes) -> str:
    return data.hex().upper()


def _object_column(data: bytes, instruction: bool) -> str:
    """Object code as HLASM prints it: an instruction's 2, 4 or 6 bytes in groups of
    two bytes, constants as one string of at most 8 bytes."""
    h = _hex(data[:8])
    if instruction and len(data) in (2, 4, 6):
        return " ".join(h[i : i + 4] for i in range(0, len(h), 4))
    return h


def _listing(asm, module, diags, rc) -> list[str]:
    out: list[str] = []
    out.append(f"{asm.title or '':<60}High Level Assembler compatible listing (vm370)")
    out.append("")
    out.append("                            External Symbol Dictionary")
    out.append("Symbol   Type   Id     Address  Length   LD ID")
    for item in module.esd:
        if item.type == "LD":
            out.append(
                f"{item.name:<8} LD            {item.address:08X}           {item.length:08X}"
            )
        elif item.type in ("ER", "WX"):
            out.append(f"{item.name:<8} {item.type}   {item.esdid:08X}")
        else:
            out.append(
                f"{item.name:<8} {item.type}   {item.esdid:08X} {item.address:08X} {item.length:08X}"
            )
    out += _paginate(_source_lines(asm))
    out.append("")
    out.append("                            Relocation Dictionary")
    out.append("   Pos.Id   Rel.Id   Address  Type  Action")
    for r in sorted(module.rld, key=lambda r: (r.p_id, r.address)):
        kind = (r.pseudo or ("V" if r.vcon else "A")) + str(r.length)
        out.append(
            f"   {r.p_id:08X} {r.r_id:08X} {r.address:08X}  {kind:<4}  {'ST' if r.negative else '+'}"
        )
    out.append("")
    out.append("                            Ordinary Symbol and Literal Cross Reference")
    out.append("Symbol   Length   Value     Id    R Type  Defn  References")
    for name in sorted(asm.symbols):
        s = asm.symbols[name]
        value = asm.assembled(s.value)
        sid = s.value.simple_id
        reloc = "R" if s.value.rel else "A"
        refs = " ".join(str(r) for r in sorted(set(s.refs)))
        out.append(
            f"{name:<8} {s.length:>6} {value & 0xFFFFFFFF:08X} {(sid or 0) & 0xFFFFFFFF:08X} "
            f"{reloc} {s.type:<4} {s.defined:>5}  {refs}"
        )
    for lit in sorted((l for l in asm.literals if l.placed), key=lambda l: l.defined):
        value = lit.section.origin + lit.offset
        refs = " ".join(str(r) for r in sorted(lit.refs))
        out.append(
            f"{lit.text:<8} {lit.dc.length:>6} {value:08X} {lit.section.rid:08X} "
            f"R {lit.dc.ctype.letter:<4} {lit.defined:>5}  {refs}"
        )
    out.append("")
    out.append("                            Diagnostic Cross Reference and Assembler Summary")
    if diags:
        for d in diags:
            out.append(
                f"  {d.msgid} statement {d.stmt}: {d.text}" if d.stmt else f"  {d.msgid} {d.text}"
            )
    else:
        out.append("  No Statements Flagged in this Assembly")
    out.append(f"  {len(diags)} message(s); highest severity {rc}")
    out.append(f"  Return code {rc}")
    return out


def _record_of(origin: str) -> str:
    """'FILE:LINE' -> 'Record LINE in FILE' (HLASM message ASMA435I)."""
    where, _, line = origin.rpartition(":")
    return f"Record {line} in {where}" if where else f"Record {line}"


#: One listing line: its text, the statement it belongs to, whether a new page starts
#: here instead (EJECT, TITLE), and the title in force.
Line = tuple


def _source_lines(asm) -> list[Line]:
    """The source and object code part of the listing, before pagination."""
    lines: list[Line] = []
    title = asm.title or ""
    for e in asm.entries:
        op = e.stmt.op.upper()
        if e.kind == op and op in ("SPACE", "EJECT", "TITLE") and not e.diags:
            if op == "SPACE":  # SPACE n: n blank lines
                n = e.stmt.operands if e.stmt.operands.isdigit() else "1"
                lines += [("", e, False, title)] * min(int(n), LINES_PER_PAGE)
            else:  # EJECT, TITLE: a new page
                title = asm.title_of(e) if op == "TITLE" else title
                lines.append(("", e, True, title))
            continue
        if e.printed or e.diags:
            lines += [(text, e, False, title) for text in _statement_lines(asm, e)]
        for d in e.diags:
            lines.append((f"** {d.msgid} {d.text}", e, False, title))
        if e.diags and e.stmt.origin:
            lines.append((f"** ASMA435I {_record_of(e.stmt.origin)}", e, False, title))
    return lines


def _paginate(lines: list[Line]) -> list[str]:
    """Pages of LINES_PER_PAGE lines, each headed by the title, page number, the
    USINGs active at its first statement and the column headings."""
    out: list[str] = []
    page, used = 0, LINES_PER_PAGE
    for k, (text, entry, new_page, title) in enumerate(lines):
        if new_page or used >= LINES_PER_PAGE:
            nxt = entry if not new_page else next((l[1] for l in lines[k + 1 :]), entry)
            page += 1
            out.append(f"\f{title:<100}Page {page:>4}")
            if nxt is None or nxt.options.uhead:
                out.append(f"  Active Usings: {nxt.active_usings if nxt is not None else 'None'}")
            out.append(PAGE_HEADING)
            used = 0
            if new_page:
                continue
        out.append(text)
        used += 1
    return out


def _statement_lines(asm, e) -> list[str]:
    loc = ""
    if e.section is not None and e.kind not in (
        "comment",
        "cond",
        "EQU",
        "USING",
        "DROP",
        "PRINT",
        "TITLE",
        "EJECT",
        "SPACE",
        "END",
        "ENTRY",
        "EXTRN",
        "WXTRN",
        "COPY",
        "PUNCH",
        "REPRO",
        "MNOTE",
        "DXD",
    ):
        loc = f"{(e.section.origin + e.loc) & 0xFFFFFF:06X}"
    obj = _object_column(e.data, e.kind == "instr") if e.data else ""
    addr1 = addr2 = ""
    if e.value_display is not None:
        addr2 = f"{asm.assembled(e.value_display) & 0xFFFFFFFF:08X}"[-8:]
        addr2 = addr2[2:] if len(addr2) == 8 and addr2.startswith("00") else addr2
    elif e.addrs:
        shown = [
            f"{asm.assembled(a) & 0xFFFFFF:05X}"[-5:] if a is not None else "" for a in e.addrs
        ]
        if len(shown) == 1:
            addr2 = shown[0]
        else:
            addr1, addr2 = shown[0], shown[1]
    if e.kind == "literal":
        text = f"{'':<15}{e.stmt.operands}"
    else:  # a source record, or a generated statement in full
        text = e.stmt.records[0] if e.stmt.level else e.stmt.records[0][:80]
    if e.stmt.level and not e.options.msource:
        text = ""  # PRINT NOMSOURCE: object code only
    gen = "+" if e.stmt.level else " "
    lines = [f"{loc:<6} {obj:<16} {addr1:<5} {addr2:<6}{e.number:>5}{gen}{text.rstrip()}"]
    for rec in e.stmt.records[1:]:
        lines.append(f"{'':<39}{rec.rstrip()}")
    if e.options.data and e.data and len(e.data) > 8:
        for k in range(8, len(e.data), 8):
            lines.append(
                f"{(e.section.origin + e.loc + k) & 0xFFFFFF:06X} {_hex(e.data[k : k + 8])}"
            )
    return lines
