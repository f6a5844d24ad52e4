"""The Voila demos: what each one shows, and the widgets they share."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Demo:
    """One Voila demo notebook under ``notebooks/demos/<name>.ipynb``."""

    name: str
    title: str
    description: str
    alt: str


DEMOS = (
    Demo("pseudonymisation", "Pseudonymise a report",
         "Paste a French clinical report or pick an example: names, dates, addresses and identifiers "
         "are detected and replaced by consistent fake values.",
         "Screenshot of the pseudonymisation demo: a report with highlighted identifiers and a table of replacements"),
    Demo("oncology", "Extract tumour biomarkers",
         "Pick a pathology report: biomarkers (HER2, ER, PD-L1, EGFR…), their status, value and method, "
         "and the TNM stage are highlighted and tabulated.",
         "Screenshot of the oncology demo: a pathology report with highlighted biomarkers and a table"),
    Demo("infectiology", "Read a microbiology report",
         "Pick a microbiology report: bacteria, bacteraemia and infection sites with negation, the "
         "antibiogram as a table, and resistance alerts (BLSE, SARM, EPC…).",
         "Screenshot of the infectiology demo: a report with highlighted bacteria and resistance alerts"),
)
