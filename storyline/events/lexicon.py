"""PLOVER event types, their CAMEO roots and quad classes, and the trigger lexicon.

Written for storyline from the PLOVER manual (draft 0.8, 2021: the 16 categories, their modes
and the CAMEO→PLOVER table in ../shared/data/plover/) and from reading the trigger words of
the ConfliBERT CAMEO sentences. No third-party dictionary is copied: entries are lemmas chosen
by hand, one line each, with the PLOVER type, the PLOVER mode ("" when none) and the CAMEO code
(the root, or a 3-digit code where the mode pins it down).

Quad class (CAMEO convention): 1 verbal cooperation (CAMEO 01-05), 2 material cooperation
(06-08), 3 verbal conflict (09-13), 4 material conflict (14-20).
"""
from __future__ import annotations

# type -> (CAMEO root, quad class). ACCUSE covers CAMEO 09 (investigate) and 11; the 09 code is
# given per trigger. ASSAULT covers 18-20; the code is given per trigger (19 by default).
TYPES: dict[str, tuple[str, int]] = {
    "AGREE": ("03", 1), "CONSULT": ("04", 1), "SUPPORT": ("05", 1),
    "COOPERATE": ("06", 2), "AID": ("07", 2), "CONCEDE": ("08", 2), "RETREAT": ("08", 2),
    "ACCUSE": ("11", 3), "REQUEST": ("10", 3), "REJECT": ("12", 3), "THREATEN": ("13", 3),
    "PROTEST": ("14", 4), "MOBILIZE": ("15", 4), "SANCTION": ("16", 4), "COERCE": ("17", 4),
    "ASSAULT": ("19", 4),
}
# Older PLOVER / CAMEO category names, mapped per the manual's translation table.
OLD_NAMES = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}

COOPERATIVE = {t for t, (_, q) in TYPES.items() if q in (1, 2)}
MATERIAL_CONFLICT = {t for t, (_, q) in TYPES.items() if q == 4}


def _table(spec: str) -> dict[str, tuple[str, str, str]]:
    out = {}
    for line in spec.strip().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        head, _, words = line.partition(":")
        typ, mode, cameo = (head.split("/") + ["", ""])[:3]
        for w in words.split(","):
            w = w.strip()
            if w:
                out[w] = (typ.strip(), mode.strip(), cameo.strip() or TYPES[typ.strip()][0])
    return out


# Verb lemmas (head of the clause). "TYPE/mode/cameo: lemma, lemma, ...".
VERBS = _table("""
AGREE//030: agree, pledge, promise, vow, commit
AGREE//036: offer
AGREE//030: accept
CONSULT//040: meet, discuss, negotiate, consult, confer
CONSULT/phone/041: telephone, phone
CONSULT/visit/042: visit, tour
CONSULT/host/043: host
CONSULT//046: mediate
SUPPORT//051: praise, commend, hail, welcome, endorse, applaud, congratulate, thank, laud, support, back
SUPPORT//052: defend
SUPPORT//057: sign, ratify
SUPPORT//054: recognize, recognise
COOPERATE//061: cooperate, collaborate, partner
COOPERATE/legal/063: extradite
COOPERATE//064: share
AID//070: donate, aid, assist, help, fund, finance, supply, deliver, contribute, provide
AID/asylum/075: shelter
CONCEDE//081: ease, relax, lift, loosen
CONCEDE//080: concede, yield, compromise, accede
CONCEDE//083: acquit, amnesty
SUPPORT//055: apologize, apologise, regret
SUPPORT//056: forgive, pardon
RETREAT/release/084: release, free, repatriate
RETREAT/withdraw/087: withdraw, retreat, pull, evacuate, demobilize, demobilise, disarm
RETREAT/resign/080: resign, quit, abdicate
RETREAT//080: surrender, capitulate
ACCUSE/investigate/090: investigate, probe, inspect, examine
ACCUSE/disapprove/111: accuse, criticize, criticise, condemn, denounce, blame, slam, censure, deplore, decry, chastise, rebuke, lambast, castigate, fault
ACCUSE/allege/114: complain, allege
ACCUSE/allege/115: sue, indict, charge, prosecute
REQUEST//100: demand, urge, request, appeal, ask, call, press, insist, seek, plead, petition, implore, order, pressure
REJECT//120: reject, refuse, deny, decline, dismiss, rebuff, spurn, oppose, repudiate, renounce, resist, defy, renege
REJECT/yield/129: veto
REJECT/yield/128: violate, breach
THREATEN//130: threaten, warn
THREATEN/relations/139: ultimatum
PROTEST/demo/141: demonstrate, rally, march, protest, picket
PROTEST/strike/143: strike
PROTEST/boycott/143: boycott
PROTEST/obstruct/144: block, barricade
PROTEST/riot/145: riot
MOBILIZE/troops/154: mobilize, mobilise, deploy, mass, amass, station, reinforce
MOBILIZE/police/151: patrol
SANCTION/withdraw/161: suspend, sever, downgrade, recall
SANCTION/discontinue/162: halt, cut, stop, freeze
SANCTION/expel/166: expel
SANCTION//163: sanction, embargo
SANCTION//160: cancel, reduce
COERCE/arrest/173: arrest, detain, jail, imprison, convict, sentence, apprehend
COERCE/deport/174: deport
COERCE/seize/171: seize, confiscate, raid, demolish, raze, loot, torch, burn, destroy
COERCE/restrict/172: ban, outlaw, prohibit, censor, restrict, shut, close
COERCE/restrict/191: besiege, blockade
COERCE/seize/192: occupy, capture, annex, retake, overrun
COERCE/cyber/176: hack
ASSAULT/abduct/181: abduct, kidnap, hijack
ASSAULT/beat/182: beat, torture, stab, assault, abuse
ASSAULT/explosives/183: bomb, blow
ASSAULT/targeted/186: assassinate, behead, execute
ASSAULT//190: attack, kill, shoot, fight, clash, wound, injure, invade, storm, ambush, murder, massacre
ASSAULT/heavy-weapons/194: shell, bombard, fire, pound, rocket, mortar, target
ASSAULT/aerial/195: airstrike
""")

# Event nouns (as subject "X killed", object "launched an attack", or prepositional head).
NOUNS = _table("""
AGREE//030: agreement, accord, deal, pact, treaty, truce, ceasefire, cease-fire, pledge, consensus
CONSULT//040: talks, meeting, summit, negotiation, negotiations, consultation, visit, discussions, bargaining
CONSULT//046: mediation
SUPPORT//051: praise, endorsement, support
SUPPORT//054: ties, relations
COOPERATE//062: exercise, exercises, maneuvers, manoeuvres, games
CONCEDE//083: amnesty
SUPPORT//055: apology
SUPPORT//056: pardon
RETREAT/withdraw/087: withdrawal, evacuation
RETREAT/resign/080: resignation
AID//070: aid, assistance, donation, relief, arms
AID/asylum/075: asylum
ACCUSE/investigate/090: investigation, inquiry, probe, hearing, trial, inspectors, inspection
ACCUSE/disapprove/111: accusation, criticism, condemnation
REQUEST//100: demand, appeal, call, request
REJECT//120: rejection, refusal, veto
THREATEN//130: threat, warning, ultimatum
PROTEST/demo/141: protest, demonstration, rally, march, sit-in
PROTEST/strike/143: strike, walkout
PROTEST/riot/145: riot, unrest
MOBILIZE/troops/154: deployment, mobilization, buildup, build-up
SANCTION//163: sanctions, sanction, embargo
COERCE/arrest/173: arrest, detention, crackdown
COERCE/restrict/172: curfew, ban, blockade, restrictions
ASSAULT//190: attack, offensive, assault, clash, fighting, battle, raid, invasion, war, violence, killing, killings, shooting
ASSAULT/beat/182: torture
ASSAULT/massacre/200: cleansing
ASSAULT/explosives/183: bomb, bombing, explosion, blast, ied
ASSAULT/aerial/195: airstrike
ASSAULT/heavy-weapons/194: shelling, bombardment, missile, rocket, artillery, mortar
ASSAULT/targeted/186: assassination
MOBILIZE/troops/154: troops, soldiers, police, forces, warships, reinforcements, peacekeepers
MOBILIZE/alert/150: alert
""")

# Verbs that take the event as their complement ("launched an attack", "staged a protest",
# "held talks"): the event noun decides the type.
LIGHT_VERBS = {"launch", "stage", "hold", "carry", "conduct", "mount", "make", "open", "begin",
               "start", "continue", "resume", "impose", "issue", "reach", "announce",
               "declare", "lead", "organize", "organise", "wage", "unleash", "give", "provide",
               "send", "grant", "lodge", "file", "level", "dispatch", "establish", "restore", "renew",
               "upgrade", "undertake", "strengthen", "complete", "finish", "intensify", "extend",
               "tighten", "step", "speed", "accelerate"}
# Verbs of ending: with a cooperative event noun ("ended mediation efforts") they reduce
# relations (SANCTION, CAMEO 16).
END_VERBS = {"end", "terminate", "abandon"}
# Verbs whose subject is the event noun ("riots are continuing", "fighting broke out").
EVENT_SUBJECT_VERBS = {"continue", "erupt", "break", "take", "occur", "resume", "begin", "start",
                       "spread", "rage", "escalate"}
# Prepositions of a purpose noun ("arrived on a visit", "went to Geneva for talks").
PURPOSE_PREPS = {"on", "for"}
# Compounds that make a "strike" an attack rather than a labour strike.
ATTACK_STRIKE = {"air", "missile", "drone", "rocket", "military", "artillery", "aerial"}
# Verbs of intent ("agreed to withdraw", "offered to mediate", "plans to attack"): the event is
# the complement, marked as intended (future).
INTENT_VERBS = {"agree", "offer", "promise", "pledge", "vow", "plan", "intend", "prepare",
                "decide", "aim", "seek", "try", "attempt", "want", "hope", "expect", "propose",
                "commit", "undertake", "threaten", "consider"}
# Verbs of refusal: "refused to withdraw" is a REJECT of the complement.
REFUSAL_VERBS = {"refuse", "decline", "reject", "fail", "deny", "resist"}
# Adjectives of readiness ("is ready to send troops", "willing to negotiate").
INTENT_ADJ = {"ready", "willing", "prepared", "determined", "eager", "keen", "set", "poised"}
# Particles and prepositions that change a verb: (lemma, particle) -> entry.
PHRASAL = {
    ("call", "for"): ("REQUEST", "", "100"), ("call", "on"): ("REQUEST", "", "100"),
    ("blow", "up"): ("ASSAULT", "explosives", "183"), ("open", "fire"): ("ASSAULT", "firearms", "193"),
    ("set", "fire"): ("COERCE", "seize", "171"), ("pull", "out"): ("RETREAT", "withdraw", "087"),
    ("crack", "down"): ("COERCE", "", "175"), ("lay", "down"): ("RETREAT", "disarm", "087"),
    ("hand", "over"): ("RETREAT", "release", "084"), ("step", "down"): ("RETREAT", "resign", "080"),
    ("round", "up"): ("COERCE", "arrest", "173"), ("lash", "out"): ("ACCUSE", "disapprove", "111"),
    ("shut", "down"): ("COERCE", "restrict", "172"), ("cut", "off"): ("SANCTION", "discontinue", "162"),
    ("break", "off"): ("SANCTION", "withdraw", "161"), ("take", "over"): ("COERCE", "seize", "192"),
    ("speak", "with"): ("CONSULT", "phone", "041"), ("talk", "with"): ("CONSULT", "", "040"),
    ("meet", "with"): ("CONSULT", "", "040"),
}
# Speech verbs: an event in their complement is reported speech of the subject (the speaker).
SPEECH_VERBS = {"say", "tell", "state", "announce", "claim", "add", "report", "declare",
                "insist", "note", "stress", "explain", "confirm", "believe", "think", "allege"}
# Negation of the trigger or of its governing intent verb.
NEGATORS = {"not", "n't", "never", "no"}
MODAL_FUTURE = {"will", "would", "shall", "'ll", "may", "might", "could"}


def type_info(typ: str) -> tuple[str, int]:
    """(CAMEO root, quad class) for a PLOVER type."""
    return TYPES[typ]
