"""Residents' words for domain B of the national catalogue (issue 13): social and health insurance,
social protection, people with merit, military service, schools, health, culture, religion, labour,
farming (knowledge/data/catalogue_terms/domain_b.yaml).

The questions are written the way residents write to the commune (stories first, no diacritics,
teencode, English from foreigners), each with the procedures that answer it. The index is built from
the real portal snapshot (`CATALOGUE_SNAPSHOT`, else ../shared/reference/portal; skipped without one):
a few hundred records would make the ranking meaningless. The ranker changes while the words are
written, so the test holds a pass rate, not each line.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from full_catalogue import SNAPSHOT, find
from knowledge.catalogue_import import read_snapshot
from knowledge.catalogue_terms import TERMS, everyday_keywords, load_lexicon

TOP = 3
PASS_RATE = 0.80  # share of questions with an acceptable procedure among the first three

QUESTIONS = [
    ('ba em mat roi, ma truoc do ba co luong huu, me em co duoc lanh tien tuat ko', {'1.014178', '1.014179', '2.000821'}),
    ('chồng chị đi làm công ty 15 năm thì mất vì tai nạn, chị với hai đứa nhỏ có được nhận tiền gì của bảo hiểm không', {'1.014178', '1.014179', '2.000821'}),
    ('ông nhà mới mất còn mấy tháng lương hưu chưa nhận, bà lĩnh thay được không', {'2.000717', '1.014184'}),
    ('nghỉ làm cty rồi giờ muốn lấy tiền bảo hiểm ra 1 cục', {'1.014173', '1.001613'}),
    ('em tính rút bh 1 lần, nghỉ việc được 13 tháng rồi', {'1.014173', '1.001613'}),
    ('mẹ em năm nay đủ tuổi về hưu, đóng bảo hiểm đủ năm rồi, làm giấy tờ lãnh lương hưu sao', {'1.014171', '1.014172'}),
    ('bác em về quê sống, muốn đổi chỗ nhận lương hưu hằng tháng về xã', {'1.014176', '1.001742'}),
    ('vợ em mới đẻ, em là chồng có được tiền thai sản không', {'1.014168', '2.000693'}),
    ('đi đẻ được bảo hiểm trả bao nhiêu tiền, làm thủ tục sao', {'1.014166', '2.000693'}),
    ('e nằm viện 10 ngày, công ty có đóng bh, giờ đòi tiền ốm đau sao', {'1.014163', '1.001667'}),
    ('buôn bán ngoài chợ không có công ty thì đóng bảo hiểm tự nguyện để già có lương hưu ở đâu', {'1.002179'}),
    ('bị cắt giảm nhân sự, nghỉ việc tháng trước, đi làm hồ sơ hưởng thất nghiệp thế nào', {'1.014748'}),
    ('đang lãnh thất nghiệp mà có việc làm mới thì báo ngưng sao', {'1.014752'}),
    ('má em 82 tuổi không có lương hưu, xin tiền người già hằng tháng cho má', {'1.001776', '1.014027'}),
    ('ông tôi 77 tuổi không lương hưu, không có trợ cấp gì hết, đăng ký nhận tiền ở xã', {'1.014027', '1.001776'}),
    ('con trai em bị tự kỷ nặng, muốn xin giấy khuyết tật để được hưởng chế độ', {'1.001699'}),
    ('lam lai giay khuyet tat bi mat', {'1.001653'}),
    ('nhà em khó khăn lắm, chồng bệnh, muốn xin vào hộ nghèo', {'1.011607', '1.011606'}),
    ('nha minh lam an khá rồi, xin thoát nghèo', {'1.011608', '1.011606'}),
    ('bà cụ neo đơn trong xóm được nhận tiền bảo trợ vừa mất, hỗ trợ chôn cất', {'1.001731', '1.014028'}),
    ('ông nội em là liệt sĩ chôn ở quảng trị, giờ muốn bốc mộ đưa về quê', {'1.010829', '1.010830'}),
    ('nha em muon tim cho ong chu liet si hy sinh o dau de di tim mo', {'1.010831', '1.010794', '1.013746', '1.013747'}),
    ('muốn đi thăm mộ liệt sĩ ở nghĩa trang tỉnh khác có được hỗ trợ tiền đi lại không', {'1.013750'}),
    ('chú em là liệt sĩ, bà nội già rồi, xin chế độ cho bà', {'1.010801'}),
    ('bố em bị nhiễm da cam, con cái sinh ra bị dị tật có được hưởng trợ cấp không', {'1.010817', '1.010816'}),
    ('thằng con em 17 tuổi rồi, đi khai nghĩa vụ ở đâu', {'1.013133'}),
    ('em chuyển nhà qua tỉnh khác ở thì chuyển nghĩa vụ quân sự đi sao', {'1.013134', '1.013137'}),
    ('đi bộ đội về rồi thì đăng ký quân dự bị ở xã thế nào', {'1.013135'}),
    ('đăng ký thi vào lớp 10 công lập cho con', {'3.000181'}),
    ('con em vào lớp 6 năm nay, tuyển sinh trường cấp 2 làm hồ sơ gì', {'3.000182'}),
    ('chuyển nhà nên xin chuyển trường cho con đang học lớp 4', {'2.002854'}),
    ('con nghỉ học giữa chừng năm ngoái giờ muốn đi học lại', {'2.002857'}),
    ('em là con hộ nghèo đang học đại học, làm đơn miễn học phí ở đâu', {'1.014333', '1.014335'}),
    ('con em học cao đẳng nghề, nhà cận nghèo có được giảm học phí không', {'1.014333', '1.014335'}),
    ('lam mat bang cap 3, xin lai ban sao bang', {'3.000465', '2.002850'}),
    ('con bị khiếm thính học hòa nhập có được nhận học bổng không', {'1.001714'}),
    ('bác sĩ về hưu muốn mở phòng mạch tư tại nhà', {'1.012278'}),
    ('em là dược sĩ mới ra trường, làm cchn dược', {'1.014092', '1.014084'}),
    ('muốn mở quầy thuốc tây ở chợ xã thì xin giấy phép gì', {'1.014076'}),
    ('đầu năm làng tổ chức hội làng, rước kiệu, có cần xin phép xã không', {'1.003622', '1.013791'}),
    ('mấy ông trong xóm muốn lập clb bóng chuyền hơi người cao tuổi, đăng ký ở xã', {'2.000794'}),
    ('muốn làm thẻ hướng dẫn viên du lịch', {'1.004623', '1.004628'}),
    ('nhóm tin lành tụi em muốn đăng ký sinh hoạt đạo tại nhà một người', {'1.012590'}),
    ('muốn lập hội đồng hương ở xã thì làm sao', {'1.013703', '1.013702'}),
    ('I want to hire a foreigner, how does he get a work permit', {'1.014199'}),
    ('my work permit expires next month, how to extend it', {'1.014201'}),
    ('đi xklđ hàn quốc có được hỗ trợ vay tiền không', {'2.002820', '3.000581'}),
    ('heo bị dịch tả châu phi chết hết chuồng, xin tiền hỗ trợ', {'1.013997'}),
    ('rừng keo bị bão quật đổ hết, báo xã kiểm tra thiệt hại', {'1.012922'}),
    ('nhà bị cháy hết, không còn gì, xin trợ giúp khẩn cấp', {'1.011947', '2.000282'}),
    ('con em 3 tuổi đi mẫu giáo, nhà nghèo có được hỗ trợ tiền ăn trưa không', {'1.001622'}),
    ('bà nội em năm nay 85 tuổi, sống với con cháu, không có lương hưu, làm sao nhận tiền hàng tháng', {'1.001776', '1.014027'}),
    ('chị hàng xóm chồng bỏ đi, một mình nuôi 3 đứa con nhỏ, nhà nghèo, có được nhà nước trợ cấp gì không', {'1.001776'}),
    ('cháu em mồ côi cả cha lẫn mẹ, em nhận về nuôi, có được trợ cấp không', {'1.001776', '1.004941', '2.001944'}),
    ('xin giay chung nhan ho ngheo de con di hoc duoc mien hoc phi', {'1.011607', '1.011606', '1.014103'}),
    ('ong noi em la thuong binh, chuyen ve o voi con trai o xa khac, chuyen tro cap sao', {'1.010827'}),
    ('muon lam giay xac nhan la con liet si', {'1.010833', '1.010814'}),
    ('bà ngoại em được tặng mẹ việt nam anh hùng, hưởng chế độ thế nào', {'1.010804'}),
    ('ông em đi thanh niên xung phong hồi chống mỹ, có được trợ cấp không', {'2.001157', '2.001396'}),
    ('em muốn đi nhật theo diện thực tập sinh, xã có hỗ trợ vay vốn không', {'2.002820'}),
    ('e bi cong ty cho nghi viec, lam tro cap that nghiep o dau a', {'1.014748'}),
    ('tháng này em quên đi báo tìm việc ở trung tâm, có bị cắt thất nghiệp không', {'1.014750', '1.014749'}),
    ('con em học lớp 9, sắp thi lên lớp 10, hồ sơ đăng ký dự tuyển gồm gì', {'3.000181'}),
    ('mới chuyển nhà về xã, con đang học lớp 3 cần xin vào trường ở đây', {'2.002854'}),
    ('we moved to Vietnam, how do I enrol my child in a local school', {'2.002856'}),
    ('my son studied abroad and we came back, how can he continue school here', {'2.002855'}),
    ('em bị mất bằng đại học, muốn xin bản sao', {'3.000465', '2.002850'}),
    ('bằng tốt nghiệp cấp 3 ghi sai ngày sinh, sửa thế nào', {'3.000466'}),
    ('em là y sĩ muốn xin giấy phép hành nghề', {'1.012289', '1.012275', '1.012290'}),
    ('ông bà lang thuốc nam gia truyền có cần giấy phép không', {'1.012271', '1.012415', '1.012418'}),
    ('mở nhà thuốc cần giấy tờ gì', {'1.014076'}),
    ('con em tiêm vắc xin xong bị sốc phải cấp cứu, có được bồi thường không', {'1.001386'}),
    ('xin tóm tắt hồ sơ bệnh án để làm bảo hiểm', {'1.014128'}),
    ('mất thẻ bảo hiểm y tế, làm lại ở đâu', {'1.002759'}),
    ('mua bảo hiểm y tế hộ gia đình cho cả nhà thì đăng ký ở đâu', {'1.014137', '1.001939'}),
    ('đi khám bệnh quên mang thẻ bhyt, đã trả tiền, giờ xin bảo hiểm trả lại được không', {'1.014140', '1.001656'}),
    ('làng em mở hội đua thuyền đầu năm, cần báo cáo những gì', {'1.003622', '1.013791'}),
    ('xã em muốn treo băng rôn quảng cáo sản phẩm dọc đường', {'1.004650'}),
    ('em muốn mở phòng tập gym nhỏ', {'1.002396'}),
    ('open a gym in vietnam license', {'1.002396'}),
    ('thôn em muốn đăng ký hoạt động tín ngưỡng ở đình làng hằng năm', {'1.012592', '1.012591'}),
    ('giáo xứ muốn tổ chức rước lễ ngoài nhà thờ dịp giáng sinh', {'1.013797', '1.012606'}),
    ('đoàn thể muốn lập quỹ khuyến học của dòng họ', {'1.014942'}),
    ('con trai em mới 17, năm nay đi đăng ký nghĩa vụ quân sự ở đâu', {'1.013133'}),
    ('em đi học đại học ở hà nội, phải làm thủ tục nghĩa vụ quân sự tạm vắng không', {'1.013138'}),
    ('nhà bị lợn chết vì dịch tả, xã có hỗ trợ không', {'1.013997'}),
    ('muốn xin mã số cơ sở chăn nuôi cho trại heo', {'1.014952'}),
    ('nuôi cá lồng trong hồ thủy lợi có cần giấy phép không', {'2.001791', '1.014862'}),
    ('ông nội em có huân chương kháng chiến, giờ mất rồi, gia đình được mai táng phí không', {'1.010824', '1.010819'}),
    ('con thương binh học đại học có được miễn học phí không', {'1.010821', '1.014333'}),
    ('người nước ngoài xin giấy phép lao động', {'1.014199'}),
    ('công ty em thuê chuyên gia nước ngoài, gia hạn giấy phép lao động cho họ', {'1.014201'}),
    ('bố em chết năm ngoái, đang hưởng lương hưu, mẹ em có được hưởng tiền tuất không', {'1.014178', '1.014179', '2.000821'}),
    ('em đóng bảo hiểm được 8 năm rồi nghỉ, giờ muốn lấy tiền ra', {'1.014173', '1.001613'}),
    ('con ốm phải nghỉ làm chăm con có được bảo hiểm trả tiền không', {'1.014163', '1.001667'}),
    ('chồng em mất, trước đây anh ấy đi làm có đóng bảo hiểm 12 năm, em muốn hỏi về chế độ tử tuất', {'1.014178', '1.014179', '2.000821'}),
    ('me toi dang huong luong huu, gio muon nhan qua the atm thay vi ra buu dien', {'1.014176', '1.001742'}),
    ('cty chốt sổ bảo hiểm cho em rồi, giờ em muốn nhận bảo hiểm xã hội 1 lần', {'1.014173', '1.001613'}),
    ('em mới sinh bé được 2 tháng, làm sao nhận tiền thai sản, em đóng bảo hiểm tự nguyện', {'1.014170'}),
    ('ba em 80 tuoi roi ma chua co tien tro cap nguoi gia', {'1.001776', '1.014027'}),
    ('nhà em có em trai bị câm điếc bẩm sinh, muốn làm giấy xác nhận mức độ khuyết tật', {'1.001699'}),
    ('ông bác em bị ung thư giai đoạn cuối, nhà thuộc hộ cận nghèo, xã có trợ giúp gì không', {'1.011947'}),
    ('hộ em bị rớt khỏi danh sách cận nghèo, giờ muốn xét lại', {'1.011607', '1.011606'}),
    ('gia đình em có liệt sĩ chưa tìm được hài cốt, muốn lấy mẫu adn để so', {'1.013747', '1.013746'}),
    ('bác em là thương binh 4/4, bị mất giấy chứng nhận thương binh', {'1.010814'}),
    ('muốn nhận trợ cấp thờ cúng liệt sĩ vì ông bà đã mất hết', {'1.010803'}),
    ('chú em bị thương hồi đánh biên giới nhưng chưa được công nhận thương binh', {'1.010806'}),
    ('em 18 tuổi rồi mà chưa đăng ký nghĩa vụ quân sự, giờ làm sao', {'1.013133'}),
    ('em mới chuyển hộ khẩu về xã này, phải đăng ký nghĩa vụ quân sự lại không', {'1.013137'}),
    ('con em thi trượt lớp 10 công lập, muốn học trường tư thì đăng ký thế nào', {'3.000181'}),
    ('con tôi năm nay lên lớp 6 trường huyện', {'3.000182'}),
    ('xin mien hoc phi cho con hoc cao dang o truong tu', {'1.014335'}),
    ('con em học trường mầm non tư thục, nhà khó khăn có được hỗ trợ gì không', {'1.014337', '1.001622'}),
    ('bằng cấp 2 của em bị mất, xin cấp bản sao', {'3.000465', '2.002850'}),
    ('muốn mở phòng khám nha khoa ở thị trấn', {'1.012278'}),
    ('em là điều dưỡng, giấy phép hành nghề sắp hết hạn', {'1.012291', '1.012289'}),
    ('muốn đứng tên quầy thuốc cần chứng chỉ gì', {'1.014092', '1.014084', '1.014076'}),
    ('làng em có lễ hội cầu ngư hàng năm, năm nay tổ chức lớn, báo xã thế nào', {'1.003622', '1.013791'}),
    ('tổ chức đêm văn nghệ gây quỹ từ thiện ở sân trường cần xin phép không', {'1.009397'}),
    ('muốn thành lập câu lạc bộ võ thuật cho thiếu nhi trong xã', {'2.000794', '1.000544'}),
    ('tụi em mở homestay, muốn làm thẻ hướng dẫn viên tại điểm', {'1.001440'}),
    ('nhóm phật tử muốn sinh hoạt tập trung tại nhà một đạo hữu', {'1.012590'}),
    ('chùa em muốn tổ chức đại lễ vu lan ngoài khuôn viên chùa', {'1.013797'}),
    ('I want to renew the work permit for my foreign teacher', {'1.014201'}),
    ('how can a foreigner get a work permit exemption', {'1.014196'}),
    ('đi lao động hàn quốc bị về nước trước hạn vì công ty phá sản, có được hỗ trợ không', {'1.014347'}),
    ('con em đi xuất khẩu lao động bên đài loan bị tai nạn mất, gia đình được hỗ trợ gì', {'1.014350'}),
    ('xã có lớp học nghề miễn phí cho thanh niên nông thôn không', {'2.002821'}),
    ('dịch cúm gia cầm làm gà nhà em chết hết, xin hỗ trợ', {'1.013997'}),
    ('keo trồng bị cháy rừng mất hết, báo ai kiểm tra', {'1.012922'}),
    ('hội nuôi ong của xã muốn thành lập chính thức', {'1.013703', '1.013702'}),
    ('em muốn giải thể hội cựu học sinh', {'1.013708'}),
    ('hồi đó đi thanh niên xung phong ở trường sơn, giờ làm chế độ thế nào', {'2.001157', '2.001396'}),
    ('ông em mất rồi, ông là cựu chiến binh, có được tiền mai táng không', {'2.002307'}),
    ('em bị sẩy thai, có được nghỉ hưởng bảo hiểm không', {'1.014165'}),
    ('giấy đăng ký kết hôn của bố mẹ em bị mất hồi lũ, giờ làm lại thế nào', {'1.004746', '2.000507'}),
    ('bà nội mất lâu rồi mà giấy chứng tử bị thất lạc', {'1.005461', '2.000616'}),
    ('ông chú em 40 tuổi rồi mà chưa từng có giấy khai sinh', {'1.004772'}),
    ('vợ chồng em chưa đăng ký kết hôn, giờ làm khai sinh cho con có tên bố được không', {'1.000689'}),
    ('em lấy chồng hàn, muốn đăng ký kết hôn ở việt nam', {'2.000806', '1.000094'}),
    ('I want to marry my Vietnamese girlfriend, how do we register', {'2.000806'}),
    ('con em sinh bên đài loan, về việt nam muốn ghi chú khai sinh', {'2.000712', '1.001020', '2.000608'}),
    ('muốn chở 20 con heo sang tỉnh khác bán thì xin giấy kiểm dịch ở đâu', {'1.002338'}),
    ('hợp tác xã muốn đăng ký sản phẩm ocop', {'3.000611'}),
    ('cô em muốn nhận đứa cháu làm con nuôi', {'2.001263'}),
    ('ba toi mat thang truoc, ong co so huu tri, gia dinh duoc nhan nhung khoan gi', {'1.014178', '1.014179', '2.000821', '1.014177', '2.000717'}),
    ('e nghỉ làm công nhân được 1 năm, muốn lãnh bảo hiểm xã hội 1 lần thì nộp đâu', {'1.014173', '1.001613'}),
    ('mẹ chồng em 78 tuổi không có lương hưu, không có trợ cấp gì, xin trợ cấp ở đâu', {'1.014027', '1.001776'}),
    ('thằng em bị thiểu năng trí tuệ, nhà muốn làm giấy khuyết tật để hưởng trợ cấp', {'1.001699', '1.001776'}),
    ('nhà em nghèo lắm, năm nay xã có xét hộ nghèo không, nộp đơn ở đâu', {'1.011607', '1.011606'}),
    ('ông cố em là liệt sĩ, hài cốt đang ở nghĩa trang bên lào về, gia đình muốn cải táng về quê', {'1.010829', '1.010830'}),
    ('có cách nào biết ông em hy sinh ở mặt trận nào không', {'1.010831', '1.010794'}),
    ('mẹ em là vợ liệt sĩ, đã đi bước nữa, có còn được hưởng chế độ không', {'1.010802'}),
    ('con trai tôi tháng 1 năm sau đủ 17, bao giờ phải đi đăng ký nghĩa vụ', {'1.013133'}),
    ('hết 2 năm quân ngũ về địa phương thì phải làm giấy tờ gì với ban chỉ huy quân sự', {'1.013135'}),
    ('con em năm nay thi tuyển vào lớp mười, nộp hồ sơ ở đâu', {'3.000181'}),
    ('nha em chuyen vao binh duong, xin chuyen truong cho 2 dua nho', {'2.002854'}),
    ('sinh viên trường cao đẳng công lập, nhà hộ nghèo, được giảm học phí bao nhiêu', {'1.014333'}),
    ('bằng tốt nghiệp thpt bị mối ăn, xin cấp lại', {'2.002850', '3.000465'}),
    ('bác sĩ muốn mở phòng khám nhi tại nhà', {'1.012278'}),
    ('mình muốn mở tiệm thuốc tây gần chợ thì cần chứng chỉ gì', {'1.014076', '1.014092', '1.014084'}),
    ('con tôi tiêm phòng xong bị co giật phải nhập viện, nhà nước có bồi thường không', {'1.001386'}),
    ('xã tổ chức giải đua thuyền truyền thống dịp lễ hội, có phải đăng ký không', {'1.003622', '1.013791'}),
    ('nhóm phụ nữ muốn lập câu lạc bộ dưỡng sinh, khiêu vũ thì đăng ký ở đâu', {'2.000794'}),
    ('hội thánh tin lành muốn đăng ký điểm nhóm sinh hoạt ở xã', {'1.012590'}),
    ('how do I extend my work permit in Vietnam', {'1.014201'}),
    ('em muốn đi xuất khẩu lao động nhật, nhà nghèo có được vay vốn ưu đãi không', {'2.002820'}),
    ('heo trong trại bị dịch tả châu phi phải tiêu hủy, xin hỗ trợ', {'1.013997'}),
    ('ông bà em muốn nhận thằng cháu nội mồ côi về nuôi, có được hỗ trợ tiền không', {'1.001776', '1.004941', '2.001944'}),
    ('em đóng bhxh tự nguyện được 5 năm, giờ muốn dừng nhận tiền 1 lần được không', {'1.014173', '1.001613'}),
    ('sau sinh mổ được nghỉ dưỡng sức mấy ngày, làm hồ sơ sao', {'1.014169', '1.001598'}),
    ('đi làm bị tai nạn gãy chân, công ty có đóng bảo hiểm, làm chế độ tai nạn lao động', {'1.001632'}),
    ('bà nội già yếu không đi lĩnh lương hưu được, nhờ con lĩnh thay thì làm giấy gì', {'1.001601'}),
    ('muốn xác nhận quá trình đóng bảo hiểm để làm lương hưu', {'1.014185'}),
    ('nhà thờ họ nhà em muốn đăng ký lễ giỗ tổ hằng năm với xã', {'1.012592', '1.012591'}),
    ('xin phép tổ chức biểu diễn ca nhạc ngoài trời ở sân vận động xã', {'1.009397'}),
    ('cô giáo về hưu muốn mở lớp dạy võ vovinam cho trẻ em', {'2.000794', '1.000544', '1.002396'}),
    ('treo bảng hiệu quảng cáo cho cửa hàng có phải xin phép không', {'1.004650'}),
    ('cho em hỏi thủ tục công nhận câu lạc bộ thể thao ở xã', {'2.000794'}),
    ('mở hồ bơi cho thuê ở khu dân cư cần giấy chứng nhận đủ điều kiện gì', {'1.000883'}),
    ('thầy lang chữa bệnh bằng thuốc nam gia truyền muốn xin giấy phép', {'1.012271', '1.012415', '1.012418'}),
    ('bệnh viện bắt tóm tắt hồ sơ bệnh án để làm bảo hiểm nhân thọ', {'1.014128'}),
    ('em là dược sĩ, bị mất chứng chỉ hành nghề dược', {'1.014100'}),
    ('xin hỗ trợ mua xe lăn cho bố là thương binh', {'1.010811', '1.010787'}),
    ('ông ngoại bị địch bắt tù đày thời chống mỹ, giờ xin hưởng chế độ', {'1.010818'}),
    ('mộ liệt sĩ không có tên, gia đình nghi là ông nội, muốn xét nghiệm adn', {'1.013747', '1.013746'}),
    ('gia đình liệt sĩ muốn xin cấp lại bằng tổ quốc ghi công bị mất', {'1.010778'}),
    ('con em bị bố đánh đập thường xuyên, xin can thiệp bảo vệ cháu', {'1.004946', '2.001947'}),
    ('nhà em muốn nhận chăm sóc một bé bị bỏ rơi ở trung tâm bảo trợ', {'1.004941', '2.001942'}),
    ('em bị nghiện muốn tự nguyện đi cai', {'3.000527'}),
    ('ông em 90 tuổi, không ai chăm sóc, xin vào trung tâm bảo trợ xã hội', {'2.000286'}),
    ('muốn thành lập quỹ từ thiện cấp xã', {'1.014942'}),
    ('hội cựu chiến binh xã muốn đổi tên hội', {'1.013706'}),
    ('con em đậu cử tuyển, làm hồ sơ thế nào', {'1.009394'}),
    ('em muốn thi lại tốt nghiệp cấp 3 năm nay', {'1.005142'}),
    ('đăng ký phúc khảo điểm thi tốt nghiệp', {'1.005095'}),
    ('nhà nuôi gà muốn xin giấy kiểm dịch để bán gà sang tỉnh khác', {'1.002338'}),
    ('trại heo của em cần đăng ký mã số cơ sở chăn nuôi không', {'1.014952'}),
    ('nuôi cá lồng trên sông có cần giấy phép không', {'2.001791', '1.014862'}),
    ('cho e hoi rut bhxh 1 lan can nhung giay to gi a', {'1.014173', '1.001613'}),
    ('e muon lanh tien thai san ma cty k lam cho, tu lam dc k', {'1.014166', '2.000693', '1.014170'}),
    ('chong e mat vi tai nan lao dong, e dc huong tuat ko', {'1.014178', '1.014179', '2.000821'}),
    ('me e nhan luong huu o bd, gio muon chuyen sang nhan qua tk ngan hang', {'1.014176', '1.001742'}),
    ('ba noi 86 tuoi chua co tien tro cap ng gia', {'1.001776', '1.014027'}),
    ('con e bi khuyet tat nang, lam giay xac nhan muc do khuyet tat o dau', {'1.001699'}),
    ('nha e can ngheo, xin the bhyt mien phi cho ca nha', {'1.014137', '1.001939'}),
    ('ong e la thuong binh, moi mat, thu tuc huong tro cap mai tang', {'1.010824'}),
    ('dang ky nvqs lan dau can mang gi', {'1.013133'}),
    ('xin chuyen truong cho con tu tinh khac ve', {'2.002854'}),
    ('con e hoc dai hoc, nha ho ngheo, lam don mien giam hoc phi', {'1.014333', '1.014335'}),
    ('mat bang tot nghiep thcs xin cap ban sao', {'3.000465', '2.002850'}),
    ('nghi viec dc 2 thang, lam tro cap that nghiep con kip ko', {'1.014748'}),
    ('e dang huong that nghiep thi co viec moi, bao sao', {'1.014752'}),
    ('lam the huong dan vien du lich noi dia can gi', {'1.004623'}),
]


@pytest.fixture(scope="module")
def snapshot() -> Path:
    if SNAPSHOT is None:
        pytest.skip("no portal snapshot (set CATALOGUE_SNAPSHOT)")
    return SNAPSHOT


def test_residents_questions_find_their_procedure_among_the_first_three(snapshot: Path):
    result = find(QUESTIONS, TOP)
    print(result.line("domain B", TOP))
    assert result.found >= PASS_RATE, "\n".join(f"{q!r}: {titles}" for q, titles in result.missed)


def test_every_code_the_words_name_is_in_the_catalogue(snapshot: Path):
    """A mistyped code would silently give its words to nothing."""
    known = {row["code"] for row in read_snapshot(snapshot)}
    data = yaml.safe_load((TERMS / "domain_b.yaml").read_text(encoding="utf-8"))
    named = {str(code) for term in data["terms"] for code in term.get("codes") or []}
    assert named and named <= known, sorted(named - known)
    assert {c for _, codes in QUESTIONS for c in codes} <= known


def test_a_code_written_without_quotes_still_reaches_its_procedure(tmp_path):
    """YAML reads 1.001440 as the number 1.00144; the words must still reach 1.001440."""
    (tmp_path / "terms.yaml").write_text("terms:\n  - codes: [1.001440, '1.014350']\n    everyday: [thẻ hdv]\n",
                                         encoding="utf-8")
    lexicon = load_lexicon(tmp_path)
    assert everyday_keywords("Thủ tục cấp thẻ hướng dẫn viên du lịch tại điểm", [], lexicon, "1.001440") == ["thẻ hdv"]
    assert everyday_keywords("Hỗ trợ thân nhân", [], lexicon, "1.014350") == ["thẻ hdv"]
    assert everyday_keywords("Hỗ trợ thân nhân", [], lexicon, "1.00144") == []
