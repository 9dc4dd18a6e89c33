"""A deterministic, streaming demo catalog of phone accessories for a German shop."""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import orjson

from catalog.demo import vocabulary as v

IMAGE_BASE = "https://cdn.catalog-demo.invalid/products"  # .invalid never resolves
_EAN_STEP = 7_919_317  # coprime to 10: n * step + offset never repeats for n below 10**10
_STATUSES = ("active", "draft", "archived")
_STATUS_WEIGHTS = (94, 3, 3)
_ENDINGS = (0.99, 0.95, 0.90, 0.49, 0.0)
_ENDING_WEIGHTS = (64, 12, 10, 10, 4)
_PREMIUM = {"Apple", "OtterBox", "UAG", "Native Union", "Peak Design", "dbramante1928", "ZAGG"}
_BUDGET = {"Baseus", "Ugreen", "ESR", "Nillkin", "Intenso", "Xiaomi", "Nevox"}


def generate_products(count: int, seed: int) -> Iterator[dict[str, Any]]:
    """Yield `count` demo products one at a time; the same count and seed give the same ones."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    ean_offset = rng.randrange(10**10)
    builders = [b for b, _ in _BUILDERS]
    weights = [w for _, w in _BUILDERS]
    for n in range(1, count + 1):
        builder = rng.choices(builders, weights)[0]
        yield _finish(rng, n, builder(rng), ean_offset)


def bulk_lines(products: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """Each product as one NDJSON bulk upsert line."""
    for product in products:
        yield orjson.dumps({"op": "upsert", "product": product}) + b"\n"


def _finish(rng: random.Random, n: int, draft: _Draft, ean_offset: int) -> dict[str, Any]:
    product_id = f"{re.sub('[^A-Za-z]', '', draft.brand)[:3].upper()}-{draft.kind}-{n:06d}"
    product: dict[str, Any] = {
        "id": product_id,
        "title": draft.title,
        "description": _description(rng, draft),
        "brand": draft.brand,
        "categories": draft.categories,
        "price": draft.price,
    }
    sale_price = _sale_price(rng, draft.price) if rng.random() < 0.2 else None
    if sale_price is not None:
        product["sale_price"] = sale_price
        product["categories"] = [*draft.categories, ["Angebote", draft.categories[0][1]]]
    in_stock = rng.random() >= 0.1
    product["stock"] = min(int(rng.lognormvariate(3.0, 1.0)) + 1, 2000) if in_stock else 0
    product["status"] = rng.choices(_STATUSES, _STATUS_WEIGHTS)[0]
    product["attributes"] = {**draft.attributes, "ean": _ean(n, ean_offset)}
    product["images"] = [
        {"url": f"{IMAGE_BASE}/{product_id}/{i}.jpg", "alt": draft.title}
        for i in range(1, rng.randint(1, 3) + 1)
    ]
    if rng.random() < 0.1:
        product["review_count"] = 0
    else:
        typical = rng.random() < 0.85
        rating = rng.triangular(3.8, 4.8, 4.4) if typical else rng.uniform(1.0, 5.0)
        product["rating"] = round(rating, 1)
        product["review_count"] = min(int(rng.lognormvariate(3.0, 1.5)) + 1, 50_000)
    return product


def _description(rng: random.Random, draft: _Draft) -> str:
    # 2-4 sentences: the opener, what fits this product's features, then general ones
    features = draft.features[:2]
    extras = rng.sample(
        v.EXTRAS[draft.text], rng.randint(max(0, 1 - len(features)), 3 - len(features))
    )
    sentences = [v.OPENERS[draft.text], *(v.FEATURES[f] for f in features), *extras]
    words = {"brand": draft.brand, **draft.words}
    return " ".join(s.format_map(words) for s in sentences)


def _sale_price(rng: random.Random, price: float) -> float | None:
    sale = math.floor(price * rng.uniform(0.6, 0.9)) - 0.01
    return round(sale, 2) if sale >= 1 else None


def _ean(n: int, offset: int) -> str:
    body = f"40{(n * _EAN_STEP + offset) % 10**10:010d}"  # 40: a German GS1 prefix
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str(-total % 10)


@dataclass
class _Draft:
    """What a product-type builder decides; `_finish` adds the fields all types share."""

    kind: str  # id segment, e.g. CASE
    text: str  # key of the description sentences
    brand: str
    title: str = ""
    price: float = 0.0
    categories: list[list[str]] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    words: dict[str, Any] = field(default_factory=dict)  # fills the description templates
    features: list[str] = field(default_factory=list)  # keys of feature sentences


def _price(rng: random.Random, low: int, high: int, brand: str = "", share: float = -1) -> float:
    # a bigger spec (share of the way from smallest to largest) sits higher in the range
    if share >= 0:
        mid, spread = low + (high - low) * share, (high - low) / 4
        low, high = round(max(low, mid - spread)), round(min(high, mid + spread))
    if brand in _PREMIUM:
        low = (low + high) // 2
    elif brand in _BUDGET:
        high = (low + high) // 2
    return round(rng.randint(low, high) + rng.choices(_ENDINGS, _ENDING_WEIGHTS)[0], 2)


def _join(*parts: str) -> str:
    return " ".join(p for p in parts if p)


def _some(rng: random.Random, names: tuple[str, ...], low: int, high: int) -> list[str]:
    chosen = set(rng.sample(names, rng.randint(low, high)))
    return [name for name in names if name in chosen]  # catalogue order, not draw order


def _case(rng: random.Random) -> _Draft:
    brand, line, style, families = rng.choice(v.CASE_LINES)
    noun, materials, colours, low, high, light, heavy = v.CASE_STYLES[style]
    family = rng.choice(families)
    device, colour, material = (
        rng.choice(v.DEVICES[family]),
        rng.choice(colours),
        rng.choice(materials),
    )
    d = _Draft("CASE", "case", brand, f"{brand} {line} für {device}, {colour}")
    magsafe = family == "iPhone" and ("MagSafe" in line or "HaloLock" in line or rng.random() < 0.4)
    d.categories = [["Handyzubehör", "Hüllen", f"{family} Hüllen"]]
    if style == "Wallet":
        d.categories.append(["Handyzubehör", "Hüllen", "Klapphüllen"])
    if magsafe:
        d.categories.append(["Handyzubehör", "MagSafe Zubehör"])
        d.features.append("magsafe")
    d.attributes = {"color": colour, "material": material, "compatible_devices": [device]}
    d.attributes |= {"magsafe": magsafe, "weight_g": rng.randint(light, heavy)}
    d.words = {"noun": noun, "device": device, "material": material}
    d.price = _price(rng, low, high, brand)
    return d


def _charger(rng: random.Random) -> _Draft:
    brand, model, kind = rng.choice(v.CHARGER_LINES)
    watts, low, high, category = v.CHARGER_KINDS[kind]
    power = rng.choice(watts)
    colour = "weiß" if brand == "Apple" else rng.choice(("schwarz", "weiß"))
    d = _Draft("CHG", "charger", brand, categories=[["Handyzubehör", "Ladegeräte", category]])
    d.attributes = {"power_w": power, "connector": ["USB-C"], "color": colour}
    if kind == "Netzteil":
        noun, spec = "USB-C Netzteil", f"{power}W USB-C Netzteil"
    elif kind == "GaN":
        ports = rng.choice((2, 3, 4))
        noun, spec = "GaN Ladegerät", f"GaN Ladegerät {power}W, {ports} Ports"
        d.attributes |= {
            "ports": ports,
            "connector": ["USB-C", "USB-A"] if ports > 2 else ["USB-C"],
        }
        d.features.append("gan")
    elif kind == "Wireless":
        standard = "MagSafe" if brand == "Apple" else rng.choice(v.WIRELESS_STANDARDS)
        noun, spec = "kabellose Ladegerät", f"kabelloses Ladegerät {power}W, {standard}"
        magsafe = standard != "Qi"
        devices = v.DEVICES["iPhone"] if magsafe else v.USB_C_PHONES
        d.attributes |= {"wireless": True, "magsafe": magsafe, "compatible_devices": list(devices)}
        d.features = ["wireless_pad", "magsafe"] if magsafe else ["wireless_pad"]
        d.words["standard"] = standard
    else:
        noun, spec = "KFZ-Ladegerät", f"KFZ-Ladegerät {power}W, USB-C + USB-A"
        d.attributes["connector"] = ["USB-C", "USB-A"]
        d.categories.append(["Auto & Navigation", "KFZ-Zubehör"])
        d.features.append("car")
    d.title = f"{_join(brand, model, spec)}, {colour}"
    d.attributes["weight_g"] = rng.randint(60, 250) if kind == "Wireless" else rng.randint(30, 90)
    d.words |= {"noun": noun, "power_w": power}
    d.price = _price(rng, low, high, brand, watts.index(power) / max(1, len(watts) - 1))
    return d


def _cable(rng: random.Random) -> _Draft:
    brand, line, kinds = rng.choice(v.CABLE_LINES)
    kind = rng.choice(kinds)
    ends, watts = v.CABLE_KINDS[kind]
    power, length, material = (
        rng.choice(watts),
        rng.choice(v.CABLE_LENGTHS_M),
        rng.choice(v.CABLE_MATERIALS),
    )
    colour = "weiß" if brand == "Apple" else rng.choice(("schwarz", "weiß", "grau", "blau"))
    length_text = f"{length:g}".replace(".", ",")
    braided = ", geflochten" if material == "Nylon" else ""
    spec = f"Kabel {power}W, {length_text} m{braided}, {colour}"
    d = _Draft("CBL", "cable", brand, _join(brand, line, kind, spec))
    if "Lightning" in ends:
        category, devices = "Lightning Kabel", list(v.LIGHTNING_IPHONES)
    else:
        category, devices = "USB-C Kabel", _some(rng, v.USB_C_PHONES, 3, 8)
    d.categories = [["Handyzubehör", "Kabel", category]]
    d.attributes = {"connector": list(dict.fromkeys(ends)), "power_w": power}
    d.attributes |= {"cable_length_m": length, "material": material, "color": colour}
    d.attributes |= {"compatible_devices": devices, "weight_g": round(15 + 20 * length)}
    d.words = {"kind": kind, "length": length_text, "power_w": power, "material": material}
    d.price = _price(rng, 7, 29, brand, (length - 0.5) / 2.5)
    return d


def _protector(rng: random.Random) -> _Draft:
    brand, line = rng.choice(v.PROTECTOR_LINES)
    kind = rng.choice(tuple(v.PROTECTOR_KINDS))
    material, low, high, category = v.PROTECTOR_KINDS[kind]
    family = rng.choice(("iPhone", "iPhone", "Samsung", "Google Pixel", "Xiaomi", "OnePlus"))
    device, pack = rng.choice(v.DEVICES[family]), rng.choice((1, 1, 2, 3))
    title = _join(brand, line, kind, f"für {device}") + (f", {pack} Stück" if pack > 1 else "")
    d = _Draft("SCR", "protector", brand, title, words={"device": device})
    privacy = kind.startswith("Privacy")
    d.categories = [["Handyzubehör", "Displayschutz", category]]
    d.attributes = {"compatible_devices": [device], "material": material, "pack_size": pack}
    d.attributes |= {"privacy": privacy, "color": "transparent", "weight_g": 12 * pack}
    if material == "Glas":
        d.features.append("glass")
    if privacy:
        d.categories.append(["Handyzubehör", "Displayschutz", "Panzerglas"])
        d.features.append("privacy")
    d.price = _price(rng, low + 5 * (pack - 1), high + 5 * (pack - 1), brand)
    return d


def _powerbank(rng: random.Random) -> _Draft:
    brand, line, magnetic = rng.choice(v.POWERBANK_LINES)
    capacity = rng.choice(v.MAGNETIC_CAPACITIES if magnetic else v.POWERBANK_CAPACITIES)
    power = rng.choice((15, 20) if magnetic else (20, 30, 45, 65))
    colour = rng.choice(("schwarz", "weiß", "blau", "grau", "rosa"))
    capacity_text = f"{capacity:,}".replace(",", ".")  # German thousands separator
    spec = f"{capacity_text} mAh, {power}W{', magnetisch' if magnetic else ''}, {colour}"
    d = _Draft("PWR", "powerbank", brand, f"{brand} {line} {spec}")
    d.categories = [["Handyzubehör", "Powerbanks"]]
    if magnetic:
        d.categories.append(["Handyzubehör", "Powerbanks", "Magnetische Powerbanks"])
        d.features.append("magsafe")
    d.attributes = {"capacity_mah": capacity, "power_w": power, "connector": ["USB-C"]}
    d.attributes |= {"wireless": magnetic, "magsafe": magnetic, "color": colour}
    d.attributes["weight_g"] = capacity // 45 + rng.randint(0, 30)
    d.words = {"capacity": capacity_text, "power_w": power}
    d.price = _price(rng, 15, 89, brand, capacity / max(v.POWERBANK_CAPACITIES))
    return d


def _holder(rng: random.Random) -> _Draft:
    brand, line, kind = rng.choice(v.HOLDER_LINES)
    mounts, low, high, category = v.HOLDER_KINDS[kind]
    mount, colour = rng.choice(mounts), rng.choice(("schwarz", "silber", "grau"))
    magsafe = any(word in line for word in ("MagSafe", "MagGo", "HaloLock"))
    charging = kind == "KFZ" and rng.random() < 0.3
    d = _Draft("HLD", "holder", brand, categories=[["Handyzubehör", "Halterungen", category]])
    if kind == "KFZ":
        extra = ", mit 15W Wireless Charging" if charging else ""
        spec, where = f"KFZ-Handyhalterung für {mount}{extra}", "im Auto"
        d.categories.append(["Auto & Navigation", "KFZ-Zubehör"])
    elif kind == "Fahrrad":
        spec, where = f"Fahrrad-Handyhalterung für {mount}", "am Fahrrad"
    else:
        spec, where = "Handy-Ständer für den Tisch, verstellbar", "auf dem Schreibtisch"
    d.title, d.words = f"{_join(brand, line, spec)}, {colour}", {"where": where}
    d.attributes = {"mount": mount, "magsafe": magsafe, "wireless": charging, "color": colour}
    d.attributes |= {"material": rng.choice(("Aluminium", "Kunststoff"))}
    d.attributes["weight_g"] = rng.randint(40, 180)
    if magsafe:
        d.attributes["compatible_devices"] = list(v.DEVICES["iPhone"])
    d.features = [f for f, on in (("magsafe", magsafe), ("car_charging", charging)) if on]
    d.price = _price(rng, low + 15 * charging, high + 15 * charging, brand)
    return d


def _headphones(rng: random.Random) -> _Draft:
    brand, model, form, anc, wireless, list_price, battery = rng.choice(v.HEADPHONES)
    apple_white = brand == "Apple" and form == "In-Ear"
    colour = "weiß" if apple_white else rng.choice(v.HEADPHONE_COLOURS)
    kind = "Bluetooth Kopfhörer" if wireless else "Kopfhörer"
    noise = " mit Noise Cancelling" if anc else ""
    d = _Draft("AUD", "headphones", brand, f"{brand} {model} {form} {kind}{noise}, {colour}")
    d.categories = [["Audio", "Kopfhörer", f"{form} Kopfhörer"]]
    if wireless:
        d.categories.append(["Audio", "Kopfhörer", "Bluetooth Kopfhörer"])
    d.attributes = {"form_factor": form, "noise_cancelling": anc, "wireless": wireless}
    d.attributes |= {"connector": ["USB-C"], "color": colour}
    if wireless:
        d.attributes["battery_h"] = battery
    d.attributes["weight_g"] = rng.randint(40, 65) if form == "In-Ear" else rng.randint(220, 390)
    d.words = {"model": model, "form": form, "battery_h": battery}
    d.features = [f for f, on in (("anc", anc), ("bluetooth", wireless)) if on]
    d.price = _price(rng, int(list_price * 0.8), list_price - 1)
    return d


# product types and how common they are in the catalog
_BUILDERS: tuple[tuple[Callable[[random.Random], _Draft], int], ...] = (
    (_case, 30),
    (_protector, 16),
    (_cable, 16),
    (_charger, 14),
    (_headphones, 9),
    (_powerbank, 8),
    (_holder, 7),
)
