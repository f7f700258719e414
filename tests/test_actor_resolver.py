"""The speaker/actor span resolver prefers the person over the group named in their role."""
from storyline.link.actors import make_resolver


def test_person_wins_over_longer_organisation_in_the_same_span():
    text = "said Hanna Brisk, a spokeswoman for the Vell Valley Emergency Service."
    person = (text.index("Hanna"), text.index("Hanna") + len("Hanna Brisk"), "e_person", True)
    org_start = text.index("Vell")
    org = (org_start, org_start + len("Vell Valley Emergency Service"), "e_org", False)
    resolve = make_resolver({"a1": sorted([person, org])}, {"e_person": "Hanna Brisk", "e_org": "VVES"})
    span = (text.index("Hanna"), text.index("."))
    assert resolve("a1", *span) == {"entity": "e_person", "name": "Hanna Brisk"}
    assert resolve("a1", org_start, org_start + 4) == {"entity": "e_org", "name": "VVES"}
    assert resolve("a1", 0, 4) is None and resolve("other", *span) is None
