"""The annual report of a demo mechanism: ``ura report annual`` writes a PDF whose pages are
rendered to PNG here and checked for their sections; CSV and XLSX carry the same figures."""

from __future__ import annotations

import csv
import io
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test import override_settings

from ura.governance.models import AuditEvent
from ura.mechanisms.models import Mechanism
from ura.monitoring.demo import monitoring_demo_load
from ura.monitoring.exports import as_csv, as_xlsx
from ura.monitoring.indicators import indicators_for
from ura.monitoring.queries import published_until
from ura.monitoring.scopes import country_scope

SCREENSHOTS = Path(__file__).resolve().parents[1] / "screenshots"
pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        call_command("demo", persons=24, stdout=StringIO())
        monitoring_demo_load()
        yield
        transaction.set_rollback(True)


def last_year() -> int:
    until = published_until(__import__("datetime").date.today())
    return until.year if (until.month, until.day) == (12, 31) else until.year - 1


def pages(path: Path) -> list[tuple[str, object]]:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    out = []
    for page in pdf:
        text = page.get_textpage().get_text_range()
        out.append((text, page.render(scale=1.4).to_pil()))
    return out


def test_the_command_writes_the_annual_report_of_a_demo_mechanism(demo, tmp_path: Path) -> None:
    year = last_year()
    out = StringIO()
    call_command("report", "annual", "--mechanism", "gjilan", "--year", str(year), "--pdf", str(tmp_path / "g.pdf"),
                 "--csv", str(tmp_path / "g.csv"), stdout=out)
    assert "figures hidden to protect people" in out.getvalue()
    rendered = pages(tmp_path / "g.pdf")
    text = "\n".join(t for t, _img in rendered)
    for heading in (f"Annual report {year}", "Gjilan/Gnjilane municipal referral mechanism", "Key figures",
                    "The year in the coordinator's words", "The year in brief", "How to read the figures",
                    "Referrals by source sector", "Referrals by age at referral", "Decisions and outcomes",
                    "Time from referral to panel decision", "Exits and re-referral", "Interventions by type",
                    "Spending by source (EUR)", "Cost per supported case", "Trainings", "Prevention activities"):
        assert heading in text, heading
    assert "Schools and the centre for social work" in text  # the coordinator's narrative
    SCREENSHOTS.mkdir(exist_ok=True)
    for i, (_t, image) in enumerate(rendered[:4], start=1):
        image.save(SCREENSHOTS / f"report-gjilan-page-{i}.png")
        # A page with content: many pixels are not white.
        dark = sum(image.convert("L").histogram()[:200])
        assert dark > 2000, i
    assert AuditEvent.objects.filter(action="report.downloaded", data__via="command", data__format="pdf").exists()


def test_the_national_report_covers_every_mechanism_of_the_country(demo, tmp_path: Path) -> None:
    call_command("report", "annual", "--country", "XK", "--year", str(last_year()), "--pdf", str(tmp_path / "x.pdf"),
                 "--xlsx", str(tmp_path / "x.xlsx"), stdout=StringIO())
    rendered = pages(tmp_path / "x.pdf")
    assert "National: all mechanisms in XK" in rendered[0][0]
    rendered[0][1].save(SCREENSHOTS / "report-national-xk-page-1.png")


@pytest.mark.parametrize("args, message", [
    (["--mechanism", "nowhere", "--year", "2024", "--pdf", "x.pdf"], "There is no mechanism"),
    (["--country", "ZZ", "--year", "2024", "--pdf", "x.pdf"], "No mechanism is in country"),
    (["--mechanism", "gjilan", "--year", "1800", "--pdf", "x.pdf"], "Choose a year"),
    (["--mechanism", "gjilan", "--year", "2024"], "Say where to write"),
    (["--mechanism", "gjilan", "--year", "2024", "--pdf", "/no/such/folder/x.pdf"], "does not exist"),
])
def test_bad_arguments_get_a_clear_error(demo, args: list[str], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("report", "annual", *args, stdout=StringIO())


def test_csv_and_xlsx_carry_the_published_figures_only(demo) -> None:
    from openpyxl import load_workbook

    ind = indicators_for(country_scope("XK"), last_year())
    rows = list(csv.reader(io.StringIO(as_csv(ind).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Section", "Table", "Indicator", "Unit"]
    published = {(r[1], r[2]): r[-1] for r in rows[1:]}
    for table in ind.tables:
        for row in table.rows:
            assert published[(table.title, row.label)] == row.figures[-1].text.replace("…", "").replace("–", "")
    for r in rows[1:]:
        if r[0] != "Capacity and prevention" and r[3] in ("referrals", "cases", "decisions", "interventions",
                                                           "persons"):
            assert not any(cell in {"1", "2", "3", "4"} for cell in r[4:]), r
    book = load_workbook(io.BytesIO(as_xlsx(ind)))
    assert book.sheetnames == ["Indicators", "About"]
    assert book["Indicators"].max_row == len(rows)
    assert any("<5" in str(c.value) for c in book["About"]["A"])
    assert Mechanism.objects.filter(country="XK").count() == 3
