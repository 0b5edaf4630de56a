"""Listings on continuous forms: ``vm370 printout ID --pdf`` (cp.greenbar).

A known listing - 70 lines written with space-one-after (X'09'), so the
carriage runs over the 66-line form, then a skip to channel 1 (X'8B') and
three more lines - must come out as three forms (plus CP's separator page)
with the lines where the carriage put them; pdftotext reads the text back
and pdftoppm draws page 1 as a PNG for a reviewer to look at."""

import subprocess
import sys

import pytest

from cp.greenbar import lines_per_inch, listing_pages, render_html, write_pdf
from cp.listing import render_listing
from cp.spool import Spool
from cp.spool_cli import printout_main
from s390.ebcdic import to_ebcdic


def known_records():
    records = [(0x09, to_ebcdic(f"LINE {n:03d} " + "X" * 120)) for n in range(1, 71)]
    records.append((0x8B, b""))  # skip to channel 1
    records += [(0x09, to_ebcdic(f"AFTER SKIP {n}")) for n in range(1, 4)]
    return records


def pdf_pages_text(path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [page.splitlines() for page in text.split("\f")][:-1]


def test_the_forms_follow_the_carriage_control():
    forms = listing_pages(render_listing(known_records()))
    assert [len(f) for f in forms] == [66, 4, 3]
    assert forms[1][0].startswith("LINE 067") and forms[2][0] == "AFTER SKIP 1"
    assert lines_per_inch(forms) == 6
    assert lines_per_inch([["x"] * 80]) == 8  # longer forms: 8 lines an inch
    with pytest.raises(ValueError):
        lines_per_inch(forms, 7)


def test_pdf_of_a_known_listing(tmp_path):
    pdf = tmp_path / "known.pdf"
    assert write_pdf(pdf, [render_listing(known_records())]) == 3
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           3" in info
    assert "1071 x 792 pts" in info  # 14 7/8 by 11 inch forms
    pages = pdf_pages_text(pdf)
    lines = [[line.strip() for line in page if line.strip()] for page in pages]
    assert [len(p) for p in lines] == [66, 4, 3]
    assert lines[0][0] == "LINE 001 " + "X" * 120  # all 132 positions
    assert lines[0][-1].startswith("LINE 066") and lines[1][-1].startswith("LINE 070")
    assert lines[2] == ["AFTER SKIP 1", "AFTER SKIP 2", "AFTER SKIP 3"]
    png = tmp_path / "page1"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(png)],
        check=True,
    )
    image = (tmp_path / "page1.png").read_bytes()
    assert image.startswith(b"\x89PNG") and len(image) > 5000
    print(f"page 1 of the known listing: {tmp_path / 'page1.png'}")


def test_printout_cli_draws_a_system_listing(tmp_path, capsys):
    spool = Spool.for_system(tmp_path)
    sf = spool.add_closed(
        "ALICE", "PRT", known_records(), owner="ALICE", queue="PRT", name="KNOWN", ftype="LISTING"
    )
    assert printout_main(["--system", str(tmp_path)]) == 0
    assert f"{sf.spoolid:04d} ALICE" in capsys.readouterr().out
    pdf, page = tmp_path / "out.pdf", tmp_path / "out.html"
    assert (
        printout_main(
            ["--system", str(tmp_path), str(sf.spoolid), "--pdf", str(pdf), "--html", str(page)]
        )
        == 0
    )
    assert f"{pdf}: 4 forms" in capsys.readouterr().out  # the separator page and three
    pages = pdf_pages_text(pdf)
    assert any("SPOOLID" in line and "FILE KNOWN" in line for line in pages[0])
    assert "repeating-linear-gradient" in page.read_text()
    out = tmp_path / "all"
    assert printout_main(["--system", str(tmp_path), "--pdf-all", str(out), "--plain"]) == 0
    assert len(list(out.glob("*.pdf"))) == 1


def test_printout_bad_input(tmp_path, capsys):
    Spool.for_system(tmp_path)
    assert printout_main(["--system", str(tmp_path), "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "need the SPOOLID" in capsys.readouterr().err
    assert printout_main(["--system", str(tmp_path), "0042", "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert "no output file 0042" in capsys.readouterr().err
    assert printout_main(["--system", str(tmp_path), "--punch", "--pdf-all", str(tmp_path)]) == 2


def test_html_is_escaped():
    page = render_html(["<B> & </B>\n"])
    assert "&lt;B&gt; &amp; &lt;/B&gt;" in page


def test_cli_subprocess_pdf_option_listed():
    out = subprocess.run(
        [sys.executable, "-m", "vm370", "printout", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "--pdf" in out and "--pdf-all" in out
