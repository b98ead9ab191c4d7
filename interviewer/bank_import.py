"""Seed-text import: a plain interview-questions document → bank data that `bank validate` accepts.

The text has level headings ("Basic … Questions (1-10)"), numbered question lines ("1. What is …?"), answer
lines (bullet items included) and citation markers like [1] resolved through a closing "Key Citations" list.
Concepts are extracted automatically, misconceptions left empty: the result is a starting point for an author.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from interviewer.bank import LEVELS, Concept
from interviewer.errors import InputError
from interviewer.keyphrases import extract_concepts

LEVEL_YEARS = {"basic": [0, 1], "intermediate": [1, 3], "advanced": [3, 6]}
# Difficulty starts at the level's base and grows with the length of question + answer, staying below the
# next level's base so imported questions keep their level order.
LEVEL_DIFFICULTY = {"basic": (2.0, 4.5), "intermediate": (5.0, 7.5), "advanced": (8.0, 10.0)}
WORDS_PER_DIFFICULTY_STEP = 40
CONCEPTS_PER_QUESTION = 6

_HEADING = re.compile(r"^#*\s*(basic|intermediate|advanced)\b[^.?!]*\bquestions?\b[^.?!]*$", re.IGNORECASE)
_QUESTION = re.compile(r"^(\d+)[.)]\s+(\S.*)$")
_CITATIONS_HEADING = re.compile(r"^#*\s*(key\s+)?(citations|references|sources)\s*:?\s*$", re.IGNORECASE)
_CITATION_ENTRY = re.compile(r"^[-–—*•]?\s*\[(\d+)\]\s*(\S.*)$")
_CITATION_MARKER = re.compile(r"\s*\[(\d+)\]")
# The subject follows the first "what is / explain / how would you …" (scenario questions put it last), after
# generic framings like "the role of" that name no topic.
_QUESTION_LEAD = re.compile(
    r"\b(what\s+(is|are)|explain|describe|define|how\s+(do|does|would|can)(\s+you)?)\s+"
    r"((an?|the)\s+)?((difference\s+between|role\s+of|(main|key)\s+components\s+of)\s+)?((an?|the)\s+)?",
    re.IGNORECASE,
)
_TOPIC_STOP = re.compile(r"\s(in|and|of|for|to|used|with|at|work|works)\b|[?,.(:]", re.IGNORECASE)
_ARTICLES = {"a", "an", "the"}
_TOPIC_WORD = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass
class SeedQuestion:
    """A question as read from the text: its level, text, answer lines and cited numbers."""

    level: str
    question: str
    line: int
    answer: list[str] = field(default_factory=list)
    citations: list[str] = field(default_factory=list)


@dataclass
class SeedDocument:
    """The questions of a seed document in order, and its citation names by number."""

    questions: list[SeedQuestion] = field(default_factory=list)
    citations: dict[str, str] = field(default_factory=dict)


def _strip_citations(line: str, into: list[str]) -> str:
    """`line` without [N] markers (and the space before them); the numbers are appended to `into`."""
    into.extend(number for number in _CITATION_MARKER.findall(line) if number not in into)
    return _CITATION_MARKER.sub("", line).rstrip()


def _is_next_question(match: re.Match[str] | None, document: SeedDocument, after_heading: bool) -> bool:
    # A numbered line starts a question only when it continues the numbering (or restarts it right after a
    # heading), so a numbered list inside an answer stays part of that answer.
    if match is None:
        return False
    number = int(match.group(1))
    return not document.questions or number == len(document.questions) + 1 or (after_heading and number == 1)


def parse_seed_text(text: str, *, origin: str = "seed text") -> SeedDocument:
    """Questions, answers and citation names of a seed document; InputError naming the line if malformed."""
    document = SeedDocument()
    level: str | None = None
    after_heading = False
    in_citations = False
    for number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        heading = _HEADING.match(line)
        question = _QUESTION.match(line)
        if not line:
            continue
        if _CITATIONS_HEADING.match(line):
            in_citations = True
        elif in_citations:
            entry = _CITATION_ENTRY.match(line)
            if entry:
                document.citations[entry.group(1)] = entry.group(2).strip()
        elif heading:
            level, after_heading = heading.group(1).lower(), True
        elif _is_next_question(question, document, after_heading) and question is not None:
            if level is None:
                raise InputError(
                    f"{origin}: line {number}: question {question.group(1)} comes before any level heading; "
                    f"add a line like 'Basic Questions' above it (levels: {', '.join(LEVELS)})"
                )
            document.questions.append(SeedQuestion(level, question.group(2).strip(), number))
            after_heading = False
        elif document.questions:
            current = document.questions[-1]
            answer_line = _strip_citations(line, current.citations)
            if answer_line:
                current.answer.append(answer_line)
        # Lines before the first question (an introduction) are not part of any question.
    return document


def _difficulty(level: str, question: str, reference: str) -> float:
    """Level base + 1 per WORDS_PER_DIFFICULTY_STEP words of question and answer, below the next level."""
    base, cap = LEVEL_DIFFICULTY[level]
    words = len(question.split()) + len(reference.split())
    return round(min(cap, base + words / WORDS_PER_DIFFICULTY_STEP), 1)


def _topic(question: str) -> str:
    """A slug for the question's subject: 'What is an activation function in …?' → 'activation-function'."""
    lead = _QUESTION_LEAD.search(question)
    subject = question[lead.end() :] if lead else question
    words = _TOPIC_WORD.findall(_TOPIC_STOP.split(subject, maxsplit=1)[0].lower())
    return "-".join([word for word in words if word not in _ARTICLES][:3]) or "general"


def _concept_dicts(reference: str, question: str, topic: str) -> list[dict[str, Any]]:
    """Extracted concepts as bank data, with names and aliases made unique (any case) within the question."""
    concepts = extract_concepts(reference, question, limit=CONCEPTS_PER_QUESTION)
    if not concepts:  # the bank requires one concept; the topic is the best guess an author can refine
        concepts = [Concept(topic.replace("-", " "), (), 1.0)]
    seen_names: set[str] = set()
    seen_aliases: set[str] = set()
    result: list[dict[str, Any]] = []
    for concept in concepts:
        if concept.name.casefold() in seen_names:
            continue
        seen_names.add(concept.name.casefold())
        aliases = [alias for alias in dict.fromkeys(concept.aliases) if alias.casefold() not in seen_aliases]
        seen_aliases.update(alias.casefold() for alias in aliases)
        weight = int(concept.weight) if float(concept.weight).is_integer() else concept.weight
        result.append({"name": concept.name, "weight": weight, "aliases": aliases})
    return result


def _question_dict(
    seed: SeedQuestion, question_id: str, citations: dict[str, str], origin: str
) -> dict[str, Any]:
    if not seed.answer:
        raise InputError(
            f"{origin}: line {seed.line}: question {question_id} ({seed.question!r}) has no answer"
        )
    reference = "\n".join(seed.answer)
    topic = _topic(seed.question)
    data: dict[str, Any] = {
        "id": question_id,
        "level": seed.level,
        "years": list(LEVEL_YEARS[seed.level]),
        "difficulty": _difficulty(seed.level, seed.question, reference),
        "topic": topic,
        "question": seed.question,
        "reference": reference,
    }
    sources = [citations.get(number, f"[{number}]") for number in seed.citations]
    if sources:
        data["source"] = "; ".join(sources)
    data["concepts"] = _concept_dicts(reference, seed.question, topic)
    data["misconceptions"] = []
    return data


def import_seed_text(
    text: str, *, name: str, prefix: str = "q", title: str | None = None, origin: str = "seed text"
) -> dict[str, Any]:
    """Bank data (as in a bank YAML file) for a seed document; ids `<prefix>-01`… in the text's order."""
    document = parse_seed_text(text, origin=origin)
    if not document.questions:
        raise InputError(
            f"{origin}: no questions found; expected level headings like 'Basic Questions' "
            "followed by numbered lines like '1. What is …?' and their answers"
        )
    width = max(2, len(str(len(document.questions))))
    questions = [
        _question_dict(seed, f"{prefix}-{index:0{width}d}", document.citations, origin)
        for index, seed in enumerate(document.questions, start=1)
    ]
    default_title = f"{name.replace('-', ' ').replace('_', ' ').title()} interview questions"
    return {"bank": name, "title": title or default_title, "version": 1, "questions": questions}
