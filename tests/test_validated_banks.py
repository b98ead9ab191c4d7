"""Bank bytes that passed every check skip only the regex compiles next time; a bad marker means a full check."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

from interviewer import bank as bank_module
from interviewer import bank_schema, validated_banks
from interviewer.bank import bank_problems, load_bank
from interviewer.cli import app
from interviewer.errors import BankError

FIXTURES = Path(__file__).parent / "fixtures"
SMALL_BANK = FIXTURES / "small-bank.yaml"
BAD_PATTERN = FIXTURES / "broken" / "bad-regex-pattern.yaml"


@pytest.fixture
def compiled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """Patterns the bank checks compile, in a fresh home and with an empty in-process bank cache."""
    monkeypatch.setenv("INTERVIEWER_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(bank_module, "_CACHE", {})
    patterns: list[str] = []

    def compile_and_count(pattern: str) -> re.Pattern[str]:
        patterns.append(pattern)
        return re.compile(pattern)

    monkeypatch.setattr(bank_schema, "re", SimpleNamespace(compile=compile_and_count, error=re.error))
    return patterns


def marker_for(path: Path) -> Path:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return validated_banks.cache_dir() / validated_banks.MARKER_DIR / digest


def load_in_new_process(path: Path, monkeypatch: pytest.MonkeyPatch) -> bank_module.Bank:
    monkeypatch.setattr(bank_module, "_CACHE", {})
    return load_bank(path)


def test_a_bank_that_passed_skips_only_the_regex_compiles_next_time(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = load_bank(SMALL_BANK)
    assert compiled, "the first load compiles every pattern"
    assert marker_for(SMALL_BANK).read_text(encoding="utf-8") == validated_banks.stamp()
    compiled.clear()
    assert load_in_new_process(SMALL_BANK, monkeypatch) == first
    assert compiled == []


def test_an_edited_bank_is_checked_in_full(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = tmp_path / "bank.yaml"
    path.write_bytes(SMALL_BANK.read_bytes())
    load_bank(path)
    path.write_text(path.read_text(encoding="utf-8").replace("Small test bank", "Edited"), encoding="utf-8")
    compiled.clear()
    assert load_in_new_process(path, monkeypatch).title == "Edited"
    assert compiled


@pytest.mark.parametrize("content", [b"", b"garbage\n", b"\xff\xfe", b"bank checks 0; interviewer 0.0.0\n"])
def test_a_corrupt_or_stale_marker_means_a_full_check(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, content: bytes
) -> None:
    load_bank(SMALL_BANK)
    marker_for(SMALL_BANK).write_bytes(content)
    compiled.clear()
    load_in_new_process(SMALL_BANK, monkeypatch)
    assert compiled
    assert marker_for(SMALL_BANK).read_text(encoding="utf-8") == validated_banks.stamp()


def test_an_unusable_cache_dir_is_no_error(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("", encoding="utf-8")
    monkeypatch.setenv("INTERVIEWER_HOME", str(not_a_folder))
    assert load_bank(SMALL_BANK).questions
    assert compiled
    compiled.clear()
    load_in_new_process(SMALL_BANK, monkeypatch)
    assert compiled


def test_a_bad_regex_is_reported_and_never_marked(compiled: list[str]) -> None:
    with pytest.raises(
        BankError, match=r"b-01: misconceptions\[0\]\.patterns\[0\]: regex .* does not compile"
    ):
        load_bank(BAD_PATTERN)
    assert not marker_for(BAD_PATTERN).exists()


def test_validate_compiles_every_regex_even_with_a_marker(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = marker_for(BAD_PATTERN)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(validated_banks.stamp(), encoding="utf-8")  # forged: these bytes never passed
    problem = f"{BAD_PATTERN}: b-01: misconceptions[0].patterns[0]: regex"
    assert any(line.startswith(problem) for line in bank_problems(BAD_PATTERN))
    monkeypatch.setattr(bank_module, "_CACHE", {})
    result = CliRunner().invoke(app, ["bank", "validate", str(BAD_PATTERN)])
    assert result.exit_code == 2
    assert problem in result.output


def test_validate_after_a_trusted_load_still_compiles(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    load_bank(SMALL_BANK)
    load_in_new_process(SMALL_BANK, monkeypatch)
    compiled.clear()
    assert bank_problems(SMALL_BANK) == []
    assert compiled
