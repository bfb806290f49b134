"""Residents' words for the second pass over domain B of the national catalogue (issue 13): the
citizen-facing procedures of social protection, insurance, people with merit, veterans, health,
schools, heritage and art, labour, veterinary, forests, fishing boats and dikes that had no words of
their own (knowledge/data/catalogue_terms/domain_e.yaml).

The questions are written the way residents write to the commune (stories first, no diacritics,
teencode, English from foreigners), each with the procedures that answer it. The index is built from
the real portal snapshot (`CATALOGUE_SNAPSHOT`, else ../shared/reference/portal; skipped without one):
a few hundred records would make the ranking meaningless. The ranker changes while the words are
written, so the test holds pass rates, not each line.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from full_catalogue import SNAPSHOT, find, full_index
from knowledge.catalogue_import import read_snapshot
from knowledge.catalogue_terms import TERMS, everyday_keywords, everyday_title, load_lexicon

TOP = 3
PASS_RATE = 0.85  # share of questions with an acceptable procedure among the first three
FIRST_RATE = 0.65  # share with an acceptable procedure first

QUESTIONS = [
    # social protection, children, families
    ('nhà em không thuộc hộ nghèo nhưng lương thấp, xã xét công nhận người thu nhập thấp thế nào', {'3.000412'}),
    ('lam sao de duoc cong nhan la lao dong thu nhap thap', {'3.000412'}),
    ('vợ em đẻ ở nhà không kịp vào viện nên không có giấy chứng sinh, giờ làm sao', {'1.014331'}),
    ('giấy chứng sinh của bé bị mất, xin cấp lại ở đâu', {'1.014332'}),
    ('vo chong em hiem muon, muon nho chi gai mang thai ho thi lam thu tuc gi', {'1.014527'}),
    ('bà hàng xóm neo đơn đang hưởng bảo trợ xã hội vừa mất, xã có hỗ trợ mai táng phí không', {'1.001731'}),
    ('ông ngoại hưởng hưu trí xã hội mới mất, gia đình xin tiền mai táng', {'1.014028'}),
    ('mẹ em đang ở trung tâm bảo trợ xã hội, giờ gia đình muốn đón về nhà nuôi', {'2.000477'}),
    ('con gái em bị lừa bán sang trung quốc mới trở về, có được hỗ trợ học nghề không', {'2.001661'}),
    ('chồng em trong đội xung kích phòng chống thiên tai, đi chống lũ bị thương gãy chân', {'1.010091', '1.010092'}),
    ('anh em đi tuần tra ban đêm với tổ bảo vệ an ninh trật tự bị chém bị thương', {'1.012538'}),
    ('con trai em là dân quân, đi trực bị tai nạn, có được trợ cấp gì không', {'1.013514'}),
    ('thằng cháu hàng xóm bị bố dượng đánh đập suốt, xã có can thiệp khẩn cấp cho cháu không', {'1.004946', '2.001947'}),
    ('em trai em nghiện, giờ muốn tự nguyện cai nghiện tại gia đình thì đăng ký ở đâu', {'3.000527'}),
    # social insurance, old periods
    ('bố em hồi trẻ đi hợp tác lao động bên liên xô, thời gian đó có được tính bảo hiểm không', {'1.014182'}),
    ('ba em đang hưởng trợ cấp 613 mất sức lao động, thủ tục hưởng ra sao', {'2.000762'}),
    ('luong huu cua me em bi tinh sai, muon dieu chinh lai', {'1.001710'}),
    ('cô giáo về hưu chưa được tính phụ cấp thâm niên vào lương hưu', {'1.001646'}),
    ('bố em làm mỏ than, nghỉ hưu rồi mới phát hiện bị bụi phổi silic', {'2.002342', '2.002343'}),
    ('nhà nước có hỗ trợ tiền mua bảo hiểm lúa cho hộ nghèo không', {'1.005412', '1.005411'}),
    ('vợ chồng em nhận con nuôi 3 tháng tuổi, em có được nghỉ thai sản không', {'1.014167'}),
    # people with merit, martyrs, veterans
    ('chú em hy sinh năm 72 mà gia đình chưa có bằng tổ quốc ghi công', {'1.010774', '1.010772', '1.010775'}),
    ('bằng tổ quốc ghi công nhà em bị mối ăn hỏng rồi, xin cấp lại', {'1.010778'}),
    ('ông em đi bộ đội rồi mất tích trong chiến tranh, làm hồ sơ công nhận liệt sĩ', {'1.010781', '1.010772'}),
    ('ong noi em la lao thanh cach mang, hoat dong truoc 1945, huong che do sao', {'1.010788', '1.010815'}),
    ('gia đình không đồng ý kết quả giám định thương tật của bố, xin giám định phúc quyết', {'1.010790', '1.010792'}),
    ('bố em vừa là thương binh vừa là bệnh binh, có được hưởng cả hai chế độ không', {'1.010808'}),
    ('hồi chiến tranh nhà ông nội nuôi giấu cán bộ cách mạng, giờ có được chế độ gì', {'1.010820'}),
    ('bác em thương binh 81%, xin phụ cấp đặc biệt hằng tháng', {'1.010822'}),
    ('bác em bị dừng trợ cấp thương binh mấy năm, giờ muốn hưởng lại', {'1.010823', '1.013191', '1.013190'}),
    ('hồ sơ liệt sĩ của chú em thiếu tên bà nội, muốn bổ sung thân nhân liệt sĩ', {'1.010825'}),
    ('ba em hồi xưa sang lào làm chuyên gia, có được trợ cấp một lần không', {'1.004964'}),
    ('ông em đi dân công hỏa tuyến thời chống mỹ, làm chế độ thế nào', {'1.013170'}),
    ('bà nội em là dân công hỏa tuyến, mới mất, xin tiền mai táng', {'1.014359'}),
    ('bố em đi bộ đội chống mỹ 12 năm rồi phục viên, chưa được hưởng gì', {'1.013159', '1.013160', '1.013144', '1.013145'}),
    ('chu em la bo doi danh bien gioi phia bac roi xuat ngu, lam che do 62 the nao', {'1.013143', '1.013161', '1.013163', '1.013455', '2.002755'}),
    ('mẹ em hồi chống mỹ là du kích xã, có được hưởng chế độ một lần không', {'1.013152', '1.013155'}),
    ('ông em là dân quân tập trung ở miền bắc thời chống mỹ, có chế độ không', {'1.013147', '1.013148'}),
    ('chồng em đang đi nghĩa vụ quân sự, con em học lớp 3 có được miễn học phí không', {'2.002765'}),
    ('anh em đi bộ đội về bị tâm thần, bệnh cũ tái phát, xin xác nhận để hưởng chế độ', {'1.013196'}),
    ('bố em được tặng huy chương thanh niên xung phong vẻ vang, làm hồ sơ ở đâu', {'1.014680'}),
    ('ông em có bằng khen của thủ tướng thời kháng chiến, được trợ cấp một lần không', {'1.001257'}),
    ('bác em là thương binh đang hưởng mất sức lao động, chế độ thế nào', {'1.010809'}),
    # health
    ('mẹ em ở mỹ về, mang theo thuốc chữa bệnh tim, có phải xin phép không', {'1.014090'}),
    ('em muốn làm mỹ phẩm handmade bán online thì phải công bố mỹ phẩm không', {'1.002600'}),
    ('nhập mỹ phẩm hàn quốc về bán, làm công bố ở đâu', {'1.002088'}),
    ('công ty em sản xuất thực phẩm chức năng, đăng ký công bố sản phẩm thế nào', {'1.001422'}),
    ('em làm đồng đẳng viên hiv, xin thẻ nhân viên tiếp cận cộng đồng', {'1.013034'}),
    ('chứng chỉ hành nghề dược của em bị ghi sai ngày sinh', {'1.014085', '1.014099', '1.014101'}),
    ('em bị mất chứng chỉ hành nghề dược, xin cấp lại', {'1.014100'}),
    ('cơ sở em sản xuất sữa bột cho trẻ em, làm công bố sản phẩm ở đâu', {'1.013862'}),
    # education
    ('vợ chồng em làm công nhân khu công nghiệp, con học mầm non tư có được trợ cấp không', {'1.008950'}),
    ('con em là sinh viên sư phạm, có được hỗ trợ tiền sinh hoạt phí không', {'1.009002'}),
    ('con em người dân tộc học cao đẳng nghề, xin chính sách nội trú', {'2.001959', '2.001960', '2.002284', '1.008148'}),
    ('con em bị tai nạn nằm viện không dự thi tốt nghiệp được, có được xét đặc cách không', {'1.005098'}),
    ('đăng ký thi chứng chỉ tin học cơ bản ở đâu', {'1.003734'}),
    ('con em thi đại học không đủ điểm, muốn học dự bị đại học', {'1.010776'}),
    ('em muốn mở trung tâm tư vấn du học nhật', {'1.005061'}),
    # culture, heritage, art, film
    ('nhà em có mấy cái bình gốm đồ cổ ông bà để lại, muốn đăng ký cổ vật', {'2.001631'}),
    ('muốn buôn bán đồ cổ thì cần chứng chỉ gì', {'1.003738', '1.014614'}),
    ('I want to take some antiques out of Vietnam, do I need a permit', {'2.000991'}),
    ('bà nội em là nghệ nhân ưu tú hát then, hoàn cảnh khó khăn, xin trợ cấp hàng tháng', {'1.014310'}),
    ('xưởng em muốn làm tượng bác hồ để bán thì có phải xin phép không', {'1.001778'}),
    ('nhà văn hóa xã muốn tổ chức cuộc thi vẽ tranh cho thiếu nhi', {'1.000066', '1.001833'}),
    ('đào móng nhà thấy cổ vật, báo ai', {'2.001591'}),
    ('our crew wants to shoot a film in Vietnam, what permit do we need', {'1.011450'}),
    ('ba em hát quan họ mấy chục năm, muốn được xét tặng nghệ nhân ưu tú', {'1.000971', '1.001032'}),
    ('chú em là diễn viên chèo lâu năm, hồ sơ xét tặng nghệ sĩ ưu tú nộp ở đâu', {'1.001108'}),
    ('bác sĩ trạm y tế xã được đề nghị xét tặng thầy thuốc ưu tú thì làm hồ sơ gì', {'1.012422'}),
    # labour
    ('I am Australian and want a working holiday visa in Vietnam', {'2.001830', '2.000731'}),
    ('bị công ty xklđ lừa, không cho đi mà không trả tiền cọc', {'1.014348', '1.014349'}),
    ('xã thông báo đăng ký lao động, em làm ruộng tự do thì có phải đăng ký không', {'1.115305'}),
    # veterinary, plant protection, livestock
    ('em học thú y ra, muốn mở phòng khám chó mèo', {'1.004756'}),
    ('chứng chỉ hành nghề thú y của em hết hạn rồi', {'2.001064'}),
    ('muốn mở cửa hàng thuốc thú y ở chợ xã', {'1.001686'}),
    ('mở đại lý thuốc trừ sâu cần giấy tờ gì', {'1.004363'}),
    ('em tính nuôi ruồi lính đen làm thức ăn cho gà, có phải báo xã không', {'1.014951'}),
    ('nuôi bọ cạp có cần đăng ký không', {'1.014958'}),
    ('xóm em giờ là khu dân cư cấm chăn nuôi, bỏ nuôi heo chuyển nghề thì có được hỗ trợ không', {'1.012837'}),
    ('vườn sầu riêng nhà em muốn xuất khẩu thì xin cấp mã số vùng trồng ở đâu', {'1.014776'}),
    # forests, wildlife
    ('nhà em khai thác keo rừng trồng, chở gỗ keo đi bán cần xác nhận bảng kê lâm sản', {'1.000045'}),
    ('em muốn nuôi trăn và rắn hổ mang thương phẩm, đăng ký mã số trại ở đâu', {'1.004819'}),
    ('trồng sâm dưới tán rừng có cần phương án không', {'3.000502'}),
    # fishing boats
    ('ghe cá nhà em hết hạn đăng kiểm, đi đăng kiểm ở đâu', {'1.003563'}),
    ('muốn hoán cải tàu cá lắp thêm máy thì xin phép sao', {'1.004344'}),
    ('tàu cá bị chìm ngoài biển rồi, giờ xóa đăng ký thế nào', {'1.003681'}),
    ('mở trại sản xuất tôm giống thì cần giấy chứng nhận gì', {'1.003821', '1.004918'}),
    ('nha em moi khoan gieng trong nha de dung, co phai dang ky gieng khoan voi xa khong', {'1.001662'}),
    ('we are a few foreign families and want to worship together as a religious group for foreigners', {'1.012658'}),
    # dikes, irrigation, water
    ('nhà em muốn xây nhà sát chân đê có phải xin phép không', {'1.013644'}),
    ('trồng cây lâu năm trên bờ kênh thủy lợi có cần giấy phép không', {'1.004385', '1.014860'}),
    ('hợp tác xã muốn bơm nước sông về tưới, xin giấy phép khai thác nước mặt', {'1.004179', '2.000021'}),
]

# Lines that share words with the procedures above and ask for none: selling, buying, jobs,
# sport, travel, shopping, health advice.
OUT_OF_SCOPE = [
    'bán gỗ keo giá bao nhiêu một tấn vậy',
    'ai có cá giống rô phi bán cho em xin số',
    'nhà em có bầy gà ta bán tết, ai mua inbox',
    'tuyển công nhân may làm ở khu công nghiệp, lương 8 triệu',
    'hôm nay trận bóng đá biên giới hay quá',
    'cuối tuần đi du lịch campuchia nên mang gì',
    'mua mỹ phẩm hàn quốc chính hãng ở đâu uy tín',
    'uống thực phẩm chức năng có tốt không',
    'phòng khám chó mèo nào gần đây mở cửa chủ nhật',
    'trồng keo mấy năm thì thu hoạch được',
    'đồ cổ nhà em bán được bao nhiêu tiền',
    'xem phim gì hay tối nay',
    'con em học sư phạm ra trường giờ xin việc ở đâu',
    'tàu cá đi biển hôm nay có bão không',
    'mùa này đi câu cá ở kênh thủy lợi được không',
    'sữa bột nào tốt cho bé 1 tuổi vậy mọi người',
    'trung tâm học tiếng hàn nào ở huyện dạy tốt',
    'homestay nào ở sapa đẹp mà rẻ',
    'có ai đi làm ngoài tỉnh cho em đi cùng với',
    'giếng khoan nhà em nước bị đục phải làm sao',
    'sầu riêng ri6 hôm nay giá bao nhiêu một ký',
]


@pytest.fixture(scope="module")
def snapshot() -> Path:
    if SNAPSHOT is None:
        pytest.skip("no portal snapshot (set CATALOGUE_SNAPSHOT)")
    return SNAPSHOT


def test_residents_questions_find_their_procedure(snapshot: Path):
    result = find(QUESTIONS, TOP)
    print(result.line("domain E", TOP))
    misses = "\n".join(f"{q!r}: {titles}" for q, titles in result.missed)
    assert result.found >= PASS_RATE, misses
    assert result.top1 >= FIRST_RATE, misses


def test_the_out_of_scope_lines_that_share_these_words_get_no_answer(snapshot: Path):
    """Selling timber or fish seed, a football match, a job ad: words of these procedures, no procedure."""
    answered = [(line, full_index().match(line).code) for line in OUT_OF_SCOPE]
    assert not [a for a in answered if a[1]], answered


def test_every_code_the_words_name_is_in_the_catalogue(snapshot: Path):
    """A mistyped code would silently give its words to nothing; a few provincial (SPECIFIC)
    procedures are named on purpose (a heart operation for a child, homestays), the rest are national."""
    kinds = {row["code"]: row["kind"] for row in read_snapshot(snapshot)}
    data = yaml.safe_load((TERMS / "domain_e.yaml").read_text(encoding="utf-8"))
    named = {str(code) for term in data["terms"] for code in term.get("codes") or []}
    assert named <= set(kinds), sorted(named - set(kinds))
    assert sum(kinds[c] == "STANDARD" for c in named) >= 190
    assert all(kinds[c] == "STANDARD" for _, codes in QUESTIONS for c in codes)


def test_cultural_heritage_is_not_an_inheritance():
    """"Di sản văn hóa" (heritage) once received the words of an inheritance ("chia thừa kế")."""
    lexicon = load_lexicon()
    heritage = everyday_keywords("Thủ tục đăng ký di vật, cổ vật", ["Di sản văn hóa"], lexicon, "2.001631")
    inheritance = everyday_keywords("Công chứng văn bản thỏa thuận phân chia di sản", ["Công chứng"], lexicon)
    assert "chia thừa kế" not in heritage and "đăng ký đồ cổ" in heritage
    assert "chia thừa kế" in inheritance


def test_siblings_with_one_cut_title_get_titles_of_their_own():
    """Cut at a clause marker, "Giải quyết chế độ, chính sách cho người tham gia lực lượng ... chưa
    tham gia bảo hiểm xã hội / y tế ..." both read "Chế độ, chính sách": a choice between them showed
    one heading twice, and the decision took them for one procedure."""
    lexicon = load_lexicon()
    guard = "Giải quyết chế độ, chính sách cho người tham gia lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở chưa tham gia "
    accident = everyday_title(guard + "bảo hiểm xã hội mà bị tai nạn, chết khi thực hiện nhiệm vụ", lexicon)
    treatment = everyday_title(guard + "bảo hiểm y tế mà bị ốm đau, bị tai nạn, bị thương khi thực hiện nhiệm vụ", lexicon)
    supplements = everyday_title("Đăng ký bản công bố sản phẩm sản xuất trong nước đối với thực phẩm bảo vệ sức khỏe", lexicon)
    formula = everyday_title("Đăng ký bản công bố sản phẩm sản xuất trong nước đối với thực phẩm dinh dưỡng y học, thực phẩm "
                             "dùng cho chế độ ăn đặc biệt, sản phẩm dinh dưỡng dùng cho trẻ đến 36 tháng tuổi", lexicon)
    assert len({accident, treatment, "Chế độ, chính sách"}) == 3
    assert supplements != formula and "thực phẩm chức năng" in supplements
    assert all(len(t) <= 60 for t in (accident, treatment, supplements, formula))
