"""Each defect of issue 22, with a test that failed before the fix (rules mode: no model needed)."""

import json
import os
import subprocess
import sys

from partages_core.corpus.commons import build_commons
from partages_core.governance.batch import pseudonymize_folder
from partages_core.governance.lexicons import surrogate_pools
from partages_core.governance.pseudonymisation import detect, pseudonymize, pseudonymize_stream
from partages_core.governance.surrogates import SurrogateMapping


def labels(text, context=None):
    return [(e["text"], e["label"]) for e in detect(text, context)]


def assert_not_labelled(label, texts):
    """Each look-alike text gets no span of ``label``."""
    for text in texts:
        assert not [x for x in labels(text) if x[1] == label], text


def test_date_shift_cannot_be_recomputed_from_seed_and_patient_id(tmp_path):
    src = build_commons(3, 5, tmp_path / "commons")
    runs = []
    for k in range(2):
        maps = {}
        pseudonymize_folder(src, tmp_path / f"out{k}", seed=0, progress=False,
                            on_mapping=lambda pid, m: maps.__setitem__(pid, m.to_dict()))
        runs.append(maps)
    pids = sorted(runs[0])
    # same public seed, same patient ids, yet the shifts differ: they come from a per-run secret
    assert [runs[0][p]["date_offset_days"] for p in pids] != [runs[1][p]["date_offset_days"] for p in pids]
    assert all(runs[0][p]["secret"] == runs[0][pids[0]]["secret"] for p in pids)
    # and the stored mapping (only there) reproduces the run byte for byte
    pseudonymize_folder(src, tmp_path / "again", seed=0, progress=False, secret=runs[0][pids[0]]["secret"])
    first = sorted(p.read_bytes() for p in (tmp_path / "out0").rglob("*.txt"))
    assert first == sorted(p.read_bytes() for p in (tmp_path / "again").rglob("*.txt"))


def test_phone_pattern_does_not_swallow_dates():
    assert labels("Dates : 18-03-1999 06-04-2024") == [("18-03-1999", "DATE_IDENTIFIANTE"),
                                                       ("06-04-2024", "DATE_IDENTIFIANTE")]
    assert not [x for x in labels("RDV 06 04 2024\n12 h 30") if x[1] == "TELEPHONE"]
    assert labels("Tél 06 12 34 56 78, +44 20 7946 0958") == [("06 12 34 56 78", "TELEPHONE"),
                                                              ("+44 20 7946 0958", "TELEPHONE")]


def test_identifier_across_the_stream_cut_is_not_split():
    filler = "mot " * 248                     # 992 characters, no line break: the cut falls on a space
    text = filler + "Tél 06 12 34 56 78 fin. " + "suite " * 300
    mapping = SurrogateMapping(secret="k")
    parts = list(pseudonymize_stream([text[i:i + 100] for i in range(0, len(text), 100)],
                                     mapping=mapping, max_chars=1000, overlap=200))
    assert len(parts) >= 2
    out = "".join(p["text"] for p in parts)
    assert "06 12 34 56 78" not in out and len(out.split()) == len(text.split())
    phones = [e for p in parts for e in p["entities"] if e["label"] == "TELEPHONE"]
    assert len(phones) == 1 and text[phones[0]["start"]:phones[0]["end"]] == "06 12 34 56 78"


def test_parallel_stream_is_byte_identical_to_the_sequential_one():
    # issue 22: windows detected in 2 processes, replaced here with the one mapping; an entity across a
    # naive cut (the phone) moves that cut back and the speculated windows after it are detected again
    from partages_core.corpus.handwritten import load_handwritten

    notes = "\n\n".join(d.text for p in load_handwritten("dev")[:12] for d in p.documents)
    filler = "mot " * 248
    text = filler + "Tél 06 12 34 56 78 fin. " + "suite " * 300 + "\n\n" + notes + "\nDr Martin, Lyon"
    pieces = [text[i:i + 700] for i in range(0, len(text), 700)]
    runs = []
    for workers in (1, 2):
        parts = list(pseudonymize_stream(iter(pieces), mapping=SurrogateMapping(secret="k"), max_chars=1000,
                                         overlap=200, workers=workers))
        runs.append(("".join(p["text"] for p in parts), [e for p in parts for e in p["entities"]], len(parts)))
    assert runs[0] == runs[1] and runs[0][2] > 10
    phones = [e for e in runs[1][1] if e["label"] == "TELEPHONE" and e["text"] == "06 12 34 56 78"]
    assert len(phones) == 1 and text[phones[0]["start"]:phones[0]["end"]] == "06 12 34 56 78"


def test_common_word_surname_spares_clinical_text_and_eponym_surname_is_caught():
    ctx = {"first": "Jean", "last": "Petit"}
    out = pseudonymize("Petit épanchement pleural. M. Petit va mieux; petit nodule stable.", ctx)["text"]
    assert out.startswith("Petit épanchement") and "petit nodule" in out and "M. Petit" not in out
    ctx = {"first": "Alan", "last": "Parkinson"}
    out = pseudonymize("M. PARKINSON Alan, suivi pour une maladie de Parkinson. M. Parkinson va bien.", ctx)["text"]
    assert "PARKINSON" not in out and "maladie de Parkinson" in out and "M. Parkinson" not in out
    # a surname that is a clinical adjective ("KRAS sauvage", "haut grade"): the word stays, the person goes
    ctx = {"first": "Lucie", "last": "Sauvage"}
    out = pseudonymize("KRAS sauvage, BRAF non muté. Mme SAUVAGE Lucie revue ce jour; Mme Sauvage va bien.", ctx)["text"]
    assert "KRAS sauvage" in out and "SAUVAGE" not in out and "Mme Sauvage" not in out


def test_ne_and_date_are_not_surnames():
    assert labels("Paul Né le 3/4/1950") == [("3/4/1950", "DATE_NAISSANCE")]
    assert labels("Marie Date : inconnue") == []


def test_city_surrogate_is_a_place_not_a_person():
    mapping = SurrogateMapping(seed=0)
    surnames = set(surrogate_pools()["last"])
    cities = ["Issoire", "Brignac", "Lyon", "Tulle", "Aurillac", "Vienne", "Laval", "Auch", "Dax", "Millau",
              "Figeac", "Rodez", "Cahors", "Albi", "Castres", "Mende", "Privas", "Gap", "Digne", "Foix"]
    for city in cities:
        value = mapping.surrogate("VILLE", city)
        assert value not in surnames and value != city
        assert any(x in value for x in ("Saint", "Sainte", "Mesnil", "Villeneuve", "-", "ville", "court")), value


def test_law_and_decree_dates_are_kept():
    text = ("Conformément à la Loi du 18 août 2013 et au décret n° 2016-1234 du 3 mars 2016, "
            "la patiente a été vue le 12/03/2024.")
    assert labels(text) == [("12/03/2024", "DATE_IDENTIFIANTE")]


def test_shifted_date_equal_to_another_date_is_not_left_in_clear():
    mapping = SurrogateMapping(seed=0, date_offset_days=40)
    out = pseudonymize("Entrée le 01/01/2024, revue le 10/02/2024.", mapping=mapping)["text"]
    assert "\x00" not in out and "01/01/2024" not in out
    assert out == "Entrée le 10/02/2024, revue le 21/03/2024."


def test_label_ties_do_not_depend_on_string_hashing():
    code = ("import json; from partages_core.governance.pseudonymisation import detect; "
            "print(json.dumps([(e['text'], e['label']) for e in "
            "detect('Claude vu ce jour, Claude va bien.', {'first': 'Claude', 'last': 'Claude'})]))")
    outs = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        outs.add(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                check=True).stdout)
    assert len(outs) == 1
    assert json.loads(outs.pop()) == [["Claude", "NOM"], ["Claude", "NOM"]]


def test_real_world_identifier_formats():
    got = labels("IPP : 42-0193375. NDA 203 114 987. Prélèvement C23-004512, bloc BM-23-01127, "
                 "lame HP23-00871, examen AP-2023-01942. Numéro de dossier 12345678. RPPS 10003456789.")
    ids = [t for t, lb in got if lb == "ID"]
    assert ids == ["42-0193375", "203 114 987", "C23-004512", "BM-23-01127", "HP23-00871", "AP-2023-01942",
                   "12345678", "10003456789"]
    assert ("2 55 08 2A 004 113 55", "ID") not in labels("x")  # sanity
    dotted = "2.55.08.2A.004.113.55"
    from stdnum.fr import nir
    if nir.is_valid(dotted.replace(".", "")):
        assert (dotted, "ID") in labels(f"NIR {dotted}")
    dates = labels("Vu le 2023-11-05, revu le 20 janv. 2023, du 3 au 17 mars, contrôle (12/03).")
    assert [t for t, lb in dates if lb.startswith("DATE")] == ["2023-11-05", "20 janv. 2023", "3 au 17 mars", "12/03"]
    out = pseudonymize("Hospitalisé du 7 au 15 mars 2026, né le trois mai mille neuf cent cinquante deux.",
                       mapping=SurrogateMapping(date_offset_days=30, secret="k"))["text"]
    assert out == "Hospitalisé du 6 au 14 avril 2026, né le [DATE]."  # interval kept; a spelled date is masked


def test_facilities_and_cities_in_real_formats():
    got = labels("CENTRE HOSPITALIER UNIVERSITAIRE DE NANTES. Transfert à l'EHPAD Les Glycines puis "
                 "à l'hôpital Pasteur. Vit à Saint-Étienne (42000). Dr Martin, Issoire")
    assert ("CENTRE HOSPITALIER UNIVERSITAIRE DE NANTES", "HOPITAL") in got
    assert ("EHPAD Les Glycines", "HOPITAL") in got and ("hôpital Pasteur", "HOPITAL") in got
    assert ("Saint-Étienne", "VILLE") in got and ("42000", "CODE_POSTAL") in got and ("Issoire", "VILLE") in got


def test_relatives_and_maiden_names():
    got = labels("Appel au fils (MOREL Thierry). Son frère Julien est présent. Mme Durand née LEFEBVRE.")
    assert ("MOREL", "NOM") in got and ("Thierry", "PRENOM") in got and ("Julien", "PRENOM") in got
    assert ("LEFEBVRE", "NOM") in got


def test_month_only_dates_shift_by_months_and_professions_in_context():
    text = "Mme Laura Mazars, 41 ans, comptable, mariée. Prochain scanner en avril, traitée depuis décembre."
    got = labels(text)
    assert ("comptable", "IDENTITE_SOCIALE") in got and ("avril", "DATE_IDENTIFIANTE") in got
    out = pseudonymize(text, mapping=SurrogateMapping(date_offset_days=70, secret="k"))["text"]
    assert "en juin" in out and "depuis février" in out and "comptable" not in out
    assert labels("Le patient est agent de liaison? Non: l'agent pathogène est inconnu.") == []


def test_everyday_jobs_in_a_clause_of_their_own_with_their_complement():
    text = ("Mme Roux Léa, 34 ans (née le 30/11/1991), infirmière libérale, vue ce jour.\n"
            "Chauffeur de VTC, célibataire. Vit avec sa compagne, serveuse.\n"
            "M. Kerjean, 63 ans, marin-pêcheur à Groix.\n")
    got = labels(text)
    for job in ("infirmière libérale", "Chauffeur de VTC", "serveuse", "marin-pêcheur"):
        assert (job, "IDENTITE_SOCIALE") in got, job
    clinical = "Aide à la marche, kiné deux fois par semaine.\nAgent infectieux : E. coli.\nTraitement : amoxicilline."
    assert [e for e in labels(clinical) if e[1] == "IDENTITE_SOCIALE"] == []


def test_real_shapes_of_phones_dates_postcodes_and_initials():
    cases = {"fax : 0 7 - 4 4 - 4 1 - 1 2 - 4 0": ("0 7 - 4 4 - 4 1 - 1 2 - 4 0", "TELEPHONE"),
             "Dr Auger (33) 0 35 34 30 17": ("(33) 0 35 34 30 17", "TELEPHONE"),
             "Dr T. SANDRAVI 01.42.16.10.O2": ("01.42.16.10.O2", "TELEPHONE"),
             "jusqu'au 20 12 2003 avant": ("20 12 2003", "DATE_IDENTIFIANTE"),
             "Date création : 2023/03/30 16:30": ("2023/03/30", "DATE_IDENTIFIANTE"),
             "prélevé le vingt-six 02 2012": ("vingt-six 02 2012", "DATE_IDENTIFIANTE"),
             "résidant à Marseille, 63 109.": ("63 109", "CODE_POSTAL"),
             "Hôpital COCHIN, service de rhumatologie": ("Hôpital COCHIN", "HOPITAL"),
             "Interne Roussel M.P, vu ce jour": ("M.P", "PRENOM")}
    for text, want in cases.items():
        assert want in labels(text), (text, labels(text))
    # a digit-by-digit birth date followed by a house number
    assert ("1 1 1 0 1 9 8 5", "DATE_IDENTIFIANTE") in labels("Foubert, Daniel  1 1 1 0 1 9 8 5 42 avenue du Parc")
    assert labels("TA 12/08, FC 80 bpm, Hb 12.05 g/dl, plaquettes 250 000.") == []


def test_upper_case_first_names_after_a_titled_surname_and_lines_of_a_surname_with_initials():
    got = labels("Pr BOURGOIN JEAN-JACQUES ROBERT\n0166424233\nLouet J.-C.\nMme.MORELLEC P\n")
    for want in (("BOURGOIN", "NOM"), ("JEAN-JACQUES ROBERT", "PRENOM"), ("Louet", "NOM"), ("J.-C.", "PRENOM"),
                 ("MORELLEC", "NOM"), ("P", "PRENOM")):
        assert want in got, want
    assert labels("Hépatite C\nVitamine D.\nECG RAS\nStade IV\nConclusion : E-BLSE.\n") == []


def test_identity_lines_unnumbered_streets_foreign_postcodes_and_spelled_ranges():
    got = labels("Date 2026-01-05 - O'BRIEN Siobhan, F, ddn 1977-02-14\n"
                 "Laboratoire - avenue de la Côte de Nacre 14033 Caen\n"
                 "domicilié Rue de Carouge 41, 1205 Genève (Suisse)\n"
                 "hospitalisé du quatre au vingt-deux février\n")
    for want in (("O'BRIEN", "NOM"), ("Siobhan", "PRENOM"), ("avenue de la Côte de Nacre", "ADRESSE"),
                 ("1205", "CODE_POSTAL"), ("quatre", "DATE_IDENTIFIANTE")):
        assert want in got, want


def test_particle_surnames_after_a_title():
    got = labels("Fille référente : Mme Le Gall Annick 06 07 33 91 28. Vu avec le Dr Le Bihan.")
    for want in (("Le Gall", "NOM"), ("Annick", "PRENOM"), ("Le Bihan", "NOM")):
        assert want in got, want


def test_a_job_right_after_a_titled_name_without_a_comma():
    assert ("agriculteur en retraite", "IDENTITE_SOCIALE") in labels(
        "monsieur Vayssière agriculteur en retraite est adressé par son médecin traitant")
    assert [e for e in labels("M. Martin présente une toux. Dr Stoppa, généticien.") if e[1] == "IDENTITE_SOCIALE"] == []


def test_initials_next_to_a_found_surname_are_first_names():
    from partages_core.governance.pseudonymisation import _Cand, _finish  # noqa: F401

    text = "Présentes : J. Delorenzi, 27/04/01. Arrivée - LE LAY J née le 28/12/03. Nivor, S. puis M. Dupont."
    cands = [(text.index(w), text.index(w) + len(w), "NOM", 60, "model", 0.9) for w in ("Delorenzi", "LE LAY", "Nivor", "Dupont")]
    got = {(e["text"], e["label"]) for e in _finish(text, cands)}
    for want in (("J.", "PRENOM"), ("J", "PRENOM"), ("S.", "PRENOM")):
        assert want in got, want
    assert ("M.", "PRENOM") not in got   # "M. Dupont": Monsieur
    assert ("N.Y.", "PRENOM") in labels("Docteur N.Y. Raynaud (CCA)")


def test_day_and_month_without_year_bare_day_numbers_and_their_look_alikes():
    got = labels("Cures : C11 18/09/21 et C12 30.12. Série S8 12 / 05, S9 29/ 06. L'ETO du 11 ne retrouve pas de végétation.")
    for want in (("30.12", "DATE_IDENTIFIANTE"), ("12 / 05", "DATE_IDENTIFIANTE"), ("29/ 06", "DATE_IDENTIFIANTE"),
                 ("11", "DATE_IDENTIFIANTE")):
        assert want in got, want
    assert labels("TA 12/08, AV 10/10, Hb 12.05 g/dl, EVA 03/10, score 12/20, passage au 3ème étage, "
                  "dose de 10 mg le 2e jour, PS 01/02.") == []


def test_ids_after_unknown_acronyms_in_dotted_fields_and_id_tables():
    got = labels("relecture RRePS 26-1189\nIPP ............ 793-389-8871\nDemande 386552/25\n"
                 "| PIP | N° venue | INS |\n| 28 639 8353 | 234499979 | 2 88 03 99 134 12 |\n"
                 "Dupuis Pierre\n1 87 1188904 150 09-07-1987\nStandard 00 34 66 02 00\n")
    for want in ("26-1189", "793-389-8871", "386552/25", "28 639 8353", "234499979", "1 87 1188904 150"):
        assert (want, "ID") in got, want
    assert ("00 34 66 02 00", "TELEPHONE") in got and ("09-07-1987", "DATE_IDENTIFIANTE") in got
    assert labels("NYHA 2-3, années 2019-2020, CA 15-3 à 40 UI/ml.\n| Examen | Résultat |\n| CRP | 12345 |\n") == []


def test_described_facilities_number_word_streets_typed_nationality_and_non_french_letters():
    got = labels("Cabinet d'anatomie et cytologie pathologiques du Parc\nKheira Toualbia sept allée des roses\n"
                 "en couple, ingénieur, ntaionalité française.\nConcerne : M. Yurtgüven Şensoy, né le 29 mai 1970\n")
    for want in (("Cabinet d'anatomie et cytologie pathologiques du Parc", "HOPITAL"), ("française", "NATIONALITE"),
                 ("Şensoy", "NOM")):
        assert want in got, want
    assert any(lb == "ADRESSE" and t.startswith("sept allée des roses") for t, lb in got)
    assert labels("Œdème des membres inférieurs ; sœur et cœur sans particularité. Centre de lutte contre le cancer.") == []


def test_titles_are_not_initials():
    # "Pr." matched the "Ph." initial shape and "avec M. MARTIN" took Monsieur for a first name's initial
    for text in ("le Pr. DUPONT a vu", "Vu avec M. MARTIN hier", "Dr. ROUX et Pr. BLANC"):
        got = labels(text)
        assert not [t for t, lb in got if lb == "PRENOM"], (text, got)
        assert [t for t, lb in got if lb == "NOM"], (text, got)
    assert ("Ph.", "PRENOM") in labels("O. DURIEZ et Ph. ROCHE")


def test_hospitals_by_bare_name_after_a_place_cue_and_work_clauses():
    got = labels("Transférée à Bichat. Contactez les Urgences Oncologiques de Avicenne. Hospitalisé à Robert Debré.\n"
                 "Il travaille dans le bâtiment, marié. Retraitée de la SNCF. Travaille chez Renault depuis 10 ans.\n")
    for want in (("Bichat", "HOPITAL"), ("Avicenne", "HOPITAL"), ("Robert Debré", "HOPITAL"),
                 ("le bâtiment", "IDENTITE_SOCIALE"), ("la SNCF", "IDENTITE_SOCIALE"), ("Renault", "IDENTITE_SOCIALE")):
        assert want in got, want
    assert labels("Boule de Bichat, capsule de Tenon, aphasie de Broca ; patiente retraitée, autonome.") == []


def test_germs_and_antibiogram_rows_are_not_names_nor_counts_dates():
    # found on the newer hand-written dev notes (hw-091..133): "S." of S. aureus was a first name,
    # "PENICILLINE G  R" a surname and first name, "(2/2)" a birth date, Kingella a city
    text = ("Antibiogramme S. aureus :\nPENICILLINE G              R\nOXACILLINE                 S\n"
            "CIP R, COLI S.\nmini-LBA S. aureus 10^6. Recherche C. difficile : GDH +.\n"
            "HC positives (2/2) a E. coli. Arthrite septique à Kingella kingae.\n")
    assert labels(text) == []
    got = labels("Vu par Dupont J. aujourd'hui ; Dr Martin, Amiens. Pte : DEVOS Jessica.")
    for want in (("J.", "PRENOM"), ("Martin", "NOM"), ("DEVOS", "NOM"), ("Jessica", "PRENOM")):
        assert want in got, want


def test_staff_by_role_cities_heading_date_lines_and_dictated_stay_numbers():
    got = labels("(IDE Lacombe, Dr Delpech)\ninterne Baudry / senior Dr Nguyen\n64000 PAU\n\nPau le 02/04/2026\n"
                 "numero de sejour 26-009183 point\nENREGISTREMENT : 26/0219/4402\n")
    for want in (("Lacombe", "NOM"), ("Baudry", "NOM"), ("Pau", "VILLE"), ("26-009183", "ID"), ("26/0219/4402", "ID")):
        assert want in got, want
    assert ("Dr", "NOM") not in got
    assert [t for t, lb in labels("Sortie le 21/11/2025\nEntrée le 3/11\nUrgences, le 4 mars\nIDE\nCOMPTE RENDU") if lb in ("VILLE", "NOM")] == []


def test_foreign_phones_stay_days_centres_stays_nationalities_and_dictated_jobs():
    # issue 22, session 4, from the dev sets' misses: North-American phones, a glued standard number,
    # "depuis le 28", "le centre d'Albi", "séjour ... à Tel-Aviv", "d'origine serbe", "virgule couvreur"
    got = labels("primary source 31712 - (205)-136-2648 02 (Jefferson)\nStandard00 02 46 61 63\n"
                 "sous amoxicilline depuis le 28 pour un total de 6 semaines ; adressé par le centre d'Albi\n"
                 "connu depuis un séjour en réanimation à Tel-Aviv ; Mme KOVAC, d'origine serbe\n"
                 "monsieur Le Gall virgule couvreur virgule trois enfants ; patiente couturière de 52 ans\n")
    for want in (("(205)-136-2648 02", "TELEPHONE"), ("00 02 46 61 63", "TELEPHONE"), ("28", "DATE_IDENTIFIANTE"),
                 ("Albi", "VILLE"), ("Tel-Aviv", "VILLE"), ("serbe", "NATIONALITE"), ("couvreur", "IDENTITE_SOCIALE"),
                 ("couturière", "IDENTITE_SOCIALE")):
        assert want in got, want
    # look-alikes stay clinical: an origin that is no nationality, a day count, a pregnant woman, a germ after "S"
    assert labels("douleur d'origine cardiaque, fièvre d'origine virale ; depuis le 3e jour ; patiente diabétique, "
                  "femme enceinte ; ciprofloxacine S. Entérocoque : amoxicilline S.") == []


def test_postcodes_and_lower_case_hospitals_in_dash_separated_letterheads():
    got = labels("Centre hospitalier Prince William – source principale 94480 – 00-36-20-46-42 – (Centre)\n"
                 "Jefferson university hospital - primary source 22 279 - 02 06 70 01 54 (Jefferson)\n")
    for want in (("Centre hospitalier Prince William", "HOPITAL"), ("94480", "CODE_POSTAL"), ("22 279", "CODE_POSTAL")):
        assert want in got, want
    # a lab value before a dash is no postcode: the line is not a letterhead of fields
    assert labels("leucocytes 12500 - CRP 4") == []


def test_jobs_named_by_a_cue_whatever_the_word():
    got = labels("Il est chauffagiste de profession, marié. A travaillé comme cariste pendant 20 ans.\n"
                 "Exerçant comme sophrologue depuis 5 ans ; anciennement boulanger.\n")
    for want in ("chauffagiste", "cariste", "sophrologue", "boulanger"):
        assert (want, "IDENTITE_SOCIALE") in got, want
    assert labels("en tant que tel, emploi du temps chargé ; en tant que responsable de traitement ; "
                  "il est anciennement traité par AINS.") == []


def test_a_run_is_reproduced_byte_for_byte_from_its_mapping():
    # a surrogate re-drawn with a salt (it equalled an original of the document) came back in another
    # case from the memo: "T." → "SUZANNE" in the run, "Suzanne" in its --mapping-in rerun
    from partages_core.corpus.handwritten import load_handwritten

    text = "\n\n".join(d.text for p in load_handwritten("dev")[:10] for d in p.documents)
    first = SurrogateMapping(secret="e5b0")
    run = pseudonymize(text, mapping=first)
    again = pseudonymize(text, mapping=SurrogateMapping.from_dict(first.to_dict()))
    assert again == run
    initials = [e for e in run["entities"] if e["label"] == "PRENOM" and len(e["text"]) == 2 and e["text"].endswith(".")]
    assert initials and all(len(e["replacement"]) == 2 and e["replacement"].endswith(".") for e in initials)


def test_a_surname_before_nous_or_dans_is_no_germ_and_a_job_after_a_dictated_birth_date():
    # hw-143 (read once untuned, then fixed): "Monsieur Moreau nous est adressé" took "Moreau nous" for a
    # genus and its epithet (-us); "né le 12/06/1956 chauffeur routier retraité" had no cue for the job
    got = labels("monsieur MOREAU Joël né le 12/06/1956 chauffeur routier retraité\n"
                 "Monsieur Moreau nous est adressé ; Dr Martin dans le service.\n")
    # FORMAT.md (CU1): IDENTITE_SOCIALE keeps "retraité(e)" inside, as batch 13's "[[marin pêcheur retraité]]"
    for want in (("Moreau", "NOM"), ("Martin", "NOM"), ("chauffeur routier retraité", "IDENTITE_SOCIALE")):
        assert want in got, want
    assert labels("Staphylococcus aureus, Candida albicans et C. difficile ; née le 3/4/1950 diabétique") == \
        [("3/4/1950", "DATE_NAISSANCE")]


def test_an_m_initial_signing_with_a_degree_and_a_dictated_unaccented_status():
    # dev misses (hw-089, hw-093): "Valide par M. Levallet, PharmD PhD" signs with an initial (the
    # convention's "X. Name" = PRENOM + NOM), not "Monsieur"; dictated "virgule marie virgule" is marié(e)
    got = labels("Valide par M. Levallet, PharmD PhD, le 27/03/2026\n"
                 "monsieur Le Gall virgule couvreur virgule marie virgule trois enfants virgule\n")
    for want in (("M.", "PRENOM"), ("Levallet", "NOM"), ("marie", "SITUATION_FAMILIALE")):
        assert want in got, want
    # look-alikes: "M." outside a signature with a degree stays a title; Marie the first name stays a name
    got = labels("Vu avec M. Levallet, le fils de la patiente. Validé par M. Durand le 3/4.\n"
                 "Validé par M. Guichard, biologiste\n"
                 "virgule Marie Durand virgule\n")
    assert ("M.", "PRENOM") not in got and ("Marie", "SITUATION_FAMILIALE") not in got


def test_a_catheter_after_ide_and_an_abbreviated_germ_are_no_names():
    # fresh dev notes hw-147, hw-149 (read once untuned): "retrait fait par l'IDE PICC" made the catheter a
    # surname, then every "sur PICC" too; "Toxine C. diff nég" read "Toxine C." as a surname and an initial
    text = ("D : retrait fait par l'IDE PICC, bout envoyé.\nSuspicion d'infection sur PICC. HC sur PICC positive.\n"
            "Toxine C. diff nég -> levée isolement. K. pneumo sensible.\n")
    assert labels(text) == []
    # look-alikes: a nurse's surname after IDE, and a person's initial before a surname, stay names
    got = labels("IDE PICARD, retrait fait. Vu avec C. Diffray le 3/4/2024.\n")
    for want in (("PICARD", "NOM"), ("C.", "PRENOM"), ("Diffray", "NOM")):
        assert want in got, want


def test_a_month_alone_in_a_parenthesis_or_abbreviated_after_en():
    # fresh dev notes hw-152, hw-156 (read once untuned): a month named alone, closing a parenthesis
    got = labels("ATB 3 derniers mois : fosfo + pivmécillinam (octobre).\n"
                 "Pas d'IOT (décision collégiale de juin).\nOstéite (suspectée en déc.) : non.\n")
    for want in ("octobre", "juin", "déc."):
        assert (want, "DATE_IDENTIFIANTE") in got, want
    # look-alikes: a month with its year is one date; a parenthesis without a month, "de mars" inside a law
    assert labels("(octobre 2021)") == [("octobre 2021", "DATE_IDENTIFIANTE")]
    assert labels("Sirop (5 mL matin).") == []
    assert labels("Selon la loi de mars.") == []
    # CU1: a month named alone is a date wherever it stands (all 36 bare months of the hand-written dev gold and both
    # of the EDS-Pseudo training fold are marked): "au scanner de juillet", "celui de septembre" (batch 13)
    got = labels("Cure de juin à septembre. Réponse au scanner de juillet, comparé à celui de septembre.\n")
    assert [x for x in got if x[1] == "DATE_IDENTIFIANTE"] == [("juin", "DATE_IDENTIFIANTE"), ("septembre", "DATE_IDENTIFIANTE"),
                                                               ("juillet", "DATE_IDENTIFIANTE"), ("septembre", "DATE_IDENTIFIANTE")]
    assert_not_labelled("DATE_IDENTIFIANTE", ("Loi du 18 août 2013 (Loi Bertrand)\n", "planète Mars\n"))


def test_streets_in_letterheads_and_cities_named_by_where_people_live():
    # dev misses of the rules (hw-001, hw-025, hw-040, hw-057, hw-083, hw-018, hw-044, hw-053, hw-063, hw-151,
    # hw-154, hw-166): a street closed by an em dash, a capitalised or upper-case street type, a city where
    # someone lives / goes home / was born after a date, a city before its country in parentheses, a city
    # right after a facility's name, an extension after "poste", a title glued to an upper-case surname
    text = ("Département de biopathologie\n12 bis, allée des Charmilles — 44230 Saint-Sébastien-sur-Loire\n"
            "Domicile : 8 Avenue Foch, 75016 Paris\nAVENUE DESANDROUIN - 59322 VALENCIENNES CEDEX\n"
            "Retour à domicile à Étaples, veuve. Vit seule a Pons. Il rentre à Plougastel-Daoulas demain.\n"
            "M. TRAORE Moussa, ne le 1er janvier 1961 a Kayes (Mali).\n"
            "Hôpital Saint-Joseph, Marseille - Médecine interne\n"
            "Biologiste : Dr Quéré - poste 4417\nMme.BARRE ELIANE\n")
    got = labels(text)
    for want in (("12 bis, allée des Charmilles", "ADRESSE"), ("8 Avenue Foch", "ADRESSE"),
                 ("AVENUE DESANDROUIN", "ADRESSE"), ("Étaples", "VILLE"), ("Pons", "VILLE"),
                 ("Plougastel-Daoulas", "VILLE"), ("Kayes", "VILLE"), ("Marseille", "VILLE"),
                 ("4417", "TELEPHONE"), ("BARRE", "NOM")):
        assert want in got, want
    # look-alikes that stay clear: treatment courses, going home, a day, the ward after a facility
    text = ("Reçoit 2 cours de chimiothérapie, bien tolérés. Retour à domicile à J5. Vit seule à domicile.\n"
            "Il rentre à la maison à Noël. Née le 3 mars à terme.\n"
            "Clinique du Parc, Service de chirurgie. CHU de Rennes - Pneumologie\n"
            "CHU DE LIMOGES - Bactériologie-Virologie-Hygiène - secrétariat\nCH de Vannes - Hémodialyse - séance\n"
            "Poste de soins infirmiers. Prélèvement au poste 2 à 8 h.\n")
    # (a holiday after a time word is a date since FORMAT.md's "À NOËL" convention, session 19; never a town)
    assert [x for x in labels(text) if x[1] not in ("HOPITAL", "DATE_NAISSANCE") and x != ("Noël", "DATE_IDENTIFIANTE")] == []


def test_dictated_titles_surname_first_and_relatives_written_loosely():
    # dev misses of the rules (hw-009, hw-019, hw-040, hw-014, hw-063, hw-103, hw-111, hw-135, hw-146): lower-case
    # dictated titles, "Title Surname Firstname", unaccented or capitalised relatives, a comma after "mari"
    got = labels("Opéré : M. Duval Jean-Pierre, né le 18 avril 1949\npatient monsieur Vayssiere Raymond ne le trois mai\n"
                 "adressé par le docteur Lafage pour des lombalgies ; Mme Oyarzabal Iñaki, née le 3/4/1969\n"
                 "son mari, Sébastien, souhaite venir. Vit avec son frere Issa. Fils Yann prévenu. colocataire Léa.\n")
    for want in (("Jean-Pierre", "PRENOM"), ("Vayssiere", "NOM"), ("Raymond", "PRENOM"), ("Lafage", "NOM"),
                 ("Iñaki", "PRENOM"), ("Sébastien", "PRENOM"), ("Issa", "NOM"), ("Yann", "PRENOM"), ("Léa", "PRENOM")):
        assert want in got, want
    # look-alikes: a title without a name, a ward after a titled name, a relative's disease
    got = labels("Le docteur a vu le patient. M. Martin Service de cardiologie. Sa mère DT2, son père HTA.\n")
    assert got == [("Martin", "NOM")], got


def test_upper_case_numbered_streets_loose_postcodes_and_lab_counts():
    # dev misses (EDS-Pseudo training fold): an upper-case numbered street, a spaced or comma-closed postcode
    # after an address's comma, then its city
    got = labels("RDV au 11 COURS ALBERT THOMAS 69003 LYON. Domicile : 47 boulevard de l'Hôpital, 86 811 Paris ; "
                 "17 AVENUE GABRIEL PERI, 94400, VILLEJUIF\n")
    for want in (("11 COURS ALBERT THOMAS", "ADRESSE"), ("86 811", "CODE_POSTAL"), ("Paris", "VILLE"),
                 ("17 AVENUE GABRIEL PERI", "ADRESSE"), ("VILLEJUIF", "VILLE")):
        assert want in got, want
    # look-alikes (were postcodes before): a blood count with spaced thousands and its unit
    assert labels("GB 12 500 UI. Plaquettes, 12 500 Mg. Leucocytes, 12 500/mm3.\n") == []


def test_upper_case_letterheads_with_a_short_head():
    # dev misses of the rules (hw-007, hw-083, hw-063, hw-111, hw-002, hw-028): "CH DAX", "CHRU DE TOURS"…
    got = labels("CH DAX - SAU - obs med\nCHRU DE TOURS - Service d'anatomie\nHAD VAL DE SEINE - 8 rue des Carrieres\n"
                 "SSR LES TILLEULS - Dr X\nLABORATOIRE BIOLOR - site\n")
    for want in ("CH DAX", "CHRU DE TOURS", "HAD VAL DE SEINE", "SSR LES TILLEULS", "LABORATOIRE BIOLOR"):
        assert (want, "HOPITAL") in got, want
    # look-alikes: a glued acronym, a lab's specialty, an all-caps sentence
    assert labels("CHOLESTEROL TOTAL 2,1 g/L\nLABORATOIRE DE MICROBIOLOGIE\nHAD ORGANISEE POUR LUNDI\n") == []


def test_a_city_closing_a_letterhead_of_dash_fields_or_a_signature():
    # dev misses of the rules (hw-129, hw-132, hw-114, hw-004, hw-062): the town is the last dash field of a
    # letterhead, or the last comma field of a signature
    got = labels("Hôpital d'instruction des armées Bégin - Médecine interne - Saint-Mandé\n"
                 "CHU Estaing - Urgences pédiatriques - Clermont-Ferrand\nCopie : Dr Renard, pneumologue, Amboise\n")
    for want in ("Saint-Mandé", "Clermont-Ferrand", "Amboise"):
        assert (want, "VILLE") in got, want
    # look-alikes: a specialty, an exam, a day closing such lines
    got = labels("Imagerie - scanner thoracique - Échographie\nJ1 - bilan - Fin\nDr Martin, vu ce jour, Cardiologie\n")
    assert [x for x in got if x[1] == "VILLE"] == [], got


def test_ancien_names_a_job_only_before_a_known_one():
    # fresh dev note hw-189 (batch 10, read once untuned): "Ancienne bactériémie à E. coli" was a profession
    assert labels("Ancienne bactériémie à E. coli en 2024. Ancien fumeur, ancien AVC.\n") == [("2024", "DATE_NON_IDENTIFIANTE")]
    # the span keeps "ancien" (CU1 convention, batch 11 adjudication, FORMAT.md)
    assert ("ancien boulanger", "IDENTITE_SOCIALE") in labels("Il est ancien boulanger, marié.\n")


def test_a_facility_named_after_an_adjective_or_an_ssr():
    # fresh dev notes hw-186, hw-188 (batch 10, read once untuned; hw-145, hw-157 before): "Hôpital privé du
    # Confluent", "SSR Les Cèdres - Vichy"
    got = labels("Hôpital privé du Confluent - compte rendu\nSSR Les Cèdres - Vichy - le 17 avril 2026\n")
    for want in (("Hôpital privé du Confluent", "HOPITAL"), ("SSR Les Cèdres", "HOPITAL"), ("Vichy", "VILLE")):
        assert want in got, want
    assert labels("Transfert en SSR gériatrique. SSR Neurologique. Hôpital de jour.\n") == []


def test_what_follows_an_age_is_a_job_only_when_it_looks_like_one():
    # fresh dev notes hw-183, hw-185 (batch 10): a diagnosis or an obstetric count after "NN ans," was a profession
    got = labels("Mme TESSIER Laura, 31 ans, deuxième pare, accouchée.\nM. KELLER Thomas, 38 ans, leucémie aiguë lymphoblastique, "
                 "consolidation.\n")
    assert [x for x in got if x[1] == "IDENTITE_SOCIALE"] == [], got
    got = labels("M. Jégou Loïc, 63 ans, marin-pêcheur, marié. Mme X, 40 ans, maçon, veuve.\n")
    assert ("marin-pêcheur", "IDENTITE_SOCIALE") in got and ("maçon", "IDENTITE_SOCIALE") in got, got


def test_caregivers_after_role_words_in_lists_and_upper_case_titles():
    # issue 17's sixth pass writes caregivers as hand-written notes do; the rules alone missed these
    # (test_quality_on_commons_fixture: NOM 221/233 → 231/233)
    cases = {
        "Service d'Urologie\nIDEC : Gauthier\n": [("Gauthier", "NOM")],
        "Service\nIDEC : Letellier-Leroy\n": [("Letellier-Leroy", "NOM")],
        "hémocultures négatives.\n\nInt. de Sauvage\n": [("de Sauvage", "NOM")],
        "Dr Gilles\n19 mai 2022 - int. Yousfi\n": [("Gilles", "NOM"), ("19 mai 2022", "DATE_IDENTIFIANTE"), ("Yousfi", "NOM")],
        "7h00 - interne Hardy / senior Dr Lucas\n": [("Hardy", "NOM"), ("Lucas", "NOM")],
        "Drs CHARRIER Denis, Da Silva et Potier\n": [("CHARRIER", "NOM"), ("Denis", "PRENOM"), ("Da Silva", "NOM"), ("Potier", "NOM")],
        "Drs Texier, Émilie Le Gall et Delmas\n": [("Texier", "NOM"), ("Émilie", "PRENOM"), ("Le Gall", "NOM"), ("Delmas", "NOM")],
        "BACTÉRIOLOGIE - 28/04/23 - DR MASSE Guy\n": [("28/04/23", "DATE_IDENTIFIANTE"), ("MASSE", "NOM"), ("Guy", "PRENOM")],
        "Dr ANDRE-SALMON Raymond - unité d'oncologie\n": [("ANDRE-SALMON", "NOM"), ("Raymond", "PRENOM")],
        "IDE : Sophie\n": [("Sophie", "PRENOM")],
        "interne Baudry Paul / senior\n": [("Baudry", "NOM"), ("Paul", "PRENOM")],
    }
    for text, want in cases.items():
        assert labels(text) == want, text
    assert ("JEAN-PIERRE", "PRENOM") in labels("Dr JEAN-PIERRE MARTIN\n")
    # look-alikes: "interne" / "int." / "IDE" as ordinary words, an upper-case "DR" (retinopathy) before clinical words
    for text in ("carotide interne Gauche perméable", "Service de Médecine interne Pneumologie", "rotation int. Droite limitée",
                 "pression int. Normale", "IDE Stop à 18h", "IDEC : RAS", "l'interne Lundi", "FO : DR NON PROLIFERANTE",
                 "RETINOPATHIE DIABETIQUE : DR MINIME", "DR AMOXICILLINE", "pose par l'IDE PICC line", "IDE de nuit"):
        assert labels(text + "\n") == [], text


def test_a_surname_next_to_first_names_without_a_title():
    # EDS-Pseudo training fold (dev side): upper-case runs and "Surname Firstname" after a field cue, no title
    cases = {
        "Rendez-vous pour YVES GUILLERMINET prévu demain\n": [("YVES", "PRENOM"), ("GUILLERMINET", "NOM")],
        "Arrivée du patient - DEVEAU JEAN FRANCOIS née le\n": [("DEVEAU", "NOM"), ("JEAN FRANCOIS", "PRENOM")],
        "Dossier médical pour Zeer Jeanne, suivi\n": [("Zeer", "NOM"), ("Jeanne", "PRENOM")],
        "Contacts importants : Verdot Sophie Tél : 06 08 21 37 89\n": [("Verdot", "NOM"), ("Sophie", "PRENOM"),
                                                                     ("06 08 21 37 89", "TELEPHONE")],
    }
    for text, want in cases.items():
        assert labels(text) == want, text
    # look-alikes: a first-name-like word beside a clinical, drug-form, street, title or place word
    for text in ("FLORE INTESTINALE normale", "Adalimumab 40 mg/0.8ml SOL INJ (HUMIRA*)", "ROSE PALE", "Avenue Jeanne, ",
                 "la Loi Bertrand", "Hôpital St Anne", "né à San Sebastián", "suivi par Mme Paul"):
        assert [x for x in labels(text + "\n") if x[0] in ("FLORE", "INTESTINALE", "SOL", "INJ", "ROSE", "PALE", "Avenue", "Loi",
                                                         "St", "San", "Mme")] == [], text


def test_a_stay_number_after_a_lower_case_cue():
    # NER calibration fold (dev side, never trained on): the hybrid left stay and reference numbers in clear
    assert ("2026-2646326", "ID") in labels("Dossier 26 726 8926, séjour 2026-2646326.\n")
    assert ("25/162263", "ID") in labels("N° séjour 25/162263 - IPP 562-018-4605\n")
    assert ("13 655 7543", "ID") in labels("Ref. : 13 655 7543/E22534907\n")
    # look-alikes: a stay's year, its dates, its length
    assert labels("séjour 2024 en Espagne\n") == [("Espagne", "PAYS")]
    assert [x[1] for x in labels("séjour 12/03/2024 au 15/03/2024\n")] == ["DATE_IDENTIFIANTE"] * 2
    assert labels("un séjour de 3 semaines\n") == []


def test_an_eponym_with_a_first_name_is_no_person():
    # found while checking look-alikes of the name rules: a first name inside an eponym was a PRENOM + NOM
    for text in ("Syndrome de Pierre Robin", "Maladie de Charcot Marie Tooth"):
        assert labels(text + "\n") == [], text
    assert labels("vu avec Marie Laurent\n") == [("Marie", "PRENOM"), ("Laurent", "NOM")]


def test_first_names_after_a_surname_and_dotted_initials():
    # EDS-Pseudo training fold (dev side): several first names after a surname, a comma-led identity line,
    # dotted initials without a final dot after a title
    cases = {
        "Cazaux Francois Eugene Albert, RDV demain\n": [("Cazaux", "NOM"), ("Francois Eugene Albert", "PRENOM")],
        "Internes : Lacoste Francois Marie (Interne)\n": [("Lacoste", "NOM"), ("Francois Marie", "PRENOM")],
        "Foubert, Daniel Rene\n": [("Foubert", "NOM"), ("Daniel Rene", "PRENOM")],
        "Dr. A.L GRABER (MCU-PH)\n": [("A.L", "PRENOM"), ("GRABER", "NOM")],
        "Docteur M.F Werner (PHC)\n": [("M.F", "PRENOM"), ("Werner", "NOM")],
    }
    for text, want in cases.items():
        assert labels(text) == want, text
    # look-alikes: a town before first names in running text, a first name then a surname
    assert labels("Lyon, Pierre et Marie\n") == []
    assert labels("Vu avec la famille, Marie Laurent\n") == [("Marie", "PRENOM"), ("Laurent", "NOM")]


def test_first_names_no_list_knows_after_a_caregivers_surname_closing_the_field():
    # EDS-Pseudo training fold, cross-fit (NER trained without the snippet): names both the NER and the rules missed
    cases = {
        "Docteur TEMAURI TAMA, initialisation du pipe\n": [("TEMAURI", "NOM"), ("TAMA", "PRENOM")],
        "Interne VORONOVA VALENTYNA\n0323737553\n": [("VORONOVA", "NOM"), ("VALENTYNA", "PRENOM"),
                                                     ("0323737553", "TELEPHONE")],
        "Interne LE ROLLAND PASCALE\n": [("LE ROLLAND", "NOM"), ("PASCALE", "PRENOM")],
        "Interne Kaba Djene\n": [("Kaba", "NOM"), ("Djene", "PRENOM")],
    }
    for text, want in cases.items():
        assert labels(text) == want, text
    # look-alikes: a ward, a specialty, a side, a day, an acronym or a disease-shaped word after the surname stays
    for text, name in (("Dr DUPONT CARDIOLOGIE\n", "DUPONT"), ("Dr DURAND CHIRURGIE VISCERALE\n", "DURAND"),
                       ("Interne Lefort Gauche\n", "Lefort"), ("Externe Dubois Lundi\n", "Dubois"),
                       ("Interne Moreau Cardiologie\n", "Moreau"), ("Interne Petit HGE\n", "Petit"),
                       ("Dr LEGRAND CARCINOME\n", "LEGRAND"), ("Interne Roux Réanimation, lit 4\n", "Roux")):
        assert labels(text) == [(name, "NOM")], text


def test_foreign_streets_and_facilities_named_in_english():
    # EDS-Pseudo training fold and hand-written dev, cross-fit: foreign addresses and hospitals both the NER and the
    # rules missed
    cases = {
        "Biotisto Inc, SchlussStrasse 13, 75 763 Leipzig\n": ("SchlussStrasse 13", "ADRESSE"),
        "MedicoDevices Inc, Straße des 17. Juni 135, 77 065 Berlin\n": ("Straße des 17. Juni 135", "ADRESSE"),
        "domicilie Rue de Carouge 41, 1205 Geneve (Suisse)\n": ("Rue de Carouge 41", "ADRESSE"),
        "re@data.st, Jefferson university hospital - primary source\n": ("Jefferson university hospital", "HOPITAL"),
        "transféré au Massachusetts General Hospital puis\n": ("Massachusetts General Hospital", "HOPITAL"),
    }
    for text, want in cases.items():
        assert want in labels(text), text
    # look-alikes: a street-like phrase before a dose, a scale's name, a street number with no postcode after it
    assert labels("Place de la Concorde 3 fois par jour, 1000 mg\n") == []
    assert labels("Rue de la Paix 2 comprimés, 1000 mg\n") == []
    assert labels("Hospital Anxiety and Depression scale à 12\n") == []


def test_upper_case_runs_led_by_a_known_first_name_with_first_names_no_list_knows():
    # EDS-Pseudo training fold, cross-fit: old first names the gazetteer lacks ("ALPHONSINE", "WILFRID")
    assert labels("merci de contacter PAULETTE ALPHONSINE RIGAUD par téléphone\n") == [
        ("PAULETTE ALPHONSINE", "PRENOM"), ("RIGAUD", "NOM")]
    assert ("WILFRID-PIERRE JEAN", "PRENOM") in labels("IPP: 5698230405, WILFRID-PIERRE JEAN RESPINGER, né le 3\n")
    # look-alikes: a drug line whose form starts with a short first name ("SOL"), places named after people
    for text in ("ETANERCEPT 20 mg/1ml SOL INJ SER (ENBREL*)\n", "ADALIMUMAB 40mg/0.4ml SOL INJ STYLO : injection\n",
                 "CLAUDE BERNARD HOPITAL\n", "ROSE MORPHINE SULFATE\n", "MARIE CURIE INSTITUT\n", "JEAN MERMOZ CENTRE\n"):
        assert labels(text) == [], text


def test_breton_names_with_c_apostrophe_h():
    # EDS-Pseudo training fold, cross-fit: "CREAC'H" was cut at its apostrophe, so no name rule matched it
    assert labels("Patient: ODETTE CREAC'H âgé de 73 ans\n") == [("ODETTE", "PRENOM"), ("CREAC'H", "NOM")]
    assert labels("Vu par le Dr Creac'h ce jour\n") == [("Creac'h", "NOM")]
    # look-alikes: an elision after an upper-case word, a hyphenated particle surname
    assert labels("JUSQU'HIER RAS\n") == []
    assert labels("Mme LE GUEN, IDE\n") == [("LE GUEN", "NOM")]


def test_first_names_after_a_titled_surname_and_a_comma():
    # EDS-Pseudo training fold, cross-fit: the first names after "M. GOSSELIN, " stayed in clear
    assert ("NADEGE MONIQUE JULIETTE", "PRENOM") in labels("M. GOSSELIN, NADEGE MONIQUE JULIETTE - 2 730543632 825\n")
    assert labels("Mme Roux, Anne Marie, 45 ans\n") == [("Roux", "NOM"), ("Anne Marie", "PRENOM")]
    # look-alikes: a first name that is a common word in running text, a specialty after the comma
    assert labels("Vu par Dr Durand, Rose et rouge\n") == [("Durand", "NOM")]
    assert labels("Dr Morel, Grace à lui\n") == [("Morel", "NOM")]
    assert labels("Pr LEROY, Service de Neurologie\n") == [("LEROY", "NOM")]


def test_a_surname_and_an_initial_before_a_number_spelled_digit_by_digit():
    # EDS-Pseudo training fold, cross-fit: identity lines "NAME INITIAL NIR" with the NIR spaced digit by digit
    assert labels("Nivor, S. 2 8 0 1 0 5 7 4 2 5 2 8 0 1 4 0 5 1\n")[:2] == [("Nivor", "NOM"), ("S.", "PRENOM")]
    assert labels("pour 3 mois  MARECHAL C  1 0 1 2 2 0 2 1  1 8 9 0 5 1 7 2 1 5\n")[:2] == [("MARECHAL", "NOM"),
                                                                                            ("C", "PRENOM")]
    # look-alikes: a disease or a vitamin with a letter before spaced digits, a 3-letter acronym
    for text in ("Hépatite C 1 2 3 4 5 6 7 8 9\n", "Vitamine D 2 0 0 0 0 0 0 0 UI\n", "Score HAS A 1 2 3 4 5 6 7 8\n"):
        assert not [lb for lb in labels(text) if lb[1] in ("NOM", "PRENOM")], text


def test_a_laboratory_or_imaging_practice_by_its_own_name():
    # hand-written dev, cross-fit: facilities with no facility word the rules knew
    cases = {"ATBgramme (labo Bio-Moselle) :\n": ("Bio-Moselle", "HOPITAL"),
             "au cabinet de radiologie\nImagerie Saint-Jacques : masse\n": ("Imagerie Saint-Jacques", "HOPITAL"),
             "prélevé au labo BIOVAL hier\n": ("BIOVAL", "HOPITAL"),
             "envoyé au laboratoire Biogroup\n": ("Biogroup", "HOPITAL")}
    for text, want in cases.items():
        assert want in labels(text), text
    # look-alikes: what the laboratory or the imaging does, an adjective, a test's name
    for text in ("Imagerie Médicale du CHU\n", "labo Hématologie\n", "Imagerie IRM cérébrale\n", "Imagerie TEP-TDM\n",
                 "labo HbA1c\n", "labo Cardio\n", "labo Urgences\n", "labo BIO\n", "labo Anti-Xa\n", "Imagerie Interventionnelle\n"):
        assert labels(text) == [], text


def test_batch_11_misses_phones_family_nationality_and_jobs():
    # hand-written batch 11 (now dev material): extensions spaced or after "bip", a status in the plural, a
    # nationality as a field after the age, jobs closed by a dictated "virgule", before "dans", after "son travail de"
    cases = {"Dr É. Marchetti, poste 4 27 18\n": ("4 27 18", "TELEPHONE"),
             "Dr Fanny Abécassis, infectiologue - bip 62 418\n": ("62 418", "TELEPHONE"),
             "Parents : Gwenaëlle Le Gall, aide-soignante, et Kévin Morvan, pacsés\n": ("pacsés", "SITUATION_FAMILIALE"),
             "M. KOWALCZYK Piotr, 63 a, polonais, chauffeur routier\n": ("polonais", "NATIONALITE"),
             "Monsieur NGUYEN VAN Thanh, 68 ans, né à Lyon, ancien cheminot, hospitalisé\n": ("ancien cheminot", "IDENTITE_SOCIALE"),
             "Patiente de 91 ans virgule veuve virgule ancienne commerçante virgule retrouvée au sol\n":
                 ("ancienne commerçante", "IDENTITE_SOCIALE"),   # CU1 (batch 11 adjudication): "ancienne" inside
             "Elle a pu retourner à son travail de cantinière à mi-temps.\n": ("cantinière", "IDENTITE_SOCIALE"),
             "Kinésithérapeute, mariée, 2 enfants.\n": ("Kinésithérapeute", "IDENTITE_SOCIALE"),
             "de nationalité algérienne, célibataire, serveur dans une brasserie de Thiers, a été\n": ("serveur", "IDENTITE_SOCIALE")}
    for text, want in cases.items():
        assert want in labels(text), text
    # look-alikes: a dose after "poste", a count after "bip", a verb after a status, no job after "son travail de"
    for text in ("poste 2 de soins, 3 mg\n", "bip 2 fois\n", "célibataire, vit dans une maison\n",
                 "il fait son travail de deuil.\n", "kinésithérapie respiratoire, kiné de déglutition\n",
                 "patient de 45 ans, fumeur, anglais parlé\n"):
        assert not [x for x in labels(text) if x[1] in ("TELEPHONE", "IDENTITE_SOCIALE", "NATIONALITE")], text
    # a clause after a status whose first word is no known job stays whole (the "dans / à" end is for known jobs)
    assert ("cadre dans une assurance", "IDENTITE_SOCIALE") in labels("Mode de vie : en couple, cadre dans une assurance, nationalité française.\n")
    assert ("aide à domicile", "IDENTITE_SOCIALE") in labels("Sur le plan social, pacsé, aide à domicile, vit à Paris.\n")


def test_batch_11_misses_facilities_and_letterheads():
    cases = {"BIOMÉDIQUE DES TROIS RIVIÈRES - Laboratoire de biologie médicale multisite\n":
                 ("BIOMÉDIQUE DES TROIS RIVIÈRES", "HOPITAL"),
             "HOSPICES CIVILS DE LYON - Plateforme de génétique moléculaire des cancers\n": ("HOSPICES CIVILS DE LYON", "HOPITAL"),
             "CABINET DE PATHOLOGIE FOREZ-ROANNAIS\n18 rue Mulsant\n": ("CABINET DE PATHOLOGIE FOREZ-ROANNAIS", "HOPITAL"),
             "ÉTABLISSEMENT PUBLIC DE SANTÉ MENTALE DU VAL-DE-DORE\nPôle\n":
                 ("ÉTABLISSEMENT PUBLIC DE SANTÉ MENTALE DU VAL-DE-DORE", "HOPITAL"),
             "MATERNITÉ LES ASPHODÈLES - bloc obstétrical\n": ("MATERNITÉ LES ASPHODÈLES", "HOPITAL"),
             "(Plateforme de génétique moléculaire des cancers Auvergne-Loire, dossier M26-03391)\n":
                 ("Plateforme de génétique moléculaire des cancers Auvergne-Loire", "HOPITAL"),
             "Dr Mériel, radiothérapeute, Centre de radiothérapie Seine-Eure\n": ("Centre de radiothérapie Seine-Eure", "HOPITAL"),
             "Vient de la résidence Les Tamaris à Wimereux\n": ("résidence Les Tamaris", "HOPITAL"),
             "posée en 2019 à la clinique des Grands Prés.\n": ("clinique des Grands Prés", "HOPITAL"),
             "suivi au CMP Les Acacias par Marion\n": ("CMP Les Acacias", "HOPITAL"),
             "Copie : Dr Le Floch, Lamballe ; PMI de Pléneuf\n": ("PMI de Pléneuf", "HOPITAL"),
             "CYPATH LORRAINE - Anatomie et cytologie pathologiques\n": ("CYPATH LORRAINE", "HOPITAL")}
    for text, want in cases.items():
        assert want in labels(text), text
    # look-alikes: a document title or a ward heading a letterhead, what a place does without a name, a clinical
    # "clinique", a kind of maternity ward, a lower-case residence
    assert_not_labelled("HOPITAL", ("COMPTE RENDU OPERATOIRE - Service de chirurgie\n", "URGENCES ADULTES - Service\n",
                 "BACTERIOLOGIE VIROLOGIE - Laboratoire\n", "Centre de Soins Dentaires\n", "tableau clinique Parkinson\n",
                 "examen clinique Normal\n", "MATERNITE NIVEAU III\n", "HAD ORGANISEE POUR LUNDI\n",
                 "en résidence Universitaire\n", "LABORATOIRE DE BIOLOGIE MEDICALE\n", "Centre de biologie et pathologie Est\n",
                 "CONCLUSION - Pathologie tumorale\n", "BIOPSIE - Anatomie\n", "IMMUNOHISTOCHIMIE - Anatomie\n"))


def test_batch_11_misses_names_places_dates_and_ids():
    cases = {"Patient : NGUYEN VAN Thanh\nNé le 1958-02-27\n": [("NGUYEN VAN", "NOM"), ("Thanh", "PRENOM")],
             "Monsieur van der Berg, 69 ans, ingénieur\n": [("van der Berg", "NOM")],
             "Copie : Dr Mazoyer, médecin traitant, Peschadoires ; CMP Les Acacias\n": [("Peschadoires", "VILLE")],
             "Copie : Dr Delorme, médecin traitant à Saint-Rémy ; M. Nguyen\n": [("Saint-Rémy", "VILLE")],
             "grossesse suivie par Laure Giraud, SF libérale à Tarascon\n": [("Tarascon", "VILLE")],
             "domicile : Oude Vismarkt 12, 8011 TM Zwolle\n": [("Oude Vismarkt 12", "ADRESSE"), ("8011 TM", "CODE_POSTAL"),
                                                                ("Zwolle", "VILLE")],
             "HC prélevées les 9, 10 et 11/12 : 1 paire\n": [("9", "DATE_IDENTIFIANTE"), ("10", "DATE_IDENTIFIANTE")],
             "Bloc étudié : 26AP11873-B4\n": [("26AP11873-B4", "ID")],
             "blocs NP-26-0734 A1 à A6\n": [("A6", "ID")],
             "N° labo 26-334-0917 - patient\n": [("26-334-0917", "ID")]}
    for text, wants in cases.items():
        got = labels(text)
        for want in wants:
            assert want in got, (text, want)
    # look-alikes: clinical words in a patient field, vertebrae ranges, a count of bottles, a town-like holiday
    for text in ("Patient : HTA Diabète\n", "Patient : BPCO Stade\n", "arthrodèse L4 à S1\n", "score 3 L1 à L5\n",
                 "les 2, 3 et 4/5 flacons\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM", "ID", "DATE_IDENTIFIANTE", "VILLE")], text
    assert labels("Dr Martin à Noël\n") == [("Martin", "NOM"), ("Noël", "DATE_IDENTIFIANTE")]   # a date, not a town (session 19)


def test_batch_11_rule_misses_the_ner_caught_relatives_secretaries_places():
    # batch 11, misses of the rules alone (the NER caught them; the rules now do too)
    cases = {"dépistage de la sœur cadette Lisa proposé\n": ("Lisa", "PRENOM"),
             "Dictée par Dr Éloïse Marchetti, frappe C. Pouillot\n": ("Pouillot", "NOM"),
             "1 G X3 DEBUTEE CE MATIN PAR LE DR LASSERRE (PAS D HEMOC)\n": ("LASSERRE", "NOM"),
             "Adresse : lieu-dit Les Bruyères, 74500 Publier\n": ("lieu-dit Les Bruyères", "ADRESSE"),
             "Adresse en France : camping de Toul-ar-Stang, Trébeurden\n": ("camping de Toul-ar-Stang", "ADRESSE"),
             "traduction par le fils Tomasz qui habite Créteil.\n": ("Créteil", "VILLE"),
             "(séjourne chez leur fille à Juvisy-sur-Orge)\n": ("Juvisy-sur-Orge", "VILLE"),
             "vers le Sint-Gerardus Ziekenhuis à Zwolle\n": ("Sint-Gerardus Ziekenhuis", "HOPITAL"),
             "Vient de la résidence Les Tamaris à Wimereux (chambre 12)\n": ("Wimereux", "VILLE"),
             "Route de Courpière - 63190 Lezoux\n": ("Route de Courpière", "ADRESSE")}
    for text, want in cases.items():
        assert want in labels(text), text
    # look-alikes: an upper-case "DR" before an adjective, "habite" before an adverb, a head glued to a word
    # ("INSTITUTIONNALISE", "CHUTE MÉCANIQUE" were facilities before), "non fumeur" after an age is no job
    for text in ("RETINOPATHIE PAR LE DR NON PROLIFERANTE\n", "elle habite Seule\n", "Habite Chez sa fille\n",
                 "INSTITUTIONNALISE, SUIVI POUR TUMEUR MALIGNE (PEAU).\n", "CHUTE MÉCANIQUE CHEZ UNE PATIENTE DE 80 ANS\n",
                 "patient de 60 ans, non fumeur, sans allergie\n", "le camping est fermé\n"):
        assert labels(text) == [], text


def test_towns_after_a_dated_birth_with_dans_or_named_as_a_town():
    # EDS-Pseudo training fold, rules alone: "né le … dans Bordeaux", "dans la ville de Nantes", "la périphérie de Tarbes"
    assert ("Bordeaux", "VILLE") in labels("Alexis GROS, né le 04/06/1976 dans Bordeaux.\n")
    assert ("Nantes", "VILLE") in labels("est née le 20/02/71 dans la ville de Nantes.\n")
    assert ("Tarbes", "VILLE") in labels("vit dans la périphérie de Tarbes jusqu'au\n")
    # look-alikes: a ward after "dans", a lower-case word
    assert not [x for x in labels("né le 3 juin dans Le service de pédiatrie\n") if x[1] == "VILLE"]
    assert not [x for x in labels("dans la ville de naissance\n") if x[1] == "VILLE"]


def test_cross_fit_names_an_initial_before_a_birth_cue_a_hyphenated_initial_a_midwife():
    # EDS-Pseudo training fold and hand-written dev, cross-fit misses (a NER that never read them was silent)
    assert labels("Arrivée du patient le 15/02/2022 - LE LAY J née le 28/12/03\n")[1:3] == [("LE LAY", "NOM"), ("J", "PRENOM")]
    assert labels("Dossier médical pour Bal G.-E., Date de naissance: 09/11/04\n")[:2] == [("Bal", "NOM"), ("G.-E.", "PRENOM")]
    assert ("Besson", "NOM") in labels("SF Besson / Dr Cottet\n")
    # look-alikes: an acronym and a letter before "née", a count after "SF"
    for text in ("HTA A née à terme\n", "SF 2 fois\n", "ECBU B né ce jour\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], text


def test_batch_12_overseas_phones_grouped_four_two_two_two():
    # hand-written batch 12 (La Réunion; dev material after its single scoring): the area code as one group of four
    for text, want in {"Secrétariat 0262 91 33 70 - urologie.secretariat@ch.re\n": "0262 91 33 70",
                       "Tél. fille : 0692 41 07 88\n": "0692 41 07 88",
                       "joignable au 0693.02.55.17 le soir\n": "0693.02.55.17"}.items():
        assert (want, "TELEPHONE") in labels(text), text
    # look-alikes: a decimal after the groups, a year-led series, a decimal before (session 23: ten digits from "0" with
    # mixed separators, "0262 35.91 40", are a phone, `phone_fr`'s grouped shape; no longer a look-alike)
    assert_not_labelled("TELEPHONE", ("lot 0262 35 91 40,5\n", "résultats 2024 12 03 05\n", "dosage 0,262 35 91 40\n"))


def test_batch_12_identity_lines_nationality_alone_and_the_job_after_it():
    # hand-written batch 12 (dev): a nationality as a lone comma field after a birth date or place, then the job
    got = labels("Identité : MEYER Lisa, née le 12.03.1997, allemande, étudiante en droit à Bâle (Suisse)\n")
    assert ("allemande", "NATIONALITE") in got and ("étudiante en droit", "IDENTITE_SOCIALE") in got
    assert ("comorien", "NATIONALITE") in labels("M. ALI Said, 40 ans, né à Moroni (Comores), comorien, maçon\n")
    assert ("mauricienne", "NATIONALITE") in labels("Née le : 1990-01-02 à Rose-Hill (île Maurice), mauricienne, mariée\n")
    # look-alikes: languages spoken, an adjective inside a clinical phrase, a comma field with no identity cue before
    assert_not_labelled("NATIONALITE", ("Parle créole, français, anglais\n", "Antécédent de grippe espagnole, guérie\n",
                 "Traitement par la méthode, suisse, non validée\n", "Examen : rachitisme, anglaise, ancienne\n"))


def test_batch_12_identifiers_table_fields_urgences_file_passport_block_ranges():
    assert ("974 300 5581", "ID") in labels("IPP / INS | 974 300 5581 / 2 71 06 974 11 203 47\n")
    assert ("UR 26 071 553", "ID") in labels("Dossier urgences UR 26 071 553\n")
    assert ("C4KX7YR29", "ID") in labels("Pièce d'identité : passeport n° C4KX7YR29 ; pas de carte vitale\n")
    got = labels("Réf. examen : P26-07731 (blocs P26-07731-A1 à A14)\n")
    assert ("A14", "ID") in got
    assert ("B7", "ID") in labels("Relecture (blocs H26-09142 B3 et B7 envoyés)\n")
    # look-alikes: vertebrae and a passport with no number, a stage pair with no identifier before
    assert_not_labelled("ID", ("hernie discale L4 et L5\n", "passeport valide jusqu'en 2030\n", "carte d'identité perdue\n",
                 "stades T2 et T3\n", "dossier urgences complet\n"))


def test_batch_12_names_signature_colon_role_brackets_married_name_and_written_date_town():
    got = labels("Rédigé par : N. Fontaine, interne\n")
    assert ("N.", "PRENOM") in got and ("Fontaine", "NOM") in got
    assert ("Murielle", "PRENOM") in labels("Consultation d'annonce le 03/12, IDE d'annonce Murielle.\n")
    assert ("Yolande", "PRENOM") in labels("Retour envisageable, prévenu l'IDEC (Yolande).\n")
    assert ("Latchoumy", "NOM") in labels("Opérateur : Dr Ethève  Aide : Latchoumy (IBODE)\n")
    assert ("DOOKHUN", "NOM") in labels("Parturiente : DOOKHUN épouse RAMJEAWON Anjali\n")
    assert ("Saint-Pierre", "VILLE") in labels("Saint-Pierre le neuf décembre deux mille vingt-six\n")
    assert ("BP 350", "ADRESSE") in labels("CHU Sud, site Terre-Sainte - BP 350 - 97448 Saint-Pierre Cedex\n")
    # look-alikes: the clinical eponym with no signature, a device after a nurse, an acronym in brackets, a blood
    # pressure "BP" with no postcode, a lower-case sentence before a written date
    for text in ("stade II de Fontaine\n", "pose par l'IDE (PICC)\n", "Pansement (IDE)\n", "Soins : Pansement (IDE)\n", "BP 120 mmHg\n",
                 "TRAITEMENT EN COURS ÉPOUSE TOUT\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM", "ADRESSE")], text


def test_batch_12_jobs_retired_worker_and_activity():
    assert ("planteur de canne retraité", "IDENTITE_SOCIALE") in labels("ATCD : DT2, HTA, planteur de canne retraité à Petite-Île.\n")
    assert [x for x in labels("il a repris son activité de technicien à EDF à mi-temps\n") if x[1] == "IDENTITE_SOCIALE"]
    # look-alikes: a retired status alone, an activity that is no job
    assert_not_labelled("IDENTITE_SOCIALE", ("HTA, retraité depuis 2019\n", "il a repris son activité de marche\n", "DT2, insuline, traitement retraité\n"))


def test_batch_12_towns_after_a_job_or_a_relative_kin_with_a_colon_signature_line():
    assert ("Mamoudzou", "VILLE") in labels("M. SAÏD Ali, 34 ans, comorien, maçon à Mamoudzou, arrivé le 28/11\n")
    assert ("Montpellier", "VILLE") in labels("Famille : épouse prévenue, fils Dimitri à Montpellier.\n")
    assert ("Toamasina", "VILLE") in labels("Son fils Tojo (à Toamasina) souhaite un courrier\n")
    # a first name no list knows is read as the surname (the relative rule's convention): both are caught
    got = {w for w, lab in labels("Conjoint : Vikash Ramjeawon, en déplacement\n") if lab in ("NOM", "PRENOM")}
    assert got == {"Vikash", "Ramjeawon"}
    got = {w for w, lab in labels("son cousin Anli Madi, interprète\n") if lab in ("NOM", "PRENOM")}
    assert got == {"Anli", "Madi"}
    assert ("CAZAL", "NOM") in labels("Mme VIRAPOULLE Marie Rose nee CAZAL\n")
    got = labels("Joignable au poste.\nL. Grosset, assistant SMIT\n")
    assert ("L.", "PRENOM") in got and ("Grosset", "NOM") in got
    # look-alikes: a job then a lower-case place or a company, an uncle with no name, a sentence after an initial
    for text in ("maçon à domicile\n", "technicien à EDF\n", "oncle : non\n",
                 "A. Bilan, interne prévenu\n", "C. Conclusion, médecin traitant informé\n"):
        assert not [x for x in labels(text) if x[1] in ("VILLE", "NOM")], text


def test_cu1_overseas_departments_are_not_countries_island_states_are():
    # FORMAT.md, batch 12 adjudication: "arrivé de Mayotte" is not marked (as "Bretagne"); "(île Maurice)" is PAYS
    assert ("île Maurice", "PAYS") in labels("Née le 02/01/1990 à Curepipe (île Maurice), mariée\n")
    assert ("Comores", "PAYS") in labels("Pas de voyage hors Mayotte/Comores.\n")
    assert_not_labelled("PAYS", ("arrivé de Mayotte le 28/11\n", "Réunion Clinique Multidisciplinaire\n", "né en Guadeloupe\n"))


def test_eds_train_fold_glued_title_initial_led_first_name_patient_initial():
    # EDS-Pseudo training fold, rules alone: a title glued by its dot, "Pr M-Antonin X", "Patient: J.-C X"
    assert ("Fromentin", "NOM") in labels("Contactez Dr.Fromentin par e-mail.\n")
    assert ("Philippot", "NOM") in labels("| Mme.Philippot Maurice | 30/06/19 |\n")
    got = labels("Adjoints | Pr M-Antonin Delirieux (PU-PH) |\n")
    assert ("M-Antonin", "PRENOM") in got and ("Delirieux", "NOM") in got
    got = labels("Patient: J.-C Charpentier âgé de 73 ans\n")
    assert ("J.-C", "PRENOM") in got and ("Charpentier", "NOM") in got
    # look-alikes: an e-mail with "dr." inside, "M." before a lower-case word, a germ after "patient"
    assert labels("écrire à dr.hardy@aphp.com\n") == [("dr.hardy@aphp.com", "EMAIL")]
    for text in ("le M.avium est sensible\n", "patient S. aureus positif\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], text


def test_name_glued_to_an_address_number_spaced_postcode_and_an_island_state_after_a_stay():
    # EDS-Pseudo training fold (a name glued to the address number) and batch 12 ("Séjour à Maurice")
    got = labels("02 - Robert Winford Kennedy76 rue Haute Chiffure 15 414 Lille\n")
    for want in (("Kennedy", "NOM"), ("76 rue Haute Chiffure", "ADRESSE"), ("15 414", "CODE_POSTAL"), ("Lille", "VILLE")):
        assert want in got, want
    assert ("75 012", "CODE_POSTAL") in labels("habite au 12 rue des Lilas 75 012 Paris\n")
    assert ("Maurice", "PAYS") in labels("Séjour à Maurice (clinique privée, août 2025)\n")
    assert ("Maurice", "PAYS") in labels("sonde JJ posée à Maurice en 2025\n")
    # look-alikes: the first name Maurice, a count glued to a word, a dose before "rue"
    assert not [x for x in labels("appelé Maurice au téléphone, vu avec Maurice\n") if x[1] == "PAYS"]
    for text in ("CHU4 rue\n", "Leucocytes 12 500 Paris\n"):
        assert not [x for x in labels(text) if x[1] in ("ADRESSE", "NOM")], text


def test_two_surnames_after_a_title_then_the_first_name_closing_the_field():
    # EDS-Pseudo training fold: "Professeur Alcolea Ruiz Gorgonia" (a first name no list knows, closing the line)
    got = labels("Professeur Alcolea Ruiz Gorgonia\n01 12 31 70 76\n")
    assert ("Ruiz", "NOM") in got and ("Gorgonia", "PRENOM") in got
    # look-alikes: a ward or a day after a titled name closing the line
    for text in ("Dr Martin Durand Cardiologie\n", "Dr Martin Durand Lundi\n", "Pr Leroy Dubois Réanimation\n"):
        assert not [x for x in labels(text) if x[0] in ("Cardiologie", "Lundi", "Réanimation")], text


def test_lower_case_facility_named_by_its_kind_and_a_place_and_a_retired_job_town():
    # CU1 (batch 12 adjudication): "[[centre de référence de Lyon|HOPITAL]]", the kind word inside
    for text, want in {"envoyés au centre de référence de Lyon le 19/11\n": "centre de référence de Lyon",
                       "relu au centre expert de relecture de Bordeaux). Pour\n": "centre expert de relecture de Bordeaux",
                       "réalisé au centre d'imagerie Les Lianes ne retrouve\n": "centre d'imagerie Les Lianes"}.items():
        assert (want, "HOPITAL") in labels(text), text
    assert ("Gramat", "VILLE") in labels("AOMI stentée, agriculteur retraite a Gramat\n")
    # look-alikes: the centre of a lesion, an eponym, results "pour" a person
    assert_not_labelled("HOPITAL", ("au centre de la lésion de Wilms\n", "le centre du nodule\n", "Résultats de laboratoire pour Bennacer Atmane.\n"))


def test_cu1_cedex_outside_the_town_and_pagers_without_their_cue():
    # FORMAT.md (batches 11-12 adjudication): "[[Saint-Pierre|VILLE]] Cedex", "bip [[62 418|TELEPHONE]]"
    got = labels("site de Terre-Sainte - BP 350 - 97448 Saint-Pierre Cedex\n")
    assert ("Saint-Pierre", "VILLE") in got and ("97448", "CODE_POSTAL") in got
    assert ("62 418", "TELEPHONE") in labels("joindre le bip 62 418\n")
    # look-alikes: a relative named by kinship and a way of living are not marked
    assert labels("son épouse est prévenue, vit seul\n") == []


def test_countries_from_the_cldr_list_and_their_own_language_names():
    # batch 13: "la Grèce et la Libye", "8970 Poperinge, België"; the list is countries_fr.txt (CLDR French names)
    got = labels("après un parcours par l'Iran, la Grèce et la Libye virgule hospitalisé\n")
    assert ("Libye", "PAYS") in got
    for text, want in {"Ieperstraat 4, 8970 Poperinge, België\n": "België", "né en Jordanie, vit au Qatar\n": "Qatar",
                       "travaillait en Nederland\n": "Nederland", "arrivé du Myanmar en 2019\n": "Myanmar"}.items():
        assert (want, "PAYS") in labels(text), text
    # look-alikes: stains and fevers named after a country, first names that are countries, overseas France
    assert_not_labelled("PAYS", ("coloration à l'encre de Chine positive, rouge Congo négatif\n", "fièvre de Malte\n",
                                 "Dominique, sa fille, est présente\n", "arrivée de Mayotte en juin\n"))


def test_belgian_and_dutch_streets_with_their_postcode():
    # batch 13 (a Flemish-coast hand): "2 digue des Alliés - 59140", "Provinciebaan 37, B-8970", "Ieperstraat 4, 8970 Poperinge"
    got = labels("MATERNITÉ NOTRE-DAME DES DUNES\n2 digue des Alliés - 59140 Dunkerque\n")
    assert ("2 digue des Alliés", "ADRESSE") in got and ("59140", "CODE_POSTAL") in got
    got = labels("huisarts, Ieperstraat 4, 8970 Poperinge, België\n")
    assert ("Ieperstraat 4", "ADRESSE") in got and ("8970", "CODE_POSTAL") in got and ("Poperinge", "VILLE") in got
    assert ("Provinciebaan 37", "ADRESSE") in labels("agriculteur à Poperinge (Provinciebaan 37, B-8970), assuré\n")
    # look-alikes in other phrasings: a Walloon "chaussée", an Italian "Via", a Dutch "laan"
    for text, want in {"vit 12 chaussée de Louvain, 1030 Schaerbeek\n": "12 chaussée de Louvain",
                       "Via Garibaldi 12, 20121 Milano\n": "Via Garibaldi 12",
                       "adresse : Stationslaan 8, 2800 Mechelen\n": "Stationslaan 8"}.items():
        assert (want, "ADRESSE") in labels(text), text
    # look-alikes that stay clear: counts before a walk, a line, a visit
    assert_not_labelled("ADRESSE", ("pose d'1 voie veineuse, 2 passages aux urgences, 1 promenade quotidienne\n",
                                    "1 sentier de marche, 3 parvis\n", "2 digues de protection\n"))


def test_batch13_ids_maiden_and_weekday_dates():
    # batch 13: a Belgian national register number, a visit number with a letter, "nom d'usage", "le lundi 7/12"
    assert ("60.05.17-233.41", "ID") in labels("numéro de registre national 60.05.17-233.41, accompagné\n")
    assert ("756.4182.7730.15", "ID") in labels("AVS 756.4182.7730.15\n")
    assert ("V 26 118 930", "ID") in labels("Dossier clinique MOE-2026-004412 - venue V 26 118 930\n")
    for text, want in {"Patiente : VANDENBUSSCHE Marie-Thérèse (nom d'usage Decoster) née le 03/12/1944\n": "Decoster",
                       "Nom de naissance : MARTIN\n": "MARTIN", "nom marital Lefebvre\n": "Lefebvre"}.items():
        assert (want, "NOM") in labels(text), text
    assert ("7/12", "DATE_IDENTIFIANTE") in labels("RDV contrôle le lundi 7/12 9h30\n")
    # look-alikes: counts after a visit or a stay, bottles after a weekday, a count per field
    assert_not_labelled("ID", ("venue 2 fois, séjour 12 jours, passage 100 000 UI\n",))
    assert_not_labelled("DATE_IDENTIFIANTE", ("dimanche 3/4 flacons positifs\n", "Mitoses : 24 / 10 HPF\n"))


def test_batch13_facilities_towns_jobs_and_a_nationality_by_class():
    # public-health and social facilities by their acronym or kind, an occupational-health letterhead, "clinique de l'X"
    for text, want in {"cc : Dr Nguyen (PASS), CLAT du Nord antenne de Dunkerque\n": "CLAT du Nord",
                       "suivi au CSAPA Le Relais depuis mai\n": "CSAPA Le Relais",
                       "par le Dr Lemaire à la clinique de l'Audomarois.\n": "clinique de l'Audomarois",
                       "SERVICE DE SANTÉ AU TRAVAIL PORTUAIRE DUNKERQUE-FLANDRE - centre médical\n":
                           "SERVICE DE SANTÉ AU TRAVAIL PORTUAIRE DUNKERQUE-FLANDRE",
                       "sinon halte de nuit Accueil du Bassin.\n": "halte de nuit Accueil du Bassin",
                       "orienté vers le CHRS Les Glycines\n": "CHRS Les Glycines"}.items():
        assert (want, "HOPITAL") in labels(text), text
    # a town named by its administration or as a compound place name; "retraité de Gravelines" is a town
    for text, want in {"au guichet unique (GUDA) de Lille le jeudi\n": "Lille", "convoqué à la préfecture de Nîmes\n": "Nîmes",
                       "sur l'aire de Saint-Georges-sur-l'Aa).\n": "Saint-Georges-sur-l'Aa",
                       "venue de Châlons-en-Champagne hier\n": "Châlons-en-Champagne",
                       "né le 30.06.1957 marin pêcheur retraité de Gravelines que vous\n": "Gravelines"}.items():
        assert (want, "VILLE") in labels(text), text
    # jobs: after a birth date with "retraité" inside (FORMAT.md), as a "Poste :" field, after a nationality field
    for text, want in {"né le 30.06.1957 marin pêcheur retraité de Gravelines\n": "marin pêcheur retraité",
                       "Poste : docker (cariste-portiqueur), manutention\n": "docker (cariste-portiqueur)",
                       "Pat. : SCHNEIDER Jürgen, ° 1971-03-28, allemand, chauffeur poids lourd (transporteur), de\n":
                           "chauffeur poids lourd"}.items():
        assert (want, "IDENTITE_SOCIALE") in labels(text), text
    # a nationality after a titled name, a language named earlier on the line
    got = labels("Parle allemand et anglais, échange via collègue (M. Kowalczyk Piotr, polonais, +48 601 226 713).\n")
    assert ("polonais", "NATIONALITE") in got
    # look-alikes: a minor, a seasonal rhinitis, the glucose transporter, a focus of infection, "retraitée de la SNCF",
    # languages, a sentence opening with "Depuis le"
    assert_not_labelled("IDENTITE_SOCIALE", ("mineur non accompagné, 16 ans\n", "rhinite, saisonnière\n",
                                             "Poste : 4417\n"))
    assert_not_labelled("HOPITAL", ("foyer infectieux Pulmonaire droit\n", "foyer de condensation Basal\n"))
    assert_not_labelled("VILLE", ("retraitée de la SNCF\n", "mots.\n\nDepuis le 22 novembre crises\n",
                                  "préfecture de Police\n"))
    assert_not_labelled("NATIONALITE", ("parle créole, français\n",))


def test_batch13_rules_only_misses_a_signature_a_street_then_its_number_and_a_stay_town():
    # batch 13's misses of the rules alone (the NER had them): a signature after a closing formula, "Rue X, 211 - 59380",
    # an unnumbered street before its town, a town after "hospitalisé … à"
    got = labels("Bien confraternellement,\nA. Devos\n\ncc : Dokter\n")
    assert ("A.", "PRENOM") in got and ("Devos", "NOM") in got
    got = labels("chirurgie cervico-faciale\nRue de la Chaussée-Brunehaut, 211 - 59380 Bergues\n")
    assert ("Rue de la Chaussée-Brunehaut, 211", "ADRESSE") in got and ("59380", "CODE_POSTAL") in got
    assert ("rue du Bois-Saint-Georges", "ADRESSE") in labels("Vit au campement de la rue du Bois-Saint-Georges à Loon-Plage\n")
    assert ("Tripoli", "VILLE") in labels("hospitalisé deux semaines à Tripoli dit-il.\n")
    # look-alikes: a closing formula followed by a sentence, a sign named after a place, a route between two towns
    assert_not_labelled("NOM", ("Cordialement,\nLe service de pneumologie\n",))
    assert_not_labelled("ADRESSE", ("transféré de Lyon à Paris\n", "hospitalisé à Lyon\n", "chemin clinique à Lyon\n"))


def test_runs_of_known_first_names_then_a_surname_and_an_adjective_before_a_hospital_name():
    # EDS-Pseudo training fold, rules alone: "MICHEL FERNAND JEREMIE Tranier", "à part BERNARD MARIE MARCOS et",
    # "au sein de Hôpital européen Georges-Pompidou"
    got = labels("Secrétaire Médicale\nMICHEL FERNAND JEREMIE Tranier\nTel: 0\n")
    assert ("MICHEL FERNAND JEREMIE", "PRENOM") in got and ("Tranier", "NOM") in got
    got = labels("à part BERNARD MARIE MARCOS et Jean\n")
    assert ("BERNARD MARIE", "PRENOM") in got and ("MARCOS", "NOM") in got
    assert ("Hôpital européen Georges-Pompidou", "HOPITAL") in labels("au sein de Hôpital européen Georges-Pompidou.\n")
    # look-alikes: a hospital named after two first names, an eponym, a field name after a name
    assert_not_labelled("NOM", ("CLAUDE BERNARD HOPITAL\n", "syndrome de Pierre Marie Bamberger\n"))
    assert ("Profession", "NOM") not in labels("Sandalio DIEGO Profession : Bandit\n")


def test_a_place_after_a_job_closes_it_and_a_town_after_an_events_year():
    # dev cross-fit (hybrid misses: the job span lost to the NER's town inside it): "garde forestière dans les Landes",
    # "ancien docker au Port"; a town after a year: "1er AVB en 2021 à Rose-Hill"
    assert ("garde forestière", "IDENTITE_SOCIALE") in labels("Mme Garnier Élodie, 38 ans (17/01/1987), garde forestière dans les Landes.\n")
    assert ("ancien docker", "IDENTITE_SOCIALE") in labels("Saint-Joseph (vit seul, divorcé, ancien docker au Port)\n")
    assert ("serveur", "IDENTITE_SOCIALE") in labels("célibataire, serveur dans une brasserie de Thiers,\n")
    assert ("Rose-Hill", "VILLE") in labels("G2P1 (1er AVB en 2021 à Rose-Hill) | terme\n")
    # look-alikes: a year then a dose or a place that is no town
    assert_not_labelled("VILLE", ("traitée en 2021 à Domicile\n", "en 2020 à J15 de chimiothérapie\n"))


def test_batch14_ids_with_a_letter_group_insurance_numbers_and_a_three_digit_pager():
    # batch 14 (a Strasbourg hand): "N° de demande : 26-H-118204", "n° d'assuré K 482 771 906", "bip 312"
    assert ("26-H-118204", "ID") in labels("N° de demande : 26-H-118204        Service demandeur : réanimation\n")
    assert ("2026-M-55120", "ID") in labels("Dossier : 2026-M-55120\n")   # was a postcode before
    assert ("K 482 771 906", "ID") in labels("Caisse : AOK, n° d'assuré K 482 771 906.\n")
    assert ("312", "TELEPHONE") in labels("Relu par Dr L. Grunenwald bip 312\n")
    # look-alikes: a dialysis station, a dose after "bip", a count, a short code
    assert_not_labelled("TELEPHONE", ("Séance du samedi, poste 11 - néphrologue\n", "bip 250 mg\n", "poste 312 du planning\n"))
    assert_not_labelled("ID", ("n° d'assuré : à compléter\n", "groupe A-B-O\n"))


def test_batch14_an_initial_alone_after_a_title_a_german_degree_and_a_typists_initials():
    # "Monsieur K., 77 ans", "Mme B. a présenté", "Dr med. Schäfer", "Dr med. Andrea Pfister", "CL/MH" alone on its line
    assert ("K.", "NOM") in labels("Monsieur K., 77 ans, cheminot retraité, veuf\n")
    got = labels("Sur le plan de la tolérance, Mme B. a présenté une paronychie\n")
    assert ("B.", "NOM") in got and ("Mme", "NOM") not in got
    assert ("Schäfer", "NOM") in labels("Copie : Dr med. Schäfer, Hausarzt, Offenburg ; dossier\n")
    got = labels("Dr med. Andrea Pfister\nHNO-Klinik\n")
    assert ("Andrea", "PRENOM") in got and ("Pfister", "NOM") in got
    got = labels("Dr Claire Lorentz, oncologue - RPPS 10003558214\nCL/MH\nCopie : Dr Ott\n")
    assert ("CL", "NOM") in got and ("MH", "NOM") in got
    # look-alikes: an initial then a surname (one person), two clinical acronyms on their own line, a result after "mère"
    got = labels("Relu par Dr L. Grunenwald\n")
    assert ("L.", "PRENOM") in got and ("L.", "NOM") not in got
    assert_not_labelled("NOM", ("Antécédents :\nHTA/AVC\n", "FA/AVC\n", "Au total INBP possible, mère SGB positive.\n",
                                "père VIH+ connu\n"))


def test_batch14_bare_days_of_a_range_and_after_an_exam():
    # "nuit du 27 au 28/11/2026": the first day; "(antibiogramme du 26 en main)": a day after an exam
    assert ("27", "DATE_IDENTIFIANTE") in labels("note de garde nuit du 27 au 28/11/2026\n")
    assert ("26", "DATE_IDENTIFIANTE") in labels("céfépime (antibiogramme du 26 en main), pas d'amika\n")
    assert ("12", "DATE_IDENTIFIANTE") in labels("le bilan du 12 montre une cytolyse\n")
    # look-alikes: a dose range, an exam on a day of treatment, an hour, a count
    assert_not_labelled("DATE_IDENTIFIANTE", ("du 3 au 5 mg/kg\n", "examen du 2e jour\n", "staff du 14h\n",
                                              "prélèvements du 3 % des patients\n"))


def test_batch14_a_work_health_service_a_former_and_a_present_job_and_a_nationality_after_family():
    got = labels("SSTI RHIN-PORT - centre médical du port - 8 rue du Bassin 67100 Strasbourg\n")
    assert ("SSTI RHIN-PORT", "HOPITAL") in got
    got = labels("Parents : M. Ahmad Al-Hassan, ancien pharmacien à Alep, aujourd'hui agent de sécurité ; Mme Nour Khalil\n")
    assert ("ancien pharmacien", "IDENTITE_SOCIALE") in got and ("agent de sécurité", "IDENTITE_SOCIALE") in got
    assert ("syrienne", "NATIONALITE") in labels("Famille syrienne, arrivée en France en 2023\n")
    # look-alikes: a past illness after "ancienne", a state after "aujourd'hui", a flu named after a country
    assert_not_labelled("IDENTITE_SOCIALE", ("Ancienne bactériémie à E. coli\n", "aujourd'hui apyrétique, désormais autonome.\n",
                                             "aujourd'hui agent infectieux retrouvé\n"))
    assert_not_labelled("NATIONALITE", ("antécédent de grippe espagnole\n", "famille nombreuse\n"))


def test_serovars_are_not_names():
    # batch 14 over-scrub (the NER): "Salmonella enterica sérotype Typhi", "portage chronique de S. Typhi"
    from partages_core.governance.lexicons import PROTECTED
    assert {"typhi", "paratyphi", "typhimurium", "enteritidis"} <= PROTECTED


def test_phones_with_a_country_code_in_brackets_five_pairs_and_mixed_separators():
    # EDS-Pseudo training fold's shapes, by class: "(33) 5 89 43 01 85", "(41) 61 55 52 79 40", "56.34.14.83.96",
    # "71-64-87-05-96", "04 31 80.92 13"
    for text, phone in (("Contacter le (33) 5 89 43 01 85 pour rdv.\n", "(33) 5 89 43 01 85"),
                        ("joignable au (41) 61 55 52 79 40.\n", "(41) 61 55 52 79 40"),
                        ("Dr Martin\n56.34.14.83.96\n", "56.34.14.83.96"),
                        ("Contacter le 71-64-87-05-96 pour rdv.\n", "71-64-87-05-96"),
                        ("Tél. : 04 31 80.92 13\n", "04 31 80.92 13")):
        assert (phone, "TELEPHONE") in labels(text), text
    # look-alikes: counts in brackets, a version number, two dates, a date and a time
    assert_not_labelled("TELEPHONE", ("(2) 12 mg puis (1) 2014 2015\n", "versions 1.2.3.4.5\n", "18-03-1999 06-04-2024\n",
                                      "le 12.03.2024 à 10.30\n"))


def test_batch14_rules_only_misses_upper_case_titles_a_first_name_first_identity_line_and_asylum_centres():
    # batch 14's misses of the rules alone (the NER had them), by class
    got = labels("Int. de garde T. Brunstein / sénior Dr Ehrhart\n")
    assert ("T.", "PRENOM") in got and ("Brunstein", "NOM") in got
    got = labels("Enfant : Rima AL-HASSAN, née le 15/03/2015 (11 ans)\n")
    assert ("Rima", "PRENOM") in got and ("AL-HASSAN", "NOM") in got
    got = labels("(MME ROTHENBURGER, POSTE 6 21 48) :\nFAMILLE HEBERGEE AU CADA LES PEUPLIERS, 12 RUE DE LA GANZAU, 67100 STRASBOURG\n")
    assert ("ROTHENBURGER", "NOM") in got and ("CADA LES PEUPLIERS", "HOPITAL") in got
    assert ("Strasbourg", "VILLE") in labels("Strasbourg, le vendredi quatre décembre deux mille vingt-six\n")
    # look-alikes: upper-case clinical words after MME, a test before a birth cue, a return from a country on a weekday
    assert_not_labelled("NOM", ("vu avec MME DOULEUR THORACIQUE\n",))
    assert_not_labelled("PRENOM", ("Bilan : Test HIV, née\n",))
    assert_not_labelled("VILLE", ("Rentrée du Canada le vendredi 1er avril\n",))


def test_postcodes_by_layout_a_cue_dashes_brackets_dans_le_and_corsica():
    # the EDS-Pseudo postcode shapes ("75015", "74 698", "2A 322") in layouts the rules did not read, found by
    # varying the training fold's layouts (held-out fold unread)
    for text, pc in (("code postal 31083\n", "31083"), ("CP : 2A 596\n", "2A 596"),
                     ("Domicile : 12 rue des Lilas - 97251 - Saint-Denis\n", "97251"),
                     ("Les Mureaux (55 841)\n", "55 841"), ("Ajaccio (2A098)\n", "2A098"),
                     ("sept allée des roses, Les Mureaux 62 217\n", "62 217"),
                     ("habite au 12 rue des Lilas à Saint-Denis dans le 40119.\n", "40119"),
                     ("à Bastia, 2A 322\n", "2A 322"), ("2B 757 Bastia\n", "2B 757")):
        assert (pc, "CODE_POSTAL") in labels(text), text
    # look-alikes: a count between dashes, a count after "dans le", a stage, a count of tablets
    assert_not_labelled("CODE_POSTAL", ("Score - 12 345 - ok\n", "Dossier - 12345 - mars\n", "dans le 12500 UI\n",
                                        "stade 2A 123\n", "CP 12 comprimés\n"))


def test_hyphenated_facility_names_whole_two_towns_lived_between_and_a_name_an_appointment_is_for():
    # dev cross-fit (hand-written: "CRIOAc Val-de-Loire", "vit entre Antananarivo et Saint-Louis"; the facility rule used to
    # stop at the first lower-case link, leaving "-en-Bresse" in clear) and the EDS-Pseudo training fold ("Rendez-vous
    # pour D Tronchere", "résultats … pour KANTYN JM")
    for text, name in (("(CRIOAc Val-de-Loire) ;\n", "CRIOAc Val-de-Loire"), ("Maternité CH Bourg-en-Bresse - suites\n", "CH Bourg-en-Bresse"),
                       ("au CHU Saint-Paul-les-Dax en 2021\n", "CHU Saint-Paul-les-Dax")):
        assert (name, "HOPITAL") in labels(text), text
    got = labels("qui vit entre Antananarivo et Saint-Louis chez sa fille\n")
    assert ("Antananarivo", "VILLE") in got and ("Saint-Louis", "VILLE") in got
    got = labels("Rendez-vous pour D Tronchere prévu le 16.5.2023\n")
    assert ("D", "PRENOM") in got and ("Tronchere", "NOM") in got
    got = labels("Parmi les résultats du 12 décembre 2020 pour KANTYN JM on observe\n")
    assert ("KANTYN", "NOM") in got and ("JM", "PRENOM") in got
    # look-alikes: exams or acronyms an appointment is for, a town's district, a title without a name
    for text in ("rendez-vous pour IRM TDM\n", "Rendez-vous pour HTA AB\n", "Résultats pour Marseille Nord.\n", "Courrier pour Monsieur\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], text


def test_a_number_named_by_what_it_numbers():
    # "N° d'anapath : 52-5481454", "N° d'enregistrement 21-2472019", "référence 76-Z-615573" (a cue the rules did not
    # list; found on synthetic id layouts, 15 cues x 15 shapes: 24 of 225 missed before, 0 after)
    for text, value in (("N° d'anapath : 52-5481454.\n", "52-5481454"), ("N° d'enregistrement 380 675 691.\n", "380 675 691"),
                        ("référence 76-Z-615573.\n", "76-Z-615573"), ("numéro de lot 380675691\n", "380675691")):
        assert (value, "ID") in labels(text), text
    # a spaced run is not cut by it: the whole run stays one identifier
    assert ("1 8 9 0 4 1 6 5 7 2 7 8 3", "ID") in labels("Numéro de Keien 1 8 9 0 4 1 6 5 7 2 7 8 3\n")
    # look-alikes: a decree's number, a room, a letter's date, a phone number
    assert_not_labelled("ID", ("décret n° 2016-1234 du 3 mars\n", "Loi n° 2002-303\n", "n° de chambre 12\n",
                               "en référence à votre courrier du 12/03/2024\n", "numéro de téléphone 06 12 34 56 78\n"))


def test_batch15_jobs_after_a_work_phrase_a_workplace_in_lower_case_a_parenthesis_and_a_nationality_after_est():
    # batch 15 (hw-257..hw-272, a Marseille and Corsica hand, now dev) professions and a nationality the rules missed
    for text, job in (("Asthénie qui l'empêche de reprendre son travail d'aide-soignante en EHPAD.\n", "aide-soignante"),
                      ("récépissé valable jusqu'au 15/01/2027), femme de ménage à temps partiel.\n", "femme de ménage"),
                      ("née le 3 février 1977 à Taroudant (Maroc), ouvrier agricole saisonnier dans une exploitation d'agrumes.\n",
                       "ouvrier agricole saisonnier"),
                      ("baisse d'audition.\nCuisinier (chef de partie) dans un restaurant du port.\n", "Cuisinier")):
        assert (job, "IDENTITE_SOCIALE") in labels(text), text
    assert ("algérien", "NATIONALITE") in labels("né le 11 mai 1968. Il est algérien, maçon au chômage.\n")
    # look-alikes: a symptom in a workplace-like clause, a bracketed clinical aside, "est" before a state
    assert_not_labelled("IDENTITE_SOCIALE", ("| Douleur (membre inférieur) dans un contexte fébrile.\n",
                                             "Asthénie, reprise de son travail de deuil en cours.\n",
                                             "Périnée intact.\nPédiatre prévenu (Dr Morin) : surveillance.\n"))
    assert_not_labelled("NATIONALITE", ("Il est fatigué, elle est apyrétique.\n",))


def test_batch15_addresses_without_a_number_buildings_and_an_italian_street():
    # letterhead streets with no number ("Place", "Quai" with lower-case links), a block of flats with its building
    # and stair, a residence with its flat, an Italian "via" in lower case
    for text, adr in (("Unité d'oncodermatologie - Quai des Martyrs-de-la-Libération - 20200 BASTIA\n", "Quai des Martyrs-de-la-Libération"),
                      ("Cabinet médical - Place de l'Église - 20226 Speloncato\n", "Place de l'Église"),
                      ("Cabinet médical - Place Santa Catalina - 20260 LUMIO\n", "Place Santa Catalina"),
                      ("chez une tante, cité Bassens, bât. 4, esc. B, 13015 Marseille.\n", "cité Bassens, bât. 4, esc. B"),
                      ("Dr Karim BENHAMOU\n      Les Hauts de Mazargues, bât. C\n      13009 Marseille\n", "Les Hauts de Mazargues, bât. C"),
                      ("en saison : Résidence Les Sanguinaires, appt 12, 20000 Ajaccio\n", "Résidence Les Sanguinaires, appt 12"),
                      ("Domicile : via Roma 41, 07026 Olbia (IT) ;\n", "via Roma 41")):
        assert (adr, "ADRESSE") in labels(text), text
    assert ("IT", "PAYS") in labels("Domicile : via Roma 41, 07026 Olbia (IT) ;\n")
    # look-alikes: a ward's building, a line "via" a catheter before a count, a course of treatment before a count
    assert_not_labelled("ADRESSE", ("Service de Cardiologie, bâtiment B, 2e étage.\n", "Unité Pasteur, bât. 4\n",
                                    "perfusion via Picc 3, 12345 UI.\n", "Cours de chimiothérapie - 12500 UI\n"))


def test_batch15_facilities_abbreviated_foreign_corsican_imaging_and_upper_case_and_their_places():
    for text, fac in (("REA POLY - Hôp. Calanque-Blanche - note de garde\n", "Hôp. Calanque-Blanche"),
                      ("venant de l'EHPAD U Fiuminale a Bastelicaccia.\n", "EHPAD U Fiuminale"),
                      ("scanner (Dr Ohanian, Imagerie du Rouet) montre\n", "Imagerie du Rouet"),
                      ("sur la pièce (Lab. de biologie moléculaire de Marseille-Est, n° MB-26-3312)\n",
                       "Lab. de biologie moléculaire de Marseille-Est"),
                      ("suivi par le Dr Mura à l'Ospedale Santa Lucia del Golfo d'Olbia\n", "Ospedale Santa Lucia del Golfo"),
                      ("- SUIVI PAR LA PMI DE SAINT-ANTOINE POUR LES PETITS FRÈRES ;\n", "PMI DE SAINT-ANTOINE")):
        assert (fac, "HOPITAL") in labels(text), text
    assert ("Bastelicaccia", "VILLE") in labels("venant de l'EHPAD U Fiuminale a Bastelicaccia.\n")
    assert ("Olbia", "VILLE") in labels("suivi par le Dr Mura à l'Ospedale Santa Lucia del Golfo d'Olbia, dont\n")
    assert_not_labelled("VILLE", ("au CHU Saint-Paul-les-Dax d'abord\n",))
    assert ("MARSEILLE", "VILLE") in labels("SOLLICITATION DU CCAS DE MARSEILLE ET DE L'ASSOCIATION\n")
    assert ("Allauch", "VILLE") in labels("MT : Dr Tahiri, Allauch.\n")
    # look-alikes: what an imaging unit images, a specialty closing a signature
    assert_not_labelled("HOPITAL", ("Imagerie du Sein, Imagerie de la Femme.\n",))
    assert_not_labelled("VILLE", ("Dr Martin, Hématologie.\nDr Durand, Oncologie médicale.\n",
                                  "vu par Dr Martin Dupont en Réanimation Médicale, Lundi.\n", "Dr Martin, Janvier.\n"))


def test_batch15_a_block_range_ending_in_a_letter_an_italian_tax_code_and_days_listed_with_du():
    got = labels("N° d'examen : H26-14873      Blocs H26-14873-A à D\n")
    assert ("D", "ID") in got
    assert ("PNNSVT79C05I452K", "ID") in labels("Codice fiscale PNNSVT79C05I452K - carte européenne\n")
    for text in ("RÉSERVÉ POUR LES SÉANCES DU 8 ET DU 10 DÉCEMBRE.\n", "pour les séances du 8 et du 10 décembre.\n"):
        assert ("8", "DATE_IDENTIFIANTE") in labels(text), text
    # look-alikes: doses and counts listed the same way, a range of vertebrae, an upper-case word of 16 characters
    assert_not_labelled("DATE_IDENTIFIANTE", ("du 8 et du 10 mg\n", "les 3 et le 4 flacons\n"))
    assert_not_labelled("ID", ("arthrodèse L4 à S1\n", "ANTIBIOPROPHYLAXIE\n"))


def test_batch15_identity_lines_with_two_first_names_or_an_age_a_specialty_after_a_listed_doctor_and_a_dictated_bracket():
    for text, nom, prenom in (("Patient : ALBERTINI Ghjacumu    né le 03/07/1949    IPP 20 113 4567\n", "ALBERTINI", "Ghjacumu"),
                              ("Pat : SAÏD Mouhamadi, 52 a, ddn 01/01/1974, comorien\n", "SAÏD", "Mouhamadi"),
                              ("Patient : NGUYEN Van Hai, né le 08/04/1961 à Hai Phong\n", "NGUYEN", "Van Hai")):
        got = labels(text)
        assert (nom, "NOM") in got and (prenom, "PRENOM") in got, text
    got = labels("Participants : Drs Filippi, Cucchi (radiologie), Poggi (radiothérapie), Vincentelli (anatomopathologie)\n")
    assert ("Poggi", "NOM") in got and ("Vincentelli", "NOM") in got
    assert ("Riehen", "VILLE") in labels("ZIMMERMANN Lukas, 58 a, suisse, domicile Riehen (Suisse), ingénieur\n")
    assert ("9", "DATE_IDENTIFIANTE") in labels("ouvrez la parenthèse drainé sous scanner le 9 fermez la parenthèse.\n")
    # look-alikes: an exam and its adjective before an age, a dictated decimal
    assert not [x for x in labels("TDM Thoracique, 52 ans, IRM Cérébrale, 45 ans\n") if x[1] in ("NOM", "PRENOM")]
    assert_not_labelled("DATE_IDENTIFIANTE", ("la dose passe le 2 virgule 5 mg\n",))


def test_a_contacts_name_alone_before_a_phone_number():
    # the EDS-Pseudo training fold's contact blocks: a name on its own line or field, then the number
    for text, prenom, nom in (("Baesa Zamora Gregorio\n+33246064663\n12-09-1970\n", "Gregorio", "Zamora"),
                              ("Dr Aresu Antonello | +33 6 75 25 25 25\n", "Antonello", "Aresu"),
                              ("HERMELINE REJANE NICOLE\n+61 04 12 23 57 07\n", "NICOLE", "HERMELINE")):
        got = labels(text)
        assert (prenom, "PRENOM") in got and (nom, "NOM") in got, text
    # look-alikes: a desk and a switchboard before their numbers, a title alone is no name
    for text in ("Secrétariat Médical\n03 01 09 56 74\nStandard Accueil\n01 02 03 04 05\n", "Service Pneumologie\n01 02 03 04 05\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], text
    assert ("Dr", "NOM") not in labels("Dr Aresu Antonello | +33 6 75 25 25 25\n")


def test_an_abbreviated_street_name_a_town_after_an_address_and_a_wards_place():
    # the EDS-Pseudo training fold's shapes (held-out fold unread)
    assert ("42 avenue du G.al de Gaulle", "ADRESSE") in labels("42 avenue du G.al de Gaulle, 97 419 TOULOUSE\n")
    assert ("Paris", "VILLE") in labels("Son domicile se situe au 85 rue de Rivoli, à Paris dans le 74 698.\n")
    assert ("Crignac", "HOPITAL") in labels("Service Hématologie de Crignac adressé à Dr Sambuis Monique\n")
    # look-alikes: a ward's specialty, shift or month after "Service X de"
    assert not [x for x in labels("Service Chirurgie de la Main. Service de Médecine de Nuit. service Cardiologie de Garde.\n")
                if x[1] in ("HOPITAL", "VILLE")]


def test_the_other_surname_after_ep_or_epouse_and_signatures_the_commons_misses():
    # issue 17's thirteenth-pass commons: a married woman's other surname read like "née", and caregivers
    # named by a signature block, an RPPS number, "avec" or a role abbreviation
    for text, wanted in (
            ("Mme Mendès ép. Diaz Nath, 73 ans", [("Mendès", "NOM"), ("Diaz", "NOM")]),
            ("Mère : RAMOS Inès ép. CHABERT, DDN 1994-03-30", [("RAMOS", "NOM"), ("CHABERT", "NOM")]),
            ("sa sœur, Nadia Benaïssa épouse Charvet).", [("Benaïssa", "NOM"), ("Charvet", "NOM")]),
            ("Bien confraternellement.\n\n-- \nG. Nguyen\nChef de clinique\nTel : 04 72", [("G.", "PRENOM"), ("Nguyen", "NOM")]),
            ("Document signe electroniquement par Ololade Ilori (RPPS 10856189470) le 20/03.",
             [("Ololade", "PRENOM"), ("Ilori", "NOM")]),
            ("RDV de suivi le 29.12.24 avec ANTWI Kwabena. Dossier", [("ANTWI", "NOM"), ("Kwabena", "PRENOM")]),
            ("RDV 26 juin 2025.\n\nIDE DOE Angelika\n", [("DOE", "NOM"), ("Angelika", "PRENOM")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: a relative's word after a possessive names no maiden surname, "avec" before an acronym
    assert ("Son", "NOM") not in labels("Son épouse Ginette fait les pansements.")
    assert not [x for x in labels("Contrôle avec IRM Cérébrale. Traité par HTA Sévère.") if x[1] in ("NOM", "PRENOM")]


def test_batch16_dates_letterheads_andorran_postcodes_passage_numbers_and_jobs():
    # batch 16 (hw-273..hw-288, dev material since its scoring): formats the rules did not know
    for text, wanted in (
            ("Prélevé le : 28-nov-2026 10 h 40   Validé le : 03-déc-2026\n",
             [("28-nov-2026", "DATE_IDENTIFIANTE"), ("03-déc-2026", "DATE_IDENTIFIANTE")]),
            ("vu le 3 nov 2026.", [("3 nov 2026", "DATE_IDENTIFIANTE")]),
            ("\n\nMar. 1/12 07 h 00 - IDE nuit\n", [("Mar. 1/12", "DATE_IDENTIFIANTE")]),
            ("CYPATH - Anatomie et cytologie pathologiques - 12 rue Francis de Pressense\n", [("CYPATH", "HOPITAL")]),
            ("LABORATOIRES PYRÈNE-BIOLOGIE - Société d'exercice libéral de biologie\n",
             [("LABORATOIRES PYRÈNE-BIOLOGIE", "HOPITAL")]),
            ("Domicile : carrer de la Unió 12, 3r 1a, AD500 Andorra la Vella", [("AD500", "CODE_POSTAL")]),
            ("Dernier domicile : 3 carrer d'en Calçina, 66500 Prades", [("3 carrer d'en Calçina", "ADRESSE")]),
            ("(Dragon 09) - n° passage U26-ax-0318\n", [("U26-ax-0318", "ID")]),
            ("BERIDZE Levan, 58 a, IPP T0993 1845\nGéorgien, chauffeur routier international (semi-remorque)",
             [("Géorgien", "NATIONALITE"), ("chauffeur routier international", "IDENTITE_SOCIALE")]),
            ("UNTEANU Ionela, née le 04/04/1979, roumaine, aide à domicile, mariée", [("aide à domicile", "IDENTITE_SOCIALE")]),
            ("veuve depuis 2011 (époux ouvrier viticole, puis retraité).", [("ouvrier viticole", "IDENTITE_SOCIALE")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: a report heading opening the document, a count, a language after a nationality, a relative's state
    for text in ("BIOPSIE - Anatomie pathologique\n", "FROTTIS - Cytologie\n", "Mar 1/2 dose\n", "le passage 3 fois\n",
                 "Texte 12 ans, vu.\nAnglais, parlé couramment\n", "son père diabétique, sa mère décédée.\n"):
        assert not [x for x in labels(text) if x[1] not in ("DATE_NON_IDENTIFIANTE",)], (text, labels(text))


def test_batch16_export_headers_countries_in_capitals_naturalisation_and_lower_case_health_centres():
    for text, wanted in (
            ("Export CRH | édité le 2026-12-02 14:37 | utilisateur : mcastagne\n", [("mcastagne", "NOM")]),
            ("Lieu de naissance : Huesca (ESPAGNE)\n", [("ESPAGNE", "PAYS")]),
            ("Adresse : 14 chemin de la Ribère | 31800 | Saint-Gaudens\n", [("31800", "CODE_POSTAL")]),
            ("de nationalité portugaise puis naturalisée française en 1979.", [("française", "NATIONALITE")]),
            ("Médecin traitant : Dr Baills, maison de santé du Conflent à Ria-Sirach.",
             [("maison de santé du Conflent", "HOPITAL")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: a count in a lab table's pipe field, an acronym in brackets, a health centre named by no place
    for text in ("| 12500 | Leucocytes |\n", "bilan fait (NFS) puis scanner (IRM).\n", "retour en maison de santé du secteur.\n"):
        assert not labels(text), (text, labels(text))


def test_double_surnames_with_a_particle_untitled_copies_signatures_and_an_upper_case_dr():
    for text, wanted in (
            ("Revue par Dr Martin-Da Silva, le 12/03\n", [("Martin-Da Silva", "NOM")]),
            ("Docteur LOPES-DOS SANTOS Henri - 04/05/2025\n", [("LOPES-DOS SANTOS", "NOM"), ("Henri", "PRENOM")]),
            ("RDV avec P. Moreau-Da Costa dans un mois.", [("Moreau-Da Costa", "NOM")]),
            ("cc : Dr Paul Lefort ; Oluwaseun Adeyemi\n", [("Oluwaseun", "PRENOM"), ("Adeyemi", "NOM")]),
            ("Copie : Dr Blanc-Ferrand ; Dr Tessier\n", [("Tessier", "NOM")]),
            ("-- \nChukwuemeka Nwosu\nPraticien hospitalier\nTél : 01 45 67 89 10", [("Chukwuemeka", "PRENOM"), ("Nwosu", "NOM")]),
            ("MÉDECIN BIOLOGISTE : DR Hélène Fabre\n", [("Hélène", "PRENOM"), ("Fabre", "NOM")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: a hyphenated first name before a particle surname, a disease's hyphenated name, "DR" before an
    # adjective, a ward or a caregiver in a copy list, a team above a role line
    assert ("Anne-Marie", "PRENOM") in labels("Dr Anne-Marie De Sousa\n")
    assert ("Dr", "PRENOM") not in labels("Copie : Dr Blanc-Ferrand ; Dr Tessier\n")
    for text in ("syndrome de Guillain-Barré De plus, apyrexie.\n", "Rétinopathie : DR Sévère Bilatérale\n",
                 "cc : Dr Paul Lefort ; Médecin Traitant\n", "cc : Dr Paul Lefort ; Service Cardiologie\n",
                 "Equipe Mobile\nPsychologue\n", "Compte Rendu\nInterne\n"):
        assert not [x for x in labels(text) if x[0] not in ("Paul", "Lefort")], (text, labels(text))


def test_ocr_letters_inside_digit_runs_of_phones_postcodes_dates_and_ids():
    # batch 17's faxed report read by OCR: a letter O for a zero (and l or I for a one) inside a digit run
    for text, wanted in (
            ("DE: LABORATOIRES BIOLUTECE   +33 1 48 39 O7 21        P.OO1/OO2",
             [("+33 1 48 39 O7 21", "TELEPHONE"), ("LABORATOIRES BIOLUTECE", "HOPITAL")]),
            ("AUBERVILLIERS   Tél 01 48 39 O7 20\n", [("01 48 39 O7 20", "TELEPHONE")]),
            ("41 bis rue Heurtault-Vallée\n933OO AUBERVILLIERS\n", [("933OO", "CODE_POSTAL")]),
            ("Dossier n° : 2611O3-O447      Prélevé le : O2/12/2O26 à O8h1O", [("2611O3-O447", "ID"), ("O2/12/2O26", "DATE_IDENTIFIANTE")]),
            ("Résultat communiqué au Dr WANG-LEROUX 1e O3/12 à 11h4O.", [("O3/12", "DATE_IDENTIFIANTE")]),
            ("Tél. : 04 7l 22 l3 58\n", [("04 7l 22 l3 58", "TELEPHONE")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: oxygen, saturation, a marker, a stage, an immunoglobulin, a page count: no identifier
    for text in ("sous O2 2 L/min, SpO2 94 %, CD4O négatif, stade II, IgG1 12 g/L\n", "P.OO1/OO2\n", "lO mg x 2/j\n"):
        assert not labels(text), (text, labels(text))


def test_batch17_extensions_english_and_catalan_dates_hospital_sites_and_initials():
    for text, wanted in (
            ("secrétariat 01 49 33 72 60 - DECT 57 114\n", [("57 114", "TELEPHONE")]),
            ("Labs (pasted) :\n  Dec 4  WBC 19.8 G/L   CRP 241 mg/L\n", [("Dec 4", "DATE_IDENTIFIANTE")]),
            ("Blood cultures x2 (Dec 3) : no growth", [("Dec 3", "DATE_IDENTIFIANTE")]),
            ("Perpignan, le 2 de desembre / 2 décembre 2026", [("2 de desembre", "DATE_IDENTIFIANTE")]),
            ("GHU Canal-Plaine - site des Récollets - lit 7\n", [("site des Récollets", "HOPITAL")]),
            ("> Signalement EOH fait ce soir.\n> P.-H. B.\n>\n", [("P.-H.", "PRENOM"), ("B.", "NOM")]),
            ("Vu Mme Lopes-Dos Santos Maria ce jour.", [("Lopes-Dos Santos", "NOM"), ("Maria", "PRENOM")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: a dose after a French weekday abbreviation, a decimal, a percentage, a surgical site, a bare "site"
    for text in ("Mar 12 mg, Dec 2.5, May 3%\n", "Infection du site opératoire, site de ponction propre.\n",
                 "Vitamine D.\n", "le 2 de la série\n"):
        assert not labels(text), (text, labels(text))


def test_batch17_jobs_fields_details_sentences_compounds_relatives_and_capitals():
    for text, wanted in (
            ("Logement : squat\nTravail : manœuvre en démolition, au noir.", [("manœuvre en démolition", "IDENTITE_SOCIALE")]),
            ("Née à Wenzhou (Chine) ; commerçante en gros (textile) à Aubervilliers ;",
             [("commerçante en gros", "IDENTITE_SOCIALE")]),
            ("né à Vila Real (Portugal), chef d'équipe dans le BTP en arrêt", [("chef d'équipe", "IDENTITE_SOCIALE")]),
            ("en France depuis 1996. Agent de sécurité (nuit), vit à Stains", [("Agent de sécurité", "IDENTITE_SOCIALE")]),
            ("sa fille Mme Lúcia CASTANHEIRA, aide-comptable, 9 allée des Rigollots-Est", [("aide-comptable", "IDENTITE_SOCIALE")]),
            ("- mère coiffeuse au Sénégal, sans emploi en France", [("coiffeuse", "IDENTITE_SOCIALE")]),
            ("veuve depuis 2011 (époux ouvrier viticole, puis gardien d'immeuble).", [("gardien d'immeuble", "IDENTITE_SOCIALE")]),
            ("ARRIVÉE EN FRANCE EN 1969 AVEC SON MARI, MAÇON, DÉCÉDÉ EN 2021. D'ABORD FEMME DE MÉNAGE CHEZ DES PARTICULIERS",
             [("MAÇON", "IDENTITE_SOCIALE"), ("FEMME DE MÉNAGE", "IDENTITE_SOCIALE")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: labour in obstetrics, lab results led by a job word, a care round, a sentence, a chief of staff
    for text in ("Pas de fièvre pendant le travail : chorioamniotite non retenue, LA clair.\n",
                 "Bilan : facteur rhumatoïde négatif, facteur V Leiden absent.\n",
                 "vu par l'interne puis infirmière pendant la nuit.\n", "Bilan fait. Chef de service prévenu.\n",
                 "INFECTION DU SITE OPÉRATOIRE, FACTEUR RHUMATOÏDE NÉGATIF, REPRISE AU BLOC PRÉVUE\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_plural_first_name_field_antenna_towns_and_les_compounds():
    for text, wanted in (
            ("Nom de naissance : SERRANO | Prénom(s) : Remedios | Sexe : F", [("Remedios", "PRENOM")]),
            ("bons alimentaires de la Croix-Rouge (antenne de Sabarat) ;", [("Sabarat", "VILLE")]),
            ("SSR au centre de rééducation Las Illas de Vernet-les-Bains jusqu'au 30 novembre", [("Vernet-les-Bains", "VILLE")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: an antenna of a specialty, a pluralised field name with nothing capitalised after it
    for text in ("antenne de Radiologie, antenne de Pneumologie.\n", "Prénom(s) : non renseigné\n"):
        assert not labels(text), (text, labels(text))


def test_batch18_jobs_as_a_clause_of_their_own():
    for text, wanted in (
            ("Renseignements cliniques : fièvre, dysurie ? mytilicultrice, sonde urinaire", [("mytilicultrice", "IDENTITE_SOCIALE")]),
            ("M. Gwenaël LE BRAS, né le 2 mai 1961 (IPP QX-0012345), matelot sur un caseyeur de Roscoff",
             [("matelot", "IDENTITE_SOCIALE")]),
            ("je vous adresse Mme Quéré, 52 ans, conductrice de bus à la RATP depuis 1998,",
             [("conductrice de bus", "IDENTITE_SOCIALE")]),
            ("née le quatre juin mille neuf cent soixante virgule boulangère d'origine italienne",
             [("boulangère", "IDENTITE_SOCIALE")]),
            ("Emploi : soudeur de coques - chaudronnier (équipe de nuit, 22 h - 6 h)", [("soudeur de coques", "IDENTITE_SOCIALE")])):
        got = labels(text)
        assert any(w[0] in g[0] and w[1] == g[1] for w in wanted for g in got), (text, got)
    # look-alikes: devices, a result, a staff member's specialty, a skin marker, a job word in a clinical phrase
    for text in ("Sous oxygène, scope, sonde vésicale ; drain en place, moniteur retiré.\n",
                 "Bilan : facteur rhumatoïde négatif, facteur V Leiden absent.\n",
                 "Avis du Dr Kerleroux, généticien, demandé.\n", "Pansement ? fait ; marqueur cutané en place.\n",
                 "Traitement : greffe, porteur sain ? donneur vivant.\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_batch18_dates_days_alone_weekdays_abbreviated_months_and_month_years():
    for text, wanted in (
            ("Retour à domicile prévu le dim. 13 déc. après avis.", "13 déc."),
            ("Jeu. 3 sept. - nuit\nCible : douleur", "3 sept."),
            ("hémocultures positives, appel du biologiste le 17 au soir).", "17"),
            ("cefotaxime IV du 9 au 15, puis relais oral", "9"),
            ("scanner thoracique le dix-huit deux points pas d'embolie", "dix-huit"),
            ("absent jusqu'au mercredi 9 (déplacement), joignable", "9"),
            ("sous pembrolizumab depuis 04/2024 (bonne tolérance)", "04/2024")):
        got = labels(text)
        assert any(t == wanted and l == "DATE_IDENTIFIANTE" for t, l in got), (text, got)
    # look-alikes: a day of treatment, a grade, a stage, a dose, a dilution, a cycle range, doses on a weekday
    for text in ("le 3e jour, grade 2, T2, 5 mg le 4e jour, dilution 1/2000\n", "du J1 au J21, puis pause\n",
                 "mardi 3 fois par jour\n", "stade T2 N0 M0, pT1 N0\n", "du 3 au 5e jour de traitement\n"):
        assert not [x for x in labels(text) if x[1].startswith("DATE")], (text, labels(text))


def test_batch18_identifiers_extensions_and_foreign_postcodes():
    for text, wanted in (
            ("Inclusion en totalité : blocs C1 à C6, D1 à D2.", [("C1", "ID"), ("C6", "ID"), ("D2", "ID")]),
            ("compte rendu anglais (NHS number 401 023 2213) joint", [("401 023 2213", "ID")]),
            ("CNIE ZK 558120 - passeport à renouveler", [("ZK 558120", "ID")]),
            ("CHU - bip interne 3312\n", [("3312", "TELEPHONE")]),
            ("Salle de travail - poste SF 3 18 92\n", [("3 18 92", "TELEPHONE")]),
            ("| Code postal de résidence | 99109 (Allemagne) |", [("99109", "CODE_POSTAL")]),
            ("ul. Długa 5/2, 80-831 Gdańsk\n", [("80-831", "CODE_POSTAL")]),
            ("Flat 2, 17 High Street, Exeter, EX4 3LS, Royaume-Uni", [("EX4 3LS", "CODE_POSTAL")])):
        got = labels(text)
        assert all(w in got for w in wanted), (text, got)
    # look-alikes: one block named alone (not marked in the gold), stages, a ratio, a bed number
    for text in ("IHC réalisée sur le bloc A4 : HER2 score 2+.\n", "ratio 2-4, stade IIIA, lit 12-14\n"):
        assert not [x for x in labels(text) if x[1] in ("ID", "CODE_POSTAL", "TELEPHONE")], (text, labels(text))


def test_batch18_classes_in_other_shapes():
    """The same classes written as another hand might: first days, field dates, weekday abbreviations without a dot,
    undotted months, birth-place fields, a registration number, digit-led sample codes, Portuguese postcodes."""
    for text, wanted in (
            ("Pansement refait le 1er/12 au matin.", ("1er/12", "DATE_IDENTIFIANTE")),
            ("Dim 6/12 : fébrile à 38,9", ("Dim 6/12", "DATE_IDENTIFIANTE")),
            ("Date de sortie : 4/12\n", ("4/12", "DATE_IDENTIFIANTE")),
            ("revu en consultation le 9 nov et le 14 janv", ("9 nov", "DATE_IDENTIFIANTE")),
            ("HC 3/11 x2 : stériles", ("3/11", "DATE_IDENTIFIANTE")),
            ("limites de l'érythème tracées le 28 : extension", ("28", "DATE_IDENTIFIANTE")),
            ("Lieu de naissance : Morlaix (29)", ("Morlaix", "VILLE")),
            ("Matricule 5582031\n", ("5582031", "ID")),
            ("Prélèvement 26-BK-004418 reçu à 9 h", ("26-BK-004418", "ID")),
            ("Rua de Santa Catarina 112, 4000-447 Porto", ("4000-447", "CODE_POSTAL")),
            ("antécédents familiaux : père (mytiliculteur), mère au foyer", ("mytiliculteur", "IDENTITE_SOCIALE"))):
        got = labels(text)
        assert wanted in got, (text, got)
    # look-alikes: bottle counts, a ratio after a culture, a decimal after an English month, a bare "date" heading
    for text in ("HC 2/2 positives, HC 1/4 flacon\n", "Mar 12 mg, Dec 2.5, May 3%\n", "Date : à préciser\n"):
        assert not [x for x in labels(text) if x[1].startswith("DATE")], (text, labels(text))


def test_batch18_foreign_streets_and_a_relatives_care_title_in_brackets():
    for text, wanted in (
            ("domicile : ul. Piękna 14/2, 00-549 Warszawa", ("ul. Piękna 14/2", "ADRESSE")),
            ("domiciliée carrer de Sant Pere 8 à Puigcerdà", ("carrer de Sant Pere 8", "ADRESSE")),
            ("chez sa sœur, derb Sidi Bouloukat, n° 7, Marrakech", ("derb Sidi Bouloukat, n° 7", "ADRESSE")),
            ("Adresse : 22 Station Road, Penzance", ("22 Station Road", "ADRESSE")),
            ("présents : sa fille Mme Anh THAI (infirmière à Albi), qui traduit", ("infirmière", "IDENTITE_SOCIALE"))):
        got = labels(text)
        assert wanted in got, (text, got)
    # look-alikes: a staff member's title in brackets, a citation, a road in a clinical sense
    assert not [x for x in labels("Avis du Dr Martin (pharmacien) demandé ; Smith et al. 2019.\n")
                if x[1] in ("IDENTITE_SOCIALE", "ADRESSE")]


def test_batch18_town_of_a_branded_laboratory_or_pharmacy():
    for text, town in (("tube parti au labo Bio-Lorient de Quimperlé ce matin", "Quimperlé"),
                       ("ordonnance délivrée par la pharmacie Le Gall à Landerneau", "Landerneau")):
        assert (town, "VILLE") in labels(text), (text, labels(text))
    # look-alikes: a laboratory named by its discipline, a reference laboratory
    for text in ("envoyé au laboratoire de Bactériologie, labo de ville\n", "Laboratoire Mérieux de Référence\n"):
        assert not [x for x in labels(text) if x[1] == "VILLE"], (text, labels(text))


def test_session17_occupations_as_a_class_after_a_persons_cue():
    # own snippets (a job noun of jobs_fr.txt after a social field, an age, "est", a relative's name)
    for text, wanted in (
            ("Mode de vie : agent d'entretien des espaces verts à la mairie, marié.", "agent d'entretien des espaces verts"),
            ("Homme de 52 ans, cordonnier à la retraite depuis peu.", "cordonnier"),
            ("| Profession | couturière (retouches) |", "couturière (retouches)"),
            ("| Situation | professeure des écoles mutée de Brest |", "professeure des écoles"),
            ("Mme LEROUX Anne, de nationalité belge, est fleuriste en gros.", "fleuriste en gros"),
            ("son fils M. DUVAL Marc, boulanger à Vannes, joignable", "boulanger"),
            ("Contexte : vit seule, ancienne couturière, aide à domicile 2x/sem", "ancienne couturière"),
            ("ACCIDENT DU TRAVAIL : oui (tailleur de pierre, chute d'échafaudage)", "tailleur de pierre"),
            ("Mode de vie : tabac 20 PA, trois enfants, cordonnière (retouches), vit seule", "cordonnière")):
        assert (wanted, "IDENTITE_SOCIALE") in labels(text), (text, labels(text))
    # look-alikes that must stay: a care sentence, the writer's specialty, a patient consulting, a graft's receiver
    for text in ("Patient de 45 ans, consultant pour douleur thoracique.\n",
                 "Pansement refait par l'infirmière à domicile ce matin.\n",
                 "Courrier adressé au médecin traitant, Dr Morel.\n",
                 "Validé par P. Martin, cardiologue, le 03/02/2026.\n",
                 "Elle est receveuse d'un greffon rénal depuis 2019.\n",
                 "Il est porteur sain d'une mutation BRCA2.\n", "Mode de vie : ancien fumeur, vit seul\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session17_towns_from_the_commune_gazetteer_in_address_contexts():
    # own snippets: an upper-case town after a "commune" field, a signature's town, a birth place, two towns in a dash
    for text, town in (("COMMUNE DE RÉSIDENCE : LE GOSIER     PROFESSION : retraité", "LE GOSIER"),
                       ("Copie au Dr Albrecht, Molsheim, et au Dr Yilmaz.", "Molsheim"),
                       ("| Médecin traitant | Dr KERBRAT, Plougastel-Daoulas | |", "Plougastel-Daoulas"),
                       ("Taxi sanitaire Quimperlé-Concarneau réservé.", "Concarneau"),
                       ("séjour chez sa sœur à Apatou, confirmé par PCR", "Apatou"),
                       ("né le 02/03/1958 au Lorrain | IPP 12345", "Lorrain"),
                       ("serveur dans une brasserie de Guéret, célibataire", "Guéret")):
        assert (town, "VILLE") in labels(text), (text, labels(text))
    # look-alikes: an organisation in a dash, an eponym, a care place, a birth at term
    for text in ("bons alimentaires de la Croix-Rouge ce jour\n", "syndrome de Guillain-Barré exclu\n",
                 "vit à domicile avec son épouse\n", "né à terme, poids de naissance 3,2 kg\n",
                 "réponse métabolique complète (Deauville 2) à la TEP\n",
                 "profil centro-germinatif selon l'algorithme de Hans.\n", "déclaration à l'ARS de Bretagne\n"):
        assert not [x for x in labels(text) if x[1] == "VILLE"], (text, labels(text))


def test_session17_nicknames_foreign_numbers_a_day_alone_and_english_dates():
    for text, wanted in (
            ("Mme ROSE Marie-Line, dite « Titine », 72 ans", ("Titine", "PRENOM")),
            ("DNI 48.291.337-K et passeport", ("48.291.337-K", "ID")),
            ("titulaire du CPF 123.456.789-09 ; adresse", ("123.456.789-09", "ID")),
            ("mutuelle (adhérent n° 5120), contact", ("5120", "ID")),
            ("ponction pleurale le 12 (liquide citrin)", ("12", "DATE_IDENTIFIANTE")),
            ("Received: March 3rd, 2026 - urine culture", ("March 3rd, 2026", "DATE_IDENTIFIANTE")),
            ("comparé à l'examen d'octobre", ("octobre", "DATE_IDENTIFIANTE")),
            ("\nA. B. pour le Dr MARTIN\n", ("A.", "PRENOM"))):
        assert wanted in labels(text), (text, labels(text))
    # look-alikes: a bottle's or a node's number, a year after n°, a dose in brackets after a bare number, a law
    for text in ("hémoculture n° 2 positive, ganglion n° 1 indemne\n", "relance n° 2 envoyée\n",
                 "dossier archivé n° 2019\n", "passage de 20 à 25 (mg/j) le 25 (mg/j)\n", "loi n° 2002-303 du 4 mars 2002\n"):
        assert not [x for x in labels(text) if x[1] in ("ID", "PRENOM")], (text, labels(text))


def test_session18_jobs_read_by_the_shape_of_the_sentence():
    # own snippets, one per shape: a relative named before the job, a relative's word right before it, a dictated
    # age, "né le …," on an identity line, "Votre patient,", a job as the subject with an age, a sentence opening
    # with "Ancien", a second job after a first, a field whose job runs over an adjective in -ière
    for text, job in (("Son frère Karim, pisteur au domaine skiable, vu ce jour.", "pisteur"),
                      ("sa sœur Inès BERNARD, préparatrice en pharmacie à Lyon", "préparatrice en pharmacie"),
                      ("Son épouse, Mme COSTA née SILVA Rita, polisseuse-finisseuse dans une usine", "polisseuse-finisseuse"),
                      ("Parents à Nantes (mère conducteur de travaux sur un chantier).", "conducteur de travaux"),
                      ("madame Roux virgule cinquante-deux ans virgule boulangère virgule qui", "boulangère"),
                      ("M. DUVAL Paul, né le 3/04/1980, berger (alpage du col), sans antécédent", "berger"),
                      ("Votre patiente, guide de haute montagne, a chuté.", "guide de haute montagne"),
                      ("Cet agriculteur de 54 ans consulte pour dyspnée.", "agriculteur"),
                      ("Ancien tourneur sur métaux dans une usine (retraite depuis 2019), marié.", "tourneur"),
                      ("ancien joueur de hockey professionnel virgule talonneur à Pau", "talonneur"),
                      ("| Profession | vendeuse saisonnière (été) |", "vendeuse saisonnière"),
                      ("Elle était couturière avant sa retraite.", "couturière"),
                      ("Il est pêcheur à Concarneau.", "pêcheur"),
                      ("Mère au foyer, 3 enfants.", "Mère au foyer")):
        found = [t for t, label in labels(text) if label == "IDENTITE_SOCIALE"]
        assert any(job in t for t in found), (text, labels(text))
    # look-alikes that stay: a relative's condition, a woman's age, a staff title, the writer's specialty, eponyms
    for text in ("Le père diabétique de type 2, la mère hypertendue.\n", "Cette femme de 38 ans consulte.\n",
                 "Son frère Paul, 45 ans, en bonne santé.\n", "Dr Martin, pneumologue, Amboise.\n",
                 "Maladie de Berger connue depuis 2010.\n", "Ancien fumeur, sevré en 2015.\n",
                 "Votre patient, hospitalisé du 3 au 5 mars, va bien.\n", "Ce patient de 54 ans consulte.\n",
                 "Le PAC, qui a été gardé, est infecté.\n", "Il est porteur sain.\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session18_eds_style_names_and_a_universitys_town():
    # own snippets of the EDS-Pseudo-style classes: a title and three words in capitals, names after "pour" and
    # "à l'attention de", a first name glued to the surname, an initial glued to an upper-case surname before a role
    for text, wanted in (("Docteur OSWINA FABIENNE BRAQUEMOND\nService de pneumologie", ("BRAQUEMOND", "NOM")),
                         ("Docteur OSWINA FABIENNE BRAQUEMOND\nService de pneumologie", ("FABIENNE", "PRENOM")),
                         ("Résultats de laboratoire pour Kermadec Ilona.", ("Kermadec", "NOM")),
                         ("Résultats du bilan pour TROUVELOT ARMANDINE, on observe", ("ARMANDINE", "PRENOM")),
                         ("Courrier à l'attention de Huguette Brossard", ("Brossard", "NOM")),
                         ("Vu avec le Dr PoulainAnnabelle ce jour", ("Annabelle", "PRENOM")),
                         ("suite de la prise en charge.  MDUBOSC (Interne)", ("DUBOSC", "NOM")),
                         ("Validé par le Pr Jm. Kowalski, chef de service", ("Kowalski", "NOM"))):
        assert wanted in labels(text), (text, labels(text))
    # look-alikes: a university named after its town is not a town; a ward after "pour"; an exam in capitals
    for text in ("Université de Grenoble - Faculté de médecine\n", "CHU Grenoble Alpes, Université de Grenoble\n",
                 "UFR de Rennes, année 2020\n", "Courrier pour Avis Chirurgical\n", "IRM ABDOMINALE (Interne)\n",
                 "à l'attention du Service de Cardiologie\n"):
        assert not [x for x in labels(text) if x[1] in ("VILLE", "NOM", "PRENOM")], (text, labels(text))


def test_session18_batch20_classes_in_other_shapes():
    # own snippets: a month in Roman numerals, an IPP with its qualifier, a numbered case with an acronym, a second
    # nationality, a European health card, an unaccented family status, a rank before a surname in capitals
    for text, wanted in (("Vu le 14-III-25 aux urgences", ("14-III-25", "DATE_IDENTIFIANTE")),
                         ("IPP local : 88231045 | Sexe : M", ("88231045", "ID")),
                         ("N° d'intervention SDIS : 73-250114-0091\n", ("73-250114-0091", "ID")),
                         ("de nationalité italienne et suisse depuis 2001", ("suisse", "NATIONALITE")),
                         ("carte EHIC 80 0756 1123 4 présentée", ("80 0756 1123 4", "ID")),
                         ("retraité, marie, 3 enfants, vit seul", ("marie", "SITUATION_FAMILIALE")),
                         ("héliporté (sergent-chef ROUSSELOT, sapeur BIANCHERI)", ("ROUSSELOT", "NOM")),
                         ("adressée par le cabinet médical des Trois-Vallons", ("cabinet médical des Trois-Vallons", "HOPITAL")),
                         ("2 Park Row, Leeds LS1 5AB, UK\n", ("LS1 5AB", "CODE_POSTAL")),
                         ("2 Park Row, Leeds LS1 5AB, UK\n", ("UK", "PAYS")),
                         ("boulanger, marie, son epouse est aide-soignante", ("marie", "SITUATION_FAMILIALE"))):
        assert wanted in labels(text), (text, labels(text))
    # look-alikes: a dose in Roman-numeral shorthand, a TNM, acronyms after a rank, a first name Marie
    for text in ("céfotaxime 2 g x 3 IV 14 jours\n", "stade II-III, pT2-N1\n", "pompier du SDIS 73, capitaine BCG\n", "taux de CD4 2RA\n",
                 "sa fille Marie, 3 enfants\n"):
        assert not [x for x in labels(text) if x[1] in ("DATE_IDENTIFIANTE", "NOM", "SITUATION_FAMILIALE", "ID", "CODE_POSTAL")], \
            (text, labels(text))


def test_session18_staff_titles_and_children_after_a_status_are_no_job():
    # own snippets: a caregiver's or a social worker's title after their own name, children after a family status
    for text in ("Vu avec Mme Fournier, assistante sociale, le dossier APA.\n", "Rééducation chez M. Paul GIRAUD, kinésithérapeute.\n",
                 "curatrice : Mme LEMAIRE Odile, mandataire judiciaire\n", "Mode de vie : mariée, deux enfants, vit seule.\n",
                 "Situation : veuve, vit seule au 2e étage.\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))
    # a relative's job stays, accented or not
    for text, job in (("Accompagnée de sa mere, Mme Roche Amandine, aide-soignante.", "aide-soignante"),
                      ("sa fille Mme Rose DURAND, infirmière à Lyon", "infirmière")):
        assert (job, "IDENTITE_SOCIALE") in labels(text), (text, labels(text))


def test_session18_a_known_job_of_several_words_needs_no_cue():
    for text, job in (("l'hiver caissière, l'été ouvrier agricole (vendanges).", "ouvrier agricole"),
                      ("Depuis 2019 chauffeur de bus sur la ligne 4.", "chauffeur de bus")):
        assert (job, "IDENTITE_SOCIALE") in labels(text), (text, labels(text))
    # someone else's role: after a determiner or before a titled name
    for text in ("aide ponctuelle du chef d'équipe M. Paul NOWAK\n", "le chauffeur de taxi a prévenu le SAMU\n",
                 "chef d'équipe : M. MARTIN Paul\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session19_dates_as_classes():
    # own snippets, one per shape of writing a date: another language's month (day first, month first, with "of"),
    # a calendar week, a prescription's date ("ordonnance" is a law only with its number), a date after "J1 =", a weekday
    # and a day closed by a comma, a bare day before "et l'", a Roman month without a year, a holiday after a time word,
    # eight digits after a cue, a month and year, an abbreviated month opening a range, a year in a birth-date column
    dates = (("recept van 3 mei 2025 meegebracht", "3 mei 2025"), ("wypis ze szpitala 14 lutego 2025", "14 lutego 2025"),
             ("Entlassung am 5. Oktober 2025", "5. Oktober 2025"), ("receita de 9 de janeiro de 2025", "9 de janeiro de 2025"),
             ("referral letter dated 12th of March 2025", "12th of March 2025"), ("seen on February 4th, 2025", "February 4th, 2025"),
             ("lettera del 3 dicembre 2024", "3 dicembre 2024"), ("maintenance de la semaine 12 (arrêt)", "semaine 12"),
             ("RDV prévu sem. 3, à confirmer", "sem. 3"), ("planning S07 2025 validé", "S07 2025"),
             ("ordonnance du 14/01/2025 renouvelée", "14/01/2025"), ("ordonnance du Dr X du 3 février 2025.", "3 février 2025"),
             ("C1J1 = 12/01, fin prévue", "12/01"), ("rentrée de Vigo le mardi 7, fièvre", "7"),
             ("Vous l'avez vu le 12 et l'avez adressé", "12"), ("relais oral le 4/III virgule", "4/III"),
             ("chez sa fille pour Pâques du 18 au 21", "Pâques"), ("depuis la Toussaint, toux", "Toussaint"),
             ("prélevé le 04012025 au bloc", "04012025"), ("suivi depuis 11/2024 à Nantes", "11/2024"),
             ("saisonnier (oct. -> mars)", "oct."))
    for text, span in dates:
        assert any(t == span and lab.startswith("DATE") for t, lab in labels(text)), (text, labels(text))
    table = "| Nom | Lien | Date de naissance |\n|---|---|---|\n| MARTIN | oncle | 1958 |\n"
    assert ("1958", "DATE_NAISSANCE") in labels(table)
    # look-alikes that must stay: a week of a treatment or a pregnancy, weeks counted, a score, a dose, a TNM, a dilution,
    # a law's ordinance, a name that is a holiday, a first name that is a month, a year in another column
    for text in ("semaine 3 de chimiothérapie\n", "en semaine 2 post-opératoire\n", "Semaine 1 : 2 comprimés\n", "à 32 SA\n",
                 "revu dans 3 semaines\n", "score S1 à 3\n", "dose 2/12 mg\n", "stade IV, T3N1M0\n", "dilution 1/2000\n",
                 "Ordonnance n° 2020-1407 du 18 novembre 2020\n", "vu avec Mme Noël Martine\n", "Maja 12 ans, scolarisée\n",
                 "| Année | Poids |\n|---|---|\n| 2019 | 70 kg |\n", "céfotaxime 2 g x 3 IV 14 jours\n"):
        assert not [x for x in labels(text) if x[1] in ("DATE_IDENTIFIANTE", "DATE_NAISSANCE")], (text, labels(text))


def test_session19_jobs_and_ids_of_batch21_as_classes():
    # own snippets: a job opening the line under the identity line, a titled name then "est", a job in apposition,
    # café and factory trades; blocks with what each holds in brackets, a number in a table's cell, a second number after a slash
    for text, wanted in (("Mme PRADAL Odette, née le 04.05.1949 - IPP 160223418\nBergère transhumante, Salers.\n", ("Bergère transhumante", "IDENTITE_SOCIALE")),
                         ("Monsieur FABRE est cafetier à Aurillac.\n", ("cafetier", "IDENTITE_SOCIALE")),
                         ("Il est opérateur de fabrication chez un sous-traitant.\n", ("opérateur de fabrication", "IDENTITE_SOCIALE")),
                         ("Veuf, ancien limonadier (bar de la gare).\n", ("ancien limonadier", "IDENTITE_SOCIALE")),
                         ("Blocs A1 à A4 (tumeur), B1 à B3 (ganglions pN1).\n", ("B3", "ID")),
                         ("| N° de dossier | 26-0041873 |\n", ("26-0041873", "ID")),
                         ("| N° RCP / IPP | RCP-26-0412 / PAT0773120 |\n", ("PAT0773120", "ID"))):
        assert wanted in labels(text), (text, labels(text))
    assert ("Bergère transhumante", "IDENTITE_SOCIALE") in labels("Mme PRADAL Odette, née le 04.05.1949\nBergère transhumante, Salers.\n")
    # look-alikes: a caregiver or a heading under the identity line, "opérateur" alone (the surgeon), a word of the brackets,
    # a dose after a slash, a staff title after a titled name and a comma
    for text in ("Mme X, née le 2/3/1950\nInfirmière libérale passe 2 fois par jour\n", "IPP 123456789\nMédecin traitant : Dr Y\n",
                 "l'opérateur a fermé en deux plans\n", "Blocs A1 à A4 (tumeur pN1)\n", "IPP 123456789 / 2 flacons\n"):
        got = [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE" or (x[1] == "ID" and x[0] in ("N1", "2"))]
        assert not got, (text, got)


def test_session19_capitalised_date_cues_and_abbreviated_foreign_months():
    # own snippets: a sentence opening on the date's cue ("Le 2/12 :"), a weekday in capitals, an abbreviated month of
    # another language between a day and a year
    for text, span in (("Le 2/12 : fièvre à 39.\n", "2/12"), ("LUNDI 7/12 : RAS\n", "7/12"), ("Le 24, reprise du travail.\n", "24"),
                       ("seen on 3 Aug 2024 in Leeds\n", "3 Aug 2024"), ("Aufnahme am 3. Dez. 2024\n", "3. Dez. 2024"),
                       ("consulta 14-Set-2025\n", "14-Set-2025")):
        assert any(t == span and lab.startswith("DATE") for t, lab in labels(text)), (text, labels(text))
    # look-alikes: fractions after the same cues
    for text in ("Le 1/2 comprimé le soir\n", "le 1/2 comprimé le soir\n", "Au 1/3 inférieur de la jambe\n", "Le 2/3 des patients\n"):
        assert not [x for x in labels(text) if x[1].startswith("DATE")], (text, labels(text))


def test_session19_job_fields_roads_and_a_birthplaces_country():
    # own snippets: a capitalised value in a job field, a road and its reference point, a birthplace's country that is
    # also a first name
    for text, wanted in (("Profession : Agricultrice en GAEC\n", ("Agricultrice en GAEC", "IDENTITE_SOCIALE")),
                         ("Fonction : cariste en entrepôt\n", ("cariste en entrepôt", "IDENTITE_SOCIALE")),
                         ("exerce la profession de boulanger depuis 1990\n", ("boulanger", "IDENTITE_SOCIALE")),
                         ("occupe un poste de magasinier à Rungis\n", ("magasinier", "IDENTITE_SOCIALE")),
                         ("collision sur la RN 88 au PK 14+200\n", ("RN 88 au PK 14+200", "ADRESSE")),
                         ("née le 3/4/1970 à Port-Louis (Maurice), arrivée en 1995\n", ("Maurice", "PAYS"))):
        assert wanted in labels(text), (text, labels(text))
    # look-alikes: an extension number, a renal function, a ward, a first name in brackets after a titled name
    for text in ("Poste : 4417\n", "Fonction rénale : normale\n", "Poste : Cardiologie\n", "vu par Mme Martin (Dominique)\n",
                 "l'activité de la maladie\n", "reprend le poste de soins\n"):
        assert not [x for x in labels(text) if x[1] in ("IDENTITE_SOCIALE", "ADRESSE", "PAYS")], (text, labels(text))


def test_session19_more_ways_to_write_a_week_a_holiday_or_a_short_date():
    # own snippets: a week without the dot, with "n°", with its year, its short form after a time word, the German form;
    # a holiday after "au" / "le"; a short date with a dot or a dash; a Roman month after a cue; a day of the current month;
    # a month and year with a dot
    for text, span in (("revu sem 49 en HDJ\n", "sem 49"), ("planning semaine n° 7\n", "semaine n° 7"),
                       ("semaine 49/2026 chargée\n", "semaine 49/2026"), ("RDV prévu en S50.\n", "S50"), ("Aufnahme KW 49\n", "KW 49"),
                       ("rentré au Nouvel An\n", "Nouvel An"), ("le 2.12 au matin, fièvre\n", "2.12"), ("depuis le 3-12 au soir\n", "3-12"),
                       ("le 2 XII virgule\n", "2 XII"), ("vue le 3 courant\n", "3"), ("suivi depuis 06.2025\n", "06.2025")):
        assert any(t == span and lab.startswith("DATE") for t, lab in labels(text)), (text, labels(text))
    # look-alikes: a sacral root, a dose with a dot, days counted, a dose in Roman shorthand, a week of treatment
    for text in ("radiculalgie en S1\n", "augmenté le 2.5 mg\n", "passé le 1-2 jours\n", "céfotaxime 2 g x 3 IV 14 jours\n",
                 "semaine 3 de chimiothérapie\n"):
        assert not [x for x in labels(text) if x[1].startswith("DATE") and x[1] != "DATE_NON_IDENTIFIANTE"], (text, labels(text))


def test_session19b_lone_dates_of_batch22_as_classes():
    # own snippets: a bare day before an hour or a time of day, a series of results dated month/year in brackets, a week
    # "S41" alone after a time cue, an English month and day with no year
    dates = (("hospitalisée le 14 à 22 h pour dyspnée", "14"), ("chute le 3 au soir, relevée par sa voisine", "3"),
             ("(relevé S41) sans anomalie", "S41"), ("contrôle prévu vers S12 puis à S20", "S12"),
             ("follow-up visit on March 9th with the GP", "March 9th"),
             ("seen in Leeds on August 3 for a rash", "August 3"))
    for text, span in dates:
        assert any(t == span and lab.startswith("DATE") for t, lab in labels(text)), (text, labels(text))
    series = "CEA : 12 (02/25) -> 8 (05/25) -> 4,1 ng/mL (10/25)."
    assert {t for t, lab in labels(series) if lab.startswith("DATE")} == {"02/25", "05/25", "10/25"}, labels(series)
    # look-alikes that must stay: a rate from one hour to another, a pain score, a lone bracketed grade, sacral roots
    # and a protein, an English month before a dose or a decimal
    for text in ("débit passé de 25 à 30 mL/h\n", "EVA (10/10) au repos, (12/20) à l'examen\n",
                 "note obtenue (08/20)\n", "hernie L5-S1, racine S1, douleur à S1\n", "protéine S100 élevée\n",
                 "May 2 mg daily\n", "August 3,5 kg\n"):
        assert not [x for x in labels(text) if x[1] == "DATE_IDENTIFIANTE"], (text, labels(text))


def test_session19b_dwellings_nationalities_ids_and_towns_of_batch22_as_classes():
    # own snippets: a named farm, stud, hut or cottage, a prison and its cell (FORMAT.md batch 22), a foreign street
    # with its number after the name, a town before its country, a GP's or a workplace's town, a plural nationality
    # after people, a nationality in a table field, a passport with its country's adjective or in a table cell, a job
    # after "puis" when the clause opens with a job
    spans = (("Adresse : ferme de la Haute-Bruyère, 50200 Coutances", "ferme de la Haute-Bruyère", "ADRESSE"),
             ("vit sur place, haras du Mesnil-Guérin, 61000 Alençon", "haras du Mesnil-Guérin", "ADRESSE"),
             ("berger (estive, cabane de Pouey-Laün)", "cabane de Pouey-Laün", "ADRESSE"),
             ("transféré du centre pénitentiaire de Val-de-Reuil hier", "centre pénitentiaire de Val-de-Reuil",
              "ADRESSE"),
             ("N° d'écrou 25/1187 - bâtiment C, cellule 32 - IPP", "bâtiment C, cellule 32", "ADRESSE"),
             ("| Adresse en Suède | Storgatan 12, 11455 Stockholm |", "Storgatan 12", "ADRESSE"),
             ("Domicile : Kirchweg 7, CH-8004 Zürich", "Kirchweg 7", "ADRESSE"),
             ("née à Tromsø (Norvège) en 1980", "Tromsø", "VILLE"),
             ("vu par le Dr LEROUX (médecin traitant, Yvetot) hier", "Yvetot", "VILLE"),
             ("frontalier, travaille à Lausanne depuis 2019", "Lausanne", "VILLE"),
             ("HAD du Pays de Caux - antenne de Fécamp - astreinte", "Fécamp", "VILLE"),
             ("envoi du SMUR de Lisieux sur place", "SMUR de Lisieux", "HOPITAL"),
             ("deux touristes allemands (M. et Mme BRAUN) ont appelé", "allemands", "NATIONALITE"),
             ("| Nationalité | danoise |", "danoise", "NATIONALITE"),
             ("Pièce d'identité : passeport moldave AB 551203", "AB 551203", "ID"),
             ("| Passeport | PK7301466 |", "PK7301466", "ID"),
             ("Parcours : docker au port, puis pêcheur côtier à la sardine ; veuf", "pêcheur côtier",
              "IDENTITE_SOCIALE"))
    for text, span, label in spans:
        assert (span, label) in labels(text), (text, labels(text))
    # look-alikes that must stay: a farm or a pasture with no name or named by its region, a hospital room, a counting
    # chamber, a disease eponym before a country, a working time, a language, a document's adjective alone
    for text in ("travaille à la ferme de ses parents\n", "un gîte de France, l'alpage de Savoie\n",
                 "hospitalisé en cardiologie (chambre 214), bâtiment B\n", "cellule 3 de Malassez\n",
                 "maladie de Lyme (États-Unis)\n", "travaille à Temps partiel\n", "passagers : il parle anglais\n",
                 "passeport ukrainien en cours de validité\n",
                 "Traitement : amoxicilline, puis relais oral ; surveillance, puis sortie\n"):
        found = [x for x in labels(text) if x[1] in ("ADRESSE", "VILLE", "NATIONALITE", "ID", "IDENTITE_SOCIALE")]
        assert not found, (text, found)


def test_session20_names_in_fixed_frames_of_eds_pseudo_dev_fold_as_classes():
    # own snippets in the frames the EDS-Pseudo dev fold's rules-alone leftovers use: a titled surname whose first
    # names close the field at a bar, a dash, a phone or a line's end; an abbreviated first name after a titled surname;
    # initials after a surname alone on a line; an initial and a surname alone on a line; "M" with no dot; an upper-case
    # patient field with the first name first; a surname in Mc/Mac
    spans = (("Avis : Dr Vautrin Célestin - 03.83.44.12.09, merci", "Célestin"),
             ("Contact : Dr Ferrand Aurélien +33612457890", "Aurélien"),
             ("Destinataire : M. GAUDIN MARCELINE", "MARCELINE"),
             ("Patiente : Mme.LOISEAU ODETTE ALBERTINE | 01 44 55 66 77", "ODETTE ALBERTINE"),
             ("Pr Sabatier Jm.\n0612457890", "Jm."),
             ("Lemarchand R.T.\n04 78 12 45 96", "R.T."),
             ("H. Bertholet\nSecrétariat 0145678912", "Bertholet"),
             ("Docteur Le Corre Tifenn\n02 98 11 22 33", "Tifenn"),
             ("M Berthelot Lucien\n05 56 12 34 56", "Lucien"),
             ("Patient: LUCIEN BERTHELOT (33) 05 56 12 34 56", "BERTHELOT"),
             ("Copie : Dr Fiona McKENZIE, Royal Infirmary", "McKENZIE"),
             ("vu par le Dr McGregor ce matin", "McGregor"),
             ("Patient 3: Verdier JC. | F | 12/03/61 | 5512", "Verdier"),
             ("Liste opératoire MORVAN GWENOLA | F | 1 2 0 3 1 9 6 1", "GWENOLA"))
    for text, span in spans:
        assert any(t == span and lab in ("NOM", "PRENOM") for t, lab in labels(text)), (text, labels(text))
    # a first name in title case before a surname in capitals is the first name ("Dr Imogen McALLISTER")
    assert {("Fiona", "PRENOM"), ("McKENZIE", "NOM")} <= set(labels("Copie : Dr Fiona McKENZIE, Royal Infirmary"))
    # look-alikes that must stay: germs after their genus initial, a drug or a lab value after a titled surname,
    # a service, a lone "M" before clinical words, an abbreviated dose, the SAU
    for text in ("Culture :\nS. Aureus\nE. Coli\n", "Dr MARTIN : CREATININE 82\n", "M Vitamine Dosage\n",
                 "Traitement Fe.\n", "Patient : SOUS OXYGENE (2 L)\n", "admis au SAU ce jour\n",
                 "| CHUTE DOMICILE | F |\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")
                    and x[0] in ("Aureus", "Coli", "CREATININE", "Vitamine", "Dosage", "Fe.", "SOUS", "OXYGENE", "SAU",
                                 "CHUTE", "DOMICILE")], \
            (text, labels(text))


def test_session20_towns_dates_and_oddities_of_the_last_report_as_classes():
    # own snippets: a town with "-l'"/"-d'" inside, a town after "ferry/vol pour" or a haulage firm, an ISO year-month
    spans = (("Copie : Dr ROUX (médecin traitant, Montigny-l'Allier) ; IDE", "Montigny-l'Allier", "VILLE"),
             ("née à Villeneuve-d'Ascq le 3 mai", "Villeneuve-d'Ascq", "VILLE"),
             ("en attente au port (ferry pour Rosslare), rappel demain", "Rosslare", "VILLE"),
             ("chauffeur (entreprise de transport de Gdańsk)", "Gdańsk", "VILLE"),
             ("Relevé de 2024-12 : stable", "2024-12", "DATE_IDENTIFIANTE"))
    for text, span, label in spans:
        assert (span, label) in labels(text), (text, labels(text))
    # look-alikes that must stay: a table's field word after a bracket or a town, a pain score in brackets, a number
    # holding a year-month, a whole ISO date read whole, a season
    assert ("Profession", "VILLE") not in labels("| Nationalité | polonaise (Pologne) | Profession\n")
    assert ("Copie", "VILLE") not in labels("Dr X, médecin traitant, Lyon | Copie\n")
    assert not [x for x in labels("EVA (10/10) ce jour\n") if x[1].startswith("DATE")]
    assert ("2024-12", "DATE_IDENTIFIANTE") not in labels("dossier AP-2024-12345\n")
    assert ("2024-12-03", "DATE_IDENTIFIANTE") in labels("prélevé le 2024-12-03\n")
    assert not [x for x in labels("saison 2011-12 au club\n") if x[1] == "DATE_IDENTIFIANTE"]


def test_every_antibiotic_of_the_cu6_lexicons_is_protected_whatever_its_accents():
    # h19 (session 20): the NER proposed antibiogram lines' antibiotics in capitals as names ("TAZOBACTAM",
    # "CEFTOLOZANE"); PROTECTED is read through ``fold``, so "PIPERACILLINE" must find "Pipéracilline". The list is
    # the INN words of the CU6 lexicons (the corpus lexicon, the use case's aliases and ATC codes, its classes and
    # combinations); read here, as governance may not import the use case.
    import re
    from importlib import resources

    import yaml

    from partages_core.corpus.grammar import lexicon
    from partages_core.governance.lexicons import PROTECTED, fold

    pkg = resources.files("partages_core.usecases.infectiology")
    extra = yaml.safe_load((pkg / "lexicons" / "infectiology_extra.yaml").read_text(encoding="utf-8"))
    classes = yaml.safe_load((pkg / "data" / "antibiotic_classes.yaml").read_text(encoding="utf-8"))
    names = set(lexicon("infectiology")["antibiotics"]) | set(extra["antibiotic_aliases"].values()) | set(extra["antibiotic_atc"])
    names |= {n for v in classes["classes"].values() for n in v} | set(classes["combinations"])
    names |= {n for v in classes["combinations"].values() for n in v}
    words = {w for n in names for w in re.split(r"[-/ ]+", n) if len(w) >= 4 and w != "acide"}
    assert len(words) > 60 and {"tazobactam", "pipéracilline", "ceftolozane", "triméthoprime"} <= words
    assert not sorted(w for w in words if fold(w) not in PROTECTED)
    # the antibiogram line in capitals keeps its drugs
    text = "Antibiogramme : PIPERACILLINE-TAZOBACTAM S, CEFTOLOZANE-TAZOBACTAM S, TRIMETHOPRIME-SULFAMETHOXAZOLE R\n"
    assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM", "VILLE", "HOPITAL")], labels(text)


def test_session20_batch23_leaks_as_classes():
    # own snippets of the writings batch 23 leaked (FORMAT.md "Adjudicated, batch 23"): a Turkish month, a three-digit
    # extension after a phone number, a German laboratory or hospital, a coal-mine trade after a colon or "ancien", a
    # former job before a town, a pit's name, a motorway named alone, a pupil's class, a month alone as a table cell
    spans = (("décédée le 14 Şubat 2025 à Ankara", "14 Şubat 2025"),
             ("née le « 3 Ekim 1951 »", "3 Ekim 1951"),
             ("Standard : 03 82 55 10 20 (week-end : poste 431)", "431"),
             ("Befund : Labor Westpfalz-Diagnostik, Homburg", "Labor Westpfalz-Diagnostik"),
             ("transféré du Klinikum Saarbrücken le 2/12", "Klinikum Saarbrücken"),
             ("- ancien mineur (puits Sainte-Fontaine, 1958-1990) : haveur puis porion", "porion"),
             ("| Profession | ancien calorifugeur (sidérurgie) |", "ancien calorifugeur"),
             ("J'ai revu M. KESSLER, ancien soudeur de l'aciérie de Hayange, asthmatique.", "ancien soudeur"),
             ("houillères, puits Simon-Sud, 1960-1985", "puits Simon-Sud"),
             ("accident de la route sur l'A 31 ce matin", "A 31"),
             ("Objet : Léa, collégienne en 3e, née le 2 mai 2011", "collégienne en 3e"),
             ("| Cible (mRECIST) | Initial | Octobre | Décembre |", "Octobre"))
    for text, span in spans:
        assert span in [t for t, _ in labels(text)], (text, labels(text))
    assert ("Hayange", "VILLE") in labels("J'ai revu M. KESSLER, ancien soudeur de l'aciérie de Hayange, asthmatique.")
    # look-alikes that must stay: a dialysis station, a bed's post, a Turkish month word with no day, a marker and a
    # blood group after "l'", a well of light, pupils as a group, an HbA1c
    for text in ("Dialyse au poste 218 de la salle B ; poste 11, séance de 4 h.\n", "Mme Ekim Nisan est venue\n",
                 "Dosage de l'HbA1c sur l'A1c ; groupe A 1\n", "pas de puits de lumière\n",
                 "Les élèves de la classe ont été vaccinés\n", "bruit de marteau-piqueur la nuit\n",
                 "| Mois | Maintenance |\n"):
        assert not [x for x in labels(text) if x[1] in ("TELEPHONE", "ADRESSE", "IDENTITE_SOCIALE")
                    or x[1].startswith("DATE")], (text, labels(text))


def test_session20_second_pass_ids_in_cells_birth_names_and_listed_names_as_classes():
    # own snippets: an identifier in the cell after its cue's cell (a town in brackets between), a German stay number,
    # a birth name before "ep.", names listed after "collaborateurs / Partenaires / Contacts importants :", a name just
    # before its birth date or its street, first names and a surname in capitals after an upper-case title, a Flemish "T'",
    # a married name before "née", a first name that is also a word in a "Nom / prénom" cell, a town after a glued "d'"
    # (not a valley's or a "pays"'s, not a month)
    spans = (("| Fall-Nr. (Saarlouis) | 2025-0311842 |", "2025-0311842", "ID"),
             ("| NDA | 2025-0311842 |", "2025-0311842", "ID"),
             ("Fallnummer : 2025-0311842", "2025-0311842", "ID"),
             ("Cs du 3/12 | Pat : WISNIEWSKA ep. MULLER Jadwiga, nee le 2/3/1951", "WISNIEWSKA", "NOM"),
             ("Réunion des collaborateurs : Bernadette Odile MARCHETTI du laboratoire", "MARCHETTI", "NOM"),
             ("Partenaires : P. Lagarrigue dans Université", "Lagarrigue", "NOM"),
             ("Contacts importants : Verbruggen Antoine Tél : 06 11 22 33 44", "Verbruggen", "NOM"),
             ("Entrée : 02/05/2023 Ferreira Lucia 11/09/1979, 5521", "Ferreira", "NOM"),
             ("POUR MME ODETTE MARIE KOWALCZYK RDV LE 3.2.2023", "KOWALCZYK", "NOM"),
             ("| 12-03-1961 |  T'Jampens Odile | 06 12 34 56 78", "T'Jampens", "NOM"),
             ("Patient(e) : LAVERGNE née PICHARD Solange | Date", "LAVERGNE", "NOM"),
             ("| Nom / prénom | BERTHOMIEU-SALLES Constant |", "Constant", "PRENOM"),
             ("accident sur la commune d'Albertville, hier", "Albertville", "VILLE"))
    for text, span, label in spans:
        assert (span, label) in labels(text), (text, labels(text))
    # look-alikes that must stay: a date in an IPP cell is no new ID rule's business, a partner institution, a scan and a
    # ward before a date, one first name then a symptom in capitals after a title
    assert not [x for x in labels("| NDA | 2024 |\n") if x[1] == "ID"]
    for text in ("Partenaires : CHU Nord et ARS Grand Est\n", "Scanner Thoracique 12/03/2024 : normal\n",
                 "MME MARIE DOULEUR THORACIQUE\n", "Les collaborateurs : Service Cardiologie Nord\n", "T'as vu ? T'es là\n",
                 "| Nom / prénom | voir étiquette |\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    for text in ("fromage de la vallée d'Abondance, cidre du pays d'Auge\n", "maladie d'Alzheimer, signe d'Avril\n"):
        assert not [x for x in labels(text) if x[1] == "VILLE"], (text, labels(text))


def test_session20_third_pass_lone_facility_acronyms_successive_trades_and_dates_in_id_cells():
    # own snippets: a facility named by its acronym alone after a facility frame (a team, a ward's line, a doctor's
    # affiliation in brackets, a transfer), two successive trades after a colon as two spans (FORMAT.md batch 23), a date
    # in an identifier's cell or after a stay cue is a date, not an ID; a kind by its acronym, then its own name (home
    # care, a health centre, an occupational health service, a follow-up ward "polyvalent"); a two-letter commune after
    # "commune"; a job under its heading or in its field's cell, a known job after "l'activité de" (batch 23)
    spans = (("Suivie par l'équipe du HPSA du Dr. LEROUX Anne.", "HPSA", "HOPITAL"),
             ("- Service de médecine nucléaire, IRPC\n- Dossier RCP", "IRPC", "HOPITAL"),
             ("14:20 - Dr NGUEMA (med poly CHVA) : d'accord", "CHVA", "HOPITAL"),
             ("Transféré au CHPB en urgence.", "CHPB", "HOPITAL"),
             ("Visite du 08/09/2029 à HPSA pour réévaluer", "HPSA", "HOPITAL"),
             ("versant nord, commune d'Eu. Neige dure", "Eu", "VILLE"),
             ("Situation : marié.\n\nPOSTE\nAgent d'exploitation des pistes, 2e saison", "Agent d'exploitation des pistes", "IDENTITE_SOCIALE"),
             ("| Fonction à bord | second mécanicien |\n", "second mécanicien", "IDENTITE_SOCIALE"),
             ("et arrêt de l'activité de boulanger pour un mois", "boulanger", "IDENTITE_SOCIALE"),
             ("- ancien mineur (houillères) : piqueur puis boutefeu\n", "piqueur", "IDENTITE_SOCIALE"),
             ("- ancien mineur (houillères) : piqueur puis boutefeu\n", "boutefeu", "IDENTITE_SOCIALE"),
             ("| IPP | 12/03/2024 |\n", "12/03/2024", "DATE_IDENTIFIANTE"),
             ("Séjour 12/01/2026 -> 30/01/2026.", "12/01/2026", "DATE_IDENTIFIANTE"),
             ("copie : HAD Haute-Loire-Sud\n", "HAD Haute-Loire-Sud", "HOPITAL"),
             ("médecin généraliste, MSP d'Ouessant (29242)", "MSP d'Ouessant", "HOPITAL"),
             ("Dr X, médecin du travail, SPSTI Vallée-Marne ; dose", "SPSTI Vallée-Marne", "HOPITAL"),
             ("CH DE MURAT - SSR polyvalente de Chastel - Pharmacie", "SSR polyvalente de Chastel", "HOPITAL"))
    for text, span, label in spans:
        assert (span, label) in labels(text), (text, labels(text))
    # look-alikes that must stay: a kind of facility, unit or carer after the same frames (``facility_types_fr.txt``), an
    # acronym that opens a longer name, a gene in brackets after a doctor, a trade's detail in brackets kept whole, an id
    for text in ("Transféré au SSR neuro. Adressé par le SMUR. Souche adressée au CNR. Suivie à la PMI.\n",
                 "Adressé par l'IDE ; pris en charge par le SAMU ; hospitalisée à l'EHPAD ; suivi par l'équipe du CMP.\n",
                 "- Service de cardiologie, CHU\n", "Dr Martin (cardio CHU) ; Dr Martin (inhibiteur de TRK)\n",
                 "Suivi au CMP Les Acacias\n", "HAD Lundi prochain ; SST Oui ; retour en HAD Mardi\n",
                 "Consultation à l'EFR ; hospitalisation au CHU ; RDV le 3/2 à l'IRM ; séjour au CDPS\n"):
        assert not [x for x in labels(text) if x[1] == "HOPITAL" and x[0].isupper() and " " not in x[0]], (text, labels(text))
    assert ("mineur de fond", "IDENTITE_SOCIALE") in labels("Profession : mineur de fond (abatteur puis chef de taille)\n")
    assert not [x for x in labels("Profession : mineur de fond (abatteur puis chef de taille)\n") if x[0] == "chef de taille)"]
    assert ("2026-0487513", "ID") in labels("| IPP | 2026-0487513 |\n")
    assert not [x for x in labels("signe d'Oz, taux de Eu, dose d'Ay\n") if x[1] == "VILLE"]   # two letters need "commune"
    for text in ("POSTE\nHoraires : 8 h - 17 h\n", "| Fonction | rénale normale |\n", "| Poste | 4 |\n",
                 "l'activité de consultation est réduite ; l'activité de la maladie ; l'activité de marche\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session21_first_names_no_list_knows_by_where_they_stand_and_names_in_tables():
    # own snippets (names made up here, none from the gold): a first name no list knows beside a surname in capitals,
    # where letters put it (a title then a particle surname, a relative's word, a caregiver's field or role abbreviation,
    # an e-mail header, a patient's or a worker's field with the surname first, a birth or former name, a list of
    # doctors, a closing bracket or a colon and a phone after a titled surname); a surname in capitals before a known
    # first name whatever follows; names in tables (a field's value cell, the Nom / Prénom columns of a table of people)
    spans = (("relu par le Dr Maelwenn LE GUERN, radiologue", "Maelwenn", "PRENOM"),
             ("relu par le Dr Maelwenn LE GUERN, radiologue", "LE GUERN", "NOM"),
             ("Avis du Pr Anatole VAN DEN BROECK (néphrologie)", "VAN DEN BROECK", "NOM"),
             ("Présents : son oncle Tiemoko SANOGO et sa tante", "Tiemoko", "PRENOM"),
             ("accompagné de sa nièce Ysolde MARCHETTI, qui traduit", "MARCHETTI", "NOM"),
             ("IAO : Eglantine PERROCHON\nMotif d'entrée", "Eglantine", "PRENOM"),
             ("IAO : Eglantine PERROCHON\nMotif d'entrée", "PERROCHON", "NOM"),
             ("Saisi par : Capucine GRANVAUD, secrétaire", "GRANVAUD", "NOM"),
             ("IBODE Nolwenn KERBRAT ; circulante : Mme Roux", "Nolwenn", "PRENOM"),
             ("De : Aurèle FONTVIEILLE <a.fontvieille@chu.fr>", "Aurèle", "PRENOM"),
             ("Malade : TREGUIER Armelle, 41 ans, cuisinière", "Armelle", "PRENOM"),
             ("Résident : PLANCHON Eudoxie   Chambre 12", "Eudoxie", "PRENOM"),
             ("Patient : MOUSSAOUI, Hakim    DDN 12/04/1970", "Hakim", "PRENOM"),
             ("Mme RAVEL née DUCHAMP Philomène, 88 ans", "Philomène", "PRENOM"),
             ("Mme BOUVIER veuve GALLAND Léocadie\nNée le", "Léocadie", "PRENOM"),
             ("Drs Gaëtane PIQUEMAL, Anselme CHAUDRON et Dr Roux", "Anselme", "PRENOM"),
             ("Drs Gaëtane PIQUEMAL, Anselme CHAUDRON et Dr Roux", "PIQUEMAL", "NOM"),
             ("avis demandé (Dr Carreras-Puig Oriol)\n", "Oriol", "PRENOM"),
             ("voisine Mme Benhamou Zoubida : 06 11 22 33 44", "Zoubida", "PRENOM"),
             ("rappeler PERRIN Michèle Demander  0612345678", "PERRIN", "NOM"),
             ("| Nom de naissance | DE LA PERRIÈRE |\n| Prénom(s) | Anne-Gaëlle Odile |\n", "DE LA PERRIÈRE", "NOM"),
             ("| Nom de naissance | DE LA PERRIÈRE |\n| Prénom(s) | Anne-Gaëlle Odile |\n", "Odile", "PRENOM"),
             ("| Nom / d'usage | BRESSAND / MOLLARD |\n", "MOLLARD", "NOM"),
             ("| Nom | Prénom | Lien |\n| KOVACS | Ildikó | mère |\n| KOVACS | Bence | frère |\n", "Bence", "PRENOM"),
             ("| Nom | Prénom | Lien |\n|---|---|---|\n| KOVACS | Ildikó | mère |\n", "KOVACS", "NOM"))
    for text, span, label in spans:
        assert (span, label) in labels(text), (text, span, labels(text))
    # look-alikes that must stay: a family history field, clinical words in capitals after a field or a role, a town
    # and its district, a duty after a doctor's name, a table of results, a header row, an unknown value, a title before
    # a name in capitals, a role abbreviation before a name
    quiet = ("Mère : Diabète GESTATIONNEL\nPère : Cancer PROSTATE\n",
             "Conclusion : Aspect NORMAL. Diagnostic : Carcinome CANALAIRE. Germe : Klebsiella PNEUMONIAE.\n",
             "Examen : Scanner TAP ; Motif : Chute MECANIQUE ; Antécédents : Appendicectomie ENFANCE, HTA\n",
             "adressé de Bordeaux MERIGNAC, le 3 ; à Saint-Denis REUNION, puis de Paris CEDEX 12\n",
             "analgésie par Pompe PCA, morphine ; Copie : Cardiologie CHU\n",
             "Dr Dupont DE GARDE, ce jour\n",
             "| Nom | Valeur | Norme |\n|---|---|---|\n| CRP | 12 | <5 |\n| Hémoglobine | 11,2 | 13-17 |\n",
             "| Nom du germe | Escherichia coli |\n| Nom | non renseigné |\n| Prénom | Inconnu |\n")
    for text in quiet:
        found = [x for x in labels(text) if x[1] in ("NOM", "PRENOM")]
        assert not [x for x in found if x[0] not in ("Dupont",)], (text, found)
    # an initial and a surname as a field's value, or between commas before a date; a germ's species after its genus's
    # initial and the title "M." stay
    for text, span in (("Pharmacien responsable : C. Lavergne, sur site", "Lavergne"),
                       ("signataires : BOUCHET Aline, 02/03/04, T. Marchetti, 05/03/04.", "Marchetti")):
        assert (span, "NOM") in labels(text), (text, labels(text))
    for text in ("Germe : E. Coli ; Autre : C. Difficile\n", "Germe : P. Aeruginosa, S. Pyogenes, H. Pylori\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    assert not [x for x in labels("Contact : M. DUCREY, responsable") if x[0] == "M."]
    # a signature block's name alone on its line beside a phone, fax or e-mail line (one word a known first name); a
    # ward's or a facility's line there stays
    for text, span in (("Fax : 01 45 67 89 00\nHélène Odette VASSEUR\nh.vasseur@example.org\n", "VASSEUR"),
                       ("Accueil\nJulien Armand Pecqueur\nTél : 03 20 44 55 66\n", "Pecqueur")):
        assert (span, "NOM") in labels(text), (text, labels(text))
    for text in ("Unité Mobile\nTél : 01 42 00 00 00\n", "Service de Cardiologie\nHôpital Saint Louis\nTél : 01 42 49 49 49\n",
                 "Consultation Externe\nFax : 01 42 49 49 49\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    # a rank written short (firefighters, army doctors) before a surname in capitals, an English title
    for text, span in (("| Équipage | Cch ROUQUETTE ; Sap. TEYSSEDRE Firmin |", "TEYSSEDRE"), ("| Équipage | Cch ROUQUETTE |", "ROUQUETTE"),
                       ("Médecin principal Corentin LE FLOCH, cardiologue", "LE FLOCH"), ("MP A. KERHERVE\n", "KERHERVE"),
                       ("Mrs Pemberton was seen today", "Pemberton"), ("Ms Adeyemi, 34 years old", "Adeyemi")):
        assert (span, "NOM") in labels(text), (text, labels(text))
    for text in ("dossier MP RECONNUE en 2019 ; apport Cal TOTAL 1800\n", "Mère : Diabète GESTATIONNEL\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    # two known first names sharing one surname; a place joined by "et" stays
    assert ("Hélène", "PRENOM") in labels("Grands-parents : Hélène et Marcel Dufresne, Auxerre.")
    assert not [x for x in labels("vacances à Saint Pierre et Miquelon") if x[1] == "PRENOM"]
    # a hospital's site in capitals after the hospital on its letterhead line; a sampling site stays
    assert ("BEL-AIR", "HOPITAL") in labels("CHR DES TROIS RIVIÈRES - SITE DE BEL-AIR\nService de pneumologie\n")
    assert not [x for x in labels("CHU NORD - SITE DE PRELEVEMENT : bras gauche\n") if "PRELEVEMENT" in x[0]]
    assert not [x for x in labels("RENDEZ-VOUS POUR MME Ahmed Kacher FIXÉ") if "MME" in x[0]]
    assert not [x for x in labels("- IDEST Karima Saïdi\n") if "IDEST" in x[0]]
    assert not [x for x in labels("| Nom | Prénom | Lien |\n|---|---|---|\n| KOVACS | Ildikó | mère |\n")
                if x[0] in ("Nom", "Prénom", "Lien", "mère")]


def test_session21_communes_after_a_clause_that_goes_on_an_address_field_an_age_or_a_gp_bracket():
    # own snippets: a commune after "à" with the clause going on in lower case, after an address field, after a person's
    # age, in a GP's bracket; look-alikes: an eponym, a first name and a month after "à", a clause after a common word
    for text, town in (("rendez-vous à Quimper prévu en janvier", "Quimper"), ("il travaille à Roanne virgule depuis", "Roanne"),
                       ("Adresse : Vierzon    Tél. 02 48", "Vierzon"), ("son frère, 52 ans, Tarbes. Deux enfants", "Tarbes"),
                       ("copie : Dr Weiss (MT, Sélestat)\n", "Sélestat")):
        assert (town, "VILLE") in labels(text), (text, labels(text))
    for text in ("score à Glasgow élevé ; pensé à Marie hier ; prévu à Mars prochain\n",
                 "Adresse : Service de cardiologie\n", "patient, 52 ans, Diabète de type 2\n"):
        assert not [x for x in labels(text) if x[1] == "VILLE"], (text, labels(text))



def test_session21_a_rank_written_short_is_no_name_the_model_may_keep():
    # own snippet: the NER proposed the rank before a firefighter's surname as a first name (cross-fit, seed 13); a rank
    # written short is a common word now, so the arbitration drops it; the surname beside it stays
    from partages_core.governance.pseudonymisation import _arbitrate_model

    text = "| Équipage | Sgt ROUQUETTE ; Cpl TEYSSEDRE ; Sap. MALAVAL |"
    for word in ("Sgt", "Cpl", "Sap"):
        s = text.index(word)
        assert _arbitrate_model(text, [{"start": s, "end": s + len(word), "label": "PRENOM"}]) == [], word
    s = text.index("ROUQUETTE")
    assert [c[:3] for c in _arbitrate_model(text, [{"start": s, "end": s + 9, "label": "NOM"}])] == [(s, s + 9, "NOM")]


def test_session21b_jobs_without_a_person_cue_blocks_in_brackets_and_remarried():
    # own snippets (batch 24's classes, h22 second round): a former job after a field's colon or a dictated age, a
    # relative's job after a comma, a job and "retraité" as a sentence, the cells of a career table's job column,
    # the ends of a block range in a macroscopy's "inclus" sentence, "remarié"
    for text, job in (("Motif : ancienne couturière en atelier de confection, dyspnée", "ancienne couturière en atelier"),
                      ("madame le goff 81 ans ancienne ostréicultrice à Cancale point", "ancienne ostréicultrice"),
                      ("Indication : ancien docker des quais de Saint-Malo (1970-2008)", "ancien docker"),
                      ("Son fils, boulanger à Vannes, viendra la chercher.", "boulanger"),
                      ("FA anticoagulée. Mécanicien naval retraité. Pas d'allergie.", "Mécanicien naval retraité"),
                      ("| Années | Poste | Entreprise |\n|---|---|---|\n| 1979 - 1995 | tourneur-fraiseur outillage | forges |\n",
                       "tourneur-fraiseur outillage")):
        assert [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE" and job in x[0]], (text, labels(text))
    for text in ("Antécédents : ancien fumeur sevré en 2010\n", "patient de 76 ans ancien tabagique\n",
                 "Son fils, présent à la consultation, confirme.\n", "Bronchite chronique retraitée. Pas d'allergie.\n",
                 "| Date | Poste | Dose |\n|---|---|---|\n| 12/03 | lit 4 | 2 g |\n", "| Poste | Valeur |\n|---|---|\n| soudeur | oui |\n"):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))
    blocks = labels("Pièce de 22 mm incluse en totalité (A1-A3). Conclusion : carcinome.")
    assert ("A1", "ID") in blocks and ("A3", "ID") in blocks, blocks
    for text in ("hernie discale (L4-L5) incluse dans le champ", "tumeur classée (T1-T2) à l'IRM", "IHC (bloc A4) : positif"):
        assert not [x for x in labels(text) if x[1] == "ID"], (text, labels(text))
    assert ("remariée", "SITUATION_FAMILIALE") in labels("Situation : veuve, remariée en 2015 ; deux enfants.")
    assert not [x for x in labels("Cicatrice remarquable, marié à la mairie") if x[0].startswith("remar")]


def test_session21b_a_lone_letter_in_capitals_a_species_or_an_acronym_is_no_initial_and_surname():
    # own snippets (batch 24's over-scrubbing, h22 second round): a letter inside a phrase in capitals (an elided "D'",
    # "A" for "à"), a bacterium's species after its genus's initial, a lab acronym after "G." (gauche); look-alikes: real
    # initials before surnames in capitals, after a title in capitals or opening the line, stay names
    for text in ("SERVICE D ORTHOPEDIE PEDIATRIQUE\n", "LETTRE DE SORTIE D HOSPITALISATION\n", "CARBAPENEMASE A SPECTRE ETENDU\n",
                 "urines : E. COLI et K. PNEUMONIAE, hémocultures S. AUREUS\n", "douleur flanc D. CRP 45, ASAT 2N\n"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    assert ("MONTBRISON", "VILLE") in labels("ANCIENNE INSTITUTRICE RETRAITÉE À MONTBRISON, VEUVE\n")
    assert not [x for x in labels("CONDUITE À TENIR : REPRISE À DOMICILE\n") if x[1] in ("VILLE", "NOM", "PRENOM")]
    for text, surname in (("Vu par DR D JOFFRON ce jour", "JOFFRON"), ("B MARCHETTI, interne\n", "MARCHETTI"),
                          ("CR validé par E. DURAND hier", "DURAND"), ("Signé : MME A DUPONT", "DUPONT")):
        assert (surname, "NOM") in labels(text), (text, labels(text))


def test_session21b_a_species_after_its_genus_initial_is_no_name_the_model_may_keep():
    # own snippets: the NER proposed a genus's initial and its species in capitals as a first name and a surname (batch
    # 24's over-scrubbing, h22 second round); after a title the same shape is a person's initial and surname
    from partages_core.governance.pseudonymisation import _arbitrate_model

    def model(text, *pieces):
        return [{"start": text.index(p), "end": text.index(p) + len(p), "label": lab} for p, lab in pieces]

    text = "hémocultures : + K. PNEUMONIAE et E. FAECALIS\n"
    assert _arbitrate_model(text, model(text, ("K", "PRENOM"), ("PNEUMONIAE", "NOM"), ("E", "PRENOM"), ("FAECALIS", "NOM"))) == []
    text = "flanc G. LDH 1,3N\n"
    assert _arbitrate_model(text, model(text, ("G", "PRENOM"))) == []
    text = "Vue par Mme S. AUREUS, diététicienne\n"
    kept = [text[c[0]:c[1]] for c in _arbitrate_model(text, model(text, ("S", "PRENOM"), ("AUREUS", "NOM")))]
    assert "AUREUS" in kept, kept


def test_session21b_foreign_postcode_towns_birth_country_codes_and_letterhead_communes():
    # own snippets (batch 24's foreign places, h22 second round): the town after a foreign postcode with its country's
    # letters, a country's code in brackets after a birth date, a commune in capitals as a field of a hospital's
    # letterhead; look-alikes: a lab value with a dash, a status code after a birth date, a ward on a letterhead
    for text, place, label in (("Adresse : Stationsplein 8, NL-2011 LR Haarlem (Pays-Bas)\n", "Haarlem", "VILLE"),
                               ("Adresse : Lindenweg 3, D-79098 Waldkirch\n", "Waldkirch", "VILLE"),
                               ("Patiente : BRANDT Ilse, née le 03-09-1961 (DE), allemande\n", "DE", "PAYS"),
                               ("CENTRE HOSPITALIER DE CORNOUAILLE - QUIMPERLÉ - SERVICE DE PNEUMOLOGIE\n", "QUIMPERLÉ", "VILLE")):
        assert (place, label) in labels(text), (text, labels(text))
    for text in ("score 3 E-1234 Elevé, ligne 2 A-1234 Test\n", "née le 12/03/1950 (ND) ; dossier incomplet\n",
                 "CHU DE NANTES - CARDIOLOGIE - UNITÉ 3\n"):
        assert not [x for x in labels(text) if x[1] in ("VILLE", "PAYS")], (text, labels(text))


def test_session21b_dictated_lower_case_names_after_a_lower_case_title():
    # own snippets (batch 24's dictated names, h22 second round): a surname dictated in lower case after "monsieur",
    # "madame" or "le docteur", closing at an age, "virgule", "son" or "avant", in a dictated text; look-alikes: verbs,
    # adverbs and roles after the same titles, and the same frame in a text that is not dictated
    dictated = ("courrier dicté virgule je revois monsieur le gall kerhervé 71 ans virgule adressé par le docteur "
                "morvan avant son départ point madame va bien virgule monsieur se plaint de douleurs virgule madame "
                "le professeur durand virgule le docteur présente virgule\n")
    found = [x for x in labels(dictated) if x[1] == "NOM"]
    assert ("le gall kerhervé", "NOM") in found and ("morvan", "NOM") in found, found
    assert not [x for x in found if x[0] in ("va bien", "se plaint", "le professeur durand", "présente")], found
    assert not [x for x in labels("Vu ce jour, le docteur morvan avant la garde.\n") if x[1] == "NOM"]


def test_session21b_a_dictated_full_stop_ends_an_address():
    # own snippets (batch 24's dictated street, h22 second round): "point" or "virgule" dictated after a street ends it
    # (the street ran into the next clause and lost to the phone there); look-alikes: a street named "Point du Jour" or
    # "du point de vue" keeps its name
    text = "il vit avec sa fille à Pornic au 14 rue des Sables Blancs point elle appelle le fixe au 02 40 11 22 33 point\n"
    assert ("14 rue des Sables Blancs", "ADRESSE") in labels(text), labels(text)
    assert ("4 rue du Point du Jour", "ADRESSE") in labels("Adresse : 4 rue du Point du Jour, 29200 Brest\n")
    assert [x for x in labels("au 3 chemin du point de vue virgule il") if x[1] == "ADRESSE" and "point de vue" in x[0]]


def test_session22_scores_emergency_numbers_roles_eponyms_and_ward_fields_are_no_identifiers():
    # own snippets (session 22, h22: the dev sets' detections touching no gold span, read as classes)
    # a score's fraction is no date; a date after a date's cue stays one
    for text in ("Naissance : garçon, Apgar 8/9/10, pH 7,30", "Schober 14/10, DDS 20 cm", "acuité visuelle corrigée 9/10 OD"):
        assert not [x for x in labels(text) if x[1] == "DATE_IDENTIFIANTE"], (text, labels(text))
    assert ("3/10/21", "DATE_IDENTIFIANTE") in labels("Vu le 3/10/21 en consultation.")
    # the emergency number after a call verb is no bare day; a day with its month stays a date
    for text in ("si malaise, appeler le 15 sans attendre", "la famille a fait le 15 à 3 h"):
        assert not [x for x in labels(text) if x[1] == "DATE_IDENTIFIANTE"], (text, labels(text))
    assert ("15 mars", "DATE_IDENTIFIANTE") in labels("rappeler le 15 mars pour le résultat")
    # a role or a title is no name on its own; the names beside it are read
    got = labels("Médecin traitant : Dr LAFFONT-RIEU     Médecin coordonnateur : Dr Ph. MOUTTE\n")
    assert not [x for x in got if x[0] == "Médecin"] and ("MOUTTE", "NOM") in got, got
    got = labels("Mar. 4/12 9 h 10 - IDE Sandrine P.\nCIBLE : douleur")
    assert not [x for x in got if x[0] == "IDE"], got
    # an eponym in brackets after a lower-case word is no town; a commune, a country or a GP's town there stays one
    for text in ("Examen après coloration (Ziehl) négatif.", "Voie centrale (Broviac) retirée ce jour.", "grade modifié (Scarff-Bloom) : 2"):
        assert not [x for x in labels(text) if x[1] == "VILLE"], (text, labels(text))
    assert ("Bastia", "VILLE") in labels("vu par son médecin traitant (Bastia) hier")
    assert ("Calvi", "VILLE") in labels("Dr Orsoni, médecin traitant (Calvi)")
    # a ward's or a form's name among a letterhead's fields is no town; a town there stays one
    got = labels("CENTRE HOSPITALIER DE LA VALLÉE - NEURO-ONCOLOGIE\nDr Pierre ANDRIEU")
    assert not [x for x in got if x[1] == "VILLE"], got
    assert ("VANNES", "VILLE") in labels("CLINIQUE OCÉANE - VANNES - Cardiologie")


def test_session22_town_lists_patient_abbreviation_and_roles_with_a_complement():
    # own snippets: three communes in a list are towns; a list of surnames stays names
    got = labels("Réunion en visio avec Valence, Montélimar et Romans-sur-Isère le matin.")
    assert {("Valence", "VILLE"), ("Montélimar", "VILLE"), ("Romans-sur-Isère", "VILLE")} <= set(got), got
    got = labels("Présents : Drs Martin, Bernard et Thomas")
    assert not [x for x in got if x[1] == "VILLE"], got
    # "Pt :" is a patient's field, the surname in capitals first
    got = labels("Pt : LAGARDE-VIDAL Eulalie - DDN 02/03/1950")
    assert ("LAGARDE-VIDAL", "NOM") in got and ("Eulalie", "PRENOM") in got, got
    # a care role with its complement, then a colon, before a first name and a surname in capitals
    got = labels("Infirmière de coordination : Maëlys TANGUY\n")
    assert ("Maëlys", "PRENOM") in got and ("TANGUY", "NOM") in got, got
    got = labels("Médecin du travail : Avis FAVORABLE\n")
    assert not [x for x in got if x[1] in ("NOM", "PRENOM")], got


def test_session22_drug_brands_and_phrases_of_a_capitals_paragraph_are_no_names_the_model_may_keep():
    # own snippets: the NER proposed a drug's brand (QUAERO's leaflets) and phrases of a paragraph typed in capitals
    # (hand-written dev) as names; a name written the same way with a title before it is kept
    from partages_core.governance.pseudonymisation import _arbitrate_model

    def model(text, *pieces):
        return [{"start": text.index(p), "end": text.index(p) + len(p), "label": lab} for p, lab in pieces]

    def kept(text, *pieces):
        return [text[c[0]:c[1]] for c in _arbitrate_model(text, model(text, *pieces))]

    text = "Qu'est-ce que Zorvexa ? Zorvexa 150 mg, comprimés pelliculés. Prenez Zorvexa le soir.\n"
    assert kept(text, ("Zorvexa", "VILLE")) == []
    text = "Mme Zorvexa a pris son comprimé.\n"
    assert kept(text, ("Zorvexa", "NOM")) == ["Zorvexa"]
    text = "CONCLUSION : TUMEUR FIBREUSE DE LA PLÈVRE, LOBECTOMIE DROITE COMPLÈTE, PAS DE NÉCROSE.\n"
    assert kept(text, ("TUMEUR FIBREUSE", "NOM"), ("LOBECTOMIE DROITE", "NOM")) == []
    text = "RENSEIGNEMENTS : PATIENT VU AVEC SON ÉPOUSE, MME QUÉRÉ, POUR RÉSULTATS DE LA BIOPSIE.\n"
    assert kept(text, ("QUÉRÉ", "NOM")) == ["QUÉRÉ"]


def test_session22_signature_role_lines_a_glued_at_sign_and_n_degree_are_no_identifiers():
    # own snippets (the EDS-Pseudo training fold's detections touching no gold span, as classes): a staff title alone on
    # its line beside a titled name's line; "@" for a letter in a word; the "N" of "N°" after a name
    got = labels("Tél : 01 40 00 00 00\nCoordonnatrice\nDr Anne-Laure VIGUIER\n")
    assert not [x for x in got if x[1] == "IDENTITE_SOCIALE"] and ("VIGUIER", "NOM") in got, got
    got = labels("Dr P. MARCHAND\nDirecteur du laboratoire de biologie\n01 40 00 00 00\n")
    assert not [x for x in got if x[1] == "IDENTITE_SOCIALE"], got
    assert ("boulanger", "IDENTITE_SOCIALE") in labels("Profession : boulanger\nDr Martin\n")
    got = labels("Remarques : Inform@tion transmise au Dr. P-Y RIOU, mail riou.py@fr")
    assert not [x for x in got if x[0] == "Inform@tion"] and ("riou.py@fr", "EMAIL") in got, got
    got = labels("Assurée : Odile FERRAND N° 2 51 03 75 112 004 27")
    assert not [x for x in got if x[0] == "N"] and ("FERRAND", "NOM") in got, got


def test_session22_a_compound_commune_dictated_in_lower_case():
    # own snippets: in a dictated text a hyphenated commune in lower case after a place's preposition is a town; the
    # same words in a typed text, or a hyphenated word that is no commune, stay
    text = "il a 70 ans virgule ancien docker au port de saint-malo virgule il rentre à la roche-sur-yon point elle va peut-être mieux virgule"
    got = labels(text)
    assert ("saint-malo", "VILLE") in got and ("la roche-sur-yon", "VILLE") in got, got
    assert not [x for x in got if x[0] == "peut-être"], got
    assert not [x for x in labels("Ancien docker au port de saint-malo.") if x[1] == "VILLE"]


def test_session22_relatives_first_names_after_an_age_towns_after_a_titled_name_streets_without_a_number():
    # own snippets (the cross-fit's leaks read as classes, session 22 h22)
    got = labels("Fratrie : une sœur de 7 ans, Nawel. Père absent.")
    assert ("Nawel", "PRENOM") in got, got
    assert not [x for x in labels("un enfant de 6 mois, Traité par amoxicilline.") if x[1] == "PRENOM"]
    got = labels("destinataire docteur Ronan LE GALL Saint-Brieuc\n")
    assert ("Saint-Brieuc", "VILLE") in got, got
    assert not [x for x in labels("Dr Jean MARTIN Cardiologie\n") if x[1] == "VILLE"]
    got = labels("Employeur : scierie familiale, rue des Tanneurs, Ambert (zone artisanale).")
    assert ("rue des Tanneurs", "ADRESSE") in got and ("Ambert", "VILLE") in got, got
    got = labels("cc : Dott.ssa Ferri Chiara, Ospedale San Luca")
    assert ("Ferri", "NOM") in got, got


def test_session22_a_company_before_its_legal_form_is_no_person():
    # own snippets (QUAERO's leaflets, session 22): the name before a legal form is a company's; a name before capitals
    # that are no legal form stays a person's
    for text in ("Titulaire : Eli Lilly Regional Operations GmbH, Vienne", "Norge Pfizer Limited Sandwich",
                 "à Jules Verne Pharma Ltd , le 3"):
        assert not [x for x in labels(text) if x[1] in ("NOM", "PRENOM")], (text, labels(text))
    got = labels("Dr Jean Martin a vu Mme Petit AG 12")
    assert ("Petit", "PRENOM") in got or ("Petit", "NOM") in got, got


def test_session22b_reference_initials_letterhead_towns_and_facilities_named_by_their_place():
    # own snippets (batch 25's leaks read as classes, session 22 second round h22), each with a look-alike that stays
    got = labels("Bourges, le 2 mars 2026\nN/Réf. : MB/sd\nObjet : votre patient")
    assert ("MB", "NOM") in got and ("sd", "NOM") in got, got
    assert not [x for x in labels("Réf. : HTA/AVC") if x[1] == "NOM"]
    got = labels("CLINIQUE DU LAC - MÉDECINE\nVierzon - standard 02 48 12 34 56\n")
    assert ("Vierzon", "VILLE") in got, got
    assert not [x for x in labels("Cardiologie - secrétariat 02 48 12 34 56\n") if x[1] == "VILLE"]
    got = labels("Médecin traitant : Dr Pasquier, Romorantin / Cardiologue : Dr Lenoir")
    assert ("Romorantin", "VILLE") in got, got
    got = labels("Service de gériatrie - Issoudun\nLigne directe 02 54 00 00 00")
    assert ("Issoudun", "VILLE") in got, got
    assert not [x for x in labels("Service de médecine - Pneumologie\n") if x[1] == "VILLE"]
    got = labels("Adressée par la pharmacie du Val-de-Loire, qui a refait le pansement.")
    assert ("pharmacie du Val-de-Loire", "HOPITAL") in got, got
    got = labels("avec l'équipe mobile de gériatrie du Berry et le réseau")
    assert ("équipe mobile de gériatrie du Berry", "HOPITAL") in got, got
    assert not [x for x in labels("dispensé par la pharmacie du CHU ; l'équipe mobile de soins palliatifs passe") if x[1] == "HOPITAL"]


def test_session22b_jobs_opening_a_line_or_sentence_after_an_identity_bracket_or_puis():
    # own snippets: a capitalised job with its complement opening a sentence or a list item is the patient's job; a
    # doctor's title, a care role and a clinical heading are not
    got = labels("Divorcé, deux enfants. Chauffeur de bus scolaire en arrêt depuis mars.")
    assert ("Chauffeur de bus scolaire", "IDENTITE_SOCIALE") in [(x[0][:25], x[1]) for x in got], got
    got = labels("- Ouvrier de maintenance (papeterie), en invalidité.")
    assert any(x[1] == "IDENTITE_SOCIALE" and x[0].startswith("Ouvrier de maintenance") for x in got), got
    got = labels("Né le 03/02/1950, dossier 123456\nCultivateur de tabac retraité (Dordogne), marié")
    assert any(x[1] == "IDENTITE_SOCIALE" and x[0].startswith("Cultivateur de tabac") for x in got), got
    got = labels("Profession : vendeuse en boulangerie puis caissière en supermarché")
    assert any(x[1] == "IDENTITE_SOCIALE" and x[0].startswith("caissière") for x in got), got
    for text in ("Professeur des universités - praticien hospitalier\nPr Jean MARTIN", "Agent infectieux : SAMS.",
                 "Infirmière de coordination : Mme Roux.", "Examen clinique : abdomen souple."):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session22b_units_and_board_names_are_no_identifiers():
    # own snippets: a unit's letter before a lab acronym is no initial ("G/L. AFP"); a board's name among letterhead
    # fields is no town; an initial before a surname stays a name
    got = labels("PNN 1,2 G/L. AFP 40 ng/mL, CRP 12 mg/L.")
    assert not [x for x in got if x[1] in ("NOM", "PRENOM")], got
    assert ("MARTIN", "NOM") in labels("Vu par le Dr J. MARTIN ce jour.")
    got = labels("CH DE BLOIS - RCP TUMEURS DIGESTIVES DU LOIR-ET-CHER\nRéunion du 3 mars")
    assert not [x for x in got if x[1] == "VILLE"], got


def test_session22b_an_english_speaking_patients_job_after_retired():
    # own snippets: "retired" then the job's words before a clause end is the patient's job; "retired in/from …" is not
    got = labels("Mr HOLLOWAY Peter, DOB 02/05/1948, retired marine biologist ; wife present.")
    assert ("retired marine biologist", "IDENTITE_SOCIALE") in got, got
    for text in ("He retired in 2010 from the navy.", "retired from the army, lives alone."):
        assert not [x for x in labels(text) if x[1] == "IDENTITE_SOCIALE"], (text, labels(text))


def test_session23_the_other_half_of_a_name_beside_a_name_the_model_keeps():
    # own snippets: the NER reads one half of a person's name and is silent on the other; the arbitration completes it
    # (an initial beside a surname, a surname after first names, a first name closing a titled surname's clause, a
    # surname opening its line before first names, a married couple's other name); look-alikes stay
    from partages_core.governance.pseudonymisation import _arbitrate_model

    def model(text, *pieces):
        return [{"start": text.index(p), "end": text.index(p) + len(p), "label": lab} for p, lab in pieces]

    def kept(text, *pieces):
        return sorted(text[c[0]:c[1]] for c in _arbitrate_model(text, model(text, *pieces)))

    assert kept("Interne Vasseur J.B\n04 12", ("Vasseur", "NOM")) == ["J.B", "Vasseur"]
    assert kept("Staff : A.-M. DELCOURT, chef", ("DELCOURT", "NOM")) == ["A.-M.", "DELCOURT"]
    assert kept("| 12 | P. OLLIVIER |", ("OLLIVIER", "NOM")) == ["OLLIVIER", "P."]
    assert kept("vu avec Fanny Queffelec ce matin", ("Fanny", "PRENOM")) == ["Fanny", "Queffelec"]
    assert kept("Docteur GWENOLA KERDRAON, appel", ("GWENOLA", "NOM")) == ["GWENOLA", "KERDRAON"]
    assert kept("Queffelec, Anne Sophie\n12/03/61", ("Anne Sophie", "PRENOM")) == ["Anne Sophie", "Queffelec"]
    assert kept("Patiente : KERDILES ép. MORVAN Yvonne", ("MORVAN", "NOM"), ("Yvonne", "PRENOM")) == \
        ["KERDILES", "MORVAN", "Yvonne"]
    assert "Kerhervé" in kept("Mme LE GALL ép. Kerhervé, née", ("LE GALL", "NOM"))
    assert "KERHERVÉ" in kept("Pte : LE GALL Annick ép. KERHERVÉ, née", ("LE GALL", "NOM"), ("Annick", "PRENOM"))
    assert kept("| Nom de naissance / d'usage | RIOU / PRIGENT |", ("RIOU", "NOM")) == ["PRIGENT", "RIOU"]
    assert kept("| Antécédents | HTA / DIABÈTE |", ("HTA", "NOM")) == []
    # look-alikes: a title, a role, a ward, a company's initials, Monsieur, a town after a titled name, a verb after a
    # name whose surname is read
    assert kept("Dr Anne Morel\nMme Claire Dubois", ("Anne", "PRENOM"), ("Claire", "PRENOM")) == \
        ["Anne", "Claire", "Dubois", "Morel"]
    assert kept("Dr MARTIN Cardiologie\n", ("MARTIN", "NOM")) == ["MARTIN"]
    assert kept("Pr DUPONT C.H.U. de Lyon", ("DUPONT", "NOM")) == ["DUPONT"]
    assert kept("Pr DUPONT N.B. : à revoir", ("DUPONT", "NOM")) == ["DUPONT"]
    assert kept("Vu ce jour, M. Dupont va mieux", ("Dupont", "NOM")) == ["Dupont"]
    assert kept("Dr Vasseur Issoire, le 3 mars", ("Vasseur", "NOM")) == ["Vasseur"]
    assert kept("OGER Dominique Contacter 04 12 34 56 78", ("OGER", "NOM"), ("Dominique", "PRENOM")) == ["Dominique", "OGER"]
    assert kept("Dr Anne\nInterne Marc", ("Marc", "PRENOM")) == ["Marc"]


def test_session23_phone_numbers_as_a_class_whatever_their_grouping():
    # own writings (general knowledge): a French number grouped any way, separators mixed, an international number with
    # its code in brackets or dashes, two numbers joined by a slash, a number cut by a line break after its cue, a
    # lower-case cue before a foreign number, an extension after a number; dates, ids, doses and times stay
    def phones(text):
        return [t for t, lab in labels(text) if lab == "TELEPHONE"]

    for text, want in (("portable 06 12 345 678", "06 12 345 678"), ("Tél 0612 345 678", "0612 345 678"),
                       ("Tel : 05.42.0924.67", "05.42.0924.67"), ("numéro vert 0 800 123 456", "0 800 123 456"),
                       ("Dr A. MARTIN 03-55 06 05 67 Dr B. DURAND", "03-55 06 05 67"),
                       ("Tel +33-6-12-34-56-78", "+33-6-12-34-56-78"), ("contact : (+33) 6 12 34 56 78", "(+33) 6 12 34 56 78"),
                       ("tél. 02/123.45.67 (Bruxelles)", "02/123.45.67"), ("Natel 079 123 45 67", "079 123 45 67"),
                       ("Tel. 01.42.34.56.78 ext. 345", "345")):
        assert want in phones(text), (text, labels(text))
    got = phones("Tél. 06 12 34 56 78/06 98 76 54 32")
    assert "06 12 34 56 78" in got and "06 98 76 54 32" in got, got
    got = phones("Tél. 01 42 34 56\n78 (secrétariat)")
    assert "01 42 34 56" in got and "78" in got, got
    for text in ("du 12-03-2024 au 14-05-2024", "le 05.06.2024 10 h", "lot n° 0612 345 678", "paracétamol 0 500 123 456 mg",
                 "IPP 0123 456 789", "plaquettes 150 000 /mm3, GB 12 345", "PA 120/80 mmHg, FC 72", "entre 08 00 et 12 00",
                 "05/06/2024 10/06/2024", "un tel 12 mars 2024", "lésion mobile 12 x 8 mm", "Tél. 04 72 11 69 11\n12/03/2024"):
        assert not phones(text) or text.startswith("Tél.") and phones(text) == ["04 72 11 69 11"], (text, labels(text))


def test_session24_folded_phone_patterns_keep_every_reading():
    # session 24 folded the twenty-two phone patterns into seven (French numbers, a country code, "+33" written loosely,
    # international with any separators, two numbers joined by a slash, cue-led numbers, extensions): the
    # readings a folded pattern could hide (an inner number after "+33" or "(33)", a pager's three digits beside a
    # longer extension, "poste" only after a phone) and the look-alikes its cues meet keep main e0d45b1's output
    def phones(text):
        return [t for t, lab in labels(text) if lab == "TELEPHONE"]

    for text, want in (("Tél. +33 06 12 34 56 78", ["06 12 34 56 78"]),   # the inner French number, not hidden by "+33"
                       ("Dr A. MARTIN (33) 36-65-90-19-26 Dr B. DURAND", ["(33) 36-65-90-19-26"]),
                       ("Pr F. LEROY (36)006610436", ["(36)006610436"]),
                       ("bip 123 45 67", ["123"]), ("bip 123 45", ["123 45"]), ("bip 62 418", ["62 418"]),
                       ("poste bip 1234", ["1234"]), ("DECT 45 67", ["45 67"]),
                       ("Standard 04 72 11 69 11 poste 4 12 45", ["04 72 11 69 11", "4 12 45"]),
                       ("01 42 34 56 78 ext. 345", ["01 42 34 56 78", "345"]),
                       ("03 87 70 41 96 (nuit : poste 218)", ["03 87 70 41 96", "218"]),
                       ("Tél : 01 42 34 56 78, bip 312", ["01 42 34 56 78", "312"]),
                       ("+33 6 12 34 56 78 90 12", ["+33 6 12 34 56 78"]), ("0033 6 12 34 56 78", ["0033 6 12 34 56 78"]),
                       ("(514) 555 0123 02", ["(514) 555 0123 02"]), ("01.42.16.10.O2", ["01.42.16.10.O2"]),
                       ("0 7 - 4 4 - 4 1 - 1 2 - 4 0", ["0 7 - 4 4 - 4 1 - 1 2 - 4 0"]),
                       ("01 02.03 04 05 06 07 08", ["01 02.03 04 05"])):
        assert phones(text) == want, (text, labels(text))
    assert_not_labelled("TELEPHONE", ("poste 218", "extension 345", "ext. 4 cm", "bip 12 mg", "poste 11", "bip 312 %",
                                      "poste 12/05", "lot n° 0612 345 678", "18-03-1999 06-04-2024"))


def test_session23_second_round_jobs_in_frames_with_no_job_cue():
    # own writings of batch 26's frames (no job written in the batch is listed; the jobs are the lexicons'): a dictated
    # colon after "Mode de vie", "; était" opening a clause, a second job after the first one's town and "et", a
    # relative's job after her dictated name with no comma, "aide soignante" dictated without its dash, a certificate's
    # job on a line of its own after the patient's address, a job then "salarié d'une …"; look-alikes stay
    def jobs(text):
        return [t for t, lab in labels(text) if lab == "IDENTITE_SOCIALE"]

    for text, want in (("Mode de vie deux points maçon virgule marié", "maçon"),
                       ("Mode de vie deux points boulangère salariée d'une grande surface", "boulangère"),
                       ("Réfugié afghan ; était mécanicien à Kaboul", "mécanicien"),
                       ("Afghan ; était plombier à Herat et étudiant en droit avant 2019.", "étudiant en droit"),
                       ("sa fille madame DURAND Claire boulangère à Dijon", "boulangère"),
                       ("son épouse Mme KOVAC Ana aide soignante en EHPAD", "aide soignante"),
                       ("Arrivée en France en 2022 ; couturière en atelier au Mali ; vit seule", "couturière en atelier"),
                       ("M. X, né le 01/02/1970,\ndemeurant 3 rue des Lilas, 21000 Dijon,\ncharpentier couvreur à Beaune,\n"
                        "qui déclare", "charpentier couvreur"),
                       # the same class's verbs and lines, own writings: no subject, a relative's "est", a training
                       ("Était maçon jusqu'en 2015, en invalidité depuis.", "maçon"),
                       ("Il a été chauffeur routier pendant vingt ans.", "chauffeur routier"),
                       ("Devenu serveur à son arrivée en France.", "serveur"),
                       ("Elle est employée comme caissière dans un supermarché.", "caissière"),
                       ("à son compte comme plombier depuis 2010.", "plombier"),
                       ("son fils est menuisier à Beaune.", "menuisier"),
                       ("Patient de 45 ans, en formation d'aide-soignante à l'IFSI.", "aide-soignante"),
                       ("marié, deux enfants, éleveur de chèvres à Cluny.", "éleveur de chèvres"),
                       # a field between dashes on a person's line
                       ("Pat : KRASNIQI Bekim - DDN 01/01/1964 - maçon - IPP 9001234", "maçon"),
                       ("Mme Y — coiffeuse — consulte pour", "coiffeuse")):
        assert want in jobs(text), (text, labels(text))
    for text in ("Mode de vie deux points vit seul en appartement", "; était apyrétique à l'entrée",
                 "pas d'antécédent ; était suivi en cardiologie", "l'aide soignante a retrouvé le patient au sol",
                 "son épouse Mme KOVAC Ana présente ce jour", "Il est porteur d'un SARM ; était porteur de BLSE",
                 "Arrivé en France en 2021 ; facteur rhumatoïde négatif", "en première année de traitement",
                 "M. X, né le 3/4/1950,\ndemeurant 2 rue Haute,\nretraité,\nqui déclare",
                 "Il a été hospitalisé en 2019.", "Était apyrétique à l'admission.", "Devenue aphasique depuis l'AVC.",
                 "son fils est présent ce jour.", "sa mère est décédée d'un cancer.", "en formation de groupe avec les internes",
                 "Il a été interne à Dijon.", "Était suivi par le Dr Martin.", "Il a été porteur d'un SARM.",
                 "Dr Martin — cardiologue — CHU Dijon", "Mme X - infirmière - tél 06 12 34 56 78",
                 "LABORATOIRE - biologie médicale - Dijon", "M. X, 50 ans - facteur de risque - tabac"):
        assert not jobs(text), (text, labels(text))


def test_session23_second_round_a_foreign_town_and_its_state_code():
    # "Couvet (CH)" (batch 26's frame, own writings): a town after a place word and an ISO code in brackets; not an
    # acronym's definition, not France
    def found(text):
        return [(t, lab) for t, lab in labels(text) if lab in ("VILLE", "PAYS")]

    assert found("hospitalisé à Lausanne (CH) puis") == [("Lausanne", "VILLE"), ("CH", "PAYS")]
    assert ("BE", "PAYS") in found("transféré de Anvers (BE) le 3")
    assert not [x for x in found("vu à Acide Urique (AU)") if x[1] == "PAYS"]
    assert not [x for x in found("vit à Lyon (FR)") if x[1] == "PAYS"]


def test_session23_second_round_a_prescriber_number_and_a_carer_s_workplace():
    # batch 26's frames, own writings: a prescriber's nine-digit Assurance Maladie number after "AM", grouped any way;
    # a facility acronym after a carer's job and "au / aux"; doses, hours and an employer stay
    assert ("25 1 04418 6", "ID") in labels("RPPS 10101887342 - AM 25 1 04418 6\nCERTIFICAT")
    assert ("751234567", "ID") in labels("N° AM : 751234567")
    assert not [x for x in labels("vu à 10 h AM 25 mg") if x[1] == "ID"]
    assert not [x for x in labels("AM 12 3 45678 9 mg") if x[1] == "ID"]
    assert ("HUG", "HOPITAL") in labels("(compagne, infirmière aux HUG à Genève) qui")
    assert not [x for x in labels("travaille à la SNCF ; médecin au SAMU ce jour") if x[1] == "HOPITAL"]


def test_session24_titles_typed_in_capitals_are_person_cues_for_the_model():
    # own snippets: a letterhead or a note typed in capitals writes "DR", "MME", "DOCTEUR"; the arbitration's person cues
    # (a protected or common word after a title, an initial after a title, a first name closing a titled surname's
    # clause) read them as they read "Dr", "Mme", "Docteur"; a title used as a noun after an article does not
    from partages_core.governance.pseudonymisation import _arbitrate_model

    def model(text, *pieces):
        return [{"start": text.index(p), "end": text.index(p) + len(p), "label": lab} for p, lab in pieces]

    def kept(text, *pieces):
        return sorted(text[c[0]:c[1]] for c in _arbitrate_model(text, model(text, *pieces)))

    assert kept("Mme.Barre Eliane, vue ce jour", ("Barre", "NOM")) == ["Barre"]
    assert kept("MME.BARRE ELIANE, VUE CE JOUR", ("BARRE", "NOM")) == ["BARRE"]
    assert kept("COURRIER ADRESSÉ AU DR SALADE, SERVICE DE NEUROLOGIE", ("SALADE", "NOM")) == ["SALADE"]
    assert kept("DOCTEUR TEMAURI TAMA, INITIALISATION DU TRAITEMENT", ("TEMAURI", "NOM")) == ["TAMA", "TEMAURI"]
    assert kept("06 53 14 56 50 DR M. FROMONT 01 65 34 06 03", ("M.", "PRENOM"), ("FROMONT", "NOM")) == ["FROMONT", "M"]
    # look-alikes: a title as a noun after an article, a clinical word with no title before it
    assert kept("SERONT PARTAGÉES AVEC LE DOCTEUR RÉFÉRENT VIA MAIL", ("RÉFÉRENT", "NOM")) == []


def test_session24_a_mark_glued_before_a_name_is_read_as_a_space_by_the_model():
    # own snippets: a dash, comma or colon glued before a capitalised word stays inside spaCy's token, so the model could
    # not mark the name; the model reads a space there (offsets unchanged) and the stretch around it is read;
    # compounds, drugs and scores keep their marks
    from partages_core.governance.ner import unglued
    from partages_core.governance.pseudonymisation import _model_regions

    for text, want in (("Arrivée le 15/02/2022 -DEVEAU JEAN", "Arrivée le 15/02/2022  DEVEAU JEAN"),
                       ("présentes :MARIE COUSQUER, 06/04/01,J. Delorenzi", "présentes  MARIE COUSQUER, 06/04/01 J. Delorenzi"),
                       ("Francomme,Michel Camille", "Francomme Michel Camille"),
                       ("Dr Lazard Martien-01.42.18.76.90, Dr Dupuy Julie:06 12 34 56 78",
                        "Dr Lazard Martien 01.42.18.76.90, Dr Dupuy Julie 06 12 34 56 78")):
        assert unglued(text) == want and len(unglued(text)) == len(text)
    for text in ("Jean-Pierre Dupont", "lymphome non-Hodgkin", "COVID-19", "HbA1c : 7 %", "anti-HER2", "CA-125", "J-15"):
        assert unglued(text) == text
    text = "contact -Jourdan ce jour"
    assert any(a <= text.index("Jourdan") < b for a, b in _model_regions(text, []))


def test_session24_occupations_as_a_class():
    # h33, own writings (no job written in batch 27 is listed as a word): a trade adjective in -ant, an elided "d'"
    # complement, any noun made a job by "professionnel(le)" after it, "à" typed as "a", a season before the place,
    # a second job on an identity block's line, Faker's fr_CH job heads ("tonnelier", "graveur"); look-alikes stay
    def jobs(text):
        return [t for t, lab in labels(text) if lab == "IDENTITE_SOCIALE"]

    for text, want in (("M. ETCHART Ion, 31 ans, IPP 123456\nPelotari professionnel et tonnelier l'hiver.", "Pelotari professionnel"),
                       ("Mme X, 44 ans, skipper professionnelle, rentrée d'une course.", "skipper professionnelle"),
                       ("votre patient monsieur dupont danseur professionnel virgule rentré hier", "danseur professionnel"),
                       ("M. Y, né le 01/02/1960 - IPP 4455667\nCommerçant ambulant et fromager, vit seul.", "Commerçant ambulant"),
                       ("Tabac : jamais. Professeure d'allemand en collège. Toux depuis.", "Professeure d'allemand en collège"),
                       ("Ancien chaudronnier a l'arsenal de Brest, puis ouvrier a l'usine de Lacq.", "ouvrier"),
                       ("M. Z, 50 ans, IPP 778899\nMaître-nageur sauveteur l'été à Biarritz.", "Maître-nageur sauveteur"),
                       ("son fils Paul, graveur, vit à Pau", "graveur"),
                       ("Ancien mineur de fond, puis boucher-charcutier à Pau.", "boucher-charcutier")):
        assert any(want in job for job in jobs(text)), (text, labels(text))
    assert "tonnelier" in " ".join(jobs("M. ETCHART Ion, 31 ans, IPP 123456\nPelotari professionnel et tonnelier l'hiver."))
    for text in ("Mode de vie : projet professionnel en cours.", "45 ans, parcours professionnel chaotique, vit seul.",
                 "Tabac : ancien fumeur (20 PA).", "Contexte professionnel difficile.", "asthme professionnel.",
                 "M. X, 50 ans, IPP 123\nReclassement professionnel en cours.", "surdité professionnelle, appareillée.",
                 "eczéma professionnel, arrêt de travail.", "Le procureur de la République a été avisé.",
                 "Dr Martin, administrateur de garde, prévenu.", "Patient de 40 ans, stress professionnel important.",
                 "dermatose professionnelle.", "Antécédent : accident professionnel en 2019.", "cancer professionnel et",
                 "AINS puis anti-inflammatoires.", "puis post-opératoire simple."):
        assert not jobs(text), (text, labels(text))


def test_session24_remaining_leaks_as_classes():
    # h22, second round, own writings (none copied from batch 27): a typist's reference initials in any bracket or after
    # "Réf." in its writings, a first name after a care role's abbreviated "référent(e)" and a colon, a naturalisation
    # in all its spellings, a mountain pass, harbour or peak after a place cue; the look-alikes stay in clear
    def found(text, label):
        return [t for t, lab in labels(text) if lab == label]

    for text, want in (("Lyon, le 3 mars 2025, dicté le 2 mars (JD/AL)\n", {"JD", "AL"}),
                       ("Dr Paul Dumas, radiologue [BG/cb]\n", {"BG", "cb"}),
                       ("frappé par la secrétaire le 12/04 (MLB/ST)\n", {"MLB", "ST"}),
                       ("N/Réf. : CL/MH\n", {"CL", "MH"}), ("Nos réf. (BD/kl)\n", {"BD", "kl"}),
                       ("Référence : GT/RV.\n", {"GT", "RV"}), ("V/ref JP/ml\n", {"JP", "ml"})):
        assert want <= set(found(text, "NOM")), (text, labels(text))
    for text in ("Relais oral (IV/PO) le 3 mars\n", "Dr X : antibiogramme (S/R)\n", "Paracétamol (1/2 cp) le 2/03\n",
                 "Dr X : bilan lipidique (HDL/LDL)\n", "Genou (D/G) le 4 mars\n", "rapport albumine/globulines (A/G)\n",
                 "Dr X, transaminases (ASAT/ALAT)\n", "Doppler (VD/VG) sans anomalie\n", "ratio (CD/CD) inversé\n"):
        assert not found(text, "NOM"), (text, labels(text))
    for text, want in (("Dr Morel / IDE réf. : Ainhoa\n", "Ainhoa"), ("Cadre de santé : Dupuis ; IDE référente : Lorea\n", "Lorea"),
                       ("IDEC réfé : Garazi\n", "Garazi")):
        assert any(want in t for t, lab in labels(text) if lab in ("NOM", "PRENOM")), (text, labels(text))
    for text, want in (("née à Porto, naturalisée française en 1975", "française"), ("naturalise portugais en 1980", "portugais"),
                       ("NATURALISÉ FRANÇAIS EN 1962", "FRANÇAIS")):
        assert want in found(text, "NATIONALITE"), (text, labels(text))
    for text in ("Il parle français couramment.", "naturalisé par décret en 1970", "langue française comprise"):
        assert not found(text, "NATIONALITE"), (text, labels(text))
    for text, want in (("Berger l'été au col de la Pierre-Saint-Martin.", "col de la Pierre-Saint-Martin"),
                       ("randonnée vers le port de Venasque, chute", "port de Venasque"),
                       ("accident au pic du Midi de Bigorre", "pic du Midi")):
        assert any(want in t for t in found(text, "ADRESSE")), (text, labels(text))
    for text in ("fracture du col du fémur droit", "col utérin normal", "port de charges lourdes proscrit",
                 "fracture du col du Fémur", "port de lunettes", "frottis du col de l'utérus", "au col vésical"):
        assert not found(text, "ADRESSE"), (text, labels(text))
    # a residence's room after its residence (not a hospital room, not the interns' on-call room)
    for text, want in (("étudiant, logé en résidence universitaire du Lac, bâtiment B, chambre 214 à Pessac", "chambre 214"),
                       ("vit en cité U Saint-Jean, bât. 2, logement 31.", "logement 31")):
        assert any(want in t and "sidence" in t or want in t and "cité" in t for t in found(text, "ADRESSE")), (text, labels(text))
    for text in ("hospitalisé bâtiment C, chambre 112", "Interne de garde, internat, chambre 4 : appel",
                 "la résidence universitaire est loin; chambre 12 du service"):
        assert not found(text, "ADRESSE"), (text, labels(text))
    # a lone day after an exam with a qualifier or a capital, a month's dotless abbreviation closing a parenthesis after a
    # time word; not a dose, a duration, a range's first day read elsewhere, "sept" alone in brackets
    for text, want in (("Hémocultures de contrôle du 14 stériles.", "14"), ("Scanner thoracique du 3 : normal.", "3"),
                       ("prélèvements peropératoires du 9 positifs", "9"), ("EVA 3 (6 fin nov). Reprise", "nov"),
                       ("KPS 70 (90 en janv), stable", "janv")):
        assert want in found(text, "DATE_IDENTIFIANTE"), (text, labels(text))
    for text in ("Bilan du 5 mg de prednisone", "Hémocultures de contrôle du 2 au 4 jours", "Nombre d'enfants (sept).",
                 "Scanner injecté du 3e jour", "dosage résiduel du 12 h", "OCT (oct) normale"):
        assert not found(text, "DATE_IDENTIFIANTE"), (text, labels(text))


def test_session25_batch28_leaks_as_classes():
    """Batch 28's leaks written as classes (session 25, h22, own writings), each with look-alikes that must not match."""
    def found(text, label):
        return [t for t, lab in labels(text) if lab == label]

    # a passport number in spaced groups
    for text in ("Passeport ukrainien FT 208 417 ; titre de séjour", "passeport n° AB 12 345 678"):
        assert any(t[:1].isupper() for t in found(text, "ID")), (text, labels(text))
    for text in ("Passeport ukrainien valide jusqu'en 2028", "passeport FT 2024"):
        assert not found(text, "ID"), (text, labels(text))
    # a bare day before the place it was sent to or done at
    for text, want in (("Coprocultures envoyées le 30 au laboratoire Biosaône.", "30"), ("opéré le 4 au bloc, suites simples", "4"),
                       ("revu le 12 aux urgences pour fièvre", "12")):
        assert want in found(text, "DATE_IDENTIFIANTE"), (text, labels(text))
    for text in ("score de 2 au bloc", "lit 12 au service", "le 1 au laboratoire sur 3 flacons"):
        assert "2" not in found(text, "DATE_IDENTIFIANTE") and "12" not in found(text, "DATE_IDENTIFIANTE"), (text, labels(text))
    # two months joined by a dash
    for text in ("RCT longue (50 Gy + capécitabine) avril-mai puis FOLFIRINOX", "cure thermale juin-juillet"):
        assert len(found(text, "DATE_IDENTIFIANTE")) == 2, (text, labels(text))
    for text in ("Mars-Attaque", "la Saint-Mai-Juin", "quartier Juin-Mai"):
        assert not found(text, "DATE_IDENTIFIANTE"), (text, labels(text))
    # a first name between a surname in capitals and the bracket naming the person's other surname
    for text, want in (("| Mère | XIANG Qiuyue (nom d'usage DONG) |", "Qiuyue"), ("Patiente : MARTIN Ana (née SILVA)", "Ana")):
        assert want in found(text, "PRENOM") + found(text, "NOM"), (text, labels(text))
    for text in ("SCANNER Thoracique (née de la veille)", "Service CHU Bordeaux (née à Pau)"):
        assert "Thoracique" not in found(text, "PRENOM") and "Bordeaux" not in found(text, "PRENOM"), (text, labels(text))
    # a child, brother or sister named with an age in brackets after the kinship word
    for text, want in (("arrivée avec ses deux enfants, Sofiia (9 ans) et Maksym (4 ans), et sa mère", "Sofiia"),
                       ("Fratrie : deux sœurs, Oleksandra (12 ans) et Ivanka (8 ans).", "Oleksandra")):
        assert want in found(text, "PRENOM"), (text, labels(text))
    for text in ("Antécédents : Diabète (10 ans), Hypertension (5 ans).", "Enfants : aucun. Lévothyrox (3 ans) stable.",
                 "fils aîné en bonne santé ; Tabac (20 ans) sevré"):
        assert not found(text, "PRENOM"), (text, labels(text))
    # a relative's first name then a known job; a known job then the firm it is done in
    for text, want in (("leur fils Oğuzhan opticien à Genève sert d'interprète", "opticien"),
                       ("sa fille Julie infirmière au CHU", "infirmière"),
                       ("dossier HB-551907 régleur sur presses à injecter dans une entreprise de plasturgie", "régleur sur presses à injecter"),
                       ("Mode de vie : vit seul, soudeur dans une usine de sous-traitance", "soudeur")):
        assert want in found(text, "IDENTITE_SOCIALE"), (text, labels(text))
    for text in ("son fils Paul présent ce jour", "sa fille Marie décédée en 2010", "Il est resté dans une entreprise",
                 "accident de travail dans une usine", "employé depuis dix ans dans une PME", "douleur dans une entreprise"):
        assert not any(w in " ".join(found(text, "IDENTITE_SOCIALE")) for w in ("présent", "décédée", "resté", "accident",
                                                                             "depuis", "douleur")), (text, labels(text))
    # batch 28's detections touching no gold span, as classes: a care unit's acronym after a facility in a letterhead, a
    # participle opening a "… le DATE" line, a newborn's sex; the towns and jobs they look like are still read
    text = "HÔPITAL DES MINGUETTES - PASS - 17 avenue des Lilas, 69200 Vénissieux"
    assert "PASS" not in found(text, "VILLE") and "Vénissieux" in found(text, "VILLE"), labels(text)
    assert "LILLE" in found("CENTRE OSCAR LAMBRET - LILLE - Pathologie", "VILLE")
    for text in ("Arrivée en France le 19 octobre 2026 avec ses enfants.", "Installée en France le 3 mars 2020."):
        assert not found(text, "VILLE"), (text, labels(text))
    for text, want in (("Roanne le 3 mars 2025", "Roanne"), ("Saint-Étienne, le 4 avril 2024", "Saint-Étienne")):
        assert want in found(text, "VILLE"), (text, labels(text))
    assert not found("Nouveau-né : garçon, 3 420 g, Apgar 10/10", "IDENTITE_SOCIALE")
    assert "garçon de café" in found("Mode de vie : garçon de café à Lyon", "IDENTITE_SOCIALE")
    # the article of a birth date typed in capitals is no surname; a surname "LE" elsewhere still is
    assert "LE" not in found("Mme DUMONTET épouse PERRAUD MARCELINE   NÉE LE 11/08/1951", "NOM")
    assert "LE" not in found("PATIENTE : DUPONT MARIE NÉE LE 03/02/1950", "NOM")
    assert "LE GOFF" in found("M. LE GOFF né le 3/4/1950", "NOM") and "LE" in found("Mme LE, née le 3/4/1950", "NOM")
    # an administration's département is no town; a town after it still is
    for text in ("relance de la CPAM du Rhône ce jour", "dossier MDPH du Bas-Rhin à relancer", "CPAM de Loire-Atlantique (dossier",
                 "CAF de la Vienne"):
        assert not found(text, "VILLE"), (text, labels(text))
    for text, want in (("CPAM de Dunkerque le 3 mars", "Dunkerque"), ("CAF de Vienne", "Vienne"), ("CPAM de Paris", "Paris")):
        assert want in found(text, "VILLE"), (text, labels(text))
