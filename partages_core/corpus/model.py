"""Record model of the commons: patients, documents and standoff annotation layers.

The shape follows the public PARHAF schema (``patients.json`` + one ``.txt`` per document); the
annotation layers are this project's gold standoff, with offsets into ``Document.text``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

POOLS = (
    "CU 1 - Pseudonymisation",
    "CU 2 - ICD-10 coding",
    "CU 5a - Oncology (biomarkers)",
    "CU 5b - Oncology (response to treatment)",
    "CU 6 - Infectiology",
    "General",
)

DOCUMENT_TYPES = (
    "ACCOUCHEMENT", "ANAPATH", "CRC", "CRH", "CRO", "MATERNITE", "URGENCES",
    "BIOLOGIE", "MICROBIOLOGIE",
)

# Pseudonymisation (CU1): the 16 PARHAF categories plus hospital names.
PSEUDO_LABELS = (
    "PRENOM",           # first name (attr role: patient / soignant / autre)
    "NOM",              # last name (attr role)
    "SITUATION_FAMILIALE",
    "IDENTITE_SOCIALE",  # profession, social identity
    "NATIONALITE",
    "DATE_NAISSANCE",
    "DATE_IDENTIFIANTE",
    "DATE_NON_IDENTIFIANTE",
    "ID",               # attr id_type: NIR / NSS / IPP / NDA / INS / AUTRE
    "ADRESSE",
    "VILLE",
    "CODE_POSTAL",
    "PAYS",
    "EMAIL",
    "TELEPHONE",
    "URL",
    "HOPITAL",
)
NAME_ROLES = ("patient", "soignant", "autre")
ID_TYPES = ("NIR", "NSS", "IPP", "NDA", "INS", "AUTRE")

# Oncology (CU5a)
BIOMARKER_STATUSES = (
    "positive", "negative", "equivocal", "mutated", "wild-type", "amplified", "not-amplified",
    "methylated", "unmethylated", "high", "low", "value",
)
BIOMARKER_METHODS = ("IHC", "FISH", "SISH", "CISH", "NGS", "PCR")
ONCOLOGY_LABELS = ("BIOMARKER", "TNM")

# Response to treatment (CU5b): one label per follow-up document.
RESPONSE_LABELS = (
    "ReponseComplete", "ReponsePartielle", "MaladieStable", "MaladieProgressive",
    "NonDetermine", "NonApplicable",
)

# Infectiology (CU6)
INFECTIO_LABELS = ("Bacterie", "Bacteriemie", "Infection", "Site")
NEGATIONS = ("Present", "Absent", "Indetermine")
SIR = ("S", "I", "R")
RESISTANCE_PHENOTYPES = ("BLSE", "SARM", "EPC", "ERV", "CASE_HP", "BHRe")

LAYERS = ("pseudo", "oncology", "infectio", "resistance")


@dataclass
class Span:
    """A gold standoff annotation: ``text == document.text[start:end]``; ``attrs`` per layer."""

    start: int
    end: int
    label: str
    text: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class Susceptibility:
    """One antibiogram row: organism, antibiotic (normalised name + ATC), S/I/R, row span."""

    organism: str
    antibiotic: str
    atc: str
    result: str
    start: int
    end: int


@dataclass
class Response:
    """Document-level response to treatment (CU5b) with its justification span."""

    label: str
    start: int
    end: int
    text: str


@dataclass
class Document:
    """One clinical report with its gold layers (``annotations[layer]`` lists of Span)."""

    id: str
    type: str
    header: str
    text: str
    annotations: dict[str, list[Span]] = field(default_factory=dict)
    antibiogram: list[Susceptibility] = field(default_factory=list)
    response: Response | None = None
    layout: str = ""  # facility kind : letterhead : identification banner (generated documents)

    @property
    def word_count(self) -> int:
        return len(self.text.split())

    def spans(self, layer: str) -> list[Span]:
        return self.annotations.get(layer, [])


@dataclass
class Patient:
    """A fictional patient: PARHAF index fields plus the facility that wrote the record."""

    id: str
    specialty: str
    author: str
    reviewer: str
    pool: str
    facility: str
    suggested_scenario: dict[str, Any]
    documents: list[Document] = field(default_factory=list)
    identity: dict[str, Any] = field(default_factory=dict)

    @property
    def icd10(self) -> str:
        """Primary diagnosis code (CU2 gold)."""
        return self.suggested_scenario["primary_diagnosis"]["code"]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
