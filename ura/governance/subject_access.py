"""A person's whole record in one mechanism, for a subject-access request: as JSON and as PDF.

Everything Ura holds about the person goes in, case by case, with who accessed it. Two things
are withheld, and the record says so: the police's sealed deconfliction note (the person asks
the police for it), and the names of individual staff and of the referrer (the person is told
agency and role).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ura.cases.models import Case, Indicator
from ura.cases.workflow import Stage
from ura.governance import categories as cat
from ura.governance.dpo import accesses_of, person_cases, value
from ura.governance.models import Erasure

FORMAT_VERSION = 1


def _scalar(v: Any) -> Any:
    if isinstance(v, dt.datetime):
        return timezone.localtime(v).isoformat(timespec="minutes") if timezone.is_aware(v) else v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Decimal):
        return str(v)
    return v


def _fields(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        f = obj._meta.get_field(name)
        v = value(obj, name)
        if getattr(f, "choices", None) and v:
            v = str(dict(f.choices).get(v, v))
        out[name] = _scalar(v)
    return out


def _case(case: Case) -> dict[str, Any]:
    from ura.assessments.models import Assessment
    from ura.reintegration.models import HouseholdMember

    # Who referred the person is named by agency only (see WITHHELD_REFERRER).
    record = _fields(case, ("reference", "episode", "stage", "track", "referred_on", "source_sector", "concern_type",
                            "concern", "indicators", "immediate_danger", "summary", "needs_summary", "risk_summary",
                            "signposted_to", "onward_to", "decided_on", "exited_on", "closed_on"))
    record["referring_agency"] = case.referring_agency.name if case.referring_agency else ""
    indicators = dict(Indicator.choices)
    record["indicators"] = [str(indicators.get(code, code)) for code in record["indicators"] or []]
    stages = dict(Stage.choices)
    record["timeline"] = [{"at": _scalar(e.at), "what": e.kind.replace("_", " "),
                           "to": str(stages.get((e.data or {}).get("target", ""), ""))}
                          for e in case.timeline.order_by("at", "id")]
    record["police_check"] = [{"requested_at": _scalar(d.requested_at), "answer": d.get_answer_display(),
                               "answered_at": _scalar(d.answered_at)} for d in case.deconflictions.all()]
    record["information_requests"] = [
        {**_fields(r, ("question", "purpose", "legal_basis", "status", "answer", "refusal_reason", "requested_at",
                       "answered_at")), "to_agency": r.to_agency.name}
        for r in case.information_requests.select_related("to_agency")]
    record["panel_decisions"] = [
        {**_fields(d, ("decided_at", "outcome", "reasons")), "purpose": d.item.get_purpose_display()}
        for d in case.decisions.select_related("item").order_by("decided_at")]
    record["consents"] = [
        _fields(c, ("given_by", "giver_name", "relationship", "decision", "scope", "decided_on", "withdrawn_on"))
        for c in case.consents.all()]
    record["disclosures"] = [
        {**_fields(d, ("kind", "purpose", "legal_basis", "disclosed_at", "ends_at")),
         "categories": [str(cat.LABELS.get(c, c)) for c in d.categories or []], "agency": d.agency.name}
        for d in case.disclosures.select_related("agency")]
    record["interventions"] = [
        {**_fields(i, ("goal", "schedule", "starts_on", "ends_on", "status", "funding_source")),
         "type": i.type.name, "provider": i.provider.name,
         "sessions": [_fields(s, ("held_on", "attended", "minutes_spent", "progress"))
                      for s in i.sessions.order_by("held_on", "id")]}
        for i in case.interventions.select_related("type", "provider")]
    record["post_exit_reviews"] = [_fields(r, ("months_after_exit", "due_on", "done_on", "outcome", "notes"))
                                   for r in case.post_exit_reviews.all()]
    record["assessments"] = [
        {**_fields(a, ("category", "number", "status", "assessed_on", "sources", "summary", "rationale",
                       "protective_factors", "review_on")),
         "instrument": f"{a.instrument.name} {a.instrument.version}",
         "ratings": [_fields(r, ("item_id", "rating", "evidence")) for r in a.ratings.all()]}
        for a in Assessment.objects.filter(case=case).exclude(status="draft").select_related("instrument")
        .order_by("created_at")]
    member = HouseholdMember.objects.filter(case=case).select_related("household").first()
    record["household"] = ({**_fields(member, ("relationship", "lives_at")),
                            "household": value(member.household, "name")} if member else None)
    record["reintegration_phases"] = [_fields(p, ("phase", "started_on", "note")) for p in case.rr_phases.all()]
    record["custody"] = [_fields(c, ("kind", "on", "detail", "conditions")) for c in case.custody_events.all()]
    record["legal_holds"] = [_fields(h, ("placed_at", "lifted_at")) for h in case.legal_holds.all()]
    erasure = Erasure.objects.filter(case=case).first()
    record["erased"] = _fields(erasure, ("kind", "erased_at")) if erasure else None
    return record


def subject_record(case: Case) -> dict[str, Any]:
    """The person of ``case``, every case of theirs in the mechanism, and who accessed them."""
    person = case.person
    return {
        "format": "ura.subject-access", "version": FORMAT_VERSION,
        "produced_at": _scalar(timezone.now()), "mechanism": case.mechanism.name,
        "person": _fields(person, ("given_name", "family_name", "father_name", "birth_date", "birth_date_precision",
                                   "sex", "place", "address", "phone", "national_id", "guardian_name",
                                   "guardian_relationship", "guardian_contact")),
        "cases": [_case(c) for c in person_cases(case)],
        "accesses": [{"at": _scalar(a.at), "case": a.case, "agency": a.agency, "role": a.role, "action": a.action,
                      "purpose": a.purpose} for a in accesses_of(case)],
        "withheld": [str(WITHHELD_POLICE), str(WITHHELD_STAFF), str(WITHHELD_REFERRER)],
    }


WITHHELD_POLICE = gettext_lazy("The police's sealed note on the police check: ask the police for it.")
WITHHELD_STAFF = gettext_lazy("The names of individual staff: each access names the agency and the role.")
WITHHELD_REFERRER = gettext_lazy("The name and contact of the person who made the referral: the referring agency "
                                 "is given.")

# Headings and labels of the PDF, by the keys of the record.
LABELS: dict[str, Any] = {
    "person": gettext_lazy("The person"), "cases": gettext_lazy("Cases"),
    "accesses": gettext_lazy("Who accessed the file"),
    "withheld": gettext_lazy("What is withheld, and why"),
    "given_name": gettext_lazy("Given name"), "family_name": gettext_lazy("Family name"),
    "father_name": gettext_lazy("Father's name"), "birth_date": gettext_lazy("Date of birth"),
    "birth_date_precision": gettext_lazy("Precision of the date of birth"), "sex": gettext_lazy("Sex"),
    "place": gettext_lazy("Place"), "address": gettext_lazy("Address"), "phone": gettext_lazy("Phone"),
    "national_id": gettext_lazy("National identity number"), "guardian_name": gettext_lazy("Parent or guardian"),
    "guardian_relationship": gettext_lazy("Relationship"), "guardian_contact": gettext_lazy("Guardian's contact"),
    "reference": gettext_lazy("Reference"), "episode": gettext_lazy("Episode"), "stage": gettext_lazy("Stage"),
    "track": gettext_lazy("Track"), "referred_on": gettext_lazy("Referred on"),
    "source_sector": gettext_lazy("Referred from"), "concern_type": gettext_lazy("Type of concern"),
    "concern": gettext_lazy("What was observed"), "indicators": gettext_lazy("Observed indicators"),
    "immediate_danger": gettext_lazy("Immediate danger"), "referrer_name": gettext_lazy("Referrer"),
    "referrer_contact": gettext_lazy("Referrer's contact"), "summary": gettext_lazy("Case summary"),
    "needs_summary": gettext_lazy("Needs"), "risk_summary": gettext_lazy("Risk (professional judgement)"),
    "signposted_to": gettext_lazy("Signposted to"), "onward_to": gettext_lazy("Referred onward to"),
    "decided_on": gettext_lazy("Decided on"), "exited_on": gettext_lazy("Exit"),
    "closed_on": gettext_lazy("Closed"),
    "referring_agency": gettext_lazy("Referring agency"), "timeline": gettext_lazy("History"),
    "at": gettext_lazy("When"), "what": gettext_lazy("What"), "to": gettext_lazy("To stage"),
    "police_check": gettext_lazy("Police check"), "information_requests": gettext_lazy("Information requests"),
    "panel_decisions": gettext_lazy("Panel decisions"), "consents": gettext_lazy("Consent"),
    "disclosures": gettext_lazy("Information shared with agencies"), "interventions": gettext_lazy("Support"),
    "sessions": gettext_lazy("Sessions"), "post_exit_reviews": gettext_lazy("Reviews after exit"),
    "assessments": gettext_lazy("Assessments"), "ratings": gettext_lazy("Ratings"),
    "household": gettext_lazy("Household"), "reintegration_phases": gettext_lazy("Reintegration phases"),
    "custody": gettext_lazy("Custody"), "legal_holds": gettext_lazy("Legal holds"), "erased": gettext_lazy("Erased"),
}


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ").capitalize()))


def _text(v: Any) -> str:
    if v is None or v == "" or v == []:
        return "—"
    if isinstance(v, bool):
        return _("yes") if v else _("no")
    if isinstance(v, list):
        return ", ".join(str(x) for x in v)
    if isinstance(v, str) and ISO_DAY.match(v):
        try:
            if len(v) == 10:
                return formats.date_format(dt.date.fromisoformat(v), "SHORT_DATE_FORMAT")
            return formats.date_format(dt.datetime.fromisoformat(v), "SHORT_DATETIME_FORMAT")
        except ValueError:
            pass
    return str(v)


ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}.*)?$")


def _flat(items: list[Any]) -> bool:
    """Rows of a few plain values: shown as one table with a header rather than a block each."""
    return all(isinstance(i, dict) and len(i) <= 6 and not any(isinstance(v, list | dict) for v in i.values())
               for i in items)


def render_pdf(record: dict[str, Any]) -> bytes:
    """The record as a PDF: the person, each case with its parts, the accesses, what is withheld."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import CondPageBreak, SimpleDocTemplate, Spacer, Table, TableStyle

    from ura.monitoring.pdf import _p, _register_fonts, _styles

    font, bold = _register_fonts()
    st = _styles(font, bold)
    out = io.BytesIO()
    title = _("Personal data held by Ura")
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=20 * mm,
                            bottomMargin=18 * mm, title=title, author="Ura", subject=_("Subject-access request"))
    width = doc.width

    def page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(font, 8)
        canvas.setFillColorRGB(0.35, 0.38, 0.46)
        canvas.drawString(doc.leftMargin, A4[1] - 12 * mm, f"Ura · {record['mechanism']} · {title}")
        canvas.drawRightString(A4[0] - doc.rightMargin, 10 * mm, _("Page %(n)d") % {"n": document.page})
        canvas.restoreState()

    def facts(items: dict[str, Any]) -> Any:
        rows = [[_p(_label(k), st["cell"]), _p(_text(v), st["cell"])] for k, v in items.items()
                if not isinstance(v, list | dict) or k == "indicators" or k == "categories"]
        table = Table(rows or [["—", ""]], colWidths=[55 * mm, width - 55 * mm], hAlign="LEFT")
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#d5d9e2")),
                                   ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return table

    def part(key: str, items: Any, level: str = "h2") -> list[Any]:
        if isinstance(items, dict):
            return [_p(_label(key), st[level]), facts(items)]
        if not items:
            return [_p(_label(key), st[level]), _p(_("None."), st["muted"])]
        story: list[Any] = [_p(_label(key), st[level])]
        if _flat(items):
            keys = list(items[0])
            rows = [[_p(_label(k), st["cell"]) for k in keys]]
            rows += [[_p(_text(item.get(k)), st["cell"]) for k in keys] for item in items]
            table = Table(rows, colWidths=[width / len(keys)] * len(keys), repeatRows=1, hAlign="LEFT")
            table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, 0), bold, 8.5),
                                       ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1d2433")),
                                       ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5d9e2"))]))
            return [*story, table, Spacer(1, 2 * mm)]
        for item in items:
            story.append(facts(item))
            for sub, subitems in item.items():
                if isinstance(subitems, list) and sub not in ("indicators", "categories"):
                    story += part(sub, subitems, "body")
            story.append(Spacer(1, 2 * mm))
        return story

    produced = formats.date_format(dt.datetime.fromisoformat(record["produced_at"]), "DATETIME_FORMAT")
    story: list[Any] = [_p(title, st["title"]), _p(record["mechanism"], st["subtitle"]),
                        _p(_("Produced on %(when)s for a subject-access request.") % {"when": produced}, st["muted"])]
    story += part("person", record["person"], "h1")
    for case in record["cases"]:
        story += [CondPageBreak(60 * mm), _p(_("Case %(ref)s") % {"ref": case["reference"]}, st["h1"]), facts(case)]
        for key, items in case.items():
            if isinstance(items, list | dict) and key not in ("indicators",):
                story += part(key, items)
    story += [CondPageBreak(60 * mm), _p(_label("accesses"), st["h1"])]
    rows = [[_("When"), _("Case"), _("Agency"), _("Role"), _("What"), _("Purpose")]]
    rows += [[_p(_text(a["at"]), st["cell"]), _p(a["case"], st["cell"]), _p(a["agency"], st["cell"]),
              _p(a["role"], st["cell"]), _p(a["action"], st["cell"]), _p(a["purpose"], st["cell"])]
             for a in record["accesses"]]
    table = Table(rows, colWidths=[28 * mm, 25 * mm, 32 * mm, 25 * mm, 38 * mm, width - 148 * mm],
                  repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, 0), bold, 8.5), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.HexColor("#1d2433")),
                               ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#d5d9e2"))]))
    story.append(table)
    story.append(_p(_label("withheld"), st["h1"]))
    story += [_p("• " + line, st["body"]) for line in record["withheld"]]
    doc.build(story, onFirstPage=page, onLaterPages=page)
    return out.getvalue()
