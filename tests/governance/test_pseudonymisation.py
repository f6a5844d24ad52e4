import datetime as dt
import re

import pytest
from stdnum.fr import nir

from partages_core.corpus.model import PSEUDO_LABELS
from partages_core.errors import InputError
from partages_core.governance.pseudonymisation import detect, pseudonymize, pseudonymize_stream
from partages_core.governance.surrogates import SurrogateMapping, parse_date, shift_date


def labels(text, context=None):
    return {(e["text"], e["label"]) for e in detect(text, context)}


def test_clinical_look_alikes_survive():
    text = ("Lymphome de Hodgkin classique, maladie de Crohn iléale, syndrome de Raynaud. "
            "HER2 positif (score 3+), KRAS muté, BRAF non muté, ALK réarrangé, PD-L1 à 50 %. "
            "Traitement par Herceptin et amoxicilline 1 g x3/j; Staphylococcus aureus SARM. "
            "Maladie de Parkinson, signe de Babinski, score de Glasgow à 15.")
    out = pseudonymize(text)
    assert out["entities"] == []
    assert out["text"] == text


def test_titles_initials_particles_and_upper_names():
    text = ("Vu par le Dr Jean-Pierre Martin et le Pr LEMAIRE. Mme DE LA FONTAINE Juliette, "
            "M. Lucas Dos Santos. Rédigé par X. Bodin. Validé par Docteur Noémi Moreau-Petit.\n"
            "Nom : GAUTHIER  Prénom : Monique\n")
    got = labels(text)
    for want in [("Jean-Pierre", "PRENOM"), ("Martin", "NOM"), ("LEMAIRE", "NOM"),
                 ("DE LA FONTAINE", "NOM"), ("Juliette", "PRENOM"), ("Lucas", "PRENOM"),
                 ("Dos Santos", "NOM"), ("X.", "PRENOM"), ("Bodin", "NOM"), ("Noémi", "PRENOM"),
                 ("Moreau-Petit", "NOM"), ("GAUTHIER", "NOM"), ("Monique", "PRENOM")]:
        assert want in got, want
    assert not any(t in ("Dr", "Pr", "Mme", "M.", "Docteur") for t, _ in got)


@pytest.mark.parametrize("date", ["12/03/2024", "12.03.24", "12/03/24", "12 mars 2024", "1er février 2023",
                                  "3 aout 2021"])
def test_date_formats_are_found_and_keep_their_format(date):
    text = f"Admission le {date}, sortie 3 jours plus tard."
    ents = detect(text)
    assert [(e["text"], e["label"]) for e in ents] == [(date, "DATE_IDENTIFIANTE")]
    shifted = shift_date(date, 40)
    assert shifted != date and parse_date(shifted)[1] == parse_date(date)[1]
    assert parse_date(shifted)[0] - parse_date(date)[0] == dt.timedelta(days=40)


def test_short_date_birth_date_and_non_identifying_bits():
    assert labels("Revu le 3/4 en consultation.") == {("3/4", "DATE_IDENTIFIANTE")}
    assert ("12/03/1948", "DATE_NAISSANCE") in labels("Patiente née le 12/03/1948, DDN confirmée.")
    assert ("09.03.79", "DATE_NAISSANCE") in labels("Philippine Lejeune (09.03.79)\n")
    assert labels("Cholécystectomie en 2014.") == {("2014", "DATE_NON_IDENTIFIANTE")}
    clinical = ("Apyrexie à J3, relais per os à J5, depuis 3 jours, il y a 48 heures, âgé de 72 ans, "
                "TA 160/105 mmHg, pT2N1M0 UICC 2017, 15 jours, Ki67 à 20 %.")
    assert detect(clinical) == []


def test_nir_is_checksum_validated_and_other_identifiers():
    body = "1850375123456"
    good = f"{body}{nir.calc_check_digits(body)}"
    bad = f"{body}{(int(nir.calc_check_digits(body)) + 1) % 97:02d}"
    assert (good, "ID") in labels(f"NIR {good}.")
    # a 15-digit number with a wrong key is not a NIR, but still a number to mask, with a lower score
    [strong] = detect(f"Numéro {good}.")
    [weak] = detect(f"Numéro {bad}.")
    assert weak["label"] == "ID" and weak["score"] < strong["score"]
    got = labels("IPP : 5387264885  NDA : B34951916\nTél. : 06 12 34 56 78 ou +33 2 97 56 63 70, "
                 "jean.dupont@chu-valmont.fr, https://www.chu-valmont.fr/page.\n"
                 "Adresse : 12 avenue du Professeur Lemaire, 45210 Valmont. CHU de Valmont.")
    for want in [("5387264885", "ID"), ("B34951916", "ID"), ("06 12 34 56 78", "TELEPHONE"),
                 ("+33 2 97 56 63 70", "TELEPHONE"), ("jean.dupont@chu-valmont.fr", "EMAIL"),
                 ("https://www.chu-valmont.fr/page", "URL"), ("12 avenue du Professeur Lemaire", "ADRESSE"),
                 ("45210", "CODE_POSTAL"), ("CHU de Valmont", "HOPITAL")]:
        assert want in got, want


def test_context_adds_the_patients_own_identifiers():
    ctx = {"first": "Zoé", "last": "Quintard", "birth_date": "1950-07-14", "city": "Brignac",
           "phone": "0612345678", "relative": {"first": "Paul", "last": "Quintard"}}
    text = "zoé quintard habite Brignac; né(e) en 1950, fête le 14/07/50; appeler 06.12.34.56.78."
    got = labels(text, ctx)
    assert {("zoé", "PRENOM"), ("quintard", "NOM"), ("Brignac", "VILLE"),
            ("14/07/50", "DATE_NAISSANCE"), ("06.12.34.56.78", "TELEPHONE")} <= got


def test_surrogates_are_consistent_shift_intervals_and_are_seeded():
    ctx = {"first": "Monique", "last": "Gauthier", "birth_date": "1948-08-06"}
    docs = ["Mme Monique GAUTHIER, entrée le 03/02/2024, sortie le 10/02/2024.",
            "Revue le 17/02/2024. Monique Gauthier va bien. Dr Paul Martin."]
    mapping = SurrogateMapping(seed=5, key="P1", secret="k1")
    outs = [pseudonymize(t, ctx, mapping=mapping) for t in docs]
    first = {e["text"]: e["replacement"] for o in outs for e in o["entities"]}
    assert first["GAUTHIER"] == first["Gauthier"].upper() and first["Monique"] != "Monique"
    d = [parse_date(first[x])[0] for x in ("03/02/2024", "10/02/2024", "17/02/2024")]
    assert (d[1] - d[0]).days == 7 and (d[2] - d[0]).days == 14
    shared = SurrogateMapping.from_dict(SurrogateMapping(seed=5, key="P1", secret="k1").to_dict())
    again = [pseudonymize(t, ctx, mapping=shared) for t in docs]
    assert again == outs
    other = pseudonymize(docs[0], ctx, mapping=SurrogateMapping(seed=6, key="P1", secret="k1"))
    assert other["text"] != outs[0]["text"]
    for o, t in zip(outs, docs):
        for e in o["entities"]:
            assert t[e["start"]:e["end"]] == e["text"]
        assert "Gauthier" not in o["text"] and "GAUTHIER" not in o["text"]
    names = pseudonymize("Mme DUMONT Claire et M. DE LA FONTAINE Paul.",
                         mapping=SurrogateMapping(seed=2, secret="k2"))["entities"]
    assert not re.match(r"(?:DU|DE|DES|DE LA|D')\s", names[0]["replacement"])  # no particle invented ("DUBOIS" is fine)
    assert names[2]["replacement"].startswith("DE LA ")
    nir_out = pseudonymize("NIR 1 85 03 75 123 456 " + nir.calc_check_digits("1850375123456"))
    assert nir.is_valid(nir_out["entities"][0]["replacement"].replace(" ", ""))


def test_bad_input_and_streaming_keeps_offsets():
    with pytest.raises(InputError):
        detect(b"bytes")  # type: ignore[arg-type]
    text = "\n\n".join(f"Vu le 0{i}/03/2024 par le Dr Paul Martin." for i in range(1, 10))
    whole = pseudonymize(text, seed=1, mapping=SurrogateMapping(seed=1, secret="k"))
    mapping = SurrogateMapping(seed=1, secret="k")
    parts = list(pseudonymize_stream([text[i:i + 7] for i in range(0, len(text), 7)], seed=1,
                                     mapping=mapping, max_chars=60, overlap=20))
    assert len(parts) > 3
    assert "".join(p["text"] for p in parts) == whole["text"]
    assert [e for p in parts for e in p["entities"]] == whole["entities"]


def test_quality_on_commons_fixture(commons):
    """Scored by the evaluation task (the one definition of leak and over-scrubbing)."""
    from partages_core.evaluation import runner
    from partages_core.evaluation.base import Split
    from partages_core.evaluation.tasks import get_task

    task = get_task("pseudonymisation")
    examples = task.examples(commons.patients[:30])
    outputs = {ex.doc_id: pseudonymize(ex.text, ex.context)["entities"] for ex in examples}
    res = runner.evaluate(task.name, "pseudonymize", data=Split([], examples, "fixture"), predictions=outputs, n_boot=20)
    assert set(res["per_label"]["strict"]) <= set(PSEUDO_LABELS)
    strict = res["per_label"]["strict"]
    tp, fp, fn = (sum(r[k] for r in strict.values()) for k in ("tp", "fp", "fn"))
    # Since issue 17 the commons prints identifiers the way real systems do (IPP/NDA with dashes,
    # spaces or prefixes, exam and sample numbers, RPPS, INS, NIR compact, dotted or digit by digit),
    # drawn independently of the pseudonymiser's rules. Measured here: recall 0.884, precision 0.988,
    # leak rate 0.107, ID 43 found / 67 missed, NOM 177/180, PRENOM 149/151 (300 patients: recall
    # 0.885, leak 0.107). Floors leave room; the pseudonymiser's owner should raise them as its ID
    # rules learn these formats.
    # Issue 17's fourth variety pass follows the hand-written gold where the rules do not (yet): birth
    # dates in running text ("Mme X, née le 7 décembre 1943, a séjourné", the rules say DATE_IDENTIFIANTE),
    # hospital sites with the cue outside ("site [Sainte-Marie]"), "laboratoire [Cytolab]". Measured
    # after main's 60ed760: recall 0.922, precision 0.9496 (1093 tp, 58 fp): floor 0.94.
    # Issue 17's sixth pass writes caregivers after role words as the hand-written dev part does ("IDEC :
    # X", "int. X", "interne X / senior Dr Y", "Drs A, B et C") and upper-case "DR X"; the rules alone miss
    # some of them. Measured after that pass: recall 0.908, precision 0.947, NOM 221/233 (0.948), PRENOM
    # 167/171 (0.977). The NOM floor moved from 0.95 to 0.94 with it, until the rules learnt those forms
    # (role words IDEC / int. / interne before a surname, "Drs" lists with first names, "DR X Prénom", a
    # hyphenated upper-case surname): recall 0.916, precision 0.950 (1107 tp, 58 fp), NOM 231/233 (0.991),
    # PRENOM 167/171. Floor 0.97: room for the generator's next pass. After issue 17's seventh pass (birth
    # dates in letter openings, addresses without commas) with those rules: recall 0.933, precision 0.957
    # (1024 tp, 46 fp), leak 0.034, NOM 201/204 (0.985), PRENOM 159/160. Issue 17's thirteenth pass (a married
    # woman's other surname after "née" / "ép." / "épouse", surname-first "Moreau Claire", "Monsieur") redraws the
    # fixture's patients: NOM 208/217 (0.959), the misses mostly signature names the rules do not know ("G. Nguyen",
    # "Ololade Ilori (RPPS ...)", "IDE DOE Angelika") and one "Mme Mendès ép. Diaz": NOM floor 0.95 until the rules
    # read "ép." as they read "née". Issue 22's fourteenth pass reads "ép." / "épouse" like "née", signature blocks
    # with the role on the next line, a name before "(RPPS", "avec SURNAME Firstname" and "IDE SURNAME Firstname":
    # NOM 217/217, PRENOM 177/177: floor 0.97 again. Issue 17's fourteenth pass (event dates without a year,
    # abbreviated months) redraws the fixture once more: NOM 217/225 (0.964), the misses a surname with a particle
    # after a hyphen ("Dr Adam-De Sousa", "Docteur ADAM-DE SOUSA Louis": the title rule takes "Adam-De" for a first
    # name), foreign signature names without a title ("Akinkunmi Odunsi" over "Praticien hospitalier", the second
    # name of a "cc :" list) and "DR Andrée Robin": NOM floor 0.96 until the rules read those forms. Issue 22's
    # fifteenth pass reads them (a hyphen-particle double surname is one NOM, untitled copy-list items, a name line
    # over a role line, upper-case "DR" before a known first name): recall 0.943, precision 0.963 (1100 tp, 42 fp),
    # leak 0.027, NOM 223/225 (0.991; the two left are surname/first-name swaps, "Dr Akinkunmi Odunsi" and
    # "Docteur Soumia Kara"), PRENOM 162/164: floor 0.97 again. Issue 17's sixteenth pass (phones in more written
    # forms, extensions / pagers / DECT, a job's present situation outside its mark) redraws the fixture: recall
    # 0.917, precision 0.943 (1069 tp, 65 fp; main's 0.943 / 0.963), TELEPHONE 52/52, the new misses in dates
    # (DATE_IDENTIFIANTE fn 7 -> 21), HOPITAL (12 -> 22) and VILLE of the redrawn patients: floors unchanged.
    assert tp / (tp + fn) > 0.85 and tp / (tp + fp) > 0.94
    for label, floor in (("NOM", 0.97), ("PRENOM", 0.95)):
        assert strict[label]["tp"] / (strict[label]["tp"] + strict[label]["fn"]) > floor, label
    assert res["metrics"]["leak_rate"]["value"] <= 0.15, res["per_label"]["leak"]
    assert res["per_label"]["over_scrub"]["clinical"]["support"] > 0
    assert res["metrics"]["over_scrub_rate"]["value"] == 0.0
