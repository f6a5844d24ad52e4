"""``benchmarks/bench_decoder_choice.py``: the candidates (the lead first), the gain scoring, and a clear exit
without a built model."""

from __future__ import annotations

import pytest

@pytest.fixture(scope="module")
def bench(load_benchmark):
    return load_benchmark("bench_decoder_choice")


def test_the_candidates_are_the_lead_then_the_findings_sentences(bench):
    pair = {"instruction": "Rédige la conclusion de ce compte rendu.",
            "input": "Suivi pour otite. Examen normal, tympan rouge."}
    assert bench.report_sentences(pair) == ["otite.", "Suivi pour otite.", "Examen normal, tympan rouge."]


def test_gain_sum_is_the_log_probability_minus_the_same_without_the_report(bench, tiny_profile):
    from transformers import GPT2LMHeadModel

    from partages_core.models.decoder import choose_answer, decoder_config
    from partages_core.models.tokenizer import train_bytelevel_bpe

    tok = train_bytelevel_bpe(["Suivi pour goutte. Otite moyenne, à surveiller."] * 20, 300, max_length=64)
    model = GPT2LMHeadModel(decoder_config(tiny_profile, tok)).eval()
    pair = {"instruction": "Rédige la conclusion de ce compte rendu.", "input": "Suivi pour goutte. Examen normal."}
    options = ["goutte.", "Examen normal.", "Otite moyenne."]
    read = bench.choice_logprobs(model, tok, pair, options, 64)
    blank = bench.choice_logprobs(model, tok, {**pair, "input": ""}, options, 64)
    best = max(range(len(options)), key=lambda i: read[i][0])
    assert choose_answer(model, tok, pair, options, 64) == options[best]  # the decoder's own scoring
    assert bench.sentence_scores(model, tok, pair, options, 64, "mean") == pytest.approx([a / n for a, n in read])
    assert bench.sentence_scores(model, tok, pair, options, 64) == pytest.approx(
        [a - b for (a, _), (b, _) in zip(read, blank)])


def test_without_a_built_model_one_line_and_exit_2(bench, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PARTAGES_HOME", str(tmp_path))   # main(--home) sets it: restored after the test, no leak
    assert bench.main(["--home", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "decoder-instruct" in err[0]
