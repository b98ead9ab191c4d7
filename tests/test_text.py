"""Text primitives: sentences and tokens are exact slices of the input; negation scopes are bounded."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from interviewer.text import content_stems, negated_flags, split_sentences, stem, tokenize

texts = st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Z", "S"]), max_size=300)


@given(texts)
def test_sentences_are_ordered_non_empty_slices(text: str) -> None:
    spans = split_sentences(text)
    previous_end = 0
    for span in spans:
        assert text[span.start : span.end] == span.text
        assert span.text.strip() == span.text and span.text
        assert span.start >= previous_end
        previous_end = span.end


@given(texts)
def test_tokens_point_into_the_text(text: str) -> None:
    for token in tokenize(text):
        assert 0 <= token.start < token.end <= len(text)
        assert token.word == token.word.lower()


@given(texts)
def test_negation_flags_cover_every_token(text: str) -> None:
    tokens = tokenize(text)
    assert len(negated_flags(text, tokens)) == len(tokens)


def test_sentences_split_on_ends_and_bullets_but_not_abbreviations() -> None:
    text = "Use e.g. ReLU or tanh. It works!\n- Input layer: raw data\n- Output layer: predictions"
    assert [span.text for span in split_sentences(text)] == [
        "Use e.g. ReLU or tanh.",
        "It works!",
        "Input layer: raw data",
        "Output layer: predictions",
    ]


def test_contractions_yield_a_not_token() -> None:
    assert [token.word for token in tokenize("It doesn't apply")] == ["it", "does", "not", "apply"]
    # Typed without the apostrophe, as typo-ridden answers do.
    assert [token.word for token in tokenize("a perceptron cant")] == ["a", "perceptron", "can", "not"]
    assert [token.word for token in tokenize("it doesnt")] == ["it", "does", "not"]


def test_negation_reaches_forward_until_a_clause_boundary() -> None:
    text = "It is not used during inference, but it is used in training"
    tokens = tokenize(text)
    negated = {token.word for token, flag in zip(tokens, negated_flags(text, tokens), strict=True) if flag}
    assert {"used", "during", "inference"} <= negated
    assert "training" not in negated


def test_negation_stops_where_a_new_clause_or_a_consequence_starts() -> None:
    for text, free in (
        ("Units cannot co-adapt and the net generalises better", "generalises"),
        ("Units cannot co-adapt so it generalises better", "generalises"),
    ):
        tokens = tokenize(text)
        negated = {t.word for t, flag in zip(tokens, negated_flags(text, tokens), strict=True) if flag}
        assert "co" in negated and free not in negated, text
    # Without a subject of its own, "and" carries the negation on: "does not drop and rescale".
    text = "It does not drop neurons and rescale them"
    tokens = tokenize(text)
    assert negated_flags(text, tokens)[-2], "rescale stays inside the negation"


def test_a_quantifier_after_a_noun_opens_a_new_clause_where_a_comma_went_missing() -> None:
    text = "there is no step-by-step dependency all positions can be computed at once"
    tokens = tokenize(text)
    negated = {t.word for t, flag in zip(tokens, negated_flags(text, tokens), strict=True) if flag}
    assert "dependency" in negated and "positions" not in negated
    # Right after the negation it is part of what is denied.
    text = "not all layers are used"
    tokens = tokenize(text)
    assert negated_flags(text, tokens)[2], "layers stays inside the negation"


def test_the_consequence_of_imagining_a_thing_away_is_not_negated() -> None:
    def negated(text: str) -> set[str]:
        tokens = tokenize(text)
        return {t.word for t, flag in zip(tokens, negated_flags(text, tokens), strict=True) if flag}

    for text in (
        "Without it the whole network would collapse into one linear model, so it could never learn complex patterns",
        "If you do not add one, the model cannot learn complex patterns",
        "Otherwise the model cannot learn complex patterns",
    ):
        assert not {"learn", "complex", "patterns"} & negated(text), text
    # A plain condition keeps the negation of what follows it.
    assert "patterns" in negated("If you add one, the model cannot learn complex patterns")
    assert "patterns" in negated("It cannot learn complex patterns without one")


def test_stems_unify_inflections() -> None:
    assert stem("deactivates") == stem("deactivated") == stem("deactivating")
    assert content_stems("The neurons are dropped") == {stem("neurons"), stem("dropped")}


def test_opposites_are_symmetric_content_words() -> None:
    from interviewer.text import STOP_WORDS, opposite_stems, stem

    opposites = opposite_stems()
    assert stem("removes") in opposites[stem("introduces")]
    for word, others in opposites.items():
        assert all(word in opposites[other] for other in others)
    assert not set(opposites) & {stem(word) for word in STOP_WORDS}


def test_shorthand_and_british_spellings_share_the_stem_of_the_full_word() -> None:
    assert content_stems("grads of the params, val acc") == content_stems(
        "gradients of the parameters, validation accuracy"
    )
    assert content_stems("optimise with regularisation") == content_stems("optimize with regularization")
    # Short words ending in -ise are words of their own, and the text itself is kept as written.
    assert [token.stem for token in tokenize("rise noise")] == [stem("rise"), stem("noise")]
    assert [token.word for token in tokenize("grads optimise")] == ["grads", "optimise"]


def test_a_myth_or_misconception_phrase_rejects_its_clause() -> None:
    for text, rejected, kept in (
        ("The claim that Adam uses momentum is a myth: it does not.", "momentum", None),
        ("A common myth is that RNNs keep a state, but really each step is separate.", "state", "separate"),
    ):
        tokens = tokenize(text)
        negated = {t.word for t, flag in zip(tokens, negated_flags(text, tokens), strict=True) if flag}
        assert rejected in negated, text
        assert kept is None or kept not in negated, text
