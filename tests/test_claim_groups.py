"""Claim groups on invented records: agreement across wording, syndication, conflicts, updates."""
from __future__ import annotations

from storyline.claims import group_claims


def art(aid, source, published, duplicate_of=None, cites=(), story="s1"):
    return {"id": aid, "source": source, "published": published, "duplicate_of": duplicate_of,
            "story": story, "cites": list(cites)}


def claim(article, value, qualifier="=", unit="troop", subject="Turkish troops", start=0, kind="numeric",
          attributed=None, event=None, date=None):
    text = f"{value} {unit}"
    rec = {"id": f"{article}-{start}", "article": article, "kind": kind, "text": text,
           "span": {"start": start, "end": start + len(text), "text": text}, "value": value,
           "qualifier": qualifier, "unit": unit + "s", "unit_normalised": unit, "currency": None,
           "unit_span": {"start": start, "end": start + 1, "text": "x"},
           "subject": {"text": subject, "span": {"start": 0, "end": len(subject), "text": subject}},
           "attributed_to": {"text": attributed} if attributed else None, "date": date}
    if kind == "dated":
        rec["unit_normalised"] = "date"
        rec["event"] = {"text": event or "withdraw"}
    return rec


def only(groups):
    assert len(groups) == 1, groups
    return groups[0]


def test_three_outlets_agree_with_different_wording():
    arts = [art("a", "VOA", "2021-06-18"), art("b", "Reuters", "2021-06-18"), art("c", "Hurriyet", "2021-06-19")]
    claims = [claim("a", 500), claim("b", 500, "~", subject="troops of Turkey"),
              claim("c", [450, 550], subject="the Turkish troops in Kabul")]
    g = only(group_claims(claims, arts))
    assert g["status"] == "corroborated" and g["independent_sources"] == 3
    assert g["id"].startswith("cg") and set(g["articles"]) == {"a", "b", "c"} and len(g["values"]) == 3


def test_syndicated_copy_adds_no_source():
    arts = [art("a", "VOA", "2021-06-18"), art("blog", "blogspot", "2021-06-18", duplicate_of="a")]
    g = only(group_claims([claim("a", 500), claim("blog", 500)], arts))
    assert g["independent_sources"] == 1 and g["status"] == "single-source"


def test_same_outlet_twice_and_relayed_agency_count_once():
    arts = [art("a", "Daily A", "2021-06-18", cites=["Reuters"]), art("b", "Daily B", "2021-06-18", cites=["Reuters"])]
    claims = [claim("a", 500, attributed="Reuters"), claim("b", 500, attributed="Reuters")]
    g = only(group_claims(claims, arts))
    assert g["independent_sources"] == 1 and g["status"] == "single-source"


def test_conflicting_figure_same_day():
    arts = [art("a", "VOA", "2021-06-18"), art("b", "TOLOnews", "2021-06-18")]
    g = only(group_claims([claim("a", 500), claim("b", 1000, ">")], arts))
    assert g["status"] == "conflicting"


def test_approximate_agrees_only_within_ten_percent():
    arts = [art("a", "VOA", "2021-06-18"), art("b", "AP", "2021-06-18")]
    assert only(group_claims([claim("a", 300, "~"), claim("b", 320)], arts))["status"] == "corroborated"
    assert only(group_claims([claim("a", 300, "~"), claim("b", 340)], arts))["status"] == "conflicting"


def test_toll_rising_over_three_days_is_updated():
    arts = [art("d1", "AP", "2021-08-26"), art("d2", "BBC", "2021-08-27"), art("d3", "AFP", "2021-08-28")]
    claims = [claim(a, v, unit="people", subject="the death toll") for a, v in (("d1", 60), ("d2", 110), ("d3", 170))]
    g = only(group_claims(claims, arts))
    assert g["status"] == "updated"
    assert [v["value"] for v in g["values"]] == [60, 110, 170]


def test_deadlines_conflict_once_resolved():
    arts = [art("a", "VOA", "2021-03-15"), art("b", "Reuters", "2021-03-15")]
    claims = [claim("a", "2021-03-31", "<", kind="dated", subject="the pull-out", event="complete"),
              claim("b", "2021-04", "<", kind="dated", subject="foreign forces", event="withdraw pull-out")]
    claims[1]["subject"]["text"] = "the pull-out of foreign forces"
    g = only(group_claims(claims, arts))
    assert g["kind"] == "dated" and g["status"] == "conflicting"


def test_different_stories_units_and_periods_do_not_group():
    arts = [art("a", "VOA", "2021-06-18"), art("b", "AP", "2021-06-18", story="s2"), art("c", "AP", "2021-06-18")]
    claims = [claim("a", 500), claim("b", 500), claim("c", 500, unit="dollar"),
              claim("a", 20, unit="percentage", subject="revenue", date="2020", start=50),
              claim("c", 25, unit="percentage", subject="revenue", date="2021", start=50)]
    assert len(group_claims(claims, arts)) == 5


def test_grouping_story_by_story_equals_grouping_everything():
    """What the incremental linker relies on: the groups of a story come from its own claims
    and articles (plus the originals its copies point to, in another story or not), so
    regrouping only the stories that changed gives what grouping the corpus gives."""
    arts = [art("a", "VOA", "2021-06-18"), art("b", "Reuters", "2021-06-18", story="s2"),
            art("c", "Hurriyet", "2021-06-19", duplicate_of="b"), art("d", "AP", "2021-06-20", story="s2"),
            art("e", "AFP", "2021-06-20", story="s3")]
    claims = [claim("a", 500), claim("b", 500), claim("c", 500), claim("c", 12, unit="ship", subject="ships", start=40),
              claim("d", 520, "~"), claim("e", 7, unit="ship", subject="ships")]
    whole = group_claims(claims, arts)
    by_id = {a["id"]: a for a in arts}
    parts = []
    for story in ("s1", "s2", "s3"):
        mine = {a["id"] for a in arts if a["story"] == story}
        need = mine | {by_id[a]["duplicate_of"] for a in mine if by_id[a]["duplicate_of"]}
        parts += group_claims([c for c in claims if c["article"] in mine], [by_id[a] for a in need])
    assert sorted(whole, key=lambda g: g["id"]) == sorted(parts, key=lambda g: g["id"])
    assert len({g["story"] for g in whole}) == 3


# --- blocking (issue 15): the blocked grouping gives what the all-pairs reference gives ----------

SUBJECTS = ["Turkish troops", "the death toll", "people killed", "ships", "the dead", "troops", "pay rise",
            "the pull-out", "bodies", "evacuees", "#MeToo posts", None, "workers", "the wounded"]
UNITS = ["people", "person", None, "troop", "ship", "percentage", "dollar", "-", ""]
PREDICATES = [None, {"lemma": "demand"}, {"lemma": "offer"}, {"lemma": "kill"}, {"lemma": "accept"},
              {"lemma": "reject"}, {"lemma": "die"}]


def _random_claims(rng, n):
    arts = [{"id": f"a{k}", "source": rng.choice(["VOA", "AP", "BBC", "blog", None]),
             "published": rng.choice([None, "2021-06-18", "2021-06-19", "2021-06-20", "2021-06"]),
             "duplicate_of": None, "story": rng.choice(["s1", "s2"]), "cites": rng.choice([[], ["Reuters"]])}
            for k in range(max(1, n // 3))]
    for a in arts:
        if rng.random() < 0.15:
            a["duplicate_of"] = rng.choice(arts)["id"]
    claims = []
    for k in range(n):
        kind = "dated" if rng.random() < 0.25 else "numeric"
        if kind == "dated":
            value = rng.choice([None, "2021-03-31", "2021-04", "2021-05-01"])
        elif rng.random() < 0.7:
            value = rng.choice([5, 9, 10, 11, 14, 19, 300, 320, 340, -10, -12, 0])
        else:
            value = sorted(rng.sample([5, 9, 12, 120, 300], 2))
        subj = rng.choice(SUBJECTS)
        rec = {"id": f"c{k}", "article": rng.choice(arts)["id"], "kind": kind, "text": "t",
               "span": {"start": k, "end": k + 1, "text": "t"}, "value": value,
               "qualifier": rng.choice(["=", "~", ">", "<", "up", "down", None]),
               "unit": rng.choice(["people", "troops", "dead", "killed"]),
               "unit_normalised": rng.choice(UNITS) if kind == "numeric" else "date", "currency": None,
               "unit_span": {"start": 0, "end": 1, "text": "x"} if rng.random() < 0.5 else None,
               "subject": {"text": subj} if subj else None, "predicate": rng.choice(PREDICATES),
               "attributed_to": {"text": "Reuters said"} if rng.random() < 0.2 else None,
               "date": rng.choice([None, None, "2020", "2021-06-18", "2021-06-19", "2021-Q2"]),
               "sentence": {"start": 0, "end": 10, "text": rng.choice(
                   ["x", "officials disputed the figure", "five more than the official count"])}}
        if kind == "dated":
            rec["event"] = {"text": rng.choice(["withdraw", "complete", "accept"])}
        claims.append(rec)
    return claims, arts


def test_blocked_grouping_equals_all_pairs_on_random_claims():
    import random

    statuses = set()
    for seed in range(150):
        claims, arts = _random_claims(random.Random(seed), random.Random(seed).randint(1, 60))
        fast = group_claims(claims, arts)
        assert fast == group_claims(claims, arts, exhaustive=True), seed
        statuses |= {(g["status"], g["moved"]) for g in fast}
    assert {("conflicting", True), ("conflicting", False), ("updated", True), ("corroborated", False)} <= statuses


def test_status_from_aggregates_equals_every_pair():
    """`_flags_fast` (per-day and per-source aggregates) against `_flags_all_pairs` on random
    groups: negative approximate values (an interval that meets nothing), ranges, open
    intervals, disputed sentences, unknown days, unresolved deadlines, several sources."""
    import random

    from storyline.claims import groups as g

    seen = set()
    for seed in range(3000):
        rng = random.Random(seed)
        kind = rng.choice(["numeric", "dated"])
        outlets = ["VOA"] if rng.random() < 0.3 else ["VOA", "AP", "BBC"]  # one source: deadlines can move
        by_id = {f"a{k}": art(f"a{k}", rng.choice(outlets),
                              rng.choice([None, "2021-06-18", "2021-06-19", "2021-06-20"]), cites=["Reuters"])
                 for k in range(6)}
        members = [{"kind": kind, "article": f"a{rng.randrange(6)}",
                    "value": rng.choice([5, 9, 10, 11, 14, 19, -10, -11, 0, [5, 9], [10, 14]]) if kind == "numeric"
                    else rng.choice([None, "2021-03-31", "2021-04", "2021-05-01"]),
                    "qualifier": rng.choice(["=", "~", ">", "<", "up"]),
                    "date": rng.choice([None, "2021-06-18", "2021-06-21", None]),
                    "attributed_to": {"text": "Reuters said"} if rng.random() < 0.3 else None,
                    "sentence": {"text": "officials disputed it" if rng.random() < 0.1 else "x"}}
                   for _ in range(rng.randint(2, 25))]
        when = [g._when(c, by_id) for c in members]
        want = g._flags_all_pairs(members, when, by_id)
        assert g._flags_fast(members, when, by_id) == want, seed
        seen.add((kind, want))
    assert len(seen) == 8  # every (conflict, moves) combination, both kinds


def long_story(claims, articles, copies, per_day=3):
    """One story of `copies` copies of these articles, a day apart every `per_day` articles,
    outlets in seven variants, figures of odd copies growing with the story's age."""
    import datetime as dt

    out_a, out_c, k = [], [], 0
    for rep in range(copies):
        for a in articles:
            day = k // per_day
            k += 1
            pub = a.get("published")
            shift = 0
            if pub and len(str(pub)) >= 10:
                new = dt.date(2026, 3, 1) + dt.timedelta(days=day)
                shift = (new - dt.date.fromisoformat(str(pub)[:10])).days
                pub = new.isoformat()
            out_a.append({**a, "id": f"{a['id']}~{rep}", "story": "long", "published": pub,
                          "source": f"{a.get('source')} {rep % 7}",
                          "duplicate_of": f"{a['duplicate_of']}~{rep}" if a.get("duplicate_of") else None})
            for c in claims:
                if c["article"] != a["id"]:
                    continue
                value, date = c.get("value"), c.get("date")
                if c["kind"] == "numeric" and rep % 2 and isinstance(value, (int, float)) and value > 2:
                    value = round(value * (1 + day / 20))
                if isinstance(date, str) and len(date) >= 10 and date[:4].isdigit():
                    date = (dt.date.fromisoformat(date[:10]) + dt.timedelta(days=shift)).isoformat() + date[10:]
                out_c.append({**c, "id": f"{c['id']}~{rep}", "article": f"{a['id']}~{rep}", "value": value,
                              "date": date})
    return out_c, out_a


def test_blocked_grouping_equals_all_pairs_on_the_sample_and_a_long_story(sample_db):
    from storyline.link.claims import ARTICLE_KEYS
    from storyline.store import open_store

    with open_store(str(sample_db)) as store:
        claims = list(store.records("claims"))
        arts = [{k: a.get(k) for k in ARTICLE_KEYS} for a in store.articles()]
    whole = group_claims(claims, arts)
    assert whole == group_claims(claims, arts, exhaustive=True)
    assert {g["status"] for g in whole} >= {"corroborated", "conflicting"}
    long_claims, long_arts = long_story(claims, arts, copies=8)
    fast = group_claims(long_claims, long_arts)
    assert fast == group_claims(long_claims, long_arts, exhaustive=True)
    assert len(long_claims) > 700 and max(len(g["claims"]) for g in fast) > 50
