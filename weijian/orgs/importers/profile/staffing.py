"""Staffing quotas: 行政编制16名; 设局长1名，副局长3名; 科级领导职数14名(含…1名)."""

from __future__ import annotations

import re
from collections.abc import Callable

from weijian.core.text.normalize import display, split_outside_brackets
from weijian.core.text.numerals import CN_DIGITS, parse_count

from .model import Post, Staffing

COUNT = rf"(\d+|[{CN_DIGITS}]+)"
_QUOTA = re.compile(
    rf"^(?P<subject>.*?)(?P<kind>行政|事业|工勤|机关事业|参公|政法专项|后勤服务)?(?:人员)?"
    rf"编制(?:数)?(?:为|共|核定为)?\s*{COUNT}\s*名"
)
_LEADERSHIP = re.compile(
    rf"^(?P<title>.*?)(?P<lead>领导)?职数(?:为|共)?\s*:?\s*{COUNT}\s*名(?P<tail>.*)$"
)
_POST = re.compile(rf"^(?P<title>[^\d:]{{1,24}}?)\s*{COUNT}\s*[名人](?P<tail>.*)$")
_LEAD_WORDS = re.compile(r"^(?:(?:其中|另设|另|设|核定|共|包括|含)\s*:?\s*)+")
_QUOTA_NAMES = {"行政": "administrative", "事业": "institutional", "工勤": "logistics"}
_TRIGGER = re.compile(
    rf"编制(?:数)?(?:为|共|核定为)?\s*{COUNT}\s*名|职数|设[^。;]{{0,16}}?{COUNT}\s*名"
)

Warn = Callable[[str], None]


def looks_like_staffing(text: str) -> bool:
    return bool(_TRIGGER.search(text))


def parse_staffing(text: str, staffing: Staffing, warn: Warn) -> tuple[bool, str]:
    """Read one line into `staffing`. Returns (found anything, the subject named before 编制)."""
    found = False
    subject = ""
    previous: Post | None = None
    leadership_list = False  # after "科级领导职数：" the posts listed are leadership posts
    for clause in split_outside_brackets(text.rstrip("。"), "。;,"):
        for part in _split_enumeration(clause):
            quota = _QUOTA.match(part)
            if quota:
                found = True
                count = parse_count(quota.group(3)) or 0
                subject = subject or _subject(quota.group("subject"))
                key = _QUOTA_NAMES.get(quota.group("kind") or "行政", quota.group("kind") or "")
                if key == "administrative":
                    staffing.administrative = count
                else:
                    staffing.other[key or display(quota.group("kind") or "其他")] = count
                leadership_list = False
                continue
            head = part.partition(":")[0]
            if ":" in part and "职数" in head and not re.search(COUNT + r"\s*名", head):
                leadership_list = True
            post = _post(part)
            if post is not None:
                post.leadership = post.leadership or leadership_list
                if not any(_same(post, known) for known in staffing.posts):
                    staffing.posts.append(post)
                previous = post
                found = True
            elif previous is not None and part.startswith("兼"):
                previous.concurrent = display(re.sub(r"^兼(任)?", "", part))
            elif re.search(rf"{COUNT}\s*名", part):
                warn(f"未能识别编制或职数：“{display(part)}”")
    return found, subject


def _same(post: Post, known: Post) -> bool:
    """The same quota stated twice (a profile often repeats 局长1名 in two paragraphs)."""
    return (post.title, post.count, post.leadership) == (known.title, known.count, known.leadership)


def _split_enumeration(clause: str) -> list[str]:
    """ "局长1名、副局长3名" lists several posts; split only when every part has a count."""
    parts = split_outside_brackets(clause, "、")
    if len(parts) > 1 and all(re.search(rf"{COUNT}\s*名", part) for part in parts):
        return parts
    return [clause]


def _subject(text: str) -> str:
    text = _LEAD_WORDS.sub("", text.strip())
    return display(re.sub(r"(机关)?$", "", text)) if 1 < len(text) <= 30 else ""


def _post(part: str) -> Post | None:
    part = part.strip()
    leadership = _LEADERSHIP.match(part)
    if leadership:
        title = _LEAD_WORDS.sub("", leadership.group("title")).strip(" :")
        title = title + (leadership.group("lead") or "") if title else "领导"
        post = Post(display(title), parse_count(leadership.group(3)) or 0, leadership=True)
        _apply_tail(post, leadership.group("tail"))
        return post
    head, sep, body = part.partition(":")
    if sep and "职数" in head:
        posts = [_post(item) for item in split_outside_brackets(body, "、,")]
        return posts[0] if len(posts) == 1 else None
    match = _POST.match(_LEAD_WORDS.sub("", part))
    if not match:
        return None
    title = match.group("title").strip()
    if not title or "编制" in title:
        return None
    post = Post(display(title), parse_count(match.group(2)) or 0)
    _apply_tail(post, match.group("tail"))
    return post


def _apply_tail(post: Post, tail: str) -> None:
    """The bracket after a count: (副科长级) is a note, (含…1名) lists posts counted inside."""
    for inner in re.findall(r"\(([^()]*)\)", tail):
        if re.match(r"^(含|其中|包括)", inner):
            for item in split_outside_brackets(_LEAD_WORDS.sub("", inner), "、,"):
                included = _post(item)
                if included is not None:
                    post.includes.append(included)
        else:
            post.note = display(inner)
