"""Gaming guards: each fires on its case and stays quiet on an ordinary correct answer."""

from __future__ import annotations

from interviewer.grading import guards
from interviewer.grading.analysis import analyze
from interviewer.text import content_stems

GOOD = "Dropout randomly switches off some neurons while training, so the network cannot rely on any one of them."


def test_keyword_list() -> None:
    assert guards.is_keyword_list(analyze("dropout overfitting neurons training inference"))
    assert not guards.is_keyword_list(analyze(GOOD))
    assert not guards.is_keyword_list(analyze("model.fit(x, y, epochs=10)"))


def test_words_that_belong_to_a_list_item_do_not_make_it_a_sentence() -> None:
    # "number of layers" and "not learned" are items of the list, not a clause relating them.
    listed = "learning rate, batch size, number of layers, dropout rate, configuration, not learned"
    assert guards.is_keyword_list(analyze(listed))
    assert not guards.is_keyword_list(
        analyze("Class weights or oversampling, and evaluate with PR-AUC and recall instead of accuracy.")
    )


def test_a_definition_followed_by_examples_is_not_a_keyword_list() -> None:
    terse = "Settings chosen before training, not learned: LR, batch size, depth, dropout rate."
    assert not guards.is_keyword_list(analyze(terse))
    # A bare term before the colon is still a list's heading.
    assert guards.is_keyword_list(analyze("Dropout: neurons, training, inference, overfitting"))


def test_terms_split_by_dashes_or_qualified_by_too_are_a_keyword_list() -> None:
    assert guards.is_keyword_list(
        analyze("gradients - loss function - chain rule - weight updates - training")
    )
    assert guards.is_keyword_list(
        analyze("step size — weight updates — too high diverges — too low slow — Adam")
    )
    assert guards.is_keyword_list(
        analyze("step size • weight updates • too high diverges • too low slow • Adam")
    )
    # A spaced dash after a clause reads like a colon: a definition, then its examples.
    assert not guards.is_keyword_list(
        analyze("Settings you pick, not learned - LR, batch size, #layers, dropout.")
    )


def test_numbered_terms_and_terms_defined_by_equals_signs_are_a_keyword_list() -> None:
    assert guards.is_keyword_list(analyze("1) input layer 2) hidden layers 3) output layer 4) weights"))
    assert guards.is_keyword_list(analyze("(1) tiny gradients (2) backprop (3) deep nets (4) ReLU"))
    assert guards.is_keyword_list(analyze("step size; weight updates; too high = divergence; too low = slow"))
    assert guards.is_keyword_list(analyze("query | key | value | softmax | weighted sum"))
    assert guards.is_keyword_list(analyze("(a) SGD (b) momentum (c) RMSprop (d) Adam"))
    assert guards.is_keyword_list(analyze("pre-trained model -> large dataset -> fine-tuning -> new task"))
    assert guards.is_keyword_list(
        analyze("validation loss | patience (epochs) | halt training | overfitting")
    )
    # Brackets that call or index are still code, and code is not a list of terms.
    assert not guards.is_keyword_list(analyze("loss.backward(), optimizer.step(), zero_grad()"))
    assert not guards.is_keyword_list(analyze("if loss == best: stop, save, restore"))


def test_keyword_list_with_a_joining_word_or_a_quantifier() -> None:
    # Lists as candidates type them: "and" before the last item, "more data", one stray function word.
    assert guards.is_keyword_list(analyze("flip, rotate, crop, color jitter, mixup, more data"))
    assert guards.is_keyword_list(analyze("sigmoid, tanh, ReLU and softmax"))
    assert guards.is_keyword_list(analyze("ReLU, sigmoid, tanh in hidden layers"))
    # Terse answers that relate their terms are sentences, not lists.
    assert not guards.is_keyword_list(
        analyze("Measures prediction error; MSE for regression, cross-entropy for classification.")
    )
    assert not guards.is_keyword_list(analyze("It drops neurons at random and scales the rest at test time."))


def test_an_answer_that_calls_itself_a_list_of_keywords_is_one() -> None:
    assert guards.is_keyword_list(
        analyze(
            "Keywords: monitor validation loss / stop when no improvement / patience / prevent overfitting"
        )
    )
    assert guards.is_keyword_list(analyze("Key terms: difference between predicted and actual values, MSE"))
    assert not guards.is_keyword_list(analyze("The key idea: it stops training when validation loss rises."))


def test_short_items_split_by_plus_signs_pipes_or_bullets_are_a_keyword_list() -> None:
    # Prose never joins items with these marks, so items may carry function words here.
    for listed in (
        "random deactivation + fraction of neurons + training only + off at inference",
        "validation loss | monitoring | stop when no improvement | patience epochs",
        "• good on training data • poor on unseen data • dropout • early stopping",
    ):
        assert guards.is_keyword_list(analyze(listed)), listed
    # A sentence that adds terms with plus signs is not.
    assert not guards.is_keyword_list(analyze("Use L2 + dropout + early stopping to keep the model general."))


def test_a_sentence_that_names_examples_is_not_a_keyword_list() -> None:
    # A subject and a verb open these lists, typed with or without the full stop.
    assert not guards.is_keyword_list(analyze("Self-attention uses query, key and value matrices."))
    assert not guards.is_keyword_list(analyze("There's SGD, mini-batch gradient descent and momentum"))
    assert not guards.is_keyword_list(analyze("Variants include SGD, mini-batch gradient descent and Adam."))
    # A first item that only holds a preposition is still a term.
    assert guards.is_keyword_list(
        analyze("subset of machine learning, neural networks, many layers, features")
    )


def test_a_clause_made_only_of_the_question_words_defines_in_circles() -> None:
    question = frozenset(content_stems("How does early stopping work in training?"))
    assert guards.defines_in_circles(
        analyze("Early stopping is about stopping early, which is wise."), question
    )
    assert not guards.defines_in_circles(analyze("It stops training when validation loss rises."), question)
    # One question word alone is a subject, not a definition.
    assert not guards.defines_in_circles(analyze("Training, then: it halts once val loss worsens."), question)


def test_the_pieces_of_a_compound_question_word_define_it_in_circles() -> None:
    question = frozenset(content_stems("What are hyperparameters?"))
    assert guards.defines_in_circles(analyze("Hyperparameters are parameters that are hyper."), question)
    assert not guards.defines_in_circles(
        analyze("Hyperparameters are settings chosen before training."), question
    )


def test_hedge() -> None:
    assert guards.is_hedge(analyze("Sorry, I don't know this one."))
    assert guards.expresses_doubt(analyze("I'm not too sure about the exact definition."))
    assert guards.expresses_doubt(analyze("Not 100% sure, but it drops the learning rate?"))
    assert not guards.is_hedge(
        analyze("Not sure of the name, but it randomly switches off neurons during training.")
    )
    assert not guards.is_hedge(analyze(GOOD))


def test_hedges_in_other_words_and_a_bare_pass() -> None:
    for declined in (
        "I'm not familiar with this one.",
        "I can't answer this question.",
        "I have never come across this term.",
        "Beats me.",
        "I'd rather skip this one.",
        "I am not really sure what that is.",
        "Hmm, I forget. Can we move on?",
        "Pass.",
    ):
        assert guards.is_hedge(analyze(declined)), declined
    assert not guards.is_hedge(analyze("One full pass over the training data."))
    assert not guards.is_hedge(analyze("A residual connection lets the signal skip this layer and move on."))


def test_gibberish() -> None:
    assert guards.is_gibberish(analyze("asdkjh qwrtp zxcvb"))
    assert not guards.is_gibberish(analyze(GOOD))


def test_math_notation_is_not_gibberish() -> None:
    notation = (
        "For each layer l compute z^l = W^l a^{l-1} + b^l and a^l = sigma(z^l); the output a^L is y_hat."
    )
    assert not guards.is_gibberish(analyze(notation))


def test_filler_share() -> None:
    filler = "Dropout is a very powerful and important technique, widely used in modern state of the art solutions."
    assert guards.filler_share(analyze(filler)) >= guards.FILLER_MIN_SHARE
    assert guards.filler_share(analyze(GOOD)) < guards.FILLER_MIN_SHARE


def test_restates_question() -> None:
    question = content_stems("What is Dropout in deep learning?")
    reference = content_stems("Dropout randomly deactivates neurons during training to prevent overfitting.")
    assert guards.restates_question(analyze("Dropout in deep learning."), question, reference)
    assert not guards.restates_question(analyze(GOOD), question, reference)


def test_praise_in_other_words_is_filler() -> None:
    praise = (
        "Depthwise separable convolution is a clever, elegant innovation that engineers absolutely love. "
        "It's sleek and modern, a true gem that showcases real ingenuity and sophisticated thinking."
    )
    assert guards.is_filler(analyze(praise), says_something_specific=False)


def test_a_weak_answer_needs_only_a_few_words_of_praise_to_be_filler() -> None:
    praise = (
        "Dropout is a clever trick that teams reach for in their training pipelines, and it gives elegant "
        "results on their data week after week."
    )
    assert not guards.is_filler(analyze(praise), says_something_specific=False)
    assert guards.is_filler(analyze(praise), says_something_specific=False, weak=True)
    # One ordinary word of praise in a short, weak answer is not filler.
    plain = "Each word looks at the other words in the sentence and decides which ones are important to it."
    assert not guards.is_filler(analyze(plain), says_something_specific=False, weak=True)


def test_one_word_of_praise_in_a_short_answer_is_not_filler() -> None:
    answer = "It is when organisms better suited to their environment survive and reproduce more."
    assert not guards.is_filler(analyze(answer), says_something_specific=False)


def test_terms_with_a_particle_or_a_quantifier_are_still_a_keyword_list() -> None:
    for terms in (
        "vertical scaling, horizontal scaling, scale up, scale out, instances, load balancer, fault tolerance",
        "least privilege, minimum permissions, access control, need to know, blast radius, RBAC",
    ):
        assert guards.is_keyword_list(analyze(terms)), terms
    assert not guards.is_keyword_list(analyze("It scales up, which helps, and it is cheap."))


def test_a_short_answer_with_a_word_of_its_own_does_not_restate_the_question() -> None:
    question = content_stems("What happens to the equilibrium price when demand increases?")
    reference = content_stems("The demand curve shifts right, so the equilibrium price and quantity rise.")
    assert not guards.restates_question(analyze("The equilibrium price goes up."), question, reference)
    assert guards.restates_question(
        analyze("The equilibrium price when demand increases."), question, reference
    )


def test_specific_share_counts_the_subjects_words_beyond_the_question() -> None:
    vocabulary = guards.technical_vocabulary(["Dropout randomly deactivates neurons during training."])
    ignored = frozenset({"dropout"})
    assert (
        guards.specific_share(analyze("Dropout deactivates random neurons in training."), vocabulary, ignored)
        == 1.0
    )
    hype = analyze("Dropout is about unlocking value at scale and aligning stakeholders.")
    assert guards.specific_share(hype, vocabulary, ignored) == 0.0
    # Praise words never make the vocabulary, even where a reference uses one.
    assert "power" not in guards.technical_vocabulary(["A powerful model."])


def test_talk_about_a_topic_is_measured_apart_from_the_words_its_reference_uses() -> None:
    about = analyze("Dropout is worth understanding well; it comes up in most interviews and projects.")
    assert guards.meta_talk_share(about, frozenset()) >= 0.5
    of = analyze("Dropout randomly zeroes a fraction of the neurons during training to curb overfitting.")
    assert guards.meta_talk_share(of, frozenset()) == 0.0
    # "good on the training data" is the reference's own wording, not talk about the topic.
    good = analyze("It is good on the training data")
    assert (
        guards.meta_talk_share(good, frozenset({"good"})) == 0.0 < guards.meta_talk_share(good, frozenset())
    )


def test_praise_counts_as_talk_about_the_topic_only_where_there_is_enough_of_it() -> None:
    hype = analyze("It is kind of poetic, it really changed the game for everyone in the field.")
    talk_only = sum(t.word in guards.META_TALK_WORDS for t in hype.content_tokens) / len(hype.content_tokens)
    assert guards.meta_talk_share(hype, frozenset()) > talk_only
    honest = analyze("LSTM is an improved RNN with gates that let it remember longer sequences.")
    assert guards.meta_talk_share(honest, frozenset()) == 0.0


def test_doubt_is_expressed_anywhere_in_the_answer() -> None:
    assert guards.expresses_doubt(analyze("Something with going backwards? Not sure honestly."))
    assert guards.expresses_doubt(analyze("It is how networks learn, but I couldn't explain the details."))
    assert not guards.expresses_doubt(analyze("It goes backwards through the network, layer by layer."))
