"""Reads feeds with Python's Universal Feed Parser and prints what a reader would see, as JSON.

Usage: python3 feedparser_read.py URL_OR_PATH...
"""
import html
import json
import sys

import feedparser
from html.parser import HTMLParser


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def text_of(markup):
    """What a reader shows of an HTML body: its text, entities decoded."""
    if markup is None:
        return None
    p = _Text()
    p.feed(markup)
    p.close()
    return "".join(p.parts)



def shown(detail_holder, key):
    """The text a reader displays: feedparser hands HTML-typed fields back as markup."""
    value = detail_holder.get(key)
    detail = detail_holder.get(key + "_detail") or {}
    if value is not None and detail.get("type") in ("text/html", "application/xhtml+xml"):
        return html.unescape(value)
    return value


out = []
for target in sys.argv[1:]:
    d = feedparser.parse(target)
    out.append({
        "target": target,
        "bozo": int(d.bozo),
        "bozo_exception": str(d.get("bozo_exception", "")),
        "version": d.version,
        "title": d.feed.get("title"),
        "language": d.feed.get("language"),
        "ttl": d.feed.get("ttl"),
        "icon": d.feed.get("icon"),
        "image": (d.feed.get("image") or {}).get("href"),
        "hub": [l.get("href") for l in (d.feed.get("links") or []) if l.get("rel") == "hub"],
        "updated": d.feed.get("updated"),
        "entries": [
            {
                "id": e.get("id"),
                "title": shown(e, "title"),
                "title_type": (e.get("title_detail") or {}).get("type"),
                "link": e.get("link"),
                "published": e.get("published"),
                "updated": e.get("updated"),
                "summary": e.get("summary"),
                "content": (e.get("content") or [{}])[0].get("value"),
                "author": e.get("author"),
                "authors": [a.get("name") for a in (e.get("authors") or [])],
                "tags": [t.get("label") or t.get("term") for t in (e.get("tags") or [])],
                "content_text": text_of((e.get("content") or [{}])[0].get("value")),
                "summary_text": text_of(e.get("summary")),
            }
            for e in d.entries
        ],
    })
json.dump(out, sys.stdout, ensure_ascii=False)
