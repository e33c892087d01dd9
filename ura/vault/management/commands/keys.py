from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from ura.vault import keyring, rotation


class Command(BaseCommand):
    help = "Encryption keys: which exist and how much uses each (status), re-encrypt under a new key (rotate), " \
           "remove an old one (retire)."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True, metavar="{status,rotate,retire}")
        commands.add_parser("status", help="The keys, the active one, and the values and indexes under each.")
        rotate = commands.add_parser("rotate", help="Add a new active key and re-encrypt everything under it.")
        rotate.add_argument("--resume", action="store_true",
                            help="Finish an interrupted rotation: no new key; re-encrypt what is not under "
                                 "the active one.")
        retire = commands.add_parser("retire", help="Remove a key that nothing uses any more.")
        retire.add_argument("key_id", metavar="KEY_ID")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, options["subcommand"])(options)
        except (keyring.KeyringError, keyring.UnknownKey, rotation.StillInUse) as exc:
            raise CommandError(str(exc)) from None

    def _print_status(self, st: rotation.Status) -> None:
        self.stdout.write(_("Keys (%(source)s):") % {"source": keyring.current().source})
        for key_id in st.keys:
            mark = _(" (active)") if key_id == st.active else ""
            self.stdout.write(_("  %(key)s%(mark)s: %(values)s encrypted values, %(indexes)s blind indexes")
                              % {"key": key_id, "mark": mark, "values": st.values[key_id],
                                 "indexes": st.indexes[key_id]})
        missing = sorted(k for k in {*st.values, *st.indexes} if k not in st.keys)
        for key_id in missing:
            self.stdout.write(self.style.ERROR(_("  %(key)s: NOT IN THE KEYRING, %(n)s values cannot be read")
                                               % {"key": key_id, "n": st.uses(key_id)}))

    def status(self, options: dict[str, Any]) -> None:
        self._print_status(rotation.status())

    def rotate(self, options: dict[str, Any]) -> None:
        interactive = sys.stderr.isatty()

        def progress(label: str, done: int, total: int) -> None:
            if interactive:
                filled = 30 * done // max(total, 1)
                end = "\n" if done >= total else ""
                self.stderr.write(f"\r{label:28} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", ending=end)
            elif done >= total:
                self.stderr.write(f"{label}: {total}")

        key_id, st = rotation.key_rotate(progress, resume=options["resume"])
        self.stdout.write(_("Active key: %(key)s.") % {"key": key_id})
        self._print_status(st)
        old = [k for k in st.keys if k != st.active and not st.uses(k)]
        if any(st.uses(k) for k in st.keys if k != st.active):
            self.stdout.write(self.style.WARNING(_("Some values are still under an older key (written during the "
                                                   "rotation); run `ura keys rotate --resume`.")))
        elif old:
            self.stdout.write(_("Nothing uses %(keys)s any more: keep a backup of the keyring until your database "
                                "backups made before now have expired, then `ura keys retire KEY_ID`.")
                              % {"keys": ", ".join(old)})

    def retire(self, options: dict[str, Any]) -> None:
        rotation.key_retire(options["key_id"])
        self.stdout.write(_("Key %(key)s removed from the keyring.") % {"key": options["key_id"]})
