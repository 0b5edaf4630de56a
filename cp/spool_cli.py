"""Decks in, listings out: ``vm370 punch`` and ``vm370 printout``.

``vm370 punch DECK --to USERID [--class C] [--name FN [FT]] [--system DIR]``
puts a deck into a user's virtual reader as if the system had punched it
(``punch_deck`` is the same as an API for CMS batch and tests).  A text deck
(ASCII) becomes EBCDIC cards, one line a card, blanks to column 80; a line
longer than 80 is refused with its line number.  Anything that is not text
is a binary deck and must be whole 80-byte card images, taken as they are.

``vm370 printout [--system DIR] [--punch] [SPOOLID]`` lists the system
printer's listings (or the punch's card files), or shows one listing;
with ``--pdf FILE`` or ``--html FILE`` the listing is drawn on greenbar
continuous forms instead (``--plain``: white paper; ``--lpi 6|8``), and
``--pdf-all DIR`` writes every listing of the system printer as a PDF
(cp.greenbar).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cp.directory import DirectoryError
from cp.spool import Spool, SpoolError, SpoolFile
from cp.sysdir import default_path, read_directory
from s390.ebcdic import CARD_LENGTH, card, from_ebcdic

TEXT_CONTROLS = set("\n\r\t\f")


class DeckError(Exception):
    """A deck that cannot be punched; the text says why (and where)."""


def is_text_deck(data: bytes) -> bool:
    """ASCII text: printable characters and line ends only."""
    try:
        text = data.decode("ascii")
    except UnicodeDecodeError:
        return False
    return all(ch.isprintable() or ch in TEXT_CONTROLS for ch in text)


def deck_cards(data: bytes) -> list[bytes]:
    """The 80-byte EBCDIC cards of a text or binary deck (module docstring)."""
    if is_text_deck(data):
        cards = []
        for number, line in enumerate(data.decode("ascii").splitlines(), start=1):
            line = line.expandtabs(8).rstrip("\f")
            if len(line.rstrip()) > CARD_LENGTH:
                raise DeckError(
                    f"line {number} is longer than {CARD_LENGTH} characters ({len(line.rstrip())})"
                )
            cards.append(card(line.rstrip()))
        return cards
    if len(data) % CARD_LENGTH:
        raise DeckError(
            f"not a text deck, and {len(data)} bytes are not whole {CARD_LENGTH}-byte card images"
        )
    return [data[i : i + CARD_LENGTH] for i in range(0, len(data), CARD_LENGTH)]


def punch_deck(
    spool: Spool,
    data: bytes,
    to_user: str,
    cls: str = "A",
    origin: str = "SYSTEM",
    name: str = "",
    ftype: str = "",
) -> SpoolFile:
    """Put a deck into ``to_user``'s reader as a closed punch file."""
    cls = cls.upper()
    if len(cls) != 1 or not cls.isalnum():
        raise DeckError(f"class must be one letter or digit, not {cls!r}")
    cards = deck_cards(data)
    if not cards:
        # CP keeps no spool file without records (a CLOSE of an empty punch).
        raise DeckError("the deck has no cards")
    return spool.add_closed(
        origin,
        "PUN",
        [(0x01, c) for c in cards],
        owner=to_user.upper(),
        cls=cls,
        name=name.upper()[:8],
        ftype=ftype.upper()[:8],
    )


def _system_dir(arg: str | None) -> Path:
    if arg:
        return Path(arg)
    return default_path()


def _known_user(sysdir: Path, userid: str) -> bool:
    """True when the system directory's USER DIRECT has the user (or there is none)."""
    try:
        directory = read_directory(sysdir)  # creates nothing: minidisks are the system's
    except (OSError, DirectoryError):  # no directory yet: nothing to check against
        return True
    return userid.upper() in directory


def punch_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="vm370 punch", description="put a card deck into a user's reader"
    )
    parser.add_argument("deck", help="the deck: a text file or 80-byte card images")
    parser.add_argument("--to", required=True, metavar="USERID", help="the receiving user")
    parser.add_argument("--class", dest="cls", default="A", help="spool class (default A)")
    parser.add_argument("--name", nargs="+", metavar="FN", help="file name and type")
    parser.add_argument("--system", metavar="DIR", help="the system directory")
    args = parser.parse_args(argv)
    sysdir = _system_dir(args.system)
    deck = Path(args.deck)
    try:
        data = deck.read_bytes()
    except OSError as err:
        print(f"vm370 punch: {deck}: {err.strerror}", file=sys.stderr)
        return 2
    if not _known_user(sysdir, args.to):
        print(f"DMKCSP020E USERID MISSING OR INVALID - {args.to.upper()}", file=sys.stderr)
        return 20
    name, ftype = (args.name + [""])[:2] if args.name else (deck.stem, deck.suffix.lstrip("."))
    try:
        sf = punch_deck(
            Spool.for_system(sysdir, recover=False), data, args.to, args.cls, name=name, ftype=ftype
        )
    except (DeckError, SpoolError) as err:
        print(f"vm370 punch: {deck}: {err}", file=sys.stderr)
        return 1
    print(f"PUN FILE {sf.spoolid:04d}  TO  {sf.owner:<8} COPY 01 NOHOLD  ({sf.records} CARDS)")
    return 0


def printout_main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="vm370 printout", description="list or show system printer (or punch) output"
    )
    parser.add_argument("spoolid", nargs="?", help="show this file (spoolid or file name)")
    parser.add_argument("--punch", action="store_true", help="the punch's card files instead")
    parser.add_argument("--system", metavar="DIR", help="the system directory")
    parser.add_argument("--pdf", metavar="FILE", help="draw the listing on continuous forms as PDF")
    parser.add_argument("--html", metavar="FILE", help="... or as an HTML page")
    parser.add_argument("--pdf-all", metavar="DIR", help="write every listing as a PDF into DIR")
    parser.add_argument("--plain", action="store_true", help="white paper, not greenbar")
    parser.add_argument(
        "--lpi",
        type=int,
        choices=(6, 8),
        default=None,
        help="lines per inch (default: as the carriage tape gives, 6 for 66-line forms)",
    )
    args = parser.parse_args(argv)
    sysdir = _system_dir(args.system)
    if not sysdir.is_dir():
        print(f"vm370 printout: no system directory {sysdir}", file=sys.stderr)
        return 2
    if (args.pdf or args.html or args.pdf_all) and args.punch:
        print("vm370 printout: --pdf, --html and --pdf-all are for printer output", file=sys.stderr)
        return 2
    if (args.pdf or args.html) and args.spoolid is None:
        print("vm370 printout: --pdf and --html need the SPOOLID of a listing", file=sys.stderr)
        return 2
    spool = Spool.for_system(sysdir, recover=False)
    files = spool.punched() if args.punch else spool.listings()
    if args.pdf_all:
        return _all_as_pdf(files, Path(args.pdf_all), args)
    if args.spoolid is None:
        if not files:
            print("NO PUNCH OUTPUT" if args.punch else "NO PRINTER OUTPUT")
        for path in files:
            _, _, spoolid, owner = path.stem.split("-", 3)
            size = path.stat().st_size
            amount = f"{size // CARD_LENGTH} CARDS" if args.punch else f"{size} BYTES"
            print(f"{spoolid} {owner:<8} {amount:>14}  {path}")
        return 0
    wanted = args.spoolid.upper()
    for path in files:
        spoolid = path.stem.split("-")[2]
        if wanted in (path.name.upper(), spoolid) or (
            wanted.isdigit() and int(wanted) == int(spoolid)
        ):
            if args.punch:
                data = path.read_bytes()
                for i in range(0, len(data), CARD_LENGTH):
                    print(card_text(data[i : i + CARD_LENGTH]))
            elif args.pdf or args.html:
                return _draw(path, args)
            else:
                sys.stdout.write(path.read_text())
            return 0
    other = spool.listings() if args.punch else spool.punched()
    hint = ""
    if any(
        wanted in (p.name.upper(), p.stem.split("-")[2])
        or (wanted.isdigit() and int(wanted) == int(p.stem.split("-")[2]))
        for p in other
    ):
        hint = " (it is printer output)" if args.punch else " (it is punch output: --punch)"
    print(f"vm370 printout: no output file {args.spoolid}{hint}", file=sys.stderr)
    return 1


def card_text(image: bytes) -> str:
    """A card as text: EBCDIC decoded, control codes (binary fields of an
    object or DISK DUMP deck) shown as '.' so the terminal stays sane."""
    text = from_ebcdic(image).rstrip()
    return "".join(ch if ch.isprintable() else "." for ch in text)


def _draw(path: Path, args) -> int:
    """One listing on paper: --pdf and/or --html."""
    from cp.greenbar import render_html, write_pdf

    text = path.read_text()
    try:
        if args.pdf:
            forms = write_pdf(Path(args.pdf), [text], greenbar=not args.plain, lpi=args.lpi)
            print(f"{args.pdf}: {forms} form{'s' if forms != 1 else ''}")
        if args.html:
            Path(args.html).write_text(render_html([text], greenbar=not args.plain, lpi=args.lpi))
            print(f"{args.html}: written")
    except OSError as err:
        print(f"vm370 printout: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 1
    return 0


def _all_as_pdf(files: list[Path], target: Path, args) -> int:
    """Every system printer listing as DIR/NAME.pdf (made again only when
    the listing is newer than its PDF)."""
    from cp.greenbar import write_pdf

    try:
        target.mkdir(parents=True, exist_ok=True)
        for path in files:
            pdf = target / (path.stem + ".pdf")
            if pdf.exists() and pdf.stat().st_mtime >= path.stat().st_mtime:
                continue
            forms = write_pdf(pdf, [path.read_text()], greenbar=not args.plain, lpi=args.lpi)
            print(f"{pdf}: {forms} form{'s' if forms != 1 else ''}")
    except OSError as err:
        print(f"vm370 printout: {err.filename or target}: {err.strerror or err}", file=sys.stderr)
        return 1
    if not files:
        print("NO PRINTER OUTPUT")
    return 0
