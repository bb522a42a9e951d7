"""Find the forms of a rendered page (for the fuzz test and the permission matrix)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

# Forms in the page frame (header), fuzzed through their own routes, not on every page.
FRAME_ACTIONS = ("/i18n/setlang/", "/accounts/logout/")


@dataclass
class Field:
    name: str
    kind: str  # text, email, number, date, file, checkbox, radio, hidden, select, textarea, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str
    method: str = "post"
    fields: dict[str, Field] = field(default_factory=dict)

    @property
    def has_file(self) -> bool:
        return any(f.kind == "file" for f in self.fields.values())


class _Parser(HTMLParser):
    def __init__(self, page_path: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            method = (attrs.get("method") or "get").lower()
            action = attrs.get("action") or self.page_path
            self._form = Form(action=urlsplit(action).path or self.page_path, method=method)
            return
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                return
            existing = self._form.fields.get(name)
            if existing and kind in ("radio", "checkbox"):
                existing.options.append(attrs.get("value") or "on")
                return
            self._form.fields[name] = Field(
                name, kind, attrs.get("value") or "", [attrs.get("value") or "on"]
            )
        elif tag == "textarea" and name:
            self._form.fields[name] = Field(name, "textarea")
        elif tag == "select" and name:
            self._select = Field(name, "select")
            self._form.fields[name] = self._select
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form" and self._form is not None:
            self.forms.append(self._form)
            self._form = None
        elif tag == "select":
            self._select = None


def page_forms(html: str, page_path: str, *, include_frame: bool = False) -> list[Form]:
    """The page's forms that send something (GET filters and POST forms)."""
    parser = _Parser(page_path)
    parser.feed(html)
    forms = [f for f in parser.forms if f.fields]
    if not include_frame:
        forms = [f for f in forms if f.action not in FRAME_ACTIONS]
    return forms
