"""Splitting the input into numbered, normalised lines and dropping web-page furniture."""

from __future__ import annotations

import re
from dataclasses import dataclass

from weijian.core.text.normalize import normalize


@dataclass(frozen=True)
class Line:
    no: int  # 1-based line number in the input text
    text: str  # normalised, never empty


def split_lines(text: str) -> list[Line]:
    """Every non-empty line, numbered as an editor numbers them (\\r\\n, \\r or \\n)."""
    lines = []
    for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), start=1):
        cleaned = normalize(raw)
        if cleaned and re.search(r"\w", cleaned):
            lines.append(Line(number, cleaned))
    return lines


# Navigation bars, footers, download-site chrome and document metadata fields: not content.
_BOILERPLATE = re.compile(
    "|".join(
        [
            r"首页\s*\|",
            r"设为首页|加入收藏|网站地图|站群导航|打印此文|关闭窗口|【字体",
            r"^当前位置",
            r"版权所有|copyright|ICP备|网站标识码|公网安备",
            r"^(主办|承办|协办|建设与维护|技术支持)\s*:",
            r"^关于我们\s*\|",
            r"^建议\s*:.*(分辨率|浏览器)",
            r"^上传人\s*:|文档编号\s*:",
            r"^第\s*\d+\s*页\s*/\s*共\s*\d+\s*页$",
            r"\.(docx?|pdf|wps)_第\d+页$",
            r"点击查看更多|由会员分享|展开阅读全文",
            r"^(下载资源|资源描述|相关资源|猜你喜欢|相关搜索|上一篇|下一篇|分享到|扫一扫)\s*:?\s*$",
            r"^(下载|相关|举报|\s)+$",
            r"^[^:]{0,8}网站$",
            r"^(责任部门|信息索取号|索引号|生成日期|成文日期|发布机构|公开方式|公开时限|"
            r"文件编号|发文字号|主题分类|浏览次数|字号)\s*:",
            r"^\(此件(主动|依申请)?公开\)$",
        ]
    ),
    re.IGNORECASE,
)


def is_boilerplate(text: str) -> bool:
    return bool(_BOILERPLATE.search(text))
