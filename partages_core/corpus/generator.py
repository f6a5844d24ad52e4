"""PARHAF-shaped generator: fictional patients, French reports and their gold layers, seeded.

Every report is composed sentence by sentence from ``lexicons/grammar.yaml`` rules and the clinical
lexicons; entities are appended through :class:`TextBuilder` so that offsets are exact.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Callable, Iterator

from partages_core.corpus import clinical
from partages_core.corpus import identities as ident
from partages_core.corpus.builder import TextBuilder, strip_accents
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
TODAY = ident.TODAY
# labels whose surface is words (accents may be dropped, towns and facilities written in capitals)
_WORDY = ("VILLE", "HOPITAL", "ADRESSE", "IDENTITE_SOCIALE", "SITUATION_FAMILIALE", "PAYS", "NATIONALITE")
# other ways a date is written than the writer's own format (identities.format_date)
# (dd/mm/yyyy first: hospital software prints it, it is the commonest shape of EDS-Pseudo's dates)
_EVENT_STYLES = ("slash4", "slash4", "slash4", "slash2", "long", "iso", "dash4", "weekday_long", "day_month",
                 "day_month", "month_year", "dot2", "dot4", "day_month_num")
_BIRTH_STYLES = ("slash4", "slash4", "slash4", "slash4", "long", "iso", "dash4", "dot4", "long")
# a birth year is printed in full: "12/03/47" could be 1947 or 2047, banners and letters avoid it
_BIRTH_SHORT_YEAR_RATE = 0.1
# share of the writer's own event dates given without the year, as dates within a stay are written ("revu
# le 14/11", "J3 le 5 novembre"): about a quarter of the hand-written dev event dates, a fourteenth of the
# commons' before
_NO_YEAR_RATE = 0.25
# share of month words printed abbreviated ("reçu le 20 nov. 2026", "né le 28 févr. 1949"), as lab and
# pathology software and hurried typists print them
_MONTH_ABBR_RATE = 0.2
# share of dd/mm/yyyy dates typed without their leading zeros ("5/3/2026")
_LOOSE_DATE_RATE = 0.1
# share of letter openings giving the age alone; the others give the birth date, as the hand-written
# dev part does in about a third of its birth dates ("Mme X, née le 7 décembre 1943, a séjourné...")
_OPENING_AGE_RATE = 0.55
# share of a married woman's name mentions that give her other surname too, as records do ("Mme DUPONT
# née MARTIN Claire", "Mme Claire Dupont (épouse Martin)": the birth name and the name in use)
_OTHER_NAME_RATE = 0.2
_OTHER_NAME_CUES = ("née", "née", "née", "ép.", "épouse", "nee", "nom de naissance :")
TRIGRAM_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class _Writer:
    """Writes the documents of one patient (shared identity, dates and facility habits)."""

    def __init__(self, rng: random.Random, patient: Patient, facility: dict, spec: dict,
                 diagnosis: tuple[str, str]):
        self.rng, self.p, self.fac, self.spec, self.dx = rng, patient, facility, spec, diagnosis
        self.g, self.v = lexicon("grammar"), lexicon("variety")
        self.idt = patient.identity
        self.home = facility
        self.age = patient.suggested_scenario["age"]["value"]
        self.child = self.age < clinical.rules()["ages"]["working_from"]
        self.birth = dt.date.fromisoformat(self.idt["birth_date"])
        self.admission = dt.date.fromisoformat(patient.suggested_scenario["admission_date"])
        self.doctors = [ident.resident(rng, None, self.v["places"]) for _ in range(2)]
        self.staff = ident.resident(rng, None, self.v["places"])  # an intern or a nurse: "interne X", "IDE X"
        self.rpps = ident.rpps(rng)
        # an adult woman's other surname (birth or married name): the records print both
        self.other_name = ident.person(rng, "F").last if patient.identity["sex"] == "F" and not self.child else None
        styles, weights = zip(*self.v["styles"]["weights"].items())
        self.style = rng.choices(styles, weights)[0]
        name = patient.specialty.replace("-", " ")
        self.service = ("Service d'" if name[0] in "aeiouy" else "Service de ") + name.capitalize()
        self.layout = ""
        self.caps = False

    # --- helpers -------------------------------------------------------------------------
    def _b(self) -> TextBuilder:
        return TextBuilder(self.rng, self.accent_drop, self.fac["typo_rate"])

    def _pseudo(self, b: TextBuilder, text: str, label: str, **attrs) -> None:
        """An identifying mention; words (not numbers) carry the writer's habits too: missing
        accents, and towns or facilities sometimes in capitals, as hurried typists write them."""
        if label in _WORDY:
            if self.accent_drop and self.rng.random() < 2 * self.accent_drop:
                text = strip_accents(text)
            if label in ("VILLE", "HOPITAL") and self.rng.random() < 0.15 or self.caps and label != "IDENTITE_SOCIALE":
                text = text.upper()
        b.ent(text, "pseudo", label, **attrs)

    def _date(self, b: TextBuilder, date: dt.date, label: str = "DATE_IDENTIFIANTE") -> None:
        """Mostly the writer's own format; otherwise any other way people write a date (a month and
        year, a day and month, spelled out as a dictated letter is typed)."""
        style = self.fac["date_format"]
        r = self.rng.random()
        if r < 0.35:
            styles = _BIRTH_STYLES if label == "DATE_NAISSANCE" else _EVENT_STYLES
            style = self.rng.choice(styles)
        if r < 0.04:
            style = self.rng.choice(("spelled", "spelled", "spelled_loose"))
        elif r >= 0.35 and label == "DATE_IDENTIFIANTE" and self.rng.random() < _NO_YEAR_RATE:
            style = self.rng.choice(("day_month_num", "day_month", "day_month"))  # "le 12/11", "le 5 novembre"
        if style in ("long", "day_month") and self.rng.random() < _MONTH_ABBR_RATE:
            style = {"long": "long_abbr", "day_month": "day_month_abbr"}[style]
        elif style == "slash4" and self.rng.random() < _LOOSE_DATE_RATE:
            style = "slash4_loose"
        if style in ("slash2", "dot2") and label == "DATE_NAISSANCE" and self.rng.random() >= _BIRTH_SHORT_YEAR_RATE:
            style = {"slash2": "slash4", "dot2": "dot4"}[style]
        if style in ("slash2", "dot2") and not TODAY.year - 99 <= date.year <= TODAY.year:
            style = {"slash2": "slash4", "dot2": "dot4"}[style]  # a two-digit year must read back as one date
        self._pseudo(b, ident.format_date(date, style), label)

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
        elif form == "last_first":  # "Moreau Claire": hospital software lists the surname first
            self._pseudo(b, last, "NOM", role=role)
            b.add(" ", noisy=False)
            self._pseudo(b, first, "PRENOM", role=role)
        elif form == "initial":  # "J.-P. Martin": the initials are a PRENOM mark, as the rules read them
            self._pseudo(b, "-".join(part[0] + "." for part in first.split("-")), "PRENOM", role=role)
            b.add(" ", noisy=False)
            self._pseudo(b, last, "NOM", role=role)
        else:
            self._pseudo(b, last, "NOM", role=role)

    def _patient_name(self, b: TextBuilder, forms: tuple[str, ...]) -> None:
        """The patient's name in one of ``forms``; a married woman's other surname after its cue word
        now and then ("DUPONT née MARTIN Claire", "Claire Dupont (ép. Martin)"), both marked NOM."""
        rng, idt = self.rng, self.idt
        form = rng.choice(forms)
        if not self.other_name or rng.random() >= _OTHER_NAME_RATE:
            self._name(b, idt, "patient", form)
            return
        cue, other = rng.choice(_OTHER_NAME_CUES), self.other_name
        if form == "full":
            self._name(b, idt, "patient", "full")
            b.add(f" ({cue} ", noisy=False)
            self._pseudo(b, other, "NOM", role="patient")
            b.add(")", noisy=False)
            return
        upper = form == "upper"
        self._pseudo(b, idt["last"].upper() if upper else idt["last"], "NOM", role="patient")
        b.add(f" {cue} ", noisy=False)
        self._pseudo(b, other.upper() if upper else other, "NOM", role="patient")
        if form != "last":
            b.add(" ", noisy=False)
            self._pseudo(b, idt["first"], "PRENOM", role="patient")

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
        civ = self.rng.choice(("M.", "M.", "M.", "Monsieur", "Mr")) if sex == "M" else self.rng.choice(("Mme", "Madame"))
        return {
            "patient_ref": lambda b: (b.add(civ + " "), self._patient_name(b, ("full", "last", "upper", "last_first"))),
            "patient_full": lambda b: self._patient_name(b, ("full", "upper", "last_first")),
            "first": lambda b: self._pseudo(b, idt["first"], "PRENOM", role="patient"),
            "last_upper": lambda b: self._pseudo(b, idt["last"].upper(), "NOM", role="patient"),
            "age_phrase": self._age_phrase,
            "age_years": lambda b: b.add(str(self.age)),
            "sex_letter": lambda b: b.add(sex),
            "civility": lambda b: b.add(civ),
            "birth_place": self._birth_place,
            "from_country": self._from_country,
            "gp_last": lambda b: self._name(b, idt["gp"], "soignant", "last"),
            "rpps": lambda b: self._pseudo(b, self.rpps, "ID", id_type="AUTRE"),
            "role_practice": lambda b: b.add(rng.choice(("Médecin généraliste", "Spécialiste en médecine interne", "Ancien chef de clinique"))),
            "ins": lambda b: self._pseudo(b, ident.format_nir(idt["nir"], rng.choice((0, 1))), "ID", id_type="INS"),
            "exam_no": lambda b: self._pseudo(b, self.exam_no, "ID", id_type="AUTRE"),
            "block_no": lambda b: b.add(f"{rng.choice('ABC')}{rng.randrange(1, 6)}"),
            "birth_date": lambda b: self._date(b, dt.date.fromisoformat(idt["birth_date"]), "DATE_NAISSANCE"),
            "date_in": lambda b: self._date(b, self.admission),
            "date_out": lambda b: self._date(b, self.admission + dt.timedelta(days=sc["length_of_stay"])),
            "date_event": lambda b: self._date(b, self.admission - dt.timedelta(days=rng.randrange(2, 20))),
            "date_followup": lambda b: self._date(b, self.admission + dt.timedelta(days=rng.randrange(20, 90))),
            "year": lambda b: self._pseudo(b, str(rng.randrange(min(self.birth.year + 1, self.admission.year - 1), self.admission.year)), "DATE_NON_IDENTIFIANTE"),
            "when_past": lambda b: self._when(b, "en "),
            "when_paren": lambda b: self._when(b, ""),
            # a month alone is a date the hand-written gold marks ("Prochain scanner en [avril]")
            "month_plain": lambda b: self._pseudo(b, self.v["months_plain"][
                (self.admission + dt.timedelta(days=rng.randrange(20, 120))).month - 1], "DATE_IDENTIFIANTE"),
            "season": self._pick(self.v["seasons"]),
            "ordinal": self._pick(self.v["ordinals"]),
            "hours": lambda b: b.add(str(rng.choice((24, 48, 72, 36, 12)))),
            "staff_role": lambda b: b.add(self._gender(rng.choice(self.v["staff_roles"][
                "lab" if self.kind in ("BIOLOGIE", "MICROBIOLOGIE") else "ANAPATH" if self.kind == "ANAPATH" else "clinic"]))),
            "duration": self._pick(self.g["durations"]),
            "day": lambda b: b.add(str(rng.randrange(2, 8))),
            "gp": lambda b: (b.add("Dr "), self._name(b, idt["gp"], "soignant", rng.choice(("full", "last", "initial")))),
            "doctor": lambda b: self._name(b, self.doctors[0], "soignant", rng.choice(("full", "upper", "initial"))),
            "doctor2": lambda b: self._name(b, self.doctors[1], "soignant", "full"),
            "staff": lambda b: self._name(b, self.staff, "soignant", rng.choice(("last", "last", "upper", "full"))),
            "doctor_title": lambda b: b.add(rng.choice(("Dr", "Docteur", "Pr"))),
            "doctor_mail": lambda b: self._pseudo(b, self._mail(), "EMAIL"),
            "role": self._pick(self.g["roles"]),
            "service": lambda b: b.add(self.service),
            "complaint": self._pick(self.spec["complaints"]),
            "finding": self._pick(self.spec["findings"]),
            "general_complaint": self._pick(self.v["general_complaints"]),
            "general_finding": self._pick(self.v["general_findings"]),
            "outcome_cap": lambda b: b.add(rng.choice(self.v["general_outcomes"] + self.g["outcomes"]).capitalize()),
            "treatment": self._pick(self.spec["treatments"]),
            "diagnosis": self._diagnosis,
            "outcome": lambda b: b.add(rng.choice(self.g["outcomes"] if rng.random() < 0.5 else self.v["general_outcomes"])),
            "comorbidity": lambda b: b.add(self._abbr(rng.choice(self.g["comorbidities"]))),
            "surgery": lambda b: b.add(rng.choice([x for x in self.g["surgeries"] if sex == "F" or x != "césarienne"]).capitalize()),
            "allergy": self._pick(self.g["allergies"]),
            "atcd_word": lambda b: b.add(self._abbr("antécédents").capitalize() if rng.random() < 0.8 else "ATCD"),
            "ttt_word": lambda b: b.add(self._abbr("traitement").capitalize()),
            "exam_word": lambda b: b.add(self._abbr("examen clinique").capitalize()),
            "family_status": lambda b: self._pseudo(b, self._gender(rng.choice(self.g["family_status"])), "SITUATION_FAMILIALE"),
            "profession": lambda b: self._job(b, False),
            "profession_cap": lambda b: self._job(b, True),
            "kids": self._pick(self.v["everyday_jobs"]["kids"]),
            "trait": lambda b: expand(self._gender(rng.choice([x for x in self.v["traits"] if not self.child or not re.search(
                r"fum|institution|grabat|{comorbidity}", x)])), b, self._slots, rng),
            "subunit": self._pick(self.v["units"]["subunits"]),
            "trust": lambda b: self._pseudo(b, rng.choice(self.v["trusts"].get(self.fac["city"], self.v["trusts"]["other"])).format(
                region=rng.choice(self.v["regions"]), city=self.fac["city"]), "HOPITAL"),
            "city_upper": lambda b: self._pseudo(b, self.fac["city"].upper(), "VILLE"),
            "nationality": lambda b: self._pseudo(b, self._nationality(), "NATIONALITE"),
            "country": lambda b: self._pseudo(b, self._country(), "PAYS"),
            "city": lambda b: self._pseudo(b, idt["city"], "VILLE"),
            "postcode": lambda b: self._pseudo(b, idt["postcode"], "CODE_POSTAL"),
            "address": self._address,
            "phone": lambda b: self._pseudo(b, idt["phone"], "TELEPHONE"),
            "relative": self._relative,
            "relative_phone": lambda b: self._pseudo(b, idt["relative"]["phone"], "TELEPHONE"),
            "ta": lambda b: b.add(f"{rng.randrange(100, 170)}/{rng.randrange(55, 100)}"),
            "fc": lambda b: b.add(str(rng.randrange(55, 120))),
            "temp": lambda b: b.add(f"{rng.choice((36, 37, 38, 39))},{rng.randrange(10)}"),
            "ipp": lambda b: self._pseudo(b, ident.format_ipp(idt["ipp"], self.fac["ipp"]), "ID", id_type="IPP"),
            "nda": lambda b: self._pseudo(b, ident.format_nda(idt["nda"], self.fac["nda"], self.admission.year), "ID", id_type="NDA"),
            "nir": lambda b: self._pseudo(b, ident.format_nir(idt["nir"], rng.randrange(5)), "ID", id_type="NIR"),
            # letterhead
            "hospital": lambda b: self._pseudo(b, self.hname.upper() if rng.random() < 0.25 else self.hname, "HOPITAL"),
            "site": self._site,
            "unit": lambda b: b.add(self.unit),
            "unit_lower": lambda b: b.add(self.unit if self.unit.isupper() else self.unit[0].lower() + self.unit[1:]),
            "date_time": self._date_time,
            "doctor_last": lambda b: self._name(b, self.doctors[0], "soignant", rng.choice(("last", "last", "upper"))),
            "stay": self._stay,
            "stay_bare": lambda b: self._stay(b, bare=True),
            "street_h": lambda b: self._pseudo(b, self.fac["street"], "ADRESSE"),
            "postcode_h": lambda b: self._pseudo(b, self.fac["postcode"], "CODE_POSTAL"),
            "city_h": lambda b: self._pseudo(b, self.fac["city"], "VILLE"),
            "phone_h": lambda b: self._pseudo(b, ident.direct_line(rng, self.fac["phone"]) if rng.random() < self.v[
                "direct_line_rate"] else self.fac["phone"], "TELEPHONE"),
            "extension": lambda b: self._pseudo(b, ident.extension(rng), "TELEPHONE"),
            "web_h": lambda b: self._pseudo(b, self.fac["web"], "URL"),
        }

    def _when(self, b: TextBuilder, cue: str) -> None:
        """When a past event happened: a bare year (DATE_NON_IDENTIFIANTE, after ``cue``) or, as
        often in real notes, an age or a lapse of time (not marked)."""
        rng = self.rng
        if self.age < 3 or rng.random() < self.v["when_year_rate"]:
            b.add(cue, noisy=False)
            self._pseudo(b, str(rng.randrange(min(self.birth.year + 1, self.admission.year - 1), self.admission.year)),
                         "DATE_NON_IDENTIFIANTE")
            return
        other = [x for x in self.v["when_other"] if self.age > 16 or "enfance" not in x]
        b.add(rng.choice(other).format(k=rng.randrange(1, self.age), n=rng.randrange(2, min(30, self.age) + 1)))

    def _timeline(self, b: TextBuilder, past: bool) -> None:
        """Dated entries, one a line, as progress notes and histories list them ("13/02/2026 :
        ECBU ...", "21/10 14h - Cible : ...", "- Janvier 2025 : PNA ..."); dates in order, within the
        stay (or the months before it), the time outside the mark."""
        rng = self.rng
        stay = self.p.suggested_scenario["length_of_stay"]
        if past and (self.admission - self.birth).days > 400:
            dates = sorted({self.admission - dt.timedelta(days=30 * k + rng.randrange(0, 28))
                            for k in rng.sample(range(1, 12), rng.randrange(2, 4))})
            style = rng.choice(("month_year", "month_year", "slash4", "month_abbr"))
        else:
            dates = sorted({self.admission + dt.timedelta(days=rng.randrange(0, stay + 1)) for _ in range(rng.randrange(2, 5))})
            style = rng.choice(("slash4", "slash4", "day_month_num", "day_month_num", "slash2"))
        line = rng.choice([x for x in self.v["timeline_lines"] if not (past and "{h}" in x)])  # no hour in a history
        what = self.spec["findings"] + self.spec["treatments"] + self.v["general_findings"]
        b.add("\n", noisy=False)
        for date in dates:
            if style == "month_abbr":
                text = ident.MONTHS_ABBR[date.month - 1] + f" {date.year}"
            else:
                text = ident.format_date(date, style)
                text = text[0].upper() + text[1:] if style == "month_year" and rng.random() < 0.6 else text
            head, tail = line.split("{date}")
            b.add(head, noisy=False)
            self._pseudo(b, text, "DATE_IDENTIFIANTE")
            b.add(tail.format(h=rng.randrange(0, 24), what=rng.choice(what)) + "\n")

    def _number(self, low: float, high: float, decimals: int) -> str:
        value = self.rng.uniform(low, high)
        return f"{value:.{decimals}f}".replace(".", ",")

    def _count(self) -> str:
        """A cell count as labs print it, thousands apart: "85 000 /mL", "1 800 éléments"."""
        rng = self.rng
        n = rng.choice((rng.randrange(2, 100) * 1000, rng.randrange(100, 3000, 50), rng.randrange(10, 400)))
        text = f"{n:,}".replace(",", " ")
        return rng.choice(self.v["labs"]["counts"]).format(n=text, p=rng.randrange(40, 96))

    def _labs(self, n: int) -> list[tuple[str, str, str, str]]:
        """``n`` lab results (name, value, unit, reference range), numbers that are no identifiers."""
        rng = self.rng
        out = []
        for names, unit, low, high, dec in rng.sample(self.v["labs"]["analytes"], n):
            span = high - low
            ref = f"{self._number(low + span * 0.1, low + span * 0.2, dec)}-{self._number(low + span * 0.3, low + span * 0.4, dec)}"
            out.append((rng.choice(names), self._number(low, high, dec), unit, ref))
        return out

    def _lab_line(self, b: TextBuilder) -> None:
        """A lab line in running text: "Bio : GB 18,7 G/L, CRP 212, créat 168 (base 95)"."""
        rng = self.rng
        parts = []
        for name, value, unit, _ in self._labs(rng.randrange(2, 7)):
            sep = rng.choice((" ", " ", " à ", " = ", ": "))
            part = f"{name}{sep}{value}" + (f" {unit}" if unit and rng.random() < 0.55 else "")
            if rng.random() < 0.08:
                part += f" (base {self._number(float(value.replace(',', '.')) * 0.5, float(value.replace(',', '.')) * 0.8, 0)})"
            elif rng.random() < 0.06:
                part += f" puis {value if rng.random() < 0.2 else self._number(1, 50, 0)}"
            parts.append(part)
        if rng.random() < 0.25:
            parts.insert(rng.randrange(len(parts) + 1), self._count())
        line = rng.choice(self.v["labs"]["lines"]).replace("{labs}", rng.choice((", ", ", ", " ; ", " - ", " / ")).join(parts))
        b.add(line)

    def _scores(self, b: TextBuilder) -> None:
        """Scores and measures a note lists ("MMS 24/30, EVA 6/10, SpO2 94 %")."""
        rng = self.rng
        vals = dict(a=rng.randrange(8, 31), b=rng.randrange(0, 11), c=rng.randrange(3, 16), d=rng.randrange(82, 101),
                    e=rng.randrange(10, 36), f=rng.randrange(16, 45), g=rng.randrange(38, 130), h=rng.randrange(0, 5),
                    k=rng.choice(range(30, 101, 10)), m=rng.randrange(200, 3000, 50))
        picks = rng.sample(self.v["scores"], rng.randrange(1, 4))
        b.add(rng.choice((", ", ". ", " - ", " ; ")).join(x.format(**vals) for x in picks) + ".")

    def _lab_table(self, b: TextBuilder) -> None:
        """A results table: aligned columns, pipes, dotted leaders or semicolons."""
        rng = self.rng
        head = rng.choice(self.v["labs"]["table_heads"])
        b.add("\n" + rng.choice(("RÉSULTATS", "Résultats", "BIOCHIMIE", "HÉMATOLOGIE", "Bilan")) + "\n", noisy=False)
        b.add(head.format(a="Analyse", r="Résultat", u="Unité"), noisy=False)
        for name, value, unit, ref in self._labs(rng.randrange(4, 10)):
            if head.startswith("|"):
                row = f"| {name} | {value} | {unit or '-'} | {ref} |"
            elif head.startswith("EXAMEN"):
                row = f"{name.upper():<30}{value:<12}{unit:<12}{self._number(float(value.replace(',', '.')) * 0.7, float(value.replace(',', '.')) * 1.3, 1) if rng.random() < 0.6 else '-'}"
            elif head.startswith("Paramètre"):
                row = f"{name} ; {value} ; {unit} ; {ref}"
            else:
                row = f"{name:<30}{value:<12}{unit:<12}{ref}"
            b.add(row + ("  *" if rng.random() < 0.15 else "") + "\n", noisy=False)

    def _fragment_table(self, b: TextBuilder, site: str) -> None:
        """Fragments as pathology tables list them: number, place, length, share involved."""
        rng = self.rng
        places = (["base droite", "base gauche", "milieu droit", "milieu gauche", "apex droit", "apex gauche", "zone de transition"]
                  if site == "prostate" else [f"fragment {i}" for i in range(1, 9)])
        rows = rng.randrange(3, min(8, len(places)) + 1)
        pipe = rng.random() < 0.5
        head = ("N°", "Localisation", "Longueur (mm)", "Atteinte (mm)", "Nb")
        b.add(("| " + " | ".join(head) + " |\n") if pipe else f"{head[0]:<5}{head[1]:<18}{head[2]:<15}{head[3]:<15}{head[4]}\n", noisy=False)
        for i, place in enumerate(places[:rows], 1):
            cells = (str(i), place, str(rng.randrange(5, 21)), rng.choice(("0", "-", str(rng.randrange(1, 15)))), str(rng.randrange(1, 4)))
            b.add(("| " + " | ".join(cells) + " |\n") if pipe else f"{cells[0]:<5}{cells[1]:<18}{cells[2]:<15}{cells[3]:<15}{cells[4]}\n", noisy=False)

    def _mail(self) -> str:
        """The writer's e-mail: the hospital's domain or the secure health messaging (MSSanté)."""
        rng, doc = self.rng, self.doctors[0]
        first, last = ident._ascii(doc.first).replace(" ", ""), ident._ascii(doc.last).replace(" ", "")
        user = rng.choice((f"{first}.{last}", f"{first}.{last}", f"{first[0]}{last}", f"dr.{last}", f"{last}.{first[0]}"))
        domain = rng.choice((self.fac["mail_domain"], self.fac["mail_domain"], "medecin.mssante.fr", f"{self.fac['mail_domain'].split('.')[0]}.mssante.fr"))
        return f"{user}@{domain}"

    def _job(self, b: TextBuilder, cap: bool) -> None:
        """The job as a mark; "ancien" stays outside it half the time ("ancien [ébéniste]"), as
        in the hand-written gold; capitalised where it opens a line."""
        job = self._profession()
        head, situation = "", ""
        m = re.match(r"(.+?)( (?:%s))$" % "|".join(map(re.escape, self.v["everyday_jobs"]["situations"])), job)
        if m:  # a present situation stays outside the mark ("[maçon] au chômage"), as FORMAT.md reads it
            job, situation = m.group(1), m.group(2)
        m = re.match(r"(ancienne?|retraitée?, ancienne?) (.+)", job)
        if m and self.rng.random() < 0.5:
            head, job = m.group(1) + " ", m.group(2)
        if cap:
            head, job = (head[:1].upper() + head[1:], job) if head else ("", job[:1].upper() + job[1:])
        b.add(head, noisy=False)
        self._pseudo(b, job, "IDENTITE_SOCIALE")
        b.add(situation, noisy=False)

    def _profession(self) -> str:
        """The patient's job as letters state it: an everyday job (agreeing with the patient's sex),
        sometimes qualified, "ancienne institutrice" once retired; else the identity's job title."""
        rng, jobs = self.rng, self.v["everyday_jobs"]
        if rng.random() >= jobs["rate"]:
            return self.idt["profession"]
        old = self.age >= clinical.rules()["ages"]["retired_from"] + 12
        job = rng.choice([j for j in jobs["jobs"] if not ((old or self.age >= 30) and j in jobs["young_only"])
                          and not (old and j in jobs["bare_only"])])
        if old and (self.age >= 75 or rng.random() < 0.6):
            phrase = rng.choice(jobs["retired"])
        else:
            working = self.age < clinical.rules()["ages"]["retired_from"]   # out of work, on sick leave: before retiring
            phrase = "{job}" if job in jobs["bare_only"] + jobs["young_only"] else rng.choice(
                [q for q in jobs["qualifiers"] if working or not any(q.endswith(x) for x in jobs["situations"])])
        return self._gender(phrase.replace("{job}", job).replace("{employer}", rng.choice(jobs["employers"])))

    def _relative(self, b: TextBuilder) -> None:
        """A relative as letters name them: "sa fille, Claire Martin", "son fils (M. MARTIN Paul)",
        "Mme Durand, sa voisine"."""
        rng, rel = self.rng, self.idt["relative"]
        kins = self.v["relatives"]["child" if self.child else "adult"]
        female = lambda k: k.startswith("sa ") or k == "son épouse"  # noqa: E731
        kin = rng.choice([k for k in kins if female(k) == (rel["sex"] == "F")] or kins)  # a brother is no "Madame"
        civ = "M." if rel["sex"] == "M" else rng.choice(("Mme", "Madame", "Mlle"))
        r = rng.random()
        if r < 0.2:  # "son fils Karim", "sa soeur (Myriam)": letters often give a relative's first name only
            sep = rng.choice((" ", " ", ", ", " ("))
            b.add(kin + sep, noisy=False)
            self._pseudo(b, rel["first"], "PRENOM", role="autre")
            b.add(")" if sep == " (" else "", noisy=False)
        elif r < 0.5:
            b.add(kin + ", ")
            self._name(b, rel, "autre", "full")
        elif r < 0.7:
            b.add(f"{kin} ({civ} ")
            self._name(b, rel, "autre", rng.choice(("upper", "last")))
            b.add(")", noisy=False)
        else:
            b.add(civ + " ")
            self._name(b, rel, "autre", rng.choice(("full", "last", "upper")))
            b.add(", " + kin.replace("son ", "").replace("sa ", "").replace("ses ", ""))

    def _mentioned_facility(self, b: TextBuilder) -> None:
        """A sentence naming another facility (transfer, follow-up, second opinion), its name
        composed from the parts in variety.yaml (many name shapes, not the letterheads' nine)."""
        rng, m = self.rng, self.v["mentioned_facilities"]
        name = self._compose(m["templates"])
        cue = rng.choice(("laboratoire ", "laboratoire ", "labo ", "cabinet ")) if name in m["brands"] else ""
        care = name.split()[0] in m["care_kinds"]
        if name.split()[0] in m["cue_outside"] and rng.random() < m["cue_outside_rate"]:  # "l'EHPAD [Les Vignes]"
            cue, name = name.split()[0] + " ", name.split(" ", 1)[1]
        first_word = (cue or name).split()[0].lower()
        feminine = first_word in ("clinique", "polyclinique", "maternité", "résidence")
        vowel = first_word[0] in "aeiouyhéè" and first_word not in ("had",)
        plural = first_word == "hospices"
        at = "aux" if plural else "à la" if feminine else "à l'" if vowel else "au"
        of = "des" if plural else "de la" if feminine else "de l'" if vowel else "du"
        since = max(self.birth.year + 1, self.admission.year - 8)
        phrases = m["phrases"] if care else m["lab_phrases"]  # a laboratory reads samples; nobody is hospitalised there
        phrase = self._gender(rng.choice([x for x in phrases if "{year}" not in x or since < self.admission.year]))
        year = str(rng.randrange(since, self.admission.year)) if "{year}" in phrase else ""
        phrase = phrase.replace("{at}", at).replace("{of}", of).replace("l' {facility}", "l'{facility}")
        phrase = phrase.replace("par le {facility}", "par " + ("la " if feminine else "l'" if vowel else "les " if plural else "le ") + "{facility}").replace("l' {", "l'{")
        before, after = phrase.split("{facility}")
        b.add(before + cue)  # "au laboratoire [Cytolab]": the common noun stays outside the mark
        self._pseudo(b, name, "HOPITAL")
        if rng.random() < 0.2 and not any(c in name for c in self.v["places"]["cities"]):  # "(Uzès)": its town
            b.add(" (", noisy=False)
            self._pseudo(b, rng.choice(self.v["places"]["cities"]), "VILLE")
            b.add(")", noisy=False)
        if year:  # "... en {year}.": a year, marked as the commons marks years (coherence: in life)
            head, tail = after.split("{year}")
            b.add(head, noisy=False)
            self._pseudo(b, year, "DATE_NON_IDENTIFIANTE")
            after = tail
        b.add(after, noisy=False)

    def _compose(self, templates: list[str]) -> str:
        """A facility name from the parts of ``mentioned_facilities`` (many shapes, not a fixed list)."""
        rng, m = self.rng, self.v["mentioned_facilities"]
        name = rng.choice(templates).format(
            city=rng.choice(self.v["places"]["cities"]), saint=rng.choice(m["saints"]),
            person=rng.choice(ident.LAST_NAMES), first=rng.choice(ident.FIRST_NAMES["M"] + ident.FIRST_NAMES["F"]),
            nature=rng.choice(m["natures"]), natures=rng.choice(m["natures_plural"]),
            natures_cap=rng.choice(m["natures_plural"]), brand=rng.choice(m["brands"]), region=rng.choice(self.v["regions"]))
        name = name.replace(" de Le ", " du ").replace(" de Les ", " des ").replace(" de L'", " de l'")
        return re.sub(r" de (?=[AEIOUÉÈ])", " d'", name)

    def _hospital_name(self) -> str:
        """How this document's letterhead names its writer: the full name or a short form a
        secretariat types ("CH de X", "CHU X", "CHR X")."""
        name = self.fac["name"]
        if self.rng.random() < 0.5:
            return name
        short = re.sub(r"^Centre [Hh]ospitalier [Rr]égional", "CHR", name)
        short = re.sub(r"^Centre [Hh]ospitalier [Uu]niversitaire", "CHU", short)
        short = re.sub(r"^Centre [Hh]ospitalier", "CH", short)
        if short.split()[0] in ("CH", "CHU", "CHR") and self.rng.random() < 0.5:
            short = re.sub(r"^(CHU?R?) d(?:e |')", r"\1 ", short)
        if short == name and self.fac["city"] not in name and self.rng.random() < 0.5:
            short = f"{name} ({self.fac['city']})" if self.rng.random() < 0.5 else name + " " + self.fac["city"]
        return short

    def _site(self, b: TextBuilder) -> None:
        """A site of the writing hospital, a HOPITAL mark: "Hôpital Nord", or "site [Saint-Jacques]"
        with the cue outside the mark."""
        rng, m, sites = self.rng, self.v["mentioned_facilities"], self.v["sites"]
        named = rng.random() < 0.5
        if named:
            b.add(rng.choice(sites["cues"]))
        name = rng.choice(sites["named" if named else "bare"]).format(
            saint=rng.choice(m["saints"]), person=rng.choice(ident.LAST_NAMES),
            first=rng.choice(ident.FIRST_NAMES["M"] + ident.FIRST_NAMES["F"]),
            nature_fem=rng.choice(self.v["nature_fem"]))
        self._pseudo(b, name.upper() if rng.random() < 0.2 else name, "HOPITAL")

    def _unit(self, kind: str) -> str:
        """The unit as a one-line letterhead names it: by document type, else the specialty."""
        rng, units = self.rng, self.v["units"]
        if kind in units and rng.random() < 0.7:
            return rng.choice(units[kind])
        name = self.p.specialty.replace("-", " ")
        form = rng.choice(units["forms"])
        if name[0] in "aeiouyé":
            form = form.replace("Service de {name}", "Service d'{name}").replace("Unité de {name}", "Unité d'{name}")
        return form.format(name=name.capitalize() if form.startswith("{name}") else name, NAME=name.upper(),
                           floor=rng.choice(units["floors"]))

    def _date_time(self, b: TextBuilder) -> None:
        """The admission date and a time of day; the time stays outside the date mark."""
        rng = self.rng
        self._date(b, self.admission)
        h = rng.randrange(0, 24)
        b.add(rng.choice(self.v["times"]).format(h=h, hh=f"{h:02d}", m=f"{rng.randrange(0, 60):02d}"), noisy=False)

    def _stay(self, b: TextBuilder, bare: bool = False) -> None:
        """The stay as a range; "du 2 au 8 mars 2026" marks "2" and "8 mars 2026" (FORMAT.md)."""
        rng = self.rng
        start = self.admission
        end = start + dt.timedelta(days=self.p.suggested_scenario["length_of_stay"])
        phrases = self.v["stay_phrases"]
        phrase = rng.choice(phrases[3:] if bare else phrases[:3])
        head, rest = phrase.split("{from}")
        mid, tail = rest.split("{to}")
        b.add(head, noisy=False)
        if start.year == end.year and start != end and rng.random() < 0.6:
            day = "1er" if start.day == 1 else str(start.day)
            first = day if start.month == end.month else f"{day} {ident.MONTHS[start.month - 1]}"
            self._pseudo(b, first, "DATE_IDENTIFIANTE")
            b.add(mid, noisy=False)
            self._pseudo(b, ident.format_date(end, rng.choice(("long", "long", "weekday_long"))), "DATE_IDENTIFIANTE")
        else:
            self._date(b, start)
            b.add(mid, noisy=False)
            self._date(b, end)
        b.add(tail, noisy=False)

    def _world(self, b: TextBuilder) -> None:
        """One sentence naming a country or a nationality: travel for anyone, origin for a patient
        born abroad (their own country)."""
        rng, idt = self.rng, self.idt
        world = {c: (prep, nat) for c, prep, nat in self.v["world"]}
        origin = idt.get("origin")
        since = max(self.birth.year + 1, self.admission.year - 30)
        dated = lambda phrases: [x for x in phrases if "{year}" not in x or since < self.admission.year]  # noqa: E731
        if origin and origin in world and rng.random() < 0.6:
            country, phrase = origin, rng.choice(dated(self.v["world_phrases"]["origin"]))
        else:
            country, phrase = rng.choice(sorted(world)), rng.choice(dated(self.v["world_phrases"]["travel"]))
        prep, nationality = world[country]
        if "{nationality}" in phrase and "{country}" not in phrase and not origin and rng.random() < 0.5:
            nationality = self._nationality()
        of = {"au": "du", "aux": "des", "à": "de"}.get(prep, "d'" if country[0] in "AEIOUÉÈ" else "de")
        at = "à" if prep == "à" else prep
        slots = dict(self._slots)
        slots.update({
            "country": lambda b_: self._pseudo(b_, country, "PAYS"),
            "nationality": lambda b_: self._pseudo(b_, nationality, "NATIONALITE"),
            "in": lambda b_: b_.add(at),
            "of": lambda b_: b_.add(of),
            "year": lambda b_: self._pseudo(b_, str(rng.randrange(since, self.admission.year)), "DATE_NON_IDENTIFIANTE"),
        })
        phrase = self._gender(phrase).replace("d' {", "d'{")
        expand(phrase.replace("{of} ", "{of}" if of.endswith("'") else "{of} "), b, slots, rng)

    def _age_phrase(self, b: TextBuilder) -> None:
        """The patient's age as a letter gives it, or the birth date in running text ("Mme X, née le
        7 décembre 1943, a séjourné..."), not only in the banner; "ne le" where accents are dropped."""
        rng, female = self.rng, self.idt["sex"] == "F"
        r = rng.random()
        if r < _OPENING_AGE_RATE:
            b.add(self._years() if rng.random() < 0.7 else f"âgé{'e' if female else ''} de {self._years()}")
            return
        born = rng.choice(("née le ", "née le ", "nee le ", "née ") if female else ("né le ", "né le ", "ne le ", "né "))
        form = rng.random()
        if form < 0.55:  # "Mme X, née le 7 décembre 1943, a séjourné"
            b.add(born, noisy=False)
            self._date(b, self.birth, "DATE_NAISSANCE")
        elif form < 0.8:  # "M. X, 63 ans (né le 30/08/1962)" / "Mme X, 34 ans (03/09/1991)"
            b.add(f"{self._years()} ({born if rng.random() < 0.75 else ''}", noisy=False)
            self._date(b, self.birth, "DATE_NAISSANCE")
            b.add(")", noisy=False)
        else:  # "Mme X, 79 ans, née le 03/03/1946, sous corticoïdes"
            b.add(f"{self._years()}, {born}", noisy=False)
            self._date(b, self.birth, "DATE_NAISSANCE")

    def _years(self) -> str:
        return f"{self.age} an" if self.age == 1 else f"{self.age} ans"

    def _birth_place(self, b: TextBuilder) -> None:
        place = self.idt["birth_place"]
        self._pseudo(b, place["city"], "VILLE")
        if place["country"] != "France":
            b.add(" (", noisy=False)
            self._pseudo(b, place["country"], "PAYS")
            b.add(")", noisy=False)

    def _country(self) -> str:
        return self.idt.get("origin") or self.rng.choice(self.g["countries"])

    def _from_country(self, b: TextBuilder) -> None:
        country = self._country()
        b.add("du " if country in ("Portugal", "Maroc", "Sénégal", "Vietnam") else
              "d'" if country[0] in "AEIOU" else "de ", noisy=False)
        self._pseudo(b, country, "PAYS")

    def _nationality(self) -> str:
        origin = self.idt.get("origin")
        if origin and self.rng.random() < 0.7:
            return next(o["nationality"] for o in self.v["foreign"]["origins"] if o["country"] == origin)
        return "française" if self.rng.random() < 0.7 or origin else self.rng.choice(self.g["nationalities"])

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
        b.add(self.rng.choice((", ", ", ", ", ", " ", " - ")), noisy=False)  # "3 rue X 56000 Vannes" too
        self._pseudo(b, self.idt["postcode"], "CODE_POSTAL")
        b.add(" ", noisy=False)
        self._pseudo(b, self.idt["city"], "VILLE")

    def _gender(self, text: str) -> str:
        """Resolve the agreement marks for the patient's sex: ``(e)``, ``f(ve)``, and the job marks
        ``(ne)``, ``(le)``, ``(se)`` (vendeur → vendeuse), ``(rice)``, ``(ère)``, ``(fe)``."""
        if self.idt["sex"] == "F":
            text = text.replace("f(ve)", "ve").replace("(e)", "e").replace("(ne)", "ne").replace("(le)", "le")
            text = re.sub(r"eur\(se\)", "euse", text)
            text = re.sub(r"(?:t|)eur\(rice\)", lambda m: "trice" if m.group(0).startswith("t") else "rice", text)
            text = re.sub(r"er\(ère\)", "ère", text)
            return text.replace("(fe)", "fe")
        return re.sub(r"\((?:ve|e|ne|le|se|rice|ère|fe)\)", "", text)

    def _rule(self, b: TextBuilder, section: str, slots: dict) -> None:
        """One rule of ``section`` in the author's style; children get age-appropriate rules."""
        options = self.g["rules"][section]
        if self.child and section in self.v["child_rules"]:
            options = self.v["child_rules"][section]
        elif section in self.v["styles"][self.style] and self.rng.random() < (0.5 if self.style == "narrative" else 0.8):
            options = self.v["styles"][self.style][section]
        if self.child:
            options = [x for x in options if "{profession}" not in x] or options
        rule = self.rng.choice(options)
        if self.age < clinical.rules()["ages"]["retired_from"]:
            rule = rule.replace("retraité(e)|", "")
        expand(self._gender(rule), b, slots, self.rng)

    def _section(self, b: TextBuilder, title: str, sections: list[str], slots: dict) -> None:
        r = self.rng.random()
        if self.style == "dictated" and r < 0.5:
            b.add("\n")  # dictated letters run on without section titles
        else:
            b.add(f"\n{title} :\n" if r < 0.45 else f"\n{title.upper()}\n" if r < 0.8
                  else f"\n{title.upper()} : " if r < 0.9 else f"\n- {title} -\n")
        shout = self.style == "telegraphic" and self.rng.random() < 0.1
        b.upper = shout  # all-caps section body (plain text only; entities keep their case)
        for name in sections:
            self._rule(b, name, slots)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if title in ("Examen clinique", "Évolution", "Histoire de la maladie") and self.rng.random() < self.v["labs"]["rate"]:
            self._lab_line(b)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if title in ("Évolution", "Histoire de la maladie") and self.rng.random() < self.v["timeline_rate"]:
            self._timeline(b, past=title != "Évolution")
        if title == "Examen clinique" and self.rng.random() < self.v["score_rate"]:
            self._scores(b)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if title in ("Évolution", "Conclusion", "Traitement") and self.rng.random() < self.v["plain_time_rate"]:
            expand(self._gender(self.rng.choice(self.v["plain_times"])), b, slots, self.rng)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if self.rng.random() < 0.12:
            self._mentioned_facility(b)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if title in ("Terrain", "Mode de vie", "Histoire de la maladie", "Motif") and self.rng.random() < self.v["world_rate"]:
            self._world(b)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        if self.rng.random() < self.v["id_phrase_rate"]:
            expand(self.rng.choice(self.v["id_phrases"]), b, slots, self.rng)
            b.add(" " if self.rng.random() < 0.5 else "\n", noisy=False)
        b.upper = False

    # --- documents -------------------------------------------------------------------------
    def document(self, kind: str, index: int, extra: Callable[[TextBuilder, dict], None] | None = None,
                 body: tuple[tuple[str, list[str]], ...] | None = None) -> Document:
        rng = self.rng
        self.fac, self.kind = self._facility_for(kind), kind
        # some writers type a whole document without accents (old systems, foreign keyboards)
        self.accent_drop = 1.0 if rng.random() < self.v["accentless_rate"] else self.fac["accent_drop"]
        self.exam_no = ident.exam_number(rng, kind, self.admission.year)
        self.hname, self.unit = self._hospital_name(), self._unit(kind)
        slots = self._slots = self.slots()
        b = self._b()
        lines = self.v["line_headers"]
        if rng.random() < lines["rate"]:
            names = sorted(lines["templates"])
            if self.fac["kind"] in ("cabinet", "EHPAD", "cabinet-ACP"):  # a practice has no sites, group or sub-units
                names = [n for n in names if not re.search(r"site|trust|subunit", lines["templates"][n], re.I)]
            header = rng.choice(names)
            template = lines["templates"][header]
        else:
            header = rng.choice(self.fac["headers"])
            template = self.v["headers"][header]
        ids = rng.randrange(len(self.v["ids"]))
        self.layout = f"{self.fac['kind']}:{header}:{ids}"
        self.caps = b.upper = rng.random() < 0.2  # a letterhead typed all in capitals, names and units alike
        expand(template, b, slots, rng)
        self.caps = b.upper = False
        if rng.random() < 0.25:
            expand(rng.choice(self.v["writer_lines"]), b, slots, rng)
        if rng.random() < self.v["place_date_rate"]:
            b.add("\n")
            expand(rng.choice(self.v["place_dates"]), b, slots, rng)
        title = rng.choice(self.g["titles"][kind])
        b.add(f"\n{title}\n", noisy=False)
        people = self.v["birth_lines"] if rng.random() < 0.5 else self.v["patient_lines"]
        people = [x for x in people if not (self.child and "{profession}" in x)]  # children have no job
        person_line = self._gender(rng.choice(people))
        expand(person_line, b, slots, rng)
        jobs = self.v["everyday_jobs"]
        if not self.child and rng.random() < jobs["line_rate"] and "{profession}" not in person_line:
            expand(self._gender(rng.choice(jobs["lines"])), b, slots, rng)
        expand(self.v["ids"][ids], b, slots, rng)
        if rng.random() < 0.35:
            expand(rng.choice(self.v["date_lines"]), b, slots, rng)
        if kind in self.v["exam_ids"]:
            expand(rng.choice(self.v["exam_ids"][kind]), b, slots, rng)
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
        elif kind == "BIOLOGIE":
            self._lab_table(b)
        expand(self._gender(rng.choice(self.v["signatures"])), b, slots, rng)
        doc = Document(id=f"{self.p.id}-{index:02d}", type=kind, header=title, text=b.text(),
                       annotations=b.spans, antibiogram=b.antibiogram, response=b.response,
                       layout=self.layout)
        return doc

    def _facility_for(self, kind: str) -> dict:
        """Who writes this document: the facility holding the record, or for some documents an
        outside lab, practice or EHPAD, or a correspondent hospital (a CLCC for cancers only).
        Only the letterhead, formats and habits change: ``Patient.facility`` stays the holder."""
        options = [f for f in self.v["specialists"].get(kind, [])
                   if f["kind"] != "EHPAD" or self.age >= 70]
        if options and self.rng.random() < self.v["specialist_rate"]:
            return self.rng.choice(options)
        if self.rng.random() < self.v["correspondent_rate"]:
            cancer = self.p.pool.startswith("CU 5")
            writer = self.rng.choice([f for f in self.v["correspondents"] if f["kind"] != "CLCC" or cancer])
            if self.rng.random() < self.v["composed_writer_rate"]:
                return self._composed_writer(writer)
            return writer
        return self.home

    def _composed_writer(self, like: dict) -> dict:
        """A correspondent hospital composed for this letter (name, town, street, phone), printing
        ids and dates in the formats of ``like``: the commons is not nine letterheads."""
        rng = self.rng
        name = self._compose(self.v["writer_templates"])
        city = next((c for c in self.v["places"]["cities"] if c in name), None) or rng.choice(self.v["places"]["cities"])
        dept = rng.choice([d for d in range(1, 96) if d != 20])
        slug = re.sub(r"[^a-z]+", "-", strip_accents(name.lower())).strip("-")
        letters = "".join(rng.choice("ABCDEFGHJKLMNPRSTUV") for _ in range(rng.choice((1, 2, 3, 3))))
        trigram = "".join(rng.choice("ABCDEFGHILMNPRSTV") for _ in range(3))
        ipp = rng.choice(("digits10", "dashed", "spaced", "prefixed", "spaced3", f"lettered:{letters}",
                          f"lettered_spaced:{letters}", f"lettered_dash:{letters[0]}", f"trigram:{trigram}",
                          f"trigram_groups:{trigram}", f"letters_space4:{trigram}", "grouped_342", "spaced_2332", "dash_2_7"))
        nda = rng.choice(("letter8", "year_slash", "year_dash", "digits9", "unit_year",
                          f"prefix_year:{rng.choice(('NDA', 'URG', 'SEJ', letters))}", f"prefix_compact:{letters[0]}",
                          f"prefix_stamp:{letters[:2]}", f"prefix_stamp_tail:{trigram if rng.random() < 0.5 else letters[:2]}",
                          "stamp_groups", "stamp_dash", "year_3_4", "year_short"))
        return {**like, "name": name, "city": city, "ipp": ipp, "nda": nda, "postcode": f"{dept:02d}{rng.randrange(0, 1000):03d}",
                "street": ident.street(rng, self.v["places"]),
                "phone": f"0{rng.randrange(1, 6)} {rng.randrange(10, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}",
                "web": f"www.{slug}.fr", "mail_domain": f"{slug}.fr"}


# --- oncology -----------------------------------------------------------------------------
def _biomarker_sentence(w: _Writer, b: TextBuilder, marker: str, status: str, site: str) -> None:
    """One biomarker mention: name, status phrase (with value/variant), method; exact spans.

    The status is given (drawn coherently for the tumour); the phrase comes from the oncology
    lexicon or the generator's own phrasings, the method from those that can give that status."""
    rng, onco, rules = w.rng, lexicon("oncology"), clinical.rules()
    spec = onco["biomarkers"][marker]
    value, unit, variant = None, None, None
    if marker == "PD-L1":
        score = rules["sites"][site].get("pdl1_score", "TPS")
        pdl1 = w.v["pdl1"][score]
        phrase = rng.choice(pdl1[status])
        unit = "%" if score == "TPS" else ""
        if "{value}" in phrase:
            value = rng.choice(pdl1["values"])
        else:  # "négatif (TPS < 1 %)", "CPS < 1": a figure is a value whatever its words (FORMAT.md, batch 11)
            value = re.search(rf"{score} (.+?)\)?$", phrase)[1]
            status = "value"
    else:
        phrases = list(spec["statuses"][status]) + list(w.v["biomarker_phrases"].get(marker, {}).get(status, []))
        phrase = rng.choice(phrases)
        if "{value}" in phrase:
            value, unit = rng.choice(spec["values"][status])
    if "{variant}" in phrase:
        variant = rng.choice(spec["variants"])
    method = _method_for(rng, marker, status, phrase, spec)
    method_text = rng.choice(onco["method_phrases"][method])
    start = b.mark()
    name = rng.choice(spec["names"])
    name = name[0].upper() + name[1:]
    if marker == "MMR" and status == "negative" and "/" in name:
        name = "Protéines MMR"  # "MLH1/MSH2/MSH6/PMS2 : perte d'expression" would lose all four: rare, not drawn
    surface = phrase.replace("{value}", value or "").replace("{variant}", variant or "")
    r = rng.random()
    if r < 0.5:
        sentence = f"{name} {surface} {method_text}"
    elif r < 0.75:
        sentence = f"{method_text[0].upper() + method_text[1:]}, {name} : {surface}"
    else:
        sentence = f"{name} : {surface} ({method})"
    b.add(sentence, noisy=False)
    negated = status in ("negative", "wild-type", "not-amplified", "unmethylated")
    proteins, mmr_end = (_mmr_proteins(sentence, status), _mmr_end(sentence, surface)) if marker == "MMR" \
        else ([], len(sentence))
    if mmr_end is not None:
        b.span_at(start, start + mmr_end, "oncology", "BIOMARKER", biomarker=marker, status=status, value=value,
                  unit=unit or None, method=method, variant=variant, negated=negated)
    for protein, protein_status, at, end in proteins:
        b.span_at(start + at, start + end, "oncology", "BIOMARKER", biomarker=protein, status=protein_status,
                  value=None, unit=None, method=method, variant=None, negated=protein_status == "negative")
    b.add(". ", noisy=False)


_MMR_PROTEIN = r"(?:MLH1|MSH2|MSH6|PMS2)"
_MMR_RESULT = re.compile(rf"\b(perte|conserv\w*)(?: d'expression)?(?: nucléaire)? de ({_MMR_PROTEIN}(?:(?:, | et ){_MMR_PROTEIN})*)")
_MMR_PANEL = re.compile(rf"{_MMR_PROTEIN}(?:/{_MMR_PROTEIN})+")
_MMR_BRACKET = re.compile(rf" \((?:perte de )?({_MMR_PROTEIN}(?:(?:, | et ){_MMR_PROTEIN})*)\)")


def _mmr_proteins(sentence: str, status: str = "positive") -> list[tuple[str, str, int, int]]:
    """The mismatch-repair proteins an MMR sentence gives a result of their own, each marked by its name alone,
    lost ``negative`` or kept ``positive``, as FORMAT.md and the hand-written gold do (BIOMARKER spans; hw-045,
    hw-071, hw-217, hw-252, hw-296): "perte d'expression de MLH1 et PMS2", "expression conservée de MSH2 et MSH6";
    a panel written whole before its result ("MLH1/MSH2/MSH6/PMS2 : conservées"), unless the result is
    the MMR status itself ("profil pMMR"); a parenthesis naming the proteins after the MMR result
    ("déficientes (perte de MLH1 et PMS2)", "des 4 protéines (MLH1, MSH2, MSH6, PMS2)"), with the MMR ``status``.
    Returns (protein, status, start, end) in the sentence."""
    out = []
    for m in _MMR_RESULT.finditer(sentence):
        lost = "negative" if m[1] == "perte" else "positive"
        out += [(p[0], lost, m.start(2) + p.start(), m.start(2) + p.end()) for p in re.finditer(_MMR_PROTEIN, m[2])]
    groups = [(m.start(1), m[1]) for m in _MMR_BRACKET.finditer(sentence)]
    panel = _MMR_PANEL.search(sentence)
    if panel and not re.search(r"\b[pd]MMR\b", sentence[panel.end():].split("(")[0]):
        groups.append((panel.start(), panel[0]))
    seen = {(a, b) for _, _, a, b in out}
    for at, group in groups:
        out += [(p[0], status, at + p.start(), at + p.end()) for p in re.finditer(_MMR_PROTEIN, group)
                if (at + p.start(), at + p.end()) not in seen]
    return sorted(out, key=lambda p: p[2])


def _mmr_end(sentence: str, surface: str) -> int | None:
    """Where the MMR mention of an MMR sentence ends, or None where it has none (FORMAT.md, BIOMARKER spans):
    before a parenthesis naming the proteins, which holds mentions of its own ("[[MMR : déficientes]] (perte de
    [[MLH1]] et [[PMS2]])", hw-071, hw-199); none where a panel written whole has its proteins' result (each protein
    is marked alone) or where "Protéines MMR" heads the proteins' own results ("Protéines MMR : perte d'expression
    de MSH2 et MSH6", unmarked in hw-232, hw-280); elsewhere the whole sentence."""
    if _mmr_proteins(sentence) and (_MMR_PANEL.search(sentence) or (_MMR_RESULT.match(surface) and "MMR)" not in surface)):
        return None
    bracket = _MMR_BRACKET.search(sentence)
    return bracket.start() if bracket else len(sentence)


def _method_for(rng: random.Random, marker: str, status: str, phrase: str, spec: dict) -> str:
    """A method that can give this status (an IHC score is IHC; an amplification is ISH/NGS)."""
    rules = clinical.rules()
    allowed = rules["marker_methods"].get(marker, spec["methods"])
    methods = [m for m in allowed if status in rules["method_statuses"][m]]
    if marker == "HER2" and status in rules["her2_ihc_scores"].values():
        methods = ["IHC"]
    if "IHC" in phrase or "expression" in phrase:
        methods = [m for m in methods if m == "IHC"] or methods
    if "fusion" in phrase or "ratio" in phrase:
        methods = [m for m in methods if m != "IHC"] or methods
    return rng.choice(methods or allowed)


def _anapath_extra(site: str) -> Callable[[_Writer], Callable[[TextBuilder, dict], None]]:
    def make(w: _Writer) -> Callable[[TextBuilder, dict], None]:
        def extra(b: TextBuilder, slots: dict) -> None:
            rng = w.rng
            tumour = clinical.draw_tumour(rng, site)
            b.add(f"\nMACROSCOPIE\n{tumour.specimen.capitalize()} ({site}) : "
                  f"{'lésion de ' if rng.random() < 0.5 else 'tumeur mesurant '}{rng.randrange(8, 60)} mm.\n")
            if rng.random() < 0.4:  # a table of fragments: numbers that are no identifiers
                w._fragment_table(b, site)
            micro = rng.choice(("MICROSCOPIE", "Examen microscopique", "DESCRIPTION HISTOLOGIQUE"))
            b.add(f"\n{micro}\nIl s'agit d'un ")
            b.add(f"{tumour.histology}, {tumour.grade}. ", noisy=False)  # the checked diagnosis
            if tumour.tnm:
                b.add(rng.choice(("Stade ", "Classification : ", "")), noisy=False)
                b.ent(tumour.tnm, "oncology", "TNM")
                b.add(rng.choice(("", "", " (TNM 8e édition)", " UICC 2017", " (UICC 8e éd.)")) + ".", noisy=False)
            b.add(rng.choice(("\n\nIMMUNOHISTOCHIMIE ET BIOLOGIE MOLÉCULAIRE\n",
                              "\n\nÉtude complémentaire :\n", "\n\nBIOMARQUEURS\n")), noisy=False)
            for marker, status in tumour.markers:
                _biomarker_sentence(w, b, marker, status, site)
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
            lead = rng.choice(("Diagnostic de ", "Tableau de ", "Retenu : "))
            b.add(lead[:-2] + "'" if lead.endswith("de ") and infection[0] in "aeéiouy" else lead, noisy=False)
            nested = w.v["infection_sites"].get(infection)
            if nested:  # "infection de [cathéter]": the site the infection names, nested (FORMAT.md)
                start = b.mark()
                head, _, tail = infection.partition(nested)
                b.add(head, noisy=False)
                b.ent(nested, "infectio", "Site", negation="Present", normalized=site_key)
                b.add(tail, noisy=False)
                b.span_since(start, "infectio", "Infection", negation="Present", normalized=None)
            else:
                b.ent(infection, "infectio", "Infection", negation="Present", normalized=None)
            opener = rng.choice((" (site ", " (localisation : ", " - "))
            b.add(opener, noisy=False)
            b.ent(rng.choice(site["site"]), "infectio", "Site", negation="Present", normalized=site_key)
            b.add("). " if "(" in opener else ". ", noisy=False)
            if rng.random() < 0.4:
                _other_infection(w, b, infection)
        phrase = rng.choice(w.v["bacteremia"][negation])
        before, inside, after = (phrase.partition("[")[0], *phrase.partition("[")[2].partition("]")[::2]) \
            if "[" in phrase else ("", phrase, "")
        b.add(before, noisy=False)
        start = b.mark()
        b.add(inside, noisy=False)
        if negation == "Present":  # the organism is inside the bacteraemia mention (FORMAT.md)
            b.add(after + " à ", noisy=False)
            b.ent(rng.choice(inf["bacteria"][species]), "infectio", "Bacterie", negation="Present",
                  normalized=species)
            after = ""
        b.span_since(start, "infectio", "Bacteriemie", negation=negation, normalized=None)
        b.add(after + ".\n", noisy=False)
        if micro:
            organisms = [species]
            if rng.random() < 0.2:
                other = rng.choice([s for s in sorted(inf["bacteria"]) if s != species])
                b.add("Culture polymicrobienne, présence également de ", noisy=False)
                b.ent(rng.choice(inf["bacteria"][other]), "infectio", "Bacterie", negation="Present",
                      normalized=other)
                b.add(".\n", noisy=False)
                organisms.append(other)
            _antibiograms(w, b, organisms)
            if rng.random() < w.v["antibiotic_line_rate"]:
                _antibiotic_line(w, b)
        elif rng.random() < 0.3:
            other = rng.choice(sorted(inf["bacteria"]))
            template = rng.choice(w.v["absent_organism"])
            before, after = template.split("{organism}")
            b.add(before, noisy=False)
            b.ent(rng.choice(inf["bacteria"][other]), "infectio", "Bacterie", negation="Absent",
                  normalized=other)
            b.add(after + "\n", noisy=False)
    return extra


def _antibiotic_line(w: _Writer, b: TextBuilder) -> None:
    """What was given, with its dose as prescriptions write it ("céfotaxime 2 g x 3 IV", "cefepime
    2g x3"): a drug the first organism is susceptible to (S), never an identifier."""
    rng, doses = w.rng, w.v["antibiotic_doses"]
    first = b.antibiogram[0].organism if b.antibiogram else None
    usable = sorted({s.antibiotic for s in b.antibiogram if s.organism == first and s.result == "S" and s.antibiotic in doses})
    if not usable:
        return
    drug = rng.choice(usable)
    name = drug if rng.random() < 0.7 else strip_accents(drug)
    line = rng.choice(w.v["antibiotic_lines"]).format(drug=name, dose=rng.choice(doses[drug]), days=rng.choice((5, 7, 10, 14, 21)))
    b.add("\n" + line + "\n")


def _other_infection(w: _Writer, b: TextBuilder, diagnosed: str) -> None:
    """An infection ruled out or suspected besides the diagnosis ("Pas de [méningite]", "Suspicion
    de [pyélonéphrite]", "[endocardite] à éliminer"): the cue outside the span (FORMAT.md)."""
    rng, other = w.rng, w.v["other_infections"]
    name = rng.choice([i for i in other["infections"] if i != diagnosed.lower()])
    negation = rng.choice(("Absent", "Indetermine"))
    phrase = rng.choice(other[negation]).replace("{i}", name)
    if name[0] in "aeéiouy":
        phrase = phrase.replace("de [", "d'[")
    before, rest = phrase.split("[")
    inside, after = rest.split("]")
    if not before:
        inside = inside[0].upper() + inside[1:]
    b.add(before, noisy=False)
    b.ent(inside, "infectio", "Infection", negation=negation, normalized=None)
    b.add(after + " ", noisy=False)


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


def _antibiograms(w: _Writer, b: TextBuilder, organisms: list[str]) -> None:
    """One table per organism, or one table with a column per organism when they share a panel."""
    rng, inf = w.rng, lexicon("infectiology")
    drawn = []
    for species in organisms:
        panel = inf["panels"][_panel_of(species)]
        phenotype, enzyme = _phenotype_for(rng, species), rng.choice(inf["enzymes"])
        results = clinical.draw_susceptibility(rng, species, panel, phenotype, enzyme)
        drawn.append((species, panel, phenotype, enzyme, results))
    if len(drawn) == 2 and drawn[0][1] == drawn[1][1] and rng.random() < 0.7:
        _side_by_side(w, b, drawn)
    else:
        for species, panel, _, _, results in drawn:
            _antibiogram_table(w, b, species, panel, results)
    for species, _, phenotype, enzyme, _ in drawn:
        _phenotype_sentence(w, b, species, phenotype, enzyme)


def _antibiogram_table(w: _Writer, b: TextBuilder, species: str, panel: list[str], results: dict) -> None:
    from partages_core.corpus.model import Susceptibility

    rng, inf = w.rng, lexicon("infectiology")
    layout = rng.randrange(6)
    mics = {ab: clinical.mic_for(rng, ab, results[ab]) for ab in panel}
    if layout == 3 and any(m is None for m in mics.values()):
        layout = 2
    version = rng.choice(w.v["versions"]).format(vy=rng.choice((TODAY.year - 1, TODAY.year)))
    head = rng.choice(("\nANTIBIOGRAMME ({})\n", "\nAntibiogramme - {}\n", "\nAntibiogramme (méthode EUCAST / CA-SFM) : {}\n",
                       "\nANTIBIOGRAMME - {} (" + version + ")\n", "\nAntibiogramme ({}, " + version + ")\n"))
    before, after = head.split("{}")
    b.add(before, noisy=False)  # the organism in a table header is a mention too (FORMAT.md)
    b.ent(species, "infectio", "Bacterie", negation="Present", normalized=species)
    b.add(after, noisy=False)
    if layout == 3:
        b.add(f"{'Antibiotique':<34}{'CMI (mg/L)':<12}Interprétation\n", noisy=False)
    elif layout == 4:
        b.add("Antibiotique | Catégorie\n", noisy=False)
    elif layout == 5:
        b.add("Diffusion en gélose (diamètres en mm)\n", noisy=False)
    for antibiotic in panel:
        result, info = results[antibiotic], inf["antibiotics"][antibiotic]
        start = b.mark()
        if layout == 0:
            b.add(f"{antibiotic.capitalize()} {'.' * max(2, 30 - len(antibiotic))} {result}", noisy=False)
        elif layout == 1:
            b.add(f"{info['abbr']}: {result}", noisy=False)
        elif layout == 2:
            b.add(f"{antibiotic:<32}{result}", noisy=False)
        elif layout == 3:
            b.add(f"{antibiotic.capitalize():<34}{mics[antibiotic]:<12}{result}", noisy=False)
        elif layout == 5:  # a zone diameter (mm), read against the S/R breakpoints: R small, S large
            diameter = rng.randrange(6, 17) if result == "R" else rng.randrange(17, 22) if result == "I" else rng.randrange(22, 36)
            b.add(f"{info['abbr']:<5}{diameter:>3}  {result}", noisy=False)
        else:
            b.add(f"{antibiotic.capitalize()} ({info['abbr']}) | {result}", noisy=False)
        b.antibiogram.append(Susceptibility(species, antibiotic, info["atc"], result, start, b.mark()))
        b.add("\n", noisy=False)


def _side_by_side(w: _Writer, b: TextBuilder, drawn: list) -> None:
    from partages_core.corpus.model import Susceptibility

    inf = lexicon("infectiology")
    names = [d[0] for d in drawn]
    b.add(f"\nANTIBIOGRAMMES\n{'Antibiotique':<34}", noisy=False)
    b.ent(names[0], "infectio", "Bacterie", negation="Present", normalized=names[0])
    b.add(" " * max(0, 28 - len(names[0])), noisy=False)
    b.ent(names[1], "infectio", "Bacterie", negation="Present", normalized=names[1])
    b.add("\n", noisy=False)
    for antibiotic in drawn[0][1]:
        info = inf["antibiotics"][antibiotic]
        start = b.mark()
        first = drawn[0][4][antibiotic]
        b.add(f"{antibiotic.capitalize():<34}{first}", noisy=False)
        b.antibiogram.append(Susceptibility(names[0], antibiotic, info["atc"], first, start, b.mark()))
        second = drawn[1][4][antibiotic]
        b.add(" " * 27 + second, noisy=False)
        b.antibiogram.append(Susceptibility(names[1], antibiotic, info["atc"], second, start, b.mark()))
        b.add("\n", noisy=False)


def _phenotype_sentence(w: _Writer, b: TextBuilder, species: str, phenotype: tuple[str, bool] | None,
                        enzyme: str) -> None:
    if not phenotype:
        return
    rng, inf = w.rng, lexicon("infectiology")
    name, negated = phenotype
    choices = inf["phenotypes"][name]["negated" if negated else "phrases"]
    text = rng.choice(choices).replace("{enzyme}", enzyme)
    b.add(rng.choice(("\nConclusion : ", "\nPhénotype de résistance : ", "\nCommentaire : ")), noisy=False)
    b.ent(text, "resistance", name, organism=species, negation="Absent" if negated else "Present",
          inferred=False, enzyme=enzyme if name == "EPC" and not negated else None)
    b.add(".\n", noisy=False)


def _phenotype_for(rng: random.Random, species: str) -> tuple[str, bool] | None:
    """A resistance mechanism the species can carry (EUCAST expert rules), stated or ruled out."""
    if rng.random() < 0.35:
        return None
    options = clinical.mechanisms_for(species)
    if not options:
        return None
    return (rng.choice(options), rng.random() < 0.3)


# --- patients -----------------------------------------------------------------------------
def _trigram(rng: random.Random) -> str:
    return "".join(rng.choice(TRIGRAM_LETTERS) for _ in range(3))


def generate(n_patients: int, seed: int) -> Iterator[Patient]:
    """Yield ``n_patients`` fictional patients with their documents and gold layers."""
    if n_patients < 1:
        from partages_core.errors import InputError

        raise InputError(f"patients: must be at least 1, got {n_patients}")
    rng = random.Random(seed)
    specs, variety = lexicon("specialties"), lexicon("variety")
    sites = clinical.rules()["sites"]
    site_names = sorted(sites)
    specialty_names = sorted(specs)
    for i, pool in enumerate(_pool_sequence(rng, n_patients)):
        specialty = rng.choice(POOL_SPECIALTIES.get(pool, specialty_names))
        spec = specs[specialty]
        facility = variety["facilities"][rng.randrange(len(variety["facilities"]))]
        site = rng.choice(site_names) if pool.startswith("CU 5") else None
        cancer = {"site": site, "icd10": sites[site]["icd10"]} if site else None
        if cancer:
            diagnosis = (cancer["icd10"], next((label for code, label in spec["diagnoses"] if code == cancer["icd10"]), f"Tumeur maligne ({site})"))
        elif pool == "CU 6 - Infectiology":
            diagnosis = tuple(rng.choice(specs["maladies-infectieuses"]["diagnoses"]))
        else:
            diagnosis = tuple(rng.choice(spec["diagnoses"]))
        sex = _sex_for(rng, diagnosis[0], cancer)
        age = rng.randrange(1, 14) if specialty == "pediatrie" else \
            rng.randrange(18, 44) if diagnosis[0].startswith("O") else \
            rng.randrange(45, 90) if diagnosis[0].startswith(("C61", "N40")) else rng.randrange(18, 95)
        admission = TODAY - dt.timedelta(days=rng.randrange(*ident.ADMISSION_DAYS))
        origin = rng.choice(variety["foreign"]["origins"]) if rng.random() < variety["foreign"]["rate"] else None
        identity = ident.identity(rng, admission, age, sex, origin, variety["places"])
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


def _pool_sequence(rng: random.Random, n: int) -> list[str]:
    """The pools of ``n`` patients in POOL_WEIGHTS' proportions exactly (largest remainder), in a
    seeded order: a small commons holds every use case in its share, not as the draw falls."""
    exact = {pool: w * n for pool, w in POOL_WEIGHTS.items()}
    counts = {pool: int(x) for pool, x in exact.items()}
    for pool in sorted(exact, key=lambda p: counts[p] - exact[p])[:n - sum(counts.values())]:
        counts[pool] += 1
    sequence = [pool for pool, c in counts.items() for _ in range(c)]
    rng.shuffle(sequence)
    return sequence


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
        yield w.document("ANAPATH", 1, _anapath_extra(cancer["site"])(w), body=(("Renseignements cliniques", ["consult_opening"]),))
        if rng.random() < 0.6:
            yield w.document("CRC", 2)
    elif pool == "CU 5b - Oncology (response to treatment)":
        yield w.document("ANAPATH", 1, _anapath_extra(cancer["site"])(w), body=(("Renseignements cliniques", ["consult_opening"]),))
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
