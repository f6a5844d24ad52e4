"""Names the hybrid misses on EDS-Pseudo-style text its rules AND its NER never read: perturbed copies of the EDS-Pseudo
training fold, dev side only (session 24).

On the training fold the rules are in-sample (tuned on it: 12 of its 1,308 names left by the rules alone, where the
held-out fold's rules alone leave 11 % of its surnames) and the cross-fit NERs leave 3 names: nothing to read there. Here
each snippet is copied with its strings changed and its sentences kept, and each half is read by the cross-fit NER
trained without it (``pseudo_crossfit.py``'s models, ``--models``) with the checkout's rules and arbitration:

- ``upper`` / ``lower``: the whole snippet in capitals / in lower case;
- ``name_case``: each name span in the other case (capitals <-> title case), as the EDS-Pseudo generator writes each
  name in a case of its own;
- ``new_names``: surnames and first names replaced, consistently within a snippet, by names of eleven Faker locales
  that neither the rules' first-name lists nor the NER's pool use (cs, hr, sv, hu, fi, da, sk, sl, lt, no, et;
  initials kept; case kept);
- ``glue``: the space between a mark (. , : ; / ( -) and a name, or a name and a mark, removed;
- ``oneline``: line breaks made spaces;
- ``list``: each run of names opened on a line of its own after "- ", its title with it;
- ``orig``: the snippet as it is.

Printed per copy: names (NOM, PRENOM) missed by the hybrid and by the rules alone, all identifiers, detections touching
no gold span; the JSON (``--out``) keeps every miss in context with why it was missed (``pseudo_crossfit.classify``).
``--compare A B`` gives the paired per-document difference B - A per copy and pooled over the copies but ``lower`` and
``orig`` (a document is one training-fold snippet id with all its copies; 1,000 resamples, seed 13); ``lower`` is left
out because no system reads a lower-case name (about 98 % missed by both), ``orig`` because it is in-sample.

Run: OMP_NUM_THREADS=1 PYTHONPATH=. python benchmarks/pseudo_perturbed.py --models /tmp/pseudo-crossfit/baseline-s13
     --out /tmp/perturbed-main.json   (in each checkout; about 20 user CPU-s)
     python benchmarks/pseudo_perturbed.py --compare /tmp/perturbed-main.json /tmp/perturbed-branch.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

NAMES = ("NOM", "PRENOM")
_NAME_LETTERS = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ'-]+$")
_TITLE_RUN = re.compile(r"(?:\b(?:Dr|Pr|Docteur|Professeur|Mme|Mlle|Madame|Monsieur|M|Interne|Externe)\.?[ \t]*)+\Z", re.I)
OTHER_LOCALES = ("cs_CZ", "hr_HR", "sv_SE", "hu_HU", "fi_FI", "da_DK", "sk_SK", "sl_SI", "lt_LT", "no_NO", "et_EE")
POOLED_OUT = ("lower", "orig")


def _faker_names(attr: str) -> list[str]:
    """Names of ``attr`` over :data:`OTHER_LOCALES`, letters only, three at least."""
    out = set()
    for loc in OTHER_LOCALES:
        try:
            provider = import_module(f"faker.providers.person.{loc}").Provider
        except ImportError:
            continue
        out |= {n for n in getattr(provider, attr, ()) or () if _NAME_LETTERS.match(n) and len(n) >= 3}
    return sorted(out)


def _rebuild(text, gold, f_ctx, f_span):
    """``text`` and its gold with ``f_ctx(between, k)`` applied between spans and ``f_span(value, label)`` to spans."""
    out, new_gold, pos = [], [], 0
    gold = sorted(gold)
    for k, (s, e, lb) in enumerate(gold):
        if s < pos:
            continue
        out.append(f_ctx(text[pos:s], k))
        start = sum(len(x) for x in out)
        value = f_span(text[s:e], lb)
        out.append(value)
        new_gold.append((start, start + len(value), lb))
        pos = e
    out.append(f_ctx(text[pos:], len(gold)))
    return "".join(out), new_gold


def _new_names(text, gold, rng, surnames, first):
    seen: dict = {}

    def span(value, lb):
        if lb not in NAMES:
            return value
        key = (lb, value.casefold())
        if key not in seen:
            words = []
            for w in value.split():
                if len(w.rstrip(".")) <= 2 or "." in w:
                    words.append(w)   # an initial stays
                    continue
                new = rng.choice(surnames if lb == "NOM" else first)
                words.append(new.upper() if w.isupper() and len(w) > 1 else new.lower() if w.islower() else new)
            seen[key] = " ".join(words)
        return seen[key]
    return _rebuild(text, gold, lambda c, k: c, span)


def _glue(text, gold, rng):
    names = {k for k, (_, _, lb) in enumerate(sorted(gold)) if lb in NAMES}

    def ctx(c, k):
        if k in names:
            c = re.sub(r"([.,:;/(\-])[ \t]+\Z", r"\1", c)
        if k - 1 in names:
            c = re.sub(r"\A[ \t]+([,;:/)\-])[ \t]*", r"\1", c)
        return c
    return _rebuild(text, gold, ctx, lambda v, lb: v)


def _list(text, gold, rng):
    names = {k for k, (_, _, lb) in enumerate(sorted(gold)) if lb in NAMES}

    def ctx(c, k):
        if k in names and (k - 1 not in names or c.strip()):
            m = _TITLE_RUN.search(c)
            c = (c[:m.start()].rstrip(" \t") + "\n- " + m.group()) if m else (c.rstrip(" \t") + "\n- ")
        return c
    return _rebuild(text, gold, ctx, lambda v, lb: v)


def copies() -> dict:
    """The perturbations by name: ``f(text, gold, rng) -> (text, gold)``."""
    surnames, first = _faker_names("last_names"), _faker_names("first_names")
    keep = lambda c, k: c  # noqa: E731
    return {
        "orig": lambda t, g, r: (t, sorted(g)),
        "upper": lambda t, g, r: _rebuild(t, g, lambda c, k: c.upper(), lambda v, lb: v.upper()),
        "lower": lambda t, g, r: _rebuild(t, g, lambda c, k: c.lower(), lambda v, lb: v.lower()),
        "name_case": lambda t, g, r: _rebuild(t, g, keep, lambda v, lb: v if lb not in NAMES else
                                                v.title() if v.isupper() else v.upper()),
        "new_names": lambda t, g, r: _new_names(t, g, r, surnames, first),
        "glue": _glue,
        "oneline": lambda t, g, r: _rebuild(t, g, lambda c, k: re.sub(r"[ \t]*\n+[ \t]*", " ", c), lambda v, lb: v),
        "list": _list,
    }


def read(models: str, names: list[str]) -> dict:
    """Per copy, per training-fold snippet: identifiers, names, the hybrid's misses in context, rules-alone misses,
    detections touching no gold span."""
    import pseudo_crossfit as xf
    from partages_core.governance import ner
    from partages_core.governance import pseudonymisation as P

    made = copies()
    docs = [d for d in xf.dev_docs() if d[0].startswith("eds:")]
    out: dict = {}
    for v in names:
        rows = []
        for k in (0, 1):
            part = []
            for i, t, gold, _ in docs:
                if xf.half(i) == k:
                    part.append((i, *made[v](t, [tuple(x) for x in gold], random.Random(f"13|{v}|{i}"))))
            texts = [t for _, t, _ in part]
            rules = [P._rule_candidates(t, None) for t in texts]
            regions = [P._model_regions(t, r) for t, r in zip(texts, rules)]
            spans = ner.model_spans(texts, str(Path(models) / f"without-half-{k}"), regions)
            for (i, t, gold), r, reg, sp in zip(part, rules, regions, spans):
                hybrid, alone = P._finish(t, r + P._arbitrate_model(t, sp)), P._finish(t, r)
                hit = lambda s, e, ents: any(x["start"] < e and s < x["end"] for x in ents)  # noqa: E731
                rows.append({"doc": i, "ids": len(gold), "names": sum(lb in NAMES for *_, lb in gold),
                             "leaked": [[lb, t[s:e], xf.classify(s, e, lb, reg, sp),
                                         (t[max(0, s - 50):s] + "[[" + t[s:e] + "]]" + t[e:e + 30]).replace("\n", "⏎")]
                                        for s, e, lb in gold if not hit(s, e, hybrid)],
                             "rules_leaked": sum(not hit(s, e, alone) for s, e, _ in gold),
                             "rules_names_leaked": sum(not hit(s, e, alone) for s, e, lb in gold if lb in NAMES),
                             "off": [[x["label"], x["text"]] for x in hybrid
                                     if not any(x["start"] < e and s < x["end"] for s, e, _ in gold)]})
        out[v] = rows
        print(f"{v}: {len(rows)} snippets, {sum(r['names'] for r in rows)} names: hybrid missed "
              f"{sum(lb in NAMES for r in rows for lb, *_ in r['leaked'])} (rules alone "
              f"{sum(r['rules_names_leaked'] for r in rows)}); all {sum(r['ids'] for r in rows)} identifiers: hybrid "
              f"{sum(len(r['leaked']) for r in rows)}, rules {sum(r['rules_leaked'] for r in rows)}; detections touching "
              f"no gold span {sum(len(r['off']) for r in rows)}", flush=True)
    return out


def compare(a_path: str, b_path: str) -> None:
    """Paired per-snippet difference B - A of the names missed, per copy and pooled (not :data:`POOLED_OUT`)."""
    from pseudo_crossfit import bootstrap

    res = []
    for p in (a_path, b_path):
        if not Path(p).is_file():
            print(f"pseudo_perturbed: no result {p} (run with --out first)", file=sys.stderr)
            sys.exit(2)
        res.append(json.loads(Path(p).read_text(encoding="utf-8")))
    missed = lambda r: sum(lb in NAMES for lb, *_ in r["leaked"])  # noqa: E731
    pooled: dict = {}
    for v, rows_b in res[1].items():
        if v not in res[0]:
            continue
        pairs = list(zip(res[0][v], rows_b))   # same order (a snippet id may occur twice in the fold)
        if len(pairs) != len(rows_b) or any(x["doc"] != y["doc"] for x, y in pairs):
            print(f"pseudo_perturbed: {a_path} and {b_path} do not hold the same snippets for {v}", file=sys.stderr)
            sys.exit(2)
        d = bootstrap([(missed(y) - missed(x), x["names"]) for x, y in pairs])
        o = bootstrap([(len(y["off"]) - len(x["off"]), 1) for x, y in pairs])
        print(f"{v}: {sum(x['names'] for x, _ in pairs)} names, missed {sum(missed(x) for x, _ in pairs)} -> "
              f"{sum(missed(y) for _, y in pairs)}, paired {100 * d[0]:+.2f} points [{100 * d[1]:+.2f}, {100 * d[2]:+.2f}]; "
              f"detections touching no gold span {sum(len(x['off']) for x, _ in pairs)} -> "
              f"{sum(len(y['off']) for _, y in pairs)} (per snippet {o[0]:+.3f} [{o[1]:+.3f}, {o[2]:+.3f}])")
        if v in POOLED_OUT:
            continue
        for x, y in pairs:
            p = pooled.setdefault(x["doc"], [0, 0, 0])
            p[0] += missed(y) - missed(x)
            p[1] += x["names"]
            p[2] += len(y["off"]) - len(x["off"])
    d = bootstrap([(a, n) for a, n, _ in pooled.values()])
    o = bootstrap([(c, 1) for _, _, c in pooled.values()])
    print(f"pooled (all copies but {', '.join(POOLED_OUT)}; {len(pooled)} snippet ids, a repeated id one cluster): names missed paired "
          f"{100 * d[0]:+.2f} points [{100 * d[1]:+.2f}, {100 * d[2]:+.2f}]; detections touching no gold span per snippet "
          f"{o[0]:+.3f} [{o[1]:+.3f}, {o[2]:+.3f}]")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--models", help="a pseudo_crossfit.py model folder holding without-half-0 and without-half-1")
    ap.add_argument("--out", help="JSON of every copy's per-snippet result")
    ap.add_argument("--copies", default=",".join(copies()), help="comma-separated: " + ", ".join(copies()))
    ap.add_argument("--compare", nargs=2, metavar=("A", "B"), help="two --out files (e.g. main's, the branch's)")
    args = ap.parse_args()
    if args.compare:
        compare(*args.compare)
        return
    names = args.copies.split(",")
    unknown = [n for n in names if n not in copies()]
    if unknown or not args.models or not args.out:
        print(f"pseudo_perturbed: --models and --out are needed; copies are {', '.join(copies())} (got {unknown})",
              file=sys.stderr)
        sys.exit(2)
    for k in (0, 1):
        if not (Path(args.models) / f"without-half-{k}").is_dir():
            print(f"pseudo_perturbed: {args.models}/without-half-{k} not found (train it with pseudo_crossfit.py)",
                  file=sys.stderr)
            sys.exit(2)
    result = read(args.models, names)
    Path(args.out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
