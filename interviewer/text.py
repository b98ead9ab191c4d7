"""Text primitives for grading: sentences, word tokens with offsets, stems, stop words, negation scopes.

Pure functions over strings; every span is a half-open character range into the original text, so
evidence shown to a candidate is always a verbatim slice of what they wrote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Function words carry no concept on their own. Negation cues are deliberately absent: they are
# content for the contradiction checks and for aliases such as "not at inference".
STOP_WORDS = frozenset(
    """
    a an the and or but if then else so than too very also just even such both either of to in on at by
    for with from into onto over under about above below between through during within across along
    around upon via per as like unlike is am are was were be been being do does did doing done have has
    had having i me my mine we us our you your he him his she her it its they them their this that
    these those there here where when what which who whom whose why how can could may might must shall
    should will would some any most more many much few less least lot lots up down out off again
    further once yes well really basically actually like um uh so okay ok kind sort thing things stuff
    get gets got one ones use used uses using make makes made
    """.split()
)

NEGATION_CUES = frozenset({"not", "no", "never", "none", "nor", "neither", "cannot", "without", "nothing"})
# "X rather than Y", "X instead of Y": what follows is denied.
NEGATING_PAIRS = frozenset({("rather", "than"), ("instead", "of")})
# Word pairs whose swap states the opposite claim: "adds non-linearity" / "removes non-linearity",
# "gradients shrink" / "gradients grow". Only direction, size and effect words: swapping topic words
# (input/output, training/test) is how correct answers contrast two things, so those are left to the
# bank's misconception patterns. Stop words ("more", "less", "up", "down") never reach an alias.
OPPOSITE_WORDS = (
    ("increase", "decrease"),
    ("increase", "reduce"),
    ("increase", "lower"),
    ("add", "remove"),
    ("introduce", "remove"),
    ("introduce", "eliminate"),
    ("add", "eliminate"),
    ("prevent", "cause"),
    ("avoid", "cause"),
    ("reduce", "cause"),
    ("large", "small"),
    ("larger", "smaller"),
    ("big", "small"),
    ("bigger", "smaller"),
    ("high", "low"),
    ("higher", "lower"),
    ("fast", "slow"),
    ("faster", "slower"),
    ("shrink", "grow"),
    ("minimize", "maximize"),
    ("minimise", "maximise"),
    ("improve", "worsen"),
    ("improve", "hurt"),
    ("forward", "backward"),
    ("positive", "negative"),
    ("long", "short"),
    ("deep", "shallow"),
    ("sparse", "dense"),
    ("stable", "unstable"),
    ("dependent", "independent"),
    ("cheap", "expensive"),
    # Outside deep learning: the direction, truth or state words that ad-hoc questions in science,
    # economics, statistics and computing turn around ("prices fall" for "prices rise").
    ("rise", "fall"),
    ("rise", "drop"),
    ("rise", "decline"),
    ("increase", "fall"),
    ("increase", "drop"),
    ("increase", "decline"),
    ("true", "false"),
    ("accept", "reject"),
    ("gain", "lose"),
    ("win", "lose"),
    ("strong", "weak"),
    ("stronger", "weaker"),
    ("strengthen", "weaken"),
    ("hot", "cold"),
    ("warm", "cool"),
    ("attract", "repel"),
    ("open", "closed"),
    ("open", "close"),
    ("push", "pull"),
    ("clockwise", "counterclockwise"),
    ("series", "parallel"),
    ("mutable", "immutable"),
    ("encrypt", "decrypt"),
    ("public", "private"),
    ("surplus", "shortage"),
    ("inflation", "deflation"),
    ("appreciate", "depreciate"),
    ("export", "import"),
    ("absorb", "release"),
    ("conductor", "insulator"),
    ("inside", "outside"),
    ("overfitting", "underfitting"),
    ("overestimate", "underestimate"),
    ("allow", "block"),
    ("enable", "disable"),
    ("wet", "dry"),
    ("plus", "minus"),
    ("ascending", "descending"),
    ("horizontal", "vertical"),
    ("static", "dynamic"),
    ("explicit", "implicit"),
    ("concave", "convex"),
    ("upward", "downward"),
    ("inward", "outward"),
    ("buy", "sell"),
    ("lend", "borrow"),
    ("dominant", "recessive"),
    ("exothermic", "endothermic"),
    ("evaporate", "condense"),
    ("melt", "freeze"),
    ("safe", "dangerous"),
    ("success", "failure"),
)
# Words that name the two ends or roles of one relation: "from output to input" and "from input to output"
# share every word, so an alias holding both ends matches only in its own order.
ROLE_WORDS = (
    ("input", "output"),
    ("first", "last"),
    ("early", "late"),
    ("earlier", "later"),
    ("start", "end"),
    ("beginning", "end"),
    ("source", "target"),
    ("encoder", "decoder"),
    ("generator", "discriminator"),
    ("classification", "regression"),
    ("training", "inference"),
    ("training", "test"),
)
# One-word shorthand candidates write in notes and chat, stemmed as the word it stands for, so "grads" and
# "gradients" (or "val" and "validation") are one word to every lexical feature; the text is kept as written.
# British spellings are folded the same way (`_standard_form`).
SHORTHAND = {
    "grad": "gradient",
    "grads": "gradients",
    "param": "parameter",
    "params": "parameters",
    "val": "validation",
    "acc": "accuracy",
    "fwd": "forward",
    "bwd": "backward",
    "thru": "through",
    "init": "initialization",
    "prob": "probability",
    "probs": "probabilities",
    "avg": "average",
    "dims": "dimensions",
    "dim": "dimension",
    "nets": "networks",
    "net": "network",
    "info": "information",
}
# "optimise", "normalisation" (the -ise forms of words of eight letters or more: not "rise", "noise").
_BRITISH_ISE = re.compile(r"^(\w+)is(ation|ations|e|ed|es|ing|er|ers)$")
BRITISH_MIN_LENGTH = 8
# A negation reaches forward until a clause boundary or this many words, whichever comes first.
NEGATION_REACH = 6
CLAUSE_BREAKERS = frozenset({"but", "however", "while", "whereas", "although", "though", "instead", "rather"})
# Words that start what follows from the negated clause, not more of it ("no co-adaptation, so it generalises").
CONSEQUENCE_WORDS = frozenset({"so", "therefore", "thus", "hence", "which", "because", "since"})
CLAUSE_QUANTIFIERS = frozenset({"all", "every", "each"})
CLAUSE_SUBJECTS = frozenset({"the", "a", "an", "it", "this", "that", "they", "we", "you", "its", "their"})

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?|[×]")
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+|\n+\s*(?:[-*•–]\s+)?|\s+[-*•–]\s+(?=[A-Z])")
# Abbreviations whose trailing period does not end a sentence.
_NO_BREAK_BEFORE = re.compile(r"(?:\b(?:e\.g|i\.e|etc|vs|cf|approx|incl|fig|eq|no)\.|\b[A-Za-z]\.)$", re.I)

# Blanks and bullet marks around a sentence are not part of it.
_EDGE_JUNK = re.compile(r"[\s\-*•–]*(.*?)[\s\-*•–]*", re.S)

_stemmer = snowballstemmer.stemmer("english")


@dataclass(frozen=True)
class Span:
    """A half-open character range [start, end) of a text, with the slice it covers."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Token:
    """One word: its lower-cased form, Snowball stem, character range, and whether it is a stop word."""

    word: str
    stem: str
    start: int
    end: int
    is_stop: bool


def split_sentences(text: str) -> list[Span]:
    """Sentences (and bullet/line items) of `text` as spans, stripped of surrounding blanks; never empty spans."""
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _NO_BREAK_BEFORE.search(text[start : match.start()]):
            continue
        _append_stripped(text, start, match.start(), spans)
        start = match.end()
    _append_stripped(text, start, len(text), spans)
    return spans


def _append_stripped(text: str, start: int, end: int, spans: list[Span]) -> None:
    piece = text[start:end]
    trimmed = _EDGE_JUNK.fullmatch(piece)
    assert trimmed is not None  # the pattern matches any string
    stripped = trimmed.group(1)
    if not stripped or not any(ch.isalnum() for ch in stripped):
        return
    offset = start + trimmed.start(1)
    spans.append(Span(offset, offset + len(stripped), stripped))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball (Porter 2) stem of a lower-cased word."""
    return str(_stemmer.stemWord(word))


def _paired_stems(pairs: tuple[tuple[str, str], ...]) -> dict[str, frozenset[str]]:
    """Each stem of `pairs` mapped to the stems it is paired with, both ways."""
    paired: dict[str, set[str]] = {}
    for first, second in pairs:
        a, b = stem(first), stem(second)
        paired.setdefault(a, set()).add(b)
        paired.setdefault(b, set()).add(a)
    return {key: frozenset(values) for key, values in paired.items()}


def opposite_stems() -> dict[str, frozenset[str]]:
    """Each stem of OPPOSITE_WORDS mapped to the stems of its opposites."""
    return _paired_stems(OPPOSITE_WORDS)


def counterpart_stems() -> dict[str, frozenset[str]]:
    """Each stem of OPPOSITE_WORDS and ROLE_WORDS mapped to the stems at the relation's other end."""
    return _paired_stems((*OPPOSITE_WORDS, *ROLE_WORDS))


# Contractions typed without their apostrophe ("cant handle", "doesnt apply") still negate.
BARE_CONTRACTIONS = frozenset(
    "cant dont doesnt isnt arent wasnt werent wont didnt couldnt shouldnt wouldnt hasnt havent hadnt".split()
)


def tokenize(text: str) -> list[Token]:
    """Word tokens of `text` with offsets; "n't" becomes a separate "not" token, "×" stays a token ("1×1")."""
    tokens: list[Token] = []
    for match in _WORD.finditer(text):
        raw = match.group(0).lower().replace("’", "'")
        start, end = match.start(), match.end()
        if raw.endswith("n't") or raw in BARE_CONTRACTIONS:
            cut = 3 if raw.endswith("n't") else 2
            head = raw[:-cut] or raw
            head = {"ca": "can", "wo": "will", "sha": "shall"}.get(head, head)
            tokens.append(_make_token(head, start, end - cut))
            tokens.append(_make_token("not", end - cut, end))
            continue
        if "'" in raw:
            raw = raw.split("'", 1)[0]
            end = start + len(raw)
        tokens.append(_make_token(raw, start, end))
    return tokens


def _make_token(word: str, start: int, end: int) -> Token:
    return Token(word=word, stem=stem(_standard_form(word)), start=start, end=end, is_stop=word in STOP_WORDS)


def _standard_form(word: str) -> str:
    """The word a stem is taken from: shorthand expanded, British -ise/-isation spelt -ize/-ization."""
    word = SHORTHAND.get(word, word)
    if len(word) >= BRITISH_MIN_LENGTH and (match := _BRITISH_ISE.match(word)):
        return f"{match.group(1)}iz{match.group(2)}"
    return word


def content_tokens(text: str) -> list[Token]:
    """The tokens of `text` that are not stop words (negation cues are kept)."""
    return [token for token in tokenize(text) if not token.is_stop]


def content_stems(text: str) -> set[str]:
    """The set of stems of the content words of `text`."""
    return {token.stem for token in content_tokens(text)}


def negated_flags(text: str, tokens: list[Token]) -> list[bool]:
    """For each token of `text`, whether it lies inside the scope of a preceding negation cue.

    The scope runs forward from the cue over at most NEGATION_REACH words and stops at punctuation that
    ends a clause (, ; : . ! ?), at a contrastive or consequence word ("but", "instead", "so", "which" …), or at an
    "and" that opens a clause with its own subject ("and the net …").

    What follows a counterfactual condition is not negated: "Without it, the net could never learn complex
    patterns" says that it lets the net learn them (see `_counterfactual_from`).
    """
    flags = [False] * len(tokens)
    remaining = 0
    previous_end = 0
    counterfactual_from = _counterfactual_from(text, tokens)
    for index, token in enumerate(tokens):
        gap = text[previous_end : token.start]
        if any(mark in gap for mark in ",;:.!?()"):
            remaining = 0
        if token.word in CLAUSE_BREAKERS or token.word in CONSEQUENCE_WORDS:
            remaining = 0
        if index == counterfactual_from:
            break
        # "… can't co-adapt and the net generalises better": "and" opening a clause with its own subject.
        following = tokens[index + 1].word if index + 1 < len(tokens) else ""
        if token.word == "and" and following in CLAUSE_SUBJECTS:
            remaining = 0
        # "there's no step-by-step dependency all positions can be computed at once": a quantifier right
        # after a noun opens the next clause's subject, where a comma went missing.
        previous_token = tokens[index - 1] if index else None
        if (
            token.word in CLAUSE_QUANTIFIERS
            and previous_token is not None
            and not previous_token.is_stop
            and previous_token.word not in NEGATION_CUES
        ):
            remaining = 0
        if remaining > 0:
            flags[index] = True
            remaining -= 1
        previous = tokens[index - 1].word if index else ""
        if token.word in NEGATION_CUES or (previous, token.word) in NEGATING_PAIRS:
            remaining = NEGATION_REACH
        previous_end = token.end
    for start, end in _rejected_clauses(text, tokens):
        for index in range(start, end):
            flags[index] = True
    return flags


# A sentence that opens by imagining the thing away: "Without it, …", "Otherwise …", "If we did not …, …".
# "Otherwise" is the whole condition; "without …" and "if …" run to the condition's end.
CONDITION_OPENERS = frozenset({"without", "if"})
COUNTERFACTUAL_MAX_CONDITION_WORDS = 14


def _counterfactual_from(text: str, tokens: list[Token]) -> int | None:
    """Index of the token where the consequence of an opening counterfactual condition begins, if any.

    The condition is "without …", or "if …" holding a negation, up to the first clause boundary (a comma
    or the like, or "so"/"then") within COUNTERFACTUAL_MAX_CONDITION_WORDS words; a negation in the
    consequence restates the thing's role positively. "Otherwise" is the whole condition.
    """
    if not tokens:
        return None
    first = tokens[0].word
    if first == "otherwise":
        return 1
    if first not in CONDITION_OPENERS:
        return None
    negated_condition = first == "without"
    for index in range(1, min(len(tokens), COUNTERFACTUAL_MAX_CONDITION_WORDS + 1)):
        gap = text[tokens[index - 1].end : tokens[index].start]
        if any(mark in gap for mark in ",;:") or tokens[index].word in CONSEQUENCE_WORDS | {"then"}:
            return index if negated_condition else None
        negated_condition = (
            negated_condition
            or tokens[index].word in NEGATION_CUES
            or (tokens[index - 1].word, tokens[index].word) in NEGATING_PAIRS
        )
    return None


# "X is a myth", "X is a common misconception" reject the clause before them; "a myth is that X" the one
# after. A clause ends at , ; : . ! ? or a contrastive word ("… is that X, but really Y").
_REJECTED_BEFORE = re.compile(
    r"\bis (?:a |an )?(?:common |popular |total |complete |big )?(?:myth|misconception)\b", re.I
)
_REJECTED_AFTER = re.compile(r"\b(?:myth|misconception) (?:is )?that\b", re.I)


def _rejected_clauses(text: str, tokens: list[Token]) -> list[tuple[int, int]]:
    """Token ranges [start, end) of clauses that a "myth" or "misconception" phrase rejects."""
    ranges: list[tuple[int, int]] = []
    breaks = {
        index
        for index, token in enumerate(tokens)
        if token.word in CLAUSE_BREAKERS
        or (index and any(mark in text[tokens[index - 1].end : token.start] for mark in ",;:.!?()"))
    }
    for match in _REJECTED_BEFORE.finditer(text):
        first = next((i for i, t in enumerate(tokens) if t.start >= match.start()), len(tokens))
        start = max((i for i in breaks if i <= first), default=0)
        ranges.append((start, first))
    for match in _REJECTED_AFTER.finditer(text):
        start = next((i for i, t in enumerate(tokens) if t.start >= match.end()), len(tokens))
        end = min((i for i in breaks if i > start), default=len(tokens))
        ranges.append((start, end))
    return ranges


def function_word_share(tokens: list[Token]) -> float:
    """Share of stop words among `tokens` in [0, 1]; 0 for no tokens. Real sentences sit near 0.4–0.6."""
    if not tokens:
        return 0.0
    return sum(token.is_stop for token in tokens) / len(tokens)
