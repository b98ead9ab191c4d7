"""Bank bytes that passed every check skip the YAML parse and regex compiles next time; a bad marker does not."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from interviewer import bank as bank_module
from interviewer import bank_schema, validated_banks
from interviewer.bank import bank_problems, load_bank
from interviewer.cli import app
from interviewer.errors import BankError
from interviewer.paths import default_bank

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
    real_read = bank_schema.read_bank_data

    def read_and_count(raw: bytes, file: str) -> tuple[Any, list[str]]:
        patterns.append("<yaml parse>")
        return real_read(raw, file)

    monkeypatch.setattr(bank_schema, "read_bank_data", read_and_count)
    return patterns


def marker_for(path: Path) -> Path:
    return validated_banks.marker_path(str(path.resolve()))


def load_in_new_process(path: Path, monkeypatch: pytest.MonkeyPatch) -> bank_module.Bank:
    monkeypatch.setattr(bank_module, "_CACHE", {})
    return load_bank(path)


@pytest.mark.parametrize("path", [SMALL_BANK, default_bank()], ids=["small", "packaged"])
def test_a_bank_that_passed_skips_the_yaml_parse_and_regex_compiles_next_time(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    first = load_bank(path)
    assert "<yaml parse>" in compiled and len(compiled) > 1, "the first load parses and compiles"
    assert marker_for(path).read_bytes().startswith(validated_banks.stamp().encode())
    compiled.clear()
    assert load_in_new_process(path, monkeypatch) == first
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


def corrupt_markers() -> dict[str, bytes]:
    raw = SMALL_BANK.read_bytes()
    good = validated_banks.stamp().encode() + f"{len(raw)}\n".encode()
    return {
        "empty": b"",
        "garbage": b"garbage\n",
        "not-utf8": b"\xff\xfe",
        "old-stamp": b"bank checks 1; interviewer 0.1.0; python 3.11\n",
        "stamp-only": validated_banks.stamp().encode(),
        "other-bytes": good + raw.replace(b"Small test bank", b"Small test bonk") + b'{"bank": "small"}',
        "short-bytes": good + raw[:-10],
        "truncated-json": good + raw + b'{"bank": "small", "questions": [',
        "not-utf8-json": good + raw + b'{"bank": "\xff"}',
        "json-not-a-mapping": good + raw + b"[1, 2]",
    }


@pytest.mark.parametrize("name", list(corrupt_markers()))
def test_a_corrupt_or_stale_marker_means_a_full_check(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    first = load_bank(SMALL_BANK)
    marker = marker_for(SMALL_BANK)
    written = marker.read_bytes()
    marker.write_bytes(corrupt_markers()[name])
    compiled.clear()
    assert load_in_new_process(SMALL_BANK, monkeypatch) == first
    assert "<yaml parse>" in compiled and len(compiled) > 1
    assert marker.read_bytes() == written


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
    raw = BAD_PATTERN.read_bytes()
    data, _ = bank_schema.read_bank_data(raw, str(BAD_PATTERN))
    forged = f"{validated_banks.stamp()}{len(raw)}\n".encode() + raw + json.dumps(data).encode()
    marker.write_bytes(forged)  # these bytes never passed
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


def test_only_the_newest_markers_are_kept(
    compiled: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(validated_banks, "MAX_MARKERS", 2)
    paths = [tmp_path / f"{name}.yaml" for name in ("one", "two", "three")]
    for path in paths:
        path.write_bytes(SMALL_BANK.read_bytes())
        load_bank(path)
    assert sorted(marker_for(paths[0]).parent.iterdir()) == sorted(map(marker_for, paths[1:]))


def test_an_edited_bank_replaces_its_marker(compiled: list[str], tmp_path: Path) -> None:
    path = tmp_path / "bank.yaml"
    for title in ("One", "Two"):
        path.write_text(SMALL_BANK.read_text(encoding="utf-8").replace("Small test bank", title), "utf-8")
        load_bank(path)
    assert list(marker_for(path).parent.iterdir()) == [marker_for(path)]
    assert b"title: Two" in marker_for(path).read_bytes()
