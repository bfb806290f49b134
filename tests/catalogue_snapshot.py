"""A small portal snapshot of the tests' own, in the snapshot's format (catalog.jsonl, details/,
provinces.json): 37 real catalogue records (ten that the conversation test asks about, their
siblings and near neighbours as distractors) and two detail records written for the tests."""
from __future__ import annotations

import json
from pathlib import Path

RECORDS = [  # fields as in catalog.jsonl
    {'id': '019d2bfb-8915-70aa-a67f-adceef7fd0ee', 'name': 'Thủ tục đăng ký nghĩa vụ quân sự lần đầu', 'code': '1.013133', 'categories': ['Nghĩa vụ quân sự'], 'departments': ['Ban chỉ huy quân sự cấp Xã'], 'departmentPromulgate': 'Bộ Quốc phòng', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfb-891e-73e0-8823-06929adaa622', 'name': 'Thủ tục đăng ký nghĩa vụ quân sự chuyển đi khi thay đổi nơi cư trú hoặc nơi làm việc, học tập', 'code': '1.013134', 'categories': ['Nghĩa vụ quân sự'], 'departments': ['Ban chỉ huy quân sự cấp Xã'], 'departmentPromulgate': 'Bộ Quốc phòng', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfb-8919-729c-998c-21b7920c7a78', 'name': 'Thủ tục đăng ký nghĩa vụ quân sự tạm vắng', 'code': '1.013138', 'categories': ['Nghĩa vụ quân sự'], 'departments': ['Ban chỉ huy quân sự cấp Xã'], 'departmentPromulgate': 'Bộ Quốc phòng', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfb-8910-71a2-b343-824dd6560107', 'name': 'Thủ tục Đăng ký nghĩa vụ quân sự bổ sung', 'code': '1.013136', 'categories': ['Nghĩa vụ quân sự'], 'departments': ['Ban chỉ huy quân sự cấp Xã'], 'departmentPromulgate': 'Bộ Quốc phòng', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019e4f04-8e6e-72c9-99e6-b2edd45b4a83', 'name': '\tChuyển trường và tiếp nhận học sinh', 'code': '2.002854', 'categories': ['Giáo dục và Đào tạo thuộc hệ thống giáo dục quốc dân'], 'departments': ['Cơ sở giáo dục'], 'departmentPromulgate': 'Bộ Giáo dục và Đào tạo', 'formalityTargetType': ['Công dân Việt Nam', 'Người nước ngoài', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bf8-b856-736a-9b29-6716bbb9e465', 'name': 'Chuyển ngành, nghề học, chuyển trường, chuyển nước đến học', 'code': '1.010627', 'categories': ['Giáo dục, đào tạo với nước ngoài'], 'departments': ['Cục Hợp tác quốc tế - Bộ giáo dục đào tạo'], 'departmentPromulgate': 'Bộ Giáo dục và Đào tạo', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfa-0929-7304-8c4e-e9aea3f674ff', 'name': 'Đăng ký khai thác nước dưới đất', 'code': '1.001662', 'categories': ['Tài nguyên nước'], 'departments': ['Chủ tịch UBND cấp xã', 'Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfa-307e-73c8-b0e1-dc6add6341d7', 'name': 'Cấp giấy phép khai thác nước dưới đất đối với công trình có quy mô dưới 5.000 m3/ngày đêm', 'code': '1.004223', 'categories': ['Tài nguyên nước'], 'departments': ['Sở Nông nghiệp và Môi trường Thành phố Hải Phòng', 'Sở Nông nghiệp và Môi trường Thành phố Hà Nội'], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfb-d76d-737f-81b9-69258b07240b', 'name': 'Đăng ký thành lập hộ kinh doanh', 'code': '1.001612', 'categories': ['Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Tài chính', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfb-d748-72d1-848f-3607bc86e647', 'name': 'Chấm dứt hoạt động hộ kinh doanh', 'code': '1.001266', 'categories': ['Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Tài chính', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfb-d768-7446-bd77-3bb11051041c', 'name': 'Tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo của hộ kinh doanh', 'code': '1.001570', 'categories': ['Thành lập và hoạt động doanh nghiệp (hộ kinh doanh)'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Tài chính', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bf8-526e-75a6-bafe-148cf029f697', 'name': 'THỦ TỤC ĐĂNG KÝ HOẠT ĐỘNG TÍN NGƯỠNG (CẤP XÃ)', 'code': '1.012592', 'categories': ['Tín ngưỡng, tôn giáo'], 'departments': ['', 'Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Dân tộc và Tôn giáo', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bf8-5292-7259-bdc8-9c9e32f3c5f1', 'name': 'THỦ TỤC ĐĂNG KÝ BỔ SUNG HOẠT ĐỘNG TÍN NGƯỠNG (CẤP XÃ)', 'code': '1.012591', 'categories': ['Tín ngưỡng, tôn giáo'], 'departments': ['', 'Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Dân tộc và Tôn giáo', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfd-c4cb-734d-bb80-29723a707c08', 'name': 'Thủ tục thông báo tổ chức lễ hội cấp xã', 'code': '1.003622', 'categories': ['Văn hóa'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Văn hóa, Thể thao và Du lịch', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfd-ec2b-7125-824c-c4bea27bd2c8', 'name': 'Thủ tục tiếp nhận hồ sơ đăng ký lễ hội quy mô cấp xã', 'code': '1.013791', 'categories': ['Văn hóa'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Văn hóa, Thể thao và Du lịch', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bff-2d33-76fe-bd90-4f37b18e4401', 'name': 'Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm đối với cơ sở kinh doanh dịch vụ ăn uống, cơ sở sản xuất thực phẩm thuộc phạm vi quản lý của Bộ Y tế', 'code': '1.013855', 'categories': ['An toàn thực phẩm'], 'departments': ['Sở An toàn thực phẩm - TP.HCM', 'Ủy ban nhân dân cấp xã', 'Sở Y tế'], 'departmentPromulgate': 'Bộ Y tế', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Người nước ngoài', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Tổ chức nước ngoài', 'Doanh nghiệp có vốn đầu tư nước ngoài', 'Hợp tác xã', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bfd-ad75-7498-8351-f28ea12bf605', 'name': 'Thủ tục cấp giấy phép đủ điều kiện kinh doanh dịch vụ karaoke', 'code': '1.001029', 'categories': ['Văn hóa'], 'departments': ['', 'Sở Văn hóa và Thể thao Thành phố Hà Nội', 'Sở Văn hóa, Thể thao và Du lịch'], 'departmentPromulgate': 'Bộ Văn hóa, Thể thao và Du lịch', 'formalityTargetType': ['Doanh nghiệp', 'Hợp tác xã'], 'type': 'STANDARD'},
    {'id': '019d2bfd-ad8c-755d-9164-f3cec0ae3fb0', 'name': 'Thủ tục cấp giấy phép đủ điều kiện kinh doanh dịch vụ vũ trường', 'code': '1.001008', 'categories': ['Văn hóa'], 'departments': ['', 'Sở Văn hóa và Thể thao Thành phố Hà Nội'], 'departmentPromulgate': 'Bộ Văn hóa, Thể thao và Du lịch', 'formalityTargetType': ['Doanh nghiệp', 'Hợp tác xã'], 'type': 'STANDARD'},
    {'id': '019d2bfa-fbf8-727d-a4be-847d1f9944ce', 'name': 'Cấp lại Bằng “Tổ quốc ghi công”', 'code': '1.010778', 'categories': ['Người có công'], 'departments': ['Bộ Nội vụ', 'Thủ tướng Chính phủ', ''], 'departmentPromulgate': 'Bộ Nội vụ', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfa-f478-708b-8987-c219c8eed130', 'name': 'Cấp Bằng “Tổ quốc ghi công”', 'code': '1.010772', 'categories': ['Người có công'], 'departments': ['Bộ Công an', 'Bộ Quốc phòng', 'Thủ tướng Chính phủ', 'Ủy ban nhân dân cấp tỉnh'], 'departmentPromulgate': 'Bộ Nội vụ', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfd-8e3d-737e-8aca-295dd1f2ea9f', 'name': 'Thủ tục yêu cầu trợ giúp pháp lý', 'code': '2.000829', 'categories': ['Trợ giúp pháp lý'], 'departments': ['Trung tâm trợ giúp pháp lý nhà nước', 'Tổ chức hành nghề luật sư', 'Tổ chức tư vấn pháp luật'], 'departmentPromulgate': 'Bộ Tư pháp', 'formalityTargetType': ['Công dân Việt Nam', 'Người nước ngoài', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bfd-8670-738c-ab16-92d43c3728c0', 'name': 'Thủ tục giải quyết khiếu nại về trợ giúp pháp lý', 'code': '2.000592', 'categories': ['Trợ giúp pháp lý'], 'departments': ['Giám đốc Sở Tư pháp', 'Người đứng đầu của tổ chức thực hiện trợ giúp pháp lý'], 'departmentPromulgate': 'Bộ Tư pháp', 'formalityTargetType': ['Công dân Việt Nam', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bfa-2864-76fe-9234-7c54e1661f21', 'name': 'Cấp giấy chứng nhận đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản', 'code': '1.003650', 'categories': ['Thủy sản'], 'departments': [''], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Người nước ngoài', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Tổ chức nước ngoài', 'Doanh nghiệp có vốn đầu tư nước ngoài', 'Hợp tác xã', 'Người Việt Nam định cư ở nước ngoài', 'Cán bộ, công chức, viên chức'], 'type': 'STANDARD'},
    {'id': '019d2bfa-2869-773c-8a80-8ded06a65be6', 'name': 'Cấp lại giấy chứng nhận đăng ký tàu cá, tàu phục vụ nuôi trồng thủy sản', 'code': '1.003634', 'categories': ['Thủy sản'], 'departments': [''], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Hợp tác xã'], 'type': 'STANDARD'},
    {'id': '019d2bfa-3815-712d-a33f-c571e5d7fdc2', 'name': 'Cấp, cấp lại Giấy phép khai thác thủy sản', 'code': '1.004359', 'categories': ['Thủy sản'], 'departments': [''], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Hợp tác xã', 'Cán bộ, công chức, viên chức'], 'type': 'STANDARD'},
    {'id': '019d943b-84b5-717d-a3c5-a36db3c5fb1c', 'name': 'Hỗ trợ tàu cá thiệt hại do thiên tai gây ra trên biển', 'code': '1.014569', 'categories': ['Thủy sản'], 'departments': ['Phòng Kinh tế cấp xã'], 'departmentPromulgate': 'UBND tỉnh Thanh Hóa', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Hợp tác xã'], 'type': 'SPECIFIC'},
    {'id': '019d944f-92a4-75ea-9e0a-cdbf2a976ae4', 'name': 'Hỗ trợ giải bản tàu cá không có nhu cầu hoạt động khai thác thủy sản.', 'code': '1.014599', 'categories': ['Thủy sản'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'UBND Thành phố Huế', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Hợp tác xã'], 'type': 'SPECIFIC'},
    {'id': '019d2bff-2d80-74d8-8515-90f6f61822f0', 'name': 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp hưu trí xã hội', 'code': '1.014027', 'categories': ['Bảo trợ xã hội'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Y tế', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfe-b7e6-740b-9573-24f800e8664d', 'name': 'Thực hiện, điều chỉnh, thôi hưởng trợ cấp xã hội hàng tháng, hỗ trợ kinh phí chăm sóc, nuôi dưỡng hàng tháng', 'code': '1.001776', 'categories': ['Bảo trợ xã hội'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Y tế', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bfe-b7dd-7239-b166-b6cd79d326b8', 'name': 'Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội', 'code': '1.001731', 'categories': ['Bảo trợ xã hội'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Y tế', 'formalityTargetType': ['Công dân Việt Nam', 'Tổ chức (không bao gồm doanh nghiệp, HTX)'], 'type': 'STANDARD'},
    {'id': '019d2bfd-6eb3-7019-bf3f-fc58c9ee44b9', 'name': 'Thủ tục cấp Giấy xác nhận tình trạng hôn nhân', 'code': '1.004873', 'categories': ['Hộ tịch'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Tư pháp', 'formalityTargetType': ['Công dân Việt Nam', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bf7-bda8-740c-9f49-ddaae438530d', 'name': 'Đổi giấy phép lái xe', 'code': '3.000347', 'categories': ['Sát hạch, cấp giấy phép lái xe'], 'departments': ['', '', 'Công an cấp Xã'], 'departmentPromulgate': 'Bộ Công an', 'formalityTargetType': ['Công dân Việt Nam', 'Người nước ngoài', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bf7-bdb6-7217-affe-2819858d612c', 'name': 'Cấp lại giấy phép lái xe', 'code': '3.000348', 'categories': ['Sát hạch, cấp giấy phép lái xe'], 'departments': ['', '', 'Công an cấp Xã'], 'departmentPromulgate': 'Bộ Công an', 'formalityTargetType': ['Công dân Việt Nam', 'Người nước ngoài', 'Người Việt Nam định cư ở nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bfe-9088-744d-aa0a-e846b6dce3d5', 'name': 'Cấp giấy phép xây dựng mới đối với công trình cấp III, cấp IV (Công trình không theo tuyến/Theo tuyến trong đô thị/Tín ngưỡng, tôn giáo/Tượng đài, tranh hoành tráng/Theo giai đoạn cho công trình không theo tuyến/Theo giai đoạn cho công trình theo tuyến trong đô thị/Dự án) và nhà ở riêng lẻ', 'code': '1.013225', 'categories': ['Hoạt động xây dựng'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Xây dựng', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Doanh nghiệp có vốn đầu tư nước ngoài'], 'type': 'STANDARD'},
    {'id': '019d2bfa-6008-72cb-9e63-83483f3a6e49', 'name': 'Công nhận hộ nghèo, hộ cận nghèo thường xuyên hằng năm', 'code': '1.011607', 'categories': ['Giảm nghèo'], 'departments': ['Ủy ban nhân dân cấp xã', 'Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam'], 'type': 'STANDARD'},
    {'id': '019d2bf7-adb7-7329-8d7c-db89ef073ced', 'name': 'Thông báo lưu trú', 'code': '2.001159', 'categories': ['Đăng ký, quản lý cư trú'], 'departments': ['Công an cấp Xã'], 'departmentPromulgate': 'Bộ Công an', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Hợp tác xã', 'Cán bộ, công chức, viên chức'], 'type': 'STANDARD'},
    {'id': '019db494-5774-749f-b14b-be2d4b4635a2', 'name': 'Cấp mã số định danh cơ sở chăn nuôi', 'code': '1.014952', 'categories': ['Chăn nuôi'], 'departments': ['Cơ quan được Chủ tịch Ủy ban nhân dân cấp tỉnh giao tiếp nhận hồ sơ giải quyết thủ tục hành chính'], 'departmentPromulgate': 'Bộ Nông nghiệp và Môi trường', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Đảng viên', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Tổ chức nước ngoài', 'Doanh nghiệp Việt Nam', 'Doanh nghiệp có vốn đầu tư nước ngoài', 'Hợp tác xã'], 'type': 'STANDARD'},
    {'id': '019d2bfe-9097-700f-899f-6dfc532f0e6b', 'name': 'Gia hạn giấy phép xây dựng đối với công trình cấp III, cấp IV (công trình Không theo tuyến/Theo tuyến trong đô thị/Tín ngưỡng, tôn giáo/Tượng đài, tranh hoành tráng/Sửa chữa, cải tạo/Theo giai đoạn cho công trình không theo tuyến/Theo giai đoạn cho công trình theo tuyến trong đô thị/Dự án) và nhà ở riêng lẻ', 'code': '1.013227', 'categories': ['Hoạt động xây dựng'], 'departments': ['Ủy ban nhân dân cấp xã'], 'departmentPromulgate': 'Bộ Xây dựng', 'formalityTargetType': ['Công dân Việt Nam', 'Doanh nghiệp', 'Tổ chức (không bao gồm doanh nghiệp, HTX)', 'Hợp tác xã', 'Cán bộ, công chức, viên chức'], 'type': 'STANDARD'},
]

PROVINCES = ["Thành phố Hà Nội", "Tỉnh Thanh Hóa", "Thành phố Hải Phòng", "Tỉnh Nghệ An"]

DETAILS = {
    "1.013133": {
        "executionMethods": [
            {"submissionMethod": "DIRECT", "processingTime": 1, "processingTimeUnit": "WORKING_DAY",
             "fees": [{"type": "FEE", "value": 0, "description": "Không thu lệ phí"}]},
            {"submissionMethod": "ONLINE", "processingTime": 1, "processingTimeUnit": "WORKING_DAY", "fees": []},
        ],
        "executionCases": [{"name": "Hồ sơ", "profileComponents": [
            {"name": "- Bản chụp căn cước của công dân"},
            {"name": "- Phiếu tự khai thông tin nghĩa vụ quân sự"},
        ]}],
        "executingAgencies": "Ban Chỉ huy quân sự cấp xã", "isOfflineOnly": False, "isWard": True,
    },
    "2.000829": {
        "executionMethods": [{"submissionMethod": "DIRECT", "processingTime": 0, "processingTimeUnit": "OTHER",
                              "fees": [{"type": "FEE", "value": 0, "description": "Miễn phí"}]}],
        "executionCases": [{"name": "Hồ sơ", "profileComponents": [{"name": "Đơn yêu cầu trợ giúp pháp lý"}]}],
        "cases": [{"processingDay": {"qty": 2, "type": "WORKING_DAY"}}],
        "executingAgencies": "Trung tâm trợ giúp pháp lý nhà nước", "isOfflineOnly": True,
    },
}


def write_snapshot(folder: Path, records: list[dict] | None = None, details: dict | None = None) -> Path:
    """Write a snapshot folder; `records`/`details` default to the module's."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "catalog.jsonl").open("w", encoding="utf-8") as f:
        for record in records if records is not None else RECORDS:
            f.write(json.dumps({**record, "codeNotation": record["code"], "state": "ACTIVE"}, ensure_ascii=False) + "\n")
    (folder / "details").mkdir(exist_ok=True)
    for code, detail in (details if details is not None else DETAILS).items():
        (folder / "details" / f"{code}.json").write_text(
            json.dumps({"code": "OK", "data": {"code": code, **detail}}, ensure_ascii=False), encoding="utf-8")
    rows = [{"id": str(n), "name": name, "code": f"{n:02d}", "state": "ACTIVE"} for n, name in enumerate(PROVINCES)]
    (folder / "provinces.json").write_text(json.dumps({"code": "OK", "data": {"rows": rows}}, ensure_ascii=False),
                                           encoding="utf-8")
    return folder


def record(code: str) -> dict:
    return next(r for r in RECORDS if r["code"] == code)
