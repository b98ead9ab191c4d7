"""A text broken into what the grading features look at: sentences, word tokens, negation, word windows."""

from __future__ import annotations

from dataclasses import dataclass, field

from interviewer.text import Span, Token, function_word_share, negated_flags, split_sentences, tokenize

WINDOW_WORDS = 6
WINDOW_STRIDE = 3


@dataclass(frozen=True)
class Sentence:
    """One sentence: its span and its tokens (with negation flags), offsets into the whole text."""

    span: Span
    tokens: tuple[Token, ...]
    negated: tuple[bool, ...]

    @property
    def content(self) -> list[tuple[Token, bool]]:
        """Content tokens with their negation flag."""
        return [
            (token, neg) for token, neg in zip(self.tokens, self.negated, strict=True) if not token.is_stop
        ]


@dataclass(frozen=True)
class AnalyzedText:
    """`text` split into sentences and tokens, plus the word windows used for phrase-level similarity."""

    text: str
    sentences: tuple[Sentence, ...]
    windows: tuple[tuple[int, int], ...] = field(default=())

    @property
    def tokens(self) -> list[Token]:
        """All tokens, in order."""
        return [token for sentence in self.sentences for token in sentence.tokens]

    @property
    def content_tokens(self) -> list[Token]:
        """All non-stop-word tokens, in order."""
        return [token for token in self.tokens if not token.is_stop]

    @property
    def content_stems(self) -> set[str]:
        """Stems of all content tokens."""
        return {token.stem for token in self.content_tokens}

    @property
    def sentence_spans(self) -> list[tuple[int, int]]:
        """Character ranges of the sentences."""
        return [(sentence.span.start, sentence.span.end) for sentence in self.sentences]

    @property
    def word_spans(self) -> list[tuple[int, int]]:
        """Character ranges of the content tokens (for word-level soft alignment)."""
        return [(token.start, token.end) for token in self.content_tokens]

    @property
    def function_word_share(self) -> float:
        """Share of stop words among all tokens, in [0, 1]."""
        return function_word_share(self.tokens)


def analyze(text: str) -> AnalyzedText:
    """Sentences with tokens and negation flags, and windows of WINDOW_WORDS words every WINDOW_STRIDE words."""
    sentences: list[Sentence] = []
    for span in split_sentences(text):
        tokens = tokenize(span.text)
        shifted = tuple(
            Token(token.word, token.stem, token.start + span.start, token.end + span.start, token.is_stop)
            for token in tokens
        )
        sentences.append(Sentence(span, shifted, tuple(negated_flags(span.text, tokens))))
    return AnalyzedText(text=text, sentences=tuple(sentences), windows=tuple(word_windows(sentences)))


def word_windows(sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Character ranges of overlapping word windows inside each sentence (a short sentence is one window)."""
    windows: list[tuple[int, int]] = []
    for sentence in sentences:
        tokens = sentence.tokens
        if not tokens:
            continue
        if len(tokens) <= WINDOW_WORDS:
            windows.append((tokens[0].start, tokens[-1].end))
            continue
        for first in range(0, len(tokens) - WINDOW_STRIDE, WINDOW_STRIDE):
            last = min(first + WINDOW_WORDS, len(tokens)) - 1
            windows.append((tokens[first].start, tokens[last].end))
            if last == len(tokens) - 1:
                break
    return windows
