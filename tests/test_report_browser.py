"""The HTML report in a real browser: headless Chromium parses it, shows the script text as text, loads
nothing from elsewhere, and draws the chart (checked in a screenshot decoded with the standard library)."""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from interviewer.bank import load_bank
from interviewer.batch_io import read_graded_jsonl
from interviewer.report import build_report, to_html

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
HERE = Path(__file__).parent
WIDTH, HEIGHT = 1000, 1400
# Rows of the screenshot that hold the title, the overall score and the per-topic chart.
CHART_ROWS = 360


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    if not CHROMIUM.exists():
        pytest.skip("headless Chromium not installed at /usr/bin/chromium (`apt-get install chromium`)")
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={tmp_path / 'profile'}", f"--window-size={WIDTH},{HEIGHT}", *args,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, timeout=120, check=True)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = read_graded_jsonl(HERE / "golden" / "graded-rows.jsonl")
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_text(to_html(build_report(rows, load_bank(HERE / "fixtures" / "small-bank.yaml"))))
    return path


def test_dom_shows_scores_concepts_and_the_script_as_text(page: Path, tmp_path: Path) -> None:
    dom = chromium(tmp_path, "--dump-dom", page.as_uri()).stdout.decode()
    assert "49.5" in dom and "86.0" in dom and "30.5" in dom
    assert "one full pass over the training data" in dom
    assert "randomly drops neurons during training" in dom
    # The answer's markup is a text node (serialised escaped), never an element.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert not re.search(r"<script\b", dom, re.IGNORECASE)
    assert dom.count('class="bar-') == 3
    # Nothing can be fetched: no URL in any loading attribute, and the policy forbids every fetch.
    assert not re.search(r"""(src|href|action|poster|data)\s*=\s*["']?\s*(https?:)?//""", dom, re.IGNORECASE)
    assert not re.search(r"url\(|@import", dom)
    assert "default-src 'none'" in dom


def png_pixels(data: bytes, limit: int) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and the RGB pixels of the first `limit` rows of an 8-bit RGB(A) PNG (stdlib only)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, header = 8, b"", b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind, body = data[offset + 4 : offset + 8], data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6), f"unexpected PNG format depth={depth} color={color}"
    channels = 4 if color == 6 else 3
    raw = zlib.decompress(idat)
    stride = width * channels
    pixels: list[tuple[int, int, int]] = []
    previous = bytearray(stride)
    for index in range(min(height, limit)):
        kind = raw[index * (stride + 1)]
        line = bytearray(raw[index * (stride + 1) + 1 : (index + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                up_left = previous[i - channels] if i >= channels else 0
                guess = left + up - up_left
                pa, pb, pc = abs(guess - left), abs(guess - up), abs(guess - up_left)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else up_left
                line[i] = (line[i] + best) & 0xFF
        pixels += [(line[i], line[i + 1], line[i + 2]) for i in range(0, stride, channels)]
        previous = line
    return width, height, pixels


def test_screenshot_is_not_blank_and_shows_the_chart_bars(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    chromium(tmp_path, "--hide-scrollbars", f"--screenshot={shot}", page.as_uri())
    width, height, pixels = png_pixels(shot.read_bytes(), CHART_ROWS)
    assert (width, height) == (WIDTH, HEIGHT)
    assert len(set(pixels)) > 20, "the screenshot is (nearly) one colour"
    # The bars are the only large saturated areas near the top (the verdict badge is small).
    saturated = sum(1 for r, g, b in pixels if max(r, g, b) - min(r, g, b) > 80)
    assert saturated > 6000, f"only {saturated} coloured pixels: the chart was not drawn"
