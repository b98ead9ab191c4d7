"""Question banks: the `Question` / `Concept` / `Bank` model, YAML loading and YAML export.

A bank file is checked completely before use: `load_bank` raises one `BankError` that lists every problem,
one per line, as `FILE: QUESTION_ID: FIELD: what is wrong`; the checks live in `interviewer.bank_schema`.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from interviewer.errors import BankError, InputError
from interviewer.paths import default_bank

LEVELS = ("basic", "intermediate", "advanced")


@dataclass(frozen=True)
class Concept:
    """A key idea of the reference answer; matched in answers by its name or any alias (`re:` = regex)."""

    name: str
    aliases: tuple[str, ...]
    weight: float = 1.0


@dataclass(frozen=True)
class Misconception:
    """A plausible wrong statement, what to say instead, and optional regexes that detect it."""

    statement: str
    correction: str
    patterns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """One interview question with its reference answer(s), concepts and known misconceptions."""

    id: str
    level: str
    years: tuple[float, float]
    difficulty: float
    topic: str
    question: str
    reference: str
    concepts: tuple[Concept, ...] = ()
    misconceptions: tuple[Misconception, ...] = ()
    alternatives: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    source: str = ""

    @property
    def references(self) -> tuple[str, ...]:
        """Every acceptable reference answer: the main one first, then the alternatives."""
        return (self.reference, *self.alternatives)


@dataclass(frozen=True)
class Bank:
    """A validated question bank; `path` is the file it was loaded from, if any."""

    name: str
    title: str
    version: int
    questions: tuple[Question, ...]
    path: Path | None = None

    @cached_property
    def _by_id(self) -> dict[str, Question]:
        return {question.id: question for question in self.questions}

    def get(self, question_id: str) -> Question:
        """The question with this id; BankError naming the id and the bank when there is none."""
        question = self._by_id.get(question_id)
        if question is not None:
            return question
        where = str(self.path) if self.path is not None else f"bank {self.name!r}"
        close = difflib.get_close_matches(question_id, list(self._by_id), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise BankError(
            f"{where}: no question with id {question_id!r}{hint}; see `interviewer bank list` for the ids"
        )

    def __contains__(self, question_id: object) -> bool:
        return isinstance(question_id, str) and question_id in self._by_id

    @cached_property
    def _by_text(self) -> dict[tuple[str, str], Question]:
        return {(same_text_key(q.question), same_text_key(q.reference)): q for q in self.questions}

    @cached_property
    def _by_reference(self) -> dict[str, Question]:
        """Reference text → question, for references no two questions share."""
        keys = [same_text_key(q.reference) for q in self.questions]
        return {key: q for key, q in zip(keys, self.questions, strict=True) if keys.count(key) == 1}

    def find_by_text(self, question: str, reference: str) -> Question | None:
        """The bank question with this question and reference text (case, spacing, punctuation and
        citation marks such as "[1]" aside), or else the one whose reference this is, or None.

        The reference is the answer key: "What is an epoch?" with the bank's epoch reference asks the bank's
        epoch question in other words.
        """
        exact = self._by_text.get((same_text_key(question), same_text_key(reference)))
        return exact or self._by_reference.get(same_text_key(reference))

    def select(self, *, level: str | None = None, topic: str | None = None) -> list[Question]:
        """Questions at `level` on `topic` (the topic or any tag, any case), in bank order."""
        if level is not None and level not in LEVELS:
            raise InputError(f"unknown level {level!r}; choose one of {', '.join(LEVELS)}")
        wanted_topic = topic.casefold() if topic is not None else None
        return [
            question
            for question in self.questions
            if (level is None or question.level == level)
            and (wanted_topic is None or wanted_topic in _topics_of(question))
        ]

    def topics(self) -> list[str]:
        """Every topic and tag used in the bank, sorted."""
        return sorted({name for question in self.questions for name in _topics_of(question)})


_CITATION = re.compile(r"\[\d+\]")
_NOT_WORD = re.compile(r"[\W_]+")


def same_text_key(text: str) -> str:
    """`text` lower-cased with citation marks and punctuation dropped: two copies of one question match."""
    return " ".join(_NOT_WORD.sub(" ", _CITATION.sub(" ", text.casefold())).split())


def _topics_of(question: Question) -> set[str]:
    return {question.topic.casefold(), *(tag.casefold() for tag in question.tags)}


# Keyed by file content as well as path: an edit inside the filesystem's timestamp granularity (a few ms)
# would otherwise return a stale bank; hashing a bank file's bytes costs far less than parsing it. The flag
# says whether the check was full (False: YAML parse and regex compiles skipped for bytes that passed before).
_CACHE: dict[tuple[str, str, bytes], tuple[Bank | None, tuple[str, ...], bool]] = {}


def _inspect(path: Path, *, full_check: bool = False) -> tuple[Bank | None, tuple[str, ...]]:
    """The bank in `path` and its problems (bank is None when there are any); cached per path and content.

    Unless `full_check`, bytes that passed every check before (`interviewer.validated_banks`) skip the YAML
    parse and the regex compiles; every other check still runs.
    """
    # Imported here because bank_schema builds the dataclasses defined above (a circular import at top level).
    from interviewer import validated_banks
    from interviewer.bank_schema import parse_bank, read_bank_data

    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        return None, (f"{path}: cannot read the bank file: {reason}",)
    resolved = str(path.resolve())
    key = (str(path), resolved, raw)
    cached = _CACHE.get(key)
    if cached is None or (full_check and not cached[2]):
        data = None if full_check else validated_banks.data_if_passed(resolved, raw)
        full = data is None
        problems: list[str] = []
        if full:
            data, problems = read_bank_data(raw, str(path))
        bank = None
        if data is not None:
            bank = parse_bank(data, str(path), problems, compile_regexes=full)
        if bank is not None:
            bank = Bank(bank.name, bank.title, bank.version, bank.questions, path)
        if problems:
            bank = None
        elif full:
            validated_banks.remember_passed(resolved, raw, data)
        cached = _CACHE[key] = (bank, tuple(problems), full)
    return cached[0], cached[1]


def load_bank(path: Path | str | None = None) -> Bank:
    """The bank in `path` (default: the packaged Deep Learning bank); BankError listing every problem."""
    bank_path = Path(path) if path is not None else default_bank()
    bank, problems = _inspect(bank_path)
    if bank is None:
        raise BankError("\n".join(problems))
    return bank


def bank_problems(path: Path | str) -> list[str]:
    """Every problem of the bank file at `path` as `FILE: ID: FIELD: message` lines; [] when valid.

    Always a full check: the YAML is parsed and every regex compiled even for bytes that passed before.
    """
    return list(_inspect(Path(path), full_check=True)[1])


def _number(value: float) -> float | int:
    """Whole numbers as ints so exported YAML reads `years: [1, 3]`, not `[1.0, 3.0]`."""
    return int(value) if float(value).is_integer() else value


def question_to_dict(question: Question) -> dict[str, Any]:
    """A question as plain data in bank-file key order; optional empty fields are left out."""
    data: dict[str, Any] = {
        "id": question.id,
        "level": question.level,
        "years": [_number(year) for year in question.years],
        "difficulty": _number(question.difficulty),
        "topic": question.topic,
    }
    if question.tags:
        data["tags"] = list(question.tags)
    data["question"] = question.question
    data["reference"] = question.reference
    if question.source:
        data["source"] = question.source
    data["concepts"] = [
        {"name": concept.name, "weight": _number(concept.weight), "aliases": list(concept.aliases)}
        for concept in question.concepts
    ]
    data["misconceptions"] = [_misconception_to_dict(item) for item in question.misconceptions]
    if question.alternatives:
        data["alternatives"] = list(question.alternatives)
    return data


def _misconception_to_dict(misconception: Misconception) -> dict[str, Any]:
    data: dict[str, Any] = {"statement": misconception.statement, "correction": misconception.correction}
    if misconception.patterns:
        data["patterns"] = list(misconception.patterns)
    return data


def bank_to_dict(bank: Bank) -> dict[str, Any]:
    """A bank as plain data that `load_bank` reads back to an equal bank (after `dump_bank_yaml`)."""
    return {
        "bank": bank.name,
        "title": bank.title,
        "version": bank.version,
        "questions": [question_to_dict(question) for question in bank.questions],
    }


class _BankDumper(yaml.SafeDumper):
    """YAML laid out the way bank authors write it: indented lists, `|` blocks, short lists inline."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)

    def ignore_aliases(self, data: Any) -> bool:
        return True  # a bank file is read by people: repeat values instead of writing &id001 anchors


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.SequenceNode:
    # Years, tags and aliases read best on one line; sentences (alternatives, long patterns) one per line.
    short_items = all(isinstance(item, str | int | float) and len(str(item)) <= 50 for item in value)
    inline = short_items and sum(len(str(item)) + 2 for item in value) <= 90
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=inline)


_BankDumper.add_representer(str, _represent_str)
_BankDumper.add_representer(list, _represent_list)


def dump_bank_yaml(data: dict[str, Any]) -> str:
    """Bank data (as from `bank_to_dict` or the seed import) as YAML text, keys in schema order."""
    # One line per string whatever its length: folded lines make an author's diffs hard to read.
    return yaml.dump(data, Dumper=_BankDumper, sort_keys=False, allow_unicode=True, width=1_000_000)
