from partages_core.corpus.campaign import Annotator, adjudicate, annotate, cohen_kappa, run_campaign

A = Annotator("A", seed=1)
B = Annotator("B", seed=2, miss=0.08, boundary=0.06)


def test_kappa_known_values():
    assert cohen_kappa(list("aabb"), list("aabb")) == 1.0
    # observed 0.5, expected 0.5 → 0
    assert cohen_kappa(list("abab"), list("aabb")) == 0.0


def test_annotators_are_seeded_and_disagree_in_a_controlled_way(commons):
    doc = commons.documents()[0][1]
    assert annotate(doc, "pseudo", A) == annotate(doc, "pseudo", A)
    report = run_campaign([d for _, d in commons.documents()], "pseudo", A, B)
    assert 0.75 < report["micro_f1"] < 0.99
    assert 0.7 < report["token_kappa"] < 0.99
    assert report["disagreements_adjudicated"] > 0
    perfect = run_campaign([d for _, d in commons.documents()], "pseudo",
                           Annotator("X", 1, 0, 0, 0, 0), Annotator("Y", 2, 0, 0, 0, 0))
    assert perfect["micro_f1"] == 1.0 and perfect["token_kappa"] == 1.0


def test_adjudication_settles_disagreements_with_the_reference(commons):
    doc = next(d for _, d in commons.documents() if len(d.spans("pseudo")) > 10)
    a, b = annotate(doc, "pseudo", A), annotate(doc, "pseudo", B)
    final, disputed = adjudicate(doc, "pseudo", a, b)
    gold = {(s.start, s.end, s.label) for s in doc.spans("pseudo")}
    agreed = {(s.start, s.end, s.label) for s in a} & {(s.start, s.end, s.label) for s in b}
    assert {(s.start, s.end, s.label) for s in final} <= gold | agreed
    assert disputed == len(({(s.start, s.end, s.label) for s in a} | {(s.start, s.end, s.label) for s in b}) - agreed)


def test_cas_json_round_trip_campaign_on_generated_and_handwritten(tmp_path, commons):
    """Each annotator's layer goes out as INCEpTION UIMA CAS JSON and comes back unchanged: the
    agreement computed from the files equals the one computed in memory."""
    from partages_core.corpus.campaign import cas_round_trip_campaign
    from partages_core.corpus.handwritten import load_handwritten

    docs = [d for _, d in commons.documents()][:15] + [d for p in load_handwritten("dev") for d in p.documents][:10]
    report = cas_round_trip_campaign(docs, "pseudo", A, B, tmp_path)
    assert report["cas_files"] == 2 * len(docs) == len(list(tmp_path.rglob("*.json")))
    assert report == {**report, "micro_f1": run_campaign(docs, "pseudo", A, B)["micro_f1"]}
    assert report["disagreements_adjudicated"] > 0 and set(report["per_label_f1"]) >= {"NOM", "PRENOM"}
