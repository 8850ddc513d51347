"""The Compliance Notification Letter from an editable Jinja2 template (report layer).

:func:`notice_context` builds what a template sees (pure data: the recipient, the items with
their Annex 1 status and content figures, the obligation and pass-on statements of the rule
pack's ``[licensing.notice]``); :func:`render_notice` fills a template with it.

Every template, the packaged ones too, is rendered in Jinja2's immutable sandbox with undefined
names refused, so a user's template cannot reach Python objects. Values are escaped for the
format: HTML-escaped (autoescape) in ``html``, with Markdown's active characters backslash-escaped
in ``md``; control characters always show as visible escapes, so a recipient name cannot add
markup, a heading or a link. An HTML page that could run or fetch anything is refused.
``docx`` renders the Markdown template as text and lays it out with python-docx (headings,
bullets, tables), which escapes XML itself.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from importlib import resources

from .._version import __version__
from ..core.errors import BomError
from ..core.values import format_decimal
from .safe_text import CONTENT_SECURITY_POLICY, html_hazards, terminal_text

NOTICE_FORMATS = ("md", "html", "docx")
_MARKDOWN_ACTIVE = re.compile(r"([\\`*_\[\]<>&#|!~{}])")
DISCLAIMER = "bomcalc informs a compliance decision; it does not replace legal advice."


def _text(value) -> str:
    return "" if value is None else str(value)


def _share(item) -> str:
    ratio = item["ratio"]
    if ratio is None or isinstance(ratio, float):
        return ""
    return format_decimal((ratio * 100).quantize(Decimal("0.0001")).normalize()) + "%"


def notice_context(evaluation, licensing, recipient: str, items=None) -> dict:
    """What a notice template sees. ``items``: the part ids shipped (default: every Annex 1 item);
    one not among the BOM's Annex 1 items is a :class:`BomError`."""
    table = evaluation.items
    known = list(table["part_id"])
    wanted = list(items) if items else known
    unknown = [item for item in wanted if item not in known]
    if unknown:
        raise BomError(f"not Annex 1 items of the BOM: {', '.join(unknown)}; a notice lists Annex 1 items "
                       f"(the BOM's: {', '.join(known) or 'none'})")
    rows = []
    for part_id in wanted:
        row = evaluation.item(part_id)
        rows.append({"part_id": _text(part_id), "description": _text(row["description"]), "annex1": _text(row["annex1"]),
                     "status": _text(row["status"]).replace("_", " "), "reasons": ", ".join(row["reasons"]),
                     "cn_part1_value": _text(format_decimal(row["cn_part1_value"])), "value": _text(format_decimal(row["value"])),
                     "share": _share(row), "in_force": bool(row["in_force"]), "force_note": _text(row["force_note"])})
    pack = evaluation.rule_pack
    source = next((s for s in pack.sources if s.id == licensing.notice.get("source", licensing.source)), None)
    notice = licensing.notice
    return {
        "recipient": recipient, "items": rows, "currency": evaluation.currency or "",
        "as_of": evaluation.as_of.isoformat(), "title": notice.get("title", ""),
        "obligation": notice.get("obligation", ""), "pass_on": notice.get("pass_on", ""),
        "wording_status": notice.get("wording_status", ""),
        "source": {"short": source.short if source else "", "title": source.title if source else "",
                   "url": source.url if source else ""},
        "rule_pack": f"{pack.id} {pack.version}", "version": __version__, "disclaimer": DISCLAIMER,
        "content_security_policy": CONTENT_SECURITY_POLICY,
    }


def _markdown_value(value) -> str:
    return _MARKDOWN_ACTIVE.sub(r"\\\1", terminal_text(value, layout=False))


def _environment(output_format: str):
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    if output_format == "html":
        finalize = lambda value: value if hasattr(value, "__html__") else terminal_text(value, layout=False)  # noqa: E731
        return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, finalize=finalize)
    finalize = _markdown_value if output_format == "md" else (lambda value: terminal_text(value, layout=False))
    return ImmutableSandboxedEnvironment(autoescape=False, undefined=StrictUndefined, finalize=finalize,
                                         keep_trailing_newline=True)


def packaged_template(output_format: str) -> str:
    """The text of the template shipped with bomcalc for ``output_format`` (docx uses the Markdown one)."""
    name = "compliance_notice.html.j2" if output_format == "html" else "compliance_notice.md.j2"
    return (resources.files("bomcalc") / "templates" / name).read_text(encoding="utf-8")


def render_notice(context: dict, output_format: str = "md", template: str | None = None,
                  template_name: str = "the packaged template") -> bytes:
    """The notice as bytes in ``output_format`` (md, html or docx); ``template`` is the text of a
    user's template (untrusted), ``None`` for the packaged one."""
    from jinja2 import TemplateError

    if output_format not in NOTICE_FORMATS:
        raise BomError(f"notice format '{output_format}' is not one of {', '.join(NOTICE_FORMATS)}")
    text = template if template is not None else packaged_template(output_format)
    try:
        page = _environment(output_format).from_string(text).render(**context)
    except TemplateError as exc:
        line = f" line {exc.lineno}" if getattr(exc, "lineno", None) else ""
        raise BomError(f"{template_name}{line}: the template cannot be filled ({exc}); names it may use: "
                       f"{', '.join(sorted(context))}") from None
    if output_format == "html":
        hazards = html_hazards(page)
        if hazards:
            raise BomError(f"{template_name}: the page would hold active content ({'; '.join(hazards[:3])}); "
                           "remove it from the template")
    if output_format == "docx":
        return _docx(page)
    return page.encode("utf-8")


def _table_cells(line: str) -> list[str]:
    cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
    return [cell.strip().replace("\\|", "|") for cell in cells]


def _docx(text: str) -> bytes:
    """The rendered Markdown-like text as a Word document: ``#`` headings, ``-`` bullets, ``|`` tables."""
    import docx

    document = docx.Document()
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("|"):
            block = []
            while index < len(lines) and lines[index].startswith("|"):
                if not re.fullmatch(r"\|[\s\-:|]+\|?", lines[index].strip()):
                    block.append(_table_cells(lines[index]))
                index += 1
            table = document.add_table(rows=len(block), cols=max(len(row) for row in block))
            for r, cells in enumerate(block):
                for c, cell in enumerate(cells):
                    table.cell(r, c).text = cell
            continue
        heading = re.match(r"(#{1,3}) (.*)", line)
        if heading:
            document.add_heading(heading.group(2), level=len(heading.group(1)))
        elif line.startswith("- "):
            document.add_paragraph(line[2:], style="List Bullet")
        elif line.strip() and line.strip() != "---":
            document.add_paragraph(line.lstrip("> ").replace("**", "").rstrip())
        index += 1
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
