"""Structured assessments: instrument definitions, credentials, and the life of an assessment.

The helpers at the top are shared with ``test_assessments_views.py``.
"""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.walk import screen_and_review
from tests.world import World
from ura.assessments import definitions, services
from ura.assessments.instruments import shipped_files
from ura.assessments.models import Assessment, Credential, Immutable, InstrumentVersion, Status
from ura.cases.models import Case, TimelineEntry
from ura.errors import Conflict, NotAllowed, ServiceError
from ura.governance.models import AuditEvent
from ura.panels import services as panels

SHIPPED = {"ura-needs", "ura-vulnerability", "ura-rr-security", "ura-rr-socioeconomic", "ura-rr-medical",
           "ura-rr-psychiatric", "ura-rr-ideological"}

LICENSED = """\
format: 1
code: example-licensed
version: "3.0"
name: Example licensed instrument
purpose: vulnerability
category: risk
licence:
  name: Commercial licence
  rights_holder: Example Rights Holder Ltd
  redistributable: false
credential: example-cert
review_interval_days: 180
language: en
limitations: For licensed, trained assessors only.
rating_scales:
  presence:
    - {code: unknown, label: Unknown, unknown: true}
    - {code: absent, label: Absent}
    - {code: present, label: Present}
summary_scale:
  - {code: low, label: Low}
  - {code: high, label: High}
domains:
  - id: one
    label: Domain one
    scale: presence
    items:
      - {id: one.a, label: First factor}
      - {id: one.b, label: Second factor}
"""


# --- helpers ----------------------------------------------------------------------------------

def instrument(code: str) -> InstrumentVersion:
    return InstrumentVersion.objects.filter(code=code).order_by("-id").first()  # type: ignore[return-value]


def in_review(w: World) -> Case:
    return screen_and_review(w, w.refer())


def on_agenda(w: World, case: Case) -> Case:
    """Put the case on a panel meeting's agenda, so that the panel members may read it."""
    meeting = panels.meeting_create(actor=w.coordinator, mechanism=w.mechanism,
                                    starts_at=timezone.now() + dt.timedelta(days=1))
    panels.agenda_add(actor=w.coordinator, meeting=meeting, case=case)
    return Case.objects.get(pk=case.pk)


def countersigning(w: World) -> None:
    w.mechanism.features = {**w.mechanism.features, services.COUNTERSIGN_FEATURE: True}
    w.mechanism.save(update_fields=["features"])


def ratings_for(v: InstrumentVersion, pattern: dict[str, str] | None = None, *,
                default: str | None = None) -> dict[str, tuple[str, str]]:
    """A rating with evidence for every item: ``pattern`` by item id, else ``default`` (else the first non-unknown)."""
    out = {}
    for d in v.spec.domains:
        codes = [o.code for o in d.scale]
        fallback = default if default in codes else next(o.code for o in d.scale if not o.unknown)
        for item in d.items:
            code = (pattern or {}).get(item.id, fallback)
            out[item.id] = (code, f"Seen by the assessor: {item.label.lower()}.")
    return out


def complete(w: World, case: Case, code: str = "ura-vulnerability", *, by: Any = None,
             pattern: dict[str, str] | None = None, default: str | None = None, summary: str | None = None,
             assessed_on: dt.date | None = None, review_on: dt.date | None = None,
             draft: Assessment | None = None) -> Assessment:
    """Start (or take ``draft``), fill every item with evidence, judge and submit."""
    by = by or w.coordinator
    v = draft.instrument if draft is not None else instrument(code)
    a = draft or services.assessment_start(actor=by, case=case, instrument=v)
    assessed_on = assessed_on or timezone.localdate()
    a = services.assessment_save(
        actor=by, assessment=a, expected_revision=a.revision, assessed_on=assessed_on,
        sources="Interview with the person on the date of the assessment; school record.",
        ratings=ratings_for(v, pattern, default=default), summary=summary or v.spec.summary_scale[1].code,
        rationale="Weighed the evidence as a whole; see the items.", protective_factors="A supportive mother.",
        review_on=review_on or assessed_on + dt.timedelta(days=30))
    return services.assessment_submit(actor=by, assessment=a, expected_revision=a.revision)


def write(tmp_path: Path, text: str, name: str = "def.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def load(path: str) -> str:
    out = StringIO()
    call_command("instruments", "load", path, stdout=out)
    return out.getvalue()


# --- instrument definitions ---------------------------------------------------------------------

def test_a_fresh_install_has_every_shipped_instrument(db) -> None:
    assert set(InstrumentVersion.objects.values_list("code", flat=True)) == SHIPPED


def test_the_shipped_instruments_are_ura_s_own_and_may_be_redistributed(db) -> None:
    for v in InstrumentVersion.objects.all():
        assert v.rights_holder == "The Ura project" and v.redistributable, v.code


def test_every_shipped_file_passes_the_check_command(db) -> None:
    for path in shipped_files():
        out = StringIO()
        call_command("instruments", "check", str(path), stdout=out)
        assert ": OK (" in out.getvalue()


@pytest.mark.parametrize("code,category", [
    ("ura-needs", "needs_plan"), ("ura-vulnerability", "risk"), ("ura-rr-security", "risk"),
    ("ura-rr-socioeconomic", "needs_plan"), ("ura-rr-medical", "health"), ("ura-rr-psychiatric", "health"),
    ("ura-rr-ideological", "risk")])
def test_each_shipped_instrument_declares_its_data_category(db, code: str, category: str) -> None:
    assert instrument(code).category == category


def test_the_vulnerability_framework_follows_engagement_intent_and_capability(db) -> None:
    assert [d.id for d in instrument("ura-vulnerability").spec.domains] == ["engagement", "intent", "capability"]


def test_the_needs_framework_covers_the_issue_s_areas(db) -> None:
    labels = [d.label for d in instrument("ura-needs").spec.domains]
    assert labels == ["Housing", "Education, training and employment", "Physical and mental health",
                      "Substance use", "Finances", "Family", "Social network and peers",
                      "Identity, meaning and belonging", "Attitudes and ideology", "Legal status", "Practical skills",
                      "Strengths"]


def test_an_invalid_definition_is_refused_naming_the_line_and_the_field(db, tmp_path: Path) -> None:
    bad = LICENSED.replace("category: risk", "category: secrets")
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, bad))
    assert "line 6: category: 'secrets' is not one of" in str(e.value)
    assert not InstrumentVersion.objects.filter(code="example-licensed").exists()


def test_a_missing_field_is_named_with_the_line_of_its_parent(db, tmp_path: Path) -> None:
    bad = LICENSED.replace("  redistributable: false\n", "")
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, bad))
    assert "line 7: licence: the field “redistributable” is missing." in str(e.value)


def test_a_scale_without_an_unknown_option_is_refused(db, tmp_path: Path) -> None:
    bad = LICENSED.replace("    - {code: unknown, label: Unknown, unknown: true}\n", "")
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, bad))
    assert "line 16: rating_scales.presence: every rating scale needs exactly one option marked" in str(e.value)


def test_an_item_id_used_twice_is_refused_at_its_line(db, tmp_path: Path) -> None:
    bad = LICENSED.replace("{id: one.b,", "{id: one.a,")
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, bad))
    assert "line 29: domains[0].items[1].id: the item id “one.a” is used twice" in str(e.value)


def test_a_domain_naming_an_unknown_scale_is_refused(db, tmp_path: Path) -> None:
    bad = LICENSED.replace("    scale: presence", "    scale: presense")
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, bad))
    assert "line 26: domains[0].scale: there is no rating scale called “presense”" in str(e.value)


def test_every_problem_is_reported_at_once(db) -> None:
    bad = LICENSED.replace("category: risk", "category: secrets").replace("review_interval_days: 180",
                                                                          "review_interval_days: 2")
    with pytest.raises(definitions.DefinitionError) as e:
        definitions.read(bad)
    assert [p.split(":")[0] for p in e.value.problems] == ["line 6", "line 12"]


def test_a_field_written_twice_is_refused(db) -> None:
    with pytest.raises(definitions.DefinitionError) as e:
        definitions.read(LICENSED.replace("language: en\n", "language: en\nlanguage: sq\n"))
    assert e.value.problems == ["line 14: language: this field appears twice."]


def test_a_file_that_is_not_yaml_is_refused_with_its_line(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, LICENSED + "domains: [unclosed\n"))
    assert "line 31: the file is not valid YAML" in str(e.value)


def test_anchors_and_aliases_are_refused(db) -> None:
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n"
    with pytest.raises(definitions.DefinitionError) as e:
        definitions.read(bomb)
    assert "anchors and aliases" in e.value.problems[0]


@pytest.mark.parametrize("text", ["", "[[[[", "just text", "- a\n- b\n", "format: !!python/object:os.system x\n",
                                  "[" * 5000 + "]" * 5000])
def test_garbage_is_refused_with_a_message_not_an_exception(db, text: str) -> None:
    with pytest.raises(definitions.DefinitionError):
        definitions.read(text)


def test_a_missing_file_is_a_clear_error(db, tmp_path: Path) -> None:
    with pytest.raises(CommandError) as e:
        load(str(tmp_path / "nowhere.yaml"))
    assert "Cannot read" in str(e.value)


def test_an_instrument_is_loaded_with_its_licence_and_credential(db, tmp_path: Path) -> None:
    assert "Loaded Example licensed instrument (example-licensed) version 3.0." in load(write(tmp_path, LICENSED))
    v = instrument("example-licensed")
    assert (v.licence, v.rights_holder, v.redistributable, v.credential) == (
        "Commercial licence", "Example Rights Holder Ltd", False, "example-cert")
    assert AuditEvent.objects.filter(action="assessment.instrument_loaded", object_id=str(v.pk)).count() == 1


def test_loading_the_same_file_again_changes_nothing(db, tmp_path: Path) -> None:
    path = write(tmp_path, LICENSED)
    load(path)
    assert "already loaded with exactly this content" in load(path)
    assert InstrumentVersion.objects.filter(code="example-licensed").count() == 1


def test_a_loaded_version_is_never_replaced_by_other_content(db, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    with pytest.raises(CommandError) as e:
        load(write(tmp_path, LICENSED.replace("Second factor", "Second factor reworded"), "changed.yaml"))
    assert "already loaded with different content" in str(e.value)
    assert instrument("example-licensed").spec.items()[0].label == "First factor"


def test_a_loaded_version_cannot_be_changed_or_deleted(db) -> None:
    v = instrument("ura-needs")
    v.name = "Something else"
    with pytest.raises(Immutable):
        v.save()
    with pytest.raises(Immutable):
        InstrumentVersion.objects.filter(pk=v.pk).update(name="Something else")
    with pytest.raises(Immutable):
        v.delete()
    with pytest.raises(Immutable):
        InstrumentVersion.objects.filter(pk=v.pk).delete()
    assert InstrumentVersion.objects.get(pk=v.pk).name == "Needs framework"


def test_a_new_version_is_loaded_beside_the_old_and_used_for_new_assessments(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    load(write(tmp_path, LICENSED.replace('version: "3.0"', 'version: "3.1"'), "v31.yaml"))
    versions = list(InstrumentVersion.objects.filter(code="example-licensed").values_list("version", flat=True))
    assert sorted(versions) == ["3.0", "3.1"]
    assert next(v for v in services.latest_versions() if v.code == "example-licensed").version == "3.1"


def test_a_translated_text_must_include_the_definition_s_language(db) -> None:
    with pytest.raises(definitions.DefinitionError) as e:
        definitions.read(LICENSED.replace("name: Example licensed instrument", "name: {sq: Instrument}"))
    assert e.value.problems == ["line 4: name: a translated text must include the definition's language (en)."]


def test_translated_texts_follow_the_reader_s_language(db) -> None:
    from django.utils import translation

    data = definitions.read(LICENSED.replace("label: Domain one", "label: {en: Domain one, sq: Fusha e parë}"))
    with translation.override("sq"):
        assert definitions.Definition(data).domains[0].label == "Fusha e parë"
    assert definitions.Definition(data).domains[0].label == "Domain one"


# --- credentials --------------------------------------------------------------------------------

def test_a_licensed_instrument_cannot_be_used_without_a_credential(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    case = in_review(world)
    with pytest.raises(NotAllowed) as e:
        services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("example-licensed"))
    assert "needs the credential “example-cert”" in e.value.message
    assert not Assessment.objects.filter(case=case).exists()


def test_an_expired_or_revoked_credential_does_not_count(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    case = in_review(world)
    today = timezone.localdate()
    services.credential_record(actor=None, user=world.coordinator, code="example-cert",
                               valid_from=today - dt.timedelta(days=400), valid_until=today - dt.timedelta(days=1))
    revoked = services.credential_record(actor=None, user=world.coordinator, code="example-cert", valid_from=today,
                                         valid_until=None)
    services.credential_revoke(actor=None, credential=revoked)
    with pytest.raises(NotAllowed):
        services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("example-licensed"))


def test_with_a_valid_credential_the_licensed_instrument_can_be_used(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    case = in_review(world)
    services.credential_record(actor=world.coordinator, mechanism=world.mechanism, user=world.coordinator,
                               code="example-cert", valid_from=timezone.localdate(), valid_until=None)
    a = complete(world, case, "example-licensed")
    assert a.status == Status.SUBMITTED


def test_a_credential_that_runs_out_stops_the_use_of_a_draft(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    case = in_review(world)
    c = services.credential_record(actor=None, user=world.coordinator, code="example-cert",
                                   valid_from=timezone.localdate(), valid_until=None)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("example-licensed"))
    services.credential_revoke(actor=None, credential=c)
    with pytest.raises(NotAllowed):
        complete(world, case, draft=a)


def test_the_shipped_medical_evaluation_needs_a_recorded_doctor(world: World) -> None:
    case = in_review(world)
    with pytest.raises(NotAllowed):
        services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-rr-medical"))


def test_only_a_manager_of_the_mechanism_records_credentials(world: World, other: World) -> None:
    with pytest.raises(NotAllowed):
        services.credential_record(actor=world.panel[1], mechanism=world.mechanism, user=world.panel[1],
                                   code="vera-2r", valid_from=timezone.localdate(), valid_until=None)
    with pytest.raises(ServiceError):  # not a member of the coordinator's mechanism
        services.credential_record(actor=world.coordinator, mechanism=world.mechanism, user=other.coordinator,
                                   code="vera-2r", valid_from=timezone.localdate(), valid_until=None)
    services.credential_record(actor=world.admin, mechanism=world.mechanism, user=world.panel[1], code="vera-2r",
                               valid_from=timezone.localdate(), valid_until=None)
    assert Credential.objects.filter(user=world.panel[1], code="vera-2r").count() == 1


def test_the_credentials_command_grants_lists_and_revokes(world: World) -> None:
    out = StringIO()
    call_command("credentials", "grant", world.panel[3].username, "psychiatrist", "--until", "2099-12-31",
                 stdout=out)
    c = Credential.objects.get(user=world.panel[3])
    call_command("credentials", "list", "--user", world.panel[3].username, stdout=out)
    assert "psychiatrist" in out.getvalue() and "\tvalid" in out.getvalue()
    call_command("credentials", "revoke", str(c.pk), stdout=out)
    assert not services.credential_valid(world.panel[3], "psychiatrist")
    with pytest.raises(CommandError):
        call_command("credentials", "grant", "nobody", "psychiatrist", stdout=out)
    with pytest.raises(CommandError):
        call_command("credentials", "grant", world.panel[3].username, "psychiatrist", "--from", "soon", stdout=out)


# --- the life of an assessment ---------------------------------------------------------------

def test_a_draft_may_be_incomplete_but_cannot_be_submitted(world: World) -> None:
    case = in_review(world)
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    first = v.spec.items()[0].id
    a = services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=timezone.localdate(), sources="", summary="", rationale="",
                                 protective_factors="", review_on=None, ratings={first: ("some", "")})
    with pytest.raises(services.Incomplete) as e:
        services.assessment_submit(actor=world.coordinator, assessment=a, expected_revision=a.revision)
    problems = e.value.problems
    assert f"evidence:{first}" in problems and f"rating:{first}" not in problems
    assert {"sources", "summary", "rationale", "review_on"} <= set(problems)
    assert Assessment.objects.get(pk=a.pk).status == Status.DRAFT


def test_every_rating_needs_evidence_even_unknown(world: World) -> None:
    case = in_review(world)
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    ratings = ratings_for(v, default="unknown")
    ratings["intent.stated"] = ("unknown", "  ")
    a = services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=timezone.localdate(), sources="Interview", summary="low",
                                 rationale="Little known yet.", protective_factors="",
                                 review_on=timezone.localdate() + dt.timedelta(days=10), ratings=ratings)
    with pytest.raises(services.Incomplete) as e:
        services.assessment_submit(actor=world.coordinator, assessment=a, expected_revision=a.revision)
    assert list(e.value.problems) == ["evidence:intent.stated"]


def test_the_review_date_must_fall_within_the_instrument_s_interval(world: World) -> None:
    case = in_review(world)
    with pytest.raises(services.Incomplete) as e:
        complete(world, case, review_on=timezone.localdate() + dt.timedelta(days=400))
    assert list(e.value.problems) == ["review_on"]


def test_a_rating_outside_the_item_s_scale_is_refused(world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    with pytest.raises(ServiceError) as e:
        services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=None, sources="", summary="", rationale="", protective_factors="",
                                 review_on=None, ratings={"intent.stated": ("pressing_need", "x")})
    assert e.value.field == "rating:intent.stated"


def test_submitting_records_the_signature_the_history_and_an_audit_event(world: World) -> None:
    case = in_review(world)
    a = complete(world, case)
    assert (a.status, a.submitted_by) == (Status.SUBMITTED, world.coordinator)
    entry = TimelineEntry.objects.get(case=case, kind="assessment_submitted")
    assert entry.category == "risk"
    assert entry.data == {"instrument": a.instrument.name, "version": "1.0", "number": 1}
    event = AuditEvent.objects.get(action="assessment.submitted", object_id=str(a.pk))
    assert "moderate" not in str(event.data) and "some" not in str(event.data)


def test_a_submitted_assessment_is_never_edited(world: World) -> None:
    case = in_review(world)
    a = complete(world, case)
    with pytest.raises(ServiceError):
        services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=None, sources="", summary="", rationale="", protective_factors="",
                                 review_on=None, ratings={})


def test_editing_after_submission_makes_a_new_version_that_supersedes_the_old(world: World) -> None:
    case = in_review(world)
    first = complete(world, case, default="some")
    draft = services.assessment_revise(actor=world.coordinator, assessment=first)
    assert (draft.number, draft.previous_id, draft.status) == (2, first.pk, Status.DRAFT)
    assert Assessment.objects.get(pk=first.pk).status == Status.SUBMITTED  # current until the new one is signed
    second = complete(world, case, draft=draft, default="clear")
    assert Assessment.objects.get(pk=first.pk).status == Status.SUPERSEDED
    assert second.status == Status.SUBMITTED


def test_a_new_version_carries_ratings_over_but_not_the_judgement(world: World) -> None:
    case = in_review(world)
    first = complete(world, case, default="some")
    draft = services.assessment_revise(actor=world.coordinator, assessment=first)
    assert {r.rating for r in draft.ratings.all()} == {"some"}
    assert (draft.summary, draft.rationale, draft.review_on) == ("", "", None)


def test_only_one_new_version_is_drafted_at_a_time(world: World) -> None:
    case = in_review(world)
    first = complete(world, case)
    services.assessment_revise(actor=world.coordinator, assessment=first)
    with pytest.raises(ServiceError):
        services.assessment_revise(actor=world.coordinator, assessment=first)


def test_two_people_saving_one_draft_get_a_conflict_not_a_silent_overwrite(world: World) -> None:
    case = in_review(world)
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    base = a.revision
    kw: dict[str, Any] = {"assessed_on": None, "sources": "", "summary": "", "rationale": "",
                          "protective_factors": "", "review_on": None}
    services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=base,
                             ratings={"intent.stated": ("some", "first")}, **kw)
    with pytest.raises(Conflict):
        services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=base,
                                 ratings={"intent.stated": ("clear", "second")}, **kw)
    assert a.ratings.get(item_id="intent.stated").evidence == "first"


def test_only_an_assessor_edits_or_discards_a_draft(world: World) -> None:
    case = on_agenda(world, in_review(world))
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    with pytest.raises(NotAllowed):
        services.assessment_discard(actor=world.panel[1], assessment=a)
    services.assessment_discard(actor=world.coordinator, assessment=a)
    assert not Assessment.objects.filter(pk=a.pk).exists()


def test_co_assessors_are_recorded_with_their_agencies(world: World) -> None:
    case = on_agenda(world, in_review(world))
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                             assessed_on=None, sources="", summary="", rationale="", protective_factors="",
                             review_on=None, ratings={}, co_assessors=[world.panel[2]])
    expected = [(world.coordinator.pk, world.agencies["municipality"].name),
                (world.panel[2].pk, world.agencies["social"].name)]
    assert sorted((x.user_id, x.agency.name) for x in a.assessors.all()) == sorted(expected)


def test_a_provider_cannot_be_an_assessor(world: World) -> None:
    case = in_review(world)
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=instrument("ura-vulnerability"))
    with pytest.raises(ServiceError) as e:
        services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=None, sources="", summary="", rationale="", protective_factors="",
                                 review_on=None, ratings={}, co_assessors=[world.provider])
    assert e.value.field == "co_assessors"


def test_assessments_are_not_made_before_screening_or_after_the_end(world: World) -> None:
    with pytest.raises(ServiceError):
        services.assessment_start(actor=world.coordinator, case=world.refer(), instrument=instrument("ura-needs"))


def test_the_police_make_the_security_check_but_not_a_health_assessment(world: World) -> None:
    case = in_review(world)
    a = complete(world, case, "ura-rr-security", by=world.police)
    assert a.status == Status.SUBMITTED
    with pytest.raises(NotAllowed):
        services.assessment_start(actor=world.police, case=case, instrument=instrument("ura-rr-socioeconomic"))


# --- two signatures ----------------------------------------------------------------------------

def test_countersigning_is_refused_where_the_mechanism_does_not_ask_for_it(world: World) -> None:
    case = on_agenda(world, in_review(world))
    a = complete(world, case)
    with pytest.raises(ServiceError):
        services.assessment_countersign(actor=world.panel[2], assessment=a)


def test_the_second_signature_comes_from_someone_else(world: World) -> None:
    countersigning(world)
    case = on_agenda(world, in_review(world))
    a = complete(world, case)
    with pytest.raises(ServiceError):
        services.assessment_countersign(actor=world.coordinator, assessment=a)
    a = services.assessment_countersign(actor=world.panel[2], assessment=a)
    assert (a.status, a.countersigned_by, a.countersigner_agency) == (
        Status.COUNTERSIGNED, world.panel[2], world.agencies["social"])
    assert TimelineEntry.objects.filter(case=case, kind="assessment_countersigned").count() == 1


def test_a_co_assessor_cannot_countersign(world: World) -> None:
    countersigning(world)
    case = on_agenda(world, in_review(world))
    v = instrument("ura-vulnerability")
    a = services.assessment_start(actor=world.coordinator, case=case, instrument=v)
    a = services.assessment_save(actor=world.coordinator, assessment=a, expected_revision=a.revision,
                                 assessed_on=None, sources="", summary="", rationale="", protective_factors="",
                                 review_on=None, ratings={}, co_assessors=[world.panel[2]])
    a = complete(world, case, draft=a)
    with pytest.raises(ServiceError):
        services.assessment_countersign(actor=world.panel[2], assessment=a)


def test_a_countersigner_of_a_licensed_instrument_needs_the_credential(world: World, tmp_path: Path) -> None:
    load(write(tmp_path, LICENSED))
    countersigning(world)
    case = on_agenda(world, in_review(world))
    services.credential_record(actor=None, user=world.coordinator, code="example-cert",
                               valid_from=timezone.localdate(), valid_until=None)
    a = complete(world, case, "example-licensed")
    with pytest.raises(NotAllowed):
        services.assessment_countersign(actor=world.panel[2], assessment=a)


def test_a_countersignature_is_given_once(world: World) -> None:
    countersigning(world)
    case = on_agenda(world, in_review(world))
    a = services.assessment_countersign(actor=world.panel[2], assessment=complete(world, case))
    with pytest.raises(ServiceError):
        services.assessment_countersign(actor=world.panel[1], assessment=a)


# --- stale assessments ------------------------------------------------------------------------

def test_an_assessment_past_its_review_date_is_stale(world: World) -> None:
    case = in_review(world)
    long_ago = timezone.localdate() - dt.timedelta(days=100)
    a = complete(world, case, assessed_on=long_ago, review_on=long_ago + dt.timedelta(days=90))
    assert a.is_stale(timezone.localdate())
    assert not a.is_stale(long_ago + dt.timedelta(days=90))


def test_a_superseded_assessment_is_not_stale_any_more(world: World) -> None:
    case = in_review(world)
    long_ago = timezone.localdate() - dt.timedelta(days=100)
    first = complete(world, case, assessed_on=long_ago, review_on=long_ago + dt.timedelta(days=90))
    complete(world, case, draft=services.assessment_revise(actor=world.coordinator, assessment=first))
    assert not Assessment.objects.get(pk=first.pk).is_stale(timezone.localdate())


# --- needs feed the plan ------------------------------------------------------------------------

def test_an_intervention_cites_only_needs_of_the_current_needs_assessment(world: World) -> None:
    from tests.walk import decide, start_support

    case = in_review(world)
    complete(world, case, "ura-needs", default="no_need", pattern={"housing.stable": "pressing_need"})
    decide(world, case, "adopt")
    case = start_support(world, case)
    intervention = case.interventions.get()
    with pytest.raises(ServiceError):
        services.intervention_needs_set(actor=world.coordinator, intervention=intervention,
                                        needs=[("ura-needs", "family.relationships")])
    services.intervention_needs_set(actor=world.coordinator, intervention=intervention,
                                    needs=[("ura-needs", "housing.stable")])
    assert [(n.instrument_code, n.item_id) for n in intervention.needs.all()] == [("ura-needs", "housing.stable")]
    with pytest.raises(NotAllowed):
        services.intervention_needs_set(actor=world.provider, intervention=intervention, needs=[])
