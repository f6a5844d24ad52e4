"""PARHAF-shaped generator: fictional patients, French reports and their gold layers, seeded.

Every report is composed sentence by sentence from ``lexicons/grammar.yaml`` rules and the clinical
lexicons; entities are appended through :class:`TextBuilder` so that offsets are exact.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator

from partages_core.corpus import identities as ident
from partages_core.corpus.builder import TextBuilder
from partages_core.corpus.grammar import expand, lexicon
from partages_core.corpus.model import Document, Patient, Response

POOL_WEIGHTS = {
    "General": 0.40, "CU 1 - Pseudonymisation": 0.14, "CU 2 - ICD-10 coding": 0.10,
    "CU 5a - Oncology (biomarkers)": 0.13, "CU 5b - Oncology (response to treatment)": 0.08,
    "CU 6 - Infectiology": 0.15,
}
POOL_SPECIALTIES = {
    "CU 5a - Oncology (biomarkers)": ("oncologie",),
    "CU 5b - Oncology (response to treatment)": ("oncologie",),
    "CU 6 - Infectiology": ("maladies-infectieuses", "reanimation", "medecine-interne",
                            "urologie", "gastro-enterologie"),
}
SECOND_DOC = {
    "chirurgie-digestive": "CRO", "orthopedie": "CRO", "urologie": "CRO", "urgences": "URGENCES",
    "gynecologie-obstetrique": "ACCOUCHEMENT", "nephrologie": "BIOLOGIE",
}
TODAY = dt.date(2025, 6, 30)
TRIGRAM_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Writer:
    """Writes the documents of one patient (shared identity, dates and facility habits)."""

    def __init__(self, rng: random.Random, patient: Patient, facility: dict, spec: dict,
                 diagnosis: tuple[str, str]):
        self.rng, self.p, self.fac, self.spec, self.dx = rng, patient, facility, spec, diagnosis
        self.g = lexicon("grammar")
        self.idt = patient.identity
        self.admission = dt.date.fromisoformat(patient.suggested_scenario["admission_date"])
        self.doctors = [ident.person(rng) for _ in range(2)]
        name = patient.specialty.replace("-", " ")
        self.service = ("Service d'" if name[0] in "aeiouy" else "Service de ") + name.capitalize()

    # --- helpers -------------------------------------------------------------------------
    def _b(self) -> TextBuilder:
        return TextBuilder(self.rng, self.fac["accent_drop"], self.fac["typo_rate"])

    def _pseudo(self, b: TextBuilder, text: str, label: str, **attrs) -> None:
        b.ent(text, "pseudo", label, **attrs)

    def _date(self, b: TextBuilder, date: dt.date, label: str = "DATE_IDENTIFIANTE") -> None:
        self._pseudo(b, ident.format_date(date, self.fac["date_format"]), label)

    def _name(self, b: TextBuilder, person: dict | ident.Person, role: str, form: str) -> None:
        first = person["first"] if isinstance(person, dict) else person.first
        last = person["last"] if isinstance(person, dict) else person.last
        if form == "full":
            self._pseudo(b, first, "PRENOM", role=role)
            b.add(" ", noisy=False)
            self._pseudo(b, last, "NOM", role=role)
        elif form == "upper":
            self._pseudo(b, last.upper(), "NOM", role=role)
            b.add(" ", noisy=False)
            self._pseudo(b, first, "PRENOM", role=role)
        elif form == "initial":
            self._pseudo(b, first[0] + ".", "PRENOM", role=role)
            b.add(" ", noisy=False)
            self._pseudo(b, last, "NOM", role=role)
        else:
            self._pseudo(b, last, "NOM", role=role)

    def _abbr(self, full: str) -> str:
        for long, short in self.g["abbreviations"]:
            if long == full and self.rng.random() < self.fac["abbreviation_rate"]:
                return short
        return full

    def _pick(self, items: list) -> Callable[[TextBuilder], None]:
        return lambda b: b.add(self.rng.choice(items))

    def slots(self) -> dict[str, Callable[[TextBuilder], None]]:
        rng, idt, sc = self.rng, self.idt, self.p.suggested_scenario
        sex = idt["sex"]
        civ = "M." if sex == "M" else self.rng.choice(("Mme", "Madame"))
        return {
            "patient_ref": lambda b: (b.add(civ + " "), self._name(b, idt, "patient", rng.choice(("full", "last", "upper")))),
            "patient_full": lambda b: self._name(b, idt, "patient", rng.choice(("full", "upper"))),
            "first": lambda b: self._pseudo(b, idt["first"], "PRENOM", role="patient"),
            "last_upper": lambda b: self._pseudo(b, idt["last"].upper(), "NOM", role="patient"),
            "age_phrase": lambda b: b.add(f"{sc['age']['value']} ans" if rng.random() < 0.7 else f"âgé{'e' if sex == 'F' else ''} de {sc['age']['value']} ans"),
            "birth_date": lambda b: self._date(b, dt.date.fromisoformat(idt["birth_date"]), "DATE_NAISSANCE"),
            "date_in": lambda b: self._date(b, self.admission),
            "date_out": lambda b: self._date(b, self.admission + dt.timedelta(days=sc["length_of_stay"])),
            "date_event": lambda b: self._date(b, self.admission - dt.timedelta(days=rng.randrange(2, 20))),
            "date_followup": lambda b: self._date(b, self.admission + dt.timedelta(days=rng.randrange(20, 90))),
            "year": lambda b: self._pseudo(b, str(self.admission.year - rng.randrange(2, 25)), "DATE_NON_IDENTIFIANTE"),
            "duration": self._pick(self.g["durations"]),
            "day": lambda b: b.add(str(rng.randrange(2, 8))),
            "gp": lambda b: (b.add("Dr "), self._name(b, idt["gp"], "soignant", rng.choice(("full", "last", "initial")))),
            "doctor": lambda b: self._name(b, self.doctors[0], "soignant", rng.choice(("full", "upper", "initial"))),
            "doctor2": lambda b: self._name(b, self.doctors[1], "soignant", "full"),
            "doctor_title": lambda b: b.add(rng.choice(("Dr", "Docteur", "Pr"))),
            "doctor_mail": lambda b: self._pseudo(b, f"{ident._ascii(self.doctors[0].first)}.{ident._ascii(self.doctors[0].last)}@{self.fac['mail_domain']}", "EMAIL"),
            "role": self._pick(self.g["roles"]),
            "service": lambda b: b.add(self.service),
            "complaint": self._pick(self.spec["complaints"]),
            "finding": self._pick(self.spec["findings"]),
            "treatment": self._pick(self.spec["treatments"]),
            "diagnosis": self._diagnosis,
            "outcome": self._pick(self.g["outcomes"]),
            "comorbidity": lambda b: b.add(self._abbr(rng.choice(self.g["comorbidities"]))),
            "surgery": lambda b: b.add(rng.choice(self.g["surgeries"]).capitalize()),
            "allergy": self._pick(self.g["allergies"]),
            "atcd_word": lambda b: b.add(self._abbr("antécédents").capitalize() if rng.random() < 0.8 else "ATCD"),
            "ttt_word": lambda b: b.add(self._abbr("traitement").capitalize()),
            "exam_word": lambda b: b.add(self._abbr("examen clinique").capitalize()),
            "family_status": lambda b: self._pseudo(b, self._gender(rng.choice(self.g["family_status"])), "SITUATION_FAMILIALE"),
            "profession": lambda b: self._pseudo(b, idt["profession"], "IDENTITE_SOCIALE"),
            "nationality": lambda b: self._pseudo(b, rng.choice(self.g["nationalities"]), "NATIONALITE"),
            "country": lambda b: self._pseudo(b, rng.choice(self.g["countries"]), "PAYS"),
            "city": lambda b: self._pseudo(b, idt["city"], "VILLE"),
            "postcode": lambda b: self._pseudo(b, idt["postcode"], "CODE_POSTAL"),
            "address": self._address,
            "phone": lambda b: self._pseudo(b, idt["phone"], "TELEPHONE"),
            "relative": lambda b: (b.add(rng.choice(("son épouse", "son fils", "sa fille", "son mari", "sa soeur")) + ", "), self._name(b, idt["relative"], "autre", "full")),
            "relative_phone": lambda b: self._pseudo(b, idt["relative"]["phone"], "TELEPHONE"),
            "ta": lambda b: b.add(f"{rng.randrange(100, 170)}/{rng.randrange(55, 100)}"),
            "fc": lambda b: b.add(str(rng.randrange(55, 120))),
            "temp": lambda b: b.add(f"{rng.choice((36, 37, 38, 39))},{rng.randrange(10)}"),
            "ipp": lambda b: self._pseudo(b, idt["ipp"], "ID", id_type="IPP"),
            "nda": lambda b: self._pseudo(b, idt["nda"], "ID", id_type="NDA"),
            "nir": lambda b: self._pseudo(b, idt["nir"], "ID", id_type="NIR"),
            # letterhead
            "hospital": lambda b: self._pseudo(b, self.fac["name"], "HOPITAL"),
            "street_h": lambda b: self._pseudo(b, self.fac["street"], "ADRESSE"),
            "postcode_h": lambda b: self._pseudo(b, self.fac["postcode"], "CODE_POSTAL"),
            "city_h": lambda b: self._pseudo(b, self.fac["city"], "VILLE"),
            "phone_h": lambda b: self._pseudo(b, self.fac["phone"], "TELEPHONE"),
            "web_h": lambda b: self._pseudo(b, self.fac["web"], "URL"),
        }

    def _diagnosis(self, b: TextBuilder) -> None:
        """The diagnosis label, with the CU6 mentions it contains annotated (Present)."""
        text = self.dx[1].lower() if self.rng.random() < 0.5 else self.dx[1]
        cursor = 0
        for surface, label, normalized in (self.dx[2] if len(self.dx) > 2 else ()):
            at = text.lower().find(surface.lower(), cursor)
            if at < 0:
                continue
            b.add(text[cursor:at], noisy=False)
            b.ent(text[at:at + len(surface)], "infectio", label, negation="Present", normalized=normalized)
            cursor = at + len(surface)
        b.add(text[cursor:], noisy=cursor == 0)

    def _address(self, b: TextBuilder) -> None:
        self._pseudo(b, self.idt["address"], "ADRESSE")
        b.add(", ", noisy=False)
        self._pseudo(b, self.idt["postcode"], "CODE_POSTAL")
        b.add(" ", noisy=False)
        self._pseudo(b, self.idt["city"], "VILLE")

    def _gender(self, text: str) -> str:
        """Resolve the ``(e)``/``(ve)`` agreement marks for the patient's sex."""
        if self.idt["sex"] == "F":
            return text.replace("f(ve)", "ve").replace("(e)", "e")
        return text.replace("(ve)", "").replace("(e)", "")

    def _rule(self, b: TextBuilder, section: str, slots: dict) -> None:
        expand(self._gender(self.rng.choice(self.g["rules"][section])), b, slots, self.rng)

    def _section(self, b: TextBuilder, title: str, sections: list[str], slots: dict) -> None:
        b.add(f"\n{title} :\n" if self.rng.random() < 0.6 else f"\n{title.upper()}\n")
        for name in sections:
            self._rule(b, name, slots)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)

    # --- documents -------------------------------------------------------------------------
    def document(self, kind: str, index: int, extra: Callable[[TextBuilder, dict], None] | None = None,
                 body: tuple[tuple[str, list[str]], ...] | None = None) -> Document:
        rng, slots = self.rng, self.slots()
        b = self._b()
        expand(self.fac["header"], b, slots, rng)
        title = rng.choice(self.g["titles"][kind])
        b.add(f"\n{title}\n", noisy=False)
        self._rule(b, "patient_line", slots)
        self._rule(b, "ids", slots)
        if body is None:
            body = {
                "CRH": (("Motif", ["opening"]), ("Terrain", ["history"]), ("Mode de vie", ["social"]),
                        ("Histoire de la maladie", ["disease_history"]), ("Examen clinique", ["exam"]),
                        ("Évolution", ["evolution"]), ("Conclusion", ["conclusion"]),
                        ("Traitement", ["treatment"])),
                "CRC": (("Motif", ["consult_opening"]), ("Terrain", ["history"]),
                        ("Examen clinique", ["exam"]), ("Conclusion", ["conclusion", "treatment"])),
                "URGENCES": (("Motif", ["opening"]), ("Mode de vie", ["social"]),
                             ("Examen clinique", ["exam"]), ("Conclusion", ["conclusion"])),
            }.get(kind, (("Motif", ["opening"]), ("Examen clinique", ["exam"]),
                         ("Conclusion", ["conclusion", "treatment"])))
        for title_, sections in body:
            self._section(b, title_, sections, slots)
        if extra:
            extra(b, slots)
        self._rule(b, "signature", slots)
        doc = Document(id=f"{self.p.id}-{index:02d}", type=kind, header=title, text=b.text(),
                       annotations=b.spans, antibiogram=b.antibiogram, response=b.response)
        return doc


# --- oncology -----------------------------------------------------------------------------
def _biomarker_sentence(w: _Writer, b: TextBuilder, marker: str, spec: dict) -> None:
    """One biomarker mention: name, status phrase (with value/variant), method; exact spans."""
    rng, onco = w.rng, lexicon("oncology")
    status = rng.choice(sorted(spec["statuses"]))
    phrase = rng.choice(spec["statuses"][status])
    method = rng.choice(spec["methods"])
    value, unit, variant = None, None, None
    if "{value}" in phrase:
        value, unit = rng.choice(spec["values"][status])
    if "{variant}" in phrase:
        variant = rng.choice(spec["variants"])
    method_text = rng.choice(onco["method_phrases"][method])
    start = b.mark()
    name = rng.choice(spec["names"])
    name = name[0].upper() + name[1:]
    order = rng.random()
    surface = phrase.replace("{value}", value or "").replace("{variant}", variant or "")
    if order < 0.6:
        b.add(f"{name} ", noisy=False)
        b.add(f"{surface}", noisy=False)
        b.add(f" {method_text}", noisy=False)
    else:
        b.add(f"{method_text.capitalize()}, {name} : {surface}", noisy=False)
    negated = status in ("negative", "wild-type", "not-amplified", "unmethylated")
    b.span_since(start, "oncology", "BIOMARKER", biomarker=marker, status=status, value=value,
                 unit=unit or None, method=method, variant=variant, negated=negated)
    b.add(". ", noisy=False)


def _tnm(rng: random.Random) -> str:
    prefix = rng.choice(("p", "c", "yp", "", "p"))
    t = rng.choice(("T1c", "T2", "T3", "T4a", "T1b", "Tis"))
    n = rng.choice(("N0", "N1", "N2a", "N1mi", "Nx"))
    m = rng.choice(("M0", "M1", "Mx", ""))
    version = rng.choice(("", " (TNM 8e édition)", " UICC 2017"))
    return f"{prefix}{t}{prefix if prefix in ('p', 'c') and rng.random() < 0.5 else ''}{n}{m}{version}"


def _anapath_extra(cancer: dict) -> Callable[[_Writer], Callable[[TextBuilder, dict], None]]:
    def make(w: _Writer) -> Callable[[TextBuilder, dict], None]:
        def extra(b: TextBuilder, slots: dict) -> None:
            rng, onco = w.rng, lexicon("oncology")
            b.add(f"\nMACROSCOPIE\nPièce de {rng.choice(('biopsie', 'tumorectomie', 'résection'))} "
                  f"({cancer['site']}) mesurant {rng.randrange(8, 60)} mm.\n")
            b.add(f"\nMICROSCOPIE\nIl s'agit d'un {cancer['histology']}, {rng.choice(onco['grades'])}. ")
            tnm = _tnm(rng)
            b.add("Stade ", noisy=False)
            b.ent(tnm, "oncology", "TNM")
            b.add(".\n\nIMMUNOHISTOCHIMIE ET BIOLOGIE MOLÉCULAIRE\n", noisy=False)
            markers = rng.sample(cancer["markers"], k=min(len(cancer["markers"]), rng.randrange(2, 6)))
            for marker in markers:
                _biomarker_sentence(w, b, marker, onco["biomarkers"][marker])
                b.add("\n", noisy=False)
        return extra
    return make


def _response_extra(w: _Writer, label: str) -> Callable[[TextBuilder, dict], None]:
    def extra(b: TextBuilder, slots: dict) -> None:
        phrase = w.rng.choice(lexicon("oncology")["responses"][label])
        b.add(f"\nÉvaluation :\n{w.rng.choice(('Scanner TAP de réévaluation', 'TEP-TDM', 'IRM de contrôle'))} : ")
        start = b.mark()
        b.add(phrase, noisy=False)
        b.response = Response(label, start, b.mark(), phrase)
        b.add(".\n", noisy=False)
    return extra


# --- infectiology ------------------------------------------------------------------------
def _infectio_extra(w: _Writer, micro: bool) -> Callable[[TextBuilder, dict], None]:
    rng, inf = w.rng, lexicon("infectiology")
    species = rng.choice(sorted(inf["bacteria"]))
    site_key = rng.choice(sorted(inf["sites"]))
    site = inf["sites"][site_key]
    negation = rng.choices(("Present", "Absent", "Indetermine"), (0.7, 0.15, 0.15))[0]

    def extra(b: TextBuilder, slots: dict) -> None:
        if not micro:
            b.add("\nBilan infectieux :\n")
            infection = rng.choice(site["infection"])
            b.add("Diagnostic de ", noisy=False)
            b.ent(infection, "infectio", "Infection", negation="Present", normalized=None)
            b.add(" (site ", noisy=False)
            b.ent(rng.choice(site["site"]), "infectio", "Site", negation="Present", normalized=site_key)
            b.add("). ", noisy=False)
        key = {"Present": "bacteremia_words", "Absent": "bacteremia_negated",
               "Indetermine": "bacteremia_uncertain"}[negation]
        b.ent(rng.choice(inf[key]), "infectio", "Bacteriemie", negation=negation, normalized=None)
        if negation == "Present":
            b.add(" à ", noisy=False)
            b.ent(rng.choice(inf["bacteria"][species]), "infectio", "Bacterie", negation="Present",
                  normalized=species)
        b.add(".\n", noisy=False)
        if micro:
            _antibiogram(w, b, species)
        elif rng.random() < 0.3:
            other = rng.choice(sorted(inf["bacteria"]))
            b.add("Pas de ", noisy=False)
            b.ent(rng.choice(inf["bacteria"][other]), "infectio", "Bacterie", negation="Absent",
                  normalized=other)
            b.add(" retrouvé à l'ECBU.\n", noisy=False)
    return extra


def _panel_of(species: str) -> str:
    if species.startswith("Staphylococcus"):
        return "staphylococcus"
    if species.startswith("Enterococcus"):
        return "enterococcus"
    if species.startswith("Streptococcus"):
        return "streptococcus"
    if species.startswith("Pseudomonas"):
        return "pseudomonas"
    return "enterobacteria"


def _antibiogram(w: _Writer, b: TextBuilder, species: str) -> None:
    """An antibiogram table in one of three layouts, plus the resistance phenotype sentence."""
    from partages_core.corpus.model import Susceptibility

    rng, inf = w.rng, lexicon("infectiology")
    panel = inf["panels"][_panel_of(species)]
    phenotype = _phenotype_for(rng, species)
    layout = rng.randrange(3)
    b.add(f"\nANTIBIOGRAMME ({species})\n", noisy=False)
    for antibiotic in panel:
        result = _sir(rng, phenotype, antibiotic)
        info = inf["antibiotics"][antibiotic]
        start = b.mark()
        if layout == 0:
            b.add(f"{antibiotic.capitalize()} {'.' * max(2, 30 - len(antibiotic))} {result}", noisy=False)
        elif layout == 1:
            b.add(f"{info['abbr']}: {result}", noisy=False)
        else:
            b.add(f"{antibiotic:<32}{result}", noisy=False)
        b.antibiogram.append(Susceptibility(species, antibiotic, info["atc"], result, start, b.mark()))
        b.add("\n", noisy=False)
    if phenotype:
        name, negated = phenotype
        choices = inf["phenotypes"][name]["negated" if negated else "phrases"]
        enzyme = rng.choice(inf["enzymes"])
        text = rng.choice(choices).replace("{enzyme}", enzyme)
        b.add("\nConclusion : ", noisy=False)
        b.ent(text, "resistance", name, organism=species, negation="Absent" if negated else "Present",
              inferred=False, enzyme=enzyme if name == "EPC" and not negated else None)
        b.add(".\n", noisy=False)


def _phenotype_for(rng: random.Random, species: str) -> tuple[str, bool] | None:
    if rng.random() < 0.35:
        return None
    negated = rng.random() < 0.3
    if species == "Staphylococcus aureus":
        return ("SARM", negated)
    if species.startswith("Enterococcus faecium"):
        return ("ERV", negated)
    if species in lexicon("infectiology")["gram_negative"]:
        return (rng.choice(("BLSE", "BLSE", "EPC", "CASE_HP")), negated)
    return None


def _sir(rng: random.Random, phenotype: tuple[str, bool] | None, antibiotic: str) -> str:
    """S/I/R consistent with the phenotype (e.g. SARM → oxacillin R, EPC → carbapenems R)."""
    active = phenotype and not phenotype[1]
    name = phenotype[0] if phenotype else None
    if active and name == "SARM" and antibiotic == "oxacilline":
        return "R"
    if active and name == "ERV" and antibiotic == "vancomycine":
        return "R"
    if active and name in ("BLSE", "CASE_HP", "EPC") and antibiotic in ("céfotaxime", "ceftazidime", "ceftriaxone", "amoxicilline"):
        return "R"
    if active and name == "EPC" and antibiotic in ("ertapénème", "imipénème", "méropénème"):
        return "R" if rng.random() < 0.7 else "I"
    if not active and antibiotic in ("oxacilline", "vancomycine", "imipénème", "méropénème", "ertapénème", "céfotaxime", "ceftazidime"):
        return "S"
    return rng.choices("SIR", (0.75, 0.05, 0.2))[0]


# --- patients -----------------------------------------------------------------------------
def _trigram(rng: random.Random) -> str:
    return "".join(rng.choice(TRIGRAM_LETTERS) for _ in range(3))


def generate(n_patients: int, seed: int) -> Iterator[Patient]:
    """Yield ``n_patients`` fictional patients with their documents and gold layers."""
    if n_patients < 1:
        from partages_core.errors import InputError

        raise InputError(f"patients: must be at least 1, got {n_patients}")
    rng = random.Random(seed)
    g, specs = lexicon("grammar"), lexicon("specialties")
    onco = lexicon("oncology")
    specialty_names = sorted(specs)
    pools, weights = zip(*POOL_WEIGHTS.items())
    for i in range(n_patients):
        pool = rng.choices(pools, weights)[0]
        specialty = rng.choice(POOL_SPECIALTIES.get(pool, specialty_names))
        spec = specs[specialty]
        facility = g["facilities"][rng.randrange(len(g["facilities"]))]
        cancer = rng.choice(onco["cancers"]) if pool.startswith("CU 5") else None
        if cancer:
            diagnosis = (cancer["icd10"], next((label for code, label in spec["diagnoses"] if code == cancer["icd10"]), f"Tumeur maligne ({cancer['site']})"))
        elif pool == "CU 6 - Infectiology":
            diagnosis = tuple(rng.choice(specs["maladies-infectieuses"]["diagnoses"]))
        else:
            diagnosis = tuple(rng.choice(spec["diagnoses"]))
        sex = _sex_for(rng, diagnosis[0], cancer)
        age = rng.randrange(1, 14) if specialty == "pediatrie" else rng.randrange(18, 95)
        admission = TODAY - dt.timedelta(days=rng.randrange(30, 900))
        identity = ident.identity(rng, admission, age, sex)
        procedure = rng.choice(spec["procedures"])
        scenario = {
            "name": f"{diagnosis[1]} ({specialty})",
            "age": {"value": age, "unit": "ans"},
            "sex": sex,
            "admission_mode": rng.choice(("Domicile", "Urgences", "Mutation", "Transfert")),
            "discharge_mode": rng.choice(("Domicile", "Mutation", "Transfert", "SSR", "Décès")) if rng.random() < 0.2 else "Domicile",
            "primary_procedure": {"code": procedure[0], "description": procedure[1]},
            "primary_diagnosis": {"code": diagnosis[0], "label": diagnosis[1]},
            "type_of_care": rng.choice(("Hospitalisation complète", "Ambulatoire", "Consultation")),
            "admission_date": admission.isoformat(),
            "length_of_stay": rng.randrange(1, 15),
        }
        patient = Patient(id=f"P{i + 1:05d}", specialty=specialty, author=_trigram(rng),
                          reviewer=_trigram(rng), pool=pool, facility=facility["name"],
                          suggested_scenario=scenario, identity=identity)
        w = _Writer(rng, patient, facility, spec, diagnosis)
        patient.documents = list(_documents(w, pool, specialty, cancer))
        yield patient


def _sex_for(rng: random.Random, icd10: str, cancer: dict | None) -> str:
    """Sex consistent with the diagnosis (pregnancy, prostate, most breast cancers)."""
    if icd10.startswith(("O", "N83")) or (cancer and cancer["site"] == "sein" and rng.random() < 0.98):
        return "F"
    if icd10.startswith(("C61", "N40")):
        return "M"
    return rng.choice("MF")


def _documents(w: _Writer, pool: str, specialty: str, cancer: dict | None) -> Iterator[Document]:
    rng = w.rng
    if pool == "CU 5a - Oncology (biomarkers)":
        yield w.document("ANAPATH", 1, _anapath_extra(cancer)(w), body=(("Renseignements cliniques", ["consult_opening"]),))
        if rng.random() < 0.6:
            yield w.document("CRC", 2)
    elif pool == "CU 5b - Oncology (response to treatment)":
        yield w.document("ANAPATH", 1, _anapath_extra(cancer)(w), body=(("Renseignements cliniques", ["consult_opening"]),))
        label = rng.choice(sorted(lexicon("oncology")["responses"]))
        yield w.document("CRC", 2, _response_extra(w, label))
    elif pool == "CU 6 - Infectiology":
        yield w.document("CRH", 1, _infectio_extra(w, micro=False))
        yield w.document("MICROBIOLOGIE", 2, _infectio_extra(w, micro=True),
                         body=(("Prélèvement", ["consult_opening"]),))
    else:
        yield w.document("URGENCES" if specialty == "urgences" else "CRH", 1)
        second = SECOND_DOC.get(specialty, "CRC")
        if pool == "CU 1 - Pseudonymisation" or rng.random() < 0.35:
            yield w.document(second, 2)
