"""The per-product-type builders of the demo catalog and how common each type is."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from catalog.demo import vocabulary as v
from catalog.demo.values import join, price, some


@dataclass
class Draft:
    """What a product-type builder decides; the generator adds the fields all types share."""

    kind: str  # id segment, e.g. CASE
    text: str  # key of the description sentences
    brand: str
    title: str = ""
    price: float = 0.0
    categories: list[list[str]] = field(default_factory=list)
    attributes: dict[str, Any] = field(default_factory=dict)
    words: dict[str, Any] = field(default_factory=dict)  # fills the description templates
    features: list[str] = field(default_factory=list)  # keys of feature sentences
    shape: str = ""  # a variant of the kind's picture (catalog.demo.pictures)
    colours: tuple[str, ...] = ()  # the colours this model comes in (its variant group)


POWERBANK_COLOURS = ("schwarz", "weiß", "blau", "grau", "rosa")
HOLDER_COLOURS = ("schwarz", "silber", "grau")


def _case(rng: random.Random) -> Draft:
    brand, line, style, families = rng.choice(v.CASE_LINES)
    noun, materials, colours, low, high, light, heavy = v.CASE_STYLES[style]
    family = rng.choice(families)
    device, colour, material = (
        rng.choice(v.DEVICES[family]),
        rng.choice(colours),
        rng.choice(materials),
    )
    d = Draft("CASE", "case", brand, f"{brand} {line} für {device}, {colour}")
    d.colours = tuple(colours)
    magsafe = family == "iPhone" and ("MagSafe" in line or "HaloLock" in line or rng.random() < 0.4)
    d.categories = [["Handyzubehör", "Hüllen", f"{family} Hüllen"]]
    if style == "Wallet":
        d.categories.append(["Handyzubehör", "Hüllen", "Klapphüllen"])
        d.shape = "wallet"
    if magsafe:
        d.categories.append(["Handyzubehör", "MagSafe Zubehör"])
        d.features.append("magsafe")
    d.attributes = {"color": colour, "material": material, "compatible_devices": [device]}
    d.attributes |= {"magsafe": magsafe, "weight_g": rng.randint(light, heavy)}
    d.words = {"noun": noun, "device": device, "material": material}
    d.price = price(rng, low, high, brand)
    return d


def _charger(rng: random.Random) -> Draft:
    brand, model, kind = rng.choice(v.CHARGER_LINES)
    watts, low, high, category = v.CHARGER_KINDS[kind]
    power = rng.choice(watts)
    colour = "weiß" if brand == "Apple" else rng.choice(("schwarz", "weiß"))
    d = Draft("CHG", "charger", brand, categories=[["Handyzubehör", "Ladegeräte", category]])
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
        d.shape = "wireless"
    else:
        noun, spec = "KFZ-Ladegerät", f"KFZ-Ladegerät {power}W, USB-C + USB-A"
        d.attributes["connector"] = ["USB-C", "USB-A"]
        d.categories.append(["Auto & Navigation", "KFZ-Zubehör"])
        d.features.append("car")
        d.shape = "car"
    d.title = f"{join(brand, model, spec)}, {colour}"
    d.attributes["weight_g"] = rng.randint(60, 250) if kind == "Wireless" else rng.randint(30, 90)
    d.words |= {"noun": noun, "power_w": power}
    d.price = price(rng, low, high, brand, watts.index(power) / max(1, len(watts) - 1))
    return d


def _cable(rng: random.Random) -> Draft:
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
    d = Draft("CBL", "cable", brand, join(brand, line, kind, spec))
    if "Lightning" in ends:
        category, devices = "Lightning Kabel", list(v.LIGHTNING_IPHONES)
    else:
        category, devices = "USB-C Kabel", some(rng, v.USB_C_PHONES, 3, 8)
    d.categories = [["Handyzubehör", "Kabel", category]]
    d.attributes = {"connector": list(dict.fromkeys(ends)), "power_w": power}
    d.attributes |= {"cable_length_m": length, "material": material, "color": colour}
    d.attributes |= {"compatible_devices": devices, "weight_g": round(15 + 20 * length)}
    d.words = {"kind": kind, "length": length_text, "power_w": power, "material": material}
    d.price = price(rng, 7, 29, brand, (length - 0.5) / 2.5)
    return d


def _protector(rng: random.Random) -> Draft:
    brand, line = rng.choice(v.PROTECTOR_LINES)
    kind = rng.choice(tuple(v.PROTECTOR_KINDS))
    material, low, high, category = v.PROTECTOR_KINDS[kind]
    family = rng.choice(("iPhone", "iPhone", "Samsung", "Google Pixel", "Xiaomi", "OnePlus"))
    device, pack = rng.choice(v.DEVICES[family]), rng.choice((1, 1, 2, 3))
    title = join(brand, line, kind, f"für {device}") + (f", {pack} Stück" if pack > 1 else "")
    d = Draft("SCR", "protector", brand, title, words={"device": device})
    privacy = kind.startswith("Privacy")
    d.categories = [["Handyzubehör", "Displayschutz", category]]
    d.attributes = {"compatible_devices": [device], "material": material, "pack_size": pack}
    d.attributes |= {"privacy": privacy, "color": "transparent", "weight_g": 12 * pack}
    if material == "Glas":
        d.features.append("glass")
    if privacy:
        d.categories.append(["Handyzubehör", "Displayschutz", "Panzerglas"])
        d.features.append("privacy")
    d.price = price(rng, low + 5 * (pack - 1), high + 5 * (pack - 1), brand)
    return d


def _powerbank(rng: random.Random) -> Draft:
    brand, line, magnetic = rng.choice(v.POWERBANK_LINES)
    capacity = rng.choice(v.MAGNETIC_CAPACITIES if magnetic else v.POWERBANK_CAPACITIES)
    power = rng.choice((15, 20) if magnetic else (20, 30, 45, 65))
    colour = rng.choice(POWERBANK_COLOURS)
    capacity_text = f"{capacity:,}".replace(",", ".")  # German thousands separator
    spec = f"{capacity_text} mAh, {power}W{', magnetisch' if magnetic else ''}, {colour}"
    d = Draft("PWR", "powerbank", brand, f"{brand} {line} {spec}", colours=POWERBANK_COLOURS)
    d.categories = [["Handyzubehör", "Powerbanks"]]
    if magnetic:
        d.categories.append(["Handyzubehör", "Powerbanks", "Magnetische Powerbanks"])
        d.features.append("magsafe")
        d.shape = "magnetic"
    d.attributes = {"capacity_mah": capacity, "power_w": power, "connector": ["USB-C"]}
    d.attributes |= {"wireless": magnetic, "magsafe": magnetic, "color": colour}
    d.attributes["weight_g"] = capacity // 45 + rng.randint(0, 30)
    d.words = {"capacity": capacity_text, "power_w": power}
    d.price = price(rng, 15, 89, brand, capacity / max(v.POWERBANK_CAPACITIES))
    return d


def _holder(rng: random.Random) -> Draft:
    brand, line, kind = rng.choice(v.HOLDER_LINES)
    mounts, low, high, category = v.HOLDER_KINDS[kind]
    mount, colour = rng.choice(mounts), rng.choice(HOLDER_COLOURS)
    magsafe = any(word in line for word in ("MagSafe", "MagGo", "HaloLock"))
    charging = kind == "KFZ" and rng.random() < 0.3
    d = Draft("HLD", "holder", brand, categories=[["Handyzubehör", "Halterungen", category]])
    d.colours = HOLDER_COLOURS
    if kind == "KFZ":
        extra = ", mit 15W Wireless Charging" if charging else ""
        spec, where = f"KFZ-Handyhalterung für {mount}{extra}", "im Auto"
        d.categories.append(["Auto & Navigation", "KFZ-Zubehör"])
    elif kind == "Fahrrad":
        spec, where = f"Fahrrad-Handyhalterung für {mount}", "am Fahrrad"
    else:
        spec, where = "Handy-Ständer für den Tisch, verstellbar", "auf dem Schreibtisch"
    d.title, d.words = f"{join(brand, line, spec)}, {colour}", {"where": where}
    d.attributes = {"mount": mount, "magsafe": magsafe, "wireless": charging, "color": colour}
    d.attributes |= {"material": rng.choice(("Aluminium", "Kunststoff"))}
    d.attributes["weight_g"] = rng.randint(40, 180)
    if magsafe:
        d.attributes["compatible_devices"] = list(v.DEVICES["iPhone"])
    d.features = [f for f, on in (("magsafe", magsafe), ("car_charging", charging)) if on]
    d.price = price(rng, low + 15 * charging, high + 15 * charging, brand)
    return d


def _headphones(rng: random.Random) -> Draft:
    brand, model, form, anc, wireless, list_price, battery = rng.choice(v.HEADPHONES)
    apple_white = brand == "Apple" and form == "In-Ear"
    colour = "weiß" if apple_white else rng.choice(v.HEADPHONE_COLOURS)
    kind = "Bluetooth Kopfhörer" if wireless else "Kopfhörer"
    noise = " mit Noise Cancelling" if anc else ""
    d = Draft("AUD", "headphones", brand, f"{brand} {model} {form} {kind}{noise}, {colour}")
    d.colours = () if apple_white else v.HEADPHONE_COLOURS
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
    d.shape = "in-ear" if form == "In-Ear" else ""
    d.price = price(rng, int(list_price * 0.8), list_price - 1)
    return d


# product types and how common they are in the catalog
BUILDERS: tuple[tuple[Callable[[random.Random], Draft], int], ...] = (
    (_case, 30),
    (_protector, 16),
    (_cable, 16),
    (_charger, 14),
    (_headphones, 9),
    (_powerbank, 8),
    (_holder, 7),
)
