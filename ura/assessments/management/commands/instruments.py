"""``ura instruments``: check, load and list assessment-instrument definitions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ura.assessments import definitions
from ura.assessments.models import InstrumentVersion
from ura.assessments.services import instrument_load
from ura.errors import ServiceError


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": path, "error": exc}) from None


class Command(BaseCommand):
    help = "Check (check), load (load) or list (list) assessment-instrument definitions."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{load,check,list}")
        load = commands.add_parser("load", help="Check a definition file and load it as a new instrument version.")
        load.add_argument("file", help="A YAML (or JSON) definition; see ura/assessments/instruments/README.md.")
        check = commands.add_parser("check", help="Check a definition file without loading it.")
        check.add_argument("file")
        commands.add_parser("list", help="The instrument versions loaded, with licence and credential.")

    def handle(self, *args: Any, **options: Any) -> None:
        sub = options["subcommand"]
        if sub == "list":
            self.list()
            return
        path = options["file"]
        text = _read(path)
        try:
            if sub == "check":
                data = definitions.read(text)
                self.stdout.write(_("%(file)s: OK (%(code)s version %(version)s)")
                                  % {"file": path, "code": data["code"], "version": data["version"]})
                return
            version, created = instrument_load(actor=None, text=text, source=Path(path).name)
        except definitions.DefinitionError as e:
            raise CommandError(_("%(file)s was not loaded:\n%(problems)s")
                               % {"file": path, "problems": "\n".join(f"  {p}" for p in e.problems)}) from None
        except ServiceError as e:
            raise CommandError(f"{path}: {e.message}") from None
        if created:
            self.stdout.write(_("Loaded %(name)s (%(code)s) version %(version)s.")
                              % {"name": version.name, "code": version.code, "version": version.version})
        else:
            self.stdout.write(_("%(code)s version %(version)s is already loaded with exactly this content; "
                                "nothing changed.") % {"code": version.code, "version": version.version})

    def list(self) -> None:
        for v in InstrumentVersion.objects.order_by("code", "id"):
            self.stdout.write(f"{v.code} {v.version}\t{v.name}\t{v.category}\t"
                              f"{v.credential or '-'}\t{v.licence} ({v.rights_holder})"
                              f"{'' if v.redistributable else ' ' + _('[not redistributable]')}")
