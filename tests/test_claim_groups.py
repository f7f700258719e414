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
