"""Seeded fictional identities (never real people) and French identifier and date formats.

Name, street and job lists come from Faker's ``fr_FR`` providers; sampling uses our own seeded
``random.Random`` so that the same seed gives the same corpus, fast.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

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

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
          "octobre", "novembre", "décembre")


def format_date(date: dt.date, style: str) -> str:
    """Write a date the way a facility does: slash4, slash2, dot2, long or short (le 3/4)."""
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
    raise ValueError(f"date style {style!r} is unknown")


def make_nir(rng: random.Random, sex: str, birth: dt.date, department: str) -> str:
    """A NIR with a valid key (97 - n mod 97), written with the usual spaces."""
    body = (f"{1 if sex == 'M' else 2}{birth.year % 100:02d}{birth.month:02d}{department}"
            f"{rng.randrange(1, 990):03d}{rng.randrange(1, 999):03d}")
    key = _nir.calc_check_digits(body)
    return f"{body[0]} {body[1:3]} {body[3:5]} {body[5:7]} {body[7:10]} {body[10:13]} {key}"


def phone(rng: random.Random, style: int) -> str:
    """A French phone number in one of the written forms (spaces, dots, +33)."""
    first = rng.choice("1234567")
    digits = [f"{rng.randrange(100):02d}" for _ in range(4)]
    if style == 0:
        return f"0{first} " + " ".join(digits)
    if style == 1:
        return f"0{first}." + ".".join(digits)
    return f"+33 {first} " + " ".join(digits)


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
    else:
        last = rng.choice(LAST_NAMES)
    if rng.random() < 0.05:
        first = f"{first}-{rng.choice(FIRST_NAMES[sex])}"
    return Person(first, last, sex)


def identity(rng: random.Random, today: dt.date, age: int, sex: str) -> dict:
    """Everything a report may reveal about a patient, plus relatives and their GP."""
    p = person(rng, sex)
    birth = today - dt.timedelta(days=365 * age + rng.randrange(365))
    dep_num, dep_name = rng.choice(DEPARTMENTS)
    city = rng.choice(LAST_NAMES) + rng.choice(CITY_SUFFIXES)
    postcode = f"{dep_num}{rng.randrange(0, 1000):03d}"
    street = (f"{rng.randrange(1, 140)} {rng.choice(STREET_TYPES)} "
              f"{rng.choice(FIRST_NAMES['M'])} {rng.choice(LAST_NAMES)}")
    relative = person(rng)
    gp = person(rng)
    return {
        "first": p.first, "last": p.last, "sex": sex, "birth_date": birth.isoformat(),
        "address": street, "city": city, "postcode": postcode, "department": dep_name,
        "phone": phone(rng, rng.randrange(3)),
        "email": f"{_ascii(p.first)}.{_ascii(p.last)}{rng.randrange(10, 99)}@{rng.choice(('laposte.net', 'orange.fr', 'gmail.com', 'free.fr'))}",
        "nir": make_nir(rng, sex, birth, dep_num if dep_num.isdigit() else "75"),
        "ipp": f"{rng.randrange(10**9, 10**10)}",
        "nda": f"{rng.choice('ABCDEFGH')}{rng.randrange(10**7, 10**8)}",
        "profession": rng.choice(JOBS),
        "relative": {"first": relative.first, "last": relative.last, "sex": relative.sex,
                     "phone": phone(rng, rng.randrange(3))},
        "gp": {"first": gp.first, "last": gp.last, "sex": gp.sex},
    }


def _ascii(text: str) -> str:
    import unicodedata

    flat = unicodedata.normalize("NFD", text.lower())
    return "".join(c for c in flat if c.isalnum() and c.isascii())
