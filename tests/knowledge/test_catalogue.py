"""The national catalogue as a second tier (issue 13): import, titles, matching, the kb match contract."""
from __future__ import annotations

import json

import pytest
from catalogue_snapshot import RECORDS, record, write_snapshot
from sqlalchemy import select

from infra.db import session_scope
from infra.models import CatalogueEntry, CatalogueNote, Commune
from knowledge.catalogue_index import CatalogueIndex, Procedure, levels_free_name
from knowledge.catalogue_terms import TITLE_LIMIT, everyday_keywords, everyday_title
from knowledge.catalogue_store import load_thresholds


def _import(runner, folder):
    result = runner.invoke(args=["catalogue", "import", str(folder)])
    assert result.exit_code == 0, result.output
    return result.output


def _kb_match(runner, lines: list[str]) -> list[dict]:
    """`kb match` over the lines: one JSON answer per line."""
    result = runner.invoke(args=["kb", "match"], input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]


def test_import_is_idempotent_and_a_newer_snapshot_reports_its_changes(app, runner, tmp_path):
    first = _import(runner, write_snapshot(tmp_path / "july"))
    assert f"{len(RECORDS)} procedures: {len(RECORDS)} added, 0 changed, 0 removed" in first
    again = _import(runner, write_snapshot(tmp_path / "july"))
    assert f"0 added, 0 changed, 0 removed, {len(RECORDS)} unchanged" in again
    with app.app_context(), session_scope() as session:
        commune = Commune(slug="xa-a", name="Xã A", province="Tỉnh Thanh Hóa")
        session.add(commune)
        session.flush()
        for code in ("1.013133", "1.001662"):
            session.add(CatalogueNote(code=code, commune_id=commune.id, desk="Quầy số 2"))
        entry = session.get(CatalogueEntry, "1.013133")
        assert entry.detail["documents"][0] == "Bản chụp căn cước của công dân"
        assert entry.detail["online"] is True and entry.detail["time"] == "1 ngày làm việc"
        assert session.get(CatalogueEntry, "1.014569").province == "Tỉnh Thanh Hóa"  # SPECIFIC: its province
    renamed = {**record("1.013133"), "name": "Thủ tục đăng ký nghĩa vụ quân sự lần đầu cho công dân nam đủ 17 tuổi"}
    added = {**record("1.013136"), "code": "9.999001", "id": "test-new-formality"}
    newer = [renamed if r["code"] == "1.013133" else r for r in RECORDS if r["code"] != "1.001662"] + [added]
    output = _import(runner, write_snapshot(tmp_path / "december", newer))
    assert "1 added, 1 changed, 1 removed" in output, output
    assert "added: 9.999001" in output and "changed: 1.013133" in output and "removed: 1.001662" in output
    with app.app_context(), session_scope() as session:
        notes = session.scalars(select(CatalogueNote.code)).all()
        assert sorted(notes) == ["1.001662", "1.013133"]  # staff notes survive a change and a removal
        assert session.get(CatalogueEntry, "1.001662").active is False
        assert session.get(CatalogueEntry, "1.013133").name.endswith("đủ 17 tuổi")


def test_import_refuses_a_folder_that_is_no_snapshot(runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(args=["catalogue", "import", str(tmp_path / "empty")])
    assert result.exit_code == 2 and "no catalog.jsonl" in result.output


def test_every_title_fits_a_phone_heading_and_keeps_the_point():
    long_name = ("Thủ tục cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ "
                 "ăn uống thuộc thẩm quyền của Ủy ban nhân dân cấp xã theo quy định tại Nghị định số 15/2018/NĐ-CP")
    title = everyday_title(long_name)
    assert len(title) <= TITLE_LIMIT and "an toàn thực phẩm" in title and "quán ăn" in title
    for r in RECORDS:
        assert 0 < len(everyday_title(r["name"])) <= TITLE_LIMIT, r["name"]
    assert "nuôi heo" in everyday_keywords("Thông báo phương án chăn nuôi", ["Chăn nuôi"])


def _index() -> CatalogueIndex:
    return CatalogueIndex([Procedure(code=r["code"], name=r["name"], formality_id=r["id"], kind=r["type"],
                                    province=r["departmentPromulgate"] if r["type"] == "SPECIFIC" else None,
                                    categories=tuple(r["categories"]), targets=tuple(r["formalityTargetType"]),
                                    departments=tuple(r["departments"])) for r in RECORDS], load_thresholds())


@pytest.mark.parametrize("message, code", [
    ("nhà em định khoan giếng lấy nước sinh hoạt, có phải đăng ký với xã không", "1.001662"),
    ("muon dep han tiem tap hoa, khong kinh doanh nua thi bao voi xa the nao", "1.001266"),
    ("đăng ký nghĩa vụ quân sự lần đầu cho thằng con vừa đủ tuổi", "1.013133"),
])
def test_everyday_words_find_the_procedure(message, code):
    found = _index().match(message)
    assert (found.decision, found.code) == ("answer", code), found


@pytest.mark.parametrize("message", ["bán gấp 2 con bò giống, ai cần ib", "tối nay đội bóng xã đá với đội nào",
                                     "giá vàng hôm nay bao nhiêu", "ok cảm ơn nhé"])
def test_messages_about_no_procedure_stay_none(message):
    assert _index().match(message).code is None


def test_a_province_own_procedure_is_found_only_in_its_province():
    index = _index()
    message = "tàu cá nhà em bị bão đánh hỏng ngoài biển, có được nhà nước hỗ trợ thiệt hại do thiên tai không"
    assert index.match(message, province="Tỉnh Thanh Hóa").code == "1.014569"
    assert all(h.code != "1.014569" for h in index.search(message, province="Tỉnh Nghệ An"))
    assert all(h.code != "1.014569" for h in index.search(message))


def test_kb_match_writes_the_catalogue_field(app, runner, tmp_path):
    _import(runner, write_snapshot(tmp_path / "snap"))
    lines = ["đăng ký khai sinh cho con cần giấy tờ gì",  # curated procedure intent: its own code
             "nha em muon khoan gieng lay nuoc dung, co phai dang ky khong",  # catalogue tier
             "giá vàng hôm nay"]
    answers = _kb_match(runner, lines)
    assert answers[0]["intent"] == "khai-sinh" and answers[0]["catalogue"] == "1.001193"
    assert answers[1]["intent"] == "none" and answers[1]["catalogue"] == "1.001662"
    assert answers[2] == {"intent": "none", "score": answers[2]["score"], "catalogue": None}


def test_a_sibling_the_message_names_wins_over_the_curated_common_case(app, runner, tmp_path):
    """The curated "hộ kinh doanh" entry covers registering; closing the business is its catalogue sibling."""
    _import(runner, write_snapshot(tmp_path / "snap"))
    lines = ["muốn dẹp hẳn cái tiệm tạp hóa, không kinh doanh nữa thì báo xã sao",
             "đăng ký hộ kinh doanh để mở tiệm tạp hóa"]
    closing, opening = _kb_match(runner, lines)
    assert closing["intent"] == "ho-kinh-doanh" and closing["catalogue"] == "1.001266"
    assert opening["intent"] == "ho-kinh-doanh" and opening["catalogue"] == "1.001612"


def test_a_filler_word_written_as_a_content_word_keeps_its_weight():
    index = _index()
    assert "hoi" in index.features("làng em mở lễ hội") and "hoi" not in index.features("cho em hỏi")
    assert "de" in index.query_features("vợ em mới đi đẻ") and "de" not in index.query_features("để làm gì")
    assert "hoi" not in index.query_features("le hoi")  # without diacritics it cannot be told apart


def test_kb_match_says_none_when_the_catalogue_overrules_the_curated_intent(app, runner, tmp_path):
    """The disability intent knows "người khuyết tật", the message asks for a free lawyer: the bot does
    not answer with the curated intent, so the contract does not name it."""
    _import(runner, write_snapshot(tmp_path / "snap"))
    lines = ["người khuyết tật có được luật sư hỗ trợ miễn phí khi ra tòa không, gửi yêu cầu ở đâu",
             "giấy xác nhận khuyết tật bị mất, xin cấp lại được không ạ"]
    lawyer, certificate = _kb_match(runner, lines)
    assert lawyer["intent"] == "none" and lawyer["catalogue"] in (None, "2.000829")
    assert certificate["intent"] == "khuyet-tat"


def test_the_same_procedure_at_several_levels_is_one_answer_at_the_residents_level():
    """Residents never name the level: three levels of one complaint procedure do not compete (no
    clarifying choice among them), and the answer is the commune's variant."""
    name = "Giải quyết khiếu nại về quyết định hành chính của công dân đối với lực lượng Công an nhân dân"
    levels = [("1.000001", f"{name} (thực hiện tại cấp Trung ương)", ()),
              ("1.000002", f"{name} (thực hiện tại cấp tỉnh)", ("Công an cấp Tỉnh",)),
              ("1.000003", f"{name} (thực hiện tại cấp xã)", ("Công an cấp Xã",)),
              ("1.000004", "Giải quyết tố cáo đối với lực lượng Công an nhân dân", ())]
    index = CatalogueIndex([Procedure(code=code, name=text, formality_id=code, departments=desks)
                            for code, text, desks in levels], load_thresholds())
    hits = index.search("công an xã giữ xe sai, em muốn khiếu nại quyết định hành chính")
    assert {h.code for h in hits[:3]} == {"1.000001", "1.000002", "1.000003"}
    found = index.decide(hits)
    assert (found.decision, found.code) == ("answer", "1.000003"), found
    assert [h.code for h in found.hits].count("1.000003") == 1 and len(found.hits) == 2
    assert not index.same_procedure("1.000003", "1.000004")
    online = "Cấp lại chứng nhận đăng ký xe, biển số xe thực hiện bằng dịch vụ công trực tuyến toàn trình"
    counter = ("Cấp lại chứng nhận đăng ký xe, biển số xe thực hiện bằng dịch vụ công trực tuyến một phần hoặc trực "
               "tiếp thực hiện tại cấp trung ương, cấp tỉnh, cấp xã")
    assert levels_free_name(online) == levels_free_name(counter) == "cap lai chung nhan dang ki xe bien so xe"


def test_an_embassys_own_procedure_yields_to_the_one_at_home():
    """A resident writes from a commune in Viet Nam: the passport the province issues comes before
    the one Viet Nam's missions abroad issue, though both names are the same."""
    index = CatalogueIndex([
        Procedure(code="1.000010", name="Cấp hộ chiếu phổ thông", formality_id="a",
                  departments=("Cơ quan đại diện Việt Nam ở nước ngoài",)),
        Procedure(code="1.000011", name="Cấp hộ chiếu phổ thông", formality_id="b",
                  departments=("Cục Quản lý xuất nhập cảnh",))], load_thresholds())
    assert index.search("làm hộ chiếu phổ thông cho con")[0].code == "1.000011"
