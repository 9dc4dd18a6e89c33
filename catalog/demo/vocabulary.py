"""Words of a German phone-accessory shop: devices, brands and product lines, text templates."""

from __future__ import annotations


def _names(text: str) -> tuple[str, ...]:
    # comma-separated text keeps long word lists readable after formatting
    return tuple(name.strip() for name in text.split(","))


# --- devices, by family (the family names the case category) ---------------------------------
DEVICES: dict[str, tuple[str, ...]] = {
    "iPhone": _names(
        "iPhone 13, iPhone 13 mini, iPhone 13 Pro, iPhone 13 Pro Max, iPhone 14, iPhone 14 Plus,"
        "iPhone 14 Pro, iPhone 14 Pro Max, iPhone 15, iPhone 15 Plus, iPhone 15 Pro,"
        "iPhone 15 Pro Max, iPhone 16, iPhone 16 Plus, iPhone 16 Pro, iPhone 16 Pro Max"
    ),
    "Samsung": _names(
        "Samsung Galaxy S23, Samsung Galaxy S23+, Samsung Galaxy S23 Ultra, Samsung Galaxy S24,"
        "Samsung Galaxy S24+, Samsung Galaxy S24 Ultra, Samsung Galaxy S25, Samsung Galaxy S25+,"
        "Samsung Galaxy S25 Ultra, Samsung Galaxy A35, Samsung Galaxy A55"
    ),
    "Google Pixel": _names(
        "Google Pixel 8, Google Pixel 8 Pro, Google Pixel 9, Google Pixel 9 Pro"
    ),
    "Xiaomi": _names("Xiaomi 14, Xiaomi 14 Ultra, Xiaomi Redmi Note 13 Pro"),
    "OnePlus": _names("OnePlus 12, OnePlus 12R"),
}
ALL_FAMILIES = tuple(DEVICES)
LIGHTNING_IPHONES = tuple(d for d in DEVICES["iPhone"] if d.split()[1] in ("13", "14"))
USB_C_PHONES = tuple(d for names in DEVICES.values() for d in names if d not in LIGHTNING_IPHONES)

# --- cases: (brand, line, style, device families) ------------------------------------------
CASE_LINES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("Spigen", "Ultra Hybrid Hülle", "Clear", ALL_FAMILIES),
    ("Spigen", "Liquid Air Hülle", "Silikon", ALL_FAMILIES),
    ("Spigen", "Tough Armor Outdoor Hülle", "Outdoor", ALL_FAMILIES),
    ("Spigen", "Wallet S Klapphülle", "Wallet", ("iPhone", "Samsung")),
    ("OtterBox", "Defender Series Outdoor Hülle", "Outdoor", ("iPhone", "Samsung", "Google Pixel")),
    ("OtterBox", "Symmetry Clear Hülle", "Clear", ("iPhone", "Samsung", "Google Pixel")),
    ("UAG", "Monarch Pro Outdoor Hülle", "Outdoor", ("iPhone", "Samsung", "Google Pixel")),
    ("UAG", "Plyo Clear Hülle", "Clear", ("iPhone", "Samsung")),
    ("ESR", "Classic Hybrid Hülle mit HaloLock", "Clear", ("iPhone", "Samsung")),
    ("ESR", "Cloud Silikon Hülle", "Silikon", ("iPhone", "Samsung")),
    ("Nillkin", "CamShield Pro Hülle", "Outdoor", ALL_FAMILIES),
    ("Nillkin", "Qin Leder Klapphülle", "Wallet", ALL_FAMILIES),
    ("Hama", "Finest Sense Hülle", "Leder", ALL_FAMILIES),
    ("Hama", "Crystal Clear Hülle", "Clear", ALL_FAMILIES),
    ("Hama", "Guard Pro Klapphülle", "Wallet", ALL_FAMILIES),
    ("Apple", "Silikon Case mit MagSafe", "Silikon", ("iPhone",)),
    ("Apple", "Clear Case mit MagSafe", "Clear", ("iPhone",)),
    ("Samsung", "Silicone Case", "Silikon", ("Samsung",)),
    ("Samsung", "Smart View Wallet Case", "Wallet", ("Samsung",)),
    ("Cellularline", "Sensation Silikon Hülle", "Silikon", ALL_FAMILIES),
    ("Cellularline", "Book Agenda Klapphülle", "Wallet", ALL_FAMILIES),
    ("Nevox", "StyleShell Shock Hülle", "Clear", ("iPhone", "Samsung")),
    ("ZAGG", "Crystal Palace Snap Hülle", "Clear", ("iPhone", "Samsung")),
    ("dbramante1928", "Copenhagen Slim Leder Hülle", "Leder", ("iPhone", "Samsung")),
    ("dbramante1928", "Lynge Leder Wallet", "Wallet", ("iPhone", "Samsung")),
    ("Native Union", "Clic Classic Leder Hülle", "Leder", ("iPhone",)),
    ("Peak Design", "Everyday Case", "Outdoor", ("iPhone", "Samsung", "Google Pixel")),
)
# style: (noun for the description, materials, colours, price range in euros, weight range g)
CASE_STYLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...], int, int, int, int]] = {
    "Silikon": ("Silikonhülle", ("Silikon",), _names("schwarz, blau, rot, grün, rosa, grau, weiß"),
                14, 49, 25, 45),
    "Leder": ("Lederhülle", ("Leder", "Kunstleder"), _names("schwarz, braun, blau, grün"),
              29, 69, 30, 55),
    "Clear": ("Hülle", ("TPU", "Polycarbonat"), ("transparent",), 9, 34, 20, 40),
    "Outdoor": ("Outdoor-Hülle", ("TPU", "Polycarbonat"), _names("schwarz, grau, grün, blau"),
                24, 59, 45, 90),
    "Wallet": ("Klapphülle", ("Leder", "Kunstleder"), _names("schwarz, braun, blau, rot"),
               19, 59, 50, 95),
}  # fmt: skip

# --- chargers: (brand, model, kind) and per kind (watts, price range, colours) ---------------
CHARGER_LINES: tuple[tuple[str, str, str], ...] = (
    ("Anker", "Nano", "Netzteil"), ("Anker", "737", "GaN"), ("Anker", "Prime", "GaN"),
    ("Anker", "MagGo", "Wireless"), ("Anker", "PowerDrive", "KFZ"),
    ("Belkin", "BoostCharge", "Netzteil"), ("Belkin", "BoostCharge Pro", "GaN"),
    ("Belkin", "BoostCharge Pro 3-in-1", "Wireless"), ("Belkin", "BoostCharge", "KFZ"),
    ("Baseus", "GaN5 Pro", "GaN"), ("Baseus", "Superior", "Netzteil"), ("Baseus", "", "KFZ"),
    ("Ugreen", "Nexode", "GaN"), ("Ugreen", "Nexode", "Netzteil"), ("Ugreen", "", "KFZ"),
    ("Apple", "", "Netzteil"), ("Apple", "MagSafe", "Wireless"),
    ("Samsung", "Super Fast Charging", "Netzteil"), ("Samsung", "Wireless Charger Pad", "Wireless"),
    ("Xiaomi", "HyperCharge", "Netzteil"), ("Hama", "", "Netzteil"), ("Hama", "", "KFZ"),
    ("ESR", "HaloLock", "Wireless"), ("Mophie", "snap+", "Wireless"),
    ("Native Union", "Drop Magnetic", "Wireless"), ("Cellularline", "", "KFZ"),
    ("Nevox", "", "Netzteil"),
)  # fmt: skip
CHARGER_KINDS: dict[str, tuple[tuple[int, ...], int, int, str]] = {
    "Netzteil": ((20, 25, 30, 35, 45), 12, 39, "USB-C Netzteile"),
    "GaN": ((65, 100, 120, 140), 39, 119, "GaN Ladegeräte"),
    "Wireless": ((15, 25), 24, 149, "Kabellose Ladegeräte"),
    "KFZ": ((30, 45, 60), 14, 39, "KFZ-Ladegeräte"),
}
WIRELESS_STANDARDS = ("Qi2", "MagSafe", "Qi")

# --- cables: (brand, line, kinds it makes) and kind -> (connectors, watts) -------------------
CABLE_KINDS: dict[str, tuple[tuple[str, str], tuple[int, ...]]] = {
    "USB-C auf USB-C": (("USB-C", "USB-C"), (60, 100, 240)),
    "USB-C auf Lightning": (("USB-C", "Lightning"), (20, 30)),
    "USB-A auf USB-C": (("USB-A", "USB-C"), (15, 18)),
}
_NO_LIGHTNING = ("USB-C auf USB-C", "USB-A auf USB-C")
CABLE_LINES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("Anker", "PowerLine III", tuple(CABLE_KINDS)), ("Belkin", "BoostCharge", tuple(CABLE_KINDS)),
    ("Baseus", "Superior", tuple(CABLE_KINDS)), ("Ugreen", "", tuple(CABLE_KINDS)),
    ("Apple", "", ("USB-C auf USB-C", "USB-C auf Lightning")), ("Hama", "", tuple(CABLE_KINDS)),
    ("Native Union", "Belt Cable", tuple(CABLE_KINDS)), ("Nevox", "", tuple(CABLE_KINDS)),
    ("Cellularline", "", tuple(CABLE_KINDS)), ("Intenso", "", _NO_LIGHTNING),
    ("Samsung", "", _NO_LIGHTNING), ("Xiaomi", "", _NO_LIGHTNING),
)  # fmt: skip
CABLE_LENGTHS_M = (0.5, 1.0, 1.0, 2.0, 2.0, 3.0)
CABLE_MATERIALS = ("Nylon", "TPE", "Silikon")

# --- screen protectors: (brand, line) and kind -> (material, price range, category) ----------
PROTECTOR_LINES: tuple[tuple[str, str], ...] = (
    ("PanzerGlass", "Ultra-Wide Fit"), ("Spigen", "EZ Fit"), ("ESR", "Armorite"),
    ("Nillkin", ""), ("Hama", ""), ("ZAGG", "InvisibleShield"), ("Belkin", "ScreenForce"),
    ("Cellularline", ""), ("Nevox", ""),
)  # fmt: skip
PROTECTOR_KINDS: dict[str, tuple[str, int, int, str]] = {
    "Panzerglas": ("Glas", 9, 34, "Panzerglas"),
    "Schutzfolie": ("TPU", 6, 17, "Schutzfolien"),
    "Privacy Displayschutz": ("Glas", 19, 44, "Privacy-Displayschutz"),
}

# --- power banks: (brand, line, magnetic) ----------------------------------------------------
POWERBANK_LINES: tuple[tuple[str, str, bool], ...] = (
    ("Anker", "Nano Power Bank", False), ("Anker", "MagGo Power Bank", True),
    ("Baseus", "Blade Power Bank", False), ("Baseus", "Magnetic Mini Power Bank", True),
    ("Ugreen", "Nexode Power Bank", False), ("Xiaomi", "Mi Power Bank 3", False),
    ("Varta", "Energy Powerbank", False), ("Intenso", "XS Powerbank", False),
    ("Mophie", "powerstation plus", False), ("Belkin", "BoostCharge Pro Magnetic", True),
    ("Hama", "Supreme Powerbank", False), ("Samsung", "Battery Pack", False),
    ("ESR", "HaloLock Mini Powerbank", True),
)  # fmt: skip
POWERBANK_CAPACITIES = (5000, 10000, 10000, 20000, 20000, 26800)
MAGNETIC_CAPACITIES = (5000, 5000, 10000)

# --- holders: (brand, line, kind) and kind -> (mounts, price range, category) ---------------
HOLDER_LINES: tuple[tuple[str, str, str], ...] = (
    ("Hama", "Multi", "KFZ"), ("Hama", "", "Fahrrad"), ("Hama", "", "Tisch"),
    ("Belkin", "MagSafe", "KFZ"), ("Baseus", "", "KFZ"), ("Baseus", "", "Tisch"),
    ("Ugreen", "", "KFZ"), ("Ugreen", "", "Tisch"), ("Peak Design", "Mobile", "KFZ"),
    ("Peak Design", "Mobile Out Front", "Fahrrad"), ("ESR", "HaloLock", "KFZ"),
    ("Anker", "MagGo", "Tisch"), ("Cellularline", "", "KFZ"), ("Cellularline", "", "Fahrrad"),
)  # fmt: skip
HOLDER_KINDS: dict[str, tuple[tuple[str, ...], int, int, str]] = {
    "KFZ": (("Lüftungsgitter", "Armaturenbrett", "Windschutzscheibe"), 14, 59, "KFZ-Halterungen"),
    "Fahrrad": (("Lenker", "Vorbau"), 14, 69, "Fahrradhalterungen"),
    "Tisch": (("Tisch",), 12, 39, "Tischhalterungen"),
}

# --- headphones: (brand, model, form, noise cancelling, wireless, list price, battery h) -------
HEADPHONES: tuple[tuple[str, str, str, bool, bool, int, int], ...] = (
    ("Apple", "AirPods Pro 2", "In-Ear", True, True, 279, 6),
    ("Apple", "AirPods 4", "In-Ear", False, True, 149, 5),
    ("Apple", "EarPods mit USB-C Anschluss", "In-Ear", False, False, 19, 0),
    ("Apple", "AirPods Max", "Over-Ear", True, True, 579, 20),
    ("Samsung", "Galaxy Buds3 Pro", "In-Ear", True, True, 249, 6),
    ("Samsung", "Galaxy Buds FE", "In-Ear", True, True, 109, 6),
    ("Sony", "WF-1000XM5", "In-Ear", True, True, 299, 8),
    ("Sony", "WH-1000XM5", "Over-Ear", True, True, 399, 30),
    ("Sony", "WH-CH720N", "Over-Ear", True, True, 149, 35),
    ("JBL", "Tune 520BT", "Over-Ear", False, True, 59, 57),
    ("JBL", "Live Pro 2", "In-Ear", True, True, 179, 10),
    ("JBL", "Tune 310C", "In-Ear", False, False, 24, 0),
    ("Sennheiser", "Momentum 4 Wireless", "Over-Ear", True, True, 349, 60),
    ("Sennheiser", "Momentum True Wireless 4", "In-Ear", True, True, 299, 7),
    ("Sennheiser", "Accentum Wireless", "Over-Ear", True, True, 179, 50),
    ("Bose", "QuietComfort Ultra Headphones", "Over-Ear", True, True, 499, 24),
    ("Bose", "QuietComfort Ultra Earbuds", "In-Ear", True, True, 349, 6),
    ("Anker", "Soundcore Liberty 4 NC", "In-Ear", True, True, 99, 10),
    ("Anker", "Soundcore Space Q45", "Over-Ear", True, True, 149, 50),
    ("Xiaomi", "Redmi Buds 6 Pro", "In-Ear", True, True, 79, 9),
)
HEADPHONE_COLOURS = _names("schwarz, weiß, blau, silber, beige")

# --- description sentences: per product type an opener and extras ---------------------------
OPENERS: dict[str, str] = {
    "case": "Diese {noun} von {brand} schützt dein {device} zuverlässig vor Kratzern und Stößen.",
    "charger": "Dieses {noun} von {brand} liefert bis zu {power_w} W Ladeleistung.",
    "cable": "Das {kind} Kabel von {brand} ist {length} m lang und lädt mit bis zu {power_w} W.",
    "protector": "Der Displayschutz von {brand} ist passgenau für das {device} zugeschnitten.",
    "powerbank": "Die Powerbank von {brand} mit {capacity} mAh lädt dein Smartphone unterwegs auf.",
    "holder": "Die Halterung von {brand} hält dein Smartphone sicher {where}.",
    "headphones": "Die {brand} {model} sind {form} Kopfhörer für Musik, Podcasts und Telefonate.",
}
EXTRAS: dict[str, tuple[str, ...]] = {
    "case": (
        "Das Case aus {material} liegt angenehm in der Hand und trägt kaum auf.",
        "Erhöhte Ränder schützen Kamera und Display, wenn das Handy auf dem Tisch liegt.",
        "Alle Tasten und Anschlüsse bleiben frei zugänglich.",
        "Wireless Charging funktioniert auch mit aufgesetzter Hülle.",
    ),
    "charger": (
        "Power Delivery (PD) und Fast Charging sorgen für kurze Ladezeiten.",
        "Ein Schutz vor Überhitzung, Überspannung und Kurzschluss ist integriert.",
        "Kompatibel mit iPhone, Samsung Galaxy, Google Pixel und vielen weiteren Geräten.",
        "Ideal für zu Hause, im Büro und auf Reisen.",
    ),
    "cable": (
        "Die Ummantelung aus {material} ist besonders robust und knickfest.",
        "Neben dem Laden überträgt das Kabel auch Daten.",
        "Getestet für über 10.000 Biegungen.",
        "Unterstützt Fast Charging und Power Delivery.",
    ),
    "protector": (
        "Mit der Montagehilfe gelingt die blasenfreie Anbringung in wenigen Sekunden.",
        "Die oleophobe Beschichtung reduziert Fingerabdrücke.",
        "Touchscreen und Fingerabdrucksensor reagieren wie gewohnt.",
        "Der Schutz ist mit den meisten Hüllen kompatibel (case-friendly).",
    ),
    "powerbank": (
        "Mit bis zu {power_w} W Power Delivery ist dein Handy schnell wieder einsatzbereit.",
        "Eine LED-Anzeige zeigt den aktuellen Ladestand an.",
        "Dank kompakter Bauweise passt sie in jede Tasche.",
        "Über USB-C lässt sich die Powerbank selbst schnell wieder aufladen.",
    ),
    "holder": (
        "Das Smartphone lässt sich mit einer Hand einsetzen und entnehmen.",
        "Die Halterung ist um 360° drehbar, für Hoch- und Querformat.",
        "Geeignet für Smartphones von 4,7 bis 6,9 Zoll.",
        "Die Montage gelingt ohne Werkzeug in wenigen Sekunden.",
    ),
    "headphones": (
        "Integrierte Mikrofone sorgen für klare Sprachqualität bei Anrufen.",
        "Der ausgewogene Sound überzeugt mit kräftigen Bässen und klaren Höhen.",
        "Dank geringem Gewicht ist der Tragekomfort auch über Stunden hoch.",
    ),
}
# sentences that only fit products with a given feature
FEATURES: dict[str, str] = {
    "magsafe": "Dank integrierter Magnete ist das Zubehör voll MagSafe-kompatibel.",
    "gan": "Dank GaN-Technologie ist es deutlich kleiner als herkömmliche Netzteile.",
    "wireless_pad": "Einfach auflegen und laden: Das Smartphone lädt kabellos per {standard}.",
    "car": "Passt in jede 12V/24V-Steckdose im Auto.",
    "glass": "Das gehärtete Glas mit Härtegrad 9H schützt vor Kratzern und Stößen.",
    "privacy": "Der Privacy-Filter verhindert seitliche Einblicke auf dein Display.",
    "anc": "Aktives Noise Cancelling (ANC) blendet Umgebungsgeräusche wirkungsvoll aus.",
    "bluetooth": "Per Bluetooth 5.3 verbunden, hält der Akku bis zu {battery_h} Stunden durch.",
    "car_charging": "Über die integrierte Ladefläche wird dein Handy während der Fahrt geladen.",
}
