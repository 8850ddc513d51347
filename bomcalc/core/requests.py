"""Whom to ask for what: the parts whose facts decide an Annex 1 item, ranked (core layer).

After a check, an item is either undecided (``indeterminate``: an origin, a value or a content
is unknown) or decided close enough to the 0.1% line (Announcement No. 61, Clause 1(1)) that a
wrong figure would flip it. :func:`plan_requests` lists the parts to ask a supplier about, each
with the items it decides and how far it can move each item's ratio, largest first.

What a part can move, per unit of the item, exactly (``Decimal``; ratios compared as fractions):

* **A deciding input of an indeterminate item** (its origin, Annex 1 status or declared content
  is unknown): ``extended quantity x (upper - lower content of the input)``, the most the
  unknowns at and below it can add to the item's China-origin Part 1 content, never more than
  the item's own open range (``upper - lower``); over the item's value that is how far it can
  move the ratio, in percentage points. The extended quantity counts every path at full
  quantity (alternates included), so the figure is an upper bound ("up to").
  For TB-OX in the servo sample: ``0.00005 kg x 1000 USD/kg = 0.05 USD`` over ``3.9129 USD`` is
  up to 1.2778 points of MAG-BRK (0.0716% to 1.3494%).
* **Unbounded**: the input's content or value is missing (a Part 2 item bought with no BOM and
  no declaration, a Part 1 item of unknown origin without a price, a declaration valued as
  unknown), or the item's own value is missing: no bound can be given, and the text says why.
* **Its own origin**: an item whose own origin is unknown (a Part 1 raw material bought from a
  trader) is decided by it under Clause 1(3), where no ratio applies.
* **Near the line** (policy :data:`NEAR_LINE_POLICY`, factor :data:`NEAR_LINE_FACTOR`, changed
  with ``near_line``): a Part 2 item made outside China, decided by the 0.1% test alone (or not
  caught), whose exact ratio lies within a factor ``F`` of the threshold
  (``threshold / F <= ratio <= threshold x F``). Each China-origin source of its content is
  asked to confirm it; the part gives ``extended_value / value`` of the ratio.

Ranking, first to last: parts that decide an indeterminate item before parts only near the
line; among the first, an unbounded reach, then the largest ratio movement, then an item's own
origin; among the second, the largest share of the ratio; ties by part id. A part's place is
that of its strongest reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

from .contributions import contributions, extended_quantities
from .determine import INDETERMINATE, NOT_REQUIRED, REQUIRED, Evaluation
from .errors import BomError
from .graph import has_lines
from .exact import DISPLAY, format_decimal
from .rollup import content_unknown, may_be_cn_part1, source_kind
from .values import EXACT

#: The default near-the-line factor: an item within a factor of 2 of the threshold (0.05% to
#: 0.2% under the 0.1% line) is near it.
NEAR_LINE_FACTOR = Decimal(2)

#: The near-the-line policy in words, with ``{factor}`` for the factor in use.
NEAR_LINE_POLICY = (
    "near the line: a Part 2 item made outside China and decided by the 0.1% test alone (or not caught) whose "
    "China-origin Part 1 ratio lies within a factor of {factor} of the threshold (threshold / {factor} <= ratio <= "
    "threshold x {factor}); each China-origin source of its content is asked to confirm its origin and value"
)

#: Kinds of reason, in the order they rank within their tier.
UNBOUNDED, CONTENT, OWN_ORIGIN, NEAR_LINE = "unbounded", "content", "own_origin", "near_line"
_GROUP = {UNBOUNDED: 0, CONTENT: 1, OWN_ORIGIN: 2, NEAR_LINE: 0}


@dataclass(frozen=True)
class RequestReason:
    """Why one part is asked about, for one item.

    ``kind``: ``"content"`` (it can move the item's ratio by up to ``reach``), ``"unbounded"``
    (by an unknown amount), ``"own_origin"`` (the item's own origin decides it) or
    ``"near_line"`` (the item is near the line and the part gives ``reach`` of its content).
    ``reach`` [currency per unit of the item] and ``item_value`` [currency per unit] give the
    exact share ``reach / item_value``; ``points`` is that share in percentage points, for display.
    """

    item: str
    kind: str
    reach: Decimal | None
    item_value: Decimal | None
    points: Decimal | None
    text: str

    @property
    def share(self) -> Fraction | None:
        """``reach / item_value`` exactly [share, 0-1]; ``None`` when either is unknown or the value is 0."""
        if self.reach is None or not self.item_value:
            return None
        return Fraction(self.reach) / Fraction(self.item_value)

    def rank_key(self) -> tuple:
        """Sort key: indeterminate before near the line, then the kind's group, then the largest share."""
        tier = 1 if self.kind == NEAR_LINE else 0
        share = self.share
        return (tier, _GROUP[self.kind], -(share if share is not None else Fraction(0)))


@dataclass(frozen=True)
class PartRequest:
    """One part to ask its supplier about: what to ask, and every item it decides or affects, strongest first."""

    part_id: str
    description: str
    supplier: str | None
    asks: tuple[str, ...]
    reasons: tuple[RequestReason, ...]

    @property
    def decisive(self) -> bool:
        """Whether the part decides an indeterminate item (else it is asked only because an item is near the line)."""
        return any(reason.kind != NEAR_LINE for reason in self.reasons)

    @property
    def top_reason(self) -> RequestReason:
        return self.reasons[0]


@dataclass(frozen=True)
class RequestPlan:
    """The ranked requests of one evaluation, with the near-the-line policy used."""

    requests: tuple[PartRequest, ...]
    near_line_factor: Decimal
    policy: str
    indeterminate_items: tuple[str, ...]
    near_line_items: tuple[str, ...]


def _display(share: Fraction, scale: int = 100) -> Decimal:
    """A share times ``scale``, rounded to 4 decimals for display."""
    value = DISPLAY.divide(Decimal(share.numerator * scale), Decimal(share.denominator))
    return value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_EVEN, context=DISPLAY)


def _percent(share: Decimal | None) -> str:
    if share is None:
        return "?"
    return f"{_display(Fraction(share))}%"


def is_near_line(share: Fraction, threshold: Decimal, factor: Decimal) -> bool:
    """Whether a ratio lies within ``factor`` of the threshold: ``threshold / factor <= share <= threshold x factor``."""
    line, fact = Fraction(threshold), Fraction(factor)
    return line / fact <= share <= line * fact


def _why_unbounded(bom, part: str) -> str:
    parts = bom.parts
    annex1, origin = parts.at[part, "annex1"], parts.at[part, "origin"]
    declared = part in bom.declarations.index
    if content_unknown(annex1, has_lines(bom, part), declared):
        return "its China-origin Part 1 content is unknown (no BOM and no supplier declaration)"
    if declared and source_kind(annex1, origin, True, bom.content_origin) == "declaration":
        return "its supplier declaration gives an unknown value"
    if parts.at[part, "unit_value"] is None:
        return "it has no value, and it may be a China-origin Part 1 item"
    return "its content below it is unknown"


def _asks(bom, part: str, kinds: set[str], own_item: bool) -> tuple[str, ...]:
    """What to ask the supplier of ``part``, in words."""
    parts = bom.parts
    annex1, origin = parts.at[part, "annex1"], parts.at[part, "origin"]
    known = bool(parts.at[part, "annex1_known"]) if "annex1_known" in parts.columns else True
    declared = part in bom.declarations.index
    asks = []
    if origin is None and (own_item or may_be_cn_part1(annex1, origin, known, bom.content_origin)):
        asks.append("its country of origin (Product List, Country of origin)")
    if not known:
        asks.append("its rare-earth inputs (element, form), to settle its Annex 1 status")
    if content_unknown(annex1, has_lines(bom, part), declared):
        asks.append("its rare-earth inputs: element, form, value per unit and the country of each stage")
    if declared and (kinds & {UNBOUNDED, CONTENT}) and not (origin is None and may_be_cn_part1(annex1, origin, known, bom.content_origin)):
        asks.append("the origin and value of the rare-earth inputs its declaration leaves unknown")
    if parts.at[part, "unit_value"] is None and UNBOUNDED in kinds:
        asks.append("its price (enter it in the BOM or parts master; the form does not carry it)")
    if NEAR_LINE in kinds:
        asks.append("confirmation of the origin and value of its rare-earth inputs")
    return tuple(dict.fromkeys(asks)) or ("the origin and value of its rare-earth inputs",)


def _indeterminate_reasons(evaluation: Evaluation, row) -> list[tuple[str, RequestReason]]:
    bom, rolled = evaluation.bom, evaluation.rolled
    item, value = row["part_id"], row["value"]
    span = row["unknown_origin_part1_value"]
    out = []
    quantities = None
    for part in row["deciding_inputs"]:
        if part == item:
            if "china_origin" in row["open_limbs"]:
                text = (f"decides {item}: its own origin is unknown, and China origin alone needs a licence "
                        "(Clause 1(3))")
                out.append((part, RequestReason(item, OWN_ORIGIN, None, value, None, text)))
            parts = bom.parts
            declared = item in bom.declarations.index
            if not (declared or content_unknown(parts.at[item, "annex1"], has_lines(bom, item), declared)):
                continue  # named for its own origin only; its content comes from the inputs named beside it
        if row["annex1"] != "part2":
            continue
        if value is None or value == 0:
            text = f"decides {item}: the value of {item} (the denominator of its ratio) is unknown"
            if bom.parts.at[part, "unit_value"] is None:
                text += f"; {part} has no value"
            out.append((part, RequestReason(item, UNBOUNDED, None, value, None, text)))
            continue
        part_span = rolled.at[part, "unknown_origin_part1_value"]
        range_text = f"({_percent(row['ratio'])} to {_percent(row['ratio_upper'])})"
        if part_span is None:
            text = f"decides {item} {range_text}: {_why_unbounded(bom, part)}, so it can move the ratio by an unknown amount"
            out.append((part, RequestReason(item, UNBOUNDED, None, value, None, text)))
            continue
        if quantities is None:
            quantities = extended_quantities(bom, rolled, item, evaluation.alternates, through_sources=True)
        reach = EXACT.multiply(quantities.get(part, Decimal(0)), part_span)
        reach = reach if span is None else min(reach, span)  # never more than the item's own open range
        points = _display(Fraction(reach) / Fraction(value))
        text = f"decides {item}: can move its ratio by up to {points} percentage points {range_text}"
        out.append((part, RequestReason(item, CONTENT, reach, value, points, text)))
    return out


def _near_line_reasons(evaluation: Evaluation, row, factor: Decimal) -> list[tuple[str, RequestReason]]:
    value, cn = row["value"], row["cn_part1_value"]
    pack = evaluation.rule_pack
    if row["annex1"] != "part2" or evaluation.meaning(row["status"]) not in (REQUIRED, NOT_REQUIRED) or row["origin"] == evaluation.bom.content_origin:
        return []
    if not set(row["reasons"]) <= {"de_minimis"} or value is None or value == 0 or cn is None:
        return []
    share = Fraction(cn) / Fraction(value)
    if not is_near_line(share, pack.threshold, factor):
        return []
    item = row["part_id"]
    line = Fraction(pack.threshold)
    gap = _display(abs(share - line))
    side = "below" if share < line else ("above" if share > line else "exactly at")
    where = f"{gap} points {side}" if side != "exactly at" else "exactly at"
    head = f"{item} is {_display(share)}%, {where} the {format_decimal(EXACT.multiply(pack.threshold, Decimal(100)))}% line"
    out = []
    table = contributions(evaluation.bom, evaluation.rolled, item, evaluation.alternates, with_paths=False)
    for _, source in table.iterrows():
        extended = source["extended_value"]
        if extended is None or extended == 0:
            continue
        points = _display(Fraction(extended) / Fraction(value))
        text = f"{head}; this input gives {points} points of it"
        out.append((source["source"], RequestReason(item, NEAR_LINE, extended, value, points, text)))
    return out


def plan_requests(evaluation: Evaluation, near_line: Decimal | None = None) -> RequestPlan:
    """The parts to ask suppliers about, ranked (see the module docstring).

    ``near_line`` is the near-the-line factor (a decimal >= 1; default :data:`NEAR_LINE_FACTOR`;
    1 asks about no decided item). Raises :class:`~bomcalc.core.errors.BomError` for a factor below 1.
    """
    factor = NEAR_LINE_FACTOR if near_line is None else Decimal(near_line)
    if not factor.is_finite() or factor < 1:
        raise BomError(f"the near-the-line factor must be a number of 1 or more, not '{near_line}'")
    found: dict[str, list[RequestReason]] = {}
    undecided, near = [], []
    for _, row in evaluation.items.iterrows():
        if evaluation.meaning(row["status"]) == INDETERMINATE:
            reasons = _indeterminate_reasons(evaluation, row)
            undecided.append(row["part_id"])
        else:
            reasons = _near_line_reasons(evaluation, row, factor) if factor > 1 else []
            if reasons:
                near.append(row["part_id"])
        for part, reason in reasons:
            found.setdefault(part, []).append(reason)
    bom = evaluation.bom
    requests = []
    for part, reasons in found.items():
        reasons.sort(key=lambda r: (r.rank_key(), r.item))
        kinds = {reason.kind for reason in reasons}
        own_item = any(reason.kind == OWN_ORIGIN for reason in reasons)
        supplier = bom.parts.at[part, "supplier"] if "supplier" in bom.parts.columns else None
        requests.append(PartRequest(part, bom.parts.at[part, "description"] or "", supplier or None,
                                    _asks(bom, part, kinds, own_item), tuple(reasons)))
    requests.sort(key=lambda r: (r.top_reason.rank_key(), r.part_id))
    policy = NEAR_LINE_POLICY.format(factor=format(factor.normalize(), "f"))
    return RequestPlan(tuple(requests), factor, policy, tuple(undecided), tuple(near))
