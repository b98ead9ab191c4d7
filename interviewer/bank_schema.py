"""Bank-file checking: bytes → YAML data → `Bank`, collecting every problem instead of stopping at the first.

Each problem is one line `FILE: QUESTION_ID: FIELD: what is wrong` (question id, or `questions[i]` when the id
itself is unusable; top-level problems have no id). Used through `interviewer.bank.load_bank`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from interviewer.bank import LEVELS, Bank, Concept, Misconception, Question

TOP_KEYS = ("bank", "title", "version", "questions")
REQUIRED_QUESTION_KEYS = ("id", "level", "years", "difficulty", "topic", "question", "reference", "concepts")
QUESTION_KEYS = (*REQUIRED_QUESTION_KEYS, "tags", "source", "misconceptions", "alternatives")
CONCEPT_KEYS = ("name", "weight", "aliases")
MISCONCEPTION_KEYS = ("statement", "correction", "patterns")
DIFFICULTY_MIN, DIFFICULTY_MAX = 1.0, 10.0
REGEX_ALIAS_PREFIX = "re:"


class _Missing:
    """Marks a key that is absent, as opposed to present with an empty or null value."""


MISSING = _Missing()


@dataclass
class Report:
    """Collects problems for one place in one file: `FILE: WHERE: FIELD: message`."""

    file: str
    problems: list[str]
    where: str = ""
    prefix: str = ""  # field path prefix, e.g. "concepts[2]."
    # False only for bank bytes that already passed every check (`interviewer.validated_banks`).
    compile_regexes: bool = True

    def add(self, field_name: str, message: str) -> None:
        parts = (self.file, self.where, f"{self.prefix}{field_name}".rstrip("."), message)
        self.problems.append(": ".join(part for part in parts if part))

    def nested(self, prefix: str) -> Report:
        return Report(self.file, self.problems, self.where, f"{self.prefix}{prefix}", self.compile_regexes)


# ---- reading bytes and YAML ------------------------------------------------------------------------------


class _DuplicateKeyMixin:
    """Records duplicate mapping keys, which PyYAML would otherwise silently overwrite."""

    duplicates: list[tuple[int, int, str]]

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        seen: set[object] = set()
        for key_node, _ in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key is not None and key in seen:
                mark = key_node.start_mark
                self.duplicates.append((mark.line + 1, mark.column + 1, str(key)))
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc,no-any-return]


class _DuplicateKeyLoader(_DuplicateKeyMixin, yaml.SafeLoader):
    """Pure-Python safe loader: slower, but its syntax errors say what is wrong more clearly."""


if TYPE_CHECKING:
    _FastLoader: type[yaml.SafeLoader] = _DuplicateKeyLoader
else:
    # libyaml reads a bank about 3× faster (start-up of `bank list`); it falls back when not compiled in.
    _FastLoader = type("_FastLoader", (_DuplicateKeyMixin, getattr(yaml, "CSafeLoader", yaml.SafeLoader)), {})


def read_bank_data(raw: bytes, file: str) -> tuple[Any, list[str]]:
    """Decoded YAML data of a bank file (None when unreadable) and the problems found so far."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        bad = raw[error.start : error.start + 1].hex()
        problem = f"not UTF-8 text: byte 0x{bad} at byte offset {error.start} (line {line})"
        return None, [f"{file}: {problem}; save the file as UTF-8"]
    try:
        data, duplicates = _load_yaml(text, _FastLoader)
    except yaml.YAMLError:
        try:
            # Only the pure-Python parser's message is shown: libyaml words the same errors differently.
            data, duplicates = _load_yaml(text, _DuplicateKeyLoader)
        except yaml.YAMLError as error:
            return None, [f"{file}: {_describe_yaml_error(error)}"]
    problems = [
        f"{file}: line {line}, column {column}: {key}: duplicate key (the later value would silently win)"
        for line, column, key in duplicates
    ]
    return data, problems


def _load_yaml(text: str, loader_class: type[yaml.SafeLoader]) -> tuple[Any, list[tuple[int, int, str]]]:
    """The YAML document in `text` and its duplicate keys as (line, column, key); YAMLError when invalid."""
    loader: Any = loader_class(text)
    loader.duplicates = []
    try:
        return loader.get_single_data(), loader.duplicates
    finally:
        loader.dispose()


def _describe_yaml_error(error: yaml.YAMLError) -> str:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = error.problem_mark
        context = f" ({error.context}"
        if error.context_mark is not None:
            context += (
                f" started at line {error.context_mark.line + 1}, column {error.context_mark.column + 1}"
            )
        context = context + ")" if error.context else ""
        return f"line {mark.line + 1}, column {mark.column + 1}: invalid YAML: {error.problem}{context}"
    return "invalid YAML: " + " ".join(str(error).split())


# ---- value checks: each reports under `field_name` and returns a usable fallback ---------------------------


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {value}"
    if value is None:
        return "an empty value"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value[:40]!r})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def check_keys(report: Report, data: dict[Any, Any], allowed: tuple[str, ...]) -> None:
    """Report every key of `data` that the schema does not know, suggesting the nearest known one."""
    for key in data:
        if key in allowed:
            continue
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        report.add(str(key), f"unknown key; {hint}allowed keys: {', '.join(allowed)}")


def text(report: Report, field_name: str, value: Any, *, required: bool = True) -> str:
    """A non-empty string with surrounding whitespace removed; '' after reporting a problem."""
    if value is MISSING:
        if required:
            report.add(field_name, "missing (required)")
        return ""
    if not isinstance(value, str):
        # YAML reads bare yes/no/on/off as booleans and 1.0 as a number; quoting keeps them text.
        hint = " (put it in quotes)" if isinstance(value, bool | int | float) else ""
        report.add(field_name, f"expected text, got {_kind(value)}{hint}")
        return ""
    if not value.strip():
        report.add(field_name, "is empty")
    return value.strip()


def number(report: Report, field_name: str, value: Any, *, low: float, high: float | None = None) -> float:
    """A number in [low, high] (or ≥ low); `low` itself after reporting a problem."""
    if value is MISSING:
        report.add(field_name, "missing (required)")
        return low
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(field_name, f"expected a number, got {_kind(value)}")
        return low
    if value < low or (high is not None and value > high):
        bounds = f"between {low:g} and {high:g}" if high is not None else f"at least {low:g}"
        report.add(field_name, f"{value} is out of range; must be {bounds}")
        return low
    return float(value)


def positive_number(report: Report, field_name: str, value: Any, *, default: float) -> float:
    """An optional number > 0; `default` when absent or after reporting a problem."""
    if value is MISSING:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float):
        report.add(field_name, f"expected a number greater than 0, got {_kind(value)}")
        return default
    if value <= 0:
        report.add(field_name, f"{value} must be greater than 0")
        return default
    return float(value)


def text_list(report: Report, field_name: str, value: Any) -> tuple[str, ...]:
    """An optional list of non-empty strings; () when absent."""
    if value is MISSING:
        return ()
    if not isinstance(value, list):
        report.add(field_name, f"expected a list of strings, got {_kind(value)}")
        return ()
    return tuple(text(report, f"{field_name}[{index}]", item) for index, item in enumerate(value))


def regex_compiles(report: Report, field_name: str, pattern: str) -> None:
    """Report `pattern` when Python's `re` cannot compile it (with the regex error) or is empty."""
    if not pattern.strip():
        report.add(field_name, "empty regex: it would match every answer")
        return
    if not report.compile_regexes:
        return
    try:
        re.compile(pattern)
    except re.error as error:
        report.add(field_name, f"regex {pattern!r} does not compile: {error}")


def list_items(report: Report, field_name: str, value: Any, *, what: str) -> list[tuple[int, Any]]:
    """(index, item) pairs of a list; reports a value that is not a list."""
    if value is MISSING:
        return []
    if not isinstance(value, list):
        report.add(field_name, f"expected a list of {what}, got {_kind(value)}")
        return []
    return list(enumerate(value))


def as_mapping(
    report: Report, field_name: str, value: Any, *, keys: tuple[str, ...]
) -> dict[Any, Any] | None:
    """`value` when it is a mapping; otherwise reports what was expected and returns None."""
    if isinstance(value, dict):
        return value
    report.add(field_name, f"expected a mapping with keys {', '.join(keys)}, got {_kind(value)}")
    return None


# ---- schema ------------------------------------------------------------------------------------------------


@dataclass
class _SeenTexts:
    """Case-insensitive first occurrence of each name or alias within one question."""

    first: dict[str, str] = field(default_factory=dict)

    def check(self, report: Report, field_name: str, value: str, *, what: str) -> None:
        key = value.casefold()
        if key in self.first:
            report.add(field_name, f"duplicate {what} {value!r} (also at {self.first[key]})")
        elif key:
            self.first[key] = field_name


def parse_concept(report: Report, index: int, raw: Any, names: _SeenTexts, aliases: _SeenTexts) -> Concept:
    """One concept; names and aliases are checked for duplicates across the whole question."""
    label = f"concepts[{index}]"
    data = as_mapping(report, label, raw, keys=CONCEPT_KEYS)
    if data is None:
        return Concept("", ())
    inner = report.nested(label + ".")
    check_keys(inner, data, CONCEPT_KEYS)
    name = text(inner, "name", data.get("name", MISSING))
    names.check(report, f"{label}.name", name, what="concept name")
    weight = positive_number(inner, "weight", data.get("weight", MISSING), default=1.0)
    alias_list = text_list(inner, "aliases", data.get("aliases", MISSING))
    for position, alias in enumerate(alias_list):
        alias_field = f"{label}.aliases[{position}]"
        aliases.check(report, alias_field, alias, what="alias")
        if alias.startswith(REGEX_ALIAS_PREFIX):
            regex_compiles(report, alias_field, alias[len(REGEX_ALIAS_PREFIX) :])
    return Concept(name, alias_list, weight)


def parse_misconception(report: Report, index: int, raw: Any) -> Misconception:
    """One misconception: statement, correction and optional regex patterns."""
    label = f"misconceptions[{index}]"
    data = as_mapping(report, label, raw, keys=MISCONCEPTION_KEYS)
    if data is None:
        return Misconception("", "")
    inner = report.nested(label + ".")
    check_keys(inner, data, MISCONCEPTION_KEYS)
    statement = text(inner, "statement", data.get("statement", MISSING))
    correction = text(inner, "correction", data.get("correction", MISSING))
    patterns = text_list(inner, "patterns", data.get("patterns", MISSING))
    for position, pattern in enumerate(patterns):
        regex_compiles(inner, f"patterns[{position}]", pattern)
    return Misconception(statement, correction, patterns)


def parse_level(report: Report, value: Any) -> str:
    """One of LEVELS; reports anything else naming the allowed levels."""
    level = text(report, "level", value)
    if level and level not in LEVELS:
        report.add("level", f"{level!r} is not a level; use one of {', '.join(LEVELS)}")
    return level


def parse_years(report: Report, value: Any) -> tuple[float, float]:
    """A [min, max] band of years of experience with 0 ≤ min ≤ max."""
    if value is MISSING:
        report.add("years", "missing (required); expected [min, max] years of experience, e.g. [1, 3]")
        return (0.0, 0.0)
    numeric = isinstance(value, list) and all(
        isinstance(item, int | float) and not isinstance(item, bool) for item in value
    )
    if not numeric or len(value) != 2:
        report.add("years", f"expected [min, max] years of experience, e.g. [1, 3], got {value!r}")
        return (0.0, 0.0)
    low, high = float(value[0]), float(value[1])
    if low < 0 or low > high:
        report.add("years", f"{value!r}: need 0 ≤ min ≤ max")
    return (low, high)


def question_label(index: int, raw: Any) -> str:
    """The question's id when it is usable text, else `questions[index]`."""
    if isinstance(raw, dict) and isinstance(raw.get("id"), str) and raw["id"].strip():
        return str(raw["id"]).strip()
    return f"questions[{index}]"


def parse_concepts(report: Report, value: Any) -> tuple[Concept, ...]:
    """The question's concepts (at least one); names and aliases must be unique within the question."""
    if value is MISSING or value == []:
        report.add("concepts", "needs at least one concept (name, weight, aliases)")
        return ()
    names, aliases = _SeenTexts(), _SeenTexts()
    items = list_items(report, "concepts", value, what="concepts")
    return tuple(parse_concept(report, index, item, names, aliases) for index, item in items)


def parse_question(base: Report, index: int, raw: Any) -> Question:
    """One question with its concepts and misconceptions; every problem goes to `base`."""
    report = Report(
        base.file, base.problems, question_label(index, raw), compile_regexes=base.compile_regexes
    )
    data = as_mapping(report, "", raw, keys=REQUIRED_QUESTION_KEYS)
    if data is None:
        return Question("", "", (0.0, 0.0), 1.0, "", "", "")
    check_keys(report, data, QUESTION_KEYS)

    def get(key: str) -> Any:
        return data.get(key, MISSING)

    misconception_items = list_items(report, "misconceptions", get("misconceptions"), what="misconceptions")
    return Question(
        id=text(report, "id", get("id")),
        level=parse_level(report, get("level")),
        years=parse_years(report, get("years")),
        difficulty=number(report, "difficulty", get("difficulty"), low=DIFFICULTY_MIN, high=DIFFICULTY_MAX),
        topic=text(report, "topic", get("topic")),
        question=text(report, "question", get("question")),
        reference=text(report, "reference", get("reference")),
        concepts=parse_concepts(report, get("concepts")),
        misconceptions=tuple(parse_misconception(report, i, item) for i, item in misconception_items),
        alternatives=text_list(report, "alternatives", get("alternatives")),
        tags=text_list(report, "tags", get("tags")),
        source=text(report, "source", get("source"), required=False),
    )


def check_unique_ids(report: Report, questions: list[Question]) -> None:
    """Report every question whose id was already used by an earlier one."""
    first_index: dict[str, int] = {}
    for index, question in enumerate(questions):
        if not question.id:
            continue
        if question.id in first_index:
            report.problems.append(
                f"{report.file}: {question.id}: id: duplicate id (questions[{first_index[question.id]}] "
                f"and questions[{index}]); ids must be unique"
            )
        else:
            first_index[question.id] = index


def parse_version(report: Report, value: Any) -> int:
    """The bank format version, a positive whole number (default 1)."""
    if value is MISSING:
        return 1
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        report.add("version", f"expected a whole number ≥ 1, got {_kind(value)}")
        return 1
    return value


def parse_bank(data: Any, file: str, problems: list[str], *, compile_regexes: bool = True) -> Bank | None:
    """The bank in YAML `data`, appending every problem to `problems`; None when `data` is no bank.

    `compile_regexes=False` skips only compiling patterns and `re:` aliases (for bytes that passed before).
    """
    report = Report(file, problems, compile_regexes=compile_regexes)
    if not isinstance(data, dict):
        problems.append(
            f"{file}: not a question bank: the file holds {_kind(data)}; expected a mapping with keys "
            f"{', '.join(TOP_KEYS)}"
        )
        return None
    check_keys(report, data, TOP_KEYS)
    name = text(report, "bank", data.get("bank", MISSING))
    title = text(report, "title", data.get("title", MISSING))
    version = parse_version(report, data.get("version", MISSING))
    raw_questions = data.get("questions", MISSING)
    if raw_questions is MISSING:
        report.add("questions", "missing (required); a bank lists its questions under `questions:`")
    items = list_items(report, "questions", raw_questions, what="questions")
    if isinstance(raw_questions, list) and not items:
        report.add("questions", "is empty; a bank needs at least one question")
    questions = [parse_question(report, index, raw) for index, raw in items]
    check_unique_ids(report, questions)
    return Bank(name, title, version, tuple(questions))
