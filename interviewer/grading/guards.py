"""Gaming and evasion guards: keyword lists, hedges, filler, gibberish, restating the question.

Each guard is a pure test on an analysed answer. They are deliberately conservative: a guard that fires on
real answers punishes honest candidates, so each one requires several independent signs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from interviewer.grading.analysis import AnalyzedText
from interviewer.text import NEGATION_CUES, Token, content_stems, stem, tokenize

# Real sentences carry 35–60% function words; a bare list of terms none. A terse but real answer ("great
# train acc, bad val acc. Fix w/ dropout, L2, more data") keeps at least one function word or negation, so it
# is not a list, however short: that is how terse answers with high coverage escape this guard.
KEYWORD_LIST_MIN_WORDS = 3
KEYWORD_LIST_MAX_ITEM_WORDS = 4
KEYWORD_LIST_MAX_FUNCTION_SHARE = 0.12
DEFINITION_MIN_WORDS = 3
# Commas, semicolons, slashes, plus signs, bullets, pipes, arrows, new lines, full stops, spaced dashes ("loss -
# gradients — chain rule") and item numbers or letters ("1) loss 2) gradients", "(a) loss (b) gradients").
_LIST_NUMBER = re.compile(r"(?:^|(?<=\s))(?:\(?\d{1,2}[).]|\(?[a-h]\))(?=\s)")
_LIST_SEPARATOR = re.compile(r"[,;/+\n•—–|→]|\.\s|\s-\s|\s->\s|" + _LIST_NUMBER.pattern)
# A heading that names what follows as a list: "Keywords: …", "Key terms: …".
_LABELLED_LIST = re.compile(
    r"\s*(?:key\s*words?|key\s*terms?|key\s*concepts?|key\s*points|buzzwords?|terms|tags)\s*:", re.IGNORECASE
)
# Stop words that sit inside a list item's noun phrase ("more data", "fewer layers") rather than relating
# items to each other, so they are not counted as sentence structure.
# "and"/"or" before the last item ("flip, crop and rotate") join a list as a comma does.
# "too high" qualifies the item it opens.
LIST_ITEM_QUANTIFIERS = frozenset(
    {"more", "less", "fewer", "most", "least", "many", "much", "few", "some", "other", "too"}
)
LIST_CONJUNCTIONS = frozenset({"and", "or", "etc"})
# The second word of a two-word term like "scale up" or "log out".
PARTICLES = frozenset({"up", "out", "down", "off", "over", "in", "on"})
_LIST_CONJUNCTION = re.compile(r"\b(?:and|or)\b", re.IGNORECASE)

_HEDGE = re.compile(
    r"\b(?:i\s+(?:do\s*n[o']?t|dont|don’t)\s+(?:really\s+)?(?:know|remember|recall)|no\s+idea|not\s+sure|"
    r"no\s+clue|i\s+forgot|can'?t\s+remember|cannot\s+remember|never\s+heard|i\s+have\s+not\s+(?:studied|learned)|"
    r"i\s+haven'?t\s+(?:studied|learned|heard)|idk|dunno|not\s+(?:really\s+|quite\s+|very\s+|that\s+|too\s+|so\s+|100%\s+)?(?:sure|familiar)|"
    r"can(?:'?t|not|\s+not)\s+(?:answer|explain)|could(?:n'?t|\s+not)\s+explain|never\s+(?:come\s+across|encountered|seen|heard)|beats\s+me|i\s+forg[eo]t|"
    r"skip\s+(?:this|it|that)|move\s+on)\b",
    re.IGNORECASE,
)
# A bare "Pass." or "Skip" in an interview declines the question.
_PASSES = re.compile(r"^\s*(?:pass|skip)[.!]?\s*$", re.IGNORECASE)
HEDGE_WORDS = frozenset(
    """
    i don't dont know not sure no idea clue forgot remember recall can't cannot never heard pass skip
    idk dunno sorry really honestly think maybe guess studied learned haven't have familiar answer
    question come across term encountered seen beats skip move rather forget hmm one yet quite
    """.split()
)
# Words that praise without explaining, and business jargon ("align stakeholders", "sprint cadence"); a high
# share of them with no concept is confident filler.
FILLER_WORDS = frozenset(
    """
    important crucial essential key critical fundamental powerful significant robust better best great
    various many lots different advanced modern state art cutting edge widely popular common commonly
    useful helpful effective efficient efficiently optimal performance improve improves improving
    improved overall general generally basically definitely really very extremely highly game changer
    revolutionary industry real world applications solutions leverage leverages leveraging ensure
    ensures paradigm absolutely incredibly exciting deliver delivers delivering unlock unlocks
    unlocking breakthrough breakthroughs innovation innovative innovating landscape achieve achieves
    powers power versatile transform transforms transforming transformative impactful tremendous gains
    milestone milestones secret sauce revolution pillar scalable enterprise super master fascinating
    hugely brilliant amazing magic massive insights intelligent backbone flexible synergy
    synergistically everything anything anyone everywhere heart changing boundaries huge seamless
    seamlessly ecosystem journey unleash unleashes exceptional remarkable incredible elegant elegantly
    beautiful beautifully synergistic thoughtfully clever sleek gem ingenuity sophisticated fantastic
    mastery mastering rigor rigorous expertise maturity influential fascinating genuine multiplier
    virtually smart swear love respected superpower superpowers proven elevate elevates next-level
    impact awesome wonderful stunning staggering
    phenomenal excellent outstanding superb crucially vital indispensable invaluable cornerstone
    wonderfully truly iconic jaw dropping battle tested hardened top tier craftsmanship classic foundational
    creative empower empowers empowering countless arguably nailing nail shine shines legendary magnificent
    inspire inspires inspiring brilliance showcase showcases ritual elite savvy ultimate differentiator
    visionary masterpiece legacy stakes lightning toolkit serious redefining redefine redefines
    ingredient standout roi elegance
    delightful delightfully magical superbly refined satisfying holistic enormous resourceful radiates
    creativity smartly ambitiously graceful gracefully charm adore utterly mesmerizing mesmerising jewel
    impressive impresses impress genuinely slick oozes harmonious sensibility dazzling
    spectacular glorious stellar splendid marvellous marvelous breathtaking unparalleled unmatched
    stakeholder stakeholders agile cadence roadmap roadmaps mindset organisation organisations
    organization organizations shareholders quarter quarterly sprint sprints outcomes align aligned
    needle culture sustainable incremental institutional kpi kpis rhythm humming honouring honoring
    healthy mission strategic strategy visionary empowerment alignment deliverables
    """.split()
)
# Words that talk about a topic (how much it matters, who meets it, how one learns or discusses it) instead of
# saying anything about it: "worth knowing well", "comes up in most interviews", "takes experience".
META_TALK_WORDS = frozenset(
    """
    worth worthwhile useful handy helpful helps help matter matters crucial essential good
    practitioner practitioners interview interviews interviewer career engineer engineers engineering
    practice practical practically pragmatic experience experienced experimentation comfortable familiar
    confident confidence confidently topic topics subject discuss discussing discussion discussions talk
    talking talked explain explaining explained understand understanding understood grasp intuition skill
    skills field industry project projects job work working team teams company companies business
    stakeholders basics basic fundamentals fundamental standard classic common commonly widely everyone
    anyone everybody people sooner later often everyday routine comes appears shows deserves idea thing
    things kind sensible sensibly properly clearly effort spend spending plan care careful carefully
    judgement judgment depends situation toolkit kit trick tricks neat cool enjoy passionate curious
    reading coding community success successful value picture real really truly honestly lot lots plus
    story know knowing area famous popular everywhere today
    read conference conferences production someday excited believe feel art science name
    tool tools hype buzz trend trendy hot history historically expert experts crowd passion poetic
    """.split()
)
FILLER_MIN_SHARE = 0.15
FILLER_WEAK_MIN_SHARE = 0.07
FILLER_MIN_COUNT = 2
FILLER_MIN_WORDS = 12
_VOWELS = set("aeiouy")
_CONSONANT_RUN = re.compile(r"[bcdfghjklmnpqrstvwxz]{5,}")


def is_keyword_list(answer: AnalyzedText) -> bool:
    """True when the answer is a run of terms, not sentences.

    An answer that calls itself a list ("Keywords: …", "Key terms: …") is one, whatever its items hold.
    Otherwise either it has no function word at all, or it is three or more short comma-separated items
    (at most KEYWORD_LIST_MAX_ITEM_WORDS words each) with hardly any function words ("output to input" may
    stay).
    """
    tokens = answer.tokens
    if len(tokens) >= KEYWORD_LIST_MIN_WORDS and _LABELLED_LIST.match(answer.text):
        return True
    if len(tokens) >= KEYWORD_LIST_MIN_WORDS and _marked_short_items(answer.text):
        return True
    if (
        len(tokens) < KEYWORD_LIST_MIN_WORDS
        or _looks_like_code(answer.text)
        or _defines_then_lists(answer.text)
        or _enumerates_in_a_sentence(answer.text)
    ):
        return False
    items = [
        item
        for part in _LIST_SEPARATOR.split(answer.text)
        for item in _LIST_CONJUNCTION.split(part)
        if item.strip()
    ]
    # With no function word at all it is a list, unless it is one clause and an aside ("Binary search
    # takes logarithmic time, O(log n).").
    if not any(token.is_stop or token.word in NEGATION_CUES for token in tokens):
        return len(items) != 2 or not _NOTATION.search(answer.text)
    structure = sum(_relating_words(tokenize(item)) for item in items)
    return (
        len(items) >= 3
        and max(len(tokenize(item)) for item in items) <= KEYWORD_LIST_MAX_ITEM_WORDS
        # One function word is allowed however short the list ("ReLU, sigmoid, tanh in the hidden layers").
        and structure <= max(1.0, KEYWORD_LIST_MAX_FUNCTION_SHARE * len(tokens))
    )


def _marked_short_items(text: str) -> bool:
    """True for short items split by marks that prose never uses: "a + b + c", "a | b | c", "• a • b • c".

    None of the 1,260 dev answers holds two such marks; every adversarial answer that does is a keyword
    list, however many function words its items carry ("stop when no improvement", "off at inference").
    """
    if len(_ITEM_MARK.findall(text)) < MIN_ITEM_MARKS or _SENTENCE_BREAK.search(text.strip()):
        return False
    items = [item for item in _LIST_SEPARATOR.split(text) if item and item.strip()]
    return len(items) >= 3 and max(len(tokenize(item)) for item in items) <= KEYWORD_LIST_MAX_ITEM_WORDS


_ITEM_MARK = re.compile(r"\s[+|]\s|[•·▪◦]")
MIN_ITEM_MARKS = 2


def _relating_words(item: list[Token]) -> int:
    """Function words and negations of one list item that relate it to something, not part of its name.

    Quantifiers ("more data"), joining words, an "of" inside a three-word noun phrase ("number of layers"),
    a negation opening the item ("not learned from data"), the particle of a two-word term ("scale up")
    and the "to" of a three-word one ("need to know") belong to the item.
    """
    count = 0
    for index, token in enumerate(item):
        if token.word in NEGATION_CUES:
            count += index != 0
        elif token.is_stop and token.word not in LIST_ITEM_QUANTIFIERS | LIST_CONJUNCTIONS:
            inside_phrase = token.word == "of" and 0 < index < len(item) - 1 and len(item) <= 3
            # "scale up", "log in"; "need to know"
            particle = token.word in PARTICLES and index == len(item) - 1 == 1
            linking_to = token.word == "to" and index == 1 and len(item) == 3
            count += not (inside_phrase or particle or linking_to)
    return count


def _enumerates_in_a_sentence(text: str) -> bool:
    """True for one sentence whose subject and verb open the list: "Self-attention uses query, key and value."

    A list of terms has no clause before its first item. Its first item may hold a function word ("subset
    of machine learning", "class weighting in loss") but none of the adversarial keyword lists opens with a
    pronoun, an auxiliary or a verb that introduces examples, as short half answers do ("There's SGD,
    mini-batch gradient descent and momentum", "Variants include SGD, ...").
    """
    if _SENTENCE_BREAK.search(text.strip()):
        return False
    first_item = _LIST_CONJUNCTION.split(_LIST_SEPARATOR.split(text, maxsplit=1)[0])[0]
    return any(token.word in LIST_OPENING_CLAUSE_WORDS for token in tokenize(first_item))


# Pronouns, auxiliaries and the verbs that introduce a list of examples.
LIST_OPENING_CLAUSE_WORDS = frozenset(
    "there it they we you i is are was were be has have had can could will would does do uses use "
    "include includes means".split()
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+\S")


# A colon, or a spaced dash used as one ("Settings you pick, not learned - LR, batch size").
_DEFINITION_BREAK = re.compile(r":|\s[-–—]\s")


def _defines_then_lists(text: str) -> bool:
    """True for a definition followed by examples: "Settings chosen before training, not learned: LR, ...".

    The part before the colon is a clause (several words, with a function word or a negation) rather
    than a term; no bare list of terms on the dev sets or in the adversarial answers has one.
    """
    parts = _DEFINITION_BREAK.split(text, maxsplit=1)
    if len(parts) < 2:
        return False
    head = parts[0]
    words = tokenize(head)
    return len(words) >= DEFINITION_MIN_WORDS and any(w.is_stop or w.word in NEGATION_CUES for w in words)


# Notation inside a list of terms is not code: "O(log n)", "O(1)", "V = IR".
_NOTATION = re.compile(r"\b[OΘΩ]\([^()]{1,20}\)|\b[A-Za-z]{1,3}\s*=\s*[A-Za-z0-9]{1,4}\b")


def _looks_like_code(text: str) -> bool:
    # Item numbers are not brackets, and "=" between words defines a term ("biases = shift activation").
    text = _LIST_NUMBER.sub(" ", _NOTATION.sub(" ", text))
    if len(re.findall(r"\s->\s", text)) >= 2:  # a chain of arrows joins terms
        text = text.replace("->", " ")
    if not re.search(r"[.!?]\s*$", text):  # a gloss in brackets after a term ("pooling (downsample)")
        text = re.sub(r"(?<=\s)\(([^()]{1,30})\)", r" \1 ", text)
    return bool(re.search(r"[(){}\[\]]|->|==|\bdef\b|\bimport\b", text))


def is_hedge(answer: AnalyzedText) -> bool:
    """True when the answer says "I don't know" (or similar) and carries almost nothing besides.

    "pass" and "skip" inside an answer are not hedges ("one full pass over the data" is an answer); alone, as
    the whole answer, they decline the question.
    """
    if _PASSES.match(answer.text):
        return True
    if not expresses_doubt(answer):
        return False
    substantive = [token for token in answer.content_tokens if token.word not in HEDGE_WORDS]
    return len(substantive) < 4


def expresses_doubt(answer: AnalyzedText) -> bool:
    """True when the answer says "not sure", "I don't know" or the like anywhere, whatever else it says."""
    return bool(_HEDGE.search(answer.text))


def is_filler(answer: AnalyzedText, *, says_something_specific: bool, weak: bool = False) -> bool:
    """True for fluent praise without content: enough words, a share of hype words, nothing specific said.

    The caller decides what counts as specific (a matched concept, or reference words beyond the question)
    and whether the answer already scores weak: praise is new every time ("mesmerizing", "the crown
    jewel"), so an answer that earned nothing needs only a few words of it to be called filler.
    """
    if says_something_specific or len(answer.tokens) < FILLER_MIN_WORDS:
        return False
    # One "better" or "important" in a short answer is a word, not praise.
    if sum(token.word in FILLER_WORDS for token in answer.content_tokens) < FILLER_MIN_COUNT:
        return False
    return filler_share(answer) >= (FILLER_WEAK_MIN_SHARE if weak else FILLER_MIN_SHARE)


def technical_vocabulary(texts: Iterable[str]) -> frozenset[str]:
    """Stems of the content words of `texts` (a bank's references and concept names), praise words left out."""
    praise = {stem(word) for word in FILLER_WORDS}
    return frozenset(s for text in texts for s in content_stems(text) if s not in praise)


def specific_share(answer: AnalyzedText, vocabulary: frozenset[str], ignored: frozenset[str]) -> float:
    """Share of the answer's content words, the question's own words aside, that the subject's vocabulary uses.

    Filler in business or everyday words ("unlocking value at scale", "worth knowing well") scores low
    whatever its praise words; an answer that is wrong about the subject still speaks its language.
    """
    stems = [token.stem for token in answer.content_tokens if token.stem not in ignored]
    if not stems:
        return 1.0
    return sum(s in vocabulary for s in stems) / len(stems)


def meta_talk_share(answer: AnalyzedText, own_words: frozenset[str]) -> float:
    """Share of content words that talk about the topic rather than of it (META_TALK_WORDS), in [0, 1].

    A word the question's own reference or concepts use ("good on the training data") is not counted.
    """
    content = answer.content_tokens
    if not content:
        return 0.0
    talk = [token.word in META_TALK_WORDS and token.stem not in own_words for token in content]
    # Praise is talk about the topic too ("changed the game for everyone"), where there is enough of it:
    # one "improved" in a short, weak but honest answer is a word, not praise.
    with_praise = [said or token.word in FILLER_WORDS for said, token in zip(talk, content, strict=True)]
    if sum(with_praise) >= TALK_WITH_PRAISE_MIN_COUNT:
        talk = with_praise
    return sum(talk) / len(content)


TALK_WITH_PRAISE_MIN_COUNT = 3


def defines_in_circles(answer: AnalyzedText, question_stems: frozenset[str]) -> bool:
    """True when a clause of the answer says nothing but the question's own words, two or more of them.

    "Backpropagation through time is backpropagation, but through time." "Early stopping is about stopping
    early, which is a good principle." Each defines its subject by repeating it.
    """
    for clause in _CLAUSE_BREAK.split(answer.text):
        stems = content_stems(clause)
        if len(stems) >= CIRCLE_MIN_WORDS and all(_is_part_of(s, question_stems) for s in stems):
            return True
    return False


def _is_part_of(word_stem: str, question_stems: frozenset[str]) -> bool:
    """True for a question word or a piece of one ("hyper" and "paramet" of "hyperparamet")."""
    return word_stem in question_stems or (
        len(word_stem) >= CIRCLE_MIN_PART and any(word_stem in q for q in question_stems)
    )


CIRCLE_MIN_WORDS = 2
# A shorter piece of a question word ("net" of "network") is a word of its own.
CIRCLE_MIN_PART = 4
_CLAUSE_BREAK = re.compile(r"[,;:()]|[.!?](?:\s|$)|\b(?:which|but|so|because|and)\b", re.IGNORECASE)


def filler_share(answer: AnalyzedText) -> float:
    """Share of content words that only praise or generalise ("powerful", "state of the art"), in [0, 1]."""
    content = answer.content_tokens
    if not content:
        return 0.0
    return sum(token.word in FILLER_WORDS for token in content) / len(content)


def is_gibberish(answer: AnalyzedText) -> bool:
    """True when most words are not words: no vowel, or five consonants in a row."""
    # One- and two-letter tokens are variables and units ("z^l = W^l a^{l-1}", "x", "ms"), not words.
    words = [token.word for token in answer.content_tokens if token.word.isalpha() and len(token.word) > 2]
    if not words:
        return bool(answer.text.strip()) and not any(ch.isalnum() for ch in answer.text)
    odd = sum(1 for word in words if not (set(word) & _VOWELS) or _CONSONANT_RUN.search(word))
    return odd / len(words) >= 0.5


def restates_question(answer: AnalyzedText, question_stems: set[str], reference_stems: set[str]) -> bool:
    """True when every content word of the answer comes from the question and none is new from the reference.

    The caller also checks the answer is closer to the question than to the reference (the safe form).
    """
    stems = answer.content_stems
    if not stems:
        return False
    new_reference_words = (stems & reference_stems) - question_stems
    outside_question = stems - question_stems
    # A short answer with one word of its own ("The equilibrium price goes up.") says something.
    return not new_reference_words and len(outside_question) <= len(stems) // 5
