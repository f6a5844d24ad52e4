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
         "pseudo-rules"),
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


def examples(name: str, n: int = 3, seed: int = 2024) -> dict[str, str]:
    """Fictional example reports for a demo, picked from a small seeded commons."""
    from partages_core.corpus.generator import generate

    wanted = {"pseudonymisation": ("CRH", "URGENCES"), "oncology": ("ANAPATH",),
              "infectiology": ("MICROBIOLOGIE",)}[name]
    out: dict[str, str] = {}
    for patient in generate(120, seed):
        for doc in patient.documents:
            if doc.type in wanted and len(out) < n:
                out[f"{doc.type.title()} · {patient.specialty} · {doc.id}"] = doc.text
    return out


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


def analyse(name: str, text: str) -> tuple[str, Any]:
    """Run a demo's use case on ``text``: highlighted HTML and a structured table (pandas)."""
    import html as html_lib

    import pandas as pd

    from partages_core.usecases.html import highlight

    _demo(name)
    if name == "pseudonymisation":  # detection by pseudo-rules' detector, plus the surrogates it feeds
        from partages_core.governance.pseudonymisation import pseudonymize

        result = pseudonymize(text)
        shown = highlight(text, result["entities"])
        shown += f'<h4>Pseudonymised</h4><pre class="pseudonymised">{html_lib.escape(result["text"])}</pre>'
        table = pd.DataFrame(result["entities"], columns=["label", "text", "replacement", "start", "end"])
        return shown, table
    if name == "oncology":
        from partages_core.usecases.oncology import highlight_html

        rows = run_system(name, text)["biomarkers"]
        return highlight_html(text), pd.DataFrame(rows, columns=["biomarker", "status", "value", "unit", "method", "variant", "negated", "text"])
    if name == "infectiology":
        from partages_core.usecases.infectiology import highlight_html

        result = run_system(name, text)
        alerts = pd.DataFrame([{"kind": "alert", "phenotype": a["phenotype"], "organism": a["organism"],
                                "negation": a["negation"], "basis": a["basis"], "severity": a["severity"],
                                "evidence": " | ".join(e["text"] for e in a["evidence"]), "action": a["action"]}
                               for a in result.get("alerts", [])])  # one row per alert, deduplicated
        table = pd.concat([alerts, pd.DataFrame(result["susceptibility"]).assign(kind="antibiogram")],
                          ignore_index=True)
        return highlight_html(text), table
    raise AssertionError(name)


def demo_app(name: str):
    """The ipywidgets app of a demo: example picker, text box, button, highlighted output, table."""
    import ipywidgets as w
    from IPython.display import HTML, display

    from partages_core.evaluation.systems import digest

    demo = _demo(name)
    samples = examples(name)
    analyse(name, next(iter(samples.values())))  # warm-up: pipelines load with the page, not on the first click
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
            shown, table = analyse(name, box.value)
            display(HTML(shown))
            display(table)

    button.on_click(run)
    about = w.HTML(f'<p class="system">System <code>{demo.system}</code> (as scored on the leaderboard), '
                   f'digest <code>{digest(demo.system)[:19]}…</code></p>')
    return w.VBox([about, picker, box, button, out])
