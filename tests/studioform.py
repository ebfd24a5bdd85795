"""Read a studio page's form the way a browser's FormData does, for HTTP-level tests.

An oracle of its own: it follows the HTML rules for which controls submit what
(checked checkboxes only, a select's selected option or its first, a textarea's
text), not the studio's templates or scripts.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _FormReader(HTMLParser):
    def __init__(self, marker: str):
        super().__init__(convert_charrefs=True)
        self.marker = marker
        self.depth = 0              # >0 while inside the wanted form
        self.pairs: list[list[str]] = []
        self.names: list[str] = []  # every named control, submitted or not
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if self.depth or self.marker in a:
                self.depth += 1
            return
        if not self.depth:
            return
        name = a.get("name")
        if tag == "input" and name:
            self.names.append(name)
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append([name, a.get("value", "on")])
            elif kind not in ("button", "submit", "file") and "disabled" not in a:
                self.pairs.append([name, a.get("value", "")])
        elif tag == "select" and name:
            self.names.append(name)
            self.select = {"name": name, "first": None, "chosen": None}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self.names.append(name)
            self.textarea = {"name": name, "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "option" and self.option is not None:
            self._close_option()
        elif tag == "select" and self.select is not None:
            self._close_option()
            value = self.select["chosen"] if self.select["chosen"] is not None else self.select["first"]
            if value is not None:
                self.pairs.append([self.select["name"], value])
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            # HTML drops one newline right after <textarea>.
            self.pairs.append([self.textarea["name"], text[1:] if text.startswith("\n") else text])
            self.textarea = None

    def _close_option(self):
        if self.option is None:
            return
        value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
        if self.select["first"] is None:
            self.select["first"] = value
        if self.option["selected"]:
            self.select["chosen"] = value
        self.option = None


def form_pairs(html: str, marker: str = "data-editor") -> list[list[str]]:
    """Return the [name, value] pairs the form marked *marker* in *html* submits (a fragment counts as the form)."""
    reader = _FormReader(marker)
    if "<form" not in html:
        reader.depth = 1
    reader.feed(html)
    return reader.pairs


def form_names(html: str, marker: str = "data-editor") -> list[str]:
    """Return the name of every control in the form, submitted or not."""
    reader = _FormReader(marker)
    if "<form" not in html:
        reader.depth = 1
    reader.feed(html)
    return reader.names


def replaced(pairs: list[list[str]], name: str, value: str) -> list[list[str]]:
    """Return *pairs* with the value of the one input called *name* set to *value*."""
    assert sum(1 for n, _ in pairs if n == name) == 1, name
    return [[n, value if n == name else v] for n, v in pairs]
