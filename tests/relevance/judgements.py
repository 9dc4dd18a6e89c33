"""The judged query set for the demo catalog: shopper queries and how to grade any product.

Each judgement names what a product must be to count at all (`required`,
usually its kind) and what makes it a better answer (`bonus`: the device, the
attribute or the brand asked for). The grade is

    0  when a required rule fails,
    1 + the number of bonus rules that hold  otherwise,

so with two bonus rules: 3 = kind, device and attribute match, 2 = kind and one
of them, 1 = kind only. The id and EAN queries have one relevant product.
"""

from __future__ import annotations

from dataclasses import dataclass

from tests.relevance.rules import (
    Attr,
    AttrAtLeast,
    Brand,
    Fits,
    FitsLine,
    IdIs,
    InCategory,
    Kind,
    Product,
    Rule,
    TitleHas,
)

# products of the e2e data set (demo catalog, seed 7, ids prefixed RA-): both active
EXACT_ID = "RA-CEL-SCR-000004"
EXACT_EAN = "4049982947947"  # RA-ESR-PWR-000007


@dataclass(frozen=True)
class Judgement:
    """One query and the rules that grade a product for it."""

    query: str
    lang: str  # "de" or "en": the shopper's language
    required: tuple[Rule, ...]
    bonus: tuple[Rule, ...] = ()

    def grade(self, product: Product) -> int:
        """0 unless every required rule holds, then 1 plus the bonus rules that hold."""
        if not all(rule(product) for rule in self.required):
            return 0
        return 1 + sum(1 for rule in self.bonus if rule(product))


def _j(query: str, required: tuple[Rule, ...], *bonus: Rule, lang: str = "de") -> Judgement:
    return Judgement(query, lang, required, bonus)


CASE, PROTECTOR, CABLE = (Kind("case"),), (Kind("protector"),), (Kind("cable"),)
CHARGER, POWERBANK = (Kind("charger"),), (Kind("powerbank"),)
HOLDER, HEADPHONES = (Kind("holder"),), (Kind("headphones"),)

JUDGEMENTS: tuple[Judgement, ...] = (
    # cases: a device line, then the exact device
    _j("hülle iphone 15", CASE, FitsLine("iPhone 15"), Fits("iPhone 15")),
    _j("iphone 15 case", CASE, FitsLine("iPhone 15"), Fits("iPhone 15"), lang="en"),
    _j("handyhülle samsung s24", CASE, FitsLine("Samsung Galaxy S24"), Fits("Samsung Galaxy S24")),
    _j("pixel 8 hülle", CASE, FitsLine("Google Pixel 8"), Fits("Google Pixel 8")),
    _j("iphone 13 hülle leder", CASE, Fits("iPhone 13"), Attr("material", "Leder")),
    _j("silikon case iphone 14 pro", CASE, Fits("iPhone 14 Pro"), Attr("material", "Silikon")),
    _j("transparente hülle iphone", CASE, FitsLine("iPhone"), Attr("color", "transparent")),
    _j("schwarze hülle samsung", CASE, FitsLine("Samsung"), Attr("color", "schwarz")),
    _j("clear case iphone 16 pro max", CASE, Fits("iPhone 16 Pro Max"),
       Attr("color", "transparent"), lang="en"),
    _j("outdoor hülle iphone", CASE, FitsLine("iPhone"), TitleHas("Outdoor")),
    _j("magsafe wallet", CASE, InCategory("Klapphüllen"), Attr("magsafe", True), lang="en"),
    _j("klapphülle galaxy s23", CASE, InCategory("Klapphüllen"), FitsLine("Samsung Galaxy S23")),
    _j("handyhülle", CASE),
    _j("spigen hülle", CASE, Brand("Spigen")),
    _j("otterbox defender iphone", CASE, TitleHas("OtterBox Defender"), FitsLine("iPhone")),
    # typos
    _j("iphnoe hülle", CASE, FitsLine("iPhone")),
    _j("samsng galaxy s23 hülle", CASE, FitsLine("Samsung Galaxy S23"), Fits("Samsung Galaxy S23")),
    _j("kopfhörer blutooth", HEADPHONES, Attr("wireless", True)),
    # screen protectors
    _j("panzerglas samsung s24", PROTECTOR, FitsLine("Samsung Galaxy S24"),
       Attr("material", "Glas")),
    _j("schutzfolie iphone 14", PROTECTOR, Fits("iPhone 14"), Attr("material", "TPU")),
    _j("screen protector iphone 15 pro max", PROTECTOR, FitsLine("iPhone 15"),
       Fits("iPhone 15 Pro Max"), lang="en"),
    _j("privacy panzerglas", PROTECTOR, Attr("privacy", True)),
    # chargers
    _j("schnellladegerät usb-c", CHARGER, Attr("connector", "USB-C"), AttrAtLeast("power_w", 30)),
    _j("usb-c ladegerät 65w", CHARGER, AttrAtLeast("power_w", 65), Attr("power_w", 65)),
    _j("usb c netzteil 20w", CHARGER, InCategory("USB-C Netzteile"), Attr("power_w", 20)),
    _j("kabelloses ladegerät", CHARGER, Attr("wireless", True)),
    _j("wireless charger iphone", CHARGER, Attr("wireless", True), FitsLine("iPhone"), lang="en"),
    _j("magsafe ladegerät", CHARGER, Attr("wireless", True), Attr("magsafe", True)),
    _j("kfz ladegerät", CHARGER, InCategory("KFZ-Ladegeräte")),
    _j("belkin wireless charger", CHARGER, Brand("Belkin"), Attr("wireless", True), lang="en"),
    # cables
    _j("ladekabel lightning 2m", CABLE, Attr("connector", "Lightning"),
       Attr("cable_length_m", 2.0)),
    _j("usb-c kabel", CABLE, Attr("connector", "USB-C")),
    _j("usb c to lightning cable", CABLE, Attr("connector", "Lightning"), lang="en"),
    _j("apple ladekabel", CABLE, Brand("Apple")),
    # power banks
    _j("powerbank 10000 mah", POWERBANK, Attr("capacity_mah", 10000)),
    _j("magnetische powerbank", POWERBANK, Attr("magsafe", True)),
    _j("power bank 20000mah", POWERBANK, Attr("capacity_mah", 20000), lang="en"),
    # holders
    _j("kfz handyhalterung", HOLDER, InCategory("KFZ-Halterungen")),
    _j("fahrradhalterung", HOLDER, InCategory("Fahrradhalterungen")),
    _j("car phone mount", HOLDER, InCategory("KFZ-Halterungen"), lang="en"),
    # headphones
    _j("kopfhörer bluetooth", HEADPHONES, Attr("wireless", True)),
    _j("noise cancelling kopfhörer", HEADPHONES, Attr("noise_cancelling", True)),
    _j("bluetooth headphones noise cancelling", HEADPHONES, Attr("wireless", True),
       Attr("noise_cancelling", True), lang="en"),
    _j("over ear headphones", HEADPHONES, Attr("form_factor", "Over-Ear"), lang="en"),
    _j("airpods", HEADPHONES, TitleHas("AirPods"), lang="en"),
    # a brand alone, an id, an EAN
    _j("anker", (Brand("Anker"),)),
    _j(EXACT_ID, (IdIs(EXACT_ID),)),
    _j(EXACT_EAN, (Attr("ean", EXACT_EAN),)),
)  # fmt: skip
