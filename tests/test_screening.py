"""Screening for earlier records: candidates through the blind indexes, ranked with their
explanation, other mechanisms only hinted at, and every decision the coordinator's, audited, undoable."""

from __future__ import annotations

import datetime as dt
import itertools

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.world import World, make_world
from ura.cases.models import Case
from ura.cases.services import referral_submit
from ura.governance.models import AuditEvent
from ura.matching import screening
from ura.matching.models import MatchDecision
from ura.matching.services import match_decide, match_undo

_n = itertools.count()


def refer(w: World, given: str, family: str, born: dt.date | None = None, **more: str) -> Case:
    person = {"given_name": given, "family_name": family, "birth_date": born,
              "birth_date_precision": "day" if born else "unknown", "sex": "m", "place": w.mechanism.place, **more}
    return referral_submit(actor=w.referrer, mechanism=w.mechanism, person=person,
                           referral={"source_sector": "education", "concern_type": "religious",
                                     "concern": "Shares violent videos."},
                           submission_key=f"screen-{next(_n)}-{timezone.now().timestamp()}")


def _page(user, case):  # type: ignore[no-untyped-def]
    c = Client()
    c.force_login(user)
    return c.get(reverse("matching:screen", args=[case.pk]))


def test_the_same_person_in_another_script_is_found_with_its_explanation(world: World) -> None:
    earlier = refer(world, "Marko", "Jovanović", dt.date(2009, 4, 12), father_name="Petar")
    new = refer(world, "Марко", "Јовановић", dt.date(2009, 4, 12), father_name="Петар")
    refer(world, "Ana", "Kovač", dt.date(1990, 1, 1))
    result = screening.screen(world.coordinator, new)
    [top, *_rest] = result.candidates
    assert top.person == earlier.person and top.probability > 0.95
    fields = {a.field: a.level for a in top.agreements}
    assert fields["given_name"] == 0 and fields["family_name"] == 0 and fields["date_of_birth"] == 0
    body = _page(world.coordinator, new).content.decode()
    assert earlier.reference in body and "likely the same person" in body


def test_swapped_names_and_a_lost_diacritic_still_match(world: World) -> None:
    earlier = refer(world, "Shkëlzen", "Çeku", dt.date(2008, 2, 3))
    new = refer(world, "Ceku", "Shkelzen", dt.date(2008, 2, 3))
    assert earlier.person in [c.person for c in screening.screen(world.coordinator, new).candidates]


def test_a_record_in_another_mechanism_is_only_hinted_at(world: World) -> None:
    other = make_world("novi_pazar")
    theirs = refer(other, "Hashim", "Thaçi", dt.date(2007, 6, 1), father_name="Bajram")
    new = refer(world, "Хашим", "Тачи", dt.date(2007, 6, 1), father_name="Бајрам")
    result = screening.screen(world.coordinator, new)
    assert theirs.person not in [c.person for c in result.candidates]
    assert [e.mechanism for e in result.elsewhere] == [other.mechanism]
    body = _page(world.coordinator, new).content.decode()
    assert "contact its coordinator" in body and other.mechanism.name in body
    assert theirs.reference not in body and "Bajram" not in body
    [event] = AuditEvent.objects.filter(action="matching.candidates_viewed", case_id=new.pk)
    assert event.data["hinted_mechanisms"] == [other.mechanism.pk] and event.data["candidates"] == []


def test_merge_moves_the_case_to_the_earlier_record_and_undo_moves_it_back(world: World) -> None:
    earlier = refer(world, "Drita", "Krasniqi", dt.date(2010, 9, 9))
    new = refer(world, "Drita", "Krasniqi", dt.date(2010, 9, 9))
    original = new.person_id
    d = match_decide(actor=world.coordinator, case=new, candidate_id=earlier.person_id, verdict="merged")
    assert Case.objects.get(pk=new.pk).person_id == earlier.person_id
    assert AuditEvent.objects.filter(action="matching.merged", case_id=new.pk).count() == 1
    match_undo(actor=world.coordinator, decision=d)
    assert Case.objects.get(pk=new.pk).person_id == original
    assert AuditEvent.objects.filter(action="matching.undone", case_id=new.pk).count() == 1
    assert MatchDecision.objects.get(pk=d.pk).undone_at is not None


def test_the_decisions_are_taken_from_the_page_by_the_coordinator_only(world: World) -> None:
    earlier = refer(world, "Besnik", "Hoxha", dt.date(2006, 3, 3))
    new = refer(world, "Besnik", "Hoxha", dt.date(2006, 3, 3))
    url = reverse("matching:decide", args=[new.pk])
    panel = Client()
    panel.force_login(world.panel[1])
    assert panel.post(url, {"candidate": earlier.person_id, "verdict": "dismissed"}).status_code in (403, 404)
    c = Client()
    c.force_login(world.coordinator)
    assert c.post(url, {"candidate": earlier.person_id, "verdict": "dismissed"}).status_code == 302
    assert c.post(url, {"candidate": "x", "verdict": "linked"}).status_code == 302  # a message, no error
    assert c.post(url, {"candidate": earlier.person_id, "verdict": "bogus"}).status_code == 302
    assert MatchDecision.objects.filter(case=new).count() == 1
    assert AuditEvent.objects.filter(action="matching.dismissed", case_id=new.pk).count() == 1


def test_a_record_the_coordinator_cannot_open_cannot_be_merged_into(world: World) -> None:
    other = make_world("novi_pazar")
    theirs = refer(other, "Besa", "Rama", dt.date(2005, 5, 5))
    new = refer(world, "Besa", "Rama", dt.date(2005, 5, 5))
    c = Client()
    c.force_login(world.coordinator)
    c.post(reverse("matching:decide", args=[new.pk]), {"candidate": theirs.person_id, "verdict": "merged"})
    assert not MatchDecision.objects.exists() and Case.objects.get(pk=new.pk).person_id == new.person_id


def test_a_rare_name_agreeing_counts_more_than_a_common_one(world: World) -> None:
    cache.clear()
    for i in range(30):
        refer(world, f"Arben{i}", "Krasniqi", dt.date(1990 + i % 10, 1, 1))
    common_a = refer(world, "Arta", "Krasniqi", dt.date(2001, 1, 1))
    rare_a = refer(world, "Arta", "Zeqiraj", dt.date(2001, 1, 1))
    cache.clear()
    common = screening.screen(world.coordinator, refer(world, "Arta", "Krasniqi", dt.date(2001, 1, 1)))
    rare = screening.screen(world.coordinator, refer(world, "Arta", "Zeqiraj", dt.date(2001, 1, 1)))
    w_common = next(c.weight for c in common.candidates if c.person == common_a.person)
    w_rare = next(c.weight for c in rare.candidates if c.person == rare_a.person)
    assert w_rare > w_common


def test_the_screening_page_needs_the_same_queries_however_many_candidates(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries(n: int) -> int:
        for _ in range(n):
            refer(world, "Luan", "Berisha", dt.date(2004, 4, 4))
        case = refer(world, "Luan", "Berisha", dt.date(2004, 4, 4))
        screening.person_count()  # counted at most every ten minutes: not part of every page
        c = Client()
        c.force_login(world.coordinator)
        c.get(reverse("start"))
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(reverse("matching:screen", args=[case.pk])).status_code == 200
        return len(ctx.captured_queries)

    assert queries(2) == queries(6)


def test_the_case_page_links_to_the_check_for_those_who_may_screen(world: World) -> None:
    case = refer(world, "Blerim", "Gashi", dt.date(2003, 3, 3))
    url = reverse("matching:screen", args=[case.pk])
    for user, shown in ((world.coordinator, True), (world.panel[1], False)):
        c = Client()
        c.force_login(user)
        page = c.get(reverse("cases:detail", args=[case.pk]))
        assert (url in page.content.decode()) is shown or page.status_code == 404


def test_a_merge_is_told_on_the_timeline(world: World) -> None:
    from ura.cases.timeline import describe

    earlier = refer(world, "Edon", "Morina", dt.date(2002, 2, 2))
    new = refer(world, "Edon", "Morina", dt.date(2002, 2, 2))
    match_decide(actor=world.coordinator, case=new, candidate_id=earlier.person_id, verdict="merged")
    entry = Case.objects.get(pk=new.pk).timeline.filter(kind="identity_merged").get()
    assert "merged this person's records" in describe(entry)



def test_parameters_learnt_from_the_register_are_used_by_screening(world: World) -> None:
    from io import StringIO

    import pytest
    from django.core.management import CommandError, call_command

    from ura.matching.models import MatchParameters

    with pytest.raises(CommandError):
        call_command("match-params", stdout=StringIO())  # too few persons: the defaults stay
    for i in range(120):
        refer(world, f"Name{i % 40}", f"Family{i % 17}", dt.date(1980 + i % 30, 1 + i % 12, 1 + i % 28))
    out = StringIO()
    call_command("match-params", "--sample", "500", stdout=out)
    learnt = MatchParameters.objects.get()
    assert learnt.persons == 120 and "Learnt from 120 persons" in out.getvalue()
    cache.clear()
    assert screening.current_parameters().u == learnt.u
    assert AuditEvent.objects.filter(action="matching.parameters_estimated").count() == 1
