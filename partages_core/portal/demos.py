"""The Voila demos: what each one shows, and the widgets they share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Demo:
    """One Voila demo notebook under ``notebooks/demos/<name>.ipynb``."""

    name: str
    title: str
    description: str
    alt: str
    system: str  # the registered system it runs (``evaluation.systems``), as scored on the leaderboard


DEMOS = (
    Demo("pseudonymisation", "Pseudonymise a report",
         "Paste a French clinical report or pick an example: names, dates, addresses and identifiers "
         "are detected and replaced by consistent fake values.",
         "Screenshot of the pseudonymisation demo: a report with highlighted identifiers and a table of replacements",
         "pseudo-hybrid"),
    Demo("oncology", "Extract tumour biomarkers",
         "Pick a pathology report: biomarkers (HER2, ER, PD-L1, EGFR…), their status, value and method, "
         "and the TNM stage are highlighted and tabulated.",
         "Screenshot of the oncology demo: a pathology report with highlighted biomarkers and a table",
         "oncology-rules"),
    Demo("infectiology", "Read a microbiology report",
         "Pick a microbiology report: bacteria, bacteraemia and infection sites with negation, the "
         "antibiogram as a table, and resistance alerts (BLSE, SARM, EPC…).",
         "Screenshot of the infectiology demo: a report with highlighted bacteria and resistance alerts",
         "infectio-rules"),
)


# Typed by hand for the screenshots and the browser tests (not from the generator; every name is invented).
HAND_TYPED = {
    "pseudonymisation": (
        "Compte rendu d'hospitalisation du 12/03/2024.\n"
        "Mme Josiane Marchetti, née le 04/07/1951, demeurant 18 rue des Tanneurs, 37000 Tours, "
        "a été hospitalisée dans le service de cardiologie du Dr Olivier Besnard pour une "
        "décompensation cardiaque. Téléphone de la fille : 06 12 48 77 30.\n"
        "Sortie le 19/03/2024 avec rendez-vous de contrôle dans un mois."),
    "oncology": (
        "Compte rendu anatomopathologique.\n"
        "Biopsie mammaire droite : carcinome infiltrant de type non spécifique, grade SBR 2.\n"
        "Immunohistochimie : récepteurs aux oestrogènes positifs (90 %), récepteurs à la progestérone "
        "positifs (40 %). HER2 négatif (score 1+). Ki67 à 20 %.\n"
        "Stade pT2 N1a M0."),
    "infectiology": (
        "COMPTE RENDU DE MICROBIOLOGIE\n"
        "Hémocultures du 02/02/2024 : bactériémie à Escherichia coli sur pyélonéphrite aiguë. "
        "Pas d'endocardite.\n\n"
        "ANTIBIOGRAMME (Escherichia coli)\n"
        "Amoxicilline ........ R\n"
        "Céfotaxime .......... R\n"
        "Ceftazidime ......... R\n"
        "Imipénème ........... S\n"
        "Amikacine ........... S\n"
        "Ciprofloxacine ...... R\n\n"
        "Souche productrice de BLSE : précautions complémentaires contact."),
}


def examples(name: str, n: int = 3, seed: int = 2024) -> dict[str, str]:
    """Fictional example reports for a demo, picked from a small seeded commons (cached in the build
    folder: a visitor's kernel reads three reports instead of generating 120 patients)."""
    import json

    from partages_core.config import artefacts_dir
    from partages_core.files import write_atomic

    cache = artefacts_dir() / "demos" / f"examples-{name}-{n}-{seed}.json"
    if cache.is_file():
        return json.loads(cache.read_text(encoding="utf-8"))
    from partages_core.corpus.generator import generate

    wanted = {"pseudonymisation": ("CRH", "URGENCES"), "oncology": ("ANAPATH",),
              "infectiology": ("MICROBIOLOGIE",)}[name]
    out: dict[str, str] = {}
    for patient in generate(120, seed):
        for doc in patient.documents:
            if doc.type in wanted and len(out) < n:
                out[f"{doc.type.title()} · {patient.specialty} · {doc.id}"] = doc.text
    write_atomic(cache, json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    return out


def _frame(rows: list[dict], columns: list[str]):
    """A table for people: the columns named, empty cells blank (never NaN), no float offsets."""
    import pandas as pd

    return pd.DataFrame(rows, columns=columns).astype(object).where(lambda f: f.notna(), "")


def _demo(name: str) -> Demo:
    demo = next((d for d in DEMOS if d.name == name), None)
    if demo is None:
        raise ValueError(f"demo: unknown demo {name!r}; choose one of {[d.name for d in DEMOS]}")
    return demo


def run_system(name: str, text: str) -> Any:
    """The output of the demo's registered system on ``text`` (the one the leaderboard scores)."""
    from partages_core.evaluation.base import Example
    from partages_core.evaluation.systems import build

    return build(_demo(name).system)(Example("demo", text, {}))


def analyse(name: str, text: str) -> tuple[str, dict[str, Any]]:
    """Run a demo's use case on ``text``: highlighted HTML and titled tables (pandas), in display order."""
    import html as html_lib

    from partages_core.usecases.html import highlight

    _demo(name)
    if name == "pseudonymisation":  # detection by the registered hybrid, plus the surrogates it feeds
        from partages_core.evaluation.systems import is_available
        from partages_core.governance.pseudonymisation import detect, pseudonymize

        hybrid = is_available(_demo(name).system)  # its NER is built once (notebook 01, --build-model)
        entities = run_system(name, text) if hybrid else detect(text)
        result = pseudonymize(text, _entities=entities)
        shown = highlight(text, result["entities"])
        if not hybrid:
            shown += '<p class="note">Rules only: the NER model is not built yet (`partages pseudonymize --build-model`).</p>'
        shown += f'<h4>Pseudonymised</h4><pre class="pseudonymised">{html_lib.escape(result["text"])}</pre>'
        return shown, {"Replacements": _frame(result["entities"], ["label", "text", "replacement", "detector", "score", "start", "end"])}
    if name == "oncology":
        from partages_core.usecases.oncology import highlight_html

        found = run_system(name, text)
        tables = {"Biomarkers": _frame(found["biomarkers"], ["biomarker", "status", "value", "unit", "method",
                                                              "variant", "negated", "text"])}
        tables["TNM stage"] = _frame(found.get("tnm", []), ["text", "start", "end"])
        return highlight_html(text), tables
    if name == "infectiology":
        from partages_core.usecases.infectiology import highlight_html

        result = run_system(name, text)
        organisms: dict[str, dict] = {}
        for e in result["entities"]:
            if e["label"] == "Bacterie":
                key = e.get("normalized") or e["text"]
                row = organisms.setdefault(key, {"organism": key, "written": e["text"], "negation": e["negation"],
                                                 "mentions": 0})
                row["mentions"] += 1
        alert_rows = [{"severity": a["severity"], "alert": a["phenotype"], "organism": a.get("organism") or "",
                       "negation": a["negation"], "basis": a["basis"], "action": a["action"],
                       "evidence": " | ".join(dict.fromkeys(f"« {e['text']} »" for e in a["evidence"]))}
                      for a in result.get("alerts", [])]  # one row per alert, deduplicated by the system
        return highlight_html(text), {
            "Organisms": _frame(list(organisms.values()), ["organism", "written", "negation", "mentions"]),
            "Antibiogram": _frame(result["susceptibility"], ["organism", "antibiotic", "atc", "result"]),
            "Resistance alerts (deduplicated)": _frame(
                alert_rows, ["severity", "alert", "organism", "negation", "basis", "action", "evidence"]),
        }
    raise ValueError(f"demo: unknown demo {name!r}; choose one of {[d.name for d in DEMOS]}")


def demo_app(name: str):
    """The ipywidgets app of a demo: example picker, text box, button, highlighted output, table."""
    import ipywidgets as w
    from IPython.display import HTML, display

    import threading

    from partages_core.evaluation.systems import digest, is_available

    demo = _demo(name)
    # a system whose trained model is not built here (the hybrid's NER) runs as its rules: say which ran
    system = demo.system if is_available(demo.system) else "pseudo-rules"
    samples = examples(name)
    # Warm-up in the background: the page is usable at once, the pipelines load while the visitor reads.
    warm = threading.Thread(target=analyse, args=(name, next(iter(samples.values()))), daemon=True)
    warm.start()
    picker = w.Dropdown(options=list(samples), description="Example", layout=w.Layout(width="90%"))
    box = w.Textarea(value=samples[picker.value], layout=w.Layout(width="100%", height="220px"))
    button = w.Button(description="Analyse", button_style="primary")
    out = w.Output()
    picker.observe(lambda change: setattr(box, "value", samples[change["new"]]), names="value")

    def run(_):
        out.clear_output()
        with out:
            if not box.value.strip():
                display(HTML('<p class="error">Paste or pick a report first.</p>'))
                return
            warm.join()
            shown, tables = analyse(name, box.value)
            display(HTML(shown))
            for title, table in tables.items():
                display(HTML(f"<h4>{title}</h4>"))
                display(HTML(table.to_html(index=False, border=0, classes="table table-sm"))
                        if len(table) else HTML("<p>None found.</p>"))

    button.on_click(run)
    about = w.HTML(f'<p class="system">System <code>{system}</code> (as scored on the leaderboard), '
                   f'digest <code>{digest(system)[:19]}…</code></p>')
    return w.VBox([about, picker, box, button, out])
