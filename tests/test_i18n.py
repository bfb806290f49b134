"""The gettext catalogues: every message of the code has a Vietnamese translation with the same
{placeholders}, the catalogues compile, and `flask translate` runs the pybabel workflow."""
from __future__ import annotations

import re
import shutil

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from bot.handlers.procedure_guide import SECTION_TITLES
from i18n import LANGUAGES, gettext
from i18n.cli import CATALOGUES, extract_args, pybabel
from procedures.render import ONLINE_LEVELS

PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
# Texts shown on quick replies or buttons: Messenger and Zalo cut them at 20 characters.
BUTTON_TITLES = ["Talk to staff", "Menu", "Back", "None of these", "Open on the national portal",
                 *SECTION_TITLES.values()]


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def catalogue(lang: str):
    with (CATALOGUES / lang / "LC_MESSAGES" / "messages.po").open("rb") as f:
        return read_po(f, locale=lang)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The messages of the code, extracted now with the project's babel.cfg and keywords."""
    output = tmp_path_factory.mktemp("i18n") / "messages.pot"
    pybabel(*extract_args(output))
    with output.open("rb") as f:
        return [m for m in read_po(f) if m.id]


def test_extraction_finds_calls_markers_and_render_helpers(extracted):
    ids = {m.id for m in extracted}
    assert "Talk to staff" in ids  # turn._(...) in bot/context.py
    assert "💰 Fee: {fee}" in ids  # _(...) received by procedures/render.py
    assert set(ONLINE_LEVELS.values()) <= ids  # N_() table values, translated at run time
    assert set(SECTION_TITLES.values()) <= ids
    assert "I will reply in Vietnamese from now on. How can I help you?" in ids
    assert "Your message was long: I read only its first {limit} characters." in ids  # i18n.gettext(lang, ...)
    assert "Sorry, I did not catch that. Please tap one of the choices." in ids  # N_() returned by a helper
    assert len(ids) >= 45


def test_every_message_has_a_vietnamese_translation(extracted):
    vi = catalogue("vi")
    missing = [m.id for m in extracted if not (vi.get(m.id) and vi.get(m.id).string)]
    fuzzy = [m.id for m in extracted if vi.get(m.id) and vi.get(m.id).fuzzy]
    assert missing == [], "translate these in i18n/vi/LC_MESSAGES/messages.po (flask --app app translate update)"
    assert fuzzy == [], "fuzzy translations are not used: check them and remove the fuzzy flag"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(extracted, lang):
    messages = catalogue(lang)
    wrong = [(m.id, messages.get(m.id).string) for m in extracted
             if messages.get(m.id) and messages.get(m.id).string
             and placeholders(messages.get(m.id).string) != placeholders(m.id)]
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogues_are_valid_and_compile(lang, tmp_path):
    messages = catalogue(lang)
    assert str(messages.locale) == lang
    problems = [(m.id, errors) for m, errors in messages.check()]
    assert problems == []
    with (tmp_path / "messages.mo").open("wb") as f:
        write_mo(f, messages)
    assert (tmp_path / "messages.mo").stat().st_size > 1000


def test_button_titles_fit_on_a_button():
    for title in BUTTON_TITLES:
        for lang in LANGUAGES:
            assert len(gettext(lang, title)) <= 20, (lang, title, gettext(lang, title))


def test_vietnamese_is_the_default_and_words_are_translated():
    assert gettext("vi", "Talk to staff") == "Gặp cán bộ"
    assert gettext("en", "Talk to staff") == "Talk to staff"
    assert gettext("fr", "Talk to staff") == "Gặp cán bộ"  # an unknown language: the default
    assert gettext("vi", "💰 Fee: {fee}", fee="0 đồng") == "💰 Lệ phí: 0 đồng"
    assert gettext("vi", "A message nobody translated") == "A message nobody translated"
    assert gettext("vi", ONLINE_LEVELS["unknown"]).endswith("hỏi cán bộ Bộ phận Một cửa.")


# --------------------------------------------------------------------------- flask translate

def test_translate_extract_writes_a_template(runner, tmp_path):
    result = runner.invoke(args=["translate", "extract", "--output", str(tmp_path / "messages.pot")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "messages.pot").read_text(encoding="utf-8")
    assert 'msgid "Talk to staff"' in text
    assert "#: bot/context.py" in text  # locations relative to the project, no line numbers


def test_translate_update_keeps_translations_and_compile_builds(runner, tmp_path):
    for lang in LANGUAGES:
        shutil.copytree(CATALOGUES / lang, tmp_path / lang)
    po = tmp_path / "vi" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "An old message the code no longer has"\nmsgstr "Cũ"\n',
                  encoding="utf-8")
    result = runner.invoke(args=["translate", "update", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    updated = po.read_text(encoding="utf-8")
    assert 'msgstr "Gặp cán bộ"' in updated
    assert "An old message the code no longer has" not in updated
    result = runner.invoke(args=["translate", "compile", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "vi" / "LC_MESSAGES" / "messages.mo").stat().st_size > 1000


@pytest.mark.parametrize(("msgid", "msgstr"), [
    ("{count} papers", "{so} giấy tờ"),  # str.format placeholders: checked by our compile step
    ("%(count)d papers", "%(so)d giấy tờ"),  # %-style: checked by pybabel itself
])
def test_translate_compile_refuses_a_translation_with_other_placeholders(runner, tmp_path, msgid, msgstr):
    folder = tmp_path / "vi" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    flag = "#, python-format\n" if "%" in msgid else ""
    (folder / "messages.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n"Language: vi\\n"\n\n'
        f'{flag}msgid "{msgid}"\nmsgstr "{msgstr}"\n', encoding="utf-8")
    result = runner.invoke(args=["translate", "compile", "--directory", str(tmp_path)])
    assert result.exit_code != 0
    if "{" in msgid:
        assert msgid in result.output
