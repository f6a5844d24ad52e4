"""Seeded fictional identities (never real people) and French identifier and date formats.

Name, street and job lists come from Faker's ``fr_FR`` providers; sampling uses our own seeded
``random.Random`` so that the same seed gives the same corpus, fast.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module

from faker.providers.address.fr_FR import Provider as _Address
from faker.providers.job.fr_FR import Provider as _Job
from faker.providers.person.fr_FR import Provider as _Person
from stdnum.fr import nir as _nir

FIRST_NAMES = {"M": tuple(_Person.first_names_male), "F": tuple(_Person.first_names_female)}
LAST_NAMES = tuple(_Person.last_names)
STREET_TYPES = ("rue", "avenue", "boulevard", "chemin", "allée", "impasse", "place")
DEPARTMENTS = tuple(d for d in _Address.departments if d[0].isdigit() and len(d[0]) == 2)
JOBS = tuple(j for j in _Job.jobs if len(j) < 40)
CITY_SUFFIXES = ("", "-sur-Loire", "-le-Château", "-les-Bains", "ville", "-en-Bresse", "-la-Forêt")
PARTICLES = ("de", "de la", "du", "Le")
# Surnames of two words as French registries write them (Breton "Le", Maghreb "Ben", Portuguese "Da" / "Dos",
# Flemish "Van"): the hand-written notes hold many, Faker's French list eight
PARTICLE_SURNAMES = ("Le Gall", "Le Goff", "Le Bihan", "Le Moal", "Le Bris", "Le Bras", "Le Guen", "Le Floch", "Le Meur",
                     "Le Corre", "Le Pape", "Le Berre", "Le Hir", "Le Du", "Ben Amor", "Ben Ammar", "Ben Salah", "Ben Ali",
                     "Ben Youssef", "Da Silva", "Da Costa", "Dos Santos", "De Sousa", "Van Hecke", "Van Damme",
                     "van der Berg", "Van den Bossche", "De Smet", "Di Stefano", "Del Rio")

# The commons' calendar: the day its documents are written up to. Stays run over about five years
# before it (the hand-written set and real notes are dated up to the current year, not one frozen year).
TODAY = dt.date(2026, 11, 30)
ADMISSION_DAYS = (30, 1800)   # admission = TODAY minus this many days (uniform)
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")
# the abbreviations typists and software print ("20 nov. 2026", "févr. 2025"); "mars", "mai", "juin", "août" stay whole
MONTHS_ABBR = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


_UNITS = ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze",
          "douze", "treize", "quatorze", "quinze", "seize")
_TENS = {20: "vingt", 30: "trente", 40: "quarante", 50: "cinquante", 60: "soixante", 80: "quatre-vingt"}


def number_words(n: int) -> str:
    """A number below 10,000 in French words (1990 rules: hyphens everywhere), as dictated dates are typed."""
    if n < 17:
        return _UNITS[n]
    if n < 20:
        return "dix-" + _UNITS[n - 10]
    if n < 100:
        tens = n // 10 * 10 if n < 70 or 80 <= n < 90 else n // 20 * 20
        rest = n - tens
        word = _TENS[tens]
        if rest == 0:
            return word + ("s" if tens == 80 else "")
        if rest in (1, 11) and tens not in (80,):
            return f"{word}-et-{number_words(rest)}"
        return f"{word}-{number_words(rest)}"
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        word = "cent" if hundreds == 1 else f"{_UNITS[hundreds]}-cent" + ("s" if rest == 0 else "")
        return word if rest == 0 else f"{word}-{number_words(rest)}"
    thousands, rest = divmod(n, 1000)
    word = "mille" if thousands == 1 else f"{number_words(thousands)}-mille"
    return word if rest == 0 else f"{word}-{number_words(rest)}"


def format_date(date: dt.date, style: str) -> str:
    """Write a date the way a facility or a writer does: slash4, slash2, dot2, long, iso, dash4,
    weekday_long, short (le 3/4), dot4 (21.04.1969), day_month_num (16/02), day_month (3 mars), month_year (mars 2024),
    long_abbr (20 nov. 2026), day_month_abbr (9 déc.), slash4_loose (5/3/2026), spelled (trois mars
    deux mille vingt-quatre, as a dictated letter is typed) or spelled_loose (the same in old
    spelling, spaces and no accents: "vingt deux fevrier deux mille vingt six")."""
    if style == "spelled":
        day = "premier" if date.day == 1 else number_words(date.day)
        return f"{day} {MONTHS[date.month - 1]} {number_words(date.year)}"
    if style == "spelled_loose":
        from partages_core.corpus.builder import strip_accents

        day = "premier" if date.day == 1 else number_words(date.day)
        return strip_accents(f"{day} {MONTHS[date.month - 1]} {number_words(date.year)}".replace("-", " "))
    if style == "day_month":
        return f"{'1er' if date.day == 1 else date.day} {MONTHS[date.month - 1]}"
    if style in ("long_abbr", "day_month_abbr"):
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {MONTHS_ABBR[date.month - 1]}" + (f" {date.year}" if style == "long_abbr" else "")
    if style == "slash4_loose":
        return f"{date.day}/{date.month}/{date.year}"
    if style == "month_year":
        return f"{MONTHS[date.month - 1]} {date.year}"
    if style == "iso":
        return date.isoformat()
    if style == "dash4":
        return f"{date.day:02d}-{date.month:02d}-{date.year}"
    if style == "weekday_long":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{WEEKDAYS[date.weekday()]} {day} {MONTHS[date.month - 1]} {date.year}"
    if style == "slash4":
        return f"{date.day:02d}/{date.month:02d}/{date.year}"
    if style == "slash2":
        return f"{date.day:02d}/{date.month:02d}/{date.year % 100:02d}"
    if style == "dot2":
        return f"{date.day:02d}.{date.month:02d}.{date.year % 100:02d}"
    if style == "long":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {MONTHS[date.month - 1]} {date.year}"
    if style == "short":
        return f"{date.day}/{date.month}"
    if style == "dot4":
        return f"{date.day:02d}.{date.month:02d}.{date.year}"
    if style == "day_month_num":   # "16/02": a day and month without the year
        return f"{date.day:02d}/{date.month:02d}"
    raise ValueError(f"date style {style!r} is unknown")


def make_nir(rng: random.Random, sex: str, birth: dt.date, department: str,
             commune: str | None = None) -> str:
    """A NIR with a valid key (97 - n mod 97), written with the usual spaces. People born abroad
    have department 99 and the INSEE code of their country in place of the commune."""
    commune = commune or f"{rng.randrange(1, 990):03d}"
    body = (f"{1 if sex == 'M' else 2}{birth.year % 100:02d}{birth.month:02d}{department}"
            f"{commune}{rng.randrange(1, 999):03d}")
    key = _nir.calc_check_digits(body)
    return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key}"


def format_nir(nir: str, style: int) -> str:
    """The same NIR as systems print it: spaced, compact, dotted, key apart, or digit by digit."""
    digits = nir.replace(" ", "")
    if style == 1:
        return digits
    if style == 2:
        return f"{digits[0]}.{digits[1:3]}.{digits[3:5]}.{digits[5:7]}.{digits[7:10]}.{digits[10:13]}.{digits[13:]}"
    if style == 3:
        return f"{digits[:13]} {digits[13:]}"
    if style == 4:  # digit by digit, as some forms are filled in
        return " ".join(digits)
    return nir


def format_ipp(raw: str, style: str) -> str:
    """An IPP (patient number) in the facility's print format."""
    if style == "dashed":
        return f"{raw[:3]}-{raw[3:6]}-{raw[6:]}"
    if style == "spaced":
        return f"{raw[1:3]} {raw[3:6]} {raw[6:]}"
    if style == "prefixed":
        return f"PAT{raw[2:]}"
    if style == "spaced3":      # 8 001 442 637
        return f"{raw[0]} {raw[1:4]} {raw[4:7]} {raw[7:]}"
    kind, _, letters = style.partition(":")   # a writer's own letters ("CAH 44 18 207", "V-0200-99413")
    if kind == "lettered":
        return f"{letters}{raw[3:]}"
    if kind == "lettered_spaced":
        return f"{letters} {raw[3:5]} {raw[5:7]} {raw[7:]}"
    if kind == "lettered_dash":
        return f"{letters}-{raw[:4]}-{raw[4:9]}"
    if kind == "trigram":            # TRS-3390117
        return f"{letters}-{raw[3:10]}"
    if kind == "trigram_groups":     # NTS-3355-0127
        return f"{letters}-{raw[2:6]}-{raw[6:10]}"
    if kind == "letters_space4":     # IPC 0078 3312
        return f"{letters} {raw[2:6]} {raw[6:10]}"
    if style == "grouped_342":       # 740-3318-92
        return f"{raw[:3]}-{raw[3:7]}-{raw[7:9]}"
    if style == "spaced_2332":       # 14 002 558 13
        return f"{raw[:2]} {raw[2:5]} {raw[5:8]} {raw[8:10]}"
    if style == "dash_2_7":          # 66-0283391
        return f"{raw[:2]}-{raw[2:9]}"
    return raw


def format_nda(raw: str, style: str, year: int) -> str:
    """A stay number (NDA / numéro de venue) in the facility's print format."""
    digits = raw[1:]
    if style == "year_slash":
        return f"{year % 100:02d}/{digits[:6]}"
    if style == "year_dash":
        return f"{year}-{digits[:7]}"
    if style == "digits9":
        return f"{year % 100:02d}{digits[:7]}"
    if style == "unit_year":    # 640-26-88102
        return f"{digits[:3]}-{year % 100:02d}-{digits[3:]}"
    kind, _, letters = style.partition(":")   # "URG-26-014528", "V26003991", "NDA-26-004118"
    if kind == "prefix_year":
        return f"{letters}-{year % 100:02d}-{digits[:6]}"
    if kind == "prefix_compact":
        return f"{letters}{year % 100:02d}{digits[:6]}"
    yy = f"{year % 100:02d}"
    if kind == "prefix_stamp":       # SJ-2604-22871
        return f"{letters}-{yy}{digits[:2]}-{digits[2:7]}"
    if kind == "prefix_stamp_tail":  # CSM260108-22, BF-0316-5521
        return f"{letters}{yy}{digits[:4]}-{digits[4:6]}" if len(letters) > 2 else f"{letters}-{digits[:4]}-{digits[4:8]}"
    if style == "stamp_groups":      # 2603-1157-44
        return f"{yy}{digits[:2]}-{digits[2:6]}-{digits[6:8]}"
    if style == "stamp_dash":        # 260218-4410
        return f"{yy}{digits[:4]}-{digits[4:8]}"
    if style == "year_3_4":          # 26-004-5519
        return f"{yy}-{digits[:3]}-{digits[3:7]}"
    if style == "year_short":        # 26-009183
        return f"{yy}-{digits[:6]}"
    return raw


def exam_number(rng: random.Random, kind: str, year: int) -> str:
    """A pathology, sample or lab request number in one of the common shapes."""
    n = rng.randrange(10**4, 10**6)
    yy = year % 100
    shapes = {
        "ANAPATH": (f"H{yy:02d}-{n:06d}", f"{yy:02d}P{n:06d}", f"AP-{year}-{n:05d}"[:14], f"B{yy:02d}.{n:06d}"),
        "MICROBIOLOGIE": (f"{yy:02d}B{n:07d}", f"M{yy:02d}-{n:06d}", f"{n:06d}/{yy:02d}"),
    }.get(kind, (f"{yy:02d}{n:08d}", f"D{yy:02d}-{n:06d}"))
    if rng.random() < 0.5:
        return composed_number(rng, year)
    return rng.choice(shapes)


def composed_number(rng: random.Random, year: int) -> str:
    """A request, sample or block number in one of the many shapes lab systems print: a letter
    prefix (or none), the year, a counter, separators, sometimes a block or tube suffix."""
    letters = "ABCDEFGHIJKLMNPRSTUVW"
    prefix = "".join(rng.choice(letters) for _ in range(rng.choice((0, 1, 1, 2, 3))))
    yy = f"{year % 100:02d}" if rng.random() < 0.8 else str(year)
    sep = rng.choice(("-", "-", "/", ".", "", " "))
    counter = f"{rng.randrange(10 ** rng.randrange(3, 7), 10 ** 7)}"[:rng.choice((4, 5, 6, 7))]
    r = rng.random()
    if r < 0.2:  # date-stamped: 260214-0387
        body = f"{yy[-2:]}{rng.randrange(1, 13):02d}{rng.randrange(1, 29):02d}-{counter[:4]}"
    elif r < 0.4:  # a letter inside: B26-1203, 26-M-3390, 26H-04418, 2601-4471, 2602L04471, 26/0219/4402
        inner, mm = rng.choice(letters), f"{rng.randrange(1, 13):02d}"
        body = rng.choice((f"{inner}{yy[-2:]}-{counter[:4]}", f"{yy[-2:]}-{inner}-{counter[:4]}", f"{yy[-2:]}{inner}-{counter}",
                           f"{yy[-2:]}{mm}-{counter[:4]}", f"{yy[-2:]}{mm}{inner}{counter}", f"{yy[-2:]}/{mm}{rng.randrange(1, 29):02d}/{counter[:4]}"))
    else:
        body = f"{yy}{sep}{counter}"
    number = f"{prefix}{rng.choice(('-', '', ' ')) if prefix else ''}{body}"
    r = rng.random()
    if r < 0.15:
        number += f"-{rng.choice('ABCD')}{rng.randrange(1, 9)}"
    elif r < 0.25:
        number += f" {rng.choice('ABCD')}{rng.randrange(1, 9)}"
    return number


def rpps(rng: random.Random) -> str:
    """An 11-digit RPPS-shaped number (fictional: 10 followed by nine digits)."""
    return f"10{rng.randrange(10**9):09d}"


def foreign_phone(rng: random.Random, prefix: str) -> str:
    """An international number as written in French records (+CC then groups)."""
    groups = " ".join(f"{rng.randrange(100, 1000)}" for _ in range(3))
    return f"{prefix} {groups}"


# Overseas departments' numbers as written in mainland records: (landline area, mobile prefix, +CC).
OVERSEAS_PHONES = (("0262", "0692", "+262"), ("0590", "0690", "+590"), ("0596", "0696", "+596"),
                   ("0594", "0694", "+594"), ("0269", "0639", "+262"))


def personal_phone(rng: random.Random) -> str:
    """A person's own number: mostly a mobile (06 / 07), in the forms records and notes print it
    (spaced, dotted, run together, dashed, +33), sometimes an overseas department's number."""
    if rng.random() < 0.06:
        land, mobile, cc = rng.choice(OVERSEAS_PHONES)
        head = mobile if rng.random() < 0.6 else land
        tail = [f"{rng.randrange(100):02d}" for _ in range(3)]
        return f"{cc} {head[1:]} " + " ".join(tail) if rng.random() < 0.3 else f"{head} " + " ".join(tail)
    first = rng.choice("67") if rng.random() < 0.65 else rng.choice("12345")
    digits = [f"0{first}"] + [f"{rng.randrange(100):02d}" for _ in range(4)]
    r = rng.random()
    if r < 0.45:
        return " ".join(digits)
    if r < 0.6:
        return ".".join(digits)
    if r < 0.72:
        return "".join(digits)
    if r < 0.8:
        return "-".join(digits)
    if r < 0.86:
        return "/".join(digits)
    return f"+33 {first} " + " ".join(digits[1:]) if r < 0.95 else f"+33 (0){first} " + " ".join(digits[1:])


def direct_line(rng: random.Random, switchboard: str) -> str:
    """A unit's direct line: the facility's switchboard number with its last four digits changed,
    written the same way (hospitals number their lines in one block)."""
    head, tail = switchboard[:-5], switchboard[-5:]
    sep = tail[2] if not tail[2].isdigit() else ""
    return f"{head}{rng.randrange(100):02d}{sep}{rng.randrange(100):02d}"


def extension(rng: random.Random) -> str:
    """An internal extension, pager or DECT number, as staff write it ("4417", "4 27 18", "62 418")."""
    n = rng.randrange(1000, 100000) if rng.random() < 0.5 else rng.randrange(1000, 10000)
    text = str(n)
    r = rng.random()
    if len(text) == 5 and r < 0.4:
        return f"{text[0]} {text[1:3]} {text[3:]}" if r < 0.2 else f"{text[:2]} {text[2:]}"
    if len(text) == 4 and r < 0.3:
        return f"{text[:2]} {text[2:]}"
    return text


@dataclass
class Person:
    """A fictional person; ``first``/``last`` as written (last may be hyphenated or particled)."""

    first: str
    last: str
    sex: str


def person(rng: random.Random, sex: str | None = None) -> Person:
    sex = sex or rng.choice("MF")
    first = rng.choice(FIRST_NAMES[sex])
    r = rng.random()
    if r < 0.08:
        last = f"{rng.choice(LAST_NAMES)}-{rng.choice(LAST_NAMES)}"
    elif r < 0.13:
        last = f"{rng.choice(PARTICLES)} {rng.choice(LAST_NAMES)}"
    elif r < 0.18:
        last = rng.choice(PARTICLE_SURNAMES)
    else:
        last = rng.choice(LAST_NAMES)
    if rng.random() < 0.05:
        first = f"{first}-{rng.choice(FIRST_NAMES[sex])}"
    return Person(first, last, sex)


@lru_cache(maxsize=None)
def _names(locale: str) -> tuple[dict, tuple]:
    """First and last names of a Faker locale (weighted dicts flattened to their keys)."""
    provider = import_module(f"faker.providers.person.{locale}").Provider
    firsts = {sex: tuple(getattr(provider, f"first_names_{'male' if sex == 'M' else 'female'}",
                                  provider.first_names)) for sex in "MF"}
    return firsts, tuple(provider.last_names)


def foreign_person(rng: random.Random, locale: str, sex: str | None = None) -> Person:
    sex = sex or rng.choice("MF")
    firsts, lasts = _names(locale)
    return Person(rng.choice(firsts[sex]), rng.choice(lasts), sex)


def birth_date_for(rng: random.Random, on: dt.date, age: int) -> dt.date:
    """A birth date such that the person is exactly ``age`` (completed years) on ``on``."""
    def years_before(n: int) -> dt.date:
        try:
            return on.replace(year=on.year - n)
        except ValueError:  # 29 February
            return on.replace(year=on.year - n, day=28)
    latest, earliest = years_before(age), years_before(age + 1) + dt.timedelta(days=1)
    return earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))


def age_on(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def resident(rng: random.Random, sex: str | None = None, places: dict | None = None) -> Person:
    """Someone living in France: mostly a French name, otherwise a name from one of the families
    of names France holds (``places.resident_locales`` in variety.yaml: Maghreb, West Africa,
    Vietnam, Portugal, Spain...), written the French way (no Vietnamese diacritics)."""
    locales = (places or {}).get("resident_locales")
    if not locales or rng.random() >= places.get("resident_other_rate", 0.0):
        return person(rng, sex)
    p = foreign_person(rng, rng.choice(locales), sex)
    return Person(_latin(p.first), _latin(p.last), p.sex)


def _relative_names(rng: random.Random, patient: Person) -> tuple[str, str]:
    """A relative's first and last name: often the patient's surname (a child, a sibling)."""
    other = person(rng)
    return other.first, patient.last if rng.random() < 0.5 else other.last


def _latin(text: str) -> str:
    """Vietnamese and other diacritics French registries do not keep (é, è, ç, ï stay)."""
    import unicodedata

    keep = set("éèêëàâäîïôöùûüçÉÈÊÀÂÎÔÙÛÇ")
    return "".join(c if c in keep else unicodedata.normalize("NFD", c)[0] for c in text.replace("Đ", "D").replace("đ", "d"))


def street(rng: random.Random, places: dict | None = None) -> str:
    """A street line: number (sometimes bis/ter, sometimes none), street type and a name, either a
    person (Faker's French names) or one of the common street names of ``places`` (variety.yaml)."""
    kind = rng.choice(STREET_TYPES + tuple((places or {}).get("street_types", ())))
    if places and rng.random() < 0.6:
        name = rng.choice(places["street_names"])
    elif rng.random() < 0.5:
        name = f"{rng.choice(FIRST_NAMES['M'])} {rng.choice(LAST_NAMES)}"
    else:
        name = f"{rng.choice(('du Docteur', 'du Général', 'du Professeur', 'de la', 'Jean', 'Pierre'))} {rng.choice(LAST_NAMES)}"
    r = rng.random()
    number = "" if r < 0.15 else f"{rng.randrange(1, 140)}{rng.choice((' bis', ' ter', 'bis', ' B'))}" if r < 0.23 \
        else str(rng.randrange(1, 300))
    line = f"{number}{',' if number and rng.random() < 0.15 else ''} {kind} {name}".strip()
    return line[0].upper() + line[1:] if not number else line


def city(rng: random.Random, places: dict | None = None) -> str:
    """A French town: a real commune name from ``places`` most of the time, else a made-up one."""
    if places and rng.random() < 0.7:
        return rng.choice(places["cities"])
    return rng.choice(LAST_NAMES) + rng.choice(CITY_SUFFIXES)


def identity(rng: random.Random, today: dt.date, age: int, sex: str, origin: dict | None = None,
             places: dict | None = None) -> dict:
    """Everything a report may reveal about a patient, plus relatives and their GP.

    ``origin`` (from ``variety.yaml``) makes a patient born abroad: name from that locale, birth
    place abroad, NIR department 99 with the country's INSEE code, a relative's foreign phone."""
    p = foreign_person(rng, origin["locale"], sex) if origin else resident(rng, sex, places)
    birth = birth_date_for(rng, today, age)
    dep_num, dep_name = rng.choice(DEPARTMENTS)
    town = city(rng, places)
    postcode = f"{dep_num}{rng.randrange(0, 1000):03d}"
    address = street(rng, places)
    relative = foreign_person(rng, origin["locale"]) if origin else \
        Person(*_relative_names(rng, p), sex=rng.choice("MF"))
    gp = resident(rng, None, places)
    if origin:
        birth_place = {"city": rng.choice(origin["cities"]), "country": origin["country"]}
        nir = make_nir(rng, sex, birth, "99", origin["insee"])
        relative_phone = foreign_phone(rng, origin["prefix"]) if rng.random() < 0.6 else personal_phone(rng)
    else:
        birth_place = {"city": city(rng, places), "country": "France"}
        nir = make_nir(rng, sex, birth, dep_num if dep_num.isdigit() else "75")
        relative_phone = personal_phone(rng)
    return {
        "first": p.first, "last": p.last, "sex": sex, "birth_date": birth.isoformat(),
        "address": address, "city": town, "postcode": postcode, "department": dep_name,
        "phone": personal_phone(rng),
        "email": f"{_ascii(p.first)}.{_ascii(p.last)}{rng.randrange(10, 99)}@{rng.choice(('laposte.net', 'orange.fr', 'gmail.com', 'free.fr'))}",
        "nir": nir, "birth_place": birth_place,
        "origin": origin["country"] if origin else None,
        "ipp": f"{rng.randrange(10**9, 10**10)}",
        "nda": f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7, 10**8)}",
        "profession": rng.choice(JOBS),
        "relative": {"first": relative.first, "last": relative.last, "sex": relative.sex,
                     "phone": relative_phone},
        "gp": {"first": gp.first, "last": gp.last, "sex": gp.sex},
    }


def _ascii(text: str) -> str:
    import unicodedata

    flat = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in flat if c.isalnum() and c.isascii())
