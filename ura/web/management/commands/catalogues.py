"""``ura catalogues``: regenerate sr-Cyrl from sr-Latn and compile every catalogue (no msgfmt needed)."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from ura.web import catalogues


class Command(BaseCommand):
    help = "Extract messages (--extract), generate the Serbian Cyrillic catalogue and compile all catalogues."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--extract", action="store_true",
                            help="first run makemessages for the catalogues translators write")

    def handle(self, *args: Any, extract: bool = False, **options: Any) -> None:
        if extract:
            here = os.getcwd()
            os.chdir(settings.BASE_DIR)  # message references are relative to the ura package
            try:
                call_command("makemessages", locale=list(catalogues.SOURCE_LOCALES), verbosity=0,
                             **catalogues.EXTRACT_OPTIONS)
            finally:
                os.chdir(here)
        for path in catalogues.generate_derived() + catalogues.compile_all():
            self.stdout.write(str(path.relative_to(settings.BASE_DIR.parent)))
