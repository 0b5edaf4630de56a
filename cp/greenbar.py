"""System printer listings on paper: greenbar continuous forms as PDF or HTML.

A listing (cp.listing.render_listing: lines placed by their
carriage control, a form feed where the carriage skipped to channel 1) is
drawn as the 1403 printed it: 132 print positions at 10 characters an
inch on 14 7/8 by 11 inch continuous forms with tractor holes down both
sides, a perforation between forms, and pale green bands half an inch
deep (three lines at 6 lines an inch, four at 8).  A page is one form: the
carriage control's skips to channel 1 begin the next, and the separator
page CP prints before each file is a form of its own, as printed.

Line spacing: the standard carriage tape has 66 lines a form, which is
6 lines an inch on an 11 inch form; a listing with longer pages was
printed at 8 lines an inch (88 lines a form).  ``lpi`` overrides that.

PDF is made with fpdf2 (the ``fpdf`` package).
"""

from __future__ import annotations

import html
from pathlib import Path

FORM_WIDTH_IN, FORM_HEIGHT_IN = 14.875, 11.0
COLUMNS = 132
CPI = 10
MARGIN_IN = 0.5  # the tractor strips
BAND_IN = 0.5  # greenbar bands
TOP_IN = 0.0  # channel 1 is the first line of the form
GREEN = (204, 235, 204)
HOLE = (235, 235, 235)
INK = (40, 40, 40)
PT = 72.0


def listing_pages(text: str) -> list[list[str]]:
    """The forms of a listing: its lines, split where the carriage skipped to channel 1."""
    pages = text.split("\f")
    forms = []
    for page in pages:
        lines = page.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        forms.append(lines)
    while len(forms) > 1 and not any(line.strip() for line in forms[-1]):
        forms.pop()
    return forms


def lines_per_inch(forms: list[list[str]], lpi: int | None = None) -> int:
    """6 when every form fits the 66 lines of the standard carriage tape, else 8."""
    if lpi is not None:
        if lpi not in (6, 8):
            raise ValueError(f"lines per inch must be 6 or 8, not {lpi}")
        return lpi
    return 6 if all(len(form) <= 66 for form in forms) else 8


def _latin1(text: str) -> str:
    """The PDF core font (Courier) has Latin-1; anything else prints as '?'."""
    return text.encode("latin-1", errors="replace").decode("latin-1")


def render_pdf(listings: list[str], *, greenbar: bool = True, lpi: int | None = None):
    """An fpdf.FPDF with every listing's forms, one PDF page a form."""
    from fpdf import FPDF

    forms = [form for text in listings for form in listing_pages(text)]
    lpi = lines_per_inch(forms, lpi)
    pdf = FPDF(orientation="landscape", unit="pt", format=(FORM_HEIGHT_IN * PT, FORM_WIDTH_IN * PT))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creator("vm370")
    pdf.set_title("VM/370 system printer output")
    line_height = PT / lpi
    char_width = PT / CPI
    font_size = min(line_height * 0.95, 12.0)
    left = (FORM_WIDTH_IN * PT - COLUMNS * char_width) / 2
    for form in forms or [[]]:
        pdf.add_page()
        draw_form(pdf, greenbar)
        pdf.set_font("Courier", size=font_size)
        # Courier's characters are 0.6 em wide: stretch them to 10 an inch.
        pdf.set_stretching(100.0 * char_width / (0.6 * font_size))
        pdf.set_text_color(*INK)
        for number, line in enumerate(form):
            if line.strip():
                baseline = TOP_IN * PT + (number + 1) * line_height - line_height * 0.22
                pdf.text(left, baseline, _latin1(line[:COLUMNS]))
    return pdf


def draw_form(pdf, greenbar: bool) -> None:
    """One continuous form: bands, tractor holes, the perforations."""
    width, height = FORM_WIDTH_IN * PT, FORM_HEIGHT_IN * PT
    margin = MARGIN_IN * PT
    if greenbar:
        pdf.set_fill_color(*GREEN)
        band = BAND_IN * PT
        y = 0.0
        while y < height:
            pdf.rect(margin, y, width - 2 * margin, min(band, height - y), style="F")
            y += 2 * band
    pdf.set_fill_color(*HOLE)
    pdf.set_draw_color(180, 180, 180)
    y = BAND_IN * PT / 2
    while y < height:
        for x in (margin / 2, width - margin / 2):
            pdf.ellipse(x - 5, y - 5, 10, 10, style="DF")
        y += BAND_IN * PT
    pdf.set_dash_pattern(dash=3, gap=3)
    for x in (margin, width - margin):
        pdf.line(x, 0, x, height)  # the tear-off strips
    pdf.line(0, height - 0.5, width, height - 0.5)  # the perforation between forms
    pdf.set_dash_pattern()


def write_pdf(
    path: Path, listings: list[str], *, greenbar: bool = True, lpi: int | None = None
) -> int:
    """Write the listings to ``path`` as PDF; returns the number of forms."""
    pdf = render_pdf(listings, greenbar=greenbar, lpi=lpi)
    pdf.output(str(path))
    return pdf.pages_count


def render_html(
    listings: list[str],
    *,
    greenbar: bool = True,
    lpi: int | None = None,
    title: str = "VM/370 system printer output",
) -> str:
    """The listings as one HTML page: each form a block of 132 columns on
    greenbar (CSS bands of half an inch) with a perforation between forms."""
    forms = [form for text in listings for form in listing_pages(text)]
    lpi = lines_per_inch(forms, lpi)
    lines_a_band = int(BAND_IN * lpi)
    paper = (
        f"repeating-linear-gradient(#cbebcb 0 {lines_a_band * 1.25}em, "
        f"#fff {lines_a_band * 1.25}em {2 * lines_a_band * 1.25}em)"
        if greenbar
        else "#fff"
    )
    style = (
        "body{background:#888;margin:0;padding:1em}"
        ".form{background:" + paper + ";width:134ch;margin:0 auto;padding:0 4ch;"
        f"min-height:{int(FORM_HEIGHT_IN * lpi) * 1.25}em;"
        "border-left:2.5ch dotted #bbb;border-right:2.5ch dotted #bbb;"
        "border-bottom:2px dashed #999}"
        "pre{margin:0;font:1em/1.25em 'Courier New',monospace;color:#222}"
    )
    body = "\n".join(
        f'<div class="form"><pre>{html.escape(chr(10).join(form))}</pre></div>' for form in forms
    )
    return (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{html.escape(title)}'
        f"</title><style>{style}</style></head><body>\n{body}\n</body></html>\n"
    )
