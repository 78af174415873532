"""The `decroche` command: Django's management commands under the project's settings.

`decroche import calls FILE`, `decroche generate ...`, `decroche migrate` and every
other management command run with the database named by `DATABASE_URL` (an SQLite
file under `var/` by default).
"""

from __future__ import annotations

import getpass
import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "decroche.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    args[0] = "decroche"
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")  # `decroche export-parquet` runs export_parquet
    import django

    django.setup()
    from decroche.core.services import system_actor

    # Entries written by a command without `--as LOGIN` name the account that ran it.
    with system_actor(f"system:{_system_user()}"):
        execute_from_command_line(args)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return str(os.getuid())


if __name__ == "__main__":
    main()
