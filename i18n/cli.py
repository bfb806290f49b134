"""`flask --app app translate extract|update|compile`: the gettext catalogue workflow.

A thin wrapper around pybabel (as in Miguel Grinberg's microblog), run in-process so it needs
no PATH setup. The usual round: `extract` (code → i18n/messages.pot), `update` (the .pot
merged into every language's .po; translate the new empty msgstr), then `compile` to check.
The bot reads the .po files directly, so compiling is a check, not a deployment step.
"""
from __future__ import annotations

import re
from contextlib import chdir
from pathlib import Path

import click
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po
from flask.cli import AppGroup

ROOT = Path(__file__).resolve().parent.parent
MAPPING = ROOT / "babel.cfg"
CATALOGUES = ROOT / "i18n"
TEMPLATE = CATALOGUES / "messages.pot"
# `turn._(...)` / `_(...)` calls, the N_ marker of i18n/__init__.py, and i18n.gettext(lang, message)
KEYWORDS = ("_", "N_", "gettext:2")

# A {placeholder} of str.format (i18n.gettext fills them); pybabel only checks %-style ones.
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")

translate_cli = AppGroup("translate", help="Translation catalogues (gettext).")


def pybabel(*args: str) -> None:
    """Run one pybabel command; a failure becomes a click error with pybabel's exit status."""
    try:
        with chdir(ROOT):  # locations in the catalogues stay relative to the project
            status = CommandLineInterface().run(["pybabel", *args])
    except SystemExit as exit_:
        status = exit_.code
    if status:
        raise click.ClickException(f"pybabel {args[0]} failed (exit status {status})")


def extract_args(output: Path = TEMPLATE) -> list[str]:
    keywords = [arg for keyword in KEYWORDS for arg in ("-k", keyword)]
    return ["extract", "-F", str(MAPPING), *keywords, "--add-location=file", "--sort-output", "--no-wrap",
            "--project=commune-bot", "-o", str(output), "."]


@translate_cli.command("extract")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=TEMPLATE, show_default=True,
              help="Where to write the template.")
def extract_command(output: Path) -> None:
    """Collect every marked string of the code into i18n/messages.pot."""
    pybabel(*extract_args(output))


@translate_cli.command("update")
@click.option("--directory", type=click.Path(file_okay=False, exists=True, path_type=Path), default=CATALOGUES,
              show_default=True, help="The folder of <lang>/LC_MESSAGES/messages.po catalogues.")
def update_command(directory: Path) -> None:
    """Extract, then merge the template into every language's messages.po."""
    template = directory / TEMPLATE.name
    pybabel(*extract_args(template))
    # No fuzzy matching: a new message stays untranslated (and fails the catalogue test)
    # rather than borrowing a near neighbour's translation that says something else.
    pybabel("update", "-i", str(template), "-d", str(directory), "--no-fuzzy-matching", "--no-wrap",
            "--ignore-obsolete", "--ignore-pot-creation-date")


@translate_cli.command("compile")
@click.option("--directory", type=click.Path(file_okay=False, exists=True, path_type=Path), default=CATALOGUES,
              show_default=True, help="The folder of <lang>/LC_MESSAGES/messages.po catalogues.")
def compile_command(directory: Path) -> None:
    """Compile every messages.po to messages.mo, reporting errors and how much is translated."""
    pybabel("compile", "-d", str(directory), "--statistics")
    errors = [error for po in sorted(directory.glob("*/LC_MESSAGES/messages.po")) for error in placeholder_errors(po)]
    if errors:
        raise click.ClickException("placeholders differ from the msgid:\n" + "\n".join(errors))


def placeholder_errors(po: Path) -> list[str]:
    """Translations whose {placeholders} are not those of their msgid (they would fail at run time)."""
    with po.open("rb") as f:
        catalog = read_po(f)
    return [f"{po}: {message.id!r} -> {message.string!r}" for message in catalog
            if message.id and message.string
            and sorted(PLACEHOLDER.findall(message.string)) != sorted(PLACEHOLDER.findall(message.id))]
