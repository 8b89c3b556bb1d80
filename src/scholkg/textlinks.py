"""Recover links from abstract text, including links a web page broke with spaces.

Pages such as Arrow's render "https://github.com/Euphoria16/UI-Genie" as
"https: //github. com/Euphoria16/UI-Genie". The rule: after "http(s):" optional spaces and "//";
then host labels joined by dots, where a dot may be followed by one space only if the next label
starts with a lower-case letter or digit (sentences start upper-case); then a path up to the next
space. Sentence punctuation and LaTeX braces around the link are dropped.

>>> find_links("Code: https: //github. com/Euphoria16/UI-Genie.")
['https://github.com/Euphoria16/UI-Genie']
>>> find_links("available at https: //journeydb. github. io. We thank")
['https://journeydb.github.io']
>>> link_kind("https://github.com/OSVAI/ODConv")
'code'
"""

from __future__ import annotations

import re

_LINK = re.compile(
    r"(?P<scheme>https?)\s?:\s?//\s?"
    r"(?P<host>[A-Za-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?"
    r"(?:\.\s?[a-z0-9](?:[A-Za-z0-9\-]*[A-Za-z0-9])?)+)"
    r"(?P<path>/[^\s]*)?",
)
_TRAILING = ".,;:)]}>'\"!?"

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "sourceforge.net",
               "gitee.com")
_DATA_HOSTS = ("zenodo.org", "figshare.com", "kaggle.com", "dataverse.harvard.edu",
               "datadryad.org", "osf.io")


def find_links(text: str | None) -> list[str]:
    """All http(s) links in ``text``, repaired and de-duplicated, in order of appearance."""
    if not text:
        return []
    found: list[str] = []
    for m in _LINK.finditer(text):
        host = re.sub(r"\.\s", ".", m.group("host")).lower()
        path = m.group("path") or ""
        url = f"{m.group('scheme')}://{host}{path}"
        while url and url[-1] in _TRAILING:
            # keep a closing bracket that has its opening one inside the URL
            if url[-1] == ")" and url.count("(") >= url.count(")"):
                break
            url = url[:-1]
        if url not in found:
            found.append(url)
    return found


def link_kind(url: str) -> str:
    """'code', 'data' or 'project' for a link found in a work's text."""
    m = re.match(r"https?://([^/]+)(/.*)?$", url)
    host = (m.group(1) if m else "").lower().removeprefix("www.")
    path = (m.group(2) or "") if m else ""
    if host == "huggingface.co":
        return "data" if path.startswith("/datasets/") else "code"
    if any(host == h or host.endswith("." + h) for h in _DATA_HOSTS):
        return "data"
    if host in _CODE_HOSTS and path.strip("/").count("/") >= 1:
        return "code"
    return "project"
