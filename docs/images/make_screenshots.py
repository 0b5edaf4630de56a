"""Make the README's pictures from real sessions.

    python docs/images/make_screenshots.py

console.png: the Textual console at the end of the "machines" demo, on the
session where CMSUSER's prime sieve ran (Textual's SVG screenshot,
converted with cairosvg).  greenbar.png: the 1403 banner of the
"standalone" demo as a greenbar PDF (cp.greenbar), page 2, drawn by
pdftoppm (poppler-utils).  Needs cairosvg (pip) and poppler-utils (apt).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from vm370.demo import DEMOS, run_headless  # noqa: E402
from vm370.demo_console import DemoApp  # noqa: E402
from vm370.stage import running_system  # noqa: E402


def options(**kw):
    base = {"system": None, "pace": 0.0, "pdf": None}
    base.update(kw)
    return argparse.Namespace(**base)


async def console_png(target: Path) -> None:
    import cairosvg

    async with running_system() as system:
        app = DemoApp(system, DEMOS["machines"], options())
        async with app.run_test(size=(84, 30)) as pilot:
            while not app.finished:
                await pilot.pause(0.1)
            await pilot.pause(0.3)  # the demo ends on the System tab
            app.query_one("#tabs").active = "session3"
            await pilot.pause(0.5)
            with tempfile.TemporaryDirectory() as tmp:
                svg = app.save_screenshot("console.svg", path=tmp)
                cairosvg.svg2png(url=svg, write_to=str(target), output_width=1200)
            await app.run_action("quit")


async def greenbar_png(target: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pdf = Path(tmp) / "standalone.pdf"
        with open(Path(tmp) / "transcript", "w") as out:
            await run_headless(DEMOS["standalone"], options(pdf=str(pdf)), out=out)
        await asyncio.to_thread(
            subprocess.run,
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "2",
                "-l",
                "2",
                "-singlefile",
                str(pdf),
                str(target.with_suffix("")),
            ],
            check=True,
        )


def main() -> int:
    asyncio.run(console_png(HERE / "console.png"))
    asyncio.run(greenbar_png(HERE / "greenbar.png"))
    for name in ("console.png", "greenbar.png"):
        print(HERE / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
